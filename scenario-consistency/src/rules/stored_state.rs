//! Stored-state rules: each (owner_path, name) pair appears once, since ops keeps one
//! snapshot per handle (SS1), and the content is something ops can marshal (SS2).
//!
//! ops saves stored state only if `marshal.dumps` takes it. Our `Value` has only the types
//! marshal knows (None, bool, int, float, str, bytes, list, tuple, set, dict with str or
//! int keys), so two ways to fail are left: a set holding an unhashable value (a list,
//! dict or set, or a tuple holding one), which Python cannot even build, and nesting
//! deeper than marshal's limit. Scenario 5.8.1 checked neither rule; ops[testing] checks
//! both, so they are stricter under Scenario 5, except the unbuildable set, which fails
//! any run.

use std::collections::HashSet;

use scenario_model::Value;

use crate::check::Check;
use crate::names::py_str;
use crate::rule::Rule;

/// How deep CPython's marshal goes (`MAX_MARSHAL_STACK_DEPTH`), counting every object on
/// the way down, the stored dict itself and the innermost scalar included.
pub const MARSHAL_MAX_DEPTH: usize = 2000;

pub fn check(c: &mut Check<'_>) {
    let state = c.state;
    let mut seen: HashSet<(Option<&str>, &str)> = HashSet::with_capacity(state.stored_state.len());
    for (i, stored) in state.stored_state.iter().enumerate() {
        let owner = || {
            stored
                .owner_path
                .as_deref()
                .map_or_else(|| "None".to_owned(), py_str)
        };
        if !seen.insert((stored.owner_path.as_deref(), stored.name.as_str())) {
            c.error_since_8(
                Rule::SS1,
                format!("state.stored_state[{i}]"),
                format!(
                    "more than one stored state has owner_path={} and name={}: ops keeps one snapshot per owner and name, so merge their content into one StoredState",
                    owner(),
                    py_str(&stored.name)
                ),
            );
        }
        for (key, value) in &stored.content {
            let path = || format!("state.stored_state[{i}].content[{}]", py_str(key));
            match unmarshallable(value) {
                None => {}
                Some(Problem::UnhashableInSet(kind)) => c.error(
                    Rule::SS2,
                    path(),
                    format!(
                        "stored state {} of {} holds a set with a {kind} in it, which Python cannot build (set items must be hashable): use a list, or a tuple of simple values",
                        py_str(&stored.name),
                        owner(),
                    ),
                ),
                Some(Problem::TooDeep) => c.error_since_8(
                    Rule::SS2,
                    path(),
                    format!(
                        "stored state {} of {} nests deeper than the {MARSHAL_MAX_DEPTH} levels marshal can save, so ops cannot store it: flatten the content",
                        py_str(&stored.name),
                        owner(),
                    ),
                ),
            }
        }
    }
}

/// Why a value cannot be marshalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// A set holding a value of this unhashable type.
    UnhashableInSet(&'static str),
    TooDeep,
}

/// What stops `value` (one value of a stored dict) from being marshalled, if anything.
/// Iterative, so any depth is walked without recursion, in time linear in its size.
fn unmarshallable(value: &Value) -> Option<Problem> {
    // The stored dict is level 1, so its values start at level 2.
    let mut stack: Vec<(&Value, usize)> = vec![(value, 2)];
    while let Some((value, depth)) = stack.pop() {
        if depth > MARSHAL_MAX_DEPTH {
            return Some(Problem::TooDeep);
        }
        match value {
            Value::List(items) | Value::Tuple(items) => {
                stack.extend(items.iter().map(|v| (v, depth + 1)));
            }
            Value::Set(items) => {
                if let Some(kind) = items.iter().find_map(unhashable) {
                    return Some(Problem::UnhashableInSet(kind));
                }
                stack.extend(items.iter().map(|v| (v, depth + 1)));
            }
            // Keys are str or int: scalars, one level below the dict like its values.
            Value::Dict(items) => stack.extend(items.values().map(|v| (v, depth + 1))),
            scalar => debug_assert!(is_scalar(scalar)),
        }
    }
    None
}

/// Whether `value` holds no other value. Exhaustive, so a new kind of value must be
/// placed here.
fn is_scalar(value: &Value) -> bool {
    match value {
        Value::None
        | Value::Bool(_)
        | Value::Int(_)
        | Value::Float(_)
        | Value::Str(_)
        | Value::Bytes(_) => true,
        Value::List(_) | Value::Tuple(_) | Value::Set(_) | Value::Dict(_) => false,
    }
}

/// The type name of `value` if Python cannot hash it (a tuple is as hashable as its items).
/// Iterative like `unmarshallable`; each tuple is walked once per set it sits in.
fn unhashable(value: &Value) -> Option<&'static str> {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Tuple(items) => stack.extend(items),
            scalar if is_scalar(scalar) => {}
            // A list, set or dict.
            container => return Some(container.type_name()),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> Value {
        let mut v = Value::Int(1);
        for _ in 0..levels {
            v = Value::List(vec![v]);
        }
        v
    }

    #[test]
    fn depth_counts_like_marshal() {
        // marshal.dumps({'k': [[...[1]...]]}) takes 1998 lists (2000 objects deep with the
        // dict and the int) and refuses 1999 (CPython 3.11, measured).
        assert_eq!(unmarshallable(&nested(1998)), None);
        assert_eq!(unmarshallable(&nested(1999)), Some(Problem::TooDeep));
    }

    #[test]
    fn sets_need_hashable_items() {
        let tuple_of_list = Value::Tuple(vec![Value::Int(1), Value::List(vec![])]);
        assert_eq!(
            unmarshallable(&Value::Set(vec![tuple_of_list])),
            Some(Problem::UnhashableInSet("list"))
        );
        let fine = Value::Set(vec![Value::Tuple(vec![Value::from("a"), Value::Int(1)])]);
        assert_eq!(unmarshallable(&fine), None);
    }
}
