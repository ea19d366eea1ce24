//! `State`: the whole input or output of one charm run, as a frozen pyclass over the shared
//! Rust [`scenario_model::State`].
//!
//! One class serves both APIs. Collections come back as a `StateCollection` (Scenario 5's
//! list and ops[testing]'s frozenset at once); renamed fields answer to both names
//! (`storage`/`storages`, `stored_state`/`stored_states`); `resources` is a dict of name to
//! path for a State of Scenario 5, a set of `Resource` otherwise. A State remembers the API
//! it was made for when it can tell (a run's output: its event's API; a State built with a
//! keyword only one API has), and its relations read unset defaults as that API does.

use std::sync::Arc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};
use scenario_model::{self as model, Api, EntityStatus};

use crate::classes::container::{PyContainer, one_of};
use crate::classes::deferred::PyDeferredEvent;
use crate::classes::model::PyModel;
use crate::classes::network::PyNetwork;
use crate::classes::port::{PyPort, port_to_py, protocol_and_port};
use crate::classes::relation::{
    relation_from_py, relation_handed_out, relation_key, relation_local_bag, relation_to_py,
};
use crate::classes::resource::PyResource;
use crate::classes::secret::PySecret;
use crate::classes::storage::PyStorage;
use crate::classes::stored_state::PyStoredState;
use crate::convert::{
    args, is_ops_object, items, status_from_py, status_to_py, str_value_map_from_py,
    str_value_map_to_py, type_name,
};
use crate::dataclass::Settle;
use crate::dataclass::{Field, Fields, factory, state_class, value};
use crate::errors::state_validation_error;
use crate::held::{Held, HeldCollection, HeldDict};

const FIELDS: &[Field] = &[
    factory("config", "{}"),
    factory("relations", "frozenset()"),
    factory("networks", "frozenset()"),
    factory("containers", "frozenset()"),
    factory("storage", "[]").legacy("storages"),
    factory("opened_ports", "frozenset()"),
    value("leader", "False"),
    value("model", "None"),
    factory("secrets", "frozenset()"),
    factory("resources", "frozenset()"),
    value("planned_units", "1"),
    value("unit_id", "0").only_5(),
    factory("deferred", "[]"),
    factory("stored_state", "[]").legacy("stored_states"),
    value("app_status", "None"),
    value("unit_status", "None"),
    value("workload_version", "''"),
    factory("storages", "frozenset()").modern("storage"),
    factory("stored_states", "frozenset()").modern("stored_state"),
];

/// What Juju and Pebble hold for the unit under test, before or after a run: everything the
/// charm can read or change through hook tools (``config-get``, ``is-leader``,
/// ``relation-get``, ``status-get``, ...) and its containers' Pebble. A run takes one in and
/// gives one out: ``out = ctx.run(ctx.on.start(), State(leader=True))``.
///
/// Every argument is optional (ops[testing] passes them by keyword, Scenario 5 also by
/// position in this order):
///
/// - ``config``: option name to value (``str``, ``int``, ``float`` or ``bool``), what
///   ``config-get`` answers; options left out read the ``default`` the charm's config
///   declares.
/// - ``relations``: the ``Relation``, ``PeerRelation`` and ``SubordinateRelation`` objects
///   the unit is in.
/// - ``networks``: a ``Network`` for each binding whose addresses the test sets; the other
///   bindings answer defaults.
/// - ``containers``: the ``Container`` objects (each declared in the metadata), whether
///   Pebble answers in them or not.
/// - ``storages`` (ops[testing], keyword only), or ``storage`` (Scenario 5): the attached
///   ``Storage`` instances.
/// - ``opened_ports``: the ports the unit has opened (``TCPPort``, ``UDPPort``,
///   ``ICMPPort``).
/// - ``leader``: whether this unit is its application's leader (default ``False``).
/// - ``model``: the ``Model`` the unit is in (default: ``Model()``).
/// - ``secrets``: the ``Secret`` objects the unit can see, owned or granted.
/// - ``resources``: the ``Resource`` objects (ops[testing]), or a dict of resource name to
///   path (Scenario 5).
/// - ``planned_units``: how many units of the application Juju plans to run (default 1).
/// - ``unit_id`` (Scenario 5): this unit's number (default 0); ops[testing] sets it with
///   ``Context(unit_id=...)``, which wins when given.
/// - ``deferred``: the ``DeferredEvent`` objects a previous run left to emit again.
/// - ``stored_states`` (ops[testing], keyword only), or ``stored_state`` (Scenario 5): the
///   ``StoredState`` contents ops restores.
/// - ``app_status``, ``unit_status``: the statuses already set (default
///   ``UnknownStatus()``).
/// - ``workload_version``: the version already set with ``application-version-set``
///   (default ``""``).
///
/// A State is immutable: change one with ``dataclasses.replace(state, leader=True)``. Its
/// collections are frozensets (ops[testing]) that also index and compare as lists
/// (Scenario 5), in the order given. Before the charm runs, the State is checked against
/// the charm's metadata and the event; an inconsistency Juju could not produce raises
/// ``InconsistentScenarioError``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "State"
)]
#[derive(Debug)]
pub struct PyState {
    pub inner: model::State,
    /// The API this State was made for, when known: how its relations read unset
    /// defaults, and the shape of `resources`.
    pub view: Option<Api>,
    /// The Python objects of each collection: those given, or made on the first read.
    held: StateHeld,
    /// For the output of a run, its input State: a container the run left as it was is a
    /// copy of the input's object, `Path`s and all (as the originals' output, a copy of the
    /// input: equal objects, never the same ones).
    origin: Option<Py<PyState>>,
}

/// A State's collections as Python objects (see `held.rs`).
#[derive(Debug, Default)]
struct StateHeld {
    relations: HeldCollection,
    networks: HeldCollection,
    containers: HeldCollection,
    storages: HeldCollection,
    opened_ports: HeldCollection,
    secrets: HeldCollection,
    resources: HeldCollection,
    stored_states: HeldCollection,
    model: Held,
    config: HeldDict,
}

impl Fields for PyState {
    fn legacy_view(&self) -> bool {
        self.view == Some(Api::Scenario5)
    }

    fn view_kwarg(&self) -> Option<crate::dataclass::View> {
        Some(
            self.view
                .map_or(crate::dataclass::View::Unknown, crate::dataclass::View::Of),
        )
    }
}

/// A collection argument as model values, with the Python objects to keep (none when the
/// argument was not given).
type Collected<'py, T> = (Arc<Vec<T>>, Option<Vec<Bound<'py, PyAny>>>);

/// A collection argument: the model values, and the Python objects to keep (the items
/// given; `keep` may put an object of this package in place of one it converted).
fn list_of<'py, T>(
    obj: Option<&Bound<'py, PyAny>>,
    field: &str,
    f: impl Fn(&Bound<'py, PyAny>) -> PyResult<T>,
    keep: impl Fn(&Bound<'py, PyAny>, &T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Collected<'py, T>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok((Arc::default(), None));
    };
    let items = items(obj, field)?;
    let mut out = Vec::with_capacity(items.len());
    let mut kept = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let value = f(item).map_err(|e| {
            let py = obj.py();
            PyErr::from_type(e.get_type(py), format!("{field}[{i}]: {}", e.value(py)))
        })?;
        kept.push(keep(item, &value)?);
        out.push(value);
    }
    Ok((Arc::new(out), Some(kept)))
}

/// Keep the item given (an object of this package).
#[allow(clippy::unnecessary_wraps)] // the shape of `list_of`'s `keep`
fn as_given<'py, T>(item: &Bound<'py, PyAny>, _: &T) -> PyResult<Bound<'py, PyAny>> {
    Ok(item.clone())
}

fn held_collection(
    py: Python<'_>,
    legacy: bool,
    kept: Option<Vec<Bound<'_, PyAny>>>,
) -> PyResult<HeldCollection> {
    kept.map_or_else(
        || Ok(HeldCollection::default()),
        |k| HeldCollection::given(py, k, legacy),
    )
}

fn cast_err(what: &str) -> impl Fn(&Bound<'_, PyAny>) -> PyErr + '_ {
    move |o| PyTypeError::new_err(format!("expected {what}, got {}", type_name(o)))
}

/// A pyclass item of a collection argument, by its model value.
macro_rules! item_of {
    ($cls:ty, $what:literal, |$c:ident| $get:expr) => {
        |o: &Bound<'_, PyAny>| -> PyResult<_> {
            let settled = o
                .cast::<$cls>()
                .map_err(|_| cast_err($what)(o))?
                .settled()?;
            let $c = settled.get();
            Ok($get)
        }
    };
}

/// A port of `opened_ports`: a Scenario port, or ops's `Port`, converted.
fn port_from_py(o: &Bound<'_, PyAny>) -> PyResult<model::Port> {
    if let Ok(p) = o.cast::<PyPort>() {
        return Ok(p.settled()?.get().inner);
    }
    match protocol_and_port(o) {
        Some((protocol, port)) => model::Port::new(&protocol, port).map_err(state_validation_error),
        None => Err(cast_err("Port")(o)),
    }
}

/// A storage of `storages`: a Scenario `Storage`, or ops's `Storage`, converted.
fn storage_from_py(o: &Bound<'_, PyAny>) -> PyResult<model::Storage> {
    if let Ok(s) = o.cast::<PyStorage>() {
        return Ok(s.settled()?.get().inner.clone());
    }
    if is_ops_object(o) {
        if let (Ok(name), Ok(index)) = (
            o.getattr("name").and_then(|n| n.extract::<String>()),
            o.getattr("index").and_then(|i| i.extract::<u32>()),
        ) {
            return Ok(model::Storage { name, index });
        }
    }
    Err(cast_err("Storage")(o))
}

/// Resources as Scenario 5 gives them (a dict of name to path) or as ops[testing] does (a
/// set of `Resource`), and which of the two it was.
fn resources_from_py(
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<(indexmap::IndexMap<String, String>, Option<Api>)> {
    let mut out = indexmap::IndexMap::new();
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok((out, None));
    };
    if let Ok(dict) = obj.cast::<PyDict>() {
        let os = obj.py().import("os")?;
        for (k, v) in dict.iter() {
            let name: String = k.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "State.resources keys must be str, got {}",
                    type_name(&k)
                ))
            })?;
            let path: String = os
                .call_method1("fspath", (&v,))
                .and_then(|p| p.extract())
                .map_err(|_| {
                    PyTypeError::new_err(format!(
                        "State.resources[{name:?}] must be a path, got {}",
                        type_name(&v)
                    ))
                })?;
            out.insert(name, path);
        }
        return Ok((out, Some(Api::Scenario5)));
    }
    for (i, item) in items(obj, "State.resources")?.iter().enumerate() {
        let r = item.cast::<PyResource>().map_err(|_| {
            PyTypeError::new_err(format!(
                "State.resources[{i}] must be a Resource (or resources a dict of name to path), got {}",
                type_name(item)
            ))
        })?;
        out.insert(r.get().name.clone(), r.get().path.clone());
    }
    Ok((out, Some(Api::Scenario8)))
}

impl PyState {
    /// The State's own relation object with this id.
    pub(crate) fn relation_object<'py>(
        &self,
        py: Python<'py>,
        id: u32,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self
            .relation_held(py)?
            .0
            .iter()
            .find(|r| relation_key(r).is_some_and(|(i, _)| i == id)))
    }

    /// Whether this State is Scenario 5's (its collections are `StateList`s).
    fn legacy(&self) -> bool {
        self.view == Some(Api::Scenario5)
    }

    /// The State as it is now: its model, with what was written since into the dicts it
    /// (or one of its relations) handed out (see `HeldDict`), and, for a State of Scenario
    /// 5, what a test changed in the lists it handed out.
    pub fn current(&self, py: Python<'_>) -> PyResult<std::borrow::Cow<'_, model::State>> {
        let held = &self.held;
        let changed = |h: &HeldCollection| {
            if self.legacy() {
                h.changed(py)
            } else {
                Ok(None)
            }
        };
        let relations = match changed(&held.relations)? {
            Some(items) => Some(items),
            None => held
                .relations
                .made(py)?
                .filter(|items| items.iter().any(|r| relation_handed_out(&r))),
        };
        let config = held.config.handed_out(py);
        let lists = [
            changed(&held.networks)?,
            changed(&held.containers)?,
            changed(&held.storages)?,
            changed(&held.opened_ports)?,
            changed(&held.secrets)?,
            changed(&held.stored_states)?,
        ];
        if relations.is_none() && config.is_none() && lists.iter().all(Option::is_none) {
            return Ok(std::borrow::Cow::Borrowed(&self.inner));
        }
        let mut state = self.inner.clone();
        if let Some(items) = relations {
            state.relations = Arc::new(
                items
                    .iter()
                    .map(|r| relation_from_py(&r))
                    .collect::<PyResult<_>>()?,
            );
        }
        if let Some(config) = config {
            state.config = Arc::new(str_value_map_from_py(config.as_any(), "State.config")?);
        }
        let [networks, containers, storages, ports, secrets, stored] =
            lists.map(|items| items.map(Bound::into_any));
        if let Some(items) = networks {
            state.networks = list_of(
                Some(&items),
                "State.networks",
                item_of!(PyNetwork, "Network", |n| n.inner.clone()),
                as_given,
            )?
            .0;
        }
        if let Some(items) = containers {
            state.containers = list_of(
                Some(&items),
                "State.containers",
                item_of!(PyContainer, "Container", |c| Arc::clone(&c.inner)),
                as_given,
            )?
            .0;
        }
        if let Some(items) = storages {
            state.storage = list_of(Some(&items), "State.storage", storage_from_py, as_given)?.0;
        }
        if let Some(items) = ports {
            state.opened_ports =
                list_of(Some(&items), "State.opened_ports", port_from_py, as_given)?.0;
        }
        if let Some(items) = secrets {
            state.secrets = list_of(
                Some(&items),
                "State.secrets",
                item_of!(PySecret, "Secret", |s| Arc::clone(&s.inner)),
                as_given,
            )?
            .0;
        }
        if let Some(items) = stored {
            state.stored_state = list_of(
                Some(&items),
                "State.stored_state",
                item_of!(PyStoredState, "StoredState", |s| s.inner.clone()),
                as_given,
            )?
            .0;
        }
        Ok(std::borrow::Cow::Owned(state))
    }
    pub(crate) fn container_object<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self.container_held(py)?.0.iter().find(|c| {
            c.cast::<PyContainer>()
                .is_ok_and(|c| c.get().inner.name == name)
        }))
    }
    pub(crate) fn storage_object<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        index: u32,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self.storage_held(py)?.0.iter().find(|s| {
            s.cast::<PyStorage>()
                .is_ok_and(|s| s.get().inner.name == name && s.get().inner.index == index)
        }))
    }
    pub(crate) fn secret_object<'py>(
        &self,
        py: Python<'py>,
        id: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self
            .secret_held(py)?
            .0
            .iter()
            .find(|s| s.cast::<PySecret>().is_ok_and(|s| s.get().inner.id == id)))
    }

    pub fn wrap(inner: model::State, view: Option<Api>) -> Self {
        PyState {
            inner,
            view,
            held: StateHeld::default(),
            origin: None,
        }
    }

    /// The output State of a run whose input was `origin` (see `origin`).
    pub fn wrap_output(inner: model::State, view: Option<Api>, origin: Py<PyState>) -> Self {
        PyState {
            origin: Some(origin),
            ..PyState::wrap(inner, view)
        }
    }

    /// A copy of the input's object for a part the run left as it was (the same `Arc`, or
    /// an equal value: a Pebble call copies its container even when it changes nothing).
    fn origin_copy<'py, T: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync>(
        &self,
        items: impl FnOnce(&PyState) -> PyResult<Bound<'py, PyTuple>>,
        same: impl Fn(&T) -> bool,
        copy: impl FnOnce(&T) -> T,
    ) -> PyResult<Option<Bound<'py, PyAny>>>
    where
        pyo3::PyClassInitializer<T>: From<T>,
    {
        let Some(origin) = &self.origin else {
            return Ok(None);
        };
        let items = items(origin.get())?;
        let Some(given) = items
            .iter()
            .find(|o| o.cast::<T>().is_ok_and(|o| same(o.get())))
        else {
            return Ok(None);
        };
        let given = given.cast::<T>()?;
        Ok(Some(Bound::new(given.py(), copy(given.get()))?.into_any()))
    }

    /// The relations as Python objects, in order.
    fn relation_held<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        self.held.relations.get(py, self.legacy(), || {
            self.inner
                .relations
                .iter()
                .map(|r| relation_to_py(py, r, self.view))
                .collect()
        })
    }
    fn container_held<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        self.held.containers.get(py, self.legacy(), || {
            self.inner
                .containers
                .iter()
                .map(|c| {
                    let given = self.origin_copy::<PyContainer>(
                        |o| Ok(o.container_held(py)?.0),
                        |o| Arc::ptr_eq(&o.inner, c) || o.inner == *c,
                        |o| o.another(py),
                    )?;
                    match given {
                        Some(given) => Ok(given),
                        None => {
                            Ok(Bound::new(py, PyContainer::new_shared(Arc::clone(c)))?.into_any())
                        }
                    }
                })
                .collect()
        })
    }
    fn network_held<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        self.held.networks.get(py, self.legacy(), || {
            self.inner
                .networks
                .iter()
                .map(|n| Ok(Bound::new(py, PyNetwork { inner: n.clone() })?.into_any()))
                .collect()
        })
    }
    fn storage_held<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        self.held.storages.get(py, self.legacy(), || {
            self.inner
                .storage
                .iter()
                .map(|s| Ok(Bound::new(py, PyStorage { inner: s.clone() })?.into_any()))
                .collect()
        })
    }
    fn secret_held<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        self.held.secrets.get(py, self.legacy(), || {
            self.inner
                .secrets
                .iter()
                .map(|s| {
                    Ok(Bound::new(
                        py,
                        PySecret {
                            inner: Arc::clone(s),
                        },
                    )?
                    .into_any())
                })
                .collect()
        })
    }
    fn stored_state_held<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        self.held.stored_states.get(py, self.legacy(), || {
            self.inner
                .stored_state
                .iter()
                .map(|s| Ok(Bound::new(py, PyStoredState { inner: s.clone() })?.into_any()))
                .collect()
        })
    }
}

static NOT_FOUND: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `scenario.errors.StateEntityNotFound`: a `KeyError` (ops[testing]'s lookups) that is
/// also a `ValueError` (Scenario 5's).
fn not_found(py: Python<'_>, message: String) -> PyErr {
    let cls = NOT_FOUND.get_or_try_init(py, || {
        py.import("scenario_rs.errors")?
            .getattr("StateEntityNotFound")
            .map(Bound::unbind)
    });
    match cls.and_then(|c| c.bind(py).call1((message,))) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

args!(state_arg, PyState "State": leader, model, planned_units, unit_id, workload_version);

state_class! { PyState, "State", FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (config=None, relations=None, networks=None, containers=None, storage=None, opened_ports=None, leader=false, model=None, secrets=None, resources=None, planned_units=1, unit_id=None, deferred=None, stored_state=None, app_status=None, unit_status=None, workload_version="", *, storages=None, stored_states=None, _view=None))]
    // `_view` is a private keyword (pickles and replace() pass it), hence the underscore.
    #[allow(clippy::used_underscore_binding)]
    fn new<'py>(
        py: Python<'py>,
        config: Option<&Bound<'py, PyAny>>,
        relations: Option<&Bound<'py, PyAny>>,
        networks: Option<&Bound<'py, PyAny>>,
        containers: Option<&Bound<'py, PyAny>>,
        storage: Option<&Bound<'py, PyAny>>,
        opened_ports: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = state_arg::leader)] leader: bool,
        #[pyo3(from_py_with = state_arg::model)] model: Option<Bound<'py, PyModel>>,
        secrets: Option<&Bound<'py, PyAny>>,
        resources: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = state_arg::planned_units)] planned_units: u32,
        #[pyo3(from_py_with = state_arg::unit_id)] unit_id: Option<u32>,
        deferred: Option<&Bound<'py, PyAny>>,
        stored_state: Option<&Bound<'py, PyAny>>,
        app_status: Option<&Bound<'py, PyAny>>,
        unit_status: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = state_arg::workload_version)] workload_version: &str,
        storages: Option<&Bound<'py, PyAny>>,
        stored_states: Option<&Bound<'py, PyAny>>,
        _view: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let config = match config.filter(|c| !c.is_none()) {
            Some(c) => Arc::new(str_value_map_from_py(c, "State.config")?),
            None => Arc::default(),
        };
        let (resources, resources_api) = resources_from_py(resources)?;
        // A keyword only one API has tells which API the State is for.
        let view = match crate::dataclass::View::from_py(_view)? {
            // A pickle or replace() of a State names the view it had.
            Some(crate::dataclass::View::Of(api)) => Some(api),
            Some(crate::dataclass::View::Unknown) => None,
            None if storage.is_some() || stored_state.is_some() || unit_id.is_some() => Some(Api::Scenario5),
            None if storages.is_some() || stored_states.is_some() => Some(Api::Scenario8),
            None => resources_api,
        };
        let storage = one_of(storage, storages, ("State.storage", "State.storages"))?;
        let stored_state = one_of(stored_state, stored_states, ("State.stored_state", "State.stored_states"))?;
        let status = |s: Option<&Bound<'_, PyAny>>, field: &str| -> PyResult<EntityStatus> {
            s.filter(|s| !s.is_none()).map_or_else(|| Ok(EntityStatus::default()), |s| status_from_py(s, field))
        };
        let (relations, kept_relations) = list_of(relations, "State.relations", relation_from_py, as_given)?;
        let (networks, kept_networks) = list_of(networks, "State.networks", item_of!(PyNetwork, "Network", |n| n.inner.clone()), as_given)?;
        let (containers, kept_containers) = list_of(containers, "State.containers", item_of!(PyContainer, "Container", |c| Arc::clone(&c.inner)), as_given)?;
        let (storage, kept_storages) = list_of(storage, "State.storages", storage_from_py, |item, s: &model::Storage| {
            if item.cast::<PyStorage>().is_ok() { Ok(item.clone()) } else { Ok(Bound::new(item.py(), PyStorage { inner: s.clone() })?.into_any()) }
        })?;
        let (opened_ports, kept_ports) = list_of(opened_ports, "State.opened_ports", port_from_py, |item, p: &model::Port| {
            if item.cast::<PyPort>().is_ok() { Ok(item.clone()) } else { port_to_py(item.py(), *p) }
        })?;
        let (secrets, kept_secrets) = list_of(secrets, "State.secrets", item_of!(PySecret, "Secret", |s| Arc::clone(&s.inner)), as_given)?;
        let (deferred, _) = list_of(deferred, "State.deferred", item_of!(PyDeferredEvent, "DeferredEvent", |d| d.inner.clone()), as_given)?;
        let (stored_state, kept_stored) = list_of(stored_state, "State.stored_states", item_of!(PyStoredState, "StoredState", |s| s.inner.clone()), as_given)?;
        let legacy = view == Some(Api::Scenario5);
        let held = StateHeld {
                relations: held_collection(py, legacy, kept_relations)?,
                networks: held_collection(py, legacy, kept_networks)?,
                containers: held_collection(py, legacy, kept_containers)?,
                storages: held_collection(py, legacy, kept_storages)?,
                opened_ports: held_collection(py, legacy, kept_ports)?,
                secrets: held_collection(py, legacy, kept_secrets)?,
                stored_states: held_collection(py, legacy, kept_stored)?,
                model: Held::given(py, model.as_ref().map(Bound::as_any)),
                ..StateHeld::default()
        };
        Ok(PyState {
            inner: model::State {
                config,
                relations,
                networks,
                containers,
                storage,
                opened_ports,
                leader,
                model: Arc::new(match &model {
                    Some(m) => m.settled()?.get().inner.clone(),
                    None => model::Model::default(),
                }),
                secrets,
                resources: Arc::new(resources),
                planned_units,
                unit_id: unit_id.unwrap_or(0),
                deferred,
                stored_state,
                app_status: status(app_status, "State.app_status")?,
                unit_status: status(unit_status, "State.unit_status")?,
                workload_version: workload_version.to_owned(),
            },
            view,
            held,
            origin: None,
        })
    }

    /// Config option name to value, what ``config-get`` answers (options left out read
    /// their declared default during a run).
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.held.config.get(py, || str_value_map_to_py(py, &self.inner.config))
    }

    fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if !crate::dataclass::same_type(slf.as_any(), other) {
            return Ok(py.NotImplemented());
        }
        let (a, b) = (slf.settled()?, other.cast::<Self>()?.settled()?);
        let equal = *a.get().current(py)? == *b.get().current(py)?;
        Ok(pyo3::types::PyBool::new(py, equal).to_owned().into_any().unbind())
    }

    /// ops[testing]'s output State follows what the charm writes after the run ended
    /// (`mgr.charm` inside the `with` block): a relation-set lands in the relation's
    /// databag as this State hands it out.
    fn _after_run_relation_set(&self, py: Python<'_>, relation_id: u32, is_app: bool, data: &Bound<'_, PyDict>) -> PyResult<()> {
        let Some(relation) = self.relation_object(py, relation_id)? else {
            return Ok(());
        };
        let Some(bag) = relation_local_bag(&relation, is_app)? else {
            return Ok(());
        };
        for (key, value) in data.iter() {
            if value.cast::<PyString>().is_ok_and(|v| v.to_cow().is_ok_and(|v| v.is_empty())) {
                if bag.contains(&key)? {
                    bag.del_item(&key)?;
                }
            } else {
                bag.set_item(key, value)?;
            }
        }
        Ok(())
    }
    /// The relations the unit is in (``Relation``, ``PeerRelation``,
    /// ``SubordinateRelation``); in a run's output, with the databags the charm wrote.
    #[getter(relations)]
    fn relation_collection<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.relation_held(py)?.1)
    }
    /// The ``Network`` of each binding the test set; ``network-get`` answers the other
    /// bindings with defaults.
    #[getter]
    fn networks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.network_held(py)?.1)
    }
    /// The unit's workload ``Container`` objects; in a run's output, with the layers,
    /// service statuses and other Pebble changes the charm made.
    #[getter]
    fn containers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.container_held(py)?.1)
    }
    /// The attached ``Storage`` instances, what ``storage-list`` answers (Scenario 5's
    /// name for ``storages``).
    #[getter(storage)]
    fn storage_collection<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.storage_list(py)
    }
    /// The attached ``Storage`` instances (``storage-list``); ones the charm requested
    /// with ``storage-add`` are recorded in ``ctx.requested_storages`` instead.
    #[getter(storages)]
    fn storage_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.storage_held(py)?.1)
    }
    /// The ports the unit has opened (``TCPPort``, ``UDPPort``, ``ICMPPort``); in a run's
    /// output, after the charm's ``open-port`` and ``close-port`` calls.
    #[getter]
    fn opened_ports<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.held.opened_ports.get(py, self.legacy(), || self.inner.opened_ports.iter().map(|p| port_to_py(py, *p)).collect())?.1)
    }
    /// Whether this unit is its application's leader, what ``is-leader`` answers.
    #[getter]
    fn leader(&self) -> bool {
        self.inner.leader
    }
    /// The ``Model`` the unit is deployed in: its name, uuid, type and cloud.
    #[getter]
    fn model<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.held.model.get(py, || Ok(Bound::new(py, PyModel { inner: (*self.inner.model).clone() })?.into_any()))
    }
    /// The ``Secret`` objects the unit can see, owned or granted; in a run's output, with
    /// the secrets the charm added, changed or removed.
    #[getter]
    fn secrets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.secret_held(py)?.1)
    }
    /// The resources attached to the application, which ``resource-get`` answers: a set
    /// of ``Resource`` objects, or a dict of name to path for a State made with
    /// Scenario 5's arguments.
    #[getter]
    fn resources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.view == Some(Api::Scenario5) {
            let out = PyDict::new(py);
            for (k, v) in self.inner.resources.iter() {
                out.set_item(k, v)?;
            }
            return Ok(out.into_any());
        }
        Ok(self.held.resources.get(py, self.legacy(), || {
            self.inner.resources.iter().map(|(name, path)| Ok(Bound::new(py, PyResource::new_shared(name.clone(), path.clone()))?.into_any())).collect()
        })?.1)
    }
    /// How many units of the application Juju plans to run (``goal-state``'s count),
    /// which ``self.app.planned_units()`` reads.
    #[getter]
    fn planned_units(&self) -> u32 {
        self.inner.planned_units
    }
    /// This unit's number (Scenario 5), as in ``myapp/0``; a ``Context(unit_id=...)``
    /// takes its place when given.
    #[getter]
    fn unit_id(&self) -> u32 {
        self.inner.unit_id
    }
    /// The events deferred and not yet emitted again, as ``DeferredEvent`` objects: in a
    /// run's input, what ops emits before the event; in its output, what the charm deferred.
    #[getter]
    fn deferred(&self) -> Vec<PyDeferredEvent> {
        self.inner.deferred.iter().cloned().map(PyDeferredEvent::from_model).collect()
    }
    /// The ``StoredState`` contents ops restores into the charm's objects; in a run's
    /// output, as saved after it (Scenario 5's name for ``stored_states``).
    #[getter(stored_state)]
    fn stored_state_collection<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.stored_state_list(py)
    }
    /// The ``StoredState`` contents ops restores into the charm's objects; in a run's
    /// output, as saved after it, the framework's own included.
    #[getter(stored_states)]
    fn stored_state_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.stored_state_held(py)?.1)
    }
    /// The application's status (``status-get --application``), an ops status such as
    /// ``ActiveStatus("ready")``; only the leader may set it.
    #[getter]
    fn app_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        status_to_py(py, &self.inner.app_status)
    }
    /// The unit's status (``status-get``), an ops status such as
    /// ``BlockedStatus("needs a database")``; ``UnknownStatus()`` until one is set.
    #[getter]
    fn unit_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        status_to_py(py, &self.inner.unit_status)
    }
    /// The workload's version, as the charm last set it with
    /// ``application-version-set`` (``""`` until then).
    #[getter]
    fn workload_version(&self) -> &str {
        &self.inner.workload_version
    }
    /// The API this State was made for, when known.
    #[getter]
    fn _api(&self) -> Option<crate::api::PyApi> {
        self.view.map(Into::into)
    }

    // --- lookups --------------------------------------------------------------------------

    /// The State's ``Container`` with this name (or with the name of the container given,
    /// such as one from the input State): ``out.get_container("app")``. Raises
    /// ``KeyError`` (``StateEntityNotFound``) when there is none.
    #[pyo3(name = "get_container")]
    fn container_by_name<'py>(&self, py: Python<'py>, container: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let name: String = match container.cast::<PyContainer>() {
            Ok(c) => c.get().inner.name.clone(),
            Err(_) => container.extract()?,
        };
        let found = self.container_held(py)?.0.iter().find(|c| c.cast::<PyContainer>().is_ok_and(|c| c.get().inner.name == name));
        found.ok_or_else(|| not_found(py, format!("container: {} not found in the State", container.str().map(|s| s.to_string()).unwrap_or_default())))
    }

    /// The State's relations on the endpoint ``endpoint``, as a tuple (empty when there
    /// is none). ``-`` and ``_`` in the name match each other.
    #[pyo3(name = "get_relations")]
    fn relations_on<'py>(&self, py: Python<'py>, endpoint: &str) -> PyResult<Bound<'py, PyTuple>> {
        let wanted = model::normalize_name(endpoint);
        let found: Vec<_> = self.relation_held(py)?.0.iter().filter(|r| relation_key(r).is_some_and(|(_, e)| model::normalize_name(&e) == wanted)).collect();
        PyTuple::new(py, found)
    }

    /// The State's relation with this id, or with the id of the relation given (such as
    /// one from the input State: ``out.get_relation(rel)``), which must then be of the
    /// same kind and on the same endpoint. Raises ``KeyError`` (``StateEntityNotFound``)
    /// when there is none, ``ValueError`` when the one found differs in kind or endpoint.
    #[pyo3(name = "get_relation")]
    fn relation_by_id<'py>(&self, py: Python<'py>, relation: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (id, given) = if let Ok(id) = relation.extract::<u32>() {
            (id, None)
        } else {
            let given = relation_from_py(relation)?;
            (given.relation_id(), Some(given))
        };
        let found_obj = self.relation_object(py, id)?;
        let found_obj = found_obj.ok_or_else(|| not_found(py, format!("relation: id={id} not found in the State")))?;
        let found = relation_from_py(&found_obj)?;
        if let Some(given) = given {
            if given.kind_name() != found.kind_name() || given.endpoint() != found.endpoint() {
                return Err(PyValueError::new_err(format!(
                    "State.get_relation() result does not match the relation given: the State's relation {id} is a {} on endpoint {:?}, not a {} on endpoint {:?}",
                    found.kind_name(), found.endpoint(), given.kind_name(), given.endpoint()
                )));
            }
        }
        Ok(found_obj)
    }

    /// The State's attached ``Storage`` instances called ``name``, as a tuple (empty
    /// when there is none).
    #[pyo3(name = "get_storages")]
    fn storages_named<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyTuple>> {
        let found: Vec<_> = self.storage_held(py)?.0.iter().filter(|s| s.cast::<PyStorage>().is_ok_and(|s| s.get().inner.name == name)).collect();
        PyTuple::new(py, found)
    }

    /// The State's attached ``Storage`` instance called ``name`` with this ``index``
    /// (default 0). Raises ``ValueError`` when there is none.
    #[pyo3(name = "get_storage", signature = (name, /, *, index=0))]
    fn storage_named<'py>(&self, py: Python<'py>, name: &str, index: u32) -> PyResult<Bound<'py, PyAny>> {
        self.storage_held(py)?.0
            .iter()
            .find(|s| s.cast::<PyStorage>().is_ok_and(|s| s.get().inner.name == name && s.get().inner.index == index))
            .ok_or_else(|| PyValueError::new_err(format!("storage: name={name}, index={index} not found in the State")))
    }

    /// The ``Network`` the State gives for the binding ``binding_name``. Raises
    /// ``KeyError`` (``StateEntityNotFound``) when it gives none (the binding then answers
    /// defaults).
    #[pyo3(name = "get_network")]
    fn network_named<'py>(&self, py: Python<'py>, binding_name: &str) -> PyResult<Bound<'py, PyAny>> {
        self.network_held(py)?.0
            .iter()
            .find(|n| n.cast::<PyNetwork>().is_ok_and(|n| n.get().inner.name == binding_name))
            .ok_or_else(|| not_found(py, format!("network: {binding_name} not found in the State")))
    }

    /// The State's ``Secret`` with this ``id`` or ``label`` (both must match when both
    /// are given; an id matches with or without its ``secret:`` prefix). Raises
    /// ``KeyError`` (``StateEntityNotFound``) when there is none, ``ValueError`` when
    /// neither is given.
    #[pyo3(name = "get_secret", signature = (*, id=None, label=None))]
    fn secret_by<'py>(&self, py: Python<'py>, id: Option<&str>, label: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        if id.is_none() && label.is_none() {
            return Err(PyValueError::new_err("An id or label must be provided."));
        }
        self.secret_held(py)?.0
            .iter()
            .find(|s| {
                s.cast::<PySecret>().is_ok_and(|s| {
                    let s = &s.get().inner;
                    id.is_none_or(|id| model::secret::bare_secret_id(&s.id) == model::secret::bare_secret_id(id))
                        && label.is_none_or(|l| s.label.as_deref() == Some(l))
                })
            })
            .ok_or_else(|| not_found(py, "secret: not found in the State".to_owned()))
    }

    /// The State's ``StoredState`` called ``name`` (``"_stored"``) of the object at
    /// ``owner_path`` (``"MyCharm"``; ``None``, the default, for the framework's own).
    /// Raises ``ValueError`` when there is none.
    #[pyo3(name = "get_stored_state", signature = (name, /, *, owner_path=None))]
    fn stored_state_named<'py>(&self, py: Python<'py>, name: &str, owner_path: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        self.stored_state_held(py)?.0
            .iter()
            .find(|s| s.cast::<PyStoredState>().is_ok_and(|s| s.get().inner.name == name && s.get().inner.owner_path.as_deref() == owner_path))
            .ok_or_else(|| PyValueError::new_err(format!("stored state: {name} not found in the State")))
    }

    /// A State of the charm of ``ctx`` fully set up, as Juju would hold it once every
    /// endpoint is integrated and every container has started (ops[testing]):
    ///
    /// - ``config``: the defaults its config declares, updated with ``config``;
    /// - ``relations``: one relation for each endpoint of its metadata (a ``Relation``,
    ///   ``PeerRelation`` or ``SubordinateRelation``, with the interface declared), no data
    ///   in them; an endpoint that ``relations`` covers is left to it;
    /// - ``containers``: each container of its metadata, with ``can_connect=True``, unless
    ///   ``containers`` has it;
    /// - ``storages``: one instance of each storage of its metadata, unless given;
    /// - ``stored_states``: an empty ``StoredState`` for each ``ops.StoredState`` attribute
    ///   of the charm class, unless given.
    ///
    /// Any other keyword is a State argument:
    /// ``State.from_context(ctx, leader=True, unit_status=ActiveStatus())``.
    #[classmethod]
    #[pyo3(signature = (ctx, *, config=None, relations=None, containers=None, storages=None, stored_states=None, **kwargs))]
    fn from_context<'py>(
        cls: &Bound<'py, pyo3::types::PyType>,
        ctx: &Bound<'py, PyAny>,
        config: Option<&Bound<'py, PyAny>>,
        relations: Option<&Bound<'py, PyAny>>,
        containers: Option<&Bound<'py, PyAny>>,
        storages: Option<&Bound<'py, PyAny>>,
        stored_states: Option<&Bound<'py, PyAny>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        let spec_obj = ctx.getattr("_charm_spec")?;
        let spec_py = spec_obj.cast::<crate::spec::PyCharmSpec>()?.get();
        let spec = &spec_py.inner;
        let given = |obj: Option<&Bound<'py, PyAny>>, field: &str| -> PyResult<Vec<Bound<'py, PyAny>>> {
            obj.filter(|o| !o.is_none()).map_or_else(|| Ok(Vec::new()), |o| items(o, field))
        };

        let merged_config = PyDict::new(py);
        for option in spec.config_options() {
            if let Some(default) = option.default {
                merged_config.set_item(option.name, pythonize::pythonize(py, default).map_err(|e| PyValueError::new_err(e.to_string()))?)?;
            }
        }
        if let Some(config) = config.filter(|c| !c.is_none()) {
            merged_config.update(config.cast::<pyo3::types::PyMapping>()?)?;
        }

        let mut all_relations = given(relations, "relations")?;
        let have: Vec<String> = all_relations.iter().map(|r| relation_from_py(r).map(|r| r.endpoint().to_owned())).collect::<PyResult<_>>()?;
        for endpoint in spec.endpoints() {
            if have.iter().any(|e| e == endpoint.name) {
                continue;
            }
            let relation: model::AnyRelation = match (endpoint.role, endpoint.container_scoped) {
                (model::EndpointRole::Peers, _) => {
                    let mut r = model::PeerRelation::new(endpoint.name);
                    r.interface = endpoint.interface.map(str::to_owned);
                    r.into()
                }
                (_, true) => {
                    let mut r = model::SubordinateRelation::new(endpoint.name);
                    r.interface = endpoint.interface.map(str::to_owned);
                    r.into()
                }
                _ => {
                    let mut r = model::Relation::new(endpoint.name);
                    r.interface = endpoint.interface.map(str::to_owned);
                    r.into()
                }
            };
            all_relations.push(relation_to_py(py, &relation, Some(Api::Scenario8))?);
        }

        let mut all_containers = given(containers, "containers")?;
        let have: Vec<String> = all_containers.iter().map(|c| c.getattr("name")?.extract()).collect::<PyResult<_>>()?;
        for name in spec.meta_names("containers") {
            if !have.iter().any(|h| h == name) {
                let mut container = model::Container::new(name);
                container.can_connect = true;
                all_containers.push(Bound::new(py, PyContainer::new_shared(Arc::new(container)))?.into_any());
            }
        }

        let mut all_storages = given(storages, "storages")?;
        let have: Vec<String> = all_storages.iter().map(|s| s.getattr("name")?.extract()).collect::<PyResult<_>>()?;
        for name in spec.meta_names("storage") {
            if !have.iter().any(|h| h == name) {
                all_storages.push(Bound::new(py, PyStorage { inner: model::Storage::new(name) })?.into_any());
            }
        }

        let mut all_stored = given(stored_states, "stored_states")?;
        let charm_type = spec_py.charm_type.bind(py);
        let stored_state_cls = py.import("ops")?.getattr("StoredState")?;
        let owner: String = charm_type.getattr("handle_kind")?.extract()?;
        for attr in charm_type.dir()? {
            let attr: String = attr.extract()?;
            if !charm_type.getattr(attr.as_str())?.is_instance(&stored_state_cls)? {
                continue;
            }
            let present = all_stored.iter().any(|s| {
                s.getattr("name").and_then(|n| n.extract::<String>()).is_ok_and(|n| n == attr)
                    && s.getattr("owner_path").and_then(|o| o.extract::<Option<String>>()).is_ok_and(|o| o.as_deref() == Some(owner.as_str()))
            });
            if !present {
                all_stored.push(Bound::new(py, PyStoredState { inner: model::StoredState::new(Some(owner.clone()), attr) })?.into_any());
            }
        }

        let call = kwargs.map_or_else(|| PyDict::new(py), |k| k.copy().unwrap_or_else(|_| PyDict::new(py)));
        call.set_item("config", merged_config)?;
        call.set_item("relations", all_relations)?;
        call.set_item("containers", all_containers)?;
        call.set_item("storages", all_storages)?;
        call.set_item("stored_states", all_stored)?;
        cls.call((), Some(&call))
    }

    // --- Scenario 5's copies with one change ----------------------------------------------

    /// A copy of this State whose container ``name`` has ``can_connect`` set (Scenario
    /// 5); ``ValueError`` when there is no such container.
    fn with_can_connect(&self, name: &str, can_connect: bool) -> PyResult<Self> {
        let mut state = self.inner.clone();
        let container = state.container_mut(name).ok_or_else(|| {
            PyValueError::new_err(format!("container {name:?} not found in the state"))
        })?;
        container.can_connect = can_connect;
        Ok(PyState::wrap(state, self.view))
    }

    /// A copy of this State with ``leader`` set (Scenario 5's shorthand for
    /// ``replace(leader=...)``).
    fn with_leadership(&self, leader: bool) -> Self {
        let mut state = self.inner.clone();
        state.leader = leader;
        PyState::wrap(state, self.view)
    }

    /// A copy of this State with ``unit_status`` set to ``status``, an ops status
    /// (Scenario 5's shorthand for ``replace(unit_status=...)``).
    fn with_unit_status(&self, status: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut state = self.inner.clone();
        state.unit_status = status_from_py(status, "unit_status")?;
        Ok(PyState::wrap(state, self.view))
    }

    /// The JSON patch (RFC 6902, a list of operations sorted by path and op) that turns
    /// ``other`` into this State: what a run changed, as
    /// ``out.jsonpatch_delta(state_in)`` (Scenario 5). Needs the optional ``jsonpatch``
    /// package; without it, logs an error and returns ``NotImplemented``.
    fn jsonpatch_delta<'py>(slf: &Bound<'py, Self>, other: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("scenario_rs.state")?.getattr("_jsonpatch_delta")?.call1((slf, other))
    }

    // --- JSON and YAML --------------------------------------------------------------------

    /// This State as JSON text, every field included, which ``State.from_json`` reads
    /// back and the ``scenario`` command takes as a State file.
    fn to_json(slf: &Bound<'_, Self>) -> PyResult<String> {
        let state = slf.settled()?;
        let current = state.get().current(slf.py())?;
        current.to_json().map_err(|e| PyValueError::new_err(e.to_string()))
    }
    /// This State as YAML text, every field included, which ``State.from_yaml`` reads
    /// back and the ``scenario`` command takes as a State file.
    fn to_yaml(slf: &Bound<'_, Self>) -> PyResult<String> {
        let state = slf.settled()?;
        let current = state.get().current(slf.py())?;
        current.to_yaml().map_err(|e| PyValueError::new_err(e.to_string()))
    }
    /// The State that ``text``, JSON written by ``to_json()`` (or by hand, with most
    /// fields left out), describes; ``ValueError`` says what is wrong with it.
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyString>) -> PyResult<Self> {
        model::State::from_json(&text.to_cow()?).map(|s| PyState::wrap(s, None)).map_err(|e| PyValueError::new_err(error_chain(&e)))
    }
    /// The State that ``text``, YAML written by ``to_yaml()`` (or by hand, with most
    /// fields left out), describes; ``ValueError`` says what is wrong with it.
    #[staticmethod]
    fn from_yaml(text: &Bound<'_, PyString>) -> PyResult<Self> {
        model::State::from_yaml(&text.to_cow()?).map(|s| PyState::wrap(s, None)).map_err(|e| PyValueError::new_err(error_chain(&e)))
    }
}

/// An error with its causes, `a: b: c`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
