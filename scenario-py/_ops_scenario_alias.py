"""Answers ``importlib.metadata`` for the name ``ops-scenario`` when no distribution of that
name is installed, with ops-scenario 8's version: this package provides ops-scenario 8's
API, and ops 2.17 to 3.2 make ``ops.testing`` take Scenario's names from the ``scenario``
module only when ``importlib.metadata.version("ops-scenario")`` says 7 or later.

Imported at interpreter start by ``scenario_rs.pth``, so it costs next to nothing: it
imports nothing (``importlib.metadata`` is only touched once a caller has imported it to
ask), and it answers only a lookup by that exact name, so ``pip list`` and other listings
of every distribution do not see it.
"""

import sys

# ops-scenario 8.9's API, provided by this package (the local label: not the PyPI release).
VERSION = "8.9.0+scenario.rs"
_NAMES = ("ops-scenario", "ops_scenario")
_METADATA = f"Metadata-Version: 2.1\nName: ops-scenario\nVersion: {VERSION}\n"
_alias_type = None


def _alias():
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


class _AliasFinder:
    """A ``sys.meta_path`` entry that finds no module, only the alias distribution."""

    def find_spec(self, *args, **kwargs):
        return None

    def find_distributions(self, context=None):
        name = getattr(context, "name", None)
        if name is None or name.replace("_", "-").lower() != _NAMES[0]:
            return iter(())
        from importlib.metadata import MetadataPathFinder

        # A real ops-scenario wins: answer only when the path holds none.
        for _ in MetadataPathFinder.find_distributions(context):
            return iter(())
        return iter((_alias(),))


if not any(type(f).__name__ == "_AliasFinder" for f in sys.meta_path):
    sys.meta_path.append(_AliasFinder())
