//! Attached storage instances and the process-wide storage index counter.

use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

static NEXT_STORAGE_INDEX: AtomicU32 = AtomicU32::new(0);

/// The index the next storage made without one gets; with `update` the counter moves on.
pub fn next_storage_index(update: bool) -> u32 {
    if update {
        NEXT_STORAGE_INDEX.fetch_add(1, Ordering::SeqCst)
    } else {
        NEXT_STORAGE_INDEX.load(Ordering::SeqCst)
    }
}

/// One attached storage instance, `<name>/<index>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub name: String,
    pub index: u32,
}

impl Storage {
    pub fn new(name: impl Into<String>) -> Self {
        Storage {
            name: name.into(),
            index: next_storage_index(true),
        }
    }

    /// Juju's storage id, `<name>/<index>`.
    pub fn storage_id(&self) -> String {
        format!("{}/{}", self.name, self.index)
    }
}
