//! The mocked Juju side of a charm run: hook tools over a State, the `JUJU_*` environment,
//! and the pyo3 session that ops's model backend delegates to.
//!
//! [`hook_tools`] and [`env`](mod@env) are plain Rust over the model; [`session`] and [`convert`]
//! are the Python boundary.
//!
//! Without Python, [`HookTools`] is Juju's side of one hook: make it over an input State
//! and the event, call the hook tools as a charm would, and take the output State and
//! what the run recorded.
//!
//! ```
//! use std::sync::Arc;
//!
//! use scenario_model::{Api, CharmSpec, DatabagOwner, Event, Relation, State, StatusName};
//! use scenario_runtime::{HookToolError, HookTools, Member, UnitContext};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let spec: CharmSpec = serde_json::from_str(
//!     r#"{"meta": {"name": "web", "requires": {"db": {"interface": "pg"}}}}"#,
//! )?;
//! let mut db = Relation::new("db");
//! db.remote_app_data.insert("host".into(), "10.0.0.1".into());
//! let id = db.relation_id;
//! let input = State { relations: Arc::new(vec![db.into()]), ..State::default() };
//!
//! let mut event = Event::new("db-relation-changed");
//! event.relation = Some(input.relations[0].clone());
//! let unit = UnitContext::new("web", 0, "3.6.14"); // unit web/0, ops[testing]'s rules
//! let env = scenario_runtime::env::juju_env(&event, &input, &unit, "/charm");
//! assert!(env.contains(&("JUJU_RELATION_ID".to_owned(), format!("db:{id}"))));
//!
//! // The hook tools a db-relation-changed handler would call.
//! let mut tools: HookTools = HookTools::new(input.clone(), event, Arc::new(spec), unit);
//! let remote = tools.relation_get(id, &Member::App("remote"))?;
//! tools.relation_set(id, &[("url".into(), format!("http://{}", remote["host"]))], false)?;
//! tools.status_set("active", "connected", false)?;
//! tools.juju_log("INFO", "connected");
//! // Only the leader writes the application databag.
//! let refused = tools.relation_set(id, &[("k".into(), "v".into())], true);
//! assert!(matches!(refused, Err(HookToolError::PermissionDenied { .. })));
//!
//! // The output State holds what the hook tools wrote; the input is unchanged.
//! let output = &tools.state;
//! let written = output.relation(id).ok_or("the relation")?;
//! let bag = written.databag(DatabagOwner::LocalUnit, Api::Scenario8).ok_or("a databag")?;
//! assert_eq!(bag["url"], "http://10.0.0.1");
//! assert_eq!(output.unit_status.name, StatusName::Active);
//! assert_eq!(tools.records.juju_log[0].message, "connected");
//! assert_eq!(tools.records.unit_status_history[0].name, StatusName::Unknown);
//! assert!(input.relation(id).and_then(|r| r.databag(DatabagOwner::LocalUnit, Api::Scenario8))
//!     .is_some_and(|bag| !bag.contains_key("url")));
//! # Ok(())
//! # }
//! ```

pub mod convert;
pub mod env;
pub mod error;
pub mod hook_tools;
mod os_environ;
pub mod pebble_session;
pub mod pebble_tools;
pub mod records;
pub mod secret_tools;
pub mod session;

pub use error::HookToolError;
pub use hook_tools::{HookTools, Member, UnitContext};
pub use os_environ::environ_get;
pub use records::{JujuLogLine, Records};
pub use session::{ActionMissingFromContextError, HookSession, HostValue, PyHookTools};
