//! The `JUJU_*` environment Juju gives a hook, computed from the event and the State.

use scenario_model::{AnyRelation, Api, Event, EventKind, RelationEventKind, State};

use crate::hook_tools::UnitContext;

/// The variables to set for one run, in a stable order.
pub fn juju_env(
    event: &Event,
    state: &State,
    unit: &UnitContext,
    charm_dir: &str,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = Vec::with_capacity(16);
    let mut set = |k: &str, v: String| env.push((k.to_owned(), v));
    let name = event.name();
    set("JUJU_VERSION", unit.juju_version.clone());
    set("JUJU_UNIT_NAME", unit.unit_name());
    set("JUJU_MODEL_NAME", state.model.name.clone());
    set("JUJU_MODEL_UUID", state.model.uuid.clone());
    set("JUJU_CHARM_DIR", charm_dir.to_owned());
    for (key, value) in [
        ("JUJU_MACHINE_ID", &unit.machine_id),
        ("JUJU_AVAILABILITY_ZONE", &unit.availability_zone),
        ("JUJU_PRINCIPAL_UNIT", &unit.principal_unit),
    ] {
        if let Some(value) = value {
            set(key, value.clone());
        }
    }
    let kind = event.kind();
    if kind == EventKind::Action {
        let action = event.prefix().unwrap_or_default().replace('_', "-");
        set("JUJU_DISPATCH_PATH", format!("actions/{action}"));
        set("JUJU_ACTION_NAME", action);
        let id = event
            .action
            .as_ref()
            .and_then(|a| a.id.clone())
            .unwrap_or_else(|| scenario_model::next_action_id(true));
        set("JUJU_ACTION_TAG", format!("action-{id}"));
        set("JUJU_ACTION_UUID", id);
        if unit.api == Api::Scenario8 {
            // An action is no hook: ops[testing] sets the name empty.
            set("JUJU_HOOK_NAME", String::new());
        }
    } else if kind == EventKind::Custom && unit.api == Api::Scenario8 {
        // ops[testing] names a custom event's "hook" after the event, as written.
        set("JUJU_DISPATCH_PATH", format!("hooks/{name}"));
        set("JUJU_HOOK_NAME", name.to_owned());
    } else {
        let hook = hook_name(event);
        set("JUJU_DISPATCH_PATH", format!("hooks/{hook}"));
        if kind != EventKind::Custom {
            set("JUJU_HOOK_NAME", hook);
        }
    }
    if let (EventKind::Relation(rel_kind), Some(relation)) = (kind, &event.relation) {
        set("JUJU_RELATION", relation.endpoint().to_owned());
        set(
            "JUJU_RELATION_ID",
            match unit.api {
                // A bare number, as Scenario 5 set it; ops reads both forms.
                Api::Scenario5 => relation.relation_id().to_string(),
                Api::Scenario8 => format!("{}:{}", relation.endpoint(), relation.relation_id()),
            },
        );
        let remote_app = match relation {
            AnyRelation::Peer(_) => unit.app_name.clone(),
            _ => relation.remote_app_name().unwrap_or_default().to_owned(),
        };
        // Juju names no remote unit for relation-created and -broken.
        let has_remote_unit = unit.api == Api::Scenario5
            || !matches!(
                rel_kind,
                RelationEventKind::Created | RelationEventKind::Broken
            );
        if let Some(id) = remote_unit_id(event, relation, unit).filter(|_| has_remote_unit) {
            let remote_unit = format!("{remote_app}/{id}");
            if rel_kind == RelationEventKind::Departed {
                let departing = event
                    .relation_departed_unit_id
                    .map_or_else(|| remote_unit.clone(), |d| format!("{remote_app}/{d}"));
                set("JUJU_DEPARTING_UNIT", departing);
            }
            set("JUJU_REMOTE_UNIT", remote_unit);
        }
        set("JUJU_REMOTE_APP", remote_app);
    }
    if let Some(container) = &event.container {
        set("JUJU_WORKLOAD_NAME", container.name.clone());
    }
    if let Some(notice) = &event.notice {
        set("JUJU_NOTICE_ID", notice.id.clone());
        set("JUJU_NOTICE_TYPE", notice.notice_type.clone());
        set("JUJU_NOTICE_KEY", notice.key.clone());
    }
    if let Some(check) = &event.check_info {
        set("JUJU_PEBBLE_CHECK_NAME", check.name.clone());
    }
    if let Some(storage) = &event.storage {
        set("JUJU_STORAGE_ID", storage.storage_id());
    }
    if let Some(secret) = &event.secret {
        set("JUJU_SECRET_ID", secret.id.clone());
        set(
            "JUJU_SECRET_LABEL",
            secret.label.clone().unwrap_or_default(),
        );
        if let Some(rev) = event.secret_revision {
            set("JUJU_SECRET_REVISION", rev.to_string());
        }
    }
    if unit.api == Api::Scenario8 {
        // ops's dispatcher marks the process as dispatching (ops[testing] runs it): a charm
        // that re-runs dispatch sees it, and a run started while it is set ends at once.
        set("OPERATOR_DISPATCH", "1".to_owned());
    }
    env
}

/// The remote unit of a relation event: the one the event names, or else the first remote
/// unit of the relation (a peer relation's own unit is not remote, except as Scenario
/// 5.8.1 ran its untouched default `{0: {}}`).
pub fn remote_unit_id(event: &Event, relation: &AnyRelation, unit: &UnitContext) -> Option<u32> {
    event.relation_remote_unit_id.or_else(|| {
        let five_default_peer = matches!(relation, AnyRelation::Peer(p)
            if unit.api == Api::Scenario5 && p.peers_data.is_unset());
        relation.remote_unit_ids(unit.api).into_iter().find(|id| {
            five_default_peer || !matches!(relation, AnyRelation::Peer(_)) || *id != unit.unit_id
        })
    })
}

/// Juju's hook name: the entity the event is about (an endpoint, container or storage) as
/// its metadata names it, then the event's kind with dashes (`receive_ca_cert-relation-
/// changed`, `my-store-storage-attached`); dashes throughout for any other event.
pub fn hook_name(event: &Event) -> String {
    let name = event.name();
    let entity = match event.kind() {
        EventKind::Relation(_) => event.relation.as_ref().map(AnyRelation::endpoint),
        EventKind::Workload => event.container.as_ref().map(|c| c.name.as_str()),
        EventKind::Storage => event.storage.as_ref().map(|s| s.name.as_str()),
        _ => None,
    };
    if let (Some(entity), Some(prefix)) = (entity, event.prefix()) {
        if scenario_model::normalize_name(entity) == prefix {
            return format!("{entity}{}", name[prefix.len()..].replace('_', "-"));
        }
    }
    name.replace('_', "-")
}

/// What the original logged when it chose a relation event's remote unit itself (no
/// `relation_remote_unit_id`): the level and the message, in its words (suites read them
/// with `caplog`). Scenario 5.8.1 chose, and logged, for every relation event; `ops[testing]`
/// for every one but created and broken, which have no remote unit.
pub fn remote_unit_note(event: &Event, unit: &UnitContext) -> Option<(&'static str, String)> {
    let (EventKind::Relation(kind), Some(relation)) = (event.kind(), &event.relation) else {
        return None;
    };
    let no_remote_unit = matches!(kind, RelationEventKind::Created | RelationEventKind::Broken);
    if event.relation_remote_unit_id.is_some() || (unit.api == Api::Scenario8 && no_remote_unit) {
        return None;
    }
    let chosen = remote_unit_id(event, relation, unit);
    let candidates = relation.remote_unit_ids(unit.api).len();
    Some(match (candidates, chosen) {
        (0, _) | (_, None) => (
            "warning",
            "remote unit ID unset; no remote unit data present. Is this a realistic scenario?"
                .to_owned(),
        ),
        (1, Some(_)) => (
            "info",
            "there's only one remote unit, so we set JUJU_REMOTE_UNIT to it, but you probably \
             should be parametrizing the event with `remote_unit_id` to be explicit."
                .to_owned(),
        ),
        (_, Some(_)) => (
            "warning",
            "remote unit ID unset, and multiple remote unit IDs are present; We will pick the \
             first one and hope for the best. You should be passing `remote_unit_id` to the \
             Event constructor."
                .to_owned(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario_model::Relation;

    fn unit() -> UnitContext {
        UnitContext {
            api: Api::Scenario5,
            ..UnitContext::new("app", 2, "3.4")
        }
    }

    fn get<'a>(env: &'a [(String, String)], k: &str) -> Option<&'a str> {
        env.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn relation_events_name_the_relation_and_remote_unit() {
        let mut rel = Relation::new("db");
        rel.remote_units_data =
            scenario_model::ApiDefault::given([(4, scenario_model::Databag::new())].into());
        let id = rel.relation_id;
        let mut event = Event::new("db-relation-departed");
        event.relation = Some(rel.into());
        let env = juju_env(&event, &State::default(), &unit(), "/charm");
        assert_eq!(get(&env, "JUJU_RELATION"), Some("db"));
        assert_eq!(get(&env, "JUJU_RELATION_ID"), Some(id.to_string().as_str()));
        assert_eq!(get(&env, "JUJU_REMOTE_APP"), Some("remote"));
        assert_eq!(get(&env, "JUJU_REMOTE_UNIT"), Some("remote/4"));
        assert_eq!(get(&env, "JUJU_DEPARTING_UNIT"), Some("remote/4"));
        assert_eq!(get(&env, "JUJU_UNIT_NAME"), Some("app/2"));
        assert_eq!(
            get(&env, "JUJU_DISPATCH_PATH"),
            Some("hooks/db-relation-departed")
        );
    }

    #[test]
    fn actions_dispatch_with_dashes() {
        let event = Event::new("do_backup_action");
        let env = juju_env(&event, &State::default(), &unit(), "/charm");
        assert_eq!(get(&env, "JUJU_ACTION_NAME"), Some("do-backup"));
        assert_eq!(get(&env, "JUJU_HOOK_NAME"), None);
    }

    #[test]
    fn ops_testing_names_an_action_s_hook_empty_and_a_custom_event_s_as_written() {
        let unit = UnitContext {
            api: Api::Scenario8,
            ..UnitContext::new("app", 0, "3.6.14")
        };
        let env = juju_env(
            &Event::new("do-backup_action"),
            &State::default(),
            &unit,
            "/charm",
        );
        assert_eq!(get(&env, "JUJU_HOOK_NAME"), Some(""));
        let env = juju_env(
            &Event::new("{custom}.Lib.db_ready"),
            &State::default(),
            &unit,
            "/charm",
        );
        assert_eq!(get(&env, "JUJU_HOOK_NAME"), Some("db_ready"));
        assert_eq!(get(&env, "JUJU_DISPATCH_PATH"), Some("hooks/db_ready"));
    }
}
