"""A charm with seeded bugs: each crashes only on a State its own tests never build.

Above each line that crashes stands a comment ``# seeded (<kind>, <error>): <the State
that crashes it>``: scenario's test of the fuzzing mode reads them, and expects that
finding (the error, at the line) for each, of every kind: config, leadership, relations,
planned units, containers, secrets, storage, stored state.
"""

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
        # seeded (config, ZeroDivisionError): workers=0
        per_worker = 1000 // self.config["workers"]
        # seeded (config, KeyError): an unknown log-level
        level = LEVELS[self.config["log-level"]]
        logger.log(level, "%d requests a worker", per_worker)
        peer = self.model.get_relation("cluster")
        if peer is None:
            self.unit.status = ops.WaitingStatus("waiting for the peer relation")
            return
        # seeded (leadership, RelationDataAccessError): a follower writes app data
        peer.data[self.app]["workers"] = str(self.config["workers"])
        secret_id = peer.data[self.app].get("admin-secret")
        if secret_id:
            # seeded (secrets, SecretNotFoundError): the admin secret gone
            password = self.model.get_secret(id=secret_id).get_content()["password"]
            logger.debug("admin password of %d characters", len(password))
        self.unit.status = ops.ActiveStatus()

    def _on_update_status(self, _: ops.UpdateStatusEvent):
        # seeded (storage, IndexError): detached
        data = self.model.storages["data"][0].location
        # seeded (relations, TooManyRelatedAppsError): a second db relation
        db = self.model.get_relation("db")
        # seeded (planned units, ZeroDivisionError): one planned unit
        share = 100 // (self.app.planned_units() - 1)
        web = self.unit.get_container("web")
        # seeded (containers, KeyError): the web layer gone
        command = web.get_plan().services["web"].command
        # seeded (containers, PathError): the config mount gone
        # seeded (containers, ConnectionError): Pebble unreachable
        config = web.pull("/etc/web/config.yaml").read()
        # seeded (stored state, AttributeError): the cluster id never stored
        cluster = self._stored.cluster_id
        logger.info("%s %s %d %s %d %s", data, db, share, command, len(config), cluster)
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
        # seeded (relations, KeyError): no endpoints
        # seeded (relations, JSONDecodeError): endpoints that are not JSON
        endpoints = json.loads(event.relation.data[event.app]["endpoints"])
        self.unit.status = ops.ActiveStatus(f"db at {endpoints[0]}")

    def _on_rotate(self, event: ops.ActionEvent):
        if not self.unit.is_leader():
            event.fail("only the leader rotates the password")
            return
        # seeded (secrets, SecretNotFoundError): the admin secret gone
        secret = self.model.get_secret(label="admin")
        secret.set_content({"password": "rotated"})
        event.set_results({"rotated": True})


if __name__ == "__main__":  # pragma: nocover
    ops.main(SeededCharm)
