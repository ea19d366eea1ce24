"""The state model: what goes into a run and what comes out.

Every class here is the Rust model seen as an immutable Python class (frozen: change one
with ``replace()`` or ``dataclasses.replace``).
"""

from __future__ import annotations

import abc
import dataclasses
import logging
import typing
from typing import Any, Callable, List, NamedTuple, Optional

from scenario import _scenario
from scenario._scenario import (
    Action,
    Address,
    BindAddress,
    BindFailedError,
    Container,
    DeferredEvent,
    Event,
    ExecOutput,
    MetadataNotFoundError,
    Model,
    Mount,
    Network,
    PeerRelation,
    Port,
    Relation,
    Secret,
    State,
    StateValidationError,
    Storage,
    StoredState,
    SubordinateRelation,
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
    "Action",
    "Address",
    "BindAddress",
    "BindFailedError",
    "Container",
    "DeferredEvent",
    "Event",
    "ExecOutput",
    "Inject",
    "InjectRelation",
    "JujuLogLine",
    "MetadataNotFoundError",
    "Model",
    "Mount",
    "Network",
    "PeerRelation",
    "Port",
    "Relation",
    "RelationBase",
    "Secret",
    "State",
    "StateValidationError",
    "Storage",
    "StoredState",
    "SubordinateRelation",
    "_CharmSpec",
    "deferred",
    "next_relation_id",
    "next_storage_index",
    "normalize_name",
    "sort_patch",
]

RELATION_EVENTS_SUFFIX = set(_scenario.RELATION_EVENTS_SUFFIX)
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


class JujuLogLine(NamedTuple):
    """One line the charm sent to juju-log."""

    level: str
    message: str


class RelationBase(abc.ABC):  # noqa: B024 - a registry for isinstance, not an interface
    """What Relation, PeerRelation and SubordinateRelation have in common (for isinstance)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "RelationBase is abstract: use Relation, PeerRelation or SubordinateRelation"
        )


for _cls in (Relation, PeerRelation, SubordinateRelation):
    RelationBase.register(_cls)


class Inject:
    """Base of the placeholders Scenario 5 accepted in place of State entities."""


class InjectRelation(Inject):
    """A placeholder for a relation, kept for compatibility; it has no effect at run time."""

    def __init__(self, relation_name: str, relation_id: Optional[int] = None):
        self.relation_name = relation_name
        self.relation_id = relation_id


def normalize_name(s: str) -> str:
    """Event names use underscores in ops and dashes in Juju: this gives ops's form."""
    return s.replace("-", "_")


def sort_patch(
    patch: List[dict], key: Callable[[dict], Any] = lambda obj: obj["path"] + obj["op"]
) -> List[dict]:
    """Sort a JSON patch, for comparing deltas."""
    return sorted(patch, key=key)


def _as_patchable(obj: Any) -> Any:
    """A State as plain data for JSON patches: statuses become {name, message}."""
    if isinstance(obj, dict):
        return {k: _as_patchable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_as_patchable(v) for v in obj]
    if hasattr(obj, "name") and hasattr(obj, "message") and type(obj).__module__.startswith("ops"):
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
    patch = jsonpatch.make_patch(
        _as_patchable(dataclasses.asdict(old)), _as_patchable(dataclasses.asdict(new))
    ).patch
    return sort_patch(patch)


def deferred(
    event: typing.Union[str, Event],
    handler: Callable[..., Any],
    event_id: int = 1,
    relation: Any = None,
    container: Optional[Container] = None,
) -> DeferredEvent:
    """A DeferredEvent for ``event`` as ``handler`` (e.g. ``MyCharm._on_start``) deferred it."""
    if isinstance(event, str):
        event = Event(event, relation=relation, container=container)
    return event.deferred(handler=handler, event_id=event_id)
