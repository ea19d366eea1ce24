//! Conversions between Python objects and the Rust model's plain parts: simple values,
//! databags and statuses (as the ops status classes).

use indexmap::IndexMap;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple,
};
use scenario_model::{Databag, DictKey, EntityStatus, StatusName, Value};

pub fn databag_to_py<'py>(py: Python<'py>, bag: &Databag) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in bag {
        dict.set_item(k, v)?;
    }
    Ok(dict)
}

/// A dict of str to str as a databag (what Juju stores: strings only). `Err` carries the
/// reprs of the first key and value that are not both `str`, for the caller's message.
pub fn databag_from_dict(dict: &Bound<'_, PyDict>) -> PyResult<Result<Databag, (String, String)>> {
    let mut bag = Databag::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        let (Ok(key), Ok(value)) = (k.cast::<PyString>(), v.cast::<PyString>()) else {
            return Ok(Err((k.repr()?.to_string(), v.repr()?.to_string())));
        };
        bag.insert(key.to_string(), value.to_string());
    }
    Ok(Ok(bag))
}

/// The Python type name of an object, for messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// How deep a value may nest: as deep as a State's JSON may (serde_json's limit), and far
/// below where a recursive conversion would run out of stack.
pub const MAX_DEPTH: usize = 128;

/// A simple Python value (what ops can marshal) into the model's [`Value`].
pub fn value_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    value_at(obj, 0)
}

fn too_deep() -> PyErr {
    PyValueError::new_err(format!(
        "the value nests deeper than {MAX_DEPTH} levels, more than a State holds: flatten it"
    ))
}

/// Refuse a Python structure (lists, tuples, sets, dicts) nesting deeper than `limit`,
/// walking it without recursion, so the check itself cannot run out of stack.
pub fn check_depth(obj: &Bound<'_, PyAny>, limit: usize) -> PyResult<()> {
    let mut pending: Vec<(Bound<'_, PyAny>, usize)> = vec![(obj.clone(), 0)];
    while let Some((item, depth)) = pending.pop() {
        if depth > limit {
            return Err(too_deep());
        }
        if let Ok(d) = item.cast::<PyDict>() {
            pending.extend(d.values().iter().map(|v| (v, depth + 1)));
        } else if item.is_instance_of::<PyList>()
            || item.is_instance_of::<PyTuple>()
            || item.is_instance_of::<PySet>()
            || item.is_instance_of::<PyFrozenSet>()
        {
            for v in item.try_iter()? {
                pending.push((v?, depth + 1));
            }
        }
    }
    Ok(())
}

fn items_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Vec<Value>> {
    obj.try_iter()?.map(|v| value_at(&v?, depth + 1)).collect()
}

fn value_at(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    if obj.is_none() {
        return Ok(Value::None);
    }
    // bool before int: a Python bool is an int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return obj.extract::<i64>().map(Value::Int).map_err(|_| {
            PyValueError::new_err(format!(
                "int {} does not fit in 64 bits",
                obj.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        });
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Value::Float(f.value()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::Str(s.to_string()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Value::Bytes(b.as_bytes().to_vec()));
    }
    if obj.is_instance_of::<PyList>() {
        return items_at(obj, depth).map(Value::List);
    }
    if obj.is_instance_of::<PyTuple>() {
        return items_at(obj, depth).map(Value::Tuple);
    }
    if obj.is_instance_of::<PySet>() || obj.is_instance_of::<PyFrozenSet>() {
        return items_at(obj, depth).map(Value::Set);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = IndexMap::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = if let Ok(s) = k.cast::<PyString>() {
                DictKey::Str(s.to_string())
            } else if k.is_instance_of::<PyInt>() && !k.is_instance_of::<PyBool>() {
                DictKey::Int(k.extract()?)
            } else {
                return Err(PyTypeError::new_err(format!(
                    "dict keys must be str or int to be stored by ops, got {}",
                    type_name(&k)
                )));
            };
            map.insert(key, value_at(&v, depth + 1)?);
        }
        return Ok(Value::Dict(map));
    }
    Err(PyTypeError::new_err(format!(
        "{} is not a value ops can store: use None, bool, int, float, str, bytes, list, tuple, set or dict",
        type_name(obj)
    )))
}

pub fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::None => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => f.into_pyobject(py)?.into_any(),
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Bytes(b) => PyBytes::new(py, b).into_any(),
        Value::List(items) => {
            let list = PyList::empty(py);
            for v in items {
                list.append(value_to_py(py, v)?)?;
            }
            list.into_any()
        }
        Value::Tuple(items) => PyTuple::new(
            py,
            items
                .iter()
                .map(|v| value_to_py(py, v))
                .collect::<PyResult<Vec<_>>>()?,
        )?
        .into_any(),
        Value::Set(items) => {
            let set = PySet::empty(py)?;
            for v in items {
                set.add(value_to_py(py, v)?)?;
            }
            set.into_any()
        }
        Value::Dict(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                match k {
                    DictKey::Str(s) => dict.set_item(s, value_to_py(py, v)?)?,
                    DictKey::Int(i) => dict.set_item(i, value_to_py(py, v)?)?,
                }
            }
            dict.into_any()
        }
    })
}

/// A dict of str to simple values (config, params, stored-state content).
pub fn str_value_map_from_py(
    obj: &Bound<'_, PyAny>,
    field: &str,
) -> PyResult<IndexMap<String, Value>> {
    let dict = obj.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!("{field} must be a dict, got {}", type_name(obj)))
    })?;
    let mut out = IndexMap::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        let key = k.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!("{field} keys must be str, got {}", type_name(&k)))
        })?;
        out.insert(
            key.to_string(),
            value_from_py(&v).map_err(|e| {
                PyTypeError::new_err(format!(
                    "{field}[{:?}]: {}",
                    key.to_string(),
                    e.value(obj.py())
                ))
            })?,
        );
    }
    Ok(out)
}

pub fn str_value_map_to_py<'py>(
    py: Python<'py>,
    map: &IndexMap<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, value_to_py(py, v)?)?;
    }
    Ok(dict)
}

/// A list from any iterable that is not a str (lists, tuples, sets, generators).
pub fn items<'py>(obj: &Bound<'py, PyAny>, field: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    // A str iterates as its letters: never what a test means. A dict iterates as its keys,
    // as a frozenset takes it (ops[testing] accepts `relations={}`).
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{field} must be a list, got {}",
            type_name(obj)
        )));
    }
    obj.try_iter()
        .map_err(|_| {
            PyTypeError::new_err(format!("{field} must be a list, got {}", type_name(obj)))
        })?
        .collect()
}

/// Cached attributes of ops modules, imported on first use.
pub fn ops_attr<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import(module)?.getattr(name)?.unbind())
    })
    .map(|v| v.bind(py).clone())
}

/// An ops status (`ActiveStatus('x')`), or anything with `name` and `message`, as the model's
/// status.
pub fn status_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<EntityStatus> {
    let err = || {
        PyTypeError::new_err(format!(
            "{field} must be an ops status such as ActiveStatus('...'), got {}",
            type_name(obj)
        ))
    };
    let name: String = obj
        .getattr("name")
        .and_then(|n| n.extract())
        .map_err(|_| err())?;
    let message: String = obj
        .getattr("message")
        .and_then(|n| n.extract())
        .map_err(|_| err())?;
    let name = StatusName::parse(&name).ok_or_else(err)?;
    Ok(EntityStatus { name, message })
}

/// A Network in the form `network-get` prints it.
pub fn network_to_py<'py>(
    py: Python<'py>,
    n: &scenario_model::Network,
) -> PyResult<Bound<'py, PyDict>> {
    let bind_addresses = PyList::empty(py);
    for b in &n.bind_addresses {
        let d = PyDict::new(py);
        d.set_item("interface-name", &b.interface_name)?;
        let addresses = PyList::empty(py);
        for a in &b.addresses {
            let ad = PyDict::new(py);
            ad.set_item("hostname", &a.hostname)?;
            ad.set_item("value", &a.value)?;
            ad.set_item("cidr", &a.cidr)?;
            ad.set_item("address", &a.address)?;
            addresses.append(ad)?;
        }
        d.set_item("addresses", addresses)?;
        if let Some(mac) = b.mac_address.as_deref().filter(|m| !m.is_empty()) {
            d.set_item("mac-address", mac)?;
        }
        bind_addresses.append(d)?;
    }
    let out = PyDict::new(py);
    out.set_item("bind-addresses", bind_addresses)?;
    out.set_item("egress-subnets", &n.egress_subnets)?;
    out.set_item("ingress-addresses", &n.ingress_addresses)?;
    Ok(out)
}
