//! Errors of the model crate: reading specs and states from disk or text.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ModelError {
    #[error(
        "no charm metadata found in {charm_root}: expected metadata.yaml or a charmcraft.yaml with `type: charm` and a name"
    )]
    MetadataNotFound { charm_root: String },
    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid YAML in {path}")]
    Yaml {
        path: String,
        #[source]
        source: serde_yaml::Error,
    },
    /// The charmcraft.yaml's `extensions` cannot be merged into it.
    #[error(transparent)]
    Extension(#[from] crate::extensions::ExtensionError),
    #[error("invalid state JSON")]
    Json(#[from] serde_json::Error),
    #[error("invalid state YAML")]
    StateYaml(#[from] serde_yaml::Error),
    /// A key no State part has: named, with the closest field when one is near.
    #[error(
        "invalid state {format}: unknown key {key:?}{}{} (expected one of {})",
        .closest.as_ref().map(|c| format!(", did you mean {c:?}?")).unwrap_or_default(),
        .location,
        .expected.join(", ")
    )]
    UnknownKey {
        format: &'static str,
        key: String,
        closest: Option<String>,
        expected: Vec<String>,
        /// ` at line L column C`, as the parser placed it.
        location: String,
    },
    /// Nesting past what a State holds, refused before parsing.
    #[error("invalid state {format}: nested deeper than {limit} levels, more than a State holds")]
    TooDeep { format: &'static str, limit: usize },
}

/// How deep a State document may nest (serde_json's own limit).
pub const MAX_DEPTH: usize = 128;

impl ModelError {
    pub(crate) fn from_json(e: serde_json::Error) -> ModelError {
        let location = format!(" at line {} column {}", e.line(), e.column());
        // serde_json stops at the same depth as MAX_DEPTH, in linear time: say it as for YAML.
        if e.to_string().starts_with("recursion limit exceeded") {
            return ModelError::TooDeep {
                format: "JSON",
                limit: MAX_DEPTH,
            };
        }
        unknown_key("JSON", &e.to_string(), location).unwrap_or(ModelError::Json(e))
    }

    pub(crate) fn from_yaml(e: serde_yaml::Error) -> ModelError {
        let location = e
            .location()
            .map(|l| format!(" at line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        unknown_key("YAML", &e.to_string(), location).unwrap_or(ModelError::StateYaml(e))
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as a typed error.
fn unknown_key(format: &'static str, message: &str, location: String) -> Option<ModelError> {
    let rest = message.split("unknown field `").nth(1)?;
    let (key, rest) = rest.split_once('`')?;
    let expected: Vec<String> = rest
        .split(" at line")
        .next()
        .unwrap_or_default()
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    let closest = closest(key, &expected);
    Some(ModelError::UnknownKey {
        format,
        key: key.to_owned(),
        closest,
        expected,
        location,
    })
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a typo.
pub fn closest(word: &str, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Refuse YAML whose flow collections (`[`, `{`) nest deeper than [`MAX_DEPTH`], in one
/// linear pass that skips quoted scalars and comments. Block nesting needs indentation, so
/// a deep block document is long enough for the parser to stay linear on it.
pub(crate) fn check_yaml_depth(text: &str) -> Result<(), ModelError> {
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    let mut previous = '\n';
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                // A quoted scalar: skip to its closing quote (`''` and `\"` are escapes).
                while let Some(q) = chars.next() {
                    if c == '"' && q == '\\' {
                        chars.next();
                    } else if q == c {
                        if c == '\'' && chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            '#' if previous.is_whitespace() => {
                for q in chars.by_ref() {
                    if q == '\n' {
                        break;
                    }
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ModelError::TooDeep {
                        format: "YAML",
                        limit: MAX_DEPTH,
                    });
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_names_the_closest_field() {
        let e = crate::State::from_json(r#"{"leadr": true}"#).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("unknown key \"leadr\""), "{text}");
        assert!(text.contains("did you mean \"leader\"?"), "{text}");
        assert!(text.contains("line 1 column 8"), "{text}");
        let e = crate::State::from_yaml(
            "relations:\n  - regular: {endpoint: db, relation_id: 1, remot_app_name: x}\n",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("did you mean \"remote_app_name\"?"),
            "{e}"
        );
    }

    #[test]
    fn a_layer_value_pebble_refuses_is_named_by_its_path() {
        let yaml = "containers:\n- name: web\n  layers:\n    base:\n      services:\n        srv: {override: mrege}\n";
        let e = crate::State::from_yaml(yaml).unwrap_err();
        let e = format!("{e}: {}", std::error::Error::source(&e).unwrap());
        assert!(
            e.contains("containers['web'].layers['base'].services['srv']['override'] is \"mrege\""),
            "{e}"
        );
        // A plan's layer may leave `override` out.
        let plain = yaml.replace("{override: mrege}", "{command: srv}");
        assert!(crate::State::from_yaml(&plain).is_ok());
    }

    #[test]
    fn only_a_mapping_is_a_state() {
        for text in ["[]", "1", "\"x\"", "null"] {
            let e = crate::State::from_json(text).unwrap_err();
            assert!(e.to_string().contains("invalid state JSON"), "{e}");
        }
        assert!(crate::State::from_yaml("- a\n- b\n").is_err());
        assert!(crate::State::from_yaml("{}").is_ok());
    }

    #[test]
    fn deep_json_is_refused_at_the_same_depth() {
        let deep = format!(
            "{{\"config\": {{\"a\": {}{}}}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let e = crate::State::from_json(&deep).unwrap_err();
        assert!(
            matches!(
                e,
                ModelError::TooDeep {
                    format: "JSON",
                    limit: MAX_DEPTH
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn deep_yaml_is_refused_before_parsing() {
        let deep = format!(
            "config: {{a: {}{}}}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        // TooDeep comes only from the linear pre-scan: the parser never saw it.
        assert!(matches!(
            crate::State::from_yaml(&deep),
            Err(ModelError::TooDeep { .. })
        ));
        // Brackets inside quotes and comments do not count.
        let quoted = format!(
            "workload_version: '{}' # {}\n",
            "[".repeat(500),
            "{".repeat(500)
        );
        assert!(crate::State::from_yaml(&quoted).is_ok());
    }

    #[test]
    fn typos_are_near_and_other_words_are_not() {
        let fields: Vec<String> = ["leader", "relations", "config"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(closest("leadr", &fields).as_deref(), Some("leader"));
        assert_eq!(closest("relation", &fields).as_deref(), Some("relations"));
        assert_eq!(closest("zzz", &fields), None);
    }
}
