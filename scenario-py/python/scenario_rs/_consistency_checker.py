"""ops[testing]'s home of the consistency checker: its ``check_consistency`` applies
ops[testing]'s rules by default (the checker itself is ``scenario.consistency_checker``,
whose ``check_consistency`` applies Scenario 5's, as 5.8.1's did)."""

from __future__ import annotations

from typing import Any

from scenario_rs import consistency_checker
from scenario_rs._scenario import Api
from scenario_rs.consistency_checker import Results

__all__ = ["Results", "check_consistency"]


def check_consistency(*args: Any, api: Api = Api.SCENARIO_8, **kwargs: Any) -> None:
    """Raise ``InconsistentScenarioError`` if Juju could never produce this scenario, by
    ops[testing]'s rules (``api=Api.SCENARIO_5`` for Scenario 5's); the arguments are
    ``scenario.consistency_checker.check_consistency``'s."""
    consistency_checker.check_consistency(*args, api=api, **kwargs)
