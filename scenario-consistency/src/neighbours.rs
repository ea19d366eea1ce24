//! States near a given one, as the charm's metadata allows: what fuzzing explores around a
//! State a test already runs.
//!
//! A walk starts at a test's State and takes steps ([`Mutation`]s): leadership flipped,
//! config values across each option's type and unset, relations added (over an endpoint's
//! limit too) and removed, databags emptied (as nobody wrote them yet), a remote
//! application's databags holding odd values under the keys the charm reads, remote units
//! added and removed, containers that cannot connect or miss a layer or
//! a mount, secrets removed, revised or revoked, storage attached and detached, other
//! planned units, deferred events and stored state dropped. The event's own relation,
//! container, secret and storage stay. Each step is kept only if the checker finds nothing
//! new with it (no error, nothing Juju would refuse or would not send, that the starting
//! State did not have already), so every State a walk reaches is one Juju could produce.
//!
//! A walk is decoded from a sequence of numbers ([`Neighbours::walk`]): three per step (the
//! kind of step among those that apply to the State so far, and two parameters, each
//! taken modulo what is there to choose from), so
//! any search engine that draws and shrinks numbers drives it: hypothesis from Python,
//! proptest from Rust ([`strategies`], with the `proptest` feature). Smaller numbers and
//! shorter sequences make simpler walks: shrinking a sequence shrinks the State.
//!
//! ```
//! use std::sync::Arc;
//!
//! use scenario_consistency::neighbours::Neighbours;
//! use scenario_consistency::{JujuVersion, Options};
//! use scenario_model::{Api, CharmSpec, Event, State};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let meta = serde_json::json!({"name": "web", "requires": {"db": {"interface": "pg"}}});
//! let spec = CharmSpec::new(meta.as_object().cloned().ok_or("a mapping")?, None, None);
//! let options = Options { api: Api::Scenario8, unit_id: Some(0) };
//! let juju = JujuVersion::parse("3.6.14")?;
//! let near = Neighbours::new(State::default(), Event::new("start"), Arc::new(spec), juju, options);
//! // What applies here: leadership flipped, a relation added (on `db`, the one endpoint),
//! // other planned units. 0 flips leadership; 1 adds a relation.
//! let (state, steps) = near.walk(&[0, 0, 0, 1, 0, 1]);
//! assert!(state.leader);
//! assert_eq!(state.relations.len(), 1);
//! assert_eq!(steps.len(), 2);
//! println!("{}", steps[1]); // a relation on db added (id 1, remote app remote-1, 1 unit)
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use scenario_model::{
    AnyRelation, Api, ApiDefault, CharmSpec, Container, Databag, DatabagOwner, EndpointRole, Event,
    PeerRelation, Relation, Secret, State, Storage, UnitDatabags, Value,
};

use crate::names::py_str;
use crate::{JujuVersion, Options, check_consistency_with};

/// One step from a State to a neighbour.
#[derive(Debug, Clone, PartialEq)]
pub enum Mutation {
    /// Leadership set to this.
    Leader(bool),
    /// A config option set to a value of its type (an edge value among them).
    Config {
        option: String,
        value: Value,
    },
    /// A config option left unset (the charm then reads its default, if it has one).
    UnsetConfig {
        option: String,
    },
    /// A relation added on an endpoint, to a new remote application.
    AddRelation {
        endpoint: String,
        relation_id: u32,
        remote_app: String,
        remote_units: u32,
    },
    RemoveRelation {
        relation_id: u32,
    },
    /// A databag of a relation emptied (as one nobody wrote yet).
    ClearDatabag {
        relation_id: u32,
        databag: DatabagOwner,
    },
    /// A key of a remote application's databag holding an odd value (`""`, `"null"`,
    /// broken JSON...).
    DatabagValue {
        relation_id: u32,
        databag: DatabagOwner,
        key: String,
        value: String,
    },
    AddRemoteUnit {
        relation_id: u32,
        unit: u32,
    },
    RemoveRemoteUnit {
        relation_id: u32,
        unit: u32,
    },
    /// A container whose Pebble cannot be reached.
    Disconnect {
        container: String,
    },
    RemoveLayer {
        container: String,
        layer: String,
    },
    RemoveMount {
        container: String,
        mount: String,
    },
    RemoveSecret {
        id: String,
    },
    /// A secret with a new revision, its content changed (an observer still tracks the
    /// revision it had).
    NewSecretRevision {
        id: String,
        revision: u32,
    },
    /// A secret this unit no longer has access to (its grant revoked).
    RevokeSecret {
        id: String,
    },
    AttachStorage {
        name: String,
        index: u32,
    },
    DetachStorage {
        name: String,
        index: u32,
    },
    PlannedUnits(u32),
    DropDeferred {
        handle_path: String,
    },
    DropStoredState {
        handle_path: String,
    },
}

/// A databag, in words.
/// A config value as Python writes it.
fn value_words(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => format!("{x:?}"),
        Value::Str(text) => py_str(text),
        other => format!("{other:?}"),
    }
}

fn bag_words(bag: DatabagOwner) -> String {
    match bag {
        DatabagOwner::LocalApp => "local app data".to_owned(),
        DatabagOwner::LocalUnit => "local unit data".to_owned(),
        DatabagOwner::RemoteApp => "remote app data".to_owned(),
        DatabagOwner::RemoteUnit(n) => format!("remote unit {n}'s data"),
    }
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mutation::Leader(true) => f.write_str("this unit is the leader"),
            Mutation::Leader(false) => f.write_str("this unit is not the leader"),
            Mutation::Config { option, value } => {
                write!(f, "config {option}={}", value_words(value))
            }
            Mutation::UnsetConfig { option } => write!(f, "config {option} unset"),
            Mutation::AddRelation {
                endpoint,
                relation_id,
                remote_app,
                remote_units,
            } => write!(
                f,
                "a relation on {endpoint} added (id {relation_id}, remote app {remote_app}, {remote_units} unit{})",
                if *remote_units == 1 { "" } else { "s" }
            ),
            Mutation::RemoveRelation { relation_id } => write!(f, "relation {relation_id} removed"),
            Mutation::ClearDatabag {
                relation_id,
                databag,
            } => write!(f, "relation {relation_id}: {} emptied", bag_words(*databag)),
            Mutation::DatabagValue {
                relation_id,
                databag,
                key,
                value,
            } => write!(
                f,
                "relation {relation_id}: {} {}={}",
                bag_words(*databag),
                py_str(key),
                py_str(value)
            ),
            Mutation::AddRemoteUnit { relation_id, unit } => {
                write!(f, "relation {relation_id}: remote unit {unit} joined")
            }
            Mutation::RemoveRemoteUnit { relation_id, unit } => {
                write!(f, "relation {relation_id}: remote unit {unit} left")
            }
            Mutation::Disconnect { container } => {
                write!(f, "container {container} cannot connect")
            }
            Mutation::RemoveLayer { container, layer } => {
                write!(f, "container {container}: layer {layer} gone")
            }
            Mutation::RemoveMount { container, mount } => {
                write!(f, "container {container}: mount {mount} gone")
            }
            Mutation::RemoveSecret { id } => write!(f, "secret {id} gone"),
            Mutation::NewSecretRevision { id, revision } => {
                write!(f, "secret {id}: revision {revision} added")
            }
            Mutation::RevokeSecret { id } => write!(f, "secret {id}: access revoked"),
            Mutation::AttachStorage { name, index } => write!(f, "storage {name}/{index} attached"),
            Mutation::DetachStorage { name, index } => write!(f, "storage {name}/{index} detached"),
            Mutation::PlannedUnits(n) => write!(f, "{n} planned units"),
            Mutation::DropDeferred { handle_path } => write!(f, "deferred {handle_path} dropped"),
            Mutation::DropStoredState { handle_path } => {
                write!(f, "stored state {handle_path} dropped")
            }
        }
    }
}

/// The kinds of step, in the order a walk's first number picks them (simplest first).
const KINDS: [Kind; 20] = [
    Kind::Leader,
    Kind::Config,
    Kind::AddRelation,
    Kind::RemoveRelation,
    Kind::ClearDatabag,
    Kind::DatabagValue,
    Kind::AddRemoteUnit,
    Kind::RemoveRemoteUnit,
    Kind::Disconnect,
    Kind::RemoveLayer,
    Kind::RemoveMount,
    Kind::RemoveSecret,
    Kind::NewSecretRevision,
    Kind::RevokeSecret,
    Kind::AttachStorage,
    Kind::DetachStorage,
    Kind::PlannedUnits,
    Kind::DropDeferred,
    Kind::DropStoredState,
    Kind::UnsetConfig,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Leader,
    Config,
    UnsetConfig,
    AddRelation,
    RemoveRelation,
    ClearDatabag,
    DatabagValue,
    AddRemoteUnit,
    RemoveRemoteUnit,
    Disconnect,
    RemoveLayer,
    RemoveMount,
    RemoveSecret,
    NewSecretRevision,
    RevokeSecret,
    AttachStorage,
    DetachStorage,
    PlannedUnits,
    DropDeferred,
    DropStoredState,
}

/// Odd values for a databag key: what a remote application may well have written.
const ODD_STRINGS: [&str; 8] = [
    "",
    "null",
    "{",
    "[]",
    "0",
    "-1",
    "not json",
    "{\"a\": null}",
];
/// Edge values of each config type.
const EDGE_INTS: [i64; 7] = [
    0,
    -1,
    1,
    i32::MAX as i64,
    i32::MIN as i64,
    i64::MAX,
    i64::MIN,
];
const EDGE_FLOATS: [f64; 6] = [0.0, -1.0, 0.5, 1e308, -1e308, f64::MIN_POSITIVE];
const EDGE_STRINGS: [&str; 7] = ["", " ", "0", "null", "über", "a,b,c", "line\nbreak"];

/// The neighbours of one State for one event and charm: see the module's documentation.
#[derive(Debug, Clone)]
pub struct Neighbours {
    base: State,
    event: Event,
    spec: Arc<CharmSpec>,
    juju: JujuVersion,
    options: Options,
    /// What the checker already finds in the base (each finding, by rule
    /// and path): a step is refused only for a finding of its own.
    known: BTreeSet<(String, String)>,
    /// The databag keys the charm reads, as far as is known: those of the base's remote
    /// databags (what a test gives the charm to read) and those given (`with_keys`).
    keys: Vec<String>,
}

impl Neighbours {
    /// The neighbours of `base` for `event`, as `spec` allows them (a State and an Event
    /// clone cheaply: their parts are shared).
    pub fn new(
        base: State,
        event: Event,
        spec: Arc<CharmSpec>,
        juju: JujuVersion,
        options: Options,
    ) -> Self {
        let mut near = Neighbours {
            base,
            event,
            spec,
            juju,
            options,
            known: BTreeSet::new(),
            keys: Vec::new(),
        };
        near.known = near.findings(&near.base, &near.event);
        let mut keys = BTreeSet::new();
        for relation in near.base.relations.iter() {
            for (owner, bag) in bags(relation, options.api) {
                if owner.is_remote() {
                    keys.extend(bag.keys().filter(|k| !is_juju_key(k)).cloned());
                }
            }
        }
        near.keys = keys.into_iter().collect();
        near
    }

    /// The event the neighbours are for.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// Also try the databag `keys` (those the charm was seen reading, say) with odd values.
    #[must_use]
    pub fn with_keys(mut self, keys: impl IntoIterator<Item = String>) -> Self {
        let mut all: BTreeSet<String> = self.keys.drain(..).collect();
        all.extend(keys);
        self.keys = all.into_iter().collect();
        self
    }

    /// The State `choices` lead to from the base, and the steps taken (three numbers per
    /// step: see the module's documentation). A step the checker refuses is passed over.
    pub fn walk(&self, choices: &[u32]) -> (State, Vec<Mutation>) {
        let (state, _, steps) = self.walk_with_event(choices);
        (state, steps)
    }

    /// [`Neighbours::walk`], with the event bound to the reached State: its relation,
    /// container and secret are the State's own (changed, maybe, by a step), as a run of
    /// that State wants them.
    pub fn walk_with_event(&self, choices: &[u32]) -> (State, Event, Vec<Mutation>) {
        let mut state = self.base.clone();
        let mut event = self.event.clone();
        let mut steps = Vec::new();
        for chunk in choices.chunks(3) {
            let (pick, a, b) = (
                chunk[0] as usize,
                chunk.get(1).copied().unwrap_or(0) as usize,
                chunk.get(2).copied().unwrap_or(0) as usize,
            );
            // One of the kinds that apply here, each as likely (smaller numbers pick the
            // simpler kinds).
            let applicable: Vec<Kind> = KINDS
                .iter()
                .copied()
                .filter(|k| self.applies(*k, &state))
                .collect();
            let Some(&kind) = applicable.get(pick % applicable.len().max(1)) else {
                break;
            };
            let Some(step) = self.step(kind, &state, a, b) else {
                continue;
            };
            let next = self.apply(&state, &step);
            let next_event = self.rebind(&next);
            if self.findings(&next, &next_event).is_subset(&self.known) {
                state = next;
                event = next_event;
                steps.push(step);
            }
        }
        (state, event, steps)
    }

    /// The event, its relation, container and secret taken from `state` (by id or name).
    fn rebind(&self, state: &State) -> Event {
        let mut event = self.event.clone();
        if let Some(relation) = &mut event.relation {
            let id = relation.relation_id();
            if let Some(ours) = state.relations.iter().find(|r| r.relation_id() == id) {
                *relation = ours.clone();
            }
        }
        if let Some(container) = &mut event.container {
            if let Some(ours) = state.containers.iter().find(|c| c.name == container.name) {
                *container = Arc::clone(ours);
            }
        }
        if let Some(secret) = &mut event.secret {
            if let Some(ours) = state.secrets.iter().find(|s| s.id == secret.id) {
                *secret = Arc::clone(ours);
            }
        }
        event
    }

    fn findings(&self, state: &State, event: &Event) -> BTreeSet<(String, String)> {
        check_consistency_with(state, event, &self.spec, &self.juju, self.options)
            .diagnostics
            .into_iter()
            .map(|d| (d.rule.code().to_owned(), d.path))
            .collect()
    }

    fn applies(&self, kind: Kind, state: &State) -> bool {
        let api = self.options.api;
        match kind {
            Kind::Leader | Kind::PlannedUnits => true,
            Kind::Config => !self.spec.config_options().is_empty(),
            Kind::UnsetConfig => !state.config.is_empty(),
            Kind::AddRelation => !self.addable_endpoints(state).is_empty(),
            Kind::RemoveRelation => state.relations.iter().any(|r| !self.is_events_relation(r)),
            Kind::ClearDatabag => !state.relations.is_empty(),
            // Only another application writes odd values: a peer relation's databags are
            // this charm's own writing.
            Kind::DatabagValue => state.relations.iter().any(|r| !is_peer(r)),
            Kind::AddRemoteUnit => state
                .relations
                .iter()
                .any(|r| !matches!(r, AnyRelation::Subordinate(_))),
            Kind::RemoveRemoteUnit => state.relations.iter().any(|r| !units(r, api).is_empty()),
            Kind::Disconnect => state.containers.iter().any(|c| c.can_connect),
            Kind::RemoveLayer => state.containers.iter().any(|c| !c.layers.is_empty()),
            Kind::RemoveMount => state.containers.iter().any(|c| !c.mounts.is_empty()),
            Kind::RemoveSecret => state.secrets.iter().any(|s| !self.is_events_secret(&s.id)),
            Kind::NewSecretRevision => !state.secrets.is_empty(),
            // Under ops[testing] a secret this unit does not own counts as granted: there
            // a revoked secret is a removed one.
            Kind::RevokeSecret => {
                api == Api::Scenario5
                    && state
                        .secrets
                        .iter()
                        .any(|s| s.owner.is_none() && s.granted.is_some())
            }
            Kind::AttachStorage => !self.spec.storages().is_empty(),
            Kind::DetachStorage => state.storage.iter().any(|s| !self.is_events_storage(s)),
            Kind::DropDeferred => !state.deferred.is_empty(),
            Kind::DropStoredState => !state.stored_state.is_empty(),
        }
    }

    /// The step of `kind` that the parameters pick, in `state`.
    fn step(&self, kind: Kind, state: &State, a: usize, b: usize) -> Option<Mutation> {
        match kind {
            Kind::Leader => Some(Mutation::Leader(!state.leader)),
            Kind::PlannedUnits => Some(Mutation::PlannedUnits(small(b, 4))),
            Kind::Config => {
                let options = self.spec.config_options();
                let option = &options[a % options.len()];
                Some(Mutation::Config {
                    option: option.name.to_owned(),
                    value: edge_value(option.option_type, b, state),
                })
            }
            Kind::UnsetConfig => Some(Mutation::UnsetConfig {
                option: state.config.keys().nth(a % state.config.len())?.clone(),
            }),
            Kind::AddRelation
            | Kind::RemoveRelation
            | Kind::ClearDatabag
            | Kind::DatabagValue
            | Kind::AddRemoteUnit
            | Kind::RemoveRemoteUnit => self.relation_step(kind, state, a, b),
            Kind::Disconnect | Kind::RemoveLayer | Kind::RemoveMount => {
                container_step(kind, state, a, b)
            }
            Kind::RemoveSecret | Kind::NewSecretRevision | Kind::RevokeSecret => {
                self.secret_step(kind, state, a)
            }
            Kind::AttachStorage | Kind::DetachStorage => self.storage_step(kind, state, a),
            Kind::DropDeferred => Some(Mutation::DropDeferred {
                handle_path: state.deferred[a % state.deferred.len()].handle_path.clone(),
            }),
            Kind::DropStoredState => Some(Mutation::DropStoredState {
                handle_path: state.stored_state[a % state.stored_state.len()].handle_path(),
            }),
        }
    }

    fn relation_step(&self, kind: Kind, state: &State, a: usize, b: usize) -> Option<Mutation> {
        let api = self.options.api;
        let pick = |keep: &dyn Fn(&AnyRelation) -> bool| -> Option<&AnyRelation> {
            let candidates: Vec<&AnyRelation> =
                state.relations.iter().filter(|r| keep(r)).collect();
            candidates.get(a % candidates.len().max(1)).copied()
        };
        Some(match kind {
            Kind::AddRelation => {
                let endpoints = self.addable_endpoints(state);
                let relation_id = next_relation_id(state);
                Mutation::AddRelation {
                    endpoint: endpoints[a % endpoints.len()].to_owned(),
                    relation_id,
                    remote_app: format!("remote-{relation_id}"),
                    remote_units: small(b, 3),
                }
            }
            Kind::RemoveRelation => Mutation::RemoveRelation {
                relation_id: pick(&|r| !self.is_events_relation(r))?.relation_id(),
            },
            Kind::ClearDatabag | Kind::DatabagValue => {
                let odd = kind == Kind::DatabagValue;
                let relation = pick(&|r| !(odd && is_peer(r)))?;
                // An empty databag is one nobody wrote yet, whoever writes it; odd values
                // are the remote application's.
                let bags: Vec<(DatabagOwner, Databag)> = bags(relation, api)
                    .into_iter()
                    .filter(|(owner, _)| !odd || owner.is_remote())
                    .collect();
                let (databag, bag) = &bags[b % bags.len()];
                let relation_id = relation.relation_id();
                if kind == Kind::ClearDatabag {
                    return Some(Mutation::ClearDatabag {
                        relation_id,
                        databag: *databag,
                    });
                }
                // The keys this databag holds (but those Juju sets) and those the charm
                // reads.
                let keys: BTreeSet<&String> = bag
                    .keys()
                    .filter(|k| !is_juju_key(k))
                    .chain(&self.keys)
                    .collect();
                let rest = b / bags.len();
                Mutation::DatabagValue {
                    relation_id,
                    databag: *databag,
                    key: (*keys.iter().nth(rest % keys.len().max(1))?).clone(),
                    value: ODD_STRINGS[(rest / keys.len().max(1)) % ODD_STRINGS.len()].to_owned(),
                }
            }
            Kind::AddRemoteUnit => {
                let relation = pick(&|r| !matches!(r, AnyRelation::Subordinate(_)))?;
                let mut unit = units(relation, api).iter().max().map_or(0, |u| u + 1);
                if is_peer(relation) && unit == self.own_unit(state) {
                    unit += 1;
                }
                Mutation::AddRemoteUnit {
                    relation_id: relation.relation_id(),
                    unit,
                }
            }
            _ => {
                let relation = pick(&|r| !units(r, api).is_empty())?;
                let present = units(relation, api);
                Mutation::RemoveRemoteUnit {
                    relation_id: relation.relation_id(),
                    unit: present[b % present.len()],
                }
            }
        })
    }

    fn secret_step(&self, kind: Kind, state: &State, a: usize) -> Option<Mutation> {
        let pick = |keep: &dyn Fn(&Secret) -> bool| -> Option<&Secret> {
            let candidates: Vec<&Secret> = state
                .secrets
                .iter()
                .map(AsRef::as_ref)
                .filter(|s| keep(s))
                .collect();
            candidates.get(a % candidates.len().max(1)).copied()
        };
        Some(match kind {
            Kind::RemoveSecret => Mutation::RemoveSecret {
                id: pick(&|s| !self.is_events_secret(&s.id))?.id.clone(),
            },
            Kind::NewSecretRevision => {
                let secret = pick(&|_| true)?;
                Mutation::NewSecretRevision {
                    id: secret.id.clone(),
                    revision: secret.contents.keys().max().map_or(0, |r| r + 1),
                }
            }
            _ => Mutation::RevokeSecret {
                id: pick(&|s| s.owner.is_none() && s.granted.is_some())?
                    .id
                    .clone(),
            },
        })
    }

    fn storage_step(&self, kind: Kind, state: &State, a: usize) -> Option<Mutation> {
        if kind == Kind::AttachStorage {
            let names = self.spec.storages();
            return Some(Mutation::AttachStorage {
                name: names[a % names.len()].to_owned(),
                index: state.storage.iter().map(|s| s.index + 1).max().unwrap_or(0),
            });
        }
        let candidates: Vec<&Storage> = state
            .storage
            .iter()
            .filter(|s| !self.is_events_storage(s))
            .collect();
        let storage = candidates.get(a % candidates.len().max(1))?;
        Some(Mutation::DetachStorage {
            name: storage.name.clone(),
            index: storage.index,
        })
    }

    /// `state` with `step` taken.
    pub fn apply(&self, state: &State, step: &Mutation) -> State {
        let api = self.options.api;
        let mut state = state.clone();
        match step {
            Mutation::Leader(leader) => state.leader = *leader,
            Mutation::PlannedUnits(n) => state.planned_units = *n,
            Mutation::Config { option, value } => {
                Arc::make_mut(&mut state.config).insert(option.clone(), value.clone());
            }
            Mutation::UnsetConfig { option } => {
                Arc::make_mut(&mut state.config).shift_remove(option);
            }
            Mutation::AddRelation {
                endpoint,
                relation_id,
                remote_app,
                remote_units,
            } => {
                let relation = self.new_relation(endpoint, *relation_id, remote_app, *remote_units);
                Arc::make_mut(&mut state.relations).push(relation);
            }
            Mutation::RemoveRelation { relation_id } => {
                Arc::make_mut(&mut state.relations).retain(|r| r.relation_id() != *relation_id);
            }
            Mutation::ClearDatabag {
                relation_id,
                databag,
            } => with_bag(&mut state, *relation_id, *databag, api, Databag::clear),
            Mutation::DatabagValue {
                relation_id,
                databag,
                key,
                value,
            } => with_bag(&mut state, *relation_id, *databag, api, |bag| {
                bag.insert(key.clone(), value.clone());
            }),
            Mutation::AddRemoteUnit { relation_id, unit } => {
                with_units(&mut state, *relation_id, api, |units| {
                    units.insert(*unit, Databag::new());
                });
            }
            Mutation::RemoveRemoteUnit { relation_id, unit } => {
                with_units(&mut state, *relation_id, api, |units| {
                    units.shift_remove(unit);
                });
            }
            Mutation::Disconnect { container } => {
                with_container(&mut state, container, |c| c.can_connect = false);
            }
            Mutation::RemoveLayer { container, layer } => {
                with_container(&mut state, container, |c| {
                    c.layers.shift_remove(layer);
                });
            }
            Mutation::RemoveMount { container, mount } => {
                with_container(&mut state, container, |c| {
                    c.mounts.shift_remove(mount);
                });
            }
            Mutation::RemoveSecret { id } => {
                Arc::make_mut(&mut state.secrets).retain(|s| &s.id != id);
            }
            Mutation::NewSecretRevision { id, revision } => {
                with_secret(&mut state, id, |s| new_revision(s, *revision));
            }
            Mutation::RevokeSecret { id } => with_secret(&mut state, id, |s| s.granted = None),
            Mutation::AttachStorage { name, index } => {
                let mut storage = Storage::new(name.clone());
                storage.index = *index;
                Arc::make_mut(&mut state.storage).push(storage);
            }
            Mutation::DetachStorage { name, index } => {
                Arc::make_mut(&mut state.storage)
                    .retain(|s| !(&s.name == name && s.index == *index));
            }
            Mutation::DropDeferred { handle_path } => {
                Arc::make_mut(&mut state.deferred).retain(|d| &d.handle_path != handle_path);
            }
            Mutation::DropStoredState { handle_path } => {
                Arc::make_mut(&mut state.stored_state).retain(|s| &s.handle_path() != handle_path);
            }
        }
        state
    }

    /// A relation on `endpoint` to a new remote application, with `remote_units` units.
    fn new_relation(
        &self,
        endpoint: &str,
        relation_id: u32,
        remote_app: &str,
        remote_units: u32,
    ) -> AnyRelation {
        let units: UnitDatabags = (0..remote_units).map(|u| (u, Databag::new())).collect();
        let interface = self
            .spec
            .endpoint(endpoint)
            .and_then(|e| e.interface)
            .map(str::to_owned);
        if self.is_peer_endpoint(endpoint) {
            let mut peer = PeerRelation::new(endpoint);
            peer.relation_id = relation_id;
            peer.interface = interface;
            peer.peers_data = ApiDefault::given(units);
            return AnyRelation::Peer(Arc::new(peer));
        }
        let mut regular = Relation::new(endpoint);
        regular.relation_id = relation_id;
        regular.interface = interface;
        remote_app.clone_into(&mut regular.remote_app_name);
        regular.remote_units_data = ApiDefault::given(units);
        AnyRelation::Regular(Arc::new(regular))
    }

    /// The endpoints a relation can be added on: every declared one but container-scoped
    /// ones (a subordinate's principal is not ours to add) and a peer endpoint that has its
    /// one relation already.
    fn addable_endpoints(&self, state: &State) -> Vec<&str> {
        self.spec
            .endpoints()
            .into_iter()
            .filter(|e| !e.container_scoped)
            .filter(|e| {
                !(self.is_peer_endpoint(e.name)
                    && state.relations.iter().any(|r| r.endpoint() == e.name))
            })
            .map(|e| e.name)
            .collect()
    }

    fn is_peer_endpoint(&self, name: &str) -> bool {
        self.spec
            .endpoint(name)
            .is_some_and(|e| e.role == EndpointRole::Peers)
    }

    fn own_unit(&self, state: &State) -> u32 {
        self.options.unit_id.unwrap_or(state.unit_id)
    }

    fn is_events_relation(&self, relation: &AnyRelation) -> bool {
        self.event
            .relation
            .as_ref()
            .is_some_and(|r| r.relation_id() == relation.relation_id())
    }

    fn is_events_secret(&self, id: &str) -> bool {
        self.event.secret.as_ref().is_some_and(|s| s.id == id)
    }

    fn is_events_storage(&self, storage: &Storage) -> bool {
        self.event.storage.as_ref() == Some(storage)
    }
}

/// Whether Juju itself writes `key` into a unit's databag (its addresses).
fn is_juju_key(key: &str) -> bool {
    matches!(
        key,
        "egress-subnets" | "ingress-address" | "private-address"
    )
}

/// A number below `n`, from a walk's parameter.
fn small(value: usize, n: usize) -> u32 {
    u32::try_from(value % n).unwrap_or(0)
}

fn container_step(kind: Kind, state: &State, a: usize, b: usize) -> Option<Mutation> {
    let keep = |c: &Container| match kind {
        Kind::Disconnect => c.can_connect,
        Kind::RemoveLayer => !c.layers.is_empty(),
        _ => !c.mounts.is_empty(),
    };
    let candidates: Vec<&Container> = state
        .containers
        .iter()
        .map(AsRef::as_ref)
        .filter(|c| keep(c))
        .collect();
    let container = candidates.get(a % candidates.len().max(1))?;
    let name = container.name.clone();
    Some(match kind {
        Kind::Disconnect => Mutation::Disconnect { container: name },
        Kind::RemoveLayer => Mutation::RemoveLayer {
            layer: container
                .layers
                .keys()
                .nth(b % container.layers.len())?
                .clone(),
            container: name,
        },
        _ => Mutation::RemoveMount {
            mount: container
                .mounts
                .keys()
                .nth(b % container.mounts.len())?
                .clone(),
            container: name,
        },
    })
}

/// A secret's next revision: its latest content, each value changed. An owner reads its
/// latest revision; an observer still tracks the one it had.
fn new_revision(secret: &mut Secret, revision: u32) {
    let mut content = secret.contents.values().last().cloned().unwrap_or_default();
    for value in content.values_mut() {
        value.push_str("-rotated");
    }
    if content.is_empty() {
        content.insert("rotated".to_owned(), "yes".to_owned());
    }
    secret.contents.insert(revision, content);
    if secret.owner.is_some() {
        secret.revision = revision;
    }
}

/// A config value of the option's type, picked by `pick` among edge values; a `secret`
/// option gets a secret id of the State or one that does not exist.
fn edge_value(option_type: Option<&str>, pick: usize, state: &State) -> Value {
    match option_type.unwrap_or("string") {
        "int" => Value::Int(EDGE_INTS[pick % EDGE_INTS.len()]),
        "float" => Value::Float(EDGE_FLOATS[pick % EDGE_FLOATS.len()]),
        "boolean" => Value::Bool(pick % 2 == 1),
        "secret" => {
            let mut ids: Vec<String> = state.secrets.iter().map(|s| s.id.clone()).collect();
            ids.push("secret:cvh7kruupa1s46bqvuig".to_owned());
            Value::Str(ids[pick % ids.len()].clone())
        }
        _ => Value::Str(EDGE_STRINGS[pick % EDGE_STRINGS.len()].to_owned()),
    }
}

fn next_relation_id(state: &State) -> u32 {
    state
        .relations
        .iter()
        .map(AnyRelation::relation_id)
        .max()
        .map_or(1, |id| id + 1)
}

fn is_peer(relation: &AnyRelation) -> bool {
    matches!(relation, AnyRelation::Peer(_))
}

/// A relation's databags, as `api` reads them: its own, the remote app's (not on a peer
/// relation, whose remote app is this one) and each remote unit's.
fn bags(relation: &AnyRelation, api: Api) -> Vec<(DatabagOwner, Databag)> {
    let mut owners = vec![DatabagOwner::LocalApp, DatabagOwner::LocalUnit];
    if !is_peer(relation) {
        owners.push(DatabagOwner::RemoteApp);
    }
    owners.extend(
        relation
            .remote_unit_ids(api)
            .into_iter()
            .map(DatabagOwner::RemoteUnit),
    );
    owners
        .into_iter()
        .filter_map(|owner| Some((owner, relation.databag(owner, api)?.into_owned())))
        .collect()
}

/// The remote units of a relation that can come and go (the peers of a peer relation; a
/// subordinate relation has its one principal unit).
fn units(relation: &AnyRelation, api: Api) -> Vec<u32> {
    if matches!(relation, AnyRelation::Subordinate(_)) {
        return Vec::new();
    }
    relation.remote_unit_ids(api)
}

fn with_relation(state: &mut State, relation_id: u32, f: impl FnOnce(&mut AnyRelation)) {
    if let Some(relation) = Arc::make_mut(&mut state.relations)
        .iter_mut()
        .find(|r| r.relation_id() == relation_id)
    {
        f(relation);
    }
}

fn with_bag(
    state: &mut State,
    relation_id: u32,
    which: DatabagOwner,
    api: Api,
    f: impl FnOnce(&mut Databag),
) {
    with_relation(state, relation_id, |relation| {
        let bag = match relation {
            AnyRelation::Regular(r) => {
                let r = Arc::make_mut(r);
                match which {
                    DatabagOwner::LocalApp => &mut r.local_app_data,
                    DatabagOwner::LocalUnit => r.local_unit_data.make_mut(api),
                    DatabagOwner::RemoteApp => &mut r.remote_app_data,
                    DatabagOwner::RemoteUnit(u) => {
                        r.remote_units_data.make_mut(api).entry(u).or_default()
                    }
                }
            }
            AnyRelation::Peer(r) => {
                let r = Arc::make_mut(r);
                match which {
                    DatabagOwner::LocalApp => &mut r.local_app_data,
                    DatabagOwner::LocalUnit => r.local_unit_data.make_mut(api),
                    DatabagOwner::RemoteApp => return,
                    DatabagOwner::RemoteUnit(u) => r.peers_data.make_mut(api).entry(u).or_default(),
                }
            }
            AnyRelation::Subordinate(r) => {
                let r = Arc::make_mut(r);
                match which {
                    DatabagOwner::LocalApp => &mut r.local_app_data,
                    DatabagOwner::LocalUnit => r.local_unit_data.make_mut(api),
                    DatabagOwner::RemoteApp => &mut r.remote_app_data,
                    DatabagOwner::RemoteUnit(_) => r.remote_unit_data.make_mut(api),
                }
            }
        };
        f(bag);
    });
}

fn with_units(state: &mut State, relation_id: u32, api: Api, f: impl FnOnce(&mut UnitDatabags)) {
    with_relation(state, relation_id, |relation| match relation {
        AnyRelation::Regular(r) => f(Arc::make_mut(r).remote_units_data.make_mut(api)),
        AnyRelation::Peer(r) => f(Arc::make_mut(r).peers_data.make_mut(api)),
        AnyRelation::Subordinate(_) => {}
    });
}

fn with_container(state: &mut State, name: &str, f: impl FnOnce(&mut Container)) {
    if let Some(container) = Arc::make_mut(&mut state.containers)
        .iter_mut()
        .find(|c| c.name == name)
    {
        f(Arc::make_mut(container));
    }
}

fn with_secret(state: &mut State, id: &str, f: impl FnOnce(&mut Secret)) {
    if let Some(secret) = Arc::make_mut(&mut state.secrets)
        .iter_mut()
        .find(|s| s.id == id)
    {
        f(Arc::make_mut(secret));
    }
}

/// proptest strategies over the neighbours of a State (the `proptest` feature).
#[cfg(feature = "proptest")]
pub mod strategies {
    use std::sync::Arc;

    use proptest::prelude::*;
    use scenario_model::{CharmSpec, Event, State};

    use super::{Mutation, Neighbours};
    use crate::{JujuVersion, Options};

    /// The States near `base` for `event` (each consistent, as [`Neighbours::walk`] makes
    /// them), with the steps that lead there; up to `max_steps` steps. Shrinking takes
    /// steps away and simplifies the rest.
    ///
    /// ```
    /// use proptest::prelude::*;
    /// use scenario_consistency::neighbours::strategies::neighbours;
    /// use scenario_consistency::{JujuVersion, Options};
    /// use scenario_model::{Api, CharmSpec, Event, State};
    ///
    /// let meta = serde_json::json!({"name": "web", "peers": {"cluster": {"interface": "c"}}});
    /// let spec = CharmSpec::new(meta.as_object().cloned().unwrap(), None, None);
    /// let options = Options { api: Api::Scenario8, unit_id: Some(0) };
    /// let juju = JujuVersion::parse("3.6.14").unwrap();
    /// proptest!(|((state, steps) in neighbours(State::default(), Event::new("start"), spec.clone(), juju, options, 6))| {
    ///     // Every State a walk reaches is one Juju could produce.
    ///     prop_assert!(steps.len() <= 6);
    ///     prop_assert!(state.relations.len() <= 1); // one peer relation at most
    /// });
    /// ```
    pub fn neighbours(
        base: State,
        event: Event,
        spec: CharmSpec,
        juju: JujuVersion,
        options: Options,
        max_steps: usize,
    ) -> impl Strategy<Value = (State, Vec<Mutation>)> {
        let near = Arc::new(Neighbours::new(base, event, Arc::new(spec), juju, options));
        proptest::collection::vec(any::<u32>(), 0..=max_steps * 3)
            .prop_map(move |choices| near.walk(&choices))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> CharmSpec {
        let meta = serde_json::json!({
            "name": "app",
            "requires": {"db": {"interface": "pg", "limit": 1}},
            "provides": {"website": {"interface": "http"}},
            "peers": {"cluster": {"interface": "cluster"}},
            "containers": {"workload": {}},
            "storage": {"data": {"type": "filesystem", "multiple": {"range": "1-3"}}},
        });
        let config = serde_json::json!({"options": {
            "port": {"type": "int", "default": 80},
            "name": {"type": "string"},
            "ratio": {"type": "float"},
            "debug": {"type": "boolean", "default": false},
        }});
        CharmSpec::new(
            meta.as_object().cloned().unwrap(),
            None,
            config.as_object().cloned(),
        )
    }

    fn state() -> State {
        State::from_json(
            &serde_json::json!({
                "config": {"port": 8080},
                "relations": [
                    {"regular": {"endpoint": "db", "relation_id": 1, "remote_app_name": "pg",
                     "remote_app_data": {"host": "pg-0", "port": "5432"},
                     "remote_units_data": {"0": {"ip": "10.0.0.1"}}}},
                    {"peer": {"endpoint": "cluster", "relation_id": 2,
                     "peers_data": {"1": {"ready": "yes"}}}},
                ],
                "containers": [{"name": "workload", "can_connect": true,
                    "layers": {"base": {"services": {"web": {"override": "replace", "command": "x"}}}},
                    "mounts": {"conf": {"location": "/etc/conf", "src": "/tmp/conf"}}}],
                "storage": [{"name": "data", "index": 0}],
                "secrets": [{"id": "secret:abc", "contents": {"0": {"pw": "x"}}, "granted": "unit"}],
                "stored_state": [{"owner_path": "App", "name": "_stored", "content": {"a": 1}}],
                "deferred": [{"handle_path": "App/on/update_status[1]", "owner": "App", "observer": "_on"}],
            })
            .to_string(),
        )
        .unwrap()
    }

    fn options() -> Options {
        Options {
            api: Api::Scenario8,
            unit_id: Some(0),
        }
    }

    fn juju() -> JujuVersion {
        JujuVersion::parse("3.6.14").unwrap()
    }

    /// The neighbours of the test State for an event, under the given options.
    fn near_with(event: Event, options: Options) -> Neighbours {
        Neighbours::new(state(), event, Arc::new(spec()), juju(), options)
    }

    /// An event on the test State's db relation (id 1), from its unit 0.
    fn db_changed() -> Event {
        let mut event = Event::new("db_relation_changed");
        event.relation = Some(state().relations[0].clone());
        event.relation_remote_unit_id = Some(0);
        event
    }

    /// Every kind of step is taken somewhere in a sweep of small walks.
    #[test]
    fn every_kind_of_step_is_reachable() {
        for api in [Api::Scenario5, Api::Scenario8] {
            let near = near_with(Event::new("update_status"), Options { api, ..options() });
            let mut seen = std::collections::HashSet::new();
            for kind in 0..20_u32 {
                for a in 0..3 {
                    for b in 0..8 {
                        let (_, steps) = near.walk(&[kind, a, b]);
                        for step in steps {
                            let name = format!("{step:?}");
                            seen.insert(
                                name.split([' ', '(']).next().unwrap_or_default().to_owned(),
                            );
                        }
                    }
                }
            }
            assert_eq!(KINDS.len(), 20);
            // Under ops[testing] an unowned secret counts as granted: none to revoke.
            let expected = if api == Api::Scenario5 { 20 } else { 19 };
            assert_eq!(seen.len(), expected, "kinds seen under {api:?}: {seen:?}");
            assert_eq!(seen.contains("RevokeSecret"), api == Api::Scenario5);
        }
    }

    #[test]
    fn each_step_does_what_it_says() {
        let near = near_with(Event::new("update_status"), options());
        let base = near.base.clone();
        let step = |m: Mutation| near.apply(&base, &m);
        assert!(step(Mutation::Leader(true)).leader);
        let unset = step(Mutation::UnsetConfig {
            option: "port".into(),
        });
        assert!(!unset.config.contains_key("port"));
        let cleared = step(Mutation::ClearDatabag {
            relation_id: 1,
            databag: DatabagOwner::RemoteApp,
        });
        assert!(
            cleared.relations[0]
                .databag(DatabagOwner::RemoteApp, Api::Scenario8)
                .unwrap()
                .is_empty()
        );
        let odd = step(Mutation::DatabagValue {
            relation_id: 1,
            databag: DatabagOwner::RemoteUnit(0),
            key: "ip".into(),
            value: String::new(),
        });
        let bag = odd.relations[0].databag(DatabagOwner::RemoteUnit(0), Api::Scenario8);
        assert_eq!(bag.unwrap().get("ip").map(String::as_str), Some(""));
        let joined = step(Mutation::AddRemoteUnit {
            relation_id: 1,
            unit: 1,
        });
        assert_eq!(joined.relations[0].remote_unit_ids(Api::Scenario8), [0, 1]);
        let off = step(Mutation::Disconnect {
            container: "workload".into(),
        });
        assert!(!off.containers[0].can_connect);
        let revoked = step(Mutation::RevokeSecret {
            id: "secret:abc".into(),
        });
        assert!(revoked.secrets[0].granted.is_none());
        let revised = step(Mutation::NewSecretRevision {
            id: "secret:abc".into(),
            revision: 1,
        });
        assert_eq!(revised.secrets[0].contents[&1]["pw"], "x-rotated");
        assert_eq!(
            revised.secrets[0].revision, 0,
            "an observer still tracks its revision"
        );
        let detached = step(Mutation::DetachStorage {
            name: "data".into(),
            index: 0,
        });
        assert!(detached.storage.is_empty());
    }

    #[test]
    fn a_walk_is_decided_by_its_numbers() {
        let near = near_with(Event::new("update_status"), options());
        let base = near.base.clone();
        let choices = [5, 1, 7, 2, 0, 2, 16, 0, 3];
        assert_eq!(near.walk(&choices), near.walk(&choices));
        assert_eq!(near.walk(&[]), (base.clone(), Vec::new()));
    }

    #[test]
    fn the_events_own_relation_stays() {
        let mut event = db_changed();
        event.relation_remote_unit_id = None;
        let near = near_with(event, options());
        for a in 0..4 {
            let (state, _) = near.walk(&[3, a, 0]);
            assert!(state.relations.iter().any(|r| r.relation_id() == 1));
        }
    }

    #[test]
    fn the_event_reads_its_relation_as_the_walk_left_it() {
        let near = near_with(db_changed(), options()).with_keys(["endpoint".to_owned()]);
        // A databag step on the event's own relation: the event carries the changed one.
        let changed = (0..64u32).find_map(|b| {
            let (state, event, steps) = near.walk_with_event(&[5, 0, b]);
            matches!(
                steps.as_slice(),
                [Mutation::DatabagValue { relation_id: 1, .. }]
            )
            .then_some((state, event))
        });
        let (state, event) = changed.expect("a databag step on relation 1");
        assert_eq!(event.relation.as_ref(), Some(&state.relations[0]));
        assert_ne!(event.relation.as_ref(), Some(&near.base.relations[0]));
    }

    #[test]
    fn over_the_limit_is_a_neighbour_the_checker_accepts() {
        // db declares limit 1; a second db relation is one Juju can produce (the limit is
        // the charm's word, not Juju's), so fuzzing goes there.
        let near = near_with(Event::new("update_status"), options());
        let (state, steps) = near.walk(&[2, 0, 1]);
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert_eq!(
            state
                .relations
                .iter()
                .filter(|r| r.endpoint() == "db")
                .count(),
            2
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            /// Nothing a walk reaches is refused by the checker more than its start is.
            #[test]
            fn every_neighbour_is_one_juju_could_produce(choices in proptest::collection::vec(any::<u32>(), 0..30)) {
                let near = near_with(db_changed(), options());
                let (state, event, _) = near.walk_with_event(&choices);
                prop_assert!(near.findings(&state, &event).is_subset(&near.known));
            }
        }
    }
}
