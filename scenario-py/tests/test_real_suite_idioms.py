"""Idioms that real charm suites rely on, found running such suites from PyPI: each test
passes on the original of its API (ops-scenario 8.9 for ops[testing]'s, 5.8.1 for
Scenario 5's) as on this package, but where named ``..._differs_from_8_9``."""

import pathlib

import ops
import ops.testing
import pytest

import scenario
from scenario import Event, Relation

# ops 2.10's ops.testing predates Scenario: its suites took the names from scenario.
testing = ops.testing if hasattr(ops.testing, "Context") else scenario


class Charm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on["restart"].relation_changed, self._on_changed)
        framework.observe(self.on["restart"].relation_departed, self._on_departed)

    def _on_changed(self, event: ops.RelationChangedEvent) -> None:
        self.unit.status = ops.ActiveStatus(f"from {event.unit.name if event.unit else None}")

    def _on_departed(self, event: ops.RelationDepartedEvent) -> None:
        self.unit.status = ops.ActiveStatus(f"gone {event.departing_unit.name}")


META = {"name": "charm", "peers": {"restart": {"interface": "rolling_op"}}}


def make_context() -> testing.Context[Charm]:
    # Annotations a suite evaluates at definition time.
    return testing.Context(Charm, meta=META)


def use(manager: testing.Manager[Charm]) -> testing.State:
    return manager.run()


def test_context_and_manager_are_generic():
    ctx = make_context()
    with ctx(ctx.on.update_status(), testing.State()) as mgr:
        out = use(mgr)
    assert isinstance(out, testing.State)


@pytest.mark.parametrize("remote_unit", [1, "charm/1"])
def test_a_remote_unit_by_number_or_name_runs(remote_unit):
    ctx = make_context()
    peer = testing.PeerRelation("restart", peers_data={1: {}})
    out = ctx.run(
        ctx.on.relation_changed(peer, remote_unit=remote_unit), testing.State(relations={peer})
    )
    assert out.unit_status.name == "active"
    assert out.unit_status.message.endswith("charm/1")


def test_a_file_mounted_alone_can_be_removed(tmp_path: pathlib.Path):
    src = tmp_path / "cert"
    src.write_text("foo")

    class Plain(ops.CharmBase):
        pass

    ctx = testing.Context(Plain, meta={"name": "x", "containers": {"c": {}}})
    mount = testing.Mount(location="/etc/certs/server.crt", source=src)
    container = testing.Container("c", can_connect=True, mounts={"cert": mount})
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as mgr:
        workload = mgr.charm.unit.get_container("c")
        assert workload.pull("/etc/certs/server.crt").read() == "foo"
        workload.remove_path("/etc/certs/server.crt")
        assert not workload.exists("/etc/certs/server.crt")
        mgr.run()
    assert src.read_text() == "foo"


# ops has had a CloudSpec since 2.15.
if hasattr(ops, "CloudSpec"):

    def test_a_model_takes_ops_cloud_spec():
        class Plain(ops.CharmBase):
            pass

        ctx = testing.Context(Plain, meta={"name": "foo"})
        spec = ops.CloudSpec(type="lxd", name="localhost")
        state = testing.State(model=testing.Model(name="m", type="lxd", cloud_spec=spec))
        with ctx(ctx.on.start(), state) as mgr:
            with pytest.raises(ops.ModelError):
                mgr.charm.model.get_cloud_spec()  # the app is not trusted

    def test_a_trusted_app_reads_an_ops_cloud_spec_differs_from_8_9():
        # 8.9 failed here (an ops CloudSpec has no _to_ops); the spec is converted instead.
        class Plain(ops.CharmBase):
            pass

        ctx = testing.Context(Plain, meta={"name": "foo"}, app_trusted=True)
        spec = ops.CloudSpec(type="lxd", name="localhost", endpoint="https://10.0.0.1:8443")
        state = testing.State(model=testing.Model(name="m", type="lxd", cloud_spec=spec))
        with ctx(ctx.on.start(), state) as mgr:
            assert mgr.charm.model.get_cloud_spec().endpoint == "https://10.0.0.1:8443"


# --- Scenario 5 -------------------------------------------------------------------------


def test_an_event_path_has_its_parts():
    event = Event("tracing-relation-changed")
    assert event.path.suffix == "_relation_changed"
    assert event.path.prefix == "tracing"
    relation = Relation("dead", interface="tracing")
    moved = event.replace(relation=relation, path=relation.endpoint + event.path.suffix)
    assert moved.name == "dead_relation_changed"
    assert moved.path.suffix == "_relation_changed"
