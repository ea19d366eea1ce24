"""ops[testing]'s consistency checks: each rule of ops-scenario 8 that makes ``ctx.run``
raise ``InconsistentScenarioError`` before any charm code runs (containers, checks,
config, resources, events, secrets, storages, relations, networks, the cloud spec, stored
state), the scenarios that pass, and the warnings.
"""

import logging

import ops
import pytest
from ops import pebble

import scenario

META = {
    "name": "app",
    "requires": {"db": {"interface": "sql"}, "sub": {"interface": "j", "scope": "container"}},
    "peers": {"peers": {"interface": "p"}},
    "containers": {"w": {}},
    "storage": {"data": {"type": "filesystem"}},
    "resources": {"img": {"type": "oci-image"}},
    "extra-bindings": {"extra": None},
}
CONFIG = {
    "options": {
        "s": {"type": "string"},
        "i": {"type": "int"},
        "f": {"type": "float"},
        "b": {"type": "boolean"},
        "sec": {"type": "secret"},
    }
}
ACTIONS = {"go": {}}
CHECK_LAYER = pebble.Layer(
    {"checks": {"up": {"override": "replace", "level": "alive", "http": {"url": "http://x"}}}}
)


class Charm(ops.CharmBase):
    _stored = ops.StoredState()

    def __init__(self, framework):
        super().__init__(framework)
        for event in self.on.events().values():
            if not issubclass(event.event_type, ops.CollectStatusEvent):
                framework.observe(event, self._on_event)

    def _on_event(self, _):
        self.unit.status = ops.ActiveStatus("ran")


def check(testing, event, state, meta=META, **ctx_kwargs):
    """Run Charm; the output State, or the InconsistentScenarioError raised before it ran."""
    ctx = testing.Context(Charm, meta=meta, config=CONFIG, actions=ACTIONS, **ctx_kwargs)
    try:
        return ctx.run(event(ctx.on), state)
    except testing.errors.InconsistentScenarioError as e:
        assert ctx.emitted_events == [], "the charm ran before the check"
        return e


def assert_inconsistent(testing, event, state, *words, **kwargs):
    error = check(testing, event, state, **kwargs)
    assert isinstance(error, testing.errors.InconsistentScenarioError), error
    assert isinstance(error, testing.errors.ScenarioRuntimeError)
    assert str(error).startswith("Inconsistent scenario. The following errors were found:")
    for word in words:
        assert word in str(error)


def assert_consistent(testing, event, state, **kwargs):
    out = check(testing, event, state, **kwargs)
    assert isinstance(out, testing.State), out


# --- containers and checks -------------------------------------------------------------------


def test_c1_a_workload_event_for_an_undeclared_container(testing):
    other = testing.Container("x", can_connect=True)
    assert_inconsistent(
        testing, lambda on: on.pebble_ready(other), testing.State(containers={other}), "'x'"
    )


def test_c2_a_workload_event_for_a_container_not_in_the_state(testing):
    w = testing.Container("w", can_connect=True)
    assert_inconsistent(testing, lambda on: on.pebble_ready(w), testing.State(), "'w'")


def test_c3_a_state_container_not_in_the_metadata(testing):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(containers={testing.Container("x")}), "'x'"
    )


def test_c5_a_notice_event_for_a_notice_not_in_the_state(testing):
    w = testing.Container("w", can_connect=True)
    notice = testing.Notice("example.com/a")
    assert_inconsistent(
        testing, lambda on: on.pebble_custom_notice(w, notice), testing.State(containers={w})
    )


def test_c6_a_check_event_for_a_check_not_in_the_container(testing):
    w = testing.Container("w", can_connect=True)
    info = testing.CheckInfo("up")
    assert_inconsistent(
        testing, lambda on: on.pebble_check_failed(w, info), testing.State(containers={w}), "up"
    )


def test_c7_a_check_info_not_in_the_plan(testing):
    w = testing.Container("w", check_infos={testing.CheckInfo("up")})
    assert_inconsistent(testing, lambda on: on.start(), testing.State(containers={w}), "'up'")


@pytest.mark.parametrize(
    "info",
    [
        dict(level=None),  # None is UNSET, and the plan says alive
        dict(level="alive", threshold=7),
        dict(level="alive", startup=pebble.CheckStartup.DISABLED)
        if hasattr(pebble, "CheckStartup")
        else dict(level="ready"),
    ],
)
def test_c8_to_c10_a_check_info_must_agree_with_the_plan(testing, info):
    w = testing.Container(
        "w", layers={"base": CHECK_LAYER}, check_infos={testing.CheckInfo("up", **info)}
    )
    assert_inconsistent(testing, lambda on: on.start(), testing.State(containers={w}), "'up'")


def test_a_check_info_that_agrees_with_the_plan(testing):
    w = testing.Container(
        "w", layers={"base": CHECK_LAYER}, check_infos={testing.CheckInfo("up", level="alive")}
    )
    assert_consistent(testing, lambda on: on.start(), testing.State(containers={w}))


def test_e2_duplicate_exec_prefixes(testing):
    w = testing.Container(
        "w", can_connect=True, execs={testing.Exec(["ls"]), testing.Exec(["ls"], stdout="x")}
    )
    assert_inconsistent(testing, lambda on: on.pebble_ready(w), testing.State(containers={w}))


def test_e2_a_workload_event_while_the_container_cannot_connect_only_warns(testing, caplog):
    w = testing.Container("w", can_connect=False)
    with caplog.at_level(logging.WARNING):
        assert_consistent(testing, lambda on: on.pebble_ready(w), testing.State(containers={w}))
    assert any(
        r.name.startswith("ops-scenario") and "connect" in r.getMessage() for r in caplog.records
    )


# --- config and resources --------------------------------------------------------------------


def test_k1_a_config_key_that_is_not_an_option(testing):
    assert_inconsistent(testing, lambda on: on.start(), testing.State(config={"zz": "a"}), "'zz'")


@pytest.mark.parametrize(("key", "value"), [("i", "1"), ("s", 1), ("b", "true")])
def test_k3_a_config_value_of_the_wrong_type(testing, key, value):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(config={key: value}), f"'{key}'"
    )


def test_k3_an_int_for_a_float_option(testing):
    assert_inconsistent(testing, lambda on: on.start(), testing.State(config={"f": 1}), "'f'")


def test_config_of_the_right_types(testing):
    config = {"s": "x", "i": 1, "f": 1.5, "b": True, "sec": "secret:aaaaaaaaaaaaaaaaaaaa"}
    assert_consistent(testing, lambda on: on.start(), testing.State(config=config))


def test_k4_a_secret_option_needs_a_secret_id_and_juju_3_4(testing):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(config={"sec": "nope"}), "'sec'"
    )
    assert_inconsistent(
        testing,
        lambda on: on.start(),
        testing.State(config={"sec": "secret:aaaaaaaaaaaaaaaaaaaa"}),
        "'sec'",
        juju_version="3.3",
    )


def test_r1_a_resource_not_in_the_metadata(testing):
    assert_inconsistent(
        testing,
        lambda on: on.start(),
        testing.State(resources={testing.Resource(name="zz", path="/p")}),
        "zz",
    )
    assert_consistent(
        testing,
        lambda on: on.start(),
        testing.State(resources={testing.Resource(name="img", path="/p")}),
    )


# --- events ----------------------------------------------------------------------------------


def test_e1_a_relation_event_for_a_relation_not_in_the_state(testing):
    db = testing.Relation("db")
    assert_inconsistent(
        testing,
        lambda on: on.relation_changed(db),
        testing.State(relations={testing.Relation("db")}),
    )


def test_e3_an_undeclared_action(testing):
    assert_inconsistent(testing, lambda on: on.action("zz"), testing.State(), "zz")


def test_e4_storage_events(testing):
    data = testing.Storage("data")
    assert_inconsistent(testing, lambda on: on.storage_attached(data), testing.State(), "data")
    other = testing.Storage("other")
    assert_inconsistent(
        testing, lambda on: on.storage_attached(other), testing.State(storages={other}), "other"
    )
    assert_consistent(
        testing, lambda on: on.storage_attached(data), testing.State(storages={data})
    )


def test_s1_secret_events(testing):
    secret = testing.Secret({"key": "value"})
    assert_inconsistent(testing, lambda on: on.secret_changed(secret), testing.State())
    assert_inconsistent(
        testing,
        lambda on: on.secret_changed(secret),
        testing.State(secrets={secret}),
        juju_version="2.9.44",
    )
    assert_consistent(
        testing, lambda on: on.secret_changed(secret), testing.State(secrets={secret})
    )


class LibEvents(ops.ObjectEvents):
    ping = ops.EventSource(ops.EventBase)


class Lib(ops.Object):
    on = LibEvents()


class LibCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.lib = Lib(self, "lib")
        framework.observe(self.lib.on.ping, self._on_ping)

    def _on_ping(self, _):
        self.unit.status = ops.ActiveStatus("pinged")


def test_e0_a_custom_event_only_warns(testing, caplog):
    ctx = testing.Context(LibCharm, meta={"name": "app"})
    with caplog.at_level(logging.WARNING):
        out = ctx.run(ctx.on.custom(Lib.on.ping), testing.State())
    assert out.unit_status == testing.ActiveStatus("pinged")
    assert any(
        r.name.startswith("ops-scenario") and "custom event" in r.getMessage()
        for r in caplog.records
    )


# --- storages and relations ------------------------------------------------------------------


def test_st1_a_storage_not_in_the_metadata(testing):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(storages={testing.Storage("other")}), "other"
    )


def test_rl1_a_peer_endpoint_needs_a_peer_relation(testing):
    assert_inconsistent(
        testing,
        lambda on: on.start(),
        testing.State(relations={testing.Relation("peers")}),
        "peers",
    )


def test_rl2_an_undeclared_endpoint(testing):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(relations={testing.Relation("zz")}), "zz"
    )


def test_rl3_duplicate_relation_ids(testing):
    state = testing.State(
        relations={testing.Relation("db", id=5), testing.PeerRelation("peers", id=5)}
    )
    assert_inconsistent(testing, lambda on: on.start(), state, "5")


def test_rl4_subordinate_endpoints_and_relations_go_together(testing):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(relations={testing.Relation("sub")}), "sub"
    )
    assert_inconsistent(
        testing,
        lambda on: on.start(),
        testing.State(relations={testing.SubordinateRelation("db")}),
        "db",
    )
    assert_consistent(
        testing,
        lambda on: on.start(),
        testing.State(relations={testing.SubordinateRelation("sub")}),
    )


def test_rl5_an_endpoint_declared_twice(testing):
    meta = {
        "name": "app",
        "requires": {"x": {"interface": "a"}},
        "provides": {"x": {"interface": "a"}},
    }
    assert_inconsistent(testing, lambda on: on.start(), testing.State(), meta=meta)


def test_rl6_peers_data_must_not_hold_this_unit(testing):
    peers = testing.PeerRelation("peers", peers_data={0: {}})
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(relations={peers}), "peers_data"
    )
    assert_consistent(testing, lambda on: on.start(), testing.State(relations={peers}), unit_id=1)


def test_rl7_a_relation_event_with_no_remote_unit_to_name(testing):
    peers = testing.PeerRelation("peers")
    assert_inconsistent(
        testing,
        lambda on: on.relation_joined(peers),
        testing.State(relations={peers}),
        "remote_unit",
    )
    assert_consistent(
        testing,
        lambda on: on.relation_joined(peers, remote_unit=1),
        testing.State(relations={peers}),
    )


# --- networks, the cloud spec, stored state --------------------------------------------------


def test_n1_a_network_for_an_undeclared_binding(testing):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(networks={testing.Network("zz")}), "zz"
    )
    networks = {testing.Network("db"), testing.Network("extra"), testing.Network("juju-info")}
    assert_consistent(testing, lambda on: on.start(), testing.State(networks=networks))


def test_n1_a_network_for_a_subordinate_endpoint(testing):
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(networks={testing.Network("sub")}), "sub"
    )


def test_n2_an_extra_binding_named_as_an_endpoint(testing):
    meta = {"name": "app", "requires": {"x": {"interface": "a"}}, "extra-bindings": {"x": None}}
    assert_inconsistent(testing, lambda on: on.start(), testing.State(), "x", meta=meta)


def test_cs1_a_kubernetes_cloud_spec_needs_juju_3_6_10(testing):
    model = testing.Model(type="kubernetes", cloud_spec=testing.CloudSpec("k8s"))
    assert_inconsistent(
        testing, lambda on: on.start(), testing.State(model=model), juju_version="3.6.9"
    )


def test_cs1_a_cloud_spec_on_new_enough_juju_or_a_machine_model(testing):
    k8s = testing.Model(type="kubernetes", cloud_spec=testing.CloudSpec("k8s"))
    assert_consistent(
        testing, lambda on: on.start(), testing.State(model=k8s), juju_version="3.6.10"
    )
    lxd = testing.Model(type="lxd", cloud_spec=testing.CloudSpec("lxd"))
    assert_consistent(
        testing, lambda on: on.start(), testing.State(model=lxd), juju_version="3.6.9"
    )


def test_ss1_two_stored_states_with_the_same_owner_and_name(testing):
    stored = {
        testing.StoredState("_stored", owner_path="Charm", content={"a": 1}),
        testing.StoredState("_stored", owner_path="Charm", content={"a": 2}),
    }
    assert_inconsistent(testing, lambda on: on.start(), testing.State(stored_states=stored))


def test_ss2_stored_state_content_that_ops_cannot_store_differs_from_8_9(testing):
    """8.9's checker refuses it at ``ctx.run``; this package refuses it when the
    ``StoredState`` is made, with a ``TypeError``."""
    content = {"a": object()}
    if hasattr(scenario, "_scenario"):
        with pytest.raises(TypeError, match="not a value ops can store"):
            testing.StoredState("_stored", owner_path="Charm", content=content)
    else:
        stored = testing.StoredState("_stored", owner_path="Charm", content=content)
        assert_inconsistent(testing, lambda on: on.start(), testing.State(stored_states={stored}))
