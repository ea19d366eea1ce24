//! Stored-state rule SS1: each (owner_path, name) pair appears once, since ops keeps one
//! snapshot per handle.

use std::collections::HashSet;

use crate::check::Check;
use crate::names::py_str;
use crate::rule::Rule;

pub fn check(c: &mut Check<'_>) {
    let state = c.state;
    let mut seen: HashSet<(Option<&str>, &str)> = HashSet::with_capacity(state.stored_state.len());
    for (i, stored) in state.stored_state.iter().enumerate() {
        if !seen.insert((stored.owner_path.as_deref(), stored.name.as_str())) {
            let owner = stored
                .owner_path
                .as_deref()
                .map_or_else(|| "None".to_owned(), py_str);
            c.error(
                Rule::SS1,
                format!("state.stored_state[{i}]"),
                format!(
                    "more than one stored state has owner_path={owner} and name={}: ops keeps one snapshot per owner and name, so merge their content into one StoredState",
                    py_str(&stored.name)
                ),
            );
        }
    }
}
