"""Scenario: state-transition testing for Juju charms, with a Rust core.

Run a charm once per test: a ``State`` and an event go in, the output ``State`` comes out,
and the ``Context`` records what happened on the way.

Both testing APIs are served from these names: Scenario 5's (``ctx.run("start", State())``)
and ops[testing]'s, Scenario 7 and 8 (``ctx.run(ctx.on.start(), State())``), which
``ops.testing`` re-exports from here.
"""

import logging
import os
import typing
from typing import Any

from scenario_rs import errors
from scenario_rs.capture_events import capture_events
from scenario_rs.context import ActionOutput, CharmEvents, Context, Manager
from scenario_rs.errors import JujuStricterWarning, StateValidationError
from scenario_rs.state import (
    Action,
    Address,
    AnyJson,
    BindAddress,
    CharmType,
    CheckInfo,
    CloudCredential,
    CloudSpec,
    Container,
    DeferredEvent,
    Event,
    Exec,
    ExecOutput,
    ICMPPort,
    InjectRelation,
    JujuLogLine,
    Model,
    Mount,
    Network,
    Notice,
    PeerRelation,
    Port,
    RawDataBagContents,
    RawSecretRevisionContents,
    Relation,
    RelationBase,
    Resource,
    Secret,
    State,
    Storage,
    StoredState,
    SubordinateRelation,
    TCPPort,
    UDPPort,
    UnitID,
    _lazy_status,
    deferred,
    layer_from_rockcraft,
)

# Scenario's own logger, at the level both originals set (OPS_SCENARIO_LOGGING, else
# WARNING): their INFO notes (the remote unit a relation event was given) show only when
# asked for.
logging.getLogger("ops-scenario").setLevel(os.getenv("OPS_SCENARIO_LOGGING", "WARNING"))

__all__ = [
    "Action",
    "ActionFailed",
    "ActionOutput",
    "ActiveStatus",
    "Address",
    "AnyJson",
    "BindAddress",
    "BlockedStatus",
    "CharmEvents",
    "CharmType",
    "CheckInfo",
    "CloudCredential",
    "CloudSpec",
    "Container",
    "Context",
    "DeferredEvent",
    "ErrorStatus",
    "Event",
    "Exec",
    "ExecOutput",
    "ICMPPort",
    "InjectRelation",
    "JujuLogLine",
    "JujuStricterWarning",
    "MaintenanceStatus",
    "Manager",
    "Model",
    "Mount",
    "Network",
    "Notice",
    "PeerRelation",
    "Port",
    "RawDataBagContents",
    "RawSecretRevisionContents",
    "Relation",
    "RelationBase",
    "Resource",
    "Secret",
    "State",
    "StateValidationError",
    "Storage",
    "StoredState",
    "SubordinateRelation",
    "TCPPort",
    "UDPPort",
    "UnitID",
    "UnknownStatus",
    "WaitingStatus",
    "capture_events",
    "deferred",
    "errors",
    "layer_from_rockcraft",
]

if typing.TYPE_CHECKING:  # pragma: no cover - what __getattr__ gives, for type checkers
    from ops.testing import ActionFailed

    from scenario_rs._status import (
        ActiveStatus,
        BlockedStatus,
        ErrorStatus,
        MaintenanceStatus,
        UnknownStatus,
        WaitingStatus,
    )


def __getattr__(name: str) -> Any:
    # Names that subclass ops's own classes, so defined when first used: `import scenario`
    # does not import ops.
    if name == "ActionFailed":
        from scenario_rs.context import _action_failed

        return _action_failed()
    return _lazy_status(__name__, name)
