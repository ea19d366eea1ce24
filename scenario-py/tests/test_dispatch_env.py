"""The hook a run dispatches, as Juju names it: the entity's name as the metadata writes
it, then the event's kind with dashes (ops[testing]'s environment)."""

import os

import ops
import pytest

from scenario import Container, Context, Relation, State, Storage
from scenario.errors import UncaughtCharmError

SEEN = {}


class EnvCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        for event in self.on.events().values():
            framework.observe(event, self._record)

    def _record(self, _):
        SEEN.update(
            {k: os.environ.get(k) for k in ("JUJU_HOOK_NAME", "JUJU_DISPATCH_PATH")},
            dispatching=os.environ.get("OPERATOR_DISPATCH"),
        )


META = {
    "name": "app",
    "requires": {"receive_ca_cert": {"interface": "c"}, "send-ca-cert": {"interface": "c"}},
    "containers": {"temporal-worker": {}},
    "storage": {"my-store": {"type": "filesystem"}},
}


@pytest.mark.parametrize(
    "make,hook",
    [
        (lambda ctx: ctx.on.relation_changed(Relation("receive_ca_cert")), None),
        (lambda ctx: ctx.on.relation_changed(Relation("send-ca-cert")), None),
        (lambda ctx: ctx.on.pebble_ready(Container("temporal-worker")), None),
        (lambda ctx: ctx.on.storage_attached(Storage("my-store")), None),
        (lambda ctx: ctx.on.config_changed(), "config-changed"),
    ],
)
def test_the_hook_name_keeps_the_entity_name_as_written(make, hook):
    ctx = Context(EnvCharm, meta=META)
    event = make(ctx)
    entity = event.relation or event.container or event.storage
    state = State(
        relations={e for e in [event.relation] if e},
        containers={e for e in [event.container] if e},
        storages={e for e in [event.storage] if e},
    )
    if entity is not None and hasattr(entity, "endpoint"):
        hook = {"receive_ca_cert": "receive_ca_cert", "send-ca-cert": "send-ca-cert"}[
            entity.endpoint
        ] + "-relation-changed"
    elif entity is not None and hasattr(entity, "can_connect"):
        hook = "temporal-worker-pebble-ready"
    elif entity is not None:
        hook = "my-store-storage-attached"
    SEEN.clear()
    ctx.run(event, state)
    assert SEEN["JUJU_HOOK_NAME"] == hook
    assert SEEN["JUJU_DISPATCH_PATH"] == f"hooks/{hook}"
    assert SEEN["dispatching"] == "1"
    assert "OPERATOR_DISPATCH" not in os.environ


def test_a_leaked_dispatch_marker_fails_the_run(monkeypatch):
    """ops's dispatcher ends a hook at once when the process is already dispatching (ops
    before 2.16 had no such guard, and the run goes on there)."""
    monkeypatch.setenv("OPERATOR_DISPATCH", "1")
    monkeypatch.delenv("SCENARIO_BARE_CHARM_ERRORS", raising=False)
    ctx = Context(EnvCharm, meta={"name": "app"})
    if not hasattr(getattr(ops, "_main", None), "_Abort"):
        ctx.run(ctx.on.start(), State())
        return
    with pytest.raises(UncaughtCharmError) as info:
        ctx.run(ctx.on.start(), State())
    assert type(info.value.__cause__).__name__ == "_Abort"
