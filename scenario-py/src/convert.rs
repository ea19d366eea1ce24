//! Conversions of constructor arguments and relation databags from Python, with the
//! validation errors Scenario documents; the generic value conversions live in
//! `scenario_runtime::convert`.

use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scenario_model::{Databag, UnitDatabags};

pub use scenario_runtime::convert::*;

use crate::errors::StateValidationError;

/// A type a constructor argument converts to, and how an error describes it.
pub trait Arg<'a, 'py>: FromPyObject<'a, 'py> {
    /// What the argument must be: `a str`, `an int from 0 to 65535`.
    fn expected(py: Python<'_>) -> String;
}

impl Arg<'_, '_> for String {
    fn expected(_: Python<'_>) -> String {
        "a str".to_owned()
    }
}

impl<'a> Arg<'a, '_> for &'a str {
    fn expected(_: Python<'_>) -> String {
        "a str".to_owned()
    }
}

impl Arg<'_, '_> for bool {
    fn expected(_: Python<'_>) -> String {
        "a bool".to_owned()
    }
}

macro_rules! int_arg {
    ($($int:ty),+) => {$(
        impl Arg<'_, '_> for $int {
            fn expected(_: Python<'_>) -> String {
                format!("an int from {} to {}", <$int>::MIN, <$int>::MAX)
            }
        }
    )+};
}
int_arg!(u16, u32, i32, i64);

impl<'a, 'py, T: Arg<'a, 'py>> Arg<'a, 'py> for Option<T> {
    fn expected(py: Python<'_>) -> String {
        format!("{} or None", T::expected(py))
    }
}

/// An instance of a Python class (a pyclass, `dict`).
impl<'a, 'py, T: pyo3::PyTypeInfo + 'a> Arg<'a, 'py> for Bound<'py, T> {
    fn expected(py: Python<'_>) -> String {
        let name = T::type_object(py)
            .name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        with_article(&name)
    }
}

/// A class name with its indefinite article, for messages: `an Exec`, `a Storage`.
pub fn with_article(name: &str) -> String {
    let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// A constructor argument as `T`, or an error naming the field (`Relation.endpoint`): a
/// `TypeError` for a value of the wrong type, a `StateValidationError` for one `T` cannot
/// hold (an int out of range, a str that is not Unicode), pyo3's error as the cause.
/// pyo3's own errors name neither the class nor, before Python 3.11, the argument, and
/// an out-of-range int is an `OverflowError`. Any other error (raised by a user's
/// `__index__`, say) passes through.
pub fn field<'a, 'py, T: Arg<'a, 'py>>(obj: &'a Bound<'py, PyAny>, name: &str) -> PyResult<T> {
    obj.extract::<T>().map_err(|e| {
        let py = obj.py();
        let cause: PyErr = e.into();
        let expected = T::expected(py);
        let err = if cause.is_instance_of::<PyTypeError>(py) {
            PyTypeError::new_err(format!("{name} must be {expected}, got {}", type_name(obj)))
        } else if cause.is_instance_of::<PyOverflowError>(py)
            || cause.is_instance_of::<PyValueError>(py)
        {
            StateValidationError::new_err(format!(
                "{name} must be {expected}, got {}",
                repr_of(obj)
            ))
        } else {
            return cause;
        };
        err.set_cause(py, Some(cause));
        err
    })
}

/// The repr of a value, for messages (its type name if its repr fails).
pub fn repr_of(obj: &Bound<'_, PyAny>) -> String {
    obj.repr()
        .map_or_else(|_| type_name(obj), |r| r.to_string())
}

/// `from_py_with` extractors for a class's constructor arguments, one function per field
/// (in a module of their own), converting through [`field`] so that errors name
/// `Class.field`. An argument named otherwise than its field (a raw identifier, a
/// positional-only `first`) gives the field's name: `kind = "type"`.
///
/// The class is named twice, as its Rust type and its Python name (`PyRelation
/// "Relation"`): the name goes into the messages (`concat!` needs a literal), and the type
/// lets the compiler check both against the class's field table (`state_class!`'s
/// `HasFields`): the name must be the class's, and each field named must be in its table.
/// The list itself cannot be derived from the table: it holds only the arguments
/// converted through [`field`] (the others go through helpers that take the `Class.field`
/// to name), and `from_py_with` needs each converter as a path, so each is an identifier
/// that a macro must be given.
///
/// The parameters keep their Rust types and defaults (`limit: u32` with `limit=1`): pyo3
/// shows a default in the Python signature only as a literal of a typed parameter, so
/// taking `&Bound<PyAny>` instead would change the signatures the stubs describe.
macro_rules! args {
    ($module:ident, $cls:ident $class:literal: $($arg:ident $(= $name:literal)?),+ $(,)?) => {
        mod $module {
            use pyo3::prelude::*;
            $(
                pub fn $arg<'a, 'py, T: $crate::convert::Arg<'a, 'py>>(
                    obj: &'a Bound<'py, PyAny>,
                ) -> PyResult<T> {
                    $crate::convert::field(obj, $crate::convert::args!(@name $class, $arg $($name)?))
                }
            )+
        }

        // The name and every field named agree with the class's table, or the build fails.
        const _: () = {
            assert!(
                $crate::dataclass::str_eq(<$cls as $crate::dataclass::HasFields>::NAME, $class),
                concat!("args!: ", $class, " is not the Python name of ", stringify!($cls)),
            );
            $(
                assert!(
                    $crate::dataclass::has_field(
                        <$cls as $crate::dataclass::HasFields>::FIELDS,
                        $crate::convert::args!(@field $arg $($name)?),
                    ),
                    concat!(
                        "args!: ",
                        $crate::convert::args!(@name $class, $arg $($name)?),
                        " is not a field of the class's table",
                    ),
                );
            )+
        };
    };
    (@name $class:literal, $arg:ident) => { concat!($class, ".", stringify!($arg)) };
    (@name $class:literal, $arg:ident $name:literal) => { concat!($class, ".", $name) };
    (@field $arg:ident) => { stringify!($arg) };
    (@field $arg:ident $name:literal) => { $name };
}
pub(crate) use args;

/// A host path (`str` or `os.PathLike`) as text; errors name `field`.
pub fn fspath(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    let os = obj.py().import("os")?;
    os.call_method1("fspath", (obj,))
        .and_then(|p| p.extract())
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "{field} must be a path (str or os.PathLike), got {}",
                type_name(obj)
            ))
        })
}

/// The string value of an ops enum member (`pebble.ServiceStatus.ACTIVE`), or a plain
/// string.
pub fn enum_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_string());
    }
    obj.getattr("value")?.extract()
}

/// A databag from a dict of str to str; anything else is a `StateValidationError` naming
/// the field, as Juju only stores strings.
pub fn databag_from_py(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Databag> {
    let dict = obj.cast::<PyDict>().map_err(|_| {
        StateValidationError::new_err(format!(
            "{field}: databags must be dicts of str to str, got {}",
            type_name(obj)
        ))
    })?;
    databag_from_dict(dict)?.map_err(|(key, value)| {
        StateValidationError::new_err(format!(
            "{field}: databag keys and values must be str, got {key}: {value} (Juju stores only strings; use json.dumps for structured data)"
        ))
    })
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
static STATE_LIST: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

/// A State's collection as Python sees it: a `StateCollection`, which reads as Scenario
/// 5's list and as ops[testing]'s frozenset; for a State of Scenario 5 (`legacy`), a
/// `StateList`, the list Scenario 5 gave (see `_collections.py`).
pub fn state_collection<'py, T>(
    py: Python<'py>,
    items: impl IntoIterator<Item = T>,
    legacy: bool,
) -> PyResult<Bound<'py, PyAny>>
where
    T: IntoPyObject<'py>,
{
    let (cell, name) = if legacy {
        (&STATE_LIST, "StateList")
    } else {
        (&STATE_COLLECTION, "StateCollection")
    };
    let cls = cell
        .get_or_try_init(py, || {
            py.import("scenario_rs._collections")?
                .getattr(name)
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
            py.import("scenario_rs._status")?
                .getattr("_from_name")
                .map(Bound::unbind)
        })?
        .bind(py);
    from_name.call1((status.name.as_str(), status.message.as_str()))
}

static OPS_OBJECT: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();

/// The ops object (`module.class`) equal to a state object, made from the state object's
/// attributes named in `fields` that the ops class takes (`_to_ops`, as ops[testing] has).
pub fn to_ops<'py>(
    obj: &Bound<'py, PyAny>,
    module: &str,
    class: &str,
    fields: &[&str],
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    let make = OPS_OBJECT.get_or_try_init(py, || {
        py.import("scenario_rs.state")?
            .getattr("_ops_object")
            .map(Bound::unbind)
    })?;
    make.bind(py).call1((obj, module, class, fields.to_vec()))
}

/// Whether `obj` is an instance of a class of ops (not of this package).
pub fn is_ops_object(obj: &Bound<'_, PyAny>) -> bool {
    obj.get_type().module().is_ok_and(|m| {
        m.to_cow()
            .is_ok_and(|m| m == "ops" || m.starts_with("ops."))
    })
}

/// A state object of class `T` given for `field`: one of this package's, or ops's class of
/// the same name (`ops.CloudSpec` for `CloudSpec`), made into ours from its `attributes`
/// (ops[testing] takes either). Anything else is a `TypeError` naming both classes.
pub fn ours_or_ops<'py, T: pyo3::PyClass + pyo3::PyTypeInfo>(
    obj: &Bound<'py, PyAny>,
    field: &str,
    attributes: &[&str],
) -> PyResult<Bound<'py, T>> {
    if let Ok(ours) = obj.cast::<T>() {
        return Ok(ours.clone());
    }
    let py = obj.py();
    let cls = py.get_type::<T>();
    let name = cls.name()?;
    if is_ops_object(obj) && obj.get_type().name()?.to_cow()? == name.to_cow()? {
        let kwargs = PyDict::new(py);
        for attribute in attributes {
            kwargs.set_item(attribute, obj.getattr(*attribute)?)?;
        }
        return Ok(cls.call((), Some(&kwargs))?.cast_into::<T>()?);
    }
    Err(PyTypeError::new_err(format!(
        "{field} must be a {name} (this package's, or ops's), got {}.{}",
        obj.get_type().module()?,
        obj.get_type().name()?
    )))
}
