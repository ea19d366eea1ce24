//! Config rules: every state config key is a declared option (K1) with a type (K2) that
//! Juju knows at this version (K4), and its value fits that type (K3, K5).

use scenario_model::Value;
use serde_json::{Map, Value as Json};

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::rule::Rule;
use crate::spec_view::{config_options, did_you_mean, near_miss_in};
use crate::values::ConfigType;

const KNOWN_TYPES: &str = "string, int, float, boolean or secret";

pub fn check(c: &mut Check<'_>) {
    let state = c.state;
    if state.config.is_empty() {
        return;
    }
    let options = config_options(c.spec);
    for (key, value) in state.config.iter() {
        match options.and_then(|o| o.get(key)) {
            None => undeclared(c, options, key),
            Some(option) => check_value(c, key, option, value),
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
    let path = || format!("state.config[{}]", py_str(key));
    if !ty.accepts(value) {
        c.error(
            Rule::K3,
            path(),
            format!(
                "config option {} has type {}, but the state gives a {}: pass a Python {}",
                py_str(key),
                type_name,
                value.type_name(),
                ty.python_name()
            ),
        );
    } else if let (ConfigType::Secret, Value::Str(s)) = (ty, value) {
        if !s.starts_with("secret:") {
            c.error(
                Rule::K5,
                path(),
                format!(
                    "config option {} has type secret, but {} is not a secret URI: pass a secret id such as 'secret:<id>'",
                    py_str(key),
                    py_str(s)
                ),
            );
        }
    }
}
