//! `_CharmSpec`: the charm class with its metadata, config and actions.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use scenario_model::{CharmSpec, ExtensionWarning, LoadedSpec, ModelError};

use crate::classes::state::error_chain;
use crate::errors::MetadataNotFoundError;

type Json = serde_json::Map<String, serde_json::Value>;

fn map_from_py(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<Json>> {
    obj.filter(|o| !o.is_none())
        .map(|o| {
            crate::convert::check_depth(o, crate::convert::MAX_DEPTH)?;
            pythonize::depythonize::<Json>(o)
                .map_err(|e| PyTypeError::new_err(format!("{what} must be a mapping: {e}")))
        })
        .transpose()
}

/// An exception class that `scenario.errors` declares (as a subclass of a Python one),
/// made with `message`.
fn python_error(py: Python<'_>, class: &str, message: String) -> PyErr {
    let made = py
        .import("scenario.errors")
        .and_then(|m| m.getattr(class))
        .and_then(|c| c.call1((message,)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

static WARN: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();

/// Show what the loading passed over, at the test's line.
fn warn(py: Python<'_>, warnings: &[ExtensionWarning]) -> PyResult<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let (warn, category) = WARN.get_or_try_init(py, || -> PyResult<_> {
        let warn = py.import("scenario._warnings")?.getattr("warn")?.unbind();
        let category = py
            .import("scenario.errors")?
            .getattr("UnknownCharmcraftExtensionWarning")?
            .unbind();
        Ok((warn, category))
    })?;
    for warning in warnings {
        let category = match warning {
            ExtensionWarning::Unknown { .. } => category,
        };
        warn.call1(py, (warning.to_string(), category.clone_ref(py)))?;
    }
    Ok(())
}

/// A charm type and its spec (metadata, actions, config).
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "_CharmSpec"
)]
#[derive(Debug)]
pub struct PyCharmSpec {
    pub charm_type: Py<PyAny>,
    pub inner: Arc<CharmSpec>,
    /// The charm directory's files for the spec, and a key for their content, made on
    /// first use (`_spec_files`).
    files: std::sync::OnceLock<(u64, Vec<(&'static str, String)>)>,
    key: std::sync::OnceLock<u64>,
}

impl PyCharmSpec {
    /// The key of the spec's content: equal for equal specs (metadata, actions, config),
    /// made once.
    fn key(&self) -> u64 {
        *self.key.get_or_init(|| {
            let spec = &self.inner;
            let text = serde_json::to_string(&(&spec.meta, &spec.actions, &spec.config))
                .unwrap_or_default();
            let mut hasher = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(&text, &mut hasher);
            std::hash::Hasher::finish(&hasher)
        })
    }

    /// The spec's files and their key, made once.
    fn files(&self) -> PyResult<&(u64, Vec<(&'static str, String)>)> {
        if let Some(found) = self.files.get() {
            return Ok(found);
        }
        let files = self.inner.files().map_err(|e| {
            PyTypeError::new_err(format!("the charm's spec cannot be written as YAML: {e}"))
        })?;
        let made = (self.key(), files.to_vec());
        Ok(self.files.get_or_init(|| made))
    }
}

#[pymethods]
impl PyCharmSpec {
    /// `_CharmSpec[MyCharm]`, as ops[testing]'s generic class reads in annotations.
    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, pyo3::types::PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        cls.py()
            .import("types")?
            .getattr("GenericAlias")?
            .call1((cls, item))
    }

    #[new]
    #[pyo3(signature = (charm_type, meta, actions=None, config=None, is_autoloaded=false))]
    fn new(
        charm_type: Py<PyAny>,
        meta: &Bound<'_, PyAny>,
        actions: Option<&Bound<'_, PyAny>>,
        config: Option<&Bound<'_, PyAny>>,
        is_autoloaded: bool,
    ) -> PyResult<Self> {
        let mut spec = CharmSpec::new(
            map_from_py(Some(meta), "meta")?.unwrap_or_default(),
            map_from_py(actions, "actions")?,
            map_from_py(config, "config")?,
        );
        spec.is_autoloaded = is_autoloaded;
        Ok(PyCharmSpec {
            charm_type,
            inner: Arc::new(spec),
            files: std::sync::OnceLock::new(),
            key: std::sync::OnceLock::new(),
        })
    }

    /// Read the spec from the charm directory of the file defining `charm_type` (its
    /// grandparent: `<root>/src/charm.py`), with a charmcraft.yaml's extensions merged in:
    /// an unknown one is warned of, one that overlaps the charm's own declarations raises
    /// `CharmcraftExtensionError`.
    #[staticmethod]
    fn autoload(py: Python<'_>, charm_type: Py<PyAny>) -> PyResult<Self> {
        let file: String = py
            .import("inspect")?
            .call_method1("getfile", (charm_type.bind(py),))?
            .extract()?;
        let file = PathBuf::from(file);
        let root = file
            .parent()
            .and_then(|p| p.parent())
            .map(PathBuf::from)
            .unwrap_or_default();
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let LoadedSpec { spec, warnings } = CharmSpec::load(&root).map_err(|e| match e {
            ModelError::MetadataNotFound { .. } => MetadataNotFoundError::new_err(e.to_string()),
            ModelError::Extension(e) => python_error(py, "CharmcraftExtensionError", e.to_string()),
            other => PyTypeError::new_err(error_chain(&other)),
        })?;
        warn(py, &warnings)?;
        Ok(PyCharmSpec {
            charm_type,
            inner: Arc::new(spec),
            files: std::sync::OnceLock::new(),
            key: std::sync::OnceLock::new(),
        })
    }

    #[getter]
    fn charm_type(&self, py: Python<'_>) -> Py<PyAny> {
        self.charm_type.clone_ref(py)
    }

    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonize::pythonize(py, &self.inner.meta).map_err(|e| PyTypeError::new_err(e.to_string()))
    }

    #[getter]
    fn actions<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .actions
            .as_ref()
            .map(|a| pythonize::pythonize(py, a).map_err(|e| PyTypeError::new_err(e.to_string())))
            .transpose()
    }

    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .config
            .as_ref()
            .map(|a| pythonize::pythonize(py, a).map_err(|e| PyTypeError::new_err(e.to_string())))
            .transpose()
    }

    /// The files of a charm directory for this spec (``metadata.yaml``, ``config.yaml``,
    /// ``actions.yaml``) as ``(name, YAML text)``, and a key for their content, equal for
    /// equal specs: Contexts of the same spec share one directory of them.
    fn _spec_files(&self) -> PyResult<(u64, Vec<(&'static str, String)>)> {
        Ok(self.files()?.clone())
    }

    /// The key of ``_spec_files``'s content alone.
    fn _spec_key(&self) -> u64 {
        self.key()
    }

    #[getter]
    fn is_autoloaded(&self) -> bool {
        self.inner.is_autoloaded
    }

    /// The metadata ops is to parse, where it differs from `meta` (a storage's default
    /// type filled in); `None` otherwise.
    fn _meta_for_ops<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .meta_for_ops()
            .map(|m| {
                pythonize::pythonize(py, &m)
                    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
            })
            .transpose()
    }

    /// Where the spec's shape is not one charmcraft accepts, as `(path, problem, stricter)`.
    fn _shape_problems(&self) -> Vec<(String, String, bool)> {
        self.inner
            .shape_problems()
            .into_iter()
            .map(|p| (p.path, p.message, p.stricter))
            .collect()
    }

    /// The application name from metadata, or `None`.
    #[getter]
    fn app_name(&self) -> Option<&str> {
        self.inner.name()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "_CharmSpec(charm_type={}, app={:?}, is_autoloaded={})",
            self.charm_type.bind(py).repr()?,
            self.inner.name().unwrap_or_default(),
            self.inner.is_autoloaded
        ))
    }
}
