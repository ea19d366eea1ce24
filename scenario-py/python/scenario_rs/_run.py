"""One run of a charm, for either API: the consistency check, the Juju environment, ops,
the output State, and the ``RunResult`` it leaves.

The top of the driver: it knows no front. The fronts (``scenario.context``) describe a run
with ``RunOptions`` and take its result; what differs between the APIs reaches the engine
as options, never as a Context.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import typing
from typing import Any, Callable, Dict, List, Optional, Tuple

from scenario_rs import _scenario
from scenario_rs._options import RunOptions, charm_call
from scenario_rs._process import take_turn
from scenario_rs._scenario import Api, RunResult, environ_get
from scenario_rs._target import CharmUnderTest
from scenario_rs.consistency_checker import check_with_version_read, read_juju_version

if typing.TYPE_CHECKING:  # pragma: no cover
    import ops

    from scenario_rs._scenario import Event, State
    from scenario_rs.ops_main_mock import Ops

__all__ = ["Run"]

_mocking_logger = logging.getLogger("ops-scenario.mocking")


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
            self._outsiders = _threads_by_ident()

        def close_run(self: Any) -> None:
            self.model_backend = None
            self._juju_log = None
            self._outsiders = {}

        def emit(self: Any, record: logging.LogRecord) -> None:
            juju_log = self._juju_log
            if juju_log is None:
                return
            if (
                record.thread != self._run_thread
                and self._outsiders.get(record.thread) is threading.current_thread()
            ):
                return
            try:
                if (
                    self.formatter is None
                    and not record.exc_info
                    and not record.exc_text
                    and not record.stack_info
                ):
                    # What logging's default format makes of it (the message alone),
                    # without the formatter's calls: a charm may log hundreds of lines.
                    message = record.message = record.getMessage()
                else:
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


def _threads_by_ident() -> Dict[Any, threading.Thread]:
    """The threads there are, by ident: those the run's log handler leaves out (other than
    the run's own). A copy of threading's own table where it has one (a dict copy in C:
    ``threading.enumerate()`` takes its lock and builds lists, at every run)."""
    active = getattr(threading, "_active", None)
    if isinstance(active, dict):
        return dict(active)
    return {t.ident: t for t in threading.enumerate()}


_DRIVER: Optional[Tuple[Any, Any, Any]] = None


def _driver() -> Tuple[Any, Any, Any]:
    """The driver's modules below this one that import ops (``_ops_compat``, the mocked
    model backend, ``Ops``): imported by the first run, since ``import scenario`` does not
    import ops, and kept, since an import statement in a function costs about half a
    microsecond at every run."""
    global _DRIVER
    if _DRIVER is None:
        from scenario_rs import _ops_compat, mocking, ops_main_mock

        _DRIVER = (_ops_compat, mocking._MockModelBackend, ops_main_mock.Ops)
    return _DRIVER


def _route_logging_to(backend: Any, juju_log: Callable[[str, str], None]) -> Callable[[], None]:
    """Route the root logger to juju-log for the run only; returns what takes the route
    away."""
    forget_security_log = (_DRIVER or _driver())[0].forget_security_log
    root = logging.getLogger()
    handler = _juju_log_handler(backend, juju_log)
    root.addHandler(handler)
    forget_security_log()
    # As in a real unit, the root logger takes every level; and it stays so after the
    # run, as both originals leave it (a test may count on the debug lines its own calls
    # of the charm log after a run). setLevel clears logging's caches: only when it
    # changes anything, so once.
    if root.level != logging.DEBUG:
        root.setLevel(logging.DEBUG)

    def put_back() -> None:
        root.removeHandler(handler)
        handler.close_run()
        _IDLE_HANDLERS.append(handler)
        forget_security_log()

    return put_back


class Run:
    """One run of a charm: ``open()`` checks the scenario, sets the Juju environment up and
    constructs the charm; ``emit()`` emits the event; ``finish()`` evaluates
    collect-status, commits and takes the output State; ``close()`` releases everything,
    whatever happened, and leaves the run's ``result``: one immutable ``RunResult`` (the
    output State and every record, from Rust). Until ``close()``, the model still answers
    (from the output State, once finished), so a manager's block can look at the charm
    after the event.
    """

    def __init__(
        self,
        target: CharmUnderTest,
        options: RunOptions,
        state: State,
        event: Event,
    ):
        self.target = target
        self.options = options
        self.state = state
        self.event = event
        self.ops: Optional[Ops] = None
        #: Set by ``finish()``.
        self.output: Optional[State] = None
        #: Set by ``close()``: what the run produced, for the Context to merge.
        self.result: Optional[RunResult] = None
        #: The Context's books on this run: whether it merged the result, and how many
        #: commands per container it took into its ``exec_history`` during the run.
        self.merged = False
        self.exec_taken: Dict[str, int] = {}
        #: The recorded events, filled when the run's ops objects are released.
        self._recorded_events: List[Any] = []
        #: The spans of the run, where ops[tracing] is installed.
        self._trace_data: List[Any] = []
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
        compat, backend_type, ops_type = _DRIVER or _driver()
        juju_version = read_juju_version(options.juju_version, options.strict)
        charm_dir = self.target.charm_dir()
        check_with_version_read(
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
            str(charm_dir),
            api=options.api,
            unit_id=options.unit_id,
            app_name=options.app_name,
            machine_id=options.machine_id,
            availability_zone=options.availability_zone,
            principal_unit=options.principal_unit,
            app_trusted=options.app_trusted,
            strict=options.strict,
        )
        # ops[testing] says which containers had files (below); 5.8.1 did not.
        wiped = self.target.wipe_container_roots(say_which=options.api is Api.SCENARIO_8)
        stack = self._stack
        if options.api is Api.SCENARIO_8 and environ_get("OPERATOR_DISPATCH"):
            # ops's dispatcher ends a hook at once when the process is already dispatching
            # (ops[testing] runs it): a variable leaked by an earlier run fails this one.
            self.call(compat.abort_dispatch)
        session.enter_env()
        stack.callback(session.exit_env)
        if self.target.writes_spec_to_charm_root():
            stack.enter_context(self.target.virtual_charm_root())
        if compat.tracing_installed():
            stack.enter_context(
                compat.traced(
                    lambda: self.target.juju_context(session.env),
                    spec.charm_type.__name__,
                    self._trace_data,
                )
            )
        backend = backend_type(session, self.target)
        ops_ = ops_type(self.state, self.event, self.target, options, backend, charm_dir)
        self.ops = ops_
        self._recorded_events = ops_.captured
        stack.callback(_route_logging_to(backend, session.juju_log))
        for name in wiped:
            # In the run, as ops[testing] says it (its juju-log has the line).
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

    def finish(self) -> State:
        """Evaluate collect-status and commit (emitting first if not done), then take the
        output State and the records. The model answers from the output from now on."""
        ops_ = self.ops
        assert ops_ is not None, "open() first"
        self.call(ops_.finalize)
        assert ops_.store is not None
        self.output = _scenario.finish_run(
            self._session, ops_.store.stored_states(), ops_.store.deferred_events(), self.state
        )
        # What the run wrote into a mount shows under the root too.
        self._show_mounts(ops_.backend)
        return self.output

    def close(self) -> None:
        """Close the framework, put the root logger and ``os.environ`` back, end the
        session, and leave the ``result``. Idempotent."""
        try:
            self._stack.close()
        finally:
            session = self._session
            if session is not None and session.is_open:
                self.result = _scenario.run_result(
                    session, self._recorded_events, self._trace_data
                )
                session.close()

    def exec_history(self) -> Dict[str, List[Any]]:
        """The commands the charm ran so far, per container (read during the run)."""
        session = self._session
        return session.exec_history() if session is not None else {}

    def _let_go(self) -> None:
        """Drop the run's ops objects before the collector resumes (see _process.py): the
        whole run is then freed by reference counting. What a test still needs of them
        (the recorded events, the output) is in the result by then."""
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
