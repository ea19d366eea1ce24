//! Properties: a generated charm spec with a state consistent with it gives no errors for
//! any event that fits the state, under either API; exactly one rule-breaking mutation
//! makes its rule fire with the severity that API gives it; and odd, arbitrary specs never
//! make the checker panic.

use std::sync::Arc;

use indexmap::IndexMap;
use proptest::prelude::*;
use scenario_consistency::{Options, Report, Rule, Severity, check_consistency_with};
use scenario_model::{
    AnyRelation, Api, CharmSpec, CheckInfo, CheckLevel, CheckStartup, Container, Event, Network,
    PeerRelation, Port, Protocol, Relation, SecretOwner, State, StoredState, SubordinateRelation,
    Value,
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

    /// ops[testing] knows only Juju's names: `integer` and `number` are Scenario 5's.
    fn for_api(self, api: Api) -> OptType {
        match (api, self) {
            (Api::Scenario8, OptType::Integer) => OptType::Int,
            (Api::Scenario8, OptType::Number) => OptType::Float,
            (_, other) => other,
        }
    }

    fn value(self, seed: &Seed, api: Api) -> Value {
        match self {
            OptType::String => Value::Str(seed.s.clone()),
            OptType::Int | OptType::Integer => Value::Int(seed.i),
            // Juju (and our Scenario 5 API) take an int for a float option; ops[testing]
            // wants a float.
            OptType::Float | OptType::Number if seed.b && api == Api::Scenario5 => {
                Value::Int(seed.i)
            }
            OptType::Float | OptType::Number => Value::Float(seed.f),
            OptType::Boolean => Value::Bool(seed.b),
            // Juju's secret ids are 20 lowercase letters or digits.
            OptType::Secret => Value::Str(format!("secret:{:020x}", seed.i.unsigned_abs())),
        }
    }

    /// A value of the wrong type, which neither original took either.
    fn wrong_value(self) -> Value {
        match self {
            OptType::String | OptType::Secret => Value::Int(1),
            OptType::Int | OptType::Integer => Value::from("1"),
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

/// A spec, a state consistent with it, the events that fit the state, the version, and
/// the API whose rules and defaults judge them.
#[derive(Debug, Clone)]
struct Scenario {
    spec: CharmSpec,
    state: State,
    events: Vec<Event>,
    juju: String,
    api: Api,
}

/// Names alternate dashes and underscores so normalisation is exercised, where Juju
/// allows both (endpoints and extra bindings).
fn name(kind: &str, i: usize) -> String {
    if i % 2 == 0 {
        format!("{kind}-{i}")
    } else {
        format!("{kind}_{i}")
    }
}

/// A name Juju accepts for a storage, container or action: dashed parts, each with a
/// letter (which storage names need).
fn dashed(kind: &str, i: usize) -> String {
    format!("{kind}-n{i}")
}

fn build(bp: &Blueprint, api: Api) -> Scenario {
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
    let config = build_config(bp, &juju, api, &mut state);
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
        api,
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
        let n = dashed("ctr", i);
        declared.insert(n.clone(), json!({}));
        if *in_state {
            // A notice, and a check whose info agrees with the plan: the level from the
            // layer, startup and threshold left to Pebble's defaults on one side or both.
            let (level, plan_level) = if i % 2 == 0 {
                (Some(CheckLevel::Alive), json!("alive"))
            } else {
                (None, Json::Null)
            };
            let mut info = CheckInfo::new("chk");
            info.level = level;
            info.startup = if *can_connect {
                CheckStartup::Enabled
            } else {
                CheckStartup::Unset
            };
            let mut c = Container::new(n.clone());
            c.can_connect = *can_connect;
            c.notices = vec![notice(&format!("example.com/{n}"), &format!("{i}"))];
            c.layers.insert(
                "base".into(),
                serde_json::from_value(json!({"checks": {"chk": {
                    "override": "replace", "level": plan_level, "threshold": 3,
                }}}))
                .unwrap(),
            );
            c.check_infos = vec![info];
            let c = Arc::new(c);
            events.push(pebble_ready(&c));
            let mut custom = pebble_event(&c, "pebble_custom_notice");
            custom.notice = Some(c.notices[0].clone());
            events.push(custom);
            let mut failed = pebble_event(&c, "pebble_check_failed");
            failed.check_info = Some(c.check_infos[0].clone());
            events.push(failed);
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
        let n = dashed("st", i);
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
    // ops[testing] takes no container-scoped endpoint as a binding.
    let mut bindings: Vec<String> = (0..bp.endpoints.len())
        .filter(|i| !bp.endpoints[*i].container_scoped)
        .map(|i| name("ep", i))
        .collect();
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
    api: Api,
    state: &mut State,
) -> Option<Map<String, Json>> {
    if bp.options.is_empty() {
        return None;
    }
    let mut options = Map::new();
    let mut config = IndexMap::new();
    for (i, (ty, set, seed)) in bp.options.iter().enumerate() {
        // Secret options only exist from Juju 3.4.
        let ty = match ty.for_api(api) {
            OptType::Secret if !juju.at_least(3, 4) => OptType::String,
            other => other,
        };
        let n = name("opt", i);
        options.insert(n.clone(), json!({"type": ty.name()}));
        if *set {
            config.insert(n, ty.value(seed, api));
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
        let n = dashed("act", i);
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

fn run(state: &State, event: &Event, spec: &CharmSpec, juju: &str, api: Api) -> Report {
    let options = Options { api, unit_id: None };
    let report = check_consistency_with(state, event, spec, &v(juju), options);
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
    BoolForIntOption,
    IntForFloatOption,
    SecretOptionNotAUri,
    UndeclaredConfigKey,
    UndeclaredContainer,
    DuplicateContainer,
    RelationEventWithoutRelation,
    WorkloadEventWithoutContainer,
    StorageEventWithoutStorage,
    ActionEventWithoutAction,
    SecretEventWithoutSecret,
    RelationNotInState,
    RelationDiffersFromState,
    StorageNotInState,
    ContainerNotInState,
    SecretNotInState,
    SecretOwnerMismatch,
    NoRemoteUnit,
    NoticeEventWithoutNotice,
    NoticeNotInState,
    CheckEventWithoutCheckInfo,
    CheckNotInContainer,
    CheckInfoNotInPlan,
    CheckLevelMismatch,
    CheckStartupMismatch,
    CheckThresholdMismatch,
    DuplicateExecPrefix,
    UndeclaredStorage,
    DuplicateStorage,
    UndeclaredResource,
    UndeclaredNetwork,
    NetworkOnSubordinateEndpoint,
    DuplicateNetwork,
    ExtraBindingIsEndpoint,
    CloudSpecOnOldKubernetes,
    DuplicateStoredState,
    UnbuildableStoredSet,
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
    InvalidName,
    CustomEvent,
    ZeroPlannedUnits,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use Mutation::*;
    prop_oneof![
        Just(UndeclaredEndpoint),
        Just(DuplicateRelationId),
        (0..OPT_TYPES.len()).prop_map(WrongConfigType),
        Just(BoolForIntOption),
        Just(IntForFloatOption),
        Just(SecretOptionNotAUri),
        Just(UndeclaredConfigKey),
        Just(UndeclaredContainer),
        Just(DuplicateContainer),
        Just(RelationEventWithoutRelation),
        Just(WorkloadEventWithoutContainer),
        Just(StorageEventWithoutStorage),
        Just(ActionEventWithoutAction),
        Just(SecretEventWithoutSecret),
        Just(RelationNotInState),
        Just(RelationDiffersFromState),
        Just(StorageNotInState),
        Just(ContainerNotInState),
        Just(SecretNotInState),
        Just(SecretOwnerMismatch),
        Just(NoRemoteUnit),
        Just(NoticeEventWithoutNotice),
        Just(NoticeNotInState),
        Just(CheckEventWithoutCheckInfo),
        Just(CheckNotInContainer),
        Just(CheckInfoNotInPlan),
        Just(CheckLevelMismatch),
        Just(CheckStartupMismatch),
        Just(CheckThresholdMismatch),
        Just(DuplicateExecPrefix),
        Just(UndeclaredStorage),
        Just(DuplicateStorage),
        Just(UndeclaredResource),
        Just(UndeclaredNetwork),
        Just(NetworkOnSubordinateEndpoint),
        Just(DuplicateNetwork),
        Just(ExtraBindingIsEndpoint),
        Just(CloudSpecOnOldKubernetes),
        Just(DuplicateStoredState),
        Just(UnbuildableStoredSet),
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
        Just(InvalidName),
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

/// Declare a relation endpoint under `role` (requires, provides or peers).
fn declare_endpoint(sc: &mut Scenario, role: &str, name: &str) {
    declare(&mut sc.spec, role, name, json!({"interface": "i"}));
}

fn declare_action(spec: &mut CharmSpec, name: &str, body: Json) {
    spec.actions
        .get_or_insert_with(Map::new)
        .insert(name.to_owned(), body);
}

/// Declare a config option of type `ty` and set it to `value`.
fn set_option(sc: &mut Scenario, ty: &str, value: Value) {
    let options = sc
        .spec
        .config
        .get_or_insert_with(|| obj(json!({"options": {}})));
    options["options"]
        .as_object_mut()
        .unwrap()
        .insert("mut-opt".into(), json!({ "type": ty }));
    Arc::make_mut(&mut sc.state.config).insert("mut-opt".into(), value);
}

/// Declare and add a container `mut-ctr` that can connect, with a plan check `chk` (level
/// alive, threshold 3) and the check info `info`; returns it.
fn add_pebble_container(sc: &mut Scenario, info: CheckInfo) -> Arc<Container> {
    declare(&mut sc.spec, "containers", "mut-ctr", json!({}));
    let c = pebble_container(
        "mut-ctr",
        vec![notice("example.com/mut", "mut-1")],
        &[(
            "chk",
            json!({"override": "replace", "level": "alive", "threshold": 3}),
        )],
        vec![info],
    );
    push(&mut sc.state.containers, c.clone());
    c
}

fn alive_check() -> CheckInfo {
    let mut info = CheckInfo::new("chk");
    info.level = Some(CheckLevel::Alive);
    info
}

/// What a mutation must produce: its rule, with the severity each API gives it (`None`:
/// that API's rules do not object at all).
struct Expected {
    rule: Rule,
    five: Option<Severity>,
    eight: Option<Severity>,
}

const E: Option<Severity> = Some(Severity::Error);
const S: Option<Severity> = Some(Severity::Stricter);
const W: Option<Severity> = Some(Severity::Warning);

fn expect(rule: Rule, five: Option<Severity>, eight: Option<Severity>) -> Expected {
    Expected { rule, five, eight }
}

/// Apply `m` to a consistent scenario; returns the rule expected and its severities.
// One flat arm per mutation reads better than splitting the table across functions.
#[allow(clippy::too_many_lines)]
fn mutate(m: Mutation, sc: &mut Scenario, event: &mut Event) -> Expected {
    use Mutation::*;
    let fresh_id = 10_000;
    let api = sc.api;
    match m {
        UndeclaredEndpoint => {
            push(
                &mut sc.state.relations,
                rel("undeclared-endpoint", fresh_id),
            );
            expect(Rule::RL2, E, E)
        }
        DuplicateRelationId => {
            let copy = sc
                .state
                .relations
                .first()
                .cloned()
                .unwrap_or_else(|| rel("juju-info", fresh_id));
            if sc.state.relations.is_empty() {
                push(&mut sc.state.relations, copy.clone());
            }
            push(&mut sc.state.relations, copy);
            expect(Rule::RL3, E, E)
        }
        WrongConfigType(t) => {
            let ty = OPT_TYPES[t];
            set_option(sc, ty.name(), ty.wrong_value());
            if matches!(ty, OptType::Integer | OptType::Number) {
                // Scenario 5's aliases, which ops[testing] refuses as types.
                expect(Rule::K3, E, None).or(Rule::K4, api)
            } else if matches!(ty, OptType::Secret) && !v(&sc.juju).at_least(3, 4) {
                // Secret options below 3.4 are reported as K4 rather than a type mismatch.
                expect(Rule::K4, E, E)
            } else {
                expect(Rule::K3, E, E)
            }
        }
        BoolForIntOption => {
            // Juju refuses it, but both originals' isinstance let it through.
            set_option(sc, "int", Value::Bool(true));
            expect(Rule::K3, S, S)
        }
        IntForFloatOption => {
            set_option(sc, "float", Value::Int(2));
            expect(Rule::K3, None, E)
        }
        SecretOptionNotAUri => {
            set_option(sc, "secret", Value::from("secret:short"));
            if v(&sc.juju).at_least(3, 4) {
                expect(Rule::K5, S, E)
            } else {
                expect(Rule::K4, E, E)
            }
        }
        UndeclaredConfigKey => {
            Arc::make_mut(&mut sc.state.config).insert("undeclared-opt".into(), Value::Int(1));
            expect(Rule::K1, E, E)
        }
        UndeclaredContainer => {
            push(&mut sc.state.containers, container("undeclared-ctr", true));
            expect(Rule::C3, E, E)
        }
        DuplicateContainer => {
            let c = sc
                .state
                .containers
                .first()
                .cloned()
                .unwrap_or_else(|| container("dup-ctr", true));
            if sc.state.containers.is_empty() {
                push(&mut sc.state.containers, c.clone());
            }
            push(&mut sc.state.containers, c);
            expect(Rule::C4, E, S)
        }
        RelationEventWithoutRelation => {
            *event = Event::new("ep-0-relation-changed");
            expect(Rule::E1, E, E)
        }
        WorkloadEventWithoutContainer => {
            *event = Event::new("ctr-n0-pebble-ready");
            expect(Rule::E2, E, E)
        }
        StorageEventWithoutStorage => {
            *event = Event::new("st-n0-storage-attached");
            expect(Rule::E4, E, E)
        }
        ActionEventWithoutAction => {
            *event = Event::new("act-n0-action");
            expect(Rule::E3, E, E)
        }
        SecretEventWithoutSecret => {
            *event = Event::new("secret-changed");
            expect(Rule::S2, E, E)
        }
        RelationNotInState => {
            declare_endpoint(sc, "requires", "mut-ep");
            *event = relation_event(&rel("mut-ep", fresh_id), "created");
            expect(Rule::E5, S, E)
        }
        RelationDiffersFromState => {
            declare_endpoint(sc, "requires", "mut-ep");
            let mut r = Relation::new("mut-ep");
            r.relation_id = fresh_id;
            push(&mut sc.state.relations, r.clone().into());
            r.local_app_data.insert("k".into(), "v".into());
            *event = relation_event(&r.into(), "broken");
            expect(Rule::E5, None, E)
        }
        StorageNotInState => {
            declare(
                &mut sc.spec,
                "storage",
                "mut-st",
                json!({"type": "filesystem"}),
            );
            *event = storage_event(&storage("mut-st", 99), "attached");
            expect(Rule::E6, E, E)
        }
        ContainerNotInState => {
            declare(&mut sc.spec, "containers", "mut-ctr", json!({}));
            *event = pebble_ready(&container("mut-ctr", true));
            expect(Rule::C2, E, E)
        }
        SecretNotInState => {
            let s = secret("secret:elsewhere", None);
            *event = secret_event("secret_changed", &s, None);
            sc.juju = "3.4".into();
            // Scenario 5.8.1 refused it only when the state had no secrets at all.
            let five = if sc.state.secrets.is_empty() { E } else { S };
            expect(Rule::S3, five, E)
        }
        SecretOwnerMismatch => {
            let s = secret("secret:observed", None);
            push(&mut sc.state.secrets, s.clone());
            *event = secret_event("secret_rotate", &s, None);
            expect(Rule::S5, S, E)
        }
        NoRemoteUnit => {
            declare_endpoint(sc, "requires", "mut-ep");
            let mut r = Relation::new("mut-ep");
            r.relation_id = fresh_id;
            r.remote_units_data = std::iter::empty::<(u32, IndexMap<String, String>)>().collect();
            let r: AnyRelation = r.into();
            push(&mut sc.state.relations, r.clone());
            *event = relation_event(&r, "changed");
            expect(Rule::E7, S, E)
        }
        NoticeEventWithoutNotice => {
            let c = add_pebble_container(sc, alive_check());
            *event = pebble_event(&c, "pebble_custom_notice");
            expect(Rule::C11, E, E)
        }
        NoticeNotInState => {
            let c = add_pebble_container(sc, alive_check());
            *event = pebble_event(&c, "pebble_custom_notice");
            event.notice = Some(notice("example.com/other", "other-1"));
            expect(Rule::C11, S, E)
        }
        CheckEventWithoutCheckInfo => {
            let c = add_pebble_container(sc, alive_check());
            *event = pebble_event(&c, "pebble_check_recovered");
            expect(Rule::C6, E, E)
        }
        CheckNotInContainer => {
            let c = add_pebble_container(sc, alive_check());
            *event = pebble_event(&c, "pebble_check_failed");
            event.check_info = Some(CheckInfo::new("other"));
            expect(Rule::C6, S, E)
        }
        CheckInfoNotInPlan => {
            add_pebble_container(sc, CheckInfo::new("unplanned"));
            expect(Rule::C7, S, E)
        }
        CheckLevelMismatch => {
            // None is unset, which is not the plan's alive.
            add_pebble_container(sc, CheckInfo::new("chk"));
            expect(Rule::C8, S, E)
        }
        CheckStartupMismatch => {
            let mut info = alive_check();
            info.startup = CheckStartup::Disabled;
            add_pebble_container(sc, info);
            expect(Rule::C9, S, E)
        }
        CheckThresholdMismatch => {
            let mut info = alive_check();
            info.threshold = 4;
            add_pebble_container(sc, info);
            expect(Rule::C10, S, E)
        }
        DuplicateExecPrefix => {
            let c = add_pebble_container(sc, alive_check());
            let containers = Arc::make_mut(&mut sc.state.containers);
            let last = containers.last_mut().unwrap();
            Arc::make_mut(last).execs = vec![exec(&["ls"], "a"), exec(&["ls"], "b")];
            // ops[testing] refuses it in the workload event's container.
            let mut with_execs = (*c).clone();
            with_execs.execs.clone_from(&last.execs);
            *event = pebble_ready(&Arc::new(with_execs));
            expect(Rule::C12, S, E)
        }
        UndeclaredStorage => {
            push(&mut sc.state.storage, storage("undeclared-st", 0));
            expect(Rule::ST1, E, E)
        }
        DuplicateStorage => {
            declare(
                &mut sc.spec,
                "storage",
                "mut-st",
                json!({"multiple": {"range": "0-9"}}),
            );
            push(&mut sc.state.storage, storage("mut-st", 3));
            push(&mut sc.state.storage, storage("mut-st", 3));
            expect(Rule::ST2, E, E)
        }
        UndeclaredResource => {
            Arc::make_mut(&mut sc.state.resources).insert("undeclared-res".into(), "/x".into());
            expect(Rule::R1, E, E)
        }
        UndeclaredNetwork => {
            push(&mut sc.state.networks, network("nowhere"));
            expect(Rule::N1, S, E)
        }
        NetworkOnSubordinateEndpoint => {
            declare(
                &mut sc.spec,
                "requires",
                "mut-sub",
                json!({"interface": "i", "scope": "container"}),
            );
            push(&mut sc.state.networks, network("mut-sub"));
            // Juju binds it; only ops[testing] refuses it.
            expect(Rule::N1, None, E)
        }
        DuplicateNetwork => {
            let n = sc
                .state
                .networks
                .first()
                .cloned()
                .unwrap_or_else(|| network("juju-info"));
            if sc.state.networks.is_empty() {
                push(&mut sc.state.networks, n.clone());
            }
            push(&mut sc.state.networks, n);
            expect(Rule::N2, S, S)
        }
        ExtraBindingIsEndpoint => {
            declare_endpoint(sc, "requires", "mut-ep");
            declare(&mut sc.spec, "extra-bindings", "mut-ep", Json::Null);
            expect(Rule::N3, S, E)
        }
        CloudSpecOnOldKubernetes => {
            let mut model = (*sc.state.model).clone();
            model.model_type = "kubernetes".into();
            model.cloud_spec = Some(k8s_cloud());
            sc.state.model = Arc::new(model);
            expect(Rule::CS1, S, E)
        }
        DuplicateStoredState => {
            push(
                &mut sc.state.stored_state,
                StoredState::new(None, "_stored"),
            );
            expect(Rule::SS1, S, E)
        }
        UnbuildableStoredSet => {
            let mut stored = StoredState::new(Some("Charm/mut".into()), "_stored");
            stored
                .content
                .insert("s".into(), Value::Set(vec![Value::Dict(IndexMap::new())]));
            push(&mut sc.state.stored_state, stored);
            expect(Rule::SS2, E, E)
        }
        DuplicatePort => {
            let p = Port {
                protocol: Protocol::Tcp,
                port: Some(4242),
            };
            push(&mut sc.state.opened_ports, p);
            push(&mut sc.state.opened_ports, p);
            expect(Rule::P1, S, S)
        }
        PeerHoldsOwnUnit => {
            declare_endpoint(sc, "peers", "mut-peers");
            let mut r = PeerRelation::new("mut-peers");
            r.relation_id = fresh_id;
            r.peers_data = [(
                sc.state.unit_id,
                IndexMap::from([("k".to_owned(), "v".to_owned())]),
            )]
            .into_iter()
            .collect();
            push(&mut sc.state.relations, r.into());
            // Scenario 5.8.1 ran it, so under its API it is only stricter than the original.
            expect(Rule::RL7, S, E)
        }
        RegularRelationOnPeerEndpoint => {
            declare_endpoint(sc, "peers", "mut-peers");
            push(&mut sc.state.relations, rel("mut-peers", fresh_id));
            expect(Rule::RL1, E, E)
        }
        PeerRelationOnRegularEndpoint => {
            declare_endpoint(sc, "provides", "mut-prov");
            push(
                &mut sc.state.relations,
                peer("mut-prov", fresh_id, &[sc.state.unit_id + 1]),
            );
            expect(Rule::RL6, S, S)
        }
        SecretEventBeforeJuju3 => {
            let s = secret("secret:old", None);
            push(&mut sc.state.secrets, s.clone());
            *event = secret_event("secret_changed", &s, None);
            sc.juju = "2.9.44".into();
            expect(Rule::S1, E, E)
        }
        SecretRemoveWithoutRevision => {
            let s = secret("secret:gone", Some(SecretOwner::Unit));
            push(&mut sc.state.secrets, s.clone());
            *event = secret_event("secret_remove", &s, None);
            expect(Rule::S4, E, E)
        }
        UndeclaredAction => {
            *event = action_event("undeclared-act", &[]);
            expect(Rule::E3, E, E)
        }
        UndeclaredParam => {
            declare_action(
                &mut sc.spec,
                "mut-act",
                json!({"params": {"p": {"type": "integer"}}}),
            );
            *event = action_event("mut-act", &[("q", Value::Int(1))]);
            expect(Rule::AP3, E, E)
        }
        WrongParamType => {
            declare_action(
                &mut sc.spec,
                "mut-act",
                json!({"params": {"p": {"type": "integer"}}}),
            );
            *event = action_event("mut-act", &[("p", Value::from("1"))]);
            expect(Rule::AP4, E, E)
        }
        MissingRequiredParam => {
            declare_action(
                &mut sc.spec,
                "mut-act",
                json!({"params": {"p": {"type": "integer"}}, "required": ["p"]}),
            );
            *event = action_event("mut-act", &[]);
            expect(Rule::AP5, S, S)
        }
        AppDataBeforeJuju27 => {
            let mut r = Relation::new("juju-info");
            r.relation_id = fresh_id;
            r.local_app_data.insert("k".into(), "v".into());
            push(&mut sc.state.relations, r.into());
            sc.juju = "2.6.3".into();
            expect(Rule::RL8, S, S)
        }
        InvalidName => {
            declare(
                &mut sc.spec,
                "storage",
                "bad_name",
                json!({"type": "filesystem"}),
            );
            push(&mut sc.state.storage, storage("bad_name", 0));
            expect(Rule::NM1, S, E)
        }
        CustomEvent => {
            *event = Event::new("my_lib.on.something_happened");
            expect(Rule::E0, W, W)
        }
        ZeroPlannedUnits => {
            sc.state.planned_units = 0;
            expect(Rule::PU1, W, W)
        }
    }
}

impl Expected {
    /// Under ops[testing], `rule` at error instead.
    fn or(self, rule: Rule, api: Api) -> Expected {
        match api {
            Api::Scenario5 => self,
            Api::Scenario8 => expect(rule, None, E),
        }
    }

    fn severity(&self, api: Api) -> Option<Severity> {
        match api {
            Api::Scenario5 => self.five,
            Api::Scenario8 => self.eight,
        }
    }
}

fn network(name: &str) -> Network {
    Network::default_for(name, "10.0.0.9", "", "", "eth0", None, vec![], vec![])
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
                    "checks",
                    "level",
                    "startup",
                    "threshold",
                    "override",
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
    fn a_consistent_scenario_has_no_errors(bp in blueprint(), api in prop::sample::select(Api::BOTH.to_vec())) {
        let sc = build(&bp, api);
        for event in &sc.events {
            let report = run(&sc.state, event, &sc.spec, &sc.juju, api);
            prop_assert!(
                report.is_consistent(),
                "event {} on Juju {} ({api:?}):\n{report}\nspec: {:?}",
                event.path, sc.juju, sc.spec
            );
        }
    }

    #[test]
    fn one_mutation_fires_its_rule(
        bp in blueprint(),
        m in mutation(),
        pick in any::<prop::sample::Index>(),
        api in prop::sample::select(Api::BOTH.to_vec()),
    ) {
        let mut sc = build(&bp, api);
        let mut event = pick.get(&sc.events).clone();
        let expected = mutate(m, &mut sc, &mut event);
        let rule = expected.rule;
        let report = run(&sc.state, &event, &sc.spec, &sc.juju, api);
        match expected.severity(api) {
            Some(severity) => {
                prop_assert!(
                    report.of_rule(rule).any(|d| d.severity == severity),
                    "{m:?} should give {severity} {rule} under {api:?}, got:\n{report}"
                );
                if severity == Severity::Error {
                    prop_assert!(!report.is_consistent());
                }
            }
            None => prop_assert!(
                !report.has(rule),
                "{m:?} should give no {rule} under {api:?}, got:\n{report}"
            ),
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
            "db_pebble_custom_notice", "db_pebble_check_failed", "-_action",
        ]),
        with_entities in any::<bool>(),
        plan in json_value(),
        layer_check in json_value(),
        api in prop::sample::select(Api::BOTH.to_vec()),
    ) {
        let as_map = |v: Option<Json>| v.and_then(|v| v.as_object().cloned());
        let spec = CharmSpec::new(meta.into_iter().collect(), as_map(actions), as_map(config));
        // A container whose plan and check infos come from arbitrary layer data.
        let mut db = Container::new("db");
        db.base_plan = as_map(Some(plan)).unwrap_or_default();
        if let Some(check) = as_map(Some(layer_check)) {
            let mut layer = scenario_model::Layer::default();
            layer.checks.insert("x".into(), check);
            db.layers.insert("l".into(), layer);
        }
        db.check_infos = vec![CheckInfo::new("x"), CheckInfo::new("db")];
        db.notices = vec![notice("k", "1")];
        let db = Arc::new(db);
        let state = State {
            config: config_of(&[("db", Value::Int(1)), ("x", Value::None)]),
            relations: Arc::new(vec![rel("db", 1), peer("db", 2, &[0]), sub("x", 1)]),
            containers: Arc::new(vec![db]),
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
            event.notice = Some(notice("k", "2"));
            event.check_info = Some(CheckInfo::new("y"));
        }
        let report = run(&state, &event, &spec, "3.0", api);
        // Rendering must not panic either.
        let _ = report.to_string();
    }
}
