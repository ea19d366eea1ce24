//! The exceptions of the `scenario` package, declared once, and the mapping of Rust errors
//! onto them.

use pyo3::create_exception;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

create_exception!(
    scenario.state,
    StateValidationError,
    PyRuntimeError,
    "A state object was given a value Juju could not hold (a port out of range, an empty \
     secret content, a name Juju refuses...); the constructor raises it, naming the field \
     as ``Class.field``."
);
create_exception!(
    scenario.state,
    MetadataNotFoundError,
    PyRuntimeError,
    "No metadata.yaml or charmcraft.yaml was found in the charm root (the parent of the \
     directory holding the charm's source); pass meta= to the Context instead."
);
create_exception!(
    scenario.state,
    BindFailedError,
    PyRuntimeError,
    "Event.bind found nothing in the State for the event to be about: no relation on its \
     endpoint, no container or storage of its name, or not exactly one secret."
);

create_exception!(
    scenario.state,
    MissingEventEntityError,
    pyo3::exceptions::PyAttributeError,
    "An event was deferred without the State entity its kind needs (a relation event's \
     relation, a workload event's container, a storage or a secret), which ops would need \
     to restore it."
);

pub fn state_validation_error(e: impl std::fmt::Display) -> PyErr {
    StateValidationError::new_err(e.to_string())
}

/// A value Juju would refuse that ops[testing] took when the object was made: a
/// `JujuStricterWarning` at the test's line, or, in strict mode (`SCENARIO_STRICT`), the
/// `StateValidationError` it would otherwise be.
pub fn stricter(py: Python<'_>, message: &str) -> PyResult<()> {
    let strict = std::env::var("SCENARIO_STRICT")
        .is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"));
    if strict {
        return Err(StateValidationError::new_err(message.to_owned()));
    }
    py.import("scenario_rs._warnings")?
        .getattr("warn_stricter")?
        .call1((message,))?;
    Ok(())
}

/// Refuse a name Juju would not accept (`field`: `Relation.endpoint`), as ops[testing]'s
/// constructors do.
pub fn check_name(kind: scenario_model::names::NameKind, name: &str, field: &str) -> PyResult<()> {
    match kind.problem(name) {
        Some(problem) => Err(StateValidationError::new_err(format!(
            "{problem} ({field})"
        ))),
        None => Ok(()),
    }
}

/// `_Action`'s check of its name (ops[testing]'s action invocation).
#[pyfunction]
pub fn check_action_name(name: &str) -> PyResult<()> {
    check_name(
        scenario_model::names::NameKind::Action,
        name,
        "_Action.name",
    )
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add(
        "StateValidationError",
        py.get_type::<StateValidationError>(),
    )?;
    m.add(
        "MetadataNotFoundError",
        py.get_type::<MetadataNotFoundError>(),
    )?;
    m.add("BindFailedError", py.get_type::<BindFailedError>())?;
    m.add(
        "MissingEventEntityError",
        py.get_type::<MissingEventEntityError>(),
    )?;
    Ok(())
}
