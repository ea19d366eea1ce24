//! `Model`: the Juju model the unit is in.

use pyo3::prelude::*;
use scenario_model as model;

use crate::dataclass::{Field, state_class, value};

const FIELDS: &[Field] = &[
    value("name", "None"),
    value("uuid", "None"),
    value("type", "'kubernetes'"),
];

/// A Juju model. The defaulted name and uuid are random, once per process.
#[pyclass(frozen, skip_from_py_object, module = "scenario.state", name = "Model")]
#[derive(Debug)]
pub struct PyModel {
    pub inner: model::Model,
}

state_class! { PyModel, "Model", FIELDS, inner;
    #[new]
    #[pyo3(signature = (name=None, uuid=None, r#type="kubernetes"))]
    fn new(name: Option<String>, uuid: Option<String>, r#type: &str) -> Self {
        let default = model::Model::default();
        PyModel {
            inner: model::Model {
                name: name.unwrap_or(default.name),
                uuid: uuid.unwrap_or(default.uuid),
                model_type: r#type.to_owned(),
            },
        }
    }
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    #[getter]
    fn uuid(&self) -> &str {
        &self.inner.uuid
    }
    #[getter]
    fn r#type(&self) -> &str {
        &self.inner.model_type
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }
}
