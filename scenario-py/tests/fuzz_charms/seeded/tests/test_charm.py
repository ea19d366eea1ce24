"""The seeded charm's own suite (ops[testing]): it passes, and builds none of the States
that crash the charm."""

import pytest
from charm import SeededCharm
from ops import pebble, testing


@pytest.fixture
def ctx():
    return testing.Context(SeededCharm)


@pytest.fixture
def web_files(tmp_path):
    (tmp_path / "config.yaml").write_text("port: 8080\n")
    return tmp_path


def _web(web_files, **kwargs):
    layer = {"services": {"web": {"override": "replace", "command": "web serve"}}}
    return testing.Container(
        "web",
        can_connect=True,
        layers={"web": pebble.Layer(layer)},
        mounts={"config": testing.Mount(location="/etc/web", source=web_files)},
        **kwargs,
    )


def _admin_secret():
    return testing.Secret({"password": "initial"}, owner="app", label="admin")


def test_install_stores_the_cluster_id(ctx):
    peer = testing.PeerRelation("cluster")
    out = ctx.run(ctx.on.install(), testing.State(leader=True, relations=[peer]))
    stored = out.get_stored_state("_stored", owner_path="SeededCharm")
    assert stored.content["cluster_id"] == "c-1"
    assert out.get_relation(peer.id).local_app_data["admin-secret"].startswith("secret:")


def test_config_changed_shares_the_workers(ctx):
    secret = _admin_secret()
    peer = testing.PeerRelation("cluster", local_app_data={"admin-secret": secret.id})
    state = testing.State(leader=True, config={"workers": 8}, relations=[peer], secrets=[secret])
    out = ctx.run(ctx.on.config_changed(), state)
    assert out.get_relation(peer.id).local_app_data["workers"] == "8"
    assert out.unit_status == testing.ActiveStatus()


def test_config_changed_waits_for_the_peers(ctx):
    out = ctx.run(ctx.on.config_changed(), testing.State(leader=True))
    assert out.unit_status == testing.WaitingStatus("waiting for the peer relation")


def test_update_status_reports_the_share(ctx, web_files):
    state = testing.State(
        leader=True,
        planned_units=3,
        containers=[_web(web_files)],
        storages=[testing.Storage("data")],
        relations=[testing.Relation("db", remote_app_data={"endpoints": '["10.0.0.1"]'})],
        stored_states=[
            testing.StoredState(owner_path="SeededCharm", content={"cluster_id": "c-1"})
        ],
    )
    out = ctx.run(ctx.on.update_status(), state)
    assert out.unit_status == testing.ActiveStatus("serving a 50% share")


def test_pebble_ready_adds_the_web_layer(ctx, web_files):
    container = testing.Container("web", can_connect=True)
    out = ctx.run(ctx.on.pebble_ready(container), testing.State(containers=[container]))
    assert "web" in out.get_container("web").plan.services


def test_db_changed_reads_the_endpoints(ctx):
    db = testing.Relation("db", remote_app_data={"endpoints": '["10.0.0.1:5432"]'})
    out = ctx.run(ctx.on.relation_changed(db, remote_unit=0), testing.State(relations=[db]))
    assert out.unit_status == testing.ActiveStatus("db at 10.0.0.1:5432")


def test_db_changed_without_endpoints_crashes(ctx):
    # The suite knows this one: the fuzzing mode does not report what a test expects.
    db = testing.Relation("db", remote_app_data={"endpoints": "[]"})
    with pytest.raises(testing.errors.UncaughtCharmError) as raised:
        ctx.run(ctx.on.relation_changed(db, remote_unit=0), testing.State(relations=[db]))
    assert isinstance(raised.value.__cause__, IndexError)


def test_rotate(ctx):
    secret = _admin_secret()
    ctx.run(ctx.on.action("rotate"), testing.State(leader=True, secrets=[secret]))
    assert ctx.action_results == {"rotated": True}


def test_rotate_on_a_follower_fails(ctx):
    with pytest.raises(testing.ActionFailed):
        ctx.run(ctx.on.action("rotate"), testing.State(secrets=[_admin_secret()]))
