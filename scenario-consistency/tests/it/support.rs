//! Shared fixtures: a charm spec that declares one of everything, builders for states and
//! events, and assertions that check a diagnostic's rule, severity, path and message style.

use std::sync::Arc;

use indexmap::IndexMap;
use scenario_consistency::{
    Diagnostic, JujuVersion, Options, Report, Rule, Severity, check_consistency,
    check_consistency_with,
};
use scenario_model::{
    Action, AnyRelation, Api, CharmSpec, CheckInfo, CloudSpec, Container, Event, Exec, Notice,
    PeerRelation, Relation, Secret, SecretOwner, State, Storage, SubordinateRelation, Value,
};
use serde_json::{Value as Json, json};

pub fn obj(v: Json) -> serde_json::Map<String, Json> {
    match v {
        Json::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// Metadata declaring one of everything the rules look at.
pub fn meta() -> Json {
    json!({
        "name": "test-charm",
        "requires": {
            "db": {"interface": "pg"},
            "logging": {"interface": "log", "scope": "container"},
        },
        "provides": {"web-api": {"interface": "http"}},
        "peers": {"cluster": {"interface": "cluster"}},
        "containers": {"workload": {"resource": "img"}, "side-car": {}},
        "storage": {
            "data": {"type": "filesystem"},
            "logs": {"type": "filesystem", "multiple": {"range": "1-3"}},
        },
        "resources": {"img": {"type": "oci-image"}},
        "extra-bindings": {"metrics": null},
    })
}

pub fn config() -> Json {
    json!({"options": {
        "port": {"type": "int", "default": 80},
        "name": {"type": "string"},
        "ratio": {"type": "float"},
        "legacy-ratio": {"type": "number"},
        "debug": {"type": "boolean"},
        "count": {"type": "integer"},
        "creds": {"type": "secret"},
        "untyped": {"description": "no type"},
    }})
}

/// The spec with config options of types Juju does not know.
pub fn spec_with_unknown_config_types() -> CharmSpec {
    let mut config = config();
    let options = config["options"].as_object_mut().unwrap();
    options.insert("blob".into(), json!({"type": "attrs"}));
    options.insert("odd".into(), json!({"type": "colour"}));
    CharmSpec::new(obj(meta()), Some(obj(actions())), Some(obj(config)))
}

pub fn actions() -> Json {
    json!({
        "backup": {
            "params": {
                "target": {"type": "string"},
                "count": {"type": "integer"},
                "verbose": {"type": "boolean"},
                "ratio": {"type": "number"},
                "tags": {"type": "array"},
                "opts": {"type": "object"},
                "maybe": {"type": ["string", "null"]},
                "level": {"type": "integer", "default": 1},
            },
            "required": ["target", "level"],
        },
        "open-ended": {"additionalProperties": true, "params": {"x": {"type": "string"}}},
        "untyped": {"params": {"x": {"description": "no type"}}},
        "weird": {"params": {"y": {"type": "str"}}},
        "noop": null,
    })
}

pub fn spec() -> CharmSpec {
    CharmSpec::new(obj(meta()), Some(obj(actions())), Some(obj(config())))
}

/// A secret URI of the form ops[testing] checks: `secret:` and a 20-character id.
pub const SECRET_URI: &str = "secret:cjpdr5rp5bce8ts4spe0";

pub fn v(s: &str) -> JujuVersion {
    JujuVersion::parse(s).unwrap()
}

pub fn check(state: &State, event: &Event, spec: &CharmSpec) -> Report {
    check_at(state, event, spec, "3.4")
}

pub fn check_at(state: &State, event: &Event, spec: &CharmSpec, version: &str) -> Report {
    let report = check_consistency(state, event, spec, &v(version));
    for d in &report.diagnostics {
        assert_style(d);
    }
    report
}

/// The check as a run of ops[testing] (Scenario 8) makes it.
pub fn check_8(state: &State, event: &Event, spec: &CharmSpec) -> Report {
    check_8_at(state, event, spec, "3.4")
}

pub fn check_8_at(state: &State, event: &Event, spec: &CharmSpec, version: &str) -> Report {
    let options = Options {
        api: Api::Scenario8,
        unit_id: None,
    };
    let report = check_consistency_with(state, event, spec, &v(version), options);
    for d in &report.diagnostics {
        assert_style(d);
    }
    report
}

/// Every message starts lowercase and has no trailing period; every path is rooted.
pub fn assert_style(d: &Diagnostic) {
    let first = d.message.chars().next().unwrap();
    assert!(
        first.is_ascii_lowercase(),
        "message should start lowercase: {d}"
    );
    assert!(!d.message.ends_with('.'), "message ends with a period: {d}");
    assert!(
        ["state.", "event.", "charm_spec.", "juju_version"]
            .iter()
            .any(|root| d.path.starts_with(root)),
        "path is not rooted: {d}"
    );
    assert!(
        d.message.contains(": "),
        "message should say how to fix it after a colon: {d}"
    );
}

/// The one diagnostic of `rule`, checked for severity and that its path and message name
/// the offending field.
#[track_caller]
pub fn expect(
    report: &Report,
    rule: Rule,
    severity: Severity,
    path: &str,
    mentions: &[&str],
) -> Diagnostic {
    let found: Vec<&Diagnostic> = report.of_rule(rule).collect();
    assert!(!found.is_empty(), "no {rule} in:\n{report}");
    let d = found
        .iter()
        .find(|d| d.path == path)
        .unwrap_or_else(|| panic!("no {rule} at {path} in:\n{report}"));
    assert_eq!(d.severity, severity, "{d}");
    for m in mentions {
        assert!(d.message.contains(m), "{rule} message lacks {m:?}: {d}");
    }
    (*d).clone()
}

#[track_caller]
pub fn expect_error(report: &Report, rule: Rule, path: &str, mentions: &[&str]) -> Diagnostic {
    expect(report, rule, Severity::Error, path, mentions)
}

#[track_caller]
pub fn expect_warning(report: &Report, rule: Rule, path: &str, mentions: &[&str]) -> Diagnostic {
    expect(report, rule, Severity::Warning, path, mentions)
}

#[track_caller]
pub fn expect_stricter(report: &Report, rule: Rule, path: &str, mentions: &[&str]) -> Diagnostic {
    expect(report, rule, Severity::Stricter, path, mentions)
}

#[track_caller]
pub fn expect_clean(report: &Report) {
    assert!(
        report.diagnostics.is_empty(),
        "expected no findings:\n{report}"
    );
}

// --- builders -----------------------------------------------------------------------

pub fn rel(endpoint: &str, id: u32) -> AnyRelation {
    let mut r = Relation::new(endpoint);
    r.relation_id = id;
    r.into()
}

pub fn peer(endpoint: &str, id: u32, peers: &[u32]) -> AnyRelation {
    let mut r = PeerRelation::new(endpoint);
    r.relation_id = id;
    r.peers_data = peers.iter().map(|p| (*p, IndexMap::new())).collect();
    r.into()
}

pub fn sub(endpoint: &str, id: u32) -> AnyRelation {
    let mut r = SubordinateRelation::new(endpoint);
    r.relation_id = id;
    r.into()
}

pub fn container(name: &str, can_connect: bool) -> Arc<Container> {
    let mut c = Container::new(name);
    c.can_connect = can_connect;
    Arc::new(c)
}

/// An exec mock answering every command that starts with `prefix` with `stdout`.
pub fn exec(prefix: &[&str], stdout: &str) -> Exec {
    Exec {
        command_prefix: prefix.iter().map(|p| (*p).to_owned()).collect(),
        return_code: 0,
        stdout: stdout.to_owned(),
        stderr: String::new(),
        change_id: 0,
    }
}

/// A Kubernetes cloud with nothing but its type.
pub fn k8s_cloud() -> CloudSpec {
    CloudSpec {
        cloud_type: "k8s".into(),
        name: "localhost".into(),
        region: None,
        endpoint: None,
        identity_endpoint: None,
        storage_endpoint: None,
        credential: None,
        ca_certificates: vec![],
        skip_tls_verify: false,
        is_controller_cloud: false,
    }
}

/// A custom notice with this key and id.
pub fn notice(key: &str, id: &str) -> Notice {
    Notice {
        key: key.to_owned(),
        id: id.to_owned(),
        user_id: None,
        notice_type: "custom".to_owned(),
        first_occurred: "2024-01-01T00:00:00Z".to_owned(),
        last_occurred: "2024-01-01T00:00:00Z".to_owned(),
        last_repeated: "2024-01-01T00:00:00Z".to_owned(),
        occurrences: 1,
        last_data: IndexMap::new(),
        repeat_after: None,
        expire_after: None,
    }
}

/// A container that can connect, with these notices, plan checks (name to layer body) and
/// check infos.
pub fn pebble_container(
    name: &str,
    notices: Vec<Notice>,
    checks: &[(&str, Json)],
    check_infos: Vec<CheckInfo>,
) -> Arc<Container> {
    let mut c = Container::new(name);
    c.can_connect = true;
    c.notices = notices;
    if !checks.is_empty() {
        let layer = json!({"checks": checks
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<serde_json::Map<_, _>>()});
        c.layers
            .insert("base".into(), serde_json::from_value(layer).unwrap());
    }
    c.check_infos = check_infos;
    Arc::new(c)
}

/// A Pebble event (`pebble_custom_notice`, `pebble_check_failed`...) on a container.
pub fn pebble_event(c: &Arc<Container>, suffix: &str) -> Event {
    let mut e = Event::new(&format!("{}_{suffix}", c.name));
    e.container = Some(c.clone());
    e
}

pub fn storage(name: &str, index: u32) -> Storage {
    Storage {
        name: name.into(),
        index,
    }
}

pub fn secret(id: &str, owner: Option<SecretOwner>) -> Arc<Secret> {
    let mut s = Secret::new(id, IndexMap::from([(0, IndexMap::new())]));
    s.owner = owner;
    Arc::new(s)
}

pub fn config_of(items: &[(&str, Value)]) -> Arc<IndexMap<String, Value>> {
    Arc::new(
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

pub fn with_relations(relations: Vec<AnyRelation>) -> State {
    State {
        relations: Arc::new(relations),
        ..State::default()
    }
}

pub fn relation_event(relation: &AnyRelation, suffix: &str) -> Event {
    let mut e = Event::new(&format!(
        "{}_relation_{suffix}",
        scenario_model::normalize_name(relation.endpoint())
    ));
    e.relation = Some(relation.clone());
    e
}

pub fn pebble_ready(c: &Arc<Container>) -> Event {
    let mut e = Event::new(&format!("{}_pebble_ready", c.name));
    e.container = Some(c.clone());
    e
}

pub fn storage_event(s: &Storage, suffix: &str) -> Event {
    let mut e = Event::new(&format!("{}_storage_{suffix}", s.name));
    e.storage = Some(s.clone());
    e
}

pub fn action_event(name: &str, params: &[(&str, Value)]) -> Event {
    let mut e = Event::new(&format!("{name}_action"));
    e.action = Some(Arc::new(Action {
        id: None,
        name: name.to_owned(),
        params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    }));
    e
}

pub fn secret_event(name: &str, s: &Arc<Secret>, revision: Option<u32>) -> Event {
    let mut e = Event::new(name);
    e.secret = Some(s.clone());
    e.secret_revision = revision;
    e
}

pub fn start() -> Event {
    Event::new("start")
}
