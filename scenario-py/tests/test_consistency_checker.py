"""The consistency checker: before any charm code runs, the State and the event are
checked against the charm's metadata, config and actions. Here: ``check_consistency`` and
``consistency_report`` from Python (what raises, what warns, what skips), each rule a run
refuses with ``InconsistentScenarioError`` (the rules of ops-scenario 8, under
ops[testing]'s grades; the few the APIs grade alike, under both), and Juju versions of a
major alone. Each rule's grade under each API is the Rust table's (``tests/it/apis.rs``);
the JujuStricterWarnings and strict mode are test_strict_mode.py's.
"""

import logging
import os
import warnings

import ops
import pytest
from ops import pebble

import scenario
from scenario import Container, Context, Event, PeerRelation, Relation, Secret, State, Storage
from scenario._consistency_checker import check_consistency as check_consistency_8
from scenario.consistency_checker import check_consistency, consistency_report
from scenario.errors import JujuStricterWarning
from scenario.runtime import InconsistentScenarioError
from scenario.state import _CharmSpec, _Event


class Checked(ops.CharmBase):
    pass


S5_META = {
    "name": "app",
    "requires": {"db": {"interface": "pg"}},
    "peers": {"cluster": {"interface": "c"}},
    "containers": {"wl": {}},
    "storage": {"data": {"type": "filesystem"}},
}
SPEC = _CharmSpec(
    Checked,
    S5_META,
    {"backup": {"params": {"n": {"type": "integer"}}}},
    {"options": {"port": {"type": "int"}}},
)


@pytest.mark.parametrize(
    "state, event, rule, path",
    [
        (State(relations=[Relation("nope")]), "start", "RL2", "state.relations[0].endpoint"),
        (State(relations=[Relation("cluster")]), "start", "RL1", "state.relations[0]"),
        (
            State(relations=[PeerRelation("db", peers_data={1: {}})]),
            "start",
            "RL6",
            "state.relations[0]",
        ),
        (State(config={"port": "80"}), "start", "K3", "state.config['port']"),
        (State(config={"nope": 1}), "start", "K1", "state.config['nope']"),
        (State(containers=[Container("other")]), "start", "C3", "state.containers[0]"),
        (State(storage=[Storage("nope", index=0)]), "start", "ST1", "state.storage[0]"),
        (State(), "db-relation-changed", "E1", "event.relation"),
        (State(), "wl-pebble-ready", "E2", "event.container"),
        (
            State(relations=[PeerRelation("cluster", peers_data={1: {}, 2: {}})], unit_id=1),
            "start",
            "RL7",
            "state.relations[0].peers_data",
        ),
    ],
)
def test_each_rule_raises_naming_the_offending_field(state, event, rule, path):
    # Strict: the rules where Juju is stricter than Scenario 5.8.1 (RL7) fail too.
    with pytest.raises(InconsistentScenarioError) as info:
        check_consistency(state, Event(event), SPEC, "3.4.0", strict=True)
    message = str(info.value)
    assert message.startswith("Inconsistent scenario. The following errors were found:")
    assert f"{rule} {path}" in message
    assert any(e.rule == rule for e in info.value.errors)


def test_a_consistent_scenario_passes():
    rel = Relation("db")
    check_consistency(State(relations=[rel]), rel.changed_event, SPEC, "3.4.0")
    assert consistency_report(State(), Event("start"), SPEC, "3.4.0").errors == []


def test_warnings_are_logged_not_raised(caplog):
    with caplog.at_level(logging.WARNING):
        check_consistency(State(), Event("my_lib.on.custom"), SPEC, "3.4.0")
    assert "E0" in caplog.text


def test_the_check_runs_before_any_charm_code():
    constructed = []

    class Watched(ops.CharmBase):
        def __init__(self, framework):
            constructed.append(True)
            super().__init__(framework)

    with pytest.raises(InconsistentScenarioError):
        Context(Watched, meta={"name": "app"}).run("start", State(relations=[Relation("x")]))
    assert constructed == []


def test_the_skip_variable_skips_but_the_version_must_parse(monkeypatch):
    monkeypatch.setenv("SCENARIO_SKIP_CONSISTENCY_CHECKS", "1")
    check_consistency(State(relations=[Relation("nope")]), Event("start"), SPEC, "3.4.0")
    with pytest.raises(ValueError):
        check_consistency(State(), Event("start"), SPEC, "three")


def test_secret_events_need_juju_3():
    from scenario import Secret

    secret = Secret("secret:x", {0: {"a": "b"}})
    report = consistency_report(State(secrets=[secret]), secret.changed_event, SPEC, "2.9.44")
    assert [e.rule for e in report.errors] == ["S1"]
    assert (
        consistency_report(State(secrets=[secret]), secret.changed_event, SPEC, "3.1").errors == []
    )


def test_action_params_are_checked_against_actions_yaml():
    from scenario import Action

    bad = Action("backup", params={"n": "three"})
    assert [e.rule for e in consistency_report(State(), bad.event, SPEC, "3.4").errors] == ["AP4"]
    undeclared = Action("restore")
    assert [e.rule for e in consistency_report(State(), undeclared.event, SPEC, "3.4").errors] == [
        "E3"
    ]


# --- each rule a run refuses -----------------------------------------------------------------

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


def check_run(api, name, state, *args, **ctx_kwargs):
    """Run Charm with the event ``name`` written in ``api``; the output State, or the
    InconsistentScenarioError raised before it ran."""
    ctx = api.testing.Context(Charm, meta=META, config=CONFIG, actions=ACTIONS, **ctx_kwargs)
    try:
        return api.run(ctx, name, state, *args)
    except api.testing.errors.InconsistentScenarioError as e:
        assert ctx.emitted_events == [], "the charm ran before the check"
        return e


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


def test_r1_a_resource_not_in_the_metadata(api):
    def resources(name):
        # Scenario 5 gave a dict of name to path; ops[testing] gives Resources.
        if api.is_scenario_5:
            return {name: "/p"}
        return {api.testing.Resource(name=name, path="/p")}

    error = check_run(api, "start", api.testing.State(resources=resources("zz")))
    assert isinstance(error, api.testing.errors.InconsistentScenarioError)
    assert "R1" in str(error) and "zz" in str(error)
    assert isinstance(
        check_run(api, "start", api.testing.State(resources=resources("img"))), State
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


def test_e4_storage_events(api):
    data = Storage("data")
    error = check_run(api, "storage_attached", State(), data)
    assert isinstance(error, InconsistentScenarioError) and "data" in str(error)
    other = Storage("other")
    error = check_run(api, "storage_attached", State(storages=[other]), other)
    assert isinstance(error, InconsistentScenarioError) and "other" in str(error)
    assert isinstance(check_run(api, "storage_attached", State(storages=[data]), data), State)


def test_s1_secret_events(api):
    # (Scenario 5 said it was granted: a secret neither owned nor granted warns there.)
    granted = {"granted": "unit"} if api.is_scenario_5 else {}
    secret = api.testing.Secret({"key": "value"}, **granted)
    error = check_run(api, "secret_changed", State(), secret)
    assert isinstance(error, InconsistentScenarioError)
    error = check_run(api, "secret_changed", State(secrets=[secret]), secret, juju_version="2.9")
    assert isinstance(error, InconsistentScenarioError) and "S1" in str(error)
    assert isinstance(check_run(api, "secret_changed", State(secrets=[secret]), secret), State)


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


# --- Juju versions of a major alone ----------------------------------------------------------


def test_a_juju_version_without_a_minor_reads_as_its_dot_zero():
    ctx = Context(ops.CharmBase, meta={"name": "x"})
    with pytest.warns(JujuStricterWarning, match="minor"):
        check_consistency_8(State(), _Event("start"), ctx._charm_spec, "3", 0)


class _VersionReporter(ops.CharmBase):
    seen = ""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _: ops.StartEvent) -> None:
        # ops 2.10's Model has no juju_version: read what ops reads.
        _VersionReporter.seen = os.environ["JUJU_VERSION"]


def test_a_run_with_a_juju_version_without_a_minor_simulates_its_dot_zero(api):
    # Both originals took Context(juju_version="3") and failed in the run (ops cannot parse
    # it); here the run simulates 3.0, with a warning.
    ctx = Context(_VersionReporter, meta={"name": "x"}, juju_version="3")
    with pytest.warns(JujuStricterWarning, match="minor"):
        api.run(ctx, "start", State())
    assert _VersionReporter.seen == "3.0"


def test_strict_mode_refuses_a_juju_version_without_a_minor():
    ctx = Context(_VersionReporter, meta={"name": "x"}, juju_version="3", strict=True)
    with pytest.raises(ValueError, match="minor"):
        ctx.run(ctx.on.start(), State())


@pytest.mark.parametrize("version", ["3", "4"])
def test_a_bare_major_juju_version_passes_the_checker(version):
    from scenario.consistency_checker import check_consistency

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_consistency(
            State(secrets=[Secret("secret:foo", {0: {"a": "b"}})]),
            Event("start"),
            _CharmSpec(ops.CharmBase, {"name": "mycharm"}),
            version,
        )
