//! Health checks as `get_checks` reports them, from the plan's checks.
//!
//! The model has no check-status map yet, so a check is "up" with no failures unless its
//! startup is disabled, in which case it is "inactive" (not started), as in Pebble.

use scenario_model::{Container, LayerObject};
use serde_json::Value;

use crate::plan::Plan;

/// Pebble's failure threshold when a check sets none.
const DEFAULT_THRESHOLD: u64 = 3;

/// `pebble.CheckLevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckLevel {
    /// No level set (`""`).
    Unset,
    Alive,
    Ready,
}

impl CheckLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckLevel::Unset => "",
            CheckLevel::Alive => "alive",
            CheckLevel::Ready => "ready",
        }
    }

    /// The level named `s`; anything else counts as unset.
    pub fn parse(s: &str) -> Self {
        match s {
            "alive" => CheckLevel::Alive,
            "ready" => CheckLevel::Ready,
            _ => CheckLevel::Unset,
        }
    }
}

/// `pebble.CheckStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    Up,
    Down,
    Inactive,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Up => "up",
            CheckStatus::Down => "down",
            CheckStatus::Inactive => "inactive",
        }
    }
}

/// `pebble.CheckStartup`; unset means enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckStartup {
    Enabled,
    Disabled,
}

impl CheckStartup {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStartup::Enabled => "enabled",
            CheckStartup::Disabled => "disabled",
        }
    }
}

/// What `get_checks` reports about one check (`pebble.CheckInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    pub name: String,
    pub level: CheckLevel,
    pub startup: CheckStartup,
    pub status: CheckStatus,
    pub failures: u64,
    pub threshold: u64,
}

/// The plan's checks, sorted by name, optionally only those of `level` and in `names`.
pub fn check_infos(
    container: &Container,
    level: Option<CheckLevel>,
    names: Option<&[String]>,
) -> Vec<CheckInfo> {
    Plan::of(container)
        .checks
        .iter()
        .map(|(name, check)| info(name, check))
        .filter(|info| level.is_none_or(|l| l == info.level))
        .filter(|info| names.is_none_or(|wanted| wanted.contains(&info.name)))
        .collect()
}

fn info(name: &str, check: &LayerObject) -> CheckInfo {
    let text = |key: &str| check.get(key).and_then(Value::as_str).unwrap_or("");
    let startup = if text("startup") == "disabled" {
        CheckStartup::Disabled
    } else {
        CheckStartup::Enabled
    };
    CheckInfo {
        name: name.to_owned(),
        level: CheckLevel::parse(text("level")),
        startup,
        status: match startup {
            CheckStartup::Enabled => CheckStatus::Up,
            CheckStartup::Disabled => CheckStatus::Inactive,
        },
        failures: 0,
        threshold: check
            .get("threshold")
            .and_then(Value::as_u64)
            .filter(|&t| t > 0)
            .unwrap_or(DEFAULT_THRESHOLD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn checks_from_the_plan() {
        let mut c = Container::new("c");
        c.layers.insert(
            "l".into(),
            serde_json::from_value(json!({"checks": {
                "b": {"override": "replace", "level": "ready", "threshold": 7},
                "a": {"override": "replace", "level": "alive", "startup": "disabled"},
            }}))
            .unwrap(),
        );
        let all = check_infos(&c, None, None);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].name, "a");
        assert_eq!(all[0].status, CheckStatus::Inactive);
        assert_eq!(all[0].threshold, 3);
        assert_eq!(all[1].status, CheckStatus::Up);
        assert_eq!(all[1].threshold, 7);
        let ready = check_infos(&c, Some(CheckLevel::Ready), None);
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].name, "b");
        assert!(check_infos(&c, None, Some(&["zzz".to_owned()])).is_empty());
    }
}
