//! The rules, one module per part of the State (or of the event) they judge.

pub mod actions;
pub mod check_infos;
pub mod cloud_spec;
pub mod config;
pub mod containers;
pub mod event;
pub mod naming;
pub mod networks;
pub mod ports;
pub mod relations;
pub mod resources;
pub mod secrets;
pub mod storage;
pub mod stored_state;
pub mod units;
