"""``capture_events``: record the events ops emits while the block runs."""

from __future__ import annotations

import contextlib
import typing
from typing import Iterator, List, Type

if typing.TYPE_CHECKING:  # pragma: no cover
    from ops.framework import EventBase

__all__ = ["capture_events"]


@contextlib.contextmanager
def capture_events(
    *types: Type[EventBase], include_framework: bool = False, include_deferred: bool = True
) -> Iterator[List[EventBase]]:
    """Yield a list that fills with the events emitted (and re-emitted) in the block.

    ``types`` filters by class (default: every event). Framework events (pre-commit,
    commit, collect-status) count only with ``include_framework``; deferred events that
    are re-emitted count unless ``include_deferred`` is false.
    """
    # ops is imported when a capture starts, so that `import scenario` stays cheap.
    from scenario_rs._event_records import open_capture

    with open_capture(types, include_framework, include_deferred) as captured:
        yield captured
