//! Network rules: every network is named after a declared binding, i.e. an endpoint, an
//! extra binding or `juju-info` (N1), and network names are unique (N2).

use std::collections::HashSet;

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::rule::Rule;
use crate::spec_view::{JUJU_INFO, did_you_mean, meta_declares, meta_names, near_miss_in};

pub fn check(c: &mut Check<'_>) {
    let (state, spec) = (c.state, c.spec);
    let mut seen: HashSet<&str> = HashSet::with_capacity(state.networks.len());
    for (i, network) in state.networks.iter().enumerate() {
        let name = network.name.as_str();
        // `Endpoints::get` already counts the implicit juju-info binding.
        if c.endpoints.get(name).is_none() && !meta_declares(spec, "extra-bindings", name) {
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
            c.error(Rule::N1, format!("state.networks[{i}].name"), message);
        }
        if !seen.insert(name) {
            c.error(
                Rule::N2,
                format!("state.networks[{i}].name"),
                format!(
                    "more than one network is called {}: network-get answers one network per binding, so keep one",
                    py_str(name)
                ),
            );
        }
    }
}
