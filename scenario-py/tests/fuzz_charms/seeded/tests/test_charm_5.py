"""The seeded charm's own suite in Scenario 5's API: it passes, and builds none of the
States that crash the charm."""

import dataclasses

import ops
import pytest
from charm import SeededCharm
from ops import pebble

from scenario import (
    Action,
    Container,
    Context,
    Mount,
    PeerRelation,
    Relation,
    Secret,
    State,
    Storage,
    StoredState,
)
from scenario.runtime import UncaughtCharmError

JUJU = "3.4.0"


@pytest.fixture
def ctx():
    return Context(SeededCharm, juju_version=JUJU)


@pytest.fixture
def web(tmp_path):
    (tmp_path / "config.yaml").write_text("port: 8080\n")
    layer = {"services": {"web": {"override": "replace", "command": "web serve"}}}
    return Container(
        "web",
        can_connect=True,
        layers={"web": pebble.Layer(layer)},
        mounts={"config": Mount("/etc/web", tmp_path)},
    )


def _admin_secret():
    return Secret(
        id="secret:admin", contents={0: {"password": "initial"}}, owner="app", label="admin"
    )


def test_config_changed_shares_the_workers(ctx):
    secret = _admin_secret()
    peer = PeerRelation("cluster", local_app_data={"admin-secret": secret.id})
    state = State(leader=True, config={"workers": 8}, relations=[peer], secrets=[secret])
    out = ctx.run("config-changed", state)
    assert out.relations[0].local_app_data["workers"] == "8"
    assert out.unit_status == ops.ActiveStatus()


def test_update_status_reports_the_share(ctx, web):
    state = State(
        leader=True,
        planned_units=3,
        containers=[web],
        storage=[Storage("data")],
        relations=[Relation("db", remote_app_data={"endpoints": '["10.0.0.1"]'})],
        stored_state=[StoredState("SeededCharm", content={"cluster_id": "c-1"})],
    )
    out = ctx.run("update-status", state)
    assert out.unit_status == ops.ActiveStatus("serving a 50% share")


def test_db_changed_reads_the_endpoints(ctx):
    db = Relation("db", remote_app_data={"endpoints": '["10.0.0.1:5432"]'})
    out = ctx.run(db.changed_event, State(relations=[db]))
    assert out.unit_status == ops.ActiveStatus("db at 10.0.0.1:5432")


def test_db_changed_without_endpoints_crashes(ctx):
    # The suite knows this one: the fuzzing mode does not report what a test expects.
    db = Relation("db", remote_app_data={"endpoints": "[]"})
    with pytest.raises(UncaughtCharmError) as raised:
        ctx.run(db.changed_event, State(relations=[db]))
    assert isinstance(raised.value.__cause__, IndexError)


def test_rotate(ctx):
    out = ctx.run_action(Action("rotate"), State(leader=True, secrets=[_admin_secret()]))
    assert out.results == {"rotated": True}


def test_rotate_on_a_follower_fails(ctx):
    out = ctx.run_action("rotate", State(secrets=[_admin_secret()]))
    assert not out.success


def test_a_state_is_a_dataclass(ctx):
    assert dataclasses.replace(State(), leader=True).leader
