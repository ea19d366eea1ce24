//! A run copies only what the charm touches: the cost follows the charm, not the State.

use std::sync::Arc;

use scenario_model::{AnyRelation, CharmSpec, Event, Relation, State};
use scenario_runtime::{HookTools, Member, UnitContext};

fn big_state(relations: usize) -> State {
    let relations: Vec<AnyRelation> = (0..relations)
        .map(|i| {
            let mut r = Relation::new(format!("ep{}", i % 3));
            for unit in 0..5 {
                r.remote_units_data
                    .make_mut(scenario_model::Api::Scenario5)
                    .insert(
                        unit,
                        [("k".to_owned(), "v".to_owned())].into_iter().collect(),
                    );
            }
            r.into()
        })
        .collect();
    State {
        relations: Arc::new(relations),
        ..State::default()
    }
}

#[test]
fn writing_one_relation_copies_only_that_relation() {
    let input = big_state(200);
    let target = input.relations[17].relation_id();
    let mut tools: HookTools = HookTools::new(
        input.clone(),
        Event::new("ep2-relation-changed"),
        Arc::new(CharmSpec::default()),
        UnitContext::new("app", 0, "3.4"),
    );
    let _ = tools
        .relation_get(target, &Member::Unit("remote/3"))
        .unwrap();
    tools
        .relation_set(target, &[("seen".into(), "yes".into())], false)
        .unwrap();
    let out = tools.state;

    let shared = input
        .relations
        .iter()
        .zip(out.relations.iter())
        .filter(|(a, b)| match (a, b) {
            (AnyRelation::Regular(a), AnyRelation::Regular(b)) => Arc::ptr_eq(a, b),
            _ => false,
        })
        .count();
    assert_eq!(shared, 199, "every relation but the written one is shared");
    assert!(Arc::ptr_eq(&input.containers, &out.containers));
    assert!(Arc::ptr_eq(&input.config, &out.config));
}

#[test]
fn reading_copies_nothing() {
    let input = big_state(50);
    let id = input.relations[3].relation_id();
    let mut tools: HookTools = HookTools::new(
        input.clone(),
        Event::new("start"),
        Arc::new(CharmSpec::default()),
        UnitContext::new("app", 0, "3.4"),
    );
    let _ = tools.relation_get(id, &Member::App("remote")).unwrap();
    let _ = tools.relation_list(id).unwrap();
    let _ = tools.config_get();
    assert!(Arc::ptr_eq(&input.relations, &tools.state.relations));
}
