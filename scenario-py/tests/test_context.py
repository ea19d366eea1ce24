"""scenario.context and scenario.runtime: running a charm, what the Context records, and
how failures surface."""

import importlib.util
import logging
import os
import sys
import textwrap
from typing import ClassVar

import ops
import pytest

from scenario import Context, Relation, State
from scenario.context import ContextSetupError
from scenario.runtime import UncaughtCharmError
from scenario.state import MetadataNotFoundError


class FailingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.MaintenanceStatus("about to fail")
        raise ZeroDivisionError("boom")


def test_a_raising_charm_gives_uncaught_charm_error_and_restores_the_environment(monkeypatch):
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")  # set by the user before the run
    before = dict(os.environ)
    ctx = Context(FailingCharm, meta={"name": "app"})
    with pytest.raises(UncaughtCharmError) as info:
        ctx.run("start", State())
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert "ZeroDivisionError" in str(info.value)
    assert dict(os.environ) == before
    # What the charm did before failing is still recorded.
    assert ctx.unit_status_history == [ops.UnknownStatus()]


class EnvironCharm(ops.CharmBase):
    """Reads its environment both ways: os.environ and the C library's getenv."""

    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        names = ("JUJU_UNIT_NAME", "JUJU_VERSION")
        type(self).seen.append(([os.environ.get(n) for n in names], [_c_getenv(n) for n in names]))


def _c_getenv(name):
    import ctypes

    libc = ctypes.CDLL(None)
    libc.getenv.restype = ctypes.c_char_p
    found = libc.getenv(name.encode())
    return found.decode() if found is not None else None


def test_the_process_environment_is_set_for_the_run_and_put_back(monkeypatch):
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")
    monkeypatch.delenv("JUJU_UNIT_NAME", raising=False)
    EnvironCharm.seen = []
    ctx = Context(EnvironCharm, meta={"name": "app"}, juju_version="3.4.2")
    ctx.run("start", State(unit_id=1))
    expected = ["app/1", "3.4.2"]
    assert EnvironCharm.seen == [(expected, expected)]
    assert (os.environ["JUJU_VERSION"], _c_getenv("JUJU_VERSION")) == ("9.9.9", "9.9.9")
    assert ("JUJU_UNIT_NAME" in os.environ, _c_getenv("JUJU_UNIT_NAME")) == (False, None)


def test_a_replaced_os_environ_is_set_and_put_back_too(monkeypatch):
    replaced = {k: v for k, v in os.environ.items() if not k.startswith("JUJU_")}
    replaced["JUJU_VERSION"] = "9.9.9"
    monkeypatch.setattr(os, "environ", replaced)
    EnvironCharm.seen = []
    ctx = Context(EnvironCharm, meta={"name": "app"}, juju_version="3.4.2")
    ctx.run("start", State(unit_id=1))
    assert EnvironCharm.seen[0][0] == ["app/1", "3.4.2"]
    assert os.environ is replaced
    assert replaced["JUJU_VERSION"] == "9.9.9"
    assert "JUJU_UNIT_NAME" not in replaced


class EnvironReplacingCharm(ops.CharmBase):
    """Replaces os.environ during its run, as a charm or a library might."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        os.environ = {"ONLY": "this"}  # type: ignore[assignment]  # noqa: B003 - the point


def test_the_environment_the_run_changed_is_put_back_when_a_charm_replaced_os_environ(
    monkeypatch,
):
    original = os.environ
    monkeypatch.setattr(os, "environ", original)  # the replacement goes when the test ends
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")
    monkeypatch.delenv("JUJU_UNIT_NAME", raising=False)
    ctx = Context(EnvironReplacingCharm, meta={"name": "app"}, juju_version="3.4.2")
    ctx.run("start", State(unit_id=1))
    assert os.environ == {"ONLY": "this"}
    assert (original["JUJU_VERSION"], _c_getenv("JUJU_VERSION")) == ("9.9.9", "9.9.9")
    assert ("JUJU_UNIT_NAME" in original, _c_getenv("JUJU_UNIT_NAME")) == (False, None)


def test_the_root_logger_is_left_as_it_was():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    Context(FailingCharm, meta={"name": "app"}).run("install", State())
    with pytest.raises(UncaughtCharmError):
        Context(FailingCharm, meta={"name": "app"}).run("start", State())
    assert root.handlers == handlers
    assert root.level == level


class BackendProbeCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        # A hook tool Scenario does not simulate is refused, never run as a subprocess.
        with pytest.raises(ops.ModelError) as info:
            self.model._backend._run("goal-state", return_output=True)
        BackendProbeCharm.seen.append(str(info.value))
        logging.getLogger("probe").info("through juju-log")
        BackendProbeCharm.seen.append(
            [type(h).__mro__ for h in logging.getLogger().handlers if "Juju" in type(h).__name__]
        )


def test_hook_tools_run_nothing_and_the_log_handler_is_opss():
    BackendProbeCharm.seen = []
    ctx = Context(BackendProbeCharm, meta={"name": "app"})
    ctx.run("start", State())
    refused, handler_types = BackendProbeCharm.seen
    assert "goal-state" in refused
    # ops's own JujuLogHandler is on the root logger for the run, as ops.main puts it
    # there: ops 3's security-event log looks for it.
    assert [ops.log.JujuLogHandler in mro for mro in handler_types] == [True]
    assert ("INFO", "through juju-log") in [(line.level, line.message) for line in ctx.juju_log]


class WriterCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        rel = self.model.get_relation("db")
        rel.data[self.unit]["written"] = "yes"
        self.unit.status = ops.ActiveStatus("done")


def test_the_input_state_is_never_modified():
    rel = Relation("db", local_unit_data={"a": "b"})
    state = State(relations=[rel])
    ctx = Context(WriterCharm, meta={"name": "app", "requires": {"db": {"interface": "x"}}})
    out = ctx.run("start", state)
    assert state.relations[0].local_unit_data == {"a": "b"}
    assert state.unit_status == ops.UnknownStatus()
    assert out.relations[0].local_unit_data == {"a": "b", "written": "yes"}
    assert out is not state


class LoggingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        logger = logging.getLogger("charm")
        logger.debug("dbg")
        logger.warning("careful: %s", 42)


def test_juju_log_records_each_line_once_per_run():
    ctx = Context(LoggingCharm, meta={"name": "app"})
    ctx.run("start", State())
    ctx.run("start", State())
    lines = [
        (line.level, line.message)
        for line in ctx.juju_log
        if not line.message.startswith("Emitting")
    ]
    assert lines == [("DEBUG", "dbg"), ("WARNING", "careful: 42")] * 2
    other = Context(LoggingCharm, meta={"name": "app"})
    other.run("start", State())
    assert len(ctx.juju_log) == 6  # the first context did not hear the second one's run


class ConfigCharm(ops.CharmBase):
    seen = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config)

    def _on_config(self, _):
        ConfigCharm.seen = dict(self.config)


class CollectCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.collect_unit_status, self._unit)
        framework.observe(self.on.collect_app_status, self._app)

    def _unit(self, event):
        event.add_status(ops.ActiveStatus("fine"))
        event.add_status(ops.BlockedStatus("worse"))

    def _app(self, event):
        event.add_status(ops.WaitingStatus("app"))


def test_meta_without_name_fails_at_run():
    ctx = Context(CollectCharm, meta={"requires": {}}, config={"options": {}})
    with pytest.raises(ValueError, match='"name"'):
        ctx.run("start", State())


def test_meta_defaults_to_the_class_name_when_only_config_is_given():
    ctx = Context(ConfigCharm, config={"options": {}})
    assert ctx._charm_spec.meta == {"name": "ConfigCharm"}


def _charm_module(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(
        f"charm_{abs(hash(tmp_path))}", tmp_path / "src" / "charm.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.MyCharm


CHARM_PY = """
    import ops

    class MyCharm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.config_changed, self._on_config)

        def _on_config(self, _):
            self.unit.status = ops.ActiveStatus(str(self.config["port"]))
"""


def test_autoload_reads_metadata_config_and_actions(tmp_path):
    charm = _charm_module(
        tmp_path,
        {
            "src/charm.py": CHARM_PY,
            "metadata.yaml": "name: legacy\n",
            "config.yaml": "options:\n  port: {type: int, default: 7}\n",
            "actions.yaml": "do: {}\n",
        },
    )
    ctx = Context(charm)
    assert ctx._charm_spec.is_autoloaded
    assert ctx._charm_spec.actions == {"do": {}}
    out = ctx.run("config-changed", State())
    assert out.unit_status == ops.ActiveStatus("7")


def test_autoload_reads_charmcraft_yaml(tmp_path):
    charm = _charm_module(
        tmp_path,
        {
            "src/charm.py": CHARM_PY,
            "charmcraft.yaml": """
                type: charm
                name: crafted
                summary: s
                description: d
                config:
                  options:
                    port: {type: int, default: 9}
            """,
        },
    )
    ctx = Context(charm)
    assert ctx._charm_spec.meta["name"] == "crafted"
    assert "config" not in ctx._charm_spec.meta
    assert ctx.run("config-changed", State()).unit_status == ops.ActiveStatus("9")


def test_autoload_without_metadata_is_a_clear_error(tmp_path):
    charm = _charm_module(tmp_path, {"src/charm.py": CHARM_PY})
    with pytest.raises(ContextSetupError, match="metadata") as info:
        Context(charm)
    assert isinstance(info.value.__cause__, MetadataNotFoundError)


@pytest.mark.parametrize("meta", ["name: app", ["name", "app"], 3])
def test_metadata_that_is_not_a_mapping_is_a_setup_error(meta):
    # Both originals failed with an AttributeError from deep inside.
    with pytest.raises(ContextSetupError, match="meta must be a mapping"):
        Context(FailingCharm, meta=meta)


def test_cleanup_forgets_the_records():
    ctx = Context(FailingCharm, meta={"name": "app"})
    ctx.run("install", State())
    assert ctx.emitted_events
    ctx.cleanup()
    assert ctx.emitted_events == [] and ctx.juju_log == [] and ctx.unit_status_history == []


def test_a_charm_sees_its_spec_files_in_its_charm_dir():
    seen = {}

    class DirCharm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            seen["meta"] = (self.charm_dir / "metadata.yaml").read_text()

    ctx = Context(DirCharm, meta={"name": "dir-app"})
    ctx.run("start", State())
    assert "dir-app" in seen["meta"]


class UnsimulatedCharm(ops.CharmBase):
    errors: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        calls = [self.unit.reboot]
        if hasattr(self.model, "get_cloud_spec"):  # ops 2.10 has no cloud spec
            calls.append(self.model.get_cloud_spec)
        for call in calls:
            try:
                call()
            except ops.ModelError as e:
                UnsimulatedCharm.errors.append(str(e))


def test_unsimulated_hook_tools_fail_as_model_errors_without_a_subprocess(monkeypatch):
    import subprocess

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a run started a subprocess: {args}")

    monkeypatch.setattr(subprocess, "run", no_subprocess)
    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    UnsimulatedCharm.errors = []
    Context(UnsimulatedCharm, meta={"name": "app"}).run("start", State())
    assert UnsimulatedCharm.errors
    # reboot is not simulated; credential-get is, and refuses an untrusted app.
    assert "not simulated" in UnsimulatedCharm.errors[0]
    assert all("not simulated" in e or "not trusted" in e for e in UnsimulatedCharm.errors)


class QuietCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        pass


def test_runs_do_not_keep_their_framework_or_charm_alive():
    import gc

    ctx = Context(QuietCharm, meta={"name": "app"})
    frameworks_before = len(ops.Framework.on._cache)
    for _ in range(20):
        ctx.run("start", State())
    gc.collect()
    # ops caches each object's events in a WeakKeyDictionary whose values refer back to
    # their keys; a run drops its entries so the framework and charm can be collected.
    assert len(ops.Framework.on._cache) <= frameworks_before
    assert len(ctx._charm.wrapped_charm_type().on._cache) == 0


def test_the_charm_spec_answers_to_ops_testings_private_name_too():
    # ops[testing] keeps it as ctx._charm_spec; suites and plugins read it there.
    ctx = Context(ops.CharmBase, meta={"name": "spec-reader"})
    assert ctx._charm_spec is ctx._charm_spec
    assert ctx._charm_spec.meta["name"] == "spec-reader"


def test_context_files_live_in_memory_unless_tmpdir_says_otherwise(monkeypatch, tmp_path):
    import os

    from scenario import _runtime

    monkeypatch.setattr(_runtime, "_SCRATCH", None)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert _runtime._scratch_dir() is None  # tempfile's choice: TMPDIR
    monkeypatch.setattr(_runtime, "_SCRATCH", None)
    monkeypatch.delenv("TMPDIR")
    expected = "/dev/shm" if os.access("/dev/shm", os.W_OK | os.X_OK) else None
    assert _runtime._scratch_dir() == expected


def test_charm_spec_is_deprecated_as_in_ops_testing():
    ctx = Context(ConfigCharm, meta={"name": "app"})
    with pytest.warns(DeprecationWarning, match="charm_spec"):
        spec = ctx.charm_spec
    assert spec is ctx._charm_spec
    assert spec.meta == {"name": "app"}
