//! `Pebble`, the handle the runtime drives: one container's model and filesystem, with
//! the connection rule applied in one place.
//!
//! Every operation that needs a reachable Pebble (each says "Checked") calls
//! [`Pebble::ensure_connected`] first, as ops's client fails with a `ConnectionError` when
//! the container's Pebble cannot be reached; `get_plan` and `exec` work while
//! disconnected, as in Scenario 5.8.1 and ops[testing]. Where the two APIs differ, the handle follows the run's [`Api`]: under
//! ops[testing], `get_checks` and the notice reads answer while disconnected too, and the
//! container's `check_infos` follow what the charm does to the plan. The file operations
//! of [`ContainerFs`] are crate-private, so this handle is the only way to them and the
//! check cannot be skipped.

use scenario_model::{Api, CheckInfo, CheckLevel, Container, Layer, Notice};

use crate::checks::{self, check_infos};
use crate::error::PebbleError;
use crate::exec::{ExecOutcome, find_exec};
use crate::file_info::FileInfo;
use crate::fs::ContainerFs;
use crate::layer;
use crate::notices::{self, NoticeFilter};
use crate::plan::Plan;
use crate::services::{self, Action, ServiceInfo, service_infos};

/// What `get_system_info` reports (`pebble.SystemInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemInfo {
    pub version: String,
}

/// The mock Pebble client of one container for the duration of one call or run.
///
/// Changes (layers, service statuses, check infos) are written into the borrowed model
/// container, so the output State carries them; files go to the [`ContainerFs`].
#[derive(Debug)]
pub struct Pebble<'a> {
    container: &'a mut Container,
    fs: &'a ContainerFs,
    api: Api,
}

impl<'a> Pebble<'a> {
    /// The Pebble of `container` for a run speaking `api`.
    pub fn new(container: &'a mut Container, fs: &'a ContainerFs, api: Api) -> Self {
        Pebble { container, fs, api }
    }

    /// The container as the charm's calls have left it.
    pub fn container(&self) -> &Container {
        self.container
    }

    /// Shows the container's mounts under its root for the test to read (see
    /// [`ContainerFs::show_mounts`]); the charm's connection plays no part.
    pub fn show_mounts(&self) -> Result<(), PebbleError> {
        self.fs.show_mounts()
    }

    /// Fails with [`PebbleError::Connection`] when the container's `can_connect` is false.
    pub fn ensure_connected(&self) -> Result<(), PebbleError> {
        if self.container.can_connect {
            Ok(())
        } else {
            Err(PebbleError::Connection {
                container: self.container.name.clone(),
            })
        }
    }

    /// Checked; ops's `Container.can_connect()` is `get_system_info` succeeding.
    pub fn get_system_info(&self) -> Result<SystemInfo, PebbleError> {
        self.ensure_connected()?;
        Ok(SystemInfo {
            version: "1.0.0".to_owned(),
        })
    }

    // --- Files -------------------------------------------------------------------------

    /// Checked. The bytes of a regular file; the runtime decodes them for `encoding`.
    pub fn pull(&self, path: &str) -> Result<Vec<u8>, PebbleError> {
        self.ensure_connected()?;
        self.fs.pull(path)
    }

    /// Checked. Writes `data` to `path` (mode `permissions`, default 0o644); user and
    /// group arguments are accepted by ops and ignored, so they are not taken here.
    pub fn push(
        &self,
        path: &str,
        data: &[u8],
        make_dirs: bool,
        permissions: Option<u32>,
    ) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        self.fs.push(path, data, make_dirs, permissions)
    }

    /// Checked. The entries of a directory, or the path itself when it is not a directory
    /// or `itself` is set, filtered by the fnmatch `pattern` on names.
    pub fn list_files(
        &self,
        path: &str,
        pattern: Option<&str>,
        itself: bool,
    ) -> Result<Vec<FileInfo>, PebbleError> {
        self.ensure_connected()?;
        self.fs.list_files(path, pattern, itself)
    }

    /// Checked. Makes a directory (mode `permissions`, default 0o755).
    pub fn make_dir(
        &self,
        path: &str,
        make_parents: bool,
        permissions: Option<u32>,
    ) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        self.fs.make_dir(path, make_parents, permissions)
    }

    /// Checked. Removes a file, a symlink (not its target) or a directory.
    pub fn remove_path(&self, path: &str, recursive: bool) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        self.fs.remove_path(path, recursive)
    }

    /// Checked, like the `list_files` it stands for in ops.
    pub fn exists(&self, path: &str) -> Result<bool, PebbleError> {
        self.ensure_connected()?;
        self.fs.exists(path)
    }

    /// Checked, like the `list_files` it stands for in ops.
    pub fn is_dir(&self, path: &str) -> Result<bool, PebbleError> {
        self.ensure_connected()?;
        self.fs.is_dir(path)
    }

    // --- Layers and plan ---------------------------------------------------------------

    /// Checked. Adds `layer` under `label`, or combines it into the layer already there
    /// when `combine` is set. Under `ops[testing]`, Pebble then starts the layer's checks.
    pub fn add_layer(
        &mut self,
        label: &str,
        layer: Layer,
        combine: bool,
    ) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        let layer_checks: Vec<String> = layer.checks.keys().cloned().collect();
        layer::add_layer(&mut self.container.layers, label, layer, combine)?;
        if self.tracks_check_infos() {
            checks::layer_added(self.container, &layer_checks);
        }
        Ok(())
    }

    /// Whether the container's `check_infos` follow layers and replans: under ops[testing],
    /// whose State has them. A Scenario 5 State has none, and its output keeps none, so a
    /// suite comparing output containers sees what 5.8.1 gave.
    fn tracks_check_infos(&self) -> bool {
        self.api == Api::Scenario8
    }

    /// Not checked: works while disconnected, as in Scenario 5.8.1.
    pub fn get_plan(&self) -> Plan {
        Plan::of(self.container)
    }

    // --- Services and checks -----------------------------------------------------------

    /// Checked. The plan's services (base plan included), sorted by name.
    pub fn get_services(&self, names: Option<&[String]>) -> Result<Vec<ServiceInfo>, PebbleError> {
        self.ensure_connected()?;
        Ok(service_infos(self.container, names))
    }

    /// Checked. Every name must be a service of the plan.
    pub fn start_services(&mut self, names: &[String]) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        services::change(self.container, Action::Start, names)
    }

    /// Checked. Every name must be a service of the plan.
    pub fn stop_services(&mut self, names: &[String]) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        services::change(self.container, Action::Stop, names)
    }

    /// Checked. Every name must be a service of the plan.
    pub fn restart_services(&mut self, names: &[String]) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        services::change(self.container, Action::Restart, names)
    }

    /// Checked. Starts every `startup: enabled` service that is not running.
    pub fn autostart_services(&mut self) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        services::start_enabled(self.container);
        Ok(())
    }

    /// Checked. Like `autostart_services`: nothing is stopped or restarted. Under
    /// `ops[testing]`, the plan's enabled checks that are not running start too.
    pub fn replan_services(&mut self) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        services::start_enabled(self.container);
        if self.tracks_check_infos() {
            checks::replanned(self.container);
        }
        Ok(())
    }

    /// Checked. `signal` is a name such as `"SIGHUP"` (the runtime converts numbers).
    pub fn send_signal(&self, signal: &str, names: &[String]) -> Result<(), PebbleError> {
        self.ensure_connected()?;
        services::send_signal(self.container, signal, names)
    }

    /// The plan's checks with their status, sorted by name. Checked under Scenario 5; not
    /// under `ops[testing]`, which answers while disconnected.
    pub fn get_checks(
        &self,
        level: Option<CheckLevel>,
        names: Option<&[String]>,
    ) -> Result<Vec<CheckInfo>, PebbleError> {
        self.ensure_connected_for_reads()?;
        Ok(check_infos(self.container, level, names))
    }

    /// Checked. Starts the named checks that are not running; the names it started.
    pub fn start_checks(&mut self, names: &[String]) -> Result<Vec<String>, PebbleError> {
        self.ensure_connected()?;
        checks::start(self.container, names)
    }

    /// Checked. Stops the named checks that are running; the names it stopped.
    pub fn stop_checks(&mut self, names: &[String]) -> Result<Vec<String>, PebbleError> {
        self.ensure_connected()?;
        checks::stop(self.container, names)
    }

    // --- Notices -----------------------------------------------------------------------

    /// The notices matching `filter`. Checked as `get_checks` is.
    pub fn get_notices(&self, filter: NoticeFilter<'_>) -> Result<Vec<&Notice>, PebbleError> {
        self.ensure_connected_for_reads()?;
        notices::notices(self.container, filter)
    }

    /// The notice with this id. Checked as `get_checks` is.
    pub fn get_notice(&self, id: &str) -> Result<&Notice, PebbleError> {
        self.ensure_connected_for_reads()?;
        notices::notice(self.container, id)
    }

    /// The connection rule of the reads ops[testing] answers while disconnected (checks
    /// and notices): checked under Scenario 5 only.
    fn ensure_connected_for_reads(&self) -> Result<(), PebbleError> {
        match self.api {
            Api::Scenario5 => self.ensure_connected(),
            Api::Scenario8 => Ok(()),
        }
    }

    // --- Exec --------------------------------------------------------------------------

    /// Not checked: works while disconnected, as in Scenario 5.8.1 and `ops[testing]`.
    pub fn exec(&self, command: &[String]) -> Result<ExecOutcome<'_>, PebbleError> {
        find_exec(self.container, command, self.api)
    }
}
