"""Fuzzing what a suite already tests: the charm's crashes its own tests missed.

A test's runs say which events matter and which States are realistic. Around each run,
this tries the same event on States near the test's own (``Neighbours``: leadership
flipped, config values across each option's type, relations added, removed or with odd
databags, remote units, containers, secrets, storage, planned units, deferred events and
stored state; each State one the consistency checker accepts) and reports each uncaught
exception of the charm once, with the smallest State hypothesis shrinks it to, as a test
to paste in the suite's own API.

From pytest, ``--scenario-fuzz`` does it for every test of a suite (see the plugin). Here,
``explore(ctx, event, state)`` does it around one run::

    from scenario.fuzz import explore

    found = explore(ctx, ctx.on.config_changed(), state)
    for finding in found.findings:
        print(finding.code)

Needs hypothesis (``pip install scenario-rs[hypothesis]``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import os
import socket
import subprocess
import threading
import time
import traceback
import typing
import warnings
import zlib
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from scenario_rs import _recording
from scenario_rs._charm_frames import charm_frame
from scenario_rs._fuzz_code import test_code, test_name
from scenario_rs._run import Run
from scenario_rs._scenario import Api, Neighbours
from scenario_rs.errors import (
    InconsistentScenarioError,
    ScenarioRuntimeError,
    UncaughtCharmError,
)

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario_rs._options import RunOptions
    from scenario_rs._scenario import Event, State
    from scenario_rs._target import CharmUnderTest
    from scenario_rs.context import Context

__all__ = [
    "DEFAULT_EXAMPLES",
    "Exploration",
    "Finding",
    "Recording",
    "SandboxRefusal",
    "explore",
    "explore_recording",
    "random_seed",
]

#: States tried around each run of a test, by default.
DEFAULT_EXAMPLES = 100
#: Steps a walk takes from the test's State, at most.
MAX_STEPS = 8


# --- what a finding is ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Finding:
    """An uncaught exception of the charm on a State near a test's own."""

    #: The exception's type, qualified (``ValueError``, ``ops.model.ModelError``).
    error: str
    #: Its message.
    message: str
    #: The innermost frame of the charm's own code it went through, as ``file:line in
    #: function`` (the file relative to the working directory where it is under it).
    where: str
    #: The steps from the test's State to this one, in words.
    steps: Tuple[str, ...]
    #: The State, and the event bound to it.
    state: State = dataclasses.field(repr=False)
    event: Event = dataclasses.field(repr=False)
    #: A test to paste that replays the crash, in the suite's API.
    code: str = dataclasses.field(repr=False)
    #: The charm's exception.
    exception: BaseException = dataclasses.field(repr=False, compare=False)
    #: The test whose run it was found around (a pytest node id), if any.
    around: str = ""
    _base: Optional[_Base] = dataclasses.field(repr=False, compare=False, default=None)

    def replay(self) -> Optional[BaseException]:
        """Run the finding again; the charm's exception (``None`` if it no longer
        raises)."""
        assert self._base is not None
        outcome = _attempt(self._base.target, self._base.options, self.state, self.event)
        return outcome.cause

    def as_dict(self) -> Dict[str, Any]:
        """The finding as JSON data."""
        return {
            "error": self.error,
            "message": self.message,
            "where": self.where,
            "steps": list(self.steps),
            "around": self.around,
            "code": self.code,
        }


@dataclasses.dataclass
class Exploration:
    """What exploring around some runs found, and what it cost."""

    findings: List[Finding] = dataclasses.field(default_factory=list)
    #: Runs made (the replays of the test's own runs among them).
    runs: int = 0
    #: Seconds spent.
    seconds: float = 0.0
    #: The runs explored around, and those passed over (each with the reason).
    explored: int = 0
    passed_over: List[str] = dataclasses.field(default_factory=list)
    #: Runs that tried to leave the sandbox (the network, a subprocess, a sleep).
    refused: int = 0
    #: Whether a time budget cut the exploration short.
    cut_short: bool = False
    seed: int = 0
    #: The crashes the explored runs themselves had (``error at where``): what a test
    #: expects, and so no finding, around any test.
    expected: List[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "findings": [f.as_dict() for f in self.findings],
            "runs": self.runs,
            "seconds": round(self.seconds, 3),
            "explored": self.explored,
            "passed_over": self.passed_over,
            "refused": self.refused,
            "cut_short": self.cut_short,
            "seed": self.seed,
            "expected": self.expected,
        }


# --- exploring ----------------------------------------------------------------------------


def explore(
    ctx: Context[Any],
    event: Any,
    state: State,
    *,
    examples: int = DEFAULT_EXAMPLES,
    seed: Optional[int] = None,
    time_budget: Optional[float] = None,
) -> Exploration:
    """Try ``event`` on ``examples`` States near ``state``, and report what crashes the
    charm (what the run of ``state`` itself raises is not a finding: a test expects it).

    :arg event: as ``ctx.run`` takes it (``ctx.on.start()``, or Scenario 5's ``"start"``
        or ``Event``; an action as ``ctx.on.action(...)`` or an ``Action``).
    :arg seed: the search's seed (each seed its own States); random when not given, and
        in ``Exploration.seed`` then.
    :arg time_budget: seconds to stop after, shrinking included.
    """
    from scenario_rs.state import Action, _Event

    if isinstance(event, _Event):
        api = Api.SCENARIO_8
    elif isinstance(event, Action):
        api, event = Api.SCENARIO_5, event.event
    else:
        api, event = Api.SCENARIO_5, ctx._coerce_event(event, state)
    seed = random_seed() if seed is None else seed
    deadline = None if time_budget is None else time.monotonic() + time_budget
    exploration = Exploration(seed=seed)
    base = _Base.replayed(ctx._charm, ctx._options(api), state, event)
    exploration.runs += 1
    if base.outcome.key is not None:
        exploration.expected.append(base.outcome.label)
    _Explorer(examples, seed, deadline, exploration).around(base, set(), around="")
    return exploration


@dataclasses.dataclass
class _Base:
    """A run to explore around: what it was given, and what it did."""

    target: CharmUnderTest
    options: RunOptions
    state: State
    event: Event
    #: The finding key of what it raised (``None``: nothing), and the statuses it left.
    outcome: _Outcome

    @classmethod
    def replayed(
        cls, target: CharmUnderTest, options: RunOptions, state: State, event: Event
    ) -> _Base:
        return cls(target, options, state, event, _attempt(target, options, state, event))


class _Explorer:
    """Explores around runs with hypothesis, within a budget, into an ``Exploration``."""

    def __init__(
        self, examples: int, seed: int, deadline: Optional[float], into: Exploration
    ) -> None:
        self.examples = examples
        self.seed = seed
        self.deadline = deadline
        self.into = into
        self._taken_names: Set[str] = set()

    def over(self) -> bool:
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.into.cut_short = True
            return True
        return False

    def around(self, base: _Base, keys: Set[str], *, around: str, index: int = 0) -> None:
        """Explore around one run, its own outcome being what the test expects."""
        started = time.monotonic()
        spec = base.target.charm_spec
        try:
            near = Neighbours(
                base.state,
                base.event,
                spec,
                base.options.juju_version,
                api=base.options.api,
                unit_id=base.options.unit_id,
                keys=sorted(keys),
            )
        except Exception as e:  # a State the checker could not read: nothing to walk
            self.into.passed_over.append(f"{base.event.name}: {e}")
            return
        self.into.explored += 1
        # The smallest failing example seen per finding key, as hypothesis orders them
        # (fewer numbers, then smaller): kept here, whatever hypothesis reports at the end.
        smallest: Dict[Tuple[str, ...], Tuple[Tuple[int, List[int]], Any]] = {}
        kinds: Dict[Tuple[str, ...], type] = {}
        #: The keys earlier rounds found: no longer failures, so a round looks for others.
        known: Set[Tuple[str, ...]] = set()
        calls = [0, 0]  # this round's calls, and the call that found its first new key

        def probe(choices: List[int]) -> None:
            if self.over():
                return
            calls[0] += 1
            state, event, steps = near.walk(choices)
            outcome = _attempt(base.target, base.options, state, event)
            self.into.runs += 1
            if outcome.refused:
                self.into.refused += 1
            key = outcome.key
            if key is None or key == base.outcome.key:
                return
            order = (len(choices), list(choices))
            if key not in smallest or order < smallest[key][0]:
                smallest[key] = (order, (state, event, steps, outcome))
            if key in known:
                return
            if not calls[1]:
                calls[1] = calls[0]
            # One exception class per key: hypothesis shrinks each distinct one.
            kind = kinds.setdefault(key, type("Crash", (_Crash,), {}))
            raise kind()

        # First each State one step away, the kinds of step in turn (a crash there is as
        # small as it gets), with half the examples; then walks of several steps.
        remaining = self.examples - self._sweep(near, base, smallest, self.examples // 2)
        known |= set(smallest)
        # Hypothesis stops generating soon after its first failure: a round ends there
        # (its failures shrunk), and the next, another seed, explores the rest of the
        # examples for other failures.
        round_ = 0
        while remaining > 0 and not self.over():
            calls[:] = [0, 0]
            self._search(probe, remaining, f"{self.seed}:{around}:{index}:{round_}")
            found = set(smallest) - known
            if not found:
                break
            known |= found
            remaining -= calls[1] or calls[0]
            round_ += 1
        for _, (state, event, steps, outcome) in sorted(smallest.values(), key=lambda v: v[0]):
            self.into.findings.append(self.finding(base, state, event, steps, outcome, around))
        self.into.seconds += time.monotonic() - started

    def _sweep(
        self,
        near: Neighbours,
        base: _Base,
        smallest: Dict[Tuple[str, ...], Tuple[Tuple[int, List[int]], Any]],
        budget: int,
    ) -> int:
        """Run up to ``budget`` distinct States one step away from the base, each kind of
        step in turn before the next parameters; the number run."""
        tried: Set[str] = set()
        for b in range(8):
            for a in range(4):
                for kind in range(20):
                    if len(tried) >= budget or self.over():
                        return len(tried)
                    choices = [kind, a, b]
                    state, event, steps = near.walk(choices)
                    if not steps or steps[0] in tried:
                        continue
                    tried.add(steps[0])
                    outcome = _attempt(base.target, base.options, state, event)
                    self.into.runs += 1
                    if outcome.refused:
                        self.into.refused += 1
                    key = outcome.key
                    if key is not None and key != base.outcome.key:
                        order = (len(choices), choices)
                        if key not in smallest or order < smallest[key][0]:
                            smallest[key] = (order, (state, event, steps, outcome))
        return len(tried)

    @staticmethod
    def _search(probe: Callable[[List[int]], None], examples: int, seed: str) -> None:
        """One hypothesis search of ``examples`` walks, its failures shrunk."""
        from hypothesis import HealthCheck, Phase, Verbosity, given, settings
        from hypothesis import seed as seeded

        search = seeded(zlib.crc32(seed.encode()))(
            settings(
                max_examples=examples,
                database=None,
                deadline=None,
                derandomize=False,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=True,
                verbosity=Verbosity.quiet,
                print_blob=False,
            )(given(_walks())(probe))
        )
        try:
            search()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            pass  # what it found is the probe's to keep

    def finding(
        self,
        base: _Base,
        state: State,
        event: Event,
        steps: Sequence[str],
        outcome: _Outcome,
        around: str,
    ) -> Finding:
        cause = outcome.cause
        assert cause is not None and outcome.key is not None
        error = outcome.key[0]
        where = outcome.where
        line = int(outcome.key[2]) if len(outcome.key) > 2 else 0
        name = test_name(event.name, error.rsplit(".", 1)[-1], line, self._taken_names)
        doc = f"The charm raises {error.rsplit('.', 1)[-1]} at {where}."
        found = f"Found by scenario fuzzing (--scenario-fuzz-seed={self.seed})"
        comment = (
            [f"{found} around", f"{around}, from its State:"]
            if around
            else [f"{found}, from the State explored:"]
        )
        comment += [f"  {step}" for step in steps] or ["  (the State itself)"]
        try:
            code = str(
                test_code(
                    name=name,
                    doc=doc,
                    api=base.options.api,
                    charm_spec=base.target.charm_spec,
                    options=base.options,
                    state=state,
                    event=event,
                    comment=comment,
                )
            )
        except Exception as e:  # a State or event no code can write (a custom event)
            code = f"# (no test written: {e})\n"
        return Finding(
            error=error,
            message=_message(cause),
            where=where,
            steps=tuple(steps),
            state=state,
            event=event,
            code=code,
            around=around,
            exception=cause,
            _base=base,
        )


def _walks() -> Any:
    """The numbers a walk is decoded from (see ``Neighbours``): three per step, each small,
    so that shrinking a number keeps it meaning what it meant (the kind of step among the
    twenty, two parameters, each taken modulo what there is to choose from)."""
    from hypothesis import strategies as st

    step = st.tuples(st.integers(0, 19), st.integers(0, 255), st.integers(0, 255))
    return st.lists(step, max_size=MAX_STEPS).map(lambda steps: [n for s in steps for n in s])


class _Crash(Exception):
    """What the search raises for a finding (a subclass per finding)."""


# --- one attempt ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Outcome:
    """What one run did, as fuzzing sees it."""

    #: The charm's exception, if it raised one.
    cause: Optional[BaseException] = None
    #: ``(error type, file, line, function)`` of a finding; ``None`` when the run raised
    #: nothing the charm is to answer for.
    key: Optional[Tuple[str, ...]] = None
    where: str = ""
    #: The run tried to leave the sandbox.
    refused: bool = False
    #: The statuses it left.
    statuses: Tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        """``error at where``: how a summary names a finding."""
        return f"{self.key[0] if self.key else ''} at {self.where}"


def _attempt(target: CharmUnderTest, options: RunOptions, state: State, event: Event) -> _Outcome:
    """Run ``event`` on ``state`` once, in the sandbox, and say what happened."""
    run = Run(target, options, state, event)
    try:
        with _quiet(), _Sandbox(), run:
            run.emit()
            run.finish()
    except UncaughtCharmError as e:
        return _outcome_of(e.__cause__ or e, target.charm_spec.charm_type)
    except (InconsistentScenarioError, ScenarioRuntimeError):
        return _Outcome()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # SCENARIO_BARE_CHARM_ERRORS: the charm's own exception
        return _outcome_of(e, target.charm_spec.charm_type)
    output = run.result.output if run.result is not None else None
    return _Outcome(statuses=_statuses(output))


def _statuses(output: Any) -> Tuple[Any, ...]:
    if output is None:
        return ()
    return (output.unit_status, output.app_status)


def _outcome_of(cause: BaseException, charm_type: type) -> _Outcome:
    if _in_chain(cause, SandboxRefusal):
        return _Outcome(cause=cause, refused=True)
    if _is_test_gap(cause):
        return _Outcome(cause=cause)
    frame = charm_frame(cause, charm_type)
    error = _qualified(type(cause))
    if frame is None:
        return _Outcome(cause=cause, key=(error,), where="(outside the charm's code)")
    file, line, function = frame
    return _Outcome(
        cause=cause,
        key=(error, file, str(line), function),
        where=f"{file}:{line} in {function}",
    )


def _is_test_gap(cause: BaseException) -> bool:
    """Whether the exception says the test's setup lacks something (a command with no
    mock, a mock object standing in for a library) rather than that the charm crashed."""
    for e in _chain(cause):
        if getattr(e, "_scenario_not_mocked", False):
            return True
        if isinstance(e, ScenarioRuntimeError):
            return True
        if "Mock" in str(e) or any("unittest/mock.py" in f.filename for f in _frames(e)):
            return True
    return False


def _chain(e: BaseException) -> Iterator[BaseException]:
    seen: Set[int] = set()
    current: Optional[BaseException] = e
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _in_chain(e: BaseException, kind: type) -> bool:
    return any(isinstance(x, kind) for x in _chain(e))


def _frames(e: BaseException) -> List[traceback.FrameSummary]:
    return list(traceback.extract_tb(e.__traceback__))


def _qualified(kind: type) -> str:
    module = kind.__module__
    if module in ("builtins", "__main__"):
        return kind.__qualname__
    return f"{module}.{kind.__qualname__}"


def _message(e: BaseException) -> str:
    text = str(e)
    return text if len(text) <= 300 else text[:297] + "..."


# --- the sandbox ------------------------------------------------------------------------------


class SandboxRefusal(OSError):
    """A fuzzing run tried to reach outside the unit (the network, a subprocess, a sleep):
    the test's own run did not, and a patch the test made has ended, most likely. Such a
    run is passed over, never reported."""


class _NetworkRefusal(SandboxRefusal, ConnectionRefusedError):
    pass


class _ProcessRefusal(SandboxRefusal, PermissionError):
    pass


class _Sandbox:
    """While fuzzing runs the charm, its thread cannot open a connection, start a process
    or sleep: a State the test never built may take the charm down a path the test did not
    patch. Other threads are untouched."""

    _lock = threading.Lock()

    def __enter__(self) -> _Sandbox:
        me = threading.get_ident()

        def guard(original: Callable[..., Any], refusal: type, what: str) -> Callable[..., Any]:
            def guarded(*args: Any, **kwargs: Any) -> Any:
                if threading.get_ident() == me:
                    raise refusal(f"scenario fuzzing: the charm tried to {what}")
                return original(*args, **kwargs)

            return guarded

        def no_sleep(seconds: float) -> None:
            if threading.get_ident() == me and seconds > 0:
                raise SandboxRefusal("scenario fuzzing: the charm tried to sleep")
            _ORIGINALS["sleep"](seconds)

        self._patches = [
            (socket.socket, "connect", guard(socket.socket.connect, _NetworkRefusal, "connect")),
            (
                socket.socket,
                "connect_ex",
                guard(socket.socket.connect_ex, _NetworkRefusal, "connect"),
            ),
            (socket, "getaddrinfo", guard(socket.getaddrinfo, _NetworkRefusal, "resolve a name")),
            (
                subprocess.Popen,
                "__init__",
                guard(subprocess.Popen.__init__, _ProcessRefusal, "start a process"),
            ),
            (os, "system", guard(os.system, _ProcessRefusal, "start a process")),
            (time, "sleep", no_sleep),
        ]
        self._saved = [(owner, name, getattr(owner, name)) for owner, name, _ in self._patches]
        for owner, name, replacement in self._patches:
            setattr(owner, name, replacement)
        return self

    def __exit__(self, *exc: Any) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)


_ORIGINALS = {"sleep": time.sleep}


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No warnings, logging or printing from the charm while fuzzing: none of it is the
    test's (and a suite may turn warnings into errors)."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    sink = io.StringIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                yield
    finally:
        logging.disable(previous)


def random_seed() -> int:
    """A fresh fuzzing seed, when none is given: 32 bits, short enough to type back."""
    return int.from_bytes(os.urandom(4), "big")


# --- recording a test's runs ------------------------------------------------------------------


@dataclasses.dataclass
class _Recorded:
    """A run a test made: the run, what it raised, and its State as it was given."""

    run: Run
    raised: Optional[BaseException]
    state: State


class Recording:
    """The runs a test makes, recorded while it runs (``with Recording() as recording:``),
    and the databag keys the charm reads. Only one records at a time."""

    def __init__(self) -> None:
        self.runs: List[_Recorded] = []
        self.keys: Set[str] = set()

    def __enter__(self) -> Recording:
        if _recording.recorder is not None:
            raise RuntimeError("another Recording is recording")
        _recording.recorder = self._ran
        _recording.read_keys = self.keys
        return self

    def __exit__(self, *exc: Any) -> None:
        _recording.recorder = None
        _recording.read_keys = None

    def _ran(self, run: Run, raised: Optional[BaseException]) -> None:
        state = run.state
        if run.options.api is Api.SCENARIO_5:
            # A Scenario 5 State's lists may change after the run: keep them as they were.
            state = state.replace()
        self.runs.append(_Recorded(run, raised, state))

    def distinct(self) -> Iterator[_Recorded]:
        """Each run but those that repeat an earlier one (same charm, options, event and
        State)."""
        seen: List[_Recorded] = []
        for recorded in self.runs:
            run = recorded.run
            if any(
                earlier.run.target is run.target
                and earlier.run.options == run.options
                and earlier.run.event == run.event
                and earlier.state == recorded.state
                for earlier in seen
            ):
                continue
            seen.append(recorded)
            yield recorded


def explore_recording(
    recording: Recording,
    *,
    around: str,
    examples: int,
    seed: int,
    deadline: Optional[float],
) -> Exploration:
    """Explore around each run a test recorded that replays as it ran in the test (the
    test's outcome, an exception it expected among them, is no finding)."""
    exploration = Exploration(seed=seed)
    explorer = _Explorer(examples, seed, deadline, exploration)
    for index, recorded in enumerate(recording.distinct()):
        if explorer.over():
            break
        run, raised = recorded.run, recorded.raised
        if run.event._kind == "custom":
            exploration.passed_over.append(f"{run.event.name}: the charm's own event")
            continue
        if raised is not None and not isinstance(raised, UncaughtCharmError):
            continue  # the test's own error (one it expects): nothing of the charm's
        expected = (
            _outcome_of(raised.__cause__ or raised, run.target.charm_spec.charm_type)
            if raised is not None
            else _Outcome()
        )
        base = _Base.replayed(run.target, run.options, recorded.state, run.event)
        exploration.runs += 1
        output = run.result.output if run.result is not None else None
        if base.outcome.key != expected.key or (
            raised is None and base.outcome.statuses != _statuses(output)
        ):
            exploration.passed_over.append(
                f"{run.event.name}: does not replay as it ran in the test (a patch the test "
                "made has ended?)"
            )
            continue
        if base.outcome.key is not None:
            exploration.expected.append(base.outcome.label)
        explorer.around(base, recording.keys, around=around, index=index)
    return exploration
