//! The compiled core of the Python package `scenario_rs` (`scenario_rs._scenario`), which
//! `import scenario` resolves to.

mod api;
mod classes;
mod consistency;
mod convert;
mod dataclass;
mod errors;
mod held;
mod neighbours;
mod run;
mod spec;

use pyo3::prelude::*;
use scenario_model::event;

#[pymodule]
fn _scenario(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    classes::register(m)?;
    m.add_class::<api::PyApi>()?;
    m.add_class::<spec::PyCharmSpec>()?;
    m.add_class::<scenario_runtime::HookSession>()?;
    m.add(
        "ActionMissingFromContextError",
        m.py()
            .get_type::<scenario_runtime::ActionMissingFromContextError>(),
    )?;
    // The event-name tables, from the model, so Python's constants cannot drift from them.
    m.add(
        "RELATION_EVENTS_SUFFIX",
        event::RELATION_EVENTS_SUFFIX.map(|(suffix, _)| suffix),
    )?;
    m.add("STORAGE_EVENTS_SUFFIX", event::STORAGE_EVENTS_SUFFIX)?;
    m.add("SECRET_EVENTS", event::SECRET_EVENTS)?;
    m.add("FRAMEWORK_EVENTS", event::FRAMEWORK_EVENTS)?;
    m.add("BUILTIN_EVENTS", event::BUILTIN_EVENTS)?;
    m.add(
        "PEBBLE_READY_EVENT_SUFFIX",
        event::PEBBLE_READY_EVENT_SUFFIX,
    )?;
    m.add("ACTION_EVENT_SUFFIX", event::ACTION_EVENT_SUFFIX)?;
    m.add_function(wrap_pyfunction!(environ_get, m)?)?;
    m.add_function(wrap_pyfunction!(next_relation_id, m)?)?;
    m.add_function(wrap_pyfunction!(next_storage_index, m)?)?;
    m.add_function(wrap_pyfunction!(next_notice_id, m)?)?;
    m.add_function(wrap_pyfunction!(next_action_id, m)?)?;
    m.add_function(wrap_pyfunction!(errors::check_action_name, m)?)?;
    m.add_function(wrap_pyfunction!(dataclass::rebuild, m)?)?;
    m.add_function(wrap_pyfunction!(classes::pebble_objects::to_datetime, m)?)?;
    m.add_function(wrap_pyfunction!(classes::event::classify_event, m)?)?;
    m.add_function(wrap_pyfunction!(run::start_run, m)?)?;
    m.add_function(wrap_pyfunction!(run::charm_name, m)?)?;
    m.add_function(wrap_pyfunction!(consistency::consistency_report, m)?)?;
    m.add_function(wrap_pyfunction!(consistency::parse_juju_version, m)?)?;
    m.add_function(wrap_pyfunction!(run::finish_run, m)?)?;
    m.add_function(wrap_pyfunction!(run::run_result, m)?)?;
    m.add_class::<run::RunResult>()?;
    m.add_class::<neighbours::PyNeighbours>()?;
    Ok(())
}

/// `os.environ.get(name)`, without the `KeyError` the mapping raises and catches for a
/// variable that is not set: for the variables a run reads (`SCENARIO_STRICT`...).
#[pyfunction]
fn environ_get<'py>(py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    scenario_runtime::environ_get(py, name)
}

/// The id the next relation made without one will get; with `update`, move on past it.
#[pyfunction]
#[pyo3(signature = (update=true))]
fn next_relation_id(update: bool) -> u32 {
    scenario_model::next_relation_id(update)
}

/// The index the next storage made without one will get; with `update`, move on past it.
#[pyfunction]
#[pyo3(signature = (update=true))]
fn next_storage_index(update: bool) -> u32 {
    scenario_model::next_storage_index(update)
}

/// The id the next Pebble notice made without one will get; with `update`, move on past it.
#[pyfunction]
#[pyo3(signature = (update=true))]
fn next_notice_id(update: bool) -> String {
    scenario_model::next_notice_id(update)
}

/// The id the next action event made without one will get; with `update`, move on past it.
#[pyfunction]
#[pyo3(signature = (update=true))]
fn next_action_id(update: bool) -> String {
    scenario_model::next_action_id(update)
}
