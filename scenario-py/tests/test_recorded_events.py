"""The events a Context records (``ctx.emitted_events``, under both APIs, with the capture
options) and Scenario 5's ``capture_events``: each event as its handler saw it (with what
ops's restore() sets), detached from its run, which they do not keep alive."""

import gc
import threading
import weakref
from typing import ClassVar

import ops
import pytest

from scenario import (
    Action,
    Container,
    Context,
    Relation,
    Secret,
    State,
    Storage,
    capture_events,
    deferred,
)
from scenario.state import DeferredEvent

META = {
    "name": "local",
    "requires": {"db": {"interface": "sql"}},
    "containers": {"workload": {}},
    "storage": {"data": {"type": "filesystem"}},
}
ACTIONS = {
    "snapshot": {"params": {"name": {"type": "string"}, "keep": {"type": "integer", "default": 3}}}
}


class SeeingCharm(ops.CharmBase):
    """Observes every event the tests emit, and keeps weak references to its run."""

    run_parts: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        for event in (
            self.on.start,
            self.on.snapshot_action,
            self.on.db_relation_changed,
            self.on.db_relation_departed,
            self.on.workload_pebble_ready,
            self.on.data_storage_attached,
            self.on.secret_changed,
            self.on.secret_remove,
        ):
            framework.observe(event, self._seen)
        backend = self.model._backend
        SeeingCharm.run_parts = [weakref.ref(o) for o in (self, framework, self.model, backend)]

    def _seen(self, event):
        pass


def _ctx() -> Context:
    return Context(SeeingCharm, meta=META, actions=ACTIONS, juju_version="3.4.0")


def _one(ctx: Context) -> ops.EventBase:
    assert len(ctx.emitted_events) == 1, ctx.emitted_events
    return ctx.emitted_events[0]


def test_an_action_event_has_its_params(api):
    ctx = _ctx()
    api.run_action(ctx, "snapshot", State(), {"name": "nightly"})
    event = _one(ctx)
    assert isinstance(event, ops.ActionEvent)
    assert event.params == {"name": "nightly", "keep": 3}


def test_a_relation_event_has_its_relation_app_and_unit(api):
    relation = Relation("db", remote_app_name="pg", remote_units_data={0: {}, 1: {"a": "b"}})
    ctx = _ctx()
    api.run(ctx, "relation_changed", State(relations=[relation]), relation, remote_unit=1)
    event = _one(ctx)
    assert isinstance(event, ops.RelationChangedEvent)
    assert (event.relation.name, event.relation.id) == ("db", relation.relation_id)
    assert event.app.name == "pg"
    assert event.unit.name == "pg/1"
    assert sorted(u.name for u in event.relation.units) == ["pg/0", "pg/1"]


class CountingCharm(ops.CharmBase):
    """Sees how many relations its own model lists on the endpoint of its event."""

    listed: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.db_relation_changed, self._on_changed)

    def _on_changed(self, event):
        CountingCharm.listed.append(sorted(r.id for r in self.model.relations["db"]))


def test_a_relation_event_among_many_has_its_own_relation(api):
    relations = [
        Relation("db", remote_app_name=f"pg{i}", remote_units_data={0: {}, i + 1: {}})
        for i in range(3)
    ]
    middle = relations[1]
    ctx = Context(CountingCharm, meta=META)
    CountingCharm.listed = []
    api.run(ctx, "relation_changed", State(relations=relations), middle, remote_unit=2)
    event = _one(ctx)
    assert (event.relation.id, event.relation.active) == (middle.relation_id, True)
    assert event.app.name == "pg1"
    assert sorted(u.name for u in event.relation.units) == ["pg1/0", "pg1/2"]
    # The charm's own model lists every relation of the endpoint, the record or not.
    assert CountingCharm.listed == [sorted(r.relation_id for r in relations)]


def test_a_relation_departed_event_names_its_departing_unit(api):
    relation = Relation("db", remote_app_name="pg", remote_units_data={0: {}, 1: {}})
    ctx = _ctx()
    api.run(ctx, "relation_departed", State(relations=[relation]), relation, remote_unit=1)
    event = _one(ctx)
    assert event.departing_unit.name == "pg/1"


def test_a_workload_event_has_its_container(api):
    container = Container("workload", can_connect=True)
    ctx = _ctx()
    api.run(ctx, "pebble_ready", State(containers=[container]), container)
    assert _one(ctx).workload.name == "workload"


def test_a_storage_event_has_its_storage(api):
    storage = Storage("data")
    ctx = _ctx()
    api.run(ctx, "storage_attached", State(storages=[storage]), storage)
    event = _one(ctx)
    assert (event.storage.name, event.storage.index) == ("data", storage.index)


def test_a_secret_event_has_its_secret(api):
    secret = Secret("secret:abc", {0: {"k": "v"}, 2: {"k": "w"}}, owner="unit", label="pw")
    ctx = _ctx()
    api.run(ctx, "secret_remove", State(secrets=[secret]), secret, revision=2)
    event = _one(ctx)
    assert (event.secret.id, event.secret.label, event.revision) == ("secret:abc", "pw", 2)


def test_a_recorded_event_cannot_call_hook_tools_once_its_run_is_over(api):
    relation = Relation("db", remote_app_name="pg", remote_units_data={0: {"a": "b"}})
    ctx = _ctx()
    api.run(ctx, "relation_changed", State(relations=[relation]), relation, remote_unit=0)
    event = _one(ctx)
    with pytest.raises(RuntimeError, match="has finished"):
        dict(event.relation.data[event.unit])


def test_a_recorded_workload_event_cannot_reach_pebble_once_its_run_is_over(api):
    container = Container("workload", can_connect=True)
    ctx = _ctx()
    api.run(ctx, "pebble_ready", State(containers=[container]), container)
    with pytest.raises(RuntimeError, match="has finished"):
        _one(ctx).workload.get_plan()


class CustomEvent(ops.EventBase):
    def __init__(self, handle, payload=None):
        super().__init__(handle)
        self.payload = payload

    def snapshot(self):
        return {"payload": self.payload}

    def restore(self, snapshot):
        self.payload = snapshot["payload"]


class CustomEvents(ops.CharmEvents):
    custom = ops.EventSource(CustomEvent)


class CustomCharm(ops.CharmBase):
    on = CustomEvents()

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.on.custom.emit(payload={"n": 1})


def test_a_custom_event_has_what_its_restore_sets(api):
    ctx = Context(CustomCharm, meta={"name": "custom"})
    api.run(ctx, "start", State())
    kinds = [(e.handle.kind, getattr(e, "payload", None)) for e in ctx.emitted_events]
    assert kinds == [("start", None), ("custom", {"n": 1})]


def test_records_keep_nothing_of_their_run_alive(api):
    ctx = _ctx()
    relation = Relation("db", remote_app_name="pg", remote_units_data={0: {}})
    api.run_action(ctx, "snapshot", State(), {"name": "n"})
    parts = SeeingCharm.run_parts
    api.run(ctx, "relation_changed", State(relations=[relation]), relation, remote_unit=0)
    parts += SeeingCharm.run_parts
    container = Container("workload", can_connect=True)
    api.run(ctx, "pebble_ready", State(containers=[container]), container)
    parts += SeeingCharm.run_parts
    gc.collect()
    assert len(ctx.emitted_events) == 3
    # The charm, framework, model and backend of every run are gone.
    assert [ref() for ref in parts] == [None] * len(parts)


def test_capture_events_records_the_events_as_their_handler_saw_them():
    with capture_events(ops.ActionEvent) as emitted:
        _ctx().run_action(Action("snapshot", params={"name": "n"}), State())
    assert [e.params for e in emitted] == [{"name": "n", "keep": 3}]


def test_capture_events_records_deferred_events_restored():
    relation = Relation("db", remote_app_name="pg", remote_units_data={0: {}})
    state = State(
        relations=[relation],
        deferred=[relation.changed_event(remote_unit_id=0).deferred(SeeingCharm._seen)],
    )
    with capture_events(ops.RelationChangedEvent) as emitted:
        _ctx().run("start", state)
    assert [e.relation.id for e in emitted] == [relation.relation_id]


def test_capture_events_records_the_runs_of_its_own_thread_only():
    other = threading.Thread(target=lambda: _ctx().run("start", State()))
    with capture_events() as emitted:
        other.start()
        other.join()
        _ctx().run("update-status", State())
    assert [e.handle.kind for e in emitted] == ["update_status"]


def test_capture_events_leaves_ops_untouched():
    original = ops.Framework._emit
    with capture_events():
        assert ops.Framework._emit is original
    assert ops.Framework._emit is original


def test_deferred_events_are_recorded_when_asked(api):
    ctx = Context(SeeingCharm, meta=META, actions=ACTIONS, capture_deferred_events=True)
    api.run(ctx, "update_status", State(deferred=[deferred("start", SeeingCharm._seen)]))
    assert [e.handle.kind for e in ctx.emitted_events] == ["start", "update_status"]
    assert all(not e.deferred for e in ctx.emitted_events)


# --- the capture options ---------------------------------------------------------------------


class StartOrUpdateCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.update_status, self._foo)

    def _on_start(self, _):
        pass

    def _foo(self, _):
        pass


class Deferrer(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_event)
        framework.observe(self.on.update_status, self._on_event)

    def _on_event(self, event):
        event.defer()


@pytest.mark.parametrize(("deferred", "framework"), [(False, False), (True, False), (False, True)])
def test_emitted_events_with_each_capture_option(api, deferred, framework):
    testing = api.testing
    ctx = testing.Context(
        Deferrer,
        meta={"name": "app"},
        capture_deferred_events=deferred,
        capture_framework_events=framework,
    )
    handler = Deferrer._on_event
    state = testing.State(deferred=[api.event(ctx, "update_status").deferred(handler)])
    api.run(ctx, "start", state)
    expected = (["update_status"] if deferred else []) + ["start"]
    if framework:
        expected += ["collect_unit_status", "pre_commit", "commit"]
    assert [e.handle.kind for e in ctx.emitted_events] == expected


def test_emitted_events_are_never_cleared(api):
    ctx = api.testing.Context(Starter, meta={"name": "app"})
    api.run(ctx, "start", api.testing.State())
    api.run(ctx, "update_status", api.testing.State())
    assert [type(e) for e in ctx.emitted_events] == [ops.StartEvent, ops.UpdateStatusEvent]


class Starter(ops.CharmBase):
    """Sets its status on start; remembers what it saw."""

    def __init__(self, framework):
        super().__init__(framework)
        self.started = False
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.started = True
        self.unit.status = ops.ActiveStatus("started")


def test_emitted_leader_includes_app_collect_status(api):
    ctx = Context(StartOrUpdateCharm, meta={"name": "foo"}, capture_framework_events=True)
    api.run(ctx, "start", State(leader=True))
    assert [e.handle.kind for e in ctx.emitted_events] == [
        "start",
        "collect_app_status",
        "collect_unit_status",
        "pre_commit",
        "commit",
    ]


def test_capture_events_filters_by_type():
    with capture_events(ops.StartEvent, ops.RelationEvent) as emitted:
        ctx = Context(StartOrUpdateCharm, meta={"name": "foo"})
        ctx.run("update-status", State(deferred=[deferred("start", StartOrUpdateCharm._on_start)]))
        ctx.run("start", State())
    assert [type(e) for e in emitted] == [ops.StartEvent, ops.StartEvent]


def test_capture_events_flags():
    with capture_events(include_framework=True, include_deferred=False) as emitted:
        ctx = Context(StartOrUpdateCharm, meta={"name": "foo"})
        ctx.run(
            "update-status",
            State(
                deferred=[
                    DeferredEvent(
                        "StartOrUpdateCharm/on/start[1]", "StartOrUpdateCharm", "_on_start"
                    )
                ]
            ),
        )
    kinds = [e.handle.kind for e in emitted]
    assert "start" not in kinds
    assert kinds[0] == "update_status"
    assert kinds[-2:] == ["pre_commit", "commit"]
