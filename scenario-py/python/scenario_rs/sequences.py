"""Run a charm through the startup and teardown event sequences Juju sends it.

``check_builtin_sequences`` is what charm suites call to check that a charm survives the
standard lifecycle, as leader and as non-leader. The order of the startup events is
Scenario 5's (kept: suites ran against it).
"""

from __future__ import annotations

import logging
import typing
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from scenario_rs.context import Context
from scenario_rs.state import (
    ATTACH_ALL_STORAGES,
    BREAK_ALL_RELATIONS,
    CREATE_ALL_RELATIONS,
    DETACH_ALL_STORAGES,
    Event,
    State,
)

if typing.TYPE_CHECKING:  # pragma: no cover
    import ops

__all__ = [
    "check_builtin_sequences",
    "decompose_meta_event",
    "generate_builtin_sequences",
    "generate_startup_sequence",
    "generate_teardown_sequence",
]

logger = logging.getLogger("ops-scenario.sequences")


def decompose_meta_event(meta_event: str, state: State) -> Iterable[Tuple[Event, State]]:
    """The concrete events a meta event stands for, each bound to its entity of ``state``."""
    if meta_event in (CREATE_ALL_RELATIONS, BREAK_ALL_RELATIONS):
        suffix = "created_event" if meta_event == CREATE_ALL_RELATIONS else "broken_event"
        for relation in state.relations:
            yield getattr(relation, suffix), state
    elif meta_event in (ATTACH_ALL_STORAGES, DETACH_ALL_STORAGES):
        suffix = "attached_event" if meta_event == ATTACH_ALL_STORAGES else "detaching_event"
        for storage in state.storage:
            yield getattr(storage, suffix), state
    else:
        raise ValueError(f"unknown meta event {meta_event!r}")


def _expand(names: List[str], state: State) -> List[Tuple[Event, State]]:
    out: List[Tuple[Event, State]] = []
    for name in names:
        if name.isupper():
            out.extend(decompose_meta_event(name, state))
        else:
            out.append((Event(name), state))
    return out


def generate_startup_sequence(state_template: State) -> List[Tuple[Event, State]]:
    """Storage attached, start, relations created, leadership, config-changed, install."""
    leadership = "leader_elected" if state_template.leader else "leader_settings_changed"
    return _expand(
        [
            ATTACH_ALL_STORAGES,
            "start",
            CREATE_ALL_RELATIONS,
            leadership,
            "config_changed",
            "install",
        ],
        state_template,
    )


def generate_teardown_sequence(state_template: State) -> List[Tuple[Event, State]]:
    """Relations broken, storage detaching, stop, remove."""
    return _expand([BREAK_ALL_RELATIONS, DETACH_ALL_STORAGES, "stop", "remove"], state_template)


def generate_builtin_sequences(template_states: Iterable[State]) -> List[Tuple[Event, State]]:
    """Startup then teardown for each template."""
    out: List[Tuple[Event, State]] = []
    for template in template_states:
        out.extend(generate_startup_sequence(template))
        out.extend(generate_teardown_sequence(template))
    return out


def check_builtin_sequences(
    charm_type: type[ops.CharmBase],
    meta: Optional[Dict[str, Any]] = None,
    actions: Optional[Dict[str, Any]] = None,
    config: Optional[Dict[str, Any]] = None,
    template_state: Optional[State] = None,
    pre_event: Optional[Callable[[ops.CharmBase], None]] = None,
    post_event: Optional[Callable[[ops.CharmBase], None]] = None,
) -> List[State]:
    """Run the startup and teardown sequences, as leader and as non-leader; return every
    output State. Each sequence feeds each output into the next event; each event runs on a
    new Context. Raises whatever a run raises (UncaughtCharmError for a charm error)."""
    template = template_state or State()
    outputs: List[State] = []
    for leader in (True, False):
        state = template.replace(leader=leader)
        for event, _ in generate_builtin_sequences([state]):
            ctx = Context(charm_type, meta=meta, actions=actions, config=config)
            state = ctx.run(event, state, pre_event=pre_event, post_event=post_event)
            outputs.append(state)
    return outputs
