//! Times `check_consistency` on a state with 1000 relations (a mix of regular, peer and
//! subordinate ones) and a relation-changed event. Run with
//! `cargo run --release -p scenario-consistency --example thousand_relations`.

use std::sync::Arc;
use std::time::Instant;

use scenario_consistency::{JujuVersion, check_consistency};
use scenario_model::{
    AnyRelation, CharmSpec, Databag, Event, PeerRelation, Relation, State, SubordinateRelation,
};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let meta = json!({
        "name": "big",
        "requires": {"db": {"interface": "pg"}, "log": {"interface": "l", "scope": "container"}},
        "provides": {"web": {"interface": "http"}},
        "peers": {"cluster": {"interface": "c"}},
    });
    let meta = meta.as_object().cloned().ok_or("meta is an object")?;
    let spec = CharmSpec::new(meta, None, None);

    let relations: Vec<AnyRelation> = (1..=1000u32)
        .map(|id| match id % 4 {
            0 => {
                let mut r = Relation::new("db");
                r.relation_id = id;
                r.into()
            }
            1 => {
                let mut r = Relation::new("web");
                r.relation_id = id;
                r.remote_app_data.insert("k".into(), "v".into());
                r.into()
            }
            2 => {
                let mut r = SubordinateRelation::new("log");
                r.relation_id = id;
                r.into()
            }
            _ => {
                let mut r = PeerRelation::new("cluster");
                r.relation_id = id;
                r.peers_data = [(1, Databag::new()), (2, Databag::new())]
                    .into_iter()
                    .collect();
                r.into()
            }
        })
        .collect();
    let mut event = Event::new("db_relation_changed");
    event.relation = Some(relations[999].clone());
    let state = State {
        relations: Arc::new(relations),
        ..State::default()
    };
    let version = JujuVersion::parse("3.4")?;

    let report = check_consistency(&state, &event, &spec, &version);
    assert!(report.diagnostics.is_empty(), "{report}");

    let rounds = 2000u32;
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(check_consistency(
            std::hint::black_box(&state),
            &event,
            &spec,
            &version,
        ));
    }
    let per_check = start.elapsed() / rounds;
    println!("1000 relations: {per_check:?} per check ({rounds} rounds)");
    Ok(())
}
