"""Properties over many States (hypothesis): the states ``scenario.strategies`` draws are
consistent, every State round-trips through JSON, YAML and pickle, and a charm runs on any
consistent State, through both APIs, without changing it."""

import dataclasses
import pickle
import sys
from pathlib import Path

import ops
import pytest
from apis import ops_testing, scenario_5
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenario import Context, State
from scenario.consistency_checker import consistency_report
from scenario.state import Event
from scenario.strategies import states

sys.path.insert(0, str(Path(__file__).parents[2] / "examples" / "hello-charm" / "src"))
from charm import HelloCharm

CTX = Context(HelloCharm)
# Both APIs, as values (hypothesis runs a test many times in one function-scoped fixture).
APIS = pytest.mark.parametrize(
    "api", [scenario_5(), ops_testing()], ids=["scenario5", "ops.testing"]
)
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


@APIS
@FAST
@given(states(CTX), st.sampled_from(["install", "start", "config_changed", "update_status"]))
def test_the_example_charm_survives_any_consistent_state(api, state, event):
    out = api.run(CTX, event, state)
    # What the charm does not touch comes out as it went in.
    assert out.relations == state.relations or any(r.endpoint == "db" for r in state.relations)
    assert out.leader == state.leader
    assert out.containers == state.containers
    assert isinstance(out.unit_status, ops.StatusBase)


@APIS
@FAST
@given(states(CTX))
def test_a_run_never_changes_its_input(api, state):
    snapshot = state.to_json()
    api.run(CTX, "config_changed", state)
    assert state.to_json() == snapshot
