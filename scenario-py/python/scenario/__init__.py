"""Scenario: state-transition testing for Juju charms, with a Rust core.

Run a charm once per test: a ``State`` and an event go in, the output ``State`` comes out,
and the ``Context`` records what happened on the way.
"""

from scenario.capture_events import capture_events
from scenario.context import ActionOutput, Context
from scenario.state import (
    Action,
    Address,
    BindAddress,
    Container,
    DeferredEvent,
    Event,
    ExecOutput,
    InjectRelation,
    Model,
    Mount,
    Network,
    PeerRelation,
    Port,
    Relation,
    RelationBase,
    Secret,
    State,
    StateValidationError,
    Storage,
    StoredState,
    SubordinateRelation,
    deferred,
)

__all__ = [
    "Action",
    "ActionOutput",
    "Address",
    "BindAddress",
    "Container",
    "Context",
    "DeferredEvent",
    "Event",
    "ExecOutput",
    "InjectRelation",
    "Model",
    "Mount",
    "Network",
    "PeerRelation",
    "Port",
    "Relation",
    "RelationBase",
    "Secret",
    "State",
    "StateValidationError",
    "Storage",
    "StoredState",
    "SubordinateRelation",
    "capture_events",
    "deferred",
]
