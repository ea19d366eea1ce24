"""The state model, seen from Python: every state class is a frozen value (the dataclass
protocol, ``replace``, pickling in every protocol, ``copy``, ``match``, equality and
hashing, fields named as the API a value was made for, ``object.__setattr__`` as suites
use it); the State (its defaults, its collections: frozensets that read as lists, or a
Scenario 5 State's lists a test may change; its ``get_*`` and Scenario 5's ``with_*``
helpers; ``State.from_context``); and its serialisations (JSON, YAML, pickle,
``jsonpatch_delta``). The classes of each feature (relations, secrets, the Pebble ones...)
are tested in that feature's file too; refused values are test_refused_inputs.py's.
"""

import copy
import dataclasses
import datetime
import pickle
from typing import Any, ClassVar, Dict, List

import ops
import pytest
from ops import pebble

from scenario import Context
from scenario.state import (
    Action,
    Address,
    BindAddress,
    Container,
    DeferredEvent,
    Event,
    ExecOutput,
    Model,
    Mount,
    Network,
    PeerRelation,
    Port,
    Relation,
    Resource,
    Secret,
    State,
    StateValidationError,
    Storage,
    StoredState,
    SubordinateRelation,
    _DCBase,
)

LAYER = pebble.Layer(
    {"services": {"web": {"override": "replace", "command": "run", "startup": "enabled"}}}
)


def examples():
    """One instance of every state class, with non-default fields."""
    relation = Relation(
        "db", interface="pg", remote_app_data={"a": "b"}, remote_units_data={3: {"k": "v"}}
    )
    container = Container(
        "wl",
        can_connect=True,
        layers={"base": LAYER},
        service_status={"web": pebble.ServiceStatus.ACTIVE},
        mounts={"cfg": Mount("/etc/app", "/tmp")},
        exec_mock={("ls", "-l"): ExecOutput(return_code=1, stdout="x", stderr="y")},
    )
    secret = Secret(
        "secret:abc",
        {0: {"key": "v0"}, 1: {"key": "v1"}},
        owner="app",
        revision=1,
        remote_grants={relation.relation_id: {"remote"}},
        label="l",
        description="d",
        expire=datetime.datetime(2030, 1, 1, 12, 0),
        rotate=ops.SecretRotate.DAILY,
    )
    network = Network.default("db", private_address="10.0.0.1")
    return [
        relation,
        PeerRelation("cluster", peers_data={1: {"x": "y"}}),
        SubordinateRelation("info", remote_unit_data={"a": "b"}, remote_unit_id=1000),
        container,
        Mount("/a", "/b"),
        ExecOutput(stdout="out"),
        secret,
        network,
        Address("h", "10.0.0.1", "10.0.0.0/24"),
        BindAddress("eth0", [Address("h", "1.1.1.1", "1.1.1.0/24")], mac_address="aa"),
        Port("tcp", 8080),
        Storage("data", index=2),
        StoredState("MyCharm", content={"a": 1, "b": {42: (1, 2.5, b"x", {"s"})}}),
        DeferredEvent("MyCharm/on/start[1]", "MyCharm", "_on_start", {"k": None}),
        Model("m", "u", "lxd"),
        Action("backup", params={"n": 3, "deep": [1, {"a": True}]}),
        Event("foo-relation-changed", relation=relation, relation_remote_unit_id=3),
        State(
            config={"port": 80, "name": "x", "ratio": 0.5, "on": True},
            relations=[relation],
            networks=[network],
            containers=[container],
            storage=[Storage("data", index=2)],
            opened_ports=[Port("udp", 53)],
            leader=True,
            model=Model("m", "u"),
            secrets=[secret],
            resources={"img": "/path"},
            planned_units=3,
            unit_id=2,
            deferred=[DeferredEvent("MyCharm/on/start[1]", "MyCharm", "_on_start")],
            stored_state=[StoredState("MyCharm", content={"n": 1})],
            app_status=ops.BlockedStatus("b"),
            unit_status=ops.ActiveStatus("a"),
            workload_version="1.2",
        ),
    ]


@pytest.mark.parametrize("obj", examples(), ids=lambda o: type(o).__name__)
def test_dataclass_protocol(obj):
    cls = type(obj)
    fields = dataclasses.fields(obj)
    names = [f.name for f in fields]
    # The fields name the data as one API does (see test_fields_are_named_as_the_api_does):
    # each is an attribute, and none is listed twice.
    assert all(hasattr(obj, name) for name in names)
    init = [f.name for f in fields if f.init]
    assert len(set(init)) == len(init)
    assert dataclasses.is_dataclass(obj)
    assert dataclasses.replace(obj) == obj
    assert obj.replace() == obj
    assert isinstance(dataclasses.asdict(obj), dict)
    assert pickle.loads(pickle.dumps(obj)) == obj
    assert copy.deepcopy(obj) == obj
    assert copy.copy(obj) == obj
    assert eval(repr(obj).split("(")[0]) is cls  # repr starts with the class name
    assert repr(obj).startswith(f"{cls.__name__}(")
    with pytest.raises(AttributeError):
        setattr(obj, names[0], None)


def test_fields_are_named_as_the_api_does():
    # dataclasses.asdict(state) has the keys of the original a suite was written for: a
    # State made with Scenario 5's names, Scenario 5's; any other, ops[testing]'s.
    legacy = State(storage=[Storage("data")], stored_state=[])
    modern = State(storages=[Storage("data")])
    assert {"storage", "stored_state"} <= set(dataclasses.asdict(legacy))
    assert not {"storages", "stored_states"} & set(dataclasses.asdict(legacy))
    assert {"storages", "stored_states"} <= set(dataclasses.asdict(modern))
    assert not {"storage", "stored_state"} & set(dataclasses.asdict(modern))
    assert "id" in dataclasses.asdict(Relation("db", id=3))
    assert "relation_id" in dataclasses.asdict(Relation("db", relation_id=3))
    # The class lists ops[testing]'s.
    assert "storages" in {f.name for f in dataclasses.fields(State)}


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("obj", examples(), ids=lambda o: type(o).__name__)
def test_every_pickle_protocol_round_trips(obj, protocol):
    # Both originals are dataclasses, which every protocol pickles.
    assert pickle.loads(pickle.dumps(obj, protocol=protocol)) == obj


@pytest.mark.parametrize("obj", examples(), ids=lambda o: type(o).__name__)
def test_pickles_name_the_public_module(obj):
    assert type(obj).__module__ == "scenario.state"
    assert b"scenario.state" in pickle.dumps(obj)


def test_replace_changes_one_field_and_validates_again():
    rel = Relation("db", local_app_data={"a": "b"})
    rel2 = rel.replace(local_app_data={"c": "d"})
    assert rel2.local_app_data == {"c": "d"}
    assert rel2.relation_id == rel.relation_id  # not regenerated
    assert rel.local_app_data == {"a": "b"}
    with pytest.raises(StateValidationError, match="local_app_data"):
        rel.replace(local_app_data={"a": 1})
    with pytest.raises(TypeError, match="unexpected field"):
        rel.replace(nope=1)


def test_match_statement():
    match Port("tcp", 80):
        case Port(protocol, port):
            assert (protocol, port) == ("tcp", 80)


def test_equality_and_hashing():
    assert Relation("a", relation_id=1) == Relation("a", relation_id=1)
    assert Relation("a", relation_id=1) != Relation("a", relation_id=2)
    assert Relation("a", relation_id=1) != PeerRelation("a", relation_id=1)
    assert hash(Port("tcp", 1)) == hash(Port("tcp", 1))
    assert len({Storage("a", index=1), Storage("a", index=1)}) == 1
    # Relations, containers and secrets hash by their key (as in ops[testing]), so a State
    # can hold them in sets; a State holds dicts and does not hash.
    assert hash(Relation("a", relation_id=1)) == hash(Relation("a", relation_id=1, limit=2))
    assert hash(Container("c")) == hash(Container("c", can_connect=True))
    assert hash(Secret("s", {0: {}})) == hash(Secret("s", {1: {"a": "b"}}))
    with pytest.raises(TypeError):
        hash(State())


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Relation("a", local_unit_data={"k": 1}),
        lambda: Relation("a", remote_units_data={0: {"k": b"x"}}),
        lambda: Relation("a", remote_units_data={"zero": {}}),
        lambda: PeerRelation("a", peers_data={1: ["not a dict"]}),
        lambda: Port("tcp", 0),
        lambda: Port("icmp", 8),
        lambda: Port("tcp", 70000),
        lambda: Port("bogus", 1),
    ],
)
def test_invalid_values_raise_state_validation_error(bad):
    with pytest.raises(StateValidationError):
        bad()


def test_container_round_trips_ops_types():
    container = examples()[3]
    assert container.layers["base"].to_dict() == LAYER.to_dict()
    assert isinstance(container.layers["base"], pebble.Layer)
    assert container.service_status == {"web": pebble.ServiceStatus.ACTIVE}
    assert container.exec_mock[("ls", "-l")].return_code == 1
    assert container.pebble_ready_event.name == "wl_pebble_ready"
    assert container.pebble_ready_event().container == container


def test_secret_round_trips_ops_types():
    secret = examples()[6]
    assert secret.rotate == ops.SecretRotate.DAILY
    assert secret.expire == datetime.datetime(2030, 1, 1, 12, 0)
    assert secret.owner == "app"
    assert secret.remote_grants == {next(iter(secret.remote_grants)): {"remote"}}


def test_state_helpers():
    c = Container("c")
    rel = Relation("db-rel")
    state = State(
        containers=[c], relations=[rel], storage=[Storage("data", index=0)], leader=False
    )
    assert state.get_container("c") == c
    assert state.get_container(c) == c
    with pytest.raises(ValueError):
        state.get_container("nope")
    assert state.get_relations("db_rel") == (rel,)
    assert state.get_relation(rel.relation_id) == rel
    assert state.get_storages("data") == (Storage("data", index=0),)
    assert state.with_can_connect("c", True).get_container("c").can_connect
    assert not state.get_container("c").can_connect
    assert state.with_leadership(True).leader
    assert state.with_unit_status(ops.ActiveStatus("x")).unit_status == ops.ActiveStatus("x")


def test_states_round_trip_through_json_and_yaml():
    state = examples()[-1]
    assert State.from_json(state.to_json()) == state
    assert State.from_yaml(state.to_yaml()) == state
    with pytest.raises(ValueError, match="invalid state JSON"):
        State.from_json('{"leader": "yes"}')


def test_a_pickle_or_replace_keeps_the_api_a_state_was_made_for():
    modern = State(storages=[Storage("data")], resources={Resource(name="img", path="/p")})
    legacy = State(storage=[Storage("data")], resources={"img": "/p"})
    for state in (modern, pickle.loads(pickle.dumps(modern)), modern.replace()):
        assert isinstance(state.resources, frozenset)
        assert "storages" in dataclasses.asdict(state)
    for state in (legacy, pickle.loads(pickle.dumps(legacy)), legacy.replace()):
        assert state.resources == {"img": "/p"}
        assert "storage" in dataclasses.asdict(state)


# --- ops[testing]'s State ----------------------------------------------------------------


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


# --- Scenario 5's lists and private base --------------------------------------------------


class PortsCharm(ops.CharmBase):
    META: ClassVar[Dict[str, Any]] = {"name": "mycharm", "requires": {"db": {"interface": "sql"}}}

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _: ops.StartEvent) -> None:
        self.unit.open_port("tcp", 8080)
        self.unit.open_port("udp", 53)


def test_output_collections_are_lists_a_test_can_pop():
    ctx = Context(PortsCharm, meta=PortsCharm.META)
    out = ctx.run("start", State())
    assert isinstance(out.opened_ports, list)
    last = out.opened_ports.pop()
    assert (last.protocol, last.port) == ("udp", 53)
    assert [p.port for p in out.opened_ports] == [8080]


def test_a_list_changed_in_place_is_what_the_state_holds():
    ctx = Context(PortsCharm, meta=PortsCharm.META)
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


# --- object.__setattr__ ------------------------------------------------------------------


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


class DatabagReader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        rel = self.model.get_relation("db")
        self.unit.status = ops.ActiveStatus(rel.data[rel.app].get("k", "none"))


def test_what_object_setattr_wrote_is_what_runs(api):
    rel = Relation("db", remote_app_data={"k": "before"})
    object.__setattr__(rel, "remote_app_data", {"k": "after"})
    state = State(relations=[rel])
    ctx = Context(DatabagReader, meta={"name": "app", "requires": {"db": {"interface": "i"}}})
    out = api.run(ctx, "start", state)
    assert out.unit_status == ops.ActiveStatus("after")
    # And it compares as the object it now is.
    assert rel == Relation("db", id=rel.id, remote_app_data={"k": "after"})


def test_jsonpatch_delta_lists_what_changed():
    before = State(leader=False)
    after = before.replace(leader=True, unit_status=ops.ActiveStatus("up"))
    assert after.jsonpatch_delta(before) == [
        {"op": "replace", "path": "/leader", "value": True},
        {"op": "replace", "path": "/unit_status/message", "value": "up"},
        {"op": "replace", "path": "/unit_status/name", "value": "active"},
    ]
    assert before.jsonpatch_delta(before) == []


def test_the_output_holds_equal_copies_never_the_input_s_objects(api, tmp_path):
    # Both originals' output is a copy of the input: equal objects, never the same ones
    # (ops-scenario 8's own suite asserts it), a mount's ``Path`` still a ``Path``.
    t = api.testing
    mount = (
        t.Mount("/m", tmp_path) if api.is_scenario_5 else t.Mount(location="/m", source=tmp_path)
    )
    container = t.Container("w", can_connect=True, mounts={"m": mount})
    relation = t.Relation("db")
    secret = (
        t.Secret(id="secret:123", contents={0: {"a": "b"}})
        if api.is_scenario_5
        else t.Secret({"a": "b"})
    )
    meta = {"name": "c", "containers": {"w": {}}, "requires": {"db": {"interface": "x"}}}
    ctx = t.Context(ops.CharmBase, meta=meta)
    out = api.run(
        ctx, "start", t.State(containers=[container], relations=[relation], secrets=[secret])
    )
    for given, got in (
        (container, next(iter(out.containers))),
        (relation, next(iter(out.relations))),
        (secret, next(iter(out.secrets))),
    ):
        assert got == given and got is not given
    shown = next(iter(next(iter(out.containers)).mounts.values()))
    assert (shown.src if api.is_scenario_5 else shown.source) == tmp_path
    assert isinstance(shown.src if api.is_scenario_5 else shown.source, type(tmp_path))
