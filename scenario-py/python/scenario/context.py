"""The Context: a charm type with its spec, what runs it, and what it records."""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import inspect
import logging
import shutil
import tempfile
import typing
import warnings
import weakref
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Type, Union

from scenario._process import run_turn
from scenario._scenario import Action, Event, MetadataNotFoundError, State, _CharmSpec
from scenario.runtime import Runtime, charm_call
from scenario.state import JujuLogLine

if typing.TYPE_CHECKING:  # pragma: no cover
    import ops

    from scenario.ops_main_mock import Ops

__all__ = [
    "ActionOutput",
    "AlreadyEmittedError",
    "Context",
    "ContextSetupError",
    "InvalidActionError",
    "InvalidEventError",
]

logger = logging.getLogger("ops-scenario.context")

_ENTITY_KINDS = ("relation", "workload", "storage", "secret")


class InvalidEventError(RuntimeError):
    """The event given to ``run`` is not an event, or is an action."""


class InvalidActionError(InvalidEventError):
    """The action given to ``run_action`` is not an action."""


class ContextSetupError(RuntimeError):
    """The Context could not be set up (for example, no metadata was found)."""


class AlreadyEmittedError(RuntimeError):
    """``run()`` was called twice on a manager."""


@dataclasses.dataclass
class ActionOutput:
    """What an action run produced: the output State and the action's own outputs."""

    state: State
    logs: List[str]
    results: Optional[Dict[str, Any]] = None
    failure: Optional[str] = None

    @property
    def success(self) -> bool:
        return self.failure is None


class Context:
    """A charm type and its metadata, config and actions; runs it and records side effects."""

    def __init__(
        self,
        charm_type: Type[ops.CharmBase],
        meta: Optional[Dict[str, Any]] = None,
        actions: Optional[Dict[str, Any]] = None,
        config: Optional[Dict[str, Any]] = None,
        charm_root: Optional[Union[str, Path]] = None,
        juju_version: str = "3.0.0",
        capture_deferred_events: bool = False,
        capture_framework_events: bool = False,
    ):
        if not any((meta, actions, config)):
            try:
                spec = _CharmSpec.autoload(charm_type)
            except MetadataNotFoundError as e:
                raise ContextSetupError(
                    f"cannot find the metadata of {charm_type.__name__}: pass meta= to Context, "
                    "or keep metadata.yaml (or charmcraft.yaml) in the charm root, the parent of "
                    "the directory holding the charm's source"
                ) from e
        else:
            spec = _CharmSpec(charm_type, meta or {"name": charm_type.__name__}, actions, config)
        self.charm_spec = spec
        self.charm_root = charm_root
        self.juju_version = juju_version
        self.capture_deferred_events = capture_deferred_events
        self.capture_framework_events = capture_framework_events

        self.juju_log: List[JujuLogLine] = []
        self.app_status_history: List[ops.StatusBase] = []
        self.unit_status_history: List[ops.StatusBase] = []
        self.workload_version_history: List[str] = []
        self.emitted_events: List[ops.EventBase] = []
        self.requested_storages: Dict[str, int] = {}
        self._action_logs: List[str] = []
        self._action_results: Optional[Dict[str, Any]] = None
        self._action_failure: Optional[str] = None
        self._output_state: Optional[State] = None

        self._meta_cache: Optional[ops.CharmMeta] = None
        self._juju_contexts: Dict[Any, Any] = {}
        self._wrapped: Optional[type] = None
        self._autoloaded_root: Optional[Path] = None
        self._tmp: Optional[Path] = None
        self._virtual_root: Optional[Path] = None

    # --- running --------------------------------------------------------------------------

    def run(
        self,
        event: Union[str, Event],
        state: State,
        pre_event: Optional[Callable[[ops.CharmBase], None]] = None,
        post_event: Optional[Callable[[ops.CharmBase], None]] = None,
    ) -> State:
        """Run the charm with ``event`` on ``state``; returns the output State."""
        event = self._coerce_event(event, state)
        if event._kind == "action":
            raise InvalidEventError(f"{event.name} is an action: use ctx.run_action(...)")
        self._warn_hooks(pre_event, post_event)
        with run_turn():  # the output is read before another thread's run replaces it
            with self._runtime().exec(state, event, self) as ops_:
                self._emit(ops_, pre_event, post_event)
                del ops_  # so the run is freed before the collector resumes (see _process.py)
            output = self._output_state
        assert output is not None
        return output

    def run_action(
        self,
        action: Union[str, Action],
        state: State,
        pre_event: Optional[Callable[[ops.CharmBase], None]] = None,
        post_event: Optional[Callable[[ops.CharmBase], None]] = None,
    ) -> ActionOutput:
        """Run the action on ``state``; returns its ActionOutput."""
        action = self._coerce_action(action)
        self._warn_hooks(pre_event, post_event)
        with run_turn():  # the output is read before another thread's run replaces it
            with self._runtime().exec(state, action.event, self) as ops_:
                self._emit(ops_, pre_event, post_event)
                del ops_  # so the run is freed before the collector resumes (see _process.py)
            return self._finalize_action()

    def manager(self, event: Union[str, Event], state: State) -> _EventManager:
        """A context manager giving the live charm before (``.charm``) and after ``.run()``."""
        return _EventManager(self, event, state)

    def action_manager(self, action: Union[str, Action], state: State) -> _ActionManager:
        """As ``manager``, for an action: ``.run()`` returns the ActionOutput."""
        return _ActionManager(self, action, state)

    def cleanup(self) -> None:
        """Forget what was recorded and remove the Context's files."""
        self.juju_log.clear()
        self.app_status_history.clear()
        self.unit_status_history.clear()
        self.workload_version_history.clear()
        self.emitted_events.clear()
        self.requested_storages.clear()
        self._action_logs = []
        self._action_results = None
        self._action_failure = None
        self._output_state = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
            self._virtual_root = None

    def clear(self) -> None:
        """Deprecated alias of ``cleanup()``."""
        warnings.warn(
            "Context.clear() is deprecated: use Context.cleanup()",
            DeprecationWarning,
            stacklevel=2,
        )
        self.cleanup()

    # --- helpers for runs -----------------------------------------------------------------

    def _runtime(self) -> Runtime:
        root = None if self.charm_root is None else str(self.charm_root)
        return Runtime(self.charm_spec, root, self.juju_version)

    @staticmethod
    def _warn_hooks(pre_event: Any, post_event: Any) -> None:
        if pre_event or post_event:
            warnings.warn(
                "pre_event and post_event are deprecated: use ctx.manager() to reach the charm",
                DeprecationWarning,
                stacklevel=3,
            )

    @staticmethod
    def _emit(ops_: Ops, pre_event: Any, post_event: Any) -> None:
        if pre_event:
            charm_call(lambda: pre_event(ops_.charm))
        charm_call(ops_.emit)
        if post_event:
            charm_call(lambda: post_event(ops_.charm))

    def _coerce_event(self, event: Union[str, Event], state: State) -> Event:
        if isinstance(event, str):
            event = Event(event)
        if not isinstance(event, Event):
            raise InvalidEventError(
                f"expected an event name or an Event, got {type(event).__name__}"
            )
        if event._kind in _ENTITY_KINDS and not _has_entity(event):
            # A relation (or container, storage, secret) event given by name is about the
            # one such entity in the State, when there is exactly one.
            try:
                event = event.bind(state)
            except Exception:
                pass
        return event

    @staticmethod
    def _coerce_action(action: Union[str, Action]) -> Action:
        if isinstance(action, str):
            return Action(action)
        if not isinstance(action, Action):
            raise InvalidActionError(
                f"expected an action name or an Action, got {type(action).__name__}"
            )
        return action

    def _finalize_action(self) -> ActionOutput:
        assert self._output_state is not None
        out = ActionOutput(
            self._output_state, self._action_logs, self._action_results, self._action_failure
        )
        self._action_logs = []
        self._action_results = None
        self._action_failure = None
        return out

    def _record(self, records: Optional[Dict[str, Any]]) -> None:
        if not records:
            return
        self.unit_status_history.extend(records["unit_status_history"])
        self.app_status_history.extend(records["app_status_history"])
        self.workload_version_history.extend(records["workload_version_history"])
        self.juju_log.extend(JujuLogLine(level, msg) for level, msg in records["juju_log"])
        self.requested_storages.update(records["requested_storages"])
        self._action_logs = list(records["action_logs"])
        self._action_results = records["action_results"]
        self._action_failure = records["action_failure"]

    def _wrapped_charm_type(self) -> type:
        """The subclass of the charm class the runs of this Context construct."""
        if self._wrapped is None:
            from scenario.ops_main_mock import _wrap

            self._wrapped = _wrap(self.charm_spec.charm_type)
        return self._wrapped

    def _juju_context(self, env: List[Any]) -> Any:
        """ops 3's JujuContext for a run's environment, made once per distinct one."""
        key = tuple(env)
        found = self._juju_contexts.get(key)
        if found is None:
            from ops.jujucontext import JujuContext

            if len(self._juju_contexts) > 64:
                self._juju_contexts.clear()
            found = self._juju_contexts[key] = JujuContext._from_dict(dict(env))
        return found

    def _charm_meta(self) -> ops.CharmMeta:
        """ops's CharmMeta, parsed once per Context."""
        if self._meta_cache is None:
            import ops

            spec = self.charm_spec
            params = inspect.signature(ops.CharmMeta.__init__).parameters
            kwargs: Dict[str, Any] = {}
            if "config_raw" in params:
                kwargs["config_raw"] = spec.config or {}
            self._meta_cache = ops.CharmMeta(spec.meta, spec.actions or {}, **kwargs)
        return self._meta_cache

    def _tmp_path(self) -> Path:
        """The Context's own directory, made on first use and removed with the Context."""
        if self._tmp is None:
            path = Path(tempfile.mkdtemp(prefix="scenario-ctx-"))
            weakref.finalize(self, shutil.rmtree, str(path), True)
            self._tmp = path
        return self._tmp

    def _charm_dir(self) -> Path:
        """What the charm sees as its charm directory.

        The user's ``charm_root`` when given; the real charm root when the spec was read
        from it; otherwise one directory per Context holding the spec's YAML files.
        """
        if self.charm_root is not None:
            return Path(self.charm_root)
        if self.charm_spec.is_autoloaded:
            if self._autoloaded_root is None:
                source = inspect.getfile(self.charm_spec.charm_type)
                self._autoloaded_root = Path(source).resolve().parent.parent
            return self._autoloaded_root
        if self._virtual_root is None:
            import yaml

            root = self._tmp_path() / "charm"
            root.mkdir(exist_ok=True)
            for name, doc in self._spec_files().items():
                (root / name).write_text(yaml.safe_dump(doc))
            self._virtual_root = root
        return self._virtual_root

    def _spec_files(self) -> Dict[str, Any]:
        spec = self.charm_spec
        return {
            "metadata.yaml": spec.meta,
            "config.yaml": spec.config or {},
            "actions.yaml": spec.actions or {},
        }

    @contextlib.contextmanager
    def _virtual_charm_root(self) -> Iterator[None]:
        """With a user's ``charm_root`` and a spec given to the Context, write the spec's
        YAML files there for the run, and put the user's own files back afterwards."""
        if self.charm_root is None or self.charm_spec.is_autoloaded:
            yield
            return
        import yaml

        root = Path(self.charm_root)
        saved: Dict[Path, Optional[str]] = {}
        for name, doc in self._spec_files().items():
            path = root / name
            saved[path] = path.read_text() if path.exists() else None
            if saved[path] is not None:
                logger.warning(
                    "%s in charm_root is replaced by the spec given to Context during the run",
                    path,
                )
            path.write_text(yaml.safe_dump(doc))
        try:
            yield
        finally:
            for path, text in saved.items():
                if text is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_text(text)

    def _get_container_root(self, container_name: str) -> Path:
        """The host directory standing for a container's root (not created)."""
        return self._tmp_path() / "containers" / container_name

    def _get_storage_root(self, name: str, index: int) -> Path:
        """The host directory standing for a storage's mount point (created)."""
        path = self._tmp_path() / "storages" / f"{name}-{index}"
        path.mkdir(parents=True, exist_ok=True)
        return path


def _has_entity(event: Event) -> bool:
    return any(
        getattr(event, attr) is not None for attr in ("relation", "container", "storage", "secret")
    )


class _Manager(abc.ABC):
    """Runs a charm up to the event, hands over the live charm, then finishes on ``run()``."""

    def __init__(self, ctx: Context, state: State):
        self._ctx = ctx
        self._state = state
        self._exec: Optional[contextlib.AbstractContextManager] = None
        self.ops: Optional[Ops] = None
        self.output: Any = None
        self._emitted = False

    @property
    def charm(self) -> ops.CharmBase:
        assert self.ops is not None and self.ops.charm is not None, (
            "use the manager in a with block"
        )
        return self.ops.charm

    @abc.abstractmethod
    def _event(self) -> Event:
        """The event this manager runs."""

    def __enter__(self) -> _Manager:
        self._exec = self._ctx._runtime().exec(self._state, self._event(), self._ctx)
        self.ops = self._exec.__enter__()
        return self

    def run(self) -> Any:
        """Emit the event, commit, and return the output."""
        if self._emitted:
            raise AlreadyEmittedError("this manager has already run the event")
        self._emitted = True
        assert self._exec is not None and self.ops is not None
        exec_, self._exec = self._exec, None
        with run_turn():  # the output is read before another thread's run replaces it
            try:
                charm_call(self.ops.emit)
            except BaseException as e:
                if not exec_.__exit__(type(e), e, e.__traceback__):
                    raise
            else:
                exec_.__exit__(None, None, None)
            self.output = self._output()
        return self.output

    def _output(self) -> Any:
        return self._ctx._output_state

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._emitted:
            return
        if exc is not None:
            # The block failed: close the run without emitting, and let its error through.
            assert self._exec is not None
            exec_, self._exec = self._exec, None
            self._emitted = True
            with contextlib.suppress(Exception):
                exec_.__exit__(exc_type, exc, tb)
            return
        self.run()


class _EventManager(_Manager):
    def __init__(self, ctx: Context, event: Union[str, Event], state: State):
        super().__init__(ctx, state)
        event = ctx._coerce_event(event, state)
        if event._kind == "action":
            raise InvalidEventError(f"{event.name} is an action: use ctx.action_manager(...)")
        self._evt = event

    def _event(self) -> Event:
        return self._evt


class _ActionManager(_Manager):
    def __init__(self, ctx: Context, action: Union[str, Action], state: State):
        super().__init__(ctx, state)
        self._action = ctx._coerce_action(action)

    def _event(self) -> Event:
        return self._action.event

    def _output(self) -> ActionOutput:
        return self._ctx._finalize_action()
