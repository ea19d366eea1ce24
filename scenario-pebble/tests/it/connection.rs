//! The connection rule: every checked operation fails while `can_connect` is false, and
//! touches nothing (not even the root directory) when it does.

use scenario_pebble::{Pebble, PebbleError};

use crate::support::{Fixture, layer, strings};

type Op = (&'static str, fn(&mut Pebble<'_>) -> Result<(), PebbleError>);

const CHECKED: &[Op] = &[
    ("get_system_info", |p| p.get_system_info().map(drop)),
    ("pull", |p| p.pull("/f").map(drop)),
    ("push", |p| p.push("/f", b"x", true, None)),
    ("list_files", |p| p.list_files("/", None, false).map(drop)),
    ("exists", |p| p.exists("/").map(drop)),
    ("is_dir", |p| p.is_dir("/").map(drop)),
    ("make_dir", |p| p.make_dir("/d", true, None)),
    ("remove_path", |p| p.remove_path("/d", true)),
    ("add_layer", |p| {
        p.add_layer("l", layer("services: {s: {override: replace}}"), false)
    }),
    ("get_services", |p| p.get_services(None).map(drop)),
    ("start_services", |p| p.start_services(&strings(&["s"]))),
    ("stop_services", |p| p.stop_services(&strings(&["s"]))),
    ("restart_services", |p| p.restart_services(&strings(&["s"]))),
    ("autostart_services", |p| p.autostart_services()),
    ("replan_services", |p| p.replan_services()),
    ("send_signal", |p| p.send_signal("SIGHUP", &strings(&["s"]))),
    ("get_checks", |p| p.get_checks(None, None).map(drop)),
];

#[test]
fn checked_operations_fail_when_disconnected() {
    for (name, op) in CHECKED {
        let mut f = Fixture::new();
        f.container.can_connect = false;
        let before = f.container.clone();
        let err = op(&mut f.pebble()).unwrap_err();
        assert_eq!(
            err,
            PebbleError::Connection {
                container: "workload".into()
            },
            "{name}"
        );
        assert!(err.to_string().contains("can_connect=True"), "{name}");
        assert_eq!(f.container, before, "{name}");
        assert!(!f.root().exists(), "{name} created the root");
    }
}

#[test]
fn checked_operations_work_when_connected() {
    for (name, op) in CHECKED {
        let mut f = Fixture::new();
        f.pebble()
            .add_layer("base", layer("services: {s: {override: replace}}"), false)
            .unwrap();
        f.pebble().push("/f", b"", false, None).unwrap();
        let mut p = f.pebble();
        if *name == "send_signal" {
            p.start_services(&strings(&["s"])).unwrap();
        }
        op(&mut p).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn system_info_reports_a_version() {
    let mut f = Fixture::new();
    assert_eq!(f.pebble().get_system_info().unwrap().version, "1.0.0");
}
