"""scenario.consistency_checker from Python: what raises, what warns, what skips."""

import logging

import ops
import pytest

from scenario import Container, Context, Event, PeerRelation, Relation, State, Storage
from scenario.consistency_checker import check_consistency, consistency_report
from scenario.runtime import InconsistentScenarioError
from scenario.state import _CharmSpec


class Charm(ops.CharmBase):
    pass


META = {
    "name": "app",
    "requires": {"db": {"interface": "pg"}},
    "peers": {"cluster": {"interface": "c"}},
    "containers": {"wl": {}},
    "storage": {"data": {"type": "filesystem"}},
}
SPEC = _CharmSpec(
    Charm,
    META,
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
