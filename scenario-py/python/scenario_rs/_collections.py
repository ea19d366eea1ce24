"""The collections a State hands out: one type that reads as both APIs expect.

Scenario 5 gives a State's relations, containers, secrets... as lists (``out.relations[0]``,
``state.relations + [new]``); ops[testing] gives frozensets (``out.relations == {rel}``,
``state.relations | {new}``). A test never says which API it speaks, so a State gives a
tuple that answers both: indexing and ``+`` as a list, set operators and set equality as a
frozenset, and ``==`` by order against a list or tuple, by membership against a set.
"""

from __future__ import annotations

import collections.abc
from typing import Any, Iterable, List


class StateCollection(tuple):
    """An immutable collection of State parts: a list to Scenario 5, a frozenset to
    ops[testing]."""

    __slots__ = ()

    # --- equality: order against sequences, membership against sets -----------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (collections.abc.Set, StateCollection)):
            return len(self) == len(other) and frozenset(self) == frozenset(other)  # type: ignore[arg-type]
        if isinstance(other, (list, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(frozenset(self))

    def __repr__(self) -> str:
        return repr(list(self))

    # --- Scenario 5: a list ---------------------------------------------------------------

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(tuple.__getitem__(self, index))
        return tuple.__getitem__(self, index)

    def __add__(self, other: Iterable[Any]) -> List[Any]:  # type: ignore[override]
        if isinstance(other, (list, tuple)):
            return [*self, *other]
        return NotImplemented

    def __radd__(self, other: Iterable[Any]) -> List[Any]:
        if isinstance(other, (list, tuple)):
            return [*other, *self]
        return NotImplemented

    def copy(self) -> StateCollection:
        return self

    # --- ops[testing]: a frozenset --------------------------------------------------------

    def _set(self) -> frozenset:
        return frozenset(self)

    def __or__(self, other: Any) -> Any:
        return self._set() | _as_set(other) if _is_set(other) else NotImplemented

    __ror__ = __or__

    def __and__(self, other: Any) -> Any:
        return self._set() & _as_set(other) if _is_set(other) else NotImplemented

    __rand__ = __and__

    def __sub__(self, other: Any) -> Any:
        return self._set() - _as_set(other) if _is_set(other) else NotImplemented

    def __rsub__(self, other: Any) -> Any:
        return _as_set(other) - self._set() if _is_set(other) else NotImplemented

    def __xor__(self, other: Any) -> Any:
        return self._set() ^ _as_set(other) if _is_set(other) else NotImplemented

    __rxor__ = __xor__

    def __le__(self, other: Any) -> bool:
        return self._set() <= _as_set(other) if _is_set(other) else NotImplemented

    def __lt__(self, other: Any) -> bool:
        return self._set() < _as_set(other) if _is_set(other) else NotImplemented

    def __ge__(self, other: Any) -> bool:
        return self._set() >= _as_set(other) if _is_set(other) else NotImplemented

    def __gt__(self, other: Any) -> bool:
        return self._set() > _as_set(other) if _is_set(other) else NotImplemented

    def union(self, *others: Iterable[Any]) -> frozenset:
        return self._set().union(*others)

    def intersection(self, *others: Iterable[Any]) -> frozenset:
        return self._set().intersection(*others)

    def difference(self, *others: Iterable[Any]) -> frozenset:
        return self._set().difference(*others)

    def symmetric_difference(self, other: Iterable[Any]) -> frozenset:
        return self._set().symmetric_difference(other)

    def issubset(self, other: Iterable[Any]) -> bool:
        return self._set().issubset(other)

    def issuperset(self, other: Iterable[Any]) -> bool:
        return self._set().issuperset(other)

    def isdisjoint(self, other: Iterable[Any]) -> bool:
        return self._set().isdisjoint(other)


def _is_set(obj: Any) -> bool:
    return isinstance(obj, (collections.abc.Set, StateCollection))


def _as_set(obj: Any) -> frozenset:
    return obj._set() if isinstance(obj, StateCollection) else frozenset(obj)


collections.abc.Set.register(StateCollection)
