"""State objects are frozen as dataclasses are: assigning a field raises, while
``object.__setattr__`` changes it in place (a way suites change one), and what it wrote is
what the object holds when it runs, compares and serialises."""

import dataclasses

import ops
import pytest

from scenario import Container, Context, Relation, Secret, State, StoredState


def test_assigning_a_field_raises_frozen_instance_error():
    rel = Relation("db")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rel.endpoint = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del rel.endpoint  # type: ignore[misc]


@pytest.mark.parametrize(
    "make,field,value",
    [
        (lambda: Relation("db", remote_app_data={"a": "b"}), "remote_app_data", {"c": "d"}),
        (lambda: Secret({"a": "b"}), "tracked_content", {"c": "d"}),
        (lambda: StoredState(content={"a": 1}), "content", {"b": 2}),
        (lambda: Container("c"), "can_connect", True),
    ],
)
def test_object_setattr_changes_one_object(make, field, value):
    one, other = make(), make()
    object.__setattr__(one, field, value)
    assert getattr(one, field) == value
    assert getattr(other, field) != value


class Reader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        rel = self.model.get_relation("db")
        self.unit.status = ops.ActiveStatus(rel.data[rel.app].get("k", "none"))


def test_what_object_setattr_wrote_is_what_runs():
    rel = Relation("db", remote_app_data={"k": "before"})
    object.__setattr__(rel, "remote_app_data", {"k": "after"})
    state = State(relations={rel})
    ctx = Context(Reader, meta={"name": "app", "requires": {"db": {"interface": "i"}}})
    out = ctx.run(ctx.on.start(), state)
    assert out.unit_status == ops.ActiveStatus("after")
    # And it compares as the object it now is.
    assert rel == Relation("db", id=rel.id, remote_app_data={"k": "after"})
