//! `CheckInfo` and `Notice`: what Pebble reports of a container's health checks and
//! notices (ops[testing]'s `Container.check_infos` and `notices`).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scenario_model::{self as model, CheckLevel, CheckStartup, CheckStatus};

use crate::convert::{args, databag_from_py, databag_to_py, enum_text, type_name};
use crate::dataclass::{Field, Fields, factory, required, state_class, value};

/// `ops.pebble.<enum_name>(value)`, or the plain string on an ops without that enum (or
/// member).
fn pebble_enum<'py>(py: Python<'py>, enum_name: &str, value: &str) -> PyResult<Bound<'py, PyAny>> {
    let enum_cls = py.import("ops.pebble")?.getattr(enum_name);
    Ok(match enum_cls.and_then(|cls| cls.call1((value,))) {
        Ok(member) => member,
        Err(_) => PyString::new(py, value).into_any(),
    })
}

/// A check's level, startup or status: the value Pebble knows, or (as ops[testing] takes
/// any string, with a warning here) `None` with the text given.
fn parse<T>(
    obj: &Bound<'_, PyAny>,
    field: &str,
    parse: fn(&str) -> Option<T>,
    allowed: &[&str],
) -> PyResult<(Option<T>, Option<String>)> {
    let text = enum_text(obj).map_err(|_| {
        // ops[testing] refuses a value that is not a string with a ValueError.
        pyo3::exceptions::PyValueError::new_err(format!(
            "CheckInfo.{field} must be a str or ops.pebble enum, got {}",
            type_name(obj)
        ))
    })?;
    if let Some(value) = parse(&text) {
        return Ok((Some(value), None));
    }
    crate::errors::stricter(
        obj.py(),
        &format!("CheckInfo.{field} {text:?} is not one Pebble knows: use one of {allowed:?}"),
    )?;
    Ok((None, Some(text)))
}

/// What a `CheckInfo` was given that Pebble does not know, handed back as given.
#[derive(Debug, Default, PartialEq)]
struct Unknown {
    level: Option<String>,
    startup: Option<String>,
    status: Option<String>,
    threshold_none: bool,
}

const CHECK_INFO_FIELDS: &[Field] = &[
    required("name"),
    value("level", "None"),
    value("startup", "'enabled'"),
    value("status", "'up'"),
    value("successes", "0"),
    value("failures", "0"),
    value("threshold", "3"),
    value("change_id", "None"),
];

/// The state of one Pebble health check of a container, as Pebble's ``get_checks``
/// reports it; ``pebble-check-failed`` and ``pebble-check-recovered`` events are about one.
///
/// Only ``name`` is required; the rest is keyword only:
///
/// - ``name``: the check's name, as the plan's layers declare it.
/// - ``level``: ``ops.pebble.CheckLevel`` (``alive``, ``ready``) or ``None`` (the default).
/// - ``startup``: ``ops.pebble.CheckStartup`` (default ``enabled``).
/// - ``status``: ``ops.pebble.CheckStatus`` (default ``up``): ``up`` while the failures
///   are fewer than the threshold, ``down`` once they reach it, ``inactive`` when the check
///   is stopped.
/// - ``successes``: how many times it has succeeded (default 0); ``None`` stands for a
///   Pebble older than 1.23, which did not count them.
/// - ``failures``: failures in a row since it last succeeded (default 0).
/// - ``threshold``: how many failures in a row make it ``down`` (default 3).
/// - ``change_id``: the Pebble change running the check; by default a new id, or none for
///   an ``inactive`` check.
///
/// For example: ``CheckInfo("http", status=pebble.CheckStatus.DOWN, failures=3)``; put it in
/// the container's ``check_infos``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "CheckInfo"
)]
#[derive(Debug)]
pub struct PyCheckInfo {
    pub inner: model::CheckInfo,
    unknown: Unknown,
}

impl PyCheckInfo {
    pub fn from_model(inner: model::CheckInfo) -> Self {
        PyCheckInfo {
            inner,
            unknown: Unknown::default(),
        }
    }
}

impl Fields for PyCheckInfo {}

args!(check_info_arg, PyCheckInfo "CheckInfo": name, successes, failures, threshold);

state_class! { PyCheckInfo, "CheckInfo", CHECK_INFO_FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (name, *, level=None, startup=None, status=None, successes=0, failures=0, threshold=3, change_id=None))]
    fn new(
        py: Python<'_>,
        #[pyo3(from_py_with = check_info_arg::name)] name: String,
        level: Option<&Bound<'_, PyAny>>,
        startup: Option<&Bound<'_, PyAny>>,
        status: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = check_info_arg::successes)] successes: Option<u32>,
        #[pyo3(from_py_with = check_info_arg::failures)] failures: u32,
        #[pyo3(from_py_with = check_info_arg::threshold)] threshold: Option<u32>,
        change_id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut unknown = Unknown::default();
        let (level, unknown_level) = match level.filter(|l| !l.is_none()) {
            Some(l) => parse(l, "level", CheckLevel::parse, &["", "alive", "ready"])?,
            None => (None, None),
        };
        unknown.level = unknown_level;
        let (startup, unknown_startup) = match startup.filter(|s| !s.is_none()) {
            Some(s) => parse(s, "startup", CheckStartup::parse, &["", "enabled", "disabled"])?,
            None => (Some(CheckStartup::Enabled), None),
        };
        unknown.startup = unknown_startup;
        let startup = startup.unwrap_or(CheckStartup::Enabled);
        let (status, unknown_status) = match status.filter(|s| !s.is_none()) {
            Some(s) => parse(s, "status", CheckStatus::parse, &["up", "down", "inactive"])?,
            None => (Some(CheckStatus::Up), None),
        };
        unknown.status = unknown_status;
        let status = status.unwrap_or(CheckStatus::Up);
        if threshold.is_none() {
            crate::errors::stricter(py, "CheckInfo.threshold None is not one Pebble knows: use an int")?;
            unknown.threshold_none = true;
        }
        let threshold = threshold.unwrap_or(3);
        // An inactive check runs in no change; any other is given the next change id.
        let change_id = match change_id.filter(|c| !c.is_none()) {
            Some(c) => c.str()?.to_string(),
            None if status == CheckStatus::Inactive => String::new(),
            None => model::next_change_id(true).to_string(),
        };
        Ok(PyCheckInfo {
            inner: model::CheckInfo { name, level, startup, status, successes, failures, threshold, change_id },
            unknown,
        })
    }
    fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if !crate::dataclass::same_type(slf.as_any(), other) {
            return Ok(py.NotImplemented());
        }
        let (a, b) = (slf.get(), other.cast::<Self>()?.get());
        let equal = a.inner == b.inner && a.unknown == b.unknown;
        Ok(pyo3::types::PyBool::new(py, equal).to_owned().into_any().unbind())
    }
    /// The check's name, as the layers of the container's plan declare it under
    /// ``checks``.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The check's level, an ``ops.pebble.CheckLevel`` (``alive`` or ``ready``), or
    /// ``None`` when it has none.
    #[getter]
    fn level<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        if let Some(text) = &self.unknown.level {
            return Ok(Some(PyString::new(py, text).into_any()));
        }
        self.inner.level.map(|l| pebble_enum(py, "CheckLevel", l.as_str())).transpose()
    }
    /// Whether Pebble starts the check with the plan: an ``ops.pebble.CheckStartup``
    /// (``enabled`` or ``disabled``).
    #[getter]
    fn startup<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(text) = &self.unknown.startup {
            return Ok(PyString::new(py, text).into_any());
        }
        pebble_enum(py, "CheckStartup", self.inner.startup.as_str())
    }
    /// The check's health, an ``ops.pebble.CheckStatus``: ``up`` (fewer failures than
    /// the threshold), ``down`` (the threshold reached) or ``inactive`` (stopped).
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(text) = &self.unknown.status {
            return Ok(PyString::new(py, text).into_any());
        }
        pebble_enum(py, "CheckStatus", self.inner.status.as_str())
    }
    /// How many times the check has succeeded; ``None`` for a Pebble older than 1.23,
    /// which did not report it.
    #[getter]
    fn successes(&self) -> Option<u32> {
        self.inner.successes
    }
    /// How many times in a row the check has failed since it last succeeded.
    #[getter]
    fn failures(&self) -> u32 {
        self.inner.failures
    }
    /// How many failures in a row make the check ``down`` (and emit
    /// ``pebble-check-failed``).
    #[getter]
    fn threshold(&self) -> Option<u32> {
        (!self.unknown.threshold_none).then_some(self.inner.threshold)
    }
    /// The id of the Pebble change that runs the check, an ``ops.pebble.ChangeID``
    /// (empty for an inactive check).
    #[getter]
    fn change_id<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("ops.pebble")?.getattr("ChangeID")?.call1((self.inner.change_id.as_str(),))
    }
    /// Check infos hash by name (as in ops[testing]).
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner.name)
    }
    /// The ops `pebble.CheckInfo` equal to this one.
    fn _to_ops<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_ops(slf.as_any(), "ops.pebble", "CheckInfo", &["name", "level", "startup", "status", "successes", "failures", "threshold", "change_id"])
    }
}

const NOTICE_FIELDS: &[Field] = &[
    required("key"),
    value("id", "None"),
    value("user_id", "None"),
    value("type", "'custom'"),
    value("first_occurred", "None"),
    value("last_occurred", "None"),
    value("last_repeated", "None"),
    value("occurrences", "1"),
    factory("last_data", "{}"),
    value("repeat_after", "None"),
    value("expire_after", "None"),
];

/// A notice recorded in a container's Pebble (by the workload with ``pebble notify``, or by
/// Pebble itself), as Pebble's ``get_notices`` lists it; a ``pebble-custom-notice`` event
/// is about one.
///
/// Only ``key`` is required; the rest is keyword only:
///
/// - ``key``: what the notice is about; for a custom notice, ``domain/path``
///   (``example.com/myapp/backup-done``).
/// - ``id``: Pebble's id for it (default: the next of a counter).
/// - ``user_id``: the uid of the user who may read it; ``None`` (the default) for everyone.
/// - ``type``: an ``ops.pebble.NoticeType`` or its text (default ``custom``).
/// - ``first_occurred``, ``last_occurred``, ``last_repeated``: ``datetime`` objects (or
///   RFC 3339 text); each defaults to the time the object was made.
/// - ``occurrences``: how many times it occurred (default 1).
/// - ``last_data``: the data of its last occurrence, ``str`` to ``str`` (default empty).
/// - ``repeat_after``, ``expire_after``: ``timedelta`` objects, or ``None`` (the default).
///
/// For example: ``Container("app", notices=[Notice("example.com/app/ready")])``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Notice"
)]
#[derive(Debug)]
pub struct PyNotice {
    pub inner: model::Notice,
}

impl Fields for PyNotice {}

/// A datetime (or RFC 3339 text) as ISO 8601 text; `None` is now.
fn timestamp(py: Python<'_>, obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<String> {
    let datetime = py.import("datetime")?;
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return datetime
            .getattr("datetime")?
            .call_method1("now", (utc,))?
            .call_method0("isoformat")?
            .extract();
    };
    let text: String = if let Ok(text) = obj.cast::<PyString>() {
        text.to_string()
    } else {
        obj.call_method0("isoformat")
            .and_then(|s| s.extract())
            .map_err(|_| {
                crate::errors::state_validation_error(format!(
                    "Notice.{field} must be a datetime, got {}",
                    type_name(obj)
                ))
            })?
    };
    // Read back as Pebble's times are, so it must parse as one: say so now, not at first read.
    to_datetime(py, &text).map_err(|_| {
        crate::errors::state_validation_error(format!(
            "Notice.{field} must be a datetime (or RFC 3339 text), got {}",
            crate::convert::repr_of(obj)
        ))
    })?;
    Ok(text)
}

/// A `timedelta` (or a number of seconds) as seconds, which a `timedelta` can hold.
fn seconds(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Option<f64>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    obj.extract::<f64>()
        .or_else(|_| obj.call_method0("total_seconds")?.extract())
        .and_then(|s| to_timedelta(obj.py(), Some(s)).map(|_| s))
        .map(Some)
        .map_err(|_| {
            crate::errors::state_validation_error(format!(
                "Notice.{field} must be a timedelta, got {}",
                crate::convert::repr_of(obj)
            ))
        })
}

/// A notice time as the charm reads it: Pebble's RFC 3339 through ops's own parser (with
/// nanoseconds and "Z"), or, for a naive datetime a test gave, that datetime again (as
/// ops[testing] hands it over unchanged).
#[pyfunction]
#[pyo3(name = "notice_time")]
pub fn to_datetime<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("ops.pebble")?
        .getattr("timeconv")?
        .call_method1("parse_rfc3339", (text,))
        .or_else(|_| {
            py.import("datetime")?
                .getattr("datetime")?
                .call_method1("fromisoformat", (text,))
        })
}

fn to_timedelta(py: Python<'_>, secs: Option<f64>) -> PyResult<Option<Bound<'_, PyAny>>> {
    secs.map(|s| {
        let kwargs = PyDict::new(py);
        kwargs.set_item("seconds", s)?;
        py.import("datetime")?
            .getattr("timedelta")?
            .call((), Some(&kwargs))
    })
    .transpose()
}

args!(notice_arg, PyNotice "Notice": key, id, user_id, occurrences);

state_class! { PyNotice, "Notice", NOTICE_FIELDS, inner;
    #[new]
    #[pyo3(signature = (key, *, id=None, user_id=None, r#type=None, first_occurred=None, last_occurred=None, last_repeated=None, occurrences=1, last_data=None, repeat_after=None, expire_after=None))]
    fn new(
        py: Python<'_>,
        #[pyo3(from_py_with = notice_arg::key)] key: String,
        #[pyo3(from_py_with = notice_arg::id)] id: Option<String>,
        #[pyo3(from_py_with = notice_arg::user_id)] user_id: Option<u32>,
        r#type: Option<&Bound<'_, PyAny>>,
        first_occurred: Option<&Bound<'_, PyAny>>,
        last_occurred: Option<&Bound<'_, PyAny>>,
        last_repeated: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = notice_arg::occurrences)] occurrences: u32,
        last_data: Option<&Bound<'_, PyAny>>,
        repeat_after: Option<&Bound<'_, PyAny>>,
        expire_after: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let notice_type = r#type
            .filter(|t| !t.is_none())
            .map_or_else(|| Ok("custom".to_owned()), enum_text)
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "Notice.type must be a str or ops.pebble.NoticeType, got {}",
                    r#type.map_or_else(String::new, type_name)
                ))
            })?;
        Ok(PyNotice {
            inner: model::Notice {
                key,
                id: id.unwrap_or_else(|| model::next_notice_id(true)),
                user_id,
                notice_type,
                first_occurred: timestamp(py, first_occurred, "first_occurred")?,
                last_occurred: timestamp(py, last_occurred, "last_occurred")?,
                last_repeated: timestamp(py, last_repeated, "last_repeated")?,
                occurrences,
                last_data: last_data.filter(|d| !d.is_none()).map_or_else(|| Ok(model::Databag::new()), |d| databag_from_py(d, "Notice.last_data"))?,
                repeat_after: seconds(repeat_after, "repeat_after")?,
                expire_after: seconds(expire_after, "expire_after")?,
            },
        })
    }
    /// What the notice is about: for a custom notice, ``domain/path``
    /// (``example.com/myapp/backup-done``); notices of one type and key are one notice.
    #[getter]
    fn key(&self) -> &str {
        &self.inner.key
    }
    /// Pebble's id for the notice, which ``get_notice`` looks up and the event carries.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    /// The uid of the only user who may read the notice, or ``None`` when anyone may.
    #[getter]
    fn user_id(&self) -> Option<u32> {
        self.inner.user_id
    }
    /// The notice's type, an ``ops.pebble.NoticeType`` (``custom`` for the ones a
    /// workload records), or the text given where ops has no such member.
    #[getter]
    fn r#type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pebble_enum(py, "NoticeType", &self.inner.notice_type)
    }
    /// When a notice of this type and key first occurred, as a ``datetime``.
    #[getter]
    fn first_occurred<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, &self.inner.first_occurred)
    }
    /// When a notice of this type and key last occurred, as a ``datetime``.
    #[getter]
    fn last_occurred<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, &self.inner.last_occurred)
    }
    /// When the notice was last repeated (an occurrence after ``repeat_after`` had
    /// passed), as a ``datetime``.
    #[getter]
    fn last_repeated<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, &self.inner.last_repeated)
    }
    /// How many times a notice of this type and key has occurred.
    #[getter]
    fn occurrences(&self) -> u32 {
        self.inner.occurrences
    }
    /// The data recorded with the notice's last occurrence, ``str`` to ``str``.
    #[getter]
    fn last_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        databag_to_py(py, &self.inner.last_data)
    }
    /// How long after its last repeat a new occurrence counts as a repeat (a
    /// ``timedelta``), or ``None``.
    #[getter]
    fn repeat_after<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        to_timedelta(py, self.inner.repeat_after)
    }
    /// How long after its last occurrence Pebble drops the notice (a ``timedelta``), or
    /// ``None``.
    #[getter]
    fn expire_after<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        to_timedelta(py, self.inner.expire_after)
    }
    /// The ops `pebble.Notice` equal to this one.
    fn _to_ops<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_ops(slf.as_any(), "ops.pebble", "Notice", &["id", "user_id", "type", "key", "first_occurred", "last_occurred", "last_repeated", "occurrences", "last_data", "repeat_after", "expire_after"])
    }
}
