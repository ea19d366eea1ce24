"""ops[testing]'s home of the ops driver: ``Ops`` and the unit-state patterns (the driver
itself is ``scenario.ops_main_mock``)."""

from scenario_rs.ops_main_mock import EVENT_REGEX, STORED_STATE_REGEX, Ops
from scenario_rs.ops_main_mock import _MemoryStore as UnitStateDB
from scenario_rs.ops_main_mock import _ScenarioFramework as CapturingFramework

__all__ = ["EVENT_REGEX", "STORED_STATE_REGEX", "CapturingFramework", "Ops", "UnitStateDB"]
