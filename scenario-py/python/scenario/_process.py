"""What a run holds of the whole process while it runs: its turn.

A run changes what every thread of the process shares: ``os.environ`` (the run's
``JUJU_*`` variables), the root logger (the juju-log handler and its level) and ops's
class-level caches. Two runs cannot overlap, so they take turns: one run at a time per
process, whatever thread or Context it comes from; a run started meanwhile waits for its
turn.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator

__all__ = ["exclusive_run"]

# Re-entrant, so that a run started from inside another on the same thread (from a
# manager's block, say) goes ahead instead of waiting for itself.
_TURN = threading.RLock()


@contextlib.contextmanager
def exclusive_run() -> Iterator[None]:
    """Hold the process's one run turn for the block."""
    with _TURN:
        yield
