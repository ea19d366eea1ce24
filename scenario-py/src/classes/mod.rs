//! The state classes: the model as frozen pyclasses, each a thin wrapper over the shared Rust value.

pub mod container;
pub mod deferred;
pub mod event;
pub mod model;
pub mod network;
pub mod pebble_objects;
pub mod port;
pub mod relation;
pub mod resource;
pub mod secret;
pub mod state;
pub mod storage;
pub mod stored_state;

use pyo3::prelude::*;

/// A stable hash of a model value, for the hashable classes (Port, Storage, Model).
pub fn hash_of<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    // Each state class, with its fields writable through `object.__setattr__`.
    macro_rules! state_classes {
        ($($cls:ty),+ $(,)?) => {$(
            m.add_class::<$cls>()?;
            crate::dataclass::make_fields_writable::<$cls>(py)?;
        )+};
    }
    state_classes!(
        state::PyState,
        relation::PyRelation,
        relation::PyPeerRelation,
        relation::PySubordinateRelation,
        model::PyModel,
        container::PyContainer,
        container::PyMount,
        container::PyExecOutput,
        container::PyExec,
        pebble_objects::PyCheckInfo,
        pebble_objects::PyNotice,
        model::PyCloudSpec,
        model::PyCloudCredential,
        resource::PyResource,
        network::PyAddress,
        network::PyBindAddress,
        network::PyNetwork,
        port::PyPort,
        port::PyTcpPort,
        port::PyUdpPort,
        port::PyIcmpPort,
        storage::PyStorage,
        stored_state::PyStoredState,
        secret::PySecret,
        deferred::PyDeferredEvent,
        event::PyAction,
        event::PyEvent,
    );
    Ok(())
}
