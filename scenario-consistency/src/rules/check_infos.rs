//! Check-info rules: each `CheckInfo` of a container is a check of the container's plan
//! (C7) with the plan's level (C8), startup (C9) and threshold (C10).
//!
//! The plan is the container's `_base_plan` with its layers applied in order. This crate
//! may not use `scenario-pebble` (its sibling), and it needs only three scalar fields of
//! each check, so it folds them here with Pebble's rules for scalars, as
//! `scenario_pebble::Plan::of` does: a definition with `override: merge` replaces the
//! fields it sets (a null or empty value sets nothing), any other replaces the whole check.

use std::collections::HashMap;

use scenario_model::{CheckInfo, CheckStartup, Container, LayerObject};
use serde_json::Value as Json;

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::rule::Rule;

/// Pebble's failure threshold for a check that sets none.
const DEFAULT_THRESHOLD: u64 = 3;

pub fn check(c: &mut Check<'_>) {
    let state = c.state;
    for (i, container) in state.containers.iter().enumerate() {
        if container.check_infos.is_empty() {
            continue;
        }
        let plan = plan_checks(container);
        // The plan's check names for messages, listed once per container at most.
        let mut planned_names: Option<String> = None;
        for (j, info) in container.check_infos.iter().enumerate() {
            let path = format!("state.containers[{i}].check_infos[{j}]");
            match plan.get(info.name.as_str()) {
                None => {
                    let names = planned_names.get_or_insert_with(|| {
                        let mut names: Vec<&str> = plan.keys().copied().collect();
                        names.sort_unstable();
                        py_list(names)
                    });
                    not_planned(c, &path, container, info, names);
                }
                Some(planned) => compare(c, &path, container, info, planned),
            }
        }
    }
}

/// The three fields of a plan check the rules compare, as the layers wrote them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct PlanCheck<'a> {
    level: Option<&'a Json>,
    startup: Option<&'a Json>,
    threshold: Option<&'a Json>,
}

impl<'a> PlanCheck<'a> {
    fn of(obj: &'a LayerObject) -> Self {
        PlanCheck {
            level: obj.get("level"),
            startup: obj.get("startup"),
            threshold: obj.get("threshold"),
        }
    }

    /// `override: merge`: each field the newer definition sets replaces the older one.
    fn merge(&mut self, newer: PlanCheck<'a>) {
        for (old, new) in [
            (&mut self.level, newer.level),
            (&mut self.startup, newer.startup),
            (&mut self.threshold, newer.threshold),
        ] {
            if new.is_some_and(|v| !is_unset(v)) {
                *old = new;
            }
        }
    }
}

/// Pebble's zero values, which a merge skips.
fn is_unset(value: &Json) -> bool {
    match value {
        Json::Null => true,
        Json::String(s) => s.is_empty(),
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        Json::Bool(_) | Json::Number(_) => false,
    }
}

/// The container's plan checks by name: the base plan's, then each layer's in order.
fn plan_checks(container: &Container) -> HashMap<&str, PlanCheck<'_>> {
    let mut checks: HashMap<&str, PlanCheck<'_>> = HashMap::new();
    let base = container
        .base_plan
        .get("checks")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, obj)| Some((name, obj.as_object()?)));
    let layered = container.layers.values().flat_map(|layer| &layer.checks);
    for (name, obj) in base.chain(layered) {
        let newer = PlanCheck::of(obj);
        let merge = obj.get("override").and_then(Json::as_str) == Some("merge");
        match checks.get_mut(name.as_str()) {
            Some(older) if merge => older.merge(newer),
            _ => {
                checks.insert(name, newer);
            }
        }
    }
    checks
}

fn not_planned(
    c: &mut Check<'_>,
    path: &str,
    container: &Container,
    info: &CheckInfo,
    names: &str,
) {
    c.error_since_8(
        Rule::C7,
        format!("{path}.name"),
        format!(
            "container {} has check_info {}, but its plan has no such check (plan checks: {names}): add the check to one of the container's layers, or remove the check_info",
            py_str(&container.name),
            py_str(&info.name),
        ),
    );
}

/// A plan field as text: `''` for unset, the string itself, or the JSON of anything else.
fn text(value: Option<&Json>) -> String {
    match value {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// How a message shows a level or startup: `'alive'`, or `unset`.
fn shown(text: &str) -> String {
    if text.is_empty() {
        "unset".to_owned()
    } else {
        py_str(text)
    }
}

fn compare(
    c: &mut Check<'_>,
    path: &str,
    container: &Container,
    info: &CheckInfo,
    planned: &PlanCheck<'_>,
) {
    let subject = || {
        format!(
            "check_info {} of container {}",
            py_str(&info.name),
            py_str(&container.name)
        )
    };

    // A level of None means unset, and must meet an unset level in the plan.
    let info_level = info.level.map_or("", |l| l.as_str());
    let plan_level = text(planned.level);
    if info_level != plan_level {
        c.error_since_8(
            Rule::C8,
            format!("{path}.level"),
            format!(
                "{} has level {} but the plan's check has level {}: give the check_info the plan's level ({})",
                subject(),
                if info.level.is_none() { "None".to_owned() } else { shown(info_level) },
                shown(&plan_level),
                if plan_level.is_empty() { "None".to_owned() } else { py_str(&plan_level) },
            ),
        );
    }

    // Unset startup means enabled, on both sides.
    let info_startup = match info.startup {
        CheckStartup::Unset | CheckStartup::Enabled => "enabled",
        CheckStartup::Disabled => "disabled",
    };
    let mut plan_startup = text(planned.startup);
    if plan_startup.is_empty() {
        "enabled".clone_into(&mut plan_startup);
    }
    if info_startup != plan_startup {
        c.error_since_8(
            Rule::C9,
            format!("{path}.startup"),
            format!(
                "{} has startup {} but the plan's check has startup {}: give the check_info the plan's startup",
                subject(),
                py_str(info_startup),
                py_str(&plan_startup),
            ),
        );
    }

    // No threshold means Pebble's default, on both sides.
    let plan_threshold = match planned.threshold {
        None | Some(Json::Null) => Some(DEFAULT_THRESHOLD),
        Some(value) => value.as_u64(),
    };
    if plan_threshold != Some(u64::from(info.threshold)) {
        c.error_since_8(
            Rule::C10,
            format!("{path}.threshold"),
            format!(
                "{} has threshold {} but the plan's check has threshold {}: give the check_info the plan's threshold",
                subject(),
                info.threshold,
                plan_threshold.map_or_else(|| text(planned.threshold), |t| t.to_string()),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario_model::Layer;
    use serde_json::json;

    fn obj(v: Json) -> LayerObject {
        match v {
            Json::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    fn layer(v: Json) -> Layer {
        serde_json::from_value(v).unwrap()
    }

    /// The same layering as `scenario_pebble::plan`'s test: base plan, then layers in
    /// insertion order, merge setting only what it sets.
    #[test]
    fn folds_the_base_plan_and_layers_as_pebble_does() {
        let mut c = Container::new("c");
        c.base_plan = obj(json!({
            "checks": {"ready": {"level": "ready", "threshold": 2}, "bad": 3},
        }));
        c.layers.insert(
            "z".into(),
            layer(json!({"checks": {"live": {"override": "replace", "level": "alive"}}})),
        );
        c.layers.insert(
            "a".into(),
            layer(json!({"checks": {
                "ready": {"override": "merge", "threshold": 5, "level": ""},
                "live": {"override": "replace", "startup": "disabled"},
            }})),
        );
        let plan = plan_checks(&c);
        assert_eq!(plan.len(), 2, "{plan:?}");
        let ready = plan["ready"];
        assert_eq!(ready.level, Some(&json!("ready")));
        assert_eq!(ready.threshold, Some(&json!(5)));
        // Replaced wholesale: the level of layer "z" is gone.
        let live = plan["live"];
        assert_eq!(live.level, None);
        assert_eq!(live.startup, Some(&json!("disabled")));
    }
}
