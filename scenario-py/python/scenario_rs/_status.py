"""Workload statuses as a State holds them: ops's status classes, also readable the way
Scenario 5 read them.

Each class subclasses the ops status of the same name, so ``isinstance(out.unit_status,
ops.ActiveStatus)`` holds and ``==`` compares (name, message) with ops statuses either way.
Scenario 5 also compared a status with a ``(name, message)`` tuple and unpacked it as one;
both still work, with a deprecation warning.
"""

from __future__ import annotations

import typing
import warnings
from typing import Any, Dict, Iterator, Tuple, Type

import ops

from scenario_rs._warnings import warn
from scenario_rs.errors import ScenarioDeprecationWarning

__all__ = [
    "ActiveStatus",
    "BlockedStatus",
    "ErrorStatus",
    "MaintenanceStatus",
    "UnknownStatus",
    "WaitingStatus",
]


def _warn_tuple(what: str) -> None:
    warn(
        f"{what} a status as a (name, message) tuple is deprecated: compare it with a status "
        "such as ops.ActiveStatus('message'), or read .name and .message",
        ScenarioDeprecationWarning,
    )


class _EntityStatus:
    """What every status of a State adds to its ops class (whose ``name`` and ``message``
    it reads)."""

    def __eq__(self, other: object) -> bool:
        ours = self._name_message()
        if isinstance(other, tuple):
            _warn_tuple("Comparing")
            return ours == other
        if isinstance(other, ops.StatusBase):
            return ours == (other.name, other.message)
        return NotImplemented

    def _name_message(self) -> Tuple[str, str]:
        status = typing.cast(ops.StatusBase, self)
        return status.name, status.message

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        # The hash of the equal (name, message) tuple.
        return hash(self._name_message())

    def __iter__(self) -> Iterator[str]:
        _warn_tuple("Unpacking")
        return iter(self._name_message())

    def __repr__(self) -> str:
        name, message = self._name_message()
        if name == "unknown":
            return "UnknownStatus()"
        return f"{type(self).__name__}({message!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return _from_name, self._name_message()

    @classmethod
    def from_status_name(cls, name: str, message: str = "") -> _EntityStatus:
        """The status of that name (ops[testing]'s constructor by name)."""
        if name == "unknown" and message:
            warnings.warn(
                "the unknown status has no message: the message is dropped",
                UserWarning,
                stacklevel=2,
            )
        return _from_name(name, message)

    @classmethod
    def from_ops(cls, obj: ops.StatusBase) -> _EntityStatus:
        """The State status equal to an ops status."""
        return _from_name(obj.name, obj.message)


class UnknownStatus(_EntityStatus, ops.UnknownStatus):
    """Juju has no status for the entity yet."""

    def __init__(self) -> None:
        super().__init__()


class ErrorStatus(_EntityStatus, ops.ErrorStatus):
    """A hook failed."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class ActiveStatus(_EntityStatus, ops.ActiveStatus):
    """The entity is ready to do its job."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class BlockedStatus(_EntityStatus, ops.BlockedStatus):
    """The entity needs a human to act."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class MaintenanceStatus(_EntityStatus, ops.MaintenanceStatus):
    """The entity is doing work a human need not act on."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class WaitingStatus(_EntityStatus, ops.WaitingStatus):
    """The entity waits for something outside it."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


_BY_NAME: Dict[str, Type[_EntityStatus]] = {
    "unknown": UnknownStatus,
    "error": ErrorStatus,
    "active": ActiveStatus,
    "blocked": BlockedStatus,
    "maintenance": MaintenanceStatus,
    "waiting": WaitingStatus,
}


def _from_name(name: str, message: str = "") -> _EntityStatus:
    cls = _BY_NAME[name]
    if cls is UnknownStatus:
        return UnknownStatus()
    return cls(message)  # type: ignore[call-arg]
