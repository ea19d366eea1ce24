//! `StoredState`: the content of one `StoredState` attribute between hooks.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scenario_model as model;

use crate::convert::{str_value_map_from_py, str_value_map_to_py};
use crate::dataclass::{Field, factory, required, state_class, value};

const FIELDS: &[Field] = &[
    required("owner_path"),
    value("name", "'_stored'"),
    factory("content", "{}"),
    value("data_type_name", "'StoredStateData'"),
];

/// Stored state of the charm or of one of its objects.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "StoredState"
)]
#[derive(Debug)]
pub struct PyStoredState {
    pub inner: model::StoredState,
}

state_class! { PyStoredState, "StoredState", FIELDS, inner;
    #[new]
    #[pyo3(signature = (owner_path, name="_stored", content=None, data_type_name="StoredStateData"))]
    fn new(owner_path: Option<String>, name: &str, content: Option<&Bound<'_, PyAny>>, data_type_name: &str) -> PyResult<Self> {
        let content = content.map_or_else(|| Ok(indexmap::IndexMap::new()), |c| str_value_map_from_py(c, "content"))?;
        Ok(PyStoredState { inner: model::StoredState { owner_path, name: name.to_owned(), content, data_type_name: data_type_name.to_owned() } })
    }
    #[getter]
    fn owner_path(&self) -> Option<&str> {
        self.inner.owner_path.as_deref()
    }
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    #[getter]
    fn content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        str_value_map_to_py(py, &self.inner.content)
    }
    #[getter]
    fn data_type_name(&self) -> &str {
        &self.inner.data_type_name
    }
    /// The handle path ops saves it under.
    #[getter]
    fn handle_path(&self) -> String {
        self.inner.handle_path()
    }
}
