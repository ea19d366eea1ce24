//! The dataclass protocol for frozen pyclasses, derived from one field table per class.
//!
//! Each state class declares its fields once (`FIELDS`). One class serves both testing
//! APIs, and where the two name the same data differently (Scenario 5's
//! `State.storage`, ops[testing]'s `State.storages`) the table lists both names, each with
//! the [`Role`] it plays:
//!
//! - `__dataclass_fields__` (built with the public `dataclasses.make_dataclass`, so
//!   `fields`, `asdict`, `replace` and `is_dataclass` work) lists one API's names for
//!   renamed data, as that API's own dataclass did: an object made for Scenario 5 (its
//!   `view`) answers with Scenario 5's names, any other (and the class itself) with
//!   ops[testing]'s, so `dataclasses.asdict(state)` has the keys the suite's original gave.
//! - Each field is writable through `object.__setattr__` (as a frozen dataclass's is, and
//!   as suites and ops[testing]'s own tests do to change one in place): the value goes into
//!   the instance's `__dict__`, reads give it back ([`WritableField`]), and before the
//!   object takes part in a run, an equality or a serialisation, it is made again through
//!   its constructor from what it reads ([`Settle`]).
//! - `replace()` (the Scenario 5 method), `repr`, `__match_args__` and pickling
//!   (`__getnewargs_ex__`) go through the lossless set: every field but the ops[testing]
//!   views of data Scenario 5 holds more richly. A field still unset (its default differs
//!   between the APIs, see `scenario_model::api`) is left out, so it stays unset.
//! - `__scenario_fields__` is the table itself, for `tests/test_field_parity.py`, which
//!   holds to it what is written elsewhere: the constructor's `#[pyo3(signature)]`, the
//!   stub and the serde names. `convert::args!` checks its list against it at compile time.

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

/// How a field takes part in each API's dataclass protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A field of both APIs.
    Both,
    /// Scenario 5's name for data that ops[testing] names otherwise (its twin):
    /// `init=False` in `__dataclass_fields__`.
    Legacy(&'static str),
    /// ops[testing]'s name for data that Scenario 5 names otherwise (its twin), or a
    /// view of data that Scenario 5 holds more richly: left out of `replace()` and pickles.
    Modern(&'static str),
    /// Fixed by the class (a `TCPPort`'s protocol): `init=False`, and left out of
    /// `replace()` and pickles.
    Computed,
    /// Data only Scenario 5 has (`State.unit_id`): a field of its view alone.
    Only5,
}

/// One field of a state class.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub default: Default,
    pub role: Role,
}

impl Field {
    /// This field as Scenario 5's name for data ops[testing] calls `twin`.
    pub const fn legacy(self, twin: &'static str) -> Field {
        Field {
            role: Role::Legacy(twin),
            ..self
        }
    }

    /// This field as ops[testing]'s name for data Scenario 5 calls `twin`.
    pub const fn modern(self, twin: &'static str) -> Field {
        Field {
            role: Role::Modern(twin),
            ..self
        }
    }

    /// This field as one the class fixes.
    pub const fn computed(self) -> Field {
        Field {
            role: Role::Computed,
            ..self
        }
    }

    pub(crate) fn lossless(&self) -> bool {
        matches!(self.role, Role::Both | Role::Legacy(_) | Role::Only5)
    }

    /// This field as `__scenario_fields__` lists it: `(name, role, twin, default)`, the role
    /// in lower case (`"both"`, `"legacy"`, `"modern"`, `"computed"`, `"only5"`), the twin
    /// `None` unless the role has one, the default `None` when the argument is required,
    /// else `("value", expr)` or `("factory", expr)` with the Python expression.
    fn to_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        let (role, twin) = match self.role {
            Role::Both => ("both", None),
            Role::Legacy(twin) => ("legacy", Some(twin)),
            Role::Modern(twin) => ("modern", Some(twin)),
            Role::Computed => ("computed", None),
            Role::Only5 => ("only5", None),
        };
        let default = match self.default {
            Default::Required => None,
            Default::Value(expr) => Some(("value", expr)),
            Default::Factory(expr) => Some(("factory", expr)),
        };
        (self.name, role, twin, default).into_pyobject(py)
    }

    /// This field as data only Scenario 5 has.
    pub const fn only_5(self) -> Field {
        Field {
            role: Role::Only5,
            ..self
        }
    }
}

pub const fn required(name: &'static str) -> Field {
    Field {
        name,
        default: Default::Required,
        role: Role::Both,
    }
}

pub const fn value(name: &'static str, expr: &'static str) -> Field {
    Field {
        name,
        default: Default::Value(expr),
        role: Role::Both,
    }
}

pub const fn factory(name: &'static str, expr: &'static str) -> Field {
    Field {
        name,
        default: Default::Factory(expr),
        role: Role::Both,
    }
}

/// What a state class tells the protocol about one instance.
pub trait Fields {
    /// The fields of this instance still unset (left out of `replace()` and pickles, so
    /// that they stay unset).
    fn unset_fields(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// Whether this object was made for Scenario 5, so its dataclass protocol names its
    /// renamed data as Scenario 5 did.
    fn legacy_view(&self) -> bool {
        false
    }

    /// The constructor's `_view` argument that makes the same object again (pickles and
    /// `replace()` pass the names of both APIs, which alone would not tell the view).
    fn view_kwarg(&self) -> Option<View> {
        None
    }
}

/// What a remade object's `_view` says: the API it was made for, or that none is known
/// (`False`: the keywords a pickle or `replace()` passes must not decide it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Of(scenario_model::Api),
    Unknown,
}

impl View {
    fn to_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        Ok(match self {
            View::Of(api) => Bound::new(py, crate::api::PyApi::from(api))?.into_any(),
            View::Unknown => pyo3::types::PyBool::new(py, false).to_owned().into_any(),
        })
    }

    /// A `_view` argument: `None` when not given (the keywords then decide).
    pub fn from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<View>> {
        let Some(obj) = obj.filter(|o| !o.is_none()) else {
            return Ok(None);
        };
        if let Ok(api) = obj.extract::<crate::api::PyApi>() {
            return Ok(Some(View::Of(api.into())));
        }
        if obj.is_instance_of::<pyo3::types::PyBool>() && !obj.is_truthy()? {
            return Ok(Some(View::Unknown));
        }
        Err(PyTypeError::new_err(format!(
            "_view must be an Api or False, got {}",
            crate::convert::type_name(obj)
        )))
    }
}

/// `__scenario_fields__`: the field table itself, one `(name, role, twin, default)` tuple
/// per field in the table's order (see [`Field::to_py`]), for the test that holds the
/// constructor's signature, the stub and the serde names to it (`test_field_parity.py`).
pub fn table(py: Python<'_>, fields: &[Field]) -> PyResult<Py<PyTuple>> {
    let rows = fields
        .iter()
        .map(|f| f.to_py(py))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new(py, rows)?.unbind())
}

/// Whether `fields` has a field called `name`, at compile time (`convert::args!` checks
/// each argument it converts against the class's table with it).
pub const fn has_field(fields: &[Field], name: &str) -> bool {
    let mut i = 0;
    while i < fields.len() {
        if str_eq(fields[i].name, name) {
            return true;
        }
        i += 1;
    }
    false
}

/// `a == b`, at compile time.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `__match_args__`: the lossless field names in order (Scenario 5's positional order).
pub fn match_args(py: Python<'_>, fields: &[Field]) -> Py<PyTuple> {
    let names: Vec<&str> = fields
        .iter()
        .filter(|f| f.lossless())
        .map(|f| f.name)
        .collect();
    PyTuple::new(py, names).map_or_else(|_| PyTuple::empty(py).unbind(), Bound::unbind)
}

fn dataclasses(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || py.import("dataclasses").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// `__dataclass_fields__` of one API's view, made by `dataclasses.make_dataclass` from the
/// field table: every field both APIs have, and the renamed data under that API's names.
fn view_fields(py: Python<'_>, name: &str, fields: &[Field], legacy: bool) -> PyResult<Py<PyAny>> {
    let dc = dataclasses(py)?;
    let any = py.import("typing")?.getattr("Any")?;
    let field_fn = dc.getattr("field")?;
    let builtins = py.import("builtins")?;
    let spec = PyList::empty(py);
    let shown = fields.iter().filter(|f| match f.role {
        Role::Both | Role::Computed => true,
        Role::Legacy(_) | Role::Only5 => legacy,
        Role::Modern(_) => !legacy,
    });
    // make_dataclass refuses a required field after a defaulted one; the table keeps
    // Scenario 5's order, where that cannot happen, and init=False fields come last.
    let (init, fixed): (Vec<&Field>, Vec<&Field>) = shown.partition(|f| f.role != Role::Computed);
    for f in init.into_iter().chain(fixed) {
        let kwargs = PyDict::new(py);
        if f.role == Role::Computed {
            kwargs.set_item("init", false)?;
        }
        match f.default {
            Default::Required => {}
            Default::Value(expr) => {
                kwargs.set_item("default", builtins.call_method1("eval", (expr,))?)?;
            }
            Default::Factory(expr) => {
                let factory = builtins.call_method1("eval", (format!("lambda: {expr}"),))?;
                kwargs.set_item("default_factory", factory)?;
            }
        }
        let entry = if kwargs.is_empty() {
            PyTuple::new(py, [f.name.into_pyobject(py)?.into_any(), any.clone()])?
        } else {
            let field = field_fn.call((), Some(&kwargs))?;
            PyTuple::new(
                py,
                [f.name.into_pyobject(py)?.into_any(), any.clone(), field],
            )?
        };
        spec.append(entry)?;
    }
    let shadow = dc.call_method1("make_dataclass", (name, spec))?;
    Ok(shadow.getattr("__dataclass_fields__")?.unbind())
}

/// The `__dataclass_fields__` descriptor: ops[testing]'s view on the class and on any
/// object not made for Scenario 5, Scenario 5's on one that was (see [`Fields`]).
#[pyclass(frozen, module = "scenario_rs._scenario", name = "_DataclassFields")]
pub struct DataclassFields {
    modern: Py<PyAny>,
    legacy: Py<PyAny>,
}

#[pymethods]
impl DataclassFields {
    fn __get__(
        &self,
        py: Python<'_>,
        obj: Option<&Bound<'_, PyAny>>,
        _cls: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let legacy = match obj.filter(|o| !o.is_none()) {
            Some(obj) => obj.getattr("_dataclass_legacy_view")?.is_truthy()?,
            None => false,
        };
        Ok(if legacy { &self.legacy } else { &self.modern }.clone_ref(py))
    }
}

/// `__dataclass_fields__` for a class's field table: the descriptor over both views.
pub fn dataclass_fields(py: Python<'_>, name: &str, fields: &[Field]) -> PyResult<Py<PyAny>> {
    let descriptor = DataclassFields {
        modern: view_fields(py, name, fields, false)?,
        legacy: view_fields(py, name, fields, true)?,
    };
    Ok(Bound::new(py, descriptor)?.into_any().unbind())
}

/// The current lossless field values of an instance, as constructor keyword arguments;
/// the fields named in `unset` are left out.
pub fn field_values<'py>(
    obj: &Bound<'py, PyAny>,
    fields: &[Field],
    unset: &[&'static str],
) -> PyResult<Bound<'py, PyDict>> {
    let kwargs = PyDict::new(obj.py());
    for f in fields {
        if f.lossless() && !unset.contains(&f.name) {
            kwargs.set_item(f.name, obj.getattr(f.name)?)?;
        }
    }
    Ok(kwargs)
}

/// `Class(field=value, ...)` with the repr of every lossless field, as a dataclass prints.
pub fn repr(obj: &Bound<'_, PyAny>, fields: &[Field]) -> PyResult<String> {
    let name = obj.get_type().name()?;
    let mut out = format!("{name}(");
    for (i, f) in fields.iter().filter(|f| f.lossless()).enumerate() {
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
/// A change to either name of renamed data replaces the other.
pub fn replace<'py>(
    obj: &Bound<'py, PyAny>,
    fields: &[Field],
    unset: &[&'static str],
    view: Option<View>,
    changes: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = field_values(obj, fields, unset)?;
    if let Some(view) = view {
        kwargs.set_item("_view", view.to_py(obj.py())?)?;
    }
    if let Some(changes) = changes {
        for (key, value) in changes.iter() {
            let key_str = key.cast::<PyString>()?.to_cow()?;
            let Some(field) = fields.iter().find(|f| f.name == key_str) else {
                return Err(PyTypeError::new_err(format!(
                    "{}.replace() got an unexpected field {key_str:?}",
                    obj.get_type().name()?
                )));
            };
            if let Role::Legacy(twin) | Role::Modern(twin) = field.role {
                kwargs.del_item(twin).ok();
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
    unset: &[&'static str],
    view: Option<View>,
) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
    let kwargs = field_values(obj, fields, unset)?;
    if let Some(view) = view {
        kwargs.set_item("_view", view.to_py(obj.py())?)?;
    }
    Ok((PyTuple::empty(obj.py()), kwargs))
}

/// `_rebuild(cls, kwargs)`: a state object made again from its fields, for pickles.
#[pyfunction]
#[pyo3(name = "_rebuild")]
pub fn rebuild<'py>(
    cls: &Bound<'py, PyType>,
    kwargs: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    cls.call((), Some(kwargs))
}

static REBUILD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The module's `_rebuild`, which pickles name (so they load wherever this package does).
pub fn rebuild_function(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    Ok(REBUILD
        .get_or_try_init(py, || {
            py.import("scenario_rs._scenario")?
                .getattr("_rebuild")
                .map(Bound::unbind)
        })?
        .bind(py)
        .clone())
}

/// The class object of an instance, for `isinstance`-free equality checks.
pub fn same_type(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    let ta: Bound<'_, PyType> = a.get_type();
    ta.is(b.get_type())
}

/// Declare a frozen state pyclass's methods: the dataclass protocol from its field table,
/// equality from the Rust model (unless `custom_eq` is given), plus the class's own
/// methods given in the body. The class implements [`Fields`].
///
/// `$inner` is the field holding the shared Rust model value; equality compares it.
macro_rules! state_class {
    ($cls:ident, $pyname:literal, $fields:expr, custom_eq; $($body:tt)*) => {
        $crate::dataclass::state_class! { @protocol $cls, $pyname, $fields; $($body)* }
    };
    ($cls:ident, $pyname:literal, $fields:expr, $inner:ident; $($body:tt)*) => {
        $crate::dataclass::state_class! { @protocol $cls, $pyname, $fields;
            fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                let py = slf.py();
                if !$crate::dataclass::same_type(slf.as_any(), other) {
                    return Ok(py.NotImplemented());
                }
                let a = $crate::dataclass::Settle::settled(slf)?;
                let b = $crate::dataclass::Settle::settled(other.cast::<Self>()?)?;
                let equal = a.get().$inner == b.get().$inner;
                Ok(pyo3::types::PyBool::new(py, equal).to_owned().into_any().unbind())
            }
            $($body)*
        }
    };
    (@protocol $cls:ident, $pyname:literal, $fields:expr; $($body:tt)*) => {
        impl $crate::dataclass::HasFields for $cls {
            const NAME: &'static str = $pyname;
            const FIELDS: &'static [$crate::dataclass::Field] = $fields;
        }

        #[pymethods]
        impl $cls {
            #[classattr]
            fn __match_args__(py: Python<'_>) -> Py<pyo3::types::PyTuple> {
                $crate::dataclass::match_args(py, $fields)
            }

            #[classattr]
            fn __scenario_fields__(py: Python<'_>) -> PyResult<Py<pyo3::types::PyTuple>> {
                $crate::dataclass::table(py, $fields)
            }

            #[classattr]
            fn __dataclass_fields__(py: Python<'_>) -> PyResult<Py<PyAny>> {
                $crate::dataclass::dataclass_fields(py, $pyname, $fields)
            }

            #[getter]
            fn _dataclass_legacy_view(&self) -> bool {
                $crate::dataclass::Fields::legacy_view(self)
            }

            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                $crate::dataclass::repr(slf.as_any(), $fields)
            }

            /// A new object equal to this one but for the fields given by keyword, checked
            /// as the constructor checks them (Scenario 5's spelling of
            /// ``dataclasses.replace(obj, **changes)``, which works too). A field with two
            /// names, one per API (``id`` and ``relation_id``), may be changed by either.
            #[pyo3(signature = (**changes))]
            fn replace<'py>(
                slf: &Bound<'py, Self>,
                changes: Option<&Bound<'py, pyo3::types::PyDict>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let unset = $crate::dataclass::Fields::unset_fields(slf.get());
                let view = $crate::dataclass::Fields::view_kwarg(slf.get());
                $crate::dataclass::replace(slf.as_any(), $fields, &unset, view, changes)
            }

            /// This object itself (Scenario 5's ``copy()``): state objects are frozen
            /// values, so ``copy.copy`` and ``copy.deepcopy`` hand back the same object too.
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
                let unset = $crate::dataclass::Fields::unset_fields(slf.get());
                let view = $crate::dataclass::Fields::view_kwarg(slf.get());
                $crate::dataclass::newargs(slf.as_any(), $fields, &unset, view)
            }

            /// Pickling at every protocol (0 and 1 have no `__getnewargs_ex__`): the
            /// class, remade from its fields by keyword.
            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, pyo3::types::PyType>, Bound<'py, pyo3::types::PyDict>))> {
                let unset = $crate::dataclass::Fields::unset_fields(slf.get());
                let view = $crate::dataclass::Fields::view_kwarg(slf.get());
                let (_, kwargs) = $crate::dataclass::newargs(slf.as_any(), $fields, &unset, view)?;
                Ok(($crate::dataclass::rebuild_function(slf.py())?, (slf.get_type(), kwargs)))
            }

            $($body)*
        }
    };
}

pub(crate) use state_class;

/// A state class and its field table (the `state_class!` macro implements it).
pub trait HasFields: pyo3::PyClass {
    /// The class's Python name.
    const NAME: &'static str;
    const FIELDS: &'static [Field];
}

/// The instance's `__dict__`, where what `object.__setattr__` wrote to its fields lives.
fn instance_dict<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    Ok(obj
        .getattr(pyo3::intern!(obj.py(), "__dict__"))?
        .cast_into::<PyDict>()?)
}

/// A field of a state class, as the class's attribute: it reads the value written with
/// `object.__setattr__` when there is one, the object's own getter otherwise.
#[pyclass(frozen, module = "scenario_rs._scenario", name = "_Field")]
#[derive(Debug)]
pub struct WritableField {
    name: Py<PyString>,
    getter: Py<PyAny>,
}

#[pymethods]
impl WritableField {
    fn __get__(
        &self,
        py: Python<'_>,
        obj: Option<&Bound<'_, PyAny>>,
        cls: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let getter = self.getter.bind(py);
        let Some(obj) = obj.filter(|o| !o.is_none()) else {
            return Ok(getter.clone().unbind());
        };
        if let Some(written) = instance_dict(obj)?.get_item(self.name.bind(py))? {
            return Ok(written.unbind());
        }
        Ok(getter.call_method1("__get__", (obj, cls))?.unbind())
    }

    fn __set__(&self, obj: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        instance_dict(obj)?.set_item(self.name.bind(obj.py()), value)
    }

    fn __delete__(&self, obj: &Bound<'_, PyAny>) -> PyResult<()> {
        let name = self.name.bind(obj.py());
        let written = instance_dict(obj)?;
        if written.contains(name)? {
            written.del_item(name)?;
        }
        Ok(())
    }
}

/// A frozen dataclass's `__setattr__` and `__delattr__`, as Python functions: defined in
/// Python (not as the type's C slots) so that `object.__setattr__` still reaches the
/// fields, as it does on a frozen dataclass.
const FROZEN: &std::ffi::CStr = c"
import dataclasses

def __setattr__(self, name, value):
    raise dataclasses.FrozenInstanceError(f'cannot assign to field {name!r}')

def __delattr__(self, name):
    raise dataclasses.FrozenInstanceError(f'cannot delete field {name!r}')
";

static FROZEN_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Make `T` frozen as a dataclass is, and each of its fields writable through
/// `object.__setattr__` (see [`WritableField`]).
pub fn make_fields_writable<T: HasFields>(py: Python<'_>) -> PyResult<()> {
    let cls = py.get_type::<T>();
    let frozen = FROZEN_MODULE.get_or_try_init(py, || {
        PyModule::from_code(
            py,
            FROZEN,
            c"scenario_rs/_frozen.py",
            c"scenario_rs._frozen",
        )
        .map(Bound::unbind)
    })?;
    for name in ["__setattr__", "__delattr__"] {
        cls.setattr(name, frozen.bind(py).getattr(name)?)?;
    }
    let own = cls.getattr("__dict__")?;
    for field in T::FIELDS {
        let Ok(getter) = own.get_item(field.name) else {
            continue;
        };
        let descriptor = WritableField {
            name: PyString::intern(py, field.name).unbind(),
            getter: getter.unbind(),
        };
        cls.setattr(field.name, Bound::new(py, descriptor)?)?;
    }
    Ok(())
}

/// A state object as it reads now: itself, or, when `object.__setattr__` changed one of
/// its fields, the same object made again through its constructor from what it reads
/// (validated as any argument is).
pub trait Settle<'py, T: pyo3::PyClass> {
    fn settled(&self) -> PyResult<Bound<'py, T>>;
}

impl<'py, T: pyo3::PyClass> Settle<'py, T> for Bound<'py, T> {
    fn settled(&self) -> PyResult<Bound<'py, T>> {
        if instance_dict(self.as_any())?.is_empty() {
            return Ok(self.clone());
        }
        let remade = self
            .as_any()
            .call_method0(pyo3::intern!(self.py(), "replace"))?;
        Ok(remade.cast_into::<T>()?)
    }
}
