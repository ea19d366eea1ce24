"""Secret ids as ops sees them: the id a test gave, canonicalised by ops itself."""

import inspect

import ops

from scenario import Context, Secret, State

SEEN = {}


class InfoCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _):
        secret = self.model.get_secret(id="theid")
        SEEN["secret.id"] = secret.id
        SEEN["info.id"] = secret.get_info().id


def test_an_owned_secret_given_a_bare_id():
    secret = Secret({"a": "b"}, id="theid", owner="app")
    ctx = Context(InfoCharm, meta={"name": "app"})
    state = State(secrets={secret}, leader=True)
    ctx.run(ctx.on.update_status(), state)
    # ops's own canonical form: secret://<model uuid>/theid on ops 3, secret:theid before.
    canonicalize = ops.Secret._canonicalize_id
    if "model_uuid" in inspect.signature(canonicalize).parameters:
        expected = canonicalize("theid", model_uuid=state.model.uuid)
    else:
        expected = canonicalize("theid")
    assert SEEN == {"secret.id": expected, "info.id": expected}
