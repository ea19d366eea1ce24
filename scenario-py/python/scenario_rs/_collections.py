"""The collections a State hands out.

Scenario 5 gives a State's relations, containers, secrets... as lists (``out.relations[0]``,
``state.relations + [new]``, ``out.opened_ports.pop()``); ops[testing] gives frozensets
(``out.relations == {rel}``, ``state.relations | {new}``, ``isinstance(state.relations,
frozenset)``).

- A State made for Scenario 5 (a Scenario 5 keyword such as ``storage=``, or the output
  of a Scenario 5 run) gives lists (``StateList``), which a test may change in place as
  5.8.1's; the State then runs, compares and serialises with what they hold.
- Any other State gives a frozenset that also answers as a list (``StateCollection``): it
  keeps the items in the order given, and iterates, indexes, concatenates and compares
  with a list or tuple in that order.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, List, SupportsIndex, Tuple


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


class StateList(list):
    """A collection of a Scenario 5 State: a list, as Scenario 5's (in the order given,
    changeable in place). It remembers being changed, so its State reads it again; and it
    compares equal to a set of the same items, as ops[testing]'s collections do."""

    __slots__ = ("_changed",)
    _changed: bool

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._changed = False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (set, frozenset)):
            try:
                return frozenset(self) == other
            except TypeError:
                return False
        return list.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        return (type(self), (list(self),))

    def __repr__(self) -> str:
        return list.__repr__(self)

    # --- changes in place: each marks the list changed ------------------------------------

    def append(self, item: Any) -> None:
        self._changed = True
        list.append(self, item)

    def extend(self, items: Iterable[Any]) -> None:
        self._changed = True
        list.extend(self, items)

    def insert(self, index: SupportsIndex, item: Any) -> None:
        self._changed = True
        list.insert(self, index, item)

    def pop(self, index: SupportsIndex = -1) -> Any:
        self._changed = True
        return list.pop(self, index)

    def remove(self, item: Any) -> None:
        self._changed = True
        list.remove(self, item)

    def clear(self) -> None:
        self._changed = True
        list.clear(self)

    def sort(self, *, key: Any = None, reverse: bool = False) -> None:
        self._changed = True
        list.sort(self, key=key, reverse=reverse)

    def reverse(self) -> None:
        self._changed = True
        list.reverse(self)

    def __setitem__(self, index: Any, value: Any) -> None:
        self._changed = True
        list.__setitem__(self, index, value)

    def __delitem__(self, index: Any) -> None:
        self._changed = True
        list.__delitem__(self, index)

    def __iadd__(self, items: Iterable[Any]) -> StateList:  # type: ignore[override,misc]
        self._changed = True
        return list.__iadd__(self, items)  # type: ignore[return-value]

    def __imul__(self, times: SupportsIndex) -> StateList:  # type: ignore[override,misc]
        self._changed = True
        return list.__imul__(self, times)  # type: ignore[return-value]
