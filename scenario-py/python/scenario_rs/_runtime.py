"""One run of a charm, for either API: the consistency check, the Juju environment, ops,
the output State and the records.

This module knows no front. The fronts (``scenario.context``: Scenario 5's ``ctx.run``,
``run_action`` and managers, ops[testing]'s ``ctx.run`` and ``ctx(...)``) describe a run
with ``RunOptions`` and take its ``Run`` result; what differs between the APIs reaches
the engine as options, never as a Context.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import logging
import os
import shutil
import tempfile
import threading
import typing
import weakref
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

from scenario_rs import _scenario
from scenario_rs._process import take_turn
from scenario_rs._scenario import Api
from scenario_rs._tracing import traced, tracing_installed
from scenario_rs.errors import (
    BadOwnerPath,
    InconsistentScenarioError,
    NoObserverError,
    ScenarioRuntimeError,
    UncaughtCharmError,
)

if typing.TYPE_CHECKING:  # pragma: no cover
    import ops

    from scenario_rs.ops_main_mock import Ops
    from scenario_rs.state import Event, State, _CharmSpec

__all__ = [
    "Api",
    "CharmUnderTest",
    "InconsistentScenarioError",
    "Run",
    "RunOptions",
    "Runtime",
    "ScenarioRuntimeError",
    "UncaughtCharmError",
    "charm_call",
]

logger = logging.getLogger("ops-scenario.runtime")
_mocking_logger = logging.getLogger("ops-scenario.mocking")


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """What a front tells the engine about one run, besides the State and the event."""

    #: The API the run speaks. It decides how unset defaults read, which consistency
    #: findings are errors, and a few hook-tool answers where the two APIs differ.
    api: Api
    juju_version: str
    #: The Context's unit id (ops[testing]); ``None`` takes the State's (Scenario 5).
    unit_id: Optional[int] = None
    #: The Context's app name; ``None`` takes the charm's name.
    app_name: Optional[str] = None
    machine_id: Optional[str] = None
    availability_zone: Optional[str] = None
    principal_unit: Optional[str] = None
    app_trusted: bool = False
    capture_deferred_events: bool = False
    capture_framework_events: bool = False
    #: Turn each "Juju would refuse this" warning into the error Juju would give.
    strict: bool = False


_SCRATCH: Optional[str] = None


def _scratch_dir() -> Optional[str]:
    """Where Contexts keep their files (container and storage filesystems): a memory
    filesystem where the machine has one (``/dev/shm``), since every run empties the
    container roots and a disk filesystem's unlinks cost ten times as much; otherwise
    tempfile's own choice. ``TMPDIR``, when set, is the user's choice and wins."""
    global _SCRATCH
    if _SCRATCH is None:
        shm = "/dev/shm"
        if "TMPDIR" not in os.environ and os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
            _SCRATCH = shm
        else:
            _SCRATCH = ""
    return _SCRATCH or None


class CharmUnderTest:
    """A charm type with its spec, as the runs of one Context see it: its charm directory,
    the unit's container and storage filesystems, and what ops parses from the spec.

    Everything here is made once per Context, on first use, and shared by its runs.
    """

    def __init__(self, charm_spec: _CharmSpec, charm_root: Optional[Any] = None):
        self.charm_spec = charm_spec
        self.charm_root = charm_root
        self._meta: Optional[ops.CharmMeta] = None
        self._juju_contexts: Dict[Any, Any] = {}
        self._wrapped: Optional[type] = None
        self._autoloaded_root: Optional[Path] = None
        self._tmp: Optional[Path] = None
        self._virtual_root: Optional[Path] = None
        self._container_roots_given = False

    # --- what ops reads, made once ----------------------------------------------------------

    def wrapped_charm_type(self) -> type:
        """The subclass of the charm class the runs construct (see ``ops_main_mock._wrap``)."""
        if self._wrapped is None:
            from scenario_rs.ops_main_mock import _wrap

            self._wrapped = _wrap(self.charm_spec.charm_type)
        return self._wrapped

    def charm_meta(self) -> ops.CharmMeta:
        """ops's CharmMeta, parsed once."""
        if self._meta is None:
            import ops

            spec = self.charm_spec
            params = inspect.signature(ops.CharmMeta.__init__).parameters
            kwargs: Dict[str, Any] = {}
            if "config_raw" in params:
                kwargs["config_raw"] = spec.config or {}
            meta = spec._meta_for_ops() or spec.meta
            self._meta = ops.CharmMeta(meta, spec.actions or {}, **kwargs)
        return self._meta

    def juju_context(self, env: List[Any]) -> Any:
        """ops's JujuContext for a run's environment, made once per distinct one (ops 3's
        ``JujuContext._from_dict``; ops 2.17's private ``_JujuContext.from_dict``)."""
        key = tuple(env)
        found = self._juju_contexts.get(key)
        if found is None:
            from ops import jujucontext

            if hasattr(jujucontext, "JujuContext"):
                from_dict = jujucontext.JujuContext._from_dict
            else:
                from_dict = jujucontext._JujuContext.from_dict  # type: ignore[attr-defined]
            if len(self._juju_contexts) > 64:
                self._juju_contexts.clear()
            found = self._juju_contexts[key] = from_dict(dict(env))
        return found

    # --- the unit's files -------------------------------------------------------------------

    def tmp_path(self) -> Path:
        """The directory of the Context's files, made on first use; removed by
        ``cleanup()``, or when this object goes."""
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="scenario-ctx-", dir=_scratch_dir()))
            self._finalizer = weakref.finalize(self, shutil.rmtree, str(self._tmp), True)
        return self._tmp

    def cleanup(self) -> None:
        """Remove the files of past runs; the next run starts afresh."""
        if self._tmp is not None:
            self._finalizer()
            self._tmp = None
            self._virtual_root = None

    def container_root(self, name: str) -> Path:
        """The host directory standing for a container's root (not created)."""
        self._container_roots_given = True
        return self.tmp_path() / "containers" / name

    def wipe_container_roots(self) -> List[str]:
        """Remove every container's files: a run starts as a unit does, with empty
        container filesystems, whatever a past run or the test left there. (Where no
        container root was ever handed out, there are none to look for.) Returns the names
        of the containers that had files."""
        if self._tmp is None or not self._container_roots_given:
            return []
        containers = os.path.join(self._tmp, "containers")
        if not os.path.isdir(containers):
            return []
        had_files = [
            name for name in os.listdir(containers) if os.listdir(os.path.join(containers, name))
        ]
        shutil.rmtree(containers)
        return had_files

    def storage_root(self, name: str, index: int) -> Path:
        """The host directory standing for a storage's mount point (created)."""
        path = self.tmp_path() / "storages" / f"{name}-{index}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def charm_dir(self) -> Path:
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

            root = self.tmp_path() / "charm"
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

    def writes_spec_to_charm_root(self) -> bool:
        """Whether the runs write the spec into the user's ``charm_root``: given one, with
        a spec given to the Context (not read from that root)."""
        return self.charm_root is not None and not self.charm_spec.is_autoloaded

    @contextlib.contextmanager
    def virtual_charm_root(self) -> Iterator[None]:
        """With a user's ``charm_root`` and a spec given to the Context, write the spec's
        YAML files there for the run, and put the user's own files back afterwards."""
        if self.charm_root is None or not self.writes_spec_to_charm_root():
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


_HANDLER_TYPE: Optional[type] = None


def _juju_log_handler(backend: Any, juju_log: Callable[[str, str], None]) -> Any:
    """A handler sending log records to juju-log: ops's own ``JujuLogHandler``, so that
    what looks for it on the root logger (ops 3's security-event log, which warns when it
    is missing) finds it. Made on first use: ``import scenario`` does not import ops.

    It is bound to its run: it takes the records of the run's thread and of the threads
    started during the run (a tracing exporter, say), not those of threads that were
    already there (other tests' threads, a thread an earlier run left behind). Once the
    run is over it drops every record, for a thread of the charm may outlive the run.

    Its lines go straight to the run's ``juju_log`` hook tool (the session's own method,
    not through the backend and its argument checks: the level and line are strings),
    while ``model_backend`` stays the backend, for what looks it up.
    """
    global _HANDLER_TYPE
    if _HANDLER_TYPE is None:
        import ops.log

        base = ops.log.JujuLogHandler

        def open_run(self: Any, model_backend: Any, juju_log: Callable[[str, str], None]) -> None:
            self.model_backend = model_backend
            self._juju_log = juju_log
            self._run_thread = threading.get_ident()
            self._outsiders = set(threading.enumerate()) - {threading.current_thread()}

        def close_run(self: Any) -> None:
            self.model_backend = None
            self._juju_log = None
            self._outsiders = set()

        def emit(self: Any, record: logging.LogRecord) -> None:
            juju_log = self._juju_log
            if juju_log is None:
                return
            if record.thread != self._run_thread and threading.current_thread() in self._outsiders:
                return
            try:
                message = self.format(record)
            except Exception:  # the record's own arguments are wrong: say so, as logging does
                self.handleError(record)
                return
            try:
                juju_log(record.levelname, message)
            except Exception:
                # The run ended meanwhile, or another thread is inside the session: a log
                # call must never break the charm, nor print from one of its threads.
                pass

        _HANDLER_TYPE = type(
            "_JujuLogHandler",
            (base,),
            {"open_run": open_run, "close_run": close_run, "emit": emit},
        )
    # A handler no run holds, made once and kept between runs (a logging handler's
    # construction registers it with the logging module: not for every run). A run
    # started inside another (from a manager's block) takes one of its own.
    handler = _IDLE_HANDLERS.pop() if _IDLE_HANDLERS else _HANDLER_TYPE(None)
    handler.open_run(backend, juju_log)
    return handler


_IDLE_HANDLERS: List[Any] = []


_SECURITY_LOG_CACHE: Any = None


def _forget_security_log() -> None:
    """ops 3 caches, for the process, the juju-log of the handler it first finds for its
    security-event log: forgotten at both ends of a run, so that each run's events go to
    its own juju-log and no finished run is kept by the cache."""
    global _SECURITY_LOG_CACHE
    if _SECURITY_LOG_CACHE is None:
        import ops.log

        cached = getattr(ops.log, "_get_juju_log_and_app_id", None)
        _SECURITY_LOG_CACHE = getattr(cached, "cache_clear", False)
    if _SECURITY_LOG_CACHE:
        _SECURITY_LOG_CACHE()


def _route_logging_to(backend: Any, juju_log: Callable[[str, str], None]) -> Callable[[], None]:
    """Route the root logger to juju-log for the run only; returns what puts it back as it
    was."""
    root = logging.getLogger()
    handler = _juju_log_handler(backend, juju_log)
    old_level = root.level
    root.addHandler(handler)
    _forget_security_log()
    # As in a real unit, the root logger takes every level (setLevel clears logging's
    # caches, so only when it changes anything).
    if old_level != logging.DEBUG:
        root.setLevel(logging.DEBUG)

    def put_back() -> None:
        root.removeHandler(handler)
        handler.close_run()
        _IDLE_HANDLERS.append(handler)
        _forget_security_log()
        if root.level != old_level:
            root.setLevel(old_level)

    return put_back


class Run:
    """One run of a charm: ``open()`` checks the scenario, sets the Juju environment up and
    constructs the charm; ``emit()`` emits the event; ``finish()`` evaluates
    collect-status, commits and takes the output State and records; ``close()`` releases
    everything, whatever happened. Until ``close()``, the model still answers (from the
    output State, once finished), so a manager's block can look at the charm after the
    event.
    """

    def __init__(
        self,
        target: CharmUnderTest,
        options: RunOptions,
        state: State,
        event: Event,
        exec_sink: Optional[Dict[str, List[Any]]] = None,
    ):
        self.target = target
        self.options = options
        self.state = state
        self.event = event
        self.ops: Optional[Ops] = None
        #: Set by ``finish()``.
        self.output: Optional[State] = None
        self.records: Dict[str, Any] = {}
        self.emitted_events: List[Any] = []
        #: Container name to the ``ExecArgs`` of each mocked command the charm ran.
        self.exec_history: Dict[str, List[Any]] = {}
        #: Where each exec is also recorded as it happens (the Context's ``exec_history``,
        #: which a test may read before the run ends).
        self._exec_sink = exec_sink
        #: The spans of the run, where ops[tracing] is installed.
        self.trace_data: List[Any] = []
        #: Whether a Context has taken the records (once per run).
        self.recorded = False
        self._session: Any = None
        self._stack = contextlib.ExitStack()

    # --- the steps --------------------------------------------------------------------------

    def open(self) -> Ops:
        """Check the scenario, set the environment up, construct the charm."""
        options = self.options
        spec = self.target.charm_spec
        # Runs take turns, one at a time per process (see _process.py); the turn is the
        # outermost thing a run holds, given back last when it closes.
        self._stack.callback(take_turn())
        self._stack.callback(self._let_go)
        try:
            self._open(options, spec)
        except BaseException:
            self.close()
            raise
        assert self.ops is not None
        return self.ops

    def _open(self, options: RunOptions, spec: Any) -> None:
        from scenario_rs.consistency_checker import check_consistency, read_juju_version
        from scenario_rs.mocking import _MockModelBackend
        from scenario_rs.ops_main_mock import Ops

        juju_version = read_juju_version(options.juju_version, options.strict)
        check_consistency(
            self.state,
            self.event,
            spec,
            juju_version,
            api=options.api,
            unit_id=options.unit_id,
            strict=options.strict,
        )
        self._session = session = _scenario.start_run(
            spec,
            self.state,
            self.event,
            juju_version,
            str(self.target.charm_dir()),
            api=options.api,
            unit_id=options.unit_id,
            app_name=options.app_name,
            machine_id=options.machine_id,
            availability_zone=options.availability_zone,
            principal_unit=options.principal_unit,
            app_trusted=options.app_trusted,
            strict=options.strict,
        )
        wiped = self.target.wipe_container_roots()
        stack = self._stack
        if options.api is Api.SCENARIO_8 and "OPERATOR_DISPATCH" in os.environ:
            # ops's dispatcher ends a hook at once when the process is already dispatching
            # (ops[testing] runs it): a variable leaked by an earlier run fails this one.
            self.call(_abort_dispatch)
        session.enter_env()
        stack.callback(session.exit_env)
        if self.target.writes_spec_to_charm_root():
            stack.enter_context(self.target.virtual_charm_root())
        if tracing_installed():
            stack.enter_context(
                traced(
                    lambda: self.target.juju_context(session.env),
                    spec.charm_type.__name__,
                    self.trace_data,
                )
            )
        backend = _MockModelBackend(session, self.target, self)
        self.ops = ops_ = Ops(self.state, self.event, self.target, options, backend)
        stack.callback(_route_logging_to(backend, session.juju_log))
        for name in wiped if options.api is Api.SCENARIO_8 else ():
            # ops[testing] says so, in the run (its juju-log has the line); 5.8.1 did not.
            _mocking_logger.warning(
                "Container %r has a non-empty filesystem that will be wiped before this run. "
                "If you are trying to mock filesystem contents, use Mounts instead. If you are "
                "reusing a Context instance across multiple ctx.run() calls, note that the "
                "filesystem is cleared between runs.",
                name,
            )
        stack.callback(ops_.close)
        self._show_mounts(backend)
        self.call(ops_.setup)

    def emit(self) -> None:
        """Re-emit the deferred events and emit the event."""
        assert self.ops is not None, "open() first"
        self.call(self.ops.emit)

    # ops[testing]'s names for what its run yields (``with ctx._run(...) as ops``).
    run = emit

    @property
    def charm(self) -> ops.CharmBase:
        """The charm the run constructed."""
        assert self.ops is not None and self.ops.charm is not None, "open() first"
        return self.ops.charm

    @property
    def _juju_context(self) -> Any:
        """ops's JujuContext of the run's environment."""
        return self.target.juju_context(self._session.env)

    def record_exec(self, container: str, args: Any) -> None:
        """Record a command the charm ran in a container, as it runs."""
        self.exec_history.setdefault(container, []).append(args)
        if self._exec_sink is not None:
            self._exec_sink.setdefault(container, []).append(args)

    def finish(self) -> State:
        """Evaluate collect-status and commit (emitting first if not done), then take the
        output State and the records. The model answers from the output from now on."""
        ops_ = self.ops
        assert ops_ is not None, "open() first"
        self.call(ops_.finalize)
        assert ops_.store is not None
        self.records = _scenario.session_records(self._session)
        self.output = _scenario.finish_run(
            self._session, ops_.store.stored_states(), ops_.store.deferred_events()
        )
        self.emitted_events = list(ops_.captured)
        # What the run wrote into a mount shows under the root too.
        self._show_mounts(ops_.backend)
        return self.output

    def close(self) -> None:
        """Close the framework, put the root logger and ``os.environ`` back, end the
        session. Idempotent."""
        try:
            self._stack.close()
        finally:
            session = self._session
            if session is not None and session.is_open:
                if not self.records:
                    self.records = _scenario.session_records(session)
                session.close()

    def _let_go(self) -> None:
        """Drop the run's ops objects before the collector resumes (see _process.py): the
        whole run is then freed by reference counting. Read what a test still needs of them
        (the recorded events, the output) before closing."""
        self.ops = None

    def __enter__(self) -> Run:
        self.open()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _show_mounts(self, backend: Any) -> None:
        """Show each container's mounts at their locations under its root, before the charm
        runs (whether or not it touches files) and again when it is done."""
        for name in self._session.containers_with_mounts():
            self._session.pebble_show_mounts(name, str(backend._container_root(name)))

    # --- errors -----------------------------------------------------------------------------

    def call(self, step: Callable[[], Any]) -> Any:
        """Run a step of charm or ops code, wrapping what the charm raises as the run's API
        documents (``UncaughtCharmError``, with the charm's exception as the cause)."""
        return charm_call(step, self.options.api)


class Runtime:
    """ops[testing]'s private runner of one charm spec, which some tools drive directly:
    ``with Runtime(app_name, spec, ...).exec(state, event, context) as ops: ops.run()``.
    A thin front over a Context's run, with this object's unit and Juju version."""

    def __init__(
        self,
        app_name: str,
        charm_spec: _CharmSpec,
        charm_root: Optional[Any] = None,
        juju_version: str = "3.0.0",
        unit_id: Optional[int] = 0,
        machine_id: Optional[str] = None,
        availability_zone: Optional[str] = None,
        principal_unit: Optional[str] = None,
    ):
        self._app_name = app_name
        self._charm_spec = charm_spec
        self._charm_root = charm_root
        self._juju_version = juju_version
        self._unit_id = 0 if unit_id is None else unit_id
        self._machine_id = machine_id
        self._availability_zone = availability_zone
        self._principal_unit = principal_unit

    def exec(self, state: State, event: Event, context: Any) -> Any:
        """The run of ``event`` on ``state`` as a context manager; the Context records it."""
        return context._run(event=event, state=state, runtime=self)

    def _get_event_env(self, state: State, event: Event, charm_root: Any) -> Dict[str, str]:
        """The ``JUJU_*`` environment a run of ``event`` on ``state`` is given."""
        session = _scenario.start_run(
            self._charm_spec,
            state,
            event,
            self._juju_version,
            str(charm_root),
            api=Api.SCENARIO_8,
            unit_id=self._unit_id,
            app_name=self._app_name,
            machine_id=self._machine_id,
            availability_zone=self._availability_zone,
            principal_unit=self._principal_unit,
        )
        return dict(session.env)

    def _target_and_options(self, context: Any, options: RunOptions) -> Any:
        """What the run is of, and how: the Context's charm where the spec and root are its
        own, with this object's unit and Juju version."""
        target = context._charm
        if target.charm_spec is not self._charm_spec or target.charm_root != self._charm_root:
            target = CharmUnderTest(self._charm_spec, self._charm_root)
        return target, dataclasses.replace(
            options,
            juju_version=self._juju_version,
            unit_id=self._unit_id,
            app_name=self._app_name,
            machine_id=self._machine_id,
            availability_zone=self._availability_zone,
            principal_unit=self._principal_unit,
        )


def _abort_dispatch() -> None:
    import ops

    abort = getattr(getattr(ops, "_main", None), "_Abort", None)
    if abort is not None:  # ops before 2.16 has no such guard
        raise abort(0)


def charm_call(step: Callable[[], Any], api: Api = Api.SCENARIO_5) -> Any:
    """Run a step of charm or ops code, wrapping what it raises in UncaughtCharmError
    (with the charm's exception as the cause), except the errors Scenario documents as
    passing through.

    ``SCENARIO_BARE_CHARM_ERRORS`` (``true`` or a non-zero number) lets the charm's own
    exception through unwrapped, as ops[testing] does.
    """
    try:
        return step()
    except (ScenarioRuntimeError, NoObserverError):
        raise
    except BadOwnerPath as e:
        # Scenario 5 let it through; ops[testing] wraps it as any other error of the run.
        if api is not Api.SCENARIO_8:
            raise
        _uncaught(e, api)
    except Exception as e:
        _uncaught(e, api)


def _uncaught(e: Any, api: Api) -> typing.NoReturn:
    """Raise the charm's exception ``e`` as the run's API documents it."""
    if _bare_charm_errors():
        raise e
    raise UncaughtCharmError(api.uncaught_charm_error(e)) from e


def _bare_charm_errors() -> bool:
    bare = os.environ.get("SCENARIO_BARE_CHARM_ERRORS", "false")
    return bare.lower() == "true" or (bare.isdigit() and int(bare) != 0)
