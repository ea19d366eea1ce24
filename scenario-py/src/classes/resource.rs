//! `Resource`: a file attached to the charm as one of its metadata's resources
//! (ops[testing]'s form; Scenario 5 gives `State.resources` as a dict of name to path).

use pyo3::prelude::*;

use crate::convert::{args, fspath};
use crate::dataclass::{Field, Fields, required, state_class};

const FIELDS: &[Field] = &[required("name"), required("path")];

/// A resource attached to the application (ops[testing]'s form): what ``resource-get``
/// answers, so that ``self.model.resources.fetch(name)`` gives ``path``. Both arguments are
/// keyword only and required:
///
/// - ``name``: the resource's name, as the charm's metadata declares it under
///   ``resources``.
/// - ``path``: the file on the test's machine that stands for the resource's content (a
///   ``str`` or a ``pathlib.Path``, handed back as given).
///
/// Juju refuses to deploy a charm without its resources, but a test need give only those
/// the charm fetches. Scenario 5 gave ``State(resources={name: path})`` instead, which
/// works too. For example:
/// ``State(resources={Resource(name="model", path=tmp_path / "model.bin")})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Resource"
)]
#[derive(Debug)]
pub struct PyResource {
    pub name: String,
    /// The path's string form, which `resource-get` answers.
    pub path: String,
    /// The path as given (a `str` or a path object), handed back as it was.
    given: Option<Py<PyAny>>,
}

impl Fields for PyResource {}

impl PyResource {
    pub fn new_shared(name: String, path: String) -> Self {
        PyResource {
            name,
            path,
            given: None,
        }
    }
}

impl PartialEq for PyResource {
    fn eq(&self, other: &Self) -> bool {
        (&self.name, &self.path) == (&other.name, &other.path)
    }
}

args!(resource_arg, PyResource "Resource": name);

state_class! { PyResource, "Resource", FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (*, name, path))]
    fn new(#[pyo3(from_py_with = resource_arg::name)] name: String, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = fspath(path, "Resource.path")?;
        Ok(PyResource { name, path: text, given: Some(path.clone().unbind()) })
    }
    /// The resource's name, as the charm's metadata declares it under ``resources``.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }
    /// The file standing for the resource's content, which ``resource-get`` answers (as
    /// given: a ``str`` or a ``pathlib.Path``).
    #[getter]
    fn path(&self, py: Python<'_>) -> Py<PyAny> {
        match &self.given {
            Some(p) => p.clone_ref(py),
            None => pyo3::types::PyString::new(py, &self.path).into_any().unbind(),
        }
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let py = other.py();
        match other.cast::<PyResource>() {
            Ok(o) => pyo3::types::PyBool::new(py, self == o.get()).to_owned().into_any().unbind(),
            Err(_) => py.NotImplemented(),
        }
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&(&self.name, &self.path))
    }
}
