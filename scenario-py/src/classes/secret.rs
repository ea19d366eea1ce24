//! `Secret`: a Juju secret this unit can see, and the secret events.

use std::sync::Arc;

use indexmap::IndexMap;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PySet, PyString};
use scenario_model::{self as model, SecretGrant, SecretOwner, SecretRotate};

use crate::classes::event::PyEvent;
use crate::convert::{databag_from_py, databag_to_py, ops_attr, type_name};
use crate::dataclass::{Field, factory, required, state_class, value};

const FIELDS: &[Field] = &[
    required("id"),
    required("contents"),
    value("owner", "None"),
    value("granted", "False"),
    value("revision", "0"),
    factory("remote_grants", "{}"),
    value("label", "None"),
    value("description", "None"),
    value("expire", "None"),
    value("rotate", "None"),
];

/// A secret, with the content of each revision.
#[pyclass(
    frozen,
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
    match obj.extract::<String>()?.as_str() {
        "unit" => Ok(Some(SecretOwner::Unit)),
        "app" | "application" => Ok(Some(SecretOwner::App)),
        other => Err(PyValueError::new_err(format!(
            "secret owner must be 'unit', 'app' or None, got {other:?}"
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
                "secret granted must be 'unit', 'app' or False",
            ));
        }
        return Ok(None);
    }
    match obj.extract::<String>()?.as_str() {
        "unit" => Ok(Some(SecretGrant::Unit)),
        "app" | "application" => Ok(Some(SecretGrant::App)),
        other => Err(PyValueError::new_err(format!(
            "secret granted must be 'unit', 'app' or False, got {other:?}"
        ))),
    }
}

fn rotate_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<SecretRotate>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let text: String = if let Ok(s) = obj.cast::<PyString>() {
        s.to_string()
    } else {
        obj.getattr("value")?.extract()?
    };
    SecretRotate::parse(&text).map(Some).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown secret rotation {text:?}: use ops.SecretRotate"
        ))
    })
}

fn expire_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(s.to_string()));
    }
    obj.call_method0("isoformat")
        .and_then(|s| s.extract())
        .map(Some)
        .map_err(|_| {
            PyTypeError::new_err(format!("expire must be a datetime, got {}", type_name(obj)))
        })
}

impl PySecret {
    fn event(&self, name: &str, revision: Option<u32>) -> PyEvent {
        let mut event = model::Event::new(name);
        event.secret = Some(Arc::clone(&self.inner));
        event.secret_revision = revision;
        PyEvent::from_model(event)
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

state_class! { PySecret, "Secret", FIELDS, inner;
    #[new]
    #[pyo3(signature = (id, contents, owner=None, granted=None, revision=0, remote_grants=None, label=None, description=None, expire=None, rotate=None))]
    fn new(
        id: String,
        contents: &Bound<'_, PyDict>,
        owner: Option<&Bound<'_, PyAny>>,
        granted: Option<&Bound<'_, PyAny>>,
        revision: u32,
        remote_grants: Option<&Bound<'_, PyDict>>,
        label: Option<String>,
        description: Option<String>,
        expire: Option<&Bound<'_, PyAny>>,
        rotate: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut revisions = IndexMap::new();
        for (rev, content) in contents.iter() {
            let rev: u32 = rev.extract().map_err(|_| PyTypeError::new_err("secret contents must be keyed by revision number (int)"))?;
            revisions.insert(rev, databag_from_py(&content, &format!("contents[{rev}]"))?);
        }
        let mut grants = IndexMap::new();
        for (rid, names) in remote_grants.into_iter().flat_map(pyo3::types::PyDictMethods::iter) {
            let rid: u32 = rid.extract()?;
            let names: Vec<String> = names.try_iter()?.map(|n| n?.extract()).collect::<PyResult<_>>()?;
            grants.insert(rid, names);
        }
        Ok(PySecret {
            inner: Arc::new(model::Secret {
                id,
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

    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    #[getter]
    fn contents<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (rev, content) in &self.inner.contents {
            out.set_item(rev, databag_to_py(py, content)?)?;
        }
        Ok(out)
    }
    #[getter]
    fn owner(&self) -> Option<&'static str> {
        self.inner.owner.map(|o| match o {
            SecretOwner::Unit => "unit",
            SecretOwner::App => "app",
        })
    }
    #[getter]
    fn granted<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        match self.inner.granted {
            Some(SecretGrant::Unit) => PyString::new(py, "unit").into_any(),
            Some(SecretGrant::App) => PyString::new(py, "app").into_any(),
            None => PyBool::new(py, false).to_owned().into_any(),
        }
    }
    #[getter]
    fn revision(&self) -> u32 {
        self.inner.revision
    }
    #[getter]
    fn remote_grants<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (rid, names) in &self.inner.remote_grants {
            out.set_item(rid, PySet::new(py, names)?)?;
        }
        Ok(out)
    }
    #[getter]
    fn label(&self) -> Option<&str> {
        self.inner.label.as_deref()
    }
    #[getter]
    fn description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }
    #[getter]
    fn expire<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .expire
            .as_deref()
            .map(|e| py.import("datetime")?.getattr("datetime")?.call_method1("fromisoformat", (e,)))
            .transpose()
    }
    #[getter]
    fn rotate<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .rotate
            .map(|r| ops_attr(py, &SECRET_ROTATE, "ops.model", "SecretRotate")?.call1((r.as_str(),)))
            .transpose()
    }

    /// `secret-changed`, seen by an observer of a secret owned elsewhere.
    #[getter]
    fn changed_event(&self) -> PyResult<PyEvent> {
        if self.inner.owner.is_some() {
            return Err(PyValueError::new_err("secret-changed goes to observers, not to the owner: use a secret with owner=None"));
        }
        Ok(self.event("secret_changed", None))
    }
    /// `secret-rotate`, sent to the owner.
    #[getter]
    fn rotate_event(&self) -> PyResult<PyEvent> {
        self.owner_only("secret-rotate")?;
        Ok(self.event("secret_rotate", None))
    }
    /// `secret-expired` for the latest revision (call it with `revision=` for another).
    #[getter]
    fn expired_event(&self) -> PyResult<PyEvent> {
        self.owner_only("secret-expired")?;
        Ok(self.event("secret_expired", Some(self.latest_revision())))
    }
    /// `secret-remove` for the latest revision (call it with `revision=` for another).
    #[getter]
    fn remove_event(&self) -> PyResult<PyEvent> {
        self.owner_only("secret-remove")?;
        Ok(self.event("secret_remove", Some(self.latest_revision())))
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
