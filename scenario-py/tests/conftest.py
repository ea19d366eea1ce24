"""Shared fixtures: the Python suite runs once per ops version (3.x and 2.10)."""

import os

import pytest


@pytest.fixture(autouse=True)
def _clean_juju_env():
    """Every test must leave os.environ as it found it; fail the test that does not."""
    before = dict(os.environ)
    yield
    leaked = {k: v for k, v in os.environ.items() if k.startswith("JUJU_") and k not in before}
    assert not leaked, f"JUJU_* variables leaked out of a run: {sorted(leaked)}"
