"""The state model: what goes into a run and what comes out.

Every class here is the Rust model seen as an immutable Python class (frozen: change one
with ``dataclasses.replace``, or Scenario 5's ``replace()``). One class serves both APIs:
Scenario 5's names and ops[testing]'s (Scenario 7/8) are both accepted and both read.
"""

from __future__ import annotations

import abc
import copy
import dataclasses
import logging
import pathlib
import typing
from typing import Any, Callable, List, NamedTuple, Optional

from scenario_rs import _scenario
from scenario_rs._collections import StateCollection
from scenario_rs._event_path import _EventPath, _EventType, normalize_name

if typing.TYPE_CHECKING:  # pragma: no cover
    import ops
from scenario_rs._scenario import (
    Action,
    Address,
    BindAddress,
    BindFailedError,
    CheckInfo,
    CloudCredential,
    CloudSpec,
    Container,
    DeferredEvent,
    Event,
    Exec,
    ExecOutput,
    ICMPPort,
    MetadataNotFoundError,
    Model,
    Mount,
    Network,
    Notice,
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
    TCPPort,
    UDPPort,
    _CharmSpec,
    next_relation_id,
    next_storage_index,
)

__all__ = [
    "ACTION_EVENT_SUFFIX",
    "ATTACH_ALL_STORAGES",
    "BREAK_ALL_RELATIONS",
    "BUILTIN_EVENTS",
    "CREATE_ALL_RELATIONS",
    "DETACH_ALL_STORAGES",
    "FRAMEWORK_EVENTS",
    "META_EVENTS",
    "PEBBLE_READY_EVENT_SUFFIX",
    "RELATION_EVENTS_SUFFIX",
    "SECRET_EVENTS",
    "STORAGE_EVENTS_SUFFIX",
    "_DEFAULT_JUJU_DATABAG",
    "Action",
    "Address",
    "AnyJson",
    "BindAddress",
    "BindFailedError",
    "CharmType",
    "CheckInfo",
    "CloudCredential",
    "CloudSpec",
    "Container",
    "DeferredEvent",
    "Event",
    "Exec",
    "ExecOutput",
    "ICMPPort",
    "Inject",
    "InjectRelation",
    "JujuLogLine",
    "MetadataNotFoundError",
    "Model",
    "Mount",
    "Network",
    "Notice",
    "PeerRelation",
    "Port",
    "RawDataBagContents",
    "RawSecretRevisionContents",
    "Relation",
    "RelationBase",
    "Resource",
    "Secret",
    "State",
    "StateCollection",
    "StateValidationError",
    "Storage",
    "StoredState",
    "SubordinateRelation",
    "TCPPort",
    "UDPPort",
    "UnitID",
    "_Action",
    "_CharmSpec",
    "_Event",
    "_EventPath",
    "_EventType",
    "_next_action_id",
    "_next_notice_id",
    "_next_relation_id",
    "_next_storage_index",
    "deferred",
    "layer_from_rockcraft",
    "next_relation_id",
    "next_storage_index",
    "normalize_name",
    "sort_patch",
]

RELATION_EVENTS_SUFFIX = set(_scenario.RELATION_EVENTS_SUFFIX)
_RELATION_EVENTS_SUFFIX = RELATION_EVENTS_SUFFIX  # ops[testing]'s name
STORAGE_EVENTS_SUFFIX = set(_scenario.STORAGE_EVENTS_SUFFIX)
PEBBLE_READY_EVENT_SUFFIX = _scenario.PEBBLE_READY_EVENT_SUFFIX
ACTION_EVENT_SUFFIX = _scenario.ACTION_EVENT_SUFFIX
SECRET_EVENTS = set(_scenario.SECRET_EVENTS)
FRAMEWORK_EVENTS = set(_scenario.FRAMEWORK_EVENTS)
BUILTIN_EVENTS = set(_scenario.BUILTIN_EVENTS)
ATTACH_ALL_STORAGES = "ATTACH_ALL_STORAGES"
CREATE_ALL_RELATIONS = "CREATE_ALL_RELATIONS"
BREAK_ALL_RELATIONS = "BREAK_ALL_RELATIONS"
DETACH_ALL_STORAGES = "DETACH_ALL_STORAGES"
META_EVENTS = {
    "CREATE_ALL_RELATIONS": "_relation_created",
    "BREAK_ALL_RELATIONS": "_relation_broken",
    "DETACH_ALL_STORAGES": "_storage_detaching",
    "ATTACH_ALL_STORAGES": "_storage_attached",
}


# ops[testing]'s type aliases.
AnyJson = typing.Union[str, bool, dict, int, float, list]
RawSecretRevisionContents = RawDataBagContents = typing.Dict[str, str]
UnitID = int
CharmType = typing.TypeVar("CharmType", bound="ops.CharmBase")

# The databag Juju gives a unit before anything writes to it (ops[testing]'s default for
# a unit's databags).
_DEFAULT_JUJU_DATABAG = {
    "egress-subnets": "192.0.2.0",
    "ingress-address": "192.0.2.0",
    "private-address": "192.0.2.0",
}


class JujuLogLine(NamedTuple):
    """One line the charm sent to ``juju-log`` during a run (ops's logging handler sends
    each ``logging`` record there), as ``ctx.juju_log`` records it. It equals the
    ``(level, message)`` tuple::

        assert ctx.juju_log[-1] == JujuLogLine("INFO", "started")
    """

    level: str
    message: str


JujuLogLine.level.__doc__ = """The line's level, as ``juju-log`` got it: ``DEBUG``, ``INFO``,
``WARNING``, ``ERROR`` or ``CRITICAL``."""
JujuLogLine.message.__doc__ = """The text the charm logged (the formatted ``logging`` record,
without level or logger name)."""


class RelationBase(abc.ABC):  # noqa: B024 - a registry for isinstance, not an interface
    """The common base of ``Relation``, ``PeerRelation`` and ``SubordinateRelation``, for
    ``isinstance(obj, RelationBase)`` and type hints: each has an ``endpoint``, an
    ``interface``, an ``id`` and the local databags (``local_app_data``,
    ``local_unit_data``). It cannot be made itself."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "RelationBase is abstract: use Relation, PeerRelation or SubordinateRelation"
        )


for _cls in (Relation, PeerRelation, SubordinateRelation):
    RelationBase.register(_cls)
del _cls


class Inject:
    """The base of the placeholders Scenario 5 accepted in place of State entities (kept
    so that suites importing it still import)."""


class InjectRelation(Inject):
    """Scenario 5's placeholder for a relation (``relation_name``, ``relation_id``), kept so
    that suites using it still run; it has no effect on a run."""

    def __init__(self, relation_name: str, relation_id: Optional[int] = None):
        self.relation_name = relation_name
        self.relation_id = relation_id


def _next_relation_id(*, update: bool = True) -> int:
    """The id the next relation made without one will get (ops[testing]'s spelling)."""
    return next_relation_id(update)


def _next_storage_index(*, update: bool = True) -> int:
    """The index the next storage made without one will get (ops[testing]'s spelling)."""
    return next_storage_index(update)


def _next_notice_id(*, update: bool = True) -> str:
    """The id the next Pebble notice made without one will get."""
    return _scenario.next_notice_id(update)


def _next_action_id(*, update: bool = True) -> str:
    """The id the next action event will get (ops[testing] numbers them from "1")."""
    return _scenario.next_action_id(update)


class _EventQuestions:
    """Both APIs' private questions about an event (the ``_path`` parsed, its kind, whether
    ops defines it), which suites and tools ask of Scenario 5's ``Event`` and ops[testing]'s
    ``_Event`` alike: installed on ``Event``, so both classes answer them."""

    _kind: str  # Event's own

    @property
    def _path(self) -> _EventPath:
        return self.path  # type: ignore[attr-defined, no-any-return]

    @property
    def _is_relation_event(self) -> bool:
        return self._kind == "relation"

    @property
    def _is_action_event(self) -> bool:
        return self._kind == "action"

    @property
    def _is_secret_event(self) -> bool:
        return self._kind == "secret"

    @property
    def _is_storage_event(self) -> bool:
        return self._kind == "storage"

    @property
    def _is_workload_event(self) -> bool:
        return self._kind == "workload"

    @property
    def _is_custom_event(self) -> bool:
        return self._kind == "custom"

    def _is_builtin_event(self, charm_spec: Any) -> bool:
        """Whether the event is one of ops's own (not one the charm or a library defines)."""
        import ops

        name = self._path.python_name
        if hasattr(charm_spec.charm_type.on, name):
            return hasattr(ops.CharmEvents, name)
        return self._path.type is not _EventType.CUSTOM

    @property
    def _juju_name(self) -> str:
        """The Juju hook name: the entity name as written, then the hyphenated suffix."""
        path = self._path
        if path.type is _EventType.CUSTOM:
            return path.python_name
        return path.juju_prefix + path.python_suffix.replace("_", "-")


for _name, _question in vars(_EventQuestions).items():
    if _name.startswith("_") and not _name.startswith("__"):
        setattr(Event, _name, _question)
del _name, _question


class _Event(Event):
    """An event made by a factory of ``ctx.on`` (ops[testing]), such as ``ctx.on.start()``;
    a run of it speaks ops[testing]'s API. It is an ``Event``, so it has the same fields
    (``relation``, ``container``, ``secret``...), and ``deferred()`` makes the
    ``DeferredEvent`` to put in ``State.deferred``."""

    __slots__ = ()


class _Action(Action):
    """ops[testing]'s action invocation: an ``Action`` whose ``id`` defaults to the next of
    a counter, as Juju gives each invocation one (a Scenario 5 ``Action`` has none)."""

    __slots__ = ()

    def __new__(cls, name: Any, *, params: Any = None, id: Optional[str] = None) -> Any:
        # ops[testing]'s _Action takes its params and id by keyword only.
        if isinstance(name, str):
            _scenario.check_action_name(name)
        return super().__new__(cls, name, params, _next_action_id() if id is None else id)


# The statuses subclass ops's own classes, so they are defined when first used: importing
# scenario (or scenario.state, where ops[testing] has them too) does not import ops.
_STATUS_NAMES = {
    "_EntityStatus",
    "ActiveStatus",
    "BlockedStatus",
    "ErrorStatus",
    "MaintenanceStatus",
    "UnknownStatus",
    "WaitingStatus",
}


def _lazy_status(module: str, name: str) -> Any:
    """The status class ``name`` for a module's ``__getattr__``."""
    if name in _STATUS_NAMES:
        from scenario_rs import _status

        return getattr(_status, name)
    raise AttributeError(f"module {module!r} has no attribute {name!r}")


# ops[testing]'s module-level counters, read as they stand (the counters live in Rust).
_COUNTERS = {
    "_next_relation_id_counter": lambda: _scenario.next_relation_id(False),
    "_next_storage_index_counter": lambda: _scenario.next_storage_index(False),
    "_next_notice_id_counter": lambda: int(_scenario.next_notice_id(False)),
    "_next_action_id_counter": lambda: int(_scenario.next_action_id(False)),
}


def __getattr__(name: str) -> Any:
    counter = _COUNTERS.get(name)
    if counter is not None:
        return counter()
    return _lazy_status(__name__, name)


def _status_to_entitystatus(obj: Any) -> Any:
    """The State status equal to an ops status (Scenario 5's private helper)."""
    from scenario_rs._status import _EntityStatus

    return _EntityStatus.from_ops(obj)


@dataclasses.dataclass(frozen=True)
class _DCBase:
    """Scenario 5's base of its state dataclasses, which some suites subclass for their
    own: ``replace()`` and ``copy()`` give deep copies, so the copy shares nothing
    mutable with the original."""

    def replace(self, *args: Any, **kwargs: Any) -> Any:
        return dataclasses.replace(self.copy(), *args, **kwargs)

    def copy(self) -> Any:
        return copy.deepcopy(self)


def _ops_object(obj: Any, module: str, name: str, fields: List[str]) -> Any:
    """The ops object ``module.name`` equal to a state object (its ``_to_ops()``): built
    from the fields the ops class takes, in the ops version installed."""
    import importlib
    import inspect

    cls = getattr(importlib.import_module(module), name)
    params = inspect.signature(cls).parameters
    kwargs = {}
    for field in fields:
        if field in params:
            value = getattr(obj, field)
            kwargs[field] = value._to_ops() if hasattr(value, "_to_ops") else value
    return cls(**kwargs)


def layer_from_rockcraft(path: typing.Union[str, pathlib.Path]) -> Any:
    """The Pebble layer a rock's ``rockcraft.yaml`` declares (its summary, description,
    services and checks), as an ``ops.pebble.Layer``, so that a test gives a container the
    layer its image really starts with rather than a copy of it::

        container = Container(
            "app", can_connect=True, layers={"rock": layer_from_rockcraft("rockcraft.yaml")}
        )

    :arg path: the ``rockcraft.yaml`` file; ``ValueError`` when there is none.
    """
    import ops.pebble
    import yaml

    path = pathlib.Path(path)
    if not path.is_file():
        raise ValueError(f"rockcraft.yaml file not found at {path}")
    rockcraft = yaml.safe_load(path.read_text()) or {}
    return ops.pebble.Layer(
        {
            "summary": rockcraft.get("summary", ""),
            "description": f"{rockcraft.get('description', '(no description)')} "
            f"(built from the rockcraft.yaml at {path})",
            "services": rockcraft.get("services", {}),
            "checks": rockcraft.get("checks", {}),
        }
    )


def sort_patch(
    patch: List[dict], key: Callable[[dict], Any] = lambda obj: obj["path"] + obj["op"]
) -> List[dict]:
    """A JSON patch's operations sorted (by default by path, then op), so that two deltas
    (``State.jsonpatch_delta``) compare whatever order they were made in."""
    return sorted(patch, key=key)


def _as_patchable(obj: Any) -> Any:
    """A State as plain data for JSON patches, in Scenario 5's terms (the API whose
    ``jsonpatch_delta`` this is): each state object by its positional fields, statuses as
    {name, message}, resources as a dict of name to path."""
    if isinstance(obj, Resource):
        return {"name": obj.name, "path": str(obj.path)}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = getattr(type(obj), "__match_args__", ())
        data = {name: _as_patchable(getattr(obj, name)) for name in names}
        if isinstance(obj, State) and isinstance(obj.resources, StateCollection):
            data["resources"] = {r.name: str(r.path) for r in obj.resources}
        return data
    if isinstance(obj, dict):
        return {k: _as_patchable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, StateCollection)):
        return [_as_patchable(v) for v in obj]
    if (
        hasattr(obj, "name")
        and hasattr(obj, "message")
        and "StatusBase" in {c.__name__ for c in type(obj).__mro__}
    ):
        return {"name": obj.name, "message": obj.message}
    return obj


def _jsonpatch_delta(new: State, old: State) -> Any:
    """The JSON patch turning ``old`` into ``new``, sorted by path and op; NotImplemented
    (with an error logged) when the optional ``jsonpatch`` package is missing."""
    try:
        import jsonpatch  # type: ignore[import-untyped]
    except ImportError:
        logging.getLogger("ops-scenario.state").error(
            "State.jsonpatch_delta needs the jsonpatch package: pip install jsonpatch"
        )
        return NotImplemented
    patch = jsonpatch.make_patch(_as_patchable(old), _as_patchable(new)).patch
    return sort_patch(patch)


def deferred(
    event: typing.Union[str, Event],
    handler: Callable[..., Any],
    event_id: int = 1,
    relation: Any = None,
    container: Optional[Container] = None,
) -> DeferredEvent:
    """The ``DeferredEvent`` that ops would have saved had ``handler`` (the observing method,
    such as ``MyCharm._on_start``) deferred ``event`` in a previous run (Scenario 5). Put it
    in ``State.deferred``, and the run emits it again before its own event.

    :arg event: the event, or its name (``"update_status"``, ``"db-relation-changed"``).
    :arg handler: the charm's method that observes the event and deferred it.
    :arg event_id: the number in the event's handle path (``MyCharm/on/start[1]``).
    :arg relation: for a relation event given by name, the relation it is about.
    :arg container: for a workload event given by name, the container it is about.
    """
    if isinstance(event, str):
        event = Event(event, relation=relation, container=container)
    return event.deferred(handler=handler, event_id=event_id)
