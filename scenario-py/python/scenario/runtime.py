"""One run of a charm: the consistency check, the Juju environment, ops, the output State."""

from __future__ import annotations

import contextlib
import logging
import threading
import typing
from typing import Any, Callable, Iterator, Optional

from scenario import _scenario
from scenario._process import exclusive_run

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario.context import Context
    from scenario.ops_main_mock import Ops
    from scenario.state import Event, State, _CharmSpec

__all__ = [
    "InconsistentScenarioError",
    "Runtime",
    "ScenarioRuntimeError",
    "UncaughtCharmError",
]

logger = logging.getLogger("ops-scenario.runtime")


class ScenarioRuntimeError(RuntimeError):
    """Base class for errors Scenario raises while running a charm."""


class UncaughtCharmError(ScenarioRuntimeError):
    """The charm (or ops) raised; the charm's exception is the ``__cause__``."""


class InconsistentScenarioError(ScenarioRuntimeError):
    """The State, event and charm spec are not something Juju could produce."""


class _JujuLogHandler(logging.Handler):
    """Sends log records to juju-log, as ops's own handler does in a real unit.

    It is bound to its run: it takes the records of the run's thread and of the threads
    started during the run (a tracing exporter, say), not those of threads that were
    already there (other tests' threads, a thread an earlier run left behind). Once the
    run is over it drops every record, for a thread of the charm may outlive the run.
    """

    def __init__(self, backend: Any):
        super().__init__(logging.DEBUG)
        self._backend: Any = backend
        self._run_thread = threading.get_ident()
        self._outsiders = set(threading.enumerate()) - {threading.current_thread()}

    def close_run(self) -> None:
        self._backend = None
        self._outsiders = set()

    def emit(self, record: logging.LogRecord) -> None:
        backend = self._backend
        if backend is None:
            return
        if record.thread != self._run_thread and threading.current_thread() in self._outsiders:
            return
        try:
            message = self.format(record)
        except Exception:  # the record's own arguments are wrong: say so, as logging does
            self.handleError(record)
            return
        try:
            backend.juju_log(record.levelname, message)
        except Exception:
            # The run ended meanwhile, or another thread is inside the session: a log
            # call must never break the charm, nor print from one of its threads.
            pass


@contextlib.contextmanager
def _juju_logging(backend: Any) -> Iterator[None]:
    """Route the root logger to juju-log for the run only, then put it back as it was."""
    root = logging.getLogger()
    handler = _JujuLogHandler(backend)
    old_level = root.level
    root.addHandler(handler)
    # As in a real unit, the root logger takes every level (setLevel clears logging's
    # caches, so only when it changes anything).
    if old_level != logging.DEBUG:
        root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close_run()
        if root.level != old_level:
            root.setLevel(old_level)


class Runtime:
    """Runs charms of one spec: ``exec`` sets a run up and yields the ``Ops`` driving it."""

    def __init__(
        self, charm_spec: _CharmSpec, charm_root: Optional[str] = None, juju_version: str = "3.0.0"
    ):
        if not charm_spec.app_name:
            raise ValueError('the charm metadata has no mandatory "name": add name: <app> to meta')
        self._charm_spec = charm_spec
        self._charm_root = charm_root
        self._juju_version = juju_version

    @contextlib.contextmanager
    def exec(self, state: State, event: Event, context: Context) -> Iterator[Ops]:
        """Set up a run and yield its ``Ops`` with the charm constructed; when the block
        ends, finish the run (emitting the event if the block did not) and store the
        output State on the context. ``os.environ`` is restored whatever happens. Runs
        take turns: one at a time per process."""
        with exclusive_run():
            yield from self._exec(state, event, context)

    def _exec(self, state: State, event: Event, context: Context) -> Iterator[Ops]:
        from scenario.consistency_checker import check_consistency
        from scenario.mocking import _MockModelBackend
        from scenario.ops_main_mock import Ops

        check_consistency(state, event, self._charm_spec, self._juju_version)
        session = _scenario.start_run(
            self._charm_spec, state, event, self._juju_version, str(context._charm_dir())
        )
        records = None
        session.enter_env()
        try:
            with context._virtual_charm_root():
                backend = _MockModelBackend(session, context, state, event)
                ops_ = Ops(state, event, context, self._charm_spec, backend)
                with _juju_logging(backend):
                    try:
                        charm_call(ops_.setup)
                        yield ops_
                        charm_call(ops_.finalize)
                    finally:
                        ops_.close()
            assert ops_.store is not None
            records = _scenario.session_records(session)
            output = _scenario.finish_run(
                session, ops_.store.stored_states(), ops_.store.deferred_events()
            )
            context._output_state = output
            context.emitted_events.extend(ops_.captured)
        finally:
            try:
                if records is None and session.is_open:
                    records = _scenario.session_records(session)
                context._record(records)
            finally:
                session.exit_env()


def charm_call(step: Callable[[], Any]) -> Any:
    """Run a step of charm or ops code, wrapping what it raises in UncaughtCharmError
    (with the charm's exception as the cause), except the errors Scenario documents as
    passing through."""
    try:
        return step()
    except ScenarioRuntimeError:
        raise
    except Exception as e:
        from scenario.ops_main_mock import NoObserverError

        if isinstance(e, NoObserverError):
            raise
        raise UncaughtCharmError(
            f"Uncaught exception ({type(e)}) in operator/charm code: {e!r}"
        ) from e
