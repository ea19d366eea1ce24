//! The mocked Juju side of a charm run: hook tools over a State, the `JUJU_*` environment,
//! and the pyo3 session that ops's model backend delegates to.
//!
//! [`hook_tools`] and [`env`](mod@env) are plain Rust over the model; [`session`] and [`convert`]
//! are the Python boundary.

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
pub use records::{JujuLogLine, Records};
pub use session::{ActionMissingFromContextError, ActionValue, HookSession, PyHookTools};
