//! Integration tests of scenario-model: properties of whole States.

mod malformed;
mod round_trip;
