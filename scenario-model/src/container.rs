//! Workload containers: Pebble's view of them (layers, service statuses, checks, notices),
//! mounts and exec mocks.

use std::sync::atomic::{AtomicU32, Ordering};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::databag::Databag;

static NEXT_CHANGE_ID: AtomicU32 = AtomicU32::new(1);

/// The Pebble change id the next exec mock or check made without one gets. Process-wide
/// and shared by both, as Pebble numbers all its changes in one sequence.
pub fn next_change_id(update: bool) -> u32 {
    if update {
        NEXT_CHANGE_ID.fetch_add(1, Ordering::SeqCst)
    } else {
        NEXT_CHANGE_ID.load(Ordering::SeqCst)
    }
}

static NEXT_NOTICE_ID: AtomicU32 = AtomicU32::new(1);

/// The id the next Pebble notice made without one gets (Pebble's ids are decimal strings).
pub fn next_notice_id(update: bool) -> String {
    let id = if update {
        NEXT_NOTICE_ID.fetch_add(1, Ordering::SeqCst)
    } else {
        NEXT_NOTICE_ID.load(Ordering::SeqCst)
    };
    id.to_string()
}

/// A host path shown inside the container at `location`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mount {
    /// The absolute path inside the container.
    pub location: String,
    /// The host file or directory it maps to (`src` in Scenario 5, `source` in 8).
    #[serde(alias = "source")]
    pub src: String,
}

/// The mocked outcome of every command starting with `command_prefix` (the longest
/// matching prefix wins), as `ops[testing]`'s `Exec` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exec {
    pub command_prefix: Vec<String>,
    #[serde(default)]
    pub return_code: i32,
    #[serde(default)]
    pub stdout: String,
    #[serde(default)]
    pub stderr: String,
    /// The Pebble change this mocked process stands for.
    #[serde(rename = "_change_id", default)]
    pub change_id: u32,
}

/// A check's level, as a Pebble layer declares it (`""` when unset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CheckLevel {
    #[default]
    #[serde(rename = "")]
    Unset,
    Alive,
    Ready,
}

/// Whether Pebble starts a check with the plan (`""` when unset, which Pebble reads as
/// enabled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CheckStartup {
    #[serde(rename = "")]
    Unset,
    #[default]
    Enabled,
    Disabled,
}

/// Whether a check is passing (`up`), has failed `threshold` times in a row (`down`), or
/// is stopped (`inactive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    #[default]
    Up,
    Down,
    Inactive,
}

macro_rules! string_enum {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text),*
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

string_enum!(CheckLevel { Unset => "", Alive => "alive", Ready => "ready" });
string_enum!(CheckStartup { Unset => "", Enabled => "enabled", Disabled => "disabled" });
string_enum!(CheckStatus { Up => "up", Down => "down", Inactive => "inactive" });

fn default_threshold() -> u32 {
    3
}

// serde's `default = ...` takes a function returning the field's type.
#[allow(clippy::unnecessary_wraps)]
fn some_zero() -> Option<u32> {
    Some(0)
}

/// What Pebble reports of one health check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInfo {
    pub name: String,
    /// `None` when the check info leaves the level to the plan.
    #[serde(default)]
    pub level: Option<CheckLevel>,
    #[serde(default)]
    pub startup: CheckStartup,
    #[serde(default)]
    pub status: CheckStatus,
    /// `None` stands for a Pebble older than 1.23, which did not count successes.
    #[serde(default = "some_zero")]
    pub successes: Option<u32>,
    #[serde(default)]
    pub failures: u32,
    #[serde(default = "default_threshold")]
    pub threshold: u32,
    /// The Pebble change running the check; empty for an inactive check.
    #[serde(default)]
    pub change_id: String,
}

impl CheckInfo {
    /// A check that is up, with the next change id.
    pub fn new(name: impl Into<String>) -> Self {
        CheckInfo {
            name: name.into(),
            level: None,
            startup: CheckStartup::Enabled,
            status: CheckStatus::Up,
            successes: Some(0),
            failures: 0,
            threshold: default_threshold(),
            change_id: next_change_id(true).to_string(),
        }
    }
}

fn one() -> u32 {
    1
}

/// A Pebble notice: something the workload (or Pebble) recorded for the charm to see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// `domain/path` for a custom notice, such as `example.com/mycharm/backup`.
    pub key: String,
    pub id: String,
    /// The user allowed to see the notice; `None` for a public one.
    #[serde(default)]
    pub user_id: Option<u32>,
    /// `custom`, `change-update`, `warning` or `recover-check`, as Pebble names them.
    #[serde(rename = "type")]
    pub notice_type: String,
    /// RFC 3339 timestamps.
    pub first_occurred: String,
    pub last_occurred: String,
    pub last_repeated: String,
    #[serde(default = "one")]
    pub occurrences: u32,
    #[serde(default)]
    pub last_data: Databag,
    /// Seconds.
    #[serde(default)]
    pub repeat_after: Option<f64>,
    /// Seconds.
    #[serde(default)]
    pub expire_after: Option<f64>,
}

/// The mocked result of one command run with `exec`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct ExecOutput {
    #[serde(default)]
    pub return_code: i32,
    #[serde(default)]
    pub stdout: String,
    #[serde(default)]
    pub stderr: String,
}

/// A Pebble configuration object (a service, check or log target) in layer YAML form.
///
/// Kept as the raw mapping Pebble reads, so that fields this crate does not know yet
/// survive a round trip; `scenario-pebble` gives them meaning.
pub type LayerObject = serde_json::Map<String, serde_json::Value>;

/// One Pebble layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub services: IndexMap<String, LayerObject>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub checks: IndexMap<String, LayerObject>,
    #[serde(
        default,
        rename = "log-targets",
        alias = "log_targets",
        skip_serializing_if = "IndexMap::is_empty"
    )]
    pub log_targets: IndexMap<String, LayerObject>,
}

/// The fields of a layer's objects that Pebble accepts only some values for, and the values.
const LAYER_ENUMS: &[(&str, &str, &[&str])] = &[
    ("services", "override", &["merge", "replace"]),
    ("services", "startup", &["", "enabled", "disabled"]),
    (
        "services",
        "on-success",
        &[
            "",
            "restart",
            "shutdown",
            "ignore",
            "success-shutdown",
            "failure-shutdown",
        ],
    ),
    (
        "services",
        "on-failure",
        &[
            "",
            "restart",
            "shutdown",
            "ignore",
            "success-shutdown",
            "failure-shutdown",
        ],
    ),
    ("checks", "override", &["merge", "replace"]),
    ("checks", "level", &["", "alive", "ready"]),
    ("checks", "startup", &["", "enabled", "disabled"]),
    ("log-targets", "override", &["merge", "replace"]),
    ("log-targets", "type", &["loki", "opentelemetry"]),
];

/// A value Pebble refuses in a layer, found by [`Layer::problems`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerProblem {
    /// The layer's section: `services`, `checks` or `log-targets`.
    pub section: &'static str,
    /// The object of the section: the service's, check's or log target's name.
    pub name: String,
    /// The field at fault: `override`, `startup`, `level`...
    pub field: &'static str,
    /// The value given, or `None` for a missing `override`.
    pub value: Option<serde_json::Value>,
    /// The values Pebble accepts there.
    pub allowed: &'static [&'static str],
}

impl LayerProblem {
    /// Where, relative to the layer: `services['web']['override']`.
    pub fn path(&self) -> String {
        format!("{}['{}']['{}']", self.section, self.name, self.field)
    }

    /// A missing `override`: Pebble needs it in a layer it is given, though a plan's layers
    /// in a State may leave it out.
    pub fn is_missing_override(&self) -> bool {
        self.value.is_none()
    }
}

impl std::fmt::Display for LayerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let allowed: Vec<&str> = self
            .allowed
            .iter()
            .copied()
            .filter(|a| !a.is_empty())
            .collect();
        let path = self.path();
        let allowed = allowed.join(", ");
        match &self.value {
            None => write!(f, "{path} is missing: Pebble needs it, one of {allowed}"),
            Some(v) => write!(
                f,
                "{path} is {v}, which Pebble refuses: use one of {allowed}"
            ),
        }
    }
}

impl Layer {
    /// What Pebble refuses in this layer: an object without an `override` (Pebble cannot
    /// combine it), and enumerated fields with a value Pebble does not know. In the order
    /// of the sections (services, checks, log targets), then of the objects.
    pub fn problems(&self) -> Vec<LayerProblem> {
        let mut found = Vec::new();
        for (section, objects) in [
            ("services", &self.services),
            ("checks", &self.checks),
            ("log-targets", &self.log_targets),
        ] {
            for (name, obj) in objects {
                for (_, field, allowed) in LAYER_ENUMS.iter().filter(|(s, _, _)| *s == section) {
                    let value = match obj.get(*field) {
                        None | Some(serde_json::Value::Null) if *field == "override" => None,
                        None | Some(serde_json::Value::Null) => continue,
                        Some(serde_json::Value::String(v)) if allowed.contains(&v.as_str()) => {
                            continue;
                        }
                        Some(other) => Some(other.clone()),
                    };
                    found.push(LayerProblem {
                        section,
                        name: name.clone(),
                        field,
                        value,
                        allowed,
                    });
                }
            }
        }
        found
    }
}

/// The current status of a Pebble service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceStatus {
    Active,
    Inactive,
    Error,
    Backoff,
}

impl ServiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Inactive => "inactive",
            ServiceStatus::Error => "error",
            ServiceStatus::Backoff => "backoff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Inactive, Self::Error, Self::Backoff]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A workload container of a Kubernetes charm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Container {
    pub name: String,
    #[serde(default)]
    pub can_connect: bool,
    /// The plan Pebble starts with, before any layer is added.
    #[serde(default, rename = "_base_plan")]
    pub base_plan: LayerObject,
    #[serde(default)]
    pub layers: IndexMap<String, Layer>,
    /// `service_status` in Scenario 5, `service_statuses` in 8.
    #[serde(default, alias = "service_statuses")]
    pub service_status: IndexMap<String, ServiceStatus>,
    #[serde(default)]
    pub mounts: IndexMap<String, Mount>,
    /// Exec results by the exact command line.
    #[serde(default, with = "exec_mock_serde")]
    pub exec_mock: IndexMap<Vec<String>, ExecOutput>,
    /// Exec results by command prefix (`ops[testing]`'s `execs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub execs: Vec<Exec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_infos: Vec<CheckInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
}

impl Container {
    pub fn new(name: impl Into<String>) -> Self {
        Container {
            name: name.into(),
            can_connect: false,
            base_plan: LayerObject::new(),
            layers: IndexMap::new(),
            service_status: IndexMap::new(),
            mounts: IndexMap::new(),
            exec_mock: IndexMap::new(),
            execs: Vec::new(),
            check_infos: Vec::new(),
            notices: Vec::new(),
        }
    }
}

/// JSON object keys must be strings, so the exec mocks are written as a list of
/// `{command: [...], output: {...}}` entries.
mod exec_mock_serde {
    use indexmap::IndexMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::ExecOutput;

    #[derive(Serialize, Deserialize)]
    struct Entry {
        command: Vec<String>,
        #[serde(flatten)]
        output: ExecOutput,
    }

    pub fn serialize<S: Serializer>(
        map: &IndexMap<Vec<String>, ExecOutput>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let entries: Vec<Entry> = map
            .iter()
            .map(|(command, output)| Entry {
                command: command.clone(),
                output: output.clone(),
            })
            .collect();
        entries.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<IndexMap<Vec<String>, ExecOutput>, D::Error> {
        let entries = Vec::<Entry>::deserialize(d)?;
        Ok(entries.into_iter().map(|e| (e.command, e.output)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(json: serde_json::Value) -> Layer {
        serde_json::from_value(json).expect("a layer")
    }

    #[test]
    fn a_well_formed_layer_has_no_problems() {
        let l = layer(serde_json::json!({"services": {"web": {
            "override": "replace", "command": "srv", "startup": "enabled", "on-failure": "restart",
        }}, "checks": {"up": {"override": "merge", "level": "ready"}}}));
        assert_eq!(l.problems(), []);
    }

    #[test]
    fn values_pebble_refuses_are_named_by_path() {
        let l = layer(serde_json::json!({
            "services": {"web": {"override": "mrege", "startup": "on"}},
            "checks": {"up": {"level": 3}},
            "log-targets": {"loki": {"override": "replace", "type": "syslog"}},
        }));
        let found: Vec<String> = l.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "services['web']['override'] is \"mrege\", which Pebble refuses: use one of merge, replace",
                "services['web']['startup'] is \"on\", which Pebble refuses: use one of enabled, disabled",
                "checks['up']['override'] is missing: Pebble needs it, one of merge, replace",
                "checks['up']['level'] is 3, which Pebble refuses: use one of alive, ready",
                "log-targets['loki']['type'] is \"syslog\", which Pebble refuses: use one of loki, opentelemetry",
            ]
        );
        assert!(l.problems()[2].is_missing_override());
        assert!(!l.problems()[0].is_missing_override());
    }
}
