"""One alternative's side of the benchmark, run with that alternative's own Python.

    python bench/run_cases.py --impl ours --json        # time every case, print JSON
    python bench/run_cases.py --impl ours --serve       # take orders from bench.py
    python bench/run_cases.py --impl ours --profile start   # cProfile, by area and top entries
    python bench/run_cases.py --impl ours --phases start    # our phases, timed by probes
    python bench/run_cases.py --impl ours --memory start    # resident set over 10,000 runs

``--serve`` reads one JSON order per line on stdin and answers one JSON line each:
``{"op": "info"}``, ``{"op": "calibrate", "case": ..., "sample_ns": ...}`` (set the case
up, check one output, warm up, and say how many iterations fill a sample) and
``{"op": "sample", "case": ..., "iterations": ...}`` (set up afresh, run once untimed, then
time that many runs), ``{"op": "long_session", "case": ...}`` (one Context through a
thousand runs, each timed) and ``{"op": "fuzz", "case": ...}`` (the case's run explored
around, as ``--scenario-fuzz`` does). bench.py interleaves the samples of every alternative this
way, so a burst of load on the shared machine hits all of them alike.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import logging
import os
import re
import statistics
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Tuple

# The case modules import the bench charm as ``charm``, from its source directory.
sys.path.insert(0, str(Path(__file__).resolve().parent / "charm" / "src"))

# The cases, in the order of the table, with what each times.
CASES: Dict[str, str] = {
    "unobserved": "update-status, which nothing observes",
    "start": "start, with an observer that sets a status",
    "juju_log_200": "upgrade-charm, whose handler logs 200 juju-log lines",
    "deferred": "update-status, re-emitting a deferred start first",
    "relation_changed": "db-relation-changed on a State with that one relation (5 units)",
    "pebble_ready": "workload-pebble-ready: push a file, add a layer, replan",
    "action": "the snapshot action (params, log, results, stored state)",
    "full_state": "config-changed on a State with every component",
    "relation_changed_200": "db-relation-changed on a State of 200 relations of 5 units",
    "chain_4": "install, config-changed, start, update-status, each output into the next",
    # What a suite pays per test for its Context: a new one for each run of a warm case.
    **{
        f"{case}_fresh": f"{case}, with a new Context for each run"
        for case in (
            "start",
            "relation_changed",
            "pebble_ready",
            "action",
            "full_state",
        )
    },
    "context_autoload": "Context(BenchCharm): spec read from charmcraft.yaml",
    "new_context_start": "a test's whole cost: Context(BenchCharm) autoloaded, then start",
    "import": "the SDK's import in a fresh interpreter",
    "import_with_ops": "the SDK's import and ops's, as a test module importing its charm pays",
}

# The long-session rows, this project's only: one Context through many runs of a case.
LONG_CASES: Dict[str, str] = {
    "start": "the small case",
    "relation_changed_200": "db-relation-changed on 200 relations of 5 units",
}
# Per-run time of the LONG_LATEth run of a Context against its LONG_EARLYth, each the
# median of the LONG_WINDOW runs around it.
LONG_EARLY, LONG_LATE, LONG_WINDOW = 10, 1000, 10
# Memory (resident set) after MEMORY_RUNS[1] runs against after MEMORY_RUNS[0], in a
# fresh process, with the Context's records kept or cleared after each run.
MEMORY_RUNS = (1_000, 10_000)
RECORDS = ("juju_log", "emitted_events", "unit_status_history", "app_status_history")

# The fuzzing rows, this project's only (ops[testing]'s cases): a case's run recorded as
# ``--scenario-fuzz`` records it, then explored with FUZZ_EXAMPLES States, against the
# case's plain run.
FUZZ_CASES: Dict[str, str] = {
    "start": "the small case",
    "relation_changed": "db-relation-changed, one relation of 5 units",
    "full_state": "config-changed on a State with every component",
}
FUZZ_EXAMPLES = 200

# The cases timed by bench.py in fresh interpreters, from each module's import statements.
IMPORT_CASES = {"import": "IMPORT", "import_with_ops": "IMPORT_WITH_OPS"}

# Which module of cases each alternative runs: ours is a drop-in for Scenario 5 and, as
# ours8 (the same venv, `from ops import testing` being ours), for ops[testing].
MODULES = {
    "ours": "cases_scenario5",
    "ours8": "cases_scenario8",
    "scenario5": "cases_scenario5",
    "scenario8": "cases_scenario8",
    "floor": "cases_floor",
}

# The distribution each alternative must have installed, so a miswired venv is caught.
EXPECTED = {
    "ours": "scenario-rs",
    "ours8": "scenario-rs",
    "scenario5": "ops-scenario",
    "scenario8": "ops-scenario",
    "floor": "ops",
}

Case = Tuple[Callable[[], Any], Callable[[Any], None]]


def versions(impl: str) -> Dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for dist in ("ops", "ops-scenario", "scenario-rs"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    if EXPECTED[impl] not in found:
        raise SystemExit(f"{impl}: {EXPECTED[impl]} is not installed in {sys.prefix}")
    return found


class _FreshContext:
    """A Context that is a new one for each run (``run``, ``run_action``, ``manager``),
    and the last one made for anything else (its records, its ``on``)."""

    _RUNS = ("run", "run_action", "manager", "action_manager")

    def __init__(self, make: Callable[[], Any]):
        self._make = make
        self._last = make()

    def __getattr__(self, name: str) -> Any:
        if name in self._RUNS:
            self._last = self._make()
        return getattr(self._last, name)


class Runner:
    """Sets the cases of one alternative up and times them."""

    def __init__(self, impl: str):
        self.impl = impl
        self.module = importlib.import_module(MODULES[impl])
        self.common = importlib.import_module("common")
        root = logging.getLogger()
        self._root_handlers = list(root.handlers)

    def setup(self, case: str) -> Case:
        """Set a case up, in a process brought back to how it started.

        Two leaks would otherwise make a case's time depend on how many runs came before
        it in this process. Scenario 5.8.1 adds a juju-log handler to the root logger on
        every run and never removes it: each later log record goes through one more
        handler. So every run starts with the root logger's handlers as the process
        started (for every alternative alike: the others leave them as they found them).
        Its level is left as the runs leave it, as a suite's runs find it: at DEBUG, where
        ops.main, both originals and this project leave it (resetting it would charge
        each run two clearings of logging's caches that no suite pays). And ops (2.10 and
        3.9 alike) keeps every Framework ever made alive: the class-level
        ``Framework.on`` caches its per-instance events in a WeakKeyDictionary whose
        values refer to their key, so each run's Framework, Model and backend stay on the
        heap, and every garbage collection walks them. That cache is emptied before each
        sample.
        """
        self._reset_root_logger()
        framework = sys.modules["ops.framework"].Framework
        framework.on._cache.clear()
        run, check = self._case(case)

        def clean_run() -> Any:
            self._reset_root_logger()
            return run()

        return clean_run, check

    def _case(self, case: str) -> Case:
        """A case's run and check. ``X_fresh`` is case ``X`` with a new Context for each
        run (the same State): the case is set up with a Context that makes a new one
        whenever it is asked to run, and answers from the last one made otherwise."""
        if not case.endswith("_fresh"):
            return getattr(self.module, f"case_{case}")()
        make_case = getattr(self.module, f"case_{case[: -len('_fresh')]}")
        make_context = getattr(self.module, "_context", None)
        if make_context is None:
            raise self.common.NotApplicable("no Context: each run is set up afresh anyway")
        self.module._context = lambda: _FreshContext(make_context)
        try:
            return make_case()
        finally:
            self.module._context = make_context

    def _reset_root_logger(self) -> None:
        root = logging.getLogger()
        if root.handlers != self._root_handlers:
            root.handlers[:] = self._root_handlers

    def calibrate(self, case: str, sample_ns: int) -> Dict[str, Any]:
        """Check the case, warm it up, and find how many runs fill a sample."""
        try:
            run, check = self.setup(case)
        except self.common.NotApplicable as e:
            return {"na": str(e)}
        check(run())
        # Warm up for about one sample, doubling the batch until it fills one.
        iterations = 1
        while True:
            elapsed = self._time(run, iterations)
            if elapsed >= sample_ns or iterations >= 1 << 20:
                break
            iterations *= 2
        per_iter = elapsed / iterations
        return {"iterations": max(1, round(sample_ns / per_iter)), "per_iter_ns": per_iter}

    def sample(self, case: str, iterations: int) -> Dict[str, Any]:
        """Time ``iterations`` runs on a fresh setup (after one untimed run)."""
        run, _ = self.setup(case)
        run()
        # Flush what the other alternatives' samples wrote: an SDK whose runs fsync (ops's
        # SQLite store, as Scenario 5.8.1 has it on disk) would otherwise pay for their
        # dirty pages too, and its time would depend on who sampled before it.
        os.sync()
        return {"ns": self._time(run, iterations)}

    def long_session(self, case: str) -> Dict[str, float]:
        """One Context's runs of a case, each timed: the median ns per run around the
        early and the late run."""
        run, _ = self.setup(case)
        half = LONG_WINDOW // 2
        times = []
        gc.collect()
        for _ in range(LONG_LATE + half):
            start = time.perf_counter_ns()
            run()
            times.append(time.perf_counter_ns() - start)
        # Run n is times[n - 1]; the window around it holds LONG_WINDOW runs.
        return {
            str(n): statistics.median(times[n - 1 - half : n - 1 + half])
            for n in (LONG_EARLY, LONG_LATE)
        }

    def fuzz(self, case: str) -> Dict[str, Any]:
        """A case's run recorded and explored around, as ``--scenario-fuzz`` does after a
        test: the runs made and their time, and the case's plain run in the same process."""
        from scenario import fuzz

        run, check = self.setup(case)
        with fuzz.Recording() as recording:
            check(run())
        plain_runs = 100
        plain_ns = self._time(run, plain_runs) / plain_runs
        gc.collect()
        start = time.perf_counter_ns()
        found = fuzz.explore_recording(
            recording, around=case, examples=FUZZ_EXAMPLES, seed=1, deadline=None
        )
        elapsed = time.perf_counter_ns() - start
        return {
            "runs": found.runs,
            "ns": elapsed,
            "per_run_ns": elapsed / found.runs,
            "plain_ns": plain_ns,
            "findings": len(found.findings),
        }

    def memory(self, case: str, clear_records: bool) -> Dict[str, int]:
        """The resident set after each of MEMORY_RUNS runs of one Context (call it in a
        fresh process)."""
        run, _ = self.setup(case)
        ctx = getattr(self.module, "LAST_CONTEXT", None)
        if clear_records and ctx is None:
            raise SystemExit(f"{self.impl}: its cases do not say which Context they made")
        found = {}
        for n in range(1, MEMORY_RUNS[-1] + 1):
            run()
            if clear_records:
                for name in RECORDS:
                    getattr(ctx, name).clear()
            if n in MEMORY_RUNS:
                gc.collect()
                found[str(n)] = resident_bytes()
        return found

    @staticmethod
    def _time(run: Callable[[], Any], iterations: int) -> int:
        gc.collect()
        start = time.perf_counter_ns()
        for _ in range(iterations):
            run()
        return time.perf_counter_ns() - start


def resident_bytes() -> int:
    """The process's resident set now (Linux), not its peak."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def serve(runner: Runner, out: Any) -> None:
    for line in sys.stdin:
        order = json.loads(line)
        try:
            op = order["op"]
            if op == "info":
                answer: Dict[str, Any] = {
                    "versions": versions(runner.impl),
                    "imports": {c: getattr(runner.module, a) for c, a in IMPORT_CASES.items()},
                }
            elif op == "calibrate":
                answer = runner.calibrate(order["case"], order["sample_ns"])
            elif op == "sample":
                answer = runner.sample(order["case"], order["iterations"])
            elif op == "long_session":
                answer = runner.long_session(order["case"])
            elif op == "fuzz":
                answer = runner.fuzz(order["case"])
            else:
                answer = {"error": f"unknown op {op!r}"}
        except Exception:
            answer = {"error": traceback.format_exc()}
        out.write(json.dumps(answer) + "\n")
        out.flush()


def batch(runner: Runner, samples: int, sample_ns: int) -> Dict[str, Any]:
    """Every case but the import, on its own: median ns per run over ``samples``."""
    results: Dict[str, Any] = {}
    for case in CASES:
        if case in IMPORT_CASES:
            continue
        try:
            cal = runner.calibrate(case, sample_ns)
        except Exception:
            # Printed here: an SDK may have replaced sys.excepthook (ops's logging setup does).
            results[case] = {"error": traceback.format_exc()}
            print(f"{runner.impl} {case}:\n{results[case]['error']}", file=sys.stderr)
            continue
        if "na" in cal:
            results[case] = cal
            continue
        per_run = [
            runner.sample(case, cal["iterations"])["ns"] / cal["iterations"]
            for _ in range(samples)
        ]
        results[case] = {"median_ns": statistics.median(per_run), "samples_ns": per_run}
    return {"impl": runner.impl, "versions": versions(runner.impl), "cases": results}


def _area(filename: str, func: str) -> str:
    """Where a profiled function lives: ``ops/<module>``, ``scenario/<module>``,
    ``scenario (Rust)`` for the compiled module's functions, another installed package,
    the charm, or the stdlib module."""
    path = filename.replace("\\", "/")
    if "/site-packages/" in path:
        inside = path.split("/site-packages/", 1)[1]
        if inside.startswith(("ops/", "scenario/")):
            return inside
        return inside.split("/", 1)[0]
    bench = str(Path(__file__).resolve().parent)
    if path.startswith(bench):
        return "the charm" if "/charm/" in path else "the bench case"
    if filename == "~":
        return "scenario (Rust)" if "scenario" in func else "builtins"
    match = re.search(r"/lib/python3\.\d+/([^/]+)", path)
    return match.group(1).removesuffix(".py") if match else path


def profile(runner: Runner, case: str, runs: int, top: int) -> None:
    """cProfile ``runs`` runs of a case: per run, the time by area (self time) and the
    top entries by cumulative time, of ours and of ops."""
    import cProfile
    import pstats

    run, check = runner.setup(case)
    check(run())
    for _ in range(max(1, runs // 10)):
        run()
    profiler = cProfile.Profile()
    start = time.perf_counter_ns()
    profiler.enable()
    for _ in range(runs):
        run()
    profiler.disable()
    elapsed = time.perf_counter_ns() - start
    us = 1e6 / runs
    print(f"{runner.impl} {case}: {runs} runs under cProfile, {elapsed / runs / 1000:.1f} µs/run")
    entries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    by_area: Dict[str, float] = {}
    for (filename, _, func), (_, _, tottime, _, _) in entries.items():
        area = _area(filename, func)
        by_area[area] = by_area.get(area, 0.0) + tottime
    total = sum(by_area.values())
    print("\nself time by area, µs per run:")
    for area, t in sorted(by_area.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {t * us:8.1f}  {100 * t / total:5.1f}%  {area}")
    for package in ("scenario", "ops"):
        print(f"\ntop {top} of {package} by cumulative time, µs per run (calls per run):")
        mine = [
            (ct, nc, filename, line, func)
            for (filename, line, func), (_, nc, _, ct, _) in entries.items()
            if _area(filename, func).startswith(package)
        ]
        for ct, nc, filename, line, func in sorted(mine, reverse=True)[:top]:
            where = _area(filename, func) if filename != "~" else ""
            print(f"  {ct * us:8.1f}  ({nc / runs:5.1f})  {where}:{line}({func})")


# Where one of our runs spends its time: (depth, label, module, object path, attribute).
# Each probe times the calls of one function, inclusive of what it calls.
PHASES = [
    (0, "Context.run", "scenario.context", "Context", "run"),
    (1, "coerce the event", "scenario.context", "Context", "_coerce_event"),
    (1, "consistency check (Rust)", "scenario.consistency_checker", "", "check_consistency"),
    (1, "start_run: output State, env (Rust)", "scenario._scenario", "", "start_run"),
    (1, "the mocked model backend", "scenario.mocking", "_MockModelBackend", "__init__"),
    (1, "Ops.setup", "scenario.ops_main_mock", "Ops", "setup"),
    (2, "ops Model", "ops.model", "Model", "__init__"),
    (2, "ops Framework", "ops.framework", "Framework", "__init__"),
    (2, "the charm's __init__ (observe...)", "charm", "BenchCharm", "__init__"),
    (1, "Ops.emit (reemit, event, handler)", "scenario.ops_main_mock", "Ops", "emit"),
    (1, "Ops.commit", "scenario.ops_main_mock", "Ops", "commit"),
    (2, "collect-status", "ops.charm", "", "_evaluate_status"),
    (2, "Framework.commit", "ops.framework", "Framework", "commit"),
    (1, "session records (Rust)", "scenario._scenario", "", "session_records"),
    (1, "stored state out", "scenario.ops_main_mock", "_MemoryStore", "stored_states"),
    (1, "finish_run: output State (Rust)", "scenario._scenario", "", "finish_run"),
    (1, "Context._record", "scenario.context", "Context", "_record"),
]


def phases(runner: Runner, case: str, runs: int) -> None:
    """Time the phases of our runs of a case with probes on the functions in PHASES
    (no profiler: the probes cost about half a microsecond per call)."""
    if runner.impl != "ours":
        raise SystemExit("--phases probes this project's package: use --impl ours")
    run, check = runner.setup(case)
    check(run())
    spent: Dict[str, int] = {}

    def probe(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter_ns()
            try:
                return func(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0) + time.perf_counter_ns() - start

        return timed

    for _, label, module, path, attr in PHASES:
        owner: Any = importlib.import_module(module)
        for part in filter(None, path.split(".")):
            owner = getattr(owner, part)
        setattr(owner, attr, probe(label, getattr(owner, attr)))
    for _ in range(max(1, runs // 10)):
        run()
    spent.clear()
    for _ in range(runs):
        run()
    print(f"{runner.impl} {case}: µs per run, over {runs} runs (inclusive; 'other' is the")
    print("part of a phase in none of the phases below it)")
    for i, (depth, label, *_) in enumerate(PHASES):
        print(f"  {spent.get(label, 0) / runs / 1000:8.1f}  {'  ' * depth}{label}")
        children = []
        for d, child, *_ in PHASES[i + 1 :]:
            if d <= depth:
                break
            if d == depth + 1:
                children.append(child)
        if children:
            other = spent.get(label, 0) - sum(spent.get(c, 0) for c in children)
            print(f"  {other / runs / 1000:8.1f}  {'  ' * (depth + 1)}other")


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=sorted(MODULES), required=True)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--json", action="store_true", help="time every case, print JSON")
    mode.add_argument("--serve", action="store_true", help="take orders from bench.py")
    runnable = [c for c in CASES if c not in IMPORT_CASES]
    mode.add_argument("--profile", metavar="CASE", choices=runnable, help="cProfile a case")
    mode.add_argument("--phases", metavar="CASE", choices=runnable, help="our phases of a case")
    mode.add_argument(
        "--memory", metavar="CASE", choices=list(LONG_CASES), help="memory over many runs"
    )
    parser.add_argument("--clear-records", action="store_true", help="with --memory")
    parser.add_argument("--samples", type=int, default=11)
    parser.add_argument("--sample-ms", type=float, default=30.0)
    # Not too many: ops keeps every run's Framework alive (see Runner.setup), so a long
    # series of runs in one process slows down as the heap grows.
    parser.add_argument("--runs", type=int, default=300, help="runs to profile or probe")
    parser.add_argument("--top", type=int, default=15, help="profile entries to print")
    args = parser.parse_args(argv)

    # The answers go to the real stdout; anything a charm or an SDK prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    if args.serve or args.json or args.memory:
        sys.stdout = sys.stderr
    runner = Runner(args.impl)
    if args.serve:
        serve(runner, out)
    elif args.json:
        result = batch(runner, args.samples, int(args.sample_ms * 1e6))
        out.write(json.dumps(result, indent=2) + "\n")
    elif args.memory:
        found = runner.memory(args.memory, args.clear_records)
        out.write(json.dumps(found) + "\n")
    elif args.profile:
        profile(runner, args.profile, args.runs, args.top)
    else:
        phases(runner, args.phases, args.runs)


if __name__ == "__main__":
    main()
