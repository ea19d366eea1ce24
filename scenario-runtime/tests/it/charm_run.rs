//! One "charm run" as a sequence of hook-tool calls, and what the output State holds.

use std::sync::Arc;

use indexmap::IndexMap;
use scenario_model::{
    CharmSpec, Container, Databag, Event, Layer, Relation, Secret, SecretOwner, State, StatusName,
};
use scenario_runtime::secret_tools::{SecretMeta, SecretRef};
use scenario_runtime::{HookToolError, HookTools, Member, UnitContext};

fn spec() -> Arc<CharmSpec> {
    Arc::new(
        serde_json::from_str(
            r#"{"meta": {"name": "app", "requires": {"db": {"interface": "pg"}},
                         "containers": {"wl": {}}}}"#,
        )
        .unwrap(),
    )
}

fn run(state: State, event: &str) -> HookTools {
    HookTools::new(
        state,
        Event::new(event),
        spec(),
        // Scenario 5's API, strict: Juju's rules, refused rather than warned of.
        UnitContext {
            api: scenario_model::Api::Scenario5,
            strict: true,
            ..UnitContext::new("app", 0, "3.4.0")
        },
    )
}

#[test]
fn a_leader_answers_its_database_relation() {
    let mut db = Relation::new("db");
    db.remote_app_data
        .insert("endpoint".into(), "10.0.0.1:5432".into());
    let id = db.relation_id;
    let input = State {
        leader: true,
        relations: Arc::new(vec![db.into()]),
        ..State::default()
    };

    let mut tools = run(input.clone(), "db-relation-changed");
    let remote = tools.relation_get(id, &Member::App("remote")).unwrap();
    assert_eq!(remote["endpoint"], "10.0.0.1:5432");
    tools
        .relation_set(id, &[("user".into(), "app".into())], true)
        .unwrap();
    tools.status_set("active", "connected", false).unwrap();
    tools.juju_log("INFO", "connected to the database");

    let out = tools.state;
    assert_eq!(
        out.relation(id)
            .unwrap()
            .databag(
                scenario_model::DatabagOwner::LocalApp,
                scenario_model::Api::Scenario5
            )
            .unwrap()["user"],
        "app"
    );
    assert_eq!(out.unit_status.name, StatusName::Active);
    assert_eq!(tools.records.juju_log.len(), 1);
    assert_eq!(tools.records.unit_status_history.len(), 1);
    // The input is untouched.
    assert!(
        input.relations[0]
            .databag(
                scenario_model::DatabagOwner::LocalApp,
                scenario_model::Api::Scenario5
            )
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_workload_is_configured_through_pebble() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wl = Container::new("wl");
    wl.can_connect = true;
    let input = State {
        containers: Arc::new(vec![Arc::new(wl)]),
        ..State::default()
    };
    let mut tools = run(input.clone(), "wl-pebble-ready");
    let root = tmp.path().join("wl");

    tools
        .with_pebble("wl", Some(root.clone()), |p| {
            p.push("/etc/app.conf", b"port: 80", true, None)
        })
        .unwrap();
    let layer: Layer = serde_json::from_str(
        r#"{"services": {"app": {"override": "replace", "command": "app", "startup": "enabled"}}}"#,
    )
    .unwrap();
    tools
        .with_pebble("wl", None, |p| p.add_layer("base", layer, false))
        .unwrap();
    // A closure, not the method path: the Pebble handle's lifetime is the callback's own.
    #[allow(clippy::redundant_closure_for_method_calls)]
    tools
        .with_pebble("wl", None, |p| p.replan_services())
        .unwrap();

    let out = &tools.state;
    let container = out.container("wl").unwrap();
    assert!(container.layers.contains_key("base"));
    assert_eq!(
        container.service_status["app"],
        scenario_model::ServiceStatus::Active
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/app.conf")).unwrap(),
        "port: 80"
    );
    assert!(input.container("wl").unwrap().layers.is_empty());
}

#[test]
fn a_container_missing_from_the_state_is_unreachable() {
    let mut tools = run(State::default(), "start");
    let err = tools
        .with_pebble("wl", None, |p| p.ensure_connected())
        .unwrap_err();
    assert!(
        matches!(err, scenario_pebble::PebbleError::NoContainer { .. }),
        "{err}"
    );
}

#[test]
fn secrets_follow_ownership() {
    let mut owned = Secret::new(
        "secret:owned",
        IndexMap::from([(0, Databag::from([("k".into(), "v".into())]))]),
    );
    owned.owner = Some(SecretOwner::Unit);
    let foreign = Secret::new("secret:foreign", IndexMap::from([(0, Databag::new())]));
    let input = State {
        secrets: Arc::new(vec![Arc::new(owned), Arc::new(foreign)]),
        ..State::default()
    };
    let mut tools = run(input, "start");

    tools
        .secret_set(
            "owned",
            Some(Databag::from([("k".into(), "v2".into())])),
            SecretMeta::default(),
        )
        .unwrap();
    let read = tools
        .secret_get(
            SecretRef {
                id: Some("secret:owned"),
                label: None,
            },
            true,
            false,
        )
        .unwrap();
    assert_eq!(read["k"], "v2");
    let denied = tools.secret_get(
        SecretRef {
            id: Some("foreign"),
            label: None,
        },
        false,
        false,
    );
    assert!(matches!(
        denied,
        Err(HookToolError::SecretAccessDenied { .. })
    ));
    assert!(matches!(
        tools.secret_remove("foreign", None),
        Err(HookToolError::SecretNotOwned { .. })
    ));
    assert_eq!(tools.state.secrets[0].contents.len(), 2);
}
