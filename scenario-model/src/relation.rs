//! Relations: regular, peer and subordinate, and the process-wide relation id counter.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

use crate::api::{Api, ApiDefault, Peers, RemoteUnits, UnitBag};
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

fn default_limit() -> u32 {
    1
}

/// A relation between this application and a remote one, on one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub endpoint: String,
    #[serde(default)]
    pub interface: Option<String>,
    #[serde(alias = "id")]
    pub relation_id: u32,
    #[serde(default)]
    pub local_app_data: Databag,
    #[serde(default, skip_serializing_if = "ApiDefault::is_unset")]
    pub local_unit_data: ApiDefault<UnitBag>,
    #[serde(default = "default_remote_app_name")]
    pub remote_app_name: String,
    #[serde(default = "default_limit")]
    pub limit: u32,
    #[serde(default)]
    pub remote_app_data: Databag,
    #[serde(default, skip_serializing_if = "ApiDefault::is_unset")]
    pub remote_units_data: ApiDefault<RemoteUnits>,
    /// The remote application's model, when it is not this one (a cross-model relation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_model_uuid: Option<String>,
}

impl Relation {
    /// A relation on `endpoint` with the defaults: remote app `remote` with one unit `remote/0`.
    pub fn new(endpoint: impl Into<String>) -> Self {
        Relation {
            endpoint: endpoint.into(),
            interface: None,
            relation_id: next_relation_id(true),
            local_app_data: Databag::new(),
            local_unit_data: ApiDefault::UNSET,
            remote_app_name: default_remote_app_name(),
            limit: 1,
            remote_app_data: Databag::new(),
            remote_units_data: ApiDefault::UNSET,
            remote_model_uuid: None,
        }
    }
}

/// A relation of this application with itself: every other unit is a peer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerRelation {
    pub endpoint: String,
    #[serde(default)]
    pub interface: Option<String>,
    #[serde(alias = "id")]
    pub relation_id: u32,
    #[serde(default)]
    pub local_app_data: Databag,
    #[serde(default, skip_serializing_if = "ApiDefault::is_unset")]
    pub local_unit_data: ApiDefault<UnitBag>,
    #[serde(default, skip_serializing_if = "ApiDefault::is_unset")]
    pub peers_data: ApiDefault<Peers>,
}

impl PeerRelation {
    pub fn new(endpoint: impl Into<String>) -> Self {
        PeerRelation {
            endpoint: endpoint.into(),
            interface: None,
            relation_id: next_relation_id(true),
            local_app_data: Databag::new(),
            local_unit_data: ApiDefault::UNSET,
            peers_data: ApiDefault::UNSET,
        }
    }
}

/// A relation to the principal (or a subordinate) unit on a `scope: container` endpoint:
/// exactly one remote unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubordinateRelation {
    pub endpoint: String,
    #[serde(default)]
    pub interface: Option<String>,
    #[serde(alias = "id")]
    pub relation_id: u32,
    #[serde(default)]
    pub local_app_data: Databag,
    #[serde(default, skip_serializing_if = "ApiDefault::is_unset")]
    pub local_unit_data: ApiDefault<UnitBag>,
    #[serde(default)]
    pub remote_app_data: Databag,
    #[serde(default, skip_serializing_if = "ApiDefault::is_unset")]
    pub remote_unit_data: ApiDefault<UnitBag>,
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
            local_unit_data: ApiDefault::UNSET,
            remote_app_data: Databag::new(),
            remote_unit_data: ApiDefault::UNSET,
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

impl DatabagOwner {
    /// Whether the other side of the relation writes this databag.
    pub fn is_remote(self) -> bool {
        matches!(self, DatabagOwner::RemoteApp | DatabagOwner::RemoteUnit(_))
    }
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

    /// The ids of the remote units (of the peers, for a peer relation), in order, as
    /// `api` reads an unset default.
    pub fn remote_unit_ids(&self, api: Api) -> Vec<u32> {
        match self {
            AnyRelation::Regular(r) => r.remote_units_data.get(api).keys().copied().collect(),
            AnyRelation::Peer(r) => r.peers_data.get(api).keys().copied().collect(),
            AnyRelation::Subordinate(r) => vec![r.remote_unit_id],
        }
    }

    /// Read one databag as `api` reads an unset default; `None` when the relation has no
    /// such bag (an unknown remote unit, or remote app data on a peer relation).
    pub fn databag(&self, owner: DatabagOwner, api: Api) -> Option<Cow<'_, Databag>> {
        match (self, owner) {
            (_, DatabagOwner::LocalApp) => {
                Some(Cow::Borrowed(each_kind!(self, r => &r.local_app_data)))
            }
            (_, DatabagOwner::LocalUnit) => Some(each_kind!(self, r => r.local_unit_data.get(api))),
            (AnyRelation::Regular(r), DatabagOwner::RemoteApp) => {
                Some(Cow::Borrowed(&r.remote_app_data))
            }
            (AnyRelation::Subordinate(r), DatabagOwner::RemoteApp) => {
                Some(Cow::Borrowed(&r.remote_app_data))
            }
            // The peer "remote app" is this app.
            (AnyRelation::Peer(r), DatabagOwner::RemoteApp) => {
                Some(Cow::Borrowed(&r.local_app_data))
            }
            (AnyRelation::Regular(r), DatabagOwner::RemoteUnit(id)) => {
                one_unit(r.remote_units_data.get(api), id)
            }
            (AnyRelation::Peer(r), DatabagOwner::RemoteUnit(id)) => {
                one_unit(r.peers_data.get(api), id)
            }
            (AnyRelation::Subordinate(r), DatabagOwner::RemoteUnit(id)) => {
                (r.remote_unit_id == id).then(|| r.remote_unit_data.get(api))
            }
        }
    }

    /// Mutable access to a local databag, cloning this relation only if it is shared; an
    /// unset unit databag first becomes `api`'s default.
    pub fn local_databag_mut(&mut self, app: bool, api: Api) -> &mut Databag {
        each_kind!(self, r => {
            let r = Arc::make_mut(r);
            if app { &mut r.local_app_data } else { r.local_unit_data.make_mut(api) }
        })
    }

    /// Every databag given (unset defaults are valid by construction), with a label naming
    /// it, for validation messages.
    pub fn databags(&self) -> Vec<(String, &Databag)> {
        let mut bags: Vec<(String, &Databag)> = vec![(
            "local_app_data".into(),
            each_kind!(self, r => &r.local_app_data),
        )];
        if let Some(b) = each_kind!(self, r => r.local_unit_data.given_value()) {
            bags.push(("local_unit_data".into(), b));
        }
        match self {
            AnyRelation::Regular(r) => {
                bags.push(("remote_app_data".into(), &r.remote_app_data));
                bags.extend(labelled_units(
                    "remote_units_data",
                    r.remote_units_data.given_value(),
                ));
            }
            AnyRelation::Peer(r) => {
                bags.extend(labelled_units("peers_data", r.peers_data.given_value()));
            }
            AnyRelation::Subordinate(r) => {
                bags.push(("remote_app_data".into(), &r.remote_app_data));
                if let Some(b) = r.remote_unit_data.given_value() {
                    bags.push(("remote_unit_data".into(), b));
                }
            }
        }
        bags
    }
}

fn labelled_units<'a>(
    name: &str,
    units: Option<&'a UnitDatabags>,
) -> impl Iterator<Item = (String, &'a Databag)> {
    units
        .into_iter()
        .flatten()
        .map(move |(id, b)| (format!("{name}[{id}]"), b))
}

fn one_unit(units: Cow<'_, UnitDatabags>, id: u32) -> Option<Cow<'_, Databag>> {
    match units {
        Cow::Borrowed(units) => units.get(&id).map(Cow::Borrowed),
        Cow::Owned(mut units) => units.swap_remove(&id).map(Cow::Owned),
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
        s.remote_unit_data = ApiDefault::given(Databag::from([("k".into(), "v".into())]));
        let any = AnyRelation::from(s);
        assert_eq!(
            any.databag(DatabagOwner::RemoteUnit(1000), Api::Scenario5)
                .and_then(|b| b.get("k").cloned()),
            Some("v".to_owned())
        );
        assert_eq!(
            any.databag(DatabagOwner::RemoteUnit(1), Api::Scenario5),
            None
        );
    }

    #[test]
    fn writing_a_shared_relation_leaves_the_original_alone() {
        let original = AnyRelation::from(Relation::new("foo"));
        let mut copy = original.clone();
        copy.local_databag_mut(false, Api::Scenario5)
            .insert("a".into(), "b".into());
        assert!(
            original
                .databag(DatabagOwner::LocalUnit, Api::Scenario5)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            copy.databag(DatabagOwner::LocalUnit, Api::Scenario5)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_relations_unit_bags_read_as_the_api_reads_them() {
        let r = AnyRelation::from(Relation::new("db"));
        let local = |api| r.databag(DatabagOwner::LocalUnit, api).unwrap().len();
        assert_eq!((local(Api::Scenario5), local(Api::Scenario8)), (0, 3));
        let remote = |api| r.databag(DatabagOwner::RemoteUnit(0), api).unwrap().len();
        assert_eq!((remote(Api::Scenario5), remote(Api::Scenario8)), (0, 3));
        let peers = AnyRelation::from(PeerRelation::new("cluster"));
        assert_eq!(peers.remote_unit_ids(Api::Scenario5), [0]);
        assert!(peers.remote_unit_ids(Api::Scenario8).is_empty());
    }
}
