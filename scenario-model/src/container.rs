//! Workload containers: Pebble's view of them (layers, service statuses), mounts and exec mocks.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A host path shown inside the container at `location`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mount {
    /// The absolute path inside the container.
    pub location: String,
    /// The host file or directory it maps to.
    pub src: String,
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
pub struct Container {
    pub name: String,
    #[serde(default)]
    pub can_connect: bool,
    /// The plan Pebble starts with, before any layer is added.
    #[serde(default, rename = "_base_plan")]
    pub base_plan: LayerObject,
    #[serde(default)]
    pub layers: IndexMap<String, Layer>,
    #[serde(default)]
    pub service_status: IndexMap<String, ServiceStatus>,
    #[serde(default)]
    pub mounts: IndexMap<String, Mount>,
    /// Exec results by the exact command line.
    #[serde(default, with = "exec_mock_serde")]
    pub exec_mock: IndexMap<Vec<String>, ExecOutput>,
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
