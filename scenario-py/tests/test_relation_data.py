"""Relation data, under both APIs: the access rules, Juju's and ops's (what a charm may read
and write, each rule checked inside a handler, with the exception type ops raises and what
its message names), relation-set and relation-get, and the databags of the State (the dict
a Relation holds)."""

from typing import Callable, ClassVar, Optional

import ops
import pytest
from ops.charm import CharmBase

from scenario import Context, PeerRelation, Relation, State
from scenario.runtime import UncaughtCharmError

META = {
    "name": "local",
    "requires": {"foo": {"interface": "bar"}},
    "peers": {"peers": {"interface": "cluster"}},
}


class DataCharm(CharmBase):
    """Runs ``DataCharm.action(self, relation)`` on the relation of the start event's state."""

    endpoint = "foo"
    action: ClassVar[Optional[Callable]] = None
    result: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        relation = self.model.get_relation(DataCharm.endpoint)
        DataCharm.result = {"value": DataCharm.action(self, relation)}


def _run(api, action, relation, *, leader=False, endpoint="foo"):
    DataCharm.action = action
    DataCharm.endpoint = endpoint
    DataCharm.result = {}
    out = api.run(
        Context(DataCharm, meta=META), "start", State(relations=[relation], leader=leader)
    )
    return out, DataCharm.result.get("value")


def _fails(api, action, relation, **kwargs):
    """The exception the handler raised (the run fails with it as the cause)."""
    with pytest.raises(UncaughtCharmError) as info:
        _run(api, action, relation, **kwargs)
    assert DataCharm.result == {}
    return info.value.__cause__


def _remote_unit(charm, relation):
    return next(u for u in relation.units if u.name == "remote/0")


# --- local app databag -----------------------------------------------------------------------


def test_the_leader_writes_local_app_data(api):
    def write(charm, relation):
        relation.data[charm.app]["k"] = "v"

    relation = Relation("foo", local_app_data={"old": "x"})
    out, _ = _run(api, write, relation, leader=True)
    assert out.relations[0].local_app_data == {"old": "x", "k": "v"}
    assert relation.local_app_data == {"old": "x"}  # the input is untouched


def test_the_leader_reads_local_app_data(api):
    _, value = _run(
        api,
        lambda charm, rel: dict(rel.data[charm.app]),
        Relation("foo", local_app_data={"a": "b"}),
        leader=True,
    )
    assert value == {"a": "b"}


def test_a_non_leader_cannot_write_local_app_data(api):
    def write(charm, relation):
        relation.data[charm.app]["k"] = "v"

    error = _fails(api, write, Relation("foo"), leader=False)
    assert type(error) is ops.RelationDataAccessError
    assert "local/0" in str(error) and "not leader" in str(error)


def test_a_non_leader_cannot_read_its_own_app_data_on_a_non_peer_relation(api):
    error = _fails(
        api,
        lambda charm, rel: rel.data[charm.app]["a"],
        Relation("foo", local_app_data={"a": "b"}),
        leader=False,
    )
    assert type(error) is ops.RelationDataAccessError
    assert "local/0" in str(error) and "own application databag" in str(error)


def test_a_non_leader_iterating_its_own_app_data_follows_its_ops_version(api):
    # ops enforces this rule, and the two supported versions differ: ops 2.x checks item
    # access only, so iterating an empty bag passes; ops 3.x checks every
    # read, iteration included.
    if ops.__version__.startswith("2."):
        _, value = _run(
            api, lambda charm, rel: list(rel.data[charm.app]), Relation("foo"), leader=False
        )
        assert value == []
    else:
        error = _fails(
            api, lambda charm, rel: list(rel.data[charm.app]), Relation("foo"), leader=False
        )
        assert type(error) is ops.RelationDataAccessError
        assert "local/0" in str(error)


# --- peer app databag ------------------------------------------------------------------------


def test_peer_app_data_is_readable_by_a_non_leader(api):
    relation = PeerRelation("peers", local_app_data={"shared": "yes"}, peers_data={1: {}})
    _, value = _run(
        api,
        lambda charm, rel: rel.data[charm.app]["shared"],
        relation,
        leader=False,
        endpoint="peers",
    )
    assert value == "yes"


def test_peer_app_data_is_still_written_only_by_the_leader(api):
    def write(charm, relation):
        relation.data[charm.app]["k"] = "v"

    relation = PeerRelation("peers", peers_data={1: {}})
    error = _fails(api, write, relation, leader=False, endpoint="peers")
    assert type(error) is ops.RelationDataAccessError
    assert "local/0" in str(error)
    out, _ = _run(api, write, relation, leader=True, endpoint="peers")
    assert out.relations[0].local_app_data == {"k": "v"}


def test_a_peer_units_data_is_readable_and_not_writable(api):
    relation = PeerRelation("peers", peers_data={1: {"p": "q"}})

    def peer(charm, rel):
        return next(u for u in rel.units if u.name == "local/1")

    _, value = _run(api, lambda c, r: dict(r.data[peer(c, r)]), relation, endpoint="peers")
    assert value == {"p": "q"}

    def write(charm, rel):
        rel.data[peer(charm, rel)]["x"] = "y"

    error = _fails(api, write, relation, endpoint="peers", leader=True)
    assert type(error) is ops.RelationDataAccessError
    assert "local/1" in str(error)


# --- remote databags -------------------------------------------------------------------------


@pytest.mark.parametrize("leader", [True, False])
def test_remote_app_data_is_readable(api, leader):
    _, value = _run(
        api,
        lambda charm, rel: rel.data[rel.app]["cde"],
        Relation("foo", remote_app_data={"cde": "baz"}),
        leader=leader,
    )
    assert value == "baz"


@pytest.mark.parametrize("leader", [True, False])
def test_remote_app_data_cannot_be_written(api, leader):
    def write(charm, relation):
        relation.data[relation.app]["k"] = "v"

    error = _fails(api, write, Relation("foo", remote_app_name="remote"), leader=leader)
    assert type(error) is ops.RelationDataAccessError
    assert "remote" in str(error)


@pytest.mark.parametrize("leader", [True, False])
def test_remote_unit_data_cannot_be_written(api, leader):
    def write(charm, relation):
        relation.data[_remote_unit(charm, relation)]["k"] = "v"

    error = _fails(api, write, Relation("foo", remote_units_data={0: {}}), leader=leader)
    assert type(error) is ops.RelationDataAccessError
    assert "remote/0" in str(error)


# --- unit databags ---------------------------------------------------------------------------


@pytest.mark.parametrize("leader", [True, False])
def test_unit_data_is_always_readable(api, leader):
    relation = Relation(
        "foo", local_unit_data={"mine": "1"}, remote_units_data={0: {"theirs": "2"}}
    )
    _, value = _run(
        api,
        lambda charm, rel: (dict(rel.data[charm.unit]), dict(rel.data[_remote_unit(charm, rel)])),
        relation,
        leader=leader,
    )
    assert value == ({"mine": "1"}, {"theirs": "2"})


@pytest.mark.parametrize("leader", [True, False])
def test_own_unit_data_is_writable(api, leader):
    def write(charm, relation):
        relation.data[charm.unit]["k"] = "v"

    # (Given empty: ops[testing]'s default unit databag holds Juju's addresses.)
    out, _ = _run(api, write, Relation("foo", local_unit_data={}), leader=leader)
    assert out.relations[0].local_unit_data == {"k": "v"}


# --- types -----------------------------------------------------------------------------------


def test_a_non_str_value_is_a_relation_data_type_error(api):
    def write(charm, relation):
        relation.data[charm.unit]["k"] = 42

    error = _fails(api, write, Relation("foo"))
    assert type(error) is ops.RelationDataTypeError
    assert "int" in str(error) and "str" in str(error)


def test_a_non_str_key_is_a_relation_data_type_error(api):
    def write(charm, relation):
        relation.data[charm.unit][42] = "v"

    error = _fails(api, write, Relation("foo"))
    assert type(error) is ops.RelationDataTypeError
    assert "int" in str(error)


# --- empty values, copies, unknown relations -------------------------------------------------


def test_setting_a_key_to_the_empty_string_deletes_it(api):
    # "" deletes the key, as in Juju, also on a databag not read before (5.8.1 stored the
    # empty string in the output State).
    def write(charm, relation):
        relation.data[charm.unit]["gone"] = ""

    relation = Relation("foo", local_unit_data={"gone": "x", "kept": "y"})
    out, _ = _run(api, write, relation)
    assert out.relations[0].local_unit_data == {"kept": "y"}


def test_setting_an_app_key_to_the_empty_string_deletes_it(api):
    def write(charm, relation):
        relation.data[charm.app]["gone"] = ""

    relation = Relation("foo", local_app_data={"gone": "x", "kept": "y"})
    out, _ = _run(api, write, relation, leader=True)
    assert out.relations[0].local_app_data == {"kept": "y"}


def test_the_hook_tool_deletes_on_an_empty_value(api):
    # The backend itself (relation-set), without ops's own dict in between.
    def write(charm, relation):
        backend = charm.framework.model._backend
        try:  # ops 3.x
            backend.relation_set(relation.id, {"gone": ""}, False)
        except TypeError:  # ops 2.x: (relation_id, key, value, is_app)
            backend.relation_set(relation.id, "gone", "", False)

    relation = Relation("foo", local_unit_data={"gone": "x", "kept": "y"})
    out, _ = _run(api, write, relation)
    assert out.relations[0].local_unit_data == {"kept": "y"}


def test_relation_get_returns_a_copy(api):
    def mutate(charm, relation):
        backend = charm.framework.model._backend
        got = backend.relation_get(relation.id, charm.unit.name, False)
        got["injected"] = "by the charm"
        # and ops's own cached view of the databag
        content = relation.data[relation.app]
        content._data["sneaky"] = "x"
        return backend.relation_get(relation.id, charm.unit.name, False)

    relation = Relation("foo", local_unit_data={"a": "b"}, remote_app_data={"r": "s"})
    out, again = _run(api, mutate, relation, leader=True)
    assert again == {"a": "b"}
    assert out.relations[0].local_unit_data == {"a": "b"}
    assert out.relations[0].remote_app_data == {"r": "s"}


def test_a_read_dict_changes_the_state_only_once_written(api):
    def mutate_then_write(charm, relation):
        bag = relation.data[charm.unit]
        bag._data["unwritten"] = "x"  # ops's cache, not a write
        bag["written"] = "y"

    relation = Relation("foo", local_unit_data={"a": "b"})
    out, _ = _run(api, mutate_then_write, relation)
    assert out.relations[0].local_unit_data == {"a": "b", "written": "y"}


def test_reading_a_relation_not_in_the_state_gives_an_empty_databag(api):
    def read(charm, relation):
        dead = charm.model.get_relation("foo", 999)
        return dict(dead.data[charm.unit])

    _, value = _run(api, read, Relation("foo", relation_id=5, local_unit_data={"a": "b"}))
    assert value == {}


def test_relation_get_of_a_relation_not_in_the_state_is_relation_not_found(api):
    def read(charm, relation):
        charm.framework.model._backend.relation_get(999, charm.unit.name, False)

    error = _fails(api, read, Relation("foo", relation_id=5))
    assert type(error) is ops.RelationNotFoundError
    assert "999" in str(error)


def test_writing_a_relation_not_in_the_state_is_relation_not_found(api):
    def write(charm, relation):
        dead = charm.model.get_relation("foo", 999)  # ops keeps only a weak reference to it
        dead.data[charm.unit]["k"] = "v"

    error = _fails(api, write, Relation("foo", relation_id=5))
    assert type(error) is ops.RelationNotFoundError
    assert "999" in str(error)


# --- the databags of the State ------------------------------------------------------------


def test_a_databag_is_the_dict_the_relation_holds():
    # As in both originals (a dataclass field): the dict given is copied once, and the
    # relation then hands out the same dict, which a test may change in place.
    given = {"a": "b"}
    rel = Relation("db", local_unit_data=given)
    given["a"] = "not seen"
    assert rel.local_unit_data == {"a": "b"}
    rel.local_unit_data["a"] = "changed"
    assert rel.local_unit_data is rel.local_unit_data
    assert rel == Relation("db", relation_id=rel.id, local_unit_data={"a": "changed"})
    assert (
        State(relations=[rel]).to_json()
        == State(
            relations=[Relation("db", relation_id=rel.id, local_unit_data={"a": "changed"})]
        ).to_json()
    )
