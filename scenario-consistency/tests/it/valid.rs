//! Scenarios Juju could produce get no findings at all, and the public API behaves.

use std::sync::Arc;

use indexmap::IndexMap;
use scenario_consistency::{JujuVersion, Report, Rule, Severity, VersionError};
use scenario_model::{
    AnyRelation, CharmSpec, Event, Network, Port, Protocol, SecretOwner, State, StoredState, Value,
};

use crate::support::*;

/// A state using every part of the spec, consistently.
fn rich_state() -> State {
    State {
        config: config_of(&[
            ("port", Value::Int(8080)),
            ("name", Value::from("x")),
            // Juju accepts an int for a float option.
            ("ratio", Value::Int(1)),
            ("legacy-ratio", Value::Float(0.5)),
            ("debug", Value::Bool(true)),
            ("count", Value::Int(3)),
            ("creds", Value::from(SECRET_URI)),
        ]),
        relations: Arc::new(vec![
            rel("db", 1),
            rel("db", 2),
            rel("web-api", 3),
            sub("logging", 4),
            peer("cluster", 5, &[1, 2]),
        ]),
        networks: Arc::new(vec![
            Network::default_for("db", "10.0.0.1", "", "", "eth0", None, vec![], vec![]),
            Network::default_for("metrics", "10.0.0.2", "", "", "eth0", None, vec![], vec![]),
        ]),
        containers: Arc::new(vec![
            container("workload", true),
            container("side-car", false),
        ]),
        storage: Arc::new(vec![
            storage("data", 0),
            storage("logs", 0),
            storage("logs", 1),
        ]),
        opened_ports: Arc::new(vec![
            Port {
                protocol: Protocol::Tcp,
                port: Some(80),
            },
            Port {
                protocol: Protocol::Icmp,
                port: None,
            },
        ]),
        secrets: Arc::new(vec![
            secret("secret:abc", None),
            secret("secret:mine", Some(SecretOwner::Unit)),
        ]),
        resources: Arc::new(IndexMap::from([("img".to_owned(), "/img".to_owned())])),
        stored_state: Arc::new(vec![
            StoredState::new(Some("MyCharm".into()), "_stored"),
            StoredState::new(None, "_stored"),
            StoredState::new(Some("MyCharm/lib".into()), "_stored"),
        ]),
        planned_units: 3,
        leader: true,
        ..State::default()
    }
}

#[test]
fn the_default_state_with_start_is_clean() {
    expect_clean(&check(&State::default(), &start(), &spec()));
    expect_clean(&check(
        &State::default(),
        &start(),
        &CharmSpec::new(obj(serde_json::json!({"name": "x"})), None, None),
    ));
}

#[test]
fn a_rich_consistent_state_is_clean_for_every_kind_of_event() {
    let state = rich_state();
    let mut events: Vec<Event> = vec![start(), Event::new("collect-unit-status")];
    for r in state.relations.iter() {
        for suffix in ["created", "joined", "changed", "departed", "broken"] {
            events.push(relation_event(r, suffix));
        }
    }
    events.push(pebble_ready(&state.containers[0]));
    events.push(storage_event(&state.storage[0], "attached"));
    events.push(storage_event(&state.storage[2], "detaching"));
    events.push(action_event("backup", &[("target", Value::from("s3"))]));
    events.push(action_event("noop", &[]));
    events.push(secret_event("secret_changed", &state.secrets[0], None));
    events.push(secret_event("secret_rotate", &state.secrets[1], None));
    events.push(secret_event("secret_remove", &state.secrets[1], Some(0)));
    for event in &events {
        let report = check(&state, event, &spec());
        assert!(
            report.diagnostics.is_empty(),
            "{}: expected no findings:\n{report}",
            event.path
        );
    }
}

#[test]
fn a_rich_state_is_consistent_under_ops_testing_too() {
    // ops[testing] knows no `integer`/`number` option types and wants a float for a float.
    let mut state = rich_state();
    let config = Arc::make_mut(&mut state.config);
    config.shift_remove("count");
    config.shift_remove("legacy-ratio");
    config.insert("ratio".into(), Value::Float(1.0));
    let mut events: Vec<Event> = vec![start(), Event::new("collect-unit-status")];
    for r in state.relations.iter() {
        for suffix in ["created", "joined", "changed", "departed", "broken"] {
            events.push(relation_event(r, suffix));
        }
    }
    events.push(pebble_ready(&state.containers[0]));
    events.push(storage_event(&state.storage[2], "detaching"));
    events.push(action_event("backup", &[("target", Value::from("s3"))]));
    events.push(secret_event("secret_changed", &state.secrets[0], None));
    events.push(secret_event("secret_remove", &state.secrets[1], Some(0)));
    for event in &events {
        let report = check_8(&state, event, &spec());
        // Only ops[testing]'s note that it picks the remote unit an event names none of.
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.rule == Rule::E7 && d.severity == Severity::Warning),
            "{}: expected no findings but E7 warnings:\n{report}",
            event.path
        );
    }
}

#[test]
fn dashed_endpoints_match_their_normalised_event_names() {
    let web = rel("web-api", 1);
    let state = with_relations(vec![web.clone()]);
    let mut event = Event::new("web-api-relation-changed");
    event.relation = Some(web);
    assert_eq!(event.name(), "web_api_relation_changed");
    expect_clean(&check(&state, &event, &spec()));
}

#[test]
fn a_thousand_relations_check_clean() {
    let relations: Vec<AnyRelation> = (0..1000).map(|i| rel("db", i)).collect();
    let state = with_relations(relations);
    let event = relation_event(&state.relations[999], "changed");
    expect_clean(&check(&state, &event, &spec()));
}

#[test]
fn reports_render_errors_then_warnings() {
    let state = State {
        planned_units: 0,
        ..with_relations(vec![rel("nope", 1)])
    };
    let report = check(&state, &start(), &spec());
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("error[RL2] state.relations[0].endpoint: relation endpoint 'nope'"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("warning[PU1] state.planned_units: "),
        "{text}"
    );
    assert_eq!(report.errors().count(), 1);
    assert_eq!(report.warnings().count(), 1);
    assert!(!report.is_consistent());
    assert!(report.has(Rule::RL2));
    assert_eq!(report.diagnostics[0].severity, Severity::Error);
    assert_eq!(Report::default().to_string(), "");
}

#[test]
fn juju_versions_parse_compare_and_display() {
    let parse = |s: &str| JujuVersion::parse(s);
    assert!(parse("3.1-beta1").unwrap() < parse("3.1").unwrap());
    assert!(parse("2.9.44").unwrap() < parse("3.0").unwrap());
    assert_eq!(parse("3.4.2.1").unwrap().to_string(), "3.4.2.1");
    assert_eq!(
        "3.1.6".parse::<JujuVersion>().unwrap(),
        JujuVersion::new(3, 1, 6)
    );
    let err = parse("3.1-beta").unwrap_err();
    assert!(matches!(err, VersionError::Malformed { .. }));
    let text = err.to_string();
    assert!(
        text.starts_with("invalid juju version \"3.1-beta\""),
        "{text}"
    );
}

#[test]
fn rules_have_codes_and_summaries() {
    assert!(Rule::ALL.len() >= 40);
    for rule in Rule::ALL {
        assert_eq!(rule.to_string(), rule.code());
        assert!(!rule.summary().is_empty());
    }
}
