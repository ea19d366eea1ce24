//! Charmcraft extensions: what `extensions: [flask-framework]` in a charmcraft.yaml adds to
//! the charm's metadata, config options and actions, merged in as `charmcraft
//! expand-extensions` would before the charm is packed.
//!
//! The facts are data: each known extension is the charmcraft.yaml fragment it contributes
//! (`extensions/<name>.yaml`, embedded at build time). The merge follows charmcraft: the
//! extension's entries come first and the charm's own after them; lists (`assumes`) are
//! joined without repeats; a name the charm declares in a mapping the extension also fills
//! (an endpoint, a container, a config option, an action) is refused, as `charmcraft pack`
//! refuses it. An unknown extension is passed over with a warning, returned as data for the
//! caller to show.

use std::fmt;
use std::sync::LazyLock;

use serde_json::{Map, Value as Json};
use thiserror::Error;

use crate::spec::json_kind;

/// The known extensions and their fragments, in the order charmcraft lists them.
const SOURCES: [(&str, &str); 6] = [
    (
        "django-framework",
        include_str!("extensions/django-framework.yaml"),
    ),
    (
        "expressjs-framework",
        include_str!("extensions/expressjs-framework.yaml"),
    ),
    (
        "fastapi-framework",
        include_str!("extensions/fastapi-framework.yaml"),
    ),
    (
        "flask-framework",
        include_str!("extensions/flask-framework.yaml"),
    ),
    ("go-framework", include_str!("extensions/go-framework.yaml")),
    (
        "spring-boot-framework",
        include_str!("extensions/spring-boot-framework.yaml"),
    ),
];

/// The fragments, parsed once.
static FRAGMENTS: LazyLock<Vec<(&'static str, Map<String, Json>)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(name, text)| {
            #[expect(
                clippy::expect_used,
                reason = "the fragments are embedded at build time; the unit test \
                          every_fragment_is_a_charmcraft_yaml_fragment parses each one"
            )]
            let fragment = serde_yaml::from_str(text).expect("an embedded extension parses");
            (*name, fragment)
        })
        .collect()
});

/// The names of the extensions this package knows.
pub fn known() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(name, _)| *name)
}

/// The charmcraft.yaml fragment an extension contributes, if it is one this package knows.
pub fn fragment(name: &str) -> Option<&'static Map<String, Json>> {
    FRAGMENTS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, fragment)| fragment)
}

/// Something the expansion passed over, for the caller to warn of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionWarning {
    /// An extension this package does not know: nothing of it is merged.
    Unknown { name: String },
}

impl fmt::Display for ExtensionWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown { name } => write!(
                f,
                "Unknown charmcraft extension '{name}' in charmcraft.yaml; ignoring: nothing \
                 of it is merged into the charm's spec (the extensions known here are {})",
                known().collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Names declared twice: in one section (`requires`, `config.options`, `actions`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub section: String,
    pub names: Vec<String>,
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.names.iter().map(|n| format!("'{n}'")).collect();
        write!(f, "{} in {}", names.join(", "), self.section)
    }
}

fn clashes_text(clashes: &[Clash]) -> String {
    clashes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Why a charmcraft.yaml's extensions cannot be merged into it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExtensionError {
    #[error("charmcraft.yaml's extensions must be a list of extension names, got {found}")]
    NotAList { found: &'static str },
    #[error("charmcraft.yaml's extensions[{index}] must be an extension name, got {found}")]
    NotAName { index: usize, found: &'static str },
    #[error("charmcraft.yaml names the {extension} extension twice")]
    Repeated { extension: String },
    /// The charm declares what the extension adds (`charmcraft pack` refuses it too).
    #[error(
        "overlapping keys {} of charmcraft.yaml which conflict with the {extension} extension \
         (which adds them): rename or remove {}",
        clashes_text(.clashes),
        if .clashes.len() == 1 && .clashes[0].names.len() == 1 { "it" } else { "them" }
    )]
    Overlap {
        extension: String,
        clashes: Vec<Clash>,
    },
    /// Two extensions add the same names.
    #[error(
        "the {extension} extension adds {}, which the {earlier} extension adds too: use one of them",
        clashes_text(.clashes)
    )]
    Conflict {
        extension: String,
        earlier: String,
        clashes: Vec<Clash>,
    },
    /// A section of the charm's that the extension adds to is not the kind it adds.
    #[error(
        "charmcraft.yaml's {key} is {found}, but the {extension} extension adds {expected} to it"
    )]
    Mismatch {
        extension: String,
        key: String,
        expected: &'static str,
        found: &'static str,
    },
}

/// Take `extensions` out of a charmcraft.yaml document and merge each extension it names
/// into the document, in order. The document keeps `config` and `actions` as charmcraft.yaml
/// has them; the caller splits them off after.
///
/// A section the charm leaves empty (`requires:` with nothing, or `null`) counts as absent,
/// as charmcraft reads it.
pub fn expand(doc: &mut Map<String, Json>) -> Result<Vec<ExtensionWarning>, ExtensionError> {
    let names = match doc.shift_remove("extensions") {
        None | Some(Json::Null) => return Ok(Vec::new()),
        Some(Json::Array(items)) => items,
        Some(other) => {
            return Err(ExtensionError::NotAList {
                found: json_kind(&other),
            });
        }
    };
    let mut warnings = Vec::new();
    let mut applied: Vec<(&'static str, &'static Map<String, Json>)> = Vec::new();
    for (index, item) in names.iter().enumerate() {
        let Json::String(name) = item else {
            return Err(ExtensionError::NotAName {
                index,
                found: json_kind(item),
            });
        };
        let Some((known, fragment)) = FRAGMENTS.iter().find(|(known, _)| *known == name.as_str())
        else {
            warnings.push(ExtensionWarning::Unknown { name: name.clone() });
            continue;
        };
        if applied.iter().any(|(earlier, _)| earlier == known) {
            return Err(ExtensionError::Repeated {
                extension: name.clone(),
            });
        }
        // What an earlier extension added is named as its, not as the charm's.
        for (earlier, earlier_fragment) in &applied {
            let clashes = clashes(earlier_fragment, fragment);
            if !clashes.is_empty() {
                return Err(ExtensionError::Conflict {
                    extension: name.clone(),
                    earlier: (*earlier).to_owned(),
                    clashes,
                });
            }
        }
        let clashes = clashes(doc, fragment);
        if !clashes.is_empty() {
            return Err(ExtensionError::Overlap {
                extension: name.clone(),
                clashes,
            });
        }
        merge(doc, known, fragment)?;
        applied.push((known, fragment));
    }
    Ok(warnings)
}

/// The mappings of a fragment whose names may not be declared twice, with their section's
/// name in messages: every top-level mapping, but under `config` its `options`.
fn named_sections(fragment: &Map<String, Json>) -> Vec<(String, Vec<&str>, &Map<String, Json>)> {
    let mut sections = Vec::new();
    for (key, value) in fragment {
        let Json::Object(body) = value else { continue };
        if key == "config" {
            if let Some(Json::Object(options)) = body.get("options") {
                sections.push((
                    "config.options".to_owned(),
                    vec!["config", "options"],
                    options,
                ));
            }
        } else {
            sections.push((key.clone(), vec![key.as_str()], body));
        }
    }
    sections
}

/// Follow `path` through nested mappings of `doc`.
fn lookup<'a>(doc: &'a Map<String, Json>, path: &[&str]) -> Option<&'a Map<String, Json>> {
    let (first, rest) = path.split_first()?;
    let Json::Object(inner) = doc.get(*first)? else {
        return None;
    };
    if rest.is_empty() {
        Some(inner)
    } else {
        lookup(inner, rest)
    }
}

/// The names `fragment` adds that `doc` already declares, by section.
fn clashes(doc: &Map<String, Json>, fragment: &Map<String, Json>) -> Vec<Clash> {
    named_sections(fragment)
        .into_iter()
        .filter_map(|(section, path, adds)| {
            let declared = lookup(doc, &path)?;
            let mut names: Vec<String> = adds
                .keys()
                .filter(|name| declared.contains_key(name.as_str()))
                .cloned()
                .collect();
            names.sort();
            (!names.is_empty()).then_some(Clash { section, names })
        })
        .collect()
}

/// Whether charmcraft reads this value as not given (`null`, or an empty mapping or list).
fn is_empty(value: &Json) -> bool {
    match value {
        Json::Null => true,
        Json::Object(m) => m.is_empty(),
        Json::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Merge `adds` into `doc[key]`: the extension's entries first, then the charm's.
fn merge_value(
    extension: &str,
    key: &str,
    local: Option<&Json>,
    adds: &Json,
) -> Result<Json, ExtensionError> {
    let local = match local {
        Some(value) if !is_empty(value) => value,
        _ => return Ok(adds.clone()),
    };
    match (adds, local) {
        (Json::Array(adds), Json::Array(local)) => {
            let mut merged = adds.clone();
            for item in local {
                if !merged.contains(item) {
                    merged.push(item.clone());
                }
            }
            Ok(Json::Array(merged))
        }
        // `config`: its `options` merge by name; the charm's other keys stay.
        (Json::Object(adds), Json::Object(local)) if key == "config" => {
            let mut merged = local.clone();
            for (inner, added) in adds {
                let value = merge_value(
                    extension,
                    &format!("config.{inner}"),
                    local.get(inner),
                    added,
                )?;
                merged.insert(inner.clone(), value);
            }
            Ok(Json::Object(merged))
        }
        (Json::Object(adds), Json::Object(local)) => {
            let mut merged = adds.clone();
            // The clash check has run: no name is in both.
            merged.extend(local.iter().map(|(k, v)| (k.clone(), v.clone())));
            Ok(Json::Object(merged))
        }
        (adds, local) => Err(ExtensionError::Mismatch {
            extension: extension.to_owned(),
            key: key.to_owned(),
            expected: json_kind(adds),
            found: json_kind(local),
        }),
    }
}

fn merge(
    doc: &mut Map<String, Json>,
    extension: &str,
    fragment: &Map<String, Json>,
) -> Result<(), ExtensionError> {
    for (key, adds) in fragment {
        let merged = merge_value(extension, key, doc.get(key), adds)?;
        doc.insert(key.clone(), merged);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(value: Json) -> Map<String, Json> {
        match value {
            Json::Object(map) => map,
            _ => unreachable!("a test document is a mapping"),
        }
    }

    fn flask(extra: Json) -> Map<String, Json> {
        let mut d = doc(json!({"type": "charm", "name": "web", "extensions": ["flask-framework"]}));
        d.extend(doc(extra));
        d
    }

    #[test]
    fn every_fragment_is_a_charmcraft_yaml_fragment() {
        let sections = [
            "assumes",
            "containers",
            "peers",
            "provides",
            "requires",
            "resources",
            "config",
            "actions",
        ];
        for name in known() {
            let fragment = fragment(name).unwrap();
            for (key, value) in fragment {
                assert!(sections.contains(&key.as_str()), "{name}: {key}");
                assert!(value.is_object() || value.is_array(), "{name}: {key}");
            }
            // Every endpoint names its interface, every option its type.
            for role in ["requires", "provides", "peers"] {
                for (endpoint, body) in fragment[role].as_object().unwrap() {
                    assert!(body["interface"].is_string(), "{name}: {endpoint}");
                }
            }
            for (option, body) in fragment["config"]["options"].as_object().unwrap() {
                assert!(body["type"].is_string(), "{name}: {option}");
            }
            // Each container's resource is one the extension declares.
            for (container, body) in fragment["containers"].as_object().unwrap() {
                let resource = body["resource"].as_str().unwrap();
                assert!(
                    fragment["resources"].get(resource).is_some(),
                    "{name}: {container}"
                );
            }
            assert!(fragment["actions"].get("rotate-secret-key").is_some());
        }
    }

    #[test]
    fn the_flask_extension_adds_its_metadata_config_and_actions() {
        let mut d = flask(json!({}));
        assert_eq!(expand(&mut d), Ok(Vec::new()));
        assert!(!d.contains_key("extensions"));
        assert_eq!(d["assumes"], json!(["k8s-api"]));
        assert_eq!(d["containers"]["flask-app"]["resource"], "flask-app-image");
        assert_eq!(
            d["requires"]["ingress"],
            json!({"interface": "ingress", "limit": 1})
        );
        assert_eq!(d["peers"]["secret-storage"]["interface"], "secret-storage");
        assert_eq!(d["resources"]["flask-app-image"]["type"], "oci-image");
        let options = d["config"]["options"].as_object().unwrap();
        assert_eq!(options["flask-preferred-url-scheme"]["default"], "HTTPS");
        assert_eq!(options["webserver-workers"]["type"], "int");
        assert!(d["actions"].get("rotate-secret-key").is_some());
    }

    #[test]
    fn the_extension_comes_first_and_the_charm_s_own_after() {
        let mut d = flask(json!({
            "assumes": ["juju >= 3.1", "k8s-api"],
            "requires": {"db": {"interface": "pg"}},
            "config": {"options": {"colour": {"type": "string"}}, "other": 1},
            "actions": {"backup": {}},
        }));
        expand(&mut d).unwrap();
        // Lists are joined without repeating what both have.
        assert_eq!(d["assumes"], json!(["k8s-api", "juju >= 3.1"]));
        let requires: Vec<&String> = d["requires"].as_object().unwrap().keys().collect();
        assert_eq!(requires, ["ingress", "logging", "db"]);
        let options = d["config"]["options"].as_object().unwrap();
        assert_eq!(options.keys().next_back().unwrap(), "colour");
        assert!(options.contains_key("flask-debug"));
        assert_eq!(d["config"]["other"], 1);
        let actions: Vec<&String> = d["actions"].as_object().unwrap().keys().collect();
        assert_eq!(actions, ["rotate-secret-key", "backup"]);
    }

    #[test]
    fn empty_sections_count_as_absent() {
        let mut d = flask(json!({"requires": null, "config": null, "actions": {}, "assumes": []}));
        expand(&mut d).unwrap();
        assert!(d["requires"].get("ingress").is_some());
        assert!(d["config"]["options"].get("flask-debug").is_some());
        assert!(d["actions"].get("rotate-secret-key").is_some());
        assert_eq!(d["assumes"], json!(["k8s-api"]));
    }

    #[test]
    fn what_the_charm_declares_and_the_extension_adds_is_refused() {
        let mut d = flask(json!({
            "requires": {"ingress": {"interface": "mine"}, "logging": {"interface": "x"}},
            "config": {"options": {"flask-debug": {"type": "boolean"}}},
            "actions": {"rotate-secret-key": {}, "mine": {}},
        }));
        let err = expand(&mut d).unwrap_err();
        assert_eq!(
            err,
            ExtensionError::Overlap {
                extension: "flask-framework".to_owned(),
                clashes: vec![
                    Clash {
                        section: "requires".to_owned(),
                        names: vec!["ingress".to_owned(), "logging".to_owned()],
                    },
                    Clash {
                        section: "config.options".to_owned(),
                        names: vec!["flask-debug".to_owned()],
                    },
                    Clash {
                        section: "actions".to_owned(),
                        names: vec!["rotate-secret-key".to_owned()],
                    },
                ],
            }
        );
        assert_eq!(
            err.to_string(),
            "overlapping keys 'ingress', 'logging' in requires and 'flask-debug' in \
             config.options and 'rotate-secret-key' in actions of charmcraft.yaml which \
             conflict with the flask-framework extension (which adds them): rename or remove \
             them"
        );
        let mut one = flask(json!({"containers": {"flask-app": {}}}));
        assert_eq!(
            expand(&mut one).unwrap_err().to_string(),
            "overlapping keys 'flask-app' in containers of charmcraft.yaml which conflict \
             with the flask-framework extension (which adds them): rename or remove it"
        );
    }

    #[test]
    fn an_unknown_extension_is_passed_over_with_a_warning() {
        let mut d = doc(json!({"name": "x", "extensions": ["nope", "go-framework"]}));
        let warnings = expand(&mut d).unwrap();
        assert_eq!(
            warnings,
            [ExtensionWarning::Unknown {
                name: "nope".to_owned()
            }]
        );
        let text = warnings[0].to_string();
        assert!(
            text.starts_with("Unknown charmcraft extension 'nope'"),
            "{text}"
        );
        assert!(text.contains("flask-framework"), "{text}");
        // The known one after it still applies.
        assert!(d["containers"].get("app").is_some());
    }

    #[test]
    fn the_extensions_key_must_be_a_list_of_names() {
        let mut d = doc(json!({"extensions": "flask-framework"}));
        assert_eq!(
            expand(&mut d),
            Err(ExtensionError::NotAList { found: "a string" })
        );
        let mut d = doc(json!({"extensions": ["go-framework", {"name": "x"}]}));
        assert_eq!(
            expand(&mut d),
            Err(ExtensionError::NotAName {
                index: 1,
                found: "a mapping"
            })
        );
        let mut d = doc(json!({"extensions": null, "name": "x"}));
        assert_eq!(expand(&mut d), Ok(Vec::new()));
        assert_eq!(d, doc(json!({"name": "x"})));
    }

    #[test]
    fn two_extensions_that_add_the_same_names_conflict() {
        let mut d = doc(json!({"extensions": ["go-framework", "fastapi-framework"]}));
        let err = expand(&mut d).unwrap_err();
        assert!(
            matches!(&err, ExtensionError::Conflict { extension, earlier, .. }
                if extension == "fastapi-framework" && earlier == "go-framework"),
            "{err}"
        );
        let mut d = doc(json!({"extensions": ["go-framework", "go-framework"]}));
        assert_eq!(
            expand(&mut d),
            Err(ExtensionError::Repeated {
                extension: "go-framework".to_owned()
            })
        );
    }

    #[test]
    fn a_section_of_another_kind_is_refused() {
        let mut d = flask(json!({"assumes": "k8s-api"}));
        assert_eq!(
            expand(&mut d),
            Err(ExtensionError::Mismatch {
                extension: "flask-framework".to_owned(),
                key: "assumes".to_owned(),
                expected: "a list",
                found: "a string",
            })
        );
        let mut d = flask(json!({"config": {"options": ["x"]}}));
        assert!(
            matches!(expand(&mut d), Err(ExtensionError::Mismatch { key, .. }) if key == "config.options")
        );
    }
}
