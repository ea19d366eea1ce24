//! The plan: the container's base plan with its layers applied on top, in the order the
//! layers were added (Pebble's order for layers added through the API).
//!
//! Scenario 5.8.1 sorted the labels and dropped checks and log targets; here every kind
//! of object follows the same override rules across layers.

use indexmap::IndexMap;
use scenario_model::{Container, LayerObject};
use serde_json::Value;

use crate::layer::{Kind, apply};

/// The combined configuration of a container, as ops's `pebble.Plan` holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub services: IndexMap<String, LayerObject>,
    pub checks: IndexMap<String, LayerObject>,
    pub log_targets: IndexMap<String, LayerObject>,
}

impl Plan {
    /// The plan of `container`: `_base_plan` first, then each layer in insertion order.
    ///
    /// Entries of the base plan that are not mappings are skipped: the plan is read by
    /// `get_plan`, which never fails.
    pub fn of(container: &Container) -> Plan {
        let mut plan = Plan::default();
        for (kind, key) in [
            (Kind::Service, "services"),
            (Kind::Check, "checks"),
            (Kind::LogTarget, "log-targets"),
        ] {
            let Some(Value::Object(section)) = container.base_plan.get(key) else {
                continue;
            };
            for (name, obj) in section {
                if let Value::Object(obj) = obj {
                    apply(plan.section_mut(kind), name, obj, kind);
                }
            }
        }
        for layer in container.layers.values() {
            for (name, obj) in &layer.services {
                apply(&mut plan.services, name, obj, Kind::Service);
            }
            for (name, obj) in &layer.checks {
                apply(&mut plan.checks, name, obj, Kind::Check);
            }
            for (name, obj) in &layer.log_targets {
                apply(&mut plan.log_targets, name, obj, Kind::LogTarget);
            }
        }
        // Pebble serialises its plan with names sorted.
        plan.services.sort_keys();
        plan.checks.sort_keys();
        plan.log_targets.sort_keys();
        plan
    }

    /// The plan as the mapping `pebble.Plan(...)` takes: `services`, `checks` and
    /// `log-targets`, each left out when empty.
    pub fn to_dict(&self) -> LayerObject {
        let mut out = LayerObject::new();
        for (key, section) in [
            ("services", &self.services),
            ("checks", &self.checks),
            ("log-targets", &self.log_targets),
        ] {
            if !section.is_empty() {
                let section = section
                    .iter()
                    .map(|(name, obj)| (name.clone(), Value::Object(obj.clone())))
                    .collect();
                out.insert(key.to_owned(), Value::Object(section));
            }
        }
        out
    }

    fn section_mut(&mut self, kind: Kind) -> &mut IndexMap<String, LayerObject> {
        match kind {
            Kind::Service => &mut self.services,
            Kind::Check => &mut self.checks,
            Kind::LogTarget => &mut self.log_targets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario_model::Layer;
    use serde_json::json;

    fn obj(v: Value) -> LayerObject {
        match v {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    fn layer(v: Value) -> Layer {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn base_plan_then_layers_in_insertion_order() {
        let mut c = Container::new("c");
        c.base_plan = obj(json!({
            "services": {"base": {"command": "b", "environment": {"A": "1"}}},
            "checks": {"ready": {"level": "ready", "threshold": 2}},
            "log-targets": "not a mapping",
        }));
        // "z" is added before "a": Pebble applies "z" first, so "a" wins.
        c.layers.insert(
            "z".into(),
            layer(json!({"services": {"svc": {"override": "replace", "command": "first"}}})),
        );
        c.layers.insert(
            "a".into(),
            layer(json!({
                "services": {
                    "svc": {"override": "replace", "command": "second"},
                    "base": {"override": "merge", "environment": {"B": "2"}},
                },
                "checks": {"ready": {"override": "merge", "threshold": 5}},
                "log-targets": {"loki": {"override": "replace", "type": "loki", "services": ["all"]}},
            })),
        );
        let plan = Plan::of(&c);
        assert_eq!(plan.services["svc"]["command"], "second");
        assert_eq!(
            Value::Object(plan.services["base"].clone()),
            json!({"command": "b", "environment": {"A": "1", "B": "2"}, "override": "merge"})
        );
        assert_eq!(plan.checks["ready"]["threshold"], 5);
        assert_eq!(plan.checks["ready"]["level"], "ready");
        assert_eq!(plan.log_targets["loki"]["type"], "loki");
        let keys: Vec<_> = plan.services.keys().cloned().collect();
        assert_eq!(keys, ["base", "svc"]);
        let dict = plan.to_dict();
        assert_eq!(
            dict.keys().collect::<Vec<_>>(),
            ["services", "checks", "log-targets"]
        );
    }

    #[test]
    fn empty_plan_is_an_empty_dict() {
        assert!(Plan::of(&Container::new("c")).to_dict().is_empty());
    }
}
