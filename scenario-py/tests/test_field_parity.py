"""Each state class declares its fields once, in its field table (``FIELDS`` in
``src/classes/*.rs``, see ``src/dataclass.rs``), which Python sees as the class's
``__scenario_fields__``: ``(name, role, twin, default)`` per field. The table drives the
dataclass protocol (``__dataclass_fields__``, ``__match_args__``, ``replace()``, pickles);
what is written elsewhere is held to it here:

- the constructor's signature (``#[pyo3(signature = ...)]``, read back with
  ``inspect.signature``): every field the constructor takes is a parameter, every parameter
  is a field, positional parameters in the table's order, required where the field is;
- the stub (``_scenario.pyi``): its ``__new__`` has the runtime's parameters (names,
  kinds, defaults), and its properties cover the fields; a member several classes share
  is declared once, on a ``@type_check_only`` base;
- the JSON form (``State.to_json()``, the model's serde names): each object is written
  under its fields' names (``Action`` and ``Event``, which a State does not hold, are
  checked in Rust, beside them in ``src/classes/event.rs``).

What differs on purpose is listed below, each difference with its reason. The ``args!``
list of each class (its typed converters) is checked against the table by the compiler
(``convert::args!``).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import inspect
import json
import pathlib
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple

import ops
import pytest

import scenario
from scenario_rs import _scenario

# --- the table ----------------------------------------------------------------------------


class Row(NamedTuple):
    """One field of a class's table, as ``__scenario_fields__`` gives it."""

    name: str
    #: "both", "legacy" (Scenario 5's name of renamed data), "modern" (ops[testing]'s),
    #: "computed" (fixed by the class) or "only5" (data only Scenario 5 has).
    role: str
    twin: Optional[str]
    #: None when the argument is required, else ("value", expr) or ("factory", expr).
    default: Optional[Tuple[str, str]]


def _table(cls: type) -> List[Row]:
    return [Row(*row) for row in cls.__scenario_fields__]


def _lossless(cls: type) -> List[str]:
    """The fields pickles, ``replace()`` and ``repr`` carry, in the table's order."""
    return [r.name for r in _table(cls) if r.role in ("both", "legacy", "only5")]


#: The state classes: every dataclass the package exports that is compiled from Rust.
CLASSES: List[type] = sorted(
    (
        cls
        for name in dir(scenario)
        if isinstance(cls := getattr(scenario, name), type)
        and dataclasses.is_dataclass(cls)
        and getattr(_scenario, name, None) is cls
    ),
    key=lambda cls: cls.__name__,
)

#: The dataclasses the package exports that are written in Python: ``dataclasses`` makes
#: their constructor from their fields, and their source is what type checkers read, so
#: there is nothing to hold together.
PYTHON_DATACLASSES = {"ActionOutput"}


def _ids(cls: type) -> str:
    return cls.__name__


def test_every_exported_dataclass_is_checked():
    exported = {
        name
        for name in dir(scenario)
        if isinstance(cls := getattr(scenario, name), type) and dataclasses.is_dataclass(cls)
    }
    checked = {cls.__name__ for cls in CLASSES}
    assert exported - checked == PYTHON_DATACLASSES, (
        "every dataclass scenario exports is a compiled state class, checked here, or one "
        f"of PYTHON_DATACLASSES: {sorted(exported - checked - PYTHON_DATACLASSES)} is neither"
    )
    assert {"State", "Relation", "Container", "Secret", "TCPPort"} <= checked
    for name in PYTHON_DATACLASSES:
        cls = getattr(scenario, name)
        fields = [f.name for f in dataclasses.fields(cls) if f.init]
        assert list(inspect.signature(cls).parameters) == fields, name


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_the_table_is_well_formed(cls):
    name = cls.__name__
    rows = {r.name: r for r in _table(cls)}
    assert len(rows) == len(_table(cls)), f"{name}: a field is listed twice in its table"
    for row in rows.values():
        where = f"{name}.{row.name}"
        assert row.role in ("both", "legacy", "modern", "computed", "only5"), where
        if row.role in ("legacy", "modern"):
            assert row.twin in rows, f"{where}: its twin {row.twin!r} is not a field"
            twin = rows[row.twin]
            # A legacy name's twin is the modern name, and the other way round; a modern
            # field may also be a view of data Scenario 5 holds more richly (a field of
            # both, Secret.contents).
            expected = ("modern",) if row.role == "legacy" else ("legacy", "both")
            assert twin.role in expected, f"{where}: its twin {twin.name} is {twin.role}"
            if twin.role != "both":
                assert twin.twin == row.name, f"{where}: {twin.name}'s twin is {twin.twin}"
        else:
            assert row.twin is None, f"{where}: a {row.role} field has no twin"


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_the_table_is_what_the_dataclass_protocol_shows(cls):
    name = cls.__name__
    rows = _table(cls)
    assert list(cls.__match_args__) == _lossless(cls), f"{name}.__match_args__"
    modern = [r for r in rows if r.role in ("both", "modern", "computed")]
    shown = [f.name for f in dataclasses.fields(cls)]
    # init=False fields (the computed ones) come last, see dataclass::view_fields.
    expected = [r.name for r in modern if r.role != "computed"] + [
        r.name for r in modern if r.role == "computed"
    ]
    assert shown == expected, f"{name}: dataclasses.fields() is not its table's"


# --- the constructor's signature ------------------------------------------------------------

#: Parameters that are not fields, each with its reason.
EXTRA_PARAMETERS = {
    ("Address", "first"): "positional only: the value, or Scenario 5's hostname when a "
    "value follows (Address(hostname, value, cidr))",
    ("BindAddress", "first"): "positional only: ops[testing]'s addresses, or Scenario 5's "
    "interface_name when it is a str (BindAddress(interface_name, addresses))",
    ("Secret", "first"): "positional only: ops[testing]'s tracked_content when it is a "
    "dict, Scenario 5's id when it is a str",
}

#: Computed fields the constructor takes all the same, each with its reason.
COMPUTED_PARAMETERS = {
    ("ICMPPort", "port"): "ICMP has no port number: taken (keyword only) to refuse any "
    "other value than None, as ops[testing]'s ICMPPort does",
}

#: Required fields whose parameter has a default, each with its reason (a field with a
#: twin is left out: either name may be given, so neither parameter is required).
DEFAULTED_REQUIRED = {
    ("Port", "protocol"): "Port() without it raises PortArgumentError, a TypeError (as "
    "Scenario 5's required argument) and a RuntimeError (as ops[testing]'s Port)",
}

#: Classes whose constructor takes ``*args, **kwargs`` and sorts them out itself, each
#: with its reason; each field must still be accepted by keyword.
VARIADIC = {
    "StoredState": "the two APIs put different fields first (Scenario 5's owner_path, "
    "ops[testing]'s name), so the first argument is read by what it looks like",
}

#: The private keyword every constructor may take: the API an object was made for, which
#: pickles and replace() pass on (dataclass::View). Not a field, and not in the stub.
PRIVATE_PARAMETERS = {"_view"}


def _parameters(cls: type) -> Dict[str, inspect.Parameter]:
    return {
        name: p
        for name, p in inspect.signature(cls).parameters.items()
        if name not in PRIVATE_PARAMETERS
    }


def _evaluate(default: Tuple[str, str]) -> Any:
    return eval(default[1])  # the table's own Python expression, written by us


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_the_constructor_takes_the_fields(cls):
    name = cls.__name__
    rows = {r.name: r for r in _table(cls)}
    params = _parameters(cls)
    variadic = {p.kind for p in params.values()} & {
        inspect.Parameter.VAR_POSITIONAL,
        inspect.Parameter.VAR_KEYWORD,
    }
    if variadic:
        assert name in VARIADIC, f"{name}: its constructor takes *args or **kwargs"
        for row in rows.values():
            if row.role != "computed" and row.default is not None:
                cls(**{row.name: _evaluate(row.default)})  # accepted by keyword
        return
    assert name not in VARIADIC, f"{name}: listed in VARIADIC, but its signature is not"

    for param in params:
        where = f"{name}.{param}"
        if (name, param) in EXTRA_PARAMETERS:
            assert param not in rows, f"{where}: listed as not a field, but it is one"
            continue
        assert param in rows, f"{where}: a parameter of the constructor, not in its table"
        if rows[param].role == "computed":
            assert (name, param) in COMPUTED_PARAMETERS, (
                f"{where}: a computed field (init=False), but the constructor takes it"
            )
    for row in rows.values():
        if row.role != "computed":
            assert row.name in params, (
                f"{name}.{row.name}: a field of its table the constructor does not take"
            )

    # Positional parameters in the table's order (Scenario 5's positional order).
    positional = [
        p
        for p, param in params.items()
        if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p in rows
    ]
    in_table_order = [r for r in rows if r in positional]
    assert positional == in_table_order, (
        f"{name}: the positional parameters {positional} are not in its table's order"
    )


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_the_constructor_defaults_are_the_tables(cls):
    name = cls.__name__
    rows = {r.name: r for r in _table(cls)}
    for param, p in _parameters(cls).items():
        row = rows.get(param)
        if row is None or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        where = f"{name}.{param}"
        if p.default is p.empty:
            assert row.default is None, f"{where}: required, but its table gives a default"
        elif row.default is None:
            assert row.twin is not None or (name, param) in DEFAULTED_REQUIRED, (
                f"{where}: required in its table, but the constructor defaults it to {p.default!r}"
            )
        elif row.default[0] == "factory":
            # A fresh value per object: the signature can only say None.
            assert p.default is None, (
                f"{where}: its table's default is made per object ({row.default[1]}), but "
                f"the signature's is {p.default!r}"
            )
        else:
            # None stands for the table's default where the constructor tells "not
            # given" apart (an API's own default, a warning).
            expected = _evaluate(row.default)
            assert p.default is None or (
                p.default == expected and type(p.default) is type(expected)
            ), f"{where}: the signature's default is {p.default!r}, its table's {row.default[1]}"


# --- the stub ------------------------------------------------------------------------------

_SOURCE_STUB = pathlib.Path(__file__).parents[1] / "python" / "scenario_rs" / "_scenario.pyi"
STUB = (
    _SOURCE_STUB
    if _SOURCE_STUB.is_file()
    else pathlib.Path(_scenario.__file__).with_name("_scenario.pyi")
)


def _stub_classes() -> Dict[str, ast.ClassDef]:
    tree = ast.parse(STUB.read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _stub_mro(name: str, classes: Dict[str, ast.ClassDef]) -> Iterator[ast.ClassDef]:
    """Stub class ``name``, then its stub bases, depth first (the stubs use no diamond)."""
    node = classes[name]
    yield node
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            yield from _stub_mro(base.id, classes)


def _stub_member(name: str, member: str, classes: Dict[str, ast.ClassDef]) -> Optional[ast.AST]:
    for node in _stub_mro(name, classes):
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == member:
                return item
            if (
                isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.target.id == member
            ):
                return item
    return None


_NO_DEFAULT = object()


def _stub_parameters(new: ast.FunctionDef) -> List[Tuple[str, inspect._ParameterKind, Any]]:
    """``(name, kind, default)`` of each parameter of a stub's ``__new__`` but ``cls``."""
    args = new.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [_NO_DEFAULT] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = []
    for i, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = (
            inspect.Parameter.POSITIONAL_ONLY
            if i < len(args.posonlyargs)
            else inspect.Parameter.POSITIONAL_OR_KEYWORD
        )
        out.append((arg.arg, kind, default))
    if args.vararg:
        out.append((args.vararg.arg, inspect.Parameter.VAR_POSITIONAL, _NO_DEFAULT))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        kind = inspect.Parameter.KEYWORD_ONLY
        out.append((arg.arg, kind, _NO_DEFAULT if default is None else default))
    if args.kwarg:
        out.append((args.kwarg.arg, inspect.Parameter.VAR_KEYWORD, _NO_DEFAULT))
    assert out and out[0][0] == "cls", "a stub's __new__ starts with cls"
    return [
        (name, kind, d if d is _NO_DEFAULT else ast.literal_eval(d)) for name, kind, d in out[1:]
    ]


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_the_stub_constructor_is_the_runtimes(cls):
    name = cls.__name__
    classes = _stub_classes()
    assert name in classes, f"{STUB.name} has no class {name}"
    new = _stub_member(name, "__new__", classes)
    assert isinstance(new, ast.FunctionDef), f"{name}: {STUB.name} has no __new__ for it"
    stub = _stub_parameters(new)
    runtime = [
        (p.name, p.kind, _NO_DEFAULT if p.default is p.empty else p.default)
        for p in _parameters(cls).values()
    ]
    assert [p[0] for p in stub] == [p[0] for p in runtime], (
        f"{name}: the stub's __new__ takes {[p[0] for p in stub]}, the runtime's "
        f"{[p[0] for p in runtime]}"
    )
    for (param, stub_kind, stub_default), (_, kind, default) in zip(stub, runtime, strict=True):
        where = f"{name}.{param}"
        assert stub_kind is kind, (
            f"{where}: {stub_kind.description} in the stub, {kind.description} at run time"
        )
        assert stub_default is not Ellipsis, f"{where}: the stub's default is ..., say it"
        assert stub_default == default and type(stub_default) is type(default), (
            f"{where}: the stub's default is {stub_default!r}, the runtime's {default!r}"
        )


@pytest.mark.parametrize("cls", CLASSES, ids=_ids)
def test_the_stub_declares_every_field(cls):
    name = cls.__name__
    classes = _stub_classes()
    missing = [r.name for r in _table(cls) if _stub_member(name, r.name, classes) is None]
    assert not missing, f"{name}: {STUB.name} declares no property for the fields {missing}"
    for row in _table(cls):
        member = _stub_member(name, row.name, classes)
        if isinstance(member, ast.FunctionDef):
            decorators = [d.id for d in member.decorator_list if isinstance(d, ast.Name)]
            assert "property" in decorators, f"{name}.{row.name}: not a property in the stub"


def test_the_stub_declares_each_documented_member_once():
    # A member the stub declares in two classes, with the same signature and docstring,
    # belongs in a base both share (a @type_check_only class when the runtime has none).
    # Undocumented dunders (__hash__) say what each class supports and stay where they are.
    seen: Dict[str, List[str]] = {}
    for cls_name, node in _stub_classes().items():
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and ast.get_docstring(item):
                key = ast.dump(ast.Module(body=[item], type_ignores=[]))
                seen.setdefault(key, []).append(f"{cls_name}.{item.name}")
    repeated = [names for names in seen.values() if len(names) > 1]
    assert not repeated, f"{STUB.name} declares these more than once: {repeated}"


# --- the JSON form ------------------------------------------------------------------------

#: Where the JSON form of an object is not a dict of its fields, each with its reason.
JSON_SHAPES = {
    "Resource": "an entry of the State's resources mapping, name to path, as Scenario 5's "
    "State(resources={name: path}) gave it",
}

#: Keys the JSON form of an object has that are not fields, each with its reason.
JSON_EXTRA_KEYS = {
    ("ExecOutput", "command"): "an ExecOutput is a value of Container.exec_mock, whose keys "
    "are command tuples; JSON has no tuple keys, so each entry is written as a dict, with "
    "the key beside the ExecOutput's fields",
}

#: State classes that a State's JSON does not hold as themselves, each with its reason.
NOT_IN_JSON = {
    # The model's serde names of these two are checked against their tables in Rust
    # (the tests of src/classes/event.rs).
    "Action": "an event's part, not a State's: a State holds no Action",
    "Event": "what a run is given beside the State, not a part of it",
    "TCPPort": "written as a Port (protocol and port), and read back as a TCPPort",
    "UDPPort": "written as a Port (protocol and port), and read back as a UDPPort",
    "ICMPPort": "written as a Port (protocol and port), and read back as an ICMPPort",
}


def _full_state(tmp_path: pathlib.Path) -> scenario.State:
    """A State holding one of each object, every field set to something else than its
    default, so the JSON form writes every key."""
    from scenario.state import (
        Address,
        BindAddress,
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
        Port,
        Relation,
        Secret,
        State,
        Storage,
        StoredState,
        SubordinateRelation,
        TCPPort,
    )

    now = datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
    credential = CloudCredential(auth_type="certificate", attributes={"a": "b"}, redacted=["a"])
    cloud_spec = CloudSpec(
        "lxd",
        name="cloud",
        region="region",
        endpoint="https://10.0.0.1:8443",
        identity_endpoint="https://10.0.0.1:5000",
        storage_endpoint="https://10.0.0.1:9000",
        credential=credential,
        ca_certificates=["cert"],
        skip_tls_verify=True,
        is_controller_cloud=True,
    )
    return State(
        config={"port": 1},
        relations=[
            Relation(
                "db",
                "mysql",
                1,
                {"a": "b"},
                {"c": "d"},
                "remote",
                2,
                {"e": "f"},
                {1: {"g": "h"}},
                remote_model_uuid="00000000-0000-4000-8000-000000000001",
            ),
            PeerRelation("peers", "cluster", 2, {"a": "b"}, {"c": "d"}, {1: {"e": "f"}}),
            SubordinateRelation(
                "juju-info", "juju-info", 3, {"a": "b"}, {"c": "d"}, {"e": "f"}, {"g": "h"}, "p", 1
            ),
        ],
        networks=[
            Network(
                "db",
                [
                    BindAddress(
                        [
                            Address(
                                "10.0.0.1", cidr="10.0.0.0/24", address="10.0.0.2", hostname="h"
                            )
                        ],
                        mac_address="00:00:5e:00:53:01",
                        interface_name="eth0",
                    )
                ],
                ["10.0.0.1"],
                ["10.0.0.0/24"],
            )
        ],
        containers=[
            Container(
                "workload",
                True,
                {"services": {"s": {"override": "replace", "command": "s"}}},
                {"base": {"summary": "base"}},
                {"s": "active"},
                {"data": Mount(location="/data", source=tmp_path)},
                {("ls",): ExecOutput(1, "out", "err")},
                execs=[Exec(["ps"], return_code=1, stdout="o", stderr="e", _change_id=5)],
                notices=[
                    Notice(
                        "example.com/k",
                        id="7",
                        user_id=1,
                        type="custom",
                        first_occurred=now,
                        last_occurred=now,
                        last_repeated=now,
                        occurrences=2,
                        last_data={"a": "b"},
                        repeat_after=datetime.timedelta(seconds=1),
                        expire_after=datetime.timedelta(seconds=2),
                    )
                ],
                check_infos=[
                    CheckInfo(
                        "http",
                        level="alive",
                        startup="disabled",
                        status="down",
                        successes=1,
                        failures=3,
                        threshold=3,
                        change_id="9",
                    )
                ],
            )
        ],
        storage=[Storage("data", 1)],
        opened_ports=[TCPPort(80), Port("udp", 53)],
        leader=True,
        model=Model("m", "00000000-0000-4000-8000-000000000000", "lxd", cloud_spec=cloud_spec),
        secrets=[
            Secret(
                "secret:aaaaaaaaaaaaaaaaaaaa",
                {1: {"a": "b"}, 2: {"a": "c"}},
                None,
                "app",
                1,
                {2: ["remote/0"]},
                "label",
                "description",
                now,
                "hourly",
            )
        ],
        resources={"model": str(tmp_path / "model.bin")},
        planned_units=3,
        unit_id=1,
        deferred=[DeferredEvent("Charm/on/start[1]", "Charm", "_on_start", {"a": 1})],
        stored_state=[StoredState("Charm", "_stored", {"n": 1}, "Data")],
        app_status=ops.ActiveStatus("a"),
        unit_status=ops.BlockedStatus("b"),
        workload_version="1.0",
    )


def _objects(doc: Dict[str, Any]) -> Iterator[Tuple[str, str, Dict[str, Any]]]:
    """``(class, path, object)`` for each state object in a State's JSON form."""
    yield "State", "$", doc
    relation_kinds = {
        "regular": "Relation",
        "peer": "PeerRelation",
        "subordinate": "SubordinateRelation",
    }
    for i, tagged in enumerate(doc["relations"]):
        ((kind, relation),) = tagged.items()
        yield relation_kinds[kind], f"$.relations[{i}].{kind}", relation
    for i, network in enumerate(doc["networks"]):
        yield "Network", f"$.networks[{i}]", network
        for j, bind in enumerate(network["bind_addresses"]):
            yield "BindAddress", f"$.networks[{i}].bind_addresses[{j}]", bind
            for k, address in enumerate(bind["addresses"]):
                yield "Address", f"$.networks[{i}].bind_addresses[{j}].addresses[{k}]", address
    for i, container in enumerate(doc["containers"]):
        at = f"$.containers[{i}]"
        yield "Container", at, container
        for key, mount in container["mounts"].items():
            yield "Mount", f"{at}.mounts.{key}", mount
        for j, output in enumerate(container["exec_mock"]):
            yield "ExecOutput", f"{at}.exec_mock[{j}]", output
        for field, cls in (("execs", "Exec"), ("check_infos", "CheckInfo"), ("notices", "Notice")):
            for j, obj in enumerate(container[field]):
                yield cls, f"{at}.{field}[{j}]", obj
    for field, cls in (
        ("storage", "Storage"),
        ("opened_ports", "Port"),
        ("secrets", "Secret"),
        ("deferred", "DeferredEvent"),
        ("stored_state", "StoredState"),
    ):
        for i, obj in enumerate(doc[field]):
            yield cls, f"$.{field}[{i}]", obj
    yield "Model", "$.model", doc["model"]
    yield "CloudSpec", "$.model.cloud_spec", doc["model"]["cloud_spec"]
    yield (
        "CloudCredential",
        "$.model.cloud_spec.credential",
        doc["model"]["cloud_spec"]["credential"],
    )


def test_the_json_form_uses_the_field_names(tmp_path):
    state = _full_state(tmp_path)
    doc = json.loads(state.to_json())
    seen = set()
    for cls_name, path, obj in _objects(doc):
        seen.add(cls_name)
        cls = getattr(scenario, cls_name)
        fields = _lossless(cls)
        keys = [k for k in obj if (cls_name, k) not in JSON_EXTRA_KEYS]
        assert set(keys) == set(fields), (
            f"{cls_name} at {path}: the JSON form has the keys {sorted(keys)}, its table's "
            f"fields are {sorted(fields)}; not fields: {sorted(set(keys) - set(fields))}, "
            f"not written: {sorted(set(fields) - set(keys))}"
        )
    # Resource: one mapping entry, its name and path.
    assert doc["resources"] == {"model": str(tmp_path / "model.bin")}
    assert _lossless(scenario.Resource) == ["name", "path"]
    seen.add("Resource")
    every = {cls.__name__ for cls in CLASSES}
    assert seen | set(NOT_IN_JSON) == every, (
        f"the full State's JSON holds no {sorted(every - seen - set(NOT_IN_JSON))}: add one "
        "to _full_state, or the class to NOT_IN_JSON with the reason"
    )
    assert not seen & set(NOT_IN_JSON), "a class in NOT_IN_JSON is in the JSON"
    assert set(JSON_SHAPES) <= seen
    # And the JSON form reads back as the same State.
    assert scenario.State.from_json(state.to_json()) == state
