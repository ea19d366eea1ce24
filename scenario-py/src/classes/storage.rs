//! `Storage`: an attached storage instance.

use pyo3::prelude::*;
use scenario_model as model;

use crate::classes::event::PyEvent;
use crate::convert::args;
use crate::dataclass::{Field, Fields, required, state_class, value};

const FIELDS: &[Field] = &[required("name"), value("index", "None")];

/// One attached storage instance, `<name>/<index>`.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Storage"
)]
#[derive(Debug, Clone)]
pub struct PyStorage {
    pub inner: model::Storage,
}

impl Fields for PyStorage {}

impl PyStorage {
    fn event(&self, suffix: &str) -> PyEvent {
        let mut event = model::Event::new(&format!("{}{suffix}", self.inner.name));
        event.storage = Some(self.inner.clone());
        PyEvent::from_model(event)
    }
}

args!(storage_arg, "Storage": name, index);

state_class! { PyStorage, "Storage", FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (name, index=None))]
    fn new(
        #[pyo3(from_py_with = storage_arg::name)] name: String,
        #[pyo3(from_py_with = storage_arg::index)] index: Option<u32>,
    ) -> PyResult<Self> {
        crate::errors::check_name(scenario_model::names::NameKind::Storage, &name, "Storage.name")?;
        let index = index.unwrap_or_else(|| model::next_storage_index(true));
        Ok(PyStorage { inner: model::Storage { name, index } })
    }
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    #[getter]
    fn index(&self) -> u32 {
        self.inner.index
    }
    #[getter]
    fn attached_event(&self) -> PyEvent {
        self.event("_storage_attached")
    }
    #[getter]
    fn detaching_event(&self) -> PyEvent {
        self.event("_storage_detaching")
    }
    /// The host directory standing for this storage's mount in runs of `ctx` (created).
    fn get_filesystem<'py>(&self, ctx: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        ctx.call_method1("_get_storage_root", (self.inner.name.as_str(), self.inner.index))
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }
    /// Storages compare by name and index, with one another and with ops's `Storage`.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let theirs = if let Ok(s) = other.cast::<PyStorage>() {
            Some((s.get().inner.name.clone(), i64::from(s.get().inner.index)))
        } else if other.get_type().module()?.to_cow()?.starts_with("ops") && other.hasattr("index")? {
            Some((other.getattr("name")?.extract()?, other.getattr("index")?.extract()?))
        } else {
            None
        };
        Ok(match theirs {
            Some(theirs) => {
                let equal = theirs == (self.inner.name.clone(), i64::from(self.inner.index));
                pyo3::types::PyBool::new(py, equal).to_owned().into_any().unbind()
            }
            None => py.NotImplemented(),
        })
    }
}
