//! Deferred events: the notices and snapshots ops keeps for events a charm deferred.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::value::Value;

/// One deferred event waiting to be re-emitted at the start of the next hook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "DeferredEventFields")]
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

/// The fields as read, before [`DeferredEvent::check`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeferredEventFields {
    handle_path: String,
    owner: String,
    observer: String,
    #[serde(default)]
    snapshot_data: IndexMap<String, Value>,
}

impl TryFrom<DeferredEventFields> for DeferredEvent {
    type Error = DeferredEventError;

    fn try_from(f: DeferredEventFields) -> Result<Self, Self::Error> {
        let event = DeferredEvent {
            handle_path: f.handle_path,
            owner: f.owner,
            observer: f.observer,
            snapshot_data: f.snapshot_data,
        };
        event.check()?;
        Ok(event)
    }
}

/// A deferred event ops could never re-emit: it would drop it without a word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeferredEventError {
    #[error(
        "DeferredEvent.handle_path {0:?} is not an event's handle path: expected the emitter's path, then the event and its number, such as 'MyCharm/on/start[1]'"
    )]
    HandlePath(String),
    #[error(
        "DeferredEvent.owner {0:?} is not the handle path of the observing object, such as 'MyCharm'"
    )]
    Owner(String),
    #[error("DeferredEvent.observer {0:?} is not a method name, such as '_on_start'")]
    Observer(String),
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// One segment of a handle path: `kind` or `kind[key]`.
fn is_segment(s: &str) -> bool {
    match s.split_once('[') {
        None => !s.is_empty() && !s.contains(']'),
        Some((kind, key)) => {
            !kind.is_empty() && key.ends_with(']') && !key[..key.len() - 1].contains(']')
        }
    }
}

impl DeferredEvent {
    /// Whether ops could re-emit this event: a handle path ending in `event_name[n]` under
    /// an emitter's path, an owner path, and an observer that is a method name.
    pub fn check(&self) -> Result<(), DeferredEventError> {
        let bad_path = || DeferredEventError::HandlePath(self.handle_path.clone());
        let (emitter, last) = self.handle_path.rsplit_once('/').ok_or_else(bad_path)?;
        let (name, number) = last.split_once('[').ok_or_else(bad_path)?;
        let number = number.strip_suffix(']').ok_or_else(bad_path)?;
        if !is_identifier(name)
            || number.is_empty()
            || !number.bytes().all(|b| b.is_ascii_digit())
            || !emitter.split('/').all(is_segment)
        {
            return Err(bad_path());
        }
        if !self.owner.split('/').all(is_segment) {
            return Err(DeferredEventError::Owner(self.owner.clone()));
        }
        if !is_identifier(&self.observer) {
            return Err(DeferredEventError::Observer(self.observer.clone()));
        }
        Ok(())
    }

    /// The event name: the last path segment, before its `[n]`.
    pub fn name(&self) -> &str {
        let last = self.handle_path.rsplit('/').next().unwrap_or_default();
        last.split('[').next().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deferred(handle_path: &str, owner: &str, observer: &str) -> DeferredEvent {
        DeferredEvent {
            handle_path: handle_path.into(),
            owner: owner.into(),
            observer: observer.into(),
            snapshot_data: IndexMap::new(),
        }
    }

    #[test]
    fn ops_handle_paths_pass_the_check() {
        for (path, owner) in [
            ("MyCharm/on/start[1]", "MyCharm"),
            (
                "MyCharm/IngressRequirer[ingress]/on/ready[12]",
                "MyCharm/IngressRequirer[ingress]",
            ),
        ] {
            assert_eq!(deferred(path, owner, "_on_event").check(), Ok(()));
        }
    }

    #[test]
    fn nonsense_is_named_by_field() {
        for path in [
            "nonsense",
            "MyCharm/on/start",
            "MyCharm/on/start[x]",
            "/on/start[1]",
            "MyCharm/on/[1]",
            "MyCharm//start[1]",
        ] {
            assert_eq!(
                deferred(path, "MyCharm", "_on").check(),
                Err(DeferredEventError::HandlePath(path.into())),
                "{path}"
            );
        }
        assert!(matches!(
            deferred("C/on/start[1]", "", "_on").check(),
            Err(DeferredEventError::Owner(_))
        ));
        assert!(matches!(
            deferred("C/on/start[1]", "C", "not a method").check(),
            Err(DeferredEventError::Observer(_))
        ));
        let read: Result<DeferredEvent, _> =
            serde_json::from_str(r#"{"handle_path": "nonsense", "owner": "C", "observer": "_on"}"#);
        assert!(
            read.unwrap_err()
                .to_string()
                .contains("DeferredEvent.handle_path \"nonsense\"")
        );
    }

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
