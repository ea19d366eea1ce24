"""Wrong-type errors from the Rust session that say which hook tool and which argument.

pyo3 reports a failed argument conversion as a bare ``TypeError("'int' object is not an
instance of 'str'")`` (naming the argument only in a note, and only on Python 3.11+). The
model backend and the Pebble client reach the session through this wrapper, which finds
the argument and says it; every other error passes through untouched.
"""

from __future__ import annotations

import inspect
import re
import sys
import types
from typing import Any, Callable, Dict, Optional, Tuple

_NOTE = re.compile(r"while processing '(\w+)'")
_OBJECT_TYPE = re.compile(r"'(\w+)' object")


def _argument_named(
    call: Callable[..., Any], error: TypeError, args: Tuple[Any, ...], kwargs: Dict[str, Any]
) -> Optional[str]:
    for note in getattr(error, "__notes__", ()):
        found = _NOTE.search(note)
        if found:
            return found.group(1)
    wrong_type = _OBJECT_TYPE.search(str(error))
    if wrong_type is None:
        return None
    try:
        bound = inspect.signature(call).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return None
    type_name = wrong_type.group(1)

    def holds(value: Any) -> bool:
        if type(value).__name__ == type_name:
            return True
        if isinstance(value, dict):
            return any(holds(v) or type(k).__name__ == type_name for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return any(type(v).__name__ == type_name for v in value)
        return False

    # Only an argument that alone holds a value of the wrong type: better none than a wrong one.
    suspects = [name for name, value in bound.arguments.items() if holds(value)]
    return suspects[0] if len(suspects) == 1 else None


class NamedArgumentErrors:
    """The session, with each method's wrong-type ``TypeError`` naming its argument.

    ``on_error``, when given, is shown every other exception a method raises (not a
    ``TypeError``), with the frame of the code that called it, before the exception goes
    on (the model backend adds ops's note to a failed hook tool's error there): one Python
    call stands between a caller and the session, and the success path pays for nothing
    more."""

    __slots__ = ("_on_error", "_target")

    def __init__(
        self,
        session: Any,
        on_error: Optional[Callable[[BaseException, types.FrameType], None]] = None,
    ):
        self._target = session
        self._on_error = on_error

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr

        def call(self: NamedArgumentErrors, *args: Any, **kwargs: Any) -> Any:
            method = getattr(self._target, name)
            try:
                return method(*args, **kwargs)
            except TypeError as e:
                if type(e) is not TypeError:
                    raise
                argument = _argument_named(method, e, args, kwargs)
                if argument is None:
                    raise
                raise TypeError(f"{name}() argument {argument!r}: {e}") from None
            except Exception as e:
                if self._on_error is not None:
                    self._on_error(e, sys._getframe(1))
                raise

        # Made once per method, on the class: later lookups (any run's) find it there.
        call.__name__ = name
        setattr(NamedArgumentErrors, name, call)
        return call.__get__(self)
