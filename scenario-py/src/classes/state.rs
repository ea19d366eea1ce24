//! `State`: the whole input or output of one charm run, as a frozen pyclass over the shared
//! Rust [`scenario_model::State`].

use std::sync::Arc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use scenario_model::{self as model, EntityStatus};

use crate::classes::container::PyContainer;
use crate::classes::deferred::PyDeferredEvent;
use crate::classes::model::PyModel;
use crate::classes::network::PyNetwork;
use crate::classes::port::PyPort;
use crate::classes::relation::{relation_from_py, relation_to_py};
use crate::classes::secret::PySecret;
use crate::classes::storage::PyStorage;
use crate::classes::stored_state::PyStoredState;
use crate::convert::{
    items, status_from_py, status_to_py, str_value_map_from_py, str_value_map_to_py, type_name,
};
use crate::dataclass::{Field, factory, state_class, value};

const FIELDS: &[Field] = &[
    factory("config", "{}"),
    factory("relations", "[]"),
    factory("networks", "[]"),
    factory("containers", "[]"),
    factory("storage", "[]"),
    factory("opened_ports", "[]"),
    value("leader", "False"),
    value("model", "None"),
    factory("secrets", "[]"),
    factory("resources", "{}"),
    value("planned_units", "1"),
    value("unit_id", "0"),
    factory("deferred", "[]"),
    factory("stored_state", "[]"),
    value("app_status", "None"),
    value("unit_status", "None"),
    value("workload_version", "''"),
];

/// The state of the unit and of everything it can see.
#[pyclass(frozen, skip_from_py_object, module = "scenario.state", name = "State")]
#[derive(Debug)]
pub struct PyState {
    pub inner: model::State,
}

fn list_of<T>(
    obj: Option<&Bound<'_, PyAny>>,
    field: &str,
    f: impl Fn(&Bound<'_, PyAny>) -> PyResult<T>,
) -> PyResult<Arc<Vec<T>>> {
    let Some(obj) = obj else {
        return Ok(Arc::default());
    };
    let items = items(obj, field)?;
    let out = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            f(item).map_err(|e| {
                let py = obj.py();
                PyErr::from_type(e.get_type(py), format!("{field}[{i}]: {}", e.value(py)))
            })
        })
        .collect::<PyResult<Vec<T>>>()?;
    Ok(Arc::new(out))
}

fn cast_err<T>(what: &str) -> impl Fn(&Bound<'_, PyAny>) -> PyErr + '_ {
    let _ = std::marker::PhantomData::<T>;
    move |o| PyTypeError::new_err(format!("expected {what}, got {}", type_name(o)))
}

impl PyState {
    pub fn wrap(inner: model::State) -> Self {
        PyState { inner }
    }
}

state_class! { PyState, "State", FIELDS, inner;
    #[new]
    #[pyo3(signature = (config=None, relations=None, networks=None, containers=None, storage=None, opened_ports=None, leader=false, model=None, secrets=None, resources=None, planned_units=1, unit_id=0, deferred=None, stored_state=None, app_status=None, unit_status=None, workload_version=""))]
    fn new(
        config: Option<&Bound<'_, PyAny>>,
        relations: Option<&Bound<'_, PyAny>>,
        networks: Option<&Bound<'_, PyAny>>,
        containers: Option<&Bound<'_, PyAny>>,
        storage: Option<&Bound<'_, PyAny>>,
        opened_ports: Option<&Bound<'_, PyAny>>,
        leader: bool,
        model: Option<&Bound<'_, PyModel>>,
        secrets: Option<&Bound<'_, PyAny>>,
        resources: Option<&Bound<'_, PyDict>>,
        planned_units: u32,
        unit_id: u32,
        deferred: Option<&Bound<'_, PyAny>>,
        stored_state: Option<&Bound<'_, PyAny>>,
        app_status: Option<&Bound<'_, PyAny>>,
        unit_status: Option<&Bound<'_, PyAny>>,
        workload_version: &str,
    ) -> PyResult<Self> {
        let config = match config {
            Some(c) => Arc::new(str_value_map_from_py(c, "config")?),
            None => Arc::default(),
        };
        let mut res = indexmap::IndexMap::new();
        for (k, v) in resources.into_iter().flat_map(pyo3::types::PyDictMethods::iter) {
            let path: String = v.py().import("os")?.call_method1("fspath", (&v,))?.extract()?;
            res.insert(k.extract::<String>()?, path);
        }
        let status = |s: Option<&Bound<'_, PyAny>>, field: &str| -> PyResult<EntityStatus> {
            s.filter(|s| !s.is_none()).map_or_else(|| Ok(EntityStatus::default()), |s| status_from_py(s, field))
        };
        Ok(PyState {
            inner: model::State {
                config,
                relations: list_of(relations, "relations", relation_from_py)?,
                networks: list_of(networks, "networks", |o| {
                    Ok(o.cast::<PyNetwork>().map_err(|_| cast_err::<()>("Network")(o))?.get().inner.clone())
                })?,
                containers: list_of(containers, "containers", |o| {
                    Ok(Arc::clone(&o.cast::<PyContainer>().map_err(|_| cast_err::<()>("Container")(o))?.get().inner))
                })?,
                storage: list_of(storage, "storage", |o| {
                    Ok(o.cast::<PyStorage>().map_err(|_| cast_err::<()>("Storage")(o))?.get().inner.clone())
                })?,
                opened_ports: list_of(opened_ports, "opened_ports", |o| {
                    Ok(o.cast::<PyPort>().map_err(|_| cast_err::<()>("Port")(o))?.get().inner)
                })?,
                leader,
                model: Arc::new(model.map_or_else(model::Model::default, |m| m.get().inner.clone())),
                secrets: list_of(secrets, "secrets", |o| {
                    Ok(Arc::clone(&o.cast::<PySecret>().map_err(|_| cast_err::<()>("Secret")(o))?.get().inner))
                })?,
                resources: Arc::new(res),
                planned_units,
                unit_id,
                deferred: list_of(deferred, "deferred", |o| {
                    Ok(o.cast::<PyDeferredEvent>().map_err(|_| cast_err::<()>("DeferredEvent")(o))?.get().inner.clone())
                })?,
                stored_state: list_of(stored_state, "stored_state", |o| {
                    Ok(o.cast::<PyStoredState>().map_err(|_| cast_err::<()>("StoredState")(o))?.get().inner.clone())
                })?,
                app_status: status(app_status, "app_status")?,
                unit_status: status(unit_status, "unit_status")?,
                workload_version: workload_version.to_owned(),
            },
        })
    }

    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        str_value_map_to_py(py, &self.inner.config)
    }
    #[getter(relations)]
    fn relation_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.relations.iter().map(|r| relation_to_py(py, r)).collect::<PyResult<Vec<_>>>()?)
    }
    #[getter]
    fn networks(&self) -> Vec<PyNetwork> {
        self.inner.networks.iter().cloned().map(|inner| PyNetwork { inner }).collect()
    }
    #[getter]
    fn containers(&self) -> Vec<PyContainer> {
        self.inner.containers.iter().cloned().map(|inner| PyContainer { inner }).collect()
    }
    #[getter]
    fn storage(&self) -> Vec<PyStorage> {
        self.inner.storage.iter().cloned().map(|inner| PyStorage { inner }).collect()
    }
    #[getter]
    fn opened_ports(&self) -> Vec<PyPort> {
        self.inner.opened_ports.iter().copied().map(|inner| PyPort { inner }).collect()
    }
    #[getter]
    fn leader(&self) -> bool {
        self.inner.leader
    }
    #[getter]
    fn model(&self) -> PyModel {
        PyModel { inner: (*self.inner.model).clone() }
    }
    #[getter]
    fn secrets(&self) -> Vec<PySecret> {
        self.inner.secrets.iter().cloned().map(|inner| PySecret { inner }).collect()
    }
    #[getter]
    fn resources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (k, v) in self.inner.resources.iter() {
            out.set_item(k, v)?;
        }
        Ok(out)
    }
    #[getter]
    fn planned_units(&self) -> u32 {
        self.inner.planned_units
    }
    #[getter]
    fn unit_id(&self) -> u32 {
        self.inner.unit_id
    }
    #[getter]
    fn deferred(&self) -> Vec<PyDeferredEvent> {
        self.inner.deferred.iter().cloned().map(PyDeferredEvent::from_model).collect()
    }
    #[getter]
    fn stored_state(&self) -> Vec<PyStoredState> {
        self.inner.stored_state.iter().cloned().map(|inner| PyStoredState { inner }).collect()
    }
    #[getter]
    fn app_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        status_to_py(py, &self.inner.app_status)
    }
    #[getter]
    fn unit_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        status_to_py(py, &self.inner.unit_status)
    }
    #[getter]
    fn workload_version(&self) -> &str {
        &self.inner.workload_version
    }

    /// The container with this name (or the same name as this container).
    #[pyo3(name = "get_container")]
    fn container_named(&self, container: &Bound<'_, PyAny>) -> PyResult<PyContainer> {
        let name: String = match container.cast::<PyContainer>() {
            Ok(c) => c.get().inner.name.clone(),
            Err(_) => container.extract()?,
        };
        self.inner
            .container(&name)
            .map(|c| PyContainer { inner: Arc::clone(c) })
            .ok_or_else(|| PyValueError::new_err(format!("container {name:?} not found in the state")))
    }

    /// The relations on an endpoint (dashes and underscores alike).
    #[pyo3(name = "get_relations")]
    fn relations_on<'py>(&self, py: Python<'py>, endpoint: &str) -> PyResult<Bound<'py, PyTuple>> {
        let found = self.inner.relations_on(endpoint).into_iter().map(|r| relation_to_py(py, r)).collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, found)
    }

    /// The relation with this id.
    #[pyo3(name = "get_relation")]
    fn relation_by_id<'py>(&self, py: Python<'py>, relation_id: u32) -> PyResult<Bound<'py, PyAny>> {
        let relation = self.inner.relation(relation_id).ok_or_else(|| {
            PyValueError::new_err(format!("relation {relation_id} not found in the state"))
        })?;
        relation_to_py(py, relation)
    }

    /// The attached storages with this name.
    #[pyo3(name = "get_storages")]
    fn storages_named(&self, name: &str) -> Vec<PyStorage> {
        self.inner.storage.iter().filter(|s| s.name == name).cloned().map(|inner| PyStorage { inner }).collect()
    }

    /// A copy whose container `name` has `can_connect` set to `can_connect`.
    fn with_can_connect(&self, name: &str, can_connect: bool) -> PyResult<Self> {
        let mut state = self.inner.clone();
        let container = state.container_mut(name).ok_or_else(|| {
            PyValueError::new_err(format!("container {name:?} not found in the state"))
        })?;
        container.can_connect = can_connect;
        Ok(PyState::wrap(state))
    }

    /// A copy with `leader` set.
    fn with_leadership(&self, leader: bool) -> Self {
        let mut state = self.inner.clone();
        state.leader = leader;
        PyState::wrap(state)
    }

    /// A copy with the unit status set.
    fn with_unit_status(&self, status: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut state = self.inner.clone();
        state.unit_status = status_from_py(status, "unit_status")?;
        Ok(PyState::wrap(state))
    }

    /// The JSON patch (sorted by path and op) that turns `other` into this State; needs the
    /// optional `jsonpatch` package.
    fn jsonpatch_delta<'py>(slf: &Bound<'py, Self>, other: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("scenario.state")?.getattr("_jsonpatch_delta")?.call1((slf, other))
    }

    /// The state as JSON; `State.from_json` reads it back.
    fn to_json(&self) -> PyResult<String> {
        self.inner.to_json().map_err(|e| PyValueError::new_err(e.to_string()))
    }
    /// The state as YAML; `State.from_yaml` reads it back.
    fn to_yaml(&self) -> PyResult<String> {
        self.inner.to_yaml().map_err(|e| PyValueError::new_err(e.to_string()))
    }
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        model::State::from_json(text).map(PyState::wrap).map_err(|e| PyValueError::new_err(error_chain(&e)))
    }
    #[staticmethod]
    fn from_yaml(text: &str) -> PyResult<Self> {
        model::State::from_yaml(text).map(PyState::wrap).map_err(|e| PyValueError::new_err(error_chain(&e)))
    }
}

/// An error with its causes, `a: b: c`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
