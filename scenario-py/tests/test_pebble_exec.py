"""Pebble's exec, under both APIs: mocks by command prefix (``Exec``, the longest prefix
wins) and exact ones (``exec_mock``, which wins over both), what ``ctx.exec_history``
records (``ops.testing.ExecArgs``), and the process ops's client gives the charm (its
streams, ``wait``, ``wait_output``, ``encoding``, ``combine_stderr``, a service context,
signals). An unmocked command is where the APIs differ: ``ExecError`` 127 under
ops[testing], ``RuntimeError`` under Scenario 5.
"""

import dataclasses
import gc
import io
import signal

import pytest
from apis import ops_testing, scenario_5
from charm_probe import META, ProbeCharm, in_charm, raises_in_charm
from ops import pebble

from scenario import Container, Context, Exec, ExecOutput
from scenario.errors import JujuStricterWarning

# =========================================================================================
# Mocks by command prefix (Exec), and ctx.exec_history
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
def test_exec_the_longest_matching_prefix_wins(api, command, stdout):
    out, _ = in_charm(api, lambda c: c.exec(command).wait_output()[0], git_container())
    assert out == stdout


def test_exec_return_code_and_stderr_of_the_match(api):
    err = raises_in_charm(
        api,
        pebble.ExecError,
        lambda c: c.exec(["git", "push", "origin"]).wait_output(),
        git_container(),
    )
    assert (err.exit_code, err.stdout, err.stderr) == (1, "", "rejected\n")
    assert err.command == ["git", "push", "origin"]


def test_exec_the_empty_prefix_catches_every_command(api):
    container = Container("foo", can_connect=True, execs={Exec([], stdout="any\n"), *GIT})
    out, _ = in_charm(
        api,
        lambda c: (c.exec(["ls"]).wait_output()[0], c.exec(["gi"]).wait_output()[0]),
        container,
    )
    assert out == ("any\n", "any\n")


def test_exec_no_match_is_exec_error_127_under_ops_testing(testing):
    """ops[testing] gives an unmocked command's process ExecError 127; Scenario 5 raises
    RuntimeError from exec itself
    (test_exec_unmocked_command_is_runtime_error_under_scenario_5)."""
    err = raises_in_charm(
        ops_testing(testing), pebble.ExecError, lambda c: c.exec(["svn", "up"]), git_container()
    )
    assert err.command == ["svn", "up"]
    assert err.exit_code == 127
    assert err.stdout == ""
    assert err.stderr.startswith("mock for cmd ['svn', 'up'] not found. Please patch out")
    # The message says how to mock it.
    assert "Exec(['svn', 'up'], ...)" in err.stderr


def test_exec_no_match_records_nothing_under_ops_testing(testing):
    ctx = testing.Context(ProbeCharm, meta=META)
    raises_in_charm(
        ops_testing(testing), pebble.ExecError, lambda c: c.exec(["svn"]), git_container(), ctx=ctx
    )
    assert ctx.exec_history == {}


def test_exec_an_exact_exec_mock_comes_first(api):
    container = git_container(exec_mock={("git", "log"): ExecOutput(stdout="exact\n")})

    def probe(c):
        return c.exec(["git", "log"]).wait_output()[0], c.exec(["git", "log", "-2"]).wait_output()[
            0
        ]

    out, _ = in_charm(api, probe, container)
    assert out == ("exact\n", "git\n")


def test_exec_history_records_each_matched_command_as_exec_args(api):
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

    in_charm(api, probe, git_container(), ctx=ctx)
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
    assert second.encoding == "utf-8"


def test_exec_history_accumulates_across_runs(api):
    ctx = Context(ProbeCharm, meta=META)
    in_charm(api, lambda c: c.exec(["git"]).wait(), git_container(), ctx=ctx)
    in_charm(api, lambda c: c.exec(["git", "log", "-1"]).wait(), git_container(), ctx=ctx)
    assert [a.command for a in ctx.exec_history["foo"]] == [["git"], ["git", "log", "-1"]]


@pytest.mark.parametrize(
    "stdin, encoding, recorded",
    [
        (lambda: "text in", "utf-8", "text in"),
        (lambda: b"bytes in", None, b"bytes in"),
        (lambda: io.StringIO("from a file"), "utf-8", "from a file"),
        (lambda: io.BytesIO(b"from a binary file"), None, b"from a binary file"),
    ],
    ids=["str", "bytes", "text-file", "binary-file"],
)
def test_exec_history_records_given_stdin(api, stdin, encoding, recorded):
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"], stdin=stdin(), encoding=encoding)
        return proc.stdin

    proc_stdin, _ = in_charm(api, probe, git_container(), ctx=ctx)
    # With stdin given, the process has no stdin of its own.
    assert proc_stdin is None
    assert ctx.exec_history["foo"][0].stdin == recorded


def test_exec_without_stdin_records_what_the_charm_writes(api):
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"])
        proc.stdin.write("line 1\n")
        proc.stdin.write("line 2\n")
        proc.stdin.close()
        return proc.wait_output()

    out, _ = in_charm(api, probe, git_container(), ctx=ctx)
    assert out == ("git\n", "")
    assert ctx.exec_history["foo"][0].stdin == "line 1\nline 2\n"


def test_exec_without_stdin_binary(api):
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"], encoding=None)
        proc.stdin.write(b"\x00\x01")
        proc.wait()

    in_charm(api, probe, git_container(), ctx=ctx)
    assert ctx.exec_history["foo"][0].stdin == b"\x00\x01"


def test_exec_stdin_is_recorded_even_if_the_charm_never_waits(api):
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        proc = c.exec(["git"])
        proc.stdin.write("unwaited")
        del proc
        gc.collect()

    in_charm(api, probe, git_container(), ctx=ctx)
    assert ctx.exec_history["foo"][0].stdin == "unwaited"


def test_exec_wait_ok_and_non_zero(api):
    assert in_charm(api, lambda c: c.exec(["git"]).wait(), git_container())[0] is None
    err = raises_in_charm(
        api, pebble.ExecError, lambda c: c.exec(["git", "push"]).wait(), git_container()
    )
    assert (err.command, err.exit_code, err.stdout, err.stderr) == (["git", "push"], 1, None, None)


def test_exec_streams_then_wait_output_gives_what_is_left(api):
    container = Container("foo", can_connect=True, execs={Exec(["cat"], stdout="one\ntwo\n")})

    def probe(c):
        proc = c.exec(["cat"])
        first = proc.stdout.readline()
        return first, proc.wait_output()

    (first, (rest, err)), _ = in_charm(api, probe, container)
    assert first == "one\n"
    assert rest == "two\n"
    assert err == ""


def test_exec_encoding_none_gives_bytes(api):
    # ops[testing] 8.9 raised ValueError for every encoding=None exec; ops's client gives bytes.
    container = Container(
        "foo", can_connect=True, execs={Exec(["x"], return_code=2, stdout="ø", stderr="e")}
    )

    def probe(c):
        proc = c.exec(["x"], encoding=None)
        return proc.stdout.read(), proc.stderr.read()

    out, _ = in_charm(api, probe, container)
    assert out == ("ø".encode(), b"e")
    err = raises_in_charm(
        api, pebble.ExecError, lambda c: c.exec(["x"], encoding=None).wait_output(), container
    )
    assert (err.stdout, err.stderr) == ("ø".encode(), b"e")


def test_exec_output_into_given_files(api):
    def probe(c):
        out, err = io.StringIO(), io.StringIO()
        proc = c.exec(["git", "push"], stdout=out, stderr=err)
        with pytest.raises(TypeError):
            proc.wait_output()
        with pytest.raises(pebble.ExecError):
            proc.wait()
        return proc.stdout, proc.stderr, out.getvalue(), err.getvalue()

    out, _ = in_charm(api, probe, git_container())
    assert out == (None, None, "", "rejected\n")


def test_exec_output_into_a_binary_file(api):
    def probe(c):
        out = io.BytesIO()
        c.exec(["git"], stdout=out, encoding=None).wait()
        return out.getvalue()

    assert in_charm(api, probe, git_container())[0] == b"git\n"


def test_exec_combine_stderr(api):
    container = Container(
        "foo", can_connect=True, execs={Exec(["x"], stdout="out\n", stderr="err\n")}
    )

    def probe(c):
        proc = c.exec(["x"], combine_stderr=True)
        return proc.stderr, proc.wait_output()

    out, _ = in_charm(api, probe, container)
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
def test_exec_arguments_are_checked_as_ops_does(api, kwargs, exc_type):
    ctx = Context(ProbeCharm, meta=META)
    raises_in_charm(api, exc_type, lambda c: c.exec(["git"], **kwargs), git_container(), ctx=ctx)
    assert ctx.exec_history == {}


def test_exec_in_a_service_context(api):
    # ops[testing] 8.9 ignored service_context; Pebble runs the command as the service runs.
    # (ops refuses a service context before Juju 3.4, and Scenario 5 runs default to 3.0.)
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
    ctx = Context(ProbeCharm, meta=META, juju_version="3.4.0")
    container = git_container(layers={"base": layer})
    in_charm(
        api,
        lambda c: c.exec(["git"], service_context="web", environment={"B": "call"}),
        container,
        ctx=ctx,
    )
    args = ctx.exec_history["foo"][0]
    assert args.environment == {"A": "service", "B": "call"}
    assert (args.working_dir, args.user) == ("/srv", "www")


def test_exec_in_an_unknown_service_context(api):
    err = raises_in_charm(
        api,
        pebble.APIError,
        lambda c: c.exec(["git"], service_context="nope"),
        git_container(),
        ctx=Context(ProbeCharm, meta=META, juju_version="3.4.0"),
    )
    assert err.code == 500
    assert "nope" in err.message


def test_exec_send_signal_reaches_nothing(api):
    # The mocked command has already run to its outcome: a signal changes nothing, and a
    # bad signal number is refused as ops's client refuses it.
    def probe(c):
        proc = c.exec(["git"])
        proc.send_signal("SIGTERM")
        proc.send_signal(signal.SIGHUP)
        with pytest.raises(ValueError):
            proc.send_signal(99999)
        return proc.wait_output()

    assert in_charm(api, probe, git_container())[0] == ("git\n", "")


def test_stdout_and_stderr_files_receive_the_output(api):
    container = Container(
        "foo", can_connect=True, execs={Exec(["ls", "-l"], stdout="long", stderr="e")}
    )

    def work(c):
        out, err = io.StringIO(), io.StringIO()
        process = c.exec(["ls", "-l"], stdout=out, stderr=err)
        process.wait()
        return out.getvalue(), err.getvalue(), process.stdout, process.stderr

    result, _ = in_charm(api, work, container)
    assert result == ("long", "e", None, None)


def test_exec_without_an_encoding_differs_from_8_9(testing):
    """8.9's exec with ``encoding=None`` always fails (with ``ValueError``); this package
    gives bytes (test_exec_encoding_none_gives_bytes)."""
    import scenario

    container = testing.Container(
        "foo", can_connect=True, execs={testing.Exec(["ls", "-l"], stdout="long", stderr="e")}
    )

    def call(c):
        return c.exec(["ls", "-l"], encoding=None).wait_output()

    if hasattr(scenario, "_scenario"):
        assert in_charm(ops_testing(testing), call, container)[0] == (b"long", b"e")
    else:
        raises_in_charm(ops_testing(testing), ValueError, call, container)


# =========================================================================================
# Exact mocks (exec_mock)
# =========================================================================================


EXEC_MOCK = {
    ("echo", "hi"): ExecOutput(return_code=0, stdout="hi\n", stderr="warn\n"),
    ("false",): ExecOutput(return_code=1, stdout="partial\n", stderr="it failed\n"),
    ("exit", "3"): ExecOutput(return_code=3),
}


def exec_mock_container(**kwargs):
    return Container("foo", can_connect=True, exec_mock=EXEC_MOCK, **kwargs)


def test_exec_return_code_zero(api):
    def probe(c):
        proc = c.exec(["echo", "hi"])
        waited = proc.wait()
        return waited, proc.wait_output()

    (waited, (stdout, stderr)), _ = in_charm(api, probe, exec_mock_container())
    assert waited is None
    assert stdout == "hi\n"
    assert stderr == "warn\n"


def test_exec_streams(api):
    def probe(c):
        proc = c.exec(["echo", "hi"])
        return proc.stdout.read(), proc.stderr.read()

    (stdout, stderr), _ = in_charm(api, probe, exec_mock_container())
    assert stdout == "hi\n"
    assert stderr == "warn\n"


def test_exec_non_zero_wait_raises_exec_error(api):
    err = raises_in_charm(
        api, pebble.ExecError, lambda c: c.exec(["false"]).wait(), exec_mock_container()
    )
    assert err.exit_code == 1
    assert err.command == ["false"]
    assert "false" in str(err)


def test_exec_non_zero_wait_output_raises_exec_error_with_output(api):
    # Deliberate difference: the ExecError carries stdout/stderr (5.8.1 gave None).
    err = raises_in_charm(
        api, pebble.ExecError, lambda c: c.exec(["false"]).wait_output(), exec_mock_container()
    )
    assert err.exit_code == 1
    assert err.command == ["false"]
    assert err.stdout == "partial\n"
    assert err.stderr == "it failed\n"


def test_exec_non_zero_without_output(api):
    err = raises_in_charm(
        api, pebble.ExecError, lambda c: c.exec(["exit", "3"]).wait_output(), exec_mock_container()
    )
    assert err.exit_code == 3
    assert err.command == ["exit", "3"]


def test_exec_unmocked_command_is_runtime_error_under_scenario_5():
    """RuntimeError, not ExecError, as in 5.8.1 (ops[testing] gives ExecError 127:
    test_exec_no_match_is_exec_error_127_under_ops_testing); the message also lists the
    mocked commands."""
    err = raises_in_charm(
        scenario_5(), RuntimeError, lambda c: c.exec(["rm", "-rf", "/"]), exec_mock_container()
    )
    assert not isinstance(err, pebble.ExecError)
    message = str(err)
    assert "rm" in message and "-rf" in message
    assert "echo" in message and "false" in message


def test_exec_mock_matches_the_full_command_only_under_scenario_5():
    # An exec_mock entry is the whole command (Exec is a prefix); a command it does not
    # match is unmocked, a RuntimeError under Scenario 5.
    api = scenario_5()
    err = raises_in_charm(api, RuntimeError, lambda c: c.exec(["echo"]), exec_mock_container())
    assert "echo" in str(err)
    raises_in_charm(
        api, RuntimeError, lambda c: c.exec(["echo", "hi", "there"]), exec_mock_container()
    )


def test_exec_kwargs_are_accepted(api):
    def probe(c):
        proc = c.exec(
            ["echo", "hi"],
            environment={"X": "1"},
            working_dir="/tmp",
            timeout=5,
            user="root",
            group="root",
        )
        return proc.wait_output()[0]

    stdout, _ = in_charm(api, probe, exec_mock_container())
    assert stdout == "hi\n"


def test_exec_works_while_disconnected(api):
    # 5.8.1 did not check the connection for exec; a unit's Pebble would refuse.
    with pytest.warns(JujuStricterWarning, match='exec on container "foo" while its Pebble'):
        stdout, _ = in_charm(
            api,
            lambda c: c.exec(["echo", "hi"]).wait_output()[0],
            Container("foo", can_connect=False, exec_mock=EXEC_MOCK),
        )
    assert stdout == "hi\n"


def test_exec(testing):
    ex = testing.Exec(["ls", "-l"], return_code=1, stdout="out", stderr="err")
    assert ex.command_prefix == ("ls", "-l")
    assert (ex.return_code, ex.stdout, ex.stderr) == (1, "out", "err")
    defaults = testing.Exec(["ls"])
    assert (defaults.return_code, defaults.stdout, defaults.stderr) == (0, "", "")
    assert hash(ex) == hash(dataclasses.replace(ex))
