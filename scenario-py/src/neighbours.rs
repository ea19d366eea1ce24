//! The States near a run's own, from Python: what `scenario.fuzz` explores (the walk itself
//! is `scenario_consistency::neighbours`).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scenario_consistency::neighbours::Neighbours;
use scenario_model::Api;

use crate::api::PyApi;
use crate::classes::event::PyEvent;
use crate::classes::state::PyState;
use crate::consistency;
use crate::dataclass::Settle;
use crate::spec::PyCharmSpec;

/// The consistent States near ``state`` for ``event``, as the charm's spec allows them
/// (leadership, config across each option's type, relations and their databags and
/// units, containers, secrets, storage, planned units, deferred events, stored state).
///
/// A walk is decoded from a sequence of numbers, three per step: the kind of step and two
/// parameters, each taken modulo what there is to choose from. Shorter sequences of
/// smaller numbers make simpler States, so a search that shrinks numbers (hypothesis)
/// shrinks the State. Each step is kept only if the consistency checker finds nothing new
/// wrong with it: every State a walk reaches is one Juju could produce.
///
/// ``api`` and ``unit_id`` are the run's (the checker's rules and defaults); ``keys`` are
/// databag keys to try odd values under, besides those the State holds (the keys the
/// charm was seen reading, say).
#[pyclass(module = "scenario_rs._scenario", name = "Neighbours", frozen)]
pub struct PyNeighbours {
    inner: Neighbours,
    /// The event as given (an ops[testing] event stays one: a rebound event is a
    /// `replace()` of it).
    event: Py<PyEvent>,
    view: Api,
}

#[pymethods]
impl PyNeighbours {
    #[new]
    #[pyo3(signature = (state, event, charm_spec, juju_version, *, api=PyApi::Scenario8, unit_id=None, keys=Vec::new()))]
    fn new(
        state: &Bound<'_, PyState>,
        event: &Bound<'_, PyEvent>,
        charm_spec: &Bound<'_, PyCharmSpec>,
        juju_version: &str,
        api: PyApi,
        unit_id: Option<u32>,
        keys: Vec<String>,
    ) -> PyResult<Self> {
        let juju = consistency::juju_version(juju_version)?;
        let (state, event) = (state.settled()?, event.settled()?);
        let inner = Neighbours::new(
            state.get().current(state.py())?.into_owned(),
            event.get().current(event.py())?,
            Arc::clone(&charm_spec.get().inner),
            juju,
            consistency::checker_options(api, unit_id),
        )
        .with_keys(keys);
        Ok(PyNeighbours {
            inner,
            event: event.unbind(),
            view: api.into(),
        })
    }

    /// The State the numbers lead to, the event bound to it (its relation, container and
    /// secret the State's own: the event itself when the walk left them as they were), and
    /// each step taken, in words.
    fn walk<'py>(
        &self,
        py: Python<'py>,
        choices: Vec<u32>,
    ) -> PyResult<(Bound<'py, PyState>, Bound<'py, PyAny>, Vec<String>)> {
        let (state, event, steps) = self.inner.walk_with_event(&choices);
        let given = self.event.bind(py);
        let before = self.inner.event();
        let state = Bound::new(py, PyState::wrap(state, Some(self.view)))?;
        let changes = PyDict::new(py);
        if let (Some(now), Some(was)) = (&event.relation, &before.relation) {
            if now != was {
                let id = now.relation_id();
                changes.set_item("relation", state.get().relation_object(py, id)?)?;
            }
        }
        if let (Some(now), Some(was)) = (&event.container, &before.container) {
            if now != was {
                changes.set_item("container", state.get().container_object(py, &now.name)?)?;
            }
        }
        if let (Some(now), Some(was)) = (&event.secret, &before.secret) {
            if now != was {
                changes.set_item("secret", state.get().secret_object(py, &now.id)?)?;
            }
        }
        let event = if changes.is_empty() {
            given.clone().into_any()
        } else {
            given.call_method("replace", (), Some(&changes))?
        };
        Ok((
            state,
            event,
            steps.iter().map(ToString::to_string).collect(),
        ))
    }

    fn __repr__(&self) -> String {
        format!("<Neighbours of a State for {}>", self.inner.event().name())
    }
}
