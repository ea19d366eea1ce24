//! Errors of hook tools and of a run, typed so each maps to the exception ops or Juju
//! would raise.

use scenario_model::Api;
use thiserror::Error;

/// A hook tool failing the way Juju (or ops's model backend) fails it.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum HookToolError {
    /// The relation id is not in the State: ops's `RelationNotFoundError`.
    #[error("relation {relation_id} not found")]
    RelationNotFound { relation_id: u32 },
    /// The binding is neither an endpoint, an extra binding nor juju-info.
    #[error("no network config found for binding {binding:?}")]
    BindingNotFound { binding: String },
    /// A unit name that is not part of the relation.
    #[error(
        "cannot read relation data of {member:?} on relation {relation_id}: not a member of the relation"
    )]
    NotARelationMember { relation_id: u32, member: String },
    /// Juju refuses the tool to a non-leader.
    #[error("{tool}: this unit is not the leader")]
    NotLeader { tool: &'static str },
    /// Juju's permission check on relation data.
    #[error("permission denied: {what}")]
    PermissionDenied { what: String },
    /// `status-set` with a status a charm cannot set.
    #[error("invalid status {status:?}, expected one of [maintenance blocked waiting active]")]
    InvalidStatus { status: String },
    /// App data before Juju 2.7.
    #[error("{verb} application data is not supported on Juju version {version}")]
    AppDataUnsupported { verb: &'static str, version: String },
    /// An action tool outside an action.
    #[error("{tool} can only be used while running an action; run the charm with ctx.run_action")]
    ActionMissing { tool: &'static str },
    /// `action-set` keys Juju refuses.
    #[error("invalid action result key {key:?}: {reason}")]
    InvalidActionKey { key: String, reason: &'static str },
    #[error("resource {name:?} is not in State.resources: add it there")]
    ResourceNotFound { name: String },
    #[error("secret {reference} not found")]
    SecretNotFound { reference: String },
    /// Reading a secret neither owned nor granted: Juju's "permission denied".
    #[error("permission denied: {reason}")]
    SecretAccessDenied { reason: String },
    /// `ops[testing]` refuses to remove the tracked or latest revision.
    #[error(
        "Charms should not remove the latest revision of a secret: revision {revision} of {id} is still tracked or latest"
    )]
    RemovesTrackedRevision { id: String, revision: u32 },
    /// A secret this unit can read but does not own, asked to be managed. Each original
    /// said so in its words (5.8.1 a `RuntimeError`, `ops[testing]` a
    /// `SecretNotFoundError`); the Python error is both.
    #[error("{}", match api {
        Api::Scenario5 => format!("not the owner of secret {id} ({operation})"),
        Api::Scenario8 => format!("You must own secret '{id}' to perform this operation ({operation})"),
    })]
    SecretNotOwned {
        operation: &'static str,
        id: String,
        api: Api,
    },
    /// An application's secret managed by a unit that is not the leader: Juju's answer.
    #[error(
        "ERROR permission denied: app-owned secret '{id}' can only be managed by the leader ({operation})"
    )]
    SecretNeedsLeader { operation: &'static str, id: String },
    #[error("storage {name:?} not found: {reason}")]
    StorageNotFound { name: String, reason: String },
    #[error("invalid port: {0}")]
    InvalidPort(#[from] scenario_model::PortError),
    #[error("{0}")]
    InvalidArgument(String),
    /// A tool of a later Juju than the run's.
    #[error("{feature} is only available on Juju >= {version}: set Context(juju_version=...)")]
    NeedsJuju {
        feature: &'static str,
        version: &'static str,
    },
    /// A Pebble call the originals answered while the container could not connect; a
    /// real unit gets `pebble.ConnectionError` (the error in strict mode).
    #[error(
        "{call} on container {container:?} while its Pebble is unreachable (can_connect=False): a unit gets ConnectionError"
    )]
    UnreachablePebble {
        container: String,
        call: &'static str,
    },
    /// `credential-get` from an app that was not trusted.
    #[error("ERROR charm is not trusted, initialise Context with `app_trusted=True`")]
    NotTrusted,
    /// `credential-get` in a model without a cloud spec.
    #[error(
        "ERROR cloud spec is empty, set it in the state: State(model=Model(cloud_spec=CloudSpec(...)))"
    )]
    NoCloudSpec,
}

/// The message of the error a run raises for an exception the charm let escape (the
/// Python `UncaughtCharmError`, whose cause is the charm's exception), in each original's
/// words: `type_name` is the exception class's name (`ValueError`), `type_repr` its repr
/// (`<class 'ValueError'>`), `error_repr` the exception's.
pub fn uncaught_charm_error(
    api: Api,
    type_name: &str,
    type_repr: &str,
    error_repr: &str,
) -> String {
    match api {
        Api::Scenario5 => {
            format!("Uncaught exception ({type_repr}) in operator/charm code: {error_repr}")
        }
        Api::Scenario8 => format!(
            "Uncaught {type_name} in charm, try \"exceptions [n]\" if using pdb on Python 3.13+. Details: {error_repr}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncaught_charm_error_is_worded_as_each_original_words_it() {
        let five = uncaught_charm_error(
            Api::Scenario5,
            "ValueError",
            "<class 'ValueError'>",
            "ValueError('x')",
        );
        assert_eq!(
            five,
            "Uncaught exception (<class 'ValueError'>) in operator/charm code: ValueError('x')"
        );
        let eight = uncaught_charm_error(
            Api::Scenario8,
            "ValueError",
            "<class 'ValueError'>",
            "ValueError('x')",
        );
        assert!(eight.starts_with("Uncaught ValueError in charm, try \"exceptions [n]\""));
        assert!(eight.ends_with("Details: ValueError('x')"));
    }
}
