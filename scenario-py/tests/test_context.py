"""The Context: running a charm (the output State; the input never changes), who the unit
is (its app, id, machine, zone, principal, Juju version), what the Context records of its
runs in juju-log (each line once, ops's own too, never cleared) until ``cleanup()``, the
files it keeps (in memory where it can; a ``with`` block removes them), and the two APIs
on one Context. What else it records is in each feature's file (statuses, actions,
emitted events in test_recorded_events.py, exec in test_pebble_exec.py).
"""

import logging
import os
import warnings

import ops
import pytest

import scenario
from scenario import Context, Relation, State

META = {"name": "app"}

logger = logging.getLogger(__name__)


class FailingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.MaintenanceStatus("about to fail")
        raise ZeroDivisionError("boom")


class WriterCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        rel = self.model.get_relation("db")
        rel.data[self.unit]["written"] = "yes"
        self.unit.status = ops.ActiveStatus("done")


def test_the_input_state_is_never_modified(api):
    rel = Relation("db", local_unit_data={"a": "b"})
    state = State(relations=[rel])
    ctx = Context(WriterCharm, meta={"name": "app", "requires": {"db": {"interface": "x"}}})
    out = api.run(ctx, "start", state)
    assert out.unit_status == ops.ActiveStatus("done")
    assert state.relations[0].local_unit_data == {"a": "b"}
    assert state.unit_status == ops.UnknownStatus()
    assert out.relations[0].local_unit_data == {"a": "b", "written": "yes"}
    assert out is not state


class LoggingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        logger = logging.getLogger("charm")
        logger.debug("dbg")
        logger.warning("careful: %s", 42)


def test_juju_log_records_each_line_once_per_run_under_scenario_5():
    # A Scenario 5 run logs the charm's lines and ops's "Emitting" ones; an ops[testing]
    # run, ops's setup lines too (test_juju_log_lines_of_ops_setup_under_ops_testing).
    ctx = Context(LoggingCharm, meta={"name": "app"})
    ctx.run("start", State())
    ctx.run("start", State())
    lines = [
        (line.level, line.message)
        for line in ctx.juju_log
        if not line.message.startswith("Emitting")
    ]
    assert lines == [("DEBUG", "dbg"), ("WARNING", "careful: 42")] * 2
    other = Context(LoggingCharm, meta={"name": "app"})
    other.run("start", State())
    assert len(ctx.juju_log) == 6  # the first context did not hear the second one's run


def test_cleanup_forgets_the_records(api):
    ctx = Context(FailingCharm, meta={"name": "app"})
    api.run(ctx, "install", State())
    assert ctx.emitted_events
    ctx.cleanup()
    assert ctx.emitted_events == [] and ctx.juju_log == [] and ctx.unit_status_history == []


def test_context_files_live_in_memory_unless_tmpdir_says_otherwise(monkeypatch, tmp_path):
    import os

    from scenario import _target

    monkeypatch.setattr(_target, "_SCRATCH", None)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert _target._scratch_dir() is None  # tempfile's choice: TMPDIR
    monkeypatch.setattr(_target, "_SCRATCH", None)
    monkeypatch.delenv("TMPDIR")
    expected = "/dev/shm" if os.access("/dev/shm", os.W_OK | os.X_OK) else None
    assert _target._scratch_dir() == expected


class Starter(ops.CharmBase):
    """Sets its status on start; remembers what it saw."""

    def __init__(self, framework):
        super().__init__(framework)
        self.started = False
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.started = True
        self.unit.status = ops.ActiveStatus("started")


class Introspector(ops.CharmBase):
    """Reports who it is as its status."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        with warnings.catch_warnings():
            # ops 3 deprecates JujuVersion.from_environ for model.juju_version, which ops 2.10
            # does not have.
            warnings.simplefilter("ignore", DeprecationWarning)
            version = ops.JujuVersion.from_environ()
        env = [
            os.environ.get(k, "-")
            for k in ("JUJU_MACHINE_ID", "JUJU_AVAILABILITY_ZONE", "JUJU_PRINCIPAL_UNIT")
        ]
        who = f"{self.app.name} {self.unit.name} {version} {os.environ['JUJU_UNIT_NAME']}"
        self.unit.status = ops.ActiveStatus(f"{who} {' '.join(env)}")


def test_the_default_unit(testing):
    ctx = testing.Context(Introspector, meta=META)
    out = ctx.run(ctx.on.start(), testing.State())
    assert out.unit_status == testing.ActiveStatus("app app/0 3.6.14 app/0 - - -")
    assert (ctx.app_name, ctx.unit_id, ctx.juju_version) == ("app", 0, "3.6.14")


def test_the_unit_as_the_context_describes_it(testing):
    ctx = testing.Context(
        Introspector,
        meta=META,
        app_name="other",
        unit_id=4,
        machine_id="7",
        availability_zone="zone-a",
        principal_unit="main/0",
        juju_version="3.4.1",
    )
    out = ctx.run(ctx.on.start(), testing.State())
    assert out.unit_status == testing.ActiveStatus("other other/4 3.4.1 other/4 7 zone-a main/0")
    assert (ctx.app_name, ctx.unit_id) == ("other", 4)


def test_unit_id_none_is_unit_0(testing):
    ctx = testing.Context(Introspector, meta=META, unit_id=None)
    assert ctx.unit_id == 0
    assert "app/0" in ctx.run(ctx.on.start(), testing.State()).unit_status.message


class Pusher(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.get_container("c").push("/etc/x.conf", "x", make_dirs=True)


def test_a_context_manager_context_removes_its_files(api):
    testing = api.testing
    container = testing.Container("c", can_connect=True)
    with testing.Context(Pusher, meta={"name": "app", "containers": {"c": {}}}) as ctx:
        api.run(ctx, "start", testing.State(containers=[container]))
        pushed = container.get_filesystem(ctx) / "etc" / "x.conf"
        assert pushed.read_text() == "x"
    assert not pushed.exists()


class Logger(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        logger.info("hello %s", "world")
        logger.debug("details")
        logger.error("bad")


def test_juju_log_holds_the_charm_s_lines_and_ops_s_own(api):
    testing = api.testing
    ctx = testing.Context(Logger, meta=META)
    api.run(ctx, "start", testing.State())
    assert testing.JujuLogLine("DEBUG", "Emitting Juju event start.") in ctx.juju_log
    charm_lines = ctx.juju_log[-3:]
    assert charm_lines == [
        testing.JujuLogLine("INFO", "hello world"),
        testing.JujuLogLine("DEBUG", "details"),
        testing.JujuLogLine("ERROR", "bad"),
    ]
    assert (charm_lines[0].level, charm_lines[0].message) == ("INFO", "hello world")
    api.run(ctx, "start", testing.State())
    # Never cleared: a second run adds its lines.
    assert [line.message for line in ctx.juju_log].count("hello world") == 2


def test_juju_log_lines_of_ops_setup_under_ops_testing(testing):
    # (Scenario 5 runs log no setup lines:
    # test_juju_log_records_each_line_once_per_run_under_scenario_5.)
    ctx = testing.Context(Logger, meta=META)
    ctx.run(ctx.on.start(), testing.State())
    assert ctx.juju_log[:3] == [
        testing.JujuLogLine("DEBUG", f"ops {ops.__version__} up and running."),
        testing.JujuLogLine("DEBUG", "Initializing SQLite local storage: :memory:."),
        testing.JujuLogLine("DEBUG", "Emitting Juju event start."),
    ]


def test_scenario_5_s_api_differs_from_8_9(testing):
    """One package serves both APIs: where 8.9 refuses Scenario 5's idioms (an event name,
    ``run_action``, ``Relation.relation_id``) and says what to write instead, this package
    runs them as Scenario 5 did."""
    ctx = testing.Context(Starter, meta=META)
    rel = testing.Relation("db")
    if hasattr(scenario, "_scenario"):
        assert ctx.run("start", testing.State()).unit_status == testing.ActiveStatus("started")
        assert rel.relation_id == rel.id
        assert callable(ctx.run_action)
    else:
        with pytest.raises(TypeError, match=r"call with an event from `ctx.on`"):
            ctx.run("start", testing.State())
        with pytest.raises(AttributeError, match=r"use .id instead"):
            rel.relation_id  # noqa: B018
        with pytest.raises(AttributeError):
            ctx.run_action("go", testing.State())
