//! Workload statuses of the unit and the application, as Juju names them.

use serde::{Deserialize, Serialize};

/// The status names Juju knows. `error` and `unknown` can be read but ops refuses to set them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum StatusName {
    Active,
    Blocked,
    Maintenance,
    Waiting,
    Error,
    #[default]
    Unknown,
}

impl StatusName {
    pub const ALL: [StatusName; 6] = [
        StatusName::Active,
        StatusName::Blocked,
        StatusName::Maintenance,
        StatusName::Waiting,
        StatusName::Error,
        StatusName::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusName::Active => "active",
            StatusName::Blocked => "blocked",
            StatusName::Maintenance => "maintenance",
            StatusName::Waiting => "waiting",
            StatusName::Error => "error",
            StatusName::Unknown => "unknown",
        }
    }

    pub fn parse(name: &str) -> Option<StatusName> {
        StatusName::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The status of the unit or of the application: a name and a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EntityStatus {
    pub name: StatusName,
    #[serde(default)]
    pub message: String,
}

impl EntityStatus {
    pub fn new(name: StatusName, message: impl Into<String>) -> Self {
        EntityStatus {
            name,
            message: message.into(),
        }
    }
}
