//! Name rule NM1: the State's relation endpoints, storages and containers, and the event's
//! action, have names Juju accepts.
//!
//! The Python state classes refuse such names when made, as ops[testing] 8.9 does; this rule
//! catches them in a State that did not go through a constructor (read from JSON or YAML,
//! or built in Rust): an error under ops[testing], and only stricter under Scenario 5, which
//! took any name. The patterns live in `scenario_model::names`.

use scenario_model::names::NameKind;

use crate::check::Check;
use crate::names::py_str;
use crate::rule::Rule;

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
