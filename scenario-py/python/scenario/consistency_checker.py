"""The consistency checker: is a (State, Event, charm spec) something Juju could produce?

The rules live in Rust (``scenario-consistency``); this module turns its report into the
exception and log lines Scenario documents.
"""

from __future__ import annotations

import logging
import os
from typing import Any, List, NamedTuple

from scenario import _scenario
from scenario.runtime import InconsistentScenarioError

__all__ = ["Diagnostic", "Results", "check_consistency", "consistency_report"]

logger = logging.getLogger("ops-scenario.runtime.consistency_checker")


class Diagnostic(NamedTuple):
    """One finding: its severity (error or warning), rule code, the offending part of the
    State (or event, or spec), and what to do about it."""

    severity: str
    rule: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule} {self.path}: {self.message}"


class Results(NamedTuple):
    """The errors and warnings of one check."""

    errors: List[Diagnostic]
    warnings: List[Diagnostic]


def consistency_report(state: Any, event: Any, charm_spec: Any, juju_version: str) -> Results:
    """Every finding of the checker, whatever ``SCENARIO_SKIP_CONSISTENCY_CHECKS`` says."""
    found = [
        Diagnostic(*d)
        for d in _scenario.consistency_report(state, event, charm_spec, juju_version)
    ]
    return Results(
        [d for d in found if d.severity == "error"],
        [d for d in found if d.severity == "warning"],
    )


def check_consistency(state: Any, event: Any, charm_spec: Any, juju_version: str) -> None:
    """Raise InconsistentScenarioError if Juju could never produce this scenario; log the
    warnings.

    ``SCENARIO_SKIP_CONSISTENCY_CHECKS`` set to anything non-empty skips the check (the
    Juju version must still parse).
    """
    _scenario.parse_juju_version(juju_version)
    if os.environ.get("SCENARIO_SKIP_CONSISTENCY_CHECKS"):
        logger.info("skipping the consistency checks: SCENARIO_SKIP_CONSISTENCY_CHECKS is set")
        return
    results = consistency_report(state, event, charm_spec, juju_version)
    if results.warnings:
        logger.warning(
            "This scenario is probably inconsistent; the checker warns:\n%s",
            "\n".join(f"- {w}" for w in results.warnings),
        )
    if results.errors:
        error = InconsistentScenarioError(
            "Inconsistent scenario. The following errors were found:\n"
            + "\n".join(f"- {e}" for e in results.errors)
        )
        error.errors = results.errors  # type: ignore[attr-defined]
        error.warnings = results.warnings  # type: ignore[attr-defined]
        raise error
