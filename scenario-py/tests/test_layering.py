"""The runtime knows no front (ARCHITECTURE.md, "Two APIs, one runtime"): none of its
modules imports the fronts, so each API stays a thin layer over the one run."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "python" / "scenario_rs"
RUNTIME = [
    "_runtime",
    "ops_main_mock",
    "mocking",
    "_process",
    "_event_records",
    "_tracing",
    "_named_arguments",
    "_warnings",
    "consistency_checker",
]
FRONTS = {"scenario_rs.context", "scenario_rs._events", "scenario_rs.runtime"}


def _imports(module: str):
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("module", RUNTIME)
def test_the_runtime_imports_no_front(module):
    assert not set(_imports(module)) & FRONTS
