"""Config: what the charm reads of the State's config, over the defaults config.yaml
declares (under both APIs), and ops's typed ``load_config``. The checks on config values
(K rules) are test_consistency_checker.py's; an option of a type Juju does not know is
test_refused_inputs.py's.
"""

import dataclasses

import ops
import pytest

from scenario import Context, State

META = {"name": "app"}
OPS_3 = int(ops.__version__.split(".")[0]) >= 3


class ConfigCharm(ops.CharmBase):
    seen = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config)

    def _on_config(self, _):
        ConfigCharm.seen = dict(self.config)


def test_config_merges_defaults_from_config_yaml(api):
    config = {"options": {"port": {"type": "int", "default": 80}, "name": {"type": "string"}}}
    ctx = Context(ConfigCharm, meta={"name": "app"}, config=config)
    api.run(ctx, "config_changed", State(config={"name": "x"}))
    assert ConfigCharm.seen == {"port": 80, "name": "x"}


def test_state_config_none_is_empty(testing):
    assert testing.State(config=None).config == {}


@dataclasses.dataclass(frozen=True)
class PortConfig:
    port: int = 80

    def __post_init__(self):
        if self.port < 1:
            raise ValueError("port must be positive")


class ConfigLoader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.typed = self.load_config(PortConfig, errors="blocked")
        framework.observe(self.on.config_changed, self._on_config_changed)

    def _on_config_changed(self, _):
        self.unit.status = ops.ActiveStatus(f"port {self.typed.port}")


PORT_CONFIG = {"options": {"port": {"type": "int", "default": 80}}}


def test_load_config_blocked_ends_the_hook_cleanly_in_init(testing):
    ctx = testing.Context(ConfigLoader, meta=META, config=PORT_CONFIG)
    if not OPS_3:
        # ops 2.x has no CharmBase.load_config, so no charm can abort in __init__ this way.
        assert not hasattr(ops.CharmBase, "load_config")
        return
    good = ctx.run(ctx.on.config_changed(), testing.State(config={"port": 8080}))
    assert good.unit_status == testing.ActiveStatus("port 8080")
    deferred = ctx.on.update_status().deferred(ConfigLoader._on_config_changed)
    out = ctx.run(ctx.on.config_changed(), testing.State(config={"port": -1}, deferred=[deferred]))
    assert out.unit_status == testing.BlockedStatus("Invalid config: port must be positive")
    assert out.deferred == [deferred]  # nothing was emitted, so the queue is as it was
    with ctx(ctx.on.config_changed(), testing.State(config={"port": -1})) as mgr:
        with pytest.raises(RuntimeError, match="__init__ exited early"):
            mgr.charm  # noqa: B018
        assert mgr.run().unit_status == testing.BlockedStatus(
            "Invalid config: port must be positive"
        )
