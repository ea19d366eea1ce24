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
/// `R` is what `action-set` was given, per key: a model [`Value`] for Rust callers; the
/// Python object itself for the Python package, since ops accepts any value there (a
/// `datetime`, an enum) and `ops[testing]` hands it back as given.
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
        }
    }
}
