"""The bench charm: a handler per benchmark case, each doing what a real charm would.

Runs on ops 2.10 and 3.x alike. ``update-status`` is deliberately not observed: the
``unobserved`` case times a run in which no charm code runs.
"""

import logging

import ops

logger = logging.getLogger(__name__)

LAYER = {
    "summary": "bench workload",
    "services": {
        "bench": {
            "override": "replace",
            "command": "/usr/bin/bench-server --config /etc/bench/bench.conf",
            "startup": "enabled",
        }
    },
}


class BenchCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._stored.set_default(installed=False, log_level="info", snapshots=0)
        framework.observe(self.on.install, self._on_install)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.config_changed, self._on_config_changed)
        framework.observe(self.on.upgrade_charm, self._on_upgrade_charm)
        framework.observe(self.on.db_relation_changed, self._on_db_relation_changed)
        framework.observe(self.on.workload_pebble_ready, self._on_workload_pebble_ready)
        framework.observe(self.on.snapshot_action, self._on_snapshot_action)

    def _on_install(self, _: ops.InstallEvent) -> None:
        self._stored.installed = True
        self.unit.status = ops.MaintenanceStatus("installed")

    def _on_start(self, _: ops.StartEvent) -> None:
        self.unit.status = ops.ActiveStatus()

    def _on_config_changed(self, _: ops.ConfigChangedEvent) -> None:
        self._stored.log_level = self.config["log-level"]
        self.unit.status = ops.ActiveStatus(f"log level {self._stored.log_level}")

    def _on_upgrade_charm(self, _: ops.UpgradeCharmEvent) -> None:
        # The juju-log case: 200 lines through the root logger's juju-log handler.
        for i in range(200):
            logger.info("migrating record %d of 200", i)

    def _on_db_relation_changed(self, event: ops.RelationChangedEvent) -> None:
        assert event.app is not None
        endpoint = event.relation.data[event.app].get("endpoint", "")
        event.relation.data[self.unit]["connected-to"] = endpoint

    def _on_workload_pebble_ready(self, event: ops.PebbleReadyEvent) -> None:
        container = event.workload
        container.push(
            "/etc/bench/bench.conf", f"log-level={self.config['log-level']}\n", make_dirs=True
        )
        container.add_layer("bench", LAYER, combine=True)  # type: ignore[arg-type]
        container.replan()
        self.unit.status = ops.ActiveStatus()

    def _on_snapshot_action(self, event: ops.ActionEvent) -> None:
        name = event.params["name"]
        event.log(f"snapshotting {name}")
        self._stored.snapshots += 1
        event.set_results({"name": name, "count": self._stored.snapshots})


if __name__ == "__main__":  # pragma: no cover
    ops.main(BenchCharm)  # type: ignore[call-arg]
