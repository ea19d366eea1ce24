"""Workload statuses as a State holds them: ops's status classes, also readable the way
Scenario 5 read them.

Each class subclasses the ops status of the same name, so ``isinstance(out.unit_status,
ops.ActiveStatus)`` holds and ``==`` compares (name, message) with ops statuses either way;
and each is a frozen dataclass of ``name`` and ``message``, as ops[testing]'s are. Scenario
5 also compared a status with a ``(name, message)`` tuple (logging a deprecation note, as
5.8.1 did) and unpacked it as one; both still work.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings
from typing import Any, Dict, Iterator, Literal, Tuple, Type

import ops

__all__ = [
    "ActiveStatus",
    "BlockedStatus",
    "ErrorStatus",
    "MaintenanceStatus",
    "UnknownStatus",
    "WaitingStatus",
]


_logger = logging.getLogger("ops-scenario.state")


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class _EntityStatus:
    """What every status of a State adds to its ops class: a frozen dataclass of ``name``
    and ``message`` (so ``dataclasses.asdict`` and ``fields`` read it, as ops[testing]'s),
    equal to the ops status of the same name and message."""

    name: str
    message: str = ""

    def __eq__(self, other: object) -> bool:
        ours = (self.name, self.message)
        if isinstance(other, tuple):
            # Scenario 5's idiom; it logged the same note.
            _logger.warning("Comparing Status with Tuples is deprecated and will be removed soon.")
            return ours == other
        if isinstance(other, (ops.StatusBase, _EntityStatus)):
            return ours == (other.name, other.message)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        # The hash of the equal (name, message) tuple.
        return hash((self.name, self.message))

    def __iter__(self) -> Iterator[str]:
        # Scenario 5 unpacked a status as (name, message); pytest iterates over both sides
        # of a failed ``==`` to explain it, so this never warns.
        return iter((self.name, self.message))

    def __repr__(self) -> str:
        if self.name == "unknown":
            return "UnknownStatus()"
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return _from_name, (self.name, self.message)

    @classmethod
    def from_status_name(cls, name: str, message: str = "") -> _EntityStatus:
        """The status called ``name`` (``"active"``, ``"blocked"``...) with ``message``:
        ``ActiveStatus.from_status_name("active", "ready")``. The unknown status has no
        message; one given is dropped, with a warning."""
        if name == "unknown" and message:
            warnings.warn(
                "the unknown status has no message: the message is dropped",
                UserWarning,
                stacklevel=2,
            )
        return _from_name(name, message)

    @classmethod
    def from_ops(cls, obj: ops.StatusBase) -> _EntityStatus:
        """The State status equal to the ops status ``obj`` (``ops.ActiveStatus("x")`` gives
        ``ActiveStatus("x")``)."""
        return _from_name(obj.name, obj.message)

    def _to_ops(self) -> ops.StatusBase:
        """The ops status equal to this one."""
        return ops.StatusBase.from_name(self.name, self.message)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class UnknownStatus(_EntityStatus, ops.UnknownStatus):
    """Juju has no status for the unit or application yet: the status of a new unit (and
    the first entry of ``ctx.unit_status_history`` when the input State sets none). It has
    no message. A subclass of ``ops.UnknownStatus``, equal to it."""

    name: Literal["unknown"] = "unknown"  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__(name="unknown")


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class ErrorStatus(_EntityStatus, ops.ErrorStatus):
    """A hook of the unit failed. Juju sets it, never the charm; a State may hold it as the
    status a unit is found in: ``ErrorStatus('hook failed: "start"')``. A subclass of
    ``ops.ErrorStatus``, equal to it."""

    name: Literal["error"] = "error"  # type: ignore[assignment]

    def __init__(self, message: str = "") -> None:
        super().__init__(name="error", message=message)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class ActiveStatus(_EntityStatus, ops.ActiveStatus):
    """The unit or application is ready and doing its job; the message, if any, says more:
    ``ActiveStatus("serving on :8080")``. A subclass of ``ops.ActiveStatus``, equal to it."""

    name: Literal["active"] = "active"  # type: ignore[assignment]

    def __init__(self, message: str = "") -> None:
        super().__init__(name="active", message=message)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class BlockedStatus(_EntityStatus, ops.BlockedStatus):
    """The unit or application cannot go on until a human acts (a missing relation, bad
    config): ``BlockedStatus("needs a database")``. A subclass of ``ops.BlockedStatus``,
    equal to it."""

    name: Literal["blocked"] = "blocked"  # type: ignore[assignment]

    def __init__(self, message: str = "") -> None:
        super().__init__(name="blocked", message=message)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class MaintenanceStatus(_EntityStatus, ops.MaintenanceStatus):
    """The charm is busy with work no human need act on, such as installing or upgrading
    its workload: ``MaintenanceStatus("installing")``. A subclass of
    ``ops.MaintenanceStatus``, equal to it."""

    name: Literal["maintenance"] = "maintenance"  # type: ignore[assignment]

    def __init__(self, message: str = "") -> None:
        super().__init__(name="maintenance", message=message)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class WaitingStatus(_EntityStatus, ops.WaitingStatus):
    """The unit or application waits for something outside its control, such as a related
    application: ``WaitingStatus("waiting for the database")``. A subclass of
    ``ops.WaitingStatus``, equal to it."""

    name: Literal["waiting"] = "waiting"  # type: ignore[assignment]

    def __init__(self, message: str = "") -> None:
        super().__init__(name="waiting", message=message)


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
