//! The Juju model the unit lives in.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A Juju model: its name, uuid and type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Model {
    pub name: String,
    pub uuid: String,
    #[serde(rename = "type")]
    pub model_type: String,
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
                }
            })
            .clone()
    }
}
