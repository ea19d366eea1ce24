//! Unit-count rule PU1: a planned_units of 0 while this unit runs is unusual (it only
//! happens while the application is being scaled to zero), so it is a warning.

use crate::check::Check;
use crate::rule::Rule;

pub fn check(c: &mut Check<'_>) {
    if c.state.planned_units == 0 {
        c.warning(
            Rule::PU1,
            "state.planned_units",
            "planned_units is 0, yet this unit exists and is running the event: set planned_units to at least 1 unless the test is about scaling the application to zero",
        );
    }
}
