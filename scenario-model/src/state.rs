//! The State: everything Juju and Pebble would tell the charm about its world.
//!
//! Every collection sits behind an `Arc`, and the items that hook tools change (relations,
//! containers, secrets) sit behind one more. An output State starts as a clone of the
//! input (pointer copies only) and copies on write just the parts the charm touched.

use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::container::Container;
use crate::deferred::DeferredEvent;
use crate::error::ModelError;
use crate::juju_model::Model;
use crate::network::Network;
use crate::port::Port;
use crate::relation::AnyRelation;
use crate::secret::Secret;
use crate::status::EntityStatus;
use crate::storage::Storage;
use crate::stored_state::StoredState;
use crate::value::Value;

fn one() -> u32 {
    1
}

/// The state of one unit and what it can see, before or after an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct State {
    pub config: Arc<IndexMap<String, Value>>,
    /// Each relation as a one-key map naming its kind (`regular`, `peer`, `subordinate`),
    /// in YAML as in JSON, rather than as a YAML tag nobody writes by hand.
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub relations: Arc<Vec<AnyRelation>>,
    pub networks: Arc<Vec<Network>>,
    pub containers: Arc<Vec<Arc<Container>>>,
    /// `storage` in Scenario 5, `storages` in 8.
    #[serde(alias = "storages")]
    pub storage: Arc<Vec<Storage>>,
    pub opened_ports: Arc<Vec<Port>>,
    pub leader: bool,
    pub model: Arc<Model>,
    pub secrets: Arc<Vec<Arc<Secret>>>,
    /// Resource name to the host path of its file.
    pub resources: Arc<IndexMap<String, String>>,
    #[serde(default = "one")]
    pub planned_units: u32,
    pub unit_id: u32,
    pub deferred: Arc<Vec<DeferredEvent>>,
    /// `stored_state` in Scenario 5, `stored_states` in 8.
    #[serde(alias = "stored_states")]
    pub stored_state: Arc<Vec<StoredState>>,
    pub app_status: EntityStatus,
    pub unit_status: EntityStatus,
    pub workload_version: String,
}

impl Default for State {
    fn default() -> Self {
        State {
            config: Arc::default(),
            relations: Arc::default(),
            networks: Arc::default(),
            containers: Arc::default(),
            storage: Arc::default(),
            opened_ports: Arc::default(),
            leader: false,
            model: Arc::new(Model::default()),
            secrets: Arc::default(),
            resources: Arc::default(),
            planned_units: 1,
            unit_id: 0,
            deferred: Arc::default(),
            stored_state: Arc::default(),
            app_status: EntityStatus::default(),
            unit_status: EntityStatus::default(),
            workload_version: String::new(),
        }
    }
}

/// A State document: a mapping of the State's fields, and nothing else (serde would build
/// a struct from a sequence too, which would make `[]` a default State).
struct StateDocument(State);

impl<'de> Deserialize<'de> for StateDocument {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Mapping;
        impl<'de> serde::de::Visitor<'de> for Mapping {
            type Value = StateDocument;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a State: a mapping of its fields, such as {\"leader\": true}")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<StateDocument, A::Error> {
                let state = State::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                match layer_problem(&state) {
                    Some(problem) => Err(serde::de::Error::custom(problem)),
                    None => Ok(StateDocument(state)),
                }
            }
        }
        d.deserialize_map(Mapping)
    }
}

/// The first value Pebble refuses in a container's layers (a plan's layers may leave out
/// `override`), as the path from the State and what is wrong.
fn layer_problem(state: &State) -> Option<String> {
    state.containers.iter().find_map(|c| {
        c.layers.iter().find_map(|(label, layer)| {
            let problem = layer
                .problems()
                .into_iter()
                .find(|p| !p.is_missing_override())?;
            Some(format!(
                "containers['{}'].layers['{label}'].{problem}",
                c.name
            ))
        })
    })
}

impl State {
    /// Read a State from JSON, refusing anything but a mapping of its fields: an unknown
    /// key is named with the closest field, and nesting is limited (serde_json's 128).
    pub fn from_json(text: &str) -> Result<State, ModelError> {
        serde_json::from_str::<StateDocument>(text)
            .map(|d| d.0)
            .map_err(ModelError::from_json)
    }

    pub fn to_json(&self) -> Result<String, ModelError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Read a State from YAML, as `from_json` does; nesting past the limit is refused by a
    /// linear scan first (the YAML parser slows down quadratically on deep flow nesting).
    pub fn from_yaml(text: &str) -> Result<State, ModelError> {
        crate::error::check_yaml_depth(text)?;
        serde_yaml::from_str::<StateDocument>(text)
            .map(|d| d.0)
            .map_err(ModelError::from_yaml)
    }

    pub fn to_yaml(&self) -> Result<String, ModelError> {
        Ok(serde_yaml::to_string(self)?)
    }

    /// The relation with this id.
    pub fn relation(&self, relation_id: u32) -> Option<&AnyRelation> {
        self.relations
            .iter()
            .find(|r| r.relation_id() == relation_id)
    }

    /// Mutable access to the relation with this id, copying only the list of pointers
    /// (and later the relation itself) if they are shared.
    pub fn relation_mut(&mut self, relation_id: u32) -> Option<&mut AnyRelation> {
        let index = self
            .relations
            .iter()
            .position(|r| r.relation_id() == relation_id)?;
        Arc::make_mut(&mut self.relations).get_mut(index)
    }

    /// The relations on an endpoint, dashes and underscores alike.
    pub fn relations_on(&self, endpoint: &str) -> Vec<&AnyRelation> {
        let want = crate::event::normalize_name(endpoint);
        self.relations
            .iter()
            .filter(|r| crate::event::normalize_name(r.endpoint()) == want)
            .collect()
    }

    pub fn container(&self, name: &str) -> Option<&Arc<Container>> {
        self.containers.iter().find(|c| c.name == name)
    }

    /// Mutable access to one container, copying only what is shared.
    pub fn container_mut(&mut self, name: &str) -> Option<&mut Container> {
        let index = self.containers.iter().position(|c| c.name == name)?;
        Arc::make_mut(&mut self.containers)
            .get_mut(index)
            .map(Arc::make_mut)
    }

    /// The secret with this id (either form) or, failing that, this label.
    pub fn secret(&self, id: Option<&str>, label: Option<&str>) -> Option<&Arc<Secret>> {
        self.secret_index(id, label).map(|i| &self.secrets[i])
    }

    pub fn secret_index(&self, id: Option<&str>, label: Option<&str>) -> Option<usize> {
        if let Some(id) = id {
            // Every form of an id names the same secret: bare, `secret:`-prefixed, or
            // qualified by the model's uuid as ops 3 writes it.
            let id = crate::secret::bare_secret_id(id);
            return self
                .secrets
                .iter()
                .position(|s| crate::secret::bare_secret_id(&s.id) == id);
        }
        let label = label?;
        self.secrets
            .iter()
            .position(|s| s.label.as_deref() == Some(label))
    }

    /// Mutable access to one secret, copying only what is shared.
    pub fn secret_mut(&mut self, index: usize) -> Option<&mut Secret> {
        Arc::make_mut(&mut self.secrets)
            .get_mut(index)
            .map(Arc::make_mut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relation::Relation;

    #[test]
    fn an_output_shares_what_it_did_not_change() {
        let mut input = State::default();
        let relations: Vec<AnyRelation> = (0..3)
            .map(|i| Relation::new(format!("ep{i}")).into())
            .collect();
        let first_id = relations[0].relation_id();
        input.relations = Arc::new(relations);
        let mut output = input.clone();
        assert!(Arc::ptr_eq(&input.relations, &output.relations));

        output
            .relation_mut(first_id)
            .unwrap()
            .local_databag_mut(false, crate::Api::Scenario5)
            .insert("k".into(), "v".into());

        assert!(!Arc::ptr_eq(&input.relations, &output.relations));
        // Only the written relation was copied; its siblings are still shared.
        match (&input.relations[1], &output.relations[1]) {
            (AnyRelation::Regular(a), AnyRelation::Regular(b)) => assert!(Arc::ptr_eq(a, b)),
            _ => unreachable!(),
        }
        assert_ne!(input.relations[0], output.relations[0]);
        assert!(Arc::ptr_eq(&input.containers, &output.containers));
    }

    #[test]
    fn a_state_round_trips_through_json_and_yaml() {
        let mut state = State {
            leader: true,
            ..State::default()
        };
        Arc::make_mut(&mut state.config).insert("port".into(), Value::Int(80));
        state.relations = Arc::new(vec![Relation::new("db").into()]);
        let json = state.to_json().unwrap();
        assert_eq!(State::from_json(&json).unwrap(), state);
        let yaml = state.to_yaml().unwrap();
        assert_eq!(State::from_yaml(&yaml).unwrap(), state);
    }

    #[test]
    fn yaml_names_the_relation_kind_as_a_key_a_person_can_write() {
        let state = State {
            relations: Arc::new(vec![Relation::new("db").into()]),
            ..State::default()
        };
        let yaml = state.to_yaml().unwrap();
        assert!(yaml.contains("- regular:"), "{yaml}");
        assert!(!yaml.contains('!'), "{yaml}");
        let written = "relations:\n  - peer: {endpoint: cluster, relation_id: 4}\n";
        assert_eq!(
            State::from_yaml(written).unwrap().relations[0].relation_id(),
            4
        );
    }

    #[test]
    fn a_minimal_document_takes_the_defaults() {
        let state = State::from_json(r#"{"leader": true}"#).unwrap();
        assert!(state.leader);
        assert_eq!(state.planned_units, 1);
        assert_eq!(state.model, State::default().model);
    }
}
