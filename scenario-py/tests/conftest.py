"""Shared fixtures: the Python suite runs once per ops version (3.x and 2.10)."""

import os
import types

import pytest


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
    ``from ops import testing``. The test_testing_* files run every test through both.

    ops 2.10's ``ops.testing`` predates Scenario: there both params give ``scenario``. ops
    2.17 to 3.2 import Scenario's names only when ``ops-scenario`` 7 or later is installed,
    which this package answers for (``_ops_scenario_alias``). ops-scenario 7's list (ops 2.x)
    lacks ``layer_from_rockcraft`` and ``CharmEvents``, which such a suite takes from
    ``scenario``.
    """
    import scenario

    if request.param == "scenario":
        return scenario
    from ops import testing

    if not hasattr(testing, "State"):
        return scenario
    missing = {n: getattr(scenario, n) for n in _SCENARIO_8_ONLY if not hasattr(testing, n)}
    if missing:
        return types.SimpleNamespace(**vars(testing), **missing)
    return testing


# The names ops-scenario 8 added to ops.testing's list.
_SCENARIO_8_ONLY = ("CharmEvents", "layer_from_rockcraft")
