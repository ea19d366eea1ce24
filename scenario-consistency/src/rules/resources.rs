//! Resource rule R1: every state resource is declared in metadata.

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::rule::Rule;
use crate::spec_view::{did_you_mean, meta_declares, meta_names, near_miss_in};

pub fn check(c: &mut Check<'_>) {
    let (state, spec) = (c.state, c.spec);
    for name in state.resources.keys() {
        if !meta_declares(spec, "resources", name) {
            c.error(
                Rule::R1,
                format!("state.resources[{}]", py_str(name)),
                format!(
                    "resource {} is not declared in metadata{}: declare it under `resources` or remove it from the state (declared: {})",
                    py_str(name),
                    did_you_mean(near_miss_in(meta_names(spec, "resources"), name)),
                    py_list(meta_names(spec, "resources")),
                ),
            );
        }
    }
}
