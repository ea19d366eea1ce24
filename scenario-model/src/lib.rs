//! The state model of Scenario: what goes into and comes out of one charm run.
//!
//! Pure data with serde: the [`State`] and its parts, [`Event`]s and [`Action`]s, the
//! [`CharmSpec`] (metadata, config, actions, with charmcraft's extensions merged in) and
//! the [`Value`] type for the simple Python values ops persists. No Python and no hook
//! logic live here.
//!
//! A State is plain data: build it, change a copy, and read or write it as the JSON and
//! YAML documents `State.to_json()` and `to_yaml()` make in Python.
//!
//! ```
//! use std::sync::Arc;
//!
//! use scenario_model::{AnyRelation, Relation, State, Value};
//!
//! # fn main() -> Result<(), scenario_model::ModelError> {
//! let mut db = Relation::new("db");
//! db.remote_app_data.insert("host".into(), "10.0.0.1".into());
//! let state = State {
//!     leader: true,
//!     config: Arc::new([("port".to_owned(), Value::Int(8080))].into_iter().collect()),
//!     relations: Arc::new(vec![AnyRelation::from(db)]),
//!     ..State::default()
//! };
//!
//! // A clone shares every part until one is written to.
//! let mut output = state.clone();
//! output.leader = false;
//! assert!(Arc::ptr_eq(&state.relations, &output.relations));
//!
//! // The document names each relation's kind; the fields left out take their defaults.
//! let yaml = state.to_yaml()?;
//! assert!(yaml.contains("- regular:"));
//! assert_eq!(State::from_yaml(&yaml)?, state);
//! let read = State::from_json(r#"{"leader": true, "storages": [{"name": "data", "index": 0}]}"#)?;
//! assert_eq!(read.storage[0].storage_id(), "data/0");
//! assert_eq!(read.planned_units, 1);
//!
//! // An unknown key is refused, naming the field meant.
//! let error = State::from_json(r#"{"leadr": true}"#).unwrap_err();
//! assert!(error.to_string().contains("leader"), "{error}");
//! # Ok(())
//! # }
//! ```

pub mod api;
pub mod container;
pub mod databag;
pub mod deferred;
pub mod error;
pub mod event;
pub mod extensions;
pub mod juju_model;
pub mod names;
pub mod network;
pub mod port;
pub mod relation;
pub mod secret;
pub mod spec;
pub mod state;
pub mod status;
pub mod storage;
pub mod stored_state;
pub mod value;

pub use api::{Api, ApiDefault, juju_default_unit_databag};
pub use container::{
    CheckInfo, CheckLevel, CheckStartup, CheckStatus, Container, Exec, ExecOutput, Layer,
    LayerObject, LayerProblem, Mount, Notice, ServiceStatus, next_change_id, next_notice_id,
};
pub use databag::{Databag, UnitDatabags};
pub use deferred::{DeferredEvent, DeferredEventError};
pub use error::ModelError;
pub use event::{Action, Event, EventKind, RelationEventKind, next_action_id, normalize_name};
pub use extensions::{ExtensionError, ExtensionWarning};
pub use juju_model::{CloudCredential, CloudSpec, Model};
pub use network::{Address, BindAddress, Network};
pub use port::{Port, PortError, Protocol};
pub use relation::{
    AnyRelation, DatabagOwner, PeerRelation, Relation, SubordinateRelation, next_relation_id,
};
pub use secret::{Secret, SecretGrant, SecretOwner, SecretRotate};
pub use spec::{CharmSpec, ConfigOption, Endpoint, EndpointRole, LoadedSpec, ShapeProblem};
pub use state::State;
pub use status::{EntityStatus, StatusName};
pub use storage::{Storage, next_storage_index};
pub use stored_state::StoredState;
pub use value::{DictKey, Value};
