//! Network rules: every network is named after a binding (N1), network names are unique
//! (N2), and no extra binding shares its name with an endpoint (N3).
//!
//! A binding is an endpoint, an extra binding or the implicit `juju-info`. ops[testing]
//! leaves out container-scoped endpoints (a refusal of its own: Juju binds every endpoint),
//! so a network on one is an error under its API only. Scenario 5.8.1 checked no networks,
//! so the rest is stricter under its API.

use std::collections::HashSet;

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::report::Severity;
use crate::rule::Rule;
use crate::spec_view::{
    JUJU_INFO, Scope, did_you_mean, meta_declares, meta_names, meta_section, near_miss_in,
};

pub fn check(c: &mut Check<'_>) {
    let (state, spec) = (c.state, c.spec);
    let mut seen: HashSet<&str> = HashSet::with_capacity(state.networks.len());
    for (i, network) in state.networks.iter().enumerate() {
        let name = network.name.as_str();
        let path = || format!("state.networks[{i}].name");
        let endpoint = c.endpoints.declared(name);
        if name == JUJU_INFO || meta_declares(spec, "extra-bindings", name) {
            // Always a binding.
        } else if endpoint.is_some_and(|e| e.scope == Scope::Container) {
            c.error_in_8(
                Rule::N1,
                path(),
                format!(
                    "network {} is for a container-scoped endpoint, which ops[testing] does not take as a network binding: drop the network, or bind it to an extra binding or a regular endpoint",
                    py_str(name)
                ),
            );
        } else if endpoint.is_none() {
            let bindings = || {
                c.endpoints
                    .names()
                    .chain(meta_names(spec, "extra-bindings"))
                    .chain(std::iter::once(JUJU_INFO))
            };
            let message = format!(
                "network {} is not a binding the charm declares{}: name it after an endpoint, an extra binding or juju-info, or declare it under `extra-bindings` (bindings: {})",
                py_str(name),
                did_you_mean(near_miss_in(bindings(), name)),
                py_list(bindings()),
            );
            c.error_since_8(Rule::N1, path(), message);
        }
        if !seen.insert(name) {
            // Neither original refused it; network-get answers with one of them.
            c.stricter(
                Rule::N2,
                path(),
                format!(
                    "more than one network is called {}: network-get answers one network per binding, so keep one",
                    py_str(name)
                ),
            );
        }
    }
    shared_binding_names(c);
}

/// N3: Juju refuses metadata whose extra binding is also an endpoint.
fn shared_binding_names(c: &mut Check<'_>) {
    let Some(extra) = meta_section(c.spec, "extra-bindings") else {
        return;
    };
    for name in extra.keys() {
        if c.endpoints.declared(name).is_some() {
            c.graded(
                [Severity::Stricter, Severity::Error],
                Rule::N3,
                format!("charm_spec.meta['extra-bindings'][{}]", py_str(name)),
                format!(
                    "extra binding {} is also a relation endpoint, which Juju refuses: rename the extra binding",
                    py_str(name)
                ),
            );
        }
    }
}
