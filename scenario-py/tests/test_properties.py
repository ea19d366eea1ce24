"""Properties over many States (hypothesis): the state classes, the checker, and a charm
run on any consistent State."""

import dataclasses
import pickle
import sys
from pathlib import Path

import ops
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenario import Context, State
from scenario.consistency_checker import consistency_report
from scenario.state import Event
from scenario.strategies import states

sys.path.insert(0, str(Path(__file__).parents[2] / "examples" / "hello-charm" / "src"))
from charm import HelloCharm

CTX = Context(HelloCharm)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(states(CTX))
def test_generated_states_are_consistent(state):
    for event in ("start", "config-changed", "update-status"):
        report = consistency_report(state, Event(event), CTX._charm_spec, "3.4.0")
        assert report.errors == [], report.errors


@FAST
@given(states(CTX))
def test_states_round_trip_through_json_yaml_and_pickle(state):
    assert State.from_json(state.to_json()) == state
    assert State.from_yaml(state.to_yaml()) == state
    assert pickle.loads(pickle.dumps(state)) == state
    assert pickle.loads(pickle.dumps(state, protocol=0)) == state
    assert dataclasses.replace(state) == state


@FAST
@given(states(CTX), st.sampled_from(["install", "start", "config-changed", "update-status"]))
def test_the_example_charm_survives_any_consistent_state(state, event):
    out = CTX.run(event, state)
    # What the charm does not touch comes out as it went in.
    assert out.relations == state.relations or any(r.endpoint == "db" for r in state.relations)
    assert out.leader == state.leader
    assert out.containers == state.containers
    assert isinstance(out.unit_status, ops.StatusBase)


@FAST
@given(states(CTX))
def test_a_run_never_changes_its_input(state):
    snapshot = state.to_json()
    CTX.run("config-changed", state)
    assert state.to_json() == snapshot
