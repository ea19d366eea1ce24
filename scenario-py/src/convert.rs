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
