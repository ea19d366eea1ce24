//! The names Juju accepts for relation endpoints, storages, actions and containers (its
//! patterns, from juju/names and juju/charm, matched by hand: the patterns are small and
//! this crate has no regex engine). One home for the rule: the state classes refuse a bad
//! name when made, as `ops[testing]` does, and the consistency checker's NM1 refuses one in a
//! State read from JSON or YAML.

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
    pub fn noun(self) -> &'static str {
        match self {
            NameKind::Endpoint => "relation endpoint",
            NameKind::Storage => "storage",
            NameKind::Action => "action",
            NameKind::Container => "container",
        }
    }

    /// What Juju asks of the name, for messages.
    pub fn requirement(self) -> &'static str {
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

impl NameKind {
    /// Why `name` is not one Juju accepts, or `None` when it is.
    pub fn problem(self, name: &str) -> Option<String> {
        if self.accepts(name) {
            return None;
        }
        let noun = self.noun();
        Some(format!(
            "invalid {noun} name '{name}': Juju requires {noun} names to consist of {}",
            self.requirement()
        ))
    }
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
