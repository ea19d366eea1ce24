"""Make ``import scenario`` (and so ``ops.testing``) this package, ``scenario_rs``.

The distribution ``scenario-rs`` installs its package under a top-level name of its own,
so that it never shares a file with ``ops-scenario`` (which ``ops[testing]`` installs, as
the package ``scenario``): installing, upgrading or uninstalling either, in any order,
leaves the other whole. This module, imported at interpreter start by ``scenario_rs.pth``,
puts two finders in front of the import system:

- ``scenario`` and every ``scenario.*`` module are this package's ``scenario_rs`` and
  ``scenario_rs.*`` (the very module objects, under both names), ahead of any installed
  ops-scenario;
- ``importlib.metadata`` answers for the name ``ops-scenario`` when no such distribution
  is installed, with ops-scenario 8's version: ops 2.17 to 3.2 make ``ops.testing`` take
  Scenario's names from ``scenario`` only when ``version("ops-scenario")`` says 7 or later.

``SCENARIO_ENGINE=original`` (or ``ops-scenario``), set before ``scenario`` is first
imported, steps both aside, so that the installed ops-scenario runs the same suite: one
switch to compare the two engines (the pytest plugin's ``--scenario-engine`` sets it).

It costs next to nothing at start: it imports nothing until a ``scenario`` module or the
``ops-scenario`` distribution is asked for.

PYTEST_DONT_REWRITE: the distribution has a pytest plugin, so pytest marks its modules for
assertion rewriting, and would warn that this one (imported at interpreter start, long
before) cannot be.
"""

import os
import sys

# ops-scenario 8.9's API, provided by this package (the local label: not the PyPI release).
VERSION = "8.9.0+scenario.rs"
ENGINE_VARIABLE = "SCENARIO_ENGINE"
ORIGINAL = ("original", "ops-scenario", "ops_scenario")
_PUBLIC = "scenario"
_OURS = "scenario_rs"
_DIST_NAME = "ops-scenario"
_METADATA = f"Metadata-Version: 2.1\nName: {_DIST_NAME}\nVersion: {VERSION}\n"
_alias_type = None


def original_engine() -> bool:
    """Whether ``scenario`` is ops-scenario's own package rather than this one."""
    return os.environ.get(ENGINE_VARIABLE, "").strip().lower() in ORIGINAL


def _ours(name: str) -> str:
    return _OURS + name[len(_PUBLIC) :]


class _AliasLoader:
    """Loads ``scenario.x`` as the module ``scenario_rs.x`` itself."""

    def __init__(self, target: str):
        self.target = target
        self._spec = None

    def create_module(self, spec):
        import importlib

        module = importlib.import_module(self.target)
        self._spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module):
        # The import system sets the alias's spec on the module: give it its own back, so
        # the module still says where it really is (reload, pickle, inspect read it).
        if self._spec is not None:
            module.__spec__ = self._spec

    # What ``python -m scenario`` asks of a loader (runpy).
    def get_code(self, name):
        import importlib.util

        spec = importlib.util.find_spec(self.target)
        return spec.loader.get_code(self.target) if spec and spec.loader else None

    def is_package(self, name):
        import importlib.util

        spec = importlib.util.find_spec(self.target)
        return bool(spec and spec.submodule_search_locations is not None)


def _alias_distribution():
    global _alias_type
    if _alias_type is None:
        from importlib.metadata import Distribution

        class OpsScenarioAlias(Distribution):
            def read_text(self, filename):
                return _METADATA if filename in ("METADATA", "PKG-INFO") else None

            def locate_file(self, path):
                return path

        _alias_type = OpsScenarioAlias
    return _alias_type()


class _ScenarioRsFinder:
    """A ``sys.meta_path`` entry: ``scenario.*`` modules as ``scenario_rs.*``, and the
    ``ops-scenario`` distribution where none is installed."""

    def find_spec(self, name, path=None, target=None):
        if name != _PUBLIC and not name.startswith(_PUBLIC + "."):
            return None
        if original_engine():
            if name == _PUBLIC:
                _require_original(path)
            return None
        from importlib.machinery import ModuleSpec

        # `scenario` itself is a package, so that `python -m scenario` runs its __main__
        # (runpy runs a module that is not a package as the script itself).
        return ModuleSpec(
            name,
            _AliasLoader(_ours(name)),
            origin=f"alias of {_ours(name)}",
            is_package=name == _PUBLIC,
        )

    def find_distributions(self, context=None):
        name = getattr(context, "name", None)
        if name is None or name.replace("_", "-").lower() != _DIST_NAME:
            return iter(())
        if original_engine():
            return iter(())
        from importlib.metadata import MetadataPathFinder

        # A real ops-scenario wins: answer only when the path holds none.
        for _ in MetadataPathFinder.find_distributions(context):
            return iter(())
        return iter((_alias_distribution(),))


def _require_original(path) -> None:
    """With the original engine asked for, ops-scenario must be there to be found."""
    from importlib.machinery import PathFinder

    if PathFinder.find_spec(_PUBLIC, path) is None:
        raise ImportError(
            f"{ENGINE_VARIABLE}={os.environ.get(ENGINE_VARIABLE)} asks for ops-scenario's own "
            "engine, but ops-scenario is not installed: pip install ops-scenario (or "
            f"ops[testing]), or unset {ENGINE_VARIABLE} to run on scenario-rs",
            name=_PUBLIC,
        )


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once)."""
    if not any(type(f).__name__ == "_ScenarioRsFinder" for f in sys.meta_path):
        sys.meta_path.insert(0, _ScenarioRsFinder())


install()
