//! Secret rules: state secret ids are unique (S6); a secret event needs Juju 3.0 (S1), its
//! secret (S2), that secret in the state (S3), a revision when it is about one (S4), and
//! must be an event Juju sends to this unit given who owns the secret (S5).
//!
//! Scenario 5.8.1 ran a secret event whose secret was missing (when the state had other
//! secrets) or did not suit its owner; ops[testing] refuses both (its checker and its event
//! factories), so those are stricter under Scenario 5 and errors under 8. Without a secret
//! or a revision the run crashed in 5.8.1 too (ops reads `JUJU_SECRET_ID`/`_REVISION`).

use std::collections::HashSet;
use std::sync::Arc;

use scenario_model::{EventKind, SecretOwner};

use crate::check::Check;
use crate::names::py_str;
use crate::report::Severity;
use crate::rule::Rule;

/// Every spelling of a secret id (bare, `secret:`, model-qualified) compares equal.
use scenario_model::secret::bare_secret_id as bare_id;

pub fn check(c: &mut Check<'_>) {
    let state = c.state;
    let mut seen: HashSet<&str> = HashSet::with_capacity(state.secrets.len());
    for (i, secret) in state.secrets.iter().enumerate() {
        if !seen.insert(bare_id(&secret.id)) {
            // Neither original looked; which secret the charm sees is then arbitrary.
            c.stricter(
                Rule::S6,
                format!("state.secrets[{i}].id"),
                format!(
                    "more than one state secret has id {}: Juju secret ids are unique, so keep one Secret per id",
                    py_str(&secret.id)
                ),
            );
        }
    }
    if c.event.kind() == EventKind::Secret {
        secret_event(c);
    }
}

fn secret_event(c: &mut Check<'_>) {
    let (event, state) = (c.event, c.state);
    let name = event.name();
    if !c.version.at_least(3, 0) {
        c.error(
            Rule::S1,
            "juju_version",
            format!(
                "the event {} is a secret event, and secrets need Juju 3.0 or later, but the check runs as Juju {}: use juju_version '3.0' or later",
                py_str(name),
                c.version
            ),
        );
    }
    let Some(secret) = &event.secret else {
        c.error(
            Rule::S2,
            "event.secret",
            format!(
                "the secret event {} has no secret: pass the secret it is about, e.g. ctx.on.{name}(secret)",
                py_str(name)
            ),
        );
        return;
    };
    let id = bare_id(&secret.id);
    let in_state = state.secrets.iter().find(|s| bare_id(&s.id) == id);
    match in_state {
        // Scenario 5.8.1 only refused a secret event on a state with no secrets at all.
        None => c.graded(
            [
                if state.secrets.is_empty() {
                    Severity::Error
                } else {
                    Severity::Stricter
                },
                Severity::Error,
            ],
            Rule::S3,
            "event.secret",
            format!(
                "the event's secret {} is not in the state: add it to the state's secrets",
                py_str(&secret.id)
            ),
        ),
        // ops[testing] wants the state's own object; the run reads the state's secret.
        Some(s) if !Arc::ptr_eq(s, secret) && **s != **secret => c.error_in_8(
            Rule::S3,
            "event.secret",
            format!(
                "the event's secret {} differs from the state's secret with that id: pass the state's secret, e.g. state.get_secret(id={})",
                py_str(&secret.id),
                py_str(&s.id)
            ),
        ),
        Some(_) => {}
    }
    // Ownership as the state records it, since that is what the charm will see.
    // ops[testing]'s event factories refuse a mismatch; Scenario 5.8.1 ran it.
    let owner = in_state.unwrap_or(secret).owner;
    let owned_only = matches!(name, "secret_rotate" | "secret_expired" | "secret_remove");
    if name == "secret_changed" && owner.is_some() {
        c.error_since_8(
            Rule::S5,
            "event.secret.owner",
            format!(
                "this unit owns secret {}, but Juju sends secret-changed only to its observers: use a secret with owner=None, or an owner event such as secret_rotate",
                py_str(&secret.id)
            ),
        );
    } else if owned_only && owner.is_none() {
        c.error_since_8(
            Rule::S5,
            "event.secret.owner",
            format!(
                "this unit does not own secret {}, but Juju sends {} only to a secret's owner: set the secret's owner to 'unit' or 'app'",
                py_str(&secret.id),
                name.replace('_', "-")
            ),
        );
    } else if owned_only && owner == Some(SecretOwner::App) && !state.leader {
        c.warning(
            Rule::S5,
            "state.leader",
            format!(
                "this unit is not the leader, but Juju sends {} for an application-owned secret only to the leader: set leader=True or make the secret unit-owned",
                name.replace('_', "-")
            ),
        );
    }
    if matches!(name, "secret_remove" | "secret_expired") && event.secret_revision.is_none() {
        c.error(
            Rule::S4,
            "event.secret_revision",
            format!(
                "the event {} is about one revision of the secret, but no secret_revision was given: pass the revision",
                py_str(name)
            ),
        );
    }
}
