"""The seeded charm with each of its bugs fixed: what scenario's fuzzing mode reports on it
is a false finding (its test asserts there is none)."""

import json
import logging

import ops

logger = logging.getLogger(__name__)

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


class SeededCharm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.install, self._on_install)
        framework.observe(self.on.config_changed, self._on_config_changed)
        framework.observe(self.on.update_status, self._on_update_status)
        framework.observe(self.on.web_pebble_ready, self._on_web_pebble_ready)
        framework.observe(self.on.db_relation_changed, self._on_db_changed)
        framework.observe(self.on.rotate_action, self._on_rotate)

    def _on_install(self, _: ops.InstallEvent):
        self._stored.cluster_id = "c-1"
        if self.unit.is_leader():
            secret = self.app.add_secret({"password": "initial"}, label="admin")
            peer = self.model.get_relation("cluster")
            if peer is not None:
                peer.data[self.app]["admin-secret"] = secret.id

    def _on_config_changed(self, _: ops.ConfigChangedEvent):
        workers = self.config["workers"]
        if workers < 1:
            self.unit.status = ops.BlockedStatus("workers must be at least 1")
            return
        level = LEVELS.get(self.config["log-level"])
        if level is None:
            self.unit.status = ops.BlockedStatus("log-level must be debug, info or warning")
            return
        logger.log(level, "%d requests a worker", 1000 // workers)
        peer = self.model.get_relation("cluster")
        if peer is None:
            self.unit.status = ops.WaitingStatus("waiting for the peer relation")
            return
        if self.unit.is_leader():
            peer.data[self.app]["workers"] = str(workers)
        secret_id = peer.data[self.app].get("admin-secret")
        if secret_id:
            try:
                content = self.model.get_secret(id=secret_id).get_content()
            except ops.SecretNotFoundError:
                self.unit.status = ops.WaitingStatus("waiting for the admin secret")
                return
            logger.debug("admin password of %d characters", len(content.get("password", "")))
        self.unit.status = ops.ActiveStatus()

    def _on_update_status(self, _: ops.UpdateStatusEvent):
        storages = self.model.storages["data"]
        if not storages:
            self.unit.status = ops.BlockedStatus("no data storage")
            return
        relations = self.model.relations["db"]
        if len(relations) > 1:
            self.unit.status = ops.BlockedStatus("one db relation at most")
            return
        peers = self.app.planned_units() - 1
        share = 100 // peers if peers > 0 else 100
        web = self.unit.get_container("web")
        if not web.can_connect():
            self.unit.status = ops.WaitingStatus("waiting for Pebble")
            return
        service = web.get_plan().services.get("web")
        if service is None:
            self.unit.status = ops.WaitingStatus("waiting for the web layer")
            return
        try:
            config = web.pull("/etc/web/config.yaml").read()
        except ops.pebble.PathError:
            self.unit.status = ops.BlockedStatus("no web config")
            return
        cluster = getattr(self._stored, "cluster_id", None)
        if cluster is None:
            self._stored.cluster_id = cluster = "c-1"
        location = storages[0].location
        logger.info("%s %d %s %d %s", location, share, service.command, len(config), cluster)
        self.unit.status = ops.ActiveStatus(f"serving a {share}% share")

    def _on_web_pebble_ready(self, event: ops.PebbleReadyEvent):
        event.workload.add_layer(
            "web",
            {"services": {"web": {"override": "replace", "command": "web serve"}}},
            combine=True,
        )
        event.workload.replan()
        self.unit.status = ops.ActiveStatus()

    def _on_db_changed(self, event: ops.RelationChangedEvent):
        raw = event.relation.data[event.app].get("endpoints", "")
        try:
            endpoints = json.loads(raw)
        except json.JSONDecodeError:
            endpoints = None
        if not isinstance(endpoints, list):
            self.unit.status = ops.WaitingStatus("waiting for the db's endpoints")
            return
        # An empty list stays the crash the suite expects (test_db_changed_without_endpoints).
        self.unit.status = ops.ActiveStatus(f"db at {endpoints[0]}")

    def _on_rotate(self, event: ops.ActionEvent):
        if not self.unit.is_leader():
            event.fail("only the leader rotates the password")
            return
        try:
            secret = self.model.get_secret(label="admin")
        except ops.SecretNotFoundError:
            event.fail("no admin secret")
            return
        secret.set_content({"password": "rotated"})
        event.set_results({"rotated": True})


if __name__ == "__main__":  # pragma: nocover
    ops.main(SeededCharm)
