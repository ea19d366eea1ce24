"""ops[testing]'s Pebble: a container's files, layers, plan and services; ``Exec`` mocks
(longest prefix wins, ``ExecError``, stdin, stdout and stderr files) and
``ctx.exec_history``; check infos and check events; notices; what a container that cannot
connect, or is missing, answers.
"""

import io

import ops
import pytest
from ops import pebble

OPS_VERSION = tuple(int(p) for p in ops.__version__.split(".")[:2])
META = {"name": "app", "containers": {"w": {}}}


class Worker(ops.CharmBase):
    """Runs ``ACTION`` on the container "w" on start and keeps what it returns."""

    action = staticmethod(lambda container: None)

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.result = type(self).action(self.unit.get_container("w"))


def run(testing, action, container, **ctx_kwargs):
    """Run Worker doing ``action`` with ``container``; what it returned, the output State
    and the Context."""
    Worker.action = staticmethod(action)
    ctx = testing.Context(Worker, meta=META, **ctx_kwargs)
    with ctx(ctx.on.start(), testing.State(containers={container})) as mgr:
        out = mgr.run()
        result = mgr.charm.result
    return result, out, ctx


def charm_error(testing, action, container, **ctx_kwargs):
    """The exception the charm raised running ``action``."""
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(testing, action, container, **ctx_kwargs)
    return info.value.__cause__


# --- files -----------------------------------------------------------------------------------


def test_push_pull_list_make_and_remove(testing):
    def work(w):
        w.push("/etc/a.conf", "hello", make_dirs=True, permissions=0o600)
        w.make_dir("/var/x", make_parents=True)
        listed = [(f.path, f.type, f.permissions) for f in w.list_files("/etc")]
        found = (w.exists("/etc/a.conf"), w.isdir("/var/x"))
        w.remove_path("/var/x")
        with w.pull("/etc/a.conf") as f:
            content = f.read()
        return listed, found, content, w.exists("/var/x")

    result, _, _ = run(testing, work, testing.Container("w", can_connect=True))
    assert result == ([("/etc/a.conf", pebble.FileType.FILE, 0o600)], (True, True), "hello", False)


def test_pulling_a_missing_file(testing):
    error = charm_error(
        testing, lambda w: w.pull("/nope"), testing.Container("w", can_connect=True)
    )
    assert isinstance(error, pebble.PathError)
    assert error.kind == "not-found"


def test_the_container_filesystem_after_the_run(testing):
    container = testing.Container("w", can_connect=True)
    _, _, ctx = run(
        testing, lambda w: w.push("/srv/index.html", "<html/>", make_dirs=True), container
    )
    assert (container.get_filesystem(ctx) / "srv" / "index.html").read_text() == "<html/>"


def test_a_mounted_directory_is_the_host_s(testing, tmp_path):
    (tmp_path / "in.txt").write_text("from the host")
    container = testing.Container(
        "w", can_connect=True, mounts={"data": testing.Mount(location="/data", source=tmp_path)}
    )

    def work(w):
        w.push("/data/out.txt", "from the charm")
        with w.pull("/data/in.txt") as f:
            return f.read()

    result, _, _ = run(testing, work, container)
    assert result == "from the host"
    assert (tmp_path / "out.txt").read_text() == "from the charm"


# --- layers, plan, services ------------------------------------------------------------------

LAYER = pebble.Layer(
    {
        "services": {
            "web": {"override": "replace", "command": "serve", "startup": "enabled"},
            "job": {"override": "replace", "command": "job"},
        },
        "checks": {
            "up": {
                "override": "replace",
                "level": "alive",
                "threshold": 5,
                "http": {"url": "http://x"},
            }
        },
    }
)


def test_add_layer_and_replan(testing):
    def work(w):
        extra = pebble.Layer(
            {"services": {"web": {"override": "merge", "environment": {"A": "1"}}}}
        )
        w.add_layer("extra", extra, combine=True)
        w.replan()
        return w.get_plan().to_dict()["services"]["web"]

    web, out, _ = run(
        testing, work, testing.Container("w", can_connect=True, layers={"base": LAYER})
    )
    assert web == {
        "override": "merge",
        "command": "serve",
        "startup": "enabled",
        "environment": {"A": "1"},
    }
    after = out.get_container("w")
    assert list(after.layers) == ["base", "extra"]
    assert after.service_statuses == {"web": pebble.ServiceStatus.ACTIVE}
    assert after.plan.services["web"].environment == {"A": "1"}


def test_services_start_and_stop(testing):
    container = testing.Container(
        "w",
        can_connect=True,
        layers={"base": LAYER},
        service_statuses={"web": pebble.ServiceStatus.ACTIVE},
    )

    def work(w):
        before = sorted((s.name, s.current) for s in w.get_services().values())
        w.start("job")
        w.stop("web")
        return before

    before, out, _ = run(testing, work, container)
    assert before == [("job", pebble.ServiceStatus.INACTIVE), ("web", pebble.ServiceStatus.ACTIVE)]
    assert out.get_container("w").service_statuses == {
        "web": pebble.ServiceStatus.INACTIVE,
        "job": pebble.ServiceStatus.ACTIVE,
    }


def test_the_plan_is_there_without_a_connection(testing):
    import scenario

    def read_plan():
        return run(
            testing,
            lambda w: w.get_plan().to_dict(),
            testing.Container("w", can_connect=False, layers={"base": LAYER}),
        )[0]

    if hasattr(scenario, "_scenario"):
        # A unit's Pebble would refuse: answered as by 8.9, with a warning.
        from scenario.errors import JujuStricterWarning

        with pytest.warns(JujuStricterWarning, match='get_plan on container "w"'):
            plan = read_plan()
    else:
        plan = read_plan()
    assert plan == LAYER.to_dict()


@pytest.mark.parametrize(
    "call",
    [
        lambda w: w.push("/a", "x"),
        lambda w: w.pull("/a"),
        lambda w: w.get_services(),
        lambda w: w.add_layer("x", LAYER),
        lambda w: w.list_files("/"),
    ],
)
def test_a_container_that_cannot_connect(testing, call):
    container = testing.Container("w", can_connect=False, layers={"base": LAYER})
    assert run(testing, lambda w: w.can_connect(), container)[0] is False
    error = charm_error(testing, call, container)
    assert isinstance(error, pebble.ConnectionError)
    assert "can_connect=True" in str(error)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda w: w.get_checks(), id="checks"),
        pytest.param(lambda w: w.get_notices(), id="notices"),
        pytest.param(lambda w: w.exec(["ls"]), id="exec"),
    ],
)
def test_checks_notices_and_exec_without_a_connection_warn(testing, call):
    """8.9 answers these with ``can_connect=False`` where a unit
    gets ``ConnectionError``: this package answers too, with a ``JujuStricterWarning``, and
    raises ``ConnectionError`` in strict mode."""
    import scenario

    container = testing.Container("w", can_connect=False, execs={testing.Exec(["ls"])})
    if not hasattr(scenario, "_scenario"):
        run(testing, call, container)
        return
    from scenario.errors import JujuStricterWarning

    with pytest.warns(JujuStricterWarning, match="Pebble is unreachable"):
        run(testing, call, container)
    error = charm_error(testing, call, container, strict=True)
    assert isinstance(error, pebble.ConnectionError)


def test_a_container_missing_from_the_state_differs_from_8_9(testing):
    """8.9 raises ``RuntimeError`` from any Pebble call to a container of the metadata that
    the State lacks; this package's Pebble is then unreachable (``can_connect()`` is False,
    other calls raise ``ConnectionError``), as in a unit whose workload is not up."""
    import scenario

    class Charm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            self.unit.get_container("w").get_services()

    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        testing.Context(Charm, meta=META).run(testing.CharmEvents.start(), testing.State())
    expected = pebble.ConnectionError if hasattr(scenario, "_scenario") else RuntimeError
    assert isinstance(info.value.__cause__, expected)


# --- exec ------------------------------------------------------------------------------------

EXECS = {
    "ls": dict(command_prefix=["ls"], stdout="all"),
    "ls -l": dict(command_prefix=["ls", "-l"], stdout="long", stderr="e"),
    "false": dict(command_prefix=["false"], return_code=1, stdout="o", stderr="err"),
    "cat": dict(command_prefix=["cat"], stdout="meow"),
}


def exec_container(testing, **kwargs):
    execs = {testing.Exec(**spec) for spec in EXECS.values()}
    return testing.Container("w", can_connect=True, execs=execs, **kwargs)


LS_LL = """
.rw-rw-r--  228 ubuntu ubuntu 18 jan 12:05 -- charmcraft.yaml
.rw-rw-r--  497 ubuntu ubuntu 18 jan 12:05 -- config.yaml
"""


def test_the_readme_exec_example(testing):
    class Charm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.w_pebble_ready, self._on_ready)

        def _on_ready(self, _):
            stdout, _ = self.unit.get_container("w").exec(["ls", "-ll"]).wait_output()
            self.unit.status = ops.ActiveStatus(str(stdout == LS_LL))

    container = testing.Container(
        "w", can_connect=True, execs={testing.Exec(["ls", "-ll"], stdout=LS_LL)}
    )
    ctx = testing.Context(Charm, meta=META)
    out = ctx.run(ctx.on.pebble_ready(container), testing.State(containers={container}))
    assert out.unit_status == testing.ActiveStatus("True")


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["ls", "-l", "/tmp"], ("long", "e")),
        (["ls", "-a"], ("all", "")),
        (["ls"], ("all", "")),
        (["cat", "x"], ("meow", "")),
    ],
)
def test_the_longest_matching_prefix_wins(testing, command, expected):
    result, _, _ = run(testing, lambda w: w.exec(command).wait_output(), exec_container(testing))
    assert result == expected


def test_an_empty_prefix_catches_every_command(testing):
    container = testing.Container("w", can_connect=True, execs={testing.Exec([], stdout="any")})
    result, _, _ = run(
        testing, lambda w: w.exec(["anything", "at", "all"]).wait_output(), container
    )
    assert result == ("any", "")


def test_a_command_without_a_mock(testing):
    error = charm_error(
        testing, lambda w: w.exec(["rm", "-rf"]).wait_output(), exec_container(testing)
    )
    assert isinstance(error, pebble.ExecError)
    assert error.command == ["rm", "-rf"]
    assert error.exit_code == 127
    assert "mock for cmd ['rm', '-rf'] not found" in error.stderr


def test_a_failing_command(testing):
    error = charm_error(
        testing, lambda w: w.exec(["false"]).wait_output(), exec_container(testing)
    )
    assert isinstance(error, pebble.ExecError)
    assert (error.exit_code, error.stdout, error.stderr) == (1, "o", "err")
    error = charm_error(testing, lambda w: w.exec(["false"]).wait(), exec_container(testing))
    assert isinstance(error, pebble.ExecError)
    assert error.exit_code == 1


def test_exec_history_records_each_call(testing):
    def work(w):
        w.exec(
            ["ls", "-l"], environment={"A": "b"}, working_dir="/x", timeout=3, user="u", group="g"
        ).wait_output()
        w.exec(["cat"], stdin="hello").wait_output()

    _, _, ctx = run(testing, work, exec_container(testing))
    first, second = ctx.exec_history["w"]
    assert isinstance(first, ops.testing.ExecArgs)
    assert first.command == ["ls", "-l"]
    assert first.environment == {"A": "b"}
    assert (first.working_dir, first.timeout, first.user, first.group) == ("/x", 3, "u", "g")
    assert first.encoding == "utf-8"
    assert first.combine_stderr is False
    assert second.command == ["cat"]
    assert second.stdin == "hello"
    assert second.environment == {}


def test_exec_history_spans_runs(testing):
    ctx = testing.Context(Worker, meta=META)
    Worker.action = staticmethod(lambda w: w.exec(["ls"]).wait_output())
    container = exec_container(testing)
    ctx.run(ctx.on.start(), testing.State(containers={container}))
    ctx.run(ctx.on.start(), testing.State(containers={container}))
    assert [args.command for args in ctx.exec_history["w"]] == [["ls"], ["ls"]]


def test_stdin_written_to_the_process_is_recorded(testing):
    def work(w):
        process = w.exec(["cat"])
        process.stdin.write("typed")
        return process.wait_output()

    result, _, ctx = run(testing, work, exec_container(testing))
    assert result == ("meow", "")
    assert ctx.exec_history["w"][0].stdin == "typed"


def test_stdin_from_a_file(testing):
    _, _, ctx = run(
        testing,
        lambda w: w.exec(["cat"], stdin=io.StringIO("from a file")).wait_output(),
        exec_container(testing),
    )
    assert ctx.exec_history["w"][0].stdin == "from a file"


def test_stdout_and_stderr_files_receive_the_output(testing):
    def work(w):
        out, err = io.StringIO(), io.StringIO()
        process = w.exec(["ls", "-l"], stdout=out, stderr=err)
        process.wait()
        return out.getvalue(), err.getvalue(), process.stdout, process.stderr

    result, _, _ = run(testing, work, exec_container(testing))
    assert result == ("long", "e", None, None)


def test_exec_without_an_encoding_differs_from_8_9(testing):
    """8.9's exec with ``encoding=None`` always fails (with ``ValueError``); this package
    gives bytes."""
    import scenario

    call = lambda w: w.exec(["ls", "-l"], encoding=None).wait_output()  # noqa: E731
    if hasattr(scenario, "_scenario"):
        assert run(testing, call, exec_container(testing))[0] == (b"long", b"e")
    else:
        assert isinstance(charm_error(testing, call, exec_container(testing)), ValueError)


# --- checks ----------------------------------------------------------------------------------


def check_container(testing, **info):
    """A container whose plan has the check "up", with a check info for it."""
    check = testing.CheckInfo("up", **{"level": "alive", "threshold": 5, **info})
    return testing.Container("w", can_connect=True, layers={"base": LAYER}, check_infos={check})


def test_check_infos_are_what_the_charm_reads(testing):
    container = check_container(testing, failures=2, status=pebble.CheckStatus.DOWN)
    result, _, _ = run(
        testing,
        lambda w: [
            (c.name, c.level, c.status, c.failures, c.threshold) for c in w.get_checks().values()
        ],
        container,
    )
    assert result == [("up", pebble.CheckLevel.ALIVE, pebble.CheckStatus.DOWN, 2, 5)]


def test_stopping_a_check(testing):
    container = check_container(testing)
    if not hasattr(ops.Container, "stop_checks"):
        # Before ops 2.20, Container has no start_checks/stop_checks.
        assert OPS_VERSION < (2, 20)
        return
    _, out, _ = run(testing, lambda w: w.stop_checks("up"), container)
    assert [(c.name, c.status) for c in out.get_container("w").check_infos] == [
        ("up", pebble.CheckStatus.INACTIVE)
    ]


class CheckWatcher(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        if OPS_VERSION >= (2, 15):
            framework.observe(self.on["w"].pebble_check_failed, self._on_check)

    def _on_check(self, event):
        info = event.info
        self.unit.status = ops.BlockedStatus(f"{info.name} {info.status.value} {info.failures}")


def test_a_failed_check_event_reads_the_check(testing):
    container = check_container(testing, failures=5, status=pebble.CheckStatus.DOWN)
    [info] = container.check_infos
    if OPS_VERSION < (2, 15):
        # ops 2.10 has no check events.
        assert not hasattr(ops, "PebbleCheckFailedEvent")
        return
    ctx = testing.Context(CheckWatcher, meta=META)
    out = ctx.run(
        ctx.on.pebble_check_failed(container, info), testing.State(containers={container})
    )
    assert out.unit_status == testing.BlockedStatus("up down 5")


# --- notices ---------------------------------------------------------------------------------


def test_notices_are_what_the_charm_reads(testing):
    notice = testing.Notice("example.com/a", last_data={"x": "y"})
    container = testing.Container("w", can_connect=True, notices=[notice])

    def work(w):
        found = [(n.id, n.key, n.type, n.last_data) for n in w.get_notices()]
        return found, w.get_notice(notice.id).key

    result, _, _ = run(testing, work, container)
    assert result == (
        [(notice.id, "example.com/a", pebble.NoticeType.CUSTOM, {"x": "y"})],
        "example.com/a",
    )


class NoticeWatcher(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on["w"].pebble_custom_notice, self._on_notice)

    def _on_notice(self, event):
        self.unit.status = ops.ActiveStatus(f"{event.notice.key} {event.notice.last_data}")


def test_a_custom_notice_event_reads_the_notice(testing):
    notice = testing.Notice("example.com/a", last_data={"x": "y"})
    container = testing.Container("w", can_connect=True, notices=[notice])
    ctx = testing.Context(NoticeWatcher, meta=META)
    out = ctx.run(
        ctx.on.pebble_custom_notice(container, notice), testing.State(containers={container})
    )
    assert out.unit_status == testing.ActiveStatus("example.com/a {'x': 'y'}")
