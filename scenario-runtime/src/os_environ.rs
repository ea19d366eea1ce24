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
use pyo3::types::{PyBytes, PyDict};

/// What `enter` replaced, for `exit` to put back.
#[derive(Debug, Default)]
pub(crate) struct SavedEnviron {
    saved: Vec<Saved>,
}

#[derive(Debug)]
enum Saved {
    /// Through `os.environ`'s store: the encoded key and the bytes it held.
    Raw(Py<PyBytes>, Option<Py<PyAny>>),
    /// Through the mapping: the name and the string it held.
    Mapping(String, Option<Py<PyAny>>),
}

/// `os.environ`'s store and the calls that change the process's environment.
struct Store<'py> {
    data: Bound<'py, PyDict>,
    putenv: Bound<'py, PyAny>,
    unsetenv: Bound<'py, PyAny>,
}

static FILE_NAMES_UTF8: PyOnceLock<bool> = PyOnceLock::new();

impl<'py> Store<'py> {
    /// The store behind `environ`, when it is the standard one whose keys and values are
    /// the UTF-8 bytes of the strings (so encoding them here matches what it would do).
    fn of(os: &Bound<'py, PyModule>, environ: &Bound<'py, PyAny>) -> PyResult<Option<Self>> {
        let py = os.py();
        let utf8 = *FILE_NAMES_UTF8.get_or_try_init(py, || -> PyResult<bool> {
            let sys = py.import("sys")?;
            let encoding: String = sys.call_method0("getfilesystemencoding")?.extract()?;
            let name: String = os.getattr("name")?.extract()?;
            Ok(name == "posix" && encoding.eq_ignore_ascii_case("utf-8"))
        })?;
        let kind = environ.get_type();
        if !utf8 || kind.name()? != "_Environ" || kind.module()? != "os" {
            return Ok(None);
        }
        let Ok(data) = environ.getattr("_data")?.cast_into::<PyDict>() else {
            return Ok(None);
        };
        Ok(Some(Store {
            data,
            putenv: os.getattr("putenv")?,
            unsetenv: os.getattr("unsetenv")?,
        }))
    }

    fn set(&self, key: &Bound<'py, PyBytes>, value: &Bound<'py, PyAny>) -> PyResult<()> {
        self.putenv.call1((key, value))?;
        self.data.set_item(key, value)
    }

    fn unset(&self, key: &Bound<'py, PyBytes>) -> PyResult<()> {
        self.unsetenv.call1((key,))?;
        if self.data.contains(key)? {
            self.data.del_item(key)?;
        }
        Ok(())
    }
}

impl SavedEnviron {
    /// Set each variable, remembering what it replaces (on top of what was saved before).
    pub(crate) fn enter(&mut self, py: Python<'_>, env: &[(String, String)]) -> PyResult<()> {
        let os = py.import("os")?;
        let environ = os.getattr("environ")?;
        if let Some(store) = Store::of(&os, &environ)? {
            for (k, v) in env {
                let key = PyBytes::new(py, k.as_bytes());
                let old = store.data.get_item(&key)?.map(Bound::unbind);
                store.set(&key, PyBytes::new(py, v.as_bytes()).as_any())?;
                self.saved.push(Saved::Raw(key.unbind(), old));
            }
            return Ok(());
        }
        for (k, v) in env {
            let old = environ.call_method1("get", (k.as_str(),))?;
            let old = (!old.is_none()).then(|| old.unbind());
            environ.set_item(k.as_str(), v.as_str())?;
            self.saved.push(Saved::Mapping(k.clone(), old));
        }
        Ok(())
    }

    /// Put every variable back as `enter` found it, the last set first.
    pub(crate) fn exit(&mut self, py: Python<'_>) -> PyResult<()> {
        if self.saved.is_empty() {
            return Ok(());
        }
        let os = py.import("os")?;
        let environ = os.getattr("environ")?;
        let store = Store::of(&os, &environ)?;
        for saved in self.saved.drain(..).rev() {
            match (saved, &store) {
                (Saved::Raw(key, old), Some(store)) => {
                    let key = key.into_bound(py);
                    match old {
                        Some(value) => store.set(&key, value.bind(py))?,
                        None => store.unset(&key)?,
                    }
                }
                (Saved::Raw(key, old), None) => {
                    // os.environ was replaced during the run: put the variable back through it.
                    let name = String::from_utf8_lossy(key.as_bytes(py)).into_owned();
                    let old = match old {
                        Some(value) => {
                            let bytes: Vec<u8> = value.bind(py).extract()?;
                            let text = String::from_utf8_lossy(&bytes).into_owned();
                            Some(text.into_pyobject(py)?.into_any().unbind())
                        }
                        None => None,
                    };
                    restore_mapping(&environ, &name, old)?;
                }
                (Saved::Mapping(name, old), _) => restore_mapping(&environ, &name, old)?,
            }
        }
        Ok(())
    }
}

fn restore_mapping(environ: &Bound<'_, PyAny>, name: &str, old: Option<Py<PyAny>>) -> PyResult<()> {
    match old {
        Some(value) => environ.set_item(name, value),
        None if environ.contains(name)? => environ.del_item(name),
        None => Ok(()),
    }
}
