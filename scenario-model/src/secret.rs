//! Juju secrets: contents by revision, ownership, grants.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::databag::Databag;

/// Who owns a secret, from this unit's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretOwner {
    Unit,
    #[serde(alias = "application")]
    App,
}

/// To whom a secret owned elsewhere was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretGrant {
    Unit,
    App,
}

/// How often Juju asks the owner to rotate a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SecretRotate {
    #[default]
    Never,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl SecretRotate {
    pub const ALL: [SecretRotate; 7] = [
        Self::Never,
        Self::Hourly,
        Self::Daily,
        Self::Weekly,
        Self::Monthly,
        Self::Quarterly,
        Self::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Hourly => "hourly",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A secret this unit can see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    pub id: String,
    /// The content of each revision.
    pub contents: IndexMap<u32, Databag>,
    #[serde(default)]
    pub owner: Option<SecretOwner>,
    #[serde(default)]
    pub granted: Option<SecretGrant>,
    /// The revision this unit tracks.
    #[serde(default)]
    pub revision: u32,
    /// Relation id to the names of the apps or units granted access over it.
    #[serde(default)]
    pub remote_grants: IndexMap<u32, Vec<String>>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Expiry as an ISO 8601 timestamp.
    #[serde(default)]
    pub expire: Option<String>,
    #[serde(default)]
    pub rotate: Option<SecretRotate>,
}

impl Secret {
    pub fn new(id: impl Into<String>, contents: IndexMap<u32, Databag>) -> Self {
        Secret {
            id: id.into(),
            contents,
            owner: None,
            granted: None,
            revision: 0,
            remote_grants: IndexMap::new(),
            label: None,
            description: None,
            expire: None,
            rotate: Some(SecretRotate::Never),
        }
    }

    /// The id in ops's canonical form, with the `secret:` prefix.
    pub fn canonical_id(&self) -> String {
        canonicalize_secret_id(&self.id)
    }
}

/// A fresh secret id as Juju makes them: `secret:` and 20 lowercase alphanumerics.
pub fn generate_secret_id() -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let random = uuid::Uuid::new_v4();
    let more = uuid::Uuid::new_v4();
    let id: String = random
        .as_bytes()
        .iter()
        .chain(more.as_bytes())
        .take(20)
        .map(|b| alphabet[usize::from(*b) % alphabet.len()] as char)
        .collect();
    format!("secret:{id}")
}

/// The bare id a secret URI names: `foo` for `foo`, `secret:foo` and
/// `secret://<model uuid>/foo` (the form ops 3 gives a bare id).
pub fn bare_secret_id(id: &str) -> &str {
    let id = id.trim();
    let rest = id.strip_prefix("secret:").unwrap_or(id);
    match rest.strip_prefix("//") {
        Some(qualified) => qualified.rsplit('/').next().unwrap_or(qualified),
        None => rest,
    }
}

/// Add the `secret:` prefix where it is missing, as ops does.
pub fn canonicalize_secret_id(id: &str) -> String {
    let id = id.trim();
    if id.starts_with("secret:") {
        id.to_owned()
    } else {
        format!("secret:{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_an_id_names_the_same_secret() {
        for form in [
            "foo",
            "secret:foo",
            "secret://0c4e-uuid/foo",
            " secret:foo ",
        ] {
            assert_eq!(bare_secret_id(form), "foo", "{form}");
        }
        assert_eq!(canonicalize_secret_id("foo"), "secret:foo");
    }
}
