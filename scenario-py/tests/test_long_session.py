"""A long test session: a run leaves no garbage for the cyclic collector and nothing of
itself behind, the collector stays out of a run, so the thousandth run costs what the
tenth did. (Times are for `cargo xtask bench`; these tests count objects.)"""

import contextlib
import gc
import logging
import weakref
from typing import ClassVar

import ops
import pytest

from scenario import Action, Container, Context, Relation, Secret, State
from scenario.runtime import UncaughtCharmError

logger = logging.getLogger(__name__)

META = {
    "name": "busy",
    "requires": {"db": {"interface": "sql"}},
    "containers": {"workload": {}},
}
CONFIG = {"options": {"level": {"type": "string", "default": "info"}}}
LAYER = {"services": {"srv": {"override": "replace", "command": "srv", "startup": "enabled"}}}


class BusyCharm(ops.CharmBase):
    """Calls a bit of every hook tool, including ones that fail, on every event."""

    _stored = ops.StoredState()
    run_parts: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        self._stored.set_default(runs=0)
        for event in (
            self.on.config_changed,
            self.on.workload_pebble_ready,
            self.on.db_relation_changed,
            self.on.work_action,
        ):
            framework.observe(event, self._work)
        framework.observe(self.on.collect_unit_status, self._collect)
        parts = (self, framework, self.model, self.model._backend)
        BusyCharm.run_parts = [weakref.ref(o) for o in parts]

    def _collect(self, event):
        event.add_status(ops.ActiveStatus(f"{self._stored.runs} runs"))

    def _work(self, event):
        self._stored.runs += 1
        logger.info("working on %s at level %s", event.handle.kind, self.config["level"])
        for relation in self.model.relations["db"]:
            relation.data[self.unit]["seen"] = "yes"
            for unit in relation.units:
                dict(relation.data[unit])
        with contextlib.suppress(ops.SecretNotFoundError):
            self.model.get_secret(id="secret:missing").get_content()
        self.model.get_secret(id="secret:mine").get_content()
        container = self.unit.get_container("workload")
        if container.can_connect():
            container.push("/etc/srv.conf", "level=info", make_dirs=True)
            container.pull("/etc/srv.conf").read()
            container.add_layer("srv", LAYER, combine=True)
            container.replan()
            with contextlib.suppress(ops.pebble.PathError):
                container.pull("/missing")
        self.unit.set_ports(8080)
        if isinstance(event, ops.ActionEvent):
            event.log("working")
            event.set_results({"runs": self._stored.runs})


def _context() -> Context:
    return Context(BusyCharm, meta=META, config=CONFIG, actions={"work": {}})


RELATION = Relation("db", remote_app_name="pg", remote_units_data={0: {"a": "b"}, 1: {}})
CONTAINER = Container("workload", can_connect=True)
SECRETS = [Secret("secret:mine", {0: {"k": "v"}}, owner="unit")]
STATE = State(relations=[RELATION], containers=[CONTAINER], secrets=SECRETS)


def _every_kind_of_run(ctx: Context) -> None:
    ctx.run("config-changed", STATE)
    ctx.run(CONTAINER.pebble_ready_event, STATE)
    ctx.run(RELATION.changed_event(remote_unit_id=0), STATE)
    ctx.run_action(Action("work"), STATE)


@contextlib.contextmanager
def _without_log_capture():
    """pytest's log capture keeps every record of a test, and a record of a caught
    exception (ops logs the ConnectionError of ``can_connect``) keeps its frames and so the
    run alive: what these tests count is what the run itself keeps."""
    root = logging.getLogger()
    handlers = root.handlers[:]
    root.handlers[:] = []
    try:
        yield
    finally:
        root.handlers[:] = handlers


@contextlib.contextmanager
def _collector_off():
    # Until nothing is left: what a finalizer of an earlier test's garbage kept alive (a
    # pytester session's, say) is freed by the next collection, and is no run's.
    for _ in range(10):
        if not gc.collect():
            break
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_run_leaves_no_cyclic_garbage():
    ctx = _context()
    _every_kind_of_run(ctx)  # what a Context makes once, made
    with _collector_off():
        _every_kind_of_run(ctx)
        found = gc.collect()
    assert found == 0


def test_a_run_is_freed_by_reference_counting_when_it_ends():
    ctx = _context()
    with _collector_off():
        ctx.run("config-changed", STATE)
        parts = BusyCharm.run_parts
        assert [ref() for ref in parts] == [None] * len(parts)


def test_many_runs_leave_only_their_records_behind():
    ctx = _context()
    state = State(config={"level": "debug"}, secrets=SECRETS)
    for _ in range(20):
        ctx.run("config-changed", state)
    gc.collect()
    before = len(gc.get_objects())
    runs = 200
    with _without_log_capture():
        for _ in range(runs):
            ctx.run("config-changed", state)
            # Where ops[tracing] is installed a run also records its spans, some 70
            # objects: records the test does not count.
            ctx.trace_data.clear()
    gc.collect()
    # What a run records: its event, a status, a few juju-log lines (and, once, what a
    # first use caches: a few objects, whatever the number of runs).
    assert len(gc.get_objects()) - before <= 6 * runs + 50
    ctx.cleanup()
    gc.collect()
    assert len(gc.get_objects()) - before <= 50


class ThresholdCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        ThresholdCharm.seen.append(gc.get_threshold())
        raise RuntimeError("the charm fails")


def test_the_collector_is_held_back_during_a_run_and_restored_after():
    before = gc.get_threshold()
    ctx = Context(ThresholdCharm, meta={"name": "threshold"})
    with pytest.raises(UncaughtCharmError):
        ctx.run("start", State())
    assert ThresholdCharm.seen[-1][0] > before[0]
    assert ThresholdCharm.seen[-1][1:] == before[1:]
    assert gc.get_threshold() == before


def test_a_user_who_turned_automatic_collection_off_keeps_it_off():
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        ctx = Context(ThresholdCharm, meta={"name": "threshold"})
        with pytest.raises(UncaughtCharmError):
            ctx.run("start", State())
        assert ThresholdCharm.seen[-1][0] == 0
    finally:
        gc.set_threshold(*before)


def test_the_collector_stays_out_of_a_run_on_a_big_state():
    relations = [
        Relation("db", remote_app_name=f"pg{i}", remote_units_data={u: {} for u in range(5)})
        for i in range(200)
    ]
    state = State(relations=relations, secrets=SECRETS)
    event = relations[0].changed_event(remote_unit_id=0)
    ctx = _context()
    ctx.run(event, state)
    BusyCharm.run_parts = []
    walked_the_run = []

    def during(phase, info):
        # A collection while the run's framework is alive walks ops's whole graph.
        if phase == "start" and any(ref() is not None for ref in BusyCharm.run_parts):
            walked_the_run.append(info["generation"])

    gc.callbacks.append(during)
    try:
        with _without_log_capture():
            ctx.run(event, state)
    finally:
        gc.callbacks.remove(during)
    assert BusyCharm.run_parts, "the charm ran"
    assert walked_the_run == []


class QuietCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        pass


def test_runs_do_not_keep_their_framework_or_charm_alive(api):
    ctx = Context(QuietCharm, meta={"name": "app"})
    frameworks_before = len(ops.Framework.on._cache)
    for _ in range(20):
        api.run(ctx, "start", State())
    gc.collect()
    # ops caches each object's events in a WeakKeyDictionary whose values refer back to
    # their keys; a run drops its entries so the framework and charm can be collected.
    assert len(ops.Framework.on._cache) <= frameworks_before
    assert len(ctx._charm.wrapped_charm_type().on._cache) == 0
