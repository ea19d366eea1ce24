//! Pebble's override rules: how a service, check or log target combines with an earlier
//! definition of the same name, and `add_layer` on a container's layers.
//!
//! The rules are Pebble's (`override: merge` merges field by field, `override: replace`
//! replaces the whole object), applied alike to services, checks and log targets.

use indexmap::IndexMap;
use scenario_model::{Layer, LayerObject};
use serde_json::Value;

use crate::error::PebbleError;

/// The three kinds of named objects a layer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Service,
    Check,
    LogTarget,
}

impl Kind {
    /// How Pebble names the kind in its error messages.
    fn noun(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Check => "check",
            Kind::LogTarget => "log target",
        }
    }

    fn rules(self) -> &'static MergeRules {
        match self {
            Kind::Service => &SERVICE,
            Kind::Check => &CHECK,
            Kind::LogTarget => &LOG_TARGET,
        }
    }
}

/// Which fields of an object merge as lists, as maps or as nested objects; every other
/// field is a scalar that the newer definition replaces.
#[derive(Debug)]
struct MergeRules {
    /// Appended, skipping values already present.
    lists: &'static [&'static str],
    /// Merged key by key, newer values winning.
    maps: &'static [&'static str],
    /// Sub-objects merged with their own rules.
    nested: &'static [(&'static str, &'static MergeRules)],
}

const NO_RULES: MergeRules = MergeRules {
    lists: &[],
    maps: &[],
    nested: &[],
};

static SERVICE: MergeRules = MergeRules {
    lists: &["after", "before", "requires"],
    maps: &["environment", "on-check-failure"],
    nested: &[],
};

static CHECK: MergeRules = MergeRules {
    lists: &[],
    maps: &[],
    nested: &[
        (
            "http",
            &MergeRules {
                maps: &["headers"],
                ..NO_RULES
            },
        ),
        ("tcp", &NO_RULES),
        (
            "exec",
            &MergeRules {
                maps: &["environment"],
                ..NO_RULES
            },
        ),
    ],
};

static LOG_TARGET: MergeRules = MergeRules {
    lists: &["services"],
    maps: &["labels"],
    nested: &[],
};

/// Whether an object says `override: merge`.
fn merges(obj: &LayerObject) -> bool {
    obj.get("override").and_then(Value::as_str) == Some("merge")
}

/// Puts `obj` over an earlier definition in `map`: merged into it when `obj` says
/// `override: merge`, otherwise (replace, or no override when rendering a plan, as ops's
/// testing client does) replacing it.
pub(crate) fn apply(
    map: &mut IndexMap<String, LayerObject>,
    name: &str,
    obj: &LayerObject,
    kind: Kind,
) {
    match map.get_mut(name) {
        Some(existing) if merges(obj) => {
            merge_fields(existing, obj, kind.rules());
        }
        _ => {
            map.insert(name.to_owned(), obj.clone());
        }
    }
}

/// `add_layer(label, layer, combine)` on a container's layers, in Pebble's order.
pub(crate) fn add_layer(
    layers: &mut IndexMap<String, Layer>,
    label: &str,
    layer: Layer,
    combine: bool,
) -> Result<(), PebbleError> {
    let Some(existing) = layers.get_mut(label) else {
        layers.insert(label.to_owned(), layer);
        return Ok(());
    };
    if !combine {
        return Err(PebbleError::api(
            400,
            format!("layer \"{label}\" already exists"),
        ));
    }
    // Every object must say how it combines; check them all before changing anything. An
    // empty `override` is a missing one to Pebble.
    let bad_override = layer.problems().into_iter().find(|p| p.field == "override");
    if let Some(p) = bad_override {
        let missing = p.value.as_ref().is_none_or(|v| v.as_str() == Some(""));
        let problem = if missing {
            "must define \"override\" for"
        } else {
            "has invalid \"override\" value for"
        };
        let noun = match p.section {
            "services" => Kind::Service,
            "checks" => Kind::Check,
            _ => Kind::LogTarget,
        }
        .noun();
        return Err(PebbleError::api(
            400,
            format!("layer \"{label}\" {problem} {noun} \"{}\"", p.name),
        ));
    }
    if !layer.summary.is_empty() {
        existing.summary.clone_from(&layer.summary);
    }
    if !layer.description.is_empty() {
        existing.description.clone_from(&layer.description);
    }
    for (name, obj) in &layer.services {
        apply(&mut existing.services, name, obj, Kind::Service);
    }
    for (name, obj) in &layer.checks {
        apply(&mut existing.checks, name, obj, Kind::Check);
    }
    for (name, obj) in &layer.log_targets {
        apply(&mut existing.log_targets, name, obj, Kind::LogTarget);
    }
    Ok(())
}

/// Merges `from` into `into`. An unset value (null, "", [] or {}) leaves the field
/// alone, as Pebble's zero values do.
fn merge_fields(into: &mut LayerObject, from: &LayerObject, rules: &MergeRules) {
    for (key, value) in from {
        if is_unset(value) {
            continue;
        }
        let key_is = |names: &[&str]| names.contains(&key.as_str());
        let nested = rules
            .nested
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, r)| *r);
        match (into.get_mut(key), value) {
            (Some(Value::Array(old)), Value::Array(new)) if key_is(rules.lists) => {
                for item in new {
                    if !old.contains(item) {
                        old.push(item.clone());
                    }
                }
            }
            (Some(Value::Object(old)), Value::Object(new)) if key_is(rules.maps) => {
                old.extend(new.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            (Some(Value::Object(old)), Value::Object(new)) if nested.is_some() => {
                merge_fields(old, new, nested.unwrap_or(&NO_RULES));
            }
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

fn is_unset(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> LayerObject {
        match v {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn service_merge_rules() {
        let mut base = obj(json!({
            "override": "replace", "command": "a", "startup": "enabled",
            "after": ["x"], "environment": {"A": "1", "B": "2"}, "user": "root",
        }));
        let over = obj(json!({
            "override": "merge", "command": "b", "after": ["x", "y"],
            "environment": {"B": "3"}, "user": "", "summary": null,
        }));
        merge_fields(&mut base, &over, Kind::Service.rules());
        assert_eq!(
            Value::Object(base),
            json!({
                "override": "merge", "command": "b", "startup": "enabled",
                "after": ["x", "y"], "environment": {"A": "1", "B": "3"}, "user": "root",
            })
        );
    }

    #[test]
    fn check_merge_recurses_into_http() {
        let mut base = obj(json!({
            "override": "replace", "level": "alive",
            "http": {"url": "http://a", "headers": {"X": "1"}},
        }));
        let over = obj(json!({
            "override": "merge", "threshold": 5,
            "http": {"headers": {"Y": "2"}},
        }));
        merge_fields(&mut base, &over, Kind::Check.rules());
        assert_eq!(
            Value::Object(base),
            json!({
                "override": "merge", "level": "alive", "threshold": 5,
                "http": {"url": "http://a", "headers": {"X": "1", "Y": "2"}},
            })
        );
    }

    #[test]
    fn log_target_merge_rules() {
        let mut base = obj(json!({
            "override": "replace", "type": "loki", "services": ["a"], "labels": {"k": "v"},
        }));
        let over = obj(json!({
            "override": "merge", "location": "http://loki", "services": ["a", "b"],
            "labels": {"j": "w"},
        }));
        merge_fields(&mut base, &over, Kind::LogTarget.rules());
        assert_eq!(
            Value::Object(base),
            json!({
                "override": "merge", "type": "loki", "location": "http://loki",
                "services": ["a", "b"], "labels": {"k": "v", "j": "w"},
            })
        );
    }

    #[test]
    fn apply_without_override_replaces() {
        let mut map = IndexMap::from([("s".to_owned(), obj(json!({"command": "a", "user": "u"})))]);
        apply(&mut map, "s", &obj(json!({"command": "b"})), Kind::Service);
        assert_eq!(Value::Object(map["s"].clone()), json!({"command": "b"}));
    }
}
