//! The consistency checker: decides whether a (State, Event, CharmSpec, Juju version) is
//! something Juju could really produce, and reports every problem as data.
//!
//! [`check_consistency_with`] runs every rule ops-scenario 5.8.1's checker had (an action
//! run on a charm that declares no actions, where 5.8.1 raised a `TypeError`, is
//! a finding of its rule here), every rule of `ops[testing]` 8.9's checker and of its
//! constructors, and more, and returns a [`Report`] of [`Diagnostic`]s, each naming
//! its [`Rule`], the offending path in Python attribute form, and how to fix it. A
//! finding's severity depends on the API the run speaks ([`Options::api`]): what that
//! API's original refused is an error, what it let pass but Juju would refuse is
//! `Stricter`. It never panics on odd input and never raises: the runtime decides what
//! errors mean. The `SCENARIO_SKIP_CONSISTENCY_CHECKS` bypass is the runtime's business,
//! not this crate's.
//!
//! The crate needs no Python: build the scenario with `scenario-model` (or read it from
//! JSON or YAML) and check it.
//!
//! ```
//! use std::sync::Arc;
//!
//! use scenario_consistency::{JujuVersion, Options, Rule, Severity, check_consistency_with};
//! use scenario_model::{Api, CharmSpec, Container, Event, State, Value};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The charm's metadata and config, as metadata.yaml and config.yaml would give them.
//! let meta = serde_json::json!({"name": "web", "containers": {"nginx": {}}});
//! let config = serde_json::json!({"options": {"port": {"type": "int", "default": 80}}});
//! let spec = CharmSpec::new(
//!     meta.as_object().cloned().ok_or("a mapping")?,
//!     None,
//!     config.as_object().cloned(),
//! );
//! let juju = JujuVersion::parse("3.6.14")?;
//! let ops_testing = Options { api: Api::Scenario8, unit_id: Some(0) };
//!
//! // A config value of the wrong type: an error under either API.
//! let state = State {
//!     config: Arc::new([("port".to_owned(), Value::from("eighty"))].into_iter().collect()),
//!     ..State::default()
//! };
//! let report = check_consistency_with(&state, &Event::new("start"), &spec, &juju, ops_testing);
//! assert!(!report.is_consistent());
//! let finding = &report.diagnostics[0];
//! assert_eq!((finding.rule, finding.path.as_str()), (Rule::K3, "state.config['port']"));
//! println!("{finding}"); // error[K3] state.config['port']: config option 'port' has type int...
//!
//! // Two containers of one name: ops[testing] took it, Juju could not produce it.
//! let nginx = Arc::new(Container::new("nginx"));
//! let state = State { containers: Arc::new(vec![nginx.clone(), nginx]), ..State::default() };
//! let report = check_consistency_with(&state, &Event::new("start"), &spec, &juju, ops_testing);
//! assert!(report.is_consistent());
//! let finding = report.of_rule(Rule::C4).next().ok_or("a C4 finding")?;
//! assert_eq!(finding.severity, Severity::Stricter);
//! assert!(finding.fails(true) && !finding.fails(false)); // an error in strict mode only
//! # Ok(())
//! # }
//! ```
//!
//! ## The States near one
//!
//! [`neighbours::Neighbours`] walks from a State to others Juju could produce for the same
//! event and charm, each step one the checker finds nothing new wrong with: what fuzzing
//! explores around a test's State (`--scenario-fuzz` in Python). A walk is decoded from
//! numbers, three a step, so any search that draws and shrinks numbers drives it; with the
//! `proptest` feature, [`neighbours::strategies::neighbours`] is a proptest strategy.
//!
//! ```
//! use std::sync::Arc;
//!
//! use scenario_consistency::neighbours::Neighbours;
//! use scenario_consistency::{JujuVersion, Options};
//! use scenario_model::{Api, CharmSpec, Event, State};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let meta = serde_json::json!({"name": "web", "requires": {"db": {"interface": "pg", "limit": 1}}});
//! let spec = CharmSpec::new(meta.as_object().cloned().ok_or("a mapping")?, None, None);
//! let options = Options { api: Api::Scenario8, unit_id: Some(0) };
//! let juju = JujuVersion::parse("3.6.14")?;
//! let near = Neighbours::new(State::default(), Event::new("start"), Arc::new(spec), juju, options);
//! // The first number of a step picks among the kinds that apply: here leadership (0), a
//! // relation added (1) and other planned units (2).
//! let (state, steps) = near.walk(&[1, 0, 0, 1, 0, 0]);
//! // Two relations on db, over its limit of one (Juju does not enforce limits): a charm's
//! // `model.get_relation("db")` raises TooManyRelatedAppsError here.
//! assert_eq!(state.relations.len(), 2);
//! assert_eq!(steps[0].to_string(), "a relation on db added (id 1, remote app remote-1, 0 units)");
//! # Ok(())
//! # }
//! ```

mod check;
mod names;
pub mod neighbours;
mod report;
mod rule;
mod rules;
mod spec_view;
mod values;
mod version;

use scenario_model::{Api, CharmSpec, Event, State};

pub use report::{Diagnostic, Report, Severity};
pub use rule::Rule;
pub use version::{JujuVersion, VersionError};

/// What a check needs besides the scenario itself: the API the run speaks (its defaults
/// and which of its rules are errors) and the unit under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub api: Api,
    /// The unit's id; `None` takes `state.unit_id` (Scenario 5 keeps it on the State,
    /// `ops[testing]` on the Context).
    pub unit_id: Option<u32>,
}

impl Default for Options {
    /// Scenario 5's rules, with the State's unit id.
    fn default() -> Self {
        Options {
            api: Api::Scenario5,
            unit_id: None,
        }
    }
}

/// Check that `state`, `event` and `spec` could come from a real Juju at `juju_version`,
/// with Scenario 5's rules and defaults (see [`check_consistency_with`]).
pub fn check_consistency(
    state: &State,
    event: &Event,
    spec: &CharmSpec,
    juju_version: &JujuVersion,
) -> Report {
    check_consistency_with(state, event, spec, juju_version, Options::default())
}

/// Check that `state`, `event` and `spec` could come from a real Juju at `juju_version`,
/// reading defaults and grading findings as `options.api` does.
///
/// The rules run in `ops[testing]`'s order (its constructors' name checks, containers,
/// config, resources, event, secrets, storages, relations, networks, cloud spec, stored
/// state), then the checks neither original has (ports, planned units). The work is linear
/// in the size of the state.
pub fn check_consistency_with(
    state: &State,
    event: &Event,
    spec: &CharmSpec,
    juju_version: &JujuVersion,
    options: Options,
) -> Report {
    let mut check = check::Check::new(state, event, spec, juju_version, options);
    rules::naming::check(&mut check);
    rules::containers::check(&mut check);
    rules::check_infos::check(&mut check);
    rules::config::check(&mut check);
    rules::resources::check(&mut check);
    rules::event::check(&mut check);
    rules::actions::check(&mut check);
    rules::secrets::check(&mut check);
    rules::storage::check(&mut check);
    rules::relations::check(&mut check);
    rules::networks::check(&mut check);
    rules::cloud_spec::check(&mut check);
    rules::stored_state::check(&mut check);
    rules::ports::check(&mut check);
    rules::units::check(&mut check);
    check.finish()
}
