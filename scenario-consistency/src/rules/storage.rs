//! Storage rules: every state storage is declared (ST1), (name, index) pairs are unique
//! (ST2), and only a storage declared `multiple` has more than one instance (ST3).

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::rule::Rule;
use crate::spec_view::{did_you_mean, meta_names, meta_section, near_miss_in};

pub fn check(c: &mut Check<'_>) {
    let (state, spec) = (c.state, c.spec);
    if state.storage.is_empty() {
        return;
    }
    let declared = meta_section(spec, "storage");
    let mut seen: HashSet<(&str, u32)> = HashSet::with_capacity(state.storage.len());
    // Instances seen so far of each storage that is not `multiple`.
    let mut singles: HashMap<&str, u32> = HashMap::new();
    for (i, storage) in state.storage.iter().enumerate() {
        let name = storage.name.as_str();
        match declared.and_then(|d| d.get(name)) {
            None => c.error(
                Rule::ST1,
                format!("state.storage[{i}].name"),
                format!(
                    "storage {} is not declared in metadata{}: declare it under `storage` or remove it from the state (declared: {})",
                    py_str(name),
                    did_you_mean(near_miss_in(meta_names(spec, "storage"), name)),
                    py_list(meta_names(spec, "storage")),
                ),
            ),
            Some(body) if body.get("multiple").is_none_or(Json::is_null) => {
                let count = singles.entry(name).or_insert(0);
                *count += 1;
                // Report once, at the second instance.
                if *count == 2 {
                    // Juju refuses it; neither original looked.
                    c.stricter(
                        Rule::ST3,
                        format!("state.storage[{i}]"),
                        format!(
                            "storage {} is not declared `multiple`, so Juju attaches at most one instance, but the state has several: keep one, or declare `multiple: {{range: ...}}` in metadata",
                            py_str(name)
                        ),
                    );
                }
            }
            Some(_) => {}
        }
        if !seen.insert((name, storage.index)) {
            c.error(
                Rule::ST2,
                format!("state.storage[{i}].index"),
                format!(
                    "more than one state storage is {}: Juju numbers the instances of a storage uniquely, so give each a different index",
                    py_str(&storage.storage_id())
                ),
            );
        }
    }
}
