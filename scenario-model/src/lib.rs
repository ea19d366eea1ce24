//! The state model of Scenario: what goes into and comes out of one charm run.
//!
//! Pure data with serde: the [`State`] and its parts, [`Event`]s and [`Action`]s, the
//! [`CharmSpec`] (metadata, config, actions, with charmcraft's extensions merged in) and
//! the [`Value`] type for the simple Python values ops persists. No Python and no hook
//! logic live here.

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
