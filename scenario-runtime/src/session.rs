//! The hook-tool session Python's mocked model backend delegates to, one per run.
//!
//! Each method takes and returns plain Python values; errors become the exceptions ops
//! raises for a failing hook tool, through one exhaustive mapping.

use std::sync::Arc;

use indexmap::IndexMap;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use scenario_model::{Databag, SecretOwner, SecretRotate};

use crate::convert::{databag_to_py, ops_attr, str_value_map_to_py};
use crate::error::HookToolError;
use crate::hook_tools::{HookTools, Member};
use crate::os_environ::SavedEnviron;
use crate::secret_tools::{SecretMeta, SecretRef};

create_exception!(
    scenario.mocking,
    ActionMissingFromContextError,
    PyException,
    "The charm called an action hook tool (action-get, action-set, action-log, \
     action-fail) in a run whose event is not an action."
);

static MODEL_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static RELATION_NOT_FOUND: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static RELATION_DATA_ACCESS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SECRET_NOT_FOUND: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SECRET_NOT_OWNED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn ops_error(
    py: Python<'_>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
    message: String,
) -> PyErr {
    match ops_attr(py, cell, "ops.model", name).and_then(|cls| cls.call1((message,))) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// The exception ops raises when a hook tool fails this way.
pub fn hook_tool_error_to_py(py: Python<'_>, error: HookToolError) -> PyErr {
    let message = error.to_string();
    match error {
        HookToolError::RelationNotFound { .. } | HookToolError::BindingNotFound { .. } => {
            ops_error(py, &RELATION_NOT_FOUND, "RelationNotFoundError", message)
        }
        HookToolError::PermissionDenied { .. } => ops_error(
            py,
            &RELATION_DATA_ACCESS,
            "RelationDataAccessError",
            message,
        ),
        HookToolError::SecretNotFound { .. } => {
            ops_error(py, &SECRET_NOT_FOUND, "SecretNotFoundError", message)
        }
        // A unit cannot manage a secret it does not own: ops[testing] said so with a
        // SecretNotFoundError, 5.8.1 with a RuntimeError; the class is both.
        HookToolError::SecretNotOwned { .. } => match ops_attr(
            py,
            &SECRET_NOT_OWNED,
            "scenario_rs.mocking",
            "SecretNotOwnedError",
        )
        .and_then(|cls| cls.call1((message,)))
        {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        },
        HookToolError::NotARelationMember { .. }
        | HookToolError::NotLeader { .. }
        | HookToolError::InvalidStatus { .. }
        | HookToolError::ResourceNotFound { .. }
        | HookToolError::StorageNotFound { .. }
        | HookToolError::InvalidPort(_)
        | HookToolError::InvalidArgument(_)
        | HookToolError::NeedsJuju { .. }
        | HookToolError::NotTrusted
        | HookToolError::NoCloudSpec
        | HookToolError::SecretAccessDenied { .. }
        | HookToolError::SecretNeedsLeader { .. } => {
            ops_error(py, &MODEL_ERROR, "ModelError", message)
        }
        HookToolError::UnreachablePebble { container, .. } => {
            crate::pebble_session::pebble_error_to_py(
                py,
                scenario_pebble::PebbleError::Connection { container },
            )
        }
        HookToolError::AppDataUnsupported { .. } => PyRuntimeError::new_err(message),
        HookToolError::ActionMissing { .. } => ActionMissingFromContextError::new_err(message),
        HookToolError::InvalidActionKey { .. } | HookToolError::RemovesTrackedRevision { .. } => {
            PyValueError::new_err(message)
        }
    }
}

/// A secret's content, as ops hands it to `secret-add` and `secret-set`.
fn secret_content(dict: &Bound<'_, PyDict>) -> PyResult<Databag> {
    crate::convert::databag_from_dict(dict)?.map_err(|(key, value)| {
        PyTypeError::new_err(format!(
            "secret content keys and values must be str, got {key}: {value}"
        ))
    })
}

fn secret_meta(
    label: Option<String>,
    description: Option<String>,
    expire: Option<String>,
    rotate: Option<&str>,
) -> PyResult<SecretMeta> {
    let rotate = rotate
        .map(|r| {
            SecretRotate::parse(r)
                .ok_or_else(|| PyValueError::new_err(format!("unknown secret rotation {r:?}")))
        })
        .transpose()?;
    Ok(SecretMeta {
        label,
        description,
        expire,
        rotate,
    })
}

/// A value Python handed over, kept as the very object it was, and given back so: what the
/// charm gave `action-set` (ops accepts any value there, a `datetime`, a `SecretRotate`,
/// and `ops[testing]` gives it back as given) and the `ExecArgs` of each command it ran.
#[derive(Debug, Clone)]
pub struct HostValue(pub Arc<Py<PyAny>>);

impl PartialEq for HostValue {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The hook tools of a run driven from Python.
pub type PyHookTools = HookTools<HostValue>;

/// One run's hook tools, as Python sees them.
///
/// Not `unsendable`: a charm's own threads (a tracing exporter that logs, say) reach the
/// session through the juju-log handler, and the session may be freed on any thread. An
/// `unsendable` class panics on both. Every call holds the GIL, and pyo3's borrow flag
/// turns a clash between threads into a Python exception, never a panic.
#[pyclass(module = "scenario_rs._scenario", name = "HookSession")]
#[derive(Debug)]
pub struct HookSession {
    tools: Option<PyHookTools>,
    /// Set when the run has finished: the output State is taken. The hook tools go on
    /// answering, from the session's own copy, for what a test keeps of the run (a
    /// manager's charm after `run()`), as under both originals.
    finished: bool,
    /// The output State handed to the test, which (ops[testing]'s) follows relation data
    /// the charm writes after the run finished.
    output: Option<Py<PyAny>>,
    /// Set when the run is over (`close`).
    closed: bool,
    /// The variables set by `enter_env`, with the values they replaced.
    saved_env: SavedEnviron,
    env: Vec<(String, String)>,
}

impl HookSession {
    pub fn new(tools: PyHookTools, env: Vec<(String, String)>) -> Self {
        HookSession {
            tools: Some(tools),
            finished: false,
            output: None,
            closed: false,
            saved_env: SavedEnviron::default(),
            env,
        }
    }

    pub(crate) fn tools(&self) -> PyResult<&PyHookTools> {
        self.tools
            .as_ref()
            .ok_or_else(|| PyRuntimeError::new_err("this run has already finished"))
    }

    pub(crate) fn tools_mut(&mut self) -> PyResult<&mut PyHookTools> {
        self.tools
            .as_mut()
            .ok_or_else(|| PyRuntimeError::new_err("this run has already finished"))
    }

    /// Mutable access for a read that keeps books (which revision of a secret is
    /// tracked, what to warn of, a container's Pebble and files): allowed after the run
    /// has finished too.
    pub(crate) fn tools_for_read(&mut self) -> PyResult<&mut PyHookTools> {
        self.tools
            .as_mut()
            .ok_or_else(|| PyRuntimeError::new_err("this run has already finished"))
    }

    /// Finish the run: hand back the hook tools' output State and records, and keep
    /// answering reads from them.
    pub fn finish(&mut self) -> PyResult<&mut PyHookTools> {
        if self.closed {
            return Err(PyRuntimeError::new_err("this run has already finished"));
        }
        let tools = self
            .tools
            .as_mut()
            .ok_or_else(|| PyRuntimeError::new_err("this run has already finished"))?;
        self.finished = true;
        Ok(tools)
    }

    /// Read-only access for the Rust side (the Context's records).
    pub fn peek(&self) -> PyResult<&PyHookTools> {
        self.tools()
    }

    /// The output State handed to the test (see `output`).
    pub fn set_output(&mut self, output: Py<PyAny>) {
        self.output = Some(output);
    }

    /// The output State, once the run has finished.
    pub fn output(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.output.as_ref().map(|o| o.clone_ref(py))
    }
}

macro_rules! tool {
    ($py:expr, $e:expr) => {
        $e.map_err(|e| hook_tool_error_to_py($py, e))
    };
}

/// Call a hook tool that may find something Juju would refuse but the original library let
/// pass (`tools.stricter`), and say each as a `JujuStricterWarning`. `tools_mut` for a tool
/// that writes, `tools_for_read` for one that reads.
macro_rules! stricter_tool {
    ($self:ident . $access:ident, $py:expr, |$t:ident| $e:expr) => {{
        let $t = $self.$access()?;
        let result = $e;
        let found = std::mem::take(&mut $t.stricter);
        $crate::session::warn_stricter($py, found)?;
        result.map_err(|e| $crate::session::hook_tool_error_to_py($py, e))
    }};
}
pub(crate) use stricter_tool;

static WARN_STRICTER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Warn of each finding with `scenario.errors.JujuStricterWarning`, at the charm's line.
pub(crate) fn warn_stricter(py: Python<'_>, found: Vec<HookToolError>) -> PyResult<()> {
    if found.is_empty() {
        return Ok(());
    }
    let warn = WARN_STRICTER
        .get_or_try_init(py, || {
            py.import("scenario_rs._warnings")?
                .getattr("warn_stricter")
                .map(Bound::unbind)
        })?
        .bind(py);
    for error in found {
        warn.call1((error.to_string(),))?;
    }
    Ok(())
}

#[pymethods]
impl HookSession {
    /// Set the run's `JUJU_*` variables in `os.environ`, remembering what they replace.
    fn enter_env(&mut self, py: Python<'_>) -> PyResult<()> {
        self.saved_env.enter(py, &self.env)
    }

    /// Put `os.environ` back exactly as `enter_env` found it.
    fn exit_env(&mut self, py: Python<'_>) -> PyResult<()> {
        self.saved_env.exit(py)
    }

    /// Whether the session is still open (it has not been closed).
    #[getter]
    fn is_open(&self) -> bool {
        self.tools.is_some() && !self.closed
    }

    /// End the session. What a test keeps of the run (a manager's charm, an emitted
    /// event's relation) still reads the model, from the output State, as under
    /// ops[testing]; nothing changes it any more.
    fn close(&mut self) {
        self.finished = true;
        self.closed = true;
    }

    #[getter]
    fn unit_id(&self) -> PyResult<u32> {
        Ok(self.tools()?.unit.unit_id)
    }

    /// The run's `JUJU_*` variables as `(name, value)` pairs.
    #[getter]
    fn env(&self) -> Vec<(String, String)> {
        self.env.clone()
    }

    #[getter]
    fn app_name(&self) -> PyResult<String> {
        Ok(self.tools()?.unit.app_name.clone())
    }

    #[getter]
    fn unit_name(&self) -> PyResult<String> {
        Ok(self.tools()?.unit.unit_name())
    }

    fn is_leader(&self) -> PyResult<bool> {
        Ok(self.tools()?.is_leader())
    }

    fn config_get<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let config = self.tools_mut()?.config_get();
        str_value_map_to_py(py, &config)
    }

    fn status_get<'py>(&self, py: Python<'py>, is_app: bool) -> PyResult<Bound<'py, PyDict>> {
        let status = tool!(py, self.tools()?.status_get(is_app))?;
        let d = PyDict::new(py);
        d.set_item("status", status.name.as_str())?;
        d.set_item("message", status.message)?;
        Ok(d)
    }

    fn status_set(
        &mut self,
        py: Python<'_>,
        status: &str,
        message: &str,
        is_app: bool,
    ) -> PyResult<()> {
        tool!(py, self.tools_mut()?.status_set(status, message, is_app))
    }

    fn application_version_set(&mut self, version: &str) -> PyResult<()> {
        self.tools_mut()?.application_version_set(version);
        Ok(())
    }

    /// Record a command the charm ran in `container` (`args`: `ops[testing]`'s `ExecArgs`).
    /// Allowed after the run finished, as the charm may still run one from a manager's
    /// block.
    fn record_exec(&mut self, container: &str, args: Bound<'_, PyAny>) -> PyResult<()> {
        self.tools_for_read()?
            .record_exec(container, HostValue(Arc::new(args.unbind())));
        Ok(())
    }

    /// The commands recorded so far, per container, in order (readable during the run).
    fn exec_history<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (container, runs) in &self.tools()?.records.exec_history {
            let list = pyo3::types::PyList::new(py, runs.iter().map(|r| r.0.bind(py)))?;
            out.set_item(container, list)?;
        }
        Ok(out)
    }

    fn juju_log(&mut self, level: &str, message: &str) -> PyResult<()> {
        self.tools_mut()?.juju_log(level, message);
        Ok(())
    }

    fn relation_ids(&self, endpoint: &str) -> PyResult<Vec<u32>> {
        Ok(self.tools()?.relation_ids(endpoint))
    }

    fn relation_list(&self, py: Python<'_>, relation_id: u32) -> PyResult<Vec<String>> {
        tool!(py, self.tools()?.relation_list(relation_id))
    }

    fn relation_remote_app_name(&self, relation_id: u32) -> PyResult<Option<String>> {
        Ok(self.tools()?.relation_remote_app_name(relation_id))
    }

    fn relation_get<'py>(
        &self,
        py: Python<'py>,
        relation_id: u32,
        member: &str,
        is_app: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let member = if is_app {
            Member::App(member)
        } else {
            Member::Unit(member)
        };
        let bag = tool!(py, self.tools()?.relation_get(relation_id, &member))?;
        databag_to_py(py, &bag)
    }

    fn relation_set(
        &mut self,
        py: Python<'_>,
        relation_id: u32,
        data: &Bound<'_, PyDict>,
        is_app: bool,
    ) -> PyResult<()> {
        let mut pairs = Vec::with_capacity(data.len());
        for (k, v) in data.iter() {
            pairs.push((
                k.cast::<PyString>()?.to_string(),
                v.cast::<PyString>()?.to_string(),
            ));
        }
        tool!(
            py,
            self.tools_mut()?.relation_set(relation_id, &pairs, is_app)
        )?;
        if self.finished && self.tools()?.unit.api == scenario_model::Api::Scenario8 {
            if let Some(output) = &self.output {
                output
                    .bind(py)
                    .call_method1("_after_run_relation_set", (relation_id, is_app, data))?;
            }
        }
        Ok(())
    }

    fn network_get<'py>(&self, py: Python<'py>, binding: &str) -> PyResult<Bound<'py, PyDict>> {
        let network = tool!(py, self.tools()?.network_get(binding))?;
        crate::convert::network_to_py(py, &network)
    }

    fn action_get<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let params = tool!(py, self.tools()?.action_get())?;
        str_value_map_to_py(py, &params)
    }

    fn action_set(&mut self, py: Python<'_>, results: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut values = IndexMap::with_capacity(results.len());
        for (key, value) in results.iter() {
            let key = key.cast::<PyString>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "action results keys must be str, got {}",
                    crate::convert::type_name(&key)
                ))
            })?;
            values.insert(key.to_string(), HostValue(Arc::new(value.unbind())));
        }
        tool!(py, self.tools_mut()?.action_set(values))
    }

    fn action_log(&mut self, py: Python<'_>, message: &str) -> PyResult<()> {
        tool!(py, self.tools_mut()?.action_log(message))
    }

    fn action_fail(&mut self, py: Python<'_>, message: &str) -> PyResult<()> {
        tool!(py, self.tools_mut()?.action_fail(message))
    }

    #[pyo3(signature = (protocol, port=None))]
    fn open_port(&mut self, py: Python<'_>, protocol: &str, port: Option<i64>) -> PyResult<()> {
        tool!(py, self.tools_mut()?.open_port(protocol, port))
    }

    #[pyo3(signature = (protocol, port=None))]
    fn close_port(&mut self, py: Python<'_>, protocol: &str, port: Option<i64>) -> PyResult<()> {
        tool!(py, self.tools_mut()?.close_port(protocol, port))
    }

    /// The opened ports as `(protocol, port)` pairs.
    fn opened_ports(&self) -> PyResult<Vec<(&'static str, Option<u16>)>> {
        Ok(self
            .tools()?
            .opened_ports()
            .into_iter()
            .map(|p| (p.protocol.as_str(), p.port))
            .collect())
    }

    fn resource_get(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        tool!(py, self.tools()?.resource_get(name))
    }

    fn planned_units(&self) -> PyResult<u32> {
        Ok(self.tools()?.planned_units())
    }

    fn storage_list(&self, name: &str) -> PyResult<Vec<u32>> {
        Ok(self.tools()?.storage_list(name))
    }

    /// Check that `<name>/<index>` is attached; returns `(name, index)`.
    fn storage_exists(&self, py: Python<'_>, storage_id: &str) -> PyResult<(String, u32)> {
        tool!(py, self.tools()?.storage_exists(storage_id))
    }

    fn storage_add(&mut self, py: Python<'_>, name: &str, count: u32) -> PyResult<()> {
        tool!(py, self.tools_mut()?.storage_add(name, count))
    }

    #[pyo3(signature = (id=None, label=None, refresh=false, peek=false))]
    fn secret_get<'py>(
        &mut self,
        py: Python<'py>,
        id: Option<&str>,
        label: Option<&str>,
        refresh: bool,
        peek: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let content = stricter_tool!(self.tools_for_read, py, |tools| tools.secret_get(
            SecretRef { id, label },
            refresh,
            peek
        ))?;
        databag_to_py(py, &content)
    }

    /// The owner's view of a secret, in the form `secret-info-get` prints.
    #[pyo3(signature = (id=None, label=None))]
    fn secret_info_get<'py>(
        &mut self,
        py: Python<'py>,
        id: Option<&str>,
        label: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let info = stricter_tool!(self.tools_for_read, py, |tools| tools
            .secret_info_get(SecretRef { id, label }))?;
        let d = PyDict::new(py);
        d.set_item("id", info.id)?;
        d.set_item("label", info.label)?;
        d.set_item("description", info.description)?;
        d.set_item("revision", info.revision)?;
        d.set_item("expiry", info.expires)?;
        d.set_item("rotation", info.rotation.map(SecretRotate::as_str))?;
        Ok(d)
    }

    #[pyo3(signature = (id, content=None, label=None, description=None, expire=None, rotate=None))]
    fn secret_set(
        &mut self,
        py: Python<'_>,
        id: &str,
        content: Option<&Bound<'_, PyDict>>,
        label: Option<String>,
        description: Option<String>,
        expire: Option<String>,
        rotate: Option<&str>,
    ) -> PyResult<()> {
        let content = content.map(|c| secret_content(c)).transpose()?;
        let meta = secret_meta(label, description, expire, rotate)?;
        stricter_tool!(self.tools_mut, py, |tools| tools
            .secret_set(id, content, meta))
    }

    #[pyo3(signature = (content, owner, label=None, description=None, expire=None, rotate=None))]
    fn secret_add(
        &mut self,
        py: Python<'_>,
        content: &Bound<'_, PyDict>,
        owner: &str,
        label: Option<String>,
        description: Option<String>,
        expire: Option<String>,
        rotate: Option<&str>,
    ) -> PyResult<String> {
        let owner = match owner {
            "application" | "app" => SecretOwner::App,
            _ => SecretOwner::Unit,
        };
        let meta = secret_meta(label, description, expire, rotate)?;
        let content = secret_content(content)?;
        stricter_tool!(self.tools_mut, py, |tools| tools
            .secret_add(content, owner, meta))
    }

    #[pyo3(signature = (id, relation_id, unit=None))]
    fn secret_grant(
        &mut self,
        py: Python<'_>,
        id: &str,
        relation_id: u32,
        unit: Option<&str>,
    ) -> PyResult<()> {
        stricter_tool!(self.tools_mut, py, |tools| tools.secret_grant(
            id,
            relation_id,
            unit
        ))
    }

    #[pyo3(signature = (id, relation_id, unit=None))]
    fn secret_revoke(
        &mut self,
        py: Python<'_>,
        id: &str,
        relation_id: u32,
        unit: Option<&str>,
    ) -> PyResult<()> {
        stricter_tool!(self.tools_mut, py, |tools| tools.secret_revoke(
            id,
            relation_id,
            unit
        ))
    }

    #[pyo3(signature = (id, revision=None))]
    fn secret_remove(&mut self, py: Python<'_>, id: &str, revision: Option<u32>) -> PyResult<()> {
        stricter_tool!(self.tools_mut, py, |tools| tools
            .secret_remove(id, revision))
    }

    fn relation_model_get(&self, py: Python<'_>, relation_id: u32) -> PyResult<String> {
        tool!(py, self.tools()?.relation_model_get(relation_id))
    }

    /// The cloud spec in the form `credential-get --format json` prints (ops reads it with
    /// `CloudSpec.from_dict`).
    fn credential_get<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let spec = tool!(py, self.tools()?.credential_get())?;
        let d = PyDict::new(py);
        d.set_item("type", spec.cloud_type)?;
        d.set_item("name", spec.name)?;
        d.set_item("region", spec.region)?;
        d.set_item("endpoint", spec.endpoint)?;
        d.set_item("identity-endpoint", spec.identity_endpoint)?;
        d.set_item("storage-endpoint", spec.storage_endpoint)?;
        if let Some(credential) = spec.credential {
            let c = PyDict::new(py);
            c.set_item("auth-type", credential.auth_type)?;
            c.set_item("attrs", databag_to_py(py, &credential.attributes)?)?;
            c.set_item("redacted", credential.redacted)?;
            d.set_item("credential", c)?;
        }
        d.set_item("cacertificates", spec.ca_certificates)?;
        d.set_item("skip-tls-verify", spec.skip_tls_verify)?;
        d.set_item("is-controller-cloud", spec.is_controller_cloud)?;
        Ok(d)
    }

    fn secret_ids(&self) -> PyResult<Vec<String>> {
        Ok(self.tools()?.secret_ids())
    }
}
