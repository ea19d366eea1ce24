//! add_layer and the plan: Pebble's override rules for services, checks and log targets.

use serde_json::{Value, json};

use crate::support::{Fixture, api_error, layer};

const BASE: &str = r"
summary: base
services:
  web:
    override: replace
    command: /bin/web
    startup: enabled
    after: [db]
    environment: {A: '1', B: '2'}
checks:
  alive:
    override: replace
    level: alive
    http: {url: 'http://localhost/a', headers: {X: '1'}}
log-targets:
  loki:
    override: replace
    type: loki
    location: http://loki
    services: [web]
    labels: {k: v}
";

#[test]
fn new_layer_is_stored_under_its_label() {
    let mut f = Fixture::new();
    f.pebble().add_layer("base", layer(BASE), false).unwrap();
    assert_eq!(f.container.layers["base"], layer(BASE));
}

#[test]
fn existing_label_without_combine_is_a_400() {
    let mut f = Fixture::new();
    let mut p = f.pebble();
    p.add_layer("base", layer(BASE), false).unwrap();
    assert_eq!(
        p.add_layer("base", layer(BASE), false).unwrap_err(),
        api_error(400, "Bad Request", "layer \"base\" already exists")
    );
}

#[test]
fn combine_on_a_new_label_adds_it() {
    let mut f = Fixture::new();
    f.pebble().add_layer("base", layer(BASE), true).unwrap();
    assert_eq!(f.container.layers.len(), 1);
}

#[test]
fn combine_merges_services_checks_and_log_targets() {
    let mut f = Fixture::new();
    let mut p = f.pebble();
    p.add_layer("base", layer(BASE), false).unwrap();
    let more = layer(
        r"
services:
  web:
    override: merge
    command: /bin/web --fast
    after: [db, cache]
    environment: {B: '3', C: '4'}
  worker:
    override: merge
    command: /bin/worker
checks:
  alive:
    override: merge
    threshold: 5
    http: {headers: {Y: '2'}}
log-targets:
  loki:
    override: merge
    services: [worker]
    labels: {j: w}
",
    );
    p.add_layer("base", more, true).unwrap();
    let stored = &f.container.layers["base"];
    assert_eq!(stored.summary, "base");
    assert_eq!(
        Value::Object(stored.services["web"].clone()),
        json!({
            "override": "merge", "command": "/bin/web --fast", "startup": "enabled",
            "after": ["db", "cache"], "environment": {"A": "1", "B": "3", "C": "4"},
        })
    );
    assert_eq!(stored.services["worker"]["command"], "/bin/worker");
    assert_eq!(
        Value::Object(stored.checks["alive"].clone()),
        json!({
            "override": "merge", "level": "alive", "threshold": 5,
            "http": {"url": "http://localhost/a", "headers": {"X": "1", "Y": "2"}},
        })
    );
    assert_eq!(
        Value::Object(stored.log_targets["loki"].clone()),
        json!({
            "override": "merge", "type": "loki", "location": "http://loki",
            "services": ["web", "worker"], "labels": {"k": "v", "j": "w"},
        })
    );
}

#[test]
fn combine_replace_substitutes_the_whole_object() {
    let mut f = Fixture::new();
    let mut p = f.pebble();
    p.add_layer("base", layer(BASE), false).unwrap();
    let replacement = layer(
        r"
services:
  web: {override: replace, command: /bin/other}
checks:
  alive: {override: replace, tcp: {port: 80}}
log-targets:
  loki: {override: replace, type: opentelemetry}
",
    );
    p.add_layer("base", replacement, true).unwrap();
    let stored = &f.container.layers["base"];
    assert_eq!(
        Value::Object(stored.services["web"].clone()),
        json!({"override": "replace", "command": "/bin/other"})
    );
    assert_eq!(
        Value::Object(stored.checks["alive"].clone()),
        json!({"override": "replace", "tcp": {"port": 80}})
    );
    assert_eq!(
        Value::Object(stored.log_targets["loki"].clone()),
        json!({"override": "replace", "type": "opentelemetry"})
    );
}

#[test]
fn combine_requires_a_valid_override_and_changes_nothing_otherwise() {
    let cases = [
        (
            "services: {web: {command: x}}",
            "layer \"base\" must define \"override\" for service \"web\"",
        ),
        (
            "services: {web: {override: bogus}}",
            "layer \"base\" has invalid \"override\" value for service \"web\"",
        ),
        (
            "services: {web: {override: merge}}\nchecks: {alive: {level: ready}}",
            "layer \"base\" must define \"override\" for check \"alive\"",
        ),
        (
            "log-targets: {loki: {override: 3}}",
            "layer \"base\" has invalid \"override\" value for log target \"loki\"",
        ),
    ];
    for (yaml, message) in cases {
        let mut f = Fixture::new();
        let mut p = f.pebble();
        p.add_layer("base", layer(BASE), false).unwrap();
        assert_eq!(
            p.add_layer("base", layer(yaml), true).unwrap_err(),
            api_error(400, "Bad Request", message),
            "{yaml}"
        );
        assert_eq!(f.container.layers["base"], layer(BASE), "{yaml}");
    }
}

#[test]
fn plan_applies_layers_in_the_order_they_were_added() {
    let mut f = Fixture::new();
    let mut p = f.pebble();
    p.add_layer(
        "zzz",
        layer("services: {s: {override: replace, command: first}}"),
        false,
    )
    .unwrap();
    p.add_layer(
        "aaa",
        layer("services: {s: {override: replace, command: second}}"),
        false,
    )
    .unwrap();
    assert_eq!(p.get_plan().services["s"]["command"], "second");
}

#[test]
fn plan_merges_across_layers_and_includes_the_base_plan() {
    let mut f = Fixture::new();
    f.container.base_plan = match json!({
        "services": {"base-svc": {"override": "replace", "command": "b", "startup": "enabled"}},
    }) {
        Value::Object(map) => map,
        _ => unreachable!(),
    };
    let mut p = f.pebble();
    p.add_layer("one", layer(BASE), false).unwrap();
    p.add_layer(
        "two",
        layer(
            r"
services:
  web: {override: merge, environment: {Z: '9'}}
  base-svc: {override: merge, user: app}
checks:
  alive: {override: merge, level: ready}
log-targets:
  loki: {override: replace, type: opentelemetry}
",
        ),
        false,
    )
    .unwrap();
    let plan = p.get_plan();
    assert_eq!(
        plan.services["web"]["environment"],
        json!({"A": "1", "B": "2", "Z": "9"})
    );
    assert_eq!(plan.services["web"]["command"], "/bin/web");
    assert_eq!(
        Value::Object(plan.services["base-svc"].clone()),
        json!({"override": "merge", "command": "b", "startup": "enabled", "user": "app"})
    );
    assert_eq!(plan.checks["alive"]["level"], "ready");
    assert_eq!(plan.checks["alive"]["http"]["url"], "http://localhost/a");
    assert_eq!(
        Value::Object(plan.log_targets["loki"].clone()),
        json!({"override": "replace", "type": "opentelemetry"})
    );
    let dict = Value::Object(plan.to_dict());
    assert_eq!(dict["log-targets"]["loki"]["type"], "opentelemetry");
}

#[test]
fn get_plan_works_while_disconnected() {
    let mut f = Fixture::new();
    f.pebble().add_layer("base", layer(BASE), false).unwrap();
    f.container.can_connect = false;
    assert!(f.pebble().get_plan().services.contains_key("web"));
}
