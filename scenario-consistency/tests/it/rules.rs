//! One test (or a few) per rule: the rule fires with the right severity, and its path and
//! message name the offending field.

use std::sync::Arc;

use indexmap::IndexMap;
use scenario_consistency::Rule;
use scenario_model::{
    AnyRelation, CharmSpec, CheckInfo, CheckLevel, CheckStartup, Container, Event, Model, Network,
    Notice, PeerRelation, Port, Protocol, Relation, SecretOwner, State, StoredState, Value,
};
use serde_json::{Value as Json, json};

use crate::support::*;

// --- containers ---------------------------------------------------------------------

fn check_info(name: &str, level: Option<CheckLevel>) -> CheckInfo {
    let mut info = CheckInfo::new(name);
    info.level = level;
    info
}

#[test]
fn c1_workload_event_container_not_declared() {
    let ghost = container("ghost", true);
    let state = State {
        containers: Arc::new(vec![ghost.clone()]),
        ..State::default()
    };
    let report = check(&state, &pebble_ready(&ghost), &spec());
    expect_error(
        &report,
        Rule::C1,
        "event.container.name",
        &["'ghost'", "'workload'", "'side-car'"],
    );
}

#[test]
fn c2_workload_event_container_not_in_state() {
    let workload = container("workload", true);
    let report = check(&State::default(), &pebble_ready(&workload), &spec());
    expect_error(
        &report,
        Rule::C2,
        "event.container",
        &["'workload'", "not in the state"],
    );
}

#[test]
fn c3_state_container_not_declared_hints_at_near_miss() {
    let state = State {
        containers: Arc::new(vec![container("side_car", false)]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::C3,
        "state.containers[0].name",
        &["'side_car'", "did you mean 'side-car'"],
    );
}

#[test]
fn c4_duplicate_container_names() {
    let state = State {
        containers: Arc::new(vec![
            container("workload", false),
            container("workload", true),
        ]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::C4,
        "state.containers[1].name",
        &["'workload'"],
    );
    assert_eq!(report.of_rule(Rule::C4).count(), 1);
    // ops[testing] dropped the check and runs it.
    let report = check_8(&state, &start(), &spec());
    expect_stricter(
        &report,
        Rule::C4,
        "state.containers[1].name",
        &["'workload'"],
    );
}

#[test]
fn c2_the_event_must_carry_the_states_own_container() {
    let in_state = container("workload", true);
    let state = State {
        containers: Arc::new(vec![in_state]),
        ..State::default()
    };
    let mut other = Container::new("workload");
    other.can_connect = true;
    other
        .service_status
        .insert("svc".into(), scenario_model::ServiceStatus::Active);
    let event = pebble_ready(&Arc::new(other));
    expect_error(
        &check_8(&state, &event, &spec()),
        Rule::C2,
        "event.container",
        &["differs", "state.get_container('workload')"],
    );
    assert!(!check(&state, &event, &spec()).has(Rule::C2));
}

#[test]
fn c5_pebble_ready_while_cannot_connect_is_a_warning() {
    let workload = container("workload", false);
    let state = State {
        containers: Arc::new(vec![workload.clone()]),
        ..State::default()
    };
    let report = check(&state, &pebble_ready(&workload), &spec());
    expect_warning(
        &report,
        Rule::C5,
        "state.containers[0].can_connect",
        &["can_connect=True"],
    );
    assert!(report.is_consistent());
}

#[test]
fn c6_a_check_event_needs_a_check_info_of_its_container() {
    let wl = pebble_container(
        "workload",
        vec![],
        &[("up", json!({"override": "replace", "level": "alive"}))],
        vec![check_info("up", Some(CheckLevel::Alive))],
    );
    let state = State {
        containers: Arc::new(vec![wl.clone()]),
        ..State::default()
    };
    // Without a check_info the run cannot even start (ops reads JUJU_PEBBLE_CHECK_NAME).
    for report in [
        check(&state, &pebble_event(&wl, "pebble_check_failed"), &spec()),
        check_8(
            &state,
            &pebble_event(&wl, "pebble_check_recovered"),
            &spec(),
        ),
    ] {
        expect_error(
            &report,
            Rule::C6,
            "event.check_info",
            &["has no check_info"],
        );
    }
    let mut event = pebble_event(&wl, "pebble_check_failed");
    event.check_info = Some(check_info("down", None));
    expect_error(
        &check_8(&state, &event, &spec()),
        Rule::C6,
        "event.check_info",
        &["'down'", "'workload'"],
    );
    expect_stricter(
        &check(&state, &event, &spec()),
        Rule::C6,
        "event.check_info",
        &["'down'"],
    );
    event.check_info = Some(wl.check_infos[0].clone());
    let report = check_8(&state, &event, &spec());
    assert!(report.diagnostics.is_empty(), "{report}");
}

#[test]
fn c7_a_check_info_must_be_a_plan_check() {
    let wl = pebble_container(
        "workload",
        vec![],
        &[
            ("up", json!({"override": "replace"})),
            ("ready", json!({"override": "replace"})),
        ],
        vec![check_info("up", None), check_info("gone", None)],
    );
    let bare = pebble_container("side-car", vec![], &[], vec![check_info("x", None)]);
    let state = State {
        containers: Arc::new(vec![wl, bare]),
        ..State::default()
    };
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::C7,
        "state.containers[0].check_infos[1].name",
        &["'gone'", "'workload'", "'ready', 'up'"],
    );
    expect_error(
        &report,
        Rule::C7,
        "state.containers[1].check_infos[0].name",
        &["'x'", "plan checks: none"],
    );
    assert_eq!(report.diagnostics.len(), 2, "{report}");
    // Scenario 5.8.1 had no check infos to compare.
    let report = check(&state, &start(), &spec());
    expect_stricter(
        &report,
        Rule::C7,
        "state.containers[0].check_infos[1].name",
        &["'gone'"],
    );
    assert!(report.is_consistent());
}

#[test]
fn c8_c9_c10_a_check_info_must_agree_with_its_plan_check() {
    let mut disabled = check_info("ready", Some(CheckLevel::Ready));
    disabled.startup = CheckStartup::Disabled;
    disabled.threshold = 7;
    let wl = pebble_container(
        "workload",
        vec![],
        &[
            ("alive", json!({"override": "replace", "level": "alive"})),
            (
                "ready",
                json!({"override": "replace", "level": "alive", "startup": "enabled", "threshold": 5}),
            ),
        ],
        // A level of None is unset, and the plan says alive.
        vec![check_info("alive", None), disabled],
    );
    let state = State {
        containers: Arc::new(vec![wl]),
        ..State::default()
    };
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::C8,
        "state.containers[0].check_infos[0].level",
        &["level None", "'alive'"],
    );
    expect_error(
        &report,
        Rule::C8,
        "state.containers[0].check_infos[1].level",
        &["'ready'", "'alive'"],
    );
    expect_error(
        &report,
        Rule::C9,
        "state.containers[0].check_infos[1].startup",
        &["'disabled'", "'enabled'"],
    );
    expect_error(
        &report,
        Rule::C10,
        "state.containers[0].check_infos[1].threshold",
        &["threshold 7", "threshold 5"],
    );
    assert_eq!(report.diagnostics.len(), 4, "{report}");
    let report = check(&state, &start(), &spec());
    assert!(report.is_consistent(), "{report}");
    assert_eq!(report.diagnostics.len(), 4, "{report}");
    expect_stricter(
        &report,
        Rule::C10,
        "state.containers[0].check_infos[1].threshold",
        &["threshold 7"],
    );
}

#[test]
fn c8_c9_c10_unset_values_meet_pebbles_defaults() {
    // Startup unset or enabled, threshold unset or 3, level unset or None: all agree.
    let mut unset_startup = check_info("a", None);
    unset_startup.startup = CheckStartup::Unset;
    let wl = pebble_container(
        "workload",
        vec![],
        &[
            (
                "a",
                json!({"override": "replace", "startup": "enabled", "threshold": 3}),
            ),
            ("b", json!({"override": "replace", "level": ""})),
        ],
        vec![unset_startup, check_info("b", Some(CheckLevel::Unset))],
    );
    let state = State {
        containers: Arc::new(vec![wl]),
        ..State::default()
    };
    expect_clean(&check_8(&state, &start(), &spec()));
}

#[test]
fn c11_a_notice_event_needs_a_notice_of_its_container() {
    let wl = pebble_container("workload", vec![notice("example.com/a", "1")], &[], vec![]);
    let side = pebble_container("side-car", vec![notice("example.com/b", "2")], &[], vec![]);
    let state = State {
        containers: Arc::new(vec![wl.clone(), side]),
        ..State::default()
    };
    // Without a notice the run cannot even start (ops reads JUJU_NOTICE_ID).
    let bare = pebble_event(&wl, "pebble_custom_notice");
    for report in [
        check(&state, &bare, &spec()),
        check_8(&state, &bare, &spec()),
    ] {
        expect_error(&report, Rule::C11, "event.notice", &["has no notice"]);
    }
    let with = |n: Notice| {
        let mut e = pebble_event(&wl, "pebble_custom_notice");
        e.notice = Some(n);
        e
    };
    // In no container: ops[testing] refuses it.
    let event = with(notice("example.com/c", "3"));
    expect_error(
        &check_8(&state, &event, &spec()),
        Rule::C11,
        "event.notice",
        &["'example.com/c'", "'3'", "no container"],
    );
    expect_stricter(
        &check(&state, &event, &spec()),
        Rule::C11,
        "event.notice",
        &["no container"],
    );
    // In another container: ops[testing] lets it pass, Juju would not.
    let event = with(notice("example.com/b", "2"));
    expect_stricter(
        &check_8(&state, &event, &spec()),
        Rule::C11,
        "event.notice",
        &["'side-car'", "'workload'"],
    );
    expect_clean(&check_8(
        &state,
        &with(notice("example.com/a", "1")),
        &spec(),
    ));
}

#[test]
fn c12_duplicate_exec_prefixes() {
    let mut wl = Container::new("workload");
    wl.can_connect = true;
    wl.execs = vec![
        exec(&["ls", "-l"], "a"),
        exec(&["ls"], "b"),
        exec(&["ls", "-l"], "c"),
    ];
    let wl = Arc::new(wl);
    let mut side = (*wl).clone();
    side.name = "side-car".into();
    let state = State {
        containers: Arc::new(vec![wl.clone(), Arc::new(side)]),
        ..State::default()
    };
    // ops[testing] refuses them in the workload event's container...
    let report = check_8(&state, &pebble_ready(&wl), &spec());
    expect_error(
        &report,
        Rule::C12,
        "state.containers[0].execs[2].command_prefix",
        &["'workload'", "['ls', '-l']"],
    );
    // ...and does not look at other containers, or at other events.
    expect_stricter(
        &report,
        Rule::C12,
        "state.containers[1].execs[2].command_prefix",
        &["'side-car'"],
    );
    let report = check_8(&state, &start(), &spec());
    expect_stricter(
        &report,
        Rule::C12,
        "state.containers[0].execs[2].command_prefix",
        &["'workload'"],
    );
    // Scenario 5.8.1 had no execs.
    let report = check(&state, &pebble_ready(&wl), &spec());
    expect_stricter(
        &report,
        Rule::C12,
        "state.containers[0].execs[2].command_prefix",
        &["'workload'"],
    );
    assert!(report.is_consistent());
}

// --- config -------------------------------------------------------------------------

#[test]
fn k1_undeclared_config_key() {
    let state = State {
        config: config_of(&[("prot", Value::Int(1))]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::K1,
        "state.config['prot']",
        &["'prot'", "'port'"],
    );
}

#[test]
fn k1_config_key_when_charm_has_no_config_at_all() {
    let state = State {
        config: config_of(&[("port", Value::Int(1))]),
        ..State::default()
    };
    let no_config = CharmSpec::new(obj(meta()), None, None);
    let report = check(&state, &start(), &no_config);
    expect_error(
        &report,
        Rule::K1,
        "state.config['port']",
        &["declares no config options"],
    );
}

#[test]
fn k2_config_option_without_type() {
    let state = State {
        config: config_of(&[("untyped", Value::from("x"))]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::K2,
        "charm_spec.config['options']['untyped']",
        &["'untyped'", "type"],
    );
}

#[test]
fn k3_config_type_mismatches() {
    let state = State {
        config: config_of(&[
            ("port", Value::from("80")),
            ("count", Value::Bool(true)),
            ("ratio", Value::from("0.5")),
            ("debug", Value::Int(1)),
            ("name", Value::Int(3)),
        ]),
        ..State::default()
    };
    for report in [
        check(&state, &start(), &spec()),
        check_8(&state, &start(), &spec()),
    ] {
        expect_error(
            &report,
            Rule::K3,
            "state.config['port']",
            &["'port'", "int", "str"],
        );
        expect_error(&report, Rule::K3, "state.config['ratio']", &["float"]);
        expect_error(&report, Rule::K3, "state.config['debug']", &["bool"]);
        expect_error(&report, Rule::K3, "state.config['name']", &["str"]);
    }
    // `integer` is an alias of int under Scenario 5 only (see k4).
    let report = check(&state, &start(), &spec());
    assert_eq!(report.of_rule(Rule::K3).count(), 5, "{report}");
    let report = check_8(&state, &start(), &spec());
    assert_eq!(report.of_rule(Rule::K3).count(), 4, "{report}");
    assert!(report.has(Rule::K4), "{report}");
    // A bool is not an int to Juju, but Python's isinstance let it through both originals.
    let report = check(&state, &start(), &spec());
    expect_stricter(&report, Rule::K3, "state.config['count']", &["bool"]);
    let report = check_8(
        &State {
            config: config_of(&[("port", Value::Bool(true))]),
            ..State::default()
        },
        &start(),
        &spec(),
    );
    expect_stricter(&report, Rule::K3, "state.config['port']", &["bool"]);
}

#[test]
fn k3_an_int_for_a_float_option_only_passes_scenario_5() {
    // Juju takes it, and so did our Scenario 5 API; ops[testing] wants a float.
    let state = State {
        config: config_of(&[("ratio", Value::Int(1)), ("legacy-ratio", Value::Int(2))]),
        ..State::default()
    };
    expect_clean(&check(&state, &start(), &spec()));
    let report = check_8(
        &State {
            config: config_of(&[("ratio", Value::Int(1))]),
            ..State::default()
        },
        &start(),
        &spec(),
    );
    expect_error(
        &report,
        Rule::K3,
        "state.config['ratio']",
        &["float", "ops[testing]"],
    );
}

#[test]
fn k3_float_for_an_int_option_is_an_error() {
    let state = State {
        config: config_of(&[("port", Value::Float(80.0))]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(&report, Rule::K3, "state.config['port']", &["float"]);
}

#[test]
fn k4_unknown_or_unsupported_config_types() {
    let state = State {
        config: config_of(&[("blob", Value::from("a=b")), ("odd", Value::from("red"))]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec_with_unknown_config_types());
    expect_error(
        &report,
        Rule::K4,
        "charm_spec.config['options']['blob']['type']",
        &["'attrs'", "string, int, float, boolean or secret"],
    );
    expect_error(
        &report,
        Rule::K4,
        "charm_spec.config['options']['odd']['type']",
        &["'colour'"],
    );
}

#[test]
fn k4_an_unset_option_of_unknown_type_is_stricter() {
    // Juju refuses the charm at deploy; the originals only checked options the State set.
    let state = State {
        config: config_of(&[("blob", Value::from("a=b"))]),
        ..State::default()
    };
    for report in [
        check(&state, &start(), &spec_with_unknown_config_types()),
        check_8(&state, &start(), &spec_with_unknown_config_types()),
    ] {
        expect_error(
            &report,
            Rule::K4,
            "charm_spec.config['options']['blob']['type']",
            &["'attrs'"],
        );
        expect_stricter(
            &report,
            Rule::K4,
            "charm_spec.config['options']['odd']['type']",
            &["'colour'"],
        );
    }
    expect_clean(&check(&State::default(), &start(), &spec()));
}

#[test]
fn k4_secret_config_needs_juju_3_4() {
    let state = State {
        config: config_of(&[("creds", Value::from(SECRET_URI))]),
        ..State::default()
    };
    let report = check_at(&state, &start(), &spec(), "3.3.1");
    expect_error(
        &report,
        Rule::K4,
        "charm_spec.config['options']['creds']['type']",
        &["3.4", "3.3.1"],
    );
    expect_clean(&check_at(&state, &start(), &spec(), "3.4.0"));
    expect_clean(&check_8(&state, &start(), &spec()));
}

#[test]
fn k4_integer_and_number_are_aliases_only_in_scenario_5() {
    let state = State {
        config: config_of(&[
            ("count", Value::Int(1)),
            ("legacy-ratio", Value::Float(0.5)),
        ]),
        ..State::default()
    };
    expect_clean(&check(&state, &start(), &spec()));
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::K4,
        "charm_spec.config['options']['count']['type']",
        &["'integer'", "use int"],
    );
    expect_error(
        &report,
        Rule::K4,
        "charm_spec.config['options']['legacy-ratio']['type']",
        &["'number'", "use float"],
    );
}

#[test]
fn k5_secret_config_value_must_be_a_secret_uri() {
    let state = State {
        config: config_of(&[("creds", Value::from("hunter2"))]),
        ..State::default()
    };
    for report in [
        check(&state, &start(), &spec()),
        check_8(&state, &start(), &spec()),
    ] {
        expect_error(
            &report,
            Rule::K5,
            "state.config['creds']",
            &["'hunter2'", "secret:", "20"],
        );
    }
    // Scenario 5 asked only for the prefix; ops[testing] wants Juju's 20-character id.
    let state = State {
        config: config_of(&[("creds", Value::from("secret:abc"))]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_stricter(
        &report,
        Rule::K5,
        "state.config['creds']",
        &["'secret:abc'"],
    );
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::K5,
        "state.config['creds']",
        &["'secret:abc'"],
    );
}

// --- resources ----------------------------------------------------------------------

#[test]
fn r1_undeclared_resource() {
    let state = State {
        resources: Arc::new(IndexMap::from([("image".to_owned(), "/tmp/x".to_owned())])),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::R1,
        "state.resources['image']",
        &["'image'", "'img'"],
    );
}

// --- events -------------------------------------------------------------------------

#[test]
fn e0_custom_event_is_a_warning() {
    let report = check(
        &State::default(),
        &Event::new("my-lib.on.ingress-ready"),
        &spec(),
    );
    expect_warning(
        &report,
        Rule::E0,
        "event.path",
        &["'my_lib.on.ingress_ready'"],
    );
    assert!(report.is_consistent());
}

#[test]
fn framework_and_builtin_events_need_nothing() {
    for name in [
        "start",
        "update-status",
        "collect_unit_status",
        "config_changed",
    ] {
        expect_clean(&check(&State::default(), &Event::new(name), &spec()));
    }
}

#[test]
fn e1_relation_event_without_relation() {
    let report = check(
        &State::default(),
        &Event::new("db-relation-changed"),
        &spec(),
    );
    expect_error(
        &report,
        Rule::E1,
        "event.relation",
        &["'db_relation_changed'"],
    );
}

#[test]
fn e1_relation_event_for_another_endpoint() {
    let web = rel("web-api", 1);
    let state = with_relations(vec![web.clone()]);
    let mut event = Event::new("db_relation_changed");
    event.relation = Some(web);
    let report = check(&state, &event, &spec());
    expect_error(
        &report,
        Rule::E1,
        "event.relation.endpoint",
        &["'db'", "'web-api'", "'web_api_relation_changed'"],
    );
}

#[test]
fn e1_prefix_must_match_exactly_not_as_a_prefix() {
    // Scenario 5 only checked startswith, so `db` matched `dbx_relation_changed`.
    let db = rel("db", 1);
    let state = with_relations(vec![db.clone()]);
    let mut event = Event::new("dbx_relation_changed");
    event.relation = Some(db);
    let report = check(&state, &event, &spec());
    expect_error(&report, Rule::E1, "event.relation.endpoint", &["'dbx'"]);
}

#[test]
fn e2_workload_event_without_or_with_another_container() {
    let report = check(
        &State::default(),
        &Event::new("workload-pebble-ready"),
        &spec(),
    );
    expect_error(
        &report,
        Rule::E2,
        "event.container",
        &["'workload_pebble_ready'"],
    );

    let side = container("side-car", true);
    let state = State {
        containers: Arc::new(vec![side.clone()]),
        ..State::default()
    };
    let mut event = Event::new("workload_pebble_ready");
    event.container = Some(side);
    let report = check(&state, &event, &spec());
    expect_error(
        &report,
        Rule::E2,
        "event.container.name",
        &["'workload'", "'side-car'"],
    );
}

#[test]
fn e2_applies_to_every_workload_event() {
    let report = check(
        &State::default(),
        &Event::new("workload_pebble_custom_notice"),
        &spec(),
    );
    expect_error(&report, Rule::E2, "event.container", &["has no container"]);
}

#[test]
fn e3_action_event_without_action() {
    let report = check(&State::default(), &Event::new("backup_action"), &spec());
    expect_error(&report, Rule::E3, "event.action", &["'backup_action'"]);
}

#[test]
fn e3_action_name_mismatch() {
    let mut event = action_event("noop", &[]);
    event.path = "backup_action".into();
    let report = check(&State::default(), &event, &spec());
    expect_error(
        &report,
        Rule::E3,
        "event.action.name",
        &["'backup'", "'noop'"],
    );
}

#[test]
fn e3_undeclared_action_lists_declared_ones() {
    let report = check(&State::default(), &action_event("restore", &[]), &spec());
    expect_error(
        &report,
        Rule::E3,
        "event.action.name",
        &["'restore'", "'backup'", "'open-ended'", "'noop'"],
    );
}

#[test]
fn e3_action_when_charm_has_no_actions_is_a_diagnostic_not_a_crash() {
    let no_actions = CharmSpec::new(obj(meta()), None, Some(obj(config())));
    let report = check(&State::default(), &action_event("backup", &[]), &no_actions);
    expect_error(
        &report,
        Rule::E3,
        "event.action.name",
        &["'backup'", "declares no actions"],
    );
}

#[test]
fn e4_storage_event_checks() {
    let report = check(
        &State::default(),
        &Event::new("data_storage_attached"),
        &spec(),
    );
    expect_error(
        &report,
        Rule::E4,
        "event.storage",
        &["'data_storage_attached'"],
    );

    let logs = storage("logs", 0);
    let state = State {
        storage: Arc::new(vec![logs.clone()]),
        ..State::default()
    };
    let mut event = Event::new("data_storage_attached");
    event.storage = Some(logs);
    let report = check(&state, &event, &spec());
    expect_error(
        &report,
        Rule::E4,
        "event.storage.name",
        &["'data'", "'logs'"],
    );

    let cache = storage("cache", 0);
    let report = check(
        &State::default(),
        &storage_event(&cache, "detaching"),
        &spec(),
    );
    expect_error(
        &report,
        Rule::E4,
        "event.storage.name",
        &["'cache'", "'data'", "'logs'"],
    );
}

#[test]
fn e4_storage_event_when_metadata_has_no_storage_is_a_diagnostic_not_a_crash() {
    let mut bare = obj(meta());
    bare.remove("storage");
    let spec = CharmSpec::new(bare, None, None);
    let data = storage("data", 0);
    let state = State {
        storage: Arc::new(vec![data.clone()]),
        ..State::default()
    };
    let report = check(&state, &storage_event(&data, "attached"), &spec);
    expect_error(
        &report,
        Rule::E4,
        "event.storage.name",
        &["'data'", "declares no storage"],
    );
}

#[test]
fn e5_relation_event_relation_not_in_state() {
    // Scenario 5.8.1 ran it; ops[testing] refuses it.
    let db = rel("db", 7);
    let event = relation_event(&db, "changed");
    let report = check(&State::default(), &event, &spec());
    expect_stricter(&report, Rule::E5, "event.relation", &["id 7", "'db'"]);
    assert!(report.is_consistent(), "{report}");
    let report = check_8(&State::default(), &event, &spec());
    expect_error(&report, Rule::E5, "event.relation", &["id 7", "'db'"]);

    // Same id in the state, but on another endpoint.
    let state = with_relations(vec![rel("web-api", 7)]);
    let report = check_8(&state, &event, &spec());
    expect_error(&report, Rule::E5, "event.relation", &["'db'", "'web-api'"]);
    expect_stricter(
        &check(&state, &event, &spec()),
        Rule::E5,
        "event.relation",
        &["'web-api'"],
    );
}

#[test]
fn e5_the_event_must_carry_the_states_own_relation() {
    // ops[testing] compares the whole object: the same id is not enough.
    let db = rel("db", 7);
    let AnyRelation::Regular(mut changed) = db.clone() else {
        unreachable!()
    };
    std::sync::Arc::make_mut(&mut changed)
        .local_app_data
        .insert("k".into(), "v".into());
    let state = with_relations(vec![AnyRelation::Regular(changed)]);
    let event = relation_event(&db, "changed");
    let report = check_8(&state, &event, &spec());
    expect_error(
        &report,
        Rule::E5,
        "event.relation",
        &["differs", "state.get_relation(7)"],
    );
    expect_clean(&check(&state, &event, &spec()));
    let same = with_relations(vec![db.clone()]);
    assert!(!check_8(&same, &event, &spec()).has(Rule::E5));
}

#[test]
fn e6_storage_event_storage_not_in_state() {
    let data = storage("data", 3);
    let state = State {
        storage: Arc::new(vec![storage("data", 0)]),
        ..State::default()
    };
    // Scenario 5.8.1's run crashed on it, so it is an error under both APIs.
    for report in [
        check(&state, &storage_event(&data, "attached"), &spec()),
        check_8(&state, &storage_event(&data, "attached"), &spec()),
    ] {
        expect_error(&report, Rule::E6, "event.storage", &["'data/3'", "index=3"]);
    }
}

#[test]
fn e7_joined_changed_departed_need_a_remote_unit() {
    let mut lonely = Relation::new("db");
    lonely.relation_id = 1;
    lonely.remote_units_data = std::iter::empty::<(u32, IndexMap<String, String>)>().collect();
    let lonely: AnyRelation = lonely.into();
    let state = with_relations(vec![lonely.clone()]);
    for suffix in ["joined", "changed", "departed"] {
        // ops[testing] refuses the event; Scenario 5.8.1 ran it, so there it is stricter.
        let report = check_8(&state, &relation_event(&lonely, suffix), &spec());
        expect_error(
            &report,
            Rule::E7,
            "event.relation_remote_unit_id",
            &["remote_unit=", "remote_units_data"],
        );
        let report = check(&state, &relation_event(&lonely, suffix), &spec());
        expect_stricter(
            &report,
            Rule::E7,
            "event.relation_remote_unit_id",
            &["relation_remote_unit_id=", "remote_units_data"],
        );
        assert!(report.is_consistent());
    }
    for suffix in ["created", "broken"] {
        expect_clean(&check(&state, &relation_event(&lonely, suffix), &spec()));
    }
    // Naming the unit is enough.
    let mut event = relation_event(&lonely, "departed");
    event.relation_remote_unit_id = Some(4);
    expect_clean(&check(&state, &event, &spec()));
}

#[test]
fn e7_a_peer_relation_with_only_this_unit_has_no_remote_unit() {
    let cluster = peer("cluster", 1, &[3]);
    let state = State {
        unit_id: 3,
        ..with_relations(vec![cluster.clone()])
    };
    let report = check_8(&state, &relation_event(&cluster, "changed"), &spec());
    expect_error(
        &report,
        Rule::E7,
        "event.relation_remote_unit_id",
        &["peers_data"],
    );
}

#[test]
fn e7_the_default_peer_relation_of_scenario_5_has_its_peer() {
    // Scenario 5.8.1 ran PeerRelation("cluster") at its defaults with unit 0 as the peer.
    let cluster: AnyRelation = PeerRelation::new("cluster").into();
    let state = with_relations(vec![cluster.clone()]);
    let report = check(&state, &relation_event(&cluster, "changed"), &spec());
    assert!(!report.has(Rule::E7), "{report}");
    // ops[testing]'s default has no peers at all.
    let report = check_8(&state, &relation_event(&cluster, "changed"), &spec());
    expect_error(
        &report,
        Rule::E7,
        "event.relation_remote_unit_id",
        &["peers_data"],
    );
}

#[test]
fn e7_an_implied_remote_unit_is_a_warning_under_ops_testing() {
    // One remote unit: ops[testing] warns it picks it; Scenario 5.8.1 said so at info level.
    let db = rel("db", 1);
    let state = with_relations(vec![db.clone()]);
    let event = relation_event(&db, "changed");
    let report = check_8(&state, &event, &spec());
    expect_warning(
        &report,
        Rule::E7,
        "event.relation_remote_unit_id",
        &["implicitly using unit 0", "remote_unit=0"],
    );
    assert!(report.is_consistent());
    expect_clean(&check(&state, &event, &spec()));

    // Several: ops[testing] warns that one is picked (Scenario 5.8.1's run logged it).
    let AnyRelation::Regular(mut two) = db.clone() else {
        unreachable!()
    };
    Arc::make_mut(&mut two)
        .remote_units_data
        .make_mut(scenario_model::Api::Scenario8)
        .insert(1, IndexMap::new());
    let two = AnyRelation::Regular(two);
    let state = with_relations(vec![two.clone()]);
    let event = relation_event(&two, "joined");
    expect_warning(
        &check_8(&state, &event, &spec()),
        Rule::E7,
        "event.relation_remote_unit_id",
        &["implicitly using unit 0", "[0, 1]"],
    );
    expect_clean(&check(&state, &event, &spec()));
    // A subordinate relation always has its one remote unit.
    let logging = sub("logging", 2);
    let state = with_relations(vec![logging.clone()]);
    let report = check_8(&state, &relation_event(&logging, "departed"), &spec());
    expect_warning(
        &report,
        Rule::E7,
        "event.relation_remote_unit_id",
        &["implicitly using unit 0"],
    );
}

#[test]
fn e7_unknown_remote_unit_on_changed_is_a_warning() {
    let db = rel("db", 1);
    let state = with_relations(vec![db.clone()]);
    let mut event = relation_event(&db, "changed");
    event.relation_remote_unit_id = Some(5);
    let report = check(&state, &event, &spec());
    expect_warning(
        &report,
        Rule::E7,
        "event.relation_remote_unit_id",
        &["remote unit 5", "relation 1"],
    );
    assert!(report.is_consistent());
}

#[test]
fn e8_remote_unit_on_a_non_relation_event_is_a_warning() {
    let mut event = start();
    event.relation_remote_unit_id = Some(2);
    let report = check(&State::default(), &event, &spec());
    expect_warning(
        &report,
        Rule::E8,
        "event.relation_remote_unit_id",
        &["'start'", "2"],
    );
}

// --- action params ------------------------------------------------------------------

#[test]
fn ap1_declared_param_without_type() {
    let report = check(&State::default(), &action_event("untyped", &[]), &spec());
    expect_error(
        &report,
        Rule::AP1,
        "charm_spec.actions['untyped']['params']['x']",
        &["'x'", "'untyped'", "type"],
    );
}

#[test]
fn ap2_unknown_param_type_is_stricter_than_the_originals() {
    // Juju refuses the actions.yaml; Scenario 5.8.1 and ops[testing] only warned...
    let event = action_event("weird", &[]);
    for report in [
        check(&State::default(), &event, &spec()),
        check_8(&State::default(), &event, &spec()),
    ] {
        expect_stricter(
            &report,
            Rule::AP2,
            "charm_spec.actions['weird']['params']['y']['type']",
            &["'str'", "string", "Juju would refuse"],
        );
        assert!(report.is_consistent(), "{report}");
    }
    // ...but refused a value given for such a param, which they could not check.
    let event = action_event("weird", &[("y", Value::Int(1))]);
    for report in [
        check(&State::default(), &event, &spec()),
        check_8(&State::default(), &event, &spec()),
    ] {
        expect_error(
            &report,
            Rule::AP2,
            "event.action.params['y']",
            &["'y'", "'weird'", "'str'"],
        );
    }
}

#[test]
fn ap3_undeclared_param() {
    let event = action_event(
        "backup",
        &[("target", Value::from("s3")), ("targte", Value::from("x"))],
    );
    let report = check(&State::default(), &event, &spec());
    expect_error(
        &report,
        Rule::AP3,
        "event.action.params['targte']",
        &["'targte'", "'backup'", "additionalProperties", "'target'"],
    );
}

#[test]
fn ap3_additional_properties_allows_undeclared_params() {
    let event = action_event("open-ended", &[("anything", Value::Int(1))]);
    expect_clean(&check(&State::default(), &event, &spec()));
}

#[test]
fn ap4_param_type_mismatches() {
    let event = action_event(
        "backup",
        &[
            ("target", Value::Int(1)),
            ("count", Value::Bool(true)),
            ("verbose", Value::from("yes")),
            ("ratio", Value::from("1")),
            ("tags", Value::from("a,b")),
            ("opts", Value::List(vec![])),
            ("maybe", Value::Int(1)),
        ],
    );
    for report in [
        check(&State::default(), &event, &spec()),
        check_8(&State::default(), &event, &spec()),
    ] {
        for (name, mention) in [
            ("target", "str"),
            ("verbose", "bool"),
            ("ratio", "int or float"),
            ("opts", "dict"),
            ("maybe", "str or None"),
        ] {
            expect_error(
                &report,
                Rule::AP4,
                &format!("event.action.params['{name}']"),
                &[&format!("'{name}'"), mention],
            );
        }
        // The originals' isinstance took a bool for an int and a str for a Sequence.
        for (name, mention) in [("count", "int"), ("tags", "list")] {
            expect_stricter(
                &report,
                Rule::AP4,
                &format!("event.action.params['{name}']"),
                &[&format!("'{name}'"), mention],
            );
        }
        assert_eq!(report.diagnostics.len(), 7, "{report}");
    }
}

#[test]
fn ap4_matching_params_pass() {
    let event = action_event(
        "backup",
        &[
            ("target", Value::from("s3")),
            ("count", Value::Int(2)),
            ("verbose", Value::Bool(false)),
            ("ratio", Value::Int(1)),
            ("tags", Value::Tuple(vec![Value::from("a")])),
            ("opts", Value::str_dict([("k", Value::Int(1))])),
            ("maybe", Value::None),
        ],
    );
    expect_clean(&check(&State::default(), &event, &spec()));
}

#[test]
fn ap5_required_param_missing() {
    // `level` is required too, but has a default, which Juju fills in.
    // Juju refuses the action, but neither original looked at `required`.
    let event = action_event("backup", &[]);
    for report in [
        check(&State::default(), &event, &spec()),
        check_8(&State::default(), &event, &spec()),
    ] {
        expect_stricter(
            &report,
            Rule::AP5,
            "event.action.params",
            &["'backup'", "'target'"],
        );
        assert_eq!(report.of_rule(Rule::AP5).count(), 1, "{report}");
    }
}

// --- secrets ------------------------------------------------------------------------

#[test]
fn s1_secret_events_need_juju_3() {
    let s = secret("secret:abc", None);
    let state = State {
        secrets: Arc::new(vec![s.clone()]),
        ..State::default()
    };
    let report = check_at(
        &state,
        &secret_event("secret_changed", &s, None),
        &spec(),
        "2.9.44",
    );
    expect_error(&report, Rule::S1, "juju_version", &["3.0", "2.9.44"]);
}

#[test]
fn s2_secret_event_without_secret() {
    let report = check(&State::default(), &Event::new("secret_changed"), &spec());
    expect_error(&report, Rule::S2, "event.secret", &["'secret_changed'"]);
}

#[test]
fn s3_secret_event_secret_not_in_state() {
    let s = secret("abc", None);
    let other = secret("xyz", None);
    let state = State {
        secrets: Arc::new(vec![other]),
        ..State::default()
    };
    let event = secret_event("secret_changed", &s, None);
    // Scenario 5.8.1 refused a secret event only when the state had no secrets at all.
    expect_stricter(
        &check(&state, &event, &spec()),
        Rule::S3,
        "event.secret",
        &["'abc'"],
    );
    expect_error(
        &check_8(&state, &event, &spec()),
        Rule::S3,
        "event.secret",
        &["'abc'"],
    );
    let report = check(&State::default(), &event, &spec());
    expect_error(&report, Rule::S3, "event.secret", &["'abc'"]);

    // The `secret:` prefix is optional on either side.
    let state = State {
        secrets: Arc::new(vec![secret("secret:abc", None)]),
        ..State::default()
    };
    expect_clean(&check(
        &state,
        &secret_event("secret_changed", &s, None),
        &spec(),
    ));
    // ops[testing] wants the state's own object, so the other spelling differs there.
    expect_error(
        &check_8(&state, &secret_event("secret_changed", &s, None), &spec()),
        Rule::S3,
        "event.secret",
        &["differs"],
    );
    let own = state.secrets[0].clone();
    expect_clean(&check_8(
        &state,
        &secret_event("secret_changed", &own, None),
        &spec(),
    ));
}

#[test]
fn s4_remove_and_expired_need_a_revision() {
    let s = secret("secret:abc", Some(SecretOwner::Unit));
    let state = State {
        secrets: Arc::new(vec![s.clone()]),
        ..State::default()
    };
    for name in ["secret_remove", "secret_expired"] {
        let report = check(&state, &secret_event(name, &s, None), &spec());
        expect_error(
            &report,
            Rule::S4,
            "event.secret_revision",
            &[name, "secret_revision"],
        );
        expect_clean(&check(&state, &secret_event(name, &s, Some(1)), &spec()));
    }
    expect_clean(&check(
        &state,
        &secret_event("secret_rotate", &s, None),
        &spec(),
    ));
}

#[test]
fn s5_secret_event_must_suit_ownership() {
    let owned = secret("secret:own", Some(SecretOwner::Unit));
    let observed = secret("secret:obs", None);
    let app_owned = secret("secret:app", Some(SecretOwner::App));
    let state = State {
        secrets: Arc::new(vec![owned.clone(), observed.clone(), app_owned.clone()]),
        ..State::default()
    };
    // ops[testing]'s event factories refuse these; Scenario 5.8.1 ran them.
    let event = secret_event("secret_changed", &owned, None);
    expect_stricter(
        &check(&state, &event, &spec()),
        Rule::S5,
        "event.secret.owner",
        &["'secret:own'", "owner=None"],
    );
    expect_error(
        &check_8(&state, &event, &spec()),
        Rule::S5,
        "event.secret.owner",
        &["'secret:own'", "owner=None"],
    );
    let event = secret_event("secret_rotate", &observed, None);
    expect_stricter(
        &check(&state, &event, &spec()),
        Rule::S5,
        "event.secret.owner",
        &["'secret:obs'", "secret-rotate", "owner"],
    );
    expect_error(
        &check_8(&state, &event, &spec()),
        Rule::S5,
        "event.secret.owner",
        &["'secret:obs'", "secret-rotate", "owner"],
    );
    let report = check(
        &state,
        &secret_event("secret_rotate", &app_owned, None),
        &spec(),
    );
    expect_warning(&report, Rule::S5, "state.leader", &["leader=True"]);
    let leader = State {
        leader: true,
        ..state
    };
    expect_clean(&check(
        &leader,
        &secret_event("secret_rotate", &app_owned, None),
        &spec(),
    ));
}

#[test]
fn s6_duplicate_secret_ids() {
    let state = State {
        secrets: Arc::new(vec![secret("abc", None), secret("secret:abc", None)]),
        ..State::default()
    };
    // Neither original looked.
    for report in [
        check(&state, &start(), &spec()),
        check_8(&state, &start(), &spec()),
    ] {
        expect_stricter(&report, Rule::S6, "state.secrets[1].id", &["'secret:abc'"]);
    }
}

// --- storage ------------------------------------------------------------------------

#[test]
fn st1_undeclared_storage() {
    let state = State {
        storage: Arc::new(vec![storage("cache", 0)]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::ST1,
        "state.storage[0].name",
        &["'cache'", "'data'"],
    );
}

#[test]
fn st2_duplicate_storage_name_and_index() {
    let state = State {
        storage: Arc::new(vec![storage("logs", 1), storage("logs", 1)]),
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_error(&report, Rule::ST2, "state.storage[1].index", &["'logs/1'"]);
}

#[test]
fn st3_several_instances_of_a_single_storage() {
    let state = State {
        storage: Arc::new(vec![
            storage("data", 0),
            storage("data", 1),
            storage("data", 2),
            storage("logs", 0),
            storage("logs", 1),
        ]),
        ..State::default()
    };
    // Juju refuses it; neither original looked.
    for report in [
        check(&state, &start(), &spec()),
        check_8(&state, &start(), &spec()),
    ] {
        expect_stricter(
            &report,
            Rule::ST3,
            "state.storage[1]",
            &["'data'", "multiple"],
        );
        assert_eq!(report.diagnostics.len(), 1, "{report}");
    }
}

// --- relations ----------------------------------------------------------------------

#[test]
fn rl1_regular_relation_on_peer_endpoint() {
    let report = check(&with_relations(vec![rel("cluster", 1)]), &start(), &spec());
    expect_error(
        &report,
        Rule::RL1,
        "state.relations[0]",
        &["'cluster'", "PeerRelation('cluster')"],
    );
}

#[test]
fn rl2_undeclared_endpoint() {
    let report = check(
        &with_relations(vec![rel("db", 1), rel("web_api", 2)]),
        &start(),
        &spec(),
    );
    expect_error(
        &report,
        Rule::RL2,
        "state.relations[1].endpoint",
        &["'web_api'", "did you mean 'web-api'", "'db'"],
    );
}

#[test]
fn rl2_juju_info_is_implicitly_declared() {
    let state = with_relations(vec![rel("juju-info", 1), sub("juju-info", 2)]);
    expect_clean(&check(&state, &start(), &spec()));
}

#[test]
fn rl3_duplicate_relation_ids_across_all_relations() {
    // Scenario 5 only compared ids on declared endpoints; undeclared ones count too.
    let state = with_relations(vec![rel("db", 4), rel("nope", 4), peer("cluster", 4, &[1])]);
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::RL3,
        "state.relations[1].relation_id",
        &["id 4", "state.relations[0]"],
    );
    expect_error(
        &report,
        Rule::RL3,
        "state.relations[2].relation_id",
        &["id 4"],
    );
}

#[test]
fn rl4_subordinate_and_scope_must_match() {
    let state = with_relations(vec![rel("logging", 1), sub("db", 2)]);
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::RL4,
        "state.relations[0]",
        &[
            "'logging'",
            "scope: container",
            "SubordinateRelation('logging')",
        ],
    );
    expect_error(
        &report,
        Rule::RL4,
        "state.relations[1]",
        &["'db'", "Relation('db')"],
    );
}

#[test]
fn rl5_duplicate_endpoint_names_reported_once() {
    let mut m = meta();
    m["provides"]["db"] = json!({"interface": "pg"});
    m["peers"]["db"] = json!({"interface": "pg"});
    m["peers"]["web-api"] = json!({"interface": "x"});
    let spec = CharmSpec::new(obj(m), None, None);
    let report = check(&State::default(), &start(), &spec);
    let d = expect_error(
        &report,
        Rule::RL5,
        "charm_spec.meta['provides']['db']",
        &["'db'", "'web-api'", "unique"],
    );
    assert_eq!(report.of_rule(Rule::RL5).count(), 1, "{d}");
}

#[test]
fn rl6_peer_relation_on_non_peer_endpoint() {
    let state = with_relations(vec![peer("db", 1, &[1]), peer("logging", 2, &[1])]);
    // Neither original refused it.
    for report in [
        check(&state, &start(), &spec()),
        check_8(&state, &start(), &spec()),
    ] {
        expect_stricter(
            &report,
            Rule::RL6,
            "state.relations[0]",
            &["'db'", "requires", "Relation('db')"],
        );
        expect_stricter(
            &report,
            Rule::RL6,
            "state.relations[1]",
            &["SubordinateRelation('logging')"],
        );
    }
}

#[test]
fn rl7_peers_data_with_own_unit_id_is_an_error() {
    let mut cluster = PeerRelation::new("cluster");
    cluster.relation_id = 1;
    cluster.peers_data = [(2, IndexMap::from([("k".into(), "v".into())]))]
        .into_iter()
        .collect();
    let state = State {
        unit_id: 2,
        ..with_relations(vec![cluster.into()])
    };
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::RL7,
        "state.relations[0].peers_data[2]",
        &["unit 2", "local_unit_data"],
    );
    // Scenario 5.8.1 did not check it.
    let report = check(&state, &start(), &spec());
    expect_stricter(
        &report,
        Rule::RL7,
        "state.relations[0].peers_data[2]",
        &["unit 2"],
    );
}

#[test]
fn rl7_the_default_collision_is_only_stricter() {
    // PeerRelation's default peers_data (Scenario 5's {0: {}}) with the default unit_id=0.
    let mut cluster = PeerRelation::new("cluster");
    cluster.relation_id = 1;
    let state = with_relations(vec![cluster.into()]);
    let report = check(&state, &start(), &spec());
    expect_stricter(
        &report,
        Rule::RL7,
        "state.relations[0].peers_data[0]",
        &["own id", "peers_data={1: {}}"],
    );
    assert!(report.is_consistent());
    // ops[testing]'s default is no peers: nothing collides.
    expect_clean(&check_8(&state, &start(), &spec()));
}

#[test]
fn rl8_app_data_needs_juju_2_7() {
    let mut db = Relation::new("db");
    db.relation_id = 1;
    db.remote_app_data.insert("k".into(), "v".into());
    let state = with_relations(vec![db.into()]);
    // The originals refused only reading the databag, at run time.
    let report = check_at(&state, &start(), &spec(), "2.6.10");
    expect_stricter(
        &report,
        Rule::RL8,
        "state.relations[0].remote_app_data",
        &["2.7", "2.6.10", "remote_app_data"],
    );
    expect_clean(&check_at(&state, &start(), &spec(), "2.7.0"));
    // Unit data is fine on old Juju.
    let mut db = Relation::new("db");
    db.relation_id = 1;
    db.local_unit_data
        .make_mut(scenario_model::Api::Scenario5)
        .insert("k".into(), "v".into());
    expect_clean(&check_at(
        &with_relations(vec![db.into()]),
        &start(),
        &spec(),
        "2.6",
    ));
}

// --- networks, stored state, ports, units -------------------------------------------

fn net(name: &str) -> Network {
    Network::default_for(name, "10.0.0.1", "", "", "eth0", None, vec![], vec![])
}

#[test]
fn n1_network_must_be_a_declared_binding() {
    let state = State {
        networks: Arc::new(vec![
            net("db"),
            net("cluster"),
            net("metrics"),
            net("juju-info"),
            net("metric"),
        ]),
        ..State::default()
    };
    // Scenario 5.8.1 checked no networks; ops[testing] refuses undeclared bindings.
    let report = check(&state, &start(), &spec());
    expect_stricter(
        &report,
        Rule::N1,
        "state.networks[4].name",
        &["'metric'", "extra-bindings", "'metrics'"],
    );
    assert_eq!(report.diagnostics.len(), 1, "{report}");
    let report = check_8(&state, &start(), &spec());
    expect_error(&report, Rule::N1, "state.networks[4].name", &["'metric'"]);
    assert_eq!(report.diagnostics.len(), 1, "{report}");
}

#[test]
fn n1_ops_testing_takes_no_container_scoped_endpoint_as_a_binding() {
    let state = State {
        networks: Arc::new(vec![net("logging")]),
        ..State::default()
    };
    // Juju binds every endpoint, so only ops[testing]'s own rule speaks against it.
    expect_clean(&check(&state, &start(), &spec()));
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::N1,
        "state.networks[0].name",
        &["'logging'", "container-scoped"],
    );
}

#[test]
fn n2_duplicate_network_names() {
    let state = State {
        networks: Arc::new(vec![net("db"), net("db")]),
        ..State::default()
    };
    for report in [
        check(&state, &start(), &spec()),
        check_8(&state, &start(), &spec()),
    ] {
        expect_stricter(&report, Rule::N2, "state.networks[1].name", &["'db'"]);
    }
}

#[test]
fn n3_an_extra_binding_may_not_be_an_endpoint() {
    let mut m = meta();
    m["extra-bindings"]["db"] = Json::Null;
    let spec = CharmSpec::new(obj(m), None, None);
    let report = check_8(&State::default(), &start(), &spec);
    expect_error(
        &report,
        Rule::N3,
        "charm_spec.meta['extra-bindings']['db']",
        &["'db'", "rename"],
    );
    assert_eq!(report.diagnostics.len(), 1, "{report}");
    expect_stricter(
        &check(&State::default(), &start(), &spec),
        Rule::N3,
        "charm_spec.meta['extra-bindings']['db']",
        &["'db'"],
    );
}

#[test]
fn cs1_a_kubernetes_cloud_spec_needs_juju_3_6_10() {
    let mut model = Model {
        cloud_spec: Some(k8s_cloud()),
        ..Model::default()
    };
    let state = State {
        model: Arc::new(model.clone()),
        ..State::default()
    };
    let report = check_8_at(&state, &start(), &spec(), "3.6.9");
    expect_error(
        &report,
        Rule::CS1,
        "state.model.cloud_spec",
        &["3.6.10", "3.6.9", "type='lxd'"],
    );
    expect_stricter(
        &check_at(&state, &start(), &spec(), "3.6.9"),
        Rule::CS1,
        "state.model.cloud_spec",
        &["3.6.10"],
    );
    expect_clean(&check_8_at(&state, &start(), &spec(), "3.6.10"));
    // Machine models always had it.
    model.model_type = "lxd".into();
    let machine = State {
        model: Arc::new(model),
        ..State::default()
    };
    expect_clean(&check_8_at(&machine, &start(), &spec(), "3.1"));
}

#[test]
fn ss1_duplicate_stored_state() {
    let state = State {
        stored_state: Arc::new(vec![
            StoredState::new(Some("MyCharm".into()), "_stored"),
            StoredState::new(None, "_stored"),
            StoredState::new(Some("MyCharm".into()), "_stored"),
        ]),
        ..State::default()
    };
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::SS1,
        "state.stored_state[2]",
        &["owner_path='MyCharm'", "name='_stored'"],
    );
    assert_eq!(report.diagnostics.len(), 1, "{report}");
    // Scenario 5.8.1 did not look.
    let report = check(&state, &start(), &spec());
    expect_stricter(&report, Rule::SS1, "state.stored_state[2]", &["'MyCharm'"]);
}

#[test]
fn ss2_stored_state_content_must_marshal() {
    let deep = (0..2000).fold(Value::Int(1), |v, _| Value::List(vec![v]));
    let mut stored = StoredState::new(Some("MyCharm".into()), "_stored");
    stored.content.insert("deep".into(), deep);
    stored.content.insert(
        "bad-set".into(),
        Value::Set(vec![Value::Tuple(vec![Value::List(vec![])])]),
    );
    stored.content.insert(
        "fine".into(),
        Value::Set(vec![Value::Tuple(vec![Value::Int(1), Value::from("a")])]),
    );
    let state = State {
        stored_state: Arc::new(vec![stored]),
        ..State::default()
    };
    let report = check_8(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::SS2,
        "state.stored_state[0].content['deep']",
        &["2000", "'MyCharm'"],
    );
    expect_error(
        &report,
        Rule::SS2,
        "state.stored_state[0].content['bad-set']",
        &["set", "list"],
    );
    assert_eq!(report.diagnostics.len(), 2, "{report}");
    // A set Python cannot build fails any run; too deep a nesting only fails ops's save.
    let report = check(&state, &start(), &spec());
    expect_error(
        &report,
        Rule::SS2,
        "state.stored_state[0].content['bad-set']",
        &["hashable"],
    );
    expect_stricter(
        &report,
        Rule::SS2,
        "state.stored_state[0].content['deep']",
        &["flatten"],
    );
}

#[test]
fn p1_port_opened_twice() {
    let tcp = |n| Port {
        protocol: Protocol::Tcp,
        port: Some(n),
    };
    let state = State {
        opened_ports: Arc::new(vec![
            tcp(80),
            Port {
                protocol: Protocol::Udp,
                port: Some(80),
            },
            tcp(80),
        ]),
        ..State::default()
    };
    // Scenario 5.8.1 ran it; ops[testing] keeps a set, so never sees it.
    for report in [
        check(&state, &start(), &spec()),
        check_8(&state, &start(), &spec()),
    ] {
        expect_stricter(&report, Rule::P1, "state.opened_ports[2]", &["tcp port 80"]);
        assert_eq!(report.diagnostics.len(), 1, "{report}");
    }
}

#[test]
fn pu1_zero_planned_units_is_a_warning() {
    let state = State {
        planned_units: 0,
        ..State::default()
    };
    let report = check(&state, &start(), &spec());
    expect_warning(
        &report,
        Rule::PU1,
        "state.planned_units",
        &["planned_units"],
    );
    assert!(report.is_consistent());
}

// --- names ------------------------------------------------------------------------

#[test]
fn nm1_names_juju_would_refuse() {
    let mut m = meta();
    m["requires"]["Bad-Endpoint"] = json!({"interface": "x"});
    m["storage"]["my_data"] = json!({"type": "filesystem"});
    m["containers"]["my_container"] = json!({});
    let spec = CharmSpec::new(obj(m), Some(obj(json!({"do_it": null}))), None);
    let state = State {
        relations: Arc::new(vec![rel("Bad-Endpoint", 1), rel("db", 2)]),
        storage: Arc::new(vec![storage("my_data", 0), storage("data", 0)]),
        containers: Arc::new(vec![
            container("my_container", true),
            container("workload", true),
        ]),
        ..State::default()
    };
    let event = action_event("do_it", &[]);
    // ops[testing] refuses these names in its constructors and ctx.on.action().
    let report = check_8(&state, &event, &spec);
    for (path, name, kind) in [
        (
            "state.relations[0].endpoint",
            "'Bad-Endpoint'",
            "relation endpoint",
        ),
        ("state.storage[0].name", "'my_data'", "storage"),
        ("state.containers[0].name", "'my_container'", "container"),
        ("event.action.name", "'do_it'", "action"),
    ] {
        expect_error(&report, Rule::NM1, path, &[name, kind, "lowercase"]);
    }
    assert_eq!(report.diagnostics.len(), 4, "{report}");
    // Scenario 5.8.1 took any name.
    let report = check(&state, &event, &spec);
    expect_stricter(
        &report,
        Rule::NM1,
        "state.storage[0].name",
        &["'my_data'", "single hyphens"],
    );
    assert!(report.is_consistent(), "{report}");
}

#[test]
fn every_rule_has_a_test_in_this_file() {
    let source = include_str!("rules.rs");
    for rule in Rule::ALL {
        assert!(
            source.contains(&format!("Rule::{rule},")),
            "no test mentions Rule::{rule}"
        );
    }
}
