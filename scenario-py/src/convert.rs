//! Conversions of relation databags from Python, with the validation errors Scenario
//! documents; the generic value conversions live in `scenario_runtime::convert`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scenario_model::{Databag, UnitDatabags};

pub use scenario_runtime::convert::*;

use crate::errors::StateValidationError;

/// A databag from a dict of str to str; anything else is a `StateValidationError` naming
/// the field, as Juju only stores strings.
pub fn databag_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Databag> {
    let dict = obj.cast::<PyDict>().map_err(|_| {
        StateValidationError::new_err(format!(
            "{field}: databags must be dicts of str to str, got {}",
            type_name(obj)
        ))
    })?;
    let mut bag = Databag::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        let (Ok(k), Ok(v)) = (k.cast::<PyString>(), v.cast::<PyString>()) else {
            return Err(StateValidationError::new_err(format!(
                "{field}: databag keys and values must be str, got {}: {} (Juju stores only strings; use json.dumps for structured data)",
                k.repr()?,
                v.repr()?
            )));
        };
        bag.insert(k.to_string(), v.to_string());
    }
    Ok(bag)
}

/// Databags by unit id, from a dict of int to databag.
pub fn unit_databags_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<UnitDatabags> {
    let dict = obj.cast::<PyDict>().map_err(|_| {
        StateValidationError::new_err(format!(
            "{field} must be a dict of unit id to databag, got {}",
            type_name(obj)
        ))
    })?;
    let mut out = UnitDatabags::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        let id: u32 = k.extract().map_err(|_| {
            StateValidationError::new_err(format!(
                "{field}: unit ids must be non-negative ints, got {}",
                k.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        })?;
        out.insert(id, databag_from_py(&v, &format!("{field}[{id}]"))?);
    }
    Ok(out)
}

pub fn unit_databags_to_py<'py>(
    py: Python<'py>,
    bags: &UnitDatabags,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (id, bag) in bags {
        dict.set_item(id, databag_to_py(py, bag)?)?;
    }
    Ok(dict)
}

static STATE_COLLECTION: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

/// A State's collection as Python sees it: a `StateCollection`, which reads as Scenario
/// 5's list and as ops[testing]'s frozenset.
pub fn state_collection<'py, T>(
    py: Python<'py>,
    items: impl IntoIterator<Item = T>,
) -> PyResult<Bound<'py, PyAny>>
where
    T: IntoPyObject<'py>,
{
    let cls = STATE_COLLECTION
        .get_or_try_init(py, || {
            py.import("scenario._collections")?
                .getattr("StateCollection")
                .map(Bound::unbind)
        })?
        .bind(py);
    let items: Vec<T> = items.into_iter().collect();
    cls.call1((pyo3::types::PyTuple::new(py, items)?,))
}

/// A list of strings, refusing a bare string (whose letters would each become an item);
/// `None` when not given.
pub fn string_list(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Option<Vec<String>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = obj.cast::<PyString>() {
        return Err(StateValidationError::new_err(format!(
            "{field} must be an iterable of strings, not a single string: did you mean [{:?}]?",
            s.to_string()
        )));
    }
    items(obj, field)?
        .iter()
        .map(|i| {
            i.extract::<String>().map_err(|_| {
                StateValidationError::new_err(format!(
                    "{field} must hold strings, got {}",
                    type_name(i)
                ))
            })
        })
        .collect::<PyResult<Vec<_>>>()
        .map(Some)
}

static STATUS_FROM_NAME: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

/// The model's status as the `scenario` status class of that name: a subclass of the ops
/// status class, so `isinstance` and `==` against ops statuses work both ways.
pub fn status_to_py<'py>(
    py: Python<'py>,
    status: &scenario_model::EntityStatus,
) -> PyResult<Bound<'py, PyAny>> {
    let from_name = STATUS_FROM_NAME
        .get_or_try_init(py, || {
            py.import("scenario._status")?
                .getattr("_from_name")
                .map(Bound::unbind)
        })?
        .bind(py);
    from_name.call1((status.name.as_str(), status.message.as_str()))
}
