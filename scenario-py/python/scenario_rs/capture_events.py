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
    """Record the events ops emits during the runs in the block (Scenario 5): the block
    gets a list, which fills as the runs go::

        with capture_events(ops.StartEvent, MyCustomEvent) as emitted:
            ctx.run("start", state)
        assert isinstance(emitted[-1], MyCustomEvent)

    Each event is recorded as its observer saw it (``event.relation``, ``event.params``...).
    Only the runs of the block's own thread count. ``ctx.emitted_events`` records the same
    for every run of a Context.

    :arg types: the event classes to record (subclasses included); none given records
        every event.
    :arg include_framework: also record ops's framework events (``pre_commit``,
        ``commit``, ``collect_app_status``, ``collect_unit_status``).
    :arg include_deferred: also record the deferred events a run emits again (the
        default).
    """
    # ops is imported when a capture starts, so that `import scenario` stays cheap.
    from scenario_rs._event_records import open_capture

    with open_capture(types, include_framework, include_deferred) as captured:
        yield captured
