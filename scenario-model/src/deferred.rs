//! Deferred events: the notices and snapshots ops keeps for events a charm deferred.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::value::Value;

/// One deferred event waiting to be re-emitted at the start of the next hook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeferredEvent {
    /// The event's handle, e.g. `MyCharm/on/start[1]`.
    pub handle_path: String,
    /// The handle path of the observing object, e.g. `MyCharm`.
    pub owner: String,
    /// The observer method's name.
    pub observer: String,
    /// What the event's `snapshot()` returned.
    #[serde(default)]
    pub snapshot_data: IndexMap<String, Value>,
}

impl DeferredEvent {
    /// The event name: the last path segment, before its `[n]`.
    pub fn name(&self) -> &str {
        let last = self.handle_path.rsplit('/').next().unwrap_or_default();
        last.split('[').next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_is_the_last_segment_without_its_index() {
        let d = DeferredEvent {
            handle_path: "MyCharm/MyLib/on/database_ready[1]".into(),
            owner: "MyCharm".into(),
            observer: "_on".into(),
            snapshot_data: IndexMap::new(),
        };
        assert_eq!(d.name(), "database_ready");
    }
}
