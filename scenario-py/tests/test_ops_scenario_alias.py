"""The import hook's aliases. ops 2.17 to 3.2 fill ``ops.testing`` from ``scenario`` only when
``importlib.metadata.version("ops-scenario")`` is 7 or later: the package answers that
lookup (``_scenario_rs_alias``, loaded by ``scenario_rs.pth``) unless a real ops-scenario
is installed, and lists no distribution of that name itself."""

import importlib.metadata
import subprocess
import sys

import ops
import ops.testing

import scenario


def test_ops_scenario_is_answered_as_version_8():
    assert importlib.metadata.version("ops-scenario").startswith("8.")
    assert importlib.metadata.version("ops_scenario") == importlib.metadata.version("ops-scenario")


def test_no_listing_shows_the_alias():
    # Only a real ops-scenario (ops[testing] installs one beside) is ever listed.
    listed = [
        d for d in importlib.metadata.distributions() if d.metadata["Name"] == "ops-scenario"
    ]
    assert all(type(d).__name__ != "OpsScenarioAlias" for d in listed)
    assert all(d.files for d in listed)


def test_a_real_ops_scenario_wins(tmp_path):
    info = tmp_path / "ops_scenario-8.8.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ops-scenario\nVersion: 8.8.0\n")
    found = importlib.metadata.Distribution.discover(name="ops-scenario", path=[str(tmp_path)])
    assert [d.version for d in found] == ["8.8.0"]


def test_ops_testing_is_this_package_where_ops_imports_scenario():
    version = tuple(int(p) for p in ops.__version__.split(".")[:2])
    if version < (2, 17):
        # ops 2.10's ops.testing is the Harness alone.
        assert not hasattr(ops.testing, "Context")
        return
    assert ops.testing.Context is scenario.Context
    assert ops.testing.State is scenario.State


def test_python_m_scenario_runs_the_command_line():
    # `scenario` is the package scenario_rs under the import hook's alias: runpy must see a
    # package, or it runs __init__ as the script and the command does nothing.
    done = subprocess.run(
        [sys.executable, "-m", "scenario", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: scenario")
    assert scenario.__path__ == importlib.import_module("scenario_rs").__path__
