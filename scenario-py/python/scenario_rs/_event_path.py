"""An event's path, parsed: its kind (``_EventType``) and parts (``_EventPath``), as both
originals' private names had them. What ``Event.path`` gives (the compiled ``Event`` makes
one of its path on each read), so it sits below the fronts: it knows only how the engine
classifies an event name."""

from __future__ import annotations

import enum
from typing import List

from scenario_rs import _scenario

__all__ = ["_EventPath", "_EventType", "normalize_name"]


def normalize_name(s: str) -> str:
    """An event or entity name in ops's form: Juju writes names with dashes
    (``db-relation-changed``), ops with underscores (``db_relation_changed``)."""
    return s.replace("-", "_")


class _EventType(str, enum.Enum):
    """The kind of an event, from its name."""

    FRAMEWORK = "framework"
    BUILTIN = "builtin"
    RELATION = "relation"
    ACTION = "action"
    SECRET = "secret"
    STORAGE = "storage"
    WORKLOAD = "workload"
    CUSTOM = "custom"
    # Scenario 5's names for the same members (aliases: ``_EventType.relation is
    # _EventType.RELATION``).
    framework = "framework"
    builtin = "builtin"
    relation = "relation"
    action = "action"
    secret = "secret"
    storage = "storage"
    workload = "workload"
    custom = "custom"


class _EventPath(str):
    """An event's path, with its parts: ``python_name`` (the attribute on ``charm.on``),
    ``owner_path``, ``python_suffix`` (such as ``_relation_changed``), ``juju_prefix`` (the
    endpoint, container, storage or action, as written) and ``type``; and ops[testing]
    8.8's names for them (``name``, ``suffix``, ``prefix``), which pytest-interface-tester
    reads."""

    python_name: str
    owner_path: List[str]
    python_suffix: str
    juju_prefix: str
    type: _EventType

    def __new__(cls, path: str) -> _EventPath:
        self = super().__new__(cls, path)
        raw = path.split(".")[-1]
        self.owner_path = path.split(".")[:-1] or ["on"]
        self.python_name = normalize_name(raw)
        kind, prefix = _scenario.classify_event(self.python_name)
        self.type = _EventType(kind)
        self.python_suffix = (
            self.python_name[len(prefix) :]
            if prefix is not None
            else ("" if kind == "custom" else self.python_name)
        )
        self.juju_prefix = raw[: len(raw) - len(self.python_suffix)]
        return self

    @property
    def name(self) -> str:
        """The event's name in ops's form, the attribute on ``charm.on``
        (``db_relation_changed``)."""
        return self.python_name

    @property
    def suffix(self) -> str:
        """The part of the name that says the kind of event (``_relation_changed``), or
        the whole name for an event about no entity (``start``)."""
        return self.python_suffix

    @property
    def prefix(self) -> str:
        """The entity part of the name in ops's form (``db`` in ``db_relation_changed``;
        dashes as underscores), or ``""``."""
        return normalize_name(self.juju_prefix)

    @property
    def original_prefix(self) -> str:
        """The entity part of the name as written (``my-db`` in
        ``my-db-relation-changed``), or ``""``."""
        return self.juju_prefix

    @property
    def _is_custom(self) -> bool:
        return self.type is _EventType.CUSTOM

    @property
    def is_custom(self) -> bool:
        """Whether the event is not one of Juju's or ops's own but one a charm or library
        defines (Scenario 5's name for ``_is_custom``)."""
        return self._is_custom
