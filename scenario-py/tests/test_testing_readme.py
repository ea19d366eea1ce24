"""The README's examples, in ops[testing]'s idiom (ops-scenario 7 and 8): each example of
Scenario 5.8's README rewritten as a suite written for ``ops.testing`` would write it, with
``ctx.on`` events, set collections, ``testing.*`` classes and ``dataclasses.replace``.
(The ``Container.exec`` example is in test_testing_pebble.py, with the other exec tests.)

Every test runs twice, through ``import scenario`` and ``from ops import testing`` (the
``testing`` fixture, conftest.py).
"""

import dataclasses
import tempfile
from pathlib import Path

import ops
import pytest

META = {"name": "foo"}


class StatusCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.ActiveStatus("I rule" if self.unit.is_leader() else "I am ruled")


def test_the_simplest_scenario(testing):
    ctx = testing.Context(ops.CharmBase, meta=META)
    out = ctx.run(ctx.on.start(), testing.State())
    assert out.unit_status == testing.UnknownStatus()
    assert out.unit_status == ops.UnknownStatus()


@pytest.mark.parametrize("leader", [True, False])
def test_status_depends_on_leadership(testing, leader):
    ctx = testing.Context(StatusCharm, meta=META)
    out = ctx.run(ctx.on.start(), testing.State(leader=leader))
    assert out.unit_status == testing.ActiveStatus("I rule" if leader else "I am ruled")


class RulerCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.install, self._on_install)

    def _on_start(self, _):
        self.unit.status = ops.MaintenanceStatus("determining who the ruler is...")
        if self.unit.is_leader():
            self.unit.status = ops.ActiveStatus("I rule")
        else:
            self.unit.status = ops.WaitingStatus("checking this is right...")
            self.unit.status = ops.ActiveStatus("I am ruled")
            return
        self.app.status = ops.ActiveStatus("")

    def _on_install(self, _):
        self.unit.set_workload_version("1")
        self.unit.set_workload_version("1.2")
        self.unit.set_workload_version("1.5")


def test_status_history_holds_every_status_but_the_current_one(testing):
    ctx = testing.Context(RulerCharm, meta=META)
    out = ctx.run(ctx.on.start(), testing.State(leader=False))
    assert ctx.unit_status_history == [
        testing.UnknownStatus(),
        testing.MaintenanceStatus("determining who the ruler is..."),
        testing.WaitingStatus("checking this is right..."),
    ]
    assert out.unit_status == testing.ActiveStatus("I am ruled")
    assert ctx.app_status_history == []


def test_app_status_history(testing):
    ctx = testing.Context(RulerCharm, meta=META)
    out = ctx.run(ctx.on.start(), testing.State(leader=True))
    assert ctx.app_status_history == [testing.UnknownStatus()]
    assert out.app_status == testing.ActiveStatus("")


def test_status_history_starts_from_the_input_status(testing):
    ctx = testing.Context(RulerCharm, meta=META)
    ctx.run(ctx.on.start(), testing.State(leader=True, unit_status=testing.ActiveStatus("foo")))
    assert ctx.unit_status_history == [
        testing.ActiveStatus("foo"),
        testing.MaintenanceStatus("determining who the ruler is..."),
    ]


def test_workload_version_history(testing):
    ctx = testing.Context(RulerCharm, meta=META)
    out = ctx.run(ctx.on.install(), testing.State())
    # The first version ("" before the run) is not recorded; the current one is not either.
    assert ctx.workload_version_history == ["1", "1.2"]
    assert out.workload_version == "1.5"


class DeferringCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_start(self, event):
        event.defer()

    def _on_update_status(self, event):
        event.defer()


def test_emitted_events(testing):
    ctx = testing.Context(DeferringCharm, meta=META)
    ctx.run(ctx.on.start(), testing.State())
    assert len(ctx.emitted_events) == 1
    assert isinstance(ctx.emitted_events[0], ops.StartEvent)


def test_emitted_events_with_deferred_and_framework_events(testing):
    ctx = testing.Context(
        DeferringCharm, meta=META, capture_deferred_events=True, capture_framework_events=True
    )
    deferred = ctx.on.update_status().deferred(DeferringCharm._on_update_status)
    ctx.run(ctx.on.start(), testing.State(deferred=[deferred]))
    assert [e.handle.kind for e in ctx.emitted_events] == [
        "update_status",
        "start",
        "collect_unit_status",
        "pre_commit",
        "commit",
    ]


class CopyingCharm(ops.CharmBase):
    """Copies the remote app's data over to this unit's databag."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_relation_changed, self._on_changed)

    def _on_changed(self, event):
        rel = event.relation
        assert rel.app.name == "remote"
        assert rel.data[self.unit]["abc"] == "foo"
        rel.data[self.unit]["abc"] = rel.data[event.app]["cde"]


def test_relation_data(testing):
    rel = testing.Relation(
        endpoint="foo",
        interface="bar",
        remote_app_name="remote",
        local_unit_data={"abc": "foo"},
        remote_app_data={"cde": "baz!"},
    )
    ctx = testing.Context(
        CopyingCharm, meta={"name": "foo", "requires": {"foo": {"interface": "bar"}}}
    )
    out = ctx.run(ctx.on.relation_changed(rel), testing.State(relations={rel}))
    assert out.get_relation(rel.id).local_unit_data == {"abc": "baz!"}
    # And nothing else changed:
    assert out.relations == {dataclasses.replace(rel, local_unit_data={"abc": "baz!"})}


def test_a_defaulted_relation(testing):
    rel = testing.Relation("foo")
    assert rel.remote_app_name == "remote"
    assert rel.remote_units_data == {
        0: {
            "egress-subnets": "192.0.2.0",
            "ingress-address": "192.0.2.0",
            "private-address": "192.0.2.0",
        }
    }
    assert rel.local_app_data == rel.remote_app_data == {}
    assert rel.interface is None


def test_peer_and_subordinate_relations(testing):
    peers = testing.PeerRelation(endpoint="peers", peers_data={1: {}, 2: {}, 42: {"foo": "bar"}})
    assert peers.peers_data[42] == {"foo": "bar"}
    sub = testing.SubordinateRelation(
        endpoint="juju-info",
        remote_unit_data={"foo": "bar"},
        remote_app_name="zookeeper",
        remote_unit_id=42,
    )
    assert sub.remote_unit_name == "zookeeper/42"


class JoinedCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_relation_joined, self._on_joined)

    def _on_joined(self, event):
        self.unit.status = ops.ActiveStatus(event.unit.name)


def test_relation_event_for_a_remote_unit(testing):
    rel = testing.Relation(endpoint="foo", interface="bar", remote_units_data={1: {}, 2: {}})
    ctx = testing.Context(
        JoinedCharm, meta={"name": "foo", "requires": {"foo": {"interface": "bar"}}}
    )
    out = ctx.run(ctx.on.relation_joined(rel, remote_unit=2), testing.State(relations={rel}))
    assert out.unit_status == testing.ActiveStatus("remote/2")


def test_relation_ids_and_replace(testing):
    rel = testing.Relation("foo")
    rel2 = dataclasses.replace(rel, local_app_data={"foo": "bar"})
    assert rel2.id == rel.id  # replace keeps the id: the same relation, changed
    other = testing.Relation("foo")
    assert other.id > rel.id


class PebbleCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_pebble_ready, self._on_ready)

    def _on_ready(self, _):
        foo = self.unit.get_container("foo")
        foo.push("/local/share/config.yaml", "TEST", make_dirs=True)


CONTAINER_META = {"name": "foo", "containers": {"foo": {}, "bar": {}}}


def test_containers_can_connect_or_not(testing):
    class Charm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            foo, bar = self.unit.get_container("foo"), self.unit.get_container("bar")
            self.unit.status = ops.ActiveStatus(f"{foo.can_connect()} {bar.can_connect()}")

    state = testing.State(
        containers={
            testing.Container("foo", can_connect=True),
            testing.Container("bar", can_connect=False),
        }
    )
    out = testing.Context(Charm, meta=CONTAINER_META).run(testing.CharmEvents.start(), state)
    assert out.unit_status == testing.ActiveStatus("True False")


def test_a_mounted_file_is_what_the_charm_pulls(testing, tmp_path):
    class Charm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            with self.unit.get_container("foo").pull("/local/share/config.yaml") as f:
                self.unit.status = ops.ActiveStatus(f.read())

    local_file = tmp_path / "file.txt"
    local_file.write_text("hello")
    container = testing.Container(
        "foo",
        can_connect=True,
        mounts={"local": testing.Mount(location="/local/share/config.yaml", source=local_file)},
    )
    out = testing.Context(Charm, meta=CONTAINER_META).run(
        testing.CharmEvents.start(), testing.State(containers={container})
    )
    assert out.unit_status == testing.ActiveStatus("hello")


def test_a_push_into_a_mount_reaches_its_source(testing):
    with tempfile.TemporaryDirectory() as tmp:
        container = testing.Container(
            "foo",
            can_connect=True,
            mounts={"local": testing.Mount(location="/local/share", source=tmp)},
        )
        ctx = testing.Context(PebbleCharm, meta=CONTAINER_META)
        ctx.run(ctx.on.pebble_ready(container), testing.State(containers={container}))
        assert (Path(tmp) / "config.yaml").read_text() == "TEST"


def test_container_filesystem_post_mortem(testing):
    container = testing.Container("foo", can_connect=True)
    ctx = testing.Context(PebbleCharm, meta=CONTAINER_META)
    ctx.run(ctx.on.pebble_ready(container), testing.State(containers={container}))
    # The root of the simulated container's filesystem.
    cfg_file = container.get_filesystem(ctx) / "local" / "share" / "config.yaml"
    assert cfg_file.read_text() == "TEST"


# Juju attaches several instances of a storage only if it is declared `multiple`.
STORAGE_META = {
    "name": "foo",
    "storage": {"foo": {"type": "filesystem", "multiple": {"range": "1-3"}}},
}


def test_storage_filesystem_before_and_after(testing):
    ctx = testing.Context(ops.CharmBase, meta=STORAGE_META)
    storage = testing.Storage("foo")
    (storage.get_filesystem(ctx) / "myfile.txt").write_text("helloworld")
    with ctx(ctx.on.update_status(), testing.State(storages={storage})) as mgr:
        loc = mgr.charm.model.storages["foo"][0].location
        assert (loc / "myfile.txt").read_text() == "helloworld"
        (loc / "path.py").write_text("helloworlds")
    assert (storage.get_filesystem(ctx) / "path.py").read_text() == "helloworlds"


class StorageAddCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.foo_storage_attached, self._on_attached)

    def _on_start(self, _):
        self.model.storages.request("foo", 2)

    def _on_attached(self, event):
        self.unit.status = ops.ActiveStatus(f"{event.storage.name}/{event.storage.index}")


def test_storage_add_and_attach(testing):
    ctx = testing.Context(StorageAddCharm, meta=STORAGE_META)
    ctx.run(ctx.on.start(), testing.State())
    assert ctx.requested_storages["foo"] == 2
    foo_0 = testing.Storage("foo")
    ctx.run(ctx.on.storage_attached(foo_0), testing.State(storages={foo_0}))
    foo_1 = testing.Storage("foo")
    out = ctx.run(ctx.on.storage_attached(foo_1), testing.State(storages={foo_0, foo_1}))
    assert out.unit_status == testing.ActiveStatus(f"foo/{foo_1.index}")


class PortsCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.stop, self._on_stop)

    def _on_start(self, _):
        self.unit.open_port("tcp", 42)

    def _on_stop(self, _):
        self.unit.close_port("tcp", 42)


def test_ports(testing):
    ctx = testing.Context(PortsCharm, meta=META)
    state1 = ctx.run(ctx.on.start(), testing.State())
    assert state1.opened_ports == {testing.TCPPort(42)}
    state2 = ctx.run(ctx.on.stop(), state1)
    assert state2.opened_ports == frozenset()


class SecretReaderCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        secret = self.model.get_secret(label="my-secret")
        self.unit.status = ops.ActiveStatus(secret.get_content()["key"])


def test_secrets_owned_and_granted(testing):
    owned = testing.Secret(
        {"key": "public"}, label="my-secret", owner="unit", remote_grants={0: {"remote"}}
    )
    granted = testing.Secret(
        {"key": "tracked"}, latest_content={"key": "latest"}, label="my-secret"
    )
    ctx = testing.Context(SecretReaderCharm, meta=META)
    assert ctx.run(
        ctx.on.start(), testing.State(secrets={owned})
    ).unit_status == testing.ActiveStatus("public")
    # A secret owned by another app: this unit reads the revision it tracks.
    assert ctx.run(ctx.on.start(), testing.State(secrets={granted})).unit_status == (
        testing.ActiveStatus("tracked")
    )


ACTIONS = {"do-backup": {"params": {"a": {"type": "string"}}}}


class BackupCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.do_backup_action, self._on_backup)

    def _on_backup(self, event):
        event.log("baz")
        event.log("qux")
        if event.params.get("a") == "fail":
            event.fail("boo-hoo")
        else:
            event.set_results({"foo": "bar"})


def test_an_action_s_logs_and_results(testing):
    ctx = testing.Context(BackupCharm, meta=META, actions=ACTIONS)
    ctx.run(ctx.on.action("do-backup"), testing.State())
    assert ctx.action_logs == ["baz", "qux"]
    assert ctx.action_results == {"foo": "bar"}


def test_an_action_that_fails(testing):
    ctx = testing.Context(BackupCharm, meta=META, actions=ACTIONS)
    with pytest.raises(testing.ActionFailed) as exc:
        ctx.run(ctx.on.action("do-backup", params={"a": "fail"}), testing.State())
    assert exc.value.message == "boo-hoo"
    assert ctx.action_logs == ["baz", "qux"]


def test_start_on_deferred_update_status(testing):
    state_in = testing.State(
        deferred=[ctx_on(testing).update_status().deferred(DeferringCharm._on_update_status)]
    )
    out = testing.Context(DeferringCharm, meta=META).run(ctx_on(testing).start(), state_in)
    assert sorted(d.name for d in out.deferred) == ["start", "update_status"]


def ctx_on(testing):
    """``ctx.on`` without a Context: the factories are static methods of CharmEvents."""
    return testing.CharmEvents


class RelDeferCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_relation_changed, self._on_foo_relation_changed)

    def _on_foo_relation_changed(self, event):
        event.defer()


def test_deferring_relation_events(testing):
    foo = testing.Relation("foo")
    ctx = testing.Context(
        RelDeferCharm, meta={"name": "foo", "requires": {"foo": {"interface": "bar"}}}
    )
    deferred = ctx.on.relation_changed(foo).deferred(
        handler=RelDeferCharm._on_foo_relation_changed
    )
    assert deferred.snapshot_data["relation_id"] == foo.id
    out = ctx.run(ctx.on.start(), testing.State(relations={foo}, deferred=[deferred]))
    # Re-emitted and deferred again.
    assert [d.name for d in out.deferred] == ["foo_relation_changed"]


def test_a_deferred_event_made_by_hand(testing):
    event = testing.DeferredEvent(
        handle_path="MyCharm/MyCharmLib/on/database_ready[1]",
        owner="MyCharmLib",
        observer="_on_database_ready",
    )
    assert event.name == "database_ready"
    assert event.snapshot_data == {}


class StoredCharm(ops.CharmBase):
    my_stored_state = ops.StoredState()

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.ActiveStatus(self.my_stored_state.foo)
        self.my_stored_state.foo = "baz"


def test_stored_state_in_and_out(testing):
    state = testing.State(
        stored_states={
            testing.StoredState(
                "my_stored_state",
                owner_path="StoredCharm",
                content={"foo": "bar", "baz": {42: 42}},
            )
        }
    )
    out = testing.Context(StoredCharm, meta=META).run(ctx_on(testing).start(), state)
    assert out.unit_status == testing.ActiveStatus("bar")
    stored = out.get_stored_state("my_stored_state", owner_path="StoredCharm")
    assert stored.content == {"foo": "baz", "baz": {42: 42}}


def test_resources(testing):
    ctx = testing.Context(
        ops.CharmBase, meta={"name": "juliette", "resources": {"foo": {"type": "oci-image"}}}
    )
    resource = testing.Resource(name="foo", path="/path/to/resource.tar")
    with ctx(ctx.on.start(), testing.State(resources={resource})) as mgr:
        assert mgr.charm.model.resources.fetch("foo") == Path("/path/to/resource.tar")


class IngressLibEvents(ops.ObjectEvents):
    ingress_provided = ops.EventSource(ops.EventBase)


class IngressLib(ops.Object):
    on = IngressLibEvents()


class IngressCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.ingress = IngressLib(self, "ingress")
        framework.observe(self.ingress.on.ingress_provided, self._on_ingress)

    def _on_ingress(self, _):
        self.unit.status = ops.ActiveStatus("ingress provided")


def test_emitting_a_charm_library_s_custom_event(testing):
    ctx = testing.Context(IngressCharm, meta=META)
    out = ctx.run(ctx.on.custom(IngressLib.on.ingress_provided), testing.State())
    assert out.unit_status == testing.ActiveStatus("ingress provided")


class IntrospectedCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework):
        super().__init__(framework)
        self._stored.set_default(a="a")
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self._stored.a = "b"


def test_live_charm_introspection(testing):
    ctx = testing.Context(IntrospectedCharm, meta=META)
    with ctx(ctx.on.start(), testing.State()) as manager:
        charm = manager.charm
        assert charm._stored.a == "a"
        state_out = manager.run()
        assert charm._stored.a == "b"
    assert state_out.get_stored_state("_stored", owner_path="IntrospectedCharm").content == {
        "a": "b"
    }


def test_the_virtual_charm_root(testing, tmp_path):
    class Charm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            self.unit.status = ops.ActiveStatus((self.charm_dir / "src" / "foo.txt").read_text())
            (self.charm_dir / "out.txt").write_text("written")

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "foo.txt").write_text("bar")
    ctx = testing.Context(Charm, meta={"name": "my-charm-name"}, charm_root=tmp_path)
    out = ctx.run(ctx.on.start(), testing.State())
    assert out.unit_status == testing.ActiveStatus("bar")
    assert (tmp_path / "out.txt").read_text() == "written"


def test_immutability(testing):
    relation = testing.Relation("foo", remote_app_data={"1": "2"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        relation.remote_app_data = {}  # type: ignore[misc]
    relation2 = dataclasses.replace(relation, remote_app_data={"3": "4"})
    assert relation.remote_app_data == {"1": "2"}
    assert relation2.remote_app_data == {"3": "4"}


def test_bypassing_the_consistency_checker(testing, monkeypatch):
    ctx = testing.Context(ops.CharmBase, meta=META)
    state = testing.State(relations={testing.Relation("undeclared")})
    with pytest.raises(testing.errors.InconsistentScenarioError):
        ctx.run(ctx.on.start(), state)
    monkeypatch.setenv("SCENARIO_SKIP_CONSISTENCY_CHECKS", "1")
    assert ctx.run(ctx.on.start(), state).get_relations("undeclared")
