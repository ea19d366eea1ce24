//! One table, one row per rule: a scenario that breaks it, and the severity each API gives
//! the finding (the table of ARCHITECTURE.md, executable). Scenario 5's column follows
//! ops-scenario 5.8.1, ops[testing]'s follows 8.9: an error where that original refused
//! the scenario or its run failed, stricter where it ran what Juju would refuse.

use std::sync::Arc;

use indexmap::IndexMap;
use scenario_consistency::{Rule, Severity};
use scenario_model::{
    AnyRelation, CharmSpec, CheckInfo, CheckLevel, CheckStartup, Container, Event, Model, Network,
    Port, Protocol, Relation, SecretOwner, State, StoredState, Value,
};
use serde_json::{Value as Json, json};

use crate::support::*;

/// A scenario: the state, the event, the spec and the Juju version.
type Setup = (State, Event, CharmSpec, &'static str);

struct Row {
    rule: Rule,
    path: &'static str,
    /// Under Scenario 5, then under ops[testing].
    severities: [Severity; 2],
    setup: fn() -> Setup,
}

const E: Severity = Severity::Error;
const S: Severity = Severity::Stricter;
const W: Severity = Severity::Warning;

fn on(state: State, event: Event) -> Setup {
    (state, event, spec(), "3.4")
}

fn at_start(state: State) -> Setup {
    on(state, start())
}

fn containers(list: Vec<Arc<Container>>) -> State {
    State {
        containers: Arc::new(list),
        ..State::default()
    }
}

fn with_config(items: &[(&str, Value)]) -> State {
    State {
        config: config_of(items),
        ..State::default()
    }
}

/// A container whose plan has check `chk` at level alive, with this check info.
fn planned(info: CheckInfo) -> State {
    containers(vec![pebble_container(
        "workload",
        vec![],
        &[(
            "chk",
            json!({"override": "replace", "level": "alive", "threshold": 3}),
        )],
        vec![info],
    )])
}

fn alive(name: &str) -> CheckInfo {
    let mut info = CheckInfo::new(name);
    info.level = Some(CheckLevel::Alive);
    info
}

fn net(name: &str) -> Network {
    Network::default_for(name, "10.0.0.1", "", "", "eth0", None, vec![], vec![])
}

#[allow(clippy::too_many_lines)] // One row per rule reads best as one table.
fn rows() -> Vec<Row> {
    vec![
        Row {
            rule: Rule::C1,
            path: "event.container.name",
            severities: [E, E],
            setup: || {
                let ghost = container("ghost", true);
                on(containers(vec![ghost.clone()]), pebble_ready(&ghost))
            },
        },
        Row {
            rule: Rule::C2,
            path: "event.container",
            severities: [E, E],
            setup: || on(State::default(), pebble_ready(&container("workload", true))),
        },
        Row {
            rule: Rule::C3,
            path: "state.containers[0].name",
            severities: [E, E],
            setup: || at_start(containers(vec![container("ghost", true)])),
        },
        Row {
            rule: Rule::C4,
            path: "state.containers[1].name",
            severities: [E, S],
            setup: || {
                at_start(containers(vec![
                    container("workload", true),
                    container("workload", false),
                ]))
            },
        },
        Row {
            rule: Rule::C5,
            path: "state.containers[0].can_connect",
            severities: [W, W],
            setup: || {
                let wl = container("workload", false);
                on(containers(vec![wl.clone()]), pebble_ready(&wl))
            },
        },
        Row {
            rule: Rule::C6,
            path: "event.check_info",
            severities: [E, E],
            setup: || {
                let wl = container("workload", true);
                on(
                    containers(vec![wl.clone()]),
                    pebble_event(&wl, "pebble_check_failed"),
                )
            },
        },
        Row {
            rule: Rule::C7,
            path: "state.containers[0].check_infos[0].name",
            severities: [S, E],
            setup: || at_start(planned(alive("other"))),
        },
        Row {
            rule: Rule::C8,
            path: "state.containers[0].check_infos[0].level",
            severities: [S, E],
            setup: || at_start(planned(CheckInfo::new("chk"))),
        },
        Row {
            rule: Rule::C9,
            path: "state.containers[0].check_infos[0].startup",
            severities: [S, E],
            setup: || {
                let mut info = alive("chk");
                info.startup = CheckStartup::Disabled;
                at_start(planned(info))
            },
        },
        Row {
            rule: Rule::C10,
            path: "state.containers[0].check_infos[0].threshold",
            severities: [S, E],
            setup: || {
                let mut info = alive("chk");
                info.threshold = 1;
                at_start(planned(info))
            },
        },
        Row {
            rule: Rule::C11,
            path: "event.notice",
            severities: [E, E],
            setup: || {
                let wl = container("workload", true);
                on(
                    containers(vec![wl.clone()]),
                    pebble_event(&wl, "pebble_custom_notice"),
                )
            },
        },
        Row {
            rule: Rule::C12,
            path: "state.containers[0].execs[1].command_prefix",
            severities: [S, S],
            setup: || {
                let mut wl = Container::new("workload");
                wl.execs = vec![exec(&["ls"], "a"), exec(&["ls"], "b")];
                at_start(containers(vec![Arc::new(wl)]))
            },
        },
        Row {
            rule: Rule::K1,
            path: "state.config['nope']",
            severities: [E, E],
            setup: || at_start(with_config(&[("nope", Value::Int(1))])),
        },
        Row {
            rule: Rule::K2,
            path: "charm_spec.config['options']['untyped']",
            severities: [E, E],
            setup: || at_start(with_config(&[("untyped", Value::from("x"))])),
        },
        Row {
            rule: Rule::K3,
            path: "state.config['port']",
            severities: [E, E],
            setup: || at_start(with_config(&[("port", Value::from("80"))])),
        },
        Row {
            rule: Rule::K4,
            path: "charm_spec.config['options']['blob']['type']",
            severities: [E, E],
            setup: || {
                let state = with_config(&[("blob", Value::from("a=b"))]);
                (state, start(), spec_with_unknown_config_types(), "3.4")
            },
        },
        Row {
            rule: Rule::K4,
            path: "charm_spec.config['options']['odd']['type']",
            severities: [S, S],
            setup: || {
                (
                    State::default(),
                    start(),
                    spec_with_unknown_config_types(),
                    "3.4",
                )
            },
        },
        Row {
            rule: Rule::K5,
            path: "state.config['creds']",
            severities: [S, E],
            setup: || at_start(with_config(&[("creds", Value::from("secret:abc"))])),
        },
        Row {
            rule: Rule::R1,
            path: "state.resources['nope']",
            severities: [E, E],
            setup: || {
                at_start(State {
                    resources: Arc::new(IndexMap::from([("nope".to_owned(), "/x".to_owned())])),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::E0,
            path: "event.path",
            severities: [W, W],
            setup: || on(State::default(), Event::new("my_lib.on.thing")),
        },
        Row {
            rule: Rule::E1,
            path: "event.relation",
            severities: [E, E],
            setup: || on(State::default(), Event::new("db-relation-changed")),
        },
        Row {
            rule: Rule::E2,
            path: "event.container",
            severities: [E, E],
            setup: || on(State::default(), Event::new("workload-pebble-ready")),
        },
        Row {
            rule: Rule::E3,
            path: "event.action.name",
            severities: [E, E],
            setup: || on(State::default(), action_event("restore", &[])),
        },
        Row {
            rule: Rule::E4,
            path: "event.storage",
            severities: [E, E],
            setup: || on(State::default(), Event::new("data-storage-attached")),
        },
        Row {
            rule: Rule::E5,
            path: "event.relation",
            severities: [S, E],
            setup: || on(State::default(), relation_event(&rel("db", 3), "created")),
        },
        Row {
            rule: Rule::E6,
            path: "event.storage",
            severities: [E, E],
            setup: || {
                on(
                    State::default(),
                    storage_event(&storage("data", 0), "attached"),
                )
            },
        },
        Row {
            rule: Rule::E7,
            path: "event.relation_remote_unit_id",
            severities: [S, E],
            setup: || {
                let mut lonely = Relation::new("db");
                lonely.remote_units_data =
                    std::iter::empty::<(u32, IndexMap<String, String>)>().collect();
                let lonely: AnyRelation = lonely.into();
                on(
                    with_relations(vec![lonely.clone()]),
                    relation_event(&lonely, "joined"),
                )
            },
        },
        Row {
            rule: Rule::E8,
            path: "event.relation_remote_unit_id",
            severities: [W, W],
            setup: || {
                let mut event = start();
                event.relation_remote_unit_id = Some(1);
                on(State::default(), event)
            },
        },
        Row {
            rule: Rule::AP1,
            path: "charm_spec.actions['untyped']['params']['x']",
            severities: [E, E],
            setup: || on(State::default(), action_event("untyped", &[])),
        },
        Row {
            rule: Rule::AP2,
            path: "charm_spec.actions['weird']['params']['y']['type']",
            severities: [S, S],
            setup: || on(State::default(), action_event("weird", &[])),
        },
        Row {
            rule: Rule::AP3,
            path: "event.action.params['nope']",
            severities: [E, E],
            setup: || {
                let params = [("target", Value::from("s3")), ("nope", Value::Int(1))];
                on(State::default(), action_event("backup", &params))
            },
        },
        Row {
            rule: Rule::AP4,
            path: "event.action.params['target']",
            severities: [E, E],
            setup: || {
                on(
                    State::default(),
                    action_event("backup", &[("target", Value::Int(1))]),
                )
            },
        },
        Row {
            rule: Rule::AP5,
            path: "event.action.params",
            severities: [S, S],
            setup: || on(State::default(), action_event("backup", &[])),
        },
        Row {
            rule: Rule::S1,
            path: "juju_version",
            severities: [E, E],
            setup: || {
                let s = secret("secret:x", None);
                let state = State {
                    secrets: Arc::new(vec![s.clone()]),
                    ..State::default()
                };
                (
                    state,
                    secret_event("secret_changed", &s, None),
                    spec(),
                    "2.9.44",
                )
            },
        },
        Row {
            rule: Rule::S2,
            path: "event.secret",
            severities: [E, E],
            setup: || on(State::default(), Event::new("secret-changed")),
        },
        Row {
            rule: Rule::S3,
            path: "event.secret",
            severities: [S, E],
            setup: || {
                let state = State {
                    secrets: Arc::new(vec![secret("secret:other", None)]),
                    ..State::default()
                };
                let event = secret_event("secret_changed", &secret("secret:x", None), None);
                on(state, event)
            },
        },
        Row {
            rule: Rule::S4,
            path: "event.secret_revision",
            severities: [E, E],
            setup: || {
                let s = secret("secret:x", Some(SecretOwner::Unit));
                let state = State {
                    secrets: Arc::new(vec![s.clone()]),
                    ..State::default()
                };
                on(state, secret_event("secret_expired", &s, None))
            },
        },
        Row {
            rule: Rule::S5,
            path: "event.secret.owner",
            severities: [S, E],
            setup: || {
                let s = secret("secret:x", Some(SecretOwner::Unit));
                let state = State {
                    secrets: Arc::new(vec![s.clone()]),
                    ..State::default()
                };
                on(state, secret_event("secret_changed", &s, None))
            },
        },
        Row {
            rule: Rule::S6,
            path: "state.secrets[1].id",
            severities: [S, S],
            setup: || {
                at_start(State {
                    secrets: Arc::new(vec![secret("secret:x", None), secret("x", None)]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::ST1,
            path: "state.storage[0].name",
            severities: [E, E],
            setup: || {
                at_start(State {
                    storage: Arc::new(vec![storage("cache", 0)]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::ST2,
            path: "state.storage[1].index",
            severities: [E, E],
            setup: || {
                at_start(State {
                    storage: Arc::new(vec![storage("logs", 0), storage("logs", 0)]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::ST3,
            path: "state.storage[1]",
            severities: [S, S],
            setup: || {
                at_start(State {
                    storage: Arc::new(vec![storage("data", 0), storage("data", 1)]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::RL1,
            path: "state.relations[0]",
            severities: [E, E],
            setup: || at_start(with_relations(vec![rel("cluster", 1)])),
        },
        Row {
            rule: Rule::RL2,
            path: "state.relations[0].endpoint",
            severities: [E, E],
            setup: || at_start(with_relations(vec![rel("nope", 1)])),
        },
        Row {
            rule: Rule::RL3,
            path: "state.relations[1].relation_id",
            severities: [E, E],
            setup: || at_start(with_relations(vec![rel("db", 1), rel("db", 1)])),
        },
        Row {
            rule: Rule::RL4,
            path: "state.relations[0]",
            severities: [E, E],
            setup: || at_start(with_relations(vec![rel("logging", 1)])),
        },
        Row {
            rule: Rule::RL5,
            path: "charm_spec.meta['provides']['db']",
            severities: [E, E],
            setup: || {
                let mut m = meta();
                m["provides"]["db"] = json!({"interface": "pg"});
                let spec = CharmSpec::new(obj(m), Some(obj(actions())), Some(obj(config())));
                (State::default(), start(), spec, "3.4")
            },
        },
        Row {
            rule: Rule::RL6,
            path: "state.relations[0]",
            severities: [S, S],
            setup: || at_start(with_relations(vec![peer("db", 1, &[1])])),
        },
        Row {
            rule: Rule::RL7,
            path: "state.relations[0].peers_data[0]",
            severities: [S, E],
            setup: || at_start(with_relations(vec![peer("cluster", 1, &[0, 1])])),
        },
        Row {
            rule: Rule::RL8,
            path: "state.relations[0].local_app_data",
            severities: [S, S],
            setup: || {
                let mut db = Relation::new("db");
                db.local_app_data.insert("k".into(), "v".into());
                (with_relations(vec![db.into()]), start(), spec(), "2.6")
            },
        },
        Row {
            rule: Rule::N1,
            path: "state.networks[0].name",
            severities: [S, E],
            setup: || {
                at_start(State {
                    networks: Arc::new(vec![net("nope")]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::N2,
            path: "state.networks[1].name",
            severities: [S, S],
            setup: || {
                at_start(State {
                    networks: Arc::new(vec![net("db"), net("db")]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::N3,
            path: "charm_spec.meta['extra-bindings']['db']",
            severities: [S, E],
            setup: || {
                let mut m = meta();
                m["extra-bindings"]["db"] = Json::Null;
                let spec = CharmSpec::new(obj(m), Some(obj(actions())), Some(obj(config())));
                (State::default(), start(), spec, "3.4")
            },
        },
        Row {
            rule: Rule::CS1,
            path: "state.model.cloud_spec",
            severities: [S, E],
            setup: || {
                let model = Model {
                    model_type: "kubernetes".into(),
                    cloud_spec: Some(k8s_cloud()),
                    ..Model::default()
                };
                let state = State {
                    model: Arc::new(model),
                    ..State::default()
                };
                (state, start(), spec(), "3.6.9")
            },
        },
        Row {
            rule: Rule::SS1,
            path: "state.stored_state[1]",
            severities: [S, E],
            setup: || {
                at_start(State {
                    stored_state: Arc::new(vec![
                        StoredState::new(None, "_stored"),
                        StoredState::new(None, "_stored"),
                    ]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::SS2,
            path: "state.stored_state[0].content['s']",
            severities: [E, E],
            setup: || {
                let mut stored = StoredState::new(None, "_stored");
                let unhashable = Value::Set(vec![Value::List(vec![])]);
                stored.content.insert("s".into(), unhashable);
                at_start(State {
                    stored_state: Arc::new(vec![stored]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::P1,
            path: "state.opened_ports[1]",
            severities: [S, S],
            setup: || {
                let port = Port {
                    protocol: Protocol::Udp,
                    port: Some(53),
                };
                at_start(State {
                    opened_ports: Arc::new(vec![port, port]),
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::PU1,
            path: "state.planned_units",
            severities: [W, W],
            setup: || {
                at_start(State {
                    planned_units: 0,
                    ..State::default()
                })
            },
        },
        Row {
            rule: Rule::NM1,
            path: "state.storage[0].name",
            severities: [S, E],
            setup: || {
                let mut m = meta();
                m["storage"]["my_data"] = json!({"type": "filesystem"});
                let spec = CharmSpec::new(obj(m), Some(obj(actions())), Some(obj(config())));
                let state = State {
                    storage: Arc::new(vec![storage("my_data", 0)]),
                    ..State::default()
                };
                (state, start(), spec, "3.4")
            },
        },
    ]
}

#[test]
fn each_rule_is_graded_as_each_api_grades_it() {
    for row in rows() {
        let (state, event, spec, version) = (row.setup)();
        let reports = [
            check_at(&state, &event, &spec, version),
            check_8_at(&state, &event, &spec, version),
        ];
        for (report, severity) in reports.iter().zip(row.severities) {
            // `expect` also checks that the finding names its path.
            expect(report, row.rule, severity, row.path, &[]);
        }
    }
}

#[test]
fn every_rule_has_a_row() {
    let rows = rows();
    for rule in Rule::ALL {
        assert!(
            rows.iter().any(|row| row.rule == *rule),
            "no row for {rule} in the table"
        );
    }
}
