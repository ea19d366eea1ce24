"""ops[testing]'s Context: ``ctx.run``, ``with ctx(event, state) as mgr``, the Context's
arguments (who the unit is, the Juju version, the charm's spec and root), what it records
(statuses, juju-log, emitted events, requested storages), and how charm errors surface
(``UncaughtCharmError``, ``SCENARIO_BARE_CHARM_ERRORS``, ops's ``_Abort(0)``).
"""

import importlib.util
import logging
import os
import sys
import textwrap
import warnings

import ops
import pytest
import yaml

import scenario

META = {"name": "app"}
OPS_3 = int(ops.__version__.split(".")[0]) >= 3

logger = logging.getLogger(__name__)


class Starter(ops.CharmBase):
    """Sets its status on start; remembers what it saw."""

    def __init__(self, framework):
        super().__init__(framework)
        self.started = False
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.started = True
        self.unit.status = ops.ActiveStatus("started")


def test_run_returns_the_output_and_leaves_the_input_alone(testing):
    ctx = testing.Context(Starter, meta=META)
    state = testing.State()
    out = ctx.run(ctx.on.start(), state)
    assert out.unit_status == testing.ActiveStatus("started")
    assert state.unit_status == testing.UnknownStatus()
    assert out is not state


# --- the manager -----------------------------------------------------------------------------


def test_the_manager_gives_the_charm_before_and_after_the_event(testing):
    ctx = testing.Context(Starter, meta=META)
    with ctx(ctx.on.start(), testing.State()) as mgr:
        assert isinstance(mgr.charm, Starter)
        assert not mgr.charm.started
        out = mgr.run()
        assert mgr.charm.started
        assert mgr.charm.unit.status == ops.ActiveStatus("started")
    assert out.unit_status == testing.ActiveStatus("started")
    assert isinstance(mgr, testing.Manager)


def test_the_manager_runs_once(testing):
    ctx = testing.Context(Starter, meta=META)
    with ctx(ctx.on.start(), testing.State()) as mgr:
        mgr.run()
        with pytest.raises(testing.errors.AlreadyEmittedError, match="Can only run once"):
            mgr.run()


def test_the_manager_runs_the_event_on_exit_if_the_block_did_not(testing):
    ctx = testing.Context(Starter, meta=META)
    with ctx(ctx.on.start(), testing.State()) as mgr:
        charm = mgr.charm
    assert charm.started
    assert ctx.unit_status_history == [testing.UnknownStatus()]
    assert [type(e) for e in ctx.emitted_events] == [ops.StartEvent]


def test_an_error_in_the_block_still_runs_the_event(testing):
    """The block's error goes on, the event is emitted on the way out (as 8.9 and 5.8.1
    do), and the environment is restored."""
    ctx = testing.Context(Starter, meta=META)
    before = dict(os.environ)
    with pytest.raises(ZeroDivisionError):
        with ctx(ctx.on.start(), testing.State()) as mgr:
            charm = mgr.charm
            1 / 0  # noqa: B018
    assert charm.started
    assert [type(e) for e in ctx.emitted_events] == [ops.StartEvent]
    assert dict(os.environ) == before
    # The Context is still usable.
    assert ctx.run(ctx.on.start(), testing.State()).unit_status == testing.ActiveStatus("started")


def test_the_charm_is_not_there_before_entering(testing):
    ctx = testing.Context(Starter, meta=META)
    mgr = ctx(ctx.on.start(), testing.State())
    with pytest.raises(RuntimeError, match="__enter__"):
        mgr.charm  # noqa: B018


def test_the_charm_answers_after_the_block(testing):
    ctx = testing.Context(Starter, meta=META)
    with ctx(ctx.on.start(), testing.State(leader=True)) as mgr:
        mgr.run()
    assert mgr.charm.started
    assert mgr.charm.unit.is_leader()


def test_an_error_in_the_charm_surfaces_from_run(testing):
    class Failing(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            raise ValueError("no")

    ctx = testing.Context(Failing, meta=META)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        with ctx(ctx.on.start(), testing.State()) as mgr:
            mgr.run()
    assert isinstance(info.value.__cause__, ValueError)


# --- who the unit is -------------------------------------------------------------------------


class Introspector(ops.CharmBase):
    """Reports who it is as its status."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        with warnings.catch_warnings():
            # ops 3 deprecates JujuVersion.from_environ for model.juju_version, which ops 2.10
            # does not have.
            warnings.simplefilter("ignore", DeprecationWarning)
            version = ops.JujuVersion.from_environ()
        env = [
            os.environ.get(k, "-")
            for k in ("JUJU_MACHINE_ID", "JUJU_AVAILABILITY_ZONE", "JUJU_PRINCIPAL_UNIT")
        ]
        who = f"{self.app.name} {self.unit.name} {version} {os.environ['JUJU_UNIT_NAME']}"
        self.unit.status = ops.ActiveStatus(f"{who} {' '.join(env)}")


def test_the_default_unit(testing):
    ctx = testing.Context(Introspector, meta=META)
    out = ctx.run(ctx.on.start(), testing.State())
    assert out.unit_status == testing.ActiveStatus("app app/0 3.6.14 app/0 - - -")
    assert (ctx.app_name, ctx.unit_id, ctx.juju_version) == ("app", 0, "3.6.14")


def test_the_unit_as_the_context_describes_it(testing):
    ctx = testing.Context(
        Introspector,
        meta=META,
        app_name="other",
        unit_id=4,
        machine_id="7",
        availability_zone="zone-a",
        principal_unit="main/0",
        juju_version="3.4.1",
    )
    out = ctx.run(ctx.on.start(), testing.State())
    assert out.unit_status == testing.ActiveStatus("other other/4 3.4.1 other/4 7 zone-a main/0")
    assert (ctx.app_name, ctx.unit_id) == ("other", 4)


def test_unit_id_none_is_unit_0(testing):
    ctx = testing.Context(Introspector, meta=META, unit_id=None)
    assert ctx.unit_id == 0
    assert "app/0" in ctx.run(ctx.on.start(), testing.State()).unit_status.message


# --- the charm's spec and root ---------------------------------------------------------------


class ConfigReader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config_changed)
        framework.observe(self.on.go_action, self._on_go)

    def _on_config_changed(self, _):
        self.unit.status = ops.ActiveStatus(f"{self.config['colour']} {self.meta.name}")

    def _on_go(self, event):
        event.set_results({"x": event.params["x"]})


CHARMCRAFT = {
    "name": "whole",
    "type": "charm",
    "summary": "s",
    "description": "d",
    "config": {"options": {"colour": {"type": "string", "default": "blue"}}},
    "actions": {"go": {"params": {"x": {"type": "string", "default": "y"}}}},
}


def test_meta_may_be_a_whole_charmcraft_yaml(testing):
    ctx = testing.Context(ConfigReader, meta=CHARMCRAFT)
    out = ctx.run(ctx.on.config_changed(), testing.State())
    assert out.unit_status == testing.ActiveStatus("blue whole")
    ctx.run(ctx.on.action("go", params={"x": "z"}), testing.State())
    assert ctx.action_results == {"x": "z"}
    assert "actions" in CHARMCRAFT  # the caller's dict is not changed


@pytest.mark.parametrize("key", ["actions", "config"])
def test_config_or_actions_given_twice_is_an_error(testing, key):
    with pytest.raises(
        ValueError, match=f"Cannot specify {key} in both charmcraft.yaml and separately"
    ):
        testing.Context(ConfigReader, meta=CHARMCRAFT, **{key: {}})


def _charm_in(root, *, files):
    """Write the charm's source under root/src and the given YAML files in root; the class."""
    (root / "src").mkdir()
    source = root / "src" / "charm.py"
    source.write_text(
        textwrap.dedent(
            """
            import ops

            class Charm(ops.CharmBase):
                def __init__(self, framework):
                    super().__init__(framework)
                    framework.observe(self.on.config_changed, self._on_config_changed)

                def _on_config_changed(self, _):
                    colour = self.config["colour"]
                    self.unit.status = ops.ActiveStatus(f"{self.meta.name} {colour}")
            """
        )
    )
    for name, doc in files.items():
        (root / name).write_text(yaml.safe_dump(doc))
    module_name = f"autoloaded_{abs(hash(root))}"
    spec = importlib.util.spec_from_file_location(module_name, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module.Charm


def test_autoload_from_charmcraft_yaml(testing, tmp_path):
    doc = dict(CHARMCRAFT, config={"options": {"colour": {"type": "string", "default": "red"}}})
    charm = _charm_in(tmp_path, files={"charmcraft.yaml": doc})
    ctx = testing.Context(charm)
    out = ctx.run(ctx.on.config_changed(), testing.State())
    assert out.unit_status == testing.ActiveStatus("whole red")


def test_autoload_from_metadata_yaml_and_config_yaml(testing, tmp_path):
    charm = _charm_in(
        tmp_path,
        files={
            "metadata.yaml": {"name": "legacy"},
            "config.yaml": {"options": {"colour": {"type": "string", "default": "green"}}},
        },
    )
    ctx = testing.Context(charm)
    out = ctx.run(ctx.on.config_changed(), testing.State(config={"colour": "pink"}))
    assert out.unit_status == testing.ActiveStatus("legacy pink")


def test_no_metadata_to_autoload_is_a_setup_error(testing, tmp_path):
    charm = _charm_in(tmp_path, files={})
    with pytest.raises(testing.errors.ContextSetupError) as info:
        testing.Context(charm)
    assert isinstance(info.value.__cause__, testing.errors.MetadataNotFoundError)


def test_charm_root_is_the_charm_s_directory(testing, tmp_path):
    class RootReader(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            self.unit.status = ops.ActiveStatus(str(self.charm_dir))

    ctx = testing.Context(RootReader, meta=META, charm_root=tmp_path)
    assert ctx.run(ctx.on.start(), testing.State()).unit_status.message == str(tmp_path)


class Pusher(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.get_container("c").push("/etc/x.conf", "x", make_dirs=True)


def test_a_context_manager_context_removes_its_files(testing):
    container = testing.Container("c", can_connect=True)
    with testing.Context(Pusher, meta={"name": "app", "containers": {"c": {}}}) as ctx:
        ctx.run(ctx.on.start(), testing.State(containers={container}))
        pushed = container.get_filesystem(ctx) / "etc" / "x.conf"
        assert pushed.read_text() == "x"
    assert not pushed.exists()


# --- what the Context records ----------------------------------------------------------------


class Logger(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        logger.info("hello %s", "world")
        logger.debug("details")
        logger.error("bad")


def test_juju_log_holds_the_charm_s_lines_and_ops_s_own(testing):
    ctx = testing.Context(Logger, meta=META)
    ctx.run(ctx.on.start(), testing.State())
    assert testing.JujuLogLine("DEBUG", "Emitting Juju event start.") in ctx.juju_log
    charm_lines = ctx.juju_log[-3:]
    assert charm_lines == [
        testing.JujuLogLine("INFO", "hello world"),
        testing.JujuLogLine("DEBUG", "details"),
        testing.JujuLogLine("ERROR", "bad"),
    ]
    assert (charm_lines[0].level, charm_lines[0].message) == ("INFO", "hello world")
    ctx.run(ctx.on.start(), testing.State())
    # Never cleared: a second run adds its lines.
    assert [line.message for line in ctx.juju_log].count("hello world") == 2


def test_juju_log_lines_of_ops_setup(testing):
    ctx = testing.Context(Logger, meta=META)
    ctx.run(ctx.on.start(), testing.State())
    assert ctx.juju_log[:3] == [
        testing.JujuLogLine("DEBUG", f"ops {ops.__version__} up and running."),
        testing.JujuLogLine("DEBUG", "Initializing SQLite local storage: :memory:."),
        testing.JujuLogLine("DEBUG", "Emitting Juju event start."),
    ]


class Deferrer(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_event)
        framework.observe(self.on.update_status, self._on_event)

    def _on_event(self, event):
        event.defer()


@pytest.mark.parametrize(("deferred", "framework"), [(False, False), (True, False), (False, True)])
def test_emitted_events_with_each_capture_option(testing, deferred, framework):
    ctx = testing.Context(
        Deferrer, meta=META, capture_deferred_events=deferred, capture_framework_events=framework
    )
    state = testing.State(deferred=[ctx.on.update_status().deferred(Deferrer._on_event)])
    ctx.run(ctx.on.start(), state)
    expected = (["update_status"] if deferred else []) + ["start"]
    if framework:
        expected += ["collect_unit_status", "pre_commit", "commit"]
    assert [e.handle.kind for e in ctx.emitted_events] == expected


def test_emitted_events_are_never_cleared(testing):
    ctx = testing.Context(Starter, meta=META)
    ctx.run(ctx.on.start(), testing.State())
    ctx.run(ctx.on.update_status(), testing.State())
    assert [type(e) for e in ctx.emitted_events] == [ops.StartEvent, ops.UpdateStatusEvent]


# --- charm errors ----------------------------------------------------------------------------


class Raiser(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.MaintenanceStatus("about to fail")
        raise KeyError("boom")


def test_an_uncaught_charm_error_says_what_and_keeps_the_cause(testing):
    ctx = testing.Context(Raiser, meta=META)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        ctx.run(ctx.on.start(), testing.State())
    assert str(info.value) == (
        'Uncaught KeyError in charm, try "exceptions [n]" if using pdb on Python 3.13+. '
        "Details: KeyError('boom')"
    )
    assert isinstance(info.value.__cause__, KeyError)
    assert isinstance(info.value, testing.errors.ScenarioRuntimeError)
    assert ctx.unit_status_history == [testing.UnknownStatus()]


@pytest.mark.parametrize("value", ["true", "TRUE", "1", "2"])
def test_bare_charm_errors_let_the_charm_s_exception_through(testing, monkeypatch, value):
    monkeypatch.setenv("SCENARIO_BARE_CHARM_ERRORS", value)
    ctx = testing.Context(Raiser, meta=META)
    with pytest.raises(KeyError, match="boom"):
        ctx.run(ctx.on.start(), testing.State())


@pytest.mark.parametrize("value", ["false", "0", "no"])
def test_bare_charm_errors_off(testing, monkeypatch, value):
    monkeypatch.setenv("SCENARIO_BARE_CHARM_ERRORS", value)
    ctx = testing.Context(Raiser, meta=META)
    with pytest.raises(testing.errors.UncaughtCharmError):
        ctx.run(ctx.on.start(), testing.State())


def test_an_error_restores_the_environment(testing, monkeypatch):
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")
    before = dict(os.environ)
    with pytest.raises(testing.errors.UncaughtCharmError):
        testing.Context(Raiser, meta=META).run(testing.CharmEvents.start(), testing.State())
    assert dict(os.environ) == before


def test_scenario_5_s_api_differs_from_8_9(testing):
    """One package serves both APIs: where 8.9 refuses Scenario 5's idioms (an event name,
    ``run_action``, ``Relation.relation_id``) and says what to write instead, this package
    runs them as Scenario 5 did."""
    ctx = testing.Context(Starter, meta=META)
    rel = testing.Relation("db")
    if hasattr(scenario, "_scenario"):
        assert ctx.run("start", testing.State()).unit_status == testing.ActiveStatus("started")
        assert rel.relation_id == rel.id
        assert callable(ctx.run_action)
    else:
        with pytest.raises(TypeError, match=r"call with an event from `ctx.on`"):
            ctx.run("start", testing.State())
        with pytest.raises(AttributeError, match=r"use .id instead"):
            rel.relation_id  # noqa: B018
        with pytest.raises(AttributeError):
            ctx.run_action("go", testing.State())
