//! Services: their startup and current status, starting and stopping them, and signals.
//!
//! Statuses live in the model's `Container.service_status`, so the output State carries
//! whatever the charm did; a service without an entry is inactive.

use scenario_model::{Container, ServiceStatus};
use serde_json::Value;

use crate::error::PebbleError;
use crate::plan::Plan;
use crate::signal::is_signal_name;

/// Whether a service starts with Pebble (`pebble.ServiceStartup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceStartup {
    Enabled,
    Disabled,
}

impl ServiceStartup {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStartup::Enabled => "enabled",
            ServiceStartup::Disabled => "disabled",
        }
    }
}

/// What `get_services` reports about one service (`pebble.ServiceInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    pub name: String,
    pub startup: ServiceStartup,
    pub current: ServiceStatus,
}

impl ServiceInfo {
    pub fn is_running(&self) -> bool {
        self.current == ServiceStatus::Active
    }
}

/// The change `start`, `stop` and `restart` make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Start,
    Stop,
    Restart,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Stop => "stop",
            Action::Restart => "restart",
        }
    }

    fn outcome(self) -> ServiceStatus {
        match self {
            Action::Start | Action::Restart => ServiceStatus::Active,
            Action::Stop => ServiceStatus::Inactive,
        }
    }
}

/// Every service of the plan (base plan included), sorted by name, optionally only those
/// in `names`; unknown names are skipped, as Pebble does.
pub fn service_infos(container: &Container, names: Option<&[String]>) -> Vec<ServiceInfo> {
    let plan = Plan::of(container);
    plan.services
        .iter()
        .filter(|(name, _)| names.is_none_or(|wanted| wanted.contains(name)))
        .map(|(name, service)| ServiceInfo {
            name: name.clone(),
            startup: startup_of(service.get("startup")),
            current: current_status(container, name),
        })
        .collect()
}

/// Starts, stops or restarts `names`. Every name is checked before anything changes.
pub(crate) fn change(
    container: &mut Container,
    action: Action,
    names: &[String],
) -> Result<(), PebbleError> {
    let verb = action.verb();
    if names.is_empty() {
        return Err(PebbleError::api(
            400,
            format!("must specify services for {verb} action"),
        ));
    }
    let plan = Plan::of(container);
    if let Some(unknown) = names.iter().find(|n| !plan.services.contains_key(*n)) {
        return Err(PebbleError::api(
            400,
            format!("cannot {verb} services: service {unknown} does not exist"),
        ));
    }
    for name in names {
        container
            .service_status
            .insert(name.clone(), action.outcome());
    }
    Ok(())
}

/// Starts every `startup: enabled` service that is not running (autostart and replan).
pub(crate) fn start_enabled(container: &mut Container) {
    for info in service_infos(container, None) {
        if info.startup == ServiceStartup::Enabled && !info.is_running() {
            container
                .service_status
                .insert(info.name, ServiceStatus::Active);
        }
    }
}

/// Checks that `signal` may be sent to `names`: each must be a running service of the
/// plan, then the signal name must be known. Nothing else happens.
pub(crate) fn send_signal(
    container: &Container,
    signal: &str,
    names: &[String],
) -> Result<(), PebbleError> {
    let plan = Plan::of(container);
    for name in names {
        if !plan.services.contains_key(name)
            || current_status(container, name) != ServiceStatus::Active
        {
            return Err(PebbleError::api(
                500,
                format!("cannot send signal to \"{name}\": service is not running"),
            ));
        }
    }
    match names.first() {
        Some(first) if !is_signal_name(signal) => Err(PebbleError::api(
            500,
            format!("cannot send signal to \"{first}\": invalid signal name \"{signal}\""),
        )),
        _ => Ok(()),
    }
}

fn startup_of(value: Option<&Value>) -> ServiceStartup {
    // An unset startup ("") means disabled, as in Pebble.
    match value {
        Some(Value::String(s)) if s == "enabled" => ServiceStartup::Enabled,
        _ => ServiceStartup::Disabled,
    }
}

fn current_status(container: &Container, name: &str) -> ServiceStatus {
    container
        .service_status
        .get(name)
        .copied()
        .unwrap_or(ServiceStatus::Inactive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn container() -> Container {
        let mut c = Container::new("c");
        c.layers.insert(
            "l".into(),
            serde_json::from_value(json!({"services": {
                "on": {"override": "replace", "startup": "enabled"},
                "off": {"override": "replace", "startup": ""},
            }}))
            .unwrap(),
        );
        c
    }

    #[test]
    fn startup_defaults_to_disabled() {
        let infos = service_infos(&container(), None);
        let startups: Vec<_> = infos.iter().map(|i| (i.name.as_str(), i.startup)).collect();
        assert_eq!(
            startups,
            [
                ("off", ServiceStartup::Disabled),
                ("on", ServiceStartup::Enabled)
            ]
        );
    }

    #[test]
    fn unknown_name_changes_nothing() {
        let mut c = container();
        let err = change(&mut c, Action::Start, &["on".into(), "nope".into()]).unwrap_err();
        assert_eq!(
            err,
            PebbleError::api(400, "cannot start services: service nope does not exist")
        );
        assert!(c.service_status.is_empty());
    }

    #[test]
    fn start_enabled_leaves_disabled_alone() {
        let mut c = container();
        start_enabled(&mut c);
        assert_eq!(c.service_status.get("on"), Some(&ServiceStatus::Active));
        assert_eq!(c.service_status.get("off"), None);
    }
}
