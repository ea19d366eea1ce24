//! User and group names for file owners, read from the host's `passwd` and `group`
//! databases, because `FileInfo` carries names as well as ids.
//!
//! The files are read by `fs.rs`; this module only parses their text. Reading them
//! avoids `getpwuid`, which would need `unsafe` or a new dependency.

use std::collections::HashMap;

/// Names by id, for users and for groups.
#[derive(Debug, Default, Clone)]
pub(crate) struct Owners {
    users: HashMap<u32, String>,
    groups: HashMap<u32, String>,
}

impl Owners {
    /// Parses `/etc/passwd` and `/etc/group` text: `name:x:id:...` on every line.
    pub(crate) fn parse(passwd: &str, group: &str) -> Self {
        Owners {
            users: by_id(passwd),
            groups: by_id(group),
        }
    }

    pub(crate) fn user(&self, uid: u32) -> Option<String> {
        self.users.get(&uid).cloned()
    }

    pub(crate) fn group(&self, gid: u32) -> Option<String> {
        self.groups.get(&gid).cloned()
    }
}

fn by_id(text: &str) -> HashMap<u32, String> {
    let mut out = HashMap::new();
    for line in text.lines() {
        let mut fields = line.split(':');
        let (Some(name), Some(_), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        if let Ok(id) = id.parse() {
            // The first entry for an id wins, as getpwuid returns it.
            out.entry(id).or_insert_with(|| name.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_by_id() {
        let owners = Owners::parse(
            "root:x:0:0:root:/root:/bin/bash\n# comment\nbad line\nubuntu:x:1000:1000::/home/ubuntu:/bin/sh\ntoor:x:0:0::/:/bin/sh\n",
            "root:x:0:\nubuntu:x:1000:\n",
        );
        assert_eq!(owners.user(0).as_deref(), Some("root"));
        assert_eq!(owners.user(1000).as_deref(), Some("ubuntu"));
        assert_eq!(owners.user(7), None);
        assert_eq!(owners.group(1000).as_deref(), Some("ubuntu"));
    }
}
