//! What a Context records of a run: the write-only side effects a charm produces.

use indexmap::IndexMap;
use scenario_model::{EntityStatus, Value};

/// One `juju-log` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JujuLogLine {
    pub level: String,
    pub message: String,
}

/// The side effects of one run, taken by the Context when the run ends.
///
/// `R` is what the host hands over and gets back as given: what `action-set` was given,
/// per key, and the arguments of each command the charm ran in a container. A model
/// [`Value`] for Rust callers; the Python object itself for the Python package, since ops
/// accepts any value in `action-set` (a `datetime`, an enum) and `ops[testing]` hands it
/// back as given, and its exec records are `ops[testing]`'s `ExecArgs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Records<R = Value> {
    /// Each status the unit had before a `status-set` replaced it.
    pub unit_status_history: Vec<EntityStatus>,
    pub app_status_history: Vec<EntityStatus>,
    /// Each non-empty workload version before `application-version-set` replaced it.
    pub workload_version_history: Vec<String>,
    pub juju_log: Vec<JujuLogLine>,
    pub action_logs: Vec<String>,
    /// `None` until the charm calls `action-set`.
    pub action_results: Option<IndexMap<String, R>>,
    /// `None` unless the charm calls `action-fail`.
    pub action_failure: Option<String>,
    /// `storage-add` requests: name to count, the last request winning.
    pub requested_storages: IndexMap<String, u32>,
    /// Revisions `secret-remove` was given (`ops[testing]`'s `removed_secret_revisions`).
    pub removed_secret_revisions: Vec<u32>,
    /// Container name to the commands the charm ran there, in order (`ops[testing]`'s
    /// `exec_history`): recorded by the caller of the Pebble tools, who knows what the
    /// process was given (its stdin, its encoding).
    pub exec_history: IndexMap<String, Vec<R>>,
}

impl<R> Default for Records<R> {
    fn default() -> Self {
        Records {
            unit_status_history: Vec::new(),
            app_status_history: Vec::new(),
            workload_version_history: Vec::new(),
            juju_log: Vec::new(),
            action_logs: Vec::new(),
            action_results: None,
            action_failure: None,
            requested_storages: IndexMap::new(),
            removed_secret_revisions: Vec::new(),
            exec_history: IndexMap::new(),
        }
    }
}
