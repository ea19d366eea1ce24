"""The pytest plugin (``_scenario_rs_pytest``): its options and ini keys, the report
header, the engine switch, strict mode; and what pytest shows of a failed ``==`` between
statuses or State values, without a warning. Each runs pytest in a subprocess, as a user's
session is."""

import importlib.machinery
import textwrap

import pytest

pytest_plugins = ["pytester"]

# ops-scenario beside this package (ops[testing] installs it): one venv of the test matrix
# has it, so the original engine is run there and refused elsewhere.
ORIGINAL_INSTALLED = importlib.machinery.PathFinder.find_spec("scenario") is not None

STRICTER_TEST = """
    import ops
    from scenario import Context, State

    class Charm(ops.CharmBase):
        pass

    def test_a_config_option_of_a_type_juju_does_not_know():
        ctx = Context(Charm, meta={"name": "c"}, config={"options": {"x": {"type": "bool"}}})
        ctx.run("start", State())
"""


@pytest.fixture
def session(pytester, monkeypatch):
    for name in ("SCENARIO_ENGINE", "SCENARIO_STRICT", "PYTEST_ADDOPTS"):
        monkeypatch.delenv(name, raising=False)
    return pytester


def test_help_lists_the_options_and_ini_keys(session):
    result = session.runpytest_subprocess("--help")
    out = result.stdout.str()
    for shown in ("--scenario-engine", "--scenario-strict", "scenario_engine", "scenario_strict"):
        assert shown in out


def test_the_header_names_the_engine_and_versions(session):
    session.makepyfile("def test_nothing(): pass")
    result = session.runpytest_subprocess()
    result.stdout.re_match_lines([r"scenario: scenario-rs \S+ \(not strict\), ops \S+"])
    assert result.ret == 0


@pytest.mark.parametrize(
    "how", ["--scenario-strict", "ini", "env"], ids=["option", "ini", "environment"]
)
def test_strict_mode_makes_a_stricter_warning_an_error(session, monkeypatch, how):
    session.makepyfile(textwrap.dedent(STRICTER_TEST))
    args = []
    if how == "--scenario-strict":
        args.append(how)
    elif how == "ini":
        session.makeini("[pytest]\nscenario_strict = true\n")
    else:
        monkeypatch.setenv("SCENARIO_STRICT", "1")
    result = session.runpytest_subprocess(*args)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["scenario: scenario-rs *(strict)*", "*K4*"])


def test_without_strict_mode_it_is_a_warning(session):
    session.makepyfile(textwrap.dedent(STRICTER_TEST))
    result = session.runpytest_subprocess("-W", "default")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*JujuStricterWarning*K4*"])


ENGINE_TEST = """
    import scenario

    def test_engine():
        print("engine:", scenario.__name__)
"""


# pytest-interface-tester's plugin imports `scenario` as pytest loads it, before this
# plugin can choose the engine: the tests of the switch itself leave it out (its case has
# a test of its own, below).
WITHOUT_OTHER_IMPORTERS = ("-p", "no:interface_tester")


@pytest.mark.parametrize("how", ["option", "ini", "env"])
def test_the_original_engine_runs_the_same_suite_where_installed(session, monkeypatch, how):
    session.makepyfile(textwrap.dedent(ENGINE_TEST))
    args = ["-s", *WITHOUT_OTHER_IMPORTERS]
    if how == "option":
        args.append("--scenario-engine=original")
    elif how == "ini":
        session.makeini("[pytest]\nscenario_engine = original\n")
    else:
        monkeypatch.setenv("SCENARIO_ENGINE", "original")
    result = session.runpytest_subprocess(*args)
    if ORIGINAL_INSTALLED:
        result.stdout.fnmatch_lines(
            ["scenario: ops-scenario *(the original engine)*", "*engine: scenario"]
        )
        assert result.ret == 0
    else:
        # Said once, before any test runs.
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(["*ops-scenario is not installed*"])


def test_the_engine_cannot_change_once_a_plugin_imported_scenario(session, monkeypatch):
    # A plugin loaded before this one's hook imported `scenario` (as this package): the
    # option is refused, pointing at the environment variable, which takes effect earlier.
    session.makepyfile(importer="import scenario\n", test_nothing="def test_it(): pass\n")
    monkeypatch.setenv("PYTHONPATH", str(session.path))
    result = session.runpytest_subprocess("-p", "importer", "--scenario-engine=original")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*was imported before*SCENARIO_ENGINE=original*"])


def test_the_default_engine_is_this_package(session):
    session.makepyfile(textwrap.dedent(ENGINE_TEST))
    result = session.runpytest_subprocess("-s", "--scenario-engine=rs")
    result.stdout.fnmatch_lines(["*engine: scenario_rs"])


def test_an_unknown_engine_in_the_ini_file_is_a_usage_error(session):
    session.makeini("[pytest]\nscenario_engine = fast\n")
    session.makepyfile("def test_nothing(): pass")
    result = session.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*scenario_engine*rs or original*"])


def test_a_failed_status_comparison_is_explained_without_a_warning(session):
    session.makepyfile(
        textwrap.dedent(
            """
            import ops
            from scenario import ActiveStatus, Context, State

            class Charm(ops.CharmBase):
                def __init__(self, framework):
                    super().__init__(framework)
                    framework.observe(self.on.start, self._on_start)

                def _on_start(self, _):
                    self.unit.status = ops.BlockedStatus("no database")

            def test_status():
                ctx = Context(Charm, meta={"name": "c"})
                out = ctx.run(ctx.on.start(), State())
                assert out.unit_status == ops.ActiveStatus("ready")

            def test_same_class():
                assert ActiveStatus("ready") == ActiveStatus("almost")
            """
        )
    )
    result = session.runpytest_subprocess("-W", "error")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "BlockedStatus('no database')" in out
    assert "ActiveStatus('ready')" in out
    assert "ActiveStatus('almost')" in out
    assert "Warning" not in out


def test_a_failed_state_comparison_names_the_differing_fields(session):
    session.makepyfile(
        textwrap.dedent(
            """
            from scenario import State

            def test_states():
                assert State(leader=True, planned_units=2) == State(leader=False, planned_units=2)
            """
        )
    )
    result = session.runpytest_subprocess("-W", "error", "-vv")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Differing attributes*", "*leader*"])
    assert "Warning" not in result.stdout.str()
