//! Errors of the model crate: reading specs and states from disk or text.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ModelError {
    #[error(
        "no charm metadata found in {charm_root}: expected metadata.yaml or a charmcraft.yaml with `type: charm` and a name"
    )]
    MetadataNotFound { charm_root: String },
    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid YAML in {path}")]
    Yaml {
        path: String,
        #[source]
        source: serde_yaml::Error,
    },
    #[error("invalid state JSON")]
    Json(#[from] serde_json::Error),
    #[error("invalid state YAML")]
    StateYaml(#[from] serde_yaml::Error),
}
