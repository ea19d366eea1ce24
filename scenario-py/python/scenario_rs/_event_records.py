"""The events a run records: as the handler sees them, and detached from the run.

ops hands each observer an event restored from its snapshot, so an ``ActionEvent`` has
its ``params``, a relation event its ``relation``, ``app`` and ``unit``, a storage event
its ``storage``, a workload event its ``workload``. A run's ``EventRecorder`` keeps such a
copy of each event the run emits (and, when asked, of each deferred event it re-emits),
made as the event is emitted.

When the run ends, the recorder detaches each copy, so that no record keeps its run
alive: the copy's ``framework`` becomes a stand-in whose ``model`` still names units and
apps and still makes the event's ``secret``, and the ops model objects the copy holds
(relation, units, apps, containers, storage) are moved onto a backend whose hook tools
all say the run is over. Then the copies go to the Context (``ctx.emitted_events``) and
to the ``capture_events`` blocks open on the run's thread.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import gc
import threading
import typing
import weakref
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import ops
import ops.framework
import ops.model

from scenario_rs._ops_compat import (
    RUN_HOLDING_ATTRIBUTES,
    FinishedModel,
    ModelBackendBase,
    forget,
    invalidate_relations,
    model_backend_of,
    model_cache_of,
    notices,
    share_cache_table,
)
from scenario_rs._target import CharmUnderTest

__all__ = ["EventRecorder", "open_capture"]

_FRAMEWORK_EVENT_TYPES = (
    ops.framework.PreCommitEvent,
    ops.framework.CommitEvent,
    ops.charm.CollectStatusEvent,
)

# What the mocked backend holds of its run and its Context (mocking.py): the stand-in's copy
# has none of it (it is kept per charm under test, which it must not keep alive).
_RUN_ATTRIBUTES = ("_session", "_target", "_scenario_run")

# The modules whose objects a recorded event may hold that lead back to the run's backend.
_MODEL_MODULES = ("ops.model", "ops.pebble", "scenario_rs.mocking")


class _RunIsOver:
    """What a detached object has in place of its run's session: every use says why."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and friends probe for these
            raise AttributeError(name)
        raise RuntimeError(
            "the run this event was recorded in has finished: its model objects can no "
            "longer call hook tools (read what you need in the charm, or from the output "
            "State)"
        )

    def __repr__(self) -> str:
        return "<a finished run>"


_RUN_IS_OVER = _RunIsOver()


class _FinishedFramework:
    """What a recorded event has for ``framework`` once its run has finished."""

    def __init__(self, model: FinishedModel):
        self.model = model
        self._handles: Dict[str, ops.Handle] = {}

    def handle(self, handle: ops.Handle) -> ops.Handle:
        """An equal handle, shared by the records of every run with that path.

        The emitted handle's parents are its run's (each run makes its own charm), and a
        long session records the same ``MyCharm/on/start[1]`` on every run.
        """
        path = handle.path
        shared = self._handles.get(path)
        if shared is None:
            if len(self._handles) >= _SHARED_HANDLES:
                self._handles.clear()
            shared = self._handles[path] = ops.Handle.from_path(path)
        return shared

    def __repr__(self) -> str:
        return "<the framework of a finished run>"


# How many handles a stand-in shares at most (a chained session numbers its events on).
_SHARED_HANDLES = 1024

# One stand-in per charm under test (a Context's) and unit, made from the first run that
# needs it: weakly keyed, and holding nothing of any run, so neither a Context nor a run is
# kept by it.
_FINISHED: weakref.WeakKeyDictionary[CharmUnderTest, Dict[str, _FinishedFramework]] = (
    weakref.WeakKeyDictionary()
)


def _finished_framework(
    owner: CharmUnderTest, meta: ops.CharmMeta, backend: ModelBackendBase
) -> _FinishedFramework:
    per_unit = _FINISHED.setdefault(owner, {})
    found = per_unit.get(backend.unit_name)
    if found is None:
        finished = copy.copy(backend)
        for name in _RUN_ATTRIBUTES:
            if hasattr(finished, name):
                setattr(finished, name, _RUN_IS_OVER)
        found = per_unit[backend.unit_name] = _FinishedFramework(FinishedModel(meta, finished))
    return found


class _RestoringFramework:
    """The run's framework, with a model of the records' own: what a record is restored
    against. Its model objects are then the record's alone, so detaching them when the run
    ends leaves the charm's own (an event a test kept from its handler) reading the run's
    output, as under ops[testing]."""

    def __init__(self, framework: ops.Framework, backend: _RecordsBackend, model: ops.Model):
        self._framework = framework
        self.backend = backend
        self.model = model

    def restore(self, observed: ops.EventBase, snapshot: Dict[str, Any]) -> None:
        """Restore ``observed`` from ``snapshot``; a relation event builds its relation
        alone (ops builds every relation of the endpoint to find one by id)."""
        endpoint = snapshot.get("relation_name")
        relation_id = snapshot.get("relation_id")
        if not isinstance(endpoint, str) or type(relation_id) is not int:
            observed.restore(snapshot)
            return
        relations = self.model.relations
        self.backend.only_relation = relation_id
        try:
            observed.restore(snapshot)
        finally:
            self.backend.only_relation = None
            # The endpoint's list holds that one relation: a later lookup lists them all.
            if endpoint in relations:
                invalidate_relations(relations, endpoint)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._framework, name)


class _RecordsBackend:
    """The backend of the records' own model: the run's while it lasts, then the finished
    stand-in's. Every model object a restored record holds reaches the run through this
    one object (and the Pebble clients it hands out), so one switch detaches them all,
    with no walk over what the records hold.

    While a relation event is restored, an endpoint lists only that event's relation: a
    record then costs one ops ``Relation``, not one per relation of the endpoint (a
    hundred in a 200-relation State).
    """

    def __init__(self, backend: ModelBackendBase):
        self._target: Any = backend
        self._clients: List[Any] = []
        self.only_relation: Optional[int] = None

    def relation_ids(self, relation_name: str) -> List[int]:
        ids = self._target.relation_ids(relation_name)
        only = self.only_relation
        return ids if only is None else [i for i in ids if i == only]

    def get_pebble(self, socket_path: str) -> Any:
        client = self._target.get_pebble(socket_path)
        self._clients.append(client)
        return client

    def finish(self, finished: ModelBackendBase) -> None:
        """The run is over: answer as the finished stand-in does from now on."""
        self._target = finished
        for client in self._clients:  # our Pebble clients hold the backend and the session
            client.detach(finished, _RUN_IS_OVER)
        self._clients = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


def _as_observed(
    framework: ops.Framework, restoring: Any, event: ops.EventBase
) -> Tuple[ops.EventBase, bool]:
    """A copy of ``event`` as ops hands it to an observer: restored from its snapshot,
    against ``restoring`` (the records' own model).

    Also whether the copy may hold model objects of the run itself, to be moved off it
    when the run ends: not if its class restores nothing, nor if it was restored against
    the records' own model (which its backend detaches whole).
    """
    cls = type(event)
    observed = cls.__new__(cls)
    observed.framework = restoring
    observed.handle = event.handle
    holds_run_objects = False
    try:
        if isinstance(restoring, _RestoringFramework):
            restoring.restore(observed, event.snapshot())
        else:
            observed.restore(event.snapshot())
            holds_run_objects = cls.restore is not ops.EventBase.restore
    except Exception:
        # A custom event whose snapshot does not round-trip is recorded as emitted.
        vars(observed).update(vars(event))
        holds_run_objects = True
    observed.framework = framework
    observed.deferred = False
    return observed, holds_run_objects


def _detach(
    event: ops.EventBase,
    framework: _FinishedFramework,
    holds_run_objects: bool,
    moves: Dict[int, Any],
) -> None:
    """Point the event, and the model objects of the run it holds, at the finished
    stand-in.

    ``moves`` maps the id of each object of the run that model objects refer to (the
    backend, the model's cache, the session) to what replaces it.
    """
    event.framework = framework  # type: ignore[assignment]
    event.handle = framework.handle(event.handle)
    if not holds_run_objects:
        return
    model = framework.model
    # The stand-in's own objects are not the run's: no need to walk them.
    seen = {id(framework), id(model), id(model_backend_of(model)), id(model_cache_of(model))}
    _move(event, moves, seen)


def _move(value: Any, moves: Dict[int, Any], seen: set) -> None:
    """Rebind what ``value``, and the model objects reachable from it, hold of the run.

    Referents come from ``gc.get_referents`` and attributes are read and set one by one,
    only where a referent is the run's, so no object's ``__dict__`` is made for the walk
    (Python keeps small ones inline, and a dict per object would weigh on every record).
    """
    seen.add(id(value))
    if type(value) is dict:
        # An instance's own ``__dict__`` (what ``gc.get_referents`` gives for an object
        # before Python 3.11), or a plain dict: its values are rebound in place.
        for key, item in value.items():
            replacement = moves.get(id(item))
            if replacement is not None:
                value[key] = replacement
            elif id(item) not in seen and _may_lead_to_run(item):
                _move(item, moves, seen)
        return
    for item in gc.get_referents(value):
        replacement = moves.get(id(item))
        if replacement is not None:
            for name in _REBOUND:
                if getattr(value, name, None) is item:
                    setattr(value, name, replacement)
            continue
        if id(item) not in seen and _may_lead_to_run(item):
            _move(item, moves, seen)


def _may_lead_to_run(item: Any) -> bool:
    """Only containers and model objects can lead to the run: the other kinds (the strings
    of relation data, numbers, classes, weak proxies) are passed over."""
    kind = type(item)
    if kind in _PASSED_OVER:
        return False
    if kind in _CONTAINERS or kind.__module__.startswith(_MODEL_MODULES):
        return True
    _PASSED_OVER.add(kind)
    return False


# The attributes by which ops's model objects (and our Pebble client) hold their run.
_REBOUND = (*RUN_HOLDING_ATTRIBUTES, "_session", "_hook_backend")
_CONTAINERS = frozenset((list, tuple, set, frozenset, dict))
# The kinds of objects found not to lead to a run, filled as the walks meet them.
_PASSED_OVER = {str, int, float, bool, bytes, type(None), type}


@dataclasses.dataclass
class _Capture:
    """One open ``capture_events`` block."""

    events: List[ops.EventBase]
    types: Tuple[type, ...]
    include_framework: bool
    include_deferred: bool

    def wants(self, event: ops.EventBase, deferred: bool) -> bool:
        if deferred and not self.include_deferred:
            return False
        if isinstance(event, _FRAMEWORK_EVENT_TYPES) and not self.include_framework:
            return False
        return isinstance(event, self.types)


# The capture blocks open on each thread: a block records the runs of its own thread.
_open = threading.local()


def _captures() -> List[_Capture]:
    found = getattr(_open, "captures", None)
    if found is None:
        found = _open.captures = []
    return found


@contextlib.contextmanager
def open_capture(
    types: Tuple[type, ...], include_framework: bool, include_deferred: bool
) -> Iterator[List[ops.EventBase]]:
    """Collect, for the block, the events of the runs made on this thread."""
    capture = _Capture([], types or (ops.EventBase,), include_framework, include_deferred)
    captures = _captures()
    captures.append(capture)
    try:
        yield capture.events
    finally:
        captures.remove(capture)


class EventRecorder:
    """The events one run emits, for its Context and for the captures open on its thread."""

    def __init__(self, owner: CharmUnderTest, capture_framework: bool, capture_deferred: bool):
        self._owner = owner
        self._capture_framework = capture_framework
        self._capture_deferred = capture_deferred
        self._captures = list(_captures())
        # (the copy, whether it may hold model objects of the run, for the Context, for
        # which captures)
        self._records: List[Tuple[ops.EventBase, bool, bool, List[_Capture]]] = []
        self._framework: Any = None
        self._restoring: Any = None
        #: Makes the records' own model over the backend it is given (set by the run, which
        #: knows the Model's arguments).
        self.model_factory: Optional[Callable[[Any], ops.Model]] = None
        # Filled when the run ends: what ``ctx.emitted_events`` gets.
        self.for_context: List[ops.EventBase] = []

    @property
    def wants_deferred(self) -> bool:
        return self._capture_deferred or any(c.include_deferred for c in self._captures)

    def emitted(self, framework: ops.Framework, event: ops.EventBase) -> None:
        """Record an event the framework is about to emit, if anyone wants it."""
        is_framework_event = isinstance(event, _FRAMEWORK_EVENT_TYPES)
        to_context = self._capture_framework or not is_framework_event
        self._add(framework, event, to_context, deferred=False)

    def reemitting(self, framework: ops.Framework) -> None:
        """Record the deferred events the framework is about to re-emit."""
        seen = set()
        for event_path, _, _ in notices(framework):
            if event_path in seen:
                continue
            seen.add(event_path)
            handle = ops.framework.Handle.from_path(event_path)
            try:
                loaded = ops.Framework.load_snapshot(self._restoring_for(framework), handle)
            except ops.framework.NoTypeError:
                continue
            # A copy for the record, restored as the re-emission will restore its own.
            event = typing.cast(ops.EventBase, loaded)
            event.framework = framework
            forget(framework, loaded)
            to_context = self._capture_deferred
            # Restored against the run's own model when there is no model of the records'.
            on_run_model = not isinstance(self._restoring, _RestoringFramework)
            self._add(framework, event, to_context, deferred=True, holds_run_objects=on_run_model)

    def _add(
        self,
        framework: ops.Framework,
        event: ops.EventBase,
        to_context: bool,
        deferred: bool,
        holds_run_objects: bool = False,
    ) -> None:
        """Keep ``event`` for the Context and the captures that want it. A deferred one is
        already a restored copy (which ``holds_run_objects`` or not)."""
        captures = [c for c in self._captures if c.wants(event, deferred)]
        if not to_context and not captures:
            return
        if deferred:
            record = event
        elif type(event).restore is ops.EventBase.restore:
            # Nothing to restore, so no model objects: no model of the records' own needed.
            record, holds_run_objects = _as_observed(framework, framework, event)
            self._framework = framework
        else:
            restoring = self._restoring_for(framework)
            record, holds_run_objects = _as_observed(framework, restoring, event)
        self._records.append((record, holds_run_objects, to_context, captures))

    def _restoring_for(self, framework: ops.Framework) -> Any:
        """The run's framework with the records' own model, made once per run (the run's
        framework itself when there is no model factory)."""
        if self._restoring is None:
            self._framework = framework
            if self.model_factory is None:
                self._restoring = framework
            else:
                backend = _RecordsBackend(model_backend_of(framework.model))
                model = self.model_factory(backend)
                self._restoring = _RestoringFramework(framework, backend, model)
        return self._restoring

    def finish(self, backend: ModelBackendBase) -> None:
        """Detach the records from the run and hand them over."""
        restoring, self._restoring, self.model_factory = self._restoring, None, None
        if not self._records:
            self._framework = None
            return
        finished = _finished_framework(self._owner, self._framework.meta, backend)
        model = finished.model
        run_objects = [
            (backend, model_backend_of(model)),
            (model_cache_of(self._framework.model), model_cache_of(model)),
            (getattr(backend, "_session", None), _RUN_IS_OVER),
        ]
        if isinstance(restoring, _RestoringFramework):
            restoring.backend.finish(model_backend_of(model))
            # The records' model objects keep their cache: it shares the stand-in's table
            # from now on, so each run's own table (a WeakValueDictionary) goes.
            share_cache_table(model_cache_of(restoring.model), model_cache_of(model))
        moves = {id(old): new for old, new in run_objects if old is not None}
        for event, holds_run_objects, to_context, captures in self._records:
            _detach(event, finished, holds_run_objects, moves)
            if to_context:
                self.for_context.append(event)
            for capture in captures:
                capture.events.append(event)
        self._records = []
        self._framework = None
