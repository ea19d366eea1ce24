//! The Juju model the unit lives in.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use indexmap::IndexMap;

/// The credential of a cloud, as `credential-get` gives it to a trusted charm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudCredential {
    pub auth_type: String,
    #[serde(default)]
    pub attributes: IndexMap<String, String>,
    #[serde(default)]
    pub redacted: Vec<String>,
}

/// The cloud a model runs on, as `credential-get` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudSpec {
    #[serde(rename = "type")]
    pub cloud_type: String,
    #[serde(default = "localhost")]
    pub name: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub identity_endpoint: Option<String>,
    #[serde(default)]
    pub storage_endpoint: Option<String>,
    #[serde(default)]
    pub credential: Option<CloudCredential>,
    #[serde(default)]
    pub ca_certificates: Vec<String>,
    #[serde(default)]
    pub skip_tls_verify: bool,
    #[serde(default)]
    pub is_controller_cloud: bool,
}

fn localhost() -> String {
    "localhost".to_owned()
}

/// A Juju model: its name, uuid and type, and the cloud it runs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub name: String,
    pub uuid: String,
    #[serde(rename = "type")]
    pub model_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_spec: Option<CloudSpec>,
}

impl Default for Model {
    /// One random name and uuid per process, so every defaulted State is in the same model.
    fn default() -> Self {
        static DEFAULT: OnceLock<Model> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                let uuid = uuid::Uuid::new_v4();
                // 20 lowercase alphanumerics drawn from a second random uuid.
                let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
                let name = uuid::Uuid::new_v4()
                    .as_bytes()
                    .iter()
                    .chain(uuid.as_bytes())
                    .take(20)
                    .map(|b| alphabet[usize::from(*b) % alphabet.len()] as char)
                    .collect();
                Model {
                    name,
                    uuid: uuid.to_string(),
                    model_type: "kubernetes".to_owned(),
                    cloud_spec: None,
                }
            })
            .clone()
    }
}
