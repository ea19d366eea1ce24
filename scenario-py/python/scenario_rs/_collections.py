"""The collections a State hands out: one type that reads as both APIs expect.

Scenario 5 gives a State's relations, containers, secrets... as lists (``out.relations[0]``,
``state.relations + [new]``); ops[testing] gives frozensets (``out.relations == {rel}``,
``state.relations | {new}``, ``isinstance(state.relations, frozenset)``). A test never says
which API it speaks, so a State gives a frozenset that also answers as a list: it keeps
the items in the order given, and iterates, indexes, concatenates and compares with a
list or tuple in that order.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, List, Tuple


class StateCollection(frozenset):
    """An immutable collection of State parts: a frozenset to ops[testing], a list to
    Scenario 5 (in the order given, with every item given, as Scenario 5 kept them)."""

    __slots__ = ("_items",)
    _items: Tuple[Any, ...]

    def __new__(cls, items: Iterable[Any] = ()) -> StateCollection:
        items = tuple(items)
        self = super().__new__(cls, items)
        self._items = items
        return self

    # --- in the order given ---------------------------------------------------------------

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __reversed__(self) -> Iterator[Any]:
        return reversed(self._items)

    def __repr__(self) -> str:
        return repr(list(self._items))

    def __reduce__(self) -> Any:
        return (type(self), (self._items,))

    # --- equality: order against sequences, membership against sets -----------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple)):
            return self._items == tuple(other)
        return frozenset.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = frozenset.__hash__

    # --- Scenario 5: a list ---------------------------------------------------------------

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(self._items[index])
        return self._items[index]

    def __add__(self, other: Iterable[Any]) -> List[Any]:  # type: ignore[override]
        if isinstance(other, (list, tuple)):
            return [*self._items, *other]
        return NotImplemented

    def __radd__(self, other: Iterable[Any]) -> List[Any]:
        if isinstance(other, (list, tuple)):
            return [*other, *self._items]
        return NotImplemented

    def index(self, value: Any, *args: Any) -> int:
        return self._items.index(value, *args)

    def count(self, value: Any) -> int:
        return self._items.count(value)

    def copy(self) -> StateCollection:
        return self
