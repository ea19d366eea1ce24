"""A run is a value: every run leaves one immutable ``RunResult`` (the output State and
every record, from Rust), which the Context merges into its histories; and what a Context
makes once per spec (its charm directory, ops's parsed metadata, the charm subclass) is
shared by the Contexts of the same spec, so a fresh Context costs what a warm one does."""

import gc
import logging

import ops
import pytest

from scenario import Container, Context, Exec, State
from scenario.errors import UncaughtCharmError

logger = logging.getLogger(__name__)


class Charm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_start(self, _: ops.StartEvent) -> None:
        logger.info("starting")
        self.unit.status = ops.MaintenanceStatus("installing")
        self.unit.status = ops.ActiveStatus("ready")
        workload = self.unit.get_container("w")
        if workload.can_connect():
            workload.exec(["ls", "-l"]).wait_output()

    def _on_update_status(self, _: ops.UpdateStatusEvent) -> None:
        logger.info("about to fail")
        raise RuntimeError("the charm failed")


META = {"name": "app", "containers": {"w": {}}}
STATE = State(containers=[Container("w", can_connect=True, execs={Exec(["ls"], stdout="x")})])


def test_a_run_leaves_one_result_with_everything_it_recorded():
    ctx = Context(Charm, meta=META)
    scope = ctx._run(event=ctx.on.start(), state=STATE)
    with scope as run:
        run.run()
    result = scope.result
    assert result.output.unit_status == ops.ActiveStatus("ready")
    assert [s.name for s in result.unit_status_history] == ["unknown", "maintenance"]
    assert ("INFO", "starting") in result.juju_log
    assert [args.command for args in result.exec_history["w"]] == [["ls", "-l"]]
    assert [type(e).__name__ for e in result.emitted_events] == ["StartEvent"]
    assert result.action_results is None and result.action_failure is None
    # A value: nothing of it can be changed.
    with pytest.raises(AttributeError):
        result.output = None  # type: ignore[misc]


def test_the_context_merges_each_result_into_its_histories():
    ctx = Context(Charm, meta=META)
    ctx.run(ctx.on.start(), STATE)
    ctx.run(ctx.on.start(), STATE)
    # Each run starts from the same State: each adds what it replaced.
    assert [s.name for s in ctx.unit_status_history] == [
        "unknown",
        "maintenance",
        "unknown",
        "maintenance",
    ]
    assert [args.command for args in ctx.exec_history["w"]] == [["ls", "-l"], ["ls", "-l"]]
    assert len(ctx.emitted_events) == 2


def test_a_run_that_failed_still_leaves_what_it_recorded():
    ctx = Context(Charm, meta=META)
    with pytest.raises(UncaughtCharmError):
        ctx.run(ctx.on.update_status(), STATE)
    assert ("INFO", "about to fail") in [tuple(line) for line in ctx.juju_log]


def test_exec_history_is_read_during_the_run():
    ctx = Context(Charm, meta=META)
    with ctx(ctx.on.start(), STATE) as mgr:
        assert ctx.exec_history == {}
        mgr.charm.unit.get_container("w").exec(["ls"]).wait_output()
        assert [args.command for args in ctx.exec_history["w"]] == [["ls"]]
        mgr.run()
        history = ctx.exec_history
    # The run's own exec, after the one of the block; each once.
    assert [args.command for args in history["w"]] == [["ls"], ["ls", "-l"]]


class Writer(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.install, self._on_install)

    def _on_install(self, _: ops.InstallEvent) -> None:
        (self.charm_dir / "written-by-the-charm").write_text("state")


def test_contexts_of_one_spec_share_a_charm_directory():
    first = Context(Charm, meta=META)
    second = Context(Charm, meta=dict(META))
    assert first._charm.charm_dir() == second._charm.charm_dir()
    assert (first._charm.charm_dir() / "metadata.yaml").is_file()


def test_a_charm_directory_a_run_wrote_into_is_no_longer_shared():
    ctx = Context(Writer, meta={"name": "writer"})
    ctx.run(ctx.on.install(), State())
    written = ctx._charm.charm_dir()
    assert (written / "written-by-the-charm").read_text() == "state"
    fresh = Context(Writer, meta={"name": "writer"})
    assert fresh._charm.charm_dir() != written
    assert not (fresh._charm.charm_dir() / "written-by-the-charm").exists()
    # The Context whose run wrote there keeps its directory, as before they were shared.
    assert ctx._charm.charm_dir() == written
    ctx.run(ctx.on.install(), State())
    assert ctx._charm.charm_dir() == written
    ctx.cleanup()
    assert not written.exists()


def test_a_context_that_wrote_into_its_charm_directory_and_cleaned_up_starts_afresh():
    ctx = Context(Writer, meta={"name": "writer-alone"})
    ctx.run(ctx.on.install(), State())
    written = ctx._charm.charm_dir()
    ctx.cleanup()
    assert not written.exists()
    assert not (ctx._charm.charm_dir() / "written-by-the-charm").exists()
    assert (ctx._charm.charm_dir() / "metadata.yaml").is_file()


def test_a_charm_directory_a_test_wrote_into_is_no_longer_shared():
    first = Context(Charm, meta={**META, "name": "written-by-a-test"})
    first.run(first.on.start(), State())
    root = first._charm.charm_dir()
    (root / "a-test-file").write_text("x")
    second = Context(Charm, meta={**META, "name": "written-by-a-test"})
    second.run(second.on.start(), State())
    assert second._charm.charm_dir() != root
    assert not (second._charm.charm_dir() / "a-test-file").exists()
    assert (first._charm.charm_dir() / "a-test-file").exists()


def test_a_charm_directory_whose_context_is_gone_is_removed_once_found_changed():
    ctx = Context(Writer, meta={"name": "writer-gone"})
    ctx.run(ctx.on.install(), State())
    written = ctx._charm.charm_dir()
    del ctx
    gc.collect()
    fresh = Context(Writer, meta={"name": "writer-gone"})
    assert fresh._charm.charm_dir() != written
    assert not written.exists()


def test_contexts_taking_turns_on_an_unchanged_charm_directory_share_it():
    first = Context(Charm, meta={**META, "name": "taking-turns"})
    second = Context(Charm, meta={**META, "name": "taking-turns"})
    for _ in range(3):
        first.run(first.on.start(), State())
        second.run(second.on.start(), State())
    assert first._charm.charm_dir() == second._charm.charm_dir()


def test_contexts_of_one_spec_share_the_charm_subclass_and_parsed_metadata():
    first, second = Context(Charm, meta=META), Context(Charm, meta=META)
    assert first._charm.wrapped_charm_type() is second._charm.wrapped_charm_type()
    assert first._charm.charm_meta() is second._charm.charm_meta()
    other = Context(Charm, meta={**META, "requires": {"db": {"interface": "sql"}}})
    assert other._charm.wrapped_charm_type() is not first._charm.wrapped_charm_type()
    assert "db" in other._charm.charm_meta().requires
    assert "db" not in first._charm.charm_meta().requires
