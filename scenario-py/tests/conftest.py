"""Shared fixtures: the Python suite runs once per ops version (3.x and 2.10).

Tests are grouped by feature, a file (or a few) per feature, named for it. A feature both
APIs have is tested through both: the ``api`` fixture runs a test once as Scenario 5 writes
it (``ctx.run("start", state)``) and once as ops[testing] does
(``ctx.run(ctx.on.start(), state)``). Where the two originals differ, a test per API says
so in its name (``..._under_scenario_5``, ``..._under_ops_testing``). A test of what only
ops[testing] has takes the ``testing`` fixture, which runs it through ``import scenario``
and ``from ops import testing``; a test of what only Scenario 5 has takes neither.

With the original engine (``SCENARIO_ENGINE=original``, ops-scenario 8.9 beside this
package) only the tests taking the ``testing`` fixture are collected, of the modules that
import on ops-scenario 8.9: each passes there too, or says in a test named
``..._differs_from_8_9`` where this package answers otherwise. (The ``api`` fixture's tests
are of this package's behaviour under both APIs, Scenario 5's included.)
"""

import ast
import contextlib
import importlib
import os
import sys
import types
from pathlib import Path

import pytest
from apis import ops_testing, scenario_5

# Where ops[tracing] is installed, its modules are imported now, by the suite: a module
# first imported inside a pytester session leaves sys.modules when that session ends, and
# the tracer ops already holds would keep sending spans to the forgotten one.
with contextlib.suppress(ImportError):
    import ops_tracing._mock  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_juju_env():
    """Every test must leave os.environ as it found it; fail the test that does not."""
    before = dict(os.environ)
    yield
    leaked = {k: v for k, v in os.environ.items() if k.startswith("JUJU_") and k not in before}
    assert not leaked, f"JUJU_* variables leaked out of a run: {sorted(leaked)}"


@pytest.fixture(params=["scenario", "ops.testing"])
def testing(request):
    """The module an ops[testing] suite takes its names from: ``import scenario`` or
    ``from ops import testing`` (see ``apis.ops_testing_module``)."""
    import scenario

    if request.param == "scenario":
        return scenario
    return ops_testing().testing


@pytest.fixture(params=["scenario5", "ops.testing"])
def api(request):
    """The API the test runs its charm through (an ``apis.Api``): Scenario 5, its classes
    from ``scenario``, or ops[testing], its classes from ``ops.testing``."""
    return scenario_5() if request.param == "scenario5" else ops_testing()


def _original_engine() -> bool:
    import scenario

    return not hasattr(scenario, "_scenario")


def pytest_configure(config):
    if _original_engine():
        _stand_in_for_names_only_this_package_has()


def _stand_in_for_names_only_this_package_has():
    """With the original engine, the names this suite's modules import from ``scenario`` at
    their top that ops-scenario 8.9 lacks (Scenario 5's ``Event``, ``scenario.runtime``...)
    are stand-ins, so that each module imports and its tests taking the ``testing`` fixture
    run; the tests that use them are not collected. A stand-in raises if made."""
    wanted: dict = {}
    for path in Path(__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scenario"):
                wanted.setdefault(node.module, set()).update(a.name for a in node.names)
    for name, names in sorted(wanted.items()):
        try:
            module = importlib.import_module(name)
        except ImportError:
            module = sys.modules[name] = types.ModuleType(name)
            parent, _, child = name.rpartition(".")
            setattr(importlib.import_module(parent), child, module)
        for missing in names - set(dir(module)):
            setattr(module, missing, _stand_in(f"{name}.{missing}"))


def _stand_in(name: str) -> type:
    def refuse(*args, **kwargs):
        raise RuntimeError(f"{name} is this package's, not ops-scenario 8.9's")

    base = Exception if name.endswith(("Error", "Warning")) else object
    return type(name.rpartition(".")[2], (base,), {"__init__": refuse})


def pytest_pycollect_makemodule(module_path, parent):
    """With the original engine, a module that still cannot import (it calls a name only
    this package has at its top) is passed over."""
    if _original_engine():
        return _ModuleOfThisPackage.from_parent(parent, path=module_path)
    return None


class _ModuleOfThisPackage(pytest.Module):
    def collect(self):
        try:
            self.obj  # noqa: B018 - imports the module
        except Exception:
            return []
        return super().collect()


def pytest_collection_modifyitems(config, items):
    """With the original engine, keep only the tests taking the ``testing`` fixture."""
    if not _original_engine():
        return
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (keep if "testing" in params else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# The charms the fuzzing tests run their own suites of (test_fuzz.py copies each away).
collect_ignore_glob = ["fuzz_charms/*"]
