//! What the checker returns: diagnostics as data, each with a severity, a rule, a path into
//! the State (or Event, or charm spec) in Python attribute form, and an actionable message.
//!
//! Findings are data, not failures: the runtime decides whether errors raise.

use std::fmt;

use crate::rule::Rule;

/// How bad a finding is. Errors make a scenario inconsistent; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    /// Juju would refuse it, but the original library let it pass, so suites written for
    /// it rely on it: an error in strict mode, a warning otherwise.
    Stricter,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Stricter => "stricter",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub rule: Rule,
    /// The offending part, as a Python user would reach it: `state.relations[1].endpoint`,
    /// `state.config['port']`, `event.action.params['x']`, `charm_spec.meta['requires']`.
    pub path: String,
    /// What is wrong and how to fix it; lowercase start, no trailing period.
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        rule: Rule,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            rule,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn error(rule: Rule, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, rule, path, message)
    }

    pub fn warning(rule: Rule, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, rule, path, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this finding fails the run in `strict` mode (or always, for an error).
    pub fn fails(&self, strict: bool) -> bool {
        match self.severity {
            Severity::Error => true,
            Severity::Stricter => strict,
            Severity::Warning => false,
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `error[RL2] state.relations[0].endpoint: relation endpoint 'foo' is not declared ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] {}: {}",
            self.severity, self.rule, self.path, self.message
        )
    }
}

/// Every finding of one check, in the order the rules ran.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The findings that are not errors: stricter-than-the-original ones first, then
    /// plain warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        let of = |s| self.diagnostics.iter().filter(move |d| d.severity == s);
        of(Severity::Stricter).chain(of(Severity::Warning))
    }

    /// True when there are no errors (warnings allowed).
    pub fn is_consistent(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The findings of one rule.
    pub fn of_rule(&self, rule: Rule) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.diagnostics.iter().filter(move |d| d.rule == rule)
    }

    /// Whether any finding is of this rule.
    pub fn has(&self, rule: Rule) -> bool {
        self.of_rule(rule).next().is_some()
    }
}

impl fmt::Display for Report {
    /// One line per finding, errors first, then warnings; nothing at all for a clean report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for d in self.errors().chain(self.warnings()) {
            if !first {
                f.write_str("\n")?;
            }
            first = false;
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_errors_before_warnings() {
        let report = Report {
            diagnostics: vec![
                Diagnostic::warning(Rule::E0, "event.path", "custom event"),
                Diagnostic::error(Rule::RL2, "state.relations[0].endpoint", "undeclared"),
            ],
        };
        assert_eq!(
            report.to_string(),
            "error[RL2] state.relations[0].endpoint: undeclared\nwarning[E0] event.path: custom event"
        );
        assert!(!report.is_consistent());
        assert_eq!(report.warnings().count(), 1);
        assert!(report.has(Rule::E0));
        assert!(Report::default().is_consistent());
        assert_eq!(Report::default().to_string(), "");
    }
}
