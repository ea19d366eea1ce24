"""The ``scenario`` command line, as a user runs it: the installed console script (and
``python -m scenario``) in a subprocess, on the example charm and on a small charm written
for these tests. Each case checks the exit code and what each stream says: a success, the
charm's failure (exit 1), and every kind of user mistake (one line on stderr, exit 2, no
traceback)."""

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import ops
import pytest
import yaml

from scenario import State

OPS_VERSION = tuple(int(p) for p in ops.__version__.split(".")[:2])
HELLO = Path(__file__).parents[2] / "examples" / "hello-charm"
SCRIPT = Path(sys.executable).parent / ("scenario.exe" if os.name == "nt" else "scenario")
# The environment variables that would change what the command does.
_SCENARIO_VARIABLES = (
    "SCENARIO_STRICT",
    "SCENARIO_SKIP_CONSISTENCY_CHECKS",
    "SCENARIO_BARE_CHARM_ERRORS",
    "SCENARIO_ENGINE",
)


def scenario(*args, cwd=None, stdin=None, via="script", env=None):
    """Run the command; returns the CompletedProcess (text)."""
    command = [str(SCRIPT)] if via == "script" else [sys.executable, "-m", "scenario"]
    environment = {k: v for k, v in os.environ.items() if k not in _SCENARIO_VARIABLES}
    environment.update(env or {})
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        env=environment,
        timeout=120,
    )


def refused(done, *fragments):
    """The command refused a mistake: one line on stderr, exit code 2, no traceback."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert done.stderr.startswith("scenario: error: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr
    return done.stderr


def ok(done):
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


def stderr_lines(done):
    return done.stderr.splitlines()


PROBE_META = {
    "name": "probe",
    "type": "charm",
    "summary": "A charm for the command line's tests.",
    "description": "Has a bit of everything.",
    "requires": {"db": {"interface": "pg"}},
    "peers": {"ring": {"interface": "ring"}},
    "containers": {"workload": {"resource": "img"}},
    "resources": {"img": {"type": "oci-image"}},
    "storage": {"data": {"type": "filesystem", "multiple": {"range": "1-3"}}},
    "config": {"options": {"mood": {"type": "string", "default": "calm"}}},
    "actions": {
        "count": {
            "params": {
                "n": {"type": "integer"},
                "ratio": {"type": "number"},
                "flag": {"type": "boolean"},
                "items": {"type": "array"},
                "opts": {"type": "object"},
                "label": {"type": "string", "default": "x"},
                "mode": {"type": "string", "enum": ["fast", "slow"]},
                "maybe": {"type": ["integer", "null"]},
            },
            "required": ["n"],
        },
        "fail": {},
        "start": {"description": "an action named like a hook"},
    },
}

PROBE = """
import logging

import ops

logger = logging.getLogger(__name__)


class ProbeCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        for event, handler in (
            (self.on.start, self._on_start),
            (self.on.stop, self._on_stop),
            (self.on.update_status, self._on_update_status),
            (self.on.db_relation_joined, self._on_joined),
            (self.on.db_relation_changed, self._on_changed),
            (self.on.db_relation_departed, self._on_departed),
            (self.on.ring_relation_changed, self._on_changed),
            (self.on.workload_pebble_ready, self._on_ready),
            (self.on.workload_pebble_custom_notice, self._on_notice),
            (self.on.data_storage_attached, self._on_attached),
            (self.on.secret_changed, self._on_secret),
            (self.on.secret_expired, self._on_revision),
            (self.on.secret_remove, self._on_revision),
            (self.on.count_action, self._on_count),
            (self.on.fail_action, self._on_fail),
            (self.on.start_action, self._on_start_action),
        ):
            framework.observe(event, handler)
        if hasattr(self.on, "workload_pebble_check_failed"):  # ops 2.15 and later
            framework.observe(self.on.workload_pebble_check_failed, self._on_check)

    def _on_start(self, _):
        self.unit.status = ops.ActiveStatus("started")
        self.unit.set_workload_version("2.1")

    def _on_stop(self, _):
        logger.info("stopping")
        self._explode()

    def _explode(self):
        raise ValueError("kaput")

    def _on_update_status(self, event):
        event.defer()

    def _on_joined(self, event):
        self.unit.status = ops.ActiveStatus(f"joined by {event.unit.name}")

    def _on_changed(self, event):
        unit = event.unit.name if event.unit else None
        self.unit.status = ops.ActiveStatus(f"relation {event.relation.id} from {unit}")

    def _on_departed(self, event):
        self.unit.status = ops.ActiveStatus(f"{event.departing_unit.name} departed")

    def _on_ready(self, event):
        self.unit.status = ops.ActiveStatus(f"{event.workload.name} ready")

    def _on_notice(self, event):
        self.unit.status = ops.ActiveStatus(f"notice {event.notice.key}")

    def _on_check(self, event):
        self.unit.status = ops.ActiveStatus(f"check {event.info.name}")

    def _on_attached(self, event):
        self.unit.status = ops.ActiveStatus(f"storage {event.storage.index}")

    def _on_secret(self, event):
        self.unit.status = ops.ActiveStatus(f"secret {event.secret.get_content()['k']}")

    def _on_revision(self, event):
        self.unit.status = ops.ActiveStatus(f"{event.handle.kind} {event.revision}")

    def _on_count(self, event):
        event.log("counting")
        event.set_results({"params": dict(event.params)})

    def _on_fail(self, event):
        event.log("about to fail")
        event.fail("nope, not today")

    def _on_start_action(self, event):
        event.set_results({"ran": "the action"})
"""


def write_charm(root: Path, meta: dict, source: str) -> Path:
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "charmcraft.yaml").write_text(yaml.safe_dump({"type": "charm", **meta}))
    (root / "src" / "charm.py").write_text(textwrap.dedent(source))
    return root


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    return write_charm(tmp_path_factory.mktemp("probe"), PROBE_META, PROBE)


def state_file(tmp_path: Path, data, name="state.yaml") -> Path:
    path = tmp_path / name
    if isinstance(data, State):
        path.write_text(data.to_yaml() if name.endswith(".yaml") else data.to_json())
    elif name.endswith(".yaml"):
        path.write_text(yaml.safe_dump(data))
    else:
        path.write_text(json.dumps(data))
    return path


# --- scenario run: the output --------------------------------------------------------------


@pytest.mark.parametrize("via", ["script", "module"])
def test_run_prints_the_output_state_and_says_what_happened(via):
    done = ok(scenario("run", HELLO, "start", via=via))
    out = State.from_json(done.stdout)
    assert [s.content for s in out.stored_states if s.owner_path == "HelloCharm"] == [
        {"starts": 1}
    ]
    assert stderr_lines(done) == [
        "unit status: blocked: waiting for a db relation",
        "app status: unknown",
    ]


def test_run_writes_the_output_state_as_the_file_extension_says(tmp_path):
    state = state_file(tmp_path, State(leader=True, config={"port": 9000}))
    ok(scenario("run", HELLO, "config-changed", "--state", state, "-o", tmp_path / "o.json"))
    ok(scenario("run", HELLO, "config-changed", "--state", state, "-o", tmp_path / "o.yaml"))
    from_json = State.from_json((tmp_path / "o.json").read_text())
    from_yaml = State.from_yaml((tmp_path / "o.yaml").read_text())
    assert (tmp_path / "o.json").read_text().startswith("{")
    assert not (tmp_path / "o.yaml").read_text().startswith("{")
    for out in (from_json, from_yaml):
        assert [(p.protocol, p.port) for p in out.opened_ports] == [("tcp", 9000)]


def test_run_prints_the_juju_log_with_log(tmp_path):
    state = state_file(tmp_path, {"config": {"port": 9000}})
    done = ok(scenario("run", HELLO, "config-changed", "--state", state, "--log", "-o", "-"))
    assert "juju-log INFO: listening on 9000" in stderr_lines(done)
    assert "juju-log" not in ok(scenario("run", HELLO, "config-changed")).stderr


def test_run_reads_the_state_from_stdin_as_json_or_yaml():
    for text in (State(leader=True).to_json(), "leader: true\n"):
        done = ok(scenario("run", HELLO, "start", "--state", "-", stdin=text))
        assert State.from_json(done.stdout).app_status.message == "hello, leader here"


def test_what_the_charm_prints_goes_to_stderr(tmp_path):
    source = (
        "import ops\nprint('importing')\n"
        "class C(ops.CharmBase):\n"
        "    def __init__(self, f):\n"
        "        super().__init__(f)\n"
        "        f.observe(self.on.start, self._on_start)\n"
        "    def _on_start(self, _):\n"
        "        print('starting')\n"
    )
    root = write_charm(tmp_path, {"name": "chatty"}, source)
    for command in ("run", "check"):
        done = ok(scenario(command, root, "start", "--json"))
        json.loads(done.stdout)
        assert "importing" in stderr_lines(done)
    done = ok(scenario("run", root, "start"))
    assert "starting" in stderr_lines(done)
    State.from_json(done.stdout)


def test_run_says_the_workload_version_and_deferred_events(probe):
    assert "workload version: 2.1" in stderr_lines(ok(scenario("run", probe, "start")))
    done = ok(scenario("run", probe, "update-status"))
    assert any(line.startswith("deferred: ") for line in stderr_lines(done)), done.stderr
    assert len(State.from_json(done.stdout).deferred) == 1


# --- scenario run: relation events ---------------------------------------------------------

TWO_DB = {
    "relations": [
        {"regular": {"endpoint": "db", "relation_id": 1, "remote_units_data": {0: {}, 3: {}}}},
        {"regular": {"endpoint": "db", "relation_id": 2}},
        {"peer": {"endpoint": "ring", "relation_id": 5, "peers_data": {1: {}}}},
    ]
}


def test_a_relation_event_is_about_the_one_relation_on_its_endpoint(tmp_path):
    state = state_file(
        tmp_path,
        {"leader": True, "relations": [{"regular": {"endpoint": "db", "relation_id": 1}}]},
    )
    out = State.from_json(
        ok(scenario("run", HELLO, "db-relation-changed", "--state", state)).stdout
    )
    assert out.relations[0].local_unit_data["greeting"] == "hello"
    assert out.relations[0].local_app_data == {"starts": "0"}


def test_several_relations_on_the_endpoint_are_listed_and_chosen_with_relation(tmp_path, probe):
    state = state_file(tmp_path, TWO_DB)
    refused(
        scenario("run", probe, "db-relation-changed", "--state", state),
        "2 relations on endpoint db (ids 1, 2): choose one with --relation ID",
    )
    done = ok(scenario("run", probe, "db-relation-changed", "--state", state, "--relation", 2))
    assert State.from_json(done.stdout).unit_status.message == "relation 2 from remote/0"


def test_a_relation_that_is_not_there_or_not_on_the_endpoint(tmp_path, probe):
    state = state_file(tmp_path, TWO_DB)
    refused(
        scenario("run", probe, "db-relation-changed", "--state", state, "--relation", 7),
        "no relation 7 (its relations on db: 1, 2)",
    )
    refused(
        scenario("run", probe, "db-relation-changed", "--state", state, "--relation", 5),
        "relation 5 is on endpoint ring, not db",
    )
    refused(
        scenario("run", probe, "db-relation-changed"),
        "inconsistent scenario: E5 state.relations: the State has no relation on endpoint db",
    )


def test_the_remote_unit_is_the_relations_only_one_or_chosen(tmp_path, probe):
    state = state_file(tmp_path, TWO_DB)
    refused(
        scenario("run", probe, "db-relation-joined", "--state", state, "--relation", 1),
        "relation 1 has remote units 0, 3: choose the one db-relation-joined is from with "
        "--remote-unit N",
    )
    done = ok(
        scenario(
            "run",
            probe,
            "db-relation-joined",
            "--state",
            state,
            "--relation",
            1,
            "--remote-unit",
            3,
        )
    )
    assert State.from_json(done.stdout).unit_status.message == "joined by remote/3"
    # The peer relation's one peer, implied: no warning.
    done = ok(scenario("run", probe, "ring-relation-changed", "--state", state))
    assert State.from_json(done.stdout).unit_status.message == "relation 5 from probe/1"
    assert "warning" not in done.stderr


def test_a_remote_unit_the_relation_lacks_is_a_warning_in_the_commands_words(tmp_path, probe):
    state = state_file(tmp_path, TWO_DB)
    done = ok(
        scenario(
            "run",
            probe,
            "db-relation-changed",
            "--state",
            state,
            "--relation",
            2,
            "--remote-unit",
            4,
        )
    )
    [warning] = [line for line in stderr_lines(done) if line.startswith("scenario: warning:")]
    assert warning.startswith("scenario: warning: E7 --remote-unit: remote unit 4 is not")
    assert "remote_unit=" not in done.stderr


def test_a_relation_without_remote_units_is_refused_under_ops_testing_only(tmp_path, probe):
    state = state_file(
        tmp_path,
        {
            "relations": [
                {"regular": {"endpoint": "db", "relation_id": 1, "remote_units_data": {}}}
            ]
        },
    )
    refused(
        scenario("run", probe, "db-relation-changed", "--state", state),
        "E7 state.relations[0].remote_units_data: relation",
        "--remote-unit N",
    )
    done = ok(scenario("run", probe, "db-relation-changed", "--state", state, "--api", "5"))
    assert State.from_json(done.stdout).unit_status.message.endswith("from None")


def test_departing_unit(tmp_path, probe):
    state = state_file(
        tmp_path, {"relations": [{"regular": {"endpoint": "db", "relation_id": 1}}]}
    )
    done = ok(
        scenario(
            "run",
            probe,
            "db-relation-departed",
            "--state",
            state,
            "--departing-unit",
            2,
        )
    )
    assert State.from_json(done.stdout).unit_status.message == "remote/2 departed"
    refused(
        scenario("run", probe, "db-relation-changed", "--state", state, "--departing-unit", 2),
        "--departing-unit is for relation-departed events",
    )


# --- scenario run: storage, workloads, secrets ---------------------------------------------


def test_storage_events_by_name_and_index(tmp_path, probe):
    two = state_file(
        tmp_path, {"storages": [{"name": "data", "index": 0}, {"name": "data", "index": 1}]}
    )
    refused(
        scenario("run", probe, "data-storage-attached", "--state", two),
        "2 storages data (indices 0, 1): choose one with --storage-index N",
    )
    done = ok(
        scenario("run", probe, "data-storage-attached", "--state", two, "--storage-index", 1)
    )
    assert State.from_json(done.stdout).unit_status.message == "storage 1"
    refused(
        scenario("run", probe, "data-storage-attached", "--state", two, "--storage-index", 4),
        "no storage data with index 4 (its indices: 0, 1)",
    )
    refused(scenario("run", probe, "data-storage-detaching"), "E6", "no storage data")


def test_workload_events_by_the_container_in_the_name(tmp_path, probe):
    import ops.pebble

    from scenario import CheckInfo, Container, Notice

    check = {"override": "replace", "level": "alive", "http": {"url": "http://localhost"}}
    container = Container(
        "workload",
        can_connect=True,
        layers={"base": ops.pebble.Layer({"checks": {"alive": check}})},
        notices=[Notice("example.com/a"), Notice("example.com/b")],
        check_infos=[CheckInfo("alive", level=ops.pebble.CheckLevel.ALIVE)],
    )
    state = state_file(tmp_path, State(containers=[container]))
    done = ok(scenario("run", probe, "workload-pebble-ready", "--state", state))
    assert State.from_json(done.stdout).unit_status.message == "workload ready"
    refused(
        scenario("run", probe, "workload-pebble-custom-notice", "--state", state),
        "choose the notice in container workload with --notice KEY",
    )
    done = ok(
        scenario(
            "run",
            probe,
            "workload-pebble-custom-notice",
            "--state",
            state,
            "--notice",
            "example.com/b",
        )
    )
    assert State.from_json(done.stdout).unit_status.message == "notice example.com/b"
    if OPS_VERSION >= (2, 15):
        done = ok(scenario("run", probe, "workload-pebble-check-failed", "--state", state))
        assert State.from_json(done.stdout).unit_status.message == "check alive"
    refused(scenario("run", probe, "workload-pebble-ready"), "C2", "no container workload")


def test_secret_events_by_id_or_label(tmp_path, probe):
    secrets = [
        {
            "id": "secret:aaaaaaaaaaaaaaaaaaaa",
            "contents": {1: {"k": "one"}},
            "revision": 1,
            "label": "creds",
        },
        {
            "id": "secret:bbbbbbbbbbbbbbbbbbbb",
            "contents": {1: {"k": "old"}, 2: {"k": "new"}},
            "owner": "unit",
            "revision": 2,
        },
    ]
    state = state_file(tmp_path, {"secrets": secrets})
    refused(
        scenario("run", probe, "secret-changed", "--state", state),
        "2 secrets (secret:aaaaaaaaaaaaaaaaaaaa (creds), secret:bbbbbbbbbbbbbbbbbbbb): choose "
        "one with --secret ID_OR_LABEL",
    )
    for wanted in ("creds", "secret:aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaa"):
        done = ok(scenario("run", probe, "secret-changed", "--state", state, "--secret", wanted))
        assert State.from_json(done.stdout).unit_status.message == "secret one"
    refused(
        scenario("run", probe, "secret-changed", "--state", state, "--secret", "nope"),
        "no secret with id or label 'nope'",
    )
    owned = ["--state", state, "--secret", "secret:bbbbbbbbbbbbbbbbbbbb"]
    done = ok(scenario("run", probe, "secret-expired", *owned))
    assert State.from_json(done.stdout).unit_status.message == "secret_expired 2"
    refused(scenario("run", probe, "secret-remove", *owned), "--revision N")
    done = ok(scenario("run", probe, "secret-remove", *owned, "--revision", 1))
    assert State.from_json(done.stdout).unit_status.message == "secret_remove 1"
    # Juju sends secret-changed to observers, secret-expired to the owner.
    refused(scenario("run", probe, "secret-changed", *owned), "for a secret it owns")
    refused(
        scenario("run", probe, "secret-rotate", "--state", state, "--secret", "creds"),
        "for a secret it does not own",
    )
    refused(scenario("run", probe, "secret-changed"), "S3", "no secret")


# --- scenario run: actions -----------------------------------------------------------------


def test_an_action_runs_with_its_defaults_and_shows_its_results():
    done = ok(scenario("run", HELLO, "greet"))
    assert stderr_lines(done)[-2:] == [
        "action greet log: greeting world",
        'action greet results: {"message": "hello, world!"}',
    ]
    done = ok(scenario("run", HELLO, "greet", "--param", "name=Ada"))
    assert stderr_lines(done)[-1] == 'action greet results: {"message": "hello, Ada!"}'


def test_action_params_are_typed_as_actions_yaml_declares_them(probe):
    done = ok(
        scenario(
            "run",
            probe,
            "count",
            "--json",
            "--param",
            "n=3",
            "--param",
            "ratio=2.5",
            "--param",
            "flag=TRUE",
            "--param",
            "items=[1, 2]",
            "--param",
            'opts={"a": {"b": null}}',
            "--param",
            "mode=fast",
            "--param",
            "maybe=null",
        )
    )
    action = json.loads(done.stdout)["action"]
    expected = {
        "n": 3,
        "ratio": 2.5,
        "flag": True,
        "items": [1, 2],
        "opts": {"a": {"b": None}},
        "mode": "fast",
        "maybe": None,
        "label": "x",
    }
    assert action["results"] == {"params": expected}
    assert action["params"] == expected
    assert action["logs"] == ["counting"]
    assert action["failure"] is None
    # A number may be an integer; a string is as given, even when it looks like a number.
    done = ok(
        scenario(
            "run",
            probe,
            "count",
            "--param",
            "n=1",
            "--param",
            "ratio=2",
            "--param",
            "label=7",
            "--json",
        )
    )
    assert json.loads(done.stdout)["action"]["results"]["params"]["ratio"] == 2
    assert json.loads(done.stdout)["action"]["results"]["params"]["label"] == "7"


@pytest.mark.parametrize(
    "params, fragment",
    [
        (
            ["n=three"],
            "param n of action count is integer: give an integer, such as 3, not 'three'",
        ),
        (["n=1", "ratio=fast"], "param ratio of action count is number"),
        (["n=1", "flag=yes"], "param flag of action count is boolean: give true or false"),
        (["n=1", "items=3"], "param items of action count is array: give a JSON array"),
        (["n=1", "opts=[1]"], "param opts of action count is object: give a JSON object"),
        (["n=1", "mode=medium"], 'param mode of action count is one of "fast", "slow"'),
        (["n=1", "maybe=x"], "param maybe of action count is null or integer"),
        (
            ["n=1", "nn=2"],
            "action count has no param 'nn' (did you mean n?): its params are flag, items, label,",
        ),
        (["ratio=2"], "action count requires n: give --param n=VALUE"),
        (["n"], "--param takes KEY=VALUE, got 'n'"),
        (["n=1", "n=2"], "--param n is given twice"),
    ],
)
def test_a_wrong_action_param_is_refused(probe, params, fragment):
    args = [arg for param in params for arg in ("--param", param)]
    refused(scenario("run", probe, "count", *args), fragment)


def test_a_failed_action_exits_1_with_its_message(tmp_path, probe):
    out = tmp_path / "out.yaml"
    done = scenario("run", probe, "fail", "--output", out)
    assert done.returncode == 1
    assert stderr_lines(done)[-2:] == [
        "action fail log: about to fail",
        "scenario: error: action fail failed: nope, not today",
    ]
    assert State.from_yaml(out.read_text()).unit_status.name == "unknown"
    done = scenario("run", probe, "fail", "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["action"]["failure"] == "nope, not today"


@pytest.mark.parametrize("api", ["8", "5"])
def test_actions_and_hooks_under_either_api(probe, api):
    done = ok(scenario("run", probe, "count", "--param", "n=2", "--api", api, "--json"))
    result = json.loads(done.stdout)
    assert result["api"] == api
    assert result["juju_version"] == {"8": "3.6.14", "5": "3.0"}[api]
    assert result["action"]["results"] == {"params": {"n": 2, "label": "x"}}
    assert scenario("run", probe, "fail", "--api", api).returncode == 1
    done = ok(scenario("run", probe, "start", "--api", api))
    assert State.from_json(done.stdout).unit_status.message == "started"


def test_an_action_named_like_a_hook_is_run_as_name_action(probe):
    hook = ok(scenario("run", probe, "start", "--json"))
    assert json.loads(hook.stdout)["action"] is None
    action = ok(scenario("run", probe, "start-action", "--json"))
    assert json.loads(action.stdout)["action"]["results"] == {"ran": "the action"}


def test_options_for_other_events_are_refused(probe):
    refused(scenario("run", probe, "start", "--relation", 1), "--relation is for relation events")
    refused(scenario("run", probe, "start", "--param", "a=b"), "--param is for actions")
    refused(scenario("run", probe, "count", "--secret", "x"), "--secret is for secret events")


# --- scenario run: the charm's errors ------------------------------------------------------


def test_a_charm_that_raises_exits_1_with_one_line(probe):
    done = scenario("run", probe, "stop")
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = stderr_lines(done)
    assert line.startswith("scenario: error: the charm raised ValueError: kaput (")
    source = probe / "src" / "charm.py"
    number = source.read_text().splitlines().index('        raise ValueError("kaput")') + 1
    assert line.endswith(f"({source}:{number} in _explode); --traceback shows where")


def test_traceback_shows_the_charms_own_traceback(probe):
    done = scenario("run", probe, "stop", "--traceback")
    assert done.returncode == 1
    lines = stderr_lines(done)
    assert lines[0] == "Traceback (most recent call last):"
    assert 'raise ValueError("kaput")' in done.stderr
    assert "in _on_stop" in done.stderr
    assert "scenario_rs" not in done.stderr  # the run's machinery is left out
    assert lines[-2] == "ValueError: kaput"
    assert lines[-1].startswith("scenario: error: the charm raised ValueError: kaput")


def test_a_charm_error_with_json_and_log(probe):
    done = scenario("run", probe, "stop", "--json", "--log")
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["state"] is None
    assert result["error"] == {"type": "ValueError", "message": "kaput", "traceback": None}
    assert {"level": "INFO", "message": "stopping"} in result["juju_log"]
    assert "juju-log INFO: stopping" in stderr_lines(done)


# --- scenario run --json -------------------------------------------------------------------


def test_run_json_has_the_state_and_the_records(tmp_path):
    state = state_file(tmp_path, {"leader": True, "config": {"port": 9000}})
    done = ok(scenario("run", HELLO, "config-changed", "--state", state, "--json"))
    result = json.loads(done.stdout)
    assert set(result) == {
        "event",
        "api",
        "juju_version",
        "state",
        "unit_status",
        "app_status",
        "unit_status_history",
        "app_status_history",
        "workload_version_history",
        "juju_log",
        "action",
        "warnings",
        "error",
    }
    assert result["event"] == "config-changed"
    assert State.from_json(json.dumps(result["state"])).opened_ports[0].port == 9000
    assert result["unit_status"] == {"name": "blocked", "message": "waiting for a db relation"}
    assert result["unit_status_history"] == [{"name": "unknown", "message": ""}]
    assert {"level": "INFO", "message": "listening on 9000"} in result["juju_log"]
    assert result["action"] is None and result["error"] is None
    assert done.stderr == ""


def test_run_json_writes_the_state_to_output_too(tmp_path):
    out = tmp_path / "out.json"
    done = ok(scenario("run", HELLO, "start", "--json", "--output", out))
    assert json.loads(done.stdout)["state"] == json.loads(out.read_text())


def test_warnings_are_one_line_each_and_listed_in_json(tmp_path, probe):
    state = state_file(tmp_path, TWO_DB)
    args = ["db-relation-changed", "--state", state, "--relation", 2, "--remote-unit", 4]
    done = ok(scenario("run", probe, *args, "--json"))
    [warning] = json.loads(done.stdout)["warnings"]
    assert warning.startswith("E7 --remote-unit: remote unit 4")
    assert stderr_lines(done) == [f"scenario: warning: {warning}"]


# --- stricter findings ---------------------------------------------------------------------

TWICE_OPENED = {"opened_ports": [{"protocol": "tcp", "port": 80}, {"protocol": "tcp", "port": 80}]}


def test_what_juju_would_refuse_is_a_warning_or_with_strict_an_error(tmp_path):
    state = state_file(tmp_path, TWICE_OPENED)
    done = ok(scenario("run", HELLO, "start", "--state", state))
    [warning] = [line for line in stderr_lines(done) if "warning" in line]
    assert warning.startswith("scenario: warning: P1 state.opened_ports")
    assert warning.endswith("(Juju would refuse this; --strict makes it an error)")
    refused(
        scenario("run", HELLO, "start", "--state", state, "--strict"),
        "inconsistent scenario: P1 state.opened_ports",
    )
    refused(scenario("run", HELLO, "start", "--state", state, env={"SCENARIO_STRICT": "1"}), "P1")


# --- mistakes: one line, exit 2 ------------------------------------------------------------


def test_a_charm_reference_that_leads_nowhere(tmp_path):
    refused(scenario("run", tmp_path / "nope.py", "start"), "no such charm file")
    refused(scenario("run", tmp_path, "start"), "directory without src/charm.py")
    refused(scenario("run", "no_such_module_x:Charm", "start"), "no file, directory or")
    refused(scenario("run", f"{HELLO}/src/charm.py:Nope", "start"), "has no Nope")
    refused(scenario("run", f"{HELLO}/src/charm.py:logger", "start"), "is not a charm class")
    refused(scenario("run", ":Charm", "start"), "no file, directory or module before ':'")


def test_a_charm_is_found_by_directory_file_or_module(tmp_path, probe):
    for ref, cwd in (
        (probe, None),
        (probe / "src" / "charm.py", None),
        (f"{probe / 'src' / 'charm.py'}:ProbeCharm", None),
        ("charm:ProbeCharm", probe / "src"),
        ("charm", probe / "src"),
    ):
        done = ok(scenario("run", ref, "start", cwd=cwd))
        assert State.from_json(done.stdout).unit_status.message == "started", ref


def test_a_module_with_several_charms_needs_the_class(tmp_path):
    source = "import ops\nclass A(ops.CharmBase): pass\nclass B(ops.CharmBase): pass\n"
    root = write_charm(tmp_path, {"name": "two"}, source)
    refused(scenario("run", root, "start"), "several charm classes (A, B): name one, as")
    ok(scenario("run", f"{root / 'src' / 'charm.py'}:B", "start"))
    empty = write_charm(tmp_path / "empty", {"name": "none"}, "import ops\n")
    refused(scenario("run", empty, "start"), "defines no charm class")


def test_a_charm_that_cannot_be_imported(tmp_path):
    root = write_charm(tmp_path, {"name": "broken"}, "import ops\nimport no_such_dependency\n")
    refused(
        scenario("run", root, "start"),
        "cannot import the charm",
        "ModuleNotFoundError: No module named 'no_such_dependency'",
    )
    done = scenario("run", root, "start", "--traceback")
    assert done.returncode == 2
    assert "Traceback" in done.stderr
    assert stderr_lines(done)[-1].startswith("scenario: error: cannot import the charm")


def test_a_charm_imports_from_its_lib_directory(tmp_path):
    root = write_charm(
        tmp_path,
        {"name": "libbed"},
        "import ops\nfrom charms.mine.v0 import lib\n"
        "class C(ops.CharmBase):\n"
        "    def __init__(self, f):\n"
        "        super().__init__(f)\n"
        "        f.observe(self.on.start, self._on_start)\n"
        "    def _on_start(self, _):\n"
        "        self.unit.status = ops.ActiveStatus(lib.WORD)\n",
    )
    (root / "lib" / "charms" / "mine" / "v0").mkdir(parents=True)
    (root / "lib" / "charms" / "mine" / "v0" / "lib.py").write_text("WORD = 'from lib'\n")
    done = ok(scenario("run", root, "start"))
    assert State.from_json(done.stdout).unit_status.message == "from lib"


def test_a_charm_without_metadata_or_with_bad_metadata(tmp_path):
    (tmp_path / "bare" / "src").mkdir(parents=True)
    (tmp_path / "bare" / "src" / "charm.py").write_text(
        "import ops\nclass C(ops.CharmBase): pass\n"
    )
    refused(scenario("run", tmp_path / "bare", "start"), "cannot find the metadata of C")
    bad = write_charm(
        tmp_path / "bad",
        {"name": "bad", "requires": {"db": {}}},
        "import ops\nclass C(ops.CharmBase): pass\n",
    )
    refused(scenario("run", bad, "start"), "the charm's metadata:", "interface")


def test_a_charm_whose_metadata_has_no_name_or_that_exits_as_it_is_imported(tmp_path):
    root = tmp_path / "nameless"
    (root / "src").mkdir(parents=True)
    (root / "metadata.yaml").write_text("requires:\n  db: {interface: pg}\n")
    (root / "src" / "charm.py").write_text("import ops\nclass C(ops.CharmBase): pass\n")
    refused(scenario("run", root, "start"), "the metadata of C has no name: add `name:`")
    (root / "src" / "charm.py").write_text(
        "import ops\nclass C(ops.CharmBase): pass\nops.main(C)\n"
    )
    refused(scenario("run", root, "start"), "cannot import the charm")


@pytest.mark.parametrize("via", ["script", "module"])
def test_an_event_the_charm_does_not_have(probe, via):
    refused(
        scenario("run", probe, "db-relation-chnged", via=via),
        "probe has no event 'db-relation-chnged' (did you mean db-relation-changed?)",
        "endpoints (db, ring), storages (data), containers (workload) and actions (count,",
    )
    refused(scenario("run", probe, "cache-relation-changed"), "no event")
    refused(scenario("run", HELLO, "workload-pebble-ready"), "containers (none)")
    refused(scenario("check", HELLO, "sing"), "hello has no event 'sing'")


def test_event_names_take_dashes_or_underscores(probe):
    ok(scenario("run", probe, "update_status"))
    ok(scenario("run", probe, "count_action", "--param", "n=1"))


@pytest.mark.parametrize(
    "content, name, fragment",
    [
        ("leader: [", "state.yaml", "state.yaml is not a State:"),
        ('{"leader": ', "state.json", "state.json is not a State:"),
        ("name: x\n", "state.yaml", 'unknown key "name"'),
        ('{"leadr": true}', "state.json", 'did you mean "leader"?'),
        ("relations: [{regular: {endpoint: db, relation_id: x}}]", "s.yaml", "s.yaml is not"),
        ("- 1\n", "state.yaml", "state.yaml is not a State:"),
    ],
)
def test_a_state_file_that_does_not_parse(tmp_path, content, name, fragment):
    (tmp_path / name).write_text(content)
    refused(scenario("run", HELLO, "start", "--state", tmp_path / name), fragment)
    refused(scenario("check", HELLO, "start", "--state", tmp_path / name), fragment)


def test_a_missing_state_file_or_an_unwritable_output(tmp_path):
    refused(
        scenario("run", HELLO, "start", "--state", tmp_path / "none.yaml"),
        f"cannot read the State file {tmp_path / 'none.yaml'}: No such file or directory",
    )
    refused(
        scenario("run", HELLO, "start", "--output", tmp_path / "no" / "out.json"),
        "cannot write the output State to",
    )


def test_an_inconsistent_state_is_refused_before_the_charm_runs(tmp_path):
    state = state_file(tmp_path, {"config": {"port": "eighty"}})
    message = refused(scenario("run", HELLO, "start", "--state", state), "inconsistent scenario:")
    assert "K3 state.config['port']: config option 'port' has type int" in message
    assert "Python" not in message


@pytest.mark.parametrize(
    "args, fragment",
    [
        ([], "the following arguments are required: COMMAND (see scenario --help)"),
        (["sing"], "invalid choice: 'sing'"),
        (["run"], "the following arguments are required: CHARM, EVENT (see scenario run --help)"),
        (["run", HELLO, "start", "--api", "6"], "argument --api: invalid choice: '6'"),
        (["run", HELLO, "start", "--relation", "one"], "argument --relation: invalid int value"),
        (["run", HELLO, "start", "--juju-version", "three"], "--juju-version three: invalid"),
        (["check", HELLO, "start", "--output", "x"], "unrecognized arguments: --output x"),
    ],
)
def test_a_command_line_mistake(args, fragment):
    refused(scenario(*args), fragment)


# --- scenario check ------------------------------------------------------------------------


def test_check_says_what_it_checked(tmp_path, probe):
    done = ok(scenario("check", HELLO, "start"))
    assert done.stdout == (
        "consistent: event start on an empty State, against hello's metadata (2 relation "
        "endpoints, 2 config options, 1 action), Juju 3.6.14 under ops[testing]'s rules\n"
    )
    assert done.stderr == ""
    state = state_file(tmp_path, TWO_DB)
    done = ok(
        scenario(
            "check",
            probe,
            "db-relation-changed",
            "--state",
            state,
            "--relation",
            1,
            "--remote-unit",
            3,
            "--api",
            "5",
        )
    )
    assert done.stdout == (
        f"consistent: event db-relation-changed (relation 1, remote unit 3) on the State of "
        f"{state}, against probe's metadata (2 relation endpoints, 1 container, 1 storage, 1 "
        "resource, 1 config option, 3 actions), Juju 3.0 under Scenario 5's rules\n"
    )
    done = ok(scenario("check", probe, "count", "--param", "n=1", "--juju-version", "3.4.2"))
    assert done.stdout.startswith("consistent: action count on an empty State")
    assert "Juju 3.4.2 under" in done.stdout


def test_check_prints_each_finding_and_exits_1(tmp_path):
    state = state_file(tmp_path, {"config": {"port": "eighty", "colour": "red"}})
    done = scenario("check", HELLO, "start", "--state", state)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("error[K1] state.config['colour']: ")
    assert lines[1].startswith("error[K3] state.config['port']: config option 'port' has type")
    assert lines[2].startswith(
        f"inconsistent: Juju could not produce event start on the State "
        f"of {state}, against hello's metadata"
    )
    assert len(lines) == 3


def test_check_exits_1_for_what_juju_would_refuse_and_0_with_warnings(tmp_path, probe):
    state = state_file(tmp_path, TWICE_OPENED)
    done = scenario("check", HELLO, "start", "--state", state)
    assert done.returncode == 1
    assert done.stdout.startswith("stricter[P1] state.opened_ports")
    warned = state_file(tmp_path, TWO_DB, name="two.json")
    done = ok(
        scenario(
            "check",
            probe,
            "db-relation-changed",
            "--state",
            warned,
            "--relation",
            2,
            "--remote-unit",
            4,
        )
    )
    first, last = done.stdout.splitlines()
    assert first.startswith("warning[E7] --remote-unit: remote unit 4 is not")
    assert last.startswith("consistent (1 warning): event db-relation-changed")


def test_check_reports_an_entity_the_state_lacks_as_a_finding(probe):
    done = scenario("check", probe, "db-relation-changed")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "error[E5] state.relations: the State has no relation on endpoint db, which "
        "db-relation-changed is about: add one to the State's relations"
    )


def test_check_json_lists_the_findings(tmp_path):
    state = state_file(tmp_path, {"config": {"port": "eighty"}})
    done = scenario("check", HELLO, "start", "--state", state, "--json")
    assert done.returncode == 1
    [finding] = json.loads(done.stdout)
    assert finding == {
        "severity": "error",
        "rule": "K3",
        "path": "state.config['port']",
        "message": "config option 'port' has type int, but the state gives a str: give it a "
        "value of type int",
    }
    done = ok(scenario("check", HELLO, "start", "--json"))
    assert json.loads(done.stdout) == []


def test_check_runs_no_charm_code(tmp_path, probe):
    done = ok(scenario("check", probe, "stop"))
    assert done.stdout.startswith("consistent: event stop")


# --- --version -----------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["script", "module"])
def test_version_names_the_distribution_and_the_ops_it_runs_with(via):
    done = ok(scenario("--version", via=via))
    ours = metadata.version("scenario-rs")
    assert done.stdout == f"scenario-rs {ours} (ops {ops.__version__})\n"
    assert done.stderr == ""


# --- --help --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["run"], ["check"]])
def test_help_has_examples_and_documents_json(command):
    done = ok(scenario(*command, "--help"))
    assert done.stdout.startswith(f"usage: {' '.join(['scenario', *command])}")
    assert "examples:" in done.stdout
    assert "exit codes:" in done.stdout
    if command:
        assert "--json" in done.stdout
        assert "ENDPOINT-relation-created|joined|changed|departed|broken" in done.stdout
        assert "--param KEY=VALUE" in done.stdout


def test_help_of_run_documents_the_json_keys():
    text = ok(scenario("run", "--help")).stdout
    for key in ("unit_status_history", "juju_log", "action", "error", "warnings"):
        assert key in text


def test_an_internal_error_is_one_line_with_exit_3(monkeypatch, capsys):
    # No input makes the command fail this way: a stand-in bug, in the process.
    from scenario_rs import cli

    def bug(ref):
        raise KeyError("oops")

    monkeypatch.setattr(cli, "_load_charm", bug)
    assert cli.main(["run", str(HELLO), "start"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "scenario: error: internal error: KeyError: 'oops'; --traceback shows where (this is "
        "a bug of scenario: please report it)\n"
    )
    assert cli.main(["run", str(HELLO), "start", "--traceback"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_the_charm_frame_is_the_charm_s_own_not_a_library_s_in_its_repository(
    tmp_path, monkeypatch
):
    """Where the command line and fuzzing say the charm raised: the innermost frame under
    the charm's root, leaving out a library installed there (a .tox venv of the repo)."""
    import importlib.util

    from scenario_rs._charm_frames import charm_frame

    library = tmp_path / ".tox" / "unit" / "lib" / "python3" / "site-packages" / "somelib.py"
    library.parent.mkdir(parents=True)
    library.write_text("def fail():\n    raise ValueError('deep in a library')\n")
    (tmp_path / "src").mkdir()
    charm = tmp_path / "src" / "charm.py"
    charm.write_text(
        "import ops\n\nclass Charm(ops.CharmBase):\n    def go(self, fail):\n        fail()\n"
    )
    modules = {}
    for name, path in (("somelib", library), ("charm_under_test", charm)):
        spec = importlib.util.spec_from_file_location(name, path)
        modules[name] = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, name, modules[name])
        spec.loader.exec_module(modules[name])
    charm_type = modules["charm_under_test"].Charm
    with pytest.raises(ValueError) as caught:
        charm_type.go(None, modules["somelib"].fail)
    path, line, function = charm_frame(caught.value, charm_type)
    assert (Path(path).resolve(), line, function) == (charm.resolve(), 5, "go")
    # Nothing of the charm's: no frame.
    with pytest.raises(ValueError) as caught:
        modules["somelib"].fail()
    assert charm_frame(caught.value, charm_type) is None
