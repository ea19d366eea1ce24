"""A small charm: greets, counts starts, shares its greeting over the db relation."""

import logging

import ops

logger = logging.getLogger(__name__)


class HelloCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._stored.set_default(starts=0)
        framework.observe(self.on.install, self._on_install)
        framework.observe(self.on.config_changed, self._on_config_changed)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.update_status, self._on_update_status)
        framework.observe(self.on.db_relation_changed, self._on_db_changed)
        framework.observe(self.on.greet_action, self._on_greet)
        framework.observe(self.on.collect_unit_status, self._on_collect_status)

    def _on_install(self, _: ops.InstallEvent):
        self.unit.status = ops.MaintenanceStatus("installing")
        self.unit.set_workload_version("1.0")

    def _on_config_changed(self, _: ops.ConfigChangedEvent):
        port = self.config["port"]
        # scenario.strategies found this one: Juju accepts any int, open-port does not.
        if not 1 <= port <= 65535:
            self.unit.status = ops.BlockedStatus(f"invalid port {port}")
            return
        self.unit.set_ports(port)
        logger.info("listening on %s", port)

    def _on_start(self, _: ops.StartEvent):
        self._stored.starts += 1
        if self.unit.is_leader():
            self.app.status = ops.ActiveStatus(f"{self.config['greeting']}, leader here")

    def _on_update_status(self, event: ops.UpdateStatusEvent):
        if not self.model.relations["db"]:
            # Nothing to report until the database is related: try again next time.
            event.defer()

    def _on_db_changed(self, event: ops.RelationChangedEvent):
        event.relation.data[self.unit]["greeting"] = self.config["greeting"]
        if self.unit.is_leader():
            event.relation.data[self.app]["starts"] = str(self._stored.starts)

    def _on_greet(self, event: ops.ActionEvent):
        name = event.params["name"]
        event.log(f"greeting {name}")
        event.set_results({"message": f"{self.config['greeting']}, {name}!"})

    def _on_collect_status(self, event: ops.CollectStatusEvent):
        if not 1 <= self.config["port"] <= 65535:
            event.add_status(ops.BlockedStatus(f"invalid port {self.config['port']}"))
        if not self.model.relations["db"]:
            event.add_status(ops.BlockedStatus("waiting for a db relation"))
        event.add_status(
            ops.ActiveStatus(f"{self.config['greeting']} (started {self._stored.starts}x)")
        )


if __name__ == "__main__":  # pragma: nocover
    ops.main(HelloCharm)
