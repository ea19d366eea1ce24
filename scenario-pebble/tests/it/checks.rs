//! Checks through the handle: what `get_checks` reports, `start_checks`/`stop_checks`, and
//! how a layer or a replan changes the container's `check_infos` under ops[testing].

use scenario_model::{Api, CheckInfo, CheckLevel, CheckStartup, CheckStatus};
use scenario_pebble::PebbleError;

use crate::support::{Fixture, api_error, layer, strings};

const CHECKS: &str = r"
checks:
  up: {override: replace, level: alive, threshold: 4}
  off: {override: replace, startup: disabled}
";

fn fixture(api: Api) -> Fixture {
    let mut f = Fixture::new();
    f.api = api;
    f
}

fn statuses(f: &mut Fixture) -> Vec<(String, CheckStatus, bool)> {
    f.pebble()
        .get_checks(None, None)
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.status, c.change_id.is_empty()))
        .collect()
}

#[test]
fn the_states_check_infos_are_reported() {
    let mut f = fixture(Api::Scenario8);
    f.container.layers.insert("l".into(), layer(CHECKS));
    let mut down = CheckInfo::new("up");
    down.status = CheckStatus::Down;
    down.failures = 4;
    f.container.check_infos.push(down);
    let up = &f
        .pebble()
        .get_checks(None, Some(&strings(&["up"])))
        .unwrap()[0];
    assert_eq!((up.status, up.failures), (CheckStatus::Down, 4));
    assert_eq!(up.level, Some(CheckLevel::Alive));
}

#[test]
fn adding_a_layer_starts_its_checks_under_ops_testing() {
    let mut f = fixture(Api::Scenario8);
    f.pebble().add_layer("l", layer(CHECKS), false).unwrap();
    let infos = &f.container.check_infos;
    assert_eq!(infos.len(), 2);
    let up = infos.iter().find(|i| i.name == "up").unwrap();
    assert_eq!(up.status, CheckStatus::Up);
    assert!(!up.change_id.is_empty());
    assert_eq!((up.level, up.threshold), (Some(CheckLevel::Alive), 4));
    let off = infos.iter().find(|i| i.name == "off").unwrap();
    assert_eq!(off.status, CheckStatus::Inactive);
    assert!(off.change_id.is_empty());
    assert_eq!(off.startup, CheckStartup::Disabled);
}

#[test]
fn scenario_5_output_keeps_no_check_infos() {
    let mut f = fixture(Api::Scenario5);
    f.pebble().add_layer("l", layer(CHECKS), false).unwrap();
    f.pebble().replan_services().unwrap();
    assert!(f.container.check_infos.is_empty());
    // The plan's checks are still reported.
    assert_eq!(
        statuses(&mut f),
        [
            ("off".to_owned(), CheckStatus::Inactive, true),
            ("up".to_owned(), CheckStatus::Up, false),
        ]
    );
}

#[test]
fn replan_starts_enabled_checks_that_are_not_running() {
    let mut f = fixture(Api::Scenario8);
    f.container.layers.insert("l".into(), layer(CHECKS));
    let mut stopped = CheckInfo::new("up");
    stopped.status = CheckStatus::Inactive;
    stopped.change_id.clear();
    f.container.check_infos.push(stopped);
    f.pebble().replan_services().unwrap();
    let infos = &f.container.check_infos;
    // The disabled check stays without an info.
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0].status, CheckStatus::Up);
    assert!(!infos[0].change_id.is_empty());
}

#[test]
fn stop_then_start_a_check() {
    for api in Api::BOTH {
        let mut f = fixture(api);
        f.container.layers.insert("l".into(), layer(CHECKS));
        let names = strings(&["up"]);
        assert_eq!(f.pebble().stop_checks(&names).unwrap(), names);
        assert_eq!(
            f.pebble().stop_checks(&names).unwrap(),
            Vec::<String>::new()
        );
        let up = &f.pebble().get_checks(None, Some(&names)).unwrap()[0];
        assert_eq!(
            (up.status, up.change_id.as_str()),
            (CheckStatus::Inactive, "")
        );
        assert_eq!(f.pebble().start_checks(&names).unwrap(), names);
        assert_eq!(
            f.pebble().start_checks(&names).unwrap(),
            Vec::<String>::new()
        );
        let up = &f.container.check_infos[0];
        assert_eq!(up.status, CheckStatus::Up);
        assert!(!up.change_id.is_empty());
    }
}

#[test]
fn an_unknown_check_changes_nothing() {
    let mut f = fixture(Api::Scenario8);
    f.container.layers.insert("l".into(), layer(CHECKS));
    let before = f.container.clone();
    let err = f
        .pebble()
        .stop_checks(&strings(&["up", "nope"]))
        .unwrap_err();
    assert_eq!(
        err,
        api_error(404, "Not Found", "cannot find check with name \"nope\"")
    );
    assert_eq!(f.container, before);
}

#[test]
fn reads_are_checked_under_scenario_5_only() {
    let mut f = fixture(Api::Scenario5);
    f.container.can_connect = false;
    assert!(matches!(
        f.pebble().get_checks(None, None),
        Err(PebbleError::Connection { .. })
    ));
    f.api = Api::Scenario8;
    assert!(f.pebble().get_checks(None, None).is_ok());
    // Starting and stopping needs Pebble in both.
    assert!(matches!(
        f.pebble().start_checks(&[]),
        Err(PebbleError::Connection { .. })
    ));
}
