//! The charm spec: metadata, config options and actions, given as maps or loaded from a
//! charm directory (metadata.yaml, config.yaml, actions.yaml, or one charmcraft.yaml, whose
//! `extensions` are merged in by [`crate::extensions`]).
//!
//! The three documents are kept as the raw mappings the charm author wrote, so nothing a
//! newer charmcraft adds is lost; the accessors below give the parts Scenario reasons about.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::error::ModelError;
use crate::extensions::{self, ExtensionWarning};

/// The role of a relation endpoint in metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointRole {
    Requires,
    Provides,
    Peers,
}

impl EndpointRole {
    pub const ALL: [EndpointRole; 3] = [Self::Requires, Self::Provides, Self::Peers];

    pub fn key(self) -> &'static str {
        match self {
            Self::Requires => "requires",
            Self::Provides => "provides",
            Self::Peers => "peers",
        }
    }
}

/// One relation endpoint declared in metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint<'a> {
    pub name: &'a str,
    pub role: EndpointRole,
    pub interface: Option<&'a str>,
    /// `scope: container` makes it a subordinate endpoint.
    pub container_scoped: bool,
}

/// A config option declared in config.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigOption<'a> {
    pub name: &'a str,
    pub option_type: Option<&'a str>,
    pub default: Option<&'a Json>,
}

/// Metadata, config and actions of one charm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CharmSpec {
    pub meta: Map<String, Json>,
    #[serde(default)]
    pub actions: Option<Map<String, Json>>,
    #[serde(default)]
    pub config: Option<Map<String, Json>>,
    /// Whether it was read from a charm directory rather than given.
    #[serde(default)]
    pub is_autoloaded: bool,
}

/// A spec read from a charm directory, with what the reading passed over.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "the warnings are for the user to see"]
pub struct LoadedSpec {
    pub spec: CharmSpec,
    /// Unknown charmcraft extensions, left out of the spec.
    pub warnings: Vec<ExtensionWarning>,
}

/// A container's `mounts`: a list of mappings (each a `storage` and a `location`), as ops
/// reads them when it parses the metadata.
fn container_mounts(found: &mut Vec<ShapeProblem>, path: &str, body: &Json) {
    let Some(mounts) = body.get("mounts").filter(|m| !m.is_null()) else {
        return;
    };
    let Some(items) = mounts.as_array() else {
        found.push(ShapeProblem::error(
            format!("{path}['mounts']"),
            format!(
                "must be a list of mounts (each a mapping of storage and location), got {}",
                json_kind(mounts)
            ),
        ));
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            found.push(ShapeProblem::error(
                format!("{path}['mounts'][{i}]"),
                format!(
                    "must be a mapping of storage and location, got {}",
                    json_kind(item)
                ),
            ));
        }
    }
}

/// What kind of JSON value this is, for messages.
pub fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

/// A place where a spec's shape is not one charmcraft accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeProblem {
    /// Where, as Python would index it: `meta['requires']['db']['interface']`.
    pub path: String,
    pub message: String,
    /// Juju would refuse it, but the originals took it: a warning (an error in strict mode).
    pub stricter: bool,
}

impl ShapeProblem {
    fn error(path: String, message: String) -> Self {
        ShapeProblem {
            path,
            message,
            stricter: false,
        }
    }

    fn stricter(path: String, message: String) -> Self {
        ShapeProblem {
            path,
            message,
            stricter: true,
        }
    }
}

fn str_of(v: &Json) -> Option<&str> {
    v.as_str()
}

impl CharmSpec {
    pub fn new(
        meta: Map<String, Json>,
        actions: Option<Map<String, Json>>,
        config: Option<Map<String, Json>>,
    ) -> Self {
        CharmSpec {
            meta,
            actions,
            config,
            is_autoloaded: false,
        }
    }

    /// Read the spec from a charm directory: `charmcraft.yaml` when it holds the metadata
    /// (`name` plus `type: charm`), otherwise `metadata.yaml` with `config.yaml` and
    /// `actions.yaml` beside it. A charmcraft.yaml's `extensions` are merged in, as
    /// `charmcraft expand-extensions` does, before config and actions are split off; the
    /// legacy files know no extensions.
    pub fn load(charm_root: &Path) -> Result<LoadedSpec, ModelError> {
        let read = |name: &str| -> Result<Option<Map<String, Json>>, ModelError> {
            let path = charm_root.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let doc: Json =
                        serde_yaml::from_str(&text).map_err(|source| ModelError::Yaml {
                            path: path.display().to_string(),
                            source,
                        })?;
                    Ok(match doc {
                        Json::Object(map) => Some(map),
                        _ => None,
                    })
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(ModelError::Io {
                    path: path.display().to_string(),
                    source,
                }),
            }
        };
        if let Some(mut craft) = read("charmcraft.yaml")? {
            let is_charm = craft.get("type").and_then(str_of) == Some("charm");
            if is_charm && craft.contains_key("name") {
                let warnings = extensions::expand(&mut craft)?;
                let config = craft.shift_remove("config").and_then(|c| match c {
                    Json::Object(m) => Some(m),
                    _ => None,
                });
                let actions = craft.shift_remove("actions").and_then(|c| match c {
                    Json::Object(m) => Some(m),
                    _ => None,
                });
                return Ok(LoadedSpec {
                    spec: CharmSpec {
                        meta: craft,
                        actions,
                        config,
                        is_autoloaded: true,
                    },
                    warnings,
                });
            }
        }
        match read("metadata.yaml")? {
            Some(meta) if !meta.is_empty() => Ok(LoadedSpec {
                spec: CharmSpec {
                    meta,
                    actions: read("actions.yaml")?,
                    config: read("config.yaml")?,
                    is_autoloaded: true,
                },
                warnings: Vec::new(),
            }),
            _ => Err(ModelError::MetadataNotFound {
                charm_root: charm_root.display().to_string(),
            }),
        }
    }

    /// Where the spec's shape is not one charmcraft accepts: sections that must be mappings,
    /// endpoints without an interface, actions and config options that are not mappings. The
    /// consistency checker judges what the spec *says*; this judges whether it can be read at
    /// all, so a Context refuses it up front. A storage without a `type` is only
    /// [`stricter`](field@ShapeProblem::stricter): `ops[testing]` took it (its run failed in
    /// ops), and ops is given `filesystem` for it (see [`CharmSpec::meta_for_ops`]).
    pub fn shape_problems(&self) -> Vec<ShapeProblem> {
        let mut found: Vec<ShapeProblem> = Vec::new();
        let mapping = |found: &mut Vec<ShapeProblem>, path: String, value: &Json| -> bool {
            if value.is_object() {
                true
            } else {
                found.push(ShapeProblem::error(
                    path,
                    format!("must be a mapping, got {}", json_kind(value)),
                ));
                false
            }
        };
        match self.meta.get("name") {
            Some(Json::String(_)) | None => {}
            Some(other) => found.push(ShapeProblem::error(
                "meta['name']".to_owned(),
                format!("must be a string, got {}", json_kind(other)),
            )),
        }
        for section in ["requires", "provides", "peers"] {
            let Some(value) = self.meta.get(section) else {
                continue;
            };
            if !mapping(&mut found, format!("meta['{section}']"), value) {
                continue;
            }
            for (name, body) in value.as_object().into_iter().flatten() {
                let path = format!("meta['{section}']['{name}']");
                if !mapping(&mut found, path.clone(), body) {
                    continue;
                }
                if !body.get("interface").is_some_and(Json::is_string) {
                    found.push(ShapeProblem::error(
                        format!("{path}['interface']"),
                        "must name the endpoint's interface (a string)".to_owned(),
                    ));
                }
            }
        }
        for section in ["containers", "storage", "resources", "extra-bindings"] {
            let Some(value) = self.meta.get(section) else {
                continue;
            };
            if section != "extra-bindings"
                && mapping(&mut found, format!("meta['{section}']"), value)
            {
                for (name, body) in value.as_object().into_iter().flatten() {
                    let path = format!("meta['{section}']['{name}']");
                    // `containers: {workload: }` (null) is a container with nothing to say,
                    // and a storage as null one with no type.
                    let empty_allowed = matches!(section, "containers" | "storage");
                    let is_mapping = (empty_allowed && body.is_null())
                        || mapping(&mut found, path.clone(), body);
                    if is_mapping && section == "containers" {
                        container_mounts(&mut found, &path, body);
                    }
                    if !is_mapping || !matches!(section, "storage" | "resources") {
                        continue;
                    }
                    if body.get("type").is_some_and(Json::is_string) {
                        continue;
                    }
                    let path = format!("{path}['type']");
                    let message = "must name its type (a string)".to_owned();
                    found.push(if section == "storage" {
                        ShapeProblem::stricter(path, message)
                    } else {
                        // ops reads a resource's type without a default.
                        ShapeProblem::error(path, message)
                    });
                }
            } else if section == "extra-bindings" && !(value.is_object() || value.is_null()) {
                mapping(&mut found, format!("meta['{section}']"), value);
            }
        }
        for (name, body) in self.actions.iter().flatten() {
            let path = format!("actions['{name}']");
            if body.is_null() {
                continue;
            }
            if mapping(&mut found, path.clone(), body) {
                if let Some(params) = body.get("params") {
                    mapping(&mut found, format!("{path}['params']"), params);
                }
            }
        }
        if let Some(config) = &self.config {
            if let Some(options) = config.get("options") {
                if mapping(&mut found, "config['options']".to_owned(), options) {
                    for (name, body) in options.as_object().into_iter().flatten() {
                        mapping(&mut found, format!("config['options']['{name}']"), body);
                    }
                }
            }
        }
        found
    }

    /// The files a charm directory holds for this spec, as the charm's code may read them:
    /// `metadata.yaml`, `config.yaml` and `actions.yaml`, each as YAML text.
    pub fn files(&self) -> Result<[(&'static str, String); 3], serde_yaml::Error> {
        let empty = Map::new();
        Ok([
            ("metadata.yaml", serde_yaml::to_string(&self.meta)?),
            (
                "config.yaml",
                serde_yaml::to_string(self.config.as_ref().unwrap_or(&empty))?,
            ),
            (
                "actions.yaml",
                serde_yaml::to_string(self.actions.as_ref().unwrap_or(&empty))?,
            ),
        ])
    }

    /// The metadata ops is given to parse: the spec's, with `type: filesystem` for a
    /// storage that names none (see [`CharmSpec::shape_problems`]); `None` when the spec's
    /// own will do.
    pub fn meta_for_ops(&self) -> Option<Map<String, Json>> {
        let storage = self.meta.get("storage")?.as_object()?;
        let untyped = |body: &Json| !body.get("type").is_some_and(Json::is_string);
        if !storage
            .values()
            .any(|b| b.is_null() || (b.is_object() && untyped(b)))
        {
            return None;
        }
        let mut meta = self.meta.clone();
        if let Some(Json::Object(storage)) = meta.get_mut("storage") {
            for body in storage.values_mut() {
                if body.is_null() {
                    *body = Json::Object(Map::new());
                }
                if let Json::Object(fields) = body {
                    if untyped(&Json::Object(fields.clone())) {
                        fields.insert("type".to_owned(), Json::String("filesystem".to_owned()));
                    }
                }
            }
        }
        Some(meta)
    }

    /// The application name from metadata.
    pub fn name(&self) -> Option<&str> {
        self.meta.get("name").and_then(str_of)
    }

    fn meta_section(&self, key: &str) -> impl Iterator<Item = (&String, &Json)> {
        self.meta
            .get(key)
            .and_then(Json::as_object)
            .into_iter()
            .flat_map(|m| m.iter())
    }

    /// The names a metadata section declares (`containers`, `storage`, `resources`...).
    pub fn meta_names(&self, section: &str) -> Vec<&str> {
        self.meta_section(section)
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// Every relation endpoint, in requires, provides, peers order.
    pub fn endpoints(&self) -> Vec<Endpoint<'_>> {
        EndpointRole::ALL
            .into_iter()
            .flat_map(|role| {
                self.meta_section(role.key())
                    .map(move |(name, body)| Endpoint {
                        name,
                        role,
                        interface: body.get("interface").and_then(str_of),
                        container_scoped: body.get("scope").and_then(str_of) == Some("container"),
                    })
            })
            .collect()
    }

    pub fn endpoint(&self, name: &str) -> Option<Endpoint<'_>> {
        self.endpoints().into_iter().find(|e| e.name == name)
    }

    /// The names of the declared workload containers.
    pub fn containers(&self) -> Vec<&str> {
        self.meta_section("containers")
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// The names of the declared storages.
    pub fn storages(&self) -> Vec<&str> {
        self.meta_section("storage")
            .map(|(n, _)| n.as_str())
            .collect()
    }

    pub fn storage_is_multiple(&self, name: &str) -> bool {
        self.meta_section("storage")
            .find(|(n, _)| n.as_str() == name)
            .is_some_and(|(_, body)| body.get("multiple").is_some())
    }

    /// The names of the declared resources.
    pub fn resources(&self) -> Vec<&str> {
        self.meta_section("resources")
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// The names of the declared extra bindings.
    pub fn extra_bindings(&self) -> Vec<&str> {
        self.meta_section("extra-bindings")
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// The options of config.yaml (`options:` may be omitted in charmcraft.yaml style).
    pub fn config_options(&self) -> Vec<ConfigOption<'_>> {
        let Some(config) = &self.config else {
            return Vec::new();
        };
        let options = config
            .get("options")
            .and_then(Json::as_object)
            .into_iter()
            .flat_map(|m| m.iter());
        options
            .map(|(name, body)| ConfigOption {
                name,
                option_type: body.get("type").and_then(str_of),
                default: body.get("default"),
            })
            .collect()
    }

    pub fn config_option(&self, name: &str) -> Option<ConfigOption<'_>> {
        self.config_options().into_iter().find(|o| o.name == name)
    }

    /// The declared action called `name`.
    pub fn action(&self, name: &str) -> Option<&Map<String, Json>> {
        self.actions.as_ref()?.get(name)?.as_object()
    }

    /// The declared params of an action, by name.
    pub fn action_params(&self, name: &str) -> Option<&Map<String, Json>> {
        self.action(name)?.get("params")?.as_object()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn meta(json: serde_json::Value) -> CharmSpec {
        CharmSpec::new(json.as_object().unwrap().clone(), None, None)
    }

    #[test]
    fn container_mounts_must_be_a_list_of_mappings() {
        let paths = |spec: CharmSpec| -> Vec<String> {
            spec.shape_problems().into_iter().map(|p| p.path).collect()
        };
        let ok = meta(serde_json::json!({"name": "x", "containers": {
            "c": {"mounts": [{"storage": "data", "location": "/data"}]},
            "d": null,
            "e": {"mounts": null},
        }}));
        assert!(paths(ok).is_empty());
        let not_a_list = meta(serde_json::json!({"name": "x", "containers": {"c": {"mounts": 5}}}));
        assert_eq!(paths(not_a_list), ["meta['containers']['c']['mounts']"]);
        let not_mappings =
            meta(serde_json::json!({"name": "x", "containers": {"c": {"mounts": ["data", {}]}}}));
        assert_eq!(
            paths(not_mappings),
            ["meta['containers']['c']['mounts'][0]"]
        );
    }

    #[test]
    fn charmcraft_yaml_carries_config_and_actions() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(
            dir,
            "charmcraft.yaml",
            "type: charm\nname: foo\nsummary: s\ndescription: d\n\
             config:\n  options:\n    port: {type: int, default: 80}\n\
             actions:\n  backup: {}\nrequires:\n  db: {interface: pg}\n",
        );
        let spec = CharmSpec::load(dir).unwrap().spec;
        assert_eq!(spec.name(), Some("foo"));
        assert!(spec.is_autoloaded);
        assert!(spec.action("backup").is_some());
        assert_eq!(spec.config_option("port").unwrap().option_type, Some("int"));
        assert!(!spec.meta.contains_key("config"));
        assert_eq!(spec.endpoint("db").unwrap().interface, Some("pg"));
    }

    #[test]
    fn legacy_files_are_read_when_charmcraft_has_no_metadata() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(dir, "charmcraft.yaml", "type: charm\nbases: []\n");
        write(
            dir,
            "metadata.yaml",
            "name: bar\npeers:\n  cluster: {interface: c}\n",
        );
        let spec = CharmSpec::load(dir).unwrap().spec;
        assert_eq!(spec.name(), Some("bar"));
        assert_eq!(spec.endpoints()[0].role, EndpointRole::Peers);
        assert!(spec.config.is_none());
    }

    #[test]
    fn charmcraft_yaml_extensions_are_merged_before_config_and_actions_are_split_off() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(
            dir,
            "charmcraft.yaml",
            "type: charm\nname: web\nextensions: [flask-framework, mystery]\n\
             config:\n  options:\n    colour: {type: string}\n",
        );
        let LoadedSpec { spec, warnings } = CharmSpec::load(dir).unwrap();
        assert_eq!(
            warnings,
            [ExtensionWarning::Unknown {
                name: "mystery".to_owned()
            }]
        );
        assert!(!spec.meta.contains_key("extensions"));
        assert!(!spec.meta.contains_key("config"));
        assert_eq!(spec.containers(), ["flask-app"]);
        assert_eq!(
            spec.config_option("flask-debug").unwrap().option_type,
            Some("boolean")
        );
        assert!(spec.config_option("colour").is_some());
        assert!(spec.action("rotate-secret-key").is_some());
        assert_eq!(
            spec.endpoint("ingress").unwrap().role,
            EndpointRole::Requires
        );
    }

    #[test]
    fn an_overlap_with_an_extension_is_a_typed_error() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(
            dir,
            "charmcraft.yaml",
            "type: charm\nname: web\nextensions: [go-framework]\n\
             actions:\n  rotate-secret-key: {}\n",
        );
        let err = CharmSpec::load(dir).unwrap_err();
        assert!(
            matches!(
                err,
                ModelError::Extension(crate::ExtensionError::Overlap { .. })
            ),
            "{err}"
        );
    }

    #[test]
    fn legacy_metadata_yaml_knows_no_extensions() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(
            dir,
            "metadata.yaml",
            "name: old\nextensions: [flask-framework]\n",
        );
        let LoadedSpec { spec, warnings } = CharmSpec::load(dir).unwrap();
        assert!(warnings.is_empty());
        assert!(spec.containers().is_empty());
        assert_eq!(
            spec.meta["extensions"],
            serde_json::json!(["flask-framework"])
        );
    }

    #[test]
    fn no_metadata_is_a_typed_error() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let err = CharmSpec::load(dir).unwrap_err();
        assert!(matches!(err, ModelError::MetadataNotFound { .. }), "{err}");
    }
}
