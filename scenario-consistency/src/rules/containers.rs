//! Container rules: every state container declared (C3) and unique (C4); a workload event's
//! container declared (C1), in the state (C2), and able to connect (C5).

use std::collections::HashSet;

use scenario_model::EventKind;

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::rule::Rule;
use crate::spec_view::{did_you_mean, meta_declares, meta_names, near_miss_in};

pub fn check(c: &mut Check<'_>) {
    let (state, spec) = (c.state, c.spec);
    let mut seen: HashSet<&str> = HashSet::with_capacity(state.containers.len());
    for (i, container) in state.containers.iter().enumerate() {
        let name = container.name.as_str();
        if !meta_declares(spec, "containers", name) {
            c.error(
                Rule::C3,
                format!("state.containers[{i}].name"),
                format!(
                    "container {} is not declared in metadata{}: declare it under `containers` or remove it from the state (declared: {})",
                    py_str(name),
                    did_you_mean(near_miss_in(meta_names(spec, "containers"), name)),
                    py_list(meta_names(spec, "containers")),
                ),
            );
        }
        if !seen.insert(name) {
            c.error(
                Rule::C4,
                format!("state.containers[{i}].name"),
                format!(
                    "more than one state container is called {}: Juju gives each container a unique name, so keep only one",
                    py_str(name)
                ),
            );
        }
    }

    if c.event.kind() != EventKind::Workload {
        return;
    }
    // A missing container is E2's finding; there is nothing more to say here.
    let Some(container) = &c.event.container else {
        return;
    };
    let name = container.name.as_str();
    if !meta_declares(spec, "containers", name) {
        c.error(
            Rule::C1,
            "event.container.name",
            format!(
                "the event's container {} is not declared in metadata{}: declare it under `containers` or use one of {}",
                py_str(name),
                did_you_mean(near_miss_in(meta_names(spec, "containers"), name)),
                py_list(meta_names(spec, "containers")),
            ),
        );
    }
    match state.containers.iter().position(|sc| sc.name == name) {
        None => c.error(
            Rule::C2,
            "event.container",
            format!(
                "the event's container {} is not in the state: add it to the state's containers",
                py_str(name)
            ),
        ),
        Some(i) if !state.containers[i].can_connect => c.warning(
            Rule::C5,
            format!("state.containers[{i}].can_connect"),
            format!(
                "the event {} is for container {}, whose can_connect is False: Pebble only sends events while it is reachable, so set can_connect=True",
                c.event.name(),
                py_str(name)
            ),
        ),
        Some(_) => {}
    }
}
