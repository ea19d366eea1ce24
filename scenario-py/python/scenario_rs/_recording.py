"""What fuzzing learns from a test while it runs (``scenario.fuzz``): each run that ended,
and the databag keys the charm read. Off (``None``) unless a fuzzing session records, so a
run pays one global read for it."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Set

__all__ = ["ReadKeys", "read_keys", "recorder"]

#: Called as each run of a test ends, with the run (a ``scenario_rs._run.Run``: this module
#: is below it) and what it raised (``None`` when it raised nothing); set by
#: ``scenario.fuzz`` while it records a test.
recorder: Optional[Callable[[Any, Optional[BaseException]], None]] = None

#: The databag keys the charm read, while a fuzzing session records.
read_keys: Optional[Set[str]] = None


class ReadKeys(Dict[str, str]):
    """A databag as ops reads it (``relation-get``'s answer), noting each key the charm
    asks for: fuzzing tries odd values under those keys."""

    __slots__ = ("_seen",)

    def __init__(self, data: Dict[str, str], seen: Set[str]) -> None:
        super().__init__(data)
        self._seen = seen

    def __getitem__(self, key: str) -> str:
        self._seen.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._seen.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._seen.add(key)
        return super().__contains__(key)
