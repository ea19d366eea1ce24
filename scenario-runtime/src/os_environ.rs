//! The run's `JUJU_*` variables in the process's `os.environ`: set when the run starts, put
//! back exactly as they were when it ends. This is the one process-wide effect a run must
//! have, since charms (and ops 2) read their environment from `os.environ`.
//!
//! `os.environ[k] = v` runs Python code per variable (key and value encoded, `putenv`,
//! the store updated) and a run sets and restores a dozen. Where the process has the
//! standard `os.environ` (posix, UTF-8 file names) the same two effects are made directly:
//! the C `putenv`/`unsetenv` and the mapping's own `_data` store of encoded bytes, a
//! quarter of the cost. Anything else (a replaced `os.environ`, another file-name
//! encoding) goes through the mapping.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString};

/// What `enter` replaced, for `exit` to put back.
#[derive(Debug, Default)]
pub(crate) struct SavedEnviron {
    batches: Vec<Batch>,
}

/// The variables one `enter` set, each with the value it replaced (`None`: unset).
#[derive(Debug)]
struct Batch {
    via: Via,
    saved: Vec<(Py<PyAny>, Option<Py<PyAny>>)>,
}

/// What a batch was set through, and is put back through: the object the run changed,
/// whatever `os.environ` names by the time the run ends.
#[derive(Debug)]
enum Via {
    /// The standard `os.environ`'s store (encoded bytes) and the C environment.
    Store {
        data: Py<PyDict>,
        putenv: Py<PyAny>,
        unsetenv: Py<PyAny>,
    },
    /// Any other `os.environ`, through its own mapping methods.
    Mapping(Py<PyAny>),
}

static FILE_NAMES_UTF8: PyOnceLock<bool> = PyOnceLock::new();

impl Via {
    /// The process's `os.environ`: its store when it is the standard one whose keys and
    /// values are the UTF-8 bytes of the strings (so encoding them here matches what it
    /// would do), the mapping otherwise.
    fn current(py: Python<'_>) -> PyResult<Via> {
        let os = py.import("os")?;
        let environ = os.getattr("environ")?;
        let utf8 = *FILE_NAMES_UTF8.get_or_try_init(py, || -> PyResult<bool> {
            let sys = py.import("sys")?;
            let encoding: String = sys.call_method0("getfilesystemencoding")?.extract()?;
            let name: String = os.getattr("name")?.extract()?;
            Ok(name == "posix" && encoding.eq_ignore_ascii_case("utf-8"))
        })?;
        let kind = environ.get_type();
        if utf8 && kind.name()? == "_Environ" && kind.module()? == "os" {
            if let Ok(data) = environ.getattr("_data")?.cast_into::<PyDict>() {
                return Ok(Via::Store {
                    data: data.unbind(),
                    putenv: os.getattr("putenv")?.unbind(),
                    unsetenv: os.getattr("unsetenv")?.unbind(),
                });
            }
        }
        Ok(Via::Mapping(environ.unbind()))
    }

    /// A name or a value as this target keeps it.
    fn encode<'py>(&self, py: Python<'py>, text: &str) -> Bound<'py, PyAny> {
        match self {
            Via::Store { .. } => PyBytes::new(py, text.as_bytes()).into_any(),
            Via::Mapping(_) => PyString::new(py, text).into_any(),
        }
    }

    fn get(&self, key: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
        let py = key.py();
        let found = match self {
            Via::Store { data, .. } => data.bind(py).get_item(key)?,
            Via::Mapping(environ) => {
                Some(environ.bind(py).call_method1("get", (key,))?).filter(|v| !v.is_none())
            }
        };
        Ok(found.map(Bound::unbind))
    }

    fn set(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = key.py();
        match self {
            Via::Store { data, putenv, .. } => {
                putenv.bind(py).call1((key, value))?;
                data.bind(py).set_item(key, value)
            }
            Via::Mapping(environ) => environ.bind(py).set_item(key, value),
        }
    }

    fn unset(&self, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = key.py();
        let mapping = match self {
            Via::Store { data, unsetenv, .. } => {
                unsetenv.bind(py).call1((key,))?;
                data.bind(py).as_any().clone()
            }
            Via::Mapping(environ) => environ.bind(py).clone(),
        };
        if mapping.contains(key)? {
            mapping.del_item(key)?;
        }
        Ok(())
    }
}

impl SavedEnviron {
    /// Set each variable, remembering what it replaces (on top of what was saved before).
    pub(crate) fn enter(&mut self, py: Python<'_>, env: &[(String, String)]) -> PyResult<()> {
        let via = Via::current(py)?;
        let mut saved = Vec::with_capacity(env.len());
        for (name, value) in env {
            let key = via.encode(py, name);
            let old = via.get(&key)?;
            via.set(&key, &via.encode(py, value))?;
            saved.push((key.unbind(), old));
        }
        self.batches.push(Batch { via, saved });
        Ok(())
    }

    /// Put every variable back as `enter` found it, the last set first, through what it
    /// was set through.
    pub(crate) fn exit(&mut self, py: Python<'_>) -> PyResult<()> {
        for Batch { via, saved } in self.batches.drain(..).rev() {
            for (key, old) in saved.into_iter().rev() {
                let key = key.into_bound(py);
                match old {
                    Some(value) => via.set(&key, value.bind(py))?,
                    None => via.unset(&key)?,
                }
            }
        }
        Ok(())
    }
}
