"""The Python floor in layers, each importing only downward (ARCHITECTURE.md, "The Python
floor"): the fronts (the two APIs' constructors, event factories and result shapes) over
the ops driver, over the one module that touches ops's private names, over the base every
layer uses. Every import counts: at module level, inside functions, under
``TYPE_CHECKING``; and the import graph of the whole package has no circle."""

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Set

import pytest

PACKAGE = Path(__file__).parents[1] / "python" / "scenario_rs"

# Each module of the package, by layer, lowest first. A module added to the package must be
# placed here.
LAYERS: Dict[str, List[str]] = {
    "base": [
        "_scenario",  # the compiled core
        "errors",
        "_warnings",
        "_collections",
        "_process",
        "_named_arguments",
        "_event_path",
        "_status",
        "_recording",
        "_charm_frames",
        "consistency_checker",
    ],
    "compat": ["_ops_compat"],
    "driver": [
        "_options",
        "_target",
        "_event_records",
        "mocking",
        "ops_main_mock",
        "_run",
    ],
    "front": [
        "state",
        "_events",
        "context",
        "_runtime",
        "runtime",
        "_ops_main_mock",
        "_consistency_checker",
        "capture_events",
        "sequences",
        "strategies",
        "_fuzz_code",
        "fuzz",
        "_fuzz_pytest",
        "_cli_events",
        "cli",
        "__main__",
        "__init__",
    ],
}
LAYER_OF = {module: rank for rank, modules in enumerate(LAYERS.values()) for module in modules}
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py"))


def _imports(module: str) -> Iterator[str]:
    """Every module of the package ``module`` imports, wherever the import is."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "scenario_rs":
                names = [f"scenario_rs.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "scenario_rs" and len(parts) > 1:
                yield parts[1]


GRAPH: Dict[str, Set[str]] = {m: set(_imports(m)) - {m} for m in MODULES}


def test_every_module_has_a_layer():
    assert sorted(set(MODULES) - set(LAYER_OF)) == []
    assert sorted(set(LAYER_OF) - set(MODULES) - {"_scenario"}) == []


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_only_its_layer_and_below(module):
    upward = {
        imported for imported in GRAPH[module] if LAYER_OF.get(imported, -1) > LAYER_OF[module]
    }
    assert not upward, f"{module} ({_layer(module)}) imports higher layers: {sorted(upward)}"


def test_the_package_has_no_import_circle():
    # Depth-first, counting every import: a module on the current path seen again is a
    # circle.
    state: Dict[str, str] = {}
    path: List[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        path.append(module)
        for imported in sorted(GRAPH.get(module, ())):
            if state.get(imported) == "open":
                circle = [*path[path.index(imported) :], imported]
                pytest.fail("import circle: " + " -> ".join(circle))
            if imported not in state:
                visit(imported)
        path.pop()
        state[module] = "done"

    for module in MODULES:
        if module not in state:
            visit(module)


def test_the_driver_knows_no_front():
    fronts = set(LAYERS["front"])
    for module in LAYERS["driver"]:
        assert not GRAPH[module] & fronts, module


def _layer(module: str) -> str:
    return list(LAYERS)[LAYER_OF[module]]
