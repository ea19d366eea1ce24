//! The secret hook tools, with Juju's permission rules: a unit reads a secret it owns (or its
//! app owns) or was granted; only the owner changes one, and only the leader an app's.
//!
//! Where the originals let more pass than Juju does, a run of their API goes on with a
//! warning (an error in strict mode): Scenario 5.8.1 read any secret and let a non-leader
//! manage its app's; `ops[testing]` reads any secret (an unowned one counts as granted)
//! and lets a non-leader add an app secret. Where the two APIs answer differently (which
//! revision an owner reads, the first revision's number, what `secret-remove` removes),
//! the run's API decides.

use std::sync::Arc;

use indexmap::IndexMap;
use scenario_model::{Api, Databag, Secret, SecretOwner, SecretRotate};

use crate::error::HookToolError;
use crate::hook_tools::HookTools;

/// Which secret a tool is about: by id, or else by label.
#[derive(Debug, Clone, Copy)]
pub struct SecretRef<'a> {
    pub id: Option<&'a str>,
    pub label: Option<&'a str>,
}

impl SecretRef<'_> {
    fn describe(&self) -> String {
        match (self.id, self.label) {
            (Some(id), _) => format!("{id:?}"),
            (None, Some(label)) => format!("with label {label:?}"),
            (None, None) => "(no id or label given)".to_owned(),
        }
    }
}

/// What `secret-info-get` reports to the owner.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretInfo {
    pub id: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub revision: u32,
    pub expires: Option<String>,
    pub rotation: Option<SecretRotate>,
}

/// The metadata `secret-add` and `secret-set` may change.
#[derive(Debug, Clone, Default)]
pub struct SecretMeta {
    pub label: Option<String>,
    pub description: Option<String>,
    pub expire: Option<String>,
    pub rotate: Option<SecretRotate>,
}

fn latest_revision(secret: &Secret) -> u32 {
    secret
        .contents
        .keys()
        .copied()
        .max()
        .unwrap_or(secret.revision)
}

/// A fresh secret id in Juju's form: `secret:` and 20 base32 characters.
fn new_secret_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let id: String = a
        .as_bytes()
        .iter()
        .chain(b.as_bytes())
        .take(20)
        .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
        .collect();
    format!("secret:{id}")
}

impl<R> HookTools<R> {
    fn secret_index(&self, reference: SecretRef<'_>) -> Result<usize, HookToolError> {
        if self.unit.api == Api::Scenario8 && !self.unit.juju_at_least(3, 0, 2) {
            return Err(HookToolError::NeedsJuju {
                feature: "a secret",
                version: "3.0.2",
            });
        }
        if reference.id.is_none() && reference.label.is_none() {
            return Err(HookToolError::InvalidArgument(
                "a secret is looked up by id or by label: give one".to_owned(),
            ));
        }
        self.state
            .secret_index(reference.id, reference.label)
            .ok_or_else(|| HookToolError::SecretNotFound {
                reference: reference.describe(),
            })
    }

    /// Whether this unit owns the secret (directly, or as a unit of the owning app).
    fn owns(secret: &Secret) -> bool {
        secret.owner.is_some()
    }

    /// The owner's check for changing a secret: it must be owned, and an app's secret
    /// only by the leader (Scenario 5.8.1 let a non-leader through: stricter there).
    fn check_manage(&mut self, index: usize, operation: &'static str) -> Result<(), HookToolError> {
        let secret = &self.state.secrets[index];
        match secret.owner {
            None => Err(HookToolError::SecretNotOwned {
                operation,
                id: secret.id.clone(),
                api: self.unit.api,
            }),
            Some(SecretOwner::App) if !self.state.leader => match self.unit.api {
                Api::Scenario5 => self.stricter(HookToolError::NotLeader { tool: operation }),
                Api::Scenario8 => Err(HookToolError::SecretNeedsLeader {
                    operation,
                    id: secret.id.clone(),
                }),
            },
            Some(_) => Ok(()),
        }
    }

    /// The secret with this id, for a tool only its owner may use.
    fn managed_index(&mut self, id: &str, operation: &'static str) -> Result<usize, HookToolError> {
        let index = self.secret_index(SecretRef {
            id: Some(id),
            label: None,
        })?;
        self.check_manage(index, operation)?;
        Ok(index)
    }

    /// Mutable access to the secret with this id, for a tool only its owner may use.
    fn managed_secret(
        &mut self,
        id: &str,
        operation: &'static str,
    ) -> Result<&mut Secret, HookToolError> {
        let index = self.managed_index(id, operation)?;
        self.state
            .secret_mut(index)
            .ok_or_else(|| HookToolError::SecretNotFound {
                reference: id.to_owned(),
            })
    }

    /// `secret-get`: the content this unit sees: the revision it tracks, or the latest
    /// with `peek`, or it moves to the latest with `refresh`. Under `ops[testing]`, an owner
    /// always refreshes on Juju before 3.3.1 (but 3.1.7), as Juju did; with both an id and
    /// a label, the label is set.
    pub fn secret_get(
        &mut self,
        reference: SecretRef<'_>,
        mut refresh: bool,
        peek: bool,
    ) -> Result<Databag, HookToolError> {
        let index = self.secret_index(reference)?;
        let secret = &self.state.secrets[index];
        let owned = Self::owns(secret);
        match self.unit.api {
            // ops[testing]: a secret this unit does not own was granted to it.
            Api::Scenario8 => {
                let old_juju =
                    !self.unit.juju_at_least(3, 3, 1) && self.unit.juju_version != "3.1.7";
                refresh |= owned && old_juju;
            }
            Api::Scenario5 if !owned && secret.granted.is_none() => {
                let id = secret.id.clone();
                self.stricter(HookToolError::SecretAccessDenied {
                    reason: format!(
                        "secret {id} is neither owned by nor granted to this unit: set owner= or granted= on the Secret"
                    ),
                })?;
            }
            Api::Scenario5 => {}
        }
        let secret = &self.state.secrets[index];
        let latest = latest_revision(secret);
        let revision = if refresh || peek {
            latest
        } else {
            secret.revision
        };
        let content = secret.contents.get(&revision).cloned().ok_or_else(|| {
            HookToolError::SecretNotFound {
                reference: format!(
                    "{} revision {revision}: add it to Secret.contents",
                    secret.id
                ),
            }
        })?;
        let set_label = match (self.unit.api, reference) {
            (
                Api::Scenario8,
                SecretRef {
                    id: Some(_),
                    label: Some(label),
                },
            ) => (secret.label.as_deref() != Some(label)).then(|| label.to_owned()),
            _ => None,
        };
        if (refresh && secret.revision != latest) || set_label.is_some() {
            if let Some(secret) = self.state.secret_mut(index) {
                if refresh {
                    secret.revision = latest;
                }
                if let Some(label) = set_label {
                    secret.label = Some(label);
                }
            }
        }
        Ok(content)
    }

    /// `secret-info-get`: only for the owner.
    pub fn secret_info_get(
        &mut self,
        reference: SecretRef<'_>,
    ) -> Result<SecretInfo, HookToolError> {
        let index = self.secret_index(reference)?;
        self.check_manage(index, "secret-info-get")?;
        let secret = &self.state.secrets[index];
        Ok(SecretInfo {
            id: secret.id.clone(),
            label: secret.label.clone(),
            description: secret.description.clone(),
            revision: latest_revision(secret),
            expires: secret.expire.clone(),
            rotation: secret.rotate,
        })
    }

    /// `secret-set`: new content becomes a new latest revision; metadata given is updated.
    pub fn secret_set(
        &mut self,
        id: &str,
        content: Option<Databag>,
        meta: SecretMeta,
    ) -> Result<(), HookToolError> {
        let secret = self.managed_secret(id, "secret-set")?;
        if let Some(content) = content {
            let next = secret.contents.keys().copied().max().map_or(0, |r| r + 1);
            secret.contents.insert(next, content);
        }
        if meta.label.is_some() {
            secret.label = meta.label;
        }
        if meta.description.is_some() {
            secret.description = meta.description;
        }
        if meta.expire.is_some() {
            secret.expire = meta.expire;
        }
        if meta.rotate.is_some() {
            secret.rotate = meta.rotate;
        }
        Ok(())
    }

    /// `secret-add`: a new secret owned by this unit or (for the leader) this app. Its first
    /// revision is 0 under Scenario 5, 1 under `ops[testing]`, as each did.
    pub fn secret_add(
        &mut self,
        content: Databag,
        owner: SecretOwner,
        meta: SecretMeta,
    ) -> Result<String, HookToolError> {
        if owner == SecretOwner::App && !self.state.leader {
            // Neither original checked it.
            self.stricter(HookToolError::NotLeader {
                tool: "secret-add --owner application",
            })?;
        }
        let id = new_secret_id();
        let first = match self.unit.api {
            Api::Scenario5 => 0,
            Api::Scenario8 => 1,
        };
        let secret = Secret {
            id: id.clone(),
            contents: IndexMap::from([(first, content)]),
            owner: Some(owner),
            granted: None,
            revision: first,
            remote_grants: IndexMap::new(),
            label: meta.label,
            description: meta.description,
            expire: meta.expire,
            rotate: meta.rotate,
        };
        Arc::make_mut(&mut self.state.secrets).push(Arc::new(secret));
        Ok(id)
    }

    fn grantee(&self, relation_id: u32, unit: Option<&str>) -> Result<String, HookToolError> {
        let relation = self
            .state
            .relation(relation_id)
            .ok_or(HookToolError::RelationNotFound { relation_id })?;
        Ok(match unit {
            Some(unit) => unit.to_owned(),
            None => relation
                .remote_app_name()
                .unwrap_or(&self.unit.app_name)
                .to_owned(),
        })
    }

    /// The owner's access to a secret's grants on one relation, for `grantee` (the unit
    /// named, or the relation's remote app).
    fn edit_grants(
        &mut self,
        operation: &'static str,
        id: &str,
        relation_id: u32,
        unit: Option<&str>,
        edit: impl FnOnce(&mut IndexMap<u32, Vec<String>>, String),
    ) -> Result<(), HookToolError> {
        let index = self.managed_index(id, operation)?;
        let grantee = self.grantee(relation_id, unit)?;
        if let Some(secret) = self.state.secret_mut(index) {
            edit(&mut secret.remote_grants, grantee);
        }
        Ok(())
    }

    /// `secret-grant`: let the remote app (or one of its units) read the secret.
    pub fn secret_grant(
        &mut self,
        id: &str,
        relation_id: u32,
        unit: Option<&str>,
    ) -> Result<(), HookToolError> {
        self.edit_grants("secret-grant", id, relation_id, unit, |grants, grantee| {
            let on_relation = grants.entry(relation_id).or_default();
            if !on_relation.contains(&grantee) {
                on_relation.push(grantee);
            }
        })
    }

    /// `secret-revoke`: take a grant back (nothing happens if there was none).
    pub fn secret_revoke(
        &mut self,
        id: &str,
        relation_id: u32,
        unit: Option<&str>,
    ) -> Result<(), HookToolError> {
        self.edit_grants("secret-revoke", id, relation_id, unit, |grants, grantee| {
            if let Some(on_relation) = grants.get_mut(&relation_id) {
                on_relation.retain(|g| *g != grantee);
                if on_relation.is_empty() {
                    grants.shift_remove(&relation_id);
                }
            }
        })
    }

    /// `secret-remove`: one revision, or all of them.
    ///
    /// Scenario 5 takes the revision's content out of `contents` (all of it without a
    /// revision, leaving the secret with no content). `ops[testing]` records a removed
    /// revision in the Context (`removed_secret_revisions`), refuses to remove the tracked
    /// or latest one, and without a revision takes the secret out of the State.
    pub fn secret_remove(&mut self, id: &str, revision: Option<u32>) -> Result<(), HookToolError> {
        let index = self.managed_index(id, "secret-remove")?;
        if self.unit.api == Api::Scenario8 {
            match revision {
                Some(rev) => {
                    let secret = &self.state.secrets[index];
                    if rev == secret.revision || rev == latest_revision(secret) {
                        return Err(HookToolError::RemovesTrackedRevision {
                            id: id.to_owned(),
                            revision: rev,
                        });
                    }
                    self.records.removed_secret_revisions.push(rev);
                }
                None => {
                    Arc::make_mut(&mut self.state.secrets).remove(index);
                }
            }
            return Ok(());
        }
        let secret = self
            .state
            .secret_mut(index)
            .ok_or_else(|| HookToolError::SecretNotFound {
                reference: id.to_owned(),
            })?;
        match revision {
            Some(rev) => {
                if secret.contents.shift_remove(&rev).is_none() {
                    return Err(HookToolError::SecretNotFound {
                        reference: format!("{id} revision {rev}"),
                    });
                }
            }
            None => secret.contents.clear(),
        }
        Ok(())
    }

    /// `secret-ids`: the secrets this unit (or its app) owns.
    pub fn secret_ids(&self) -> Vec<String> {
        self.state
            .secrets
            .iter()
            .filter(|s| s.owner.is_some())
            .map(|s| s.canonical_id())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use scenario_model::{Api, CharmSpec, Event, Relation, State};

    use scenario_model::SecretGrant;

    use super::*;
    use crate::hook_tools::UnitContext;

    fn tools(secrets: Vec<Secret>, leader: bool) -> HookTools {
        tools_as(secrets, leader, Api::Scenario5, false)
    }

    fn tools_as(secrets: Vec<Secret>, leader: bool, api: Api, strict: bool) -> HookTools {
        let rel = Relation::new("db");
        let state = State {
            secrets: Arc::new(secrets.into_iter().map(Arc::new).collect()),
            relations: Arc::new(vec![rel.into()]),
            leader,
            ..State::default()
        };
        HookTools::new(
            state,
            Event::new("start"),
            Arc::new(CharmSpec::default()),
            UnitContext {
                api,
                strict,
                ..UnitContext::new("app", 0, "3.4")
            },
        )
    }

    fn secret(owner: Option<SecretOwner>, granted: Option<SecretGrant>) -> Secret {
        let mut s = Secret::new(
            "secret:abc",
            IndexMap::from([
                (0, Databag::from([("k".into(), "v0".into())])),
                (1, Databag::from([("k".into(), "v1".into())])),
            ]),
        );
        s.owner = owner;
        s.granted = granted;
        s
    }

    fn by_id() -> SecretRef<'static> {
        SecretRef {
            id: Some("abc"),
            label: None,
        }
    }

    #[test]
    fn an_ungranted_secret_is_readable_with_a_finding_and_refused_in_strict_mode() {
        // Scenario 5.8.1 read it: the read goes on, and Juju's refusal is remembered.
        let mut t = tools(vec![secret(None, None)], false);
        assert_eq!(t.secret_get(by_id(), false, false).unwrap()["k"], "v0");
        assert!(matches!(
            t.stricter.as_slice(),
            [HookToolError::SecretAccessDenied { .. }]
        ));
        let mut t = tools_as(vec![secret(None, None)], false, Api::Scenario5, true);
        assert!(matches!(
            t.secret_get(by_id(), false, false),
            Err(HookToolError::SecretAccessDenied { .. })
        ));
        // Under ops[testing] an unowned secret counts as granted: nothing to say.
        let mut t = tools_as(vec![secret(None, None)], false, Api::Scenario8, true);
        assert_eq!(t.secret_get(by_id(), false, false).unwrap()["k"], "v0");
        assert!(t.stricter.is_empty());
    }

    #[test]
    fn observers_read_the_tracked_revision_until_they_refresh() {
        let mut t = tools(vec![secret(None, Some(SecretGrant::Unit))], false);
        assert_eq!(t.secret_get(by_id(), false, false).unwrap()["k"], "v0");
        assert_eq!(t.secret_get(by_id(), false, true).unwrap()["k"], "v1");
        assert_eq!(t.state.secrets[0].revision, 0);
        assert_eq!(t.secret_get(by_id(), true, false).unwrap()["k"], "v1");
        assert_eq!(t.state.secrets[0].revision, 1);
    }

    #[test]
    fn owners_read_by_the_apis_rule_and_manage() {
        // Scenario 5.8.1: the tracked revision.
        let mut t = tools(vec![secret(Some(SecretOwner::Unit), None)], false);
        assert_eq!(t.secret_get(by_id(), false, false).unwrap()["k"], "v0");
        // ops[testing]: an owner refreshes on a Juju before 3.3.1, as Juju did.
        let mut old = tools_as(
            vec![secret(Some(SecretOwner::Unit), None)],
            false,
            Api::Scenario8,
            false,
        );
        old.unit.juju_version = "3.1.6".into();
        assert_eq!(old.secret_get(by_id(), false, false).unwrap()["k"], "v1");
        old.unit.juju_version = "3.4".into();
        old.state.secret_mut(0).unwrap().revision = 0;
        assert_eq!(old.secret_get(by_id(), false, false).unwrap()["k"], "v0");
        t.secret_set(
            "abc",
            Some(Databag::from([("k".into(), "v2".into())])),
            SecretMeta::default(),
        )
        .unwrap();
        assert_eq!(t.secret_info_get(by_id()).unwrap().revision, 2);
        let rid = t.state.relations[0].relation_id();
        t.secret_grant("abc", rid, None).unwrap();
        assert_eq!(
            t.state.secrets[0].remote_grants[&rid],
            vec!["remote".to_owned()]
        );
        t.secret_revoke("abc", rid, None).unwrap();
        assert!(t.state.secrets[0].remote_grants.is_empty());
        t.secret_remove("abc", Some(0)).unwrap();
        assert!(!t.state.secrets[0].contents.contains_key(&0));
    }

    #[test]
    fn only_owners_manage_and_only_leaders_manage_app_secrets() {
        let mut t = tools(vec![secret(None, Some(SecretGrant::App))], true);
        assert!(matches!(
            t.secret_info_get(by_id()),
            Err(HookToolError::SecretNotOwned { .. })
        ));
        assert!(matches!(
            t.secret_set("abc", None, SecretMeta::default()),
            Err(HookToolError::SecretNotOwned { .. })
        ));
        // A non-leader managing its app's secret: ops[testing] refuses it; Scenario 5.8.1
        // let it through (a finding; refused in strict mode).
        let mut t = tools_as(
            vec![secret(Some(SecretOwner::App), None)],
            false,
            Api::Scenario8,
            false,
        );
        assert!(matches!(
            t.secret_remove("abc", None),
            Err(HookToolError::SecretNeedsLeader { .. })
        ));
        let mut t = tools(vec![secret(Some(SecretOwner::App), None)], false);
        t.secret_remove("abc", Some(0)).unwrap();
        assert!(matches!(
            t.stricter.as_slice(),
            [HookToolError::NotLeader { .. }]
        ));
        let mut t = tools_as(
            vec![secret(Some(SecretOwner::App), None)],
            false,
            Api::Scenario5,
            true,
        );
        assert!(matches!(
            t.secret_add(Databag::new(), SecretOwner::App, SecretMeta::default()),
            Err(HookToolError::NotLeader { .. })
        ));
    }

    #[test]
    fn ops_testing_removes_a_whole_secret_and_records_old_revisions() {
        let mut owned = secret(Some(SecretOwner::Unit), None);
        owned
            .contents
            .insert(2, Databag::from([("k".into(), "v2".into())]));
        let mut t = tools_as(vec![owned], false, Api::Scenario8, false);
        assert!(matches!(
            t.secret_remove("abc", Some(2)),
            Err(HookToolError::RemovesTrackedRevision { revision: 2, .. })
        ));
        t.secret_remove("abc", Some(1)).unwrap();
        assert_eq!(t.records.removed_secret_revisions, [1]);
        t.secret_remove("abc", None).unwrap();
        assert!(t.state.secrets.is_empty());
    }

    #[test]
    fn added_secrets_are_owned_and_listed() {
        let mut t = tools(vec![], false);
        let id = t
            .secret_add(
                Databag::from([("a".into(), "b".into())]),
                SecretOwner::Unit,
                SecretMeta::default(),
            )
            .unwrap();
        assert!(id.starts_with("secret:") && id.len() == 27);
        assert_eq!(t.secret_ids(), vec![id.clone()]);
        assert_eq!(
            t.secret_get(
                SecretRef {
                    id: Some(&id),
                    label: None
                },
                false,
                false
            )
            .unwrap()["a"],
            "b"
        );
        assert!(matches!(
            t.secret_get(
                SecretRef {
                    id: Some("secret:nope"),
                    label: None
                },
                false,
                false
            ),
            Err(HookToolError::SecretNotFound { .. })
        ));
    }
}
