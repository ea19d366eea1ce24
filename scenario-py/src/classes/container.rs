//! `Container`, `Mount`, `ExecOutput` and `Exec`: a workload container as Pebble shows it.
//! Its checks and notices live in `pebble_objects`.

use std::sync::Arc;

use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};
use scenario_model::{self as model, Layer, LayerObject, ServiceStatus};

use crate::classes::event::PyEvent;
use crate::classes::pebble_objects::{PyCheckInfo, PyNotice};
use crate::convert::{args, field, fspath, items, ops_attr, state_collection, type_name};
use crate::dataclass::Settle;
use crate::dataclass::{Field, Fields, factory, required, state_class, value};

const MOUNT_FIELDS: &[Field] = &[
    required("location"),
    required("src").legacy("source"),
    required("source").modern("src"),
];

/// A directory or file of the test's machine mounted into a container: whatever the charm
/// reads, pushes, lists or removes at or under ``location`` through Pebble happens in
/// ``source`` on the host, so give a source the test may change.
///
/// - ``location``: the path inside the container (a ``str`` or a ``PurePosixPath``).
/// - ``source`` (ops[testing], keyword only), or ``src`` (Scenario 5, also the second
///   positional argument): the host path, a ``str`` or a ``pathlib.Path``. One of them is
///   required.
///
/// Both are handed back as they were given. For example:
/// ``Container("app", mounts={"conf": Mount(location="/etc/app", source=tmp_path)})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Mount"
)]
#[derive(Debug)]
pub struct PyMount {
    pub inner: model::Mount,
    /// The location and source as given (a `str` or a path object), handed back as they
    /// were; the model holds their string forms.
    given: Option<(Py<PyAny>, Py<PyAny>)>,
}

impl Fields for PyMount {}

impl PyMount {
    fn new_shared(inner: model::Mount) -> Self {
        PyMount { inner, given: None }
    }
}

static PURE_PATH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A path in the container (`str` or any `pathlib.PurePath`: a `PurePosixPath` is not
/// `os.PathLike`) as text; errors name `field`.
fn container_path(obj: &Bound<'_, PyAny>, field_name: &str) -> PyResult<String> {
    let pure_path = ops_attr(obj.py(), &PURE_PATH, "pathlib", "PurePath")?;
    if obj.is_instance_of::<PyString>() || obj.is_instance(&pure_path)? {
        field(obj.str()?.as_any(), field_name)
    } else {
        Err(PyTypeError::new_err(format!(
            "{field_name} must be a path in the container (str or PurePath), got {}",
            type_name(obj)
        )))
    }
}

state_class! { PyMount, "Mount", MOUNT_FIELDS, inner;
    #[new]
    #[pyo3(signature = (location, src=None, *, source=None))]
    fn new(location: &Bound<'_, PyAny>, src: Option<&Bound<'_, PyAny>>, source: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let source = match (src, source) {
            (Some(s), None) | (None, Some(s)) => s,
            (Some(_), Some(_)) => {
                return Err(PyTypeError::new_err("Mount.src and Mount.source name the same path: pass one of them"));
            }
            (None, None) => return Err(PyTypeError::new_err("Mount.source is required: the host path (src in Scenario 5)")),
        };
        let location_text = container_path(location, "Mount.location")?;
        Ok(PyMount {
            inner: model::Mount { location: location_text, src: fspath(source, "Mount.source")? },
            given: Some((location.clone().unbind(), source.clone().unbind())),
        })
    }
    /// Where the mount appears inside the container (as given: a ``str`` or a
    /// ``PurePosixPath``).
    #[getter]
    fn location(&self, py: Python<'_>) -> Py<PyAny> {
        match &self.given {
            Some((location, _)) => location.clone_ref(py),
            None => PyString::new(py, &self.inner.location).into_any().unbind(),
        }
    }
    /// The host path shown at ``location``, as given (Scenario 5's name for
    /// ``source``).
    #[getter]
    fn src(&self, py: Python<'_>) -> Py<PyAny> {
        self.source(py)
    }
    /// The host path whose content the container shows at ``location``, as given (a
    /// ``str`` or a ``pathlib.Path``); the charm's writes there land in it.
    #[getter]
    fn source(&self, py: Python<'_>) -> Py<PyAny> {
        match &self.given {
            Some((_, source)) => source.clone_ref(py),
            None => PyString::new(py, &self.inner.src).into_any().unbind(),
        }
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }
}

const EXEC_OUTPUT_FIELDS: &[Field] = &[
    value("return_code", "0"),
    value("stdout", "''"),
    value("stderr", "''"),
];

/// Scenario 5's mocked result of one command run in a container with Pebble's ``exec``:
/// the values of ``Container.exec_mock``, whose keys are the whole command line as a tuple
/// (``{("ls", "-ll"): ExecOutput(stdout="...")}``). ops[testing] uses ``Exec`` instead.
///
/// - ``return_code``: the process's exit code (default 0, success); another makes
///   ``wait()`` and ``wait_output()`` raise ``ops.pebble.ExecError``.
/// - ``stdout``: what the process writes to its standard output (default ``""``).
/// - ``stderr``: what it writes to its standard error (default ``""``).
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "ExecOutput"
)]
#[derive(Debug)]
pub struct PyExecOutput {
    pub inner: model::ExecOutput,
}

impl Fields for PyExecOutput {}

args!(exec_output_arg, PyExecOutput "ExecOutput": return_code, stdout, stderr);

state_class! { PyExecOutput, "ExecOutput", EXEC_OUTPUT_FIELDS, inner;
    #[new]
    #[pyo3(signature = (return_code=0, stdout="", stderr=""))]
    fn new(
        #[pyo3(from_py_with = exec_output_arg::return_code)] return_code: i32,
        #[pyo3(from_py_with = exec_output_arg::stdout)] stdout: &str,
        #[pyo3(from_py_with = exec_output_arg::stderr)] stderr: &str,
    ) -> Self {
        PyExecOutput { inner: model::ExecOutput { return_code, stdout: stdout.to_owned(), stderr: stderr.to_owned() } }
    }
    /// The exit code the mocked process ends with: 0 for success, any other for a
    /// failure that ``wait()`` raises as ``ops.pebble.ExecError``.
    #[getter]
    fn return_code(&self) -> i32 {
        self.inner.return_code
    }
    /// What the mocked process writes to its standard output, for the charm to read
    /// (``wait_output()``, ``process.stdout``).
    #[getter]
    fn stdout(&self) -> &str {
        &self.inner.stdout
    }
    /// What the mocked process writes to its standard error, for the charm to read
    /// (``wait_output()``, ``process.stderr``).
    #[getter]
    fn stderr(&self) -> &str {
        &self.inner.stderr
    }
}

const EXEC_FIELDS: &[Field] = &[
    required("command_prefix"),
    value("return_code", "0"),
    value("stdout", "''"),
    value("stderr", "''"),
    value("_change_id", "None"),
];

/// The mocked outcome of the commands a charm runs in a container with Pebble's ``exec``
/// (ops[testing]'s ``Container.execs``): every command line that starts with
/// ``command_prefix`` gets this result; where several prefixes match, the longest wins.
/// What the charm ran is recorded in ``ctx.exec_history``.
///
/// - ``command_prefix``: the command and its first arguments, a sequence of ``str``
///   (``["ls"]`` mocks every ``ls``; ``["ls", "-l"]`` only ``ls -l ...``).
/// - ``return_code`` (keyword only): the exit code (default 0); another makes ``wait()``
///   and ``wait_output()`` raise ``ops.pebble.ExecError``.
/// - ``stdout``, ``stderr`` (keyword only): what the process writes to each (default
///   ``""``).
///
/// A command that no ``Exec`` (nor ``exec_mock`` entry) matches fails as a command the
/// shell cannot find: ``ExecError`` with exit code 127 in an ops[testing] run,
/// ``RuntimeError`` in a Scenario 5 run. For example:
/// ``Container("app", can_connect=True, execs={Exec(["whoami"], stdout="root")})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Exec"
)]
#[derive(Debug)]
pub struct PyExec {
    pub inner: model::Exec,
}

impl Fields for PyExec {}

args!(exec_arg, PyExec "Exec": return_code, stdout, stderr, _change_id);

state_class! { PyExec, "Exec", EXEC_FIELDS, inner;
    #[new]
    #[allow(clippy::used_underscore_binding)]
    #[pyo3(signature = (command_prefix, *, return_code=0, stdout="", stderr="", _change_id=None))]
    fn new(
        command_prefix: &Bound<'_, PyAny>,
        #[pyo3(from_py_with = exec_arg::return_code)] return_code: i32,
        #[pyo3(from_py_with = exec_arg::stdout)] stdout: &str,
        #[pyo3(from_py_with = exec_arg::stderr)] stderr: &str,
        #[pyo3(from_py_with = exec_arg::_change_id)] _change_id: Option<u32>,
    ) -> PyResult<Self> {
        if command_prefix.is_instance_of::<PyString>() {
            return Err(crate::errors::state_validation_error(format!(
                "Exec.command_prefix must be a sequence of str, not a single str: did you mean {}?",
                command_prefix.call_method0("split")?.repr()?
            )));
        }
        let command_prefix: Vec<String> = command_prefix.extract().map_err(|_| {
            crate::errors::state_validation_error(format!(
                "Exec.command_prefix must be a sequence of str, got {}",
                type_name(command_prefix)
            ))
        })?;
        Ok(PyExec {
            inner: model::Exec {
                command_prefix,
                return_code,
                stdout: stdout.to_owned(),
                stderr: stderr.to_owned(),
                change_id: _change_id.unwrap_or_else(|| model::next_change_id(true)),
            },
        })
    }
    /// The command and first arguments this mock answers for, as a tuple of ``str``:
    /// every command line that starts with them.
    #[getter]
    fn command_prefix<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.command_prefix)
    }
    /// The exit code the mocked process ends with: 0 for success, any other for a
    /// failure that ``wait()`` raises as ``ops.pebble.ExecError``.
    #[getter]
    fn return_code(&self) -> i32 {
        self.inner.return_code
    }
    /// What the mocked process writes to its standard output, for the charm to read
    /// (``wait_output()``, ``process.stdout``).
    #[getter]
    fn stdout(&self) -> &str {
        &self.inner.stdout
    }
    /// What the mocked process writes to its standard error, for the charm to read
    /// (``wait_output()``, ``process.stderr``).
    #[getter]
    fn stderr(&self) -> &str {
        &self.inner.stderr
    }
    #[getter]
    fn _change_id(&self) -> u32 {
        self.inner.change_id
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }
}

const CONTAINER_FIELDS: &[Field] = &[
    required("name"),
    value("can_connect", "False"),
    factory("_base_plan", "{}"),
    factory("layers", "{}"),
    factory("service_status", "{}").legacy("service_statuses"),
    factory("mounts", "{}"),
    factory("exec_mock", "{}"),
    factory("service_statuses", "{}").modern("service_status"),
    factory("execs", "frozenset()"),
    factory("notices", "[]"),
    factory("check_infos", "frozenset()"),
];

/// A workload container of a Kubernetes charm, which the charm reaches through its Pebble:
/// services and their layers, files, commands (``exec``), notices and health checks.
///
/// Only ``name`` is required. ops[testing] passes the rest by keyword; Scenario 5 passes
/// ``can_connect`` to ``exec_mock`` by position too, in this order:
///
/// - ``name``: the container's name, as the charm's metadata declares it under
///   ``containers``.
/// - ``can_connect``: whether Pebble answers (default ``False``); while it does not, every
///   Pebble call raises ``ops.pebble.ConnectionError`` and ``can_connect()`` is ``False``.
/// - ``layers``: label to ``ops.pebble.Layer`` (or a dict, or layer YAML), the layers
///   already added, in the order they were added; the ``plan`` combines them.
/// - ``service_statuses`` (ops[testing], keyword only), or ``service_status`` (Scenario 5):
///   service name to its current ``ops.pebble.ServiceStatus`` (a service not named is
///   inactive).
/// - ``mounts``: a name to each ``Mount``: host paths the container shows at a location.
/// - ``execs`` (ops[testing], keyword only): the ``Exec`` mocks of the commands the charm
///   may run; ``exec_mock`` (Scenario 5): command tuple to ``ExecOutput``.
/// - ``notices`` (keyword only): the Pebble ``Notice`` objects already recorded.
/// - ``check_infos`` (keyword only): the ``CheckInfo`` of each health check Pebble runs.
///
/// The container's filesystem is a directory of the test's machine that each run starts
/// empty (files for the charm to read come through ``mounts``); after a run,
/// ``get_filesystem(ctx)`` shows what the charm pushed. For example:
/// ``Container("app", can_connect=True, layers={"base": layer}, service_statuses={"web":
/// pebble.ServiceStatus.ACTIVE})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Container"
)]
#[derive(Debug)]
pub struct PyContainer {
    pub inner: Arc<model::Container>,
    /// The `Mount` objects given, by key (a copy of the dict, as ops[testing] copies it),
    /// handed back as they were: a `Path` source stays a `Path`.
    given_mounts: Option<Py<PyDict>>,
}

impl PyContainer {
    /// A container object over a model value (no objects given).
    pub fn new_shared(inner: Arc<model::Container>) -> Self {
        PyContainer {
            inner,
            given_mounts: None,
        }
    }

    /// Another object for the same container, the given `Mount`s with it (the dict is
    /// never handed out, only copies of it).
    pub fn another(&self, py: Python<'_>) -> Self {
        PyContainer {
            inner: Arc::clone(&self.inner),
            given_mounts: self.given_mounts.as_ref().map(|m| m.clone_ref(py)),
        }
    }
}

impl Fields for PyContainer {}

static LAYER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SERVICE_STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SERVICE_STARTUP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SERVICE_INFO: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static PLAN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A `pebble.Layer`, a dict or layer YAML as the model's [`Layer`]; errors name `field`.
/// A value Pebble refuses (an unknown `override`, `startup`, check `level`...) is a
/// `StateValidationError`; a missing `override` is not, as a plan's layers may omit it.
pub fn layer_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Layer> {
    let py = obj.py();
    crate::convert::check_depth(obj, crate::convert::MAX_DEPTH)?;
    let layer_cls = ops_attr(py, &LAYER, "ops.pebble", "Layer")?;
    let not_a_layer = |detail: String| {
        PyTypeError::new_err(format!(
            "{field} must be an ops.pebble.Layer, a dict or layer YAML, got {}{detail}",
            type_name(obj)
        ))
    };
    let layer = if obj.is_instance(&layer_cls)? {
        obj.clone()
    } else if obj.is_instance_of::<PyDict>() || obj.is_instance_of::<PyString>() {
        layer_cls
            .call1((obj,))
            .map_err(|e| not_a_layer(format!(": {}", e.value(py))))?
    } else {
        return Err(not_a_layer(String::new()));
    };
    let dict = layer.call_method0("to_dict")?;
    let layer: Layer = pythonize::depythonize(&dict)
        .map_err(|e| PyTypeError::new_err(format!("{field} is not a valid layer: {e}")))?;
    if let Some(problem) = layer
        .problems()
        .into_iter()
        .find(|p| !p.is_missing_override())
    {
        return Err(crate::errors::state_validation_error(format!(
            "{field}.{problem}"
        )));
    }
    Ok(layer)
}

pub fn layer_to_py<'py>(py: Python<'py>, layer: &Layer) -> PyResult<Bound<'py, PyAny>> {
    let dict = pythonize::pythonize(py, layer).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    ops_attr(py, &LAYER, "ops.pebble", "Layer")?.call1((dict,))
}

fn base_plan_arg(obj: &Bound<'_, PyAny>) -> PyResult<Option<LayerObject>> {
    if obj.is_none() {
        Ok(None)
    } else {
        layer_object_from_py(obj, "Container._base_plan").map(Some)
    }
}

pub fn layer_object_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<LayerObject> {
    crate::convert::check_depth(obj, crate::convert::MAX_DEPTH)?;
    pythonize::depythonize(obj).map_err(|e| PyTypeError::new_err(format!("{field}: {e}")))
}

/// A `pebble.ServiceStatus` (or its value) as the model's; errors name `field`.
fn service_status_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<ServiceStatus> {
    let text = crate::convert::enum_text(obj).map_err(|_| {
        PyTypeError::new_err(format!(
            "{field} must be a pebble.ServiceStatus, got {}",
            type_name(obj)
        ))
    })?;
    ServiceStatus::parse(&text).ok_or_else(|| {
        PyTypeError::new_err(format!(
            "{field}: unknown service status {text:?}: use pebble.ServiceStatus"
        ))
    })
}

/// The one of two names for the same data that was given; both is an error.
pub fn one_of<'a, 'py>(
    a: Option<&'a Bound<'py, PyAny>>,
    b: Option<&'a Bound<'py, PyAny>>,
    names: (&str, &str),
) -> PyResult<Option<&'a Bound<'py, PyAny>>> {
    match (a, b) {
        (Some(_), Some(_)) => Err(PyTypeError::new_err(format!(
            "{} and {} name the same data: pass one of them",
            names.0, names.1
        ))),
        (a, b) => Ok(a.or(b)),
    }
}

args!(container_arg, PyContainer "Container": name, can_connect);

state_class! { PyContainer, "Container", CONTAINER_FIELDS, inner;
    #[new]
    // The Python keyword is `_base_plan`, as in both APIs; a Rust binding takes its name.
    #[allow(clippy::used_underscore_binding)]
    #[pyo3(signature = (name, can_connect=false, _base_plan=None, layers=None, service_status=None, mounts=None, exec_mock=None, *, service_statuses=None, execs=None, notices=None, check_infos=None))]
    fn new(
        #[pyo3(from_py_with = container_arg::name)] name: String,
        #[pyo3(from_py_with = container_arg::can_connect)] can_connect: bool,
        #[pyo3(from_py_with = base_plan_arg)] _base_plan: Option<LayerObject>,
        layers: Option<&Bound<'_, PyAny>>,
        service_status: Option<&Bound<'_, PyAny>>,
        mounts: Option<&Bound<'_, PyAny>>,
        exec_mock: Option<&Bound<'_, PyAny>>,
        service_statuses: Option<&Bound<'_, PyAny>>,
        execs: Option<&Bound<'_, PyAny>>,
        notices: Option<&Bound<'_, PyAny>>,
        check_infos: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::check_name(scenario_model::names::NameKind::Container, &name, "Container.name")?;
        let mut container = model::Container::new(name);
        container.can_connect = can_connect;
        container.base_plan = _base_plan.unwrap_or_default();
        for (label, layer) in dict_items(layers, "Container.layers")? {
            let label: String = label.extract().map_err(|_| {
                PyTypeError::new_err(format!("Container.layers keys must be str, got {}", type_name(&label)))
            })?;
            let at = format!("Container.layers['{label}']");
            container.layers.insert(label, layer_from_py(&layer, &at)?);
        }
        let statuses = one_of(service_status, service_statuses, ("Container.service_status", "Container.service_statuses"))?;
        for (svc, status) in dict_items(statuses, "Container.service_statuses")? {
            let svc: String = field(&svc, "Container.service_statuses keys")?;
            let status = service_status_from_py(&status, &format!("Container.service_statuses[{svc:?}]"))?;
            container.service_status.insert(svc, status);
        }
        let given_mounts = mounts.filter(|m| !m.is_none()).map(|m| PyDict::new(m.py()));
        for (key_object, mount) in dict_items(mounts, "Container.mounts")? {
            let key: String = field(&key_object, "Container.mounts keys")?;
            let mount = mount.cast::<PyMount>().map_err(|_| {
                PyTypeError::new_err(format!("Container.mounts[{key:?}] must be a Mount, got {}", type_name(&mount)))
            })?;
            container.mounts.insert(key, mount.settled()?.get().inner.clone());
            if let Some(given) = &given_mounts {
                given.set_item(key_object, mount)?;
            }
        }
        for (cmd, out) in dict_items(exec_mock, "Container.exec_mock")? {
            let command: Vec<String> = cmd.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "Container.exec_mock keys must be tuples of str, such as ('ls', '-l'), got {}",
                    type_name(&cmd)
                ))
            })?;
            let out = out.cast::<PyExecOutput>().map_err(|_| {
                PyTypeError::new_err(format!("Container.exec_mock values must be ExecOutput, got {}", type_name(&out)))
            })?;
            container.exec_mock.insert(command, out.settled()?.get().inner.clone());
        }
        container.execs = of_class::<PyExec, _>(execs, "Container.execs", "Exec", |e| e.inner.clone())?;
        container.notices = of_class::<PyNotice, _>(notices, "Container.notices", "Notice", |n| n.inner.clone())?;
        container.check_infos =
            of_class::<PyCheckInfo, _>(check_infos, "Container.check_infos", "CheckInfo", |c| c.inner.clone())?;
        Ok(PyContainer { inner: Arc::new(container), given_mounts: given_mounts.map(Bound::unbind) })
    }

    /// The container's name, as the charm's metadata declares it under ``containers``.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// Whether the container's Pebble answers: when ``False``, each Pebble call raises
    /// ``ops.pebble.ConnectionError``.
    #[getter]
    fn can_connect(&self) -> bool {
        self.inner.can_connect
    }
    #[getter]
    fn _base_plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonize::pythonize(py, &self.inner.base_plan).map_err(|e| PyTypeError::new_err(e.to_string()))
    }
    /// Label to ``ops.pebble.Layer``: the layers added to Pebble so far, in the order
    /// they were added; in a run's output, with what the charm added.
    #[getter]
    fn layers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (label, layer) in &self.inner.layers {
            out.set_item(label, layer_to_py(py, layer)?)?;
        }
        Ok(out)
    }
    /// Service name to its current ``ops.pebble.ServiceStatus`` (Scenario 5's name for
    /// ``service_statuses``).
    #[getter]
    fn service_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.service_statuses(py)
    }
    /// Service name to its current ``ops.pebble.ServiceStatus``; in a run's output,
    /// after the services the charm started, stopped or restarted.
    #[getter]
    fn service_statuses<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let cls = ops_attr(py, &SERVICE_STATUS, "ops.pebble", "ServiceStatus")?;
        let out = PyDict::new(py);
        for (svc, status) in &self.inner.service_status {
            out.set_item(svc, cls.call1((status.as_str(),))?)?;
        }
        Ok(out)
    }
    /// Name to ``Mount``: the host paths the container shows at a location, handed back
    /// as given.
    #[getter]
    fn mounts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        if let Some(given) = &self.given_mounts {
            return given.bind(py).copy();
        }
        let out = PyDict::new(py);
        for (key, mount) in &self.inner.mounts {
            out.set_item(key, PyMount::new_shared(mount.clone()))?;
        }
        Ok(out)
    }
    /// Scenario 5's command mocks: the whole command line, as a tuple of ``str``, to its
    /// ``ExecOutput``.
    #[getter]
    fn exec_mock<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (cmd, result) in &self.inner.exec_mock {
            out.set_item(PyTuple::new(py, cmd)?, PyExecOutput { inner: result.clone() })?;
        }
        Ok(out)
    }
    /// ops[testing]'s command mocks: the ``Exec`` objects, each answering every command
    /// line that starts with its ``command_prefix``.
    #[getter]
    fn execs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        state_collection(py, self.inner.execs.iter().map(|e| PyExec { inner: e.clone() }), false)
    }
    /// The Pebble notices recorded in the container, which ``get_notices`` lists and
    /// ``pebble-custom-notice`` events are about.
    #[getter]
    fn notices(&self) -> Vec<PyNotice> {
        self.inner.notices.iter().map(|n| PyNotice { inner: n.clone() }).collect()
    }
    /// The ``CheckInfo`` of each health check: what Pebble's ``get_checks`` reports
    /// for the checks of the plan.
    #[getter]
    fn check_infos<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        state_collection(py, self.inner.check_infos.iter().map(|c| PyCheckInfo::from_model(c.clone())), false)
    }

    /// The ``CheckInfo`` of the health check called ``name``, among ``check_infos``;
    /// ``KeyError`` when there is none.
    fn get_check_info(&self, name: &str) -> PyResult<PyCheckInfo> {
        self.inner
            .check_infos
            .iter()
            .find(|c| c.name == name)
            .map(|c| PyCheckInfo::from_model(c.clone()))
            .ok_or_else(|| PyKeyError::new_err(format!("check_info: {name} not found in the Container")))
    }

    /// The Pebble plan as ``get_plan`` gives it: the layers combined in order, as
    /// Pebble combines them (``override: merge`` or ``replace``). Assert on this, rather
    /// than on ``layers``, which are input data.
    #[getter]
    fn plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let plan = scenario_pebble::Plan::of(&self.inner).to_dict();
        let dict = pythonize::pythonize(py, &plan).map_err(|e| PyTypeError::new_err(e.to_string()))?;
        let text = py.import("yaml")?.call_method1("safe_dump", (dict,))?;
        ops_attr(py, &PLAN, "ops.pebble", "Plan")?.call1((text,))
    }

    /// Service name to its ``ops.pebble.ServiceInfo`` (startup and current status), for
    /// each service of the plan, as ``get_services`` gives them.
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

    /// ``<name>-pebble-ready`` about this container (Scenario 5's form of
    /// ``ctx.on.pebble_ready(container)``).
    #[getter]
    fn pebble_ready_event(slf: &Bound<'_, Self>) -> PyEvent {
        let inner = &slf.get().inner;
        let mut event = model::Event::new(&format!("{}_pebble_ready", inner.name));
        event.container = Some(Arc::clone(inner));
        PyEvent::for_container(slf.py(), event, slf.as_any())
    }

    /// The directory of the test's machine that stands for this container's root
    /// filesystem in runs of ``ctx`` (a ``pathlib.Path``): after a run, it holds what the
    /// charm pushed, with each mount shown at its location. Each run starts it empty; give
    /// the charm files to read through ``mounts``.
    fn get_filesystem<'py>(&self, ctx: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        ctx.call_method1("_get_container_root", (self.inner.name.as_str(),))
    }

    /// Containers hash by name (as in ops[testing]), so a State can hold them in a set.
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner.name)
    }
}

/// The items of a dict argument, or an error naming the field.
fn dict_items<'py>(
    obj: Option<&Bound<'py, PyAny>>,
    field: &str,
) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    let dict = obj.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!("{field} must be a dict, got {}", type_name(obj)))
    })?;
    Ok(dict.iter().collect())
}

/// The model values of a collection argument whose items must be of one pyclass.
pub fn of_class<C, T>(
    obj: Option<&Bound<'_, PyAny>>,
    field: &str,
    class: &str,
    f: impl Fn(&C) -> T,
) -> PyResult<Vec<T>>
where
    C: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
{
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    items(obj, field)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let c = item.cast::<C>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{field}[{i}] must be {}, got {}",
                    crate::convert::with_article(class),
                    type_name(item)
                ))
            })?;
            Ok(f(c.settled()?.get()))
        })
        .collect()
}
