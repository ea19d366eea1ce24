//! The run's `JUJU_*` variables in the process's `os.environ`: set when the run starts; and
//! the whole environment put back exactly as it was when the run ends, whatever the charm
//! set, changed or removed meanwhile (as ops[testing] does). This is the one process-wide
//! effect a run must have, since charms (and ops 2) read their environment from
//! `os.environ`.
//!
//! `os.environ[k] = v` runs Python code per variable (key and value encoded, `putenv`,
//! the store updated) and a run sets and restores a dozen. Where the process has the
//! standard `os.environ` (posix, UTF-8 file names) the same two effects are made directly:
//! the C `putenv`/`unsetenv` and the mapping's own `_data` store of encoded bytes, a
//! quarter of the cost. Anything else (a replaced `os.environ`, another file-name
//! encoding) goes through the mapping.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyModule, PyString, PyType};

/// What `enter` replaced, for `exit` to put back.
#[derive(Debug, Default)]
pub(crate) struct SavedEnviron {
    batches: Vec<Batch>,
}

/// What one `enter` found: the environment as it was, to be put back.
#[derive(Debug)]
struct Batch {
    via: Via,
    /// A copy of the environment before the run set anything (in the form `via` keeps it).
    before: Py<PyDict>,
    /// The names the run set (in the form `via` keeps them).
    names: Vec<Py<PyAny>>,
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

/// The `os` module, and the class of its standard `os.environ` when that keeps the UTF-8
/// bytes of the strings (posix, UTF-8 file names: so encoding them here matches what it
/// would do), else `None`. Looked up once: a run reads variables several times.
static STANDARD: PyOnceLock<(Py<PyModule>, Option<Py<PyType>>)> = PyOnceLock::new();

/// Where `os.environ` keeps its variables, as found now.
enum Located<'py> {
    /// The standard mapping's store of encoded bytes, with the `os` module.
    Store(Bound<'py, PyModule>, Bound<'py, PyDict>),
    /// Any other mapping (one a test or a charm put in its place).
    Mapping(Bound<'py, PyAny>),
}

fn locate(py: Python<'_>) -> PyResult<Located<'_>> {
    let (os, standard) = STANDARD.get_or_try_init(py, || -> PyResult<_> {
        let os = py.import("os")?;
        let sys = py.import("sys")?;
        let encoding: String = sys.call_method0("getfilesystemencoding")?.extract()?;
        let name: String = os.getattr("name")?.extract()?;
        let utf8 = name == "posix" && encoding.eq_ignore_ascii_case("utf-8");
        let standard = match os.getattr("_Environ") {
            Ok(kind) if utf8 => Some(kind.cast_into::<PyType>()?.unbind()),
            _ => None,
        };
        Ok((os.unbind(), standard))
    })?;
    let os = os.bind(py).clone();
    let environ = os.getattr("environ")?;
    if let Some(kind) = standard {
        if environ.get_type().is(kind.bind(py)) {
            if let Ok(data) = environ.getattr("_data")?.cast_into::<PyDict>() {
                return Ok(Located::Store(os, data));
            }
        }
    }
    Ok(Located::Mapping(environ))
}

impl Via {
    /// The process's `os.environ`: its store when it is the standard one, the mapping
    /// otherwise.
    fn current(py: Python<'_>) -> PyResult<Via> {
        Ok(match locate(py)? {
            Located::Store(os, data) => Via::Store {
                data: data.unbind(),
                putenv: os.getattr("putenv")?.unbind(),
                unsetenv: os.getattr("unsetenv")?.unbind(),
            },
            Located::Mapping(environ) => Via::Mapping(environ.unbind()),
        })
    }

    /// A name or a value as this target keeps it.
    fn encode<'py>(&self, py: Python<'py>, text: &str) -> Bound<'py, PyAny> {
        match self {
            Via::Store { .. } => PyBytes::new(py, text.as_bytes()).into_any(),
            Via::Mapping(_) => PyString::new(py, text).into_any(),
        }
    }

    /// A copy of the whole environment, as this target keeps it (a few dozen entries: a
    /// C-level dict copy for the store).
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        match self {
            Via::Store { data, .. } => data.bind(py).copy(),
            Via::Mapping(environ) => {
                let copy = PyDict::new(py);
                copy.call_method1("update", (environ.bind(py),))?;
                Ok(copy)
            }
        }
    }

    /// Whether the environment is now as `before` says: one comparison of two dicts (in
    /// C) for the store.
    fn matches(&self, py: Python<'_>, before: &Bound<'_, PyDict>) -> PyResult<bool> {
        match self {
            Via::Store { data, .. } => data.bind(py).eq(before),
            Via::Mapping(_) => self.snapshot(py)?.eq(before),
        }
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

/// A variable of `os.environ`, as `os.environ.get(name)` reads it: from the standard
/// mapping's store where the process has it, without the `KeyError` the mapping's own
/// `get` raises and catches for a variable that is not set (as the ones read at every
/// run, `SCENARIO_STRICT` and the like, nearly never are).
pub fn environ_get<'py>(py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    match locate(py)? {
        Located::Store(_, data) => match data.get_item(PyBytes::new(py, name.as_bytes()))? {
            // Decoded as the mapping decodes it.
            Some(raw) => Ok(Some(
                raw.call_method1("decode", ("utf-8", "surrogateescape"))?,
            )),
            None => Ok(None),
        },
        Located::Mapping(environ) => {
            let found = environ.call_method1("get", (name,))?;
            Ok((!found.is_none()).then_some(found))
        }
    }
}

impl SavedEnviron {
    /// Remember the whole environment, then set each variable.
    pub(crate) fn enter(&mut self, py: Python<'_>, env: &[(String, String)]) -> PyResult<()> {
        let via = Via::current(py)?;
        let before = via.snapshot(py)?.unbind();
        let mut names = Vec::with_capacity(env.len());
        for (name, value) in env {
            let name = via.encode(py, name);
            via.set(&name, &via.encode(py, value))?;
            names.push(name.unbind());
        }
        self.batches.push(Batch { via, before, names });
        Ok(())
    }

    /// Put the environment back as `enter` found it, through what it was set through:
    /// every variable added since is removed, every one changed or removed is set again.
    pub(crate) fn exit(&mut self, py: Python<'_>) -> PyResult<()> {
        for Batch { via, before, names } in self.batches.drain(..).rev() {
            let before = before.into_bound(py);
            // The run's own variables first, each put back or removed: usually nothing
            // else changed, and one comparison of the whole then tells so.
            for name in &names {
                let name = name.bind(py);
                match before.get_item(name)? {
                    Some(value) => via.set(name, &value)?,
                    None => via.unset(name)?,
                }
            }
            if via.matches(py, &before)? {
                continue;
            }
            let now = via.snapshot(py)?;
            for (key, _) in now.iter() {
                if !before.contains(&key)? {
                    via.unset(&key)?;
                }
            }
            for (key, value) in before.iter() {
                let unchanged = match now.get_item(&key)? {
                    Some(current) => current.is(&value) || current.eq(&value)?,
                    None => false,
                };
                if !unchanged {
                    via.set(&key, &value)?;
                }
            }
        }
        Ok(())
    }
}
