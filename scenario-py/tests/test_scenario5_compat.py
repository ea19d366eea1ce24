"""Suites written for Scenario 5.x pass here as they did on 5.8.1.

Where Juju is stricter than 5.8.1 was, a run goes on with a ``JujuStricterWarning``; strict
mode (``Context(strict=True)`` or ``SCENARIO_STRICT=1``) turns each into the error Juju
would give. Each test runs a 5.x idiom both ways.
"""

import ops
import pytest

from scenario import (
    Context,
    Event,
    State,
)
from scenario.errors import (
    UncaughtCharmError,
)
from scenario.runtime import Runtime as Runtime5

# --- 1. Mounted files show under the container root ----------------------------------------


# --- 2. Mount keeps the types it was given -------------------------------------------------


# --- 3. Statuses equal (name, message) tuples, with a deprecation warning -------------------


class StatusCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.WaitingStatus("gateway address unavailable")


# --- 4. Relation events with no remote unit ------------------------------------------------


# --- 6. The model answers after the manager's run() ----------------------------------------


class ConfigCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config)

    def _on_config(self, _):
        self.unit.status = ops.ActiveStatus(str(self.config["port"]))


CONFIG = {"options": {"port": {"type": "int", "default": 80}}}


def test_the_model_reads_the_output_after_run_until_the_block_ends():
    ctx = Context(ConfigCharm, meta={"name": "app"}, config=CONFIG)
    with ctx.manager("config-changed", State(config={"port": 8080})) as mgr:
        out = mgr.run()
        assert mgr.charm.config["port"] == 8080
        assert mgr.charm.unit.status == ops.ActiveStatus("8080")
        assert not mgr.charm.unit.is_leader()
        # Writing after the run works and reads back, as in 5.8.1; the output stays.
        mgr.charm.unit.status = ops.BlockedStatus("too late")
        assert mgr.charm.unit.status == ops.BlockedStatus("too late")
    assert out.unit_status == ops.ActiveStatus("8080")


# --- 8. bind on an ambiguous endpoint warns and binds the first ----------------------------


# --- 9. Smaller ones -----------------------------------------------------------------------


def test_an_exception_in_a_runtime_block_is_an_uncaught_charm_error():
    ctx = Context(StatusCharm, meta={"name": "app"})
    runtime = Runtime5(ctx._charm_spec)
    with pytest.raises(UncaughtCharmError) as info:
        with runtime.exec(State(), Event("start"), ctx):
            raise KeyError("in the block")
    assert isinstance(info.value.__cause__, KeyError)
