//! The dataclass protocol for frozen pyclasses, derived from one field table per class.
//!
//! Each state class declares its fields once (`FIELDS`); from that table come the
//! constructor's keyword order (`__match_args__`), `__dataclass_fields__` (built with the
//! public `dataclasses.make_dataclass`, so `fields`, `asdict`, `astuple`, `replace` and
//! `is_dataclass` work), `repr`, `replace()` and pickling (`__getnewargs_ex__`).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};

/// A field's default, as the Python constructor applies it.
#[derive(Debug, Clone, Copy)]
pub enum Default {
    /// No default: the argument is required.
    Required,
    /// A Python expression evaluated once, for immutable defaults (`None`, `0`, `''`).
    Value(&'static str),
    /// A Python expression evaluated per instance (`{}`, `[]`, a fresh id).
    Factory(&'static str),
}

/// One field of a state class.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub default: Default,
}

pub const fn required(name: &'static str) -> Field {
    Field {
        name,
        default: Default::Required,
    }
}

pub const fn value(name: &'static str, expr: &'static str) -> Field {
    Field {
        name,
        default: Default::Value(expr),
    }
}

pub const fn factory(name: &'static str, expr: &'static str) -> Field {
    Field {
        name,
        default: Default::Factory(expr),
    }
}

/// `__match_args__`: the field names in order.
pub fn match_args(py: Python<'_>, fields: &[Field]) -> Py<PyTuple> {
    PyTuple::new(py, fields.iter().map(|f| f.name))
        .map_or_else(|_| PyTuple::empty(py).unbind(), Bound::unbind)
}

fn dataclasses(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || py.import("dataclasses").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// `__dataclass_fields__`, made by `dataclasses.make_dataclass` from the field table.
pub fn dataclass_fields(py: Python<'_>, name: &str, fields: &[Field]) -> PyResult<Py<PyAny>> {
    let dc = dataclasses(py)?;
    let any = py.import("typing")?.getattr("Any")?;
    let field_fn = dc.getattr("field")?;
    let builtins = py.import("builtins")?;
    let spec = PyList::empty(py);
    for f in fields {
        let entry = match f.default {
            Default::Required => {
                PyTuple::new(py, [f.name.into_pyobject(py)?.into_any(), any.clone()])?
            }
            Default::Value(expr) => {
                let kwargs = PyDict::new(py);
                kwargs.set_item("default", builtins.call_method1("eval", (expr,))?)?;
                let field = field_fn.call((), Some(&kwargs))?;
                PyTuple::new(
                    py,
                    [f.name.into_pyobject(py)?.into_any(), any.clone(), field],
                )?
            }
            Default::Factory(expr) => {
                let kwargs = PyDict::new(py);
                let factory = builtins.call_method1("eval", (format!("lambda: {expr}"),))?;
                kwargs.set_item("default_factory", factory)?;
                let field = field_fn.call((), Some(&kwargs))?;
                PyTuple::new(
                    py,
                    [f.name.into_pyobject(py)?.into_any(), any.clone(), field],
                )?
            }
        };
        spec.append(entry)?;
    }
    let shadow = dc.call_method1("make_dataclass", (name, spec))?;
    Ok(shadow.getattr("__dataclass_fields__")?.unbind())
}

/// The current field values of an instance, as constructor keyword arguments.
pub fn field_values<'py>(
    obj: &Bound<'py, PyAny>,
    fields: &[Field],
) -> PyResult<Bound<'py, PyDict>> {
    let kwargs = PyDict::new(obj.py());
    for f in fields {
        kwargs.set_item(f.name, obj.getattr(f.name)?)?;
    }
    Ok(kwargs)
}

/// `Class(field=value, ...)` with the repr of every field, as a dataclass prints.
pub fn repr(obj: &Bound<'_, PyAny>, fields: &[Field]) -> PyResult<String> {
    let name = obj.get_type().name()?;
    let mut out = format!("{name}(");
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(f.name);
        out.push('=');
        out.push_str(&obj.getattr(f.name)?.repr()?.to_cow()?);
    }
    out.push(')');
    Ok(out)
}

/// `replace(**changes)`: a new instance with the named fields changed, validated again.
pub fn replace<'py>(
    obj: &Bound<'py, PyAny>,
    fields: &[Field],
    changes: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = field_values(obj, fields)?;
    if let Some(changes) = changes {
        for (key, value) in changes.iter() {
            let key_str = key.cast::<PyString>()?.to_cow()?;
            if !fields.iter().any(|f| f.name == key_str) {
                return Err(PyTypeError::new_err(format!(
                    "{}.replace() got an unexpected field {key_str:?}",
                    obj.get_type().name()?
                )));
            }
            kwargs.set_item(key, value)?;
        }
    }
    obj.get_type().call((), Some(&kwargs))
}

/// `__getnewargs_ex__`: pickle and `copy` rebuild the instance through its constructor.
pub fn newargs<'py>(
    obj: &Bound<'py, PyAny>,
    fields: &[Field],
) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
    Ok((PyTuple::empty(obj.py()), field_values(obj, fields)?))
}

/// The class object of an instance, for `isinstance`-free equality checks.
pub fn same_type(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    let ta: Bound<'_, PyType> = a.get_type();
    ta.is(b.get_type())
}

/// Declare a frozen state pyclass's methods: the dataclass protocol from its field table,
/// equality from the Rust model, plus the class's own methods given in the body.
///
/// `$inner` is the field holding the shared Rust model value; equality compares it.
macro_rules! state_class {
    ($cls:ident, $pyname:literal, $fields:expr, $inner:ident; $($body:tt)*) => {
        #[pymethods]
        impl $cls {
            #[classattr]
            fn __match_args__(py: Python<'_>) -> Py<pyo3::types::PyTuple> {
                $crate::dataclass::match_args(py, $fields)
            }

            #[classattr]
            fn __dataclass_fields__(py: Python<'_>) -> PyResult<Py<PyAny>> {
                $crate::dataclass::dataclass_fields(py, $pyname, $fields)
            }

            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                $crate::dataclass::repr(slf.as_any(), $fields)
            }

            #[pyo3(signature = (**changes))]
            fn replace<'py>(
                slf: &Bound<'py, Self>,
                changes: Option<&Bound<'py, pyo3::types::PyDict>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                $crate::dataclass::replace(slf.as_any(), $fields, changes)
            }

            fn copy<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
                // Frozen and shared: a copy is the same value.
                slf.clone()
            }

            fn __copy__<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
                slf.clone()
            }

            fn __deepcopy__<'py>(slf: &Bound<'py, Self>, _memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
                slf.clone()
            }

            fn __getnewargs_ex__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, pyo3::types::PyTuple>, Bound<'py, pyo3::types::PyDict>)> {
                $crate::dataclass::newargs(slf.as_any(), $fields)
            }

            fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                let py = slf.py();
                if !$crate::dataclass::same_type(slf.as_any(), other) {
                    return Ok(py.NotImplemented());
                }
                let other = other.cast::<Self>()?;
                let equal = slf.get().$inner == other.get().$inner;
                Ok(pyo3::types::PyBool::new(py, equal).to_owned().into_any().unbind())
            }

            $($body)*
        }
    };
}

pub(crate) use state_class;
