//! Container rules: every state container declared (C3) and unique (C4), with unique exec
//! command prefixes (C12); a workload event's container declared (C1), in the state (C2),
//! able to connect (C5), and a check or notice event's check (C6) or notice (C11) in it.
//! The check infos themselves are compared with the plan in `check_infos.rs`.

use std::collections::HashSet;
use std::sync::Arc;

use scenario_model::{Container, EventKind};

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::report::Severity;
use crate::rule::Rule;
use crate::spec_view::{did_you_mean, meta_declares, meta_names, near_miss_in};

pub fn check(c: &mut Check<'_>) {
    let (state, spec) = (c.state, c.spec);
    // The workload event's container: ops[testing] checks its execs, we check them all.
    let event_container = match (c.event.kind(), &c.event.container) {
        (EventKind::Workload, Some(container)) => Some(container.name.as_str()),
        _ => None,
    };
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
            // Scenario 5.8.1 refused it; ops[testing] dropped the check and runs it.
            c.graded(
                [Severity::Error, Severity::Stricter],
                Rule::C4,
                format!("state.containers[{i}].name"),
                format!(
                    "more than one state container is called {}: Juju gives each container a unique name, so keep only one",
                    py_str(name)
                ),
            );
        }
        duplicate_exec_prefixes(c, i, container, event_container == Some(name));
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
    let Some(i) = state.containers.iter().position(|sc| sc.name == name) else {
        c.error(
            Rule::C2,
            "event.container",
            format!(
                "the event's container {} is not in the state: add it to the state's containers",
                py_str(name)
            ),
        );
        notice(c, None);
        check_info(c, None);
        return;
    };
    let in_state = &state.containers[i];
    if !Arc::ptr_eq(in_state, container) && **in_state != **container {
        // ops[testing] wants the state's own object; Scenario 5.8.1 matched by name, and
        // the run reads the state's container anyway.
        c.error_in_8(
            Rule::C2,
            "event.container",
            format!(
                "the event's container {} differs from the state's container of that name: pass the state's container, e.g. ctx.on.pebble_ready(state.get_container({}))",
                py_str(name),
                py_str(name)
            ),
        );
    }
    if !in_state.can_connect {
        c.warning(
            Rule::C5,
            format!("state.containers[{i}].can_connect"),
            format!(
                "the event {} is for container {}, whose can_connect is False: Pebble only sends events while it is reachable, so set can_connect=True",
                c.event.name(),
                py_str(name)
            ),
        );
    }
    notice(c, Some(in_state));
    check_info(c, Some(in_state));
}

/// C12: one exec mock per command prefix. ops[testing] refuses duplicates in the workload
/// event's container; in any other container (and under Scenario 5, which had no execs)
/// Juju-minded strictness is all that speaks against them.
fn duplicate_exec_prefixes(c: &mut Check<'_>, i: usize, container: &Container, of_the_event: bool) {
    if container.execs.len() < 2 {
        return;
    }
    let mut prefixes: HashSet<&[String]> = HashSet::with_capacity(container.execs.len());
    for (j, exec) in container.execs.iter().enumerate() {
        if prefixes.insert(&exec.command_prefix) {
            continue;
        }
        let severity = if of_the_event {
            [Severity::Stricter, Severity::Error]
        } else {
            [Severity::Stricter, Severity::Stricter]
        };
        c.graded(
            severity,
            Rule::C12,
            format!("state.containers[{i}].execs[{j}].command_prefix"),
            format!(
                "container {} has more than one Exec for the command prefix [{}], so which one answers is arbitrary: keep one Exec per prefix",
                py_str(&container.name),
                exec.command_prefix
                    .iter()
                    .map(|p| py_str(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// C11: a notice event carries its notice, and the notice is one of its container's.
/// ops[testing] only asks that some state container has a notice with that id.
fn notice(c: &mut Check<'_>, container: Option<&Arc<Container>>) {
    let event = c.event;
    let Some(notice) = &event.notice else {
        if event.name().ends_with("_pebble_custom_notice") {
            // ops reads JUJU_NOTICE_ID for this event, so the run cannot go without it.
            c.error(
                Rule::C11,
                "event.notice",
                format!(
                    "the notice event {} has no notice: pass the notice it is about, e.g. ctx.on.pebble_custom_notice(container, notice)",
                    py_str(event.name())
                ),
            );
        }
        return;
    };
    if container.is_some_and(|ct| ct.notices.iter().any(|n| n.id == notice.id)) {
        return;
    }
    let elsewhere = c
        .state
        .containers
        .iter()
        .find(|ct| ct.notices.iter().any(|n| n.id == notice.id));
    let own = event
        .container
        .as_ref()
        .map_or_else(String::new, |ct| py_str(&ct.name));
    match elsewhere {
        Some(other) => c.stricter(
            Rule::C11,
            "event.notice",
            format!(
                "the event's notice {} (id {}) is a notice of container {}, not of the event's container {own}: pass a notice of container {own}, or emit the event on container {}",
                py_str(&notice.key),
                py_str(&notice.id),
                py_str(&other.name),
                py_str(&other.name)
            ),
        ),
        None => c.error_since_8(
            Rule::C11,
            "event.notice",
            format!(
                "the event's notice {} (id {}) is in no container of the state: add it to the notices of container {own}",
                py_str(&notice.key),
                py_str(&notice.id)
            ),
        ),
    }
}

/// C6: a check event carries its check info, and its container has a check of that name.
fn check_info(c: &mut Check<'_>, container: Option<&Arc<Container>>) {
    let event = c.event;
    let Some(info) = &event.check_info else {
        let name = event.name();
        if name.ends_with("_pebble_check_failed") || name.ends_with("_pebble_check_recovered") {
            // ops reads JUJU_PEBBLE_CHECK_NAME for these events.
            c.error(
                Rule::C6,
                "event.check_info",
                format!(
                    "the check event {} has no check_info: pass the check it is about, e.g. ctx.on.pebble_check_failed(container, info)",
                    py_str(name)
                ),
            );
        }
        return;
    };
    if container.is_some_and(|ct| ct.check_infos.iter().any(|ci| ci.name == info.name)) {
        return;
    }
    let own = event
        .container
        .as_ref()
        .map_or_else(String::new, |ct| py_str(&ct.name));
    c.error_since_8(
        Rule::C6,
        "event.check_info",
        format!(
            "the event is about check {}, but the state's container {own} has no check_info of that name: add CheckInfo({}) to the container's check_infos",
            py_str(&info.name),
            py_str(&info.name)
        ),
    );
}
