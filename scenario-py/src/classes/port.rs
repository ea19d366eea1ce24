//! `Port`: a port (or ICMP) opened on the unit.

use pyo3::prelude::*;
use scenario_model as model;

use crate::dataclass::{Field, required, state_class, value};
use crate::errors::state_validation_error;

const FIELDS: &[Field] = &[required("protocol"), value("port", "None")];

/// A port opened with `open-port`.
#[pyclass(frozen, skip_from_py_object, module = "scenario.state", name = "Port")]
#[derive(Debug, Clone)]
pub struct PyPort {
    pub inner: model::Port,
}

state_class! { PyPort, "Port", FIELDS, inner;
    #[new]
    #[pyo3(signature = (protocol, port = None))]
    fn new(protocol: &str, port: Option<i64>) -> PyResult<Self> {
        let inner = model::Port::new(protocol, port).map_err(state_validation_error)?;
        Ok(PyPort { inner })
    }

    #[getter]
    fn protocol(&self) -> &'static str {
        self.inner.protocol.as_str()
    }

    #[getter]
    fn port(&self) -> Option<u16> {
        self.inner.port
    }

    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }
}
