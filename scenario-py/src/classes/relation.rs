//! `Relation`, `PeerRelation` and `SubordinateRelation`, and the relation events they make.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scenario_model::{self as model, AnyRelation, Databag, normalize_name};

use crate::classes::event::PyEvent;
use crate::convert::{databag_from_py, databag_to_py, unit_databags_from_py, unit_databags_to_py};
use crate::dataclass::{Field, factory, required, state_class, value};

fn bag(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Databag> {
    obj.map_or_else(|| Ok(Databag::new()), |o| databag_from_py(o, field))
}

fn id_or_next(relation_id: Option<u32>) -> u32 {
    relation_id.unwrap_or_else(|| model::next_relation_id(true))
}

/// A relation class: the state-class protocol plus what all three kinds share (their
/// common fields and the five relation events named after the endpoint).
macro_rules! relation_class {
    ($cls:ident, $pyname:literal, $fields:expr; $($body:tt)*) => {
        state_class! { $cls, $pyname, $fields, inner;
        #[getter]
        fn created_event(&self) -> PyEvent {
            self.event("_relation_created")
        }
        #[getter]
        fn joined_event(&self) -> PyEvent {
            self.event("_relation_joined")
        }
        #[getter]
        fn changed_event(&self) -> PyEvent {
            self.event("_relation_changed")
        }
        #[getter]
        fn departed_event(&self) -> PyEvent {
            self.event("_relation_departed")
        }
        #[getter]
        fn broken_event(&self) -> PyEvent {
            self.event("_relation_broken")
        }
        #[getter]
        fn endpoint(&self) -> &str {
            &self.inner.endpoint
        }
        #[getter]
        fn interface(&self) -> Option<&str> {
            self.inner.interface.as_deref()
        }
        #[getter]
        fn relation_id(&self) -> u32 {
            self.inner.relation_id
        }
        #[getter]
        fn local_app_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            databag_to_py(py, &self.inner.local_app_data)
        }
        #[getter]
        fn local_unit_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            databag_to_py(py, &self.inner.local_unit_data)
        }
        /// The remote unit ids, as the events default to the first of them.
        #[getter]
        fn _remote_unit_ids(&self) -> Vec<u32> {
            self.any().remote_unit_ids()
        }
        $($body)*
        }
    };
}

macro_rules! relation_helpers {
    ($cls:ident, $variant:ident) => {
        impl $cls {
            pub fn any(&self) -> AnyRelation {
                AnyRelation::$variant(Arc::clone(&self.inner))
            }

            fn event(&self, suffix: &str) -> PyEvent {
                let path = format!("{}{suffix}", normalize_name(&self.inner.endpoint));
                PyEvent::for_relation(&path, self.any())
            }
        }
    };
}

const RELATION_FIELDS: &[Field] = &[
    required("endpoint"),
    value("interface", "None"),
    value("relation_id", "None"),
    factory("local_app_data", "{}"),
    factory("local_unit_data", "{}"),
    value("remote_app_name", "'remote'"),
    value("limit", "1"),
    factory("remote_app_data", "{}"),
    factory("remote_units_data", "{0: {}}"),
];

/// A relation with a remote application.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "Relation"
)]
#[derive(Debug)]
pub struct PyRelation {
    pub inner: Arc<model::Relation>,
}

relation_helpers!(PyRelation, Regular);

relation_class! { PyRelation, "Relation", RELATION_FIELDS;
    #[new]
    #[pyo3(signature = (endpoint, interface=None, relation_id=None, local_app_data=None, local_unit_data=None, remote_app_name="remote", limit=1, remote_app_data=None, remote_units_data=None))]
    fn new(
        endpoint: String,
        interface: Option<String>,
        relation_id: Option<u32>,
        local_app_data: Option<&Bound<'_, PyAny>>,
        local_unit_data: Option<&Bound<'_, PyAny>>,
        remote_app_name: &str,
        limit: u32,
        remote_app_data: Option<&Bound<'_, PyAny>>,
        remote_units_data: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let remote_units_data = match remote_units_data {
            Some(o) => unit_databags_from_py(o, "remote_units_data")?,
            None => model::UnitDatabags::from([(0, Databag::new())]),
        };
        Ok(PyRelation {
            inner: Arc::new(model::Relation {
                local_app_data: bag(local_app_data, "local_app_data")?,
                local_unit_data: bag(local_unit_data, "local_unit_data")?,
                remote_app_data: bag(remote_app_data, "remote_app_data")?,
                remote_units_data,
                relation_id: id_or_next(relation_id),
                endpoint,
                interface,
                remote_app_name: remote_app_name.to_owned(),
                limit,
            }),
        })
    }

    #[getter]
    fn remote_app_name(&self) -> &str {
        &self.inner.remote_app_name
    }
    #[getter]
    fn limit(&self) -> u32 {
        self.inner.limit
    }
    #[getter]
    fn remote_app_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        databag_to_py(py, &self.inner.remote_app_data)
    }
    #[getter]
    fn remote_units_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        unit_databags_to_py(py, &self.inner.remote_units_data)
    }
}

const PEER_FIELDS: &[Field] = &[
    required("endpoint"),
    value("interface", "None"),
    value("relation_id", "None"),
    factory("local_app_data", "{}"),
    factory("local_unit_data", "{}"),
    factory("peers_data", "{0: {}}"),
];

/// A relation of this application with its own other units.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "PeerRelation"
)]
#[derive(Debug)]
pub struct PyPeerRelation {
    pub inner: Arc<model::PeerRelation>,
}

relation_helpers!(PyPeerRelation, Peer);

relation_class! { PyPeerRelation, "PeerRelation", PEER_FIELDS;
    #[new]
    #[pyo3(signature = (endpoint, interface=None, relation_id=None, local_app_data=None, local_unit_data=None, peers_data=None))]
    fn new(
        endpoint: String,
        interface: Option<String>,
        relation_id: Option<u32>,
        local_app_data: Option<&Bound<'_, PyAny>>,
        local_unit_data: Option<&Bound<'_, PyAny>>,
        peers_data: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let peers_data = match peers_data {
            Some(o) => unit_databags_from_py(o, "peers_data")?,
            None => model::UnitDatabags::from([(0, Databag::new())]),
        };
        Ok(PyPeerRelation {
            inner: Arc::new(model::PeerRelation {
                local_app_data: bag(local_app_data, "local_app_data")?,
                local_unit_data: bag(local_unit_data, "local_unit_data")?,
                peers_data,
                relation_id: id_or_next(relation_id),
                endpoint,
                interface,
            }),
        })
    }

    #[getter]
    fn peers_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        unit_databags_to_py(py, &self.inner.peers_data)
    }
}

const SUBORDINATE_FIELDS: &[Field] = &[
    required("endpoint"),
    value("interface", "None"),
    value("relation_id", "None"),
    factory("local_app_data", "{}"),
    factory("local_unit_data", "{}"),
    factory("remote_app_data", "{}"),
    factory("remote_unit_data", "{}"),
    value("remote_app_name", "'remote'"),
    value("remote_unit_id", "0"),
];

/// A relation on a `scope: container` endpoint: exactly one remote unit.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "SubordinateRelation"
)]
#[derive(Debug)]
pub struct PySubordinateRelation {
    pub inner: Arc<model::SubordinateRelation>,
}

relation_helpers!(PySubordinateRelation, Subordinate);

relation_class! { PySubordinateRelation, "SubordinateRelation", SUBORDINATE_FIELDS;
    #[new]
    #[pyo3(signature = (endpoint, interface=None, relation_id=None, local_app_data=None, local_unit_data=None, remote_app_data=None, remote_unit_data=None, remote_app_name="remote", remote_unit_id=0))]
    fn new(
        endpoint: String,
        interface: Option<String>,
        relation_id: Option<u32>,
        local_app_data: Option<&Bound<'_, PyAny>>,
        local_unit_data: Option<&Bound<'_, PyAny>>,
        remote_app_data: Option<&Bound<'_, PyAny>>,
        remote_unit_data: Option<&Bound<'_, PyAny>>,
        remote_app_name: &str,
        remote_unit_id: u32,
    ) -> PyResult<Self> {
        Ok(PySubordinateRelation {
            inner: Arc::new(model::SubordinateRelation {
                local_app_data: bag(local_app_data, "local_app_data")?,
                local_unit_data: bag(local_unit_data, "local_unit_data")?,
                remote_app_data: bag(remote_app_data, "remote_app_data")?,
                remote_unit_data: bag(remote_unit_data, "remote_unit_data")?,
                relation_id: id_or_next(relation_id),
                endpoint,
                interface,
                remote_app_name: remote_app_name.to_owned(),
                remote_unit_id,
            }),
        })
    }

    #[getter]
    fn remote_app_name(&self) -> &str {
        &self.inner.remote_app_name
    }
    #[getter]
    fn remote_unit_id(&self) -> u32 {
        self.inner.remote_unit_id
    }
    #[getter]
    fn remote_unit_name(&self) -> String {
        self.inner.remote_unit_name()
    }
    #[getter]
    fn remote_app_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        databag_to_py(py, &self.inner.remote_app_data)
    }
    #[getter]
    fn remote_unit_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        databag_to_py(py, &self.inner.remote_unit_data)
    }
}

/// Any relation object from Python as the model's [`AnyRelation`].
pub fn relation_from_py(obj: &Bound<'_, PyAny>) -> PyResult<AnyRelation> {
    if let Ok(r) = obj.cast::<PyRelation>() {
        return Ok(r.get().any());
    }
    if let Ok(r) = obj.cast::<PyPeerRelation>() {
        return Ok(r.get().any());
    }
    if let Ok(r) = obj.cast::<PySubordinateRelation>() {
        return Ok(r.get().any());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "expected a Relation, PeerRelation or SubordinateRelation, got {}",
        crate::convert::type_name(obj)
    )))
}

/// The model's relation as its Python class, sharing the Rust value.
pub fn relation_to_py<'py>(py: Python<'py>, relation: &AnyRelation) -> PyResult<Bound<'py, PyAny>> {
    Ok(match relation {
        AnyRelation::Regular(r) => Bound::new(
            py,
            PyRelation {
                inner: Arc::clone(r),
            },
        )?
        .into_any(),
        AnyRelation::Peer(r) => Bound::new(
            py,
            PyPeerRelation {
                inner: Arc::clone(r),
            },
        )?
        .into_any(),
        AnyRelation::Subordinate(r) => Bound::new(
            py,
            PySubordinateRelation {
                inner: Arc::clone(r),
            },
        )?
        .into_any(),
    })
}
