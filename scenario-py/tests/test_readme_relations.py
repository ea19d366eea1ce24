"""Scenario 5.8's README, "Relations" (with "PeerRelation", "SubordinateRelation",
"Triggering Relation Events", "Working with relation IDs" and "Additional event
parameters"). Each example runs as written there (where one was wrong as written, the fix
is made and marked with a comment): through both APIs where its code is the same but for
the run; where the two APIs write it differently, as Scenario 5 wrote it and, beside it, as
an ops[testing] suite writes it (``..._in_ops_testing_s_idiom``).
"""

import dataclasses
from typing import ClassVar

import ops
import pytest
from ops.charm import CharmBase

from scenario import Context, Event, PeerRelation, Relation, State, SubordinateRelation
from scenario.errors import JujuStricterWarning
from scenario.runtime import InconsistentScenarioError, UncaughtCharmError
from scenario.state import next_relation_id

# --- "Relations" ---------------------------------------------------------------------------


# This charm copies over remote app data to local unit data
class CopyCharm(CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        # Scenario 5.8's README fires `start`, which has no `e.relation` nor `e.app`, so its
        # example fails as written: the handler is meant for a relation event on `foo`.
        framework.observe(self.on.foo_relation_changed, self._on_event)

    def _on_event(self, e):
        rel = e.relation
        assert rel.app.name == "remote"
        assert rel.data[self.unit]["abc"] == "foo"
        rel.data[self.unit]["abc"] = rel.data[e.app]["cde"]


def test_relation_data():
    relation = Relation(
        endpoint="foo",
        interface="bar",
        remote_app_name="remote",
        local_unit_data={"abc": "foo"},
        remote_app_data={"cde": "baz!"},
    )
    state_in = State(relations=[relation])
    # Scenario 5.8's README does not declare `foo` in the meta, which the consistency
    # checker rejects: declare it.
    ctx = Context(CopyCharm, meta={"name": "foo", "requires": {"foo": {"interface": "bar"}}})

    # Scenario 5.8's README runs `start`; the intent is a relation event on `foo`.
    state_out = ctx.run(relation.changed_event, state_in)

    assert state_out.relations[0].local_unit_data == {"abc": "baz!"}
    # you can do this to check that there are no other differences:
    assert state_out.relations == [
        Relation(
            endpoint="foo",
            interface="bar",
            remote_app_name="remote",
            local_unit_data={"abc": "baz!"},
            remote_app_data={"cde": "baz!"},
            # Scenario 5.8's README builds a second Relation, which takes the next id:
            # compare with the input relation's id.
            relation_id=relation.relation_id,
        ),
    ]


def test_relation_data_in_ops_testing_s_idiom(testing):
    # The relation by its id, and dataclasses.replace to say nothing else changed.
    rel = testing.Relation(
        endpoint="foo",
        interface="bar",
        remote_app_name="remote",
        local_unit_data={"abc": "foo"},
        remote_app_data={"cde": "baz!"},
    )
    ctx = testing.Context(
        CopyCharm, meta={"name": "foo", "requires": {"foo": {"interface": "bar"}}}
    )
    out = ctx.run(ctx.on.relation_changed(rel), testing.State(relations={rel}))
    assert out.get_relation(rel.id).local_unit_data == {"abc": "baz!"}
    # And nothing else changed:
    assert out.relations == {dataclasses.replace(rel, local_unit_data={"abc": "baz!"})}


def test_relation_data_charm_assertion_failure_surfaces():
    # The charm's own assertions are real: a wrong local unit databag fails the run.
    relation = Relation("foo", local_unit_data={"abc": "not foo"}, remote_app_data={"cde": "x"})
    ctx = Context(CopyCharm, meta={"name": "foo", "requires": {"foo": {"interface": "bar"}}})
    with pytest.raises(UncaughtCharmError) as info:
        ctx.run(relation.changed_event, State(relations=[relation]))
    assert isinstance(info.value.__cause__, AssertionError)


def test_relation_defaults_are_an_empty_relation_with_remote_0():
    # relation_id= is Scenario 5's keyword: the relation reads its defaults as 5 did.
    relation = Relation("foo", relation_id=next_relation_id())
    assert relation.remote_app_name == "remote"
    assert relation.remote_units_data == {0: {}}
    assert relation.local_app_data == {} and relation.local_unit_data == {}
    assert relation.remote_app_data == {}


# --- "PeerRelation" ------------------------------------------------------------------------


class PeerCharm(CharmBase):
    seen: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        rel = self.model.get_relation("peers")
        units = {u.name: u for u in rel.units}
        PeerCharm.seen = {
            "units": sorted(units),
            "app": rel.app.name,
            "42": dict(rel.data[units["peer-app/42"]]) if "peer-app/42" in units else None,
        }


PEER_META = {"name": "peer-app", "peers": {"peers": {"interface": "cluster"}}}


def test_peer_relation(api):
    relation = api.testing.PeerRelation(
        endpoint="peers",
        peers_data={1: {}, 2: {}, 42: {"foo": "bar"}},
    )
    assert not hasattr(relation, "remote_app_name")
    assert not hasattr(relation, "remote_app_data")
    PeerCharm.seen = {}
    ctx = api.testing.Context(PeerCharm, meta=PEER_META)
    api.run(ctx, "start", api.testing.State(relations=[relation]))
    assert PeerCharm.seen == {
        "units": ["peer-app/1", "peer-app/2", "peer-app/42"],
        "app": "peer-app",
        "42": {"foo": "bar"},
    }


def test_peer_relation_with_this_units_id_is_inconsistent():
    state_in = State(
        relations=[
            PeerRelation(
                endpoint="peers",
                peers_data={1: {}, 2: {}, 42: {"foo": "bar"}},
            )
        ],
        unit_id=1,
    )

    # Juju never lists a unit among its own peers; Scenario 5.8.1 did not check, so this
    # warns (and strict mode refuses it).
    with pytest.warns(JujuStricterWarning, match="peers_data"):
        Context(PeerCharm, meta=PEER_META).run("start", state_in)
    with pytest.raises(InconsistentScenarioError, match="peers_data"):
        Context(PeerCharm, meta=PEER_META, strict=True).run("start", state_in)


# --- "SubordinateRelation" -----------------------------------------------------------------


def test_subordinate_relation():
    relation = SubordinateRelation(
        endpoint="peers",
        remote_unit_data={"foo": "bar"},
        remote_app_name="zookeeper",
        remote_unit_id=42,
    )
    assert relation.remote_unit_name == "zookeeper/42"
    assert relation.remote_unit_data == {"foo": "bar"}
    # The real fields are remote_unit_id / remote_app_name, not primary_id /
    # primary_app_name as Scenario 5.8's README names them.
    assert not hasattr(relation, "primary_id")
    assert not hasattr(relation, "primary_app_name")


def test_subordinate_relation_defaults():
    relation = SubordinateRelation("info", relation_id=next_relation_id())
    assert relation.remote_unit_name == "remote/0"
    assert relation.remote_unit_data == {}


# --- "Triggering Relation Events" ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["created", "joined", "changed", "departed", "broken"])
def test_relation_event_sugar(kind):
    relation = Relation(endpoint="foo", interface="bar")
    sugar = getattr(relation, f"{kind}_event")
    assert sugar == Event(f"foo-relation-{kind}", relation=relation)
    assert sugar.name == f"foo_relation_{kind}"
    assert sugar.relation == relation


def test_relation_event_sugar_as_written():
    relation = Relation(endpoint="foo", interface="bar")
    changed_event = relation.changed_event
    joined_event = relation.joined_event
    assert changed_event == Event("foo-relation-changed", relation=relation)
    assert joined_event != changed_event


def test_relation_event_sugar_normalises_the_endpoint():
    relation = Relation("my-db")
    assert relation.changed_event.name == "my_db_relation_changed"
    assert relation.changed_event == Event("my-db-relation-changed", relation=relation)


# --- "Working with relation IDs" -----------------------------------------------------------


def test_next_relation_id():
    next_id = next_relation_id(update=False)
    rel = Relation("foo")
    assert rel.relation_id == next_id
    assert next_relation_id(update=False) == next_id + 1


def test_replace_with_next_relation_id():
    rel = Relation("foo")
    rel2 = rel.replace(local_app_data={"foo": "bar"}, relation_id=next_relation_id())
    assert rel2.relation_id == rel.relation_id + 1


def test_relation_ids_in_ops_testing_s_idiom(testing):
    # dataclasses.replace, which keeps the id; a new Relation takes the next one.
    rel = testing.Relation("foo")
    rel2 = dataclasses.replace(rel, local_app_data={"foo": "bar"})
    assert rel2.id == rel.id  # replace keeps the id: the same relation, changed
    other = testing.Relation("foo")
    assert other.id > rel.id


def test_replace_without_a_new_id_is_a_consistency_error():
    rel = Relation("foo")
    rel2 = rel.replace(local_app_data={"foo": "bar"})
    ctx = Context(CharmBase, meta={"name": "app", "requires": {"foo": {"interface": "x"}}})
    with pytest.raises(InconsistentScenarioError, match="RL3"):
        ctx.run("start", State(relations=[rel, rel2]))


# --- "Additional event parameters" ---------------------------------------------------------


class JoinedCharm(CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_relation_joined, self._record)
        framework.observe(self.on.foo_relation_changed, self._record)

    def _record(self, event):
        JoinedCharm.seen.append((event.handle.kind, event.unit.name if event.unit else None))


FOO_META = {"name": "local", "requires": {"foo": {"interface": "bar"}}}


def test_remote_unit_id_of_a_joined_event():
    relation = Relation(endpoint="foo", interface="bar")
    remote_unit_2_is_joining_event = relation.joined_event(remote_unit_id=2)
    assert remote_unit_2_is_joining_event.relation_remote_unit_id == 2

    # which is syntactic sugar for (Scenario 5.8's README builds a -changed event here, which
    # does not equal a joined one; a joined event is meant):
    assert remote_unit_2_is_joining_event == Event(
        "foo-relation-joined", relation=relation, relation_remote_unit_id=2
    )

    JoinedCharm.seen = []
    Context(JoinedCharm, meta=FOO_META).run(
        remote_unit_2_is_joining_event, State(relations=[relation])
    )
    assert JoinedCharm.seen == [("foo_relation_joined", "remote/2")]


# --- relation events end to end ------------------------------------------------------------


# --- network-get ---------------------------------------------------------------------------


class JoinedStatusCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_relation_joined, self._on_joined)

    def _on_joined(self, event):
        self.unit.status = ops.ActiveStatus(event.unit.name)


def test_remote_unit_id_of_a_joined_event_in_ops_testing_s_idiom(testing):
    # The remote unit is the factory's argument.
    rel = testing.Relation(endpoint="foo", interface="bar", remote_units_data={1: {}, 2: {}})
    ctx = testing.Context(
        JoinedStatusCharm, meta={"name": "foo", "requires": {"foo": {"interface": "bar"}}}
    )
    out = ctx.run(ctx.on.relation_joined(rel, remote_unit=2), testing.State(relations={rel}))
    assert out.unit_status == testing.ActiveStatus("remote/2")
