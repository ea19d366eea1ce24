"""Fuzzing what a suite already tests (``--scenario-fuzz``, ``scenario.fuzz``).

The charms of ``fuzz_charms/``: ``seeded`` has bugs its own suites (one per API) never
reach, each marked ``# seeded (<kind>, <error>)`` above the line that crashes; ``clean`` is
the same charm with each bug fixed. Each session runs in-process with ``pytester``, in a
copy of the charm's directory, as a charm's own suite runs.
"""

from __future__ import annotations

import ast
import importlib.machinery
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Tuple
from xml.etree import ElementTree

import ops
import ops.testing  # before pytester's snapshot: an inner session's `ops.testing` is this one
import pytest
from apis import ops_testing
from fuzz_charms import seeded_bugs

import scenario
from scenario_rs import _recording, fuzz
from scenario_rs._fuzz_pytest import Summary
from scenario_rs._scenario import Api

pytest_plugins = ["pytester"]

CHARMS = Path(__file__).parent / "fuzz_charms"
EXAMPLE = Path(__file__).parents[2] / "examples" / "hello-charm"
SEED = "20261206"


# ops[testing]'s names: ``from ops import testing`` where ops has them (2.17 and later),
# else ``scenario``'s, as ops-scenario 7's suites imported them.
OPS_TESTING = hasattr(ops.testing, "State")


def _for_this_ops(source: str) -> str:
    """A suite's source, its ``from ops import testing`` as this ops allows it."""
    if OPS_TESTING:
        return source
    source = source.replace(
        "from ops import pebble, testing\n", "from ops import pebble\nimport scenario as testing\n"
    )
    return source.replace("from ops import testing\n", "import scenario as testing\n")


@pytest.fixture
def charm_dir(pytester, monkeypatch):
    """A copy of a charm's directory to run its suite in: ``charm_dir("seeded")``."""
    for name in ("SCENARIO_ENGINE", "SCENARIO_STRICT", "PYTEST_ADDOPTS"):
        monkeypatch.delenv(name, raising=False)
    # Each charm is the module `charm` of its own src/: not one an earlier test imported.
    monkeypatch.delitem(sys.modules, "charm", raising=False)

    def copy(name: str, tests_from: str = "") -> Path:
        source = EXAMPLE if name == "example" else CHARMS / name
        for item in source.iterdir():
            if item.is_dir():
                shutil.copytree(item, pytester.path / item.name)
            else:
                shutil.copy(item, pytester.path / item.name)
        if tests_from:
            shutil.copytree(CHARMS / tests_from / "tests", pytester.path / "tests")
            shutil.copy(CHARMS / tests_from / "charmcraft.yaml", pytester.path)
            shutil.copy(CHARMS / tests_from / "pyproject.toml", pytester.path)
        for suite in (pytester.path / "tests").glob("*.py"):
            suite.write_text(_for_this_ops(suite.read_text()))
        pytester.syspathinsert(pytester.path / "src")
        return pytester.path

    return copy


def _fuzz(pytester, *args: str) -> Tuple[Any, Dict[str, Any]]:
    """Run the suite with fuzzing; the result, and the JSON summary. (Warnings show as a
    user's session shows them, not as errors, as this suite has them.)"""
    out = pytester.path / "fuzz.json"
    result = pytester.runpytest_inprocess(
        *("-p", "no:cacheprovider", "-W", "default"),
        *("--scenario-fuzz", f"--scenario-fuzz-seed={SEED}", f"--scenario-fuzz-json={out}"),
        *args,
    )
    return result, json.loads(out.read_text())


# --- finding the seeded bugs ----------------------------------------------------------------


def test_the_seeded_charm_has_a_bug_of_every_kind():
    assert len(seeded_bugs.bugs()) >= 8
    assert {
        "config",
        "leadership",
        "relations",
        "containers",
        "secrets",
        "storage",
    } <= seeded_bugs.kinds()


@pytest.mark.parametrize("suite", ["tests/test_charm.py", "tests/test_charm_5.py"])
def test_every_seeded_bug_is_found_around_the_suite_of_either_api(charm_dir, pytester, suite):
    charm_dir("seeded")
    result, summary = _fuzz(pytester, suite)
    # The suite's own results do not change.
    assert result.ret == 0
    tests = {"tests/test_charm.py": 9, "tests/test_charm_5.py": 7}
    assert result.parseoutcomes()["passed"] == tests[suite]
    assert seeded_bugs.bugs() <= seeded_bugs.found(summary)
    # Each is reported once, whatever the number of tests it was found around.
    labels = [(f["error"], f["where"]) for f in summary["findings"]]
    assert len(labels) == len(set(labels))
    # The summary: the seed to replay, runs, runs a second, the cost of each test.
    out = result.stdout.str()
    assert f"seed {SEED} (the same States again: --scenario-fuzz-seed={SEED})" in out
    assert re.search(r"[\d,]+ runs in [\d.]+ s \([\d,]+ runs a second\)", out)
    assert re.search(r"cost per test: [\d.]+ s on average", out)
    assert summary["runs"] > 0 and summary["runs_per_second"] > 0
    assert all("seconds" in test for test in summary["tests"].values())


def test_what_a_test_expects_is_no_finding(charm_dir, pytester):
    # test_db_changed_without_endpoints_crashes expects the IndexError of an empty list of
    # endpoints; the same crash near another test's State is the suite's too.
    charm_dir("seeded")
    _, summary = _fuzz(pytester, "tests/test_charm.py")
    source = (CHARMS / "seeded" / "src" / "charm.py").read_text().splitlines()
    line = next(n for n, text in enumerate(source, 1) if "endpoints[0]" in text)
    where = f"src/charm.py:{line} in _on_db_changed"
    found = {(f["error"], f["where"]) for f in summary["findings"]}
    assert ("IndexError", where) not in found
    # Another crash on that line is a finding: endpoints that are JSON's null.
    assert ("TypeError", where) in found
    assert f"IndexError at {where}" in summary["expected"]


def test_an_action_the_charm_fails_is_no_finding(charm_dir, pytester):
    charm_dir("seeded")
    _, summary = _fuzz(pytester, "tests/test_charm.py", "-k", "rotate")
    errors = {f["error"] for f in summary["findings"]}
    assert errors == {"ops.model.SecretNotFoundError"}  # not the follower's ActionFailed


# The engines a pasted test is replayed on: this one, and the original where ops-scenario is
# installed beside it (ops[testing]'s API only: the original of Scenario 5's is not there).
ENGINES = ["rs", "original"] if importlib.machinery.PathFinder.find_spec("scenario") else ["rs"]


@pytest.mark.parametrize("engine", ENGINES)
def test_each_finding_replays_as_a_test_to_paste(charm_dir, pytester, monkeypatch, engine):
    charm_dir("seeded")
    suites = ["tests/test_charm.py"] + (["tests/test_charm_5.py"] if engine == "rs" else [])
    _, summary = _fuzz(pytester, *suites)
    imports: List[str] = []
    functions: Dict[str, str] = {}
    for finding in summary["findings"]:
        code = finding["code"]
        ast.parse(code)  # each is valid Python on its own
        head, _, body = code.partition("\n\n\n")
        imports += [line for line in head.splitlines() if line not in imports]
        name = re.search(r"^def (test_\w+)\(", body, re.MULTILINE)
        assert name is not None
        functions[name.group(1)] = finding["error"].rsplit(".", 1)[-1]
        pytester.makepyfile(**{f"test_found_{len(functions)}": code})
    assert len(functions) == len(summary["findings"])  # each its own name
    report = pytester.path / "replay.xml"
    files = [f"test_found_{n}.py" for n in range(1, len(functions) + 1)]
    args = ["-p", "no:cacheprovider", f"--junitxml={report}", *files]
    if engine == "original":
        monkeypatch.setenv("SCENARIO_ENGINE", "original")
        result = pytester.runpytest_subprocess(*args)
    else:
        result = pytester.runpytest_inprocess(*args)
    # Every pasted test fails with the crash it was found with: UncaughtCharmError, caused
    # by the charm's error.
    assert result.parseoutcomes() == {"failed": len(functions)}
    failures = {
        case.get("name"): case.find("failure").get("message", "")
        for case in ElementTree.parse(report).iter("testcase")
    }
    assert set(failures) == set(functions)
    for name, error in functions.items():
        assert "UncaughtCharmError" in failures[name] and error in failures[name], name


def _without_ids(code: str) -> str:
    """A finding's code, but for the ids a session's counters and random draws give its
    relations and secrets."""
    return re.sub(r"\d+", "?", re.sub(r"secret:[0-9a-z]+", "secret:?", code))


def test_the_same_seed_finds_the_same_crashes_the_same_way(charm_dir, pytester):
    charm_dir("seeded")
    _, first = _fuzz(pytester, "tests/test_charm.py", "-k", "update_status or config")
    _, second = _fuzz(pytester, "tests/test_charm.py", "-k", "update_status or config")
    assert first["findings"]
    codes = [[_without_ids(f["code"]) for f in s["findings"]] for s in (first, second)]
    assert codes[0] == codes[1]


def test_under_xdist_the_workers_findings_add_up(charm_dir, pytester):
    charm_dir("seeded")
    _, alone = _fuzz(pytester, "tests/test_charm.py")
    result, spread = _fuzz(pytester, "tests/test_charm.py", "-n", "2")
    assert result.ret == 0
    assert seeded_bugs.found(spread) == seeded_bugs.found(alone)
    assert set(spread["tests"]) == set(alone["tests"])


def test_fail_mode_fails_a_test_with_findings(charm_dir, pytester):
    charm_dir("seeded")
    result, summary = _fuzz(pytester, "tests/test_charm.py", "--scenario-fuzz-fail")
    out = result.stdout.str()
    failed = set(re.findall(r"^FAILED (\S+)", out, re.MULTILINE))
    found_around = {test for test, data in summary["tests"].items() if data["findings"]}
    assert failed and failed <= found_around
    assert "scenario fuzzing found crashes near this test's runs" in out


# --- reporting nothing where there is nothing -----------------------------------------------


@pytest.mark.parametrize("suite", ["tests/test_charm.py", "tests/test_charm_5.py"])
def test_the_clean_charm_has_no_finding(charm_dir, pytester, suite):
    charm_dir("clean", tests_from="seeded")
    result, summary = _fuzz(pytester, suite)
    assert result.ret == 0
    assert summary["findings"] == []
    assert summary["runs"] > 100
    assert "no findings" in result.stdout.str()


def test_the_example_charm_has_no_finding(charm_dir, pytester):
    charm_dir("example")
    result, summary = _fuzz(pytester, "tests")
    assert result.ret == 0
    assert summary["findings"] == [] and len(summary["tests"]) == 8


# --- what is not the charm's crash ----------------------------------------------------------

PATCHED_SUITE = """
import subprocess
from unittest import mock

import ops
from ops import testing


class Charm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config_changed)

    def _on_config_changed(self, _):
        version = subprocess.check_output(["snap", "info", "x"]).decode()
        if self.unit.is_leader():
            import socket
            socket.create_connection(("example.invalid", 80), timeout=30)
        self.unit.status = ops.ActiveStatus(version)


META = {"name": "patched"}


@mock.patch("subprocess.check_output", return_value=b"1.0")
def test_config_changed(_):
    ctx = testing.Context(Charm, meta=META)
    out = ctx.run(ctx.on.config_changed(), testing.State())
    assert out.unit_status == testing.ActiveStatus("1.0")


def test_config_changed_with_a_fixture_patch(monkeypatch):
    monkeypatch.setattr(subprocess, "check_output", lambda *a, **k: b"2.0")
    ctx = testing.Context(Charm, meta=META)
    out = ctx.run(ctx.on.config_changed(), testing.State())
    assert out.unit_status == testing.ActiveStatus("2.0")
"""


def test_a_run_that_does_not_replay_after_its_patch_ended_is_passed_over(pytester):
    # The decorator's patch ends with the test: the run replays otherwise (the sandbox
    # refuses the subprocess), so it is passed over. A fixture's patch is still on while
    # the test is explored: its runs replay, and the leader's connection is refused, no
    # finding either.
    pytester.makepyfile(test_patched=_for_this_ops(PATCHED_SUITE))
    result, summary = _fuzz(pytester, "-v")
    assert result.ret == 0 and summary["findings"] == []
    decorated = summary["tests"]["test_patched.py::test_config_changed"]
    assert decorated["explored"] == 0
    assert "does not replay as it ran in the test" in decorated["passed_over"][0]
    fixture = summary["tests"]["test_patched.py::test_config_changed_with_a_fixture_patch"]
    assert fixture["explored"] == 1 and fixture["refused"] > 0
    assert "tried to leave the sandbox" in result.stdout.str()


def test_a_fault_of_fuzzing_itself_never_fails_the_test(pytester, monkeypatch):
    from scenario_rs import fuzz

    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("an internal slip")

    monkeypatch.setattr(fuzz, "explore_recording", broken)
    pytester.makepyfile(test_patched=_for_this_ops(PATCHED_SUITE))
    result, summary = _fuzz(pytester, "-v", "--scenario-fuzz-fail")
    assert result.ret == 0
    result.assert_outcomes(passed=2)
    test = summary["tests"]["test_patched.py::test_config_changed_with_a_fixture_patch"]
    assert test["passed_over"] == [
        "fuzzing itself failed (KeyError: 'an internal slip'): please report it"
    ]


class _Exec(ops.CharmBase):
    """Runs a command only the leader needs: the test mocks none for it."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _: ops.UpdateStatusEvent) -> None:
        web = self.unit.get_container("web")
        if self.unit.is_leader():
            web.exec(["leader-only"]).wait_output()
        self.unit.status = ops.ActiveStatus()


def test_a_command_the_test_did_not_mock_is_no_finding(api):
    t = api.testing
    ctx = t.Context(_Exec, meta={"name": "exec", "containers": {"web": {}}})
    state = t.State(containers=[t.Container("web", can_connect=True)])
    found = fuzz.explore(ctx, api.event(ctx, "update_status"), state, seed=1)
    assert found.runs > 10 and found.findings == []


class _Buggy(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config_changed)

    def _on_config_changed(self, _: ops.ConfigChangedEvent) -> None:
        if self.config["port"] < 0:
            raise ValueError("negative port")
        self.unit.status = ops.ActiveStatus()


BUGGY = {"name": "buggy"}
BUGGY_CONFIG = {"options": {"port": {"type": "int", "default": 80}}}


# --- scenario.fuzz from Python --------------------------------------------------------------


def test_explore_around_one_run(api):
    ctx = api.testing.Context(_Buggy, meta=BUGGY, config=BUGGY_CONFIG)
    found = fuzz.explore(ctx, api.event(ctx, "config_changed"), api.testing.State(), seed=1)
    assert [(f.error, f.steps) for f in found.findings] == [("ValueError", ("config port=-1",))]
    (finding,) = found.findings
    assert finding.message == "negative port"
    assert re.fullmatch(r"\S*test_fuzz\.py:\d+ in _on_config_changed", finding.where)
    assert finding.state.config == {"port": -1}
    assert isinstance(finding.exception, ValueError)
    assert isinstance(finding.replay(), ValueError)
    # Its test, in the API of the run: Scenario 5's names, or ops[testing]'s.
    if api.is_scenario_5:
        assert "from scenario import Context, State" in finding.code
        assert 'ctx.run("config_changed", state)' in finding.code
    else:
        imported = "from ops import testing" if OPS_TESTING else "import scenario as testing"
        assert imported in finding.code
        assert "ctx.run(ctx.on.config_changed(), state)" in finding.code
    assert "state = " in finding.code and 'config={"port": -1}' in finding.code


def test_explore_a_run_the_charm_crashes_on_reports_only_other_crashes(api):
    ctx = api.testing.Context(_Buggy, meta=BUGGY, config=BUGGY_CONFIG)
    state = api.testing.State(config={"port": -5})
    found = fuzz.explore(ctx, api.event(ctx, "config_changed"), state, seed=1)
    assert found.findings == []
    assert len(found.expected) == 1 and found.expected[0].startswith("ValueError at ")


def test_a_time_budget_cuts_the_exploration_short(api):
    ctx = api.testing.Context(_Buggy, meta=BUGGY, config=BUGGY_CONFIG)
    event = api.event(ctx, "config_changed")
    found = fuzz.explore(ctx, event, api.testing.State(), seed=1, time_budget=0.0)
    assert found.cut_short and found.runs == 1  # the run itself, replayed


def test_a_walk_of_the_neighbours_is_decided_by_its_numbers():
    testing = ops_testing().testing
    ctx = testing.Context(_Buggy, meta=BUGGY, config=BUGGY_CONFIG)
    event = ctx.on.config_changed()
    near = scenario._scenario.Neighbours(
        testing.State(leader=True), event, ctx._charm.charm_spec, "3.6.14"
    )
    state, bound, steps = near.walk([0, 0, 0])
    assert steps == ["this unit is not the leader"] and not state.leader
    assert bound is event  # no entity of the event changed: the event itself
    assert near.walk([0, 0, 0])[2] == steps
    assert near.walk([])[2] == []


def test_the_event_is_bound_to_the_state_a_walk_reaches():
    testing = ops_testing().testing
    ctx = testing.Context(
        ops.CharmBase, meta={"name": "c", "requires": {"db": {"interface": "pg"}}}
    )
    db = testing.Relation("db", remote_app_data={"host": "h"})
    event = ctx.on.relation_changed(db, remote_unit=0)
    near = scenario._scenario.Neighbours(
        testing.State(relations=[db]), event, ctx._charm.charm_spec, "3.6.14", keys=["port"]
    )
    walks = (near.walk([kind, 0, b]) for kind in range(20) for b in range(16))
    # An odd value in the remote application's databag, or the databag emptied.
    state, bound, _ = next(w for w in walks if w[2] and "remote app data" in w[2][0])
    assert bound.relation == state.get_relation(db.id)
    assert bound.relation != db and type(bound) is type(event)
    ctx.run(bound, state)  # the checker takes it as the State's own relation


# --- the plugin -----------------------------------------------------------------------------


def test_fuzzing_is_off_by_default(pytester):
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == 0
    assert "scenario fuzz" not in result.stdout.str()
    assert _recording.recorder is None and _recording.read_keys is None


def test_the_header_says_what_fuzzing_does(pytester):
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--scenario-fuzz=7", "--scenario-fuzz-seed=3"
    )
    result.stdout.fnmatch_lines(["scenario fuzz: 7 States around each run, seed 3, 10 s a test"])
    result.stdout.fnmatch_lines(["no test ran a charm (nothing to explore)"])


def test_the_ini_key_turns_fuzzing_on(pytester):
    pytester.makeini("[pytest]\nscenario_fuzz = 5\n")
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["scenario fuzz: 5 States around each run, seed *"])


# ops-scenario beside this package (ops[testing] installs it): the original engine can run.
ORIGINAL_INSTALLED = importlib.machinery.PathFinder.find_spec("scenario") is not None


@pytest.mark.parametrize(
    "args, error",
    [
        (["--scenario-fuzz=0"], "--scenario-fuzz=0: at least 1"),
        (
            ["--scenario-fuzz", "--scenario-engine=original"],
            "runs on scenario-rs" if ORIGINAL_INSTALLED else "ops-scenario is not installed",
        ),
    ],
)
def test_usage_errors(pytester, monkeypatch, args, error):
    monkeypatch.delenv("SCENARIO_ENGINE", raising=False)
    pytester.makepyfile("def test_nothing(): pass")
    # A session of its own: the engine is chosen before anything imports scenario (and
    # pytest-interface-tester's plugin imports it as it loads).
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:interface_tester", *args
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert error in result.stderr.str()


def test_the_plugin_default_is_the_library_s():
    import _scenario_rs_pytest

    assert _scenario_rs_pytest.DEFAULT_FUZZ_EXAMPLES == fuzz.DEFAULT_EXAMPLES


def test_the_summary_lists_each_finding_once_and_leaves_out_what_the_suite_expects():
    settings = _settings()
    summary = Summary(settings)
    crash = {"error": "KeyError", "where": "src/charm.py:3 in f", "message": "'x'", "code": "c"}
    summary.add("t.py::a", {"runs": 10, "seconds": 0.5, "explored": 1, "findings": [crash]})
    summary.add("t.py::b", {"runs": 30, "seconds": 1.5, "explored": 1, "findings": [crash]})
    lines = "\n".join(summary.lines())
    assert "2 tests explored around; 40 runs in 2.0 s (20 runs a second)" in lines
    assert "cost per test: 1.00 s on average, 1.50 s at most (t.py::b)" in lines
    assert "1 finding, around 2 tests:" in lines
    assert "around t.py::a (and 1 other test)" in lines
    expected = ["KeyError at src/charm.py:3 in f"]
    summary.add("t.py::c", {"runs": 1, "explored": 1, "expected": expected})
    assert summary.findings == {} and "no findings" in summary.lines()


def _settings() -> Any:
    from scenario_rs._fuzz_pytest import Settings

    return Settings(
        examples=10, seed=1, test_budget=None, session_budget=None, json_path=None, fail=False
    )


def test_the_sandbox_is_only_the_fuzzing_thread_s():
    import socket
    import threading
    import time

    outcomes: List[str] = []

    def elsewhere() -> None:
        time.sleep(0.001)
        outcomes.append("slept")

    with fuzz._Sandbox():
        with pytest.raises(fuzz.SandboxRefusal):
            time.sleep(0.01)
        with pytest.raises(ConnectionRefusedError):
            socket.getaddrinfo("localhost", 80)
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert outcomes == ["slept"]
    time.sleep(0)  # put back


def test_a_test_s_runs_are_recorded_once_each():
    testing = ops_testing().testing
    ctx = testing.Context(_Buggy, meta=BUGGY, config=BUGGY_CONFIG)
    with fuzz.Recording() as recording:
        for _ in range(3):
            ctx.run(ctx.on.config_changed(), testing.State())
        ctx.run(ctx.on.config_changed(), testing.State(leader=True))
    assert len(recording.runs) == 4 and len(list(recording.distinct())) == 2
    assert _recording.recorder is None
    with pytest.raises(RuntimeError, match="another Recording"):
        with fuzz.Recording(), fuzz.Recording():
            pass


def test_the_databag_keys_the_charm_reads_are_recorded():
    testing = ops_testing().testing

    class Reader(ops.CharmBase):
        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            framework.observe(self.on.db_relation_changed, self._on_changed)

        def _on_changed(self, event: ops.RelationChangedEvent) -> None:
            data = event.relation.data[event.app]
            data.get("port")
            _ = "host" in data

    ctx = testing.Context(Reader, meta={"name": "r", "requires": {"db": {"interface": "pg"}}})
    db = testing.Relation("db")
    with fuzz.Recording() as recording:
        ctx.run(ctx.on.relation_changed(db, remote_unit=0), testing.State(relations=[db]))
    assert {"port", "host"} <= recording.keys


def test_code_for_a_rich_state_runs_in_either_api(api, tmp_path):
    from scenario_rs._fuzz_code import test_code

    t = api.testing
    meta = dict(
        BUGGY,
        requires={"db": {"interface": "pg"}},
        containers={"w": {}},
        storage={"d": {"type": "filesystem"}},
    )
    ctx = t.Context(_Buggy, meta=meta, config=BUGGY_CONFIG)
    db = t.Relation("db", remote_app_data={"a": "1"}, remote_units_data={1: {"b": "2"}})
    if api.is_scenario_5:
        mount = t.Mount("/m", tmp_path)
    else:
        mount = t.Mount(location="/m", source=tmp_path)
    state = t.State(
        leader=True,
        config={"port": 3},
        relations=[db],
        containers=[t.Container("w", can_connect=True, mounts={"m": mount})],
        planned_units=2,
        **({"storage": [t.Storage("d")]} if api.is_scenario_5 else {"storages": [t.Storage("d")]}),
    )
    event = api.event(ctx, "relation_changed", db, remote_unit=1)
    which = Api.SCENARIO_5 if api.is_scenario_5 else Api.SCENARIO_8
    code = test_code(
        name="test_it",
        doc="A test.",
        api=which,
        charm_spec=ctx._charm.charm_spec,
        options=ctx._options(which),
        state=state,
        event=event,
    )
    namespace: Dict[str, Any] = {"_Buggy": _Buggy}
    exec(str(code).replace("from test_fuzz import _Buggy", ""), namespace)
    namespace["test_it"]()  # it runs: no crash on this State
    text = textwrap.dedent(str(code))
    assert "leader=True" in text and "planned_units=2" in text and "remote_units_data" in text
