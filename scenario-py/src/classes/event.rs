//! `Event` and `Action`: what the charm is run with.

use std::sync::Arc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use scenario_model::{self as model, EventKind, Value};

use crate::classes::container::PyContainer;
use crate::classes::deferred::PyDeferredEvent;
use crate::classes::pebble_objects::{PyCheckInfo, PyNotice};
use crate::classes::relation::{relation_from_py, relation_to_py};
use crate::classes::secret::PySecret;
use crate::classes::storage::PyStorage;
use crate::convert::{args, str_value_map_from_py, str_value_map_to_py, type_name};
use crate::dataclass::Settle;
use crate::dataclass::{Field, Fields, factory, required, state_class, value};
use crate::errors::{BindFailedError, MissingEventEntityError};
use crate::held::Held;

const ACTION_FIELDS: &[Field] = &[
    required("name"),
    factory("params", "{}"),
    value("id", "None"),
];

/// One invocation of an action of the charm (``juju run <unit> <action>``): Scenario 5's
/// argument to ``ctx.run_action``. ops[testing] makes the same with
/// ``ctx.on.action(name, params=..., id=...)``.
///
/// - ``name``: the action's name, as ``actions.yaml`` (or ``charmcraft.yaml``) declares it
///   (required).
/// - ``params``: the parameter values given, name to value (default: none). ``action-get``
///   (``event.params``) adds the defaults ``actions.yaml`` declares for the others.
/// - ``id``: Juju's id for the invocation (``JUJU_ACTION_UUID``), or ``None`` (the
///   default; ``ctx.on.action`` numbers its invocations instead).
///
/// For example: ``ctx.run_action(Action("backup", params={"dest": "/tmp"}), state)``.
#[pyclass(
    frozen,
    dict,
    subclass,
    skip_from_py_object,
    module = "scenario.state",
    name = "Action"
)]
#[derive(Debug)]
pub struct PyAction {
    pub inner: Arc<model::Action>,
}

impl Fields for PyAction {}

args!(action_arg, PyAction "Action": name, id);

state_class! { PyAction, "Action", ACTION_FIELDS, inner;
    #[new]
    #[pyo3(signature = (name, params=None, id=None))]
    fn new(
        #[pyo3(from_py_with = action_arg::name)] name: String,
        params: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = action_arg::id)] id: Option<String>,
    ) -> PyResult<Self> {
        let params = params
            .filter(|p| !p.is_none())
            .map_or_else(|| Ok(indexmap::IndexMap::new()), |p| str_value_map_from_py(p, "Action.params"))?;
        Ok(PyAction { inner: Arc::new(model::Action { name, params, id }) })
    }

    /// Juju's id for this invocation of the action (``JUJU_ACTION_UUID``), or ``None``
    /// when none was given.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.inner.id.as_deref()
    }

    /// The action's name, as ``actions.yaml`` declares it (``backup``,
    /// ``set-password``).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The parameter values given with the invocation, name to value (``action-get``
    /// adds the declared defaults of the others).
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        str_value_map_to_py(py, &self.inner.params)
    }

    /// The event that runs this action, ``<name>_action``, about this invocation
    /// (Scenario 5's form of ``ctx.on.action(name, ...)``).
    #[getter]
    fn event(slf: &Bound<'_, Self>) -> PyEvent {
        PyEvent::for_action(slf.py(), &format!("{}_action", slf.get().inner.name), slf)
    }
}

const EVENT_FIELDS: &[Field] = &[
    required("path"),
    factory("args", "()"),
    factory("kwargs", "{}"),
    value("storage", "None"),
    value("relation", "None"),
    value("relation_remote_unit_id", "None"),
    value("secret", "None"),
    value("container", "None"),
    value("action", "None"),
    value("secret_revision", "None"),
    value("relation_departed_unit_id", "None"),
    value("notice", "None"),
    value("check_info", "None"),
    value("custom_event", "None"),
    factory("custom_event_args", "()"),
    factory("custom_event_kwargs", "{}"),
];

/// An event to run the charm with: its name and the entity of the State it is about (a
/// relation, container, storage, secret, action, notice or check).
///
/// ops[testing] makes events with the factories of ``ctx.on`` (``ctx.on.start()``,
/// ``ctx.on.relation_changed(relation)``), which give instances of this class's subclass
/// ``_Event``; a run of one of those speaks ops[testing]'s API. Scenario 5 made them with
/// this constructor, or with the entities' ``*_event`` properties
/// (``relation.changed_event``), and ran them with ``ctx.run(event, state)``:
///
/// - ``path``: the event's name in Juju's or ops's form (``start``,
///   ``db-relation-changed``, ``db_relation_changed``), or ``owner.path.name`` for an event
///   emitted on another object than ``charm.on`` (required).
/// - ``relation``, ``relation_remote_unit_id``, ``relation_departed_unit_id``: for a
///   relation event, the relation, the remote unit it comes from, and the unit departing.
/// - ``container``, ``notice``, ``check_info``: for a workload event, the container, and
///   the notice or health check it is about.
/// - ``storage``: for a storage event, the storage instance.
/// - ``secret``, ``secret_revision``: for a secret event, the secret and the revision.
/// - ``action``: for an action event, the ``Action``.
/// - ``custom_event``, ``custom_event_args``, ``custom_event_kwargs``: a charm library's
///   event to emit (ops's ``BoundEvent``) and its arguments (ops[testing]'s ``ctx.on.custom``).
/// - ``args``, ``kwargs``: kept for Scenario 5's sake and otherwise unused.
///
/// ``ctx.run`` binds a relation, workload, storage or secret event given without its entity
/// to the State's entity of that name, when exactly one can be meant (see ``bind``).
#[pyclass(
    frozen,
    dict,
    subclass,
    skip_from_py_object,
    module = "scenario.state",
    name = "Event"
)]
#[derive(Debug)]
pub struct PyEvent {
    pub inner: Arc<model::Event>,
    /// Scenario 5's `args` and `kwargs`: stored for compatibility and otherwise ignored.
    args: Option<Py<PyTuple>>,
    kwargs: Option<Py<PyDict>>,
    /// ops[testing]'s custom event: the bound event to emit, with its arguments.
    custom: Option<(Py<PyAny>, Py<PyTuple>, Py<PyDict>)>,
    /// The entities as Python objects: those given, or made on the first read.
    held: EventHeld,
    /// The path as given, where it differs from the model's (`-` for `_`): both originals
    /// hand it back as written, and Juju's hook name keeps an entity's name as written.
    given_path: Option<String>,
}

/// An event's entities as Python objects (see `held.rs`).
#[derive(Debug, Default)]
struct EventHeld {
    relation: Held,
    container: Held,
    secret: Held,
    storage: Held,
    action: Held,
    notice: Held,
    check_info: Held,
}

impl EventHeld {
    /// The same objects, for an event made from another (`event(remote_unit_id=1)`).
    fn clone_ref(&self, py: Python<'_>) -> Self {
        EventHeld {
            relation: self.relation.clone_ref(py),
            container: self.container.clone_ref(py),
            secret: self.secret.clone_ref(py),
            storage: self.storage.clone_ref(py),
            action: self.action.clone_ref(py),
            notice: self.notice.clone_ref(py),
            check_info: self.check_info.clone_ref(py),
        }
    }
}

impl Fields for PyEvent {}

impl PyEvent {
    pub fn from_model(event: model::Event) -> Self {
        PyEvent {
            inner: Arc::new(event),
            args: None,
            kwargs: None,
            custom: None,
            held: EventHeld::default(),
            given_path: None,
        }
    }

    /// The event `path` about `relation`, the Python object given.
    pub fn for_relation(py: Python<'_>, path: &str, relation: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut event = model::Event::new(path);
        event.relation = Some(relation_from_py(relation)?);
        let mut out = Self::from_model(event);
        out.held.relation = Held::given(py, Some(relation));
        Ok(out)
    }

    /// The event `path` about `action`, the Python object given.
    pub fn for_action(py: Python<'_>, path: &str, action: &Bound<'_, PyAction>) -> Self {
        let mut event = model::Event::new(path);
        event.action = Some(Arc::clone(&action.get().inner));
        let mut out = Self::from_model(event);
        out.held.action = Held::given(py, Some(action.as_any()));
        out
    }

    /// The event as it is now: its relation as the relation object holds it now (its
    /// databags may have been written since).
    pub fn current(&self, py: Python<'_>) -> PyResult<model::Event> {
        let mut event = (*self.inner).clone();
        if let Some(relation) = self.held.relation.peek(py) {
            if crate::classes::relation::relation_handed_out(&relation) {
                event.relation = Some(relation_from_py(&relation)?);
            }
        }
        Ok(event)
    }

    /// The event `path` about `container`, the Python object given.
    pub fn for_container(
        py: Python<'_>,
        event: model::Event,
        container: &Bound<'_, PyAny>,
    ) -> Self {
        let mut out = Self::from_model(event);
        out.held.container = Held::given(py, Some(container));
        out
    }

    /// The event `path` about `secret`, the Python object given.
    pub fn for_secret(py: Python<'_>, event: model::Event, secret: &Bound<'_, PyAny>) -> Self {
        let mut out = Self::from_model(event);
        out.held.secret = Held::given(py, Some(secret));
        out
    }

    /// A copy with another model event, holding the same objects (`held`: other ones).
    fn with(&self, event: model::Event, py: Python<'_>, held: Option<EventHeld>) -> Self {
        PyEvent {
            inner: Arc::new(event),
            args: self.args.as_ref().map(|a| a.clone_ref(py)),
            kwargs: self.kwargs.as_ref().map(|k| k.clone_ref(py)),
            custom: self
                .custom
                .as_ref()
                .map(|(e, a, k)| (e.clone_ref(py), a.clone_ref(py), k.clone_ref(py))),
            held: held.unwrap_or_else(|| self.held.clone_ref(py)),
            given_path: self.given_path.clone(),
        }
    }
}

/// The kind of the event called `name` (`relation`, `action`, ..., `custom`) and the
/// entity name it starts with, if its kind has one.
#[pyfunction]
pub fn classify_event(name: &str) -> (&'static str, Option<&str>) {
    let (kind, prefix) = model::event::classify(name);
    (kind_name(kind), prefix)
}

fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Relation(_) => "relation",
        EventKind::Action => "action",
        EventKind::Secret => "secret",
        EventKind::Framework => "framework",
        EventKind::Storage => "storage",
        EventKind::Workload => "workload",
        EventKind::Builtin => "builtin",
        EventKind::Custom => "custom",
    }
}

args!(event_arg, PyEvent "Event": path, kwargs, storage, relation_remote_unit_id, secret, container, action, secret_revision, relation_departed_unit_id, notice, check_info, custom_event_kwargs);

static EVENT_PATH: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

state_class! { PyEvent, "Event", EVENT_FIELDS, inner;
    #[new]
    #[pyo3(signature = (path, args=None, kwargs=None, storage=None, relation=None, relation_remote_unit_id=None, secret=None, container=None, action=None, secret_revision=None, relation_departed_unit_id=None, notice=None, check_info=None, custom_event=None, custom_event_args=None, custom_event_kwargs=None))]
    fn new(
        py: Python<'_>,
        #[pyo3(from_py_with = event_arg::path)] path: &str,
        args: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = event_arg::kwargs)] kwargs: Option<Bound<'_, PyDict>>,
        #[pyo3(from_py_with = event_arg::storage)] storage: Option<Bound<'_, PyStorage>>,
        relation: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = event_arg::relation_remote_unit_id)] relation_remote_unit_id: Option<u32>,
        #[pyo3(from_py_with = event_arg::secret)] secret: Option<Bound<'_, PySecret>>,
        #[pyo3(from_py_with = event_arg::container)] container: Option<Bound<'_, PyContainer>>,
        #[pyo3(from_py_with = event_arg::action)] action: Option<Bound<'_, PyAction>>,
        #[pyo3(from_py_with = event_arg::secret_revision)] secret_revision: Option<u32>,
        #[pyo3(from_py_with = event_arg::relation_departed_unit_id)] relation_departed_unit_id: Option<u32>,
        #[pyo3(from_py_with = event_arg::notice)] notice: Option<Bound<'_, PyNotice>>,
        #[pyo3(from_py_with = event_arg::check_info)] check_info: Option<Bound<'_, PyCheckInfo>>,
        custom_event: Option<&Bound<'_, PyAny>>,
        custom_event_args: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = event_arg::custom_event_kwargs)] custom_event_kwargs: Option<Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let relation_obj = relation;
        let relation = relation
            .filter(|r| !r.is_none())
            .map(|r| {
                relation_from_py(r).map_err(|_| {
                    PyTypeError::new_err(format!(
                        "Event.relation must be a Relation, PeerRelation or SubordinateRelation, got {}",
                        type_name(r)
                    ))
                })
            })
            .transpose()?;
        let tuple = |a: &Bound<'_, PyAny>, field: &str| -> PyResult<Py<PyTuple>> {
            let not_iterable = |_| PyTypeError::new_err(format!("{field} must be a tuple, got {}", type_name(a)));
            let items = a.try_iter().map_err(not_iterable)?.collect::<PyResult<Vec<_>>>()?;
            Ok(PyTuple::new(a.py(), items)?.unbind())
        };
        let args = args.map(|a| tuple(a, "Event.args")).transpose()?;
        let custom = match custom_event.filter(|e| !e.is_none()) {
            Some(e) => {
                let py = e.py();
                let args = custom_event_args.map(|a| tuple(a, "Event.custom_event_args")).transpose()?.unwrap_or_else(|| PyTuple::empty(py).unbind());
                let kwargs = custom_event_kwargs.map_or_else(|| PyDict::new(py), |k| k.copy().unwrap_or_else(|_| PyDict::new(py)));
                Some((e.clone().unbind(), args, kwargs.unbind()))
            }
            None => None,
        };
        let given = |o: Option<&Bound<'_, PyAny>>| Held::given(py, o.filter(|o| !o.is_none()));
        let held = EventHeld {
            relation: given(relation_obj),
            container: given(container.as_ref().map(Bound::as_any)),
            secret: given(secret.as_ref().map(Bound::as_any)),
            storage: given(storage.as_ref().map(Bound::as_any)),
            action: given(action.as_ref().map(Bound::as_any)),
            notice: given(notice.as_ref().map(Bound::as_any)),
            check_info: given(check_info.as_ref().map(Bound::as_any)),
        };
        let normalized = model::normalize_name(path);
        let given_path = (normalized != path).then(|| path.to_owned());
        Ok(PyEvent {
            inner: Arc::new(model::Event {
                path: normalized,
                relation,
                relation_remote_unit_id,
                relation_departed_unit_id,
                container: container.map(|c| c.settled().map(|c| Arc::clone(&c.get().inner))).transpose()?,
                notice: notice.map(|n| n.settled().map(|n| n.get().inner.clone())).transpose()?,
                check_info: check_info.map(|c| c.settled().map(|c| c.get().inner.clone())).transpose()?,
                storage: storage.map(|s| s.settled().map(|s| s.get().inner.clone())).transpose()?,
                secret: secret.map(|s| s.settled().map(|s| Arc::clone(&s.get().inner))).transpose()?,
                secret_revision,
                action: action.map(|a| a.settled().map(|a| Arc::clone(&a.get().inner))).transpose()?,
            }),
            args,
            kwargs: kwargs.map(|k| k.clone().unbind()),
            custom,
            held,
            given_path,
        })
    }

    /// For ``relation-departed``, the number of the remote unit that is leaving
    /// (``JUJU_DEPARTING_UNIT``), or ``None``.
    #[getter]
    fn relation_departed_unit_id(&self) -> Option<u32> {
        self.inner.relation_departed_unit_id
    }

    /// For ``pebble-custom-notice``, the ``Notice`` the event is about, or ``None``.
    #[getter]
    fn notice<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.notice.as_ref().map(|n| self.held.notice.get(py, || Ok(Bound::new(py, PyNotice { inner: n.clone() })?.into_any()))).transpose()
    }

    /// For ``pebble-check-failed`` and ``pebble-check-recovered``, the ``CheckInfo`` of
    /// the health check, or ``None``.
    #[getter]
    fn check_info<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.check_info.as_ref().map(|c| self.held.check_info.get(py, || Ok(Bound::new(py, PyCheckInfo::from_model(c.clone()))?.into_any()))).transpose()
    }

    /// For a charm library's event, the bound event to emit (``MyLib.on.ready``, an
    /// ``ops.BoundEvent``), or ``None``.
    #[getter]
    fn custom_event(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.custom.as_ref().map(|(e, _, _)| e.clone_ref(py))
    }

    /// The positional arguments a charm library's event is emitted with (State objects
    /// among them reach the charm as the ops objects they stand for).
    #[getter]
    fn custom_event_args<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.custom.as_ref().map_or_else(|| PyTuple::empty(py), |(_, a, _)| a.bind(py).clone())
    }

    /// The keyword arguments a charm library's event is emitted with (State objects among
    /// them reach the charm as the ops objects they stand for).
    #[getter]
    fn custom_event_kwargs<'py>(&self, py: Python<'py>) -> Bound<'py, PyDict> {
        self.custom.as_ref().map_or_else(|| PyDict::new(py), |(_, _, k)| k.bind(py).clone())
    }

    /// The event's path as given: ``db-relation-changed`` stays so (``name`` is ops's
    /// form, ``db_relation_changed``). A ``str`` that also has its parts, as both
    /// originals' paths had: ``name`` (ops's form), ``prefix`` (the entity), ``suffix``
    /// (the kind, such as ``_relation_changed``) and ``type``.
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let cls = EVENT_PATH.get_or_try_init(py, || {
            py.import("scenario_rs._event_path")?
                .getattr("_EventPath")
                .map(Bound::unbind)
        })?;
        cls.bind(py)
            .call1((self.given_path.as_deref().unwrap_or(&self.inner.path),))
    }

    /// Scenario 5's ``args``, kept as given (a tuple) and otherwise unused by the run.
    #[getter]
    fn args<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.args.as_ref().map_or_else(|| PyTuple::empty(py), |a| a.bind(py).clone())
    }

    /// Scenario 5's ``kwargs``, kept as given (a dict) and otherwise unused by the run.
    #[getter]
    fn kwargs<'py>(&self, py: Python<'py>) -> Bound<'py, PyDict> {
        self.kwargs.as_ref().map_or_else(|| PyDict::new(py), |k| k.bind(py).clone())
    }

    /// For a storage event, the ``Storage`` instance it is about (``JUJU_STORAGE_ID``),
    /// or ``None``.
    #[getter]
    fn storage<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.storage.as_ref().map(|s| self.held.storage.get(py, || Ok(Bound::new(py, PyStorage { inner: s.clone() })?.into_any()))).transpose()
    }

    /// For a relation event, the relation it is about (``JUJU_RELATION_ID``), or ``None``.
    #[getter]
    fn relation<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.relation.as_ref().map(|r| self.held.relation.get(py, || relation_to_py(py, r, None))).transpose()
    }

    /// For a relation event, the number of the remote unit it comes from
    /// (``JUJU_REMOTE_UNIT``); ``None`` lets the run pick the relation's first.
    #[getter]
    fn relation_remote_unit_id(&self) -> Option<u32> {
        self.inner.relation_remote_unit_id
    }

    /// For a secret event, the ``Secret`` it is about (``JUJU_SECRET_ID``), or ``None``.
    #[getter]
    fn secret<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.secret.as_ref().map(|s| self.held.secret.get(py, || Ok(Bound::new(py, PySecret { inner: Arc::clone(s) })?.into_any()))).transpose()
    }

    /// For ``secret-expired`` and ``secret-remove``, the revision they are about
    /// (``JUJU_SECRET_REVISION``), or ``None``.
    #[getter]
    fn secret_revision(&self) -> Option<u32> {
        self.inner.secret_revision
    }

    /// For a workload (Pebble) event, the ``Container`` it is about
    /// (``JUJU_WORKLOAD_NAME``), or ``None``.
    #[getter]
    fn container<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.container.as_ref().map(|c| self.held.container.get(py, || Ok(Bound::new(py, PyContainer::new_shared(Arc::clone(c)))?.into_any()))).transpose()
    }

    /// For an action event, the ``Action`` invocation it runs (its name, params and id),
    /// or ``None``.
    #[getter]
    fn action<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.action.as_ref().map(|a| self.held.action.get(py, || Ok(Bound::new(py, PyAction { inner: Arc::clone(a) })?.into_any()))).transpose()
    }

    /// The event's name in ops's form, the attribute on ``charm.on``: the last part of the
    /// path, with dashes as underscores (``db_relation_changed``).
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The attribute path from the charm to the object that emits the event: ``["on"]``
    /// for the charm's own events, more for an event on another object.
    #[getter]
    fn owner_path(&self) -> Vec<&str> {
        self.inner.owner_path()
    }

    /// What kind of event the name denotes: relation, action, secret, framework, storage,
    /// workload, builtin or custom.
    #[getter]
    fn _kind(&self) -> &'static str {
        kind_name(self.inner.kind())
    }

    /// The same event about another remote unit
    /// (``relation.joined_event(remote_unit_id=2)``) or secret revision
    /// (``secret.remove_event(revision=3)``).
    #[pyo3(signature = (remote_unit_id=None, revision=None))]
    fn __call__(&self, py: Python<'_>, remote_unit_id: Option<u32>, revision: Option<u32>) -> PyResult<Self> {
        let kind = self.inner.kind();
        if remote_unit_id.is_some_and(|id| id != 0) && !matches!(kind, EventKind::Relation(_)) {
            return Err(PyValueError::new_err(format!(
                "remote_unit_id only makes sense for relation events, and {} is not one",
                self.inner.name()
            )));
        }
        if revision.is_some() && !matches!(self.inner.name(), "secret_remove" | "secret_expired") {
            return Err(PyValueError::new_err(format!(
                "revision only makes sense for secret-remove and secret-expired, not {}",
                self.inner.name()
            )));
        }
        let mut event = (*self.inner).clone();
        if remote_unit_id.is_some() {
            event.relation_remote_unit_id = remote_unit_id;
        }
        if revision.is_some() {
            event.secret_revision = revision;
        }
        Ok(self.with(event, py, None))
    }

    /// The ``DeferredEvent`` ops would have saved had ``handler`` (the observing method,
    /// such as ``MyCharm._on_start``) deferred this event in a previous run; put it in
    /// ``State.deferred`` and the run emits it again before its own event. ``event_id``
    /// is the number in the handle path (``MyCharm/on/start[1]``).
    #[pyo3(signature = (handler, event_id=1))]
    fn deferred(&self, handler: &Bound<'_, PyAny>, event_id: u32) -> PyResult<PyDeferredEvent> {
        let qualname: String = handler
            .getattr("__qualname__")
            .and_then(|q| q.extract())
            .map_err(|_| PyTypeError::new_err(format!(
                "handler must be a method of the charm class, such as MyCharm._on_start, got {}",
                type_name(handler)
            )))?;
        let mut parts = qualname.rsplit('.');
        let observer = parts.next().unwrap_or_default().to_owned();
        let owner = parts.next().filter(|o| !o.is_empty() && !o.starts_with('<')).ok_or_else(|| {
            PyValueError::new_err(format!(
                "handler {qualname} is not a method of a class: pass MyCharm._on_event"
            ))
        })?.to_owned();
        let name = self.inner.name();
        let event = &self.inner;
        let missing = match event.kind() {
            EventKind::Relation(_) if event.relation.is_none() => Some("relation"),
            EventKind::Workload if event.container.is_none() => Some("container"),
            EventKind::Storage if event.storage.is_none() => Some("storage"),
            EventKind::Secret if event.secret.is_none() => Some("secret"),
            _ => None,
        };
        if let Some(entity) = missing {
            // ops would restore the event from its snapshot, which names the entity: without
            // it, the run would fail much later, inside ops.
            return Err(MissingEventEntityError::new_err(format!(
                "{name} needs its {entity} to be deferred: build the event with {entity}=, e.g. Event({name:?}, {entity}=...), or use the entity's event (relation.changed_event)"
            )));
        }
        Ok(PyDeferredEvent::from_model(model::DeferredEvent {
            handle_path: format!("{owner}/on/{name}[{event_id}]"),
            owner,
            observer,
            snapshot_data: snapshot_data(&self.inner),
        }))
    }

    /// This event with its missing entity taken from ``state`` (Scenario 5): the relation
    /// on its endpoint (the first, with a warning, when there are several), the container
    /// or storage of its name, or the State's only secret. ``BindFailedError`` when there
    /// is none.
    fn bind(&self, py: Python<'_>, state: &Bound<'_, crate::classes::state::PyState>) -> PyResult<Self> {
        let state_obj = state;
        let state = &state_obj.get().inner;
        let event = &self.inner;
        let prefix = event.prefix().unwrap_or_default();
        let mut bound = (**event).clone();
        let fail = |what: &str| BindFailedError::new_err(format!("cannot bind {}: {what}", event.name()));
        match event.kind() {
            EventKind::Relation(_) if event.relation.is_none() => {
                let found = state.relations_on(prefix);
                let Some(first) = found.first() else {
                    return Err(fail(&format!("no relation on endpoint {prefix:?} in the state")));
                };
                if found.len() > 1 {
                    // As Scenario 5 documents: warn, and bind the first.
                    warn_ambiguous(py, &format!(
                        "too many relations on {prefix}: binding {} to the first one, relation {}; pass relation= to choose",
                        event.name(),
                        first.relation_id()
                    ))?;
                }
                bound.relation = Some((*first).clone());
            }
            EventKind::Workload if event.container.is_none() => {
                let c = state.containers.iter()
                    .find(|c| model::normalize_name(&c.name) == prefix)
                    .ok_or_else(|| fail(&format!("no container {prefix:?} in the state")))?;
                bound.container = Some(Arc::clone(c));
            }
            EventKind::Storage if event.storage.is_none() => {
                let found: Vec<&model::Storage> = state.storage.iter()
                    .filter(|s| model::normalize_name(&s.name) == prefix)
                    .collect();
                let Some(first) = found.first() else {
                    return Err(fail(&format!("no storage {prefix:?} in the state")));
                };
                if found.len() > 1 {
                    warn_ambiguous(py, &format!(
                        "too many storages called {prefix}: binding {} to the first one, index {}; pass storage= to choose",
                        event.name(),
                        first.index
                    ))?;
                }
                bound.storage = Some((*first).clone());
            }
            EventKind::Secret if event.secret.is_none() => match state.secrets.as_slice() {
                [one] => bound.secret = Some(Arc::clone(one)),
                _ => return Err(fail("the state must hold exactly one secret")),
            },
            _ => return Err(fail("nothing to bind (not a relation, workload, storage or secret event, or already bound)")),
        }
        // The event holds the State's own objects.
        let mut held = self.held.clone_ref(py);
        let state_py = state_obj.get();
        if let Some(r) = &bound.relation {
            held.relation = Held::given(py, state_py.relation_object(py, r.relation_id())?.as_ref());
        }
        if let Some(c) = &bound.container {
            held.container = Held::given(py, state_py.container_object(py, &c.name)?.as_ref());
        }
        if let Some(s) = &bound.storage {
            held.storage = Held::given(py, state_py.storage_object(py, &s.name, s.index)?.as_ref());
        }
        if let Some(s) = &bound.secret {
            held.secret = Held::given(py, state_py.secret_object(py, &s.id)?.as_ref());
        }
        Ok(self.with(bound, py, Some(held)))
    }
}

/// Log Scenario 5's warning for a `bind` that had several entities to choose from.
fn warn_ambiguous(py: Python<'_>, message: &str) -> PyResult<()> {
    py.import("logging")?
        .call_method1("getLogger", ("ops-scenario.state",))?
        .call_method1("warning", (message,))?;
    Ok(())
}

/// The snapshot ops would have taken of this event when it was deferred.
fn snapshot_data(event: &model::Event) -> indexmap::IndexMap<String, Value> {
    let mut snap = indexmap::IndexMap::new();
    match event.kind() {
        EventKind::Workload => {
            if let Some(c) = &event.container {
                snap.insert("container_name".into(), Value::from(c.name.as_str()));
            }
            // ops restores a notice or check event from these (PebbleNoticeEvent.restore).
            if let Some(n) = &event.notice {
                snap.insert("notice_id".into(), Value::from(n.id.as_str()));
                snap.insert("notice_key".into(), Value::from(n.key.as_str()));
                snap.insert("notice_type".into(), Value::from(n.notice_type.as_str()));
            }
            if let Some(check) = &event.check_info {
                snap.insert("check_name".into(), Value::from(check.name.as_str()));
            }
        }
        EventKind::Relation(kind) => {
            if let Some(r) = &event.relation {
                snap.insert("relation_name".into(), Value::from(r.endpoint()));
                snap.insert("relation_id".into(), Value::Int(i64::from(r.relation_id())));
                if let Some(app) = r.remote_app_name() {
                    snap.insert("app_name".into(), Value::from(app));
                    let unit = event
                        .relation_remote_unit_id
                        .or_else(|| r.remote_unit_ids(model::Api::Scenario5).first().copied());
                    if let Some(unit) = unit {
                        let unit_name = format!("{app}/{unit}");
                        if kind == model::RelationEventKind::Departed {
                            let departing = event
                                .relation_departed_unit_id
                                .map_or_else(|| unit_name.clone(), |d| format!("{app}/{d}"));
                            snap.insert("departing_unit".into(), Value::from(departing));
                        }
                        snap.insert("unit_name".into(), Value::from(unit_name));
                    }
                }
            }
        }
        EventKind::Storage => {
            if let Some(s) = &event.storage {
                snap.insert("storage_name".into(), Value::from(s.name.as_str()));
                snap.insert("storage_index".into(), Value::Int(i64::from(s.index)));
            }
        }
        EventKind::Secret => {
            if let Some(s) = &event.secret {
                snap.insert("id".into(), Value::from(s.id.clone()));
                snap.insert(
                    "label".into(),
                    s.label.clone().map_or(Value::None, Value::Str),
                );
                if let Some(rev) = event.secret_revision {
                    snap.insert("revision".into(), Value::Int(i64::from(rev)));
                }
            }
        }
        EventKind::Action => {
            // ActionEvent.restore reads the id.
            if let Some(id) = event.action.as_ref().and_then(|a| a.id.as_deref()) {
                snap.insert("id".into(), Value::from(id));
            }
        }
        _ => {}
    }
    snap
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::dataclass::HasFields;

    /// The keys of a model value's JSON form.
    fn json_keys(json: serde_json::Result<serde_json::Value>) -> BTreeSet<String> {
        match json {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            other => panic!("not a JSON object: {other:?}"),
        }
    }

    /// The fields a pickle carries, from the class's table.
    fn lossless<T: HasFields>() -> BTreeSet<String> {
        T::FIELDS
            .iter()
            .filter(|f| f.lossless())
            .map(|f| f.name.to_owned())
            .collect()
    }

    // A State holds neither, so the Python suite's JSON check (test_field_parity.py) does
    // not reach them: the model's serde names are checked against the tables here.

    #[test]
    fn the_model_writes_an_action_under_its_field_names() {
        let action = model::Action {
            name: "backup".to_owned(),
            params: indexmap::IndexMap::new(),
            id: Some("1".to_owned()),
        };
        assert_eq!(
            json_keys(serde_json::to_value(&action)),
            lossless::<PyAction>()
        );
    }

    #[test]
    fn the_model_writes_an_event_under_its_field_names() {
        // Held by the Python object only, as Python objects: Scenario 5's unused args and
        // kwargs, and ops[testing]'s custom event (an ops BoundEvent) with its arguments.
        let python_only = [
            "args",
            "kwargs",
            "custom_event",
            "custom_event_args",
            "custom_event_kwargs",
        ];
        let mut expected = lossless::<PyEvent>();
        for name in python_only {
            assert!(
                expected.remove(name),
                "Event.{name} is not a field of its table"
            );
        }
        assert_eq!(
            json_keys(serde_json::to_value(model::Event::new("start"))),
            expected
        );
    }
}
