//! Action rules: an action event carries its action, is named for it and the action is
//! declared (E3); declared params have a type (AP1) that JSON schema knows (AP2: stricter
//! for the declaration, an error for a value given to such a param); given params are
//! declared (AP3), of their declared type (AP4), and required ones are given (AP5).

use scenario_model::{Action, EventKind};
use serde_json::{Map, Value as Json};

use crate::check::Check;
use crate::names::{eq_normalized, py_list, py_str};
use crate::report::Severity;
use crate::rule::Rule;
use crate::spec_view::{did_you_mean, near_miss_in};
use crate::values::ParamType;

pub fn check(c: &mut Check<'_>) {
    let event = c.event;
    if event.kind() != EventKind::Action {
        return;
    }
    let Some(action) = &event.action else {
        c.error(
            Rule::E3,
            "event.action",
            format!(
                "the action event {} has no action: run it with the action it is for, e.g. ctx.run_action(Action('name', params={{...}}))",
                py_str(event.name())
            ),
        );
        return;
    };
    let prefix = event.prefix().unwrap_or_default();
    if !eq_normalized(prefix, &action.name) {
        c.error(
            Rule::E3,
            "event.action.name",
            format!(
                "the event {} is for action {} but its action is {}: pass an action called {}",
                py_str(event.name()),
                py_str(prefix),
                py_str(&action.name),
                py_str(prefix),
            ),
        );
    }
    if let Some(declaration) = declaration(c, action) {
        check_params(c, action, declaration.as_object());
    }
}

/// The action's declaration, or `None` after reporting why there is none.
fn declaration<'a>(c: &mut Check<'a>, action: &Action) -> Option<&'a Json> {
    let Some(actions) = &c.spec.actions else {
        c.error(
            Rule::E3,
            "event.action.name",
            format!(
                "action {} is run, but the charm declares no actions: declare it in actions.yaml (or under `actions` in charmcraft.yaml)",
                py_str(&action.name)
            ),
        );
        return None;
    };
    // `backup:` with nothing under it (null) is a declared action without params.
    let declaration = actions.get(&action.name);
    if declaration.is_none() {
        let names = || actions.keys().map(String::as_str);
        c.error(
            Rule::E3,
            "event.action.name",
            format!(
                "action {} is not declared{}: declare it in actions.yaml or run one of the declared actions: {}",
                py_str(&action.name),
                did_you_mean(near_miss_in(names(), &action.name)),
                py_list(names()),
            ),
        );
    }
    declaration
}

/// What a param's `type:` says.
enum Declared {
    /// No `type:` at all.
    Missing,
    /// Known JSON schema types; a value must match one.
    Known(Vec<ParamType>),
    /// A type name (or shape) we cannot judge values against.
    Unknown(String),
}

fn declared_type(body: &Json) -> Declared {
    let names: Vec<&str> = match body.get("type") {
        None | Some(Json::Null) => return Declared::Missing,
        Some(Json::String(name)) => vec![name],
        // JSON schema allows a list of types: `type: [string, "null"]`.
        Some(list @ Json::Array(items)) => match items.iter().map(Json::as_str).collect() {
            Some(names) => names,
            None => return Declared::Unknown(list.to_string()),
        },
        Some(other) => return Declared::Unknown(other.to_string()),
    };
    let mut known = Vec::with_capacity(names.len());
    for name in names {
        match ParamType::parse(name) {
            Some(ty) => known.push(ty),
            None => return Declared::Unknown(name.to_owned()),
        }
    }
    Declared::Known(known)
}

/// The declared type as the author wrote it: `integer`, or `["string","null"]`.
fn type_text(body: &Json) -> String {
    match body.get("type") {
        Some(Json::String(name)) => name.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn check_params(c: &mut Check<'_>, action: &Action, declaration: Option<&Map<String, Json>>) {
    let params = declaration
        .and_then(|d| d.get("params"))
        .and_then(Json::as_object);
    let action_path = || format!("charm_spec.actions[{}]", py_str(&action.name));

    for (name, body) in params.into_iter().flatten() {
        match declared_type(body) {
            Declared::Missing => c.error(
                Rule::AP1,
                format!("{}['params'][{}]", action_path(), py_str(name)),
                format!(
                    "param {} of action {} has no type: add `type:` (string, boolean, integer, number, array or object) to its declaration",
                    py_str(name),
                    py_str(&action.name)
                ),
            ),
            // Juju refuses such an actions.yaml; both original checkers only warned.
            Declared::Unknown(ty) => c.stricter(
                Rule::AP2,
                format!("{}['params'][{}]['type']", action_path(), py_str(name)),
                format!(
                    "param {} of action {} has type {}, which is not a JSON schema type, so Juju would refuse the actions.yaml: use string, boolean, integer, number, array or object",
                    py_str(name),
                    py_str(&action.name),
                    py_str(&ty)
                ),
            ),
            Declared::Known(_) => {}
        }
    }

    let open = declaration
        .and_then(|d| d.get("additionalProperties"))
        .and_then(Json::as_bool)
        == Some(true);
    for (name, value) in &action.params {
        let path = || format!("event.action.params[{}]", py_str(name));
        match params.and_then(|p| p.get(name)) {
            None if !open => {
                let names = || {
                    params
                        .into_iter()
                        .flat_map(|p| p.keys().map(String::as_str))
                };
                c.error(
                    Rule::AP3,
                    path(),
                    format!(
                        "param {} is not declared for action {}{}: declare it under the action's `params`, set `additionalProperties: true`, or drop it (declared: {})",
                        py_str(name),
                        py_str(&action.name),
                        did_you_mean(near_miss_in(names(), name)),
                        py_list(names()),
                    ),
                );
            }
            None => {}
            Some(body) => {
                if let Declared::Unknown(ty) = declared_type(body) {
                    // Both originals refused a value for such a param (they could not
                    // check it): an error, beside the declaration's own finding.
                    c.error(
                        Rule::AP2,
                        path(),
                        format!(
                            "param {} of action {} has type {}, which Juju does not know, so the value given cannot be checked: declare it as string, boolean, integer, number, array or object",
                            py_str(name),
                            py_str(&action.name),
                            py_str(&ty)
                        ),
                    );
                }
                if let Declared::Known(types) = declared_type(body) {
                    if !types.iter().any(|t| t.accepts(value)) {
                        let wanted: Vec<&str> = types.iter().map(|t| t.python_name()).collect();
                        // The originals checked a single type with isinstance (a bool is
                        // an int, a str a Sequence), and crashed on a list of types.
                        let severity = match types.as_slice() {
                            [one] if one.python_accepts(value) => Severity::Stricter,
                            _ => Severity::Error,
                        };
                        c.graded(
                            [severity; 2],
                            Rule::AP4,
                            path(),
                            format!(
                                "param {} of action {} has type {}, but the event gives a {}: give it a value of type {}",
                                py_str(name),
                                py_str(&action.name),
                                type_text(body),
                                value.type_name(),
                                wanted.join(" or "),
                            ),
                        );
                    }
                }
            }
        }
    }

    check_required(c, action, declaration, params);
}

fn check_required(
    c: &mut Check<'_>,
    action: &Action,
    declaration: Option<&Map<String, Json>>,
    params: Option<&Map<String, Json>>,
) {
    let required = declaration
        .and_then(|d| d.get("required"))
        .and_then(Json::as_array);
    for name in required.into_iter().flatten().filter_map(Json::as_str) {
        // Juju fills in declared defaults before validating, so those are never missing.
        let has_default = params
            .and_then(|p| p.get(name))
            .is_some_and(|body| body.get("default").is_some());
        if !action.params.contains_key(name) && !has_default {
            // Juju refuses the action; neither original looked at `required`.
            c.stricter(
                Rule::AP5,
                "event.action.params",
                format!(
                    "action {} requires param {}, but it was not given: pass it in the action's params",
                    py_str(&action.name),
                    py_str(name)
                ),
            );
        }
    }
}
