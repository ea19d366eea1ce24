"""Scenario 5's private names and list collections, which suites (5.8.1's own among them)
reach for: each test passes on ops-scenario 5.8.1 as on this package."""

import dataclasses
from typing import Any, ClassVar, Dict, List

import ops

from scenario import Context, State
from scenario.state import Port, _DCBase


class MyCharm(ops.CharmBase):
    META: ClassVar[Dict[str, Any]] = {"name": "mycharm", "requires": {"db": {"interface": "sql"}}}

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _: ops.StartEvent) -> None:
        self.unit.open_port("tcp", 8080)
        self.unit.open_port("udp", 53)


def test_output_collections_are_lists_a_test_can_pop():
    ctx = Context(MyCharm, meta=MyCharm.META)
    out = ctx.run("start", State())
    assert isinstance(out.opened_ports, list)
    last = out.opened_ports.pop()
    assert (last.protocol, last.port) == ("udp", 53)
    assert [p.port for p in out.opened_ports] == [8080]


def test_a_list_changed_in_place_is_what_the_state_holds():
    ctx = Context(MyCharm, meta=MyCharm.META)
    out = ctx.run("start", State())
    out.opened_ports.clear()
    assert out.opened_ports == []
    assert out == dataclasses.replace(out, opened_ports=[])


@dataclasses.dataclass(frozen=True)
class Settings(_DCBase):
    size: int
    tags: List[str]
    nested: Dict[str, List[int]]


def test_dcbase_replace_gives_a_deep_copy():
    tags, inner = ["a"], [1]
    settings = Settings(1, tags, {"x": inner})
    bigger = settings.replace(size=2)
    tags.append("b")
    inner.append(2)
    assert bigger == Settings(2, ["a"], {"x": [1]})
    assert settings.copy() == Settings(1, ["a", "b"], {"x": [1, 2]})


def test_a_port_collection_answers_as_a_list():
    state = State(opened_ports=[Port("tcp", 1), Port("udp", 2)])
    assert state.opened_ports[1].port == 2
    assert len(state.opened_ports) == 2


def test_a_run_sees_what_a_test_changed_in_a_list():
    class Reporter(ops.CharmBase):
        seen: ClassVar[List[int]] = []

        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            framework.observe(self.on.update_status, self._on_update_status)

        def _on_update_status(self, _: ops.UpdateStatusEvent) -> None:
            Reporter.seen = sorted(p.port for p in self.unit.opened_ports())

    ctx = Context(Reporter, meta={"name": "reporter"})
    out = ctx.run("update-status", State(opened_ports=[Port("tcp", 1), Port("tcp", 2)]))
    assert Reporter.seen == [1, 2]
    out.opened_ports.pop(0)
    ctx.run("update-status", out)
    assert Reporter.seen == [2]
