"""``--scenario-fuzz``: the pytest side of ``scenario.fuzz``, registered by the plugin
(``_scenario_rs_pytest``) only when the option is given.

Each test's runs are recorded while it runs; once the test has passed (before its
fixtures are torn down, so that what they patch still is), the runs are explored around.
What each test found, and its cost, travels in the test's report (``user_properties``),
so that under xdist the controller sums up the workers' tests as it does its own.
"""

from __future__ import annotations

import dataclasses
import json
import textwrap
import time
from typing import Any, Dict, Generator, List, Optional, Set

import pytest

from scenario_rs import fuzz

__all__ = ["FuzzPlugin", "Summary"]

#: The key of a test's fuzzing result in its report's ``user_properties``.
PROPERTY = "scenario-fuzz"


@dataclasses.dataclass(frozen=True)
class Settings:
    """The session's fuzzing options."""

    examples: int
    seed: int
    #: Seconds per test, and for the whole session (per process under xdist).
    test_budget: Optional[float]
    session_budget: Optional[float]
    json_path: Optional[str]
    #: Whether a test whose runs crash nearby fails.
    fail: bool


class FuzzPlugin:
    """The hooks of ``--scenario-fuzz``."""

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.started = time.monotonic()
        self.summary = Summary(settings)
        #: What each test with findings found, for ``--scenario-fuzz-fail``.
        self._failing: Dict[str, Dict[str, Any]] = {}

    # --- each test --------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, None]:
        with fuzz.Recording() as recording:
            outcome = yield
        if outcome.excinfo is not None or not recording.runs:
            return
        settings = self.settings
        deadline = _earliest(
            None if settings.test_budget is None else time.monotonic() + settings.test_budget,
            None if settings.session_budget is None else self.started + settings.session_budget,
        )
        if deadline is not None and deadline <= time.monotonic():
            item.user_properties.append(
                (PROPERTY, json.dumps({"skipped": "the session's fuzzing budget is spent"}))
            )
            return
        # Each search's seed comes from the session's and the test's id: a test explores
        # the same States whichever worker runs it, in whatever order.
        try:
            exploration = fuzz.explore_recording(
                recording,
                around=item.nodeid,
                examples=settings.examples,
                seed=settings.seed,
                deadline=deadline,
            )
        except Exception as error:
            # A fault of fuzzing's own never fails the user's test: it is reported, and
            # the session goes on.
            reason = f"fuzzing itself failed ({type(error).__name__}: {error}): please report it"
            exploration = fuzz.Exploration(passed_over=[reason], seed=settings.seed)
        data = exploration.as_dict()
        item.user_properties.append((PROPERTY, json.dumps(data)))
        if exploration.findings:
            self._failing[item.nodeid] = data

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: Any
    ) -> Generator[None, Any, None]:
        outcome = yield
        if not self.settings.fail or call.when != "call":
            return
        data = self._failing.pop(item.nodeid, {})
        expected = self.summary.expected | set(data.get("expected", ()))
        findings = [f for f in data.get("findings", ()) if label(f) not in expected]
        report = outcome.get_result()
        if findings and report.passed:
            report.outcome = "failed"
            report.longrepr = "scenario fuzzing found crashes near this test's runs:\n\n" + (
                "\n".join(_finding_text(i, f) for i, f in enumerate(findings, 1))
            )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for name, value in getattr(report, "user_properties", ()):
            if name == PROPERTY:
                self.summary.add(report.nodeid, json.loads(value))

    # --- xdist: the workers take the controller's seed ----------------------------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["scenario_fuzz_seed"] = self.settings.seed

    # --- the end ------------------------------------------------------------------------------

    def pytest_report_header(self, config: pytest.Config) -> str:
        s = self.settings
        return f"scenario fuzz: {s.examples} States around each run, seed {s.seed}" + (
            f", {s.test_budget:g} s a test" if s.test_budget else ""
        )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(self.config, "workerinput"):
            return
        terminalreporter.write_sep("=", "scenario fuzz")
        verbose = self.config.option.verbose > 0
        for line in self.summary.lines(verbose=verbose):
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        path = self.settings.json_path
        if path and not hasattr(self.config, "workerinput"):
            with open(path, "w") as f:
                json.dump(self.summary.as_dict(), f, indent=2)


class Summary:
    """What the session's fuzzing did, from the tests' reports: each finding once (under
    the first test it was found around), the runs, their cost."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tests: Dict[str, Dict[str, Any]] = {}
        #: Each finding by its error and where, with the tests it was found around.
        self.all_findings: Dict[str, Dict[str, Any]] = {}
        #: The crashes some test's own run had: the suite knows them.
        self.expected: Set[str] = set()

    def add(self, nodeid: str, data: Dict[str, Any]) -> None:
        self.tests[nodeid] = data
        self.expected.update(data.get("expected", ()))
        for finding in data.get("findings", ()):
            key = label(finding)
            known = self.all_findings.get(key)
            if known is None:
                self.all_findings[key] = dict(finding, around=[nodeid])
            else:
                known["around"].append(nodeid)

    @property
    def findings(self) -> Dict[str, Dict[str, Any]]:
        """The findings but those the suite expects somewhere."""
        return {k: f for k, f in self.all_findings.items() if k not in self.expected}

    @property
    def runs(self) -> int:
        return sum(t.get("runs", 0) for t in self.tests.values())

    @property
    def seconds(self) -> float:
        return sum(t.get("seconds", 0.0) for t in self.tests.values())

    def explored(self) -> List[str]:
        return [n for n, t in self.tests.items() if t.get("explored")]

    def as_dict(self) -> Dict[str, Any]:
        seconds = self.seconds
        return {
            "seed": self.settings.seed,
            "examples": self.settings.examples,
            "tests": self.tests,
            "findings": list(self.findings.values()),
            "expected": sorted(self.expected),
            "runs": self.runs,
            "seconds": round(seconds, 3),
            "runs_per_second": round(self.runs / seconds, 1) if seconds else None,
        }

    def lines(self, *, verbose: bool = False) -> List[str]:
        s = self.settings
        out = [
            f"seed {s.seed} (the same States again: --scenario-fuzz-seed={s.seed}); "
            f"{s.examples} States around each run"
        ]
        explored = self.explored()
        if not explored:
            out.append("no test ran a charm (nothing to explore)")
            return out
        seconds = self.seconds
        rate = f" ({self.runs / seconds:,.0f} runs a second)" if seconds else ""
        out.append(
            f"{_count(len(explored), 'test')} explored around; {self.runs:,} runs in "
            f"{seconds:.1f} s{rate}"
        )
        costs = sorted((t.get("seconds", 0.0), n) for n, t in self.tests.items())
        mean = seconds / len(explored)
        out.append(
            f"cost per test: {mean:.2f} s on average, {costs[-1][0]:.2f} s at most "
            f"({costs[-1][1]})"
        )
        passed_over = [
            (n, reason) for n, t in self.tests.items() for reason in t.get("passed_over", ())
        ]
        cut = [n for n, t in self.tests.items() if t.get("cut_short")]
        refused = sum(t.get("refused", 0) for t in self.tests.values())
        if cut:
            out.append(f"{_count(len(cut), 'test')} cut short by the time budget")
        if refused:
            out.append(
                f"{refused:,} runs tried to leave the sandbox (the network, a process, a "
                "sleep) and were passed over"
            )
        if passed_over:
            out.append(f"{_count(len(passed_over), 'run')} passed over (-v lists them)")
            if verbose:
                out += [f"  {n}: {reason}" for n, reason in passed_over]
        if not self.findings:
            out.append("no findings")
            return out
        findings = self.findings
        by_test = len({n for f in findings.values() for n in f["around"]})
        out.append(f"{_count(len(findings), 'finding')}, around {_count(by_test, 'test')}:")
        for i, finding in enumerate(findings.values(), 1):
            out.append("")
            out += _finding_text(i, finding).splitlines()
        return out


def label(finding: Dict[str, Any]) -> str:
    """``error at where``: a finding's name."""
    return f"{finding['error']} at {finding['where']}"


def _finding_text(number: int, finding: Dict[str, Any]) -> str:
    around = finding.get("around")
    if isinstance(around, list):
        others = len(around) - 1
        where = around[0] + (f" (and {_count(others, 'other test')})" if others else "")
    else:
        where = around or ""
    lines = [f"{number}. {finding['error']} at {finding['where']}: {finding['message']}"]
    if where:
        lines.append(f"   around {where}")
    lines.append(textwrap.indent(finding["code"].rstrip(), "   "))
    return "\n".join(lines)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


def _earliest(*deadlines: Optional[float]) -> Optional[float]:
    given = [d for d in deadlines if d is not None]
    return min(given) if given else None


def settings_from(config: pytest.Config, examples: int) -> Settings:
    """The session's settings, from the options (a worker takes the controller's seed)."""
    option = config.option
    seed = getattr(config, "workerinput", {}).get("scenario_fuzz_seed")
    if seed is None:
        seed = option.scenario_fuzz_seed
    if seed is None:
        seed = fuzz.random_seed()
    return Settings(
        examples=examples,
        seed=int(seed),
        test_budget=option.scenario_fuzz_test_budget,
        session_budget=option.scenario_fuzz_budget,
        json_path=option.scenario_fuzz_json,
        fail=bool(option.scenario_fuzz_fail),
    )
