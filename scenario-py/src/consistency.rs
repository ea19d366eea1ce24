//! The consistency checker from Python: the Rust report as plain tuples.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use scenario_consistency::JujuVersion;

use crate::classes::event::PyEvent;
use crate::classes::state::PyState;
use crate::spec::PyCharmSpec;

/// Parse a Juju version (`3.1.6`, `2.9-beta1`), raising `ValueError` for anything else.
#[pyfunction]
pub fn parse_juju_version(version: &str) -> PyResult<String> {
    JujuVersion::parse(version)
        .map(|v| v.to_string())
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Every finding of the checker as `(severity, rule, path, message)`.
#[pyfunction]
pub fn consistency_report(
    state: &Bound<'_, PyState>,
    event: &Bound<'_, PyEvent>,
    charm_spec: &Bound<'_, PyCharmSpec>,
    juju_version: &str,
) -> PyResult<Vec<(&'static str, &'static str, String, String)>> {
    let version =
        JujuVersion::parse(juju_version).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let report = scenario_consistency::check_consistency(
        &state.get().inner,
        &event.get().inner,
        &charm_spec.get().inner,
        &version,
    );
    Ok(report
        .diagnostics
        .into_iter()
        .map(|d| (d.severity.as_str(), d.rule.code(), d.path, d.message))
        .collect())
}
