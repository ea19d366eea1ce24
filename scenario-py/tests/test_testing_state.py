"""ops[testing]'s State and its parts: each class's constructor, defaults, validation
errors, hashing and equality, ``dataclasses.replace``; a State's set collections and its
``get_*`` helpers; ``State.from_context``; statuses; ports, storage, resources, stored
state, networks, the model and its cloud spec (with ``credential-get``).
"""

import dataclasses

import ops
import pytest

OPS_VERSION = tuple(int(p) for p in ops.__version__.split(".")[:2])
DEFAULT_BAG = {
    "egress-subnets": "192.0.2.0",
    "ingress-address": "192.0.2.0",
    "private-address": "192.0.2.0",
}


# --- State -----------------------------------------------------------------------------------


def test_a_default_state(testing):
    state = testing.State()
    assert state.config == {}
    for name in (
        "relations",
        "networks",
        "containers",
        "storages",
        "opened_ports",
        "secrets",
        "resources",
        "stored_states",
    ):
        assert getattr(state, name) == frozenset(), name
    assert state.leader is False
    assert state.planned_units == 1
    assert state.deferred == []
    assert state.unit_status == state.app_status == testing.UnknownStatus()
    assert state.workload_version == ""
    assert isinstance(state.model, testing.Model)


def test_state_collections_read_as_frozensets(testing):
    r1, r2 = testing.Relation("a"), testing.Relation("b")
    state = testing.State(relations=[r1, r2])
    assert state.relations == {r1, r2}
    assert state.relations == frozenset({r2, r1})
    assert len(state.relations) == 2
    assert state.relations | {r1} == {r1, r2}
    assert r1 in state.relations
    assert testing.State(containers=(testing.Container("c"),)).containers == {
        testing.Container("c")
    }


def test_state_is_not_hashable(testing):
    with pytest.raises(TypeError):
        hash(testing.State())


def test_replace_a_state(testing):
    rel = testing.Relation("a")
    state = testing.State(relations={rel}, leader=False)
    changed = dataclasses.replace(state, leader=True)
    assert changed.leader is True
    assert changed.relations == {rel}
    assert state.leader is False
    # A list is accepted where a set is stored (pytest-interface-tester passes lists).
    assert dataclasses.replace(state, relations=[rel, testing.Relation("b")]).get_relations("b")


# --- the get_* helpers -----------------------------------------------------------------------


@pytest.fixture
def full(testing):
    """A State holding one of each thing, and the things."""
    things = dict(
        db=testing.Relation("db"),
        db2=testing.Relation("db"),
        peers=testing.PeerRelation("peers"),
        container=testing.Container("c"),
        secret=testing.Secret({"a": "b"}, label="lbl"),
        storage=testing.Storage("data"),
        stored=testing.StoredState("_stored", owner_path="MyCharm", content={"a": 1}),
        network=testing.Network("db"),
    )
    state = testing.State(
        relations={things["db"], things["db2"], things["peers"]},
        containers={things["container"]},
        secrets={things["secret"]},
        storages={things["storage"]},
        stored_states={things["stored"]},
        networks={things["network"]},
    )
    return state, things


def test_get_relation(testing, full):
    state, t = full
    assert state.get_relation(t["db"].id) == t["db"]
    assert state.get_relation(t["db"]) == t["db"]
    with pytest.raises(KeyError, match="relation: id=999999 not found in the State"):
        state.get_relation(999999)
    with pytest.raises(ValueError, match=r"State.get_relation\(\) result does not match"):
        state.get_relation(dataclasses.replace(t["db"], endpoint="other"))


def test_get_relations_is_a_tuple_by_endpoint(testing, full):
    state, t = full
    found = state.get_relations("db")
    assert isinstance(found, tuple)
    assert set(found) == {t["db"], t["db2"]}
    assert state.get_relations("peers") == (t["peers"],)
    assert state.get_relations("nope") == ()


def test_get_relations_with_a_hyphenated_endpoint(testing):
    rel = testing.Relation("foo-bar")
    state = testing.State(relations={rel})
    assert state.get_relations("foo-bar") == (rel,)


def test_get_container_and_network(testing, full):
    state, t = full
    assert state.get_container("c") == t["container"]
    assert state.get_network("db") == t["network"]
    with pytest.raises(KeyError, match="container: x not found in the State"):
        state.get_container("x")
    with pytest.raises(KeyError, match="network: x not found in the State"):
        state.get_network("x")


def test_get_secret(testing, full):
    state, t = full
    secret = t["secret"]
    assert state.get_secret(id=secret.id) == secret
    assert state.get_secret(label="lbl") == secret
    assert state.get_secret(id=secret.id, label="lbl") == secret
    with pytest.raises(KeyError, match="secret: not found in the State"):
        state.get_secret(id=secret.id, label="other")
    with pytest.raises(KeyError, match="secret: not found in the State"):
        state.get_secret(label="other")
    with pytest.raises(ValueError, match="An id or label must be provided"):
        state.get_secret()


def test_get_storage_and_stored_state(testing, full):
    state, t = full
    assert state.get_storage("data", index=t["storage"].index) == t["storage"]
    assert state.get_stored_state("_stored", owner_path="MyCharm") == t["stored"]
    with pytest.raises(ValueError, match="storage: name=data, index=999 not found in the State"):
        state.get_storage("data", index=999)
    with pytest.raises(ValueError, match="stored state: _stored not found in the State"):
        state.get_stored_state("_stored")


# --- State.from_context ----------------------------------------------------------------------

FROM_CONTEXT_META = {
    "name": "app",
    "requires": {
        "db": {"interface": "sql"},
        "info": {"interface": "juju-info", "scope": "container"},
    },
    "provides": {"web": {"interface": "http"}},
    "peers": {"peers": {"interface": "p"}},
    "containers": {"workload": {}},
    "storage": {"data": {"type": "filesystem"}},
}
FROM_CONTEXT_CONFIG = {
    "options": {"colour": {"type": "string", "default": "blue"}, "size": {"type": "int"}}
}


class StatefulCharm(ops.CharmBase):
    _stored = ops.StoredState()
    counters = ops.StoredState()


def test_from_context_fills_in_the_metadata(testing):
    ctx = testing.Context(StatefulCharm, meta=FROM_CONTEXT_META, config=FROM_CONTEXT_CONFIG)
    state = testing.State.from_context(ctx)
    assert state.config == {"colour": "blue"}
    assert sorted((type(r).__name__, r.endpoint, r.interface) for r in state.relations) == [
        ("PeerRelation", "peers", "p"),
        ("Relation", "db", "sql"),
        ("Relation", "web", "http"),
        ("SubordinateRelation", "info", "juju-info"),
    ]
    assert [(c.name, c.can_connect) for c in state.containers] == [("workload", True)]
    assert [s.name for s in state.storages] == ["data"]
    assert sorted((s.name, s.owner_path) for s in state.stored_states) == [
        ("_stored", "StatefulCharm"),
        ("counters", "StatefulCharm"),
    ]
    # The State it makes is one the charm runs on.
    ctx.run(ctx.on.start(), state)


def test_from_context_keeps_what_it_is_given(testing):
    ctx = testing.Context(StatefulCharm, meta=FROM_CONTEXT_META, config=FROM_CONTEXT_CONFIG)
    db = testing.Relation("db", remote_app_name="pg")
    state = testing.State.from_context(
        ctx, relations={db}, config={"colour": "red", "size": 3}, leader=True
    )
    assert state.get_relations("db") == (db,)
    assert state.config == {"colour": "red", "size": 3}
    assert state.leader


# --- relations -------------------------------------------------------------------------------


# --- containers and their parts --------------------------------------------------------------


# --- ports, storage, resources, stored state -------------------------------------------------


def test_resource(testing):
    res = testing.Resource(name="img", path="/tmp/img.tar")
    assert (res.name, str(res.path)) == ("img", "/tmp/img.tar")
    assert res == testing.Resource(name="img", path="/tmp/img.tar")


# --- networks --------------------------------------------------------------------------------


# --- the model and its cloud -----------------------------------------------------------------


# --- statuses --------------------------------------------------------------------------------


# --- every class: replace, frozen ------------------------------------------------------------


def _one_of_each(testing, tmp_path):
    return [
        testing.State(),
        testing.Relation("db"),
        testing.PeerRelation("peers"),
        testing.SubordinateRelation("info"),
        testing.Container("c"),
        testing.Exec(["ls"]),
        testing.Mount(location="/a", source=tmp_path),
        testing.CheckInfo("http"),
        testing.Notice("example.com/a"),
        testing.Secret({"a": "b"}),
        testing.Model(),
        testing.CloudSpec("lxd"),
        testing.CloudCredential(auth_type="cert"),
        testing.TCPPort(80),
        testing.UDPPort(53),
        testing.ICMPPort(),
        testing.Storage("data"),
        testing.Resource(name="r", path="/r"),
        testing.StoredState(),
        testing.DeferredEvent("C/on/start[1]", "C", "_on"),
        testing.Network("db"),
        testing.BindAddress([testing.Address("10.0.0.1")]),
        testing.Address("10.0.0.1"),
    ]


def test_every_class_is_a_frozen_dataclass(testing, tmp_path):
    for obj in _one_of_each(testing, tmp_path):
        assert dataclasses.is_dataclass(obj), type(obj)
        assert dataclasses.replace(obj) == obj or isinstance(obj, testing.State), type(obj)
        field = dataclasses.fields(obj)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, getattr(obj, field))


def test_type_aliases(testing):
    import typing

    assert testing.UnitID is int
    assert typing.get_args(testing.RawDataBagContents) == (str, str)
    assert typing.get_args(testing.RawSecretRevisionContents) == (str, str)
    assert str in typing.get_args(testing.AnyJson)


# --- where this package differs, on purpose --------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.Relation("Bad_Name"),
        lambda t: t.PeerRelation("db--x"),
        lambda t: t.SubordinateRelation("0db"),
        lambda t: t.Container("my_container"),
        lambda t: t.Storage("my_storage"),
    ],
)
def test_names_juju_would_refuse_are_refused_when_made(testing, make):
    """A relation endpoint, container or storage name Juju would refuse is refused when the
    object is made, as in 8.9 (a charm whose metadata holds one cannot be deployed)."""
    with pytest.raises(testing.errors.StateValidationError):
        make(testing)


def test_get_relations_with_dashes_or_underscores_differs_from_8_9(testing):
    """8.9 matches the endpoint verbatim; this package folds ``-`` and ``_`` as Scenario 5
    did (and as ops does in event names)."""
    import scenario

    rel = testing.Relation("foo-bar")
    found = testing.State(relations={rel}).get_relations("foo_bar")
    assert found == ((rel,) if hasattr(scenario, "_scenario") else ())


def test_an_action_takes_its_params_and_id_by_keyword():
    from scenario.state import _Action

    with pytest.raises(TypeError):
        _Action("go", {})
    action = _Action("go", params={"x": 1}, id="7")
    assert (action.params, action.id) == ({"x": 1}, "7")


def test_a_secret_in_ops_testing_form_takes_one_positional(testing):
    with pytest.raises(TypeError):
        testing.Secret({"a": "b"}, {"c": "d"})
