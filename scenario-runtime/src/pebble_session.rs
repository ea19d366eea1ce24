//! The Pebble calls of the hook-tool session: what Python's mocked Pebble client delegates,
//! and the one mapping from Pebble errors to ops's `pebble` exceptions.

use std::path::PathBuf;

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList};
use scenario_model::Layer;
use scenario_pebble::{CheckLevel, PebbleError, Plan};

use crate::convert::ops_attr;
use crate::session::HookSession;

static PATH_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static API_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static CONNECTION_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

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
        // Scenario 5 raised RuntimeError for a command with no mock; charms catching
        // ExecError must not swallow a missing mock.
        PebbleError::ExecNotMocked { .. } => return PyRuntimeError::new_err(message),
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
        pebble!(
            py,
            self.tools_mut()?
                .with_pebble(container, None, |p| p.add_layer(label, layer, combine))
        )
    }

    /// The merged plan as the dict `pebble.Plan` reads (no connection needed, as in
    /// Scenario 5).
    fn pebble_get_plan<'py>(
        &self,
        py: Python<'py>,
        container: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
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
        let level = match level {
            None => None,
            Some("alive") => Some(CheckLevel::Alive),
            Some("ready") => Some(CheckLevel::Ready),
            Some(_) => Some(CheckLevel::Unset),
        };
        let checks = pebble!(
            py,
            self.tools_for_read()?
                .with_pebble(container, None, |p| p.get_checks(level, names.as_deref()))
        )?;
        let out = PyList::empty(py);
        for c in checks {
            let d = PyDict::new(py);
            d.set_item("name", c.name)?;
            d.set_item("level", c.level.as_str())?;
            d.set_item("startup", c.startup.as_str())?;
            d.set_item("status", c.status.as_str())?;
            d.set_item("failures", c.failures)?;
            d.set_item("threshold", c.threshold)?;
            // ops 3 reads a check with a startup but no change as not running.
            if c.status.as_str() != "inactive" {
                d.set_item("change-id", "1")?;
            }
            out.append(d)?;
        }
        Ok(out)
    }

    /// The mocked result of a command: `(return_code, stdout, stderr)`.
    fn pebble_exec(
        &self,
        py: Python<'_>,
        container: &str,
        command: Vec<String>,
    ) -> PyResult<(i32, String, String)> {
        let found = pebble!(py, self.tools()?.pebble_container(container))?;
        let output = pebble!(py, scenario_pebble::find_exec_mock(found, &command))?;
        Ok((
            output.return_code,
            output.stdout.clone(),
            output.stderr.clone(),
        ))
    }
}
