"""ops[testing]'s ``ctx.on``: one test per event factory (lifecycle, relation, secret,
storage, Pebble, action, collect-status and custom events), what the charm receives from
each (the event object and the Juju environment), their names and paths, and
``.deferred(handler)`` for each kind.
"""

import os

import ops
import pytest

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


class Recorder(ops.CharmBase):
    """Observes every event it has and records each (the event, the Juju variables)."""

    seen: list = []  # noqa: RUF012 - reset by each test

    def __init__(self, framework):
        super().__init__(framework)
        for event in self.on.events().values():
            if not issubclass(event.event_type, ops.CollectStatusEvent):
                framework.observe(event, self._record)

    def _record(self, event):
        env = {k: os.environ[k] for k in EVENT_VARS if k in os.environ}
        type(self).seen.append((event, env))


def run(testing, event_factory, state=None, **ctx_kwargs):
    """Run Recorder with the event ``event_factory(ctx.on)`` makes; the one event seen, the
    Juju variables it ran with, and the output State."""
    Recorder.seen = []
    ctx = testing.Context(Recorder, meta=META, actions=ACTIONS, **ctx_kwargs)
    out = ctx.run(event_factory(ctx.on), state or testing.State())
    [(event, env)] = Recorder.seen
    return event, env, out


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
def test_each_lifecycle_event(testing, name, event_type):
    event, env, _ = run(testing, lambda on: getattr(on, name)())
    assert type(event) is event_type
    assert event.handle.kind == name
    assert env == {"JUJU_DISPATCH_PATH": f"hooks/{name.replace('_', '-')}"}


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


def test_secret_changed_for_a_secret_this_unit_observes(testing):
    secret = testing.Secret({"a": "b"}, label="lbl")
    event, env, _ = run(
        testing, lambda on: on.secret_changed(secret), testing.State(secrets={secret})
    )
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


def test_secret_rotate_for_an_owned_secret(testing):
    secret = testing.Secret({"a": "b"}, owner="app")
    event, env, _ = run(
        testing, lambda on: on.secret_rotate(secret), testing.State(leader=True, secrets={secret})
    )
    assert isinstance(event, ops.SecretRotateEvent)
    assert event.secret.id == secret.id
    assert env["JUJU_SECRET_LABEL"] == ""
    assert "JUJU_SECRET_REVISION" not in env


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
