"""The consistency checker: is a (State, Event, charm spec) something Juju could produce?"""

from __future__ import annotations

import logging
import os
from typing import Any

from scenario.runtime import InconsistentScenarioError

__all__ = ["check_consistency"]

logger = logging.getLogger("ops-scenario.runtime.consistency_checker")


def check_consistency(state: Any, event: Any, charm_spec: Any, juju_version: str) -> None:
    """Raise InconsistentScenarioError when the scenario is inconsistent; log warnings.

    ``SCENARIO_SKIP_CONSISTENCY_CHECKS`` set to anything non-empty skips the check.
    """
    if os.environ.get("SCENARIO_SKIP_CONSISTENCY_CHECKS"):
        logger.info("skipping the consistency checks")
        return
    _ = InconsistentScenarioError
