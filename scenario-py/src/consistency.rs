//! The consistency checker from Python: the Rust report as plain tuples.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use scenario_consistency::JujuVersion;

use crate::api::PyApi;
use crate::classes::event::PyEvent;
use crate::classes::state::PyState;
use crate::dataclass::Settle;
use crate::spec::PyCharmSpec;

/// Parse a Juju version (`3.1.6`, `2.9-beta1`), raising `ValueError` for anything else.
#[pyfunction]
pub fn parse_juju_version(version: &str) -> PyResult<String> {
    juju_version(version).map(|v| v.to_string())
}

/// A Juju version given from Python; `ValueError` when it does not parse.
pub(crate) fn juju_version(version: &str) -> PyResult<JujuVersion> {
    JujuVersion::parse(version).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The checker's options for a run of `api` as unit `unit_id` (`None`: the State's).
pub(crate) fn checker_options(api: PyApi, unit_id: Option<u32>) -> scenario_consistency::Options {
    scenario_consistency::Options {
        api: api.into(),
        unit_id,
    }
}

/// Every finding of the checker as `(severity, rule, path, message)`, with the rules and
/// defaults of `api` for unit `unit_id` (`None`: the State's).
#[pyfunction]
#[pyo3(signature = (state, event, charm_spec, juju_version, *, api=PyApi::Scenario5, unit_id=None))]
pub fn consistency_report(
    state: &Bound<'_, PyState>,
    event: &Bound<'_, PyEvent>,
    charm_spec: &Bound<'_, PyCharmSpec>,
    juju_version: &str,
    api: PyApi,
    unit_id: Option<u32>,
) -> PyResult<Vec<(&'static str, &'static str, String, String)>> {
    let version = self::juju_version(juju_version)?;
    let options = checker_options(api, unit_id);
    let (state, event) = (state.settled()?, event.settled()?);
    let report = scenario_consistency::check_consistency_with(
        &*state.get().current(state.py())?,
        &event.get().current(event.py())?,
        &charm_spec.get().inner,
        &version,
        options,
    );
    Ok(report
        .diagnostics
        .into_iter()
        .map(|d| (d.severity.as_str(), d.rule.code(), d.path, d.message))
        .collect())
}
