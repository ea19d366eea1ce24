//! The context one check runs in: the inputs, the indexes built once from the spec, and
//! the list the rules append their findings to.

use scenario_model::{Api, CharmSpec, Event, State};

use crate::report::{Diagnostic, Report, Severity};
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
    /// The API the run speaks: how unset defaults read, and which findings are errors.
    pub api: Api,
    /// The unit under test.
    pub unit_id: u32,
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
        options: crate::Options,
    ) -> Self {
        Check {
            state,
            event,
            spec,
            version,
            api: options.api,
            unit_id: options.unit_id.unwrap_or(state.unit_id),
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

    /// Record something Juju refuses but the original library (Scenario 5.8.1) let pass:
    /// an error in strict mode, a warning otherwise.
    pub fn stricter(&mut self, rule: Rule, path: impl Into<String>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(Severity::Stricter, rule, path, message));
    }

    /// `error` under ops[testing], whose checker refuses this; `stricter` under Scenario 5,
    /// whose checker let it pass.
    pub fn error_since_8(
        &mut self,
        rule: Rule,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        match self.api {
            Api::Scenario8 => self.error(rule, path, message),
            Api::Scenario5 => self.stricter(rule, path, message),
        }
    }

    /// An error under ops[testing], and nothing at all under Scenario 5: for what only
    /// ops[testing] refuses, Juju and Scenario 5.8.1 being content.
    pub fn error_in_8(&mut self, rule: Rule, path: impl Into<String>, message: impl Into<String>) {
        if self.api == Api::Scenario8 {
            self.error(rule, path, message);
        }
    }

    /// A finding graded per API: `five` under Scenario 5, `eight` under ops[testing], for
    /// the rules where the two originals (or Juju and one original) disagree.
    pub fn graded(
        &mut self,
        [five, eight]: [Severity; 2],
        rule: Rule,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        let severity = match self.api {
            Api::Scenario5 => five,
            Api::Scenario8 => eight,
        };
        self.diagnostics
            .push(Diagnostic::new(severity, rule, path, message));
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
