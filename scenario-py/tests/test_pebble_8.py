"""The mock Pebble under ops[testing]'s API (``ctx.run(ctx.on.<event>(...), state)``):
exec by command prefix and ``ctx.exec_history``, check infos, notices, a container the
State lacks, and the container filesystem across runs.

Behaviour is ops[testing] 8.9's (its mock Pebble client) except where the README's
"Where this differs" list says otherwise; those tests say so in a comment. Every test
runs on ops 3.x and ops 2.10; where ops 2.10 lacks an API, the test says what it checks
there instead.
"""

import gc
import io
import signal
from typing import Any, Callable, ClassVar, Optional

import ops
import pytest
from charm_probe import raised, run_probe
from ops import pebble

from scenario import CheckInfo, Container, Context, Exec, ExecOutput, Notice, State
from scenario.errors import JujuStricterWarning, NoObserverError

META = {"name": "foo", "containers": {"foo": {}}}

# ops 3 names "every user's notices" NoticesUsers.ALL (get_notices(users=...)); ops 2.10
# named it NoticesSelect.ALL (get_notices(select=...)).
if hasattr(pebble, "NoticesUsers"):
    ALL_USERS = {"users": pebble.NoticesUsers.ALL}
else:
    ALL_USERS = {"select": pebble.NoticesSelect.ALL}

# ops 2.10 has no check events (they came with ops 2.15).
HAS_CHECK_EVENTS = hasattr(ops, "PebbleCheckFailedEvent")

# ops 2.10's layers know no check startup (ops drops what its Check does not know), so
# there a check meant to be disabled is enabled like any other.
HAS_CHECK_STARTUP = "startup" in pebble.Check("c", {"startup": "disabled"}).to_dict()

# ops 2.10 knows only the check statuses up and down and the notice type custom; ops
# gives any other as the plain string Pebble sent.
INACTIVE = getattr(pebble.CheckStatus, "INACTIVE", "inactive")
CHANGE_UPDATE = getattr(pebble.NoticeType, "CHANGE_UPDATE", "change-update")
OFF_STATUS = INACTIVE if HAS_CHECK_STARTUP else pebble.CheckStatus.UP


class ProbeCharm(ops.CharmBase):
    """Calls ``ProbeCharm.probe(container)`` on update-status and keeps what it returns;
    keeps the check and notice events it sees."""

    probe: ClassVar[Optional[Callable[[ops.Container], Any]]] = None
    result: ClassVar[Any] = None
    seen: ClassVar[Any] = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)
        framework.observe(self.on["foo"].pebble_custom_notice, self._on_notice)
        if HAS_CHECK_EVENTS:
            framework.observe(self.on["foo"].pebble_check_failed, self._on_check)
            framework.observe(self.on["foo"].pebble_check_recovered, self._on_check)

    def _on_update_status(self, _):
        if ProbeCharm.probe is not None:
            ProbeCharm.result = ProbeCharm.probe(self.unit.get_container("foo"))

    def _on_notice(self, event):
        notice = event.notice
        ProbeCharm.seen = (notice.id, notice.type, notice.key, notice.last_data)

    def _on_check(self, event):
        ProbeCharm.seen = (type(event).__name__, event.info.name, event.info.status)


def in_charm(probe, container=None, *, ctx=None, state=None):
    """Runs ``probe(ops.Container)`` in the charm's handler; returns (its result, out)."""
    ctx = ctx or Context(ProbeCharm, meta=META)
    if state is None:
        state = State(containers={container or Container("foo", can_connect=True)})
    return run_probe(ProbeCharm, probe, lambda: ctx.run(ctx.on.update_status(), state))


def raises_in_charm(exc_type, probe, container=None, **kwargs):
    """The exception ``probe`` raises in the charm's handler (it must be ``exc_type``)."""
    return raised(exc_type, lambda: in_charm(probe, container, **kwargs))


# =========================================================================================
# exec: matching
# =========================================================================================

GIT = {
    Exec(["git"], stdout="git\n"),
    Exec(["git", "push"], return_code=1, stdout="", stderr="rejected\n"),
    Exec(["git", "log", "-1"], stdout="abc123\n"),
}


def git_container(**kwargs):
    return Container("foo", can_connect=True, execs=GIT, **kwargs)


@pytest.mark.parametrize(
    "command, stdout",
    [
        (["git", "log", "-1", "--oneline"], "abc123\n"),
        (["git", "log", "-1"], "abc123\n"),
        (["git", "log"], "git\n"),
        (["git"], "git\n"),
    ],
)
def test_exec_the_longest_matching_prefix_wins(command, stdout):
    out, _ = in_charm(lambda c: c.exec(command).wait_output()[0], git_container())
    assert out == stdout


def test_exec_return_code_and_stderr_of_the_match():
    err = raises_in_charm(
        pebble.ExecError,
        lambda c: c.exec(["git", "push", "origin"]).wait_output(),
        git_container(),
    )
    assert (err.exit_code, err.stdout, err.stderr) == (1, "", "rejected\n")
    assert err.command == ["git", "push", "origin"]


def test_exec_the_empty_prefix_catches_every_command():
    container = Container("foo", can_connect=True, execs={Exec([], stdout="any\n"), *GIT})
    out, _ = in_charm(
        lambda c: (c.exec(["ls"]).wait_output()[0], c.exec(["gi"]).wait_output()[0]), container
    )
    assert out == ("any\n", "any\n")


def test_exec_no_match_is_exec_error_127():
    err = raises_in_charm(pebble.ExecError, lambda c: c.exec(["svn", "up"]), git_container())
    assert err.command == ["svn", "up"]
    assert err.exit_code == 127
    assert err.stdout == ""
    assert err.stderr.startswith("mock for cmd ['svn', 'up'] not found. Please patch out")
    # The message says how to mock it.
    assert "Exec(['svn', 'up'], ...)" in err.stderr


def test_exec_no_match_records_nothing():
    ctx = Context(ProbeCharm, meta=META)
    raises_in_charm(pebble.ExecError, lambda c: c.exec(["svn"]), git_container(), ctx=ctx)
    assert ctx.exec_history == {}


def test_exec_an_exact_exec_mock_comes_first():
    container = git_container(exec_mock={("git", "log"): ExecOutput(stdout="exact\n")})

    def probe(c):
        return c.exec(["git", "log"]).wait_output()[0], c.exec(["git", "log", "-2"]).wait_output()[
            0
        ]

    out, _ = in_charm(probe, container)
    assert out == ("exact\n", "git\n")


def test_exec_works_while_disconnected():
    # As in ops[testing] 8.9 (and Scenario 5.8.1): exec needs no can_connect; a unit's
    # Pebble would refuse, hence the warning.
    container = Container("foo", can_connect=False, execs={Exec(["ls"], stdout="x")})
    with pytest.warns(JujuStricterWarning, match='exec on container "foo"'):
        out, _ = in_charm(lambda c: c.exec(["ls"]).wait_output(), container)
    assert out == ("x", "")


# =========================================================================================
# exec: the history
# =========================================================================================


def test_exec_history_records_each_matched_command_as_exec_args():
    from ops.testing import ExecArgs

    ctx = Context(ProbeCharm, meta=META)
    options = {
        "environment": {"GIT_DIR": "/srv"},
        "working_dir": "/srv",
        "timeout": 5.0,
        "user_id": 1000,
        "user": "git",
        "group_id": 1001,
        "group": "devs",
        "encoding": "latin-1",
    }

    def probe(c):
        c.exec(["git", "log", "-1"], **options).wait()
        c.exec(["git", "push"], stdin="data", combine_stderr=True)

    in_charm(probe, git_container(), ctx=ctx)
    first, second = ctx.exec_history["foo"]
    assert isinstance(first, ExecArgs)
    # Without stdin, the process's own stdin: nothing was written to it.
    expected = ExecArgs(command=["git", "log", "-1"], stdin="", combine_stderr=False, **options)
    assert first == expected
    assert second.command == ["git", "push"]
    assert second.environment == {}
    assert (second.working_dir, second.timeout, second.user, second.group) == (None,) * 4
    assert second.stdin == "data"
    assert second.combine_stderr is True


def test_exec_history_accumulates_across_runs():
    ctx = Context(ProbeCharm, meta=META)
    in_charm(lambda c: c.exec(["git"]).wait(), git_container(), ctx=ctx)
    in_charm(lambda c: c.exec(["git", "log", "-1"]).wait(), git_container(), ctx=ctx)
    assert [a.command for a in ctx.exec_history["foo"]] == [["git"], ["git", "log", "-1"]]


@pytest.mark.parametrize(
    "stdin, encoding, recorded",
    [
        ("text in", "utf-8", "text in"),
        (b"bytes in", None, b"bytes in"),
        (io.StringIO("from a file"), "utf-8", "from a file"),
        (io.BytesIO(b"from a binary file"), None, b"from a binary file"),
    ],
    ids=["str", "bytes", "text-file", "binary-file"],
)
def test_exec_history_records_given_stdin(stdin, encoding, recorded):
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"], stdin=stdin, encoding=encoding)
        return proc.stdin

    proc_stdin, _ = in_charm(probe, git_container(), ctx=ctx)
    # With stdin given, the process has no stdin of its own.
    assert proc_stdin is None
    assert ctx.exec_history["foo"][0].stdin == recorded


def test_exec_without_stdin_records_what_the_charm_writes():
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"])
        proc.stdin.write("line 1\n")
        proc.stdin.write("line 2\n")
        proc.stdin.close()
        return proc.wait_output()

    out, _ = in_charm(probe, git_container(), ctx=ctx)
    assert out == ("git\n", "")
    assert ctx.exec_history["foo"][0].stdin == "line 1\nline 2\n"


def test_exec_without_stdin_binary():
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"], encoding=None)
        proc.stdin.write(b"\x00\x01")
        proc.wait()

    in_charm(probe, git_container(), ctx=ctx)
    assert ctx.exec_history["foo"][0].stdin == b"\x00\x01"


def test_exec_stdin_is_recorded_even_if_the_charm_never_waits():
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"])
        proc.stdin.write("unwaited")
        del proc
        gc.collect()

    in_charm(probe, git_container(), ctx=ctx)
    assert ctx.exec_history["foo"][0].stdin == "unwaited"


# =========================================================================================
# exec: the process
# =========================================================================================


def test_exec_wait_ok_and_non_zero():
    assert in_charm(lambda c: c.exec(["git"]).wait(), git_container())[0] is None
    err = raises_in_charm(
        pebble.ExecError, lambda c: c.exec(["git", "push"]).wait(), git_container()
    )
    assert (err.command, err.exit_code, err.stdout, err.stderr) == (["git", "push"], 1, None, None)


def test_exec_streams_then_wait_output_gives_what_is_left():
    container = Container("foo", can_connect=True, execs={Exec(["cat"], stdout="one\ntwo\n")})

    def probe(c):
        proc = c.exec(["cat"])
        first = proc.stdout.readline()
        return first, proc.wait_output()

    (first, (rest, err)), _ = in_charm(probe, container)
    assert first == "one\n"
    assert rest == "two\n"
    assert err == ""


def test_exec_encoding_none_gives_bytes():
    # ops[testing] 8.9 raised ValueError for every encoding=None exec; ops's client gives bytes.
    container = Container(
        "foo", can_connect=True, execs={Exec(["x"], return_code=2, stdout="ø", stderr="e")}
    )

    def probe(c):
        proc = c.exec(["x"], encoding=None)
        return proc.stdout.read(), proc.stderr.read()

    out, _ = in_charm(probe, container)
    assert out == ("ø".encode(), b"e")
    err = raises_in_charm(
        pebble.ExecError, lambda c: c.exec(["x"], encoding=None).wait_output(), container
    )
    assert (err.stdout, err.stderr) == ("ø".encode(), b"e")


def test_exec_output_into_given_files():
    def probe(c):
        out, err = io.StringIO(), io.StringIO()
        proc = c.exec(["git", "push"], stdout=out, stderr=err)
        with pytest.raises(TypeError):
            proc.wait_output()
        with pytest.raises(pebble.ExecError):
            proc.wait()
        return proc.stdout, proc.stderr, out.getvalue(), err.getvalue()

    out, _ = in_charm(probe, git_container())
    assert out == (None, None, "", "rejected\n")


def test_exec_output_into_a_binary_file():
    def probe(c):
        out = io.BytesIO()
        c.exec(["git"], stdout=out, encoding=None).wait()
        return out.getvalue()

    assert in_charm(probe, git_container())[0] == b"git\n"


def test_exec_combine_stderr():
    container = Container(
        "foo", can_connect=True, execs={Exec(["x"], stdout="out\n", stderr="err\n")}
    )

    def probe(c):
        proc = c.exec(["x"], combine_stderr=True)
        return proc.stderr, proc.wait_output()

    out, _ = in_charm(probe, container)
    assert out == (None, ("out\nerr\n", None))


@pytest.mark.parametrize(
    "kwargs, exc_type",
    [
        ({"stdin": "text", "encoding": None}, ValueError),
        ({"stdin": b"bytes"}, ValueError),
        ({"stdin": 42}, TypeError),
        ({"combine_stderr": True, "stderr": io.StringIO()}, ValueError),
    ],
    ids=[
        "str-stdin-without-encoding",
        "bytes-stdin-with-encoding",
        "bad-stdin",
        "combine-with-stderr",
    ],
)
def test_exec_arguments_are_checked_as_ops_does(kwargs, exc_type):
    ctx = Context(ProbeCharm, meta=META)
    raises_in_charm(exc_type, lambda c: c.exec(["git"], **kwargs), git_container(), ctx=ctx)
    assert ctx.exec_history == {}


def test_exec_in_a_service_context():
    # ops[testing] 8.9 ignored service_context; Pebble runs the command as the service runs.
    layer = pebble.Layer(
        {
            "services": {
                "web": {
                    "override": "replace",
                    "command": "web",
                    "environment": {"A": "service", "B": "service"},
                    "working-dir": "/srv",
                    "user": "www",
                }
            }
        }
    )
    ctx = Context(ProbeCharm, meta=META)
    container = git_container(layers={"base": layer})
    in_charm(
        lambda c: c.exec(["git"], service_context="web", environment={"B": "call"}),
        container,
        ctx=ctx,
    )
    args = ctx.exec_history["foo"][0]
    assert args.environment == {"A": "service", "B": "call"}
    assert (args.working_dir, args.user) == ("/srv", "www")


def test_exec_in_an_unknown_service_context():
    err = raises_in_charm(
        pebble.APIError, lambda c: c.exec(["git"], service_context="nope"), git_container()
    )
    assert err.code == 500
    assert "nope" in err.message


def test_exec_send_signal_reaches_nothing():
    # The mocked command has already run to its outcome: a signal changes nothing, and a
    # bad signal number is refused as ops's client refuses it.
    def probe(c):
        proc = c.exec(["git"])
        proc.send_signal("SIGTERM")
        proc.send_signal(signal.SIGHUP)
        with pytest.raises(ValueError):
            proc.send_signal(99999)
        return proc.wait_output()

    assert in_charm(probe, git_container())[0] == ("git\n", "")


# =========================================================================================
# checks
# =========================================================================================

CHECKS_LAYER = pebble.Layer(
    {
        "checks": {
            "alive": {
                "override": "replace",
                "level": "alive",
                "threshold": 5,
                "exec": {"command": "a"},
            },
            "ready": {"override": "replace", "level": "ready", "exec": {"command": "r"}},
            "off": {"override": "replace", "startup": "disabled", "exec": {"command": "o"}},
        }
    }
)


def down_alive():
    return CheckInfo(
        "alive",
        level=pebble.CheckLevel.ALIVE,
        threshold=5,
        status=pebble.CheckStatus.DOWN,
        failures=5,
    )


def checks_container(**kwargs):
    kwargs.setdefault("can_connect", True)
    return Container("foo", layers={"base": CHECKS_LAYER}, **kwargs)


def test_get_checks_answers_from_check_infos():
    container = checks_container(check_infos={down_alive()})

    def probe(c):
        return {
            name: (i.status, i.failures, i.threshold, i.level)
            for name, i in c.get_checks().items()
        }

    checks, _ = in_charm(probe, container)
    assert checks["alive"] == (pebble.CheckStatus.DOWN, 5, 5, pebble.CheckLevel.ALIVE)
    # Checks of the plan the State gives no info for read as Pebble just started them
    # (ops[testing] 8.9 left them out).
    assert checks["ready"][0] == pebble.CheckStatus.UP
    assert checks["off"][0] == OFF_STATUS


def test_get_checks_filters_by_level_and_name():
    def probe(c):
        return sorted(c.get_checks(level=pebble.CheckLevel.READY)), sorted(
            c.get_checks("alive", "off")
        )

    (by_level, by_name), _ = in_charm(probe, checks_container(check_infos={down_alive()}))
    assert by_level == ["ready"]
    assert by_name == ["alive", "off"]


def test_get_check_of_an_info():
    container = checks_container(check_infos={down_alive()})
    status, _ = in_charm(lambda c: c.get_check("alive").status, container)
    assert status == pebble.CheckStatus.DOWN


def test_get_checks_answers_while_disconnected():
    # As ops[testing] 8.9 does (Scenario 5 runs need can_connect for it).
    container = checks_container(can_connect=False, check_infos={down_alive()})
    with pytest.warns(JujuStricterWarning, match='get_checks on container "foo"'):
        status, _ = in_charm(lambda c: c.get_checks()["alive"].status, container)
    assert status == pebble.CheckStatus.DOWN


def test_add_layer_starts_its_checks_in_the_output():
    def probe(c):
        c.add_layer("checks", CHECKS_LAYER)
        return {name: i.status for name, i in c.get_checks().items()}

    statuses, out = in_charm(probe, Container("foo", can_connect=True))
    infos = {i.name: i for i in out.get_container("foo").check_infos}
    assert sorted(infos) == ["alive", "off", "ready"]
    assert infos["alive"].status == pebble.CheckStatus.UP
    assert infos["alive"].change_id
    assert infos["alive"].threshold == 5
    assert infos["alive"].level == pebble.CheckLevel.ALIVE
    assert infos["off"].status == OFF_STATUS
    assert bool(infos["off"].change_id) is not HAS_CHECK_STARTUP
    assert statuses == {name: info.status for name, info in infos.items()}


def test_replan_starts_stopped_enabled_checks():
    stopped = CheckInfo("ready", level="ready", status=INACTIVE)
    _, out = in_charm(lambda c: c.replan(), checks_container(check_infos={stopped}))
    infos = {i.name: i for i in out.get_container("foo").check_infos}
    assert infos["ready"].status == pebble.CheckStatus.UP
    assert infos["ready"].change_id
    assert infos["alive"].status == pebble.CheckStatus.UP
    # A disabled check is not started by a replan.
    assert ("off" in infos) is not HAS_CHECK_STARTUP


def start_checks(c, *names):
    # ops 2.10's Container has no start_checks/stop_checks (ops 2.18 added them); the mock
    # client has them on every ops, so on 2.10 the charm calls the client directly.
    if hasattr(c, "start_checks"):
        return c.start_checks(*names)
    return c.pebble.start_checks(list(names))


def stop_checks(c, *names):
    if hasattr(c, "stop_checks"):
        return c.stop_checks(*names)
    return c.pebble.stop_checks(list(names))


def test_stop_and_start_checks_change_the_output_status():
    def probe(c):
        stopped = stop_checks(c, "alive", "off")
        again = stop_checks(c, "alive")
        return stopped, again, c.get_check("alive").status

    (stopped, again, status), out = in_charm(probe, checks_container(check_infos={down_alive()}))
    # A disabled check is not running, so there was nothing to stop.
    assert stopped == (["alive"] if HAS_CHECK_STARTUP else ["alive", "off"])
    assert again == []
    assert status == INACTIVE
    info = out.get_container("foo").get_check_info("alive")
    assert info.status == INACTIVE
    assert not info.change_id

    started, out = in_charm(
        lambda c: start_checks(c, "alive", "ready", "off"), out.get_container("foo")
    )
    # "ready" was running; "off" had stopped (disabled, or stopped above).
    assert started == ["alive", "off"]
    info = out.get_container("foo").get_check_info("alive")
    assert (info.status, info.failures) == (pebble.CheckStatus.UP, 0)
    assert info.change_id


def test_start_an_unknown_check():
    container = checks_container()
    err = raises_in_charm(pebble.APIError, lambda c: start_checks(c, "alive", "nope"), container)
    assert err.code == 404
    assert err.message == 'cannot find check with name "nope"'


def test_stop_checks_needs_pebble():
    container = checks_container(can_connect=False, check_infos={down_alive()})
    err = raises_in_charm(pebble.ConnectionError, lambda c: stop_checks(c, "alive"), container)
    assert "can_connect" in str(err)


@pytest.mark.parametrize("kind", ["failed", "recovered"])
def test_check_events_carry_the_check(kind):
    info = down_alive()
    container = checks_container(check_infos={info})
    ctx = Context(ProbeCharm, meta=META)
    event = getattr(ctx.on, f"pebble_check_{kind}")(container, info)
    ProbeCharm.seen = None
    if not HAS_CHECK_EVENTS:
        # ops 2.10 has no check events, so there is nothing to emit; what ops 2.10 has is
        # get_check, tested above.
        with pytest.raises(NoObserverError):
            ctx.run(event, State(containers={container}))
        assert ProbeCharm.seen is None
        return
    ctx.run(event, State(containers={container}))
    name = "PebbleCheckFailedEvent" if kind == "failed" else "PebbleCheckRecoveredEvent"
    assert ProbeCharm.seen == (name, "alive", pebble.CheckStatus.DOWN)


# =========================================================================================
# notices
# =========================================================================================

T0 = "2024-05-01T10:00:00+00:00"


def notice(key, **kwargs):
    for field in ("first_occurred", "last_occurred", "last_repeated"):
        kwargs.setdefault(field, T0)
    return Notice(key, **kwargs)


PUBLIC = notice(
    "example.com/public", last_data={"k": "v"}, last_repeated="2024-05-01T12:00:00+00:00"
)
ROOTS = notice(
    "example.com/root", user_id=0, type="change-update", last_repeated="2024-05-01T11:00:00+00:00"
)
USERS = notice("example.com/user", user_id=1000)


def notices_container(**kwargs):
    kwargs.setdefault("can_connect", True)
    return Container("foo", notices=[PUBLIC, ROOTS, USERS], **kwargs)


def keys(notices):
    return [n.key for n in notices]


def test_get_notices_of_the_charm_sorted_by_last_repeated():
    found, _ = in_charm(lambda c: c.get_notices(), notices_container())
    # The charm asks as root: root's notices and public ones, least recently repeated first.
    assert keys(found) == ["example.com/root", "example.com/public"]
    public = found[1]
    assert isinstance(public, pebble.Notice)
    assert public.id == PUBLIC.id
    assert public.type == pebble.NoticeType.CUSTOM
    assert public.last_data == {"k": "v"}
    assert public.occurrences == 1
    assert public.user_id is None


def test_get_notices_of_a_user_and_of_all():
    def probe(c):
        return keys(c.get_notices(user_id=1000)), keys(c.get_notices(**ALL_USERS))

    (theirs, every), _ = in_charm(probe, notices_container())
    assert theirs == ["example.com/user", "example.com/public"]
    assert every == ["example.com/user", "example.com/root", "example.com/public"]


def test_get_notices_by_type_and_key():
    # ops[testing] 8.9 matched no notice by type (it compared the enum with strings).
    def probe(c):
        return (
            keys(c.get_notices(types=[pebble.NoticeType.CUSTOM], **ALL_USERS)),
            keys(c.get_notices(types=["change-update"])),
            keys(c.get_notices(keys=["example.com/public", "example.com/user"])),
        )

    (custom, changes, by_key), _ = in_charm(probe, notices_container())
    assert custom == ["example.com/user", "example.com/public"]
    assert changes == ["example.com/root"]
    assert by_key == ["example.com/public"]


def test_get_notices_all_users_and_one_user_conflict():
    err = raises_in_charm(
        pebble.APIError, lambda c: c.get_notices(user_id=1, **ALL_USERS), notices_container()
    )
    assert err.code == 400


def test_get_notice_by_id():
    def probe(c):
        found = c.get_notice(ROOTS.id)
        with pytest.raises(ops.ModelError):
            c.get_notice("no-such-id")
        return found

    found, _ = in_charm(probe, notices_container())
    assert (found.key, found.type, found.user_id) == ("example.com/root", CHANGE_UPDATE, 0)
    assert found.last_repeated.isoformat() == "2024-05-01T11:00:00+00:00"


def test_get_notices_answers_while_disconnected():
    # As ops[testing] 8.9 does (Scenario 5 runs need can_connect for it).
    with pytest.warns(JujuStricterWarning, match='get_notices on container "foo"'):
        found, _ = in_charm(lambda c: keys(c.get_notices()), notices_container(can_connect=False))
    assert found == ["example.com/root", "example.com/public"]


def test_custom_notice_event_carries_the_notice():
    container = notices_container()
    ctx = Context(ProbeCharm, meta=META)
    ProbeCharm.seen = None
    ctx.run(ctx.on.pebble_custom_notice(container, PUBLIC), State(containers={container}))
    notice_id, notice_type, key, last_data = ProbeCharm.seen
    assert (notice_id, key) == (PUBLIC.id, "example.com/public")
    assert notice_type == pebble.NoticeType.CUSTOM
    # Beyond id, type and key, ops asks Pebble for the notice.
    assert last_data == {"k": "v"}


# =========================================================================================
# A container declared in metadata but missing from the State
# =========================================================================================


def test_missing_container_cannot_be_reached():
    # ops[testing] 8.9 raised RuntimeError for these, even from can_connect(); a missing
    # container is one whose Pebble is not up yet, as in an install hook.
    def probe(c):
        with pytest.raises(pebble.ConnectionError) as info:
            c.push("/f", "x")
        with pytest.raises(pebble.ConnectionError):
            c.exec(["ls"])
        return c.can_connect(), str(info.value)

    (connected, message), _ = in_charm(probe, state=State())
    assert connected is False
    assert "foo" in message


def test_missing_container_has_no_checks_or_notices():
    # As in ops[testing] 8.9, these reads answer for a container the State lacks.
    found, _ = in_charm(lambda c: (dict(c.get_checks()), c.get_notices()), state=State())
    assert found == ({}, [])


# =========================================================================================
# The container filesystem across runs
# =========================================================================================


def test_filesystem_is_wiped_at_the_start_of_every_run():
    ctx = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    state = State(containers={container})
    in_charm(lambda c: c.push("/from-run-1", "x"), ctx=ctx, state=state)
    root = container.get_filesystem(ctx)
    assert (root / "from-run-1").read_text() == "x"
    (root / "planted").write_text("by the test")

    # A run that does not touch the container still starts it empty.
    in_charm(lambda c: None, ctx=ctx, state=state)
    assert not (root / "from-run-1").exists()
    assert not (root / "planted").exists()


def test_a_notice_with_naive_times_reads_back_as_given():
    # ops[testing] hands a Notice's datetimes to the charm unchanged, naive ones too.
    import datetime

    when = datetime.datetime(2020, 1, 1, 12, 30)

    class NoticeCharm(ops.CharmBase):
        seen: ClassVar[list] = []

        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            framework.observe(self.on.foo_pebble_custom_notice, self._on_notice)

        def _on_notice(self, event: ops.PebbleCustomNoticeEvent):
            notices = event.workload.get_notices(**ALL_USERS)
            NoticeCharm.seen = [(n.first_occurred, n.last_repeated) for n in notices]

    times = {"first_occurred": when, "last_occurred": when, "last_repeated": when}
    notice = Notice(key="example.com/a", **times)
    assert notice.first_occurred == when
    container = Container("foo", can_connect=True, notices=[notice])
    ctx = Context(NoticeCharm, meta=META)
    ctx.run(ctx.on.pebble_custom_notice(container, notice), State(containers={container}))
    assert NoticeCharm.seen == [(when, when)]
