//! Pebble for the charm: each workload container of the output State, served by
//! `scenario-pebble` over a filesystem root the Context owns.

use std::path::PathBuf;

use indexmap::IndexMap;
use scenario_model::{Api, Container};
use scenario_pebble::{ContainerFs, Pebble, PebbleError};

use crate::hook_tools::HookTools;

impl<R> HookTools<R> {
    /// Run `f` on the Pebble of `container`, whose files live under `root` (only file
    /// operations need one). A container that metadata declares but the State lacks has
    /// a Pebble nobody can reach.
    pub fn with_pebble<T>(
        &mut self,
        container: &str,
        root: Option<PathBuf>,
        f: impl FnOnce(&mut Pebble<'_>) -> Result<T, PebbleError>,
    ) -> Result<T, PebbleError> {
        let api = self.unit.api;
        let Some(found) = self.state.container_mut(container) else {
            return Err(PebbleError::NoContainer {
                container: container.to_owned(),
            });
        };
        let gone = self.unmounted.get(container).map_or(&[][..], Vec::as_slice);
        let fs = ContainerFs::with_unmounted(root.unwrap_or_default(), &found.mounts, gone);
        let mut pebble = Pebble::new(found, &fs, api);
        let result = f(&mut pebble);
        // A file mounted alone that the charm removed stays gone for the rest of the run.
        let unmounted = fs.unmounted();
        if unmounted.len() != gone.len() {
            self.unmounted.insert(container.to_owned(), unmounted);
        }
        result
    }

    /// Run the read `f` (checks, notices) on the Pebble of `container`. `ops[testing]`
    /// answers these reads for a container the State lacks, as if it held nothing; under
    /// Scenario 5 such a Pebble cannot be reached, as for any other call.
    pub fn read_pebble<T>(
        &mut self,
        container: &str,
        f: impl FnOnce(&Pebble<'_>) -> Result<T, PebbleError>,
    ) -> Result<T, PebbleError> {
        let api = self.unit.api;
        if api == Api::Scenario8 && self.state.container(container).is_none() {
            let mut empty = Container::new(container);
            let fs = ContainerFs::new(PathBuf::new(), &IndexMap::new());
            return f(&Pebble::new(&mut empty, &fs, api));
        }
        self.with_pebble(container, None, |p| f(p))
    }

    /// Read-only access, for calls that change nothing (the plan, exec): the container is
    /// not copied.
    pub fn pebble_container(&self, container: &str) -> Result<&Container, PebbleError> {
        self.state
            .container(container)
            .map(AsRef::as_ref)
            .ok_or_else(|| PebbleError::NoContainer {
                container: container.to_owned(),
            })
    }
}
