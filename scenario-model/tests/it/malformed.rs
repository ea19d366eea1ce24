//! Whatever text a State is read from, the reader answers with a State or a typed error:
//! it never panics, an unknown key is named, and what it accepts round-trips.

use proptest::prelude::*;
use scenario_model::{ModelError, State};
use serde_json::{Map, Value as Json, json};

/// Keys a State document has, at any level, and some it does not.
const KEYS: [&str; 24] = [
    "config",
    "relations",
    "containers",
    "storage",
    "storages",
    "leader",
    "model",
    "secrets",
    "unit_status",
    "name",
    "message",
    "regular",
    "peer",
    "endpoint",
    "relation_id",
    "id",
    "local_unit_data",
    "peers_data",
    "can_connect",
    "contents",
    "leadr",
    "relatons",
    "$tuple",
    "",
];

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Json::from),
        "[a-z0-9:/ ]{0,8}".prop_map(Json::from),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), inner, 0..5).prop_map(
                |m| Json::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            ),
        ]
    })
}

/// A reader's answer: a State that reads back the same, or an error that says something.
fn answers_sanely(read: Result<State, ModelError>) -> Result<(), TestCaseError> {
    match read {
        Ok(state) => {
            let text = state
                .to_json()
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let again = State::from_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(again, state);
        }
        Err(e) => prop_assert!(!e.to_string().is_empty()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_json_document_gives_a_state_or_an_error(doc in json_value()) {
        answers_sanely(State::from_json(&doc.to_string()))?;
        answers_sanely(State::from_yaml(&serde_yaml::to_string(&doc).unwrap()))?;
    }

    #[test]
    fn any_text_gives_a_state_or_an_error(text in "\\PC{0,64}") {
        answers_sanely(State::from_json(&text))?;
        answers_sanely(State::from_yaml(&text))?;
    }

    #[test]
    fn an_unknown_top_level_key_is_named(key in "[a-z_]{1,12}") {
        prop_assume!(!KEYS[..20].contains(&key.as_str()));
        let mut doc = Map::new();
        doc.insert(key.clone(), json!(1));
        match State::from_json(&Json::Object(doc).to_string()) {
            Err(ModelError::UnknownKey { key: named, .. }) => prop_assert_eq!(named, key),
            // A key that happens to be a State field is accepted or refused for its value.
            other => {
                let named_another = matches!(other, Err(ModelError::UnknownKey { .. }));
                prop_assert!(!named_another);
            }
        }
    }
}
