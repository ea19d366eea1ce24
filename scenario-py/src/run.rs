//! Starting and finishing one run: from (State, Event, spec) to a hook-tool session, and
//! from the session and the framework's store to the output State.

use std::sync::Arc;

use crate::api::PyApi;
use crate::convert::{status_to_py, str_value_map_from_py};
use crate::dataclass::Settle;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use scenario_runtime::{HookSession, HookTools, HostValue, Records, UnitContext};

use crate::classes::deferred::PyDeferredEvent;
use crate::classes::event::PyEvent;
use crate::classes::state::PyState;
use crate::classes::stored_state::PyStoredState;
use crate::spec::PyCharmSpec;

/// The application name a charm's metadata gives, which ops (and Juju) require; else
/// `scenario.errors.MissingCharmNameError`.
#[pyfunction]
pub fn charm_name(spec: &Bound<'_, PyCharmSpec>) -> PyResult<String> {
    if let Some(name) = spec.get().inner.name() {
        return Ok(name.to_owned());
    }
    let py = spec.py();
    let error = py
        .import("scenario_rs.errors")?
        .getattr("MissingCharmNameError")?
        .call1(("the charm metadata has no mandatory \"name\": add name: <app> to meta",))?;
    Err(PyErr::from_value(error))
}

/// Open the hook-tool session of a run. The input State is shared, never modified.
///
/// `api` is the API the run's event speaks; `unit_id` the Context's
/// (ops[testing]), else the State's (Scenario 5); `app_name` the Context's, else the
/// charm's name.
#[pyfunction]
#[pyo3(signature = (spec, state, event, juju_version, charm_dir, *, api=PyApi::Scenario5, unit_id=None, app_name=None, machine_id=None, availability_zone=None, principal_unit=None, app_trusted=false, strict=false))]
pub fn start_run(
    spec: &Bound<'_, PyCharmSpec>,
    state: &Bound<'_, PyState>,
    event: &Bound<'_, PyEvent>,
    juju_version: String,
    charm_dir: &str,
    api: PyApi,
    unit_id: Option<u32>,
    app_name: Option<String>,
    machine_id: Option<String>,
    availability_zone: Option<String>,
    principal_unit: Option<String>,
    app_trusted: bool,
    strict: bool,
) -> PyResult<HookSession> {
    let py_spec = spec;
    let app_name = match app_name {
        Some(name) => name,
        None => charm_name(spec)?,
    };
    let spec = Arc::clone(&spec.get().inner);
    let state = state.settled()?;
    let state = state.get().current(state.py())?.into_owned();
    let event = event.settled()?;
    let event = event.get().current(event.py())?;
    let unit = UnitContext {
        api: api.into(),
        machine_id,
        availability_zone,
        principal_unit,
        app_trusted,
        strict,
        ..UnitContext::new(app_name, unit_id.unwrap_or(state.unit_id), juju_version)
    };
    let env = scenario_runtime::env::juju_env(&event, &state, &unit, charm_dir);
    // Both originals said, on their runtime's logger, when they chose the remote unit.
    if let Some((level, message)) = scenario_runtime::env::remote_unit_note(&event, &unit) {
        py_spec
            .py()
            .import("logging")?
            .call_method1("getLogger", ("ops-scenario.runtime",))?
            .call_method1(level, (message,))?;
    }
    Ok(HookSession::new(
        HookTools::new(state, event, spec, unit),
        env,
    ))
}

/// One stored state of the output: an input `StoredState` the run left as it was, or the
/// fields of one the framework saved (made here, not through the Python constructor).
#[derive(FromPyObject)]
pub enum OutputStoredState<'py> {
    Unchanged(Bound<'py, PyStoredState>),
    Saved(Option<String>, String, Bound<'py, PyAny>, String),
}

impl OutputStoredState<'_> {
    fn into_model(self) -> PyResult<scenario_model::StoredState> {
        Ok(match self {
            OutputStoredState::Unchanged(stored) => stored.settled()?.get().inner.clone(),
            OutputStoredState::Saved(owner_path, name, content, data_type_name) => {
                scenario_model::StoredState {
                    owner_path,
                    name,
                    content: str_value_map_from_py(&content, "StoredState.content")?,
                    data_type_name,
                }
            }
        })
    }
}

/// Finish the session and build the output State, with the deferred events and stored
/// state the framework's store ended with. The session answers reads until closed.
#[pyfunction]
pub fn finish_run<'py>(
    py: Python<'py>,
    session: &Bound<'py, HookSession>,
    stored_state: Vec<OutputStoredState<'_>>,
    deferred: Vec<Bound<'_, PyDeferredEvent>>,
    input: &Bound<'py, PyState>,
) -> PyResult<Bound<'py, PyState>> {
    let stored_state = stored_state
        .into_iter()
        .map(OutputStoredState::into_model)
        .collect::<PyResult<Vec<_>>>()?;
    let mut session = session.borrow_mut();
    let tools = session.finish()?;
    tools.state.stored_state = Arc::new(stored_state);
    tools.state.deferred = Arc::new(
        deferred
            .iter()
            .map(|d| d.settled().map(|d| d.get().inner.clone()))
            .collect::<PyResult<_>>()?,
    );
    // The output shares everything with the session's State: a clone copies pointers.
    let output = Bound::new(
        py,
        PyState::wrap_output(
            tools.state.clone(),
            Some(tools.unit.api),
            input.clone().unbind(),
        ),
    )?;
    session.set_output(output.clone().into_any().unbind());
    Ok(output)
}

/// What one run produced, as one immutable value: the output State (none when the charm
/// raised before the run finished) and everything the Context records of it, each in the
/// order it happened. Made when the run closes (`run_result`); the Context merges it into
/// its histories.
#[pyclass(frozen, module = "scenario_rs._scenario", name = "RunResult")]
pub struct RunResult {
    output: Option<Py<PyAny>>,
    records: Records<HostValue>,
    emitted_events: Py<PyTuple>,
    trace_data: Py<PyTuple>,
}

#[pymethods]
impl RunResult {
    /// The output State; ``None`` when the run did not finish.
    #[getter]
    fn output(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.output.as_ref().map(|o| o.clone_ref(py))
    }
    /// Each status the unit had before the charm set another, oldest first.
    #[getter]
    fn unit_status_history<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        statuses(py, &self.records.unit_status_history)
    }
    /// Each status the application had before the charm set another, oldest first.
    #[getter]
    fn app_status_history<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        statuses(py, &self.records.app_status_history)
    }
    /// Each workload version before the charm set another.
    #[getter]
    fn workload_version_history(&self) -> Vec<String> {
        self.records.workload_version_history.clone()
    }
    /// The ``juju-log`` lines, as ``(level, message)`` pairs.
    #[getter]
    fn juju_log<'py>(&self, py: Python<'py>) -> Vec<(Bound<'py, PyString>, &str)> {
        // Levels are a handful of words: interned, a long session's records share them.
        self.records
            .juju_log
            .iter()
            .map(|l| (PyString::intern(py, &l.level), l.message.as_str()))
            .collect()
    }
    /// What the action logged (``event.log``).
    #[getter]
    fn action_logs(&self) -> Vec<String> {
        self.records.action_logs.clone()
    }
    /// What the action set as its results, the values as given; ``None`` when it set none.
    #[getter]
    fn action_results<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.records
            .action_results
            .as_ref()
            .map(|r| {
                let d = PyDict::new(py);
                for (k, v) in r {
                    d.set_item(k, v.0.bind(py))?;
                }
                Ok(d)
            })
            .transpose()
    }
    /// The action's failure message; ``None`` unless it failed.
    #[getter]
    fn action_failure(&self) -> Option<String> {
        self.records.action_failure.clone()
    }
    /// ``storage-add`` requests: storage name to count.
    #[getter]
    fn requested_storages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let storages = PyDict::new(py);
        for (name, count) in &self.records.requested_storages {
            storages.set_item(name, count)?;
        }
        Ok(storages)
    }
    /// The secret revisions the charm removed.
    #[getter]
    fn removed_secret_revisions(&self) -> Vec<u32> {
        self.records.removed_secret_revisions.clone()
    }
    /// Container name to the ``ExecArgs`` of each command the charm ran there.
    #[getter]
    fn exec_history<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (container, runs) in &self.records.exec_history {
            out.set_item(
                container,
                PyList::new(py, runs.iter().map(|r| r.0.bind(py)))?,
            )?;
        }
        Ok(out)
    }
    /// The events the run emitted, as their handlers saw them (detached from the run).
    #[getter]
    fn emitted_events<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.emitted_events.bind(py).clone()
    }
    /// The spans of the run, where ops[tracing] is installed.
    #[getter]
    fn trace_data<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.trace_data.bind(py).clone()
    }
}

fn statuses<'py>(
    py: Python<'py>,
    list: &[scenario_model::EntityStatus],
) -> PyResult<Bound<'py, PyList>> {
    PyList::new(
        py,
        list.iter()
            .map(|s| status_to_py(py, s))
            .collect::<PyResult<Vec<_>>>()?,
    )
}

/// The result of a run, as it stands: the output State once finished, the records, and
/// what Python recorded beside them (the emitted events, the spans).
#[pyfunction]
pub fn run_result(
    session: &Bound<'_, HookSession>,
    emitted_events: &Bound<'_, PyAny>,
    trace_data: &Bound<'_, PyAny>,
) -> PyResult<RunResult> {
    let py = session.py();
    let held = session.borrow();
    let records = held.peek()?.records.clone();
    Ok(RunResult {
        output: held.output(py),
        records,
        emitted_events: PyTuple::new(
            py,
            emitted_events.try_iter()?.collect::<PyResult<Vec<_>>>()?,
        )?
        .unbind(),
        trace_data: PyTuple::new(py, trace_data.try_iter()?.collect::<PyResult<Vec<_>>>()?)?
            .unbind(),
    })
}
