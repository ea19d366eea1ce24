//! Starting and finishing one run: from (State, Event, spec) to a hook-tool session, and
//! from the session and the framework's store to the output State.

use std::sync::Arc;

use crate::api::PyApi;
use crate::convert::{status_to_py, str_value_map_from_py};
use crate::dataclass::Settle;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use scenario_runtime::{HookSession, HookTools, UnitContext};

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
    let output = Bound::new(py, PyState::wrap(tools.state.clone(), Some(tools.unit.api)))?;
    session.set_output(output.clone().into_any().unbind());
    Ok(output)
}

/// The side effects recorded so far, for the Context, as Python values.
#[pyfunction]
pub fn session_records<'py>(
    py: Python<'py>,
    session: &Bound<'py, HookSession>,
) -> PyResult<Bound<'py, PyDict>> {
    let session = session.borrow();
    let records = &session.peek()?.records;
    let out = PyDict::new(py);
    let statuses = |list: &[scenario_model::EntityStatus]| -> PyResult<Bound<'py, PyList>> {
        PyList::new(
            py,
            list.iter()
                .map(|s| status_to_py(py, s))
                .collect::<PyResult<Vec<_>>>()?,
        )
    };
    out.set_item(
        "unit_status_history",
        statuses(&records.unit_status_history)?,
    )?;
    out.set_item("app_status_history", statuses(&records.app_status_history)?)?;
    out.set_item(
        "workload_version_history",
        records.workload_version_history.clone(),
    )?;
    // Levels are a handful of words: interned, a long session's records share them.
    out.set_item(
        "juju_log",
        records
            .juju_log
            .iter()
            .map(|l| (PyString::intern(py, &l.level), l.message.as_str()))
            .collect::<Vec<_>>(),
    )?;
    out.set_item("action_logs", records.action_logs.clone())?;
    out.set_item(
        "action_results",
        records
            .action_results
            .as_ref()
            .map(|r| -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                for (k, v) in r {
                    d.set_item(k, v.0.bind(py))?;
                }
                Ok(d)
            })
            .transpose()?,
    )?;
    out.set_item("action_failure", records.action_failure.clone())?;
    let storages = PyDict::new(py);
    for (name, count) in &records.requested_storages {
        storages.set_item(name, count)?;
    }
    out.set_item("requested_storages", storages)?;
    out.set_item(
        "removed_secret_revisions",
        records.removed_secret_revisions.clone(),
    )?;
    Ok(out)
}
