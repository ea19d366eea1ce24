//! The Pebble calls of the hook-tool session: what Python's mocked Pebble client delegates,
//! and the one mapping from Pebble errors to ops's `pebble` exceptions.

use std::path::PathBuf;

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList};
use scenario_model::{Api, CheckLevel, Layer};
use scenario_pebble::{NoticeFilter, PebbleError, Plan};

use crate::convert::ops_attr;
use crate::error::HookToolError;
use crate::session::HookSession;

static PATH_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static API_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static CONNECTION_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static EXEC_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The attribute set (to `True`) on the error of a command no `Exec` mocks: a gap in the
/// test's State rather than a crash of the charm.
pub const NOT_MOCKED: &str = "_scenario_not_mocked";

/// The exception ops's Pebble client raises for this error.
pub fn pebble_error_to_py(py: Python<'_>, error: PebbleError) -> PyErr {
    let message = error.to_string();
    let made = match &error {
        PebbleError::Path { kind, message } => ops_attr(py, &PATH_ERROR, "ops.pebble", "PathError")
            .and_then(|c| c.call1((kind.as_str(), message.as_str()))),
        PebbleError::Api {
            code,
            status,
            message: api_message,
        } => {
            let body =
                pythonize::pythonize(py, &error.api_body().unwrap_or(serde_json::Value::Null))
                    .map_err(|e| PyTypeError::new_err(e.to_string()));
            body.and_then(|body| {
                ops_attr(py, &API_ERROR, "ops.pebble", "APIError")?.call1((
                    body,
                    *code,
                    status.as_str(),
                    api_message.as_str(),
                ))
            })
        }
        // A container missing from the State is one whose Pebble nobody can reach.
        PebbleError::Connection { .. } | PebbleError::NoContainer { .. } => {
            ops_attr(py, &CONNECTION_ERROR, "ops.pebble", "ConnectionError")
                .and_then(|c| c.call1((message.as_str(),)))
        }
        // Scenario 5 raised RuntimeError for a command with no mock, so charms catching
        // ExecError do not swallow a missing mock; ops[testing] raises the ExecError of a
        // command the shell cannot find (exit code 127), with the message as its stderr.
        // Either is marked as the test's gap, not the charm's crash (fuzzing passes it over).
        PebbleError::ExecNotMocked { command, api, .. } => match api {
            Api::Scenario5 => py.get_type::<PyRuntimeError>().call1((message.as_str(),)),
            Api::Scenario8 => ops_attr(py, &EXEC_ERROR, "ops.pebble", "ExecError")
                .and_then(|c| c.call1((command.clone(), 127, "", message.as_str()))),
        }
        .and_then(|exc| exc.setattr(NOT_MOCKED, true).map(|()| exc)),
    };
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

macro_rules! pebble {
    ($py:expr, $e:expr) => {
        $e.map_err(|e| pebble_error_to_py($py, e))
    };
}

impl HookSession {
    /// A call the originals (of `only`, or of both APIs) answer while the container cannot
    /// connect: it answers here too, with a `JujuStricterWarning` (in strict mode, the
    /// `ConnectionError` a unit gets).
    fn answer_while_unreachable(
        &mut self,
        py: Python<'_>,
        container: &str,
        call: &'static str,
        only: Option<Api>,
    ) -> PyResult<()> {
        let tools = self.tools_for_read()?;
        let unreachable = only.is_none_or(|api| api == tools.unit.api)
            && tools
                .pebble_container(container)
                .is_ok_and(|c| !c.can_connect);
        if !unreachable {
            return Ok(());
        }
        crate::session::stricter_tool!(self.tools_for_read, py, |tools| tools.stricter(
            HookToolError::UnreachablePebble {
                container: container.to_owned(),
                call,
            }
        ))
    }
}

#[pymethods]
impl HookSession {
    /// Raise ops's ConnectionError unless the container's Pebble can be reached.
    /// The containers of the State that have mounts.
    fn containers_with_mounts(&self) -> PyResult<Vec<String>> {
        Ok(self
            .tools()?
            .state
            .containers
            .iter()
            .filter(|c| !c.mounts.is_empty())
            .map(|c| c.name.clone())
            .collect())
    }

    /// Show a container's mounts under its root, for the test to read.
    fn pebble_show_mounts(
        &mut self,
        py: Python<'_>,
        container: &str,
        root: PathBuf,
    ) -> PyResult<()> {
        pebble!(
            py,
            self.tools_for_read()?
                .with_pebble(container, Some(root), |p| p.show_mounts())
        )
    }

    fn pebble_ensure_connected(&mut self, py: Python<'_>, container: &str) -> PyResult<()> {
        pebble!(
            py,
            self.tools_for_read()?
                .with_pebble(container, None, |p| p.ensure_connected())
        )
    }

    fn pebble_system_info(&mut self, py: Python<'_>, container: &str) -> PyResult<String> {
        pebble!(
            py,
            self.tools_for_read()?
                .with_pebble(container, None, |p| p.get_system_info().map(|i| i.version))
        )
    }

    fn pebble_pull<'py>(
        &mut self,
        py: Python<'py>,
        container: &str,
        root: PathBuf,
        path: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let data = pebble!(
            py,
            self.tools_for_read()?
                .with_pebble(container, Some(root), |p| p.pull(path))
        )?;
        Ok(PyBytes::new(py, &data))
    }

    #[pyo3(signature = (container, root, path, data, make_dirs=false, permissions=None))]
    fn pebble_push(
        &mut self,
        py: Python<'_>,
        container: &str,
        root: PathBuf,
        path: &str,
        data: &[u8],
        make_dirs: bool,
        permissions: Option<u32>,
    ) -> PyResult<()> {
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, Some(root), |p| p.push(
                    path,
                    data,
                    make_dirs,
                    permissions
                ))
        )
    }

    /// The entries as `(path, name, type, size, permissions, mtime, user_id, user, group_id, group)`.
    #[pyo3(signature = (container, root, path, pattern=None, itself=false))]
    fn pebble_list_files<'py>(
        &mut self,
        py: Python<'py>,
        container: &str,
        root: PathBuf,
        path: &str,
        pattern: Option<&str>,
        itself: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let files = pebble!(
            py,
            self.tools_for_read()?
                .with_pebble(container, Some(root), |p| p
                    .list_files(path, pattern, itself))
        )?;
        let out = PyList::empty(py);
        for f in files {
            out.append((
                f.path.as_str(),
                f.name.as_str(),
                f.file_type.as_str(),
                f.size,
                f.permissions,
                f.last_modified_timestamp(),
                f.user_id,
                f.user.as_deref(),
                f.group_id,
                f.group.as_deref(),
            ))?;
        }
        Ok(out)
    }

    #[pyo3(signature = (container, root, path, make_parents=false, permissions=None))]
    fn pebble_make_dir(
        &mut self,
        py: Python<'_>,
        container: &str,
        root: PathBuf,
        path: &str,
        make_parents: bool,
        permissions: Option<u32>,
    ) -> PyResult<()> {
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, Some(root), |p| p.make_dir(
                    path,
                    make_parents,
                    permissions
                ))
        )
    }

    #[pyo3(signature = (container, root, path, recursive=false))]
    fn pebble_remove_path(
        &mut self,
        py: Python<'_>,
        container: &str,
        root: PathBuf,
        path: &str,
        recursive: bool,
    ) -> PyResult<()> {
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, Some(root), |p| p.remove_path(path, recursive))
        )
    }

    /// Add a layer given as its dict (`pebble.Layer.to_dict()`).
    fn pebble_add_layer(
        &mut self,
        py: Python<'_>,
        container: &str,
        label: &str,
        layer: &Bound<'_, PyDict>,
        combine: bool,
    ) -> PyResult<()> {
        let layer: Layer = pythonize::depythonize(layer)
            .map_err(|e| PyTypeError::new_err(format!("invalid layer: {e}")))?;
        // Pebble refuses these in any layer; the original libraries let them into the plan.
        // Said only of a Pebble the call reaches (otherwise it fails for that), and a layer
        // combined into an existing one has its `override` checked (and refused) by the
        // mock Pebble itself, as by the originals.
        let (reachable, combining) = match self.tools()?.pebble_container(container) {
            Ok(c) => (c.can_connect, combine && c.layers.contains_key(label)),
            Err(_) => (false, false),
        };
        let mut problems = if reachable {
            layer.problems()
        } else {
            Vec::new()
        };
        if combining {
            problems.retain(|p| p.field != "override");
        }
        if !problems.is_empty() {
            crate::session::stricter_tool!(self.tools_mut, py, |tools| {
                problems.into_iter().try_for_each(|problem| {
                    tools.stricter(HookToolError::InvalidArgument(format!(
                        "Pebble refuses layer {label:?} of container {container:?}: {problem}"
                    )))
                })
            })?;
        }
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, None, |p| p.add_layer(label, layer, combine))
        )
    }

    /// The merged plan as the dict `pebble.Plan` reads (no connection needed, as in
    /// Scenario 5).
    fn pebble_get_plan<'py>(
        &mut self,
        py: Python<'py>,
        container: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.answer_while_unreachable(py, container, "get_plan", None)?;
        let container = pebble!(py, self.tools()?.pebble_container(container))?;
        pythonize::pythonize(py, &Plan::of(container).to_dict())
            .map_err(|e| PyTypeError::new_err(e.to_string()))
    }

    /// The services as `(name, startup, current)`.
    #[pyo3(signature = (container, names=None))]
    fn pebble_get_services(
        &mut self,
        py: Python<'_>,
        container: &str,
        names: Option<Vec<String>>,
    ) -> PyResult<Vec<(String, &'static str, &'static str)>> {
        let infos = pebble!(
            py,
            self.tools_for_read()?
                .with_pebble(container, None, |p| p.get_services(names.as_deref()))
        )?;
        Ok(infos
            .into_iter()
            .map(|i| (i.name, i.startup.as_str(), i.current.as_str()))
            .collect())
    }

    /// `start`, `stop`, `restart`, `autostart` or `replan`.
    #[pyo3(signature = (container, action, names=None))]
    fn pebble_services(
        &mut self,
        py: Python<'_>,
        container: &str,
        action: &str,
        names: Option<Vec<String>>,
    ) -> PyResult<()> {
        let names = names.unwrap_or_default();
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, None, |p| match action {
                    "start" => p.start_services(&names),
                    "stop" => p.stop_services(&names),
                    "restart" => p.restart_services(&names),
                    "autostart" => p.autostart_services(),
                    _ => p.replan_services(),
                })
        )
    }

    fn pebble_send_signal(
        &mut self,
        py: Python<'_>,
        container: &str,
        signal: &str,
        names: Vec<String>,
    ) -> PyResult<()> {
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, None, |p| p.send_signal(signal, &names))
        )
    }

    /// The checks as dicts in the form `pebble.CheckInfo.from_dict` reads.
    #[pyo3(signature = (container, level=None, names=None))]
    fn pebble_get_checks<'py>(
        &mut self,
        py: Python<'py>,
        container: &str,
        level: Option<&str>,
        names: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let level = level.map(|l| CheckLevel::parse(l).unwrap_or(CheckLevel::Unset));
        self.answer_while_unreachable(py, container, "get_checks", Some(Api::Scenario8))?;
        let checks = pebble!(
            py,
            self.tools_for_read()?
                .read_pebble(container, |p| p.get_checks(level, names.as_deref()))
        )?;
        let out = PyList::empty(py);
        for c in checks {
            let d = PyDict::new(py);
            d.set_item("name", c.name)?;
            d.set_item("level", c.level.unwrap_or(CheckLevel::Unset).as_str())?;
            d.set_item("startup", c.startup.as_str())?;
            d.set_item("status", c.status.as_str())?;
            if let Some(successes) = c.successes {
                d.set_item("successes", successes)?;
            }
            d.set_item("failures", c.failures)?;
            d.set_item("threshold", c.threshold)?;
            // Empty for a check that is not running, which ops 3 then reads as inactive.
            d.set_item("change-id", c.change_id)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Start (`start`) or stop (`stop`) the named checks; the names whose state changed.
    fn pebble_checks(
        &mut self,
        py: Python<'_>,
        container: &str,
        action: &str,
        names: Vec<String>,
    ) -> PyResult<Vec<String>> {
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, None, |p| if action == "start" {
                    p.start_checks(&names)
                } else {
                    p.stop_checks(&names)
                })
        )
    }

    /// The notices matching the filters, as dicts of the State's `Notice` fields, in the
    /// State's order.
    #[pyo3(signature = (container, all_users=false, user_id=None, types=None, keys=None))]
    fn pebble_get_notices<'py>(
        &mut self,
        py: Python<'py>,
        container: &str,
        all_users: bool,
        user_id: Option<u32>,
        types: Option<Vec<String>>,
        keys: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let filter = NoticeFilter {
            all_users,
            user_id,
            types: types.as_deref(),
            keys: keys.as_deref(),
        };
        self.answer_while_unreachable(py, container, "get_notices", Some(Api::Scenario8))?;
        let found = pebble!(
            py,
            self.tools_for_read()?.read_pebble(container, |p| p
                .get_notices(filter)
                .map(|found| found.into_iter().cloned().collect::<Vec<_>>()))
        )?;
        pythonize::pythonize(py, &found).map_err(|e| PyTypeError::new_err(e.to_string()))
    }

    /// The notice with this id, as a dict of the State's `Notice` fields.
    fn pebble_get_notice<'py>(
        &mut self,
        py: Python<'py>,
        container: &str,
        id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.answer_while_unreachable(py, container, "get_notice", Some(Api::Scenario8))?;
        let found = pebble!(
            py,
            self.tools_for_read()?
                .read_pebble(container, |p| p.get_notice(id).cloned())
        )?;
        pythonize::pythonize(py, &found).map_err(|e| PyTypeError::new_err(e.to_string()))
    }

    /// The mocked result of a command: `(return_code, stdout, stderr)`.
    fn pebble_exec(
        &mut self,
        py: Python<'_>,
        container: &str,
        command: Vec<String>,
    ) -> PyResult<(i32, String, String)> {
        self.answer_while_unreachable(py, container, "exec", None)?;
        let tools = self.tools()?;
        let found = pebble!(py, tools.pebble_container(container))?;
        let outcome = pebble!(
            py,
            scenario_pebble::find_exec(found, &command, tools.unit.api)
        )?;
        Ok((
            outcome.return_code,
            outcome.stdout.to_owned(),
            outcome.stderr.to_owned(),
        ))
    }
}
