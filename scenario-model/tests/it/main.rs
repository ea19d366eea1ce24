//! Integration tests of scenario-model: properties of whole States.

mod round_trip;
