"""The ``scenario`` command line: run a charm on a State file, check a scenario."""

import json
from pathlib import Path

import pytest

from scenario import Relation, State
from scenario.cli import main

CHARM = (
    str(Path(__file__).parents[2] / "examples" / "hello-charm" / "src" / "charm.py")
    + ":HelloCharm"
)


def test_run_writes_the_output_state(tmp_path, capsys):
    state_file = tmp_path / "in.yaml"
    state_file.write_text(State(leader=True, config={"port": 9000}).to_yaml())
    out_file = tmp_path / "out.json"
    code = main(
        [
            "run",
            CHARM,
            "config-changed",
            "--state",
            str(state_file),
            "--output",
            str(out_file),
            "--log",
        ]
    )
    assert code == 0
    out = State.from_json(out_file.read_text())
    assert [(p.protocol, p.port) for p in out.opened_ports] == [("tcp", 9000)]
    assert "listening on 9000" in capsys.readouterr().err


def test_run_binds_a_relation_event_by_name(tmp_path, capsys):
    state_file = tmp_path / "in.json"
    state_file.write_text(State(leader=True, relations=[Relation("db")]).to_json())
    assert main(["run", CHARM, "db-relation-changed", "--state", str(state_file)]) == 0
    out = State.from_json(capsys.readouterr().out)
    assert out.relations[0].local_unit_data == {"greeting": "hello"}


def test_check_reports_findings_and_exit_code(tmp_path, capsys):
    state_file = tmp_path / "in.json"
    state_file.write_text(json.dumps({"config": {"port": "eighty"}}))
    assert main(["check", CHARM, "start", "--state", str(state_file)]) == 1
    assert "error[K3] state.config['port']" in capsys.readouterr().out
    assert main(["check", CHARM, "start"]) == 0


def test_a_charm_reference_needs_a_class():
    with pytest.raises(SystemExit, match=r"FILE\.py:Class"):
        main(["run", "charm.py", "start"])
