//! What the checker reads from the raw charm spec: metadata sections, the endpoint index
//! (role and scope by name), config options and action declarations.
//!
//! The spec keeps the YAML documents as raw JSON maps, and a charm author can write
//! anything there, so every accessor tolerates a wrong shape by treating it as absent.

use std::collections::HashMap;

use scenario_model::{CharmSpec, EndpointRole};
use serde_json::{Map, Value as Json};

/// Every charm implicitly provides `juju-info`, so it counts as declared even when absent.
pub const JUJU_INFO: &str = "juju-info";

/// A metadata section such as `requires` or `containers`, if it is a mapping.
pub fn meta_section<'a>(spec: &'a CharmSpec, key: &str) -> Option<&'a Map<String, Json>> {
    spec.meta.get(key).and_then(Json::as_object)
}

/// Whether `name` is a key of the metadata section `key`.
pub fn meta_declares(spec: &CharmSpec, key: &str, name: &str) -> bool {
    meta_section(spec, key).is_some_and(|m| m.contains_key(name))
}

/// The keys of a metadata section, in declaration order, for messages.
pub fn meta_names<'a>(spec: &'a CharmSpec, key: &str) -> impl Iterator<Item = &'a str> {
    meta_section(spec, key)
        .into_iter()
        .flat_map(|m| m.keys().map(String::as_str))
}

/// The `options` of the config spec, if there is one.
pub fn config_options(spec: &CharmSpec) -> Option<&Map<String, Json>> {
    spec.config.as_ref()?.get("options")?.as_object()
}

/// Which relation kind an endpoint's scope calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The default, `scope: global`: a regular (or peer) relation.
    Global,
    /// `scope: container`: a subordinate relation.
    Container,
    /// The implicit `juju-info` endpoint, which a subordinate may relate to either way.
    Either,
}

/// One declared endpoint, as the checker needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointInfo {
    pub role: EndpointRole,
    pub scope: Scope,
}

/// The declared endpoints by name, built once per check so relation lookups are O(1).
#[derive(Debug)]
pub struct Endpoints<'a> {
    by_name: HashMap<&'a str, EndpointInfo>,
    /// Every name in declaration order (requires, provides, peers), each once.
    ordered: Vec<&'a str>,
    /// Names declared again under a later role, with that role.
    pub duplicates: Vec<(&'a str, EndpointRole)>,
}

const IMPLICIT_JUJU_INFO: EndpointInfo = EndpointInfo {
    role: EndpointRole::Provides,
    scope: Scope::Either,
};

impl<'a> Endpoints<'a> {
    pub fn from_spec(spec: &'a CharmSpec) -> Self {
        let mut index = Endpoints {
            by_name: HashMap::new(),
            ordered: Vec::new(),
            duplicates: Vec::new(),
        };
        for role in EndpointRole::ALL {
            for (name, body) in meta_section(spec, role.key()).into_iter().flatten() {
                let scope = if body.get("scope").and_then(Json::as_str) == Some("container") {
                    Scope::Container
                } else {
                    Scope::Global
                };
                let info = EndpointInfo { role, scope };
                if index.by_name.contains_key(name.as_str()) {
                    index.duplicates.push((name, role));
                } else {
                    index.by_name.insert(name, info);
                    index.ordered.push(name);
                }
            }
        }
        index
    }

    /// The endpoint called exactly `name`, including the implicit `juju-info`.
    pub fn get(&self, name: &str) -> Option<EndpointInfo> {
        match self.by_name.get(name) {
            Some(info) => Some(*info),
            None if name == JUJU_INFO => Some(IMPLICIT_JUJU_INFO),
            None => None,
        }
    }

    /// The endpoint declared as `name` in metadata, leaving out the implicit `juju-info`.
    pub fn declared(&self, name: &str) -> Option<EndpointInfo> {
        self.by_name.get(name).copied()
    }

    /// The declared names, in declaration order.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.ordered.iter().copied()
    }

    /// The declared name that `name` matches once dashes and underscores are treated alike,
    /// to suggest a fix for a near miss. Linear, so only called when reporting.
    pub fn near_miss(&self, name: &str) -> Option<&'a str> {
        near_miss_in(self.names(), name)
    }
}

/// The declared name in `names` that `name` matches modulo dashes, for a "did you mean" hint.
pub fn near_miss_in<'a>(names: impl Iterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    let want = scenario_model::normalize_name(name);
    names
        .into_iter()
        .find(|n| *n != name && scenario_model::normalize_name(n) == want)
}

/// ` (did you mean 'x'?)` when there is a near miss, else nothing.
pub fn did_you_mean(near: Option<&str>) -> String {
    near.map(|n| format!(" (did you mean {}?)", crate::names::py_str(n)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(meta: &Json) -> CharmSpec {
        CharmSpec::new(meta.as_object().unwrap().clone(), None, None)
    }

    #[test]
    fn indexes_roles_scopes_and_duplicates() {
        let spec = spec(&json!({
            "requires": {"db": {"interface": "pg"}, "log": {"interface": "l", "scope": "container"}},
            "provides": {"db": {"interface": "x"}},
            "peers": {"cluster": {"interface": "c"}},
        }));
        let eps = Endpoints::from_spec(&spec);
        assert_eq!(eps.get("log").unwrap().scope, Scope::Container);
        assert_eq!(eps.get("cluster").unwrap().role, EndpointRole::Peers);
        assert_eq!(eps.get("juju-info").unwrap().scope, Scope::Either);
        assert_eq!(eps.get("nope"), None);
        assert_eq!(eps.duplicates, vec![("db", EndpointRole::Provides)]);
        assert_eq!(eps.names().collect::<Vec<_>>(), ["db", "log", "cluster"]);
    }

    #[test]
    fn wrong_shapes_count_as_absent() {
        let spec = spec(&json!({"requires": ["db"], "peers": {"p": 3}}));
        let eps = Endpoints::from_spec(&spec);
        assert_eq!(eps.get("db"), None);
        assert_eq!(eps.get("p").unwrap().scope, Scope::Global);
        assert_eq!(config_options(&spec), None);
    }

    #[test]
    fn near_misses_ignore_dash_versus_underscore() {
        let spec = spec(&json!({"requires": {"my-db": {}}}));
        let eps = Endpoints::from_spec(&spec);
        assert_eq!(eps.near_miss("my_db"), Some("my-db"));
        assert_eq!(eps.near_miss("my-db"), None);
        assert_eq!(did_you_mean(Some("x")), " (did you mean 'x'?)");
    }
}
