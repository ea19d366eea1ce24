//! StoredState content as ops persists it between hooks.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::value::Value;

fn default_name() -> String {
    "_stored".to_owned()
}

fn default_data_type_name() -> String {
    "StoredStateData".to_owned()
}

/// The content of one `StoredState` attribute of the charm or of one of its objects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredState {
    /// The handle path of the object owning the attribute (`MyCharm`, `MyCharm/lib`),
    /// or `None` for the framework's own stored state.
    pub owner_path: Option<String>,
    #[serde(default = "default_name")]
    pub name: String,
    #[serde(default)]
    pub content: IndexMap<String, Value>,
    #[serde(default = "default_data_type_name")]
    pub data_type_name: String,
}

impl StoredState {
    pub fn new(owner_path: Option<String>, name: impl Into<String>) -> Self {
        StoredState {
            owner_path,
            name: name.into(),
            content: IndexMap::new(),
            data_type_name: default_data_type_name(),
        }
    }

    /// The handle path ops saves the snapshot under: `<owner>/StoredStateData[<name>]`.
    ///
    /// The framework's own state (no owner) lives at `StoredStateData[_stored]`, without
    /// the leading slash Scenario 5 gave it.
    pub fn handle_path(&self) -> String {
        match &self.owner_path {
            Some(owner) => format!("{owner}/{}[{}]", self.data_type_name, self.name),
            None => format!("{}[{}]", self.data_type_name, self.name),
        }
    }
}
