//! The integration tests of scenario-pebble: one binary, one module per area.

// Fixture helpers are not `#[test]` functions, so clippy's test exemption misses them; a
// failed setup step should fail the test loudly, which is what unwrap does.
#![allow(clippy::unwrap_used)]

mod checks;
mod confinement;
mod connection;
mod exec;
mod files;
mod layers;
mod notices;
mod services;
mod support;
