"""The charm after ``mgr.run()``: its model keeps working until the block ends, as in both
originals (reads, config read for the first time, relation-data writes, Pebble), and under
ops[testing] a relation-data write also lands in the output State."""

import ops
import pytest

from scenario import Container, Context, Relation, State

META = {
    "name": "app",
    "requires": {"db": {"interface": "db"}},
    "containers": {"workload": {}},
}
CONFIG = {"options": {"port": {"type": "int", "default": 80}}}


class Charm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.ActiveStatus("started")


def _ctx():
    return Context(Charm, meta=META, config=CONFIG)


def test_config_read_for_the_first_time_after_run():
    ctx = _ctx()
    with ctx(ctx.on.start(), State(config={"port": 8080})) as mgr:
        mgr.run()
        assert mgr.charm.config["port"] == 8080


def test_relation_data_written_after_run_lands_in_the_output():
    ctx = _ctx()
    rel = Relation("db")
    with ctx(ctx.on.start(), State(relations={rel}, leader=True)) as mgr:
        out = mgr.run()
        bag = out.get_relation(rel.id).local_app_data
        relation = mgr.charm.model.get_relation("db")
        relation.data[mgr.charm.unit]["unit-key"] = "u"
        relation.data[mgr.charm.app]["app-key"] = "a"
        # The model reads back what was written.
        assert relation.data[mgr.charm.unit]["unit-key"] == "u"
    # The output State, and a databag dict taken from it before the write, show it.
    assert bag["app-key"] == "a"
    assert out.get_relation(rel.id).local_unit_data["unit-key"] == "u"


def test_relation_data_written_after_run_is_what_the_output_runs_with():
    ctx = _ctx()
    rel = Relation("db")
    with ctx(ctx.on.start(), State(relations={rel}, leader=True)) as mgr:
        out = mgr.run()
        relation = mgr.charm.model.get_relation("db")
        relation.data[mgr.charm.app]["app-key"] = "a"
    assert out.get_relation(rel.id).local_app_data == {"app-key": "a"}
    with ctx(ctx.on.update_status(), out) as mgr:
        relation = mgr.charm.model.get_relation("db")
        assert relation.data[mgr.charm.app]["app-key"] == "a"


def test_status_set_after_run_reads_back():
    ctx = _ctx()
    with ctx(ctx.on.start(), State()) as mgr:
        mgr.run()
        mgr.charm.unit.status = ops.BlockedStatus("later")
        assert mgr.charm.unit.status == ops.BlockedStatus("later")


def test_pebble_push_and_pull_after_run():
    ctx = _ctx()
    container = Container("workload", can_connect=True)
    with ctx(ctx.on.start(), State(containers={container})) as mgr:
        mgr.run()
        workload = mgr.charm.unit.get_container("workload")
        workload.push("/etc/app.conf", "port=8080", make_dirs=True)
        assert workload.pull("/etc/app.conf").read() == "port=8080"


def test_the_charm_still_reads_after_the_block():
    ctx = _ctx()
    with ctx(ctx.on.start(), State(config={"port": 1})) as mgr:
        mgr.run()
    assert mgr.charm.config["port"] == 1
    assert mgr.charm.unit.status == ops.ActiveStatus("started")


@pytest.mark.parametrize("written", ["k", ""])
def test_scenario_5_manager_writes_read_back_but_leave_its_output(written):
    ctx = _ctx()
    rel = Relation("db")
    with ctx.manager("start", State(relations=[rel])) as mgr:
        out = mgr.run()
        relation = mgr.charm.model.get_relation("db")
        relation.data[mgr.charm.unit]["key"] = written or "x"
        assert relation.data[mgr.charm.unit]["key"] == (written or "x")
    assert "key" not in out.relations[0].local_unit_data
