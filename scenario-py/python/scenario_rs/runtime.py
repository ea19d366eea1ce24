"""Scenario 5's home of the runtime: ``Runtime``, its errors and the unit-state patterns.

The engine itself is ``scenario._runtime``; this module keeps the names Scenario 5 suites
import from here.
"""

from __future__ import annotations

import contextlib
import typing
from typing import Any, Iterator, Optional

from scenario_rs._runtime import CharmUnderTest, Run, RunOptions, charm_call
from scenario_rs.errors import (
    InconsistentScenarioError,
    ScenarioRuntimeError,
    UncaughtCharmError,
)
from scenario_rs.ops_main_mock import EVENT_REGEX, STORED_STATE_REGEX
from scenario_rs.ops_main_mock import _MemoryStore as UnitStateDB

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario_rs.context import Context
    from scenario_rs.ops_main_mock import Ops
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
        if not charm_spec.app_name:
            raise ValueError('the charm metadata has no mandatory "name": add name: <app> to meta')
        self._charm_spec = charm_spec
        self._charm_root = charm_root
        self._juju_version = juju_version

    @contextlib.contextmanager
    def exec(self, state: State, event: Event, context: Context) -> Iterator[Ops]:
        charm = context._charm
        if charm.charm_spec is not self._charm_spec or charm.charm_root != self._charm_root:
            charm = CharmUnderTest(self._charm_spec, self._charm_root)
        options = RunOptions(api="5", juju_version=self._juju_version)
        run = Run(charm, options, state, event)
        ops_ = run.open()
        try:
            try:
                yield ops_
            except Exception as e:
                # What the block raises is the charm's doing, as in Scenario 5.
                raise UncaughtCharmError(
                    f"Uncaught exception ({type(e)}) in operator/charm code: {e!r}"
                ) from e
            context._finish_run(run)
        finally:
            run.close()
