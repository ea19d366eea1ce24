//! Relations: regular, peer and subordinate, and the process-wide relation id counter.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

use crate::databag::{Databag, UnitDatabags};

static NEXT_RELATION_ID: AtomicU32 = AtomicU32::new(1);

/// The id the next relation made without one gets; with `update` the counter moves on.
///
/// Like Juju, ids are unique per model; like Scenario 5, the counter is process-wide
/// and starts at 1.
pub fn next_relation_id(update: bool) -> u32 {
    if update {
        NEXT_RELATION_ID.fetch_add(1, Ordering::SeqCst)
    } else {
        NEXT_RELATION_ID.load(Ordering::SeqCst)
    }
}

fn default_remote_app_name() -> String {
    "remote".to_owned()
}

fn default_remote_units() -> UnitDatabags {
    UnitDatabags::from([(0, Databag::new())])
}

fn default_limit() -> u32 {
    1
}

/// A relation between this application and a remote one, on one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub endpoint: String,
    #[serde(default)]
    pub interface: Option<String>,
    pub relation_id: u32,
    #[serde(default)]
    pub local_app_data: Databag,
    #[serde(default)]
    pub local_unit_data: Databag,
    #[serde(default = "default_remote_app_name")]
    pub remote_app_name: String,
    #[serde(default = "default_limit")]
    pub limit: u32,
    #[serde(default)]
    pub remote_app_data: Databag,
    #[serde(default = "default_remote_units")]
    pub remote_units_data: UnitDatabags,
}

impl Relation {
    /// A relation on `endpoint` with the defaults: remote app `remote` with one unit `remote/0`.
    pub fn new(endpoint: impl Into<String>) -> Self {
        Relation {
            endpoint: endpoint.into(),
            interface: None,
            relation_id: next_relation_id(true),
            local_app_data: Databag::new(),
            local_unit_data: Databag::new(),
            remote_app_name: default_remote_app_name(),
            limit: 1,
            remote_app_data: Databag::new(),
            remote_units_data: default_remote_units(),
        }
    }
}

/// A relation of this application with itself: every other unit is a peer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerRelation {
    pub endpoint: String,
    #[serde(default)]
    pub interface: Option<String>,
    pub relation_id: u32,
    #[serde(default)]
    pub local_app_data: Databag,
    #[serde(default)]
    pub local_unit_data: Databag,
    #[serde(default = "default_remote_units")]
    pub peers_data: UnitDatabags,
}

impl PeerRelation {
    pub fn new(endpoint: impl Into<String>) -> Self {
        PeerRelation {
            endpoint: endpoint.into(),
            interface: None,
            relation_id: next_relation_id(true),
            local_app_data: Databag::new(),
            local_unit_data: Databag::new(),
            peers_data: default_remote_units(),
        }
    }
}

/// A relation to the principal (or a subordinate) unit on a `scope: container` endpoint:
/// exactly one remote unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubordinateRelation {
    pub endpoint: String,
    #[serde(default)]
    pub interface: Option<String>,
    pub relation_id: u32,
    #[serde(default)]
    pub local_app_data: Databag,
    #[serde(default)]
    pub local_unit_data: Databag,
    #[serde(default)]
    pub remote_app_data: Databag,
    #[serde(default)]
    pub remote_unit_data: Databag,
    #[serde(default = "default_remote_app_name")]
    pub remote_app_name: String,
    #[serde(default)]
    pub remote_unit_id: u32,
}

impl SubordinateRelation {
    pub fn new(endpoint: impl Into<String>) -> Self {
        SubordinateRelation {
            endpoint: endpoint.into(),
            interface: None,
            relation_id: next_relation_id(true),
            local_app_data: Databag::new(),
            local_unit_data: Databag::new(),
            remote_app_data: Databag::new(),
            remote_unit_data: Databag::new(),
            remote_app_name: default_remote_app_name(),
            remote_unit_id: 0,
        }
    }

    /// `"<remote app>/<remote unit id>"`.
    pub fn remote_unit_name(&self) -> String {
        format!("{}/{}", self.remote_app_name, self.remote_unit_id)
    }
}

/// Any of the three relation kinds, each shared so an unchanged relation costs nothing to copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnyRelation {
    Regular(Arc<Relation>),
    Peer(Arc<PeerRelation>),
    Subordinate(Arc<SubordinateRelation>),
}

/// Which databag of a relation a hook tool addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabagOwner {
    LocalApp,
    LocalUnit,
    RemoteApp,
    RemoteUnit(u32),
}

macro_rules! each_kind {
    ($self:expr, $r:ident => $body:expr) => {
        match $self {
            AnyRelation::Regular($r) => $body,
            AnyRelation::Peer($r) => $body,
            AnyRelation::Subordinate($r) => $body,
        }
    };
}

impl AnyRelation {
    pub fn endpoint(&self) -> &str {
        each_kind!(self, r => &r.endpoint)
    }

    pub fn relation_id(&self) -> u32 {
        each_kind!(self, r => r.relation_id)
    }

    pub fn interface(&self) -> Option<&str> {
        each_kind!(self, r => r.interface.as_deref())
    }

    /// The Python class name, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            AnyRelation::Regular(_) => "Relation",
            AnyRelation::Peer(_) => "PeerRelation",
            AnyRelation::Subordinate(_) => "SubordinateRelation",
        }
    }

    /// The remote application, or `None` for a peer relation (whose remote app is this one).
    pub fn remote_app_name(&self) -> Option<&str> {
        match self {
            AnyRelation::Regular(r) => Some(&r.remote_app_name),
            AnyRelation::Peer(_) => None,
            AnyRelation::Subordinate(r) => Some(&r.remote_app_name),
        }
    }

    /// The ids of the remote units (of the peers, for a peer relation), in order.
    pub fn remote_unit_ids(&self) -> Vec<u32> {
        match self {
            AnyRelation::Regular(r) => r.remote_units_data.keys().copied().collect(),
            AnyRelation::Peer(r) => r.peers_data.keys().copied().collect(),
            AnyRelation::Subordinate(r) => vec![r.remote_unit_id],
        }
    }

    /// Read one databag; `None` when the relation has no such bag (an unknown remote unit,
    /// or remote app data on a peer relation).
    pub fn databag(&self, owner: DatabagOwner) -> Option<&Databag> {
        match (self, owner) {
            (_, DatabagOwner::LocalApp) => Some(each_kind!(self, r => &r.local_app_data)),
            (_, DatabagOwner::LocalUnit) => Some(each_kind!(self, r => &r.local_unit_data)),
            (AnyRelation::Regular(r), DatabagOwner::RemoteApp) => Some(&r.remote_app_data),
            (AnyRelation::Subordinate(r), DatabagOwner::RemoteApp) => Some(&r.remote_app_data),
            // The peer "remote app" is this app.
            (AnyRelation::Peer(r), DatabagOwner::RemoteApp) => Some(&r.local_app_data),
            (AnyRelation::Regular(r), DatabagOwner::RemoteUnit(id)) => r.remote_units_data.get(&id),
            (AnyRelation::Peer(r), DatabagOwner::RemoteUnit(id)) => r.peers_data.get(&id),
            (AnyRelation::Subordinate(r), DatabagOwner::RemoteUnit(id)) => {
                (r.remote_unit_id == id).then_some(&r.remote_unit_data)
            }
        }
    }

    /// Mutable access to a local databag, cloning this relation only if it is shared.
    pub fn local_databag_mut(&mut self, app: bool) -> &mut Databag {
        each_kind!(self, r => {
            let r = Arc::make_mut(r);
            if app { &mut r.local_app_data } else { &mut r.local_unit_data }
        })
    }

    /// Every databag with a label naming it, for validation messages.
    pub fn databags(&self) -> Vec<(String, &Databag)> {
        let mut bags: Vec<(String, &Databag)> = vec![
            (
                "local_app_data".into(),
                each_kind!(self, r => &r.local_app_data),
            ),
            (
                "local_unit_data".into(),
                each_kind!(self, r => &r.local_unit_data),
            ),
        ];
        match self {
            AnyRelation::Regular(r) => {
                bags.push(("remote_app_data".into(), &r.remote_app_data));
                bags.extend(
                    r.remote_units_data
                        .iter()
                        .map(|(id, b)| (format!("remote_units_data[{id}]"), b)),
                );
            }
            AnyRelation::Peer(r) => {
                bags.extend(
                    r.peers_data
                        .iter()
                        .map(|(id, b)| (format!("peers_data[{id}]"), b)),
                );
            }
            AnyRelation::Subordinate(r) => {
                bags.push(("remote_app_data".into(), &r.remote_app_data));
                bags.push(("remote_unit_data".into(), &r.remote_unit_data));
            }
        }
        bags
    }
}

impl From<Relation> for AnyRelation {
    fn from(r: Relation) -> Self {
        AnyRelation::Regular(Arc::new(r))
    }
}
impl From<PeerRelation> for AnyRelation {
    fn from(r: PeerRelation) -> Self {
        AnyRelation::Peer(Arc::new(r))
    }
}
impl From<SubordinateRelation> for AnyRelation {
    fn from(r: SubordinateRelation) -> Self {
        AnyRelation::Subordinate(Arc::new(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_handed_out_in_order() {
        let next = next_relation_id(false);
        let r = Relation::new("foo");
        assert!(r.relation_id >= next);
        assert!(next_relation_id(false) > r.relation_id);
    }

    #[test]
    fn subordinate_remote_unit_is_matched_by_value() {
        // Scenario 5 compared ids with `is`, so ids above 256 never matched.
        let mut s = SubordinateRelation::new("sub");
        s.remote_unit_id = 1000;
        s.remote_unit_data.insert("k".into(), "v".into());
        let any = AnyRelation::from(s);
        assert_eq!(
            any.databag(DatabagOwner::RemoteUnit(1000))
                .and_then(|b| b.get("k")),
            Some(&"v".to_owned())
        );
        assert_eq!(any.databag(DatabagOwner::RemoteUnit(1)), None);
    }

    #[test]
    fn writing_a_shared_relation_leaves_the_original_alone() {
        let original = AnyRelation::from(Relation::new("foo"));
        let mut copy = original.clone();
        copy.local_databag_mut(false).insert("a".into(), "b".into());
        assert!(
            original
                .databag(DatabagOwner::LocalUnit)
                .unwrap()
                .is_empty()
        );
        assert_eq!(copy.databag(DatabagOwner::LocalUnit).unwrap().len(), 1);
    }
}
