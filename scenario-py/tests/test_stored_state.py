"""Stored state: the ``StoredState`` class (both APIs' argument orders), what a charm reads
and writes of it under both APIs, and the framework's own stored state, which numbers the
events. The README's example is test_readme_more.py's; the checks on stored state are
test_consistency_checker.py's.
"""

import dataclasses
from typing import ClassVar

import ops
import pytest

from scenario import Context, State


def test_stored_state(testing):
    default = testing.StoredState()
    assert (default.name, default.owner_path, default.content) == ("_stored", None, {})
    stored = testing.StoredState("counters", owner_path="MyCharm", content={"n": 1})
    assert (stored.name, stored.owner_path, stored.content) == ("counters", "MyCharm", {"n": 1})
    assert stored == testing.StoredState("counters", owner_path="MyCharm", content={"n": 1})
    assert hash(stored) == hash(dataclasses.replace(stored, content={"n": 2}))


def test_the_framework_stored_state_may_be_given_empty(testing):
    # StoredState() (no owner) is the framework's own, numbering events: given with no
    # content, the run numbers from the start.
    ctx = testing.Context(ops.CharmBase, meta={"name": "app"})
    out = ctx.run(ctx.on.start(), testing.State(stored_states={testing.StoredState()}))
    assert out.get_stored_state("_stored", owner_path=None).content["event_count"] >= 1


def test_stored_state_takes_its_name_alone_by_position(testing):
    # ops[testing]: StoredState(name, *, owner_path, content); a second positional after a
    # name that is no handle path is refused, as ops[testing] refuses it.
    with pytest.raises(TypeError):
        testing.StoredState("_stored", "")


def test_stored_state_takes_scenario_5_s_positional_order():
    # Scenario 5's order, which starts with a handle path, still reads as it did (8.9
    # refuses it: StoredState takes its name alone by position there).
    from scenario import StoredState

    legacy = StoredState("MyCharm", "_state", {"a": 1})
    assert (legacy.owner_path, legacy.name, legacy.content) == ("MyCharm", "_state", {"a": 1})


class MyCharmType(ops.CharmBase):
    my_stored_state = ops.StoredState()
    seen_in_init: ClassVar[dict] = {}

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        assert self.my_stored_state.foo == "bar"  # this will pass!
        MyCharmType.seen_in_init = {
            "foo": self.my_stored_state.foo,
            "baz": dict(self.my_stored_state.baz),
        }
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.my_stored_state.foo = "changed"


def test_stored_state_missing_from_the_input_fails_in_init(api):
    # Without it, the charm's own assertion in __init__ fails (no such attribute).
    from scenario.runtime import UncaughtCharmError

    with pytest.raises(UncaughtCharmError) as info:
        api.run(Context(MyCharmType, meta={"name": "stored"}), "start", State())
    assert isinstance(info.value.__cause__, AttributeError)
