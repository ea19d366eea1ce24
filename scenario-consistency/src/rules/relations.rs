//! Relation rules: every relation endpoint is declared (RL2) and holds the right kind of
//! relation (RL1 peer, RL4 subordinate, RL6 peer elsewhere); ids are unique across all
//! relations (RL3); endpoint names are unique in metadata (RL5); peers_data leaves out this
//! unit (RL7); and app databags need Juju 2.7 (RL8).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use scenario_model::{AnyRelation, Api, EndpointRole, PeerRelation};

use crate::check::Check;
use crate::names::{py_list, py_str};
use crate::rule::Rule;
use crate::spec_view::{EndpointInfo, Scope};

pub fn check(c: &mut Check<'_>) {
    duplicate_endpoints(c);
    let state = c.state;
    let old_juju = !c.version.at_least(2, 7);
    let mut ids: HashMap<u32, usize> = HashMap::with_capacity(state.relations.len());
    for (i, relation) in state.relations.iter().enumerate() {
        match c.endpoints.get(relation.endpoint()) {
            None => undeclared(c, i, relation),
            Some(info) => kind_matches_endpoint(c, i, relation, info),
        }
        match ids.entry(relation.relation_id()) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(first) => c.error(
                Rule::RL3,
                format!("state.relations[{i}].relation_id"),
                format!(
                    "relation id {} is also used by state.relations[{}]: Juju gives every relation a unique id, so change one of them",
                    relation.relation_id(),
                    first.get()
                ),
            ),
        }
        if let AnyRelation::Peer(peer) = relation {
            own_unit_in_peers(c, i, peer);
        }
        if old_juju {
            app_data_needs_juju_2_7(c, i, relation);
        }
    }
}

fn duplicate_endpoints(c: &mut Check<'_>) {
    let Some((first, role)) = c.endpoints.duplicates.first().copied() else {
        return;
    };
    let names: Vec<&str> = c.endpoints.duplicates.iter().map(|(n, _)| *n).collect();
    let subject = if names.len() == 1 {
        format!("endpoint {} is", py_str(first))
    } else {
        format!("endpoints {} are", py_list(names))
    };
    c.error(
        Rule::RL5,
        format!("charm_spec.meta[{}][{}]", py_str(role.key()), py_str(first)),
        format!(
            "{subject} declared more than once across requires, provides and peers: give each endpoint a unique name"
        ),
    );
}

fn undeclared(c: &mut Check<'_>, i: usize, relation: &AnyRelation) {
    let endpoint = relation.endpoint();
    let hint = crate::spec_view::did_you_mean(c.endpoints.near_miss(endpoint));
    let declared = py_list(c.endpoints.names());
    c.error(
        Rule::RL2,
        format!("state.relations[{i}].endpoint"),
        format!(
            "relation endpoint {} is not declared in metadata{hint}: declare it under requires, provides or peers, or use a declared endpoint ({declared})",
            py_str(endpoint)
        ),
    );
}

fn kind_matches_endpoint(c: &mut Check<'_>, i: usize, relation: &AnyRelation, info: EndpointInfo) {
    let endpoint = py_str(relation.endpoint());
    let path = || format!("state.relations[{i}]");
    match (info.role, relation, info.scope) {
        (EndpointRole::Peers, AnyRelation::Peer(_), _)
        | (
            EndpointRole::Requires | EndpointRole::Provides,
            AnyRelation::Regular(_),
            Scope::Global | Scope::Either,
        )
        | (
            EndpointRole::Requires | EndpointRole::Provides,
            AnyRelation::Subordinate(_),
            Scope::Container | Scope::Either,
        ) => {}
        (EndpointRole::Peers, other, _) => c.error(
            Rule::RL1,
            path(),
            format!(
                "endpoint {endpoint} is declared under peers, so its relation must be a PeerRelation, not a {}: use PeerRelation({endpoint})",
                other.kind_name()
            ),
        ),
        // Neither original refused a PeerRelation on a regular endpoint.
        (role, AnyRelation::Peer(_), _) => c.stricter(
            Rule::RL6,
            path(),
            format!(
                "endpoint {endpoint} is declared under {}, not peers, so it cannot hold a PeerRelation: use {}({endpoint}), or declare it under peers",
                role.key(),
                if info.scope == Scope::Container { "SubordinateRelation" } else { "Relation" }
            ),
        ),
        (_, AnyRelation::Regular(_), Scope::Container) => c.error(
            Rule::RL4,
            path(),
            format!(
                "endpoint {endpoint} has `scope: container`, so its relation must be a SubordinateRelation: use SubordinateRelation({endpoint})"
            ),
        ),
        (_, AnyRelation::Subordinate(_), Scope::Global) => c.error(
            Rule::RL4,
            path(),
            format!(
                "endpoint {endpoint} is not container-scoped, so it cannot hold a SubordinateRelation: use Relation({endpoint}), or set `scope: container` on the endpoint"
            ),
        ),
    }
}

fn own_unit_in_peers(c: &mut Check<'_>, i: usize, peer: &PeerRelation) {
    let own = c.unit_id;
    let path = format!("state.relations[{i}].peers_data[{own}]");
    if peer.peers_data.is_unset() {
        if c.api == Api::Scenario5 && own == 0 {
            // Scenario 5's defaults alone produce this (peers_data={0: {}} and unit_id=0);
            // 5.8.1 ran unit 0 as its own peer, and so do we, but Juju never would.
            c.stricter(
                Rule::RL7,
                path,
                "peers_data holds unit 0, which is this unit's own id (the PeerRelation default {0: {}} meets the default unit_id 0): give the peers other ids, e.g. PeerRelation('peers', peers_data={1: {}}), or peers_data={} for none",
            );
        }
        return;
    }
    if peer.peers_data.get(c.api).contains_key(&own) {
        c.error_since_8(
            Rule::RL7,
            path,
            format!(
                "peers_data holds unit {own}, which is this unit's own id: this unit's data belongs in local_unit_data, so give peers ids other than {own}"
            ),
        );
    }
}

/// The first non-empty application databag of a relation, by attribute name.
fn app_data_in_use(relation: &AnyRelation) -> Option<&'static str> {
    match relation {
        AnyRelation::Regular(r) => (!r.local_app_data.is_empty())
            .then_some("local_app_data")
            .or((!r.remote_app_data.is_empty()).then_some("remote_app_data")),
        AnyRelation::Peer(r) => (!r.local_app_data.is_empty()).then_some("local_app_data"),
        AnyRelation::Subordinate(r) => (!r.local_app_data.is_empty())
            .then_some("local_app_data")
            .or((!r.remote_app_data.is_empty()).then_some("remote_app_data")),
    }
}

fn app_data_needs_juju_2_7(c: &mut Check<'_>, i: usize, relation: &AnyRelation) {
    if let Some(field) = app_data_in_use(relation) {
        // The originals refused only reading such a databag, at run time.
        c.stricter(
            Rule::RL8,
            format!("state.relations[{i}].{field}"),
            format!(
                "application databags need Juju 2.7 or later, but the check runs as Juju {}: leave {field} empty or use juju_version '2.7' or later",
                c.version
            ),
        );
    }
}
