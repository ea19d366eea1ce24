//! `Storage`: an attached storage instance.

use pyo3::prelude::*;
use scenario_model as model;

use crate::classes::event::PyEvent;
use crate::convert::args;
use crate::dataclass::{Field, Fields, required, state_class, value};

const FIELDS: &[Field] = &[required("name"), value("index", "None")];

/// One attached instance of a storage the charm's metadata declares, ``<name>/<index>``:
/// what ``storage-list`` and ``storage-get`` answer. A storage that is not attached is left
/// out of ``State.storages``.
///
/// - ``name``: the storage's name, as the metadata declares it under ``storage``
///   (required).
/// - ``index``: the instance's number; when not given, the next of a counter shared by the
///   process, so that each instance is distinct.
///
/// Its filesystem is a directory of the test's machine, ``get_filesystem(ctx)``. For
/// example: ``State(storages={Storage("data")})``.
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

args!(storage_arg, PyStorage "Storage": name, index);

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
    /// The storage's name, as the charm's metadata declares it under ``storage``.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The instance's number: the storage instance is ``<name>/<index>``.
    #[getter]
    fn index(&self) -> u32 {
        self.inner.index
    }
    /// ``<name>-storage-attached`` about this storage instance (Scenario 5's form of
    /// ``ctx.on.storage_attached(storage)``).
    #[getter]
    fn attached_event(&self) -> PyEvent {
        self.event("_storage_attached")
    }
    /// ``<name>-storage-detaching`` about this storage instance (Scenario 5's form of
    /// ``ctx.on.storage_detaching(storage)``).
    #[getter]
    fn detaching_event(&self) -> PyEvent {
        self.event("_storage_detaching")
    }
    /// The directory of the test's machine that stands for this storage's mount point in
    /// runs of ``ctx`` (a ``pathlib.Path``, made if missing): ``storage-get location``
    /// answers it, so a test may put files there and read what the charm wrote.
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
