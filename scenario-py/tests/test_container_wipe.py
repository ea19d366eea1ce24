"""Each run starts with empty container filesystems; ops[testing] says, in the run's
juju-log, when it wipes one a past run left files in (Scenario 5.8.1 wiped silently)."""

import ops

from scenario import Container, Context, State


class Pusher(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        workload = self.unit.get_container("workload")
        assert not workload.exists("/foo.txt")
        workload.push("/foo.txt", "hello")


META = {"name": "app", "containers": {"workload": {}}}


def test_ops_testing_warns_of_the_files_it_wipes():
    ctx = Context(Pusher, meta=META)
    state = State(containers={Container("workload", can_connect=True)})
    ctx.run(ctx.on.start(), state)
    assert not any("non-empty" in line.message for line in ctx.juju_log)
    ctx.run(ctx.on.start(), state)
    assert any(
        "'workload'" in line.message and "non-empty" in line.message for line in ctx.juju_log
    )


def test_scenario_5_wipes_them_silently():
    ctx = Context(Pusher, meta=META)
    state = State(containers=[Container("workload", can_connect=True)])
    ctx.run("start", state)
    ctx.run("start", state)
    assert not any("non-empty" in line.message for line in ctx.juju_log)
