//! The compiled core of the `scenario` Python package (`scenario._scenario`).

mod classes;
mod consistency;
mod convert;
mod dataclass;
mod errors;
mod run;
mod spec;

use pyo3::prelude::*;

#[pymodule]
fn _scenario(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    classes::register(m)?;
    m.add_class::<spec::PyCharmSpec>()?;
    m.add_class::<scenario_runtime::HookSession>()?;
    m.add(
        "ActionMissingFromContextError",
        m.py()
            .get_type::<scenario_runtime::ActionMissingFromContextError>(),
    )?;
    m.add_function(wrap_pyfunction!(next_relation_id, m)?)?;
    m.add_function(wrap_pyfunction!(next_storage_index, m)?)?;
    m.add_function(wrap_pyfunction!(run::start_run, m)?)?;
    m.add_function(wrap_pyfunction!(consistency::consistency_report, m)?)?;
    m.add_function(wrap_pyfunction!(consistency::parse_juju_version, m)?)?;
    m.add_function(wrap_pyfunction!(run::finish_run, m)?)?;
    m.add_function(wrap_pyfunction!(run::session_records, m)?)?;
    Ok(())
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
