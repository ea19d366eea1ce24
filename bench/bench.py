"""The runner of ``cargo xtask bench``: every case, every alternative, one table.

    python bench/bench.py --impl ours=PY [--impl ours8=PY] --impl scenario8=PY \\
        --impl scenario5=PY --impl floor=PY [--consistency LINE ...] [--rounds N] \\
        [--sample-ms MS] [--cases CASE,...] [--long-rounds N]

Each alternative runs in its own venv, in a worker process (``run_cases.py --serve``).
For each case, each worker first checks one output and finds how many runs fill a sample
of about ``--sample-ms``; then, round after round, every alternative takes one sample in
turn (the order rotates each round). A case's number is the median over the rounds of
the time per run. A ratio is measured pair by pair: the median over the rounds of ours
divided by theirs in the same round, so a burst of load on the machine hits both sides
of a pair alike. ``ours8`` (the cases written in ops[testing]'s API, run on ours) is
paired with Scenario 8 running the same cases. ``import`` is timed in a fresh interpreter
per sample.

Then the long-session rows, this project's only: one Context through a thousand runs of
the small case and of the 200-relation case (the late run's time against the early
run's, ``--long-rounds`` times), and the resident set after 10,000 runs against after
1,000, records kept or cleared, each in a fresh interpreter. Then fuzzing, ours: a run
while fuzzing against the plain run of the same case (``--long-rounds`` times), and the
seeded charm's suite under ``--scenario-fuzz``: its time and the seeded bugs found.

Prints the tables (Markdown, for BENCHMARKS.md) and writes every sample to
bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

BENCH = Path(__file__).resolve().parent
FUZZ_CHARMS = BENCH.parent / "scenario-py" / "tests" / "fuzz_charms"
# run_cases, and seeded_bugs (the seeded charm's bugs, as its tests count them).
sys.path[:0] = [str(BENCH), str(FUZZ_CHARMS)]

import seeded_bugs  # noqa: E402
from run_cases import (  # noqa: E402 - after the path to bench/ is known
    CASES,
    FUZZ_CASES,
    FUZZ_EXAMPLES,
    IMPORT_CASES,
    LONG_CASES,
    LONG_EARLY,
    LONG_LATE,
    MEMORY_RUNS,
)

# The alternatives, in the table's order, with their names there.
NAMES = {
    "ours": "ours",
    "ours8": "ours, ops[testing] API",
    "scenario8": "Scenario 8",
    "scenario5": "Scenario 5.8.1",
    "floor": "ops floor",
}

# Targets: ours divided by the alternative, at most this much, for every case.
RATIO_TARGETS = {"scenario8": 0.35, "scenario5": 0.1}
# ...and the cases written in ops[testing]'s API, on ours against on ops[testing] itself.
OPS_TESTING_PAIR = ("ours8", "scenario8", 0.2)
# ...and for the start case only, against hand-wired ops.
FLOOR_TARGET = ("start", 1.2)
# relation-changed on 200 relations at most this many times relation-changed on one.
SCALING = ("relation_changed_200", "relation_changed", 4.0)
# A long session, ours: the late run at most this many times the early one, and the
# memory after the most runs at most this many times that after the fewest.
LONG_TARGET = 1.1
MEMORY_TARGET = 1.2
# Fuzzing, ours: a run while fuzzing (hypothesis, the walk, the sandbox and all) at most
# this many times the plain run of the case; the seeded charm's suite fuzzed, every seeded
# bug found, in at most this many seconds.
FUZZ_TARGET = 2.0
FUZZ_SUITE_TARGET_S = 60.0
# The rows of the long session and of fuzzing, which --cases can name too.
LONG_ROWS = ["long_session", "memory", "fuzz", "fuzz_suite"]
SEEDED = FUZZ_CHARMS / "seeded"
CONSISTENCY_TARGET_NS = 1_000_000

# Cases sampled in the same rounds, so that their ratio is measured pair by pair too.
GROUPS = [[SCALING[1], SCALING[0]]] + [[c] for c in CASES if c not in SCALING[:2]]

# What the wheel is built from, for the commit recorded with the results.
PACKAGE_SOURCES = [
    "Cargo.lock",
    "scenario-model",
    "scenario-consistency",
    "scenario-pebble",
    "scenario-runtime",
    "scenario-py",
]

IMPORT_TIMER = "import time; t = time.perf_counter_ns(); {}; print(time.perf_counter_ns() - t)"


class Worker:
    """One alternative's ``run_cases.py --serve``, in its own venv."""

    def __init__(self, impl: str, python: str, log_dir: Path):
        self.impl = impl
        self.python = python
        # What the SDKs log (their warnings, the charm's logs) goes to a file, not the table.
        self.log = (log_dir / f"{impl}.stderr").open("w")
        self.proc = subprocess.Popen(
            [python, str(BENCH / "run_cases.py"), "--impl", impl, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            cwd=BENCH.parent,
        )
        self.info = self.ask(op="info")

    def ask(self, **order: Any) -> Dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(order) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"{self.impl}: the worker died (see {self.log.name})")
        answer = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"{self.impl}: {order}\n{answer['error']}")
        return answer

    def import_ns(self, case: str) -> int:
        """An import case, in a fresh interpreter (cwd outside the repo)."""
        code = IMPORT_TIMER.format(self.info["imports"][case])
        out = subprocess.run(
            [self.python, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=tempfile.gettempdir(),
        )
        return int(out.stdout.strip())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()
        self.log.close()


Cell = Tuple[str, str]  # (impl, case)


def run_group(
    workers: Dict[str, Worker], group: List[str], rounds: int, sample_ns: int
) -> Tuple[Dict[Cell, List[float]], Dict[Cell, Dict[str, Any]]]:
    """Per-run times of each (impl, case) of the group, one per round."""
    setup: Dict[Cell, Dict[str, Any]] = {}
    for case in group:
        for impl, worker in workers.items():
            if case in IMPORT_CASES:
                for _ in range(2):  # bytecode caches written, files in the page cache
                    worker.import_ns(case)
                setup[impl, case] = {"iterations": 1}
            else:
                setup[impl, case] = worker.ask(op="calibrate", case=case, sample_ns=sample_ns)
    cells = [cell for cell, s in setup.items() if "na" not in s]
    times: Dict[Cell, List[float]] = {cell: [] for cell in cells}
    for r in range(rounds):
        shift = r % len(cells)
        for impl, case in cells[shift:] + cells[:shift]:
            worker = workers[impl]
            if case in IMPORT_CASES:
                times[impl, case].append(worker.import_ns(case))
            else:
                n = setup[impl, case]["iterations"]
                ns = worker.ask(op="sample", case=case, iterations=n)["ns"]
                times[impl, case].append(ns / n)
    return times, setup


def long_session(worker: Worker, rounds: int) -> Dict[str, Any]:
    """Per case, the early and late runs' time in each round, and their ratio."""
    found: Dict[str, Any] = {}
    for case in LONG_CASES:
        samples = [worker.ask(op="long_session", case=case) for _ in range(rounds)]
        early = [s[str(LONG_EARLY)] for s in samples]
        late = [s[str(LONG_LATE)] for s in samples]
        found[case] = {
            "early_ns": statistics.median(early),
            "late_ns": statistics.median(late),
            "ratio": paired(late, early),
            "samples": samples,
        }
    return found


def memory(python: str) -> Dict[str, Any]:
    """Per case, the resident set after each of MEMORY_RUNS runs, records kept or
    cleared, each in a fresh interpreter."""
    found: Dict[str, Any] = {}
    for case in LONG_CASES:
        for records in ("kept", "cleared"):
            command = [python, str(BENCH / "run_cases.py"), "--impl", "ours", "--memory", case]
            if records == "cleared":
                command.append("--clear-records")
            out = subprocess.run(
                command, capture_output=True, text=True, check=True, cwd=BENCH.parent
            )
            rss = json.loads(out.stdout)
            first, last = (rss[str(n)] for n in MEMORY_RUNS)
            found[f"{case}, records {records}"] = {"rss": rss, "ratio": last / first}
    return found


def fuzz_rows(worker: Worker, rounds: int) -> Dict[str, Any]:
    """Per case, a run while fuzzing against the case's plain run, in each round."""
    found: Dict[str, Any] = {}
    for case in FUZZ_CASES:
        samples = [worker.ask(op="fuzz", case=case) for _ in range(rounds)]
        found[case] = {
            "plain_ns": statistics.median(s["plain_ns"] for s in samples),
            "per_run_ns": statistics.median(s["per_run_ns"] for s in samples),
            "runs": statistics.median(s["runs"] for s in samples),
            "ratio": paired([s["per_run_ns"] for s in samples], [s["plain_ns"] for s in samples]),
            "samples": samples,
        }
    return found


def fuzz_suite(python: str) -> Dict[str, Any]:
    """The seeded charm's tests (its two suites, one per API), with and without
    ``--scenario-fuzz`` (the default N), each in a fresh pytest: the tests, the wall time,
    the runs, and the seeded bugs found (each marked ``# seeded (<kind>, <error>)`` above
    its line)."""
    seeded = seeded_bugs.bugs()
    found: Dict[str, Any] = {"seeded": len(seeded)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "seeded"
        shutil.copytree(SEEDED, work)
        for fuzzing in (False, True):
            report = work / "fuzz.json"
            command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
            if fuzzing:
                command += ["--scenario-fuzz", "--scenario-fuzz-seed=1"]
                command.append(f"--scenario-fuzz-json={report}")
            start = time.perf_counter()
            done = subprocess.run(command, cwd=work, check=True, capture_output=True, text=True)
            found["fuzzed_s" if fuzzing else "plain_s"] = time.perf_counter() - start
            found["tests"] = int(re.findall(r"(\d+) passed", done.stdout)[-1])
        summary = json.loads(report.read_text())
    found.update(
        found=len(seeded & seeded_bugs.found(summary)),
        findings=len(summary["findings"]),
        fuzzed_tests=len(summary["tests"]),
        runs=summary["runs"],
        runs_per_second=summary["runs_per_second"],
    )
    return found


def fuzz_table(results: Dict[str, Any]) -> List[str]:
    lines = []
    rows = results.get("fuzz")
    if rows:
        lines += [
            f"| fuzzing (ours, {FUZZ_EXAMPLES} States around a run) | plain run | a run while "
            f"fuzzing | runs a second | fuzzing / plain (≤ {FUZZ_TARGET}) |",
            "|---|---|---|---|---|",
        ]
        for case, row in rows.items():
            lines.append(
                f"| {case} | {duration(row['plain_ns'])} | {duration(row['per_run_ns'])} "
                f"| {1e9 / row['per_run_ns']:,.0f} | {ratio(row['ratio'], FUZZ_TARGET)} |"
            )
        lines.append("")
    suite = results.get("fuzz_suite")
    if suite:
        lines += [
            "| the seeded charm's suites | pytest | with --scenario-fuzz | runs "
            f"(a second) | seeded bugs found (in ≤ {FUZZ_SUITE_TARGET_S:g} s) |",
            "|---|---|---|---|---|",
            f"| {suite['tests']} tests, both APIs | {suite['plain_s']:.1f} s "
            f"| {suite['fuzzed_s']:.1f} s "
            f"| {suite['runs']:,} ({suite['runs_per_second']:,.0f}) "
            f"| {suite['found']} of {suite['seeded']} |",
            "",
        ]
    return lines


def long_table(results: Dict[str, Any]) -> List[str]:
    lines = []
    long = results.get("long_session")
    if long:
        lines += [
            f"| one Context (ours) | run {LONG_EARLY} | run {LONG_LATE} "
            f"| run {LONG_LATE} / run {LONG_EARLY} (≤ {LONG_TARGET}) |",
            "|---|---|---|---|",
        ]
        for case, row in long.items():
            lines.append(
                f"| {case} | {duration(row['early_ns'])} | {duration(row['late_ns'])} "
                f"| {ratio(row['ratio'], LONG_TARGET)} |"
            )
        lines.append("")
    mem = results.get("memory")
    if mem:
        first, last = MEMORY_RUNS
        lines += [
            f"| memory (ours, resident set) | after {first:,} runs | after {last:,} runs "
            f"| ratio (≤ {MEMORY_TARGET}) |",
            "|---|---|---|---|",
        ]
        for row_name, row in mem.items():
            rss = row["rss"]
            lines.append(
                f"| {row_name} | {rss[str(first)] / 2**20:.1f} MiB "
                f"| {rss[str(last)] / 2**20:.1f} MiB | {ratio(row['ratio'], MEMORY_TARGET)} |"
            )
        lines.append("")
    return lines


def paired(a: List[float], b: List[float]) -> float:
    """The median, over rounds, of a/b within each round."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def duration(ns: Optional[float]) -> str:
    if ns is None:
        return "n/a"
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.0f} µs" if ns >= 1e4 else f"{ns / 1e3:.1f} µs"


def ratio(value: Optional[float], target: Optional[float] = None) -> str:
    """A ratio to three significant digits, marked against its target if it has one."""
    if value is None:
        return "n/a"
    text = f"{value:.3g}"
    return text if target is None else f"{text} {'✓' if value <= target else '✗'}"


def parse_consistency(lines: List[str]) -> List[float]:
    """ns per check from each ``1000 relations: 39.8µs per check (2000 rounds)`` line."""
    units = {"ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
    found = []
    for line in lines:
        match = re.search(r"([\d.]+)\s*(ns|µs|us|ms|s) per check", line)
        if not match:
            raise SystemExit(f"cannot read the consistency benchmark's line: {line!r}")
        found.append(float(match.group(1)) * units[match.group(2)])
    return found


def machine() -> Dict[str, Any]:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next(
            (ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if "Model name" in ln), ""
        )
    except OSError:
        pass
    memory = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kib = int(next(ln for ln in meminfo if ln.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "loadavg_start": os.getloadavg(),
    }


def commit() -> str:
    """The commit the package was built from, ``-dirty`` if its crates had local changes."""
    try:
        git = {"capture_output": True, "text": True, "cwd": BENCH.parent}
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], **git).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *PACKAGE_SOURCES], **git
        ).stdout.strip()
    except OSError:
        return ""
    return head + ("-dirty" if dirty else "")


def table(results: Dict[str, Any], impls: List[str]) -> str:
    medians = results["medians_ns"]
    ratios = results["ratios"]
    alts = [i for i in ("scenario8", "scenario5", "floor") if i in impls]
    head = ["case", *(NAMES[i] for i in impls)]
    for alt in alts:
        target = RATIO_TARGETS.get(alt)
        head.append(f"ours/{NAMES[alt]}" + (f" (≤ {target})" if target else ""))
    pair = results.get("ops_testing_pair", {})
    ours8, theirs8, target8 = OPS_TESTING_PAIR
    if pair:
        head.append(f"{NAMES[ours8]}/{NAMES[theirs8]} (≤ {target8})")
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case in results["cases"]:
        cells = [case] + [duration(medians[i].get(case)) for i in impls]
        for alt in alts:
            target = RATIO_TARGETS.get(alt)
            if alt == "floor":
                target = FLOOR_TARGET[1] if case == FLOOR_TARGET[0] else None
            cells.append(ratio(ratios[alt].get(case), target))
        if pair:
            cells.append(ratio(pair.get(case), target8))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def summary(results: Dict[str, Any], impls: List[str]) -> List[str]:
    lines = []
    big, one, target = SCALING
    scaling = results["scaling"]
    if "ours" in scaling:
        others = ", ".join(
            f"{NAMES[i]} {ratio(scaling[i])}" for i in impls if i != "ours" and i in scaling
        )
        lines.append(
            f"- {big} / {one}, ours: {ratio(scaling['ours'], target)} (target ≤ {target}); "
            f"the same ratio for {others}"
        )
    start = results["ratios"].get("floor", {}).get(FLOOR_TARGET[0])
    if start is not None:
        lines.append(
            f"- start, ours / ops floor: {ratio(start, FLOOR_TARGET[1])} "
            f"(target ≤ {FLOOR_TARGET[1]})"
        )
    consistency = results.get("consistency")
    if consistency:
        ok = "✓" if consistency["median_ns"] < CONSISTENCY_TARGET_NS else "✗"
        lines.append(
            f"- consistency check of a 1000-relation State (Rust, median of "
            f"{len(consistency['samples_ns'])} processes): "
            f"{duration(consistency['median_ns'])} {ok} (target < 1 ms)"
        )
    for impl, reasons in results["not_applicable"].items():
        for case, reason in reasons.items():
            lines.append(f"- {NAMES[impl]}, {case}: n/a ({reason})")
    met, total = results["targets_met"]
    lines.append(f"- targets met: {met} of {total}")
    return lines


def count_targets(results: Dict[str, Any]) -> Tuple[int, int]:
    checks = []
    for alt, target in RATIO_TARGETS.items():
        checks += [v <= target for v in results["ratios"].get(alt, {}).values()]
    checks += [v <= OPS_TESTING_PAIR[2] for v in results.get("ops_testing_pair", {}).values()]
    start = results["ratios"].get("floor", {}).get(FLOOR_TARGET[0])
    if start is not None:
        checks.append(start <= FLOOR_TARGET[1])
    if "ours" in results["scaling"]:
        checks.append(results["scaling"]["ours"] <= SCALING[2])
    if results.get("consistency"):
        checks.append(results["consistency"]["median_ns"] < CONSISTENCY_TARGET_NS)
    checks += [row["ratio"] <= LONG_TARGET for row in results.get("long_session", {}).values()]
    checks += [row["ratio"] <= MEMORY_TARGET for row in results.get("memory", {}).values()]
    checks += [row["ratio"] <= FUZZ_TARGET for row in results.get("fuzz", {}).values()]
    suite = results.get("fuzz_suite")
    if suite:
        checks.append(
            suite["found"] == suite["seeded"] and suite["fuzzed_s"] <= FUZZ_SUITE_TARGET_S
        )
    return sum(checks), len(checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--impl", action="append", default=[], metavar="NAME=PYTHON", help="repeat"
    )
    parser.add_argument("--consistency", action="append", default=[], metavar="LINE")
    # About three minutes on the 2-core machine.
    parser.add_argument("--rounds", type=int, default=41)
    parser.add_argument("--sample-ms", type=float, default=40.0)
    parser.add_argument(
        "--cases", help=f"comma-separated subset of the cases and of {', '.join(LONG_ROWS)}"
    )
    parser.add_argument(
        "--long-rounds", type=int, default=7, help="rounds of the long-session row"
    )
    parser.add_argument("--output", type=Path, default=BENCH / "results.json")
    args = parser.parse_args()

    # Absolute, not resolved: a venv's python is a symlink to the base interpreter.
    pythons = {
        name: os.path.abspath(python) for name, python in (s.split("=", 1) for s in args.impl)
    }
    if "ours" not in pythons:
        raise SystemExit("--impl ours=PYTHON is required")
    impls = [i for i in NAMES if i in pythons]
    cases = args.cases.split(",") if args.cases else [*CASES, *LONG_ROWS]
    unknown = set(cases) - set(CASES) - set(LONG_ROWS)
    if unknown:
        raise SystemExit(f"unknown cases: {sorted(unknown)}")
    log_dir = BENCH.parent / "target" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)

    started = time.time()
    info = machine()
    workers = {impl: Worker(impl, pythons[impl], log_dir) for impl in impls}
    for impl, worker in workers.items():
        print(f"{NAMES[impl]:>15}: {worker.info['versions']}", flush=True)

    samples: Dict[str, Dict[str, List[float]]] = {impl: {} for impl in impls}
    long: Dict[str, Any] = {}
    fuzz: Dict[str, Any] = {}
    not_applicable: Dict[str, Dict[str, str]] = {}
    iterations: Dict[str, Dict[str, int]] = {impl: {} for impl in impls}
    try:
        for group in GROUPS:
            group = [c for c in group if c in cases]
            if not group:
                continue
            t0 = time.time()
            times, setup = run_group(workers, group, args.rounds, int(args.sample_ms * 1e6))
            for (impl, case), found in setup.items():
                if "na" in found:
                    not_applicable.setdefault(impl, {})[case] = found["na"]
                else:
                    iterations[impl][case] = found["iterations"]
            for (impl, case), per_run in times.items():
                samples[impl][case] = per_run
            print(f"  {', '.join(group)}: {time.time() - t0:.0f} s", flush=True)
        if "long_session" in cases:
            t0 = time.time()
            long = long_session(workers["ours"], args.long_rounds)
            print(f"  long_session: {time.time() - t0:.0f} s", flush=True)
        if "fuzz" in cases and "ours8" in workers:
            t0 = time.time()
            fuzz = fuzz_rows(workers["ours8"], args.long_rounds)
            print(f"  fuzz: {time.time() - t0:.0f} s", flush=True)
    finally:
        for worker in workers.values():
            worker.close()

    medians = {
        impl: {case: statistics.median(v) for case, v in by_case.items()}
        for impl, by_case in samples.items()
    }
    ratios = {
        alt: {
            case: paired(samples["ours"][case], samples[alt][case])
            for case in samples["ours"]
            if case in samples[alt]
        }
        for alt in impls
        if alt not in ("ours", "ours8")
    }
    ours8, theirs8, _ = OPS_TESTING_PAIR
    ops_testing_pair = {
        case: paired(samples[ours8][case], samples[theirs8][case])
        for case in samples.get(ours8, {})
        if case in samples.get(theirs8, {})
    }
    big, one, _ = SCALING
    scaling = {
        impl: paired(by_case[big], by_case[one])
        for impl, by_case in samples.items()
        if big in by_case and one in by_case
    }
    mem: Dict[str, Any] = {}
    if "memory" in cases:
        t0 = time.time()
        mem = memory(pythons["ours"])
        print(f"  memory: {time.time() - t0:.0f} s", flush=True)
    suite: Dict[str, Any] = {}
    if "fuzz_suite" in cases:
        t0 = time.time()
        suite = fuzz_suite(pythons["ours"])
        print(f"  fuzz_suite: {time.time() - t0:.0f} s", flush=True)
    results: Dict[str, Any] = {
        "command": "cargo xtask bench",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "duration_s": round(time.time() - started),
        "machine": {**info, "loadavg_end": os.getloadavg()},
        "versions": {impl: w.info["versions"] for impl, w in workers.items()},
        "commit": commit(),
        "imports": {impl: w.info["imports"] for impl, w in workers.items()},
        "rounds": args.rounds,
        "sample_ms": args.sample_ms,
        "cases": {c: CASES[c] for c in cases if c in CASES},
        "iterations_per_sample": iterations,
        "samples_ns": samples,
        "medians_ns": medians,
        "ratios": ratios,
        "ops_testing_pair": ops_testing_pair,
        "scaling": scaling,
        "not_applicable": not_applicable,
        "long_session": long,
        "memory": mem,
        "fuzz": fuzz,
        "fuzz_suite": suite,
    }
    if args.consistency:
        found = parse_consistency(args.consistency)
        results["consistency"] = {"median_ns": statistics.median(found), "samples_ns": found}
    results["targets_met"] = count_targets(results)

    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    m = results["machine"]
    print(
        f"\ncommit {results['commit']}; "
        f"{m['nproc']} cores ({m['cpu']}), {m['memory']}, Python {m['python']}; "
        f"load average {m['loadavg_start'][0]:.2f} at the start, "
        f"{m['loadavg_end'][0]:.2f} at the end; {results['duration_s']} s; "
        f"{args.rounds} rounds of ~{args.sample_ms:g} ms samples\n"
    )
    print(table(results, impls))
    print()
    print("\n".join(long_table(results)))
    print("\n".join(fuzz_table(results)))
    print("\n".join(summary(results, impls)))
    print(f"\nall samples: {args.output}")


if __name__ == "__main__":
    main()
