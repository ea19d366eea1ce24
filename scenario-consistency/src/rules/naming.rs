//! Name rule NM1: the State's relation endpoints, storages and containers, and the event's
//! action, have names Juju accepts.
//!
//! ops[testing] 8.9 checks these names in the constructors (`StateValidationError`), which
//! cannot know the API here, so the check is a rule: an error under ops[testing], and only
//! stricter under Scenario 5, which took any name. The patterns are Juju's (juju/names and
//! juju/charm), as 8.9 quotes them; they are matched by hand, as this crate has no regex
//! engine and the patterns are small.

use crate::check::Check;
use crate::names::py_str;
use crate::rule::Rule;

/// The kinds of names Juju validates, each with its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// `^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$`
    Endpoint,
    /// `^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$`
    Storage,
    /// `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`
    Action,
    /// The action pattern, and at most 63 characters (a Kubernetes container name).
    Container,
}

/// The longest Kubernetes container name (an RFC 1123 DNS label).
const MAX_CONTAINER_NAME: usize = 63;

impl NameKind {
    fn noun(self) -> &'static str {
        match self {
            NameKind::Endpoint => "relation endpoint",
            NameKind::Storage => "storage",
            NameKind::Action => "action",
            NameKind::Container => "container",
        }
    }

    /// What Juju asks of the name, for messages.
    fn requirement(self) -> &'static str {
        match self {
            NameKind::Endpoint => {
                "lowercase letters and digits in parts separated by single hyphens or underscores, starting with a letter"
            }
            NameKind::Storage => {
                "lowercase letters and digits in parts separated by single hyphens, starting with a letter, each part holding a letter"
            }
            NameKind::Action => {
                "lowercase letters, digits and hyphens, starting and ending with a letter or digit"
            }
            NameKind::Container => {
                "lowercase letters, digits and hyphens, starting and ending with a letter or digit, at most 63 characters"
            }
        }
    }

    pub fn accepts(self, name: &str) -> bool {
        let lower_alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        let bytes = name.as_bytes();
        match self {
            NameKind::Endpoint => {
                bytes.first().is_some_and(u8::is_ascii_lowercase)
                    && name
                        .split(['-', '_'])
                        .all(|part| !part.is_empty() && part.bytes().all(lower_alnum))
            }
            NameKind::Storage => {
                bytes.first().is_some_and(u8::is_ascii_lowercase)
                    && name.split('-').all(|part| {
                        part.bytes().all(lower_alnum)
                            && part.bytes().any(|b| b.is_ascii_lowercase())
                    })
            }
            NameKind::Action | NameKind::Container => {
                (self == NameKind::Action || bytes.len() <= MAX_CONTAINER_NAME)
                    && bytes.first().copied().is_some_and(lower_alnum)
                    && bytes.last().copied().is_some_and(lower_alnum)
                    && bytes.iter().all(|b| lower_alnum(*b) || *b == b'-')
            }
        }
    }
}

pub fn check(c: &mut Check<'_>) {
    let (state, event) = (c.state, c.event);
    for (i, relation) in state.relations.iter().enumerate() {
        validate(c, NameKind::Endpoint, relation.endpoint(), || {
            format!("state.relations[{i}].endpoint")
        });
    }
    for (i, storage) in state.storage.iter().enumerate() {
        validate(c, NameKind::Storage, &storage.name, || {
            format!("state.storage[{i}].name")
        });
    }
    for (i, container) in state.containers.iter().enumerate() {
        validate(c, NameKind::Container, &container.name, || {
            format!("state.containers[{i}].name")
        });
    }
    if let Some(action) = &event.action {
        validate(c, NameKind::Action, &action.name, || {
            "event.action.name".to_owned()
        });
    }
}

fn validate(c: &mut Check<'_>, kind: NameKind, name: &str, path: impl FnOnce() -> String) {
    if kind.accepts(name) {
        return;
    }
    c.error_since_8(
        Rule::NM1,
        path(),
        format!(
            "the {} name {} is not one Juju accepts: rename it here and in the charm's metadata to {}",
            kind.noun(),
            py_str(name),
            kind.requirement()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_names() {
        for ok in ["db", "my-db", "my_db", "db2", "a-1_b"] {
            assert!(NameKind::Endpoint.accepts(ok), "{ok}");
        }
        for bad in [
            "", "2db", "My-db", "db-", "db--x", "-db", "db_-x", "d.b", "_db",
        ] {
            assert!(!NameKind::Endpoint.accepts(bad), "{bad}");
        }
    }

    #[test]
    fn storage_names() {
        for ok in ["data", "my-data", "data2", "a-b1", "a-1b"] {
            assert!(NameKind::Storage.accepts(ok), "{ok}");
        }
        for bad in ["", "my_data", "data-1", "1data", "data-", "da--ta", "Data"] {
            assert!(!NameKind::Storage.accepts(bad), "{bad}");
        }
    }

    #[test]
    fn action_and_container_names() {
        for ok in ["backup", "do-it", "1st", "a--b", "x"] {
            assert!(NameKind::Action.accepts(ok), "{ok}");
            assert!(NameKind::Container.accepts(ok), "{ok}");
        }
        for bad in ["", "do_it", "-a", "a-", "Do", "a b"] {
            assert!(!NameKind::Action.accepts(bad), "{bad}");
            assert!(!NameKind::Container.accepts(bad), "{bad}");
        }
        let long = "a".repeat(64);
        assert!(NameKind::Action.accepts(&long));
        assert!(!NameKind::Container.accepts(&long));
        assert!(NameKind::Container.accepts(&long[..63]));
    }
}
