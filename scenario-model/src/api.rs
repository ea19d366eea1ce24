//! The two testing APIs one model serves, and the fields whose default differs between them.
//!
//! Scenario 5 (`ctx.run("start", State(...))`) and `ops[testing]` (Scenario 7/8,
//! `ctx.run(ctx.on.start(), State(...))`) describe the same Juju state, but a few defaults
//! differ: a relation's own unit databag is empty in 5 and holds Juju's three default keys
//! in 8; a peer relation has one peer (`{0: {}}`) in 5 and none in 8. A test never says
//! which API it speaks when it builds a `Relation("db")`, so such a field stays *unset*
//! until something reads it through an API: a run (the API of its event) or a getter (the
//! API its State came from). Two values are equal when they read the same under some API.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::databag::{Databag, UnitDatabags};

/// Which testing API a run (or a State) speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Api {
    /// ops-scenario 5.x: `ctx.run("start", state)`, `run_action`, `ctx.manager`.
    Scenario5,
    /// `ops[testing]` (ops-scenario 7 and 8): `ctx.run(ctx.on.start(), state)`. A value not
    /// yet read through either API reads as this one, the API charm authors write today.
    #[default]
    Scenario8,
}

impl Api {
    pub const BOTH: [Api; 2] = [Api::Scenario5, Api::Scenario8];

    /// The Juju version a run simulates when the test names none: what each original
    /// defaulted to (ops-scenario 5.8.1: 3.0; 8.9: 3.6.14).
    pub fn default_juju_version(self) -> &'static str {
        match self {
            Api::Scenario5 => "3.0",
            Api::Scenario8 => "3.6.14",
        }
    }
}

/// The address Juju's default databag keys and default networks use (TEST-NET-1).
pub const DEFAULT_ADDRESS: &str = "192.0.2.0";

/// The databag Juju gives a unit on a relation before anything writes to it.
pub fn juju_default_unit_databag() -> Databag {
    ["egress-subnets", "ingress-address", "private-address"]
        .into_iter()
        .map(|k| (k.to_owned(), DEFAULT_ADDRESS.to_owned()))
        .collect()
}

/// How one kind of field defaults in each API.
pub trait PerApi {
    type Value: Clone + PartialEq + fmt::Debug;
    fn default_for(api: Api) -> Self::Value;
}

/// A unit's own databag: empty in Scenario 5, Juju's default keys in Scenario 8.
#[derive(Debug)]
pub enum UnitBag {}

impl PerApi for UnitBag {
    type Value = Databag;
    fn default_for(api: Api) -> Databag {
        match api {
            Api::Scenario5 => Databag::new(),
            Api::Scenario8 => juju_default_unit_databag(),
        }
    }
}

/// A regular relation's remote units: one unit 0, with the API's unit databag.
#[derive(Debug)]
pub enum RemoteUnits {}

impl PerApi for RemoteUnits {
    type Value = UnitDatabags;
    fn default_for(api: Api) -> UnitDatabags {
        UnitDatabags::from([(0, UnitBag::default_for(api))])
    }
}

/// A peer relation's peers: unit 0 in Scenario 5, none in Scenario 8.
#[derive(Debug)]
pub enum Peers {}

impl PerApi for Peers {
    type Value = UnitDatabags;
    fn default_for(api: Api) -> UnitDatabags {
        match api {
            Api::Scenario5 => UnitDatabags::from([(0, Databag::new())]),
            Api::Scenario8 => UnitDatabags::new(),
        }
    }
}

/// A field that is either given, or unset and read as the default of whichever API reads it.
pub struct ApiDefault<D: PerApi> {
    value: Option<D::Value>,
    kind: PhantomData<D>,
}

impl<D: PerApi> ApiDefault<D> {
    pub const UNSET: Self = ApiDefault {
        value: None,
        kind: PhantomData,
    };

    pub fn given(value: D::Value) -> Self {
        ApiDefault {
            value: Some(value),
            kind: PhantomData,
        }
    }

    pub fn is_unset(&self) -> bool {
        self.value.is_none()
    }

    /// The value as `api` reads it.
    pub fn get(&self, api: Api) -> Cow<'_, D::Value> {
        match &self.value {
            Some(v) => Cow::Borrowed(v),
            None => Cow::Owned(D::default_for(api)),
        }
    }

    /// The value given, if any.
    pub fn given_value(&self) -> Option<&D::Value> {
        self.value.as_ref()
    }

    /// Mutable access, first fixing an unset value to `api`'s default.
    pub fn make_mut(&mut self, api: Api) -> &mut D::Value {
        self.value.get_or_insert_with(|| D::default_for(api))
    }
}

/// Collecting gives a value (`peers_data = ids.map(|i| (i, bag)).collect()`).
impl<D: PerApi, A> FromIterator<A> for ApiDefault<D>
where
    D::Value: FromIterator<A>,
{
    fn from_iter<I: IntoIterator<Item = A>>(iter: I) -> Self {
        Self::given(iter.into_iter().collect())
    }
}

impl<D: PerApi> Default for ApiDefault<D> {
    fn default() -> Self {
        Self::UNSET
    }
}

impl<D: PerApi> Clone for ApiDefault<D> {
    fn clone(&self) -> Self {
        ApiDefault {
            value: self.value.clone(),
            kind: PhantomData,
        }
    }
}

impl<D: PerApi> fmt::Debug for ApiDefault<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => v.fmt(f),
            None => f.write_str("<API default>"),
        }
    }
}

/// Equal when both are unset, both given and equal, or when the given one is what the
/// unset one reads as under one of the APIs.
impl<D: PerApi> PartialEq for ApiDefault<D> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.value, &other.value) {
            (None, None) => true,
            (Some(a), Some(b)) => a == b,
            (None, Some(v)) | (Some(v), None) => {
                Api::BOTH.iter().any(|api| *v == D::default_for(*api))
            }
        }
    }
}

impl<D: PerApi> Serialize for ApiDefault<D>
where
    D::Value: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<'de, D: PerApi> Deserialize<'de> for ApiDefault<D>
where
    D::Value: Deserialize<'de>,
{
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        Ok(ApiDefault {
            value: Option::deserialize(d)?,
            kind: PhantomData,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_bag_reads_as_each_apis_default() {
        let bag = ApiDefault::<UnitBag>::UNSET;
        assert!(bag.get(Api::Scenario5).is_empty());
        assert_eq!(
            bag.get(Api::Scenario8)
                .get("private-address")
                .map(String::as_str),
            Some(DEFAULT_ADDRESS)
        );
    }

    #[test]
    fn unset_equals_what_some_api_reads() {
        let unset = ApiDefault::<UnitBag>::UNSET;
        assert_eq!(unset, ApiDefault::given(Databag::new()));
        assert_eq!(unset, ApiDefault::given(juju_default_unit_databag()));
        let other = ApiDefault::<UnitBag>::given(Databag::from([("k".into(), "v".into())]));
        assert_ne!(unset, other);
        assert_ne!(
            ApiDefault::<UnitBag>::given(Databag::new()),
            ApiDefault::given(juju_default_unit_databag())
        );
    }

    #[test]
    fn writing_fixes_the_default_of_the_writer() {
        let mut peers = ApiDefault::<Peers>::UNSET;
        peers.make_mut(Api::Scenario5).insert(1, Databag::new());
        let keys: Vec<u32> = peers.get(Api::Scenario8).keys().copied().collect();
        assert_eq!(keys, [0, 1]);
    }

    #[test]
    fn unset_is_left_out_of_json_and_comes_back_unset() {
        let text = serde_json::to_string(&ApiDefault::<UnitBag>::UNSET).unwrap();
        assert_eq!(text, "null");
        let back: ApiDefault<UnitBag> = serde_json::from_str(&text).unwrap();
        assert!(back.is_unset());
    }
}
