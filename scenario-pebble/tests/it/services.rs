//! Services and checks: statuses written into the model container, and their errors.

use scenario_model::{CheckLevel, CheckStatus, ServiceStatus};
use scenario_pebble::ServiceStartup;
use serde_json::{Value, json};

use crate::support::{Fixture, api_error, layer, strings};

const LAYER: &str = r"
services:
  web: {override: replace, command: web, startup: enabled}
  worker: {override: replace, command: worker, startup: disabled}
  idle: {override: replace, command: idle}
checks:
  up: {override: replace, level: alive, threshold: 4}
  ready: {override: replace, level: ready}
  later: {override: replace, startup: disabled}
";

fn fixture() -> Fixture {
    let mut f = Fixture::new();
    f.container.base_plan = match json!({
        "services": {"from-base": {"override": "replace", "command": "b", "startup": "enabled"}},
    }) {
        Value::Object(map) => map,
        _ => unreachable!(),
    };
    f.pebble().add_layer("l", layer(LAYER), false).unwrap();
    f
}

#[test]
fn get_services_covers_the_whole_plan_sorted() {
    let mut f = fixture();
    f.container
        .service_status
        .insert("worker".into(), ServiceStatus::Error);
    let infos = f.pebble().get_services(None).unwrap();
    let summary: Vec<_> = infos
        .iter()
        .map(|i| (i.name.as_str(), i.startup, i.current))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "from-base",
                ServiceStartup::Enabled,
                ServiceStatus::Inactive
            ),
            ("idle", ServiceStartup::Disabled, ServiceStatus::Inactive),
            ("web", ServiceStartup::Enabled, ServiceStatus::Inactive),
            ("worker", ServiceStartup::Disabled, ServiceStatus::Error),
        ]
    );
}

#[test]
fn get_services_by_name_skips_unknown_names() {
    let mut f = fixture();
    let infos = f
        .pebble()
        .get_services(Some(&strings(&["web", "nope", "idle"])))
        .unwrap();
    let names: Vec<_> = infos.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["idle", "web"]);
}

#[test]
fn start_stop_restart_write_statuses_into_the_container() {
    let mut f = fixture();
    let mut p = f.pebble();
    p.start_services(&strings(&["web", "from-base"])).unwrap();
    p.stop_services(&strings(&["web"])).unwrap();
    p.restart_services(&strings(&["idle"])).unwrap();
    assert_eq!(f.container.service_status["web"], ServiceStatus::Inactive);
    assert_eq!(
        f.container.service_status["from-base"],
        ServiceStatus::Active
    );
    assert_eq!(f.container.service_status["idle"], ServiceStatus::Active);
    assert!(f.pebble().get_services(Some(&strings(&["idle"]))).unwrap()[0].is_running());
}

#[test]
fn unknown_service_is_a_400_before_any_change() {
    let mut f = fixture();
    let mut p = f.pebble();
    for (result, verb) in [
        (p.start_services(&strings(&["web", "nope"])), "start"),
        (p.stop_services(&strings(&["web", "nope"])), "stop"),
        (p.restart_services(&strings(&["web", "nope"])), "restart"),
    ] {
        assert_eq!(
            result.unwrap_err(),
            api_error(
                400,
                "Bad Request",
                &format!("cannot {verb} services: service nope does not exist")
            )
        );
    }
    assert!(f.container.service_status.is_empty());
}

#[test]
fn empty_service_list_is_a_400() {
    let mut f = fixture();
    assert_eq!(
        f.pebble().start_services(&[]).unwrap_err(),
        api_error(400, "Bad Request", "must specify services for start action")
    );
}

#[test]
fn autostart_and_replan_start_enabled_services_only() {
    for replan in [false, true] {
        let mut f = fixture();
        f.container
            .service_status
            .insert("worker".into(), ServiceStatus::Active);
        let mut p = f.pebble();
        if replan {
            p.replan_services().unwrap();
        } else {
            p.autostart_services().unwrap();
        }
        let statuses: Vec<_> = f
            .container
            .service_status
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(
            statuses,
            [
                ("worker", ServiceStatus::Active),
                ("from-base", ServiceStatus::Active),
                ("web", ServiceStatus::Active),
            ]
        );
    }
}

#[test]
fn send_signal_to_running_services() {
    let mut f = fixture();
    let mut p = f.pebble();
    p.start_services(&strings(&["web"])).unwrap();
    p.send_signal("SIGHUP", &strings(&["web"])).unwrap();
    assert_eq!(
        p.send_signal("SIGHUP", &strings(&["web", "idle"]))
            .unwrap_err(),
        api_error(
            500,
            "Internal Server Error",
            "cannot send signal to \"idle\": service is not running"
        )
    );
    assert_eq!(
        p.send_signal("SIGHUP", &strings(&["nope"])).unwrap_err(),
        api_error(
            500,
            "Internal Server Error",
            "cannot send signal to \"nope\": service is not running"
        )
    );
    assert_eq!(
        p.send_signal("SIGNOPE", &strings(&["web"])).unwrap_err(),
        api_error(
            500,
            "Internal Server Error",
            "cannot send signal to \"web\": invalid signal name \"SIGNOPE\""
        )
    );
}

#[test]
fn get_checks_reports_plan_checks() {
    let mut f = fixture();
    let p = f.pebble();
    let all = p.get_checks(None, None).unwrap();
    let summary: Vec<_> = all
        .iter()
        .map(|c| (c.name.as_str(), c.level, c.status, c.threshold, c.failures))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "later",
                Some(CheckLevel::Unset),
                CheckStatus::Inactive,
                3,
                0
            ),
            ("ready", Some(CheckLevel::Ready), CheckStatus::Up, 3, 0),
            ("up", Some(CheckLevel::Alive), CheckStatus::Up, 4, 0),
        ]
    );
    let alive = p.get_checks(Some(CheckLevel::Alive), None).unwrap();
    assert_eq!(alive.len(), 1);
    let named = p
        .get_checks(None, Some(&strings(&["ready", "nope"])))
        .unwrap();
    assert_eq!(named.len(), 1);
    assert_eq!(named[0].name, "ready");
}
