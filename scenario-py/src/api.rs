//! `Api`: which testing API a run (or a State) speaks, as Python sees it. The one spelling
//! of an API on both sides of the boundary: the fronts pass it to the engine, the engine
//! reads it as `scenario_model::Api`.

use pyo3::prelude::*;
use pyo3::types::PyType;
use scenario_model::Api;

/// The testing API a run speaks: ``Api.SCENARIO_5`` (ops-scenario 5.x:
/// ``ctx.run("start", state)``, ``run_action``, ``ctx.manager``) or ``Api.SCENARIO_8``
/// (ops[testing], ops-scenario 7 and 8: ``ctx.run(ctx.on.start(), state)``). Where the two
/// originals behave differently, a run follows its own.
#[pyclass(
    frozen,
    eq,
    hash,
    module = "scenario_rs._scenario",
    name = "Api",
    from_py_object
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PyApi {
    #[pyo3(name = "SCENARIO_5")]
    Scenario5,
    #[pyo3(name = "SCENARIO_8")]
    Scenario8,
}

impl From<PyApi> for Api {
    fn from(api: PyApi) -> Api {
        match api {
            PyApi::Scenario5 => Api::Scenario5,
            PyApi::Scenario8 => Api::Scenario8,
        }
    }
}

impl From<Api> for PyApi {
    fn from(api: Api) -> PyApi {
        match api {
            Api::Scenario5 => PyApi::Scenario5,
            Api::Scenario8 => PyApi::Scenario8,
        }
    }
}

/// What `__reduce__` gives: `getattr`, and the class and member name to give it.
type Reduced<'py> = (Bound<'py, PyAny>, (Bound<'py, PyType>, &'static str));

// pyo3 methods take `&self`, whatever the size of the class.
#[allow(clippy::trivially_copy_pass_by_ref)]
#[pymethods]
impl PyApi {
    /// The Juju version a run simulates when the Context names none: 3.0 for Scenario 5,
    /// 3.6.14 for ops[testing], as each original defaulted.
    #[getter]
    fn default_juju_version(&self) -> &'static str {
        Api::from(*self).default_juju_version()
    }

    /// The message of the ``UncaughtCharmError`` a run raises for ``error``, the exception
    /// the charm let escape, in this API's original's words.
    fn uncaught_charm_error(&self, error: &Bound<'_, PyAny>) -> PyResult<String> {
        let cls: Bound<'_, PyType> = error.get_type();
        Ok(scenario_runtime::error::uncaught_charm_error(
            Api::from(*self),
            &cls.name()?.to_cow()?,
            &cls.repr()?.to_cow()?,
            &error.repr()?.to_cow()?,
        ))
    }

    /// Pickled by name, as an `enum.Enum` member is.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let name = match self {
            PyApi::Scenario5 => "SCENARIO_5",
            PyApi::Scenario8 => "SCENARIO_8",
        };
        Ok((
            py.import("builtins")?.getattr("getattr")?,
            (py.get_type::<PyApi>(), name),
        ))
    }
}
