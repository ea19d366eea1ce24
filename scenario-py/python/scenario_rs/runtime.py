"""Scenario 5's home of the runtime: ``Runtime``, its errors and the unit-state patterns.

The engine itself is ``scenario._runtime``; this module keeps the names Scenario 5 suites
import from here.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Optional

from scenario_rs import _scenario
from scenario_rs._options import RunOptions, charm_call
from scenario_rs._scenario import Api
from scenario_rs._target import CharmUnderTest
from scenario_rs.errors import (
    InconsistentScenarioError,
    ScenarioRuntimeError,
    UncaughtCharmError,
)
from scenario_rs.ops_main_mock import EVENT_REGEX, STORED_STATE_REGEX
from scenario_rs.ops_main_mock import _MemoryStore as UnitStateDB

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario_rs.context import Context
    from scenario_rs.state import Event, State, _CharmSpec

__all__ = [
    "EVENT_REGEX",
    "STORED_STATE_REGEX",
    "InconsistentScenarioError",
    "Runtime",
    "ScenarioRuntimeError",
    "UncaughtCharmError",
    "UnitStateDB",
    "charm_call",
]


class Runtime:
    """Scenario 5's runner of one charm spec: ``exec`` sets a run up and yields its
    ``Ops`` with the charm constructed; when the block ends the run finishes (emitting
    the event if the block did not) and the output goes to ``context._output_state``."""

    def __init__(
        self, charm_spec: _CharmSpec, charm_root: Optional[Any] = None, juju_version: str = "3.0"
    ):
        _scenario.charm_name(charm_spec)  # 5.8.1 refused a spec without one here
        self._charm_spec = charm_spec
        self._charm_root = charm_root
        self._juju_version_given = juju_version

    def exec(self, state: State, event: Event, context: Context) -> Any:
        """The run of ``event`` on ``state`` as a context manager yielding the run (its
        ``charm``); when the block ends the run finishes (emitting the event if the block
        did not). What the block raises is the charm's doing, as in Scenario 5."""
        return _Scenario5Exec(context._run(event=event, state=state, runtime=self))

    def _target_and_options(self, context: Context, options: RunOptions) -> Any:
        target = context._charm
        if target.charm_spec is not self._charm_spec or target.charm_root != self._charm_root:
            target = CharmUnderTest(self._charm_spec, self._charm_root)
        return target, dataclasses.replace(
            options, api=Api.SCENARIO_5, juju_version=self._juju_version_given
        )


class _Scenario5Exec:
    """``Runtime.exec``'s scope: the run's, wrapping what the block raises as the charm's."""

    def __init__(self, scope: Any):
        self._scope = scope

    def __enter__(self) -> Any:
        return self._scope.__enter__()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Any:
        if isinstance(exc, Exception) and not isinstance(exc, ScenarioRuntimeError):
            try:
                raise UncaughtCharmError(Api.SCENARIO_5.uncaught_charm_error(exc)) from exc
            except UncaughtCharmError as wrapped:
                self._scope.__exit__(type(wrapped), wrapped, wrapped.__traceback__)
                raise
        return self._scope.__exit__(exc_type, exc, tb)
