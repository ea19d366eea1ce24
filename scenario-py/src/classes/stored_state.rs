//! `StoredState`: the content of one `StoredState` attribute between hooks.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use scenario_model as model;

use crate::convert::{field, str_value_map_from_py, str_value_map_to_py};
use crate::dataclass::{Field, Fields, factory, state_class, value};

const FIELDS: &[Field] = &[
    value("owner_path", "None"),
    value("name", "'_stored'"),
    factory("content", "{}"),
    value("data_type_name", "'StoredStateData'").legacy("_data_type_name"),
    value("_data_type_name", "'StoredStateData'").modern("data_type_name"),
];

/// What an ``ops.StoredState`` of the charm (or of one of its objects) holds between
/// events: ops saves it in the unit's state, and the next run restores it.
///
/// ops[testing] writes ``StoredState(name, owner_path=..., content=...)``; Scenario 5 wrote
/// ``StoredState(owner_path, name, content)``, which works too (a first argument that reads
/// as a handle path, such as ``"MyCharm"``, is the owner):
///
/// - ``name``: the attribute holding the ``ops.StoredState`` on its owner (default
///   ``"_stored"``).
/// - ``owner_path``: the handle path of the object that owns it: the charm's class name
///   (``"MyCharm"``), or ``"MyCharm/MyLib"`` for a charm library's object; ``None`` (the
///   default) for the framework's own.
/// - ``content``: the stored values, attribute name to value (default empty).
/// - ``data_type_name`` (Scenario 5), or ``_data_type_name`` (ops[testing]): ops's data
///   class name (default ``"StoredStateData"``).
///
/// For example: ``State(stored_states={StoredState(owner_path="MyCharm", content={"n": 1})})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "StoredState"
)]
#[derive(Debug)]
pub struct PyStoredState {
    pub inner: model::StoredState,
}

impl Fields for PyStoredState {}

/// Whether a lone positional argument names the owner (Scenario 5's first argument: a
/// handle path such as `MyCharm` or `MyCharm/lib[x]`) rather than the attribute
/// (ops[testing]'s first argument: `_stored`).
fn looks_like_owner_path(text: &str) -> bool {
    text.contains(['/', '[']) || text.starts_with(|c: char| c.is_ascii_uppercase())
}

fn text(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<String>> {
    field(obj, &format!("StoredState.{name}"))
}

state_class! { PyStoredState, "StoredState", FIELDS, inner;
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let kw = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            kwargs.map_or(Ok(None), |k| k.get_item(key))
        };
        if let Some(kwargs) = kwargs {
            for key in kwargs.keys() {
                let key: String = key.extract()?;
                if !["owner_path", "name", "content", "data_type_name", "_data_type_name"].contains(&key.as_str()) {
                    return Err(PyTypeError::new_err(format!("StoredState() got an unexpected keyword argument {key:?}")));
                }
            }
        }
        if args.len() > 4 {
            return Err(PyTypeError::new_err("StoredState() takes at most 4 positional arguments"));
        }
        let positional = |i: usize| args.get_item(i).ok();
        let (mut owner_path, mut name) = (None::<Option<String>>, None::<String>);
        let mut content = positional(2);
        let mut data_type_name = positional(3);
        if let Some(first) = positional(0) {
            let owner_given = kw("owner_path")?.is_some();
            let first_text = text(&first, "owner_path")?;
            // The first argument is the name (ops[testing]) unless it reads as a handle path
            // or the name comes by keyword (Scenario 5's `StoredState("MyCharm", name=...)`).
            // A second positional after a first that is no handle path is ops[testing]'s
            // form with an argument it takes by keyword only: refused below.
            let is_owner = !owner_given
                && (kw("name")?.is_some() || first_text.as_deref().is_none_or(looks_like_owner_path));
            if is_owner {
                owner_path = Some(first_text);
                name = positional(1).map(|n| text(&n, "name")).transpose()?.flatten();
            } else {
                name = first_text;
                if let Some(second) = positional(1) {
                    // ops[testing] takes nothing else positionally; Scenario 5's second is
                    // the name, which cannot follow a name.
                    return Err(PyTypeError::new_err(format!(
                        "StoredState() got a second positional argument {} after the name {}: pass owner_path= and content= by keyword (Scenario 5's StoredState(owner_path, name) starts with a handle path such as 'MyCharm')",
                        second.repr()?,
                        first.repr()?
                    )));
                }
            }
        }
        if let Some(o) = kw("owner_path")? {
            owner_path = Some(text(&o, "owner_path")?);
        }
        if let Some(n) = kw("name")? {
            name = text(&n, "name")?;
        }
        if let Some(c) = kw("content")? {
            content = Some(c);
        }
        for key in ["data_type_name", "_data_type_name"] {
            if let Some(d) = kw(key)? {
                data_type_name = Some(d);
            }
        }
        let content = content
            .filter(|c| !c.is_none())
            .map_or_else(|| Ok(indexmap::IndexMap::new()), |c| str_value_map_from_py(&c, "StoredState.content"))?;
        let data_type_name = data_type_name
            .map(|d| text(&d, "data_type_name"))
            .transpose()?
            .flatten()
            .unwrap_or_else(|| "StoredStateData".to_owned());
        Ok(PyStoredState {
            inner: model::StoredState {
                owner_path: owner_path.flatten(),
                name: name.unwrap_or_else(|| "_stored".to_owned()),
                content,
                data_type_name,
            },
        })
    }
    /// The handle path of the object owning the stored state (``"MyCharm"``,
    /// ``"MyCharm/MyLib"``), or ``None`` for the framework's own.
    #[getter]
    fn owner_path(&self) -> Option<&str> {
        self.inner.owner_path.as_deref()
    }
    /// The name of the attribute holding the ``ops.StoredState`` on its owner
    /// (``"_stored"``).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The stored values, attribute name to value; in a run's output, as the charm left
    /// them.
    #[getter]
    fn content<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        str_value_map_to_py(py, &self.inner.content)
    }
    /// The class name ops saves the stored data under (``"StoredStateData"``); part of
    /// the handle path.
    #[getter]
    fn data_type_name(&self) -> &str {
        &self.inner.data_type_name
    }
    /// ops[testing]'s name for `data_type_name`.
    #[getter]
    fn _data_type_name(&self) -> &str {
        &self.inner.data_type_name
    }
    /// The handle path ops saves the stored state under:
    /// ``<owner_path>/<data_type_name>[<name>]`` (``MyCharm/StoredStateData[_stored]``).
    #[getter]
    fn handle_path(&self) -> String {
        self.inner.handle_path()
    }
    /// Stored states hash by handle path (as in ops[testing]).
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner.handle_path())
    }
}
