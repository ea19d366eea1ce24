"""Runs from several threads: one run at a time per process, each with its own results, and
log records from any thread recorded or dropped, never a panic."""

import concurrent.futures
import logging
import os
import threading

import ops
import pytest

from scenario import Context, State

logger = logging.getLogger(__name__)

THREADS = 4
RUNS = 100


class WhoAmICharm(ops.CharmBase):
    """Reports the unit it runs as, from the model and from the environment."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config_changed)

    def _on_config_changed(self, _):
        tag = self.config["tag"]
        logger.info("run %s", tag)
        unit_in_env = os.environ["JUJU_UNIT_NAME"]
        self.unit.status = ops.ActiveStatus(f"{tag} {self.unit.name} {unit_in_env}")


CONFIG = {"options": {"tag": {"type": "string", "default": ""}}}


def _context() -> Context:
    return Context(WhoAmICharm, meta={"name": "who"}, config=CONFIG)


def _runs(ctx: Context, worker: int) -> list:
    """RUNS runs as unit ``worker``; each answer is what the charm saw (expected, got)."""
    answers = []
    for i in range(RUNS):
        tag = f"w{worker}-{i}"
        out = ctx.run("config-changed", State(unit_id=worker, config={"tag": tag}))
        answers.append((f"{tag} who/{worker} who/{worker}", out.unit_status.message))
    return answers


def _check(answers: list) -> None:
    wrong = [(want, got) for want, got in answers if want != got]
    assert not wrong, f"{len(wrong)} of {len(answers)} runs saw another run: {wrong[:3]}"


def _start_all(target, count: int) -> list:
    results: list = [None] * count
    errors: list = []

    def body(n: int) -> None:
        try:
            results[n] = target(n)
        except BaseException as e:  # a PanicException is a BaseException
            errors.append(e)

    threads = [threading.Thread(target=body, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


@pytest.mark.parametrize("shared", [False, True], ids=["own-context", "shared-context"])
def test_runs_from_several_threads_each_see_their_own_unit(shared, capfd):
    environ = dict(os.environ)
    common = _context()
    contexts = [common if shared else _context() for _ in range(THREADS)]
    for answers in _start_all(lambda n: _runs(contexts[n], n), THREADS):
        _check(answers)
    if not shared:
        for n, ctx in enumerate(contexts):
            # Each Context recorded its own runs' log lines, and only those.
            lines = [line.message for line in ctx.juju_log if line.message.startswith("run ")]
            assert lines == [f"run w{n}-{i}" for i in range(RUNS)]
    assert dict(os.environ) == environ
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("shared", [False, True], ids=["own-context", "shared-context"])
def test_runs_from_a_thread_pool(shared, capfd):
    environ = dict(os.environ)
    common = _context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(_runs, common if shared else _context(), n) for n in range(THREADS)]
        for future in futures:
            _check(future.result())
    assert dict(os.environ) == environ
    assert capfd.readouterr().err == ""


def test_runs_one_at_a_time_from_a_thread_pool_leave_nothing_on_stderr(capfd):
    import gc

    ctx = _context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        for n in range(THREADS):
            _check(pool.submit(_runs, ctx, n).result())
    # The runs' objects are freed here, on another thread than the one that made them.
    del ctx
    gc.collect()
    assert capfd.readouterr().err == ""


class ThreadLoggingCharm(ops.CharmBase):
    """Logs from a thread of its own, as a tracing exporter does, and waits for it."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        thread = threading.Thread(target=logger.warning, args=("exporter: export failed",))
        thread.start()
        thread.join()
        self.unit.status = ops.ActiveStatus("started")


def test_a_thread_the_charm_starts_can_log(capfd):
    ctx = Context(ThreadLoggingCharm, meta={"name": "traced"})
    out = ctx.run("start", State())
    assert out.unit_status == ops.ActiveStatus("started")
    assert ("WARNING", "exporter: export failed") in [tuple(line) for line in ctx.juju_log]
    assert capfd.readouterr().err == ""


class LingeringThreadCharm(ops.CharmBase):
    """Starts a thread that logs only once the run is over."""

    release = threading.Event()
    thread: threading.Thread

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        def later():
            LingeringThreadCharm.release.wait(5)
            logger.warning("after the run")

        LingeringThreadCharm.thread = threading.Thread(target=later)
        LingeringThreadCharm.thread.start()


def test_a_record_logged_after_its_run_is_dropped(capfd):
    ctx = Context(LingeringThreadCharm, meta={"name": "lingering"})
    ctx.run("start", State())
    LingeringThreadCharm.release.set()
    LingeringThreadCharm.thread.join()
    assert "after the run" not in [line.message for line in ctx.juju_log]
    assert capfd.readouterr().err == ""


def test_a_thread_outside_the_run_does_not_log_into_it():
    started = threading.Event()
    logged = threading.Event()
    done = threading.Event()

    def bystander():
        started.set()
        logged.wait(5)
        logger.warning("not part of the run")
        done.set()

    class BusyCharm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            logged.set()
            done.wait(5)

    thread = threading.Thread(target=bystander)
    thread.start()
    started.wait(5)
    ctx = Context(BusyCharm, meta={"name": "busy"})
    ctx.run("start", State())
    thread.join()
    assert done.is_set()
    assert "not part of the run" not in [line.message for line in ctx.juju_log]


def test_a_run_inside_an_open_manager_on_the_same_thread_goes_ahead():
    ctx = _context()
    with ctx.manager("config-changed", State(config={"tag": "outer"})) as manager:
        inner = ctx.run("config-changed", State(unit_id=1, config={"tag": "inner"}))
        outer = manager.run()
    assert inner.unit_status.message == "inner who/1 who/1"
    assert outer.unit_status.message == "outer who/0 who/0"


def test_a_run_from_another_thread_waits_for_an_open_manager():
    ctx = _context()
    started, done = threading.Event(), threading.Event()
    results = []

    def other():
        started.set()
        results.append(ctx.run("config-changed", State(unit_id=1, config={"tag": "other"})))
        done.set()

    with ctx.manager("config-changed", State(config={"tag": "first"})) as manager:
        thread = threading.Thread(target=other)
        thread.start()
        started.wait(5)
        # The other thread's run cannot start while this one is open.
        assert not done.wait(0.05)
        first = manager.run()
    thread.join()
    assert first.unit_status.message == "first who/0 who/0"
    assert results[0].unit_status.message == "other who/1 who/1"
