//! Any State survives a JSON and a YAML round trip unchanged (proptest).

use std::sync::Arc;

use indexmap::IndexMap;
use proptest::collection::{hash_map, vec};
use proptest::prelude::*;
use scenario_model::{
    AnyRelation, ApiDefault, Container, DeferredEvent, DictKey, EntityStatus, ExecOutput, Mount,
    PeerRelation, Port, Protocol, Relation, Secret, State, StatusName, Storage, StoredState,
    SubordinateRelation, Value,
};

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,8}"
}

fn databag() -> impl Strategy<Value = IndexMap<String, String>> {
    hash_map(name(), ".{0,12}", 0..4).prop_map(|m| m.into_iter().collect())
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (-1e9f64..1e9).prop_map(Value::Float),
        ".{0,10}".prop_map(Value::Str),
        vec(any::<u8>(), 0..6).prop_map(Value::Bytes),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::List),
            vec(inner.clone(), 0..3).prop_map(Value::Tuple),
            vec(inner.clone(), 0..3).prop_map(Value::Set),
            vec(
                (
                    prop_oneof![
                        name().prop_map(DictKey::Str),
                        any::<i64>().prop_map(DictKey::Int)
                    ],
                    inner
                ),
                0..3
            )
            .prop_map(|kv| Value::Dict(kv.into_iter().collect())),
        ]
    })
}

fn relation() -> impl Strategy<Value = AnyRelation> {
    (
        name(),
        1u32..10_000,
        databag(),
        proptest::option::of(databag()),
        hash_map(0u32..20, databag(), 0..3),
        0u8..3,
    )
        .prop_map(|(endpoint, id, app, unit, units, kind)| match kind {
            0 => {
                let mut r = Relation::new(endpoint);
                r.relation_id = id;
                r.local_app_data = app;
                r.remote_units_data = units.into_iter().collect();
                r.into()
            }
            1 => {
                let mut r = PeerRelation::new(endpoint);
                r.relation_id = id;
                // Unset bags (read as each API's default) round-trip as unset.
                r.local_unit_data = unit.map_or(ApiDefault::UNSET, ApiDefault::given);
                r.peers_data = units.into_iter().collect();
                r.into()
            }
            _ => {
                let mut r = SubordinateRelation::new(endpoint);
                r.relation_id = id;
                r.remote_unit_data = unit.map_or(ApiDefault::UNSET, ApiDefault::given);
                r.remote_unit_id = id % 7;
                r.into()
            }
        })
}

fn container() -> impl Strategy<Value = Arc<Container>> {
    (name(), any::<bool>(), vec(name(), 0..3), ".{0,8}", -3i32..3).prop_map(
        |(n, can_connect, cmd, out, code)| {
            let mut c = Container::new(n);
            c.can_connect = can_connect;
            c.mounts.insert(
                "m".into(),
                Mount {
                    location: "/opt/x".into(),
                    src: "/tmp/x".into(),
                },
            );
            c.exec_mock.insert(
                cmd,
                ExecOutput {
                    return_code: code,
                    stdout: out,
                    stderr: String::new(),
                },
            );
            Arc::new(c)
        },
    )
}

fn state() -> impl Strategy<Value = State> {
    (
        hash_map(name(), value(), 0..4),
        vec(relation(), 0..4),
        vec(container(), 0..2),
        vec((name(), 0u32..5), 0..3),
        any::<bool>(),
        vec((name(), vec((0u32..4, databag()), 1..3)), 0..2),
        vec((name(), hash_map(name(), value(), 0..3)), 0..2),
        (0usize..6, ".{0,10}"),
        vec(1u16..9000, 0..3),
    )
        .prop_map(
            |(config, relations, containers, storages, leader, secrets, stored, status, ports)| {
                State {
                    config: Arc::new(config.into_iter().collect()),
                    relations: Arc::new(relations),
                    containers: Arc::new(containers),
                    storage: Arc::new(
                        storages
                            .into_iter()
                            .map(|(name, index)| Storage { name, index })
                            .collect(),
                    ),
                    leader,
                    secrets: Arc::new(
                        secrets
                            .into_iter()
                            .map(|(id, contents)| {
                                Arc::new(Secret::new(id, contents.into_iter().collect()))
                            })
                            .collect(),
                    ),
                    stored_state: Arc::new(
                        stored
                            .into_iter()
                            .map(|(owner, content)| StoredState {
                                content: content.into_iter().collect(),
                                ..StoredState::new(Some(owner), "_stored")
                            })
                            .collect(),
                    ),
                    deferred: Arc::new(vec![DeferredEvent {
                        handle_path: "C/on/start[1]".into(),
                        owner: "C".into(),
                        observer: "_on_start".into(),
                        snapshot_data: IndexMap::new(),
                    }]),
                    unit_status: EntityStatus::new(StatusName::ALL[status.0], status.1),
                    opened_ports: Arc::new(
                        ports
                            .into_iter()
                            .map(|p| Port {
                                protocol: Protocol::Tcp,
                                port: Some(p),
                            })
                            .collect(),
                    ),
                    ..State::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn json_round_trip(state in state()) {
        let text = state.to_json().unwrap();
        prop_assert_eq!(State::from_json(&text).unwrap(), state);
    }

    #[test]
    fn yaml_round_trip(state in state()) {
        let text = state.to_yaml().unwrap();
        prop_assert_eq!(State::from_yaml(&text).unwrap(), state);
    }

    #[test]
    fn a_clone_shares_everything(state in state()) {
        let copy = state.clone();
        prop_assert!(Arc::ptr_eq(&copy.relations, &state.relations));
        prop_assert!(Arc::ptr_eq(&copy.config, &state.config));
        prop_assert!(Arc::ptr_eq(&copy.containers, &state.containers));
    }
}
