//! Events: what Juju (or a charm library) tells the charm happened, and actions.

use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::container::{CheckInfo, Container, Notice};
use crate::relation::AnyRelation;
use crate::secret::Secret;
use crate::storage::Storage;
use crate::value::Value;

static NEXT_ACTION_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The id the next action invocation made without one gets (`ops[testing]` numbers them
/// "1", "2", ...); `update` takes it, otherwise it is only read.
pub fn next_action_id(update: bool) -> String {
    use std::sync::atomic::Ordering;
    let id = if update {
        NEXT_ACTION_ID.fetch_add(1, Ordering::SeqCst)
    } else {
        NEXT_ACTION_ID.load(Ordering::SeqCst)
    };
    id.to_string()
}

/// An action invocation: its name as in actions.yaml and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub name: String,
    #[serde(default)]
    pub params: IndexMap<String, Value>,
    /// Juju's action id (`JUJU_ACTION_UUID`); `ops[testing]` numbers them from "1".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// What kind of event a name denotes; decided from the name alone, as Juju's dispatch does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Relation(RelationEventKind),
    Action,
    Secret,
    Framework,
    Storage,
    Workload,
    Builtin,
    Custom,
}

/// Which of the five relation events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationEventKind {
    Created,
    Joined,
    Changed,
    Departed,
    Broken,
}

pub const RELATION_EVENTS_SUFFIX: [(&str, RelationEventKind); 5] = [
    ("_relation_changed", RelationEventKind::Changed),
    ("_relation_broken", RelationEventKind::Broken),
    ("_relation_joined", RelationEventKind::Joined),
    ("_relation_departed", RelationEventKind::Departed),
    ("_relation_created", RelationEventKind::Created),
];
pub const STORAGE_EVENTS_SUFFIX: [&str; 2] = ["_storage_detaching", "_storage_attached"];
/// The workload (Pebble) events; all need `JUJU_WORKLOAD_NAME`.
pub const WORKLOAD_EVENTS_SUFFIX: [&str; 4] = [
    "_pebble_ready",
    "_pebble_custom_notice",
    "_pebble_check_failed",
    "_pebble_check_recovered",
];
pub const PEBBLE_READY_EVENT_SUFFIX: &str = "_pebble_ready";
pub const ACTION_EVENT_SUFFIX: &str = "_action";
pub const SECRET_EVENTS: [&str; 4] = [
    "secret_changed",
    "secret_remove",
    "secret_rotate",
    "secret_expired",
];
pub const FRAMEWORK_EVENTS: [&str; 4] = [
    "pre_commit",
    "commit",
    "collect_app_status",
    "collect_unit_status",
];
pub const BUILTIN_EVENTS: [&str; 12] = [
    "start",
    "stop",
    "install",
    "remove",
    "update_status",
    "config_changed",
    "upgrade_charm",
    "pre_series_upgrade",
    "post_series_upgrade",
    "leader_elected",
    "leader_settings_changed",
    "collect_metrics",
];

/// Event names use underscores in ops and dashes in Juju; Scenario accepts both.
pub fn normalize_name(name: &str) -> String {
    name.replace('-', "_")
}

/// The kind of the event called `name`, and the prefix before its suffix (the endpoint,
/// container, storage or action name), if its kind has one.
pub fn classify(name: &str) -> (EventKind, Option<&str>) {
    for (suffix, kind) in RELATION_EVENTS_SUFFIX {
        if let Some(prefix) = name.strip_suffix(suffix) {
            return (EventKind::Relation(kind), Some(prefix));
        }
    }
    if let Some(prefix) = name.strip_suffix(ACTION_EVENT_SUFFIX) {
        return (EventKind::Action, Some(prefix));
    }
    if SECRET_EVENTS.contains(&name) {
        return (EventKind::Secret, None);
    }
    if FRAMEWORK_EVENTS.contains(&name) {
        return (EventKind::Framework, None);
    }
    for suffix in STORAGE_EVENTS_SUFFIX {
        if let Some(prefix) = name.strip_suffix(suffix) {
            return (EventKind::Storage, Some(prefix));
        }
    }
    for suffix in WORKLOAD_EVENTS_SUFFIX {
        if let Some(prefix) = name.strip_suffix(suffix) {
            return (EventKind::Workload, Some(prefix));
        }
    }
    if BUILTIN_EVENTS.contains(&name) {
        return (EventKind::Builtin, None);
    }
    (EventKind::Custom, None)
}

/// An event to run the charm with, and the state entity it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The normalised path: `name`, or `owner.path.name` for a custom event on an object.
    pub path: String,
    #[serde(default, with = "serde_yaml::with::singleton_map_recursive")]
    pub relation: Option<AnyRelation>,
    #[serde(default)]
    pub relation_remote_unit_id: Option<u32>,
    /// The unit leaving, for a relation-departed event (`ops[testing]`'s `departing_unit`).
    #[serde(default)]
    pub relation_departed_unit_id: Option<u32>,
    #[serde(default)]
    pub container: Option<Arc<Container>>,
    /// The notice a pebble-custom-notice event is about.
    #[serde(default)]
    pub notice: Option<Notice>,
    /// The check a pebble-check-failed or -recovered event is about.
    #[serde(default)]
    pub check_info: Option<CheckInfo>,
    #[serde(default)]
    pub storage: Option<Storage>,
    #[serde(default)]
    pub secret: Option<Arc<Secret>>,
    /// The revision a secret-remove or secret-expired event is about.
    #[serde(default)]
    pub secret_revision: Option<u32>,
    #[serde(default)]
    pub action: Option<Arc<Action>>,
}

impl Event {
    pub fn new(path: &str) -> Self {
        Event {
            path: normalize_name(path),
            ..Event::default()
        }
    }

    /// The event name: the last dot-separated segment of the path.
    pub fn name(&self) -> &str {
        self.path.rsplit('.').next().unwrap_or_default()
    }

    /// The attribute path from the charm to the events object, `["on"]` by default.
    pub fn owner_path(&self) -> Vec<&str> {
        match self.path.rsplit_once('.') {
            Some((owner, _)) => owner.split('.').collect(),
            None => vec!["on"],
        }
    }

    pub fn kind(&self) -> EventKind {
        classify(self.name()).0
    }

    /// The endpoint, container, storage or action name the event name starts with.
    pub fn prefix(&self) -> Option<&str> {
        classify(self.name()).1
    }

    /// Whether the event is emitted on the charm's own `on` (not a library's).
    pub fn is_on_charm(&self) -> bool {
        self.owner_path() == ["on"]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_the_name() {
        assert_eq!(
            classify("foo_relation_changed"),
            (EventKind::Relation(RelationEventKind::Changed), Some("foo"))
        );
        assert_eq!(
            classify("do_backup_action"),
            (EventKind::Action, Some("do_backup"))
        );
        assert_eq!(classify("secret_changed"), (EventKind::Secret, None));
        assert_eq!(
            classify("collect_unit_status"),
            (EventKind::Framework, None)
        );
        assert_eq!(
            classify("data_storage_attached"),
            (EventKind::Storage, Some("data"))
        );
        assert_eq!(
            classify("wl_pebble_ready"),
            (EventKind::Workload, Some("wl"))
        );
        assert_eq!(
            classify("wl_pebble_custom_notice"),
            (EventKind::Workload, Some("wl"))
        );
        assert_eq!(classify("update_status"), (EventKind::Builtin, None));
        assert_eq!(classify("ingress_ready"), (EventKind::Custom, None));
    }

    #[test]
    fn a_doubled_suffix_only_strips_the_last_one() {
        // Scenario 5 split on every occurrence and crashed here.
        assert_eq!(
            classify("a_relation_changed_relation_changed").1,
            Some("a_relation_changed")
        );
    }

    #[test]
    fn paths_are_normalised_and_split() {
        let e = Event::new("my-lib.on.foo-bar");
        assert_eq!(e.name(), "foo_bar");
        assert_eq!(e.owner_path(), vec!["my_lib", "on"]);
        assert_eq!(Event::new("start").owner_path(), vec!["on"]);
    }
}
