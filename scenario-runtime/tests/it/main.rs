//! Integration tests of scenario-runtime: hook tools driven as a charm would, over whole
//! States, without Python.

// Test helpers outside #[test] functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

mod charm_run;
mod sharing;
