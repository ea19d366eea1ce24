//! Properties: a generated charm spec with a state consistent with it gives no errors for
//! any event that fits the state; exactly one rule-breaking mutation makes its rule fire;
//! and odd, arbitrary specs never make the checker panic.

use std::sync::Arc;

use indexmap::IndexMap;
use proptest::prelude::*;
use scenario_consistency::{Report, Rule, Severity, check_consistency};
use scenario_model::{
    AnyRelation, Api, CharmSpec, Event, Network, PeerRelation, Port, Protocol, Relation,
    SecretOwner, State, StoredState, SubordinateRelation, Value,
};
use serde_json::{Map, Value as Json, json};

use crate::support::*;

// --- the blueprint of a consistent scenario -----------------------------------------

#[derive(Debug, Clone, Copy)]
enum Role {
    Requires,
    Provides,
    Peers,
}

#[derive(Debug, Clone)]
struct EndpointPlan {
    role: Role,
    container_scoped: bool,
    /// How many relations the state has on it, and how many remote units each has.
    relations: Vec<u8>,
    app_data: bool,
}

#[derive(Debug, Clone, Copy)]
enum OptType {
    String,
    Int,
    Integer,
    Float,
    Number,
    Boolean,
    Secret,
}

const OPT_TYPES: [OptType; 7] = [
    OptType::String,
    OptType::Int,
    OptType::Integer,
    OptType::Float,
    OptType::Number,
    OptType::Boolean,
    OptType::Secret,
];

impl OptType {
    fn name(self) -> &'static str {
        match self {
            OptType::String => "string",
            OptType::Int => "int",
            OptType::Integer => "integer",
            OptType::Float => "float",
            OptType::Number => "number",
            OptType::Boolean => "boolean",
            OptType::Secret => "secret",
        }
    }

    fn value(self, seed: &Seed) -> Value {
        match self {
            OptType::String => Value::Str(seed.s.clone()),
            OptType::Int | OptType::Integer => Value::Int(seed.i),
            // Juju takes an int for a float option as well as a float.
            OptType::Float | OptType::Number if seed.b => Value::Int(seed.i),
            OptType::Float | OptType::Number => Value::Float(seed.f),
            OptType::Boolean => Value::Bool(seed.b),
            OptType::Secret => Value::Str(format!("secret:{}", seed.s)),
        }
    }

    /// A value of the wrong type.
    fn wrong_value(self) -> Value {
        match self {
            OptType::String | OptType::Secret => Value::Int(1),
            OptType::Int | OptType::Integer => Value::Bool(true),
            OptType::Float | OptType::Number => Value::from("1.5"),
            OptType::Boolean => Value::Int(0),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum ParamKind {
    String,
    Boolean,
    Integer,
    Number,
    Array,
    Object,
}

const PARAM_KINDS: [ParamKind; 6] = [
    ParamKind::String,
    ParamKind::Boolean,
    ParamKind::Integer,
    ParamKind::Number,
    ParamKind::Array,
    ParamKind::Object,
];

impl ParamKind {
    fn name(self) -> &'static str {
        match self {
            ParamKind::String => "string",
            ParamKind::Boolean => "boolean",
            ParamKind::Integer => "integer",
            ParamKind::Number => "number",
            ParamKind::Array => "array",
            ParamKind::Object => "object",
        }
    }

    fn value(self, seed: &Seed) -> Value {
        match self {
            ParamKind::String => Value::Str(seed.s.clone()),
            ParamKind::Boolean => Value::Bool(seed.b),
            ParamKind::Integer => Value::Int(seed.i),
            ParamKind::Number if seed.b => Value::Int(seed.i),
            ParamKind::Number => Value::Float(seed.f),
            ParamKind::Array if seed.b => Value::Tuple(vec![Value::Int(seed.i)]),
            ParamKind::Array => Value::List(vec![Value::Str(seed.s.clone())]),
            ParamKind::Object => Value::str_dict([("k", Value::Int(seed.i))]),
        }
    }
}

/// Raw material for values of any type.
#[derive(Debug, Clone)]
struct Seed {
    i: i64,
    f: f64,
    b: bool,
    s: String,
}

fn seed() -> impl Strategy<Value = Seed> {
    (any::<i64>(), -1e9f64..1e9, any::<bool>(), "[a-z0-9 ]{0,8}").prop_map(|(i, f, b, s)| Seed {
        i,
        f,
        b,
        s,
    })
}

#[derive(Debug, Clone)]
struct ParamPlan {
    kind: ParamKind,
    provided: bool,
    required: bool,
    seed: Seed,
}

#[derive(Debug, Clone)]
struct ActionPlan {
    params: Vec<ParamPlan>,
    additional_properties: Option<bool>,
}

#[derive(Debug, Clone)]
struct Blueprint {
    endpoints: Vec<EndpointPlan>,
    /// Per declared container: (in the state, can connect).
    containers: Vec<(bool, bool)>,
    /// Per declared storage: (multiple, instances in the state).
    storages: Vec<(bool, u8)>,
    /// Per config option: (type, set in the state, value seed).
    options: Vec<(OptType, bool, Seed)>,
    actions: Vec<ActionPlan>,
    extra_bindings: u8,
    /// Per secret: owner (0 none, 1 unit, 2 app).
    secrets: Vec<u8>,
    ports: Vec<(u8, u16)>,
    stored_states: u8,
    networks: Vec<bool>,
    unit_id: u32,
    leader: bool,
    juju: &'static str,
}

fn endpoint_plan() -> impl Strategy<Value = EndpointPlan> {
    (
        0u8..3,
        any::<bool>(),
        prop::collection::vec(0u8..3, 0..3),
        any::<bool>(),
    )
        .prop_map(|(role, scoped, relations, app_data)| {
            let role = [Role::Requires, Role::Provides, Role::Peers][usize::from(role)];
            EndpointPlan {
                container_scoped: scoped && !matches!(role, Role::Peers),
                role,
                relations,
                app_data,
            }
        })
}

fn action_plan() -> impl Strategy<Value = ActionPlan> {
    (
        prop::collection::vec(
            (0..PARAM_KINDS.len(), any::<bool>(), any::<bool>(), seed()).prop_map(
                |(k, provided, required, seed)| ParamPlan {
                    kind: PARAM_KINDS[k],
                    // A required param must be given for the scenario to be consistent.
                    provided: provided || required,
                    required,
                    seed,
                },
            ),
            0..4,
        ),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(params, additional_properties)| ActionPlan {
            params,
            additional_properties,
        })
}

fn blueprint() -> impl Strategy<Value = Blueprint> {
    let shape = (
        prop::collection::vec(endpoint_plan(), 0..5),
        prop::collection::vec((any::<bool>(), any::<bool>()), 0..3),
        prop::collection::vec((any::<bool>(), 0u8..3), 0..3),
        prop::collection::vec((0..OPT_TYPES.len(), any::<bool>(), seed()), 0..6),
        prop::collection::vec(action_plan(), 0..3),
    );
    let extras = (
        0u8..3,
        prop::collection::vec(0u8..3, 0..3),
        prop::collection::vec((0u8..3, 1u16..1000), 0..4),
        0u8..3,
        prop::collection::vec(any::<bool>(), 0..8),
        0u32..4,
        any::<bool>(),
        prop::sample::select(vec!["2.6.3", "2.9.44", "3.0", "3.1.6", "3.4", "3.6-beta2"]),
    );
    (shape, extras).prop_map(
        |(
            (endpoints, containers, storages, options, actions),
            (extra_bindings, secrets, ports, stored_states, networks, unit_id, leader, juju),
        )| Blueprint {
            endpoints,
            containers,
            storages,
            options: options
                .into_iter()
                .map(|(t, set, seed)| (OPT_TYPES[t], set, seed))
                .collect(),
            actions,
            extra_bindings,
            secrets,
            ports,
            stored_states,
            networks,
            unit_id,
            leader,
            juju,
        },
    )
}

/// A spec, a state consistent with it, the events that fit the state, and the version.
#[derive(Debug, Clone)]
struct Scenario {
    spec: CharmSpec,
    state: State,
    events: Vec<Event>,
    juju: String,
}

/// Names alternate dashes and underscores so normalisation is exercised.
fn name(kind: &str, i: usize) -> String {
    if i % 2 == 0 {
        format!("{kind}-{i}")
    } else {
        format!("{kind}_{i}")
    }
}

fn build(bp: &Blueprint) -> Scenario {
    let juju = v(bp.juju);
    let mut meta = Map::new();
    meta.insert("name".into(), json!("generated"));
    let mut state = State {
        unit_id: bp.unit_id,
        leader: bp.leader,
        planned_units: 1 + bp.unit_id,
        ..State::default()
    };
    let mut events = vec![
        start(),
        Event::new("update-status"),
        Event::new("collect_app_status"),
    ];

    build_relations(bp, &juju, &mut meta, &mut state, &mut events);
    build_containers(bp, &mut meta, &mut state, &mut events);
    build_storages(bp, &mut meta, &mut state, &mut events);
    build_networks(bp, &mut meta, &mut state);
    let config = build_config(bp, &juju, &mut state);
    let actions = build_actions(bp, &mut events);
    build_secrets(bp, &juju, &mut state, &mut events);

    let mut ports: Vec<Port> = bp
        .ports
        .iter()
        .map(|(proto, port)| match proto {
            0 => Port {
                protocol: Protocol::Tcp,
                port: Some(*port),
            },
            1 => Port {
                protocol: Protocol::Udp,
                port: Some(*port),
            },
            _ => Port {
                protocol: Protocol::Icmp,
                port: None,
            },
        })
        .collect();
    ports.sort();
    ports.dedup();
    state.opened_ports = Arc::new(ports);
    state.stored_state = Arc::new(
        (0..bp.stored_states)
            .map(|i| StoredState::new(Some(format!("Charm/obj{i}")), "_stored"))
            .chain(std::iter::once(StoredState::new(None, "_stored")))
            .collect(),
    );

    Scenario {
        spec: CharmSpec::new(meta, actions, config),
        state,
        events,
        juju: bp.juju.to_owned(),
    }
}

fn build_relations(
    bp: &Blueprint,
    juju: &scenario_consistency::JujuVersion,
    meta: &mut Map<String, Json>,
    state: &mut State,
    events: &mut Vec<Event>,
) {
    let app_data_ok = juju.at_least(2, 7);
    let mut relations: Vec<AnyRelation> = Vec::new();
    let mut next_id = 1;
    for (i, ep) in bp.endpoints.iter().enumerate() {
        let endpoint = name("ep", i);
        let (key, mut body) = match ep.role {
            Role::Requires => ("requires", json!({"interface": "i"})),
            Role::Provides => ("provides", json!({"interface": "i"})),
            Role::Peers => ("peers", json!({"interface": "i"})),
        };
        if ep.container_scoped {
            body["scope"] = json!("container");
        }
        meta.entry(key)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .unwrap()
            .insert(endpoint.clone(), body);
        for units in &ep.relations {
            let id = next_id;
            next_id += 1;
            let app_bag: IndexMap<String, String> = if ep.app_data && app_data_ok {
                IndexMap::from([("k".to_owned(), "v".to_owned())])
            } else {
                IndexMap::new()
            };
            let relation: AnyRelation = match (ep.role, ep.container_scoped) {
                (Role::Peers, _) => {
                    let mut r = PeerRelation::new(endpoint.clone());
                    r.relation_id = id;
                    r.local_app_data = app_bag;
                    // Peers are other units: never this unit's own id.
                    r.peers_data = (0..u32::from(*units))
                        .map(|k| (bp.unit_id + 1 + k, IndexMap::new()))
                        .collect();
                    r.into()
                }
                (_, true) => {
                    let mut r = SubordinateRelation::new(endpoint.clone());
                    r.relation_id = id;
                    r.remote_app_data = app_bag;
                    r.remote_unit_id = u32::from(*units);
                    r.into()
                }
                (_, false) => {
                    let mut r = Relation::new(endpoint.clone());
                    r.relation_id = id;
                    r.remote_app_data = app_bag;
                    r.remote_units_data = (0..u32::from(*units))
                        .map(|k| (k, IndexMap::new()))
                        .collect();
                    r.into()
                }
            };
            let has_remote = match &relation {
                AnyRelation::Regular(r) => !r.remote_units_data.get(Api::Scenario5).is_empty(),
                AnyRelation::Peer(r) => !r.peers_data.get(Api::Scenario5).is_empty(),
                AnyRelation::Subordinate(_) => true,
            };
            for suffix in ["created", "broken"] {
                events.push(relation_event(&relation, suffix));
            }
            for suffix in ["joined", "changed", "departed"] {
                let mut event = relation_event(&relation, suffix);
                if !has_remote {
                    // With no remote unit in the relation, the event must name one.
                    event.relation_remote_unit_id = Some(7);
                    if suffix != "departed" {
                        continue;
                    }
                }
                events.push(event);
            }
            relations.push(relation);
        }
    }
    state.relations = Arc::new(relations);
}

fn build_containers(
    bp: &Blueprint,
    meta: &mut Map<String, Json>,
    state: &mut State,
    events: &mut Vec<Event>,
) {
    let mut declared = Map::new();
    let mut containers = Vec::new();
    for (i, (in_state, can_connect)) in bp.containers.iter().enumerate() {
        let n = name("ctr", i);
        declared.insert(n.clone(), json!({}));
        if *in_state {
            let c = container(&n, *can_connect);
            events.push(pebble_ready(&c));
            let mut notice = Event::new(&format!("{n}_pebble_custom_notice"));
            notice.container = Some(c.clone());
            events.push(notice);
            containers.push(c);
        }
    }
    if !declared.is_empty() {
        meta.insert("containers".into(), Json::Object(declared));
    }
    state.containers = Arc::new(containers);
}

fn build_storages(
    bp: &Blueprint,
    meta: &mut Map<String, Json>,
    state: &mut State,
    events: &mut Vec<Event>,
) {
    let mut declared = Map::new();
    let mut storages = Vec::new();
    for (i, (multiple, count)) in bp.storages.iter().enumerate() {
        let n = name("st", i);
        let count = if *multiple { *count } else { (*count).min(1) };
        declared.insert(
            n.clone(),
            if *multiple {
                json!({"type": "filesystem", "multiple": {"range": "0-5"}})
            } else {
                json!({"type": "filesystem"})
            },
        );
        for index in 0..u32::from(count) {
            let s = storage(&n, index);
            events.push(storage_event(&s, "attached"));
            events.push(storage_event(&s, "detaching"));
            storages.push(s);
        }
    }
    if !declared.is_empty() {
        meta.insert("storage".into(), Json::Object(declared));
    }
    state.storage = Arc::new(storages);
}

fn build_networks(bp: &Blueprint, meta: &mut Map<String, Json>, state: &mut State) {
    let extra: Map<String, Json> = (0..usize::from(bp.extra_bindings))
        .map(|i| (name("bind", i), Json::Null))
        .collect();
    let mut bindings: Vec<String> = (0..bp.endpoints.len()).map(|i| name("ep", i)).collect();
    bindings.extend(extra.keys().cloned());
    bindings.push("juju-info".into());
    if !extra.is_empty() {
        meta.insert("extra-bindings".into(), Json::Object(extra));
    }
    state.networks = Arc::new(
        bindings
            .iter()
            .zip(&bp.networks)
            .filter(|(_, keep)| **keep)
            .map(|(b, _)| Network::default_for(b, "10.0.0.1", "", "", "eth0", None, vec![], vec![]))
            .collect(),
    );
}

fn build_config(
    bp: &Blueprint,
    juju: &scenario_consistency::JujuVersion,
    state: &mut State,
) -> Option<Map<String, Json>> {
    if bp.options.is_empty() {
        return None;
    }
    let mut options = Map::new();
    let mut config = IndexMap::new();
    for (i, (ty, set, seed)) in bp.options.iter().enumerate() {
        // Secret options only exist from Juju 3.4.
        let ty = match ty {
            OptType::Secret if !juju.at_least(3, 4) => OptType::String,
            other => *other,
        };
        let n = name("opt", i);
        options.insert(n.clone(), json!({"type": ty.name()}));
        if *set {
            config.insert(n, ty.value(seed));
        }
    }
    state.config = Arc::new(config);
    Some(obj(json!({ "options": options })))
}

fn build_actions(bp: &Blueprint, events: &mut Vec<Event>) -> Option<Map<String, Json>> {
    if bp.actions.is_empty() {
        return None;
    }
    let mut actions = Map::new();
    for (i, plan) in bp.actions.iter().enumerate() {
        let n = name("act", i);
        let mut params = Map::new();
        let mut required = Vec::new();
        let mut given: Vec<(String, Value)> = Vec::new();
        for (j, p) in plan.params.iter().enumerate() {
            let pn = format!("p{j}");
            params.insert(pn.clone(), json!({"type": p.kind.name()}));
            if p.required {
                required.push(json!(pn));
            }
            if p.provided {
                given.push((pn, p.kind.value(&p.seed)));
            }
        }
        if plan.additional_properties == Some(true) {
            given.push(("extra".into(), Value::Int(1)));
        }
        let mut body = json!({"params": params, "required": required});
        if let Some(open) = plan.additional_properties {
            body["additionalProperties"] = json!(open);
        }
        actions.insert(n.clone(), body);
        let given: Vec<(&str, Value)> =
            given.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        events.push(action_event(&n, &given));
    }
    Some(actions)
}

fn build_secrets(
    bp: &Blueprint,
    juju: &scenario_consistency::JujuVersion,
    state: &mut State,
    events: &mut Vec<Event>,
) {
    let mut secrets = Vec::new();
    for (i, owner) in bp.secrets.iter().enumerate() {
        let owner = match owner {
            0 => None,
            1 => Some(SecretOwner::Unit),
            _ => Some(SecretOwner::App),
        };
        let s = secret(&format!("secret:s{i}"), owner);
        if juju.at_least(3, 0) {
            match owner {
                None => events.push(secret_event("secret_changed", &s, None)),
                // Juju only tells the leader about application-owned secrets.
                Some(SecretOwner::App) if !bp.leader => {}
                Some(_) => {
                    events.push(secret_event("secret_rotate", &s, None));
                    events.push(secret_event("secret_expired", &s, Some(0)));
                    events.push(secret_event("secret_remove", &s, Some(0)));
                }
            }
        }
        secrets.push(s);
    }
    state.secrets = Arc::new(secrets);
}

fn run(state: &State, event: &Event, spec: &CharmSpec, juju: &str) -> Report {
    let report = check_consistency(state, event, spec, &v(juju));
    for d in &report.diagnostics {
        assert_style(d);
    }
    report
}

// --- mutations ----------------------------------------------------------------------

/// One way to break a consistent scenario, and the rule that must catch it.
#[derive(Debug, Clone, Copy)]
enum Mutation {
    UndeclaredEndpoint,
    DuplicateRelationId,
    WrongConfigType(usize),
    UndeclaredConfigKey,
    UndeclaredContainer,
    DuplicateContainer,
    RelationEventWithoutRelation,
    WorkloadEventWithoutContainer,
    StorageEventWithoutStorage,
    ActionEventWithoutAction,
    SecretEventWithoutSecret,
    RelationNotInState,
    StorageNotInState,
    ContainerNotInState,
    UndeclaredStorage,
    DuplicateStorage,
    UndeclaredResource,
    UndeclaredNetwork,
    DuplicateNetwork,
    DuplicateStoredState,
    DuplicatePort,
    PeerHoldsOwnUnit,
    RegularRelationOnPeerEndpoint,
    PeerRelationOnRegularEndpoint,
    SecretEventBeforeJuju3,
    SecretRemoveWithoutRevision,
    UndeclaredAction,
    UndeclaredParam,
    WrongParamType,
    MissingRequiredParam,
    AppDataBeforeJuju27,
    CustomEvent,
    ZeroPlannedUnits,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use Mutation::*;
    prop_oneof![
        Just(UndeclaredEndpoint),
        Just(DuplicateRelationId),
        (0..OPT_TYPES.len()).prop_map(WrongConfigType),
        Just(UndeclaredConfigKey),
        Just(UndeclaredContainer),
        Just(DuplicateContainer),
        Just(RelationEventWithoutRelation),
        Just(WorkloadEventWithoutContainer),
        Just(StorageEventWithoutStorage),
        Just(ActionEventWithoutAction),
        Just(SecretEventWithoutSecret),
        Just(RelationNotInState),
        Just(StorageNotInState),
        Just(ContainerNotInState),
        Just(UndeclaredStorage),
        Just(DuplicateStorage),
        Just(UndeclaredResource),
        Just(UndeclaredNetwork),
        Just(DuplicateNetwork),
        Just(DuplicateStoredState),
        Just(DuplicatePort),
        Just(PeerHoldsOwnUnit),
        Just(RegularRelationOnPeerEndpoint),
        Just(PeerRelationOnRegularEndpoint),
        Just(SecretEventBeforeJuju3),
        Just(SecretRemoveWithoutRevision),
        Just(UndeclaredAction),
        Just(UndeclaredParam),
        Just(WrongParamType),
        Just(MissingRequiredParam),
        Just(AppDataBeforeJuju27),
        Just(CustomEvent),
        Just(ZeroPlannedUnits),
    ]
}

fn push<T: Clone>(list: &mut Arc<Vec<T>>, item: T) {
    Arc::make_mut(list).push(item);
}

/// Declare one more item in a metadata section.
fn declare(spec: &mut CharmSpec, section: &str, name: &str, body: Json) {
    spec.meta
        .entry(section)
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .unwrap()
        .insert(name.to_owned(), body);
}

fn declare_action(spec: &mut CharmSpec, name: &str, body: Json) {
    spec.actions
        .get_or_insert_with(Map::new)
        .insert(name.to_owned(), body);
}

/// Apply `m` to a consistent scenario; returns the rule expected and its severity.
// One flat arm per mutation reads better than splitting the table across functions.
#[allow(clippy::too_many_lines)]
fn mutate(m: Mutation, sc: &mut Scenario, event: &mut Event) -> (Rule, Severity) {
    use Mutation::*;
    let (state, spec) = (&mut sc.state, &mut sc.spec);
    let fresh_id = 10_000;
    let error = |rule| (rule, Severity::Error);
    match m {
        UndeclaredEndpoint => {
            push(&mut state.relations, rel("undeclared-endpoint", fresh_id));
            error(Rule::RL2)
        }
        DuplicateRelationId => {
            let copy = state
                .relations
                .first()
                .cloned()
                .unwrap_or_else(|| rel("juju-info", fresh_id));
            if state.relations.is_empty() {
                push(&mut state.relations, copy.clone());
            }
            push(&mut state.relations, copy);
            error(Rule::RL3)
        }
        WrongConfigType(t) => {
            let ty = OPT_TYPES[t];
            let options = spec
                .config
                .get_or_insert_with(|| obj(json!({"options": {}})));
            options["options"]
                .as_object_mut()
                .unwrap()
                .insert("mut-opt".into(), json!({"type": ty.name()}));
            Arc::make_mut(&mut state.config).insert("mut-opt".into(), ty.wrong_value());
            // Secret options below 3.4 are reported as K4 rather than a type mismatch.
            if matches!(ty, OptType::Secret) && !v(&sc.juju).at_least(3, 4) {
                error(Rule::K4)
            } else {
                error(Rule::K3)
            }
        }
        UndeclaredConfigKey => {
            Arc::make_mut(&mut state.config).insert("undeclared-opt".into(), Value::Int(1));
            error(Rule::K1)
        }
        UndeclaredContainer => {
            push(&mut state.containers, container("undeclared-ctr", true));
            error(Rule::C3)
        }
        DuplicateContainer => {
            let c = state
                .containers
                .first()
                .cloned()
                .unwrap_or_else(|| container("dup-ctr", true));
            if state.containers.is_empty() {
                push(&mut state.containers, c.clone());
            }
            push(&mut state.containers, c);
            error(Rule::C4)
        }
        RelationEventWithoutRelation => {
            *event = Event::new("ep-0-relation-changed");
            error(Rule::E1)
        }
        WorkloadEventWithoutContainer => {
            *event = Event::new("ctr-0-pebble-ready");
            error(Rule::E2)
        }
        StorageEventWithoutStorage => {
            *event = Event::new("st-0-storage-attached");
            error(Rule::E4)
        }
        ActionEventWithoutAction => {
            *event = Event::new("act-0-action");
            error(Rule::E3)
        }
        SecretEventWithoutSecret => {
            *event = Event::new("secret-changed");
            error(Rule::S2)
        }
        RelationNotInState => {
            declare(spec, "requires", "mut-ep", json!({"interface": "i"}));
            *event = relation_event(&rel("mut-ep", fresh_id), "changed");
            error(Rule::E5)
        }
        StorageNotInState => {
            declare(spec, "storage", "mut-st", json!({"type": "filesystem"}));
            *event = storage_event(&storage("mut-st", 99), "attached");
            error(Rule::E6)
        }
        ContainerNotInState => {
            declare(spec, "containers", "mut-ctr", json!({}));
            *event = pebble_ready(&container("mut-ctr", true));
            error(Rule::C2)
        }
        UndeclaredStorage => {
            push(&mut state.storage, storage("undeclared-st", 0));
            error(Rule::ST1)
        }
        DuplicateStorage => {
            declare(
                spec,
                "storage",
                "mut-st",
                json!({"multiple": {"range": "0-9"}}),
            );
            push(&mut state.storage, storage("mut-st", 3));
            push(&mut state.storage, storage("mut-st", 3));
            error(Rule::ST2)
        }
        UndeclaredResource => {
            Arc::make_mut(&mut state.resources).insert("undeclared-res".into(), "/x".into());
            error(Rule::R1)
        }
        UndeclaredNetwork => {
            push(
                &mut state.networks,
                Network::default_for("nowhere", "10.0.0.9", "", "", "eth0", None, vec![], vec![]),
            );
            error(Rule::N1)
        }
        DuplicateNetwork => {
            let n = state.networks.first().cloned().unwrap_or_else(|| {
                Network::default_for(
                    "juju-info",
                    "10.0.0.9",
                    "",
                    "",
                    "eth0",
                    None,
                    vec![],
                    vec![],
                )
            });
            if state.networks.is_empty() {
                push(&mut state.networks, n.clone());
            }
            push(&mut state.networks, n);
            error(Rule::N2)
        }
        DuplicateStoredState => {
            push(&mut state.stored_state, StoredState::new(None, "_stored"));
            error(Rule::SS1)
        }
        DuplicatePort => {
            let p = Port {
                protocol: Protocol::Tcp,
                port: Some(4242),
            };
            push(&mut state.opened_ports, p);
            push(&mut state.opened_ports, p);
            error(Rule::P1)
        }
        PeerHoldsOwnUnit => {
            declare(spec, "peers", "mut-peers", json!({"interface": "p"}));
            let mut r = PeerRelation::new("mut-peers");
            r.relation_id = fresh_id;
            r.peers_data = [(
                state.unit_id,
                IndexMap::from([("k".to_owned(), "v".to_owned())]),
            )]
            .into_iter()
            .collect();
            push(&mut state.relations, r.into());
            // Scenario 5.8.1 ran it, so under its API it is only stricter than the original.
            (Rule::RL7, Severity::Stricter)
        }
        RegularRelationOnPeerEndpoint => {
            declare(spec, "peers", "mut-peers", json!({"interface": "p"}));
            push(&mut state.relations, rel("mut-peers", fresh_id));
            error(Rule::RL1)
        }
        PeerRelationOnRegularEndpoint => {
            declare(spec, "provides", "mut-prov", json!({"interface": "p"}));
            push(
                &mut state.relations,
                peer("mut-prov", fresh_id, &[state.unit_id + 1]),
            );
            error(Rule::RL6)
        }
        SecretEventBeforeJuju3 => {
            let s = secret("secret:old", None);
            push(&mut state.secrets, s.clone());
            *event = secret_event("secret_changed", &s, None);
            sc.juju = "2.9.44".into();
            error(Rule::S1)
        }
        SecretRemoveWithoutRevision => {
            let s = secret("secret:gone", Some(SecretOwner::Unit));
            push(&mut state.secrets, s.clone());
            *event = secret_event("secret_remove", &s, None);
            error(Rule::S4)
        }
        UndeclaredAction => {
            *event = action_event("undeclared-act", &[]);
            error(Rule::E3)
        }
        UndeclaredParam => {
            declare_action(
                spec,
                "mut-act",
                json!({"params": {"p": {"type": "integer"}}}),
            );
            *event = action_event("mut-act", &[("q", Value::Int(1))]);
            error(Rule::AP3)
        }
        WrongParamType => {
            declare_action(
                spec,
                "mut-act",
                json!({"params": {"p": {"type": "integer"}}}),
            );
            *event = action_event("mut-act", &[("p", Value::from("1"))]);
            error(Rule::AP4)
        }
        MissingRequiredParam => {
            declare_action(
                spec,
                "mut-act",
                json!({"params": {"p": {"type": "integer"}}, "required": ["p"]}),
            );
            *event = action_event("mut-act", &[]);
            error(Rule::AP5)
        }
        AppDataBeforeJuju27 => {
            let mut r = Relation::new("juju-info");
            r.relation_id = fresh_id;
            r.local_app_data.insert("k".into(), "v".into());
            push(&mut state.relations, r.into());
            sc.juju = "2.6.3".into();
            error(Rule::RL8)
        }
        CustomEvent => {
            *event = Event::new("my_lib.on.something_happened");
            (Rule::E0, Severity::Warning)
        }
        ZeroPlannedUnits => {
            state.planned_units = 0;
            (Rule::PU1, Severity::Warning)
        }
    }
}

// --- arbitrary junk -----------------------------------------------------------------

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        "[a-z-]{0,6}".prop_map(Json::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "db",
                    "type",
                    "scope",
                    "params",
                    "required",
                    "options",
                    "multiple",
                    "additionalProperties",
                    "container",
                    "default",
                    "x",
                ])
                .prop_map(str::to_owned),
                inner,
                0..4
            )
            .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_consistent_scenario_has_no_errors(bp in blueprint()) {
        let sc = build(&bp);
        for event in &sc.events {
            let report = run(&sc.state, event, &sc.spec, &sc.juju);
            prop_assert!(
                report.is_consistent(),
                "event {} on Juju {}:\n{report}\nspec: {:?}",
                event.path, sc.juju, sc.spec
            );
        }
    }

    #[test]
    fn one_mutation_fires_its_rule(bp in blueprint(), m in mutation(), pick in any::<prop::sample::Index>()) {
        let mut sc = build(&bp);
        let mut event = pick.get(&sc.events).clone();
        let (rule, severity) = mutate(m, &mut sc, &mut event);
        let report = run(&sc.state, &event, &sc.spec, &sc.juju);
        prop_assert!(
            report.of_rule(rule).any(|d| d.severity == severity),
            "{m:?} should give {severity} {rule}, got:\n{report}"
        );
        if severity == Severity::Error {
            prop_assert!(!report.is_consistent());
        }
    }

    #[test]
    fn arbitrary_specs_and_event_names_never_panic(
        meta in prop::collection::btree_map(
            prop::sample::select(vec![
                "requires", "provides", "peers", "containers", "storage", "resources",
                "extra-bindings",
            ]).prop_map(str::to_owned),
            json_value(),
            0..7,
        ),
        config in prop::option::of(json_value()),
        actions in prop::option::of(json_value()),
        event_name in prop::sample::select(vec![
            "db_relation_joined", "db_pebble_ready", "x_storage_attached", "db_action",
            "secret_remove", "secret_changed", "custom", "start", "_action", "_relation_changed",
        ]),
        with_entities in any::<bool>(),
    ) {
        let as_map = |v: Option<Json>| v.and_then(|v| v.as_object().cloned());
        let spec = CharmSpec::new(meta.into_iter().collect(), as_map(actions), as_map(config));
        let state = State {
            config: config_of(&[("db", Value::Int(1)), ("x", Value::None)]),
            relations: Arc::new(vec![rel("db", 1), peer("db", 2, &[0]), sub("x", 1)]),
            containers: Arc::new(vec![container("db", false)]),
            storage: Arc::new(vec![storage("x", 0), storage("db", 0)]),
            networks: Arc::new(vec![Network::default_for("db", "", "", "", "", None, vec![], vec![])]),
            ..State::default()
        };
        let mut event = Event::new(event_name);
        if with_entities {
            event.relation = Some(state.relations[1].clone());
            event.container = Some(state.containers[0].clone());
            event.storage = Some(state.storage[0].clone());
            event.action = Some(Arc::new(scenario_model::Action {
                id: None,
                name: "db".into(),
                params: IndexMap::from([("x".to_owned(), Value::Int(1))]),
            }));
            event.secret = Some(secret("s", None));
            event.relation_remote_unit_id = Some(0);
        }
        let report = run(&state, &event, &spec, "3.0");
        // Rendering must not panic either.
        let _ = report.to_string();
    }
}
