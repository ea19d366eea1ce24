//! `DeferredEvent`: an event a charm deferred, waiting for the next hook.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scenario_model as model;

use crate::convert::{args, str_value_map_from_py, str_value_map_to_py};
use crate::dataclass::{Field, Fields, factory, required, state_class};

const FIELDS: &[Field] = &[
    required("handle_path"),
    required("owner"),
    required("observer"),
    factory("snapshot_data", "{}"),
];

/// An event a previous run deferred (``event.defer()``), which ops emits again, to the
/// observer that deferred it, before the event of the next run. Put it in
/// ``State.deferred``; a run's output lists the events the charm deferred.
///
/// Make one with the event's ``deferred()`` rather than by hand:
/// ``ctx.on.update_status().deferred(MyCharm._on_update_status)`` (ops[testing]), or
/// ``Event("update_status").deferred(handler)`` and ``scenario.deferred(...)`` (Scenario 5).
/// The arguments, all required but the last, are what ops records:
///
/// - ``handle_path``: the event's handle path, ``MyCharm/on/update_status[1]``.
/// - ``owner``: the handle path of the object whose method observes the event.
/// - ``observer``: that method's name (``_on_update_status``).
/// - ``snapshot_data``: the event's snapshot, as ops saved it (default empty).
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "DeferredEvent"
)]
#[derive(Debug)]
pub struct PyDeferredEvent {
    pub inner: model::DeferredEvent,
}

impl Fields for PyDeferredEvent {}

impl PyDeferredEvent {
    pub fn from_model(inner: model::DeferredEvent) -> Self {
        PyDeferredEvent { inner }
    }
}

args!(deferred_arg, PyDeferredEvent "DeferredEvent": handle_path, owner, observer);

state_class! { PyDeferredEvent, "DeferredEvent", FIELDS, inner;
    #[new]
    #[pyo3(signature = (handle_path, owner, observer, snapshot_data=None))]
    fn new(
        #[pyo3(from_py_with = deferred_arg::handle_path)] handle_path: String,
        #[pyo3(from_py_with = deferred_arg::owner)] owner: String,
        #[pyo3(from_py_with = deferred_arg::observer)] observer: String,
        snapshot_data: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let snapshot_data = snapshot_data
            .map_or_else(|| Ok(indexmap::IndexMap::new()), |s| str_value_map_from_py(s, "DeferredEvent.snapshot_data"))?;
        let inner = model::DeferredEvent { handle_path, owner, observer, snapshot_data };
        inner.check().map_err(crate::errors::state_validation_error)?;
        Ok(PyDeferredEvent { inner })
    }
    /// The deferred event's handle path in ops's framework
    /// (``MyCharm/on/update_status[1]``).
    #[getter]
    fn handle_path(&self) -> &str {
        &self.inner.handle_path
    }
    /// The handle path of the object whose method observes the event (``MyCharm``).
    #[getter]
    fn owner(&self) -> &str {
        &self.inner.owner
    }
    /// The name of the observing method that deferred the event (``_on_start``).
    #[getter]
    fn observer(&self) -> &str {
        &self.inner.observer
    }
    /// The event's snapshot, as ops saved it when the event was deferred (the relation
    /// id, remote unit, ...), restored when it is emitted again.
    #[getter]
    fn snapshot_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        str_value_map_to_py(py, &self.inner.snapshot_data)
    }
    /// The event's name, the last part of its handle path (``start`` for
    /// ``MyCharm/on/start[1]``).
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }
}
