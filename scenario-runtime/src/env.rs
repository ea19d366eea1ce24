//! The `JUJU_*` environment Juju gives a hook, computed from the event and the State.

use scenario_model::{AnyRelation, Event, EventKind, RelationEventKind, State};

use crate::hook_tools::UnitContext;

/// The variables to set for one run, in a stable order.
pub fn juju_env(
    event: &Event,
    state: &State,
    unit: &UnitContext,
    charm_dir: &str,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = Vec::with_capacity(16);
    let mut set = |k: &str, v: String| env.push((k.to_owned(), v));
    let name = event.name();
    set("JUJU_VERSION", unit.juju_version.clone());
    set("JUJU_UNIT_NAME", unit.unit_name());
    set("JUJU_MODEL_NAME", state.model.name.clone());
    set("JUJU_MODEL_UUID", state.model.uuid.clone());
    set("JUJU_CHARM_DIR", charm_dir.to_owned());
    let kind = event.kind();
    if kind == EventKind::Action {
        let action = event.prefix().unwrap_or_default().replace('_', "-");
        set("JUJU_DISPATCH_PATH", format!("actions/{action}"));
        set("JUJU_ACTION_NAME", action);
        set("JUJU_ACTION_UUID", format!("{}", next_action_id()));
    } else {
        set(
            "JUJU_DISPATCH_PATH",
            format!("hooks/{}", name.replace('_', "-")),
        );
        if kind != EventKind::Custom {
            set("JUJU_HOOK_NAME", name.replace('_', "-"));
        }
    }
    if let (EventKind::Relation(rel_kind), Some(relation)) = (kind, &event.relation) {
        set("JUJU_RELATION", relation.endpoint().to_owned());
        // A bare number, as Scenario 5 set it (Juju writes `<endpoint>:<id>`; ops reads both).
        set("JUJU_RELATION_ID", relation.relation_id().to_string());
        let remote_app = match relation {
            AnyRelation::Peer(_) => unit.app_name.clone(),
            _ => relation.remote_app_name().unwrap_or_default().to_owned(),
        };
        let remote_unit = event.relation_remote_unit_id.or_else(|| {
            relation
                .remote_unit_ids()
                .into_iter()
                .find(|id| !matches!(relation, AnyRelation::Peer(_)) || *id != unit.unit_id)
        });
        if let Some(id) = remote_unit {
            let remote_unit = format!("{remote_app}/{id}");
            if rel_kind == RelationEventKind::Departed {
                set("JUJU_DEPARTING_UNIT", remote_unit.clone());
            }
            set("JUJU_REMOTE_UNIT", remote_unit);
        }
        set("JUJU_REMOTE_APP", remote_app);
    }
    if let Some(container) = &event.container {
        set("JUJU_WORKLOAD_NAME", container.name.clone());
    }
    if let Some(storage) = &event.storage {
        set("JUJU_STORAGE_ID", storage.storage_id());
    }
    if let Some(secret) = &event.secret {
        set("JUJU_SECRET_ID", secret.canonical_id());
        set(
            "JUJU_SECRET_LABEL",
            secret.label.clone().unwrap_or_default(),
        );
        if let Some(rev) = event.secret_revision {
            set("JUJU_SECRET_REVISION", rev.to_string());
        }
    }
    env
}

fn next_action_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario_model::Relation;

    fn unit() -> UnitContext {
        UnitContext {
            app_name: "app".into(),
            unit_id: 2,
            juju_version: "3.4".into(),
        }
    }

    fn get<'a>(env: &'a [(String, String)], k: &str) -> Option<&'a str> {
        env.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn relation_events_name_the_relation_and_remote_unit() {
        let mut rel = Relation::new("db");
        rel.remote_units_data.clear();
        rel.remote_units_data
            .insert(4, scenario_model::Databag::new());
        let id = rel.relation_id;
        let mut event = Event::new("db-relation-departed");
        event.relation = Some(rel.into());
        let env = juju_env(&event, &State::default(), &unit(), "/charm");
        assert_eq!(get(&env, "JUJU_RELATION"), Some("db"));
        assert_eq!(get(&env, "JUJU_RELATION_ID"), Some(id.to_string().as_str()));
        assert_eq!(get(&env, "JUJU_REMOTE_APP"), Some("remote"));
        assert_eq!(get(&env, "JUJU_REMOTE_UNIT"), Some("remote/4"));
        assert_eq!(get(&env, "JUJU_DEPARTING_UNIT"), Some("remote/4"));
        assert_eq!(get(&env, "JUJU_UNIT_NAME"), Some("app/2"));
        assert_eq!(
            get(&env, "JUJU_DISPATCH_PATH"),
            Some("hooks/db-relation-departed")
        );
    }

    #[test]
    fn actions_dispatch_with_dashes() {
        let event = Event::new("do_backup_action");
        let env = juju_env(&event, &State::default(), &unit(), "/charm");
        assert_eq!(get(&env, "JUJU_ACTION_NAME"), Some("do-backup"));
        assert_eq!(get(&env, "JUJU_HOOK_NAME"), None);
    }
}
