"""Scenario 5.8's README: "Writing scenario tests", "Statuses", "Status history", "Workload
version history" and "Emitted events". Each example runs as written there (where one was
wrong as written, the fix is made and marked with a comment), through both APIs: as
Scenario 5 wrote it, and as a suite written for ops[testing] writes it (its classes from
``ops.testing``, its events from ``ctx.on``).
"""

import ops
import pytest
from ops.charm import CharmBase, StartEvent, UpdateStatusEvent
from ops.model import (
    ActiveStatus,
    BlockedStatus,
    MaintenanceStatus,
    UnknownStatus,
    WaitingStatus,
)

from scenario import Context, State, capture_events, deferred


class BareCharm(CharmBase):
    pass


def test_scenario_base(api):
    ctx = api.testing.Context(BareCharm, meta={"name": "foo"})
    out = ctx.run(api.event(ctx, "start"), api.testing.State())
    assert out.unit_status == UnknownStatus()
    assert out.unit_status == api.testing.UnknownStatus()


class LeaderCharm(CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        if self.unit.is_leader():
            self.unit.status = ActiveStatus("I rule")
        else:
            self.unit.status = ActiveStatus("I am ruled")


@pytest.mark.parametrize("leader", (True, False))
def test_status_leader(api, leader):
    ctx = api.testing.Context(LeaderCharm, meta={"name": "foo"})
    out = api.run(ctx, "start", api.testing.State(leader=leader))
    assert out.unit_status == ActiveStatus("I rule" if leader else "I am ruled")
    # Output statuses are the ops classes themselves: equality holds both ways.
    assert ActiveStatus("I rule" if leader else "I am ruled") == out.unit_status
    assert isinstance(out.unit_status, ops.ActiveStatus)


class StatusCharm(CharmBase):
    """The "Statuses" charm: walks through statuses while it decides who rules."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_event)

    def _on_event(self, _event):
        self.unit.status = MaintenanceStatus("determining who the ruler is...")
        try:
            if self.unit.is_leader():
                self.unit.status = ActiveStatus("I rule")
            else:
                self.unit.status = WaitingStatus("checking this is right...")
                self._check_that_takes_some_more_time()
                self.unit.status = ActiveStatus("I am ruled")
        except Exception:
            self.unit.status = BlockedStatus("something went wrong")
        if self.unit.is_leader():
            self.app.status = ActiveStatus("")

    def _check_that_takes_some_more_time(self):
        pass


def test_statuses(api):
    ctx = api.testing.Context(StatusCharm, meta={"name": "foo"})
    out = api.run(ctx, "start", api.testing.State(leader=False))
    assert ctx.unit_status_history == [
        UnknownStatus(),
        MaintenanceStatus("determining who the ruler is..."),
        WaitingStatus("checking this is right..."),
    ]
    # The current status is not in the history.
    assert out.unit_status == ActiveStatus("I am ruled")
    assert ctx.app_status_history == []


def test_app_status_history_of_a_leader(api):
    ctx = api.testing.Context(StatusCharm, meta={"name": "foo"})
    out = api.run(ctx, "start", api.testing.State(leader=True))
    assert ctx.app_status_history == [UnknownStatus()]
    assert out.app_status == ActiveStatus("")


def test_history_starts_from_the_initial_status(api):
    ctx = api.testing.Context(StatusCharm, meta={"name": "foo"})
    api.run(ctx, "start", api.testing.State(leader=True, unit_status=ActiveStatus("foo")))
    assert ctx.unit_status_history == [
        ActiveStatus("foo"),
        MaintenanceStatus("determining who the ruler is..."),
    ]


class VersionCharm(CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.upgrade_charm, self._on_upgrade)

    def _on_upgrade(self, _):
        for version in ("1", "1.2", "1.5", "2.0"):
            self.unit.set_workload_version(version)


def test_workload_version_history(api):
    ctx = api.testing.Context(VersionCharm, meta={"name": "foo"})
    out = api.run(ctx, "upgrade_charm", api.testing.State())
    # The first version ("" before the run) is not recorded; the current one is not either.
    assert ctx.workload_version_history == ["1", "1.2", "1.5"]
    assert out.workload_version == "2.0"


class EventsCharm(CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.update_status, self._foo)

    def _on_start(self, _):
        pass

    def _foo(self, _):
        pass


def test_foo(api):
    ctx = api.testing.Context(EventsCharm, meta={"name": "foo"})
    api.run(ctx, "start", api.testing.State())
    assert len(ctx.emitted_events) == 1
    assert isinstance(ctx.emitted_events[0], StartEvent)


def test_emitted_full(api):
    ctx = api.testing.Context(
        EventsCharm,
        meta={"name": "foo"},
        capture_deferred_events=True,
        capture_framework_events=True,
    )
    deferred_update = api.event(ctx, "update_status").deferred(EventsCharm._foo)
    api.run(ctx, "start", api.testing.State(deferred=[deferred_update]))

    assert len(ctx.emitted_events) == 5
    assert [e.handle.kind for e in ctx.emitted_events] == [
        "update_status",
        "start",
        "collect_unit_status",
        "pre_commit",
        "commit",
    ]


def test_capture_events_low_level():
    with capture_events() as emitted:
        ctx = Context(EventsCharm, meta={"name": "foo"})
        ctx.run(
            "update-status",
            State(deferred=[deferred("start", EventsCharm._on_start)]),
        )
    # deferred events get re-emitted first
    assert isinstance(emitted[0], StartEvent)
    # the main juju event gets emitted next
    assert isinstance(emitted[1], UpdateStatusEvent)
    assert len(emitted) == 2
