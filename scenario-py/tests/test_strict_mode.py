"""Where Juju is stricter than the original library: a run goes on with a
``JujuStricterWarning`` pointing at the test's own line, and strict mode
(``Context(strict=True)``, ``SCENARIO_STRICT=1``) turns each into the error Juju would
give. Here: Scenario 5's default peer relation and a departure after the unit left, the
environment variable, and a whole Scenario 5 suite run both ways. Each rule's grade is
test_consistency_checker.py's; the stricter cases of each feature are in its file (secrets,
Pebble, actions), and the pytest option and ini key in test_pytest_plugin.py.

The suite below is in the Scenario 5.x style, run as its authors would run it: it uses the
idioms 5.8.1 let pass though Juju would refuse them (default peer relations, an ungranted
secret, a non-leader managing its app's secret, an ambiguous bind) and the ones it merely
deprecated (tuple statuses), plus mounts and introspection after ``mgr.run()``. It passes
with warnings and no errors; under ``SCENARIO_STRICT=1`` the Juju-stricter tests fail with
the errors Juju would give.
"""

import textwrap
from typing import ClassVar

import ops
import pytest

from scenario import Context, PeerRelation, Relation, State
from scenario.errors import InconsistentScenarioError, JujuStricterWarning

PEER_META = {"name": "app", "peers": {"replicas": {"interface": "r"}}}


DB_META = {"name": "app", "requires": {"db": {"interface": "pg"}}}


class UnitRecorder(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        for relation in list(self.meta.relations):
            for kind in ("joined", "changed", "departed"):
                framework.observe(getattr(self.on[relation], f"relation_{kind}"), self._on)

    def _on(self, event):
        UnitRecorder.seen.append(event.unit.name if event.unit else None)


@pytest.mark.parametrize("event", ["joined", "changed", "departed"])
def test_the_default_peer_relation_runs_as_in_5_8_1(event):
    UnitRecorder.seen = []
    peers = PeerRelation("replicas")
    state = State(relations=[peers])
    with pytest.warns(JujuStricterWarning, match="peers_data=\\{1: \\{\\}\\}"):
        Context(UnitRecorder, meta=PEER_META).run(getattr(peers, f"{event}_event"), state)
    # 5.8.1 ran the default peer 0 (this very unit) as the remote unit.
    assert UnitRecorder.seen == ["app/0"]
    with pytest.raises(InconsistentScenarioError, match="RL7"):
        Context(UnitRecorder, meta=PEER_META, strict=True).run(
            getattr(peers, f"{event}_event"), state
        )


def test_a_departure_after_the_unit_left_runs_with_a_warning():
    UnitRecorder.seen = []
    db = Relation("db", remote_units_data={})
    with pytest.warns(JujuStricterWarning, match="E7"):
        Context(UnitRecorder, meta=DB_META).run(db.departed_event, State(relations=[db]))
    assert UnitRecorder.seen == [None]
    with pytest.raises(InconsistentScenarioError, match="E7"):
        Context(UnitRecorder, meta=DB_META, strict=True).run(
            db.departed_event, State(relations=[db])
        )


def test_strict_mode_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCENARIO_STRICT", "1")
    db = Relation("db", remote_units_data={})
    with pytest.raises(InconsistentScenarioError, match="E7"):
        Context(UnitRecorder, meta=DB_META).run(db.departed_event, State(relations=[db]))
    # An explicit strict=False wins over the environment.
    with pytest.warns(JujuStricterWarning):
        Context(UnitRecorder, meta=DB_META, strict=False).run(
            db.departed_event, State(relations=[db])
        )


class PeerUnitsCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        PeerUnitsCharm.seen = sorted(u.name for u in self.model.get_relation("replicas").units)


def test_the_default_peer_relation_only_warns():
    # The all-defaults PeerRelation ({0: {}} with unit 0) runs as in Scenario 5.8.1, unit
    # 0 being its own peer, with a warning saying how to write it.
    PeerUnitsCharm.seen = []
    with pytest.warns(JujuStricterWarning, match="RL7.*peers_data=\\{1: \\{\\}\\}"):
        Context(PeerUnitsCharm, meta=PEER_META).run(
            "start", State(relations=[PeerRelation("replicas")])
        )
    assert PeerUnitsCharm.seen == ["app/0"]


pytest_plugins = ["pytester"]

SUITE = textwrap.dedent(
    """
    import ops
    import pytest
    from scenario import Container, Context, Event, Mount, PeerRelation, Relation, Secret, State


    class Charm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)
            framework.observe(self.on.replicas_relation_changed, self._on_peer)
            framework.observe(self.on.workload_pebble_ready, self._on_ready)
            framework.observe(self.on.update_status, self._on_update)

        def _on_start(self, _):
            self.unit.status = ops.WaitingStatus("gateway address unavailable")

        def _on_peer(self, event):
            self.unit.status = ops.ActiveStatus(event.unit.name)

        def _on_ready(self, event):
            event.workload.push("/opt/app/conf.yaml", "port: 80", make_dirs=True)

        def _on_update(self, _):
            secret = self.model.get_secret(id="secret:theirs")
            self.unit.status = ops.ActiveStatus(secret.get_content()["key"])
            self.model.get_secret(id="secret:ours").set_content({"key": "rotated"})


    META = {
        "name": "app",
        "peers": {"replicas": {"interface": "r"}},
        "containers": {"workload": {}},
    }


    def test_tuple_status():
        out = Context(Charm, meta=META).run("start", State())
        assert out.unit_status == ("waiting", "gateway address unavailable")


    def test_default_peers():
        peers = PeerRelation("replicas")
        out = Context(Charm, meta=META).run(peers.changed_event, State(relations=[peers]))
        assert out.unit_status == ops.ActiveStatus("app/0")


    def test_mounted_config(tmp_path):
        ctx = Context(Charm, meta=META)
        container = Container(
            "workload", can_connect=True, mounts={"opt": Mount("/opt/", tmp_path)}
        )
        ctx.run(container.pebble_ready_event, State(containers=[container]))
        conf = container.get_filesystem(ctx) / "opt/app/conf.yaml"
        assert conf.read_text() == "port: 80"


    def test_ungranted_secret_and_non_leader_manager():
        secrets = [
            Secret("secret:theirs", {0: {"key": "hello"}}),
            Secret("secret:ours", {0: {"key": "v"}}, owner="app"),
        ]
        out = Context(Charm, meta=META).run("update-status", State(secrets=secrets))
        assert out.unit_status == ops.ActiveStatus("hello")


    def test_introspection_after_run():
        with Context(Charm, meta=META).manager("start", State()) as mgr:
            mgr.run()
            assert mgr.charm.unit.status == ops.WaitingStatus("gateway address unavailable")


    def test_ambiguous_bind():
        state = State(relations=[Relation("db"), Relation("db")])
        assert Event("db-relation-changed").bind(state).relation is not None
    """
)


def test_the_suite_passes_with_warnings(pytester, monkeypatch):
    monkeypatch.delenv("SCENARIO_STRICT", raising=False)
    pytester.makepyfile(test_charm=SUITE)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-W", "default")
    result.assert_outcomes(passed=6)
    output = str(result.stdout)
    assert "DeprecationWarning" not in output
    # Each Juju-stricter warning points at the suite's own line.
    assert "test_charm.py:43: JujuStricterWarning: RL7" in output
    assert "test_charm.py:24: JujuStricterWarning: permission denied" in output
    assert "test_charm.py:26: JujuStricterWarning: secret-set" in output


def test_the_suite_under_strict_mode_fails_with_the_named_errors(pytester, monkeypatch):
    monkeypatch.setenv("SCENARIO_STRICT", "1")
    pytester.makepyfile(test_charm=SUITE)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-W", "default")
    # Juju refuses the default peer (RL7) and the secret idioms; the rest stays as it was.
    result.assert_outcomes(passed=4, failed=2)
    result.stdout.fnmatch_lines(
        [
            "FAILED test_charm.py::test_default_peers - *InconsistentScenar*",
            "FAILED test_charm.py::test_ungranted_secret_and_non_leader_manager - *",
        ]
    )
    output = str(result.stdout)
    assert "RL7 state.relations[0].peers_data[0]" in output
    assert "ModelError('permission denied: secret secret:theirs" in output
