//! The one integration-test binary of scenario-consistency: a test per rule, a table of
//! every rule's severity under each API, valid scenarios that must stay clean, and
//! proptest properties over generated scenarios.

// Test helpers may unwrap: a panic is a test failure, which is what we want. Clippy only
// exempts `#[test]` functions themselves, not the fixtures they share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod apis;
mod cli;
mod properties;
mod rules;
mod support;
mod valid;
