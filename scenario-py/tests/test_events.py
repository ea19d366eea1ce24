"""Events: what the charm receives from each kind of event (the event object and the
variables Juju sets), under both APIs where both have the event: lifecycle, relation,
secret, storage, Pebble, action and custom events; the event each API builds
(ops[testing]'s ``ctx.on`` factories, Scenario 5's names, ``Event`` and the entities'
``*_event``), their names and paths, binding an event to the State's entity, and the hook
a run dispatches. What the events do to relations, secrets and the rest is in each
feature's file; deferring them is test_deferred_events.py's.
"""

import logging
import os
from typing import ClassVar

import ops
import pytest

import scenario
from scenario import (
    Container,
    Context,
    Event,
    PeerRelation,
    Relation,
    Secret,
    State,
    Storage,
    SubordinateRelation,
)
from scenario.context import InvalidActionError, InvalidEventError
from scenario.errors import InconsistentScenarioError, UncaughtCharmError
from scenario.ops_main_mock import NoObserverError
from scenario.state import _CharmSpec, _EventType

OPS_VERSION = tuple(int(p) for p in ops.__version__.split(".")[:2])

META = {
    "name": "app",
    "requires": {"db": {"interface": "sql"}, "foo-bar": {"interface": "x"}},
    "peers": {"peers": {"interface": "p"}},
    "containers": {"workload": {}},
    "storage": {"data": {"type": "filesystem"}},
}
ACTIONS = {"do-it": {"params": {"n": {"type": "integer"}}}, "go": {}}

# The Juju variables that say which event this is (the others are the same for every run).
EVENT_VARS = (
    "JUJU_DISPATCH_PATH",
    "JUJU_RELATION",
    "JUJU_RELATION_ID",
    "JUJU_REMOTE_APP",
    "JUJU_REMOTE_UNIT",
    "JUJU_DEPARTING_UNIT",
    "JUJU_WORKLOAD_NAME",
    "JUJU_NOTICE_ID",
    "JUJU_NOTICE_TYPE",
    "JUJU_NOTICE_KEY",
    "JUJU_PEBBLE_CHECK_NAME",
    "JUJU_STORAGE_ID",
    "JUJU_SECRET_ID",
    "JUJU_SECRET_LABEL",
    "JUJU_SECRET_REVISION",
    "JUJU_ACTION_NAME",
    "JUJU_ACTION_UUID",
    "JUJU_ACTION_TAG",
)


# The ones that say which unit runs, and where.
UNIT_VARS = ("JUJU_UNIT_NAME", "JUJU_VERSION", "JUJU_MODEL_NAME")


class Recorder(ops.CharmBase):
    """Observes every event it has and records each (the event, the Juju variables)."""

    seen: list = []  # noqa: RUF012 - reset by each test
    where: dict = {}  # noqa: RUF012

    def __init__(self, framework):
        super().__init__(framework)
        for event in self.on.events().values():
            if not issubclass(event.event_type, ops.CollectStatusEvent):
                framework.observe(event, self._record)

    def _record(self, event):
        env = {k: os.environ[k] for k in EVENT_VARS if k in os.environ}
        type(self).seen.append((event, env))
        Recorder.where = {k: os.environ[k] for k in UNIT_VARS}


def run(testing, event_factory, state=None, **ctx_kwargs):
    """Run Recorder with the event ``event_factory(ctx.on)`` makes; the one event seen, the
    Juju variables it ran with, and the output State."""
    Recorder.seen = []
    ctx = testing.Context(Recorder, meta=META, actions=ACTIONS, **ctx_kwargs)
    out = ctx.run(event_factory(ctx.on), state or testing.State())
    [(event, env)] = Recorder.seen
    return event, env, out


def run_api(api, name, state, *args, **kwargs):
    """Run Recorder with the event ``name`` written in ``api``; the one event seen and the
    Juju variables it ran with."""
    Recorder.seen = []
    ctx = api.testing.Context(Recorder, meta=META, actions=ACTIONS, juju_version="3.4.2")
    api.run(ctx, name, state, *args, **kwargs)
    [(event, env)] = Recorder.seen
    return event, env


LIFECYCLE = [
    ("install", ops.InstallEvent),
    ("start", ops.StartEvent),
    ("stop", ops.StopEvent),
    ("remove", ops.RemoveEvent),
    ("update_status", ops.UpdateStatusEvent),
    ("config_changed", ops.ConfigChangedEvent),
    ("upgrade_charm", ops.UpgradeCharmEvent),
    ("pre_series_upgrade", ops.PreSeriesUpgradeEvent),
    ("post_series_upgrade", ops.PostSeriesUpgradeEvent),
    ("leader_elected", ops.LeaderElectedEvent),
]


# ops 3 warns that Juju 4 drops the series-upgrade events; that is ops's message.
@pytest.mark.filterwarnings("ignore:.*series-upgrade events:DeprecationWarning")
@pytest.mark.parametrize(("name", "event_type"), LIFECYCLE)
def test_each_lifecycle_event(api, name, event_type):
    state = api.testing.State()
    event, env = run_api(api, name, state)
    assert type(event) is event_type
    assert event.handle.kind == name
    assert env == {"JUJU_DISPATCH_PATH": f"hooks/{name.replace('_', '-')}"}
    assert Recorder.where == {
        "JUJU_UNIT_NAME": "app/0",
        "JUJU_VERSION": "3.4.2",
        "JUJU_MODEL_NAME": state.model.name,
    }


# ops 3 warns that Juju 4 drops the series-upgrade events; that is ops's message.
@pytest.mark.filterwarnings("ignore:.*series-upgrade events:DeprecationWarning")
@pytest.mark.parametrize(
    "name",
    [n.replace("_", "-") for n, _ in LIFECYCLE]
    + ["leader-settings-changed", "leader_settings_changed"],
)
def test_a_lifecycle_event_by_juju_s_name_under_scenario_5(name):
    # Scenario 5 names an event as Juju does or as ops does (the ops names of the other
    # events run in test_each_lifecycle_event); leader-settings-changed is Scenario 5's
    # alone (test_there_is_no_leader_settings_changed_or_collect_metrics).
    Recorder.seen = []
    ctx = Context(Recorder, meta=META, juju_version="3.4.2")
    state = State(unit_id=3)
    ctx.run(name, state)
    [(event, env)] = Recorder.seen
    kind = name.replace("-", "_")
    assert event.handle.kind == kind
    assert env == {"JUJU_DISPATCH_PATH": f"hooks/{kind.replace('_', '-')}"}
    assert Recorder.where == {
        "JUJU_UNIT_NAME": "app/3",
        "JUJU_VERSION": "3.4.2",
        "JUJU_MODEL_NAME": state.model.name,
    }


def test_there_is_no_leader_settings_changed_or_collect_metrics(testing):
    ctx = testing.Context(Recorder, meta=META)
    assert not hasattr(ctx.on, "leader_settings_changed")
    assert not hasattr(ctx.on, "collect_metrics")


# --- relations -------------------------------------------------------------------------------


def test_relation_created_names_no_remote_unit(testing):
    rel = testing.Relation("db", remote_app_name="pg", remote_units_data={3: {}})
    event, env, _ = run(
        testing, lambda on: on.relation_created(rel), testing.State(relations={rel})
    )
    assert isinstance(event, ops.RelationCreatedEvent)
    assert event.relation.id == rel.id
    assert event.app.name == "pg"
    assert event.unit is None
    assert env == {
        "JUJU_DISPATCH_PATH": "hooks/db-relation-created",
        "JUJU_RELATION": "db",
        "JUJU_RELATION_ID": f"db:{rel.id}",
        "JUJU_REMOTE_APP": "pg",
    }


@pytest.mark.parametrize("kind", ["joined", "changed"])
def test_relation_joined_and_changed_with_a_remote_unit(testing, kind):
    rel = testing.Relation("db", remote_app_name="pg", remote_units_data={3: {}, 4: {"k": "v"}})
    event, env, _ = run(
        testing,
        lambda on: getattr(on, f"relation_{kind}")(rel, remote_unit=4),
        testing.State(relations={rel}),
    )
    assert type(event).__name__ == f"Relation{kind.title()}Event"
    assert event.unit.name == "pg/4"
    assert event.relation.data[event.unit] == {"k": "v"}
    assert env["JUJU_REMOTE_UNIT"] == "pg/4"
    assert env["JUJU_DISPATCH_PATH"] == f"hooks/db-relation-{kind}"


def test_relation_changed_with_remote_unit_0(testing):
    rel = testing.Relation("db", remote_units_data={0: {}, 1: {}})
    event, env, _ = run(
        testing, lambda on: on.relation_changed(rel, remote_unit=0), testing.State(relations={rel})
    )
    assert event.unit.name == "remote/0"
    assert env["JUJU_REMOTE_UNIT"] == "remote/0"


def test_relation_departed_with_a_departing_unit(testing):
    rel = testing.Relation("db", remote_units_data={3: {}, 4: {}})
    event, env, _ = run(
        testing,
        lambda on: on.relation_departed(rel, remote_unit=3, departing_unit=4),
        testing.State(relations={rel}),
    )
    assert isinstance(event, ops.RelationDepartedEvent)
    assert event.unit.name == "remote/3"
    assert event.departing_unit.name == "remote/4"
    assert env["JUJU_REMOTE_UNIT"] == "remote/3"
    assert env["JUJU_DEPARTING_UNIT"] == "remote/4"


def test_relation_departed_without_a_departing_unit_names_the_remote_one(testing):
    rel = testing.Relation("db", remote_units_data={3: {}})
    event, env, _ = run(
        testing,
        lambda on: on.relation_departed(rel, remote_unit=3),
        testing.State(relations={rel}),
    )
    assert event.departing_unit.name == "remote/3"
    assert env["JUJU_DEPARTING_UNIT"] == "remote/3"


def test_relation_departed_departing_unit_0_differs_from_8_9(testing):
    """8.9 ignores ``departing_unit=0`` (it tests the id for truth); this package names unit 0."""
    import scenario

    rel = testing.Relation("db", remote_units_data={0: {}, 3: {}})
    event, env, _ = run(
        testing,
        lambda on: on.relation_departed(rel, remote_unit=3, departing_unit=0),
        testing.State(relations={rel}),
    )
    expected = "remote/0" if hasattr(scenario, "_scenario") else "remote/3"
    assert env["JUJU_DEPARTING_UNIT"] == expected
    assert event.departing_unit.name == expected


def test_relation_broken(testing):
    rel = testing.Relation("db")
    event, env, _ = run(
        testing, lambda on: on.relation_broken(rel), testing.State(relations={rel})
    )
    assert isinstance(event, ops.RelationBrokenEvent)
    assert event.relation.id == rel.id
    assert event.unit is None
    assert "JUJU_REMOTE_UNIT" not in env


def test_a_peer_relation_event_is_from_this_app(testing):
    peers = testing.PeerRelation("peers", peers_data={1: {"k": "v"}})
    event, env, _ = run(
        testing,
        lambda on: on.relation_changed(peers, remote_unit=1),
        testing.State(relations={peers}),
    )
    assert event.app.name == "app"
    assert event.unit.name == "app/1"
    assert env["JUJU_REMOTE_APP"] == "app"
    assert env["JUJU_REMOTE_UNIT"] == "app/1"


def test_a_hyphenated_endpoint_keeps_its_name(testing):
    rel = testing.Relation("foo-bar", remote_units_data={1: {}})
    ctx = testing.Context(Recorder, meta=META)
    event = ctx.on.relation_changed(rel, remote_unit=1)
    # The path keeps the endpoint verbatim; ops's name and Juju's hook name are derived.
    assert event.path == "foo-bar_relation_changed"
    assert event.name == "foo_bar_relation_changed"
    Recorder.seen = []
    ctx.run(event, testing.State(relations={rel}))
    [(seen, env)] = Recorder.seen
    assert seen.handle.kind == "foo_bar_relation_changed"
    assert env["JUJU_DISPATCH_PATH"] == "hooks/foo-bar-relation-changed"
    assert env["JUJU_RELATION"] == "foo-bar"


# --- secrets ---------------------------------------------------------------------------------


def _observed(api, **kwargs):
    """A secret this unit observes, as each API writes it (Scenario 5 said it was granted)."""
    granted = {"granted": "unit"} if api.is_scenario_5 else {}
    return api.testing.Secret({"a": "b"}, **kwargs, **granted)


def test_secret_changed_for_a_secret_this_unit_observes(api):
    secret = _observed(api, label="lbl")
    event, env = run_api(api, "secret_changed", api.testing.State(secrets=[secret]), secret)
    assert isinstance(event, ops.SecretChangedEvent)
    assert event.secret.id == secret.id
    assert event.secret.label == "lbl"
    assert env == {
        "JUJU_DISPATCH_PATH": "hooks/secret-changed",
        "JUJU_SECRET_ID": secret.id,
        "JUJU_SECRET_LABEL": "lbl",
    }


@pytest.mark.parametrize("owner", ["unit", "app"])
def test_secret_changed_refuses_an_owned_secret(testing, owner):
    ctx = testing.Context(Recorder, meta=META)
    with pytest.raises(ValueError, match="will never receive secret-changed for a secret it owns"):
        ctx.on.secret_changed(testing.Secret({"a": "b"}, owner=owner))


@pytest.mark.parametrize("label", [None, "l"])
def test_secret_rotate_for_an_owned_secret(api, label):
    secret = api.testing.Secret({"a": "b"}, owner="app", label=label)
    state = api.testing.State(leader=True, secrets=[secret])
    event, env = run_api(api, "secret_rotate", state, secret)
    assert isinstance(event, ops.SecretRotateEvent)
    assert event.secret.id == secret.id
    assert env == {
        "JUJU_DISPATCH_PATH": "hooks/secret-rotate",
        "JUJU_SECRET_ID": secret.id,
        "JUJU_SECRET_LABEL": label or "",
    }


@pytest.mark.parametrize(
    ("kind", "event_type"), [("expired", "SecretExpiredEvent"), ("remove", "SecretRemoveEvent")]
)
def test_secret_expired_and_remove_carry_a_revision(testing, kind, event_type):
    secret = testing.Secret({"a": "b"}, owner="unit")
    event, env, _ = run(
        testing,
        lambda on: getattr(on, f"secret_{kind}")(secret, revision=7),
        testing.State(secrets={secret}),
    )
    assert type(event).__name__ == event_type
    assert event.revision == 7
    assert env["JUJU_SECRET_REVISION"] == "7"
    assert env["JUJU_DISPATCH_PATH"] == f"hooks/secret-{kind}"


def test_secret_remove_with_revision_0(testing):
    secret = testing.Secret({"a": "b"}, owner="unit")
    event, env, _ = run(
        testing, lambda on: on.secret_remove(secret, revision=0), testing.State(secrets={secret})
    )
    assert event.revision == 0
    assert env["JUJU_SECRET_REVISION"] == "0"


@pytest.mark.parametrize(
    ("factory", "word"),
    [
        (lambda on, s: on.secret_rotate(s), "secret-rotate"),
        (lambda on, s: on.secret_expired(s, revision=1), "secret-expire"),
        (lambda on, s: on.secret_remove(s, revision=1), "secret-removed"),
    ],
)
def test_owner_only_secret_events_refuse_a_secret_this_unit_does_not_own(testing, factory, word):
    ctx = testing.Context(Recorder, meta=META)
    with pytest.raises(
        ValueError, match=f"will never receive {word} for a secret it does not own"
    ):
        factory(ctx.on, testing.Secret({"a": "b"}))


def test_secret_expired_and_remove_require_the_revision(testing):
    ctx = testing.Context(Recorder, meta=META)
    secret = testing.Secret({"a": "b"}, owner="unit")
    with pytest.raises(TypeError):
        ctx.on.secret_expired(secret)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ctx.on.secret_remove(secret, 1)  # type: ignore[misc]


# --- storage and Pebble ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["attached", "detaching"])
def test_storage_events(testing, kind):
    storage = testing.Storage("data", index=2)
    event, env, _ = run(
        testing,
        lambda on: getattr(on, f"storage_{kind}")(storage),
        testing.State(storages={storage}),
    )
    assert type(event).__name__ == f"Storage{kind.title()}Event"
    assert (event.storage.name, event.storage.index) == ("data", 2)
    assert env == {"JUJU_DISPATCH_PATH": f"hooks/data-storage-{kind}", "JUJU_STORAGE_ID": "data/2"}


def test_pebble_ready(testing):
    container = testing.Container("workload", can_connect=True)
    event, env, _ = run(
        testing, lambda on: on.pebble_ready(container), testing.State(containers={container})
    )
    assert isinstance(event, ops.PebbleReadyEvent)
    assert event.workload.name == "workload"
    assert event.workload.can_connect()
    assert env == {
        "JUJU_DISPATCH_PATH": "hooks/workload-pebble-ready",
        "JUJU_WORKLOAD_NAME": "workload",
    }


def test_pebble_custom_notice(testing):
    notice = testing.Notice("example.com/thing", last_data={"a": "b"})
    container = testing.Container("workload", can_connect=True, notices=[notice])
    event, env, _ = run(
        testing,
        lambda on: on.pebble_custom_notice(container, notice),
        testing.State(containers={container}),
    )
    assert isinstance(event, ops.PebbleCustomNoticeEvent)
    assert event.workload.name == "workload"
    assert (event.notice.id, event.notice.key) == (notice.id, "example.com/thing")
    assert event.notice.type == ops.pebble.NoticeType.CUSTOM
    assert env["JUJU_NOTICE_ID"] == notice.id
    assert env["JUJU_NOTICE_TYPE"] == "custom"
    assert env["JUJU_NOTICE_KEY"] == "example.com/thing"
    assert env["JUJU_DISPATCH_PATH"] == "hooks/workload-pebble-custom-notice"


CHECK_LAYER = {
    "checks": {
        "http": {"override": "replace", "threshold": 3, "http": {"url": "http://localhost"}}
    }
}


@pytest.mark.parametrize("kind", ["failed", "recovered"])
def test_pebble_check_failed_and_recovered(testing, kind):
    info = testing.CheckInfo("http", failures=3, status=ops.pebble.CheckStatus.DOWN)
    container = testing.Container(
        "workload",
        can_connect=True,
        layers={"base": ops.pebble.Layer(CHECK_LAYER)},
        check_infos={info},
    )
    factory = getattr(testing.CharmEvents, f"pebble_check_{kind}")
    if OPS_VERSION < (2, 15):
        # ops 2.10 has no check events: the factory still makes the event, and nothing in
        # the charm can observe it.
        event = factory(container, info)
        assert event.check_info == info
        assert event.name == f"workload_pebble_check_{kind}"
        return
    event, env, _ = run(
        testing, lambda on: factory(container, info), testing.State(containers={container})
    )
    assert type(event).__name__ == f"PebbleCheck{kind.title()}Event"
    assert event.info.name == "http"
    assert env["JUJU_PEBBLE_CHECK_NAME"] == "http"
    assert env["JUJU_WORKLOAD_NAME"] == "workload"


# --- actions ---------------------------------------------------------------------------------


def test_an_action_with_params_and_id(testing):
    event, env, _ = run(testing, lambda on: on.action("do-it", params={"n": 3}, id="abc"))
    assert isinstance(event, ops.ActionEvent)
    assert event.params == {"n": 3}
    # ops 2.10's ActionEvent has no id (ops reads it from JUJU_ACTION_UUID since 2.17).
    assert getattr(event, "id", "abc") == "abc"
    assert env == {
        "JUJU_DISPATCH_PATH": "actions/do-it",
        "JUJU_ACTION_NAME": "do-it",
        "JUJU_ACTION_UUID": "abc",
        "JUJU_ACTION_TAG": "action-abc",
    }


# --- custom events ---------------------------------------------------------------------------


class DbReadyEvent(ops.EventBase):
    def __init__(self, handle, relation, container, note="none"):
        super().__init__(handle)
        self.relation = relation
        self.container = container
        self.note = note

    def snapshot(self):
        return {
            "relation_id": self.relation.id,
            "container": self.container.name,
            "note": self.note,
        }

    def restore(self, snapshot):
        self.relation = self.framework.model.get_relation("db", snapshot["relation_id"])
        self.container = self.framework.model.unit.get_container(snapshot["container"])
        self.note = snapshot["note"]


class DbEvents(ops.ObjectEvents):
    ready = ops.EventSource(DbReadyEvent)
    gone = ops.EventSource(ops.EventBase)


class DbRequirer(ops.Object):
    """A charm library's object, with its own events."""

    on = DbEvents()

    def __init__(self, charm, key):
        super().__init__(charm, key)


class LibCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.db = DbRequirer(self, "db")
        framework.observe(self.db.on.ready, self._on_ready)
        framework.observe(self.db.on.gone, self._on_gone)

    def _on_ready(self, event):
        assert isinstance(event.relation, ops.Relation)
        assert isinstance(event.container, ops.Container)
        self.unit.status = ops.ActiveStatus(
            f"{event.relation.id} {event.container.name} {event.note}"
        )

    def _on_gone(self, _):
        self.unit.status = ops.BlockedStatus("gone")


def test_a_custom_event_with_state_objects_as_arguments(testing):
    rel = testing.Relation("db")
    container = testing.Container("workload", can_connect=True)
    ctx = testing.Context(LibCharm, meta=META)
    event = ctx.on.custom(DbRequirer.on.ready, rel, container, note="hi")
    assert event.path == "{custom}.DbEvents.ready"
    out = ctx.run(event, testing.State(relations={rel}, containers={container}))
    assert out.unit_status == testing.ActiveStatus(f"{rel.id} workload hi")
    assert [type(e) for e in ctx.emitted_events] == [DbReadyEvent]


def test_a_custom_event_without_arguments(testing):
    ctx = testing.Context(LibCharm, meta=META)
    out = ctx.run(ctx.on.custom(DbRequirer.on.gone), testing.State())
    assert out.unit_status == testing.BlockedStatus("gone")


def test_a_custom_event_cannot_be_a_hook_event(testing):
    ctx = testing.Context(LibCharm, meta=META)
    with pytest.raises(ValueError, match="custom events should subclass EventBase directly"):
        ctx.on.custom(LibCharm.on.start)


# --- names and misuse ------------------------------------------------------------------------


def test_event_names_and_kinds(testing):
    ctx = testing.Context(Recorder, meta=META)
    assert ctx.on.update_status().name == "update_status"
    rel = testing.Relation("db")
    changed = ctx.on.relation_changed(rel)
    assert changed.name == "db_relation_changed"
    assert changed.relation == rel
    assert ctx.on.pebble_ready(testing.Container("workload")).name == "workload_pebble_ready"
    assert ctx.on.storage_attached(testing.Storage("data")).name == "data_storage_attached"
    assert ctx.on.action("do-it").name == "do_it_action"
    assert ctx.on.action("do-it").path == "do-it_action"


def test_an_uncalled_factory_is_refused(testing):
    ctx = testing.Context(Recorder, meta=META)
    with pytest.raises(TypeError, match="Did you forget to add parentheses"):
        ctx.run(ctx.on.start, testing.State())  # type: ignore[arg-type]


def test_the_factories_are_static_methods_of_charm_events(testing):
    rel = testing.Relation("db")
    event = testing.CharmEvents.relation_changed(rel, remote_unit=0)
    assert event.relation == rel
    assert event.relation_remote_unit_id == 0
    assert isinstance(testing.Context(Recorder, meta=META).on, testing.CharmEvents)


# --- deferring -------------------------------------------------------------------------------


# --- relation events, as Scenario 5 writes them ----------------------------------------------


KINDS = ["created", "joined", "changed", "departed", "broken"]


ENV_KEYS = [
    "JUJU_RELATION",
    "JUJU_RELATION_ID",
    "JUJU_REMOTE_APP",
    "JUJU_REMOTE_UNIT",
    "JUJU_DEPARTING_UNIT",
]


class RelationEventsCharm(ops.CharmBase):
    """Records, for every relation event on its three endpoints, what the charm sees."""

    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        for endpoint in ("foo", "peers", "info"):
            for kind in KINDS:
                framework.observe(getattr(self.on, f"{endpoint}_relation_{kind}"), self._record)

    def _record(self, event):
        record = {
            "kind": event.handle.kind,
            "relation_id": event.relation.id,
            "relation_name": event.relation.name,
            "app": event.app.name if event.app else None,
            "unit": event.unit.name if event.unit else None,
            "units": sorted(u.name for u in event.relation.units),
            "env": {k: os.environ.get(k) for k in ENV_KEYS},
        }
        if isinstance(event, ops.RelationDepartedEvent):
            record["departing_unit"] = event.departing_unit.name if event.departing_unit else None
        RelationEventsCharm.seen.append(record)


ALL_META = {
    "name": "local",
    "requires": {
        "foo": {"interface": "bar"},
        "info": {"interface": "juju-info", "scope": "container"},
    },
    "peers": {"peers": {"interface": "cluster"}},
}


def _run_relation_event(event, relation, **state_kwargs):
    RelationEventsCharm.seen = []
    Context(RelationEventsCharm, meta=ALL_META).run(
        event, State(relations=[relation], **state_kwargs)
    )
    assert len(RelationEventsCharm.seen) == 1
    return RelationEventsCharm.seen[0]


@pytest.mark.parametrize("kind", KINDS)
def test_relation_events_on_a_relation_under_scenario_5(kind):
    # Every kind names the remote unit here; ops[testing]'s relation-created and -broken
    # name none (test_relation_created_names_no_remote_unit, test_relation_broken).
    relation = Relation("foo", remote_app_name="db", remote_units_data={1: {}, 2: {}})
    event = getattr(relation, f"{kind}_event")(remote_unit_id=2)
    seen = _run_relation_event(event, relation)
    assert seen["kind"] == f"foo_relation_{kind}"
    assert seen["relation_id"] == relation.relation_id
    assert seen["relation_name"] == "foo"
    assert seen["app"] == "db"
    assert seen["unit"] == "db/2"
    assert seen["units"] == ["db/1", "db/2"]
    assert seen["env"] == {
        "JUJU_RELATION": "foo",
        "JUJU_RELATION_ID": str(relation.relation_id),
        "JUJU_REMOTE_APP": "db",
        "JUJU_REMOTE_UNIT": "db/2",
        "JUJU_DEPARTING_UNIT": "db/2" if kind == "departed" else None,
    }
    if kind == "departed":
        assert seen["departing_unit"] == "db/2"


@pytest.mark.parametrize("kind", KINDS)
def test_relation_events_on_a_peer_relation_under_scenario_5(kind):
    # Every kind names the remote unit here; ops[testing]'s relation-created and -broken
    # name none (test_relation_created_names_no_remote_unit, test_relation_broken).
    relation = PeerRelation("peers", peers_data={1: {"a": "b"}, 5: {}})
    event = getattr(relation, f"{kind}_event")(remote_unit_id=5)
    seen = _run_relation_event(event, relation, unit_id=0)
    assert seen["kind"] == f"peers_relation_{kind}"
    assert seen["relation_id"] == relation.relation_id
    # A peer relation's remote app is this app.
    assert seen["app"] == "local"
    assert seen["unit"] == "local/5"
    assert seen["units"] == ["local/1", "local/5"]
    assert seen["env"] == {
        "JUJU_RELATION": "peers",
        "JUJU_RELATION_ID": str(relation.relation_id),
        "JUJU_REMOTE_APP": "local",
        "JUJU_REMOTE_UNIT": "local/5",
        "JUJU_DEPARTING_UNIT": "local/5" if kind == "departed" else None,
    }
    if kind == "departed":
        assert seen["departing_unit"] == "local/5"


@pytest.mark.parametrize("kind", KINDS)
def test_relation_events_on_a_subordinate_relation_under_scenario_5(kind):
    # Every kind names the remote unit here; ops[testing]'s relation-created and -broken
    # name none (test_relation_created_names_no_remote_unit, test_relation_broken).
    relation = SubordinateRelation("info", remote_app_name="zookeeper", remote_unit_id=42)
    seen = _run_relation_event(getattr(relation, f"{kind}_event"), relation)
    assert seen["kind"] == f"info_relation_{kind}"
    assert seen["relation_id"] == relation.relation_id
    assert seen["app"] == "zookeeper"
    assert seen["unit"] == "zookeeper/42"
    assert seen["units"] == ["zookeeper/42"]
    assert seen["env"] == {
        "JUJU_RELATION": "info",
        "JUJU_RELATION_ID": str(relation.relation_id),
        "JUJU_REMOTE_APP": "zookeeper",
        "JUJU_REMOTE_UNIT": "zookeeper/42",
        "JUJU_DEPARTING_UNIT": "zookeeper/42" if kind == "departed" else None,
    }
    if kind == "departed":
        assert seen["departing_unit"] == "zookeeper/42"


def test_a_subordinate_relation_with_a_large_remote_unit_id(api):
    # Ids above 256 are compared by value: 5.8.1 compared the remote unit id with `is`,
    # which holds only for the small ints Python caches, so unit 1000's databag was refused.
    relation = SubordinateRelation(
        "info", remote_unit_id=1000, remote_unit_data={"k": "v"}, remote_app_name="p"
    )

    class ReadCharm(ops.CharmBase):
        seen = None

        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.info_relation_changed, self._on)

        def _on(self, event):
            ReadCharm.seen = dict(event.relation.data[event.unit])

    ctx = Context(ReadCharm, meta=ALL_META)
    api.run(ctx, "relation_changed", State(relations=[relation]), relation)
    assert ReadCharm.seen == {"k": "v"}


def test_the_relation_env_is_gone_after_the_run(api):
    relation = Relation("foo")
    RelationEventsCharm.seen = []
    ctx = Context(RelationEventsCharm, meta=ALL_META)
    api.run(ctx, "relation_changed", State(relations=[relation]), relation, remote_unit=0)
    assert RelationEventsCharm.seen[0]["env"]["JUJU_RELATION"] == "foo"
    assert not any(k in os.environ for k in ENV_KEYS)


@pytest.mark.parametrize("name", ["foo-relation-changed", "foo_relation_changed"])
def test_a_relation_event_by_name_binds_to_the_one_relation(name):
    rel = Relation("foo", remote_app_name="other", remote_units_data={3: {}})
    seen = _run_relation_event(name, rel)
    assert seen["kind"] == "foo_relation_changed"
    assert seen["relation_id"] == rel.relation_id
    assert seen["app"] == "other"
    assert seen["unit"] == "other/3"
    assert seen["env"]["JUJU_RELATION_ID"] == str(rel.relation_id)


def test_a_relation_event_by_name_binds_to_the_relation_on_its_endpoint():
    foo = Relation("foo", remote_app_name="other")
    peers = PeerRelation("peers", peers_data={1: {}})
    RelationEventsCharm.seen = []
    Context(RelationEventsCharm, meta=ALL_META).run(
        "peers-relation-changed", State(relations=[foo, peers])
    )
    assert [(s["kind"], s["relation_id"]) for s in RelationEventsCharm.seen] == [
        ("peers_relation_changed", peers.relation_id)
    ]


def test_a_relation_event_by_name_without_its_relation_is_inconsistent():
    ctx = Context(RelationEventsCharm, meta=ALL_META)
    with pytest.raises(InconsistentScenarioError):
        ctx.run("foo-relation-changed", State())


# --- secret events, as Scenario 5 writes them ------------------------------------------------


class SecretEventsCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        for name in ("secret_changed", "secret_rotate", "secret_expired", "secret_remove"):
            framework.observe(getattr(self.on, name), self._record)

    def _record(self, event):
        SecretEventsCharm.seen.append(
            {
                "kind": event.handle.kind,
                "id": event.secret.id,
                "label": event.secret.label,
                "revision": getattr(event, "revision", None),
                "env": {
                    k: os.environ.get(k)
                    for k in ("JUJU_SECRET_ID", "JUJU_SECRET_LABEL", "JUJU_SECRET_REVISION")
                },
            }
        )


def _secret_event(event, secret, juju_version="3.4.0"):
    SecretEventsCharm.seen = []
    Context(SecretEventsCharm, meta={"name": "local"}, juju_version=juju_version).run(
        event, State(secrets=[secret])
    )
    assert len(SecretEventsCharm.seen) == 1
    return SecretEventsCharm.seen[0]


def test_secret_changed_with_a_bare_id():
    secret = Secret("foo", {0: {"key": "v"}}, granted="unit")
    seen = _secret_event(secret.changed_event, secret)
    # ops canonicalises the id it is given, as the originals let it: secret:foo on ops 2,
    # secret://<model uuid>/foo on ops 3; Juju's variable holds the id as the test gave it.
    assert seen["id"].startswith("secret:") and seen["id"].endswith("foo")
    assert seen["env"]["JUJU_SECRET_ID"] == "foo"
    assert seen["env"]["JUJU_SECRET_LABEL"] == ""


def test_secret_changed_is_for_observers_only():
    with pytest.raises(ValueError):
        Secret("secret:own", {0: {"key": "v"}}, owner="unit").changed_event  # noqa: B018


@pytest.mark.parametrize(
    "sugar,kind", [("expired_event", "secret_expired"), ("remove_event", "secret_remove")]
)
def test_secret_expired_and_remove_carry_the_latest_revision_under_scenario_5(sugar, kind):
    # Scenario 5's events take the secret's latest revision; ops[testing]'s factories are
    # given one (test_secret_expired_and_remove_carry_a_revision).
    secret = Secret("secret:own", {0: {"key": "v"}, 3: {"key": "w"}}, owner="app", label="l")
    seen = _secret_event(getattr(secret, sugar), secret)
    assert seen["kind"] == kind
    assert seen["id"] == "secret:own"
    assert seen["revision"] == 3
    assert seen["env"] == {
        "JUJU_SECRET_ID": "secret:own",
        "JUJU_SECRET_LABEL": "l",
        "JUJU_SECRET_REVISION": "3",
    }


@pytest.mark.parametrize("sugar", ["rotate_event", "expired_event", "remove_event"])
def test_owner_events_are_for_owners_only(sugar):
    with pytest.raises(ValueError):
        getattr(Secret("secret:obs", {0: {"key": "v"}}, granted="unit"), sugar)


# --- Scenario 5's events: names, paths, kinds, binding ---------------------------------------


def test_event_paths_and_calls():
    rel = Relation("foo")
    assert rel.changed_event.name == "foo_relation_changed"
    assert rel.joined_event(remote_unit_id=2).relation_remote_unit_id == 2
    assert Event("my-lib.on.foo-bar").owner_path == ["my_lib", "on"]
    assert Event("start").owner_path == ["on"]
    with pytest.raises(ValueError, match="relation events"):
        Event("start")(remote_unit_id=1)


def test_event_type_has_scenario5_member_names():
    assert _EventType.relation.value == "relation"
    names = ("framework", "builtin", "relation", "action", "secret", "storage", "workload")
    for name in (*names, "custom"):
        assert getattr(_EventType, name).value == name
    assert Event("db_relation_changed")._path.type is _EventType.relation
    assert Event("foo")._path.type is _EventType.custom
    assert Event("db_relation_changed")._is_relation_event
    assert not Event("start")._is_relation_event


@pytest.mark.parametrize(
    "name, builtin",
    [("start", True), ("config-changed", True), ("db-relation-changed", True), ("qux", False)],
)
def test_is_builtin_event(name, builtin):
    spec = _CharmSpec(
        charm_type=ops.CharmBase,
        meta={"name": "mycharm", "requires": {"db": {"interface": "sql"}}},
    )
    assert Event(name)._is_builtin_event(spec) is builtin


def test_bind_with_several_relations_warns_and_takes_the_first(caplog):
    first, second = Relation("db"), Relation("db")
    state = State(relations=[first, second])
    with caplog.at_level(logging.WARNING, logger="ops-scenario"):
        bound = Event("db-relation-changed").bind(state)
    assert bound.relation == first
    assert "too many relations" in caplog.text
    # ctx.run still refuses to guess for a bare name: the consistency checker says so.
    with pytest.raises(InconsistentScenarioError, match="E1"):
        Context(CollectCharm, meta={"name": "app", "requires": {"db": {"interface": "pg"}}}).run(
            "db-relation-changed", state
        )


def test_bind_with_several_storages_warns_and_takes_the_first(caplog):
    state = State(storage=[Storage("data", index=1), Storage("data", index=2)])
    with caplog.at_level(logging.WARNING, logger="ops-scenario"):
        bound = Event("data-storage-attached").bind(state)
    assert bound.storage == Storage("data", index=1)
    assert "too many storages" in caplog.text


class CollectCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.collect_unit_status, self._unit)
        framework.observe(self.on.collect_app_status, self._app)

    def _unit(self, event):
        event.add_status(ops.ActiveStatus("fine"))
        event.add_status(ops.BlockedStatus("worse"))

    def _app(self, event):
        event.add_status(ops.WaitingStatus("app"))


def test_events_must_be_events():
    ctx = Context(CollectCharm, meta={"name": "app"})
    with pytest.raises(InvalidEventError):
        ctx.run(42, State())
    with pytest.raises(InvalidEventError, match="run_action"):
        ctx.run("backup_action", State())
    with pytest.raises(InvalidActionError):
        ctx.run_action(3.5, State())


def test_an_unknown_event_is_no_observer_error():
    with pytest.raises(NoObserverError):
        Context(CollectCharm, meta={"name": "app"}).run(Event("ingress_provided"), State())


# --- paths, and ops[testing]'s custom events on the charm's own ``on`` -----------------------


def test_event_paths(testing):
    rel = testing.Relation("foo-bar")
    path = testing.CharmEvents.relation_changed(rel).path
    assert path == "foo-bar_relation_changed"
    assert path.python_name == "foo_bar_relation_changed"
    assert path.python_suffix == "_relation_changed"
    assert path.juju_prefix == "foo-bar"
    assert path.owner_path == ["on"]
    start = testing.CharmEvents.start().path
    assert (start.python_name, start.python_suffix, start.juju_prefix) == ("start", "start", "")


class OwnEvents(ops.CharmEvents):
    ping = ops.EventSource(ops.EventBase)


class OwnEventsCharm(ops.CharmBase):
    on = OwnEvents()

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.ping, self._on_ping)

    def _on_ping(self, _):
        self.unit.status = ops.ActiveStatus("pinged")


def test_a_custom_event_on_the_charm_s_own_on_differs_from_8_9(testing):
    """8.9 cannot find an event defined on the charm's own ``on``; this package emits it."""
    ctx = testing.Context(OwnEventsCharm, meta={"name": "app"})
    event = ctx.on.custom(OwnEventsCharm.on.ping)
    if hasattr(scenario, "_scenario"):
        assert ctx.run(event, testing.State()).unit_status == testing.ActiveStatus("pinged")
    else:
        with pytest.raises(testing.errors.UncaughtCharmError) as info:
            ctx.run(event, testing.State())
        assert isinstance(info.value.__cause__, testing.errors.BadOwnerPath)


# --- the hook a run dispatches ---------------------------------------------------------------


SEEN = {}


class EnvCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        for event in self.on.events().values():
            framework.observe(event, self._record)

    def _record(self, _):
        SEEN.update(
            {k: os.environ.get(k) for k in ("JUJU_HOOK_NAME", "JUJU_DISPATCH_PATH")},
            dispatching=os.environ.get("OPERATOR_DISPATCH"),
        )


DISPATCH_META = {
    "name": "app",
    "requires": {"receive_ca_cert": {"interface": "c"}, "send-ca-cert": {"interface": "c"}},
    "containers": {"temporal-worker": {}},
    "storage": {"my-store": {"type": "filesystem"}},
}


@pytest.mark.parametrize(
    "make,hook",
    [
        (lambda ctx: ctx.on.relation_changed(Relation("receive_ca_cert")), None),
        (lambda ctx: ctx.on.relation_changed(Relation("send-ca-cert")), None),
        (lambda ctx: ctx.on.pebble_ready(Container("temporal-worker")), None),
        (lambda ctx: ctx.on.storage_attached(Storage("my-store")), None),
        (lambda ctx: ctx.on.config_changed(), "config-changed"),
    ],
)
def test_the_hook_name_keeps_the_entity_name_as_written(make, hook):
    ctx = Context(EnvCharm, meta=DISPATCH_META)
    event = make(ctx)
    entity = event.relation or event.container or event.storage
    state = State(
        relations={e for e in [event.relation] if e},
        containers={e for e in [event.container] if e},
        storages={e for e in [event.storage] if e},
    )
    if entity is not None and hasattr(entity, "endpoint"):
        hook = {"receive_ca_cert": "receive_ca_cert", "send-ca-cert": "send-ca-cert"}[
            entity.endpoint
        ] + "-relation-changed"
    elif entity is not None and hasattr(entity, "can_connect"):
        hook = "temporal-worker-pebble-ready"
    elif entity is not None:
        hook = "my-store-storage-attached"
    SEEN.clear()
    ctx.run(event, state)
    assert SEEN["JUJU_HOOK_NAME"] == hook
    assert SEEN["JUJU_DISPATCH_PATH"] == f"hooks/{hook}"
    assert SEEN["dispatching"] == "1"
    assert "OPERATOR_DISPATCH" not in os.environ


def test_a_leaked_dispatch_marker_fails_the_run(monkeypatch):
    """ops's dispatcher ends a hook at once when the process is already dispatching (ops
    before 2.16 had no such guard, and the run goes on there)."""
    monkeypatch.setenv("OPERATOR_DISPATCH", "1")
    monkeypatch.delenv("SCENARIO_BARE_CHARM_ERRORS", raising=False)
    ctx = Context(EnvCharm, meta={"name": "app"})
    if not hasattr(getattr(ops, "_main", None), "_Abort"):
        ctx.run(ctx.on.start(), State())
        return
    with pytest.raises(UncaughtCharmError) as info:
        ctx.run(ctx.on.start(), State())
    assert type(info.value.__cause__).__name__ == "_Abort"
