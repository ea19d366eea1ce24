//! Event rules: a relation, workload or storage event carries its entity and is named for it
//! (E1, E2, E4), the entity is in the state (E5, E6; C2 for containers), relation
//! joined/changed/departed events have a remote unit (E7), only relation events name a
//! remote unit (E8), and custom events are flagged (E0). Actions and secrets have their own
//! modules.
//!
//! ops[testing] wants the event's relation to be the state's own object, and a remote unit
//! (given or implied by a relation with one: it warns when it picks one). Scenario 5.8.1 ran
//! relation events on relations missing from the state and without remote units, so those
//! findings are only stricter under its API. A storage event whose storage is missing
//! crashed 5.8.1's run, so E6 is an error under both.

use scenario_model::{AnyRelation, Api, EventKind, RelationEventKind, normalize_name};

use crate::check::Check;
use crate::names::{eq_normalized, py_list, py_str};
use crate::rule::Rule;
use crate::spec_view::{did_you_mean, meta_names, meta_section, near_miss_in};

pub fn check(c: &mut Check<'_>) {
    let kind = c.event.kind();
    match kind {
        EventKind::Relation(relation_kind) => relation_event(c, relation_kind),
        EventKind::Workload => workload_event(c),
        EventKind::Storage => storage_event(c),
        EventKind::Custom => c.warning(
            Rule::E0,
            "event.path",
            format!(
                "custom event {} is not a Juju or ops event, so its consistency can only be partly checked: make sure the state holds what its handlers need",
                py_str(&c.event.path)
            ),
        ),
        EventKind::Action | EventKind::Secret | EventKind::Framework | EventKind::Builtin => {}
    }
    if let (false, Some(unit)) = (
        matches!(kind, EventKind::Relation(_)),
        c.event.relation_remote_unit_id,
    ) {
        c.warning(
            Rule::E8,
            "event.relation_remote_unit_id",
            format!(
                "the event {} is not a relation event, so its remote unit id {unit} is ignored: drop relation_remote_unit_id",
                py_str(c.event.name())
            ),
        );
    }
}

fn relation_event(c: &mut Check<'_>, kind: RelationEventKind) {
    let (event, state) = (c.event, c.state);
    let name = event.name();
    let Some(relation) = &event.relation else {
        c.error(
            Rule::E1,
            "event.relation",
            format!(
                "the relation event {} has no relation: pass the relation it is about, e.g. relation.changed_event",
                py_str(name)
            ),
        );
        return;
    };
    let endpoint = relation.endpoint();
    let prefix = event.prefix().unwrap_or_default();
    if !eq_normalized(prefix, endpoint) {
        c.error(
            Rule::E1,
            "event.relation.endpoint",
            format!(
                "the event {} is for endpoint {} but its relation is on {}: emit {} or pass a relation on {}",
                py_str(name),
                py_str(prefix),
                py_str(endpoint),
                // `name` is `prefix` + suffix, so the cut is on a char boundary.
                py_str(&format!(
                    "{}{}",
                    normalize_name(endpoint),
                    name.get(prefix.len()..).unwrap_or_default()
                )),
                py_str(prefix),
            ),
        );
    }
    let id = relation.relation_id();
    // ops[testing] wants the state's own relation object; Scenario 5.8.1 did not look, and
    // ran the event on a relation missing from the state.
    let in_state = match state.relations.iter().find(|r| r.relation_id() == id) {
        None => {
            c.error_since_8(
                Rule::E5,
                "event.relation",
                format!(
                    "the event's relation (id {id} on {}) is not in the state: add it to the state's relations",
                    py_str(endpoint)
                ),
            );
            None
        }
        Some(r) if r.endpoint() != endpoint => {
            c.error_since_8(
                Rule::E5,
                "event.relation",
                format!(
                    "the event's relation id {id} is on {} but the state's relation with that id is on {}: pass the state's relation",
                    py_str(endpoint),
                    py_str(r.endpoint())
                ),
            );
            None
        }
        Some(r) => {
            // Hook tools answer from the state's relation, so only ops[testing]'s rule
            // (the state's own object) speaks against another one with the same id.
            if r != relation {
                c.error_in_8(
                    Rule::E5,
                    "event.relation",
                    format!(
                        "the event's relation (id {id} on {}) differs from the state's relation with that id: pass the state's relation, e.g. state.get_relation({id})",
                        py_str(endpoint)
                    ),
                );
            }
            Some(r)
        }
    };
    if matches!(
        kind,
        RelationEventKind::Joined | RelationEventKind::Changed | RelationEventKind::Departed
    ) {
        // Hook tools answer from the state's copy, so judge remote units on it when we can.
        remote_unit(c, kind, in_state.unwrap_or(relation));
    }
}

/// The relation's remote unit ids, as `api` reads its defaults; on a peer relation this
/// unit's own entry is not a remote unit, except in Scenario 5's untouched default (`{0:
/// {}}` meeting unit 0), which 5.8.1 ran as a peer.
fn remote_units(relation: &AnyRelation, api: Api, own_unit: u32) -> Vec<u32> {
    match relation {
        AnyRelation::Regular(r) => r.remote_units_data.get(api).keys().copied().collect(),
        AnyRelation::Peer(r) if api == Api::Scenario5 && r.peers_data.is_unset() => vec![0],
        AnyRelation::Peer(r) => r
            .peers_data
            .get(api)
            .keys()
            .copied()
            .filter(|id| *id != own_unit)
            .collect(),
        AnyRelation::Subordinate(r) => vec![r.remote_unit_id],
    }
}

fn remote_unit(c: &mut Check<'_>, kind: RelationEventKind, relation: &AnyRelation) {
    let api = c.api;
    let units = remote_units(relation, api, c.unit_id);
    let event_name = py_str(c.event.name());
    let id = relation.relation_id();
    let Some(unit) = c.event.relation_remote_unit_id else {
        let pass = match api {
            Api::Scenario5 => "relation_remote_unit_id=",
            Api::Scenario8 => "remote_unit=",
        };
        match units.as_slice() {
            // ops[testing] refuses this ("must provide a remote unit"); Scenario 5.8.1 ran
            // it with no remote unit (the most common 5.x peer idiom, and the accurate way
            // to model a departure).
            [] => c.error_since_8(
                Rule::E7,
                "event.relation_remote_unit_id",
                format!(
                    "the event {event_name} must name a remote unit, but none was given and relation {id} has no remote units, so Juju would not send it: pass a remote unit ({pass}) or give the relation one ({})",
                    if matches!(relation, AnyRelation::Peer(_)) {
                        "a peers_data entry other than this unit's"
                    } else {
                        "a remote_units_data entry"
                    }
                ),
            ),
            // ops[testing]'s checker warns that it picks a unit. Scenario 5.8.1's checker
            // did not; its run logged the pick (a warning when there were several).
            _ if api == Api::Scenario5 => {}
            [only] => c.warning(
                Rule::E7,
                "event.relation_remote_unit_id",
                format!(
                    "the event {event_name} names no remote unit, so it is implicitly using unit {only}, the only remote unit of relation {id}: pass {pass}{only} to say so"
                ),
            ),
            [first, ..] => c.warning(
                Rule::E7,
                "event.relation_remote_unit_id",
                format!(
                    "the event {event_name} names no remote unit, so it is implicitly using unit {first}, one of the remote units {units:?} of relation {id}: pass {pass} to choose one"
                ),
            ),
        }
        return;
    };
    // A departing unit has already left the relation's unit list, so only joined and
    // changed must name a unit the relation has.
    if kind != RelationEventKind::Departed && !units.contains(&unit) {
        c.warning(
            Rule::E7,
            "event.relation_remote_unit_id",
            format!(
                "remote unit {unit} is not a remote unit of relation {id}, so its databag cannot be read: add unit {unit} to the relation or pass one of its remote units"
            ),
        );
    }
}

fn workload_event(c: &mut Check<'_>) {
    let event = c.event;
    let name = event.name();
    let Some(container) = &event.container else {
        c.error(
            Rule::E2,
            "event.container",
            format!(
                "the workload event {} has no container: pass the container it is about, e.g. container.pebble_ready_event",
                py_str(name)
            ),
        );
        return;
    };
    let prefix = event.prefix().unwrap_or_default();
    if !eq_normalized(prefix, &container.name) {
        c.error(
            Rule::E2,
            "event.container.name",
            format!(
                "the event {} is for container {} but its container is {}: emit the event of container {} or pass container {}",
                py_str(name),
                py_str(prefix),
                py_str(&container.name),
                py_str(&container.name),
                py_str(prefix),
            ),
        );
    }
}

fn storage_event(c: &mut Check<'_>) {
    let (event, state, spec) = (c.event, c.state, c.spec);
    let name = event.name();
    let Some(storage) = &event.storage else {
        c.error(
            Rule::E4,
            "event.storage",
            format!(
                "the storage event {} has no storage: pass the storage it is about, e.g. storage.attached_event",
                py_str(name)
            ),
        );
        return;
    };
    let prefix = event.prefix().unwrap_or_default();
    if !eq_normalized(prefix, &storage.name) {
        c.error(
            Rule::E4,
            "event.storage.name",
            format!(
                "the event {} is for storage {} but its storage is {}: emit the event of storage {} or pass storage {}",
                py_str(name),
                py_str(prefix),
                py_str(&storage.name),
                py_str(&storage.name),
                py_str(prefix),
            ),
        );
    }
    match meta_section(spec, "storage") {
        None => c.error(
            Rule::E4,
            "event.storage.name",
            format!(
                "the event is for storage {}, but the charm declares no storage: declare it under `storage` in metadata",
                py_str(&storage.name)
            ),
        ),
        Some(declared) if !declared.contains_key(&storage.name) => c.error(
            Rule::E4,
            "event.storage.name",
            format!(
                "the event's storage {} is not declared in metadata{}: declare it under `storage` or use one of {}",
                py_str(&storage.name),
                did_you_mean(near_miss_in(meta_names(spec, "storage"), &storage.name)),
                py_list(meta_names(spec, "storage")),
            ),
        ),
        Some(_) => {}
    }
    if !state.storage.iter().any(|s| s == storage) {
        c.error(
            Rule::E6,
            "event.storage",
            format!(
                "the event's storage {} is not in the state: add Storage({}, index={}) to the state's storage",
                py_str(&storage.storage_id()),
                py_str(&storage.name),
                storage.index
            ),
        );
    }
}
