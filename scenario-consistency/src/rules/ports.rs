//! Port rule P1: a (protocol, port) pair is opened at most once, as Juju records a set.

use std::collections::HashSet;

use scenario_model::Port;

use crate::check::Check;
use crate::rule::Rule;

pub fn check(c: &mut Check<'_>) {
    let state = c.state;
    let mut seen: HashSet<Port> = HashSet::with_capacity(state.opened_ports.len());
    for (i, port) in state.opened_ports.iter().enumerate() {
        if !seen.insert(*port) {
            let what = match port.port {
                Some(number) => format!("{} port {number}", port.protocol.as_str()),
                None => port.protocol.as_str().to_owned(),
            };
            // Scenario 5.8.1 ran it; ops[testing] keeps ports in a set, so cannot have it.
            c.stricter(
                Rule::P1,
                format!("state.opened_ports[{i}]"),
                format!(
                    "{what} is opened more than once: Juju keeps a set of opened ports, so list it once"
                ),
            );
        }
    }
}
