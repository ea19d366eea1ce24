//! `Container`, `Mount` and `ExecOutput`: a workload container as Pebble shows it.

use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};
use scenario_model::{self as model, Layer, LayerObject, ServiceStatus};

use crate::classes::event::PyEvent;
use crate::convert::{ops_attr, type_name};
use crate::dataclass::{Field, factory, required, state_class, value};

const MOUNT_FIELDS: &[Field] = &[required("location"), required("src")];

/// A host path shown inside the container at `location`.
#[pyclass(frozen, skip_from_py_object, module = "scenario.state", name = "Mount")]
#[derive(Debug)]
pub struct PyMount {
    pub inner: model::Mount,
}

fn fspath(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let os = obj.py().import("os")?;
    os.call_method1("fspath", (obj,))?.extract()
}

state_class! { PyMount, "Mount", MOUNT_FIELDS, inner;
    #[new]
    fn new(location: &Bound<'_, PyAny>, src: &Bound<'_, PyAny>) -> PyResult<Self> {
        // str() rather than fspath for the location: a PurePosixPath is not os.PathLike.
        let location: String = location.str()?.extract()?;
        Ok(PyMount { inner: model::Mount { location, src: fspath(src)? } })
    }
    #[getter]
    fn location(&self) -> &str {
        &self.inner.location
    }
    #[getter]
    fn src(&self) -> &str {
        &self.inner.src
    }
}

const EXEC_FIELDS: &[Field] = &[
    value("return_code", "0"),
    value("stdout", "''"),
    value("stderr", "''"),
];

/// The mocked result of one command.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "ExecOutput"
)]
#[derive(Debug)]
pub struct PyExecOutput {
    pub inner: model::ExecOutput,
}

state_class! { PyExecOutput, "ExecOutput", EXEC_FIELDS, inner;
    #[new]
    #[pyo3(signature = (return_code=0, stdout="", stderr=""))]
    fn new(return_code: i32, stdout: &str, stderr: &str) -> Self {
        PyExecOutput { inner: model::ExecOutput { return_code, stdout: stdout.to_owned(), stderr: stderr.to_owned() } }
    }
    #[getter]
    fn return_code(&self) -> i32 {
        self.inner.return_code
    }
    #[getter]
    fn stdout(&self) -> &str {
        &self.inner.stdout
    }
    #[getter]
    fn stderr(&self) -> &str {
        &self.inner.stderr
    }
}

const CONTAINER_FIELDS: &[Field] = &[
    required("name"),
    value("can_connect", "False"),
    factory("_base_plan", "{}"),
    factory("layers", "{}"),
    factory("service_status", "{}"),
    factory("mounts", "{}"),
    factory("exec_mock", "{}"),
];

/// A workload container.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "Container"
)]
#[derive(Debug)]
pub struct PyContainer {
    pub inner: Arc<model::Container>,
}

static LAYER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SERVICE_STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SERVICE_STARTUP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SERVICE_INFO: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static PLAN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A `pebble.Layer`, a dict or layer YAML as the model's [`Layer`].
pub fn layer_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Layer> {
    let py = obj.py();
    let layer_cls = ops_attr(py, &LAYER, "ops.pebble", "Layer")?;
    let layer = if obj.is_instance(&layer_cls)? {
        obj.clone()
    } else {
        layer_cls.call1((obj,))?
    };
    let dict = layer.call_method0("to_dict")?;
    pythonize::depythonize(&dict).map_err(|e| PyTypeError::new_err(format!("invalid layer: {e}")))
}

pub fn layer_to_py<'py>(py: Python<'py>, layer: &Layer) -> PyResult<Bound<'py, PyAny>> {
    let dict = pythonize::pythonize(py, layer).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    ops_attr(py, &LAYER, "ops.pebble", "Layer")?.call1((dict,))
}

fn base_plan_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<LayerObject>> {
    if obj.is_none() {
        Ok(None)
    } else {
        layer_object_from_py(obj, "_base_plan").map(Some)
    }
}

pub fn layer_object_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<LayerObject> {
    pythonize::depythonize(obj).map_err(|e| PyTypeError::new_err(format!("{field}: {e}")))
}

fn service_status_from_py(obj: &Bound<'_, PyAny>) -> PyResult<ServiceStatus> {
    let text: String = if let Ok(s) = obj.cast::<PyString>() {
        s.to_string()
    } else {
        obj.getattr("value")?.extract()?
    };
    ServiceStatus::parse(&text).ok_or_else(|| {
        PyTypeError::new_err(format!(
            "unknown service status {text:?}: use pebble.ServiceStatus"
        ))
    })
}

state_class! { PyContainer, "Container", CONTAINER_FIELDS, inner;
    #[new]
    // The Python keyword is `_base_plan`, as in Scenario 5; a Rust binding takes its name.
    #[allow(clippy::used_underscore_binding)]
    #[pyo3(signature = (name, can_connect=false, _base_plan=None, layers=None, service_status=None, mounts=None, exec_mock=None))]
    fn new(
        name: String,
        can_connect: bool,
        #[pyo3(from_py_with = base_plan_arg)] _base_plan: Option<LayerObject>,
        layers: Option<&Bound<'_, PyDict>>,
        service_status: Option<&Bound<'_, PyDict>>,
        mounts: Option<&Bound<'_, PyDict>>,
        exec_mock: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut container = model::Container::new(name);
        container.can_connect = can_connect;
        container.base_plan = _base_plan.unwrap_or_default();
        for (label, layer) in layers.into_iter().flat_map(pyo3::types::PyDictMethods::iter) {
            container.layers.insert(label.extract()?, layer_from_py(&layer)?);
        }
        for (svc, status) in service_status.into_iter().flat_map(pyo3::types::PyDictMethods::iter) {
            container.service_status.insert(svc.extract()?, service_status_from_py(&status)?);
        }
        for (key, mount) in mounts.into_iter().flat_map(pyo3::types::PyDictMethods::iter) {
            let mount = mount.cast::<PyMount>().map_err(|_| {
                PyTypeError::new_err(format!("mounts values must be Mount, got {}", type_name(&mount)))
            })?;
            container.mounts.insert(key.extract()?, mount.get().inner.clone());
        }
        for (cmd, out) in exec_mock.into_iter().flat_map(pyo3::types::PyDictMethods::iter) {
            let command: Vec<String> = cmd.extract().map_err(|_| {
                PyTypeError::new_err("exec_mock keys must be tuples of str, such as ('ls', '-l')")
            })?;
            let out = out.cast::<PyExecOutput>().map_err(|_| {
                PyTypeError::new_err(format!("exec_mock values must be ExecOutput, got {}", type_name(&out)))
            })?;
            container.exec_mock.insert(command, out.get().inner.clone());
        }
        Ok(PyContainer { inner: Arc::new(container) })
    }

    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    #[getter]
    fn can_connect(&self) -> bool {
        self.inner.can_connect
    }
    #[getter]
    fn _base_plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonize::pythonize(py, &self.inner.base_plan).map_err(|e| PyTypeError::new_err(e.to_string()))
    }
    #[getter]
    fn layers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (label, layer) in &self.inner.layers {
            out.set_item(label, layer_to_py(py, layer)?)?;
        }
        Ok(out)
    }
    #[getter]
    fn service_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let cls = ops_attr(py, &SERVICE_STATUS, "ops.pebble", "ServiceStatus")?;
        let out = PyDict::new(py);
        for (svc, status) in &self.inner.service_status {
            out.set_item(svc, cls.call1((status.as_str(),))?)?;
        }
        Ok(out)
    }
    #[getter]
    fn mounts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (key, mount) in &self.inner.mounts {
            out.set_item(key, PyMount { inner: mount.clone() })?;
        }
        Ok(out)
    }
    #[getter]
    fn exec_mock<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (cmd, result) in &self.inner.exec_mock {
            out.set_item(PyTuple::new(py, cmd)?, PyExecOutput { inner: result.clone() })?;
        }
        Ok(out)
    }

    /// The merged plan: the base plan with every layer applied in order.
    #[getter]
    fn plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let plan = scenario_pebble::Plan::of(&self.inner).to_dict();
        let dict = pythonize::pythonize(py, &plan).map_err(|e| PyTypeError::new_err(e.to_string()))?;
        let text = py.import("yaml")?.call_method1("safe_dump", (dict,))?;
        ops_attr(py, &PLAN, "ops.pebble", "Plan")?.call1((text,))
    }

    /// The plan's services with their startup and current status, by name.
    #[getter]
    fn services<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let info = ops_attr(py, &SERVICE_INFO, "ops.pebble", "ServiceInfo")?;
        let startup = ops_attr(py, &SERVICE_STARTUP, "ops.pebble", "ServiceStartup")?;
        let status = ops_attr(py, &SERVICE_STATUS, "ops.pebble", "ServiceStatus")?;
        let out = PyDict::new(py);
        for s in scenario_pebble::service_infos(&self.inner, None) {
            let value = info.call1((s.name.as_str(), startup.call1((s.startup.as_str(),))?, status.call1((s.current.as_str(),))?))?;
            out.set_item(s.name, value)?;
        }
        Ok(out)
    }

    /// `<name>-pebble-ready`, about this container.
    #[getter]
    fn pebble_ready_event(&self) -> PyEvent {
        let mut event = model::Event::new(&format!("{}_pebble_ready", self.inner.name));
        event.container = Some(Arc::clone(&self.inner));
        PyEvent::from_model(event)
    }

    /// The host directory holding this container's filesystem for runs of `ctx`.
    fn get_filesystem<'py>(&self, ctx: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        ctx.call_method1("_get_container_root", (self.inner.name.as_str(),))
    }
}
