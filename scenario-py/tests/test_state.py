"""scenario.state: the Rust model seen from Python as frozen dataclass-like classes."""

import copy
import dataclasses
import datetime
import pickle

import ops
import pytest
from ops import pebble

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


def test_replace_with_a_set_databag_is_refused():
    # Scenario 5.8's README, "Immutability", passes a set; Juju databags are dicts.
    with pytest.raises(StateValidationError, match="dicts"):
        Relation("foo", remote_app_data={"1": "2"}).replace(remote_app_data={"3", "4"})


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
