"""The package as installed and imported: ``scenario`` is this package (``scenario_rs``)
under the import hook's alias, beside ops-scenario; ``ops.testing`` takes its Scenario names
from it (every name ops's own ``ops/testing.py`` imports), ``scenario`` exports ops-scenario
8's names and ``scenario.errors`` its errors, and the private names other tools import are
there. ops 2.17 to 3.2 fill ``ops.testing`` from ``scenario`` only when
``importlib.metadata.version("ops-scenario")`` is 7 or later: the package answers that
lookup (``_scenario_rs_alias``, loaded by ``scenario_rs.pth``) unless a real ops-scenario
is installed, and lists no distribution of that name itself. (The layering of the
package's modules is test_layering.py's.)
"""

import ast
import importlib
import importlib.metadata
import inspect
import subprocess
import sys

import ops
import ops.testing

import scenario

# --- the alias -------------------------------------------------------------------------------


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


# --- ops.testing's names, scenario's and the private ones ------------------------------------


def _scenario_imports_of_ops_testing():
    """The ``from scenario... import`` statements in the installed ops's ops/testing.py, as
    (module, [names]), and the ``import scenario...`` modules."""
    tree = ast.parse(inspect.getsource(ops.testing))
    froms, modules = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "scenario":
            froms.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            modules += [a.name for a in node.names if a.name.split(".")[0] == "scenario"]
    return froms, modules


def test_ops_testing_finds_every_name_it_imports_from_scenario():
    froms, modules = _scenario_imports_of_ops_testing()
    ops_version = tuple(int(p) for p in ops.__version__.split(".")[:2])
    if ops_version < (2, 17):
        # ops 2.10's ops.testing predates Scenario: it imports nothing from it.
        assert froms == [] and modules == []
        assert not hasattr(ops.testing, "State")
        return
    names = [name for module, found in froms if module == "scenario" for name in found]
    assert {"Context", "State", "Relation", "Container", "errors", "Manager"} <= set(names)
    for module, found in froms:
        imported = importlib.import_module(module)
        for name in found:
            assert hasattr(imported, name), (
                f"{module}.{name}, which ops.testing imports, is missing"
            )
    for module in modules:
        importlib.import_module(module)
    if hasattr(ops.testing, "State"):
        # ops.testing did import them: each is this package's own object.
        for name in names:
            assert getattr(ops.testing, name) is getattr(scenario, name), name
            assert name in ops.testing.__all__


def test_ops_testing_s_action_failed_is_the_one_runs_raise():
    assert scenario.ActionFailed is ops.testing.ActionFailed


SCENARIO_8_NAMES = """ActionFailed ActiveStatus Address AnyJson BindAddress BlockedStatus
CharmEvents CharmType CheckInfo CloudCredential CloudSpec Container Context DeferredEvent
ErrorStatus Exec ICMPPort JujuLogLine MaintenanceStatus Manager Model Mount Network Notice
PeerRelation Port RawDataBagContents RawSecretRevisionContents Relation RelationBase Resource
Secret State StateValidationError Storage StoredState SubordinateRelation TCPPort UDPPort UnitID
UnknownStatus WaitingStatus layer_from_rockcraft""".split()


def test_scenario_exports_ops_scenario_8_s_names():
    assert len(SCENARIO_8_NAMES) == 43
    missing = [
        name
        for name in SCENARIO_8_NAMES
        if name not in scenario.__all__ or not hasattr(scenario, name)
    ]
    assert missing == []


def test_the_errors_module(testing):
    errors = testing.errors
    for name in (
        "ContextSetupError",
        "AlreadyEmittedError",
        "ScenarioRuntimeError",
        "StateValidationError",
        "MetadataNotFoundError",
        "NoObserverError",
        "BadOwnerPath",
    ):
        assert issubclass(getattr(errors, name), RuntimeError), name
    assert issubclass(errors.UncaughtCharmError, errors.ScenarioRuntimeError)
    assert issubclass(errors.InconsistentScenarioError, errors.ScenarioRuntimeError)
    assert issubclass(errors.ActionMissingFromContextError, Exception)
    if hasattr(testing, "StateValidationError"):  # ops.testing leaves it out of its list
        assert errors.StateValidationError is testing.StateValidationError
    assert errors is scenario.errors


def test_the_private_names_tools_import():
    from scenario.context import CharmEvents, Context, Manager
    from scenario.state import (
        _DEFAULT_JUJU_DATABAG,
        _Action,
        _EntityStatus,
        _Event,
        _EventPath,
        _EventType,
        _next_action_id,
        _next_notice_id,
        _next_relation_id,
        _next_storage_index,
    )

    assert (Context, Manager, CharmEvents) == (
        scenario.Context,
        scenario.Manager,
        scenario.CharmEvents,
    )
    assert set(_DEFAULT_JUJU_DATABAG) == {"egress-subnets", "ingress-address", "private-address"}
    assert isinstance(scenario.CharmEvents.start(), _Event)
    assert isinstance(scenario.CharmEvents.start().path, _EventPath)
    assert scenario.CharmEvents.start().path.type is _EventType.BUILTIN
    assert isinstance(scenario.CharmEvents.action("go").action, _Action)
    assert isinstance(scenario.ActiveStatus("x"), _EntityStatus)
    assert _EntityStatus.from_status_name("active", "m") == ops.ActiveStatus("m")
    # Peeking does not use an id up; taking one does.
    assert _next_relation_id(update=False) == _next_relation_id(update=False)
    taken = _next_relation_id()
    assert _next_relation_id(update=False) == taken + 1
    assert scenario.Relation("x").id == taken + 1
    assert isinstance(_next_notice_id(update=False), str)
    assert isinstance(_next_action_id(update=False), str)
    assert scenario.Storage("s").index == _next_storage_index(update=False) - 1
