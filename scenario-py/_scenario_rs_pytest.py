"""scenario-rs's pytest plugin (the ``pytest11`` entry point ``scenario``).

- ``--scenario-engine=rs|original`` (ini ``scenario_engine``; environment
  ``SCENARIO_ENGINE``): which engine ``import scenario`` and ``ops.testing`` give the
  session: scenario-rs (the default), or the installed ops-scenario, so that one suite runs
  on both and the results compare.
- ``--scenario-strict`` (ini ``scenario_strict = true``; environment ``SCENARIO_STRICT=1``):
  what Juju would refuse though the original Scenario took it is an error rather than a
  ``JujuStricterWarning``.
- ``--scenario-fuzz[=N]`` (ini ``scenario_fuzz``): after each test passes, run its events on
  N States near its own and report what crashes the charm (``scenario.fuzz``; needs
  hypothesis). ``--scenario-fuzz-seed``, ``--scenario-fuzz-test-budget``,
  ``--scenario-fuzz-budget``, ``--scenario-fuzz-json`` and ``--scenario-fuzz-fail`` control
  it.
- The report header says which engine and versions run.

A module of its own at the top level, outside the package: pytest loads it in every session
of the environment, and it imports neither the package nor ops, so a session that never
runs a charm pays nothing, and the engine is chosen before anything imports ``scenario``.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Optional

import pytest

ENGINE_VARIABLE = "SCENARIO_ENGINE"
STRICT_VARIABLE = "SCENARIO_STRICT"
ENGINES = ("rs", "original")
# The spellings SCENARIO_ENGINE takes for each engine (_scenario_rs_alias reads the same).
_ORIGINAL = ("original", "ops-scenario", "ops_scenario")
_TRUE = ("1", "true", "yes", "on")
# As scenario_rs.fuzz has them (this module imports nothing of the package unless fuzzing).
DEFAULT_FUZZ_EXAMPLES = 100
DEFAULT_FUZZ_TEST_BUDGET = 10.0

# What this plugin set in os.environ, and what was there before, to put back at the end.
_saved: dict[str, Optional[str]] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("scenario", "scenario (charm state-transition tests)")
    group.addoption(
        "--scenario-engine",
        choices=ENGINES,
        default=None,
        help=(
            "the engine behind `import scenario` and `ops.testing`: rs (scenario-rs, the "
            "default) or original (the installed ops-scenario), to compare the two on one "
            f"suite. Also the ini key scenario_engine and ${ENGINE_VARIABLE}."
        ),
    )
    group.addoption(
        "--scenario-strict",
        action="store_true",
        default=None,
        help=(
            "make what Juju would refuse (but the original Scenario took) an error rather "
            f"than a JujuStricterWarning. Also the ini key scenario_strict and "
            f"${STRICT_VARIABLE}=1."
        ),
    )
    group.addoption(
        "--scenario-fuzz",
        nargs="?",
        type=int,
        const=DEFAULT_FUZZ_EXAMPLES,
        default=None,
        metavar="N",
        help=(
            "after each test passes, run its events on N States near its own (default "
            f"{DEFAULT_FUZZ_EXAMPLES} a run) and report what crashes the charm, each crash once, "
            "as a test to paste. Needs hypothesis. Also the ini key scenario_fuzz."
        ),
    )
    group.addoption(
        "--scenario-fuzz-seed",
        type=int,
        default=None,
        metavar="SEED",
        help="the fuzzing seed (printed at the end): the same seed explores the same States",
    )
    group.addoption(
        "--scenario-fuzz-test-budget",
        type=float,
        default=DEFAULT_FUZZ_TEST_BUDGET,
        metavar="SECONDS",
        help=f"fuzzing time per test, at most (default {DEFAULT_FUZZ_TEST_BUDGET:g})",
    )
    group.addoption(
        "--scenario-fuzz-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="fuzzing time for the session (per process under xdist), at most",
    )
    group.addoption(
        "--scenario-fuzz-json",
        default=None,
        metavar="PATH",
        help="write the fuzzing summary to PATH as JSON",
    )
    group.addoption(
        "--scenario-fuzz-fail",
        action="store_true",
        default=False,
        help="fail a test whose events crash the charm on a State near its own",
    )
    parser.addini(
        "scenario_fuzz",
        "fuzz each test's runs with this many States each (see --scenario-fuzz)",
        default="",
    )
    parser.addini(
        "scenario_engine",
        "the engine behind `import scenario`: rs (default) or original",
        default="",
    )
    parser.addini(
        "scenario_strict",
        "make what Juju would refuse an error rather than a warning",
        type="bool",
        default=False,
    )


def _option(config: pytest.Config, name: str) -> Any:
    """A command-line option's value, also while pytest is still starting (the options are
    then in ``known_args_namespace``, not yet in ``config.option``)."""
    value = getattr(config.option, name, None)
    if value is None:
        value = getattr(getattr(config, "known_args_namespace", None), name, None)
    return value


def _engine(config: pytest.Config) -> str:
    """The engine asked for: the option, else the ini key, else the environment."""
    option = _option(config, "scenario_engine")
    if option:
        return str(option)
    ini = str(config.getini("scenario_engine") or "").strip().lower()
    if ini:
        if ini in _ORIGINAL:
            return "original"
        if ini in ("rs", "scenario-rs", "scenario_rs"):
            return "rs"
        raise pytest.UsageError(f"scenario_engine = {ini!r} in the ini file: use rs or original")
    return "original" if os.environ.get(ENGINE_VARIABLE, "").strip().lower() in _ORIGINAL else "rs"


def _strict(config: pytest.Config) -> bool:
    if _option(config, "scenario_strict"):
        return True
    if config.getini("scenario_strict"):
        return True
    return os.environ.get(STRICT_VARIABLE, "").strip().lower() in _TRUE


def _set(name: str, value: str) -> None:
    if name not in _saved:
        _saved[name] = os.environ.get(name)
    os.environ[name] = value


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: Any, args: Any) -> None:
    # Before any conftest or test module imports `scenario`: the alias finder reads the
    # engine when `scenario` is first imported.
    engine = _engine(early_config)
    already = sys.modules.get("scenario")
    if already is not None and _engine_of(already) != engine:
        raise pytest.UsageError(
            f"--scenario-engine={engine}: `scenario` was imported before pytest loaded its "
            f"conftests (as {_engine_of(already)}'s), so the engine cannot change any more: "
            f"set {ENGINE_VARIABLE}={engine} in the environment instead"
        )
    if engine == "original":
        _require_original()
        _set(ENGINE_VARIABLE, "original")
    elif os.environ.get(ENGINE_VARIABLE):
        _set(ENGINE_VARIABLE, "rs")
    if _strict(early_config):
        _set(STRICT_VARIABLE, "1")


def pytest_configure(config: pytest.Config) -> None:
    examples = _fuzz_examples(config)
    if examples is None:
        return
    if _engine(config) == "original":
        raise pytest.UsageError("--scenario-fuzz runs on scenario-rs: drop --scenario-engine")
    from importlib.util import find_spec

    if find_spec("hypothesis") is None:
        raise pytest.UsageError(
            "--scenario-fuzz needs hypothesis: pip install hypothesis (or scenario-rs[hypothesis])"
        )
    from scenario_rs import _fuzz_pytest

    settings = _fuzz_pytest.settings_from(config, examples)
    config.pluginmanager.register(_fuzz_pytest.FuzzPlugin(config, settings), "scenario-fuzz")


def _fuzz_examples(config: pytest.Config) -> Optional[int]:
    """How many States to try around each run: the option, else the ini key; ``None``:
    no fuzzing."""
    given = getattr(config.option, "scenario_fuzz", None)
    if given is None:
        ini = str(config.getini("scenario_fuzz") or "").strip()
        if not ini:
            return None
        try:
            given = int(ini)
        except ValueError:
            raise pytest.UsageError(f"scenario_fuzz = {ini!r} in the ini file: a number") from None
    if given < 1:
        raise pytest.UsageError(f"--scenario-fuzz={given}: at least 1")
    return int(given)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _saved:
        name, value = _saved.popitem()
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_report_header(config: pytest.Config) -> str:
    engine = _engine(config)
    strict = "strict" if _strict(config) else "not strict"
    ops = _version("ops") or "not installed"
    if engine == "original":
        original = _version("ops-scenario")
        return f"scenario: ops-scenario {original} (the original engine), ops {ops}"
    return f"scenario: scenario-rs {_version('scenario-rs')} ({strict}), ops {ops}"


def _engine_of(module: Any) -> str:
    """Which engine an imported ``scenario`` module is."""
    return "rs" if module.__name__ == "scenario_rs" else "original"


def _require_original() -> None:
    from importlib.machinery import PathFinder

    if PathFinder.find_spec("scenario") is None:
        raise pytest.UsageError(
            "--scenario-engine=original: ops-scenario is not installed (pip install "
            "ops-scenario, or ops[testing]); without the option the suite runs on scenario-rs"
        )


def _version(distribution: str) -> Optional[str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None
