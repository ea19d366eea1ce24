"""What a run sets up around the charm, and puts back: the process environment (``JUJU_*``
and the rest, in ``os.environ`` and for the C library, restored after the run even where
the test or the charm replaced ``os.environ``), the root logger and ops's juju-log handler,
and hook tools that run no subprocess (one not simulated fails as ops's ``ModelError``).
Each under both APIs. The variables of each event are test_events.py's.
"""

import logging
import os
from typing import ClassVar

import ops
import pytest

from scenario import Context, State
from scenario.runtime import UncaughtCharmError


class FailingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.MaintenanceStatus("about to fail")
        raise ZeroDivisionError("boom")


class EnvironCharm(ops.CharmBase):
    """Reads its environment both ways: os.environ and the C library's getenv."""

    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        names = ("JUJU_UNIT_NAME", "JUJU_VERSION")
        type(self).seen.append(([os.environ.get(n) for n in names], [_c_getenv(n) for n in names]))


def _c_getenv(name):
    import ctypes

    libc = ctypes.CDLL(None)
    libc.getenv.restype = ctypes.c_char_p
    found = libc.getenv(name.encode())
    return found.decode() if found is not None else None


def test_the_process_environment_is_set_for_the_run_and_put_back(api, monkeypatch):
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")
    monkeypatch.delenv("JUJU_UNIT_NAME", raising=False)
    EnvironCharm.seen = []
    ctx = Context(EnvironCharm, meta={"name": "app"}, juju_version="3.4.2")
    api.run(ctx, "start", State())
    expected = ["app/0", "3.4.2"]
    assert EnvironCharm.seen == [(expected, expected)]
    assert (os.environ["JUJU_VERSION"], _c_getenv("JUJU_VERSION")) == ("9.9.9", "9.9.9")
    assert ("JUJU_UNIT_NAME" in os.environ, _c_getenv("JUJU_UNIT_NAME")) == (False, None)


def test_a_replaced_os_environ_is_set_and_put_back_too(api, monkeypatch):
    replaced = {k: v for k, v in os.environ.items() if not k.startswith("JUJU_")}
    replaced["JUJU_VERSION"] = "9.9.9"
    monkeypatch.setattr(os, "environ", replaced)
    EnvironCharm.seen = []
    ctx = Context(EnvironCharm, meta={"name": "app"}, juju_version="3.4.2")
    api.run(ctx, "start", State())
    assert EnvironCharm.seen[0][0] == ["app/0", "3.4.2"]
    assert os.environ is replaced
    assert replaced["JUJU_VERSION"] == "9.9.9"
    assert "JUJU_UNIT_NAME" not in replaced


class EnvironReplacingCharm(ops.CharmBase):
    """Replaces os.environ during its run, as a charm or a library might."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        os.environ = {"ONLY": "this"}  # type: ignore[assignment]  # noqa: B003 - the point


def test_the_environment_the_run_changed_is_put_back_when_a_charm_replaced_os_environ(
    api, monkeypatch
):
    original = os.environ
    monkeypatch.setattr(os, "environ", original)  # the replacement goes when the test ends
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")
    monkeypatch.delenv("JUJU_UNIT_NAME", raising=False)
    ctx = Context(EnvironReplacingCharm, meta={"name": "app"}, juju_version="3.4.2")
    api.run(ctx, "start", State())
    assert os.environ == {"ONLY": "this"}
    assert (original["JUJU_VERSION"], _c_getenv("JUJU_VERSION")) == ("9.9.9", "9.9.9")
    assert ("JUJU_UNIT_NAME" in original, _c_getenv("JUJU_UNIT_NAME")) == (False, None)


class EnvironMeddlingCharm(ops.CharmBase):
    """Adds, changes and removes variables, its own Juju ones among them."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        os.environ["SCENARIO_TEST_ADDED"] = "added"
        os.environ["SCENARIO_TEST_CHANGED"] = "changed"
        del os.environ["SCENARIO_TEST_REMOVED"]
        os.environ["JUJU_VERSION"] = "0.0.1"
        del os.environ["JUJU_UNIT_NAME"]


@pytest.mark.parametrize("replaced", [False, True], ids=["os.environ", "a replaced os.environ"])
def test_every_variable_the_charm_added_changed_or_removed_is_put_back(api, monkeypatch, replaced):
    if replaced:
        monkeypatch.setattr(os, "environ", dict(os.environ))
    monkeypatch.setenv("SCENARIO_TEST_CHANGED", "as it was")
    monkeypatch.setenv("SCENARIO_TEST_REMOVED", "there")
    monkeypatch.delenv("SCENARIO_TEST_ADDED", raising=False)
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")
    before = dict(os.environ)
    ctx = Context(EnvironMeddlingCharm, meta={"name": "app"}, juju_version="3.4.2")
    api.run(ctx, "start", State())
    assert dict(os.environ) == before
    if not replaced:
        expected = {
            n: before.get(n)
            for n in (
                "SCENARIO_TEST_ADDED",
                "SCENARIO_TEST_CHANGED",
                "SCENARIO_TEST_REMOVED",
                "JUJU_VERSION",
                "JUJU_UNIT_NAME",
            )
        }
        assert {n: _c_getenv(n) for n in expected} == expected


def test_the_root_loggers_handlers_are_left_as_they_were(api):
    root = logging.getLogger()
    handlers = list(root.handlers)
    api.run(Context(FailingCharm, meta={"name": "app"}), "install", State())
    with pytest.raises(UncaughtCharmError):
        api.run(Context(FailingCharm, meta={"name": "app"}), "start", State())
    assert root.handlers == handlers


def test_the_root_logger_takes_debug_lines_during_the_run_and_after(api, caplog):
    # As a unit's, during the run; and after it, as both originals leave it: a test's own
    # calls of the charm after a run log their debug lines too.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    try:
        ctx = Context(FailingCharm, meta={"name": "app"})
        api.run(ctx, "install", State())
        assert root.level == logging.DEBUG
        lines = [(line.level, line.message) for line in ctx.juju_log]
        assert ("DEBUG", "Emitting Juju event install.") in lines
        logging.getLogger("after.the.run").debug("a debug line after the run")
        assert "a debug line after the run" in caplog.messages
    finally:
        root.setLevel(level)


class BackendProbeCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        # A hook tool Scenario does not simulate is refused, never run as a subprocess.
        with pytest.raises(ops.ModelError) as info:
            self.model._backend._run("goal-state", return_output=True)
        BackendProbeCharm.seen.append(str(info.value))
        logging.getLogger("probe").info("through juju-log")
        BackendProbeCharm.seen.append(
            [type(h).__mro__ for h in logging.getLogger().handlers if "Juju" in type(h).__name__]
        )


def test_hook_tools_run_nothing_and_the_log_handler_is_opss(api):
    BackendProbeCharm.seen = []
    ctx = Context(BackendProbeCharm, meta={"name": "app"})
    api.run(ctx, "start", State())
    refused, handler_types = BackendProbeCharm.seen
    assert "goal-state" in refused
    # ops's own JujuLogHandler is on the root logger for the run, as ops.main puts it
    # there: ops 3's security-event log looks for it.
    assert [ops.log.JujuLogHandler in mro for mro in handler_types] == [True]
    assert ("INFO", "through juju-log") in [(line.level, line.message) for line in ctx.juju_log]


class UnsimulatedCharm(ops.CharmBase):
    errors: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        calls = [self.unit.reboot]
        if hasattr(self.model, "get_cloud_spec"):  # ops 2.10 has no cloud spec
            calls.append(self.model.get_cloud_spec)
        for call in calls:
            try:
                call()
            except ops.ModelError as e:
                UnsimulatedCharm.errors.append(str(e))


def test_unsimulated_hook_tools_fail_as_model_errors_without_a_subprocess(api, monkeypatch):
    import subprocess

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a run started a subprocess: {args}")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    UnsimulatedCharm.errors = []
    api.run(Context(UnsimulatedCharm, meta={"name": "app"}), "start", State())
    assert UnsimulatedCharm.errors
    # reboot is not simulated; credential-get is, and refuses an untrusted app.
    assert "not simulated" in UnsimulatedCharm.errors[0]
    assert all("not simulated" in e or "not trusted" in e for e in UnsimulatedCharm.errors)
