"""The consistency checker: is a (State, Event, charm spec) something Juju could produce?

The rules live in Rust (``scenario-consistency``); this module turns its report into the
exception, warnings and log lines Scenario documents. A finding Juju would refuse but the
original Scenario let pass ("stricter") is a ``JujuStricterWarning``, or an error in strict
mode.
"""

from __future__ import annotations

import logging
from typing import Any, List, NamedTuple, Optional, Set

from scenario_rs import _scenario
from scenario_rs._scenario import Api, environ_get
from scenario_rs._warnings import warn_stricter
from scenario_rs.errors import InconsistentScenarioError

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
    """The errors and warnings of one check; ``stricter`` are the findings Juju would
    refuse that the original Scenario let pass."""

    errors: List[Diagnostic]
    warnings: List[Diagnostic]
    stricter: List[Diagnostic] = []  # noqa: RUF012 - a NamedTuple default, never mutated


def consistency_report(
    state: Any,
    event: Any,
    charm_spec: Any,
    juju_version: str,
    *,
    api: Api = Api.SCENARIO_5,
    unit_id: Optional[int] = None,
) -> Results:
    """Every finding of the checker, whatever ``SCENARIO_SKIP_CONSISTENCY_CHECKS`` says."""
    return _sorted_out(_findings(state, event, charm_spec, juju_version, api, unit_id))


def _findings(
    state: Any,
    event: Any,
    charm_spec: Any,
    juju_version: str,
    api: Api,
    unit_id: Optional[int],
) -> List[Diagnostic]:
    return [
        Diagnostic(*d)
        for d in _scenario.consistency_report(
            state, event, charm_spec, juju_version, api=api, unit_id=unit_id
        )
    ]


def _sorted_out(found: List[Diagnostic]) -> Results:
    return Results(
        [d for d in found if d.severity == "error"],
        [d for d in found if d.severity == "warning"],
        [d for d in found if d.severity == "stricter"],
    )


def read_juju_version(juju_version: str, strict: bool = False) -> str:
    """The Juju version a run simulates, checked: one of a major alone (``"3"``) is read as
    its ``.0``, as both originals' checkers read it, with a warning (Juju versions always
    have a minor, and ops cannot parse one without, so both originals' runs failed)."""
    if isinstance(juju_version, str) and juju_version in _READ_JUJU_VERSIONS:
        return juju_version
    if isinstance(juju_version, str) and juju_version.strip().isdigit():
        message = f"Juju version {juju_version!r} has no minor: read as {juju_version.strip()}.0"
        if strict:
            raise ValueError(message)
        warn_stricter(message)
        juju_version = f"{juju_version.strip()}.0"
    _scenario.parse_juju_version(juju_version)
    if len(_READ_JUJU_VERSIONS) < 64:
        _READ_JUJU_VERSIONS.add(juju_version)
    return juju_version


#: Versions read before and found good as they are (a Context's runs read the same one).
_READ_JUJU_VERSIONS: Set[str] = set()


def check_consistency(
    state: Any,
    event: Any,
    charm_spec: Any,
    juju_version: str,
    unit_id: Optional[int] = None,
    *,
    api: Api = Api.SCENARIO_5,
    strict: bool = False,
) -> None:
    """Raise InconsistentScenarioError if Juju could never produce this scenario; warn of
    what Juju would refuse but the original Scenario let pass (raise, in ``strict`` mode);
    log the other warnings.

    ``SCENARIO_SKIP_CONSISTENCY_CHECKS`` set to anything non-empty skips the check (the
    Juju version must still parse).

    The Juju version is read by ``read_juju_version``.
    """
    check_with_version_read(
        state,
        event,
        charm_spec,
        read_juju_version(juju_version, strict),
        unit_id,
        api=api,
        strict=strict,
    )


def check_with_version_read(
    state: Any,
    event: Any,
    charm_spec: Any,
    juju_version: str,
    unit_id: Optional[int] = None,
    *,
    api: Api,
    strict: bool,
) -> None:
    """``check_consistency`` for a Juju version ``read_juju_version`` already read (a run
    reads it once, for the check and for the run)."""
    if environ_get("SCENARIO_SKIP_CONSISTENCY_CHECKS"):
        logger.info("skipping the consistency checks: SCENARIO_SKIP_CONSISTENCY_CHECKS is set")
        return
    found = _findings(state, event, charm_spec, juju_version, api, unit_id)
    if not found:  # as most runs find nothing: no need to sort the findings out
        return
    results = _sorted_out(found)
    errors = list(results.errors)
    if strict:
        errors.extend(results.stricter)
    elif not errors:
        # With errors, the run fails anyway: the stricter findings go with them.
        for finding in results.stricter:
            warn_stricter(str(finding))
    results = Results(
        errors,
        results.warnings + ([] if strict or not errors else results.stricter),
        [] if strict else results.stricter,
    )
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
