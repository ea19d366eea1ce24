"""What a run holds of the whole process while it runs: its turn, and the cyclic collector.

A run changes what every thread of the process shares: ``os.environ`` (the run's
``JUJU_*`` variables), the root logger (the juju-log handler and its level) and ops's
class-level caches. Two runs cannot overlap, so they take turns: one run at a time per
process, whatever thread or Context it comes from; a run started meanwhile waits for its
turn.

While it holds its turn, a run also holds the cyclic collector back. ops builds a graph
of objects for each run (the Model with the relations and units the charm looks at, the
Framework, the charm), all of it garbage when the run ends and freed then by reference
counting: ``Ops._release`` breaks the one cycle ops makes, and the Context lets go of the
run before the thresholds come back. A collection in the middle of a run would walk that
graph, and everything older, for nothing: with the default thresholds a 200-relation run
set off two collections, a fifth of its time.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import Callable, ContextManager, Iterator

__all__ = ["exclusive_run", "run_turn", "take_turn"]

# Re-entrant, so that a run started from inside another on the same thread (from a
# manager's block, say) goes ahead instead of waiting for itself.
_TURN = threading.RLock()

# The youngest generation's threshold during a run: far above what ops keeps alive in a
# run (some 2,500 objects for db-relation-changed on a 200-relation State), so no
# collection happens mid-run, yet bounded, so a charm that makes cyclic garbage in a loop
# is still collected.
_RUN_THRESHOLD = 100_000


def run_turn() -> ContextManager[bool]:
    """The process's one run turn, alone: what a caller holds to read what a run left on a
    shared Context (its output, its action results) before another thread's run does."""
    return _TURN


def take_turn() -> Callable[[], None]:
    """Take the process's one run turn, with the collector held back; returns what gives
    both back."""
    _TURN.acquire()
    try:
        thresholds = gc.get_threshold()
        # A threshold of 0 means the user turned automatic collection off: leave it so.
        if 0 < thresholds[0] < _RUN_THRESHOLD:
            gc.set_threshold(_RUN_THRESHOLD, *thresholds[1:])
    except BaseException:
        _TURN.release()
        raise

    def give_back() -> None:
        try:
            gc.set_threshold(*thresholds)
        finally:
            _TURN.release()

    return give_back


@contextlib.contextmanager
def exclusive_run() -> Iterator[None]:
    """Hold the process's one run turn, with the collector held back, for the block."""
    give_back = take_turn()
    try:
        yield
    finally:
        give_back()
