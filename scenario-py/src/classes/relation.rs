//! `Relation`, `PeerRelation` and `SubordinateRelation`, and the relation events they make.
//!
//! One class per kind serves both APIs: Scenario 5's `relation_id` and ops[testing]'s `id`
//! name the same id, and a databag whose default differs between the APIs stays unset
//! until read (see `scenario_model::api`). Each object remembers which API it was made
//! for, when it can tell (`id=` is ops[testing]'s, `relation_id=` Scenario 5's), and reads
//! unset bags as that API does; an object that cannot tell reads as ops[testing].

use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use scenario_model::{self as model, AnyRelation, Api, ApiDefault, Databag, normalize_name};

use crate::classes::event::PyEvent;
use crate::convert::{
    args, databag_from_py, databag_to_py, unit_databags_from_py, unit_databags_to_py,
};
use crate::dataclass::Settle;
use crate::dataclass::{Field, Fields, factory, required, state_class, value};
use crate::held::HeldDict;

fn bag(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Databag> {
    obj.map_or_else(|| Ok(Databag::new()), |o| databag_from_py(o, field))
}

fn unit_bag<D>(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<ApiDefault<D>>
where
    D: model::api::PerApi<Value = Databag>,
{
    obj.map_or_else(
        || Ok(ApiDefault::UNSET),
        |o| databag_from_py(o, field).map(ApiDefault::given),
    )
}

fn unit_bags<D>(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<ApiDefault<D>>
where
    D: model::api::PerApi<Value = model::UnitDatabags>,
{
    obj.map_or_else(
        || Ok(ApiDefault::UNSET),
        |o| unit_databags_from_py(o, field).map(ApiDefault::given),
    )
}

/// A relation's databags as the dicts it hands out (see `HeldDict`): the local app's and
/// unit's, and the remote side's (the remote app's and units', a peer's units', or a
/// subordinate's remote app and unit).
#[derive(Debug, Default)]
struct Bags {
    local_app: HeldDict,
    local_unit: HeldDict,
    remote_app: HeldDict,
    remote_units: HeldDict,
}

impl Bags {
    fn any_handed_out(&self, py: Python<'_>) -> bool {
        [
            &self.local_app,
            &self.local_unit,
            &self.remote_app,
            &self.remote_units,
        ]
        .iter()
        .any(|b| b.handed_out(py).is_some())
    }
}

/// A databag the object handed out as a dict, read back: the dict's content, or the unset
/// default still, when the dict holds just what the unset default read as.
fn bag_now<D>(
    held: &ApiDefault<D>,
    dict: &Bound<'_, PyDict>,
    api: Api,
    field: &str,
    read: impl Fn(&Bound<'_, PyAny>, &str) -> PyResult<D::Value>,
) -> PyResult<ApiDefault<D>>
where
    D: model::api::PerApi,
    D::Value: PartialEq,
{
    let value = read(dict.as_any(), field)?;
    if held.is_unset() && *held.get(api) == value {
        return Ok(ApiDefault::UNSET);
    }
    Ok(ApiDefault::given(value))
}

/// The relation id, from Scenario 5's `relation_id` or ops[testing]'s `id` (or a fresh
/// one), and the API the keyword given tells.
fn relation_id(relation_id: Option<u32>, id: Option<u32>) -> PyResult<(u32, Option<Api>)> {
    match (relation_id, id) {
        (Some(a), Some(b)) if a != b => Err(PyTypeError::new_err(format!(
            "relation_id={a} and id={b} name the same id: pass one of them"
        ))),
        (Some(a), _) => Ok((a, Some(Api::Scenario5))),
        (None, Some(b)) => Ok((b, Some(Api::Scenario8))),
        (None, None) => Ok((model::next_relation_id(true), None)),
    }
}

/// A relation class: the state-class protocol plus what all three kinds share (their
/// common fields and the five relation events named after the endpoint).
macro_rules! relation_class {
    ($cls:ident, $pyname:literal, $fields:expr; $($body:tt)*) => {
        state_class! { $cls, $pyname, $fields, custom_eq;
        /// ``<endpoint>-relation-created`` about this relation (Scenario 5's form of
        /// ``ctx.on.relation_created(relation)``).
        #[getter]
        fn created_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
            Self::event(slf, "_relation_created")
        }
        /// ``<endpoint>-relation-joined`` about this relation, from its first remote unit;
        /// call it with ``remote_unit_id=`` for another unit.
        #[getter]
        fn joined_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
            Self::event(slf, "_relation_joined")
        }
        /// ``<endpoint>-relation-changed`` about this relation, from its first remote unit;
        /// call it with ``remote_unit_id=`` for another unit.
        #[getter]
        fn changed_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
            Self::event(slf, "_relation_changed")
        }
        /// ``<endpoint>-relation-departed`` about this relation, from its first remote
        /// unit; call it with ``remote_unit_id=`` for another unit.
        #[getter]
        fn departed_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
            Self::event(slf, "_relation_departed")
        }
        /// ``<endpoint>-relation-broken`` about this relation (Scenario 5's form of
        /// ``ctx.on.relation_broken(relation)``).
        #[getter]
        fn broken_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
            Self::event(slf, "_relation_broken")
        }
        /// The endpoint this relation is on, as the charm's metadata names it (``db``,
        /// ``ingress-per-unit``).
        #[getter]
        fn endpoint(&self) -> &str {
            &self.inner.endpoint
        }
        /// The endpoint's interface (``mysql_client``), or ``None``: a run then takes it
        /// from the charm's metadata.
        #[getter]
        fn interface(&self) -> Option<&str> {
            self.inner.interface.as_deref()
        }
        /// Juju's id for this relation, as ``relation-ids`` lists it (Scenario 5's name
        /// for ``id``).
        #[getter]
        fn relation_id(&self) -> u32 {
            self.inner.relation_id
        }
        /// Juju's id for this relation, as ``relation-ids`` lists it and
        /// ``JUJU_RELATION_ID`` carries it (ops[testing]'s name for ``relation_id``).
        #[getter]
        fn id(&self) -> u32 {
            self.inner.relation_id
        }
        /// This application's databag in the relation, which only the leader may write with
        /// ``relation-set --app``; in a run's output, what the charm left in it.
        #[getter]
        fn local_app_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            self.local_bag(py, true)
        }
        /// This unit's databag in the relation; in a run's output, what the charm left in
        /// it. Unless given, it reads as Juju's default (``egress-subnets``,
        /// ``ingress-address``, ``private-address``) for ops[testing] and empty for Scenario 5.
        #[getter]
        fn local_unit_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            self.local_bag(py, false)
        }
        fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
            let py = slf.py();
            if !$crate::dataclass::same_type(slf.as_any(), other) {
                return Ok(py.NotImplemented());
            }
            let (a, b) = (slf.settled()?, other.cast::<Self>()?.settled()?);
            let equal = a.get().any(py)? == b.get().any(py)?;
            Ok(pyo3::types::PyBool::new(py, equal).to_owned().into_any().unbind())
        }
        /// The remote unit ids, as the events default to the first of them.
        #[getter]
        fn _remote_unit_ids(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
            Ok(self.any(py)?.remote_unit_ids(self.api()))
        }
        /// Relations hash by id (as in ops[testing]), so a State can hold them in a set.
        fn __hash__(&self) -> u64 {
            crate::classes::hash_of(&self.inner.relation_id)
        }
        $($body)*
        }
    };
}

macro_rules! relation_helpers {
    ($cls:ident, $variant:ident, $model:ident) => {
        impl $cls {
            pub fn new_shared(inner: Arc<model::$model>, view: Option<Api>) -> Self {
                $cls {
                    inner,
                    view,
                    bags: Bags::default(),
                }
            }

            /// The relation as it is now: the model, with what the test or a finished run
            /// wrote into the databags it handed out.
            pub fn any(&self, py: Python<'_>) -> PyResult<AnyRelation> {
                if !self.bags.any_handed_out(py) {
                    return Ok(AnyRelation::$variant(Arc::clone(&self.inner)));
                }
                Ok(AnyRelation::$variant(Arc::new(self.current(py)?)))
            }

            /// The databag `is_app` (else this unit's) as the dict it hands out.
            pub fn local_bag<'py>(
                &self,
                py: Python<'py>,
                is_app: bool,
            ) -> PyResult<Bound<'py, PyDict>> {
                if is_app {
                    self.bags
                        .local_app
                        .get(py, || databag_to_py(py, &self.inner.local_app_data))
                } else {
                    self.bags.local_unit.get(py, || {
                        databag_to_py(py, &self.inner.local_unit_data.get(self.api()))
                    })
                }
            }

            /// The API this relation's unset defaults read as.
            fn api(&self) -> Api {
                self.view.unwrap_or_default()
            }

            fn event(slf: &Bound<'_, Self>, suffix: &str) -> PyResult<PyEvent> {
                let path = format!("{}{suffix}", normalize_name(&slf.get().inner.endpoint));
                PyEvent::for_relation(slf.py(), &path, slf.as_any())
            }
        }
    };
}

const RELATION_FIELDS: &[Field] = &[
    required("endpoint"),
    value("interface", "None"),
    value("relation_id", "None").legacy("id"),
    factory("local_app_data", "{}"),
    factory("local_unit_data", "{}"),
    value("remote_app_name", "'remote'"),
    value("limit", "1"),
    factory("remote_app_data", "{}"),
    factory("remote_units_data", "{0: {}}"),
    value("remote_model_uuid", "None"),
    value("id", "None").modern("relation_id"),
];

/// A relation between this unit's application and a remote application, over a
/// ``requires`` or ``provides`` endpoint of the charm: what ``relation-ids``,
/// ``relation-list`` and ``relation-get`` answer, and where ``relation-set`` writes.
///
/// Only ``endpoint`` is required. ops[testing] passes the rest by keyword; Scenario 5 also by
/// position, in this order:
///
/// - ``endpoint``: the endpoint's name, as the charm's metadata declares it.
/// - ``interface``: the endpoint's interface; ``None`` (the default) takes it from the
///   metadata.
/// - ``relation_id`` (Scenario 5), or ``id`` (ops[testing], keyword only): Juju's id for the
///   relation. When neither is given, the next id of a counter shared by the process.
/// - ``local_app_data``: this application's databag (default: empty).
/// - ``local_unit_data``: this unit's databag (default: Juju's ``egress-subnets``,
///   ``ingress-address`` and ``private-address`` keys in an ops[testing] run, empty in a
///   Scenario 5 run).
/// - ``remote_app_name``: the name of the application at the other end (default
///   ``"remote"``).
/// - ``limit``: how many relations the endpoint accepts (default 1).
/// - ``remote_app_data``: the remote application's databag (default: empty).
/// - ``remote_units_data``: remote unit id to that unit's databag; its keys are the remote
///   units that joined (default: unit 0 alone, with the unit default above).
/// - ``remote_model_uuid`` (keyword only): the remote model's uuid, for a cross-model
///   relation; ``None`` (the default) means this model.
///
/// For example: ``State(relations={Relation("db", remote_app_data={"host": "10.1.1.1"})})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Relation"
)]
#[derive(Debug)]
pub struct PyRelation {
    pub inner: Arc<model::Relation>,
    view: Option<Api>,
    bags: Bags,
}

relation_helpers!(PyRelation, Regular, Relation);

impl PyRelation {
    fn current(&self, py: Python<'_>) -> PyResult<model::Relation> {
        let mut r = (*self.inner).clone();
        let api = self.api();
        if let Some(d) = self.bags.local_app.handed_out(py) {
            r.local_app_data = databag_from_py(&d, "Relation.local_app_data")?;
        }
        if let Some(d) = self.bags.local_unit.handed_out(py) {
            r.local_unit_data = bag_now(
                &self.inner.local_unit_data,
                &d,
                api,
                "Relation.local_unit_data",
                databag_from_py,
            )?;
        }
        if let Some(d) = self.bags.remote_app.handed_out(py) {
            r.remote_app_data = databag_from_py(&d, "Relation.remote_app_data")?;
        }
        if let Some(d) = self.bags.remote_units.handed_out(py) {
            r.remote_units_data = bag_now(
                &self.inner.remote_units_data,
                &d,
                api,
                "Relation.remote_units_data",
                unit_databags_from_py,
            )?;
        }
        Ok(r)
    }
}

impl Fields for PyRelation {
    fn legacy_view(&self) -> bool {
        self.view == Some(Api::Scenario5)
    }

    fn unset_fields(&self) -> Vec<&'static str> {
        let r = &self.inner;
        [
            ("local_unit_data", r.local_unit_data.is_unset()),
            ("remote_units_data", r.remote_units_data.is_unset()),
        ]
        .into_iter()
        .filter_map(|(name, unset)| unset.then_some(name))
        .collect()
    }
}

args!(relation_arg, PyRelation "Relation": endpoint, interface, relation_id, remote_app_name, limit, id, remote_model_uuid);

relation_class! { PyRelation, "Relation", RELATION_FIELDS;
    #[new]
    #[pyo3(signature = (endpoint, interface=None, relation_id=None, local_app_data=None, local_unit_data=None, remote_app_name="remote", limit=1, remote_app_data=None, remote_units_data=None, *, id=None, remote_model_uuid=None))]
    fn new(
        #[pyo3(from_py_with = relation_arg::endpoint)] endpoint: String,
        #[pyo3(from_py_with = relation_arg::interface)] interface: Option<String>,
        #[pyo3(from_py_with = relation_arg::relation_id)] relation_id: Option<u32>,
        local_app_data: Option<&Bound<'_, PyAny>>,
        local_unit_data: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = relation_arg::remote_app_name)] remote_app_name: &str,
        #[pyo3(from_py_with = relation_arg::limit)] limit: u32,
        remote_app_data: Option<&Bound<'_, PyAny>>,
        remote_units_data: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = relation_arg::id)] id: Option<u32>,
        #[pyo3(from_py_with = relation_arg::remote_model_uuid)] remote_model_uuid: Option<String>,
    ) -> PyResult<Self> {
        crate::errors::check_name(scenario_model::names::NameKind::Endpoint, &endpoint, "Relation.endpoint")?;
        let (relation_id, view) = self::relation_id(relation_id, id)?;
        let view = view.or(remote_model_uuid.as_ref().map(|_| Api::Scenario8));
        Ok(PyRelation {
            inner: Arc::new(model::Relation {
                local_app_data: bag(local_app_data, "Relation.local_app_data")?,
                local_unit_data: unit_bag(local_unit_data, "Relation.local_unit_data")?,
                remote_app_data: bag(remote_app_data, "Relation.remote_app_data")?,
                remote_units_data: unit_bags(remote_units_data, "Relation.remote_units_data")?,
                relation_id,
                endpoint,
                interface,
                remote_app_name: remote_app_name.to_owned(),
                limit,
                remote_model_uuid,
            }),
            view,
            bags: Bags::default(),
        })
    }

    /// The name of the application at the other end of the relation, which
    /// ``relation-list`` units and ``JUJU_REMOTE_APP`` carry.
    #[getter]
    fn remote_app_name(&self) -> &str {
        &self.inner.remote_app_name
    }
    /// How many relations the endpoint accepts at once (the ``limit`` its metadata
    /// declares).
    #[getter]
    fn limit(&self) -> u32 {
        self.inner.limit
    }
    /// The remote application's databag, which the charm reads with ``relation-get
    /// --app`` and may not write.
    #[getter]
    fn remote_app_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.bags.remote_app.get(py, || databag_to_py(py, &self.inner.remote_app_data))
    }
    /// Remote unit id to that unit's databag: the units of the remote application that
    /// joined the relation (``relation-list``), and what each wrote.
    #[getter]
    fn remote_units_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.bags.remote_units.get(py, || unit_databags_to_py(py, &self.inner.remote_units_data.get(self.api())))
    }
    /// The uuid of the model the remote application is in, for a cross-model relation;
    /// ``None`` means this State's model.
    #[getter]
    fn remote_model_uuid(&self) -> Option<&str> {
        self.inner.remote_model_uuid.as_deref()
    }
}

const PEER_FIELDS: &[Field] = &[
    required("endpoint"),
    value("interface", "None"),
    value("relation_id", "None").legacy("id"),
    factory("local_app_data", "{}"),
    factory("local_unit_data", "{}"),
    factory("peers_data", "{}"),
    value("id", "None").modern("relation_id"),
];

/// The relation of this application's units with one another, over a ``peers`` endpoint
/// of the charm: every unit of the application is in it, and there is no remote
/// application.
///
/// Only ``endpoint`` is required. ops[testing] passes the rest by keyword; Scenario 5 also by
/// position, in this order:
///
/// - ``endpoint``: the peer endpoint's name, as the charm's metadata declares it.
/// - ``interface``: its interface; ``None`` (the default) takes it from the metadata.
/// - ``relation_id`` (Scenario 5), or ``id`` (ops[testing], keyword only): Juju's id for the
///   relation. When neither is given, the next id of a counter shared by the process.
/// - ``local_app_data``: the application's databag, shared by all its units (default:
///   empty).
/// - ``local_unit_data``: this unit's databag (default: Juju's ``egress-subnets``,
///   ``ingress-address`` and ``private-address`` keys in an ops[testing] run, empty in a
///   Scenario 5 run).
/// - ``peers_data``: peer unit id to that unit's databag, for the application's other
///   units (this unit's own data goes in ``local_unit_data``). Default: no peers in an
///   ops[testing] run; unit 0 with an empty databag in a Scenario 5 run.
///
/// For example: ``PeerRelation("cluster", peers_data={1: {"ready": "yes"}})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "PeerRelation"
)]
#[derive(Debug)]
pub struct PyPeerRelation {
    pub inner: Arc<model::PeerRelation>,
    view: Option<Api>,
    bags: Bags,
}

relation_helpers!(PyPeerRelation, Peer, PeerRelation);

impl PyPeerRelation {
    fn current(&self, py: Python<'_>) -> PyResult<model::PeerRelation> {
        let mut r = (*self.inner).clone();
        let api = self.api();
        if let Some(d) = self.bags.local_app.handed_out(py) {
            r.local_app_data = databag_from_py(&d, "PeerRelation.local_app_data")?;
        }
        if let Some(d) = self.bags.local_unit.handed_out(py) {
            r.local_unit_data = bag_now(
                &self.inner.local_unit_data,
                &d,
                api,
                "PeerRelation.local_unit_data",
                databag_from_py,
            )?;
        }
        if let Some(d) = self.bags.remote_units.handed_out(py) {
            r.peers_data = bag_now(
                &self.inner.peers_data,
                &d,
                api,
                "PeerRelation.peers_data",
                unit_databags_from_py,
            )?;
        }
        Ok(r)
    }
}

impl Fields for PyPeerRelation {
    fn legacy_view(&self) -> bool {
        self.view == Some(Api::Scenario5)
    }

    fn unset_fields(&self) -> Vec<&'static str> {
        let r = &self.inner;
        [
            ("local_unit_data", r.local_unit_data.is_unset()),
            ("peers_data", r.peers_data.is_unset()),
        ]
        .into_iter()
        .filter_map(|(name, unset)| unset.then_some(name))
        .collect()
    }
}

args!(peer_arg, PyPeerRelation "PeerRelation": endpoint, interface, relation_id, id);

relation_class! { PyPeerRelation, "PeerRelation", PEER_FIELDS;
    #[new]
    #[pyo3(signature = (endpoint, interface=None, relation_id=None, local_app_data=None, local_unit_data=None, peers_data=None, *, id=None))]
    fn new(
        #[pyo3(from_py_with = peer_arg::endpoint)] endpoint: String,
        #[pyo3(from_py_with = peer_arg::interface)] interface: Option<String>,
        #[pyo3(from_py_with = peer_arg::relation_id)] relation_id: Option<u32>,
        local_app_data: Option<&Bound<'_, PyAny>>,
        local_unit_data: Option<&Bound<'_, PyAny>>,
        peers_data: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = peer_arg::id)] id: Option<u32>,
    ) -> PyResult<Self> {
        crate::errors::check_name(scenario_model::names::NameKind::Endpoint, &endpoint, "PeerRelation.endpoint")?;
        let (relation_id, view) = self::relation_id(relation_id, id)?;
        Ok(PyPeerRelation {
            inner: Arc::new(model::PeerRelation {
                local_app_data: bag(local_app_data, "PeerRelation.local_app_data")?,
                local_unit_data: unit_bag(local_unit_data, "PeerRelation.local_unit_data")?,
                peers_data: unit_bags(peers_data, "PeerRelation.peers_data")?,
                relation_id,
                endpoint,
                interface,
            }),
            view,
            bags: Bags::default(),
        })
    }

    /// Peer unit id to that unit's databag: the application's other units in the
    /// relation (``relation-list``), and what each wrote. This unit is not among them.
    #[getter]
    fn peers_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.bags.remote_units.get(py, || unit_databags_to_py(py, &self.inner.peers_data.get(self.api())))
    }
}

const SUBORDINATE_FIELDS: &[Field] = &[
    required("endpoint"),
    value("interface", "None"),
    value("relation_id", "None").legacy("id"),
    factory("local_app_data", "{}"),
    factory("local_unit_data", "{}"),
    factory("remote_app_data", "{}"),
    factory("remote_unit_data", "{}"),
    value("remote_app_name", "'remote'"),
    value("remote_unit_id", "0"),
    value("id", "None").modern("relation_id"),
];

/// The relation between a subordinate charm's unit and its principal unit, over an
/// endpoint with ``scope: container``: there is exactly one remote unit, the principal (or,
/// seen from the principal, the subordinate) on the same machine.
///
/// Only ``endpoint`` is required. ops[testing] passes the rest by keyword; Scenario 5 also by
/// position, in this order:
///
/// - ``endpoint``: the endpoint's name, as the charm's metadata declares it.
/// - ``interface``: its interface; ``None`` (the default) takes it from the metadata.
/// - ``relation_id`` (Scenario 5), or ``id`` (ops[testing], keyword only): Juju's id for the
///   relation. When neither is given, the next id of a counter shared by the process.
/// - ``local_app_data``: this application's databag (default: empty).
/// - ``local_unit_data``: this unit's databag (default: Juju's ``egress-subnets``,
///   ``ingress-address`` and ``private-address`` keys in an ops[testing] run, empty in a
///   Scenario 5 run).
/// - ``remote_app_data``: the remote application's databag (default: empty).
/// - ``remote_unit_data``: the remote unit's databag (default: as ``local_unit_data``).
/// - ``remote_app_name``: the remote application's name (default ``"remote"``).
/// - ``remote_unit_id``: the remote unit's number (default 0), so that the remote unit is
///   ``<remote_app_name>/<remote_unit_id>``.
///
/// For example: ``SubordinateRelation("juju-info", remote_app_name="ubuntu")``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "SubordinateRelation"
)]
#[derive(Debug)]
pub struct PySubordinateRelation {
    pub inner: Arc<model::SubordinateRelation>,
    view: Option<Api>,
    bags: Bags,
}

relation_helpers!(PySubordinateRelation, Subordinate, SubordinateRelation);

impl PySubordinateRelation {
    fn current(&self, py: Python<'_>) -> PyResult<model::SubordinateRelation> {
        let mut r = (*self.inner).clone();
        let api = self.api();
        if let Some(d) = self.bags.local_app.handed_out(py) {
            r.local_app_data = databag_from_py(&d, "SubordinateRelation.local_app_data")?;
        }
        if let Some(d) = self.bags.local_unit.handed_out(py) {
            r.local_unit_data = bag_now(
                &self.inner.local_unit_data,
                &d,
                api,
                "SubordinateRelation.local_unit_data",
                databag_from_py,
            )?;
        }
        if let Some(d) = self.bags.remote_app.handed_out(py) {
            r.remote_app_data = databag_from_py(&d, "SubordinateRelation.remote_app_data")?;
        }
        if let Some(d) = self.bags.remote_units.handed_out(py) {
            r.remote_unit_data = bag_now(
                &self.inner.remote_unit_data,
                &d,
                api,
                "SubordinateRelation.remote_unit_data",
                databag_from_py,
            )?;
        }
        Ok(r)
    }
}

impl Fields for PySubordinateRelation {
    fn legacy_view(&self) -> bool {
        self.view == Some(Api::Scenario5)
    }

    fn unset_fields(&self) -> Vec<&'static str> {
        let r = &self.inner;
        [
            ("local_unit_data", r.local_unit_data.is_unset()),
            ("remote_unit_data", r.remote_unit_data.is_unset()),
        ]
        .into_iter()
        .filter_map(|(name, unset)| unset.then_some(name))
        .collect()
    }
}

args!(subordinate_arg, PySubordinateRelation "SubordinateRelation": endpoint, interface, relation_id, remote_app_name, remote_unit_id, id);

relation_class! { PySubordinateRelation, "SubordinateRelation", SUBORDINATE_FIELDS;
    #[new]
    #[pyo3(signature = (endpoint, interface=None, relation_id=None, local_app_data=None, local_unit_data=None, remote_app_data=None, remote_unit_data=None, remote_app_name="remote", remote_unit_id=0, *, id=None))]
    fn new(
        #[pyo3(from_py_with = subordinate_arg::endpoint)] endpoint: String,
        #[pyo3(from_py_with = subordinate_arg::interface)] interface: Option<String>,
        #[pyo3(from_py_with = subordinate_arg::relation_id)] relation_id: Option<u32>,
        local_app_data: Option<&Bound<'_, PyAny>>,
        local_unit_data: Option<&Bound<'_, PyAny>>,
        remote_app_data: Option<&Bound<'_, PyAny>>,
        remote_unit_data: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = subordinate_arg::remote_app_name)] remote_app_name: &str,
        #[pyo3(from_py_with = subordinate_arg::remote_unit_id)] remote_unit_id: u32,
        #[pyo3(from_py_with = subordinate_arg::id)] id: Option<u32>,
    ) -> PyResult<Self> {
        crate::errors::check_name(scenario_model::names::NameKind::Endpoint, &endpoint, "SubordinateRelation.endpoint")?;
        let (relation_id, view) = self::relation_id(relation_id, id)?;
        Ok(PySubordinateRelation {
            inner: Arc::new(model::SubordinateRelation {
                local_app_data: bag(local_app_data, "SubordinateRelation.local_app_data")?,
                local_unit_data: unit_bag(local_unit_data, "SubordinateRelation.local_unit_data")?,
                remote_app_data: bag(remote_app_data, "SubordinateRelation.remote_app_data")?,
                remote_unit_data: unit_bag(remote_unit_data, "SubordinateRelation.remote_unit_data")?,
                relation_id,
                endpoint,
                interface,
                remote_app_name: remote_app_name.to_owned(),
                remote_unit_id,
            }),
            view,
            bags: Bags::default(),
        })
    }

    /// The name of the application at the other end (the principal's, seen from a
    /// subordinate).
    #[getter]
    fn remote_app_name(&self) -> &str {
        &self.inner.remote_app_name
    }
    /// The number of the one remote unit, the unit this unit is attached to on its
    /// machine.
    #[getter]
    fn remote_unit_id(&self) -> u32 {
        self.inner.remote_unit_id
    }
    /// The remote unit's name, ``<remote_app_name>/<remote_unit_id>`` (``remote/0`` by
    /// default).
    #[getter]
    fn remote_unit_name(&self) -> String {
        self.inner.remote_unit_name()
    }
    /// The remote application's databag, which the charm reads with ``relation-get
    /// --app`` and may not write.
    #[getter]
    fn remote_app_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.bags.remote_app.get(py, || databag_to_py(py, &self.inner.remote_app_data))
    }
    /// The one remote unit's databag, which the charm reads with ``relation-get`` and
    /// may not write.
    #[getter]
    fn remote_unit_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.bags.remote_units.get(py, || databag_to_py(py, &self.inner.remote_unit_data.get(self.api())))
    }
}

/// Any relation object from Python as the model's [`AnyRelation`].
pub fn relation_from_py(obj: &Bound<'_, PyAny>) -> PyResult<AnyRelation> {
    let py = obj.py();
    if let Ok(r) = obj.cast::<PyRelation>() {
        return r.settled()?.get().any(py);
    }
    if let Ok(r) = obj.cast::<PyPeerRelation>() {
        return r.settled()?.get().any(py);
    }
    if let Ok(r) = obj.cast::<PySubordinateRelation>() {
        return r.settled()?.get().any(py);
    }
    Err(PyTypeError::new_err(format!(
        "expected a Relation, PeerRelation or SubordinateRelation, got {}",
        crate::convert::type_name(obj)
    )))
}

/// The model's relation as its Python class, sharing the Rust value; its unset bags read
/// as `view` reads them.
pub fn relation_to_py<'py>(
    py: Python<'py>,
    relation: &AnyRelation,
    view: Option<Api>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match relation {
        AnyRelation::Regular(r) => {
            Bound::new(py, PyRelation::new_shared(Arc::clone(r), view))?.into_any()
        }
        AnyRelation::Peer(r) => {
            Bound::new(py, PyPeerRelation::new_shared(Arc::clone(r), view))?.into_any()
        }
        AnyRelation::Subordinate(r) => {
            Bound::new(py, PySubordinateRelation::new_shared(Arc::clone(r), view))?.into_any()
        }
    })
}

/// Whether a relation object handed out a databag (so its model may have changed since).
pub fn relation_handed_out(obj: &Bound<'_, PyAny>) -> bool {
    let py = obj.py();
    if let Ok(r) = obj.cast::<PyRelation>() {
        return r.get().bags.any_handed_out(py);
    }
    if let Ok(r) = obj.cast::<PyPeerRelation>() {
        return r.get().bags.any_handed_out(py);
    }
    if let Ok(r) = obj.cast::<PySubordinateRelation>() {
        return r.get().bags.any_handed_out(py);
    }
    false
}

/// A relation object's id and endpoint, without reading its databags.
pub fn relation_key(obj: &Bound<'_, PyAny>) -> Option<(u32, String)> {
    if let Ok(r) = obj.cast::<PyRelation>() {
        return Some((r.get().inner.relation_id, r.get().inner.endpoint.clone()));
    }
    if let Ok(r) = obj.cast::<PyPeerRelation>() {
        return Some((r.get().inner.relation_id, r.get().inner.endpoint.clone()));
    }
    if let Ok(r) = obj.cast::<PySubordinateRelation>() {
        return Some((r.get().inner.relation_id, r.get().inner.endpoint.clone()));
    }
    None
}

/// A relation object's local databag (`is_app`, else this unit's) as the dict it hands out.
pub fn relation_local_bag<'py>(
    obj: &Bound<'py, PyAny>,
    is_app: bool,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let py = obj.py();
    if let Ok(r) = obj.cast::<PyRelation>() {
        return r.get().local_bag(py, is_app).map(Some);
    }
    if let Ok(r) = obj.cast::<PyPeerRelation>() {
        return r.get().local_bag(py, is_app).map(Some);
    }
    if let Ok(r) = obj.cast::<PySubordinateRelation>() {
        return r.get().local_bag(py, is_app).map(Some);
    }
    Ok(None)
}
