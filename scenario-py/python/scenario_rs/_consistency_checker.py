"""ops[testing]'s home of the consistency checker: its ``check_consistency`` applies
ops[testing]'s rules by default (the checker itself is ``scenario.consistency_checker``,
whose ``check_consistency`` applies Scenario 5's, as 5.8.1's did)."""

from __future__ import annotations

from typing import Any, Optional

from scenario_rs import consistency_checker
from scenario_rs._scenario import Api
from scenario_rs.consistency_checker import Results

__all__ = ["Results", "check_consistency"]


def check_consistency(
    state: Any,
    event: Any,
    charm_spec: Any,
    juju_version: str,
    unit_id: Optional[int] = None,
    *,
    api: Api = Api.SCENARIO_8,
    strict: bool = False,
) -> None:
    """Raise ``InconsistentScenarioError`` if Juju could never produce this scenario, by
    ops[testing]'s rules (``api=Api.SCENARIO_5`` for Scenario 5's); see
    ``scenario.consistency_checker.check_consistency``."""
    consistency_checker.check_consistency(
        state, event, charm_spec, juju_version, unit_id, api=api, strict=strict
    )
