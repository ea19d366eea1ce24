//! Event rules: a relation, workload or storage event carries its entity and is named for it
//! exactly (E1, E2, E4), the entity is in the state (E5, E6; C2 for containers), relation
//! joined/changed/departed events have a remote unit (E7), only relation events name a
//! remote unit (E8), and custom events are flagged (E0). Actions and secrets have their own
//! modules.

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
    let in_state = match state.relations.iter().find(|r| r.relation_id() == id) {
        None => {
            c.error(
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
            c.error(
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
        Some(r) => Some(r),
    };
    if matches!(
        kind,
        RelationEventKind::Joined | RelationEventKind::Changed | RelationEventKind::Departed
    ) {
        // Hook tools answer from the state's copy, so judge remote units on it when we can.
        remote_unit(c, kind, in_state.unwrap_or(relation));
    }
}

/// Whether the relation has a remote unit (`unit`, or any when `None`), as `api` reads
/// its defaults; on a peer relation this unit's own entry is not a remote unit, except in
/// Scenario 5's untouched default (`{0: {}}` meeting unit 0), which 5.8.1 ran as a peer.
fn has_remote_unit(relation: &AnyRelation, api: Api, own_unit: u32, unit: Option<u32>) -> bool {
    match (relation, unit) {
        (AnyRelation::Regular(r), None) => !r.remote_units_data.get(api).is_empty(),
        (AnyRelation::Regular(r), Some(u)) => r.remote_units_data.get(api).contains_key(&u),
        (AnyRelation::Peer(r), _) if api == Api::Scenario5 && r.peers_data.is_unset() => {
            unit.is_none_or(|u| u == 0)
        }
        (AnyRelation::Peer(r), None) => r.peers_data.get(api).keys().any(|id| *id != own_unit),
        (AnyRelation::Peer(r), Some(u)) => u != own_unit && r.peers_data.get(api).contains_key(&u),
        (AnyRelation::Subordinate(_), None) => true,
        (AnyRelation::Subordinate(r), Some(u)) => r.remote_unit_id == u,
    }
}

fn remote_unit(c: &mut Check<'_>, kind: RelationEventKind, relation: &AnyRelation) {
    let own_unit = c.unit_id;
    let api = c.api;
    match c.event.relation_remote_unit_id {
        // ops[testing] refuses this; Scenario 5.8.1 ran it with no remote unit (the most
        // common 5.x peer idiom, and the accurate way to model a departure).
        None if !has_remote_unit(relation, api, own_unit, None) => c.error_since_8(
            Rule::E7,
            "event.relation_remote_unit_id",
            format!(
                "the event {} needs a remote unit, but none was given and relation {} has no remote units, so Juju would not send it: pass a remote unit ({}) or give the relation one ({})",
                py_str(c.event.name()),
                relation.relation_id(),
                match api {
                    Api::Scenario5 => "relation_remote_unit_id=",
                    Api::Scenario8 => "remote_unit=",
                },
                if matches!(relation, AnyRelation::Peer(_)) {
                    "a peers_data entry other than this unit's"
                } else {
                    "a remote_units_data entry"
                }
            ),
        ),
        // A departing unit has already left the relation's unit list, so only joined and
        // changed must name a unit the relation has.
        Some(unit)
            if kind != RelationEventKind::Departed
                && !has_remote_unit(relation, api, own_unit, Some(unit)) =>
        {
            c.warning(
                Rule::E7,
                "event.relation_remote_unit_id",
                format!(
                    "remote unit {unit} is not a remote unit of relation {}, so its databag cannot be read: add unit {unit} to the relation or pass one of its remote units",
                    relation.relation_id()
                ),
            );
        }
        _ => {}
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
