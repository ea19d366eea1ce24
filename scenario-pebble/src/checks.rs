//! Health checks: what `get_checks` reports, and how `start_checks`, `stop_checks`, a new
//! layer and a replan change the container's `check_infos`.
//!
//! Pebble keeps one check info per check of the plan. The State may give some of them
//! (`Container.check_infos`, from ops[testing]); a check of the plan without one reads as
//! Pebble reports a check it has just started: up when its startup is enabled, inactive
//! when disabled. An info whose check the plan lacks is still reported: which infos fit
//! the plan is the consistency checker's business, not a reason to hide one.

use scenario_model::{
    CheckInfo, CheckLevel, CheckStartup, CheckStatus, Container, LayerObject, next_change_id,
};
use serde_json::Value;

use crate::error::PebbleError;
use crate::plan::Plan;

/// Pebble's failure threshold when a check sets none.
const DEFAULT_THRESHOLD: u32 = 3;

/// The change id reported for a running check the container holds no info for. Such an
/// info is made on each read and never kept, so it takes no id from the shared counter
/// (which starts at 1, so this one is never a real change's).
const UNRECORDED_CHANGE_ID: &str = "0";

/// The checks Pebble reports, sorted by name, optionally only those of `level` and in
/// `names`. A level left unset on an info is the plan's.
pub fn check_infos(
    container: &Container,
    level: Option<CheckLevel>,
    names: Option<&[String]>,
) -> Vec<CheckInfo> {
    let plan = Plan::of(container);
    let mut infos: Vec<CheckInfo> = container
        .check_infos
        .iter()
        .map(|info| {
            let mut info = info.clone();
            if info.level.is_none() {
                let planned = plan.checks.get(&info.name).map(planned_level);
                info.level = Some(planned.unwrap_or(CheckLevel::Unset));
            }
            info
        })
        .collect();
    for (name, check) in &plan.checks {
        if !infos.iter().any(|info| &info.name == name) {
            let mut info = fresh_info(name, check);
            if info.status == CheckStatus::Up {
                UNRECORDED_CHANGE_ID.clone_into(&mut info.change_id);
            }
            infos.push(info);
        }
    }
    infos.sort_by(|a, b| a.name.cmp(&b.name));
    infos.retain(|info| {
        level.is_none_or(|l| info.level == Some(l))
            && names.is_none_or(|wanted| wanted.contains(&info.name))
    });
    infos
}

/// `start_checks`: starts each named check that is not running (a new change, up, no
/// failures) and returns the names of those it started. Every name must be a check of
/// the plan or of the container's infos; otherwise nothing changes.
pub fn start(container: &mut Container, names: &[String]) -> Result<Vec<String>, PebbleError> {
    change(container, names, |info| {
        if !info.change_id.is_empty() {
            return false;
        }
        run(info);
        true
    })
}

/// `stop_checks`: stops each named check that is running (inactive, no change) and
/// returns the names of those it stopped. Every name must be a check of the plan or of
/// the container's infos; otherwise nothing changes.
pub fn stop(container: &mut Container, names: &[String]) -> Result<Vec<String>, PebbleError> {
    change(container, names, |info| {
        if info.change_id.is_empty() {
            return false;
        }
        info.status = CheckStatus::Inactive;
        info.change_id.clear();
        true
    })
}

/// After a layer is added: Pebble starts the layer's checks (an info for each, inactive if
/// its startup is disabled) and every info takes its level, startup and threshold from the
/// new plan.
pub fn layer_added(container: &mut Container, layer_checks: &[String]) {
    let plan = Plan::of(container);
    for name in layer_checks {
        if let Some(check) = plan.checks.get(name) {
            let info = info_mut(container, name, check);
            if info.startup != CheckStartup::Disabled && info.change_id.is_empty() {
                run(info);
            }
        }
    }
    follow_plan(container, &plan);
}

/// After a replan: every check of the plan whose startup is not disabled runs.
pub fn replanned(container: &mut Container) {
    let plan = Plan::of(container);
    for (name, check) in &plan.checks {
        if planned_startup(check) != CheckStartup::Disabled {
            let info = info_mut(container, name, check);
            if info.change_id.is_empty() {
                run(info);
            }
        }
    }
    follow_plan(container, &plan);
}

/// Applies `f` to the info of each named check (made from the plan when the container has
/// none), after checking that every name exists; the names `f` returned true for.
fn change(
    container: &mut Container,
    names: &[String],
    mut f: impl FnMut(&mut CheckInfo) -> bool,
) -> Result<Vec<String>, PebbleError> {
    let plan = Plan::of(container);
    if let Some(unknown) = names.iter().find(|name| {
        !plan.checks.contains_key(*name) && !container.check_infos.iter().any(|i| &i.name == *name)
    }) {
        return Err(PebbleError::api(
            404,
            format!("cannot find check with name \"{unknown}\""),
        ));
    }
    let mut changed = Vec::new();
    for name in names {
        let index = index_or_insert(container, name, || {
            // The check as it reads now, running in a change of its own from here on.
            let mut info = fresh_info(name, &plan.checks[name]);
            if info.status == CheckStatus::Up {
                run(&mut info);
            }
            info
        });
        if f(&mut container.check_infos[index]) {
            changed.push(name.clone());
        }
    }
    Ok(changed)
}

/// The container's info for `name`, added (not running yet) if it has none.
fn info_mut<'c>(
    container: &'c mut Container,
    name: &str,
    check: &LayerObject,
) -> &'c mut CheckInfo {
    let index = index_or_insert(container, name, || {
        let mut info = fresh_info(name, check);
        info.status = CheckStatus::Inactive;
        info.change_id.clear();
        info
    });
    &mut container.check_infos[index]
}

/// The index of the info for `name`, first adding `make()` when there is none.
fn index_or_insert(
    container: &mut Container,
    name: &str,
    make: impl FnOnce() -> CheckInfo,
) -> usize {
    let infos = &mut container.check_infos;
    infos
        .iter()
        .position(|i| i.name == name)
        .unwrap_or_else(|| {
            infos.push(make());
            infos.len() - 1
        })
}

/// A check's run starts: a new change, up, with no failures yet.
fn run(info: &mut CheckInfo) {
    info.change_id = next_change_id(true).to_string();
    info.status = CheckStatus::Up;
    info.failures = 0;
}

/// Each info takes the level, startup and threshold its check has in `plan`.
fn follow_plan(container: &mut Container, plan: &Plan) {
    for info in &mut container.check_infos {
        if let Some(check) = plan.checks.get(&info.name) {
            info.level = Some(planned_level(check));
            info.startup = planned_startup(check);
            info.threshold = planned_threshold(check);
        }
    }
}

/// The info of a check Pebble has just loaded from the plan: running (with a change id
/// the caller sets) unless its startup is disabled.
fn fresh_info(name: &str, check: &LayerObject) -> CheckInfo {
    let startup = planned_startup(check);
    let running = startup != CheckStartup::Disabled;
    CheckInfo {
        name: name.to_owned(),
        level: Some(planned_level(check)),
        startup,
        status: if running {
            CheckStatus::Up
        } else {
            CheckStatus::Inactive
        },
        successes: Some(0),
        failures: 0,
        threshold: planned_threshold(check),
        change_id: String::new(),
    }
}

fn text<'o>(check: &'o LayerObject, key: &str) -> &'o str {
    check.get(key).and_then(Value::as_str).unwrap_or("")
}

fn planned_level(check: &LayerObject) -> CheckLevel {
    CheckLevel::parse(text(check, "level")).unwrap_or(CheckLevel::Unset)
}

/// Pebble reports an unset startup as enabled.
fn planned_startup(check: &LayerObject) -> CheckStartup {
    match text(check, "startup") {
        "disabled" => CheckStartup::Disabled,
        _ => CheckStartup::Enabled,
    }
}

fn planned_threshold(check: &LayerObject) -> u32 {
    check
        .get("threshold")
        .and_then(Value::as_u64)
        .and_then(|t| u32::try_from(t).ok())
        .filter(|&t| t > 0)
        .unwrap_or(DEFAULT_THRESHOLD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn container() -> Container {
        let mut c = Container::new("c");
        c.layers.insert(
            "l".into(),
            serde_json::from_value(json!({"checks": {
                "b": {"override": "replace", "level": "ready", "threshold": 7},
                "a": {"override": "replace", "level": "alive", "startup": "disabled"},
            }}))
            .unwrap(),
        );
        c
    }

    #[test]
    fn plan_checks_without_infos_read_as_just_started() {
        let c = container();
        let all = check_infos(&c, None, None);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].name, "a");
        assert_eq!(all[0].status, CheckStatus::Inactive);
        assert_eq!(all[0].change_id, "");
        assert_eq!(all[0].threshold, 3);
        assert_eq!(all[1].status, CheckStatus::Up);
        assert_eq!(all[1].change_id, UNRECORDED_CHANGE_ID);
        assert_eq!(all[1].threshold, 7);
        let ready = check_infos(&c, Some(CheckLevel::Ready), None);
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].name, "b");
        assert!(check_infos(&c, None, Some(&["zzz".to_owned()])).is_empty());
    }

    #[test]
    fn given_infos_win_and_take_the_plan_level_when_unset() {
        let mut c = container();
        let mut down = CheckInfo::new("b");
        down.status = CheckStatus::Down;
        down.failures = 7;
        c.check_infos.push(down);
        let b = &check_infos(&c, None, Some(&["b".to_owned()]))[0];
        assert_eq!((b.status, b.failures), (CheckStatus::Down, 7));
        assert_eq!(b.level, Some(CheckLevel::Ready));
    }
}
