"""The Context: a charm type with its spec, what runs it, and what it records.

One ``Context`` serves both APIs, and the event given to a run says which one the run
speaks:

- Scenario 5: ``ctx.run("start", state)`` or ``ctx.run(Event(...), state)``,
  ``ctx.run_action(...)`` (an ``ActionOutput``), ``ctx.manager(...)``;
- ops[testing] (Scenario 7 and 8): ``ctx.run(ctx.on.start(), state)`` (an action's
  failure raises ``ActionFailed``; results go to ``ctx.action_results``), and
  ``with ctx(ctx.on.start(), state) as mgr``.

Both reach the one engine in ``scenario._runtime`` with ``RunOptions``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import sys
import threading
import typing
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Dict, Generic, List, Optional, Tuple, Type, Union

from scenario_rs import _recording, _warnings
from scenario_rs._events import CharmEvents
from scenario_rs._options import RunOptions, _uncaught
from scenario_rs._run import Run
from scenario_rs._scenario import (
    Action,
    Api,
    Event,
    MetadataNotFoundError,
    RunResult,
    State,
    _CharmSpec,
    environ_get,
)
from scenario_rs._scenario import classify_event as _classify_event
from scenario_rs._target import CharmUnderTest
from scenario_rs.errors import (
    AlreadyEmittedError,
    ContextSetupError,
    InvalidActionError,
    InvalidEventError,
    NoObserverError,
    ScenarioDeprecationWarning,
    ScenarioRuntimeError,
)
from scenario_rs.state import CharmType, JujuLogLine, _Event

# A JujuLogLine from a (level, message) pair, made in C (a long juju-log takes hundreds).
_juju_log_line = functools.partial(tuple.__new__, JujuLogLine)

if typing.TYPE_CHECKING:  # pragma: no cover
    import ops
    import ops as _ops

    from scenario_rs.ops_main_mock import Ops

__all__ = [
    "ActionOutput",
    "AlreadyEmittedError",
    "CharmEvents",
    "Context",
    "ContextSetupError",
    "InvalidActionError",
    "InvalidEventError",
    "Manager",
]

logger = logging.getLogger("ops-scenario.context")

# ops[testing]'s default Juju version (a Scenario 5 run's is 3.0).
_DEFAULT_JUJU_VERSION = Api.SCENARIO_8.default_juju_version

_ENTITY_KINDS = ("relation", "workload", "storage", "secret")


def _strict_from_env() -> bool:
    return (environ_get("SCENARIO_STRICT") or "").lower() in ("1", "true", "yes", "on")


@dataclasses.dataclass
class ActionOutput:
    """What one run of an action gave (Scenario 5's ``ctx.run_action``): the output State,
    and what the charm reported with the action hook tools.

    ops[testing] has no such object: there, ``ctx.run(ctx.on.action(...), state)`` returns
    the output State, the results and logs are on the Context (``ctx.action_results``,
    ``ctx.action_logs``), and a failed action raises ``ActionFailed``.
    """

    state: State
    """The State after the action ran."""

    logs: List[str]
    """The messages the charm logged with ``action-log`` (``event.log(...)``), in order."""

    results: Optional[Dict[str, Any]] = None
    """The results the charm set with ``action-set`` (``event.set_results(...)``), or
    ``None`` when it set none."""

    failure: Optional[str] = None
    """The message the charm failed the action with (``action-fail``, ``event.fail()``), or
    ``None`` when it did not fail it."""

    @property
    def success(self) -> bool:
        """Whether the action succeeded: ``True`` unless the charm called ``event.fail()``."""
        return self.failure is None


def _action_failed() -> type:
    """ops[testing]'s ``ActionFailed``: ops's own class where ops has it."""
    try:
        from ops.testing import ActionFailed
    except ImportError:  # pragma: no cover - ops without Harness's ActionFailed
        return _ActionFailedFallback
    return ActionFailed


class _ActionFailedFallback(Exception):
    """An action's failure, on an ops too old to define ``ActionFailed``."""

    def __init__(self, message: str, output: Any = None, *, state: Any = None):
        super().__init__(message)
        self.message = message
        self.output = output
        self.state = state


def _raise_action_failed(message: str, state: State) -> typing.NoReturn:
    cls = _action_failed()
    # As ops[testing] gives it: the outputs are on the Context, the output is empty.
    try:
        from ops.testing import ActionOutput

        output: Any = ActionOutput([], {})
    except ImportError:  # pragma: no cover - ops without Harness's ActionOutput
        output = None
    try:
        error = cls(message, output, state=state)
    except TypeError:
        # ops before 2.17: ActionFailed takes no state (and, on 2.10, needs the output), so
        # the state is set after.
        error = cls(message, output)
        error.state = state
        error.args = (message,)  # ops 2.10's says its args tuple (message, output) as str()
    raise error


class Context(Generic[CharmType]):
    """The charm under test and the Juju deployment it runs in: its class with its metadata,
    config and actions, and who the unit is (application name, unit number, Juju version).
    A test makes one Context and runs the charm with it, once or many times.

    Each run takes a ``State`` and an event and returns the output State::

        ctx = Context(MyCharm, meta={"name": "my-charm"})
        out = ctx.run(ctx.on.start(), State(leader=True))
        assert out.unit_status == ActiveStatus()

    What a run does that is not State, the Context records, adding to its lists run after
    run: ``juju_log``, ``unit_status_history``, ``app_status_history``,
    ``workload_version_history``, ``emitted_events``, ``exec_history``,
    ``requested_storages``, ``removed_secret_revisions``, ``action_logs``,
    ``action_results`` and ``trace_data``. ``cleanup()`` forgets them.

    To reach the charm object itself before and after the event, run it in a ``with``
    block (ops[testing])::

        with ctx(ctx.on.start(), State()) as manager:
            manager.charm.prepare()
            out = manager.run()
            assert manager.charm.ready

    One Context serves both testing APIs, and the event given says which one a run speaks:
    an event from ``ctx.on`` runs as ops[testing] (ops-scenario 7 and 8) runs it; an event
    name (``ctx.run("start", state)``), an ``Event``, ``run_action`` and ``manager`` run as
    Scenario 5 did.

    The Context's files (the containers' and storages' filesystems) are in a temporary
    directory, removed by ``close()``, at the end of a ``with Context(...) as ctx`` block,
    or when the Context is garbage-collected.
    """

    on: CharmEvents
    """The events to run the charm with (ops[testing]), each a factory that makes an event
    about an entity of the State: ``ctx.run(ctx.on.relation_changed(relation), state)``."""

    charm_root: Optional[Union[str, Path]]
    """The directory the charm sees as its charm directory (``JUJU_CHARM_DIR``), when the
    test gave one; ``None`` when the Context provides it."""

    capture_deferred_events: bool
    """Whether ``emitted_events`` also records the deferred events a run emits again."""

    capture_framework_events: bool
    """Whether ``emitted_events`` also records ops's own framework events (``pre_commit``,
    ``commit``, ``collect_app_status``, ``collect_unit_status``)."""

    app_trusted: bool
    """Whether the application is trusted (deployed with ``--trust``, or ``juju trust``),
    which ``credential-get`` (``self.model.get_cloud_spec()``) requires."""

    juju_log: List[JujuLogLine]
    """Every line the charm sent to ``juju-log`` (ops's logging handler sends its
    ``logging`` records there), as ``JujuLogLine(level, message)``, in order."""

    unit_status_history: List[ops.StatusBase]
    """The unit statuses the charm replaced, oldest first: each status set appends the one
    it replaced, so the first is the input State's (``UnknownStatus()`` by default) and the
    current one is not here but in the output State's ``unit_status``."""

    app_status_history: List[ops.StatusBase]
    """The application statuses the charm replaced, oldest first: each status set appends
    the one it replaced; the current one is the output State's ``app_status``."""

    workload_version_history: List[str]
    """The workload versions the charm replaced with ``application-version-set``, oldest
    first (an unset, empty version is not recorded); the current one is the output State's
    ``workload_version``."""

    emitted_events: List[ops.EventBase]
    """The events ops emitted to the charm, in order: the run's event and the custom events
    the charm and its libraries emitted. With ``capture_deferred_events``, also the deferred
    events emitted again; with ``capture_framework_events``, also ops's framework events.
    Each is the event as its observer saw it (``event.relation``, ``event.params``...)."""

    requested_storages: Dict[str, int]
    """Storage name to how many instances the charm requested with ``storage-add``
    (``self.unit.add_storage(...)``)."""

    removed_secret_revisions: List[int]
    """The secret revisions the charm removed (``secret-remove --revision``), in order."""

    trace_data: List[Any]
    """The OpenTelemetry spans (``ReadableSpan``) the runs produced, when ``ops[tracing]``
    is installed; empty otherwise. Assert on parents and names rather than on order."""

    action_logs: List[str]
    """The messages the charm logged with ``action-log`` (``event.log(...)``) in action
    runs; empty for other events."""

    action_results: Optional[Dict[str, Any]]
    """The results the charm set with ``action-set`` (``event.set_results(...)``) in the
    last action run, or ``None`` when it set none."""

    def __init__(
        self,
        charm_type: Type[CharmType],
        meta: Optional[Dict[str, Any]] = None,
        actions: Optional[Dict[str, Any]] = None,
        config: Optional[Dict[str, Any]] = None,
        charm_root: Optional[Union[str, Path]] = None,
        juju_version: Optional[str] = None,
        capture_deferred_events: bool = False,
        capture_framework_events: bool = False,
        *,
        app_name: Optional[str] = None,
        unit_id: Optional[int] = None,
        machine_id: Optional[str] = None,
        availability_zone: Optional[str] = None,
        principal_unit: Optional[str] = None,
        app_trusted: bool = False,
        strict: Optional[bool] = None,
    ):
        """Set up the charm ``charm_type`` for runs.

        :arg charm_type: the charm's class, a subclass of ``ops.CharmBase``.
        :arg meta: the charm's metadata, as ``metadata.yaml`` holds it, or a whole
            ``charmcraft.yaml`` as a dict (its ``config`` and ``actions`` are then read from
            it). When ``meta``, ``actions`` and ``config`` are all left out, the three are
            read from the charm root, the parent of the directory holding the charm's
            source: its ``charmcraft.yaml`` (with the ``extensions`` it names merged in), or
            ``metadata.yaml``, ``config.yaml`` and ``actions.yaml``.
        :arg actions: the charm's actions, as ``actions.yaml`` holds them.
        :arg config: the charm's config options, as ``config.yaml`` holds them (with
            ``options`` at the top).
        :arg charm_root: the directory the charm sees as its charm directory, for a charm
            that reads files there; the spec given to the Context is written into it for
            each run, and the files it replaced put back after. Default: the charm's own
            root when the spec was read from it, else a directory of the Context's own.
        :arg juju_version: the Juju version the unit runs under (``JUJU_VERSION``). Default:
            3.6.14 in ops[testing] runs, 3.0 in Scenario 5 runs.
        :arg capture_deferred_events: record in ``emitted_events`` the deferred events a run
            emits again.
        :arg capture_framework_events: record in ``emitted_events`` ops's framework events
            (``pre_commit``, ``commit``, ``collect_*_status``).
        :arg app_name: the application's name. Default: the charm's name, from its
            metadata.
        :arg unit_id: this unit's number, so that the unit is ``<app_name>/<unit_id>``
            (``JUJU_UNIT_NAME``). Default: a Scenario 5 State's ``unit_id``, else 0.
        :arg machine_id: the machine the unit is on (``JUJU_MACHINE_ID``), for a machine
            charm. Default: unset.
        :arg availability_zone: the unit's availability zone
            (``JUJU_AVAILABILITY_ZONE``). Default: unset.
        :arg principal_unit: the principal unit of a subordinate charm
            (``JUJU_PRINCIPAL_UNIT``). Default: unset.
        :arg app_trusted: whether the application is trusted (``juju trust``), which
            ``credential-get`` requires. Default: ``False``.
        :arg strict: turn every ``JujuStricterWarning`` (something the original library
            let pass but Juju would refuse) into the error Juju would give. Default: the
            ``SCENARIO_STRICT`` environment variable, else ``False``.

        :raises ContextSetupError: when the metadata cannot be found or read, or is not one
            charmcraft accepts.
        """
        _check_charm_type(charm_type)
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
            if meta is not None and not isinstance(meta, Mapping):
                hint = ": load YAML with yaml.safe_load first" if isinstance(meta, str) else ""
                raise ContextSetupError(
                    f"meta must be a mapping (metadata.yaml's content), got "
                    f"{type(meta).__name__}{hint}"
                )
            meta = dict(meta or {"name": charm_type.__name__})
            # A whole charmcraft.yaml may be given as meta (ops[testing]).
            for key, given in (("actions", actions), ("config", config)):
                if key in meta:
                    if given is not None:
                        raise ValueError(
                            f"Cannot specify {key} in both charmcraft.yaml and separately"
                        )
            actions = meta.pop("actions", actions)
            config = meta.pop("config", config)
            try:
                spec = _CharmSpec(charm_type, meta, actions, config)
            except TypeError as e:
                raise ContextSetupError(f"the charm's spec cannot be read: {e}") from e
        problems = spec._shape_problems()
        errors = [f"{path} {problem}" for path, problem, stricter in problems if not stricter]
        if errors:
            raise ContextSetupError(
                "the charm's spec is not one charmcraft accepts: " + "; ".join(errors)
            )
        for path, problem, _ in problems:
            # What the originals took though Juju would not: a warning, an error if strict.
            message = f"the charm's spec is not one charmcraft accepts: {path} {problem}"
            if strict if strict is not None else _strict_from_env():
                raise ContextSetupError(message)
            _warnings.warn_stricter(message)
        self._spec = spec
        self.charm_root = charm_root
        self._juju_version_given = juju_version
        self.capture_deferred_events = capture_deferred_events
        self.capture_framework_events = capture_framework_events
        self._app_name = app_name
        self._unit_id = unit_id
        self._machine_id = machine_id
        self._availability_zone = availability_zone
        self._principal_unit = principal_unit
        self.app_trusted = app_trusted
        self._strict = strict
        self._charm = CharmUnderTest(spec, charm_root)
        self.on = CharmEvents()

        self.juju_log = []
        self.app_status_history = []
        self.unit_status_history = []
        self.workload_version_history = []
        self.emitted_events = []
        self.requested_storages = {}
        self._exec_history: Dict[str, List[Any]] = {}
        self.removed_secret_revisions = []
        self.trace_data = []
        self.action_logs = []
        self.action_results = None
        self._action_failure_message: Optional[str] = None
        self._outputs = threading.local()
        self._last_options: Optional[Tuple[Tuple[Any, ...], RunOptions]] = None
        #: The runs in progress (a run may start inside another's manager block).
        self._live_runs: List[Run] = []

    # --- who the unit is --------------------------------------------------------------------

    @property
    def juju_version(self) -> str:
        """The Juju version the runs simulate (``JUJU_VERSION``). When none was given, each
        run takes its API's default, 3.6.14 for ops[testing] and 3.0 for Scenario 5; this
        then reads as the former."""
        return self._juju_version_given or Api.SCENARIO_8.default_juju_version

    @juju_version.setter
    def juju_version(self, value: str) -> None:
        self._juju_version_given = value

    @property
    def app_name(self) -> str:
        """The name of the application the unit belongs to: the ``app_name`` given, or the
        charm's name from its metadata."""
        return self._app_name or self._spec.app_name or ""

    @property
    def _charm_spec(self) -> _CharmSpec:
        """The charm type with its metadata, config and actions (the name ops[testing]'s
        own code and plugins such as pytest-interface-tester read)."""
        return self._spec

    @property
    def charm_spec(self) -> _CharmSpec:
        """Deprecated, as in ops[testing]: the charm type with its metadata, config and
        actions. Read ``ctx.app_name``, the charm's metadata, or ``State.from_context(ctx)``
        instead."""
        warnings.warn(
            "Context.charm_spec is deprecated: use State.from_context to make a State from "
            "the charm's metadata, or read the metadata directly",
            ScenarioDeprecationWarning,
            stacklevel=2,
        )
        return self._spec

    @property
    def unit_id(self) -> int:
        """This unit's number, as in ``<app_name>/<unit_id>``: the ``unit_id`` given, or 0
        (a Scenario 5 run then takes its State's ``unit_id``)."""
        return self._unit_id or 0

    @property
    def strict(self) -> bool:
        """Whether what Juju would refuse is an error rather than a ``JujuStricterWarning``:
        the ``strict`` given, or the ``SCENARIO_STRICT`` environment variable."""
        return self._strict if self._strict is not None else _strict_from_env()

    @property
    def exec_history(self) -> Dict[str, List[Any]]:
        """Container name to the commands the charm ran there with Pebble's ``exec``, in
        order, as ops's ``ExecArgs`` (``command``, ``environment``, ``working_dir``,
        ``stdin``...). Up to date during a run too (inside ``with ctx(...)``)."""
        for run in self._live_runs:
            self._take_exec(run, run.exec_history())
        return self._exec_history

    @exec_history.setter
    def exec_history(self, value: Dict[str, List[Any]]) -> None:
        self._exec_history = value

    # --- Scenario 5's names for the action records ------------------------------------------

    @property
    def _action_logs(self) -> List[str]:
        return self.action_logs

    @_action_logs.setter
    def _action_logs(self, value: List[str]) -> None:
        self.action_logs = value

    @property
    def _action_results(self) -> Optional[Dict[str, Any]]:
        return self.action_results

    @_action_results.setter
    def _action_results(self, value: Optional[Dict[str, Any]]) -> None:
        self.action_results = value

    @property
    def _action_failure(self) -> Optional[str]:
        return self._action_failure_message

    @_action_failure.setter
    def _action_failure(self, value: Optional[str]) -> None:
        self._action_failure_message = value

    # --- running ----------------------------------------------------------------------------

    def run(
        self,
        event: Union[str, Event],
        state: State,
        pre_event: Optional[Callable[[ops.CharmBase], None]] = None,
        post_event: Optional[Callable[[ops.CharmBase], None]] = None,
    ) -> State:
        """Run the charm once: set up the unit as ``state`` says, emit ``event`` on the
        charm, and return the output State, as Juju and Pebble hold it after the charm
        handled the event (and ops's collect-status and commit ran).

        Before the charm runs, the State and the event are checked against the charm's
        metadata: what Juju could not produce raises ``InconsistentScenarioError``. An
        exception the charm raises comes out as ``UncaughtCharmError``, the charm's
        exception as its ``__cause__``.

        :arg event: an event from ``ctx.on``, such as ``ctx.on.start()`` or
            ``ctx.on.relation_changed(relation)``: the run speaks ops[testing]'s API (an
            action the charm fails raises ``ActionFailed``; the results are in
            ``ctx.action_results``). Or, in Scenario 5's API, an event name
            (``"start"``, ``"db-relation-changed"``, bound to the State's one relation on
            ``db``) or an ``Event``; an action is then run with ``run_action``.
        :arg state: the State the run starts from; it is not changed.
        :arg pre_event: Scenario 5, deprecated: called with the charm before the event is
            emitted. Use ``ctx.manager(...)`` instead.
        :arg post_event: Scenario 5, deprecated: called with the charm after the event.
        """
        if isinstance(event, _Event):
            if pre_event or post_event:
                raise TypeError("pre_event and post_event are Scenario 5's: use ctx(...) instead")
            # As ops[testing]: the run's scope, its charm let go as the run closes (nothing
            # reads it after); the output is the run's result.
            scope = self._run(event=event, state=state, keep_charm=False)
            with scope as ops_:
                ops_.run()
            if isinstance(scope, _RunScope):
                return scope.output  # type: ignore[no-any-return]
            # A scope a test put in place of ctx._run's leaves its output as ops[testing]'s.
            return self._output_state  # type: ignore[return-value]
        event = self._coerce_event(event, state)
        if event._kind == "action":
            raise InvalidEventError(f"{event.name} is an action: use ctx.run_action(...)")
        self._warn_hooks(pre_event, post_event)
        scope = self._run(event=event, state=state, keep_charm=False)
        with scope as run:
            self._run_hooks(run, pre_event, post_event)
        return scope.output

    def run_action(
        self,
        action: Union[str, Action],
        state: State,
        pre_event: Optional[Callable[[ops.CharmBase], None]] = None,
        post_event: Optional[Callable[[ops.CharmBase], None]] = None,
    ) -> ActionOutput:
        """Run an action of the charm on ``state`` (Scenario 5's API) and return its
        ``ActionOutput``: the output State, and the logs, results and failure message the
        charm reported. A failed action does not raise; check ``output.success``.

        ops[testing] runs an action with ``ctx.run(ctx.on.action(name, params=...), state)``
        instead.

        :arg action: the action's name, or an ``Action`` with its ``params``.
        :arg state: the State the run starts from.
        :arg pre_event: deprecated: called with the charm before the action's event.
        :arg post_event: deprecated: called with the charm after it.
        """
        self._warn_hooks(pre_event, post_event)
        scope = self._run_action(action=self._coerce_action(action), state=state)
        with scope as run:
            self._run_hooks(run, pre_event, post_event)
        return self._finalize_action(scope)

    def _run_action(self, action: Union[str, Action], state: State) -> _RunScope:
        """One action run as a context manager (Scenario 5's private ``_run_action``,
        which some suites patch): ``_run`` of the action's event."""
        action = self._coerce_action(action)
        return self._run(event=action.event, state=state, keep_charm=False)

    @staticmethod
    def _run_hooks(run: Run, pre_event: Any, post_event: Any) -> None:
        """Scenario 5's run with its hooks: each a step of the charm's (its errors are the
        charm's), around the event."""
        if pre_event:
            run.call(lambda: pre_event(run.charm))
        run.run()
        if post_event:
            run.call(lambda: post_event(run.charm))

    def manager(self, event: Union[str, Event], state: State) -> _EventManager:
        """Scenario 5's way to reach the charm object around a run: a context manager that
        sets up the run on entry; ``.charm`` is the charm, ``.run()`` emits ``event`` and
        returns the output State, and leaving the block runs the event if ``run()`` was
        not called. ops[testing] writes ``with ctx(event, state)`` instead::

            with ctx.manager("start", State()) as manager:
                manager.charm.prepare()
                out = manager.run()
        """
        return _EventManager(self, event, state)

    def action_manager(self, action: Union[str, Action], state: State) -> _ActionManager:
        """Scenario 5's ``manager`` for an action: ``.charm`` is the charm, ``.run()`` runs
        the action and returns its ``ActionOutput``.

        :arg action: the action's name, or an ``Action`` with its ``params``.
        :arg state: the State the run starts from.
        """
        return _ActionManager(self, action, state)

    def __call__(self, event: _Event, state: State) -> Manager:
        """Run the charm in a ``with`` block, to reach the charm object before and after
        the event (ops[testing]): entering sets up the run and constructs the charm;
        ``manager.run()`` emits the event and returns the output State; leaving the block
        runs the event if the block did not::

            with ctx(ctx.on.update_status(), State()) as manager:
                manager.charm._refresh_cache()
                out = manager.run()
                assert manager.charm.cache_is_fresh

        :arg event: an event from ``ctx.on``.
        :arg state: the State the run starts from.
        """
        return Manager(self, event, state)

    def _run(
        self,
        event: Event,
        state: State,
        *,
        keep_charm: bool = True,
        runtime: Any = None,
    ) -> _RunScope:
        """One run as a context manager (ops[testing]'s private ``Context._run``): entering
        checks the scenario and constructs the charm, and gives the run (``.run()`` emits
        the event, ``.charm`` is the charm); leaving finishes it (collect-status, commit,
        the output State), closes it, and takes its records. The run speaks ops[testing]'s
        API for an event from ``ctx.on``, Scenario 5's otherwise."""
        api = Api.SCENARIO_8 if isinstance(event, _Event) else Api.SCENARIO_5
        return _RunScope(self, event, state, api, keep_charm, runtime)

    @property
    def _output_state(self) -> Optional[State]:
        """The output of the last run this thread made with this Context (ops[testing]'s
        private name); each thread reads its own."""
        return getattr(self._outputs, "state", None)

    @_output_state.setter
    def _output_state(self, value: Optional[State]) -> None:
        self._outputs.state = value

    def cleanup(self) -> None:
        """Forget what the runs recorded (``juju_log``, the status histories,
        ``emitted_events``, the action results...) and remove the Context's files, so that
        the next run starts as the first did."""
        self.juju_log.clear()
        self.app_status_history.clear()
        self.unit_status_history.clear()
        self.workload_version_history.clear()
        self.emitted_events.clear()
        self.requested_storages.clear()
        self._exec_history.clear()
        self.removed_secret_revisions.clear()
        self.action_logs = []
        self.action_results = None
        self._action_failure_message = None
        self._output_state = None
        self._charm.cleanup()

    def clear(self) -> None:
        """Deprecated (Scenario 5): the same as ``cleanup()``, with a
        ``DeprecationWarning``."""
        warnings.warn(
            "Context.clear() is deprecated: use Context.cleanup()",
            DeprecationWarning,
            stacklevel=2,
        )
        self.cleanup()

    def close(self) -> None:
        """Remove the Context's files, the containers' and storages' filesystems
        (ops[testing]); what the runs recorded is kept. A ``with Context(...) as ctx``
        block does it on exit."""
        self._charm.cleanup()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- the filesystems a test inspects ----------------------------------------------------

    @property
    def _tmp_path(self) -> Path:
        return self._charm.tmp_path()

    @property
    def _tmp(self) -> _ContextFiles:
        return _ContextFiles(self._charm)

    def _get_container_root(self, container_name: str) -> Path:
        """The host directory standing for a container's root (not created)."""
        return self._charm.container_root(container_name)

    def _get_storage_root(self, name: str, index: int) -> Path:
        """The host directory standing for a storage's mount point (created)."""
        return self._charm.storage_root(name, index)

    # --- one run, as each API describes it --------------------------------------------------

    def _options(self, api: Api) -> RunOptions:
        fields = (
            api,
            self._juju_version_given or api.default_juju_version,
            self._unit_id,
            self._app_name,
            self._machine_id,
            self._availability_zone,
            self._principal_unit,
            self.app_trusted,
            self.capture_deferred_events,
            self.capture_framework_events,
            self.strict,
        )
        # The same options as the last run's (as a Context's runs mostly are): the same
        # object, immutable, rather than a new one each run.
        last = self._last_options
        if last is None or last[0] != fields:
            last = self._last_options = (fields, RunOptions(*fields))
        return last[1]

    # --- what runs leave: merged here, and nowhere else ------------------------------------

    def _begin_run(self, run: Run) -> None:
        """A run of this Context starts. ops[testing] clears the action records of a reused
        Context before an action run (the results dict in place)."""
        if run.options.api is Api.SCENARIO_8 and run.event.action is not None:
            self.action_logs.clear()
            if self.action_results is not None:
                self.action_results.clear()
            self._action_failure_message = None
        self._live_runs.append(run)

    def _end_run(self, run: Run) -> None:
        """A run of this Context ended: merge its result into the histories, once."""
        if run in self._live_runs:
            self._live_runs.remove(run)
        result = run.result
        if result is None or run.merged:
            return
        run.merged = True
        self._merge_result(result, run)
        if result.output is not None:
            self._output_state = result.output

    def _merge_result(self, result: RunResult, run: Run) -> None:
        self.emitted_events.extend(result.emitted_events)
        self.unit_status_history.extend(result.unit_status_history)
        self.app_status_history.extend(result.app_status_history)
        self.workload_version_history.extend(result.workload_version_history)
        self.juju_log.extend(map(_juju_log_line, result.juju_log))
        self.requested_storages.update(result.requested_storages)
        self.removed_secret_revisions.extend(result.removed_secret_revisions)
        self.trace_data.extend(result.trace_data)
        self._take_exec(run, result.exec_history)
        if run.options.api is Api.SCENARIO_8:
            self.action_logs.extend(result.action_logs)
            results = result.action_results
            if results is not None:
                if self.action_results:
                    self.action_results.update(results)
                else:
                    self.action_results = results
        else:
            self.action_logs = list(result.action_logs)
            self.action_results = result.action_results
        self._action_failure_message = result.action_failure

    def _take_exec(self, run: Run, history: Dict[str, List[Any]]) -> None:
        """Add to ``exec_history`` what the run recorded since the last look."""
        for container, commands in history.items():
            taken = run.exec_taken.get(container, 0)
            if len(commands) > taken:
                self._exec_history.setdefault(container, []).extend(commands[taken:])
                run.exec_taken[container] = len(commands)

    @staticmethod
    def _warn_hooks(pre_event: Any, post_event: Any) -> None:
        if pre_event or post_event:
            warnings.warn(
                "pre_event and post_event are deprecated: use ctx.manager() to reach the charm",
                DeprecationWarning,
                stacklevel=3,
            )

    def _coerce_event(self, event: Union[str, Event], state: State) -> Event:
        if isinstance(event, str):
            event = Event(event)
        if not isinstance(event, Event):
            if callable(event):
                raise TypeError(
                    "You should call the event method. Did you forget to add parentheses?"
                )
            raise InvalidEventError(
                f"expected an event name or an Event, got {type(event).__name__}"
            )
        if (
            event._kind in _ENTITY_KINDS
            and not _has_entity(event)
            and _one_candidate(event, state)
        ):
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

    def _finalize_action(self, scope: _RunScope) -> ActionOutput:
        """Scenario 5's ActionOutput of a finished action run, whose records the Context
        then forgets (as 5.8.1 did)."""
        result = scope.result
        assert result is not None and result.output is not None, "the run has finished"
        out = ActionOutput(
            result.output,
            list(result.action_logs),
            result.action_results,
            result.action_failure,
        )
        self.action_logs = []
        self.action_results = None
        self._action_failure_message = None
        return out


class _ContextFiles:
    """Scenario 5's ``ctx._tmp`` (a ``tempfile.TemporaryDirectory`` there), which suites
    read files through: ``name`` is the path of the Context's files."""

    def __init__(self, charm: CharmUnderTest) -> None:
        self._charm = charm

    @property
    def name(self) -> str:
        return str(self._charm.tmp_path())

    def cleanup(self) -> None:
        self._charm.cleanup()

    def __fspath__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<_ContextFiles {self.name!r}>"


def _is_the_charms(exc: BaseException) -> bool:
    """Whether an error raised in a run's block is to be the charm's (ops[testing]): any
    exception but those a run documents as passing through."""
    if not isinstance(exc, Exception):
        return False
    return not isinstance(exc, (ScenarioRuntimeError, NoObserverError, _action_failed()))


def _check_charm_type(charm_type: Any) -> None:
    """A Context runs a charm class: a subclass of ``ops.CharmBase``."""
    import ops

    if not (isinstance(charm_type, type) and issubclass(charm_type, ops.CharmBase)):
        raise ContextSetupError(
            f"charm_type must be a subclass of ops.CharmBase, got {charm_type!r}: pass the "
            "charm class itself, such as Context(MyCharm, ...)"
        )


def _one_candidate(event: Event, state: State) -> bool:
    """Whether the State has no more than one relation (or storage) the event could be
    about: ``ctx.run`` binds a named event only then, never guessing."""
    _, prefix = _classify_event(event.name)
    if event._kind == "relation":
        return len(state.get_relations(prefix or "")) <= 1
    if event._kind == "storage":
        return sum(s.name.replace("-", "_") == prefix for s in state.storages) <= 1
    return True


def _has_entity(event: Event) -> bool:
    return any(
        getattr(event, attr) is not None for attr in ("relation", "container", "storage", "secret")
    )


class _RunScope:
    """``ctx._run(event, state)``: one run as a context manager (what ops[testing]'s private
    ``Context._run`` is, and what every way to run a charm goes through).

    Entering opens the run (the consistency check, the environment, the charm
    constructed) and gives the ``Run``. Leaving without an error finishes it (emitting the
    event if the block did not, then collect-status and commit) and takes the output
    State; leaving either way closes the run and hands its records to the Context. Under
    ops[testing], an action that failed then raises ``ActionFailed``.

    The charm's model keeps answering after the scope ends, from the output State, for
    what a test keeps of the run (``mgr.charm`` after ``mgr.run()``).
    """

    def __init__(
        self,
        ctx: Context,
        event: Event,
        state: State,
        api: Api,
        keep_charm: bool,
        runtime: Any,
    ):
        self._ctx = ctx
        self._event = event
        self._state = state
        self._api = api
        self._keep_charm = keep_charm
        self._runtime = runtime
        self.run: Optional[Run] = None
        #: The run's ops objects, kept after it closes when the charm is to stay readable.
        self.ops: Optional[Ops] = None
        #: What the run produced, once it has ended.
        self.result: Optional[RunResult] = None
        self._exited = False
        #: Whether what the block raises is the charm's error (ops[testing]'s ``_run`` and
        #: ``Runtime.exec``); a manager's block keeps its own error.
        self.wraps_block_errors = api is Api.SCENARIO_8

    @property
    def output(self) -> Any:
        """The output State, once the run has finished."""
        return self.result.output if self.result is not None else None

    def __enter__(self) -> Run:
        ctx = self._ctx
        target, options = ctx._charm, ctx._options(self._api)
        if self._runtime is not None:
            target, options = self._runtime._target_and_options(ctx, options)
        run = Run(target, options, self._state, self._event)
        ctx._begin_run(run)
        try:
            run.open()
        except BaseException:
            ctx._end_run(run)
            raise
        self.run = run
        if self._keep_charm:
            self.ops = run.ops
        return run

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._exited:
            return
        self._exited = True
        run = self.run
        if run is None:
            return
        raised: Optional[BaseException] = exc
        try:
            if exc_type is None:
                run.finish()
        except BaseException as e:
            raised = e
            raise
        finally:
            try:
                run.close()
            finally:
                self._ctx._end_run(run)
                self.result = run.result
                self.run = None
                if _recording.recorder is not None:
                    _recording.recorder(run, raised)
        if exc_type is not None:
            if self.wraps_block_errors and _is_the_charms(exc):
                # ops[testing] runs the block inside its run: what the block raises
                # (calling the charm, say) is the charm's error, as any other.
                _uncaught(exc, Api.SCENARIO_8)
            return
        if self._api is Api.SCENARIO_8 and self._event.action is not None:
            failure = self.result.action_failure if self.result is not None else None
            if failure is not None:
                _raise_action_failed(failure, self.output)


class _RunManager:
    """A run held open around the block of a ``with``: the charm is constructed on entry;
    ``run()`` emits the event and ends the run (its output is returned); the charm's model
    keeps answering, from the output State, after that and after the block. A block that
    did not call ``run()`` runs the event when it ends, even if it raised."""

    def __init__(self, ctx: Context, event: Event, state: State):
        self._ctx = ctx
        self._evt = event
        self._state = state
        self._wrapped_ctx: Any = None
        self.ops: Any = None
        self.output: Any = None
        self._emitted = False
        self._scope_exited = False

    @property
    def charm(self) -> _ops.CharmBase:
        """The charm object ops constructed for the run, the one that handles the event:
        available once the ``with`` block is entered, and still after ``run()``."""
        scope = self._wrapped_ctx
        if scope is not None and not isinstance(scope, _RunScope):
            return self.ops.charm  # a scope a test put in place of ctx._run's
        ops_ = scope.ops if scope is not None else None
        if ops_ is None:
            raise RuntimeError("you should __enter__ this context manager before accessing this")
        if ops_._aborted_in_init:
            raise RuntimeError(
                "the charm's __init__ exited early (for example, load_config(errors='blocked') "
                "found invalid config), so there is no charm object"
            )
        assert ops_.charm is not None
        return ops_.charm

    def __enter__(self) -> Any:
        self._wrapped_ctx = self._ctx._run(event=self._evt, state=self._state)
        if isinstance(self._wrapped_ctx, _RunScope):
            # A block that fails ends the run, its error going on as it was (as under
            # ops[testing], whose manager ends the run before the block's error).
            self._wrapped_ctx.wraps_block_errors = False
        self.ops = self._wrapped_ctx.__enter__()
        return self

    def run(self) -> Any:
        """Emit the event on the charm, let ops run collect-status and commit, end the run
        and return its output: the output State (Scenario 5's action manager: the
        ``ActionOutput``). Only once per block; a second call raises
        ``AlreadyEmittedError``."""
        if self._emitted:
            raise AlreadyEmittedError("Can only run once.")
        if self.ops is None:
            raise RuntimeError("you should __enter__ this context manager before running it")
        self._emitted = True
        try:
            self.ops.run()
        except BaseException:
            self._exit_wrapped_ctx(*sys.exc_info())
            raise
        self._exit_wrapped_ctx(None, None, None)
        self.output = self._output()
        return self.output

    def _exit_wrapped_ctx(self, exc_type: Any, exc: Any, tb: Any) -> None:
        """End the run's scope, once."""
        if self._wrapped_ctx is not None and not self._scope_exited:
            self._scope_exited = True
            self._wrapped_ctx.__exit__(exc_type, exc, tb)

    def _output(self) -> Any:
        scope = self._wrapped_ctx
        return scope.output if isinstance(scope, _RunScope) else self._ctx._output_state

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            # A block that did not run the event runs it as it ends, as both originals do,
            # even when the block failed (the run's own error, if any, then wins).
            if not self._emitted:
                self.run()
        finally:
            self._exit_wrapped_ctx(exc_type, exc, tb)


class Manager(_RunManager, Generic[CharmType]):
    """A run held open around a ``with`` block, so that the test can reach the charm object
    (ops[testing]). Do not make one: ``ctx(event, state)`` does::

        with ctx(ctx.on.start(), State()) as manager:
            manager.charm.prepare()      # before the event
            out = manager.run()          # emit it, and get the output State
            assert manager.charm.ready   # after it

    ``run()`` may be called once; a block that does not call it has the event run as it
    ends. An action the charm fails raises ``ActionFailed`` from ``run()``.
    """

    def __init__(self, ctx: Context, event: _Event, state: State):
        if not isinstance(event, Event):
            raise TypeError(
                "You should call the event method. Did you forget to add parentheses?"
                if callable(event)
                else f"call with an event from `ctx.on`, like `ctx.on.start()`, not {event!r}"
            )
        super().__init__(ctx, event, state)


class _EventManager(_RunManager):
    """Scenario 5's ``ctx.manager(event, state)``."""

    def __init__(self, ctx: Context, event: Union[str, Event], state: State):
        event = ctx._coerce_event(event, state)
        if event._kind == "action":
            raise InvalidEventError(f"{event.name} is an action: use ctx.action_manager(...)")
        super().__init__(ctx, event, state)


class _ActionManager(_RunManager):
    """Scenario 5's ``ctx.action_manager(action, state)``."""

    def __init__(self, ctx: Context, action: Union[str, Action], state: State):
        super().__init__(ctx, ctx._coerce_action(action).event, state)

    def _output(self) -> ActionOutput:
        return self._ctx._finalize_action(self._wrapped_ctx)


# Scenario 5's name for the base of its managers.
_Manager = _RunManager
