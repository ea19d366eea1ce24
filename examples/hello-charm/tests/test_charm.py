"""The example charm's own tests, in ops[testing]'s API (``from ops import testing``).

Run them from this directory with ``python -m pytest tests``; add ``--scenario-fuzz`` to
have scenario look around each test's States for crashes (it finds none here).
"""

import ops
import pytest
from charm import HelloCharm
from ops import testing


@pytest.fixture
def ctx():
    return testing.Context(HelloCharm)


def test_install_sets_the_workload_version(ctx):
    out = ctx.run(ctx.on.install(), testing.State())
    assert out.workload_version == "1.0"
    # collect-status then set the final status: the history holds the ones before it.
    assert ctx.unit_status_history == [
        testing.UnknownStatus(),
        testing.MaintenanceStatus("installing"),
    ]


def test_config_changed_opens_the_port(ctx):
    out = ctx.run(ctx.on.config_changed(), testing.State(config={"port": 8000}))
    assert out.opened_ports == {testing.TCPPort(8000)}


def test_config_changed_blocks_on_a_bad_port(ctx):
    out = ctx.run(ctx.on.config_changed(), testing.State(config={"port": 0}))
    assert out.unit_status == testing.BlockedStatus("invalid port 0")
    assert not out.opened_ports


def test_start_counts_and_greets_as_leader(ctx):
    out = ctx.run(ctx.on.start(), testing.State(leader=True))
    assert out.app_status == testing.ActiveStatus("hello, leader here")
    stored = out.get_stored_state("_stored", owner_path="HelloCharm")
    assert stored.content["starts"] == 1


def test_update_status_defers_until_the_db_is_related(ctx):
    out = ctx.run(ctx.on.update_status(), testing.State())
    assert [d.name for d in out.deferred] == ["update_status"]
    assert out.unit_status == testing.BlockedStatus("waiting for a db relation")


def test_db_changed_shares_the_greeting(ctx):
    db = testing.Relation("db", remote_app_data={"endpoints": "10.0.0.1:5432"})
    state = testing.State(leader=True, relations=[db], config={"greeting": "hi"})
    out = ctx.run(ctx.on.relation_changed(db, remote_unit=0), state)
    shared = out.get_relation(db.id)
    assert shared.local_unit_data["greeting"] == "hi"
    assert shared.local_app_data["starts"] == "0"
    assert out.unit_status == testing.ActiveStatus("hi (started 0x)")


def test_greet(ctx):
    ctx.run(ctx.on.action("greet", params={"name": "juju"}), testing.State())
    assert ctx.action_results == {"message": "hello, juju!"}
    assert ctx.action_logs == ["greeting juju"]


def test_the_charm_reads_its_config_in_a_manager(ctx):
    with ctx(ctx.on.update_status(), testing.State(config={"greeting": "hey"})) as mgr:
        assert mgr.charm.config["greeting"] == "hey"
        assert isinstance(mgr.charm.unit.status, ops.StatusBase)
        mgr.run()
