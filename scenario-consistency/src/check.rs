//! The context one check runs in: the inputs, the indexes built once from the spec, and
//! the list the rules append their findings to.

use scenario_model::{CharmSpec, Event, State};

use crate::report::{Diagnostic, Report};
use crate::rule::Rule;
use crate::spec_view::Endpoints;
use crate::version::JujuVersion;

/// Everything a rule reads, and where it writes.
#[derive(Debug)]
pub struct Check<'a> {
    pub state: &'a State,
    pub event: &'a Event,
    pub spec: &'a CharmSpec,
    pub version: &'a JujuVersion,
    /// Built once: relations and networks both look endpoints up by name.
    pub endpoints: Endpoints<'a>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Check<'a> {
    pub fn new(
        state: &'a State,
        event: &'a Event,
        spec: &'a CharmSpec,
        version: &'a JujuVersion,
    ) -> Self {
        Check {
            state,
            event,
            spec,
            version,
            endpoints: Endpoints::from_spec(spec),
            diagnostics: Vec::new(),
        }
    }

    /// Record an error. Callers build `path` and `message` only once they know a rule broke,
    /// so a consistent state costs no formatting.
    pub fn error(&mut self, rule: Rule, path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(rule, path, message));
    }

    pub fn warning(&mut self, rule: Rule, path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(rule, path, message));
    }

    pub fn finish(self) -> Report {
        Report {
            diagnostics: self.diagnostics,
        }
    }
}
