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
    import ops
    from ops.framework import (
        CommitEvent,
        EventBase,
        Framework,
        Handle,
        NoTypeError,
        PreCommitEvent,
    )

    allowed = types or (EventBase,)
    framework_types = (PreCommitEvent, CommitEvent, ops.CollectStatusEvent)
    captured: List[EventBase] = []
    original_emit = Framework._emit
    original_reemit = Framework.reemit

    def wanted(event: EventBase) -> bool:
        if isinstance(event, framework_types) and not include_framework:
            return False
        return isinstance(event, allowed)

    def _emit(self: Framework, event: EventBase) -> None:
        if wanted(event):
            captured.append(event)
        original_emit(self, event)

    def reemit(self: Framework) -> None:
        if include_deferred:
            seen = set()
            for event_path, _, _ in self._storage.notices(None):
                if event_path in seen:
                    continue
                seen.add(event_path)
                try:
                    event = typing.cast(
                        EventBase, self.load_snapshot(Handle.from_path(event_path))
                    )
                except NoTypeError:
                    continue
                # A separate copy for the record: the re-emission loads its own.
                self._forget(event)  # type: ignore[arg-type]
                if wanted(event):
                    captured.append(event)
        original_reemit(self)

    Framework._emit = _emit  # type: ignore[method-assign]
    Framework.reemit = reemit  # type: ignore[method-assign]
    try:
        yield captured
    finally:
        Framework._emit = original_emit  # type: ignore[method-assign]
        Framework.reemit = original_reemit  # type: ignore[method-assign]
