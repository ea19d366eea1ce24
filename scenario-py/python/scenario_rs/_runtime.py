"""ops[testing]'s private ``scenario._runtime``, which some tools drive directly:
``with Runtime(app_name, spec, ...).exec(state, event, context) as ops: ops.run()``. A thin
front over a Context's run (``Context._run``), with this object's unit and Juju version.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Dict, Optional

from scenario_rs import _scenario
from scenario_rs._options import RunOptions
from scenario_rs._scenario import Api
from scenario_rs._target import CharmUnderTest
from scenario_rs.errors import (
    InconsistentScenarioError,
    ScenarioRuntimeError,
    UncaughtCharmError,
)

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario_rs._scenario import Event, State, _CharmSpec

__all__ = [
    "InconsistentScenarioError",
    "Runtime",
    "ScenarioRuntimeError",
    "UncaughtCharmError",
]


class Runtime:
    """ops[testing]'s private runner of one charm spec, which some tools drive directly:
    ``with Runtime(app_name, spec, ...).exec(state, event, context) as ops: ops.run()``.
    A thin front over a Context's run, with this object's unit and Juju version."""

    def __init__(
        self,
        app_name: str,
        charm_spec: _CharmSpec,
        charm_root: Optional[Any] = None,
        juju_version: str = "3.0.0",
        unit_id: Optional[int] = 0,
        machine_id: Optional[str] = None,
        availability_zone: Optional[str] = None,
        principal_unit: Optional[str] = None,
    ):
        self._app_name = app_name
        self._charm_spec = charm_spec
        self._charm_root = charm_root
        self._juju_version_given = juju_version
        self._unit_id = 0 if unit_id is None else unit_id
        self._machine_id = machine_id
        self._availability_zone = availability_zone
        self._principal_unit = principal_unit

    def exec(self, state: State, event: Event, context: Any) -> Any:
        """The run of ``event`` on ``state`` as a context manager; the Context records it."""
        return context._run(event=event, state=state, runtime=self)

    def _get_event_env(self, state: State, event: Event, charm_root: Any) -> Dict[str, str]:
        """The ``JUJU_*`` environment a run of ``event`` on ``state`` is given."""
        session = _scenario.start_run(
            self._charm_spec,
            state,
            event,
            self._juju_version_given,
            str(charm_root),
            api=Api.SCENARIO_8,
            unit_id=self._unit_id,
            app_name=self._app_name,
            machine_id=self._machine_id,
            availability_zone=self._availability_zone,
            principal_unit=self._principal_unit,
        )
        return dict(session.env)

    def _target_and_options(self, context: Any, options: RunOptions) -> Any:
        """What the run is of, and how: the Context's charm where the spec and root are its
        own, with this object's unit and Juju version."""
        target = context._charm
        if target.charm_spec is not self._charm_spec or target.charm_root != self._charm_root:
            target = CharmUnderTest(self._charm_spec, self._charm_root)
        return target, dataclasses.replace(
            options,
            juju_version=self._juju_version_given,
            unit_id=self._unit_id,
            app_name=self._app_name,
            machine_id=self._machine_id,
            availability_zone=self._availability_zone,
            principal_unit=self._principal_unit,
        )
