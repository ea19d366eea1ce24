"""Properties of bad input (hypothesis): every public state class, given a valid set of
arguments but one field replaced by any Python value, builds or refuses it with a
documented error that names the field; ``State.from_json``/``from_yaml`` read any document
or text as a State or refuse it with a ``ValueError``."""

import dataclasses
import datetime
import inspect
import json
import math
import pathlib
import re
import string
import warnings

import ops
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scenario
from scenario.state import (
    Address,
    CheckInfo,
    CloudCredential,
    CloudSpec,
    Container,
    DeferredEvent,
    Exec,
    ExecOutput,
    Model,
    Mount,
    Network,
    Notice,
    PeerRelation,
    Relation,
    Resource,
    Secret,
    State,
    StateValidationError,
    Storage,
    StoredState,
    SubordinateRelation,
    TCPPort,
)

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: The public state classes: every dataclass-like class the package exports.
CLASSES = sorted(
    (
        cls
        for name in dir(scenario)
        if isinstance(cls := getattr(scenario, name), type) and dataclasses.is_dataclass(cls)
    ),
    key=lambda cls: cls.__name__,
)

#: Valid arguments for each class: the base one field at a time is replaced in.
BASE = {
    "Action": {"name": "do"},
    "ActionOutput": {"state": State(), "logs": []},
    "Address": {"value": "192.0.2.1"},
    "BindAddress": {"addresses": [Address("192.0.2.1")]},
    "CheckInfo": {"name": "http"},
    "CloudCredential": {"auth_type": "certificate"},
    "CloudSpec": {"type": "lxd"},
    "Container": {"name": "workload"},
    "DeferredEvent": {
        "handle_path": "MyCharm/on/start[1]",
        "owner": "MyCharm",
        "observer": "_on_start",
    },
    "Event": {"path": "start"},
    "Exec": {"command_prefix": ("ls",)},
    "ExecOutput": {},
    "ICMPPort": {},
    "Model": {},
    "Mount": {"location": "/data", "source": "/tmp"},
    "Network": {"binding_name": "db"},
    "Notice": {"key": "example.com/a"},
    "PeerRelation": {"endpoint": "peers"},
    "Port": {"protocol": "tcp", "port": 80},
    "Relation": {"endpoint": "db"},
    "Resource": {"name": "blob", "path": "/tmp/blob"},
    "Secret": {"tracked_content": {"key": "value"}},
    "State": {},
    "Storage": {"name": "data"},
    "StoredState": {"name": "_stored"},
    "SubordinateRelation": {"endpoint": "logs"},
    "TCPPort": {"port": 80},
    "UDPPort": {"port": 53},
}

#: Two names for the same data (Scenario 5's and ops[testing]'s): an error may name either.
TWINS = [
    ("src", "source"),
    ("id", "relation_id"),
    ("storage", "storages"),
    ("stored_state", "stored_states"),
    ("service_status", "service_statuses"),
    ("exec_mock", "execs"),
    ("binding_name", "name"),
    ("value", "address"),
    ("data_type_name", "_data_type_name"),
]
#: The twins a constructor refuses together: the base loses one when the other is replaced.
EXCLUSIVE = {("src", "source"), ("id", "relation_id"), ("binding_name", "name")}


def twins(field):
    return {b for a, b in TWINS if a == field} | {a for a, b in TWINS if b == field}


def keywords(cls):
    """The fields the constructor takes as keywords (a `**kwargs` one takes every field)."""
    params = inspect.signature(cls).parameters.values()
    names = {f.name for f in dataclasses.fields(cls)}
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return sorted(names)
    taken = {
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    }
    return sorted(names & taken)


CASES = [(cls, field) for cls in CLASSES for field in keywords(cls)]


def build(cls, field, value):
    """`cls` from its base arguments with `field` set to `value`, warnings silenced (a
    deprecated but accepted value is not bad input)."""
    kwargs = dict(BASE[cls.__name__])
    for pair in EXCLUSIVE:
        if field in pair:
            for twin in pair:
                kwargs.pop(twin, None)
    kwargs[field] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(**kwargs)


def check_outcome(cls, field, value):
    """The property: an instance of `cls`, or a documented error naming the field."""
    try:
        obj = build(cls, field, value)
    except (TypeError, ValueError, StateValidationError) as e:
        names = {f"{cls.__name__}.{name}" for name in {field} | twins(field)}
        message = str(e)
        assert any(name in message for name in names), (
            f"{cls.__name__}({field}={value!r}) raised {type(e).__name__}({message!r}), "
            f"which does not name {' or '.join(sorted(names))}"
        )
    else:
        assert isinstance(obj, cls)
        # A built object reads back: its repr reads every field.
        repr(obj)


class Opaque:
    """An object of no type the package knows."""


STATUSES = [
    ops.ActiveStatus("ok"),
    ops.BlockedStatus("no db"),
    ops.MaintenanceStatus(""),
    ops.WaitingStatus("w"),
    ops.UnknownStatus(),
]
#: Values with meaning somewhere (names Juju's enums take, protocols, paths): they reach
#: the checks past the type.
MEANINGFUL = [
    "tcp",
    "udp",
    "icmp",
    "unit",
    "app",
    "application",
    "alive",
    "ready",
    "enabled",
    "up",
    "inactive",
    "hourly",
    "active",
    "secret:abc",
    "/",
    "a/b",
    "",
    " ",
    "\ud800",
    "2024-01-01T00:00:00Z",
    "not a date",
    "MyCharm",
    "MyCharm/on/start[1]",
]
BIG_INTS = [-1, -(2**31) - 1, 2**16, 2**31, 2**32, 2**63, 2**64, 2**70, -(2**70), 10**100]
#: Objects of the package's own classes, given where another is expected.
OWN_OBJECTS = [
    State(),
    Relation("db"),
    Storage("data"),
    Container("workload"),
    Secret({"a": "b"}),
    Network("db"),
    Address("192.0.2.1"),
    ExecOutput(),
    Exec(("ls",)),
    Mount(location="/x", source="/tmp"),
    CheckInfo("c"),
    Notice("example.com/a"),
    CloudSpec("lxd"),
    CloudCredential(auth_type="t"),
    Resource(name="r", path="/tmp/r"),
    StoredState(),
    DeferredEvent("MyCharm/on/start[1]", "MyCharm", "_on_start"),
]

hashables = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(BIG_INTS),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(MEANINGFUL),
    st.binary(max_size=8),
    st.datetimes(),
)
scalars = st.one_of(
    hashables,
    st.builds(Opaque),
    st.builds(object),
    st.sampled_from(STATUSES),
    st.sampled_from(OWN_OBJECTS),
    st.builds(pathlib.Path, st.text(max_size=8)),
    st.builds(pathlib.PurePosixPath, st.text(max_size=8)),
    st.timedeltas(),
    st.datetimes(timezones=st.just(datetime.timezone.utc)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.frozensets(hashables, max_size=3),
        st.sets(hashables, max_size=3),
        st.dictionaries(hashables, inner, max_size=3),
        st.dictionaries(st.sampled_from(MEANINGFUL), inner, max_size=3),
    ),
    max_leaves=6,
)

#: Values each field meets deterministically, whatever hypothesis draws.
FIXED = [
    None,
    True,
    False,
    0,
    *BIG_INTS,
    1.5,
    math.nan,
    math.inf,
    "x",
    "\ud800",
    b"x",
    [],
    ["x"],
    [1],
    (),
    ("x",),
    {"x"},
    frozenset({1}),
    {},
    {"a": 1},
    {"a": "b"},
    {1: "b"},
    {0: {"a": 1}},
    {0: {}},
    {"x": {}},
    {"a": object()},
    {None: "b"},
    {(1, 2): "b"},
    datetime.datetime(2024, 1, 1),
    datetime.timedelta(seconds=3),
    pathlib.Path("/tmp"),
    Opaque(),
    object(),
    ops.ActiveStatus("ok"),
    *OWN_OBJECTS,
]


def test_every_class_has_base_arguments():
    assert {cls.__name__ for cls in CLASSES} == set(BASE)
    for cls in CLASSES:
        assert isinstance(cls(**BASE[cls.__name__]), cls)


@pytest.mark.parametrize(("cls", "field"), CASES, ids=[f"{c.__name__}.{f}" for c, f in CASES])
def test_a_bad_field_is_named(cls, field):
    for value in FIXED:
        check_outcome(cls, field, value)


@pytest.mark.parametrize("cls", CLASSES, ids=[c.__name__ for c in CLASSES])
@FAST
@given(data=st.data())
def test_any_value_in_any_field_is_built_or_named(cls, data):
    field = data.draw(st.sampled_from(keywords(cls)), label="field")
    value = data.draw(values, label="value")
    check_outcome(cls, field, value)


# --- State documents ---------------------------------------------------------------------

#: Keys a document may use: every field of every state class, a few of the model's own
#: (the relation kinds, status parts) and some that no part has.
KEYS = sorted(
    {f.name for cls in CLASSES for f in dataclasses.fields(cls)}
    | {"regular", "peer", "subordinate", "name", "message", "$tuple", "$set", "$bytes", "nope"}
)
#: A key: a real one, or one made of letters an error message quotes as they are.
keys = st.one_of(st.sampled_from(KEYS), st.text(string.ascii_letters + "_-$ ", max_size=6))
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(BIG_INTS),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from([m for m in MEANINGFUL if m != "\ud800"]),
)
documents = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=5),
    ),
    max_leaves=25,
)
#: Documents shaped like a State: a mapping of State fields to anything.
state_documents = st.dictionaries(
    st.sampled_from([f.name for f in dataclasses.fields(State)] + ["nope"]), documents, max_size=4
)

#: A State with one of every part, as a document: mutated below so that deep paths are met.
FULL_STATE = json.loads(
    State(
        config={"a": 1},
        relations=[
            Relation("db", remote_units_data={0: {"a": "b"}}),
            PeerRelation("peers", peers_data={1: {}}),
            SubordinateRelation("logs"),
        ],
        networks=[Network("db")],
        containers=[
            Container(
                "workload",
                layers={"base": {"services": {"s": {"override": "replace", "command": "x"}}}},
                service_statuses={"s": "active"},
                mounts={"m": Mount(location="/m", source="/tmp")},
                execs=[Exec(("ls",))],
                notices=[Notice("example.com/a")],
                check_infos=[CheckInfo("c")],
            )
        ],
        storages=[Storage("data")],
        opened_ports=[TCPPort(80)],
        model=Model("m", cloud_spec=CloudSpec("lxd", credential=CloudCredential(auth_type="t"))),
        secrets=[Secret({"a": "b"})],
        resources=[Resource(name="r", path="/tmp/r")],
        deferred=[DeferredEvent("MyCharm/on/start[1]", "MyCharm", "_on_start")],
        stored_states=[StoredState(content={"x": [1, 2]})],
        app_status=ops.ActiveStatus("x"),
    ).to_json()
)


@st.composite
def mutated_states(draw):
    """The full State's document with one node, at any depth, replaced by any document (or
    given a key of any name)."""
    document = json.loads(json.dumps(FULL_STATE))
    parent, key, node = None, None, document
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        parent = node
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        node = parent[key]
    if isinstance(node, dict) and draw(st.booleans()):
        node[draw(keys)] = draw(documents)
    elif parent is None:
        document = draw(documents)
    else:
        parent[key] = draw(documents)
    return document


UNKNOWN_KEY = re.compile(r'unknown key "((?:[^"\\]|\\.)*)"')


def keys_of(document):
    """Every key at any depth of a document."""
    if isinstance(document, dict):
        return set(document) | {k for v in document.values() for k in keys_of(v)}
    if isinstance(document, list):
        return {k for v in document for k in keys_of(v)}
    return set()


def check_read(read, text, document=None):
    try:
        state = read(text)
    except (ValueError, StateValidationError) as e:
        found = UNKNOWN_KEY.search(str(e))
        if found and document is not None:
            assert json.loads(f'"{found.group(1)}"') in keys_of(document), str(e)
    else:
        assert isinstance(state, State)
        repr(state)  # every part reads back


@FAST
@given(st.one_of(mutated_states(), state_documents, documents))
def test_any_json_document_is_a_state_or_a_value_error(document):
    check_read(State.from_json, json.dumps(document), document)


@FAST
@given(st.one_of(mutated_states(), state_documents, documents))
def test_any_yaml_document_is_a_state_or_a_value_error(document):
    check_read(State.from_yaml, yaml.safe_dump(document), document)


@FAST
@given(st.text())
def test_any_text_is_a_state_or_a_value_error(text):
    check_read(State.from_json, text)
    check_read(State.from_yaml, text)
