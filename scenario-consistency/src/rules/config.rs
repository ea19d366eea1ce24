//! Config rules: every state config key is a declared option (K1) with a type (K2) that
//! Juju knows at this version (K4), and its value fits that type (K3, K5).
//!
//! The APIs differ: Scenario 5.8.1 accepted `integer` and `number` as aliases and knew no
//! `float` or `secret` (it crashed on them); ops[testing] knows Juju's names only, wants a
//! float (not an int) for a float option and a 20-character id in a secret URI. Both
//! checked with `isinstance`, so a bool for an int option passed them (only stricter here).

use scenario_model::{Api, Value};
use serde_json::{Map, Value as Json};

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::report::Severity;
use crate::rule::Rule;
use crate::spec_view::{config_options, did_you_mean, near_miss_in};
use crate::values::{ConfigType, is_secret_uri};

const KNOWN_TYPES: &str = "string, int, float, boolean or secret";

pub fn check(c: &mut Check<'_>) {
    let state = c.state;
    let options = config_options(c.spec);
    for (key, value) in state.config.iter() {
        match options.and_then(|o| o.get(key)) {
            None => undeclared(c, options, key),
            Some(option) => check_value(c, key, option, value),
        }
    }
    unset_options_of_unknown_type(c, options);
}

/// Juju refuses to deploy a charm with an option of a type it does not know, set or not;
/// the originals only looked at the options a State sets.
fn unset_options_of_unknown_type(c: &mut Check<'_>, options: Option<&Map<String, Json>>) {
    for (key, option) in options.into_iter().flatten() {
        if c.state.config.contains_key(key) {
            continue;
        }
        let Some(type_name) = option.get("type").and_then(Json::as_str) else {
            continue;
        };
        if ConfigType::parse(type_name).is_none() {
            c.stricter(
                Rule::K4,
                format!("charm_spec.config['options'][{}]['type']", py_str(key)),
                format!(
                    "config option {} has type {}, which Juju does not know: use {KNOWN_TYPES}",
                    py_str(key),
                    py_str(type_name)
                ),
            );
        }
    }
}

fn undeclared(c: &mut Check<'_>, options: Option<&Map<String, Json>>, key: &str) {
    let path = format!("state.config[{}]", py_str(key));
    let message = match options {
        None => format!(
            "config option {} is set in the state, but the charm declares no config options: declare it under `options` in config.yaml (or `config.options` in charmcraft.yaml), or remove it from the state",
            py_str(key)
        ),
        Some(options) => {
            let names = || options.keys().map(String::as_str);
            format!(
                "config option {} is not declared in the charm's config{}: declare it under `options` or remove it from the state (declared: {})",
                py_str(key),
                did_you_mean(near_miss_in(names(), key)),
                py_list(names()),
            )
        }
    };
    c.error(Rule::K1, path, message);
}

fn check_value(c: &mut Check<'_>, key: &str, option: &Json, value: &Value) {
    let option_path = format!("charm_spec.config['options'][{}]", py_str(key));
    let Some(type_name) = option.get("type").and_then(Json::as_str) else {
        c.error(
            Rule::K2,
            option_path,
            format!(
                "config option {} has no type: add `type:` ({KNOWN_TYPES}) to its declaration",
                py_str(key)
            ),
        );
        return;
    };
    let spec_path = || format!("{option_path}['type']");
    let Some(ty) = ConfigType::parse(type_name) else {
        c.error(
            Rule::K4,
            spec_path(),
            format!(
                "config option {} has type {}, which Juju does not know: use {KNOWN_TYPES}",
                py_str(key),
                py_str(type_name)
            ),
        );
        return;
    };
    if ty == ConfigType::Secret && !c.version.at_least(3, 4) {
        c.error(
            Rule::K4,
            spec_path(),
            format!(
                "config option {} has type secret, which needs Juju 3.4 or later but the check runs as Juju {}: use a newer juju_version or type string",
                py_str(key),
                c.version
            ),
        );
        return;
    }
    if c.api == Api::Scenario8 && matches!(type_name, "integer" | "number") {
        // Scenario 5.8.1 took these as aliases of int and float; ops[testing] refuses them.
        c.error(
            Rule::K4,
            spec_path(),
            format!(
                "config option {} has type {}, which is not a Juju config type and which ops[testing] refuses: use {}",
                py_str(key),
                py_str(type_name),
                if type_name == "integer" { "int" } else { "float" },
            ),
        );
        return;
    }
    let path = || format!("state.config[{}]", py_str(key));
    let mismatch = |wanted: &str| {
        format!(
            "config option {} has type {}, but the state gives a {}: give it a value of type {wanted}",
            py_str(key),
            type_name,
            value.type_name(),
        )
    };
    if !ty.accepts(value) {
        // The originals checked with isinstance, so a bool passed for an int option.
        let severity = if ty.python_accepts(value) {
            Severity::Stricter
        } else {
            Severity::Error
        };
        let wanted = match (c.api, ty) {
            (Api::Scenario8, ConfigType::Float) => "float",
            _ => ty.python_name(),
        };
        c.graded([severity; 2], Rule::K3, path(), mismatch(wanted));
    } else if c.api == Api::Scenario8
        && ty == ConfigType::Float
        && !matches!(value, Value::Float(_))
    {
        // Juju takes an int for a float option, but ops[testing] wants a float.
        c.error(
            Rule::K3,
            path(),
            mismatch("float (ops[testing] refuses an int)"),
        );
    } else if let (ConfigType::Secret, Value::Str(s)) = (ty, value) {
        secret_uri(c, key, s, &path());
    }
}

/// K5: a secret option holds a secret URI, `secret:` and Juju's 20-character id.
/// Scenario 5 only asked for the `secret:` prefix (5.8.1 crashed on secret options), so a
/// value with the prefix but another id is only stricter there.
fn secret_uri(c: &mut Check<'_>, key: &str, value: &str, path: &str) {
    if is_secret_uri(value) {
        return;
    }
    let severity = if value.starts_with("secret:") {
        [Severity::Stricter, Severity::Error]
    } else {
        [Severity::Error, Severity::Error]
    };
    c.graded(
        severity,
        Rule::K5,
        path,
        format!(
            "config option {} has type secret, but {} is not a secret URI: pass a secret id, 'secret:' and 20 lowercase letters or digits, such as Secret(...).id",
            py_str(key),
            py_str(value)
        ),
    );
}
