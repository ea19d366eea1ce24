"""What every alternative's cases share: the bench charm, its spec, the data the cases use.

Imported by the case modules, in each alternative's own venv; it imports nothing of ops
or of a testing SDK, so it works in all of them.
"""

from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import yaml

CHARM_ROOT = Path(__file__).resolve().parent / "charm"

# The resource the States give the charm (its content does not matter: no case reads it).
RESOURCE_PATH = CHARM_ROOT / "charmcraft.yaml"

CONFIG = {"log-level": "debug"}
DB_APP_DATA = {"endpoint": "10.0.0.1:5432"}
UNITS_PER_RELATION = 5
# The big State: this many relations (half on `db`, half on `website`), each with
# UNITS_PER_RELATION remote units.
BIG_RELATIONS = 200
STORED = {"installed": True, "log_level": "info", "snapshots": 2}


def unit_data(unit: int) -> Dict[str, str]:
    return {"host": f"10.0.1.{unit}", "port": "5432"}


def remote_units_data() -> Dict[int, Dict[str, str]]:
    return {unit: unit_data(unit) for unit in range(UNITS_PER_RELATION)}


def spec() -> Tuple[Dict[str, Any], Dict[str, Any], Dict[str, Any]]:
    """The charm's metadata, config and actions, read from its charmcraft.yaml once (as a
    suite defines them once, at module level)."""
    global _SPEC
    if _SPEC is None:
        raw = yaml.safe_load((CHARM_ROOT / "charmcraft.yaml").read_text())
        config = raw.pop("config")
        actions = raw.pop("actions")
        for key in ("type", "bases"):
            raw.pop(key)
        _SPEC = (raw, config, actions)
    return _SPEC


_SPEC: Optional[Tuple[Dict[str, Any], Dict[str, Any], Dict[str, Any]]] = None


class NotApplicable(Exception):
    """This alternative cannot express the case; the message says why."""
