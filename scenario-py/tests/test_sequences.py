"""Scenario 5's ``scenario.sequences``: the startup and teardown sequences a charm suite
runs a charm through (``State.jsonpatch_delta``, the other helper such suites lean on, is
test_state.py's)."""

import ops
import pytest

from scenario import Relation, State, Storage
from scenario.runtime import UncaughtCharmError
from scenario.sequences import (
    check_builtin_sequences,
    generate_startup_sequence,
    generate_teardown_sequence,
)

META = {
    "name": "seq",
    "requires": {"db": {"interface": "pg"}},
    "storage": {"data": {"type": "filesystem"}},
}


class SeenCharm(ops.CharmBase):
    seen: "list[str]" = []  # noqa: RUF012 - shared on purpose across the per-run subclasses

    def __init__(self, framework):
        super().__init__(framework)
        for name in ("install", "start", "stop", "remove", "config_changed", "leader_elected"):
            framework.observe(getattr(self.on, name), self._seen)
        framework.observe(self.on.leader_settings_changed, self._seen)
        framework.observe(self.on.db_relation_created, self._seen)
        framework.observe(self.on.db_relation_broken, self._seen)
        framework.observe(self.on.data_storage_attached, self._seen)

    def _seen(self, event):
        SeenCharm.seen.append(event.handle.kind)


def test_check_builtin_sequences_runs_startup_and_teardown_with_relations_and_storage():
    SeenCharm.seen = []
    template = State(relations=[Relation("db")], storage=[Storage("data", index=0)])
    outputs = check_builtin_sequences(SeenCharm, meta=META, template_state=template)
    # 6 startup events and 4 teardown ones, once as leader and once not.
    assert len(outputs) == 20
    assert SeenCharm.seen[:6] == [
        "data_storage_attached",
        "start",
        "db_relation_created",
        "leader_elected",
        "config_changed",
        "install",
    ]
    assert "leader_settings_changed" in SeenCharm.seen
    assert SeenCharm.seen[7:9] == ["stop", "remove"]
    assert all(isinstance(s, State) for s in outputs)


def test_sequences_are_bound_to_the_template():
    rel = Relation("db")
    startup = generate_startup_sequence(State(relations=[rel], leader=True))
    names = [event.name for event, _ in startup]
    assert names == ["start", "db_relation_created", "leader_elected", "config_changed", "install"]
    assert startup[1][0].relation == rel
    teardown = [event.name for event, _ in generate_teardown_sequence(State(relations=[rel]))]
    assert teardown == ["db_relation_broken", "stop", "remove"]


class BrokenOnStop(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.stop, self._boom)

    def _boom(self, _):
        raise KeyError("stop failed")


def test_check_builtin_sequences_surfaces_a_failing_charm():
    with pytest.raises(UncaughtCharmError) as info:
        check_builtin_sequences(BrokenOnStop, meta={"name": "x"})
    assert isinstance(info.value.__cause__, KeyError)
