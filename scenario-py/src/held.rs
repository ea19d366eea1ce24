//! What a state object hands back is what it was given: the very Python objects.
//!
//! Both originals are dataclasses holding the objects a test made, so suites rely on
//! identity: `State(relations=[r]).get_relation(r.id) is r`, `r in state.relations`,
//! `event.bind(state).relation is rel`. A state object keeps the Rust model (what runs,
//! compares and serialises) and beside it, per child or collection, the Python objects:
//! the ones given to the constructor, or, for an object a run made, the ones made from
//! the model the first time they are read, then kept, so every later read is the same.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::state_collection;

/// A collection of child objects: its items in order, and the `StateCollection` over them.
pub struct HeldCollection(PyOnceLock<(Py<PyTuple>, Py<PyAny>)>);

impl Default for HeldCollection {
    fn default() -> Self {
        HeldCollection(PyOnceLock::new())
    }
}

impl std::fmt::Debug for HeldCollection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeldCollection")
    }
}

impl HeldCollection {
    /// The collection of the objects given.
    pub fn given(py: Python<'_>, items: Vec<Bound<'_, PyAny>>) -> PyResult<Self> {
        let held = HeldCollection::default();
        let items = PyTuple::new(py, items)?;
        let collection = state_collection(py, items.iter())?;
        let _ = held.0.set(py, (items.unbind(), collection.unbind()));
        Ok(held)
    }

    /// The items in order and the `StateCollection` over them, made by `make` (from the
    /// model) on the first read.
    pub fn get<'py>(
        &self,
        py: Python<'py>,
        make: impl FnOnce() -> PyResult<Vec<Bound<'py, PyAny>>>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        let (items, collection) = self.0.get_or_try_init(py, || {
            let items = PyTuple::new(py, make()?)?;
            let collection = state_collection(py, items.iter())?;
            Ok::<_, PyErr>((items.unbind(), collection.unbind()))
        })?;
        Ok((items.bind(py).clone(), collection.bind(py).clone()))
    }
}

impl HeldCollection {
    /// The items, if they were ever made (else the model is what the object holds).
    pub fn made<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyTuple>> {
        self.0.get(py).map(|(items, _)| items.bind(py).clone())
    }
}

/// One child object, given or made from the model on the first read.
pub struct Held(PyOnceLock<Py<PyAny>>);

impl Default for Held {
    fn default() -> Self {
        Held(PyOnceLock::new())
    }
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Held")
    }
}

impl Held {
    /// The object given, when one was.
    pub fn given(py: Python<'_>, obj: Option<&Bound<'_, PyAny>>) -> Self {
        let held = Held::default();
        if let Some(obj) = obj {
            let _ = held.0.set(py, obj.clone().unbind());
        }
        held
    }

    /// The same object (or none), for a copy of its holder.
    pub fn clone_ref(&self, py: Python<'_>) -> Self {
        let held = Held::default();
        if let Some(obj) = self.0.get(py) {
            let _ = held.0.set(py, obj.clone_ref(py));
        }
        held
    }

    /// The object, if it was given or made.
    pub fn peek<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        self.0.get(py).map(|o| o.bind(py).clone())
    }

    /// The object, made by `make` on the first read.
    pub fn get<'py>(
        &self,
        py: Python<'py>,
        make: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Ok(self
            .0
            .get_or_try_init(py, || make().map(Bound::unbind))?
            .bind(py)
            .clone())
    }
}

/// A dict a state object hands out (a relation's databag, the State's config): made from
/// the model on the first read, then the same dict on every read. The object is that dict
/// from then on: what a test writes into it, or a run writes after it ended (ops[testing]'s
/// output State changes with the charm's writes), is what the object holds when it next
/// runs, compares or serialises.
pub struct HeldDict(PyOnceLock<Py<PyDict>>);

impl Default for HeldDict {
    fn default() -> Self {
        HeldDict(PyOnceLock::new())
    }
}

impl std::fmt::Debug for HeldDict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeldDict")
    }
}

impl HeldDict {
    /// The dict, made by `make` from the model on the first read.
    pub fn get<'py>(
        &self,
        py: Python<'py>,
        make: impl FnOnce() -> PyResult<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        Ok(self
            .0
            .get_or_try_init(py, || make().map(Bound::unbind))?
            .bind(py)
            .clone())
    }

    /// The dict, if it was ever handed out (else the model is what the object holds).
    pub fn handed_out<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyDict>> {
        self.0.get(py).map(|d| d.bind(py).clone())
    }
}
