//! The mocked Juju hook tools: each reads or writes the output State of one run.
//!
//! The output State starts as a clone of the input (pointer copies), so each tool that
//! writes copies on write only the relation, container or secret it touches.

use std::sync::Arc;

use indexmap::IndexMap;
use scenario_model::{
    AnyRelation, Api, CharmSpec, Databag, DatabagOwner, EntityStatus, Event, Network, Port, State,
    StatusName, Value,
};

use crate::error::HookToolError;
use crate::records::{JujuLogLine, Records};
use scenario_consistency::JujuVersion;

/// Who this unit is and what Juju it runs under.
#[derive(Debug, Clone)]
pub struct UnitContext {
    pub app_name: String,
    pub unit_id: u32,
    pub juju_version: String,
    /// The API the run speaks, which decides how unset defaults read.
    pub api: Api,
    pub machine_id: Option<String>,
    pub availability_zone: Option<String>,
    pub principal_unit: Option<String>,
    /// Whether the app is trusted (`juju trust`), which `credential-get` needs.
    pub app_trusted: bool,
    /// Refuse what Juju refuses even where the original library let it pass.
    pub strict: bool,
}

impl UnitContext {
    /// Unit `<app_name>/<unit_id>` under `juju_version`, speaking the default API.
    pub fn new(app_name: impl Into<String>, unit_id: u32, juju_version: impl Into<String>) -> Self {
        UnitContext {
            app_name: app_name.into(),
            unit_id,
            juju_version: juju_version.into(),
            api: Api::default(),
            machine_id: None,
            availability_zone: None,
            principal_unit: None,
            app_trusted: false,
            strict: false,
        }
    }

    /// Whether this Juju version is at least `major.minor.patch`.
    pub fn juju_at_least(&self, major: u32, minor: u32, patch: u32) -> bool {
        JujuVersion::parse(&self.juju_version)
            .is_ok_and(|v| v >= JujuVersion::new(major, minor, patch))
    }

    pub fn unit_name(&self) -> String {
        format!("{}/{}", self.app_name, self.unit_id)
    }

    /// Application databags exist from Juju 2.7 on.
    pub fn has_app_data(&self) -> bool {
        JujuVersion::parse(&self.juju_version).is_ok_and(|v| v.at_least(2, 7))
    }
}

/// The hook tools of one run, over the output State they build (`R`: what `action-set`
/// records per key, see [`Records`]).
#[derive(Debug)]
pub struct HookTools<R = Value> {
    pub state: State,
    pub event: Event,
    pub spec: Arc<CharmSpec>,
    pub unit: UnitContext,
    pub records: Records<R>,
    /// What Juju would refuse that the original library let pass, said once per call
    /// (the session turns each into a `JujuStricterWarning`).
    pub stricter: Vec<HookToolError>,
    /// Container name to the locations of its mounts the charm removed this run (files
    /// mounted alone: see `scenario_pebble::ContainerFs::unmounted`).
    pub unmounted: IndexMap<String, Vec<String>>,
}

/// A member of a relation a databag belongs to, as ops names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member<'a> {
    /// An application name (`is_app`).
    App(&'a str),
    /// A unit name, `app/N`.
    Unit(&'a str),
}

fn unit_id_of(unit_name: &str) -> Option<u32> {
    unit_name.rsplit_once('/')?.1.parse().ok()
}

/// Juju's (and Scenario 8's) documentation-range address for a binding with no `Network`.
fn default_network(name: &str) -> Network {
    Network::default_for(
        name,
        "192.0.2.0",
        "",
        "192.0.2.0/24",
        "eth0",
        None,
        vec!["192.0.2.0/24".to_owned()],
        vec!["192.0.2.0".to_owned()],
    )
}

impl<R> HookTools<R> {
    pub fn new(state: State, event: Event, spec: Arc<CharmSpec>, unit: UnitContext) -> Self {
        HookTools {
            state,
            event,
            spec,
            unit,
            records: Records::default(),
            stricter: Vec::new(),
            unmounted: IndexMap::new(),
        }
    }

    /// Something Juju refuses but the original library let pass: the error in strict mode;
    /// otherwise it goes on, remembered for a warning.
    pub fn stricter(&mut self, error: HookToolError) -> Result<(), HookToolError> {
        if self.unit.strict {
            return Err(error);
        }
        self.stricter.push(error);
        Ok(())
    }

    fn is_action(&self) -> bool {
        self.event.action.is_some()
    }

    // --- leadership, config, status -------------------------------------------------------

    pub fn is_leader(&self) -> bool {
        self.state.leader
    }

    /// `config-get`: the State's config over the defaults of config.yaml.
    ///
    /// As Scenario 5 did, a Scenario 5 run also writes the defaults read into the output
    /// State's config, since its suites assert on that; `ops[testing]` leaves it alone.
    pub fn config_get(&mut self) -> IndexMap<String, Value> {
        let mut merged: IndexMap<String, Value> = IndexMap::new();
        for option in self.spec.config_options() {
            if let Some(default) = option.default {
                if !self.state.config.contains_key(option.name) {
                    merged.insert(option.name.to_owned(), json_to_value(default));
                }
            }
        }
        if merged.is_empty() {
            return (*self.state.config).clone();
        }
        if self.unit.api == Api::Scenario8 {
            let mut config = (*self.state.config).clone();
            config.extend(merged);
            return config;
        }
        let config = Arc::make_mut(&mut self.state.config);
        for (k, v) in merged {
            config.insert(k, v);
        }
        config.clone()
    }

    pub fn status_get(&self, is_app: bool) -> Result<EntityStatus, HookToolError> {
        if is_app && !self.state.leader {
            return Err(HookToolError::NotLeader {
                tool: "status-get --application",
            });
        }
        Ok(if is_app {
            self.state.app_status.clone()
        } else {
            self.state.unit_status.clone()
        })
    }

    /// `status-set`: records the status being replaced, then sets the new one.
    pub fn status_set(
        &mut self,
        status: &str,
        message: &str,
        is_app: bool,
    ) -> Result<(), HookToolError> {
        let name = StatusName::parse(status)
            .filter(|s| !matches!(s, StatusName::Error | StatusName::Unknown))
            .ok_or_else(|| HookToolError::InvalidStatus {
                status: status.to_owned(),
            })?;
        if is_app && !self.state.leader {
            return Err(HookToolError::NotLeader {
                tool: "status-set --application",
            });
        }
        let new = EntityStatus::new(name, message);
        let (current, history) = if is_app {
            (
                &mut self.state.app_status,
                &mut self.records.app_status_history,
            )
        } else {
            (
                &mut self.state.unit_status,
                &mut self.records.unit_status_history,
            )
        };
        history.push(std::mem::replace(current, new));
        Ok(())
    }

    pub fn application_version_set(&mut self, version: &str) {
        let previous = std::mem::replace(&mut self.state.workload_version, version.to_owned());
        if !previous.is_empty() {
            self.records.workload_version_history.push(previous);
        }
    }

    /// Record a command the charm ran in `container` (see [`Records::exec_history`]).
    pub fn record_exec(&mut self, container: &str, args: R) {
        self.records
            .exec_history
            .entry(container.to_owned())
            .or_default()
            .push(args);
    }

    pub fn juju_log(&mut self, level: &str, message: &str) {
        self.records.juju_log.push(JujuLogLine {
            level: level.to_owned(),
            message: message.to_owned(),
        });
    }

    // --- relations ------------------------------------------------------------------------

    fn relation(&self, relation_id: u32) -> Result<&AnyRelation, HookToolError> {
        self.state
            .relation(relation_id)
            .ok_or(HookToolError::RelationNotFound { relation_id })
    }

    /// `relation-ids <endpoint>`: the ids of the State's relations on the endpoint.
    pub fn relation_ids(&self, endpoint: &str) -> Vec<u32> {
        self.state
            .relations
            .iter()
            .filter(|r| r.endpoint() == endpoint)
            .map(AnyRelation::relation_id)
            .collect()
    }

    /// `relation-list -r <id>`: the remote units (for a peer relation, the other units of
    /// this app: Juju never lists the unit itself).
    pub fn relation_list(&self, relation_id: u32) -> Result<Vec<String>, HookToolError> {
        let relation = self.relation(relation_id)?;
        let api = self.unit.api;
        Ok(match relation {
            // Scenario 5.8.1 listed its default peer 0 even when it was this unit.
            AnyRelation::Peer(p) if api == Api::Scenario5 && p.peers_data.is_unset() => {
                vec![format!("{}/0", self.unit.app_name)]
            }
            AnyRelation::Peer(p) => p
                .peers_data
                .get(api)
                .keys()
                .filter(|id| **id != self.unit.unit_id)
                .map(|id| format!("{}/{id}", self.unit.app_name))
                .collect(),
            AnyRelation::Regular(r) => r
                .remote_units_data
                .get(api)
                .keys()
                .map(|id| format!("{}/{id}", r.remote_app_name))
                .collect(),
            AnyRelation::Subordinate(s) => vec![s.remote_unit_name()],
        })
    }

    /// `relation-model-get`: the uuid of the model the relation's remote app is in (its
    /// `remote_model_uuid`, else this model's). Juju has it from 3.6.2.
    pub fn relation_model_get(&self, relation_id: u32) -> Result<String, HookToolError> {
        if self.unit.api == Api::Scenario8 && !self.unit.juju_at_least(3, 6, 2) {
            return Err(HookToolError::NeedsJuju {
                feature: "Relation.remote_model",
                version: "3.6.2",
            });
        }
        let relation = self.relation(relation_id)?;
        Ok(match relation {
            AnyRelation::Regular(r) => r.remote_model_uuid.clone(),
            _ => None,
        }
        .unwrap_or_else(|| self.state.model.uuid.clone()))
    }

    /// `credential-get`: the model's cloud spec, for a trusted app.
    pub fn credential_get(&self) -> Result<scenario_model::CloudSpec, HookToolError> {
        if !self.unit.app_trusted {
            return Err(HookToolError::NotTrusted);
        }
        self.state
            .model
            .cloud_spec
            .clone()
            .ok_or(HookToolError::NoCloudSpec)
    }

    /// The remote application of a relation; this app for a peer relation.
    pub fn relation_remote_app_name(&self, relation_id: u32) -> Option<String> {
        let relation = self.state.relation(relation_id)?;
        Some(
            relation
                .remote_app_name()
                .map_or_else(|| self.unit.app_name.clone(), str::to_owned),
        )
    }

    fn databag_owner(
        &self,
        relation: &AnyRelation,
        member: &Member<'_>,
    ) -> Result<DatabagOwner, HookToolError> {
        let relation_id = relation.relation_id();
        match *member {
            Member::App(app) if app == self.unit.app_name => Ok(DatabagOwner::LocalApp),
            Member::App(app) => match relation.remote_app_name() {
                Some(remote) if remote == app => Ok(DatabagOwner::RemoteApp),
                _ => Err(HookToolError::NotARelationMember {
                    relation_id,
                    member: app.to_owned(),
                }),
            },
            Member::Unit(unit) if unit == self.unit.unit_name() => Ok(DatabagOwner::LocalUnit),
            Member::Unit(unit) => {
                let (app, _) = unit.split_once('/').unwrap_or((unit, ""));
                let remote_app = relation.remote_app_name().unwrap_or(&self.unit.app_name);
                let id = unit_id_of(unit)
                    .filter(|_| app == remote_app)
                    .ok_or_else(|| HookToolError::NotARelationMember {
                        relation_id,
                        member: unit.to_owned(),
                    })?;
                Ok(DatabagOwner::RemoteUnit(id))
            }
        }
    }

    /// `relation-get`: a copy of one databag.
    pub fn relation_get(
        &self,
        relation_id: u32,
        member: &Member<'_>,
    ) -> Result<Databag, HookToolError> {
        if matches!(member, Member::App(_)) && !self.unit.has_app_data() {
            return Err(HookToolError::AppDataUnsupported {
                verb: "getting",
                version: self.unit.juju_version.clone(),
            });
        }
        let relation = self.relation(relation_id)?;
        let owner = self.databag_owner(relation, member)?;
        relation
            .databag(owner, self.unit.api)
            .map(std::borrow::Cow::into_owned)
            .ok_or_else(|| {
                let name = match member {
                    Member::App(n) | Member::Unit(n) => (*n).to_owned(),
                };
                HookToolError::NotARelationMember {
                    relation_id,
                    member: name,
                }
            })
    }

    /// `relation-set`: write this unit's (or, for the leader, this app's) databag. An empty
    /// value deletes the key, as in Juju.
    pub fn relation_set(
        &mut self,
        relation_id: u32,
        data: &[(String, String)],
        is_app: bool,
    ) -> Result<(), HookToolError> {
        if is_app && !self.unit.has_app_data() {
            return Err(HookToolError::AppDataUnsupported {
                verb: "setting",
                version: self.unit.juju_version.clone(),
            });
        }
        self.relation(relation_id)?;
        if is_app && !self.state.leader {
            return Err(HookToolError::PermissionDenied {
                what: format!(
                    "only the leader can write the application databag of relation {relation_id}"
                ),
            });
        }
        let relation = self
            .state
            .relation_mut(relation_id)
            .ok_or(HookToolError::RelationNotFound { relation_id })?;
        let bag = relation.local_databag_mut(is_app, self.unit.api);
        for (key, value) in data {
            if value.is_empty() {
                bag.shift_remove(key);
            } else {
                bag.insert(key.clone(), value.clone());
            }
        }
        Ok(())
    }

    /// `network-get <binding>`: the State's Network of that name, or a default one, for any
    /// endpoint, extra binding or `juju-info`.
    pub fn network_get(&self, binding: &str) -> Result<Network, HookToolError> {
        // ops[testing] has no network for a container-scoped (subordinate) endpoint, as a
        // subordinate shares its principal's; Scenario 5.8.1 answered for it.
        let endpoint_has_network = |e: &scenario_model::Endpoint<'_>| {
            e.name == binding && !(self.unit.api == Api::Scenario8 && e.container_scoped)
        };
        let declared = binding == "juju-info"
            || self.spec.endpoints().iter().any(endpoint_has_network)
            || self.spec.extra_bindings().contains(&binding);
        if !declared {
            return Err(HookToolError::BindingNotFound {
                binding: binding.to_owned(),
            });
        }
        Ok(self
            .state
            .networks
            .iter()
            .find(|n| n.name == binding)
            .cloned()
            .unwrap_or_else(|| default_network(binding)))
    }

    // --- actions ----------------------------------------------------------------------------

    pub fn action_get(&self) -> Result<IndexMap<String, Value>, HookToolError> {
        let action = self
            .event
            .action
            .as_ref()
            .ok_or(HookToolError::ActionMissing { tool: "action-get" })?;
        let mut params: IndexMap<String, Value> = IndexMap::new();
        // Juju fills in the defaults actions.yaml declares.
        if let Some(declared) = self.spec.action_params(&action.name) {
            for (name, body) in declared {
                if let Some(default) = body.get("default") {
                    params.insert(name.clone(), json_to_value(default));
                }
            }
        }
        for (k, v) in &action.params {
            params.insert(k.clone(), v.clone());
        }
        Ok(params)
    }

    /// `action-set`: as in Scenario 5, each call replaces the results set before (suites
    /// assert on that; Juju itself merges them).
    pub fn action_set(&mut self, results: IndexMap<String, R>) -> Result<(), HookToolError> {
        if !self.is_action() {
            return Err(HookToolError::ActionMissing { tool: "action-set" });
        }
        match (&mut self.records.action_results, self.unit.api) {
            // Juju (and ops[testing]) add each call's keys to the results so far; Scenario
            // 5.8.1 kept the last call's.
            (Some(so_far), Api::Scenario8) => so_far.extend(results),
            (slot, _) => *slot = Some(results),
        }
        Ok(())
    }

    pub fn action_log(&mut self, message: &str) -> Result<(), HookToolError> {
        if !self.is_action() {
            return Err(HookToolError::ActionMissing { tool: "action-log" });
        }
        self.records.action_logs.push(message.to_owned());
        Ok(())
    }

    pub fn action_fail(&mut self, message: &str) -> Result<(), HookToolError> {
        if !self.is_action() {
            return Err(HookToolError::ActionMissing {
                tool: "action-fail",
            });
        }
        self.records.action_failure = Some(message.to_owned());
        Ok(())
    }

    // --- ports, resources, storage, planned units ---------------------------------------

    pub fn open_port(&mut self, protocol: &str, port: Option<i64>) -> Result<(), HookToolError> {
        let port = Port::new(protocol, port)?;
        if !self.state.opened_ports.contains(&port) {
            Arc::make_mut(&mut self.state.opened_ports).push(port);
        }
        Ok(())
    }

    pub fn close_port(&mut self, protocol: &str, port: Option<i64>) -> Result<(), HookToolError> {
        let port = Port::new(protocol, port)?;
        if self.state.opened_ports.contains(&port) {
            Arc::make_mut(&mut self.state.opened_ports).retain(|p| *p != port);
        }
        Ok(())
    }

    pub fn opened_ports(&self) -> Vec<Port> {
        self.state.opened_ports.to_vec()
    }

    pub fn resource_get(&self, name: &str) -> Result<String, HookToolError> {
        self.state
            .resources
            .get(name)
            .cloned()
            .ok_or_else(|| HookToolError::ResourceNotFound {
                name: name.to_owned(),
            })
    }

    pub fn planned_units(&self) -> u32 {
        self.state.planned_units
    }

    pub fn storage_list(&self, name: &str) -> Vec<u32> {
        self.state
            .storage
            .iter()
            .filter(|s| s.name == name)
            .map(|s| s.index)
            .collect()
    }

    /// Check that `<name>/<index>` is attached, for `storage-get`.
    pub fn storage_exists(&self, storage_id: &str) -> Result<(String, u32), HookToolError> {
        let not_found = |reason: &str| HookToolError::StorageNotFound {
            name: storage_id.to_owned(),
            reason: reason.to_owned(),
        };
        let (name, index) = storage_id
            .split_once('/')
            .ok_or_else(|| not_found("expected <name>/<index>"))?;
        let index: u32 = index
            .parse()
            .map_err(|_| not_found("the index is not a number"))?;
        if self
            .state
            .storage
            .iter()
            .any(|s| s.name == name && s.index == index)
        {
            Ok((name.to_owned(), index))
        } else {
            Err(not_found("it is not attached: add it to State.storage"))
        }
    }

    pub fn storage_add(&mut self, name: &str, count: u32) -> Result<(), HookToolError> {
        if name.contains('/') {
            return Err(HookToolError::InvalidArgument(format!(
                "storage name {name:?} must not contain '/'"
            )));
        }
        self.records
            .requested_storages
            .insert(name.to_owned(), count);
        Ok(())
    }
}

/// A value from a YAML/JSON document (a config or param default) as a [`Value`].
pub fn json_to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN)), Value::Int),
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(json_to_value).collect()),
        serde_json::Value::Object(map) => {
            Value::str_dict(map.iter().map(|(k, v)| (k.clone(), json_to_value(v))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario_model::{PeerRelation, Relation};

    fn tools(state: State) -> HookTools {
        let spec: CharmSpec = serde_json::from_str(
            r#"{"meta": {"name": "app", "requires": {"db": {"interface": "pg"}}, "peers": {"cluster": {"interface": "c"}}, "extra-bindings": {"metrics": null}},
                "config": {"options": {"port": {"type": "int", "default": 80}, "name": {"type": "string"}}}}"#,
        )
        .unwrap();
        HookTools::new(
            state,
            Event::new("start"),
            Arc::new(spec),
            UnitContext {
                api: scenario_model::Api::Scenario5,
                ..UnitContext::new("app", 0, "3.4")
            },
        )
    }

    #[test]
    fn status_set_records_the_replaced_status() {
        let mut t = tools(State::default());
        t.status_set("maintenance", "a", false).unwrap();
        t.status_set("active", "b", false).unwrap();
        assert_eq!(t.records.unit_status_history.len(), 2);
        assert_eq!(
            t.records.unit_status_history[1],
            EntityStatus::new(StatusName::Maintenance, "a")
        );
        assert_eq!(
            t.state.unit_status,
            EntityStatus::new(StatusName::Active, "b")
        );
    }

    #[test]
    fn only_the_leader_sets_app_status_and_nobody_sets_error() {
        let mut t = tools(State::default());
        assert!(matches!(
            t.status_set("active", "", true),
            Err(HookToolError::NotLeader { .. })
        ));
        assert!(matches!(
            t.status_set("error", "", false),
            Err(HookToolError::InvalidStatus { .. })
        ));
        assert!(t.records.app_status_history.is_empty());
    }

    #[test]
    fn config_get_merges_defaults() {
        let mut t = tools(State::default());
        let cfg = t.config_get();
        assert_eq!(cfg.get("port"), Some(&Value::Int(80)));
        assert!(!cfg.contains_key("name"));
    }

    #[test]
    fn relation_set_writes_a_copy_and_empty_deletes() {
        let rel = Relation::new("db");
        let id = rel.relation_id;
        let input = State {
            relations: Arc::new(vec![rel.into()]),
            ..State::default()
        };
        let mut t = tools(input.clone());
        t.relation_set(
            id,
            &[("a".into(), "1".into()), ("b".into(), "2".into())],
            false,
        )
        .unwrap();
        t.relation_set(id, &[("a".into(), String::new())], false)
            .unwrap();
        let bag = t.relation_get(id, &Member::Unit("app/0")).unwrap();
        assert_eq!(bag, Databag::from([("b".to_owned(), "2".to_owned())]));
        assert!(
            input.relations[0]
                .databag(DatabagOwner::LocalUnit, Api::Scenario5)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_non_leader_cannot_write_app_data() {
        let rel = Relation::new("db");
        let id = rel.relation_id;
        let mut t = tools(State {
            relations: Arc::new(vec![rel.into()]),
            ..State::default()
        });
        let err = t
            .relation_set(id, &[("a".into(), "1".into())], true)
            .unwrap_err();
        assert!(matches!(err, HookToolError::PermissionDenied { .. }));
    }

    #[test]
    fn peers_do_not_list_this_unit() {
        let mut peer = PeerRelation::new("cluster");
        peer.peers_data
            .make_mut(Api::Scenario5)
            .insert(1, Databag::new());
        let id = peer.relation_id;
        let t = tools(State {
            relations: Arc::new(vec![peer.into()]),
            ..State::default()
        });
        assert_eq!(t.relation_list(id).unwrap(), vec!["app/1".to_owned()]);
        assert_eq!(t.relation_remote_app_name(id).as_deref(), Some("app"));
    }

    #[test]
    fn remote_unit_data_is_read_by_unit_name() {
        let mut rel = Relation::new("db");
        rel.remote_units_data
            .make_mut(Api::Scenario5)
            .insert(3, Databag::from([("k".to_owned(), "v".to_owned())]));
        let id = rel.relation_id;
        let t = tools(State {
            relations: Arc::new(vec![rel.into()]),
            ..State::default()
        });
        assert_eq!(
            t.relation_get(id, &Member::Unit("remote/3"))
                .unwrap()
                .get("k")
                .map(String::as_str),
            Some("v")
        );
        assert!(matches!(
            t.relation_get(id, &Member::Unit("other/3")),
            Err(HookToolError::NotARelationMember { .. })
        ));
        assert!(matches!(
            t.relation_get(id + 1000, &Member::App("remote")),
            Err(HookToolError::RelationNotFound { .. })
        ));
    }

    #[test]
    fn network_get_knows_bindings_and_defaults() {
        let t = tools(State::default());
        assert_eq!(
            t.network_get("metrics").unwrap().ingress_addresses,
            vec!["192.0.2.0".to_owned()]
        );
        assert!(t.network_get("juju-info").is_ok());
        assert!(matches!(
            t.network_get("nope"),
            Err(HookToolError::BindingNotFound { .. })
        ));
    }

    #[test]
    fn ports_open_once_and_close() {
        let mut t = tools(State::default());
        t.open_port("tcp", Some(80)).unwrap();
        t.open_port("tcp", Some(80)).unwrap();
        assert_eq!(t.opened_ports().len(), 1);
        t.close_port("tcp", Some(80)).unwrap();
        assert!(t.opened_ports().is_empty());
        assert!(matches!(
            t.open_port("tcp", None),
            Err(HookToolError::InvalidPort(_))
        ));
    }
}
