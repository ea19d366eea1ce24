"""Deferred events: the ``DeferredEvent`` class, the deferred events each API builds
(ops[testing]'s ``ctx.on.<event>().deferred(handler)``, Scenario 5's ``deferred(...)`` and
``Event.deferred``) with their snapshots, and a charm deferring events and having them
re-emitted under both APIs. A deferred event ops could not re-emit, or would drop, is
test_refused_inputs.py's; a deferred secret event is test_secrets.py's.
"""

from typing import ClassVar

import ops
import pytest

from scenario import Context, Event, PeerRelation, State, deferred
from scenario.errors import MissingEventEntityError

META = {
    "name": "app",
    "requires": {"db": {"interface": "sql"}},
    "containers": {"workload": {}},
    "storage": {"data": {"type": "filesystem"}},
}

# --- the class and its snapshots -------------------------------------------------------------


def test_deferred_event(testing):
    event = testing.DeferredEvent("MyCharm/on/start[1]", "MyCharm", "_on_start")
    assert (event.owner, event.observer, event.name, event.snapshot_data) == (
        "MyCharm",
        "_on_start",
        "start",
        {},
    )
    relation_event = testing.DeferredEvent(
        "MyCharm/on/db_relation_changed[3]", "MyCharm", "_on", snapshot_data={"relation_id": 1}
    )
    assert relation_event.name == "db_relation_changed"


class Deferrer(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        for event in self.on.events().values():
            if not issubclass(event.event_type, ops.CollectStatusEvent):
                framework.observe(event, self._on_event)

    def _on_event(self, event):
        event.defer()


def test_deferred_lifecycle_event(testing):
    deferred = testing.CharmEvents.start().deferred(Deferrer._on_event)
    assert deferred == testing.DeferredEvent("Deferrer/on/start[1]", "Deferrer", "_on_event")
    assert deferred.name == "start"
    assert testing.CharmEvents.install().deferred(Deferrer._on_event, event_id=5).handle_path == (
        "Deferrer/on/install[5]"
    )


def test_deferred_relation_events_snapshot_the_relation_and_units(testing):
    rel = testing.Relation("db", remote_app_name="pg", remote_units_data={3: {}, 4: {}})
    changed = testing.CharmEvents.relation_changed(rel, remote_unit=3).deferred(Deferrer._on_event)
    assert changed.handle_path == "Deferrer/on/db_relation_changed[1]"
    assert changed.snapshot_data == {
        "relation_name": "db",
        "relation_id": rel.id,
        "app_name": "pg",
        "unit_name": "pg/3",
    }
    departed = testing.CharmEvents.relation_departed(rel, remote_unit=3, departing_unit=4)
    snapshot = departed.deferred(Deferrer._on_event).snapshot_data
    assert snapshot["departing_unit"] == "pg/4"
    assert snapshot["unit_name"] == "pg/3"


def test_deferred_storage_notice_and_action_events(testing):
    storage = testing.Storage("data", index=1)
    assert testing.CharmEvents.storage_attached(storage).deferred(
        Deferrer._on_event
    ).snapshot_data == {
        "storage_name": "data",
        "storage_index": 1,
    }
    notice = testing.Notice("example.com/a")
    container = testing.Container("workload", notices=[notice])
    snapshot = testing.CharmEvents.pebble_custom_notice(container, notice).deferred(
        Deferrer._on_event
    )
    assert snapshot.snapshot_data == {
        "container_name": "workload",
        "notice_id": notice.id,
        "notice_key": "example.com/a",
        "notice_type": "custom",
    }
    action = testing.CharmEvents.action("go", id="9").deferred(Deferrer._on_event)
    assert action.snapshot_data == {"id": "9"}


def a_function(event):
    pass


@pytest.mark.parametrize("handler", [a_function, print])
def test_deferring_needs_a_method_of_a_class(testing, handler):
    with pytest.raises(ValueError):
        testing.CharmEvents.start().deferred(handler)


def test_deferring_a_relation_event_without_its_relation_fails_at_once():
    with pytest.raises(MissingEventEntityError, match="relation=") as info:
        Event("foo_relation_changed").deferred(DeferringCharm._on_foo_relation_changed)
    assert isinstance(info.value, AttributeError)


# --- deferring and re-emitting ---------------------------------------------------------------


def test_a_deferred_relation_event_is_reemitted_with_its_units(testing):
    rel = testing.Relation("db", remote_units_data={3: {}, 4: {}})
    departed = testing.CharmEvents.relation_departed(rel, remote_unit=3, departing_unit=4)
    ctx = testing.Context(Deferrer, meta=META, capture_deferred_events=True)
    out = ctx.run(
        ctx.on.update_status(),
        testing.State(relations={rel}, deferred=[departed.deferred(Deferrer._on_event)]),
    )
    reemitted = ctx.emitted_events[0]
    assert isinstance(reemitted, ops.RelationDepartedEvent)
    assert reemitted.unit.name == "remote/3"
    assert reemitted.departing_unit.name == "remote/4"
    assert sorted(d.name for d in out.deferred) == ["db_relation_departed", "update_status"]


def test_a_deferred_notice_event_is_reemitted_with_its_notice(testing):
    notice = testing.Notice("example.com/a")
    container = testing.Container("workload", can_connect=True, notices=[notice])
    deferred = testing.CharmEvents.pebble_custom_notice(container, notice).deferred(
        Deferrer._on_event
    )
    ctx = testing.Context(Deferrer, meta=META, capture_deferred_events=True)
    ctx.run(ctx.on.update_status(), testing.State(containers={container}, deferred=[deferred]))
    reemitted = ctx.emitted_events[0]
    assert isinstance(reemitted, ops.PebbleCustomNoticeEvent)
    assert reemitted.notice.key == "example.com/a"


class DeferringCharm(ops.CharmBase):
    handled: ClassVar[list] = []
    defer_update_status = True

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.install, self._on_install)
        framework.observe(self.on.foo_relation_changed, self._on_foo_relation_changed)

    def _on_update_status(self, e):
        DeferringCharm.handled.append("update_status")
        if DeferringCharm.defer_update_status:
            e.defer()

    def _on_start(self, e):
        DeferringCharm.handled.append("start")
        e.defer()

    def _on_install(self, e):
        DeferringCharm.handled.append("install")

    def _on_foo_relation_changed(self, e):
        DeferringCharm.handled.append(
            ("foo_relation_changed", e.relation.id, e.app.name, e.unit.name if e.unit else None)
        )


DEFER_META = {"name": "deferring", "requires": {"foo": {"interface": "bar"}}}


def _defer_ctx():
    DeferringCharm.handled = []
    DeferringCharm.defer_update_status = True
    return Context(DeferringCharm, meta=DEFER_META)


def test_start_on_deferred_update_status_that_is_handled_this_time(api):
    ctx = _defer_ctx()
    DeferringCharm.defer_update_status = False
    state_in = State(
        deferred=[deferred("update_status", handler=DeferringCharm._on_update_status)]
    )
    state_out = api.run(ctx, "start", state_in)
    assert DeferringCharm.handled == ["update_status", "start"]
    assert len(state_out.deferred) == 1
    assert state_out.deferred[0].name == "start"


def test_a_deferred_install_is_re_emitted_to_its_handler(api):
    ctx = _defer_ctx()
    state = State(deferred=[Event("install").deferred(DeferringCharm._on_install)])
    out = api.run(ctx, "update_status", state)
    assert DeferringCharm.handled == ["install", "update_status"]
    # install was handled this time; update-status was deferred.
    assert [d.name for d in out.deferred] == ["update_status"]


class PeerDeferCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.cluster_relation_changed, self._on_cluster_relation_changed)

    def _on_cluster_relation_changed(self, e):
        PeerDeferCharm.seen.append(
            (e.relation.id, e.app.name if e.app else None, e.unit.name if e.unit else None)
        )


def test_a_deferred_peer_relation_event_is_re_emitted_as_the_live_one(api):
    # A peer relation event ops deferred itself carries this app and the remote peer; the
    # one the helper builds comes back the same as the event run live.
    meta = {"name": "clustered", "peers": {"cluster": {"interface": "c"}}}
    rel = PeerRelation("cluster", peers_data={1: {}})
    PeerDeferCharm.seen = []
    ctx = Context(PeerDeferCharm, meta=meta)
    api.run(ctx, "relation_changed", State(relations=[rel]), rel, remote_unit=1)
    live = PeerDeferCharm.seen[0]
    assert live == (rel.relation_id, "clustered", "clustered/1")
    PeerDeferCharm.seen = []
    deferred_evt = rel.changed_event.deferred(handler=PeerDeferCharm._on_cluster_relation_changed)
    api.run(ctx, "start", State(relations=[rel], deferred=[deferred_evt]))
    assert PeerDeferCharm.seen == [live]


def test_defer(api):
    out = api.run(_defer_ctx(), "start", State())
    assert len(out.deferred) == 1
    assert out.deferred[0].name == "start"
    assert out.deferred[0].owner == "DeferringCharm"
    assert out.deferred[0].observer == "_on_start"


def test_a_deferred_event_survives_a_round_trip(api):
    ctx = _defer_ctx()
    out = api.run(ctx, "start", State())
    DeferringCharm.handled = []
    out2 = api.run(ctx, "install", out)
    assert DeferringCharm.handled == ["start", "install"]
    assert [d.name for d in out2.deferred] == ["start"]
