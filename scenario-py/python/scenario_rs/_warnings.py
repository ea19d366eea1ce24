"""Warnings that point at the test's (or the charm's) own line, not at Scenario's.

A warning is only useful where the user can act on it: the stack level is counted up to
the first frame outside this package and ops.
"""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType
from typing import Optional, Type

# This package's own directory (this module sits at its top).
_OURS = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _is_ours(filename: str) -> bool:
    return filename.startswith(_OURS) or f"{os.sep}ops{os.sep}" in filename


def warn(message: str, category: Type[Warning]) -> None:
    """``warnings.warn`` at the first frame outside Scenario and ops."""
    level = 1
    frame: Optional[FrameType] = sys._getframe(1)
    while frame is not None and _is_ours(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level + 1)


def warn_stricter(message: str) -> None:
    """Juju would refuse this, but the original Scenario let it pass."""
    from scenario_rs.errors import JujuStricterWarning

    warn(f"{message} (Juju would refuse this; strict mode makes it an error)", JujuStricterWarning)
