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
    m.add_class::<state::PyState>()?;
    m.add_class::<relation::PyRelation>()?;
    m.add_class::<relation::PyPeerRelation>()?;
    m.add_class::<relation::PySubordinateRelation>()?;
    m.add_class::<model::PyModel>()?;
    m.add_class::<container::PyContainer>()?;
    m.add_class::<container::PyMount>()?;
    m.add_class::<container::PyExecOutput>()?;
    m.add_class::<container::PyExec>()?;
    m.add_class::<pebble_objects::PyCheckInfo>()?;
    m.add_class::<pebble_objects::PyNotice>()?;
    m.add_class::<model::PyCloudSpec>()?;
    m.add_class::<model::PyCloudCredential>()?;
    m.add_class::<resource::PyResource>()?;
    m.add_class::<network::PyAddress>()?;
    m.add_class::<network::PyBindAddress>()?;
    m.add_class::<network::PyNetwork>()?;
    m.add_class::<port::PyPort>()?;
    m.add_class::<port::PyTcpPort>()?;
    m.add_class::<port::PyUdpPort>()?;
    m.add_class::<port::PyIcmpPort>()?;
    m.add_class::<storage::PyStorage>()?;
    m.add_class::<stored_state::PyStoredState>()?;
    m.add_class::<secret::PySecret>()?;
    m.add_class::<deferred::PyDeferredEvent>()?;
    m.add_class::<event::PyAction>()?;
    m.add_class::<event::PyEvent>()?;
    Ok(())
}
