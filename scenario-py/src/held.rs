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

/// A collection of child objects: its items in order, and the collection handed out over
/// them (a `StateCollection`; for a State of Scenario 5, a `StateList`, which a test may
/// change in place: its items are then the list's).
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
    pub fn given(py: Python<'_>, items: Vec<Bound<'_, PyAny>>, legacy: bool) -> PyResult<Self> {
        let held = HeldCollection::default();
        let items = PyTuple::new(py, items)?;
        let collection = state_collection(py, items.iter(), legacy)?;
        let _ = held.0.set(py, (items.unbind(), collection.unbind()));
        Ok(held)
    }

    /// The items in order and the collection over them, made by `make` (from the model)
    /// on the first read.
    pub fn get<'py>(
        &self,
        py: Python<'py>,
        legacy: bool,
        make: impl FnOnce() -> PyResult<Vec<Bound<'py, PyAny>>>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyAny>)> {
        let (items, collection) = self.0.get_or_try_init(py, || {
            let items = PyTuple::new(py, make()?)?;
            let collection = state_collection(py, items.iter(), legacy)?;
            Ok::<_, PyErr>((items.unbind(), collection.unbind()))
        })?;
        let collection = collection.bind(py).clone();
        if legacy && let Some(changed) = changed_list(&collection)? {
            return Ok((changed, collection));
        }
        Ok((items.bind(py).clone(), collection))
    }

    /// The items, if they were ever made (else the model is what the object holds).
    pub fn made<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let Some((items, collection)) = self.0.get(py) else {
            return Ok(None);
        };
        match changed_list(collection.bind(py))? {
            Some(changed) => Ok(Some(changed)),
            None => Ok(Some(items.bind(py).clone())),
        }
    }

    /// The items of a list a test changed in place since it was handed out.
    pub fn changed<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        match self.0.get(py) {
            Some((_, collection)) => changed_list(collection.bind(py)),
            None => Ok(None),
        }
    }
}

/// The items of a `StateList` changed in place, else `None`.
fn changed_list<'py>(collection: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyTuple>>> {
    let Ok(list) = collection.cast::<pyo3::types::PyList>() else {
        return Ok(None);
    };
    if !collection
        .getattr(pyo3::intern!(collection.py(), "_changed"))?
        .is_truthy()?
    {
        return Ok(None);
    }
    Ok(Some(list.to_tuple()))
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
