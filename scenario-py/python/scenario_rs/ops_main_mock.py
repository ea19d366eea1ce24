"""The ops side of one run: build ops's Model and Framework over the mocked backend, emit.

Scenario does not call ``ops.main``: it builds the same objects in-process, over an
in-memory store seeded from the State, so a run needs no SQLite file and no directory.
"""

from __future__ import annotations

import copy
import inspect
import logging
import re
import typing
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import ops
import ops.charm
import ops.framework
import ops.model
import ops.storage

from scenario_rs import _warnings
from scenario_rs._event_records import EventRecorder
from scenario_rs._ops_compat import (
    ABORT,
    FrameworkBase,
    charm_construction,
    evaluate_status,
    observers,
    registered_event_kinds,
    release,
    tell_peer_endpoints,
)
from scenario_rs._options import RunOptions
from scenario_rs._scenario import (
    Api,
    Container,
    DeferredEvent,
    PeerRelation,
    Relation,
    Secret,
    Storage,
    StoredState,
    SubordinateRelation,
    environ_get,
)
from scenario_rs._target import CharmUnderTest
from scenario_rs.errors import BadOwnerPath, NoObserverError, ScenarioWarning

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario_rs._scenario import Event, State

__all__ = ["EVENT_REGEX", "STORED_STATE_REGEX", "BadOwnerPath", "NoObserverError", "Ops"]

# ops's own patterns for event handles and stored-state handles.
_EVENT_HANDLE = EVENT_REGEX = re.compile(r"^(|.*/)on/[a-zA-Z_]+\[\d+\]$")
_STORED_STATE_HANDLE = STORED_STATE_REGEX = re.compile(
    r"^((?P<owner_path>.*)/)?(?P<data_type_name>\D+)\[(?P<name>.*)\]$"
)

# The handle path of the framework's own stored state (event numbering).
_FRAMEWORK_STORED = "StoredStateData[_stored]"


def _fresh(value: Any) -> Any:
    """A copy of a snapshot's containers (what ops can store: dicts, lists, tuples, sets of
    plain values), sharing the immutable leaves; far cheaper than ``copy.deepcopy``."""
    kind = type(value)
    if kind is dict:
        return {k: _fresh(v) for k, v in value.items()}
    if kind is list:
        return [_fresh(v) for v in value]
    if kind is tuple:
        return tuple(_fresh(v) for v in value)
    if kind is set:
        return {_fresh(v) for v in value}
    if kind in (str, int, float, bool, bytes, type(None), frozenset):
        return value
    return copy.deepcopy(value)


class _MemoryStore:
    """ops's storage protocol over dicts: what SQLiteStorage does, without the file.

    Seeded from the input State's deferred events and stored state; read back into the
    output State when the run ends.
    """

    def __init__(self, deferred: List[DeferredEvent], stored_state: List[StoredState]):
        self._snapshots: Dict[str, Any] = {}
        self._notices: List[Tuple[str, str, str]] = []
        # Each input stored state with the content it was seeded with: while the store
        # still holds that very dict (ops saves only what changed, and loads copies), the
        # output takes the input's StoredState as it is.
        self._seeded: Dict[str, Tuple[Any, StoredState]] = {}
        for event in deferred:
            self._notices.append((event.handle_path, event.owner, event.observer))
            self._snapshots[event.handle_path] = event.snapshot_data
        for stored in stored_state:
            path = stored.handle_path
            content = stored.content
            if path == _FRAMEWORK_STORED and "event_count" not in content:
                # The framework's own (a StoredState() with no owner): it numbers events
                # from its event_count, which a hand-made one may not hold yet.
                content = {**content, "event_count": 0}
            self._snapshots[path] = content
            self._seeded[path] = (content, stored)

    def complete_peer_snapshots(self, state: Any, app_name: str, unit_id: int) -> None:
        """Give deferred peer-relation events the app and unit ops would have recorded.

        ``Event.deferred`` cannot know this app's name; the run does. The remote unit is
        the first peer, as for a live event.
        """
        for path, snapshot in self._snapshots.items():
            if not isinstance(snapshot, dict) or "app_name" in snapshot:
                continue
            relation_id = snapshot.get("relation_id")
            if not isinstance(relation_id, int):
                continue
            try:
                relation = state.get_relation(relation_id)
            except ValueError:
                continue
            if not isinstance(relation, PeerRelation):
                continue
            snapshot["app_name"] = app_name
            others = [i for i in relation.peers_data if i != unit_id]
            if others:
                snapshot["unit_name"] = f"{app_name}/{others[0]}"
                if "_relation_departed[" in path:
                    snapshot["departing_unit"] = snapshot["unit_name"]

    def close(self) -> None:
        pass

    def commit(self) -> None:
        pass

    def save_snapshot(self, handle_path: str, snapshot_data: Any) -> None:
        self._snapshots[handle_path] = snapshot_data

    def load_snapshot(self, handle_path: str) -> Any:
        try:
            snapshot = self._snapshots[handle_path]
        except KeyError:
            raise ops.storage.NoSnapshotError(handle_path) from None
        # A fresh copy each time, as ops's SQLite store unpickles one: restore() may change
        # what it is given (a notice event pops its keys) and the event may load again.
        return _fresh(snapshot)

    def drop_snapshot(self, handle_path: str) -> None:
        self._snapshots.pop(handle_path, None)

    def list_snapshots(self) -> Iterator[str]:
        yield from list(self._snapshots)

    def save_notice(self, event_path: str, observer_path: str, method_name: str) -> None:
        self._notices.append((event_path, observer_path, method_name))

    def drop_notice(self, event_path: str, observer_path: str, method_name: str) -> None:
        try:
            self._notices.remove((event_path, observer_path, method_name))
        except ValueError:
            pass

    def notices(self, event_path: Optional[str] = None) -> Iterator[Tuple[str, str, str]]:
        for notice in list(self._notices):
            if event_path is None or notice[0] == event_path:
                yield notice

    def deferred_events(self) -> List[DeferredEvent]:
        """The notices left, as the output State's ``deferred`` (sorted by handle, as ops's
        SQLite store lists them)."""
        out = [
            DeferredEvent(path, owner, method, self._snapshots.get(path) or {})
            for path, owner, method in self._notices
        ]
        return sorted(out, key=lambda d: d.handle_path.encode())

    def stored_states(self) -> List[Any]:
        """Every snapshot that is not an event's, for the output State's ``stored_state``:
        the input's StoredState where ops left it alone, otherwise its fields
        ``(owner_path, name, content, data_type_name)``."""
        out: List[Any] = []
        for handle in sorted(self._snapshots, key=str.encode):
            snapshot = self._snapshots[handle]
            seeded = self._seeded.get(handle)
            if seeded is not None and seeded[0] is snapshot:
                out.append(seeded[1])
                continue
            if _EVENT_HANDLE.match(handle):
                continue
            match = _STORED_STATE_HANDLE.match(handle)
            if not match:
                continue
            owner_path, data_type_name, name = match.group("owner_path", "data_type_name", "name")
            out.append((owner_path, name, snapshot, data_type_name))
        return out


class _ScenarioFramework(FrameworkBase):
    """Shows the run's recorder the events it emits, without patching ops."""

    _scenario_recorder: Optional[EventRecorder] = None

    def emitting(self, event: ops.EventBase) -> None:
        recorder = self._scenario_recorder
        if recorder is not None:
            recorder.emitted(self, event)

    def reemit(self) -> None:
        recorder = self._scenario_recorder
        if recorder is not None and recorder.wants_deferred:
            recorder.reemitting(self)
        super().reemit()


_FRAMEWORK_PARAMS = inspect.signature(ops.framework.Framework.__init__).parameters
_MODEL_PARAMS = inspect.signature(ops.model.Model.__init__).parameters
_ACTION_EVENT_TAKES_ID = "id" in inspect.signature(ops.charm.ActionEvent.__init__).parameters


class Ops:
    """Sets up ops for one run, emits the event, commits; each step once."""

    def __init__(
        self,
        state: State,
        event: Event,
        target: CharmUnderTest,
        options: RunOptions,
        backend: Any,
        charm_dir: Path,
    ):
        self.state = state
        self.event = event
        self.target = target
        #: The run's charm directory (the target's, as the run took it).
        self.charm_dir = charm_dir
        self.options = options
        self.charm_spec = target.charm_spec
        self.backend = backend
        self.charm: Optional[ops.CharmBase] = None
        self.framework: Optional[ops.Framework] = None
        self.store: Optional[_MemoryStore] = None
        self.recorder = EventRecorder(
            target, options.capture_framework_events, options.capture_deferred_events
        )
        #: The recorded events for the Context, filled when the run ends.
        self.captured: List[ops.EventBase] = self.recorder.for_context
        #: The charm's __init__ ended the hook cleanly (ops's _Abort(0)): nothing is emitted.
        self._aborted_in_init = False
        self._emitted = False
        self._committed = False

    def setup(self) -> None:
        """Build the Model, the Framework and the charm, as ops.main would."""
        if self.options.api is Api.SCENARIO_8:
            # The lines ops.main logs as it starts, as ops[testing] records them (its unit
            # state is SQLite's :memory:), so that ``juju_log`` reads the same.
            logging.getLogger("ops._main").debug("ops %s up and running.", ops.__version__)
            logging.getLogger("ops.storage").debug("Initializing SQLite local storage: :memory:.")
        meta = self.target.charm_meta()
        model_kwargs: Dict[str, Any] = {}
        if "remote_unit_name" in _MODEL_PARAMS and self.event.name.endswith(
            ("_relation_departed", "_relation_broken")
        ):
            model_kwargs["remote_unit_name"] = _remote_unit_name()
        relation = self.event.relation
        if (
            self.options.api is Api.SCENARIO_8
            and relation is not None
            and self.event.name.endswith("_relation_broken")
        ):
            # As ops.main tells ops (and ops[testing] does): the relation being broken is
            # gone from model.relations, and get_relation(endpoint) no longer finds it;
            # by id it still does. Scenario 5.8.1 listed it.
            model_kwargs["broken_relation_id"] = relation.id
        model = ops.model.Model(meta, self.backend, **model_kwargs)
        self.recorder.model_factory = lambda over: ops.model.Model(meta, over, **model_kwargs)
        tell_peer_endpoints(self.backend, meta)
        self.store = _MemoryStore(self.state.deferred, self.state.stored_state)
        if self.state.deferred:
            self.store.complete_peer_snapshots(
                self.state, self.backend.app_name, self.backend._session.unit_id
            )
        kwargs: Dict[str, Any] = {"event_name": self.event.name}
        if "juju_debug_at" in _FRAMEWORK_PARAMS:
            kwargs["juju_debug_at"] = set()
        # ops types its store as SQLiteStorage | JujuStorage; ours has the same protocol.
        store = typing.cast(ops.storage.SQLiteStorage, self.store)
        framework = _ScenarioFramework(store, self.charm_dir, meta, model, **kwargs)
        framework._scenario_recorder = self.recorder
        self.framework = framework
        charm_type = self.target.wrapped_charm_type()
        try:
            with charm_construction(framework):
                self.charm = charm_type(framework)
        except ABORT as e:
            if e.exit_code != 0:
                raise
            self._aborted_in_init = True

    def emit(self) -> None:
        """Re-emit the deferred events, then emit the event on its owner."""
        if self.framework is None or (self.charm is None and not self._aborted_in_init):
            raise RuntimeError("setup() must run before emit()")
        if self._emitted:
            raise RuntimeError("the event was already emitted")
        self._emitted = True
        if self._aborted_in_init:
            return
        try:
            if self.event.name != "collect_metrics":
                self._warn_of_undeliverable_deferred()
                self.framework.reemit()
            custom = self.event.custom_event
            if custom is not None:
                bound = self._custom_bound_event(custom)
                args, kwargs = _ops_arguments(self, self.event)
            else:
                bound = self._bound_event()
                args, kwargs = self._event_args(bound)
                ops.framework.logger.debug("Emitting Juju event %s.", self.event.name)
            bound.emit(*args, **kwargs)
        except ABORT as e:
            if e.exit_code != 0:
                raise

    def _warn_of_undeliverable_deferred(self) -> None:
        """Say which of the State's deferred events ops will drop without a word: an
        event type the charm never observes, or an observer it does not have."""
        if not self.state.deferred:
            return
        framework = self.framework
        assert framework is not None
        types = registered_event_kinds(framework)
        observing = observers(framework)
        if types is None or observing is None:  # pragma: no cover - private to ops
            return
        for deferred in self.state.deferred:
            handle = ops.framework.Handle.from_path(deferred.handle_path)
            parent = handle.parent.path if handle.parent is not None else None
            if (parent, handle.kind) not in types:
                problem = f"the charm observes no event {handle.kind!r} on {parent!r}"
            elif deferred.owner not in observing:
                problem = f"the charm has no object {deferred.owner!r} observing it"
            elif not callable(getattr(observing[deferred.owner], deferred.observer, None)):
                problem = f"{deferred.owner!r} has no method {deferred.observer!r}"
            else:
                continue
            _warnings.warn(
                f"deferred event {deferred.handle_path}: {problem}, so ops drops it "
                "without re-emitting it",
                ScenarioWarning,
            )

    def commit(self) -> None:
        """Evaluate collect-status, then commit and close the framework."""
        if not self._emitted:
            raise RuntimeError("emit() must run before commit()")
        if self._committed:
            return
        self._committed = True
        assert self.framework is not None
        try:
            if self.charm is not None:
                evaluate_status(self.charm)
                self.framework.commit()
        finally:
            self.framework.close()
            self._release()

    def finalize(self) -> None:
        """Run whatever of setup, emit and commit has not run yet."""
        if self.framework is None:
            self.setup()
        if not self._emitted:
            self.emit()
        self.commit()

    def close(self) -> None:
        """Close the framework after a failure, so nothing outlives the run."""
        if self.framework is not None and not self._committed:
            self._committed = True
            self.framework.close()
            self._release()

    def _release(self) -> None:
        """Let the run's framework and charm be collected.

        ops caches each object's bound events in a WeakKeyDictionary on the class's ``on``
        whose values refer back to their key, so without this every run's Framework,
        Model, backend and charm would stay alive (and later runs slow down). The
        recorded events are detached from the run too.
        """
        self.recorder.finish(self.backend)
        release(self.framework, self.charm)

    def _custom_bound_event(self, custom: Any) -> ops.framework.BoundEvent:
        """The charm's own bound event for ops[testing]'s ``ctx.on.custom(bound_event)``:
        the attribute of this run's charm whose events object is the emitter's type."""
        assert self.charm is not None
        emitter_type = type(custom.emitter)
        kind = custom.event_kind
        for owner in _objects_of(self.charm):
            events = getattr(owner, "on", None)
            if isinstance(events, emitter_type):
                return getattr(events, kind)
        raise BadOwnerPath(
            f"no object of the charm has events of type {emitter_type.__name__} with "
            f"{kind!r}: the library emitting it must be an attribute of the charm"
        )

    def _bound_event(self) -> ops.framework.BoundEvent:
        owner: Any = self.charm
        path = self.event.owner_path
        for i, attr in enumerate(path):
            try:
                owner = getattr(owner, attr)
            except AttributeError:
                raise BadOwnerPath(
                    f"{'.'.join(path[: i + 1])!r} does not exist on the charm: "
                    f"event path {self.event.path!r} must lead to an ObjectEvents"
                ) from None
        if not isinstance(owner, ops.ObjectEvents):
            raise BadOwnerPath(
                f"{'.'.join(path)!r} is a {type(owner).__name__}, not an ObjectEvents"
            )
        try:
            bound = getattr(owner, self.event.name)
        except AttributeError:
            hint = (
                "to emit a custom event defined on another object, name its owner: "
                f"ctx.run('my_lib.on.{self.event.name}', state)"
                if path == ["on"]
                else "check the event name"
            )
            raise NoObserverError(
                f"cannot emit {self.event.path!r}: {type(owner).__name__} has no event "
                f"{self.event.name!r}; {hint}"
            ) from None
        if not isinstance(bound, ops.framework.BoundEvent):
            raise NoObserverError(f"{self.event.path!r} is not an event")
        return bound

    def _event_args(self, bound: ops.framework.BoundEvent) -> Tuple[List[Any], Dict[str, Any]]:
        """The arguments ops.main would emit the event with, taken from the event itself."""
        assert self.charm is not None
        model = self.charm.framework.model
        event_type = bound.event_type
        event = self.event
        if issubclass(event_type, ops.charm.WorkloadEvent):
            assert event.container is not None, "the consistency checker requires a container"
            args: List[Any] = [model.unit.get_container(event.container.name)]
            if issubclass(event_type, ops.charm.PebbleNoticeEvent):
                args.extend(
                    environ_get(k)
                    for k in ("JUJU_NOTICE_ID", "JUJU_NOTICE_TYPE", "JUJU_NOTICE_KEY")
                )
            elif getattr(ops.charm, "PebbleCheckEvent", None) and issubclass(
                event_type, ops.charm.PebbleCheckEvent
            ):
                args.append(environ_get("JUJU_PEBBLE_CHECK_NAME"))
            return args, {}
        if issubclass(event_type, ops.charm.SecretEvent):
            secret = event.secret
            args = [environ_get("JUJU_SECRET_ID"), secret.label if secret else None]
            if issubclass(event_type, (ops.charm.SecretRemoveEvent, ops.charm.SecretExpiredEvent)):
                args.append(event.secret_revision)
            return args, {}
        if issubclass(event_type, ops.charm.StorageEvent):
            storage = event.storage
            assert storage is not None, "the consistency checker requires a storage"
            storages = model.storages[storage.name]
            found = next((s for s in storages if s.index == storage.index), None)
            if found is None and len(storages) == 1:
                found = storages[0]
            if found is not None:
                found.location = self.backend.storage_get(
                    f"{storage.name}/{storage.index}", "location"
                )
            return [found], {}
        if issubclass(event_type, ops.charm.ActionEvent):
            if _ACTION_EVENT_TAKES_ID:
                return [environ_get("JUJU_ACTION_UUID")], {}
            return [], {}
        args = []
        kwargs: Dict[str, Any] = {}
        if issubclass(event_type, ops.charm.RelationEvent):
            relation = event.relation
            assert relation is not None, "the consistency checker requires a relation"
            args = [model.get_relation(relation.endpoint, relation.relation_id)]
            remote_app = environ_get("JUJU_REMOTE_APP")
            remote_unit = environ_get("JUJU_REMOTE_UNIT")
            departing = environ_get("JUJU_DEPARTING_UNIT")
            if remote_app:
                kwargs["app"] = model.get_app(remote_app)
            if remote_unit:
                kwargs["unit"] = model.get_unit(remote_unit)
            if departing:
                kwargs["departing_unit_name"] = departing
        return args, kwargs


def _objects_of(charm: Any) -> Iterator[Any]:
    """The charm, then each of its attributes that is an ops Object (its libraries)."""
    yield charm
    for value in vars(charm).values():
        if isinstance(value, ops.Object) and value is not charm:
            yield value


def _ops_arguments(ops_: Ops, event: Any) -> Tuple[List[Any], Dict[str, Any]]:
    """A custom event's arguments, with State objects turned into the ops objects the
    charm sees (ops[testing] converts them the same way)."""
    assert ops_.charm is not None
    model = ops_.charm.framework.model

    def convert(value: Any) -> Any:
        if isinstance(value, (Relation, PeerRelation, SubordinateRelation)):
            return model.get_relation(value.endpoint, value.id)
        if isinstance(value, Container):
            return model.unit.get_container(value.name)
        if isinstance(value, Storage):
            return next(s for s in model.storages[value.name] if s.index == value.index)
        if isinstance(value, Secret):
            return model.get_secret(id=value.id, label=value.label)
        if hasattr(value, "_to_ops"):
            return value._to_ops()
        return value

    args = [convert(a) for a in event.custom_event_args]
    kwargs = {k: convert(v) for k, v in event.custom_event_kwargs.items()}
    return args, kwargs


def _remote_unit_name() -> Optional[str]:
    return environ_get("JUJU_REMOTE_UNIT")
