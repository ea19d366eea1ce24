//! Pebble for the charm: each workload container of the output State, served by
//! `scenario-pebble` over a filesystem root the Context owns.

use std::path::PathBuf;

use scenario_pebble::{ContainerFs, Pebble, PebbleError};

use crate::hook_tools::HookTools;

impl HookTools {
    /// Run `f` on the Pebble of `container`, whose files live under `root` (only file
    /// operations need one). A container that metadata declares but the State lacks has
    /// a Pebble nobody can reach.
    pub fn with_pebble<T>(
        &mut self,
        container: &str,
        root: Option<PathBuf>,
        f: impl FnOnce(&mut Pebble<'_>) -> Result<T, PebbleError>,
    ) -> Result<T, PebbleError> {
        let Some(found) = self.state.container_mut(container) else {
            return Err(PebbleError::NoContainer {
                container: container.to_owned(),
            });
        };
        let fs = ContainerFs::new(root.unwrap_or_default(), &found.mounts);
        let mut pebble = Pebble::new(found, &fs);
        f(&mut pebble)
    }

    /// Read-only access, for calls that change nothing (the plan, exec): the container is
    /// not copied.
    pub fn pebble_container(
        &self,
        container: &str,
    ) -> Result<&scenario_model::Container, PebbleError> {
        self.state
            .container(container)
            .map(AsRef::as_ref)
            .ok_or_else(|| PebbleError::NoContainer {
                container: container.to_owned(),
            })
    }
}
