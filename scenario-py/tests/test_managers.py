"""The managers that reach the charm object around a run, under both APIs (ops[testing]'s
``with ctx(event, state) as mgr``, Scenario 5's ``ctx.manager(...)``): the charm before and
after the event, ``run()`` once (or on leaving the block), an error in the block or in the
charm, and the charm's model after ``run()``, which keeps working until the block ends (and
after it). Where the APIs differ (a relation-data write after ``run()`` lands in
ops[testing]'s output, not in Scenario 5's), a test per API says so. The action managers
are test_actions.py's.
"""

import os

import ops
import pytest

from scenario import Container, Context, Relation, State

META = {"name": "app"}


class Starter(ops.CharmBase):
    """Sets its status on start; remembers what it saw."""

    def __init__(self, framework):
        super().__init__(framework)
        self.started = False
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.started = True
        self.unit.status = ops.ActiveStatus("started")


def test_the_manager_gives_the_charm_before_and_after_the_event(api):
    testing = api.testing
    ctx = testing.Context(Starter, meta=META)
    with api.manager(ctx, "start", testing.State()) as mgr:
        assert isinstance(mgr.charm, Starter)
        assert not mgr.charm.started
        out = mgr.run()
        assert mgr.charm.started
        assert mgr.charm.unit.status == ops.ActiveStatus("started")
    assert out.unit_status == testing.ActiveStatus("started")


def test_ctx_of_an_event_and_a_state_is_a_manager(testing):
    # ops[testing]'s ``ctx(event, state)``; Scenario 5's manager is ``ctx.manager(...)``.
    ctx = testing.Context(Starter, meta=META)
    with ctx(ctx.on.start(), testing.State()) as mgr:
        assert isinstance(mgr, testing.Manager)


def test_the_manager_runs_once(api):
    testing = api.testing
    ctx = testing.Context(Starter, meta=META)
    with api.manager(ctx, "start", testing.State()) as mgr:
        mgr.run()
        with pytest.raises(testing.errors.AlreadyEmittedError, match="Can only run once"):
            mgr.run()


def test_the_manager_runs_the_event_on_exit_if_the_block_did_not(api):
    testing = api.testing
    ctx = testing.Context(Starter, meta=META)
    with api.manager(ctx, "start", testing.State()) as mgr:
        charm = mgr.charm
    assert charm.started
    assert ctx.unit_status_history == [testing.UnknownStatus()]
    assert [type(e) for e in ctx.emitted_events] == [ops.StartEvent]


def test_an_error_in_the_block_still_runs_the_event(api):
    testing = api.testing
    """The block's error goes on, the event is emitted on the way out (as 8.9 and 5.8.1
    do), and the environment is restored."""
    ctx = testing.Context(Starter, meta=META)
    before = dict(os.environ)
    with pytest.raises(ZeroDivisionError):
        with api.manager(ctx, "start", testing.State()) as mgr:
            charm = mgr.charm
            1 / 0  # noqa: B018
    assert charm.started
    assert [type(e) for e in ctx.emitted_events] == [ops.StartEvent]
    assert dict(os.environ) == before
    # The Context is still usable.
    assert api.run(ctx, "start", testing.State()).unit_status == testing.ActiveStatus("started")


def test_the_charm_is_not_there_before_entering(api):
    testing = api.testing
    ctx = testing.Context(Starter, meta=META)
    mgr = api.manager(ctx, "start", testing.State())
    with pytest.raises(RuntimeError, match="__enter__"):
        mgr.charm  # noqa: B018


def test_the_charm_answers_after_the_block(api):
    testing = api.testing
    ctx = testing.Context(Starter, meta=META)
    with api.manager(ctx, "start", testing.State(leader=True)) as mgr:
        mgr.run()
    assert mgr.charm.started
    assert mgr.charm.unit.is_leader()


def test_an_error_in_the_charm_surfaces_from_run(api):
    testing = api.testing

    class Failing(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            raise ValueError("no")

    ctx = testing.Context(Failing, meta=META)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        with api.manager(ctx, "start", testing.State()) as mgr:
            mgr.run()
    assert isinstance(info.value.__cause__, ValueError)


def test_leaving_the_manager_without_run_sets_its_output_under_scenario_5():
    # Scenario 5's manager keeps the output it ran to (ops[testing]'s: the test above).
    ctx = Context(Starter, meta=META)
    with ctx.manager("start", State()) as manager:
        charm = manager.charm
    assert charm.started
    assert manager.output.unit_status == ops.ActiveStatus("started")


# --- the charm's model after run() -----------------------------------------------------------

AFTER_META = {
    "name": "app",
    "requires": {"db": {"interface": "db"}},
    "containers": {"workload": {}},
}
CONFIG = {"options": {"port": {"type": "int", "default": 80}}}


class StartedCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.ActiveStatus("started")


def _ctx():
    return Context(StartedCharm, meta=AFTER_META, config=CONFIG)


def test_config_read_for_the_first_time_after_run(api):
    ctx = _ctx()
    with api.manager(ctx, "start", State(config={"port": 8080})) as mgr:
        mgr.run()
        assert mgr.charm.config["port"] == 8080


def test_relation_data_written_after_run_lands_in_the_output_under_ops_testing():
    # Scenario 5.8.1 left its output as it was (the test below).
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


def test_relation_data_written_after_run_is_what_the_output_runs_with_under_ops_testing():
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


def test_status_set_after_run_reads_back(api):
    ctx = _ctx()
    with api.manager(ctx, "start", State()) as mgr:
        mgr.run()
        mgr.charm.unit.status = ops.BlockedStatus("later")
        assert mgr.charm.unit.status == ops.BlockedStatus("later")


def test_pebble_push_and_pull_after_run(api):
    ctx = _ctx()
    container = Container("workload", can_connect=True)
    with api.manager(ctx, "start", State(containers={container})) as mgr:
        mgr.run()
        workload = mgr.charm.unit.get_container("workload")
        workload.push("/etc/app.conf", "port=8080", make_dirs=True)
        assert workload.pull("/etc/app.conf").read() == "port=8080"


def test_the_charm_still_reads_after_the_block(api):
    ctx = _ctx()
    with api.manager(ctx, "start", State(config={"port": 1})) as mgr:
        mgr.run()
    assert mgr.charm.config["port"] == 1
    assert mgr.charm.unit.status == ops.ActiveStatus("started")


@pytest.mark.parametrize("written", ["k", ""])
def test_relation_data_written_after_run_reads_back_but_leaves_the_output_under_scenario_5(
    written,
):
    # Under ops[testing] the write lands in the output (the tests above).
    ctx = _ctx()
    rel = Relation("db")
    with ctx.manager("start", State(relations=[rel])) as mgr:
        out = mgr.run()
        relation = mgr.charm.model.get_relation("db")
        relation.data[mgr.charm.unit]["key"] = written or "x"
        assert relation.data[mgr.charm.unit]["key"] == (written or "x")
    assert "key" not in out.relations[0].local_unit_data


class ConfigCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config)

    def _on_config(self, _):
        self.unit.status = ops.ActiveStatus(str(self.config["port"]))


PORT_CONFIG = {"options": {"port": {"type": "int", "default": 80}}}


def test_the_model_reads_the_output_after_run_until_the_block_ends(api):
    ctx = Context(ConfigCharm, meta={"name": "app"}, config=PORT_CONFIG)
    with api.manager(ctx, "config_changed", State(config={"port": 8080})) as mgr:
        out = mgr.run()
        assert mgr.charm.config["port"] == 8080
        assert mgr.charm.unit.status == ops.ActiveStatus("8080")
        assert not mgr.charm.unit.is_leader()
        # Writing after the run works and reads back, as in 5.8.1; the output stays.
        mgr.charm.unit.status = ops.BlockedStatus("too late")
        assert mgr.charm.unit.status == ops.BlockedStatus("too late")
    assert out.unit_status == ops.ActiveStatus("8080")
