//! `Secret`: a Juju secret this unit can see, and the secret events.

use std::sync::Arc;

use indexmap::IndexMap;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFrozenSet, PyString};
use scenario_model::{self as model, SecretGrant, SecretOwner, SecretRotate};

use crate::classes::event::PyEvent;
use crate::convert::{
    args, databag_from_py, databag_to_py, enum_text, field, ops_attr, string_list, type_name,
};
use crate::dataclass::{Field, Fields, factory, state_class, value};

const FIELDS: &[Field] = &[
    value("id", "None"),
    value("contents", "None"),
    value("owner", "None"),
    value("granted", "False"),
    value("revision", "0"),
    factory("remote_grants", "{}"),
    value("label", "None"),
    value("description", "None"),
    value("expire", "None"),
    value("rotate", "None"),
    value("tracked_content", "None").modern("contents"),
    value("latest_content", "None").modern("contents"),
];

/// A Juju secret this unit can see: one that it (or its application) owns, or one that
/// another application granted it. The charm can read every secret in ``State.secrets``
/// (``secret-get``); whether it may change one depends on ``owner``.
///
/// ops[testing] writes ``Secret(tracked_content, latest_content=..., owner=..., ...)``, all
/// but the content by keyword; Scenario 5 wrote ``Secret(id, contents, owner, granted,
/// revision, ...)`` by position, which works too (a first argument that is a ``str`` is the
/// id, a dict the tracked content):
///
/// - ``tracked_content`` (ops[testing]): the content of the revision this unit tracks,
///   what ``get_content()`` gives; a non-empty dict of ``str`` to ``str``.
/// - ``latest_content`` (ops[testing], keyword only): the content of the latest revision,
///   what ``peek_content()`` and ``get_content(refresh=True)`` give (default: the tracked
///   content).
/// - ``contents`` (Scenario 5): revision number to that revision's content, every
///   revision at once (``{0: {"k": "v"}, 1: {"k": "w"}}``).
/// - ``revision`` (Scenario 5): the revision this unit tracks (default 0, or 1 with
///   ``tracked_content``).
/// - ``id`` (keyword only in ops[testing]): the secret's id, ``secret:...``; by default a
///   new one, as Juju makes them.
/// - ``owner``: ``"unit"`` or ``"app"`` when this unit or its application owns the
///   secret; ``None`` (the default) when another application granted it to this one.
/// - ``granted`` (Scenario 5): for a secret owned elsewhere, whether it was granted to
///   this ``"unit"`` or this ``"app"``; ``False`` by default.
/// - ``remote_grants``: relation id to the names of the remote units and applications
///   the secret was granted to (default: none).
/// - ``label``: the label the charm knows it by, or ``None`` (the default).
/// - ``description``: its description, or ``None``.
/// - ``expire``: when it expires, a ``datetime`` (or ISO 8601 text), or ``None``.
/// - ``rotate``: its rotation policy, an ``ops.SecretRotate`` (or its text), or ``None``.
///
/// For example: ``State(secrets={Secret({"password": "s3cret"}, owner="app", label="db")})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Secret"
)]
#[derive(Debug)]
pub struct PySecret {
    pub inner: Arc<model::Secret>,
}

static SECRET_ROTATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn owner_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<SecretOwner>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    match field::<&str>(obj, "Secret.owner")? {
        "unit" => Ok(Some(SecretOwner::Unit)),
        "app" | "application" => Ok(Some(SecretOwner::App)),
        other => Err(PyValueError::new_err(format!(
            "Secret.owner must be 'unit', 'app' or None, got {other:?}"
        ))),
    }
}

fn granted_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<SecretGrant>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(b) = obj.cast::<PyBool>() {
        if b.is_true() {
            return Err(PyValueError::new_err(
                "Secret.granted must be 'unit', 'app' or False, got True",
            ));
        }
        return Ok(None);
    }
    match field::<&str>(obj, "Secret.granted")? {
        "unit" => Ok(Some(SecretGrant::Unit)),
        "app" | "application" => Ok(Some(SecretGrant::App)),
        other => Err(PyValueError::new_err(format!(
            "Secret.granted must be 'unit', 'app' or False, got {other:?}"
        ))),
    }
}

fn rotate_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<SecretRotate>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let text = enum_text(obj).map_err(|_| {
        PyTypeError::new_err(format!(
            "Secret.rotate must be an ops.SecretRotate, got {}",
            type_name(obj)
        ))
    })?;
    SecretRotate::parse(&text).map(Some).ok_or_else(|| {
        PyValueError::new_err(format!(
            "Secret.rotate: unknown secret rotation {text:?}: use ops.SecretRotate"
        ))
    })
}

fn expire_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = obj.cast::<PyString>() {
        // Read back as a datetime, so it must parse as one: say so now, not at first read.
        let datetime = obj.py().import("datetime")?.getattr("datetime")?;
        datetime.call_method1("fromisoformat", (s,)).map_err(|_| {
            crate::errors::state_validation_error(format!(
                "Secret.expire must be a datetime or an ISO 8601 string, got {:?}",
                s.to_string()
            ))
        })?;
        return Ok(Some(s.to_string()));
    }
    obj.call_method0("isoformat")
        .and_then(|s| s.extract())
        .map(Some)
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "Secret.expire must be a datetime, got {}",
                type_name(obj)
            ))
        })
}

impl Fields for PySecret {}

/// Scenario 5's `contents`: a dict of revision to content.
fn contents_from_py(contents: &Bound<'_, PyAny>) -> PyResult<IndexMap<u32, model::Databag>> {
    let contents = contents.cast::<PyDict>().map_err(|_| {
        crate::errors::state_validation_error(format!(
            "Secret.contents must be a dict of revision to content, got {}",
            type_name(contents)
        ))
    })?;
    // A dict of str to str is a content, not revisions of one (ops[testing]'s
    // `tracked_content`, or a slip for `{0: content}`): Scenario 5 kept it and failed when
    // the charm read the secret; read as revision 0's content, with a warning.
    if !contents.is_empty()
        && contents
            .iter()
            .all(|(k, v)| k.is_instance_of::<PyString>() && v.is_instance_of::<PyString>())
    {
        crate::errors::stricter(
            contents.py(),
            &format!(
                "Secret.contents maps revision numbers to contents: {} is read as the content of revision 0 ({{0: ...}})",
                contents.repr()?
            ),
        )?;
        let mut revisions = IndexMap::new();
        revisions.insert(0, databag_from_py(contents.as_any(), "Secret.contents[0]")?);
        return Ok(revisions);
    }
    let mut revisions = IndexMap::new();
    for (rev, content) in contents.iter() {
        let rev: u32 = field(&rev, "Secret.contents keys (revision numbers)")?;
        revisions.insert(
            rev,
            databag_from_py(&content, &format!("Secret.contents[{rev}]"))?,
        );
    }
    Ok(revisions)
}

/// A secret's content: a non-empty dict of str to str, as Juju requires.
fn secret_content(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<model::Databag> {
    if !obj.is_instance_of::<PyDict>() {
        return Err(crate::errors::state_validation_error(format!(
            "Secret.{field} should be a dict of str to str, got {}",
            type_name(obj)
        )));
    }
    let content = databag_from_py(obj, &format!("Secret.{field}"))?;
    if content.is_empty() {
        return Err(crate::errors::state_validation_error(format!(
            "Secret.{field} must not be empty: Juju requires at least one key"
        )));
    }
    Ok(content)
}

impl PySecret {
    fn event(slf: &Bound<'_, Self>, name: &str, revision: Option<u32>) -> PyEvent {
        let mut event = model::Event::new(name);
        event.secret = Some(Arc::clone(&slf.get().inner));
        event.secret_revision = revision;
        PyEvent::for_secret(slf.py(), event, slf.as_any())
    }

    fn latest_revision(&self) -> u32 {
        self.inner
            .contents
            .keys()
            .copied()
            .max()
            .unwrap_or(self.inner.revision)
    }
}

args!(secret_arg, PySecret "Secret": revision, label, description, id);

state_class! { PySecret, "Secret", FIELDS, inner;
    #[new]
    #[pyo3(signature = (first=None, /, contents=None, owner=None, granted=None, revision=None, remote_grants=None, label=None, description=None, expire=None, rotate=None, *, id=None, tracked_content=None, latest_content=None))]
    fn new(
        first: Option<&Bound<'_, PyAny>>,
        contents: Option<&Bound<'_, PyAny>>,
        owner: Option<&Bound<'_, PyAny>>,
        granted: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = secret_arg::revision)] revision: Option<u32>,
        remote_grants: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = secret_arg::label)] label: Option<String>,
        #[pyo3(from_py_with = secret_arg::description)] description: Option<String>,
        expire: Option<&Bound<'_, PyAny>>,
        rotate: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = secret_arg::id)] id: Option<String>,
        tracked_content: Option<&Bound<'_, PyAny>>,
        latest_content: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        // Scenario 5 starts with the id (`Secret("secret:x", {0: {...}})`), ops[testing]
        // with the tracked content (`Secret({"k": "v"})`).
        let (id, tracked_content) = match first.filter(|f| !f.is_none()) {
            Some(f) if f.is_instance_of::<PyDict>() => {
                if tracked_content.is_some() {
                    return Err(PyTypeError::new_err("Secret() got tracked_content twice"));
                }
                if contents.is_some_and(|c| !c.is_none()) {
                    // ops[testing]'s form takes its content alone, by position.
                    return Err(PyTypeError::new_err(
                        "Secret() takes one positional argument in ops[testing]'s form (the tracked content); Scenario 5's contents= belongs to its own form, Secret(id, contents)",
                    ));
                }
                (id, Some(f))
            }
            Some(f) => {
                if id.is_some() {
                    return Err(PyTypeError::new_err("Secret() got id twice"));
                }
                // Neither: the content is invalid, as ops[testing] says it.
                (Some(f.extract::<String>().map_err(|_| crate::errors::state_validation_error(format!(
                    "Secret.tracked_content should be a dict (or, as in Scenario 5, the first argument the id, a str), got {}",
                    type_name(f)
                )))?), tracked_content)
            }
            None => (id, tracked_content),
        };
        let tracked_content = tracked_content.filter(|t| !t.is_none());
        let (revision, revisions) = match (contents.filter(|c| !c.is_none()), tracked_content) {
            (Some(contents), Some(tracked)) => {
                // Both forms (dataclasses.replace passes every field): the revisions, with
                // the tracked and latest content laid over theirs.
                let mut revisions = contents_from_py(contents)?;
                let revision = revision.unwrap_or(0);
                revisions.insert(revision, secret_content(tracked, "tracked_content")?);
                if let Some(latest) = latest_content.filter(|l| !l.is_none()) {
                    let latest = secret_content(latest, "latest_content")?;
                    let last = revisions.keys().copied().max().unwrap_or(revision);
                    if revisions.get(&last) != Some(&latest) {
                        let at = if last == revision { revision + 1 } else { last };
                        revisions.insert(at, latest);
                    }
                }
                (revision, revisions)
            }
            (Some(contents), None) => (revision.unwrap_or(0), contents_from_py(contents)?),
            (None, Some(tracked)) => {
                let revision = revision.unwrap_or(1);
                let tracked = secret_content(tracked, "tracked_content")?;
                let mut revisions = IndexMap::from([(revision, tracked.clone())]);
                if let Some(latest) = latest_content.filter(|l| !l.is_none()) {
                    let latest = secret_content(latest, "latest_content")?;
                    if latest != tracked {
                        revisions.insert(revision + 1, latest);
                    }
                }
                (revision, revisions)
            }
            (None, None) => {
                return Err(PyTypeError::new_err(
                    "Secret.tracked_content is required: Secret({'key': 'value'}) (or, as in Scenario 5, Secret.contents: Secret(id, contents={0: {...}}))",
                ));
            }
        };
        let mut grants = IndexMap::new();
        if let Some(remote_grants) = remote_grants.filter(|g| !g.is_none()) {
            let remote_grants = remote_grants.cast::<PyDict>().map_err(|_| {
                crate::errors::state_validation_error(format!(
                    "Secret.remote_grants must be a dict of relation id to names, got {}",
                    type_name(remote_grants)
                ))
            })?;
            for (rid, names) in remote_grants.iter() {
                let rid: u32 = field(&rid, "Secret.remote_grants keys (relation ids)")?;
                grants.insert(rid, string_list(Some(&names), &format!("Secret.remote_grants[{rid}]"))?.unwrap_or_default());
            }
        }
        Ok(PySecret {
            inner: Arc::new(model::Secret {
                id: id.unwrap_or_else(model::secret::generate_secret_id),
                contents: revisions,
                owner: owner_from_py(owner)?,
                granted: granted_from_py(granted)?,
                revision,
                remote_grants: grants,
                label,
                description,
                expire: expire_from_py(expire)?,
                rotate: rotate_from_py(rotate)?,
            }),
        })
    }

    /// The content of the revision this unit tracks: what ``get_content()`` gives
    /// (``secret-get``).
    #[getter]
    fn tracked_content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        databag_to_py(py, self.inner.contents.get(&self.inner.revision).unwrap_or(&model::Databag::new()))
    }
    /// The content of the latest revision: what ``peek_content()`` and
    /// ``get_content(refresh=True)`` give.
    #[getter]
    fn latest_content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let latest = self.latest_revision();
        databag_to_py(py, self.inner.contents.get(&latest).unwrap_or(&model::Databag::new()))
    }
    #[getter]
    fn _tracked_revision(&self) -> u32 {
        self.inner.revision
    }
    #[getter]
    fn _latest_revision(&self) -> u32 {
        self.latest_revision()
    }
    /// Secrets hash by id (as in ops[testing]), so a State can hold them in a set.
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner.id)
    }

    /// The secret's id, ``secret:<xid>`` (Juju's URI form); the charm looks the secret
    /// up by it, or by ``label``.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    /// Revision number to that revision's content, for every revision the secret has
    /// (Scenario 5's view; ops[testing] reads ``tracked_content`` and ``latest_content``).
    #[getter]
    fn contents<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (rev, content) in &self.inner.contents {
            out.set_item(rev, databag_to_py(py, content)?)?;
        }
        Ok(out)
    }
    /// Who owns the secret: ``"unit"`` (this unit), ``"app"`` (this application), or
    /// ``None`` when another application granted it to this one.
    #[getter]
    fn owner(&self) -> Option<&'static str> {
        self.inner.owner.map(|o| match o {
            SecretOwner::Unit => "unit",
            SecretOwner::App => "app",
        })
    }
    /// For a secret owned elsewhere, what it was granted to: ``"unit"`` (this unit),
    /// ``"app"`` (this application), or ``False`` (Scenario 5's field).
    #[getter]
    fn granted<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        match self.inner.granted {
            Some(SecretGrant::Unit) => PyString::new(py, "unit").into_any(),
            Some(SecretGrant::App) => PyString::new(py, "app").into_any(),
            None => PyBool::new(py, false).to_owned().into_any(),
        }
    }
    /// The revision this unit tracks, whose content ``get_content()`` gives (Scenario 5's
    /// field).
    #[getter]
    fn revision(&self) -> u32 {
        self.inner.revision
    }
    /// Relation id to the names of the remote units and applications the secret was
    /// granted to over that relation (a ``frozenset`` each).
    #[getter]
    fn remote_grants<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (rid, names) in &self.inner.remote_grants {
            out.set_item(rid, PyFrozenSet::new(py, names)?)?;
        }
        Ok(out)
    }
    /// The label the charm knows the secret by (``get_secret(label=...)``), or ``None``.
    #[getter]
    fn label(&self) -> Option<&str> {
        self.inner.label.as_deref()
    }
    /// The secret's description, as its owner set it, or ``None`` when it has none.
    #[getter]
    fn description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }
    /// When the secret expires (a ``datetime``), or ``None`` when it does not; the owner
    /// then gets ``secret-expired``.
    #[getter]
    fn expire<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .expire
            .as_deref()
            .map(|e| py.import("datetime")?.getattr("datetime")?.call_method1("fromisoformat", (e,)))
            .transpose()
    }
    /// How often the owner should rotate the secret, an ``ops.SecretRotate``
    /// (``daily``, ``monthly``, ...), or ``None``.
    #[getter]
    fn rotate<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .rotate
            .map(|r| ops_attr(py, &SECRET_ROTATE, "ops.model", "SecretRotate")?.call1((r.as_str(),)))
            .transpose()
    }

    /// ``secret-changed`` about this secret: its owner added a revision. Only an observer
    /// gets it, so the secret must have ``owner=None`` (Scenario 5's form of
    /// ``ctx.on.secret_changed(secret)``).
    #[getter]
    fn changed_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
        if slf.get().inner.owner.is_some() {
            return Err(PyValueError::new_err("secret-changed goes to observers, not to the owner: use a secret with owner=None"));
        }
        Ok(Self::event(slf, "secret_changed", None))
    }
    /// ``secret-rotate`` about this secret: it is due for rotation. Only its owner gets
    /// it, so ``owner`` must be set (Scenario 5's form of ``ctx.on.secret_rotate``).
    #[getter]
    fn rotate_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
        slf.get().owner_only("secret-rotate")?;
        Ok(Self::event(slf, "secret_rotate", None))
    }
    /// ``secret-expired`` about the secret's latest revision (call it with ``revision=``
    /// for another); only its owner gets it (Scenario 5's form of
    /// ``ctx.on.secret_expired``).
    #[getter]
    fn expired_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
        slf.get().owner_only("secret-expired")?;
        Ok(Self::event(slf, "secret_expired", Some(slf.get().latest_revision())))
    }
    /// ``secret-remove`` about the secret's latest revision (call it with ``revision=``
    /// for another): no observer tracks it any more. Only its owner gets it (Scenario 5's
    /// form of ``ctx.on.secret_remove``).
    #[getter]
    fn remove_event(slf: &Bound<'_, Self>) -> PyResult<PyEvent> {
        slf.get().owner_only("secret-remove")?;
        Ok(Self::event(slf, "secret_remove", Some(slf.get().latest_revision())))
    }
}

impl PySecret {
    fn owner_only(&self, event: &str) -> PyResult<()> {
        if self.inner.owner.is_none() {
            return Err(PyValueError::new_err(format!(
                "{event} is sent only to the secret's owner: set owner='unit' or 'app'"
            )));
        }
        Ok(())
    }
}
