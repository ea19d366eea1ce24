"""Scenario 5.8's README: "Containers", "Container filesystem setup", "Container filesystem
post-mortem" and "`Container.exec` mocks". Each example runs as written there (where one
was wrong as written, the fix is made and marked with a comment): through both APIs where
its code is the same but for the run; the exec example, which the two APIs write
differently, once each.
"""

import tempfile
from pathlib import Path
from typing import ClassVar

import ops
import pytest
from ops.charm import CharmBase

from scenario import Container, Context, Event, ExecOutput, Mount, State
from scenario.errors import JujuStricterWarning

# --- Containers ---------------------------------------------------------------------------


class ConnectCharm(CharmBase):
    """Records, for each container, what `can_connect()` says."""

    seen: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        ConnectCharm.seen = {
            name: self.unit.get_container(name).can_connect() for name in ("foo", "bar")
        }


class NoContainersCharm(CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        NoContainersCharm.seen.append(dict(self.unit.containers))


def test_containers_null_state_has_none(api):
    # "When using the null state (State()), there will be no containers."
    NoContainersCharm.seen = []
    api.run(Context(NoContainersCharm, meta={"name": "foo"}), "start", State())
    assert NoContainersCharm.seen == [{}]


def test_containers_state_example(api):
    state = State(
        containers=[
            Container(name="foo", can_connect=True),
            Container(name="bar", can_connect=False),
        ]
    )
    ctx = Context(ConnectCharm, meta={"name": "foo", "containers": {"foo": {}, "bar": {}}})
    ConnectCharm.seen = {}
    api.run(ctx, "start", state)
    # "self.unit.get_container('foo').can_connect() would return True, while for 'bar' it
    # would give False."
    assert ConnectCharm.seen == {"foo": True, "bar": False}


# --- Container filesystem setup -------------------------------------------------------------


class PullCharm(CharmBase):
    content: ClassVar[str] = ""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        foo = self.unit.get_container("foo")
        content = foo.pull("/local/share/config.yaml").read()
        PullCharm.content = content


def test_filesystem_setup_mounted_file_is_pulled(api, tmp_path):
    # The README's '/path/to/local/real/file.txt', made real under tmp_path.
    local_file = tmp_path / "file.txt"
    local_file.write_text("key: value\n")

    container = Container(
        name="foo",
        can_connect=True,
        mounts={"local": Mount("/local/share/config.yaml", local_file)},
    )
    state = State(containers=[container])

    PullCharm.content = ""
    api.run(Context(PullCharm, meta={"name": "foo", "containers": {"foo": {}}}), "start", state)
    # "then content would be the contents of our locally-supplied file.txt"
    assert PullCharm.content == "key: value\n"


def test_filesystem_setup_mounted_file_str_src(tmp_path):
    # The same with the mount's src given as a str, as in the push example below.
    local_file = tmp_path / "file.txt"
    local_file.write_text("from a str path")
    container = Container(
        name="foo",
        can_connect=True,
        mounts={"local": Mount("/local/share/config.yaml", str(local_file))},
    )
    PullCharm.content = ""
    Context(PullCharm, meta={"name": "foo", "containers": {"foo": {}}}).run(
        "start", State(containers=[container])
    )
    assert PullCharm.content == "from a str path"


class MyCharm(CharmBase):
    def __init__(self, *args):
        super().__init__(*args)
        self.framework.observe(self.on.foo_pebble_ready, self._on_pebble_ready)

    def _on_pebble_ready(self, _):
        foo = self.unit.get_container("foo")
        foo.push("/local/share/config.yaml", "TEST", make_dirs=True)


def test_pebble_push(api):
    with tempfile.NamedTemporaryFile() as local_file:
        container = Container(
            name="foo",
            can_connect=True,
            mounts={"local": Mount("/local/share/config.yaml", local_file.name)},
        )
        state_in = State(containers=[container])
        ctx = Context(MyCharm, meta={"name": "foo", "containers": {"foo": {}}})
        ctx.run(api.event(ctx, "pebble_ready", container), state_in)
        assert local_file.read().decode() == "TEST"


def test_pebble_ready_event_is_sugar_for_event_with_container():
    # "container.pebble_ready_event is syntactic sugar for:
    # Event("foo-pebble-ready", container=container)"
    container = Container(name="foo", can_connect=True)
    assert container.pebble_ready_event == Event("foo-pebble-ready", container=container)
    assert container.pebble_ready_event.container == container
    # The README also calls it: `container.pebble_ready_event()` is the same event.
    assert container.pebble_ready_event() == container.pebble_ready_event


# --- Container filesystem post-mortem ---------------------------------------------------------


def test_pebble_push_post_mortem(api):
    container = Container(name="foo", can_connect=True)
    state_in = State(containers=[container])
    # Scenario 5.8's README never defines `ctx`, and runs "start" although the charm
    # only observes pebble-ready (so nothing would be pushed). Here the Context is named
    # and the pebble-ready event is run.
    ctx = Context(MyCharm, meta={"name": "foo", "containers": {"foo": {}}})
    ctx.run(api.event(ctx, "pebble_ready", container), state_in)

    # this is the root of the simulated container filesystem.
    container_root_fs = container.get_filesystem(ctx)
    cfg_file = container_root_fs / "local" / "share" / "config.yaml"
    assert cfg_file.read_text() == "TEST"


def test_post_mortem_start_as_written_pushes_nothing():
    # The README as written runs "start": MyCharm does not observe it, so nothing is pushed.
    container = Container(name="foo", can_connect=True)
    ctx = Context(MyCharm, meta={"name": "foo", "containers": {"foo": {}}})
    ctx.run("start", State(containers=[container]))
    cfg_file = Path(container.get_filesystem(ctx)) / "local" / "share" / "config.yaml"
    assert not cfg_file.exists()


# --- Container.exec mocks -------------------------------------------------------------------

LS_LL = """
.rw-rw-r--  228 ubuntu ubuntu 18 jan 12:05 -- charmcraft.yaml
.rw-rw-r--  497 ubuntu ubuntu 18 jan 12:05 -- config.yaml
.rw-rw-r--  900 ubuntu ubuntu 18 jan 12:05 -- CONTRIBUTING.md
drwxrwxr-x    - ubuntu ubuntu 18 jan 12:06 -- lib
"""


class ExecCharm(CharmBase):
    # The README's MyCharm defines `_on_start` but observes nothing, so the handler (and its
    # assertion) would never run. Here it is wired to the event the test runs, and it
    # records what it saw so that the test can check the charm did see LS_LL.
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_pebble_ready, self._on_start)

    def _on_start(self, _):
        foo = self.unit.get_container("foo")
        proc = foo.exec(["ls", "-ll"])
        stdout, _ = proc.wait_output()
        assert stdout == LS_LL
        ExecCharm.seen.append(stdout)


def test_pebble_exec():
    container = Container(
        name="foo",
        exec_mock={
            ("ls", "-ll"): ExecOutput(  # this is the command we're mocking
                return_code=0,  # this data structure contains all we need to mock the call.
                stdout=LS_LL,
            )
        },
    )
    state_in = State(containers=[container])
    ExecCharm.seen = []
    # The README leaves can_connect at False, where a unit's Pebble refuses exec: it runs,
    # as in 5.8.1, and says so.
    with pytest.warns(JujuStricterWarning, match='exec on container "foo"'):
        state_out = Context(
            ExecCharm,
            meta={"name": "foo", "containers": {"foo": {}}},
        ).run(
            container.pebble_ready_event,
            state_in,
        )
    assert ExecCharm.seen == [LS_LL]
    # The exec mock is part of the State and comes out unchanged.
    assert state_out.get_container("foo").exec_mock == container.exec_mock


class ReadmeExecCharm(CharmBase):
    """The README's MyCharm exactly: `_on_start` is defined but observes nothing."""

    ran: ClassVar[bool] = False

    def _on_start(self, _):
        ReadmeExecCharm.ran = True
        foo = self.unit.get_container("foo")
        proc = foo.exec(["ls", "-ll"])
        stdout, _ = proc.wait_output()
        assert stdout == LS_LL


def test_pebble_exec_as_written_runs_nothing():
    container = Container(
        name="foo",
        exec_mock={("ls", "-ll"): ExecOutput(return_code=0, stdout=LS_LL)},
    )
    ReadmeExecCharm.ran = False
    state_out = Context(ReadmeExecCharm, meta={"name": "foo", "containers": {"foo": {}}}).run(
        container.pebble_ready_event, State(containers=[container])
    )
    assert ReadmeExecCharm.ran is False
    assert state_out.unit_status == ops.UnknownStatus()


def test_pebble_exec_as_ops_testing_writes_it(testing):
    """The same example in ops[testing]'s idiom: the mock is an ``Exec`` (a command prefix)
    in ``execs``, where Scenario 5 gave ``exec_mock`` (the whole command); the container can
    connect."""
    container = testing.Container(
        "foo", can_connect=True, execs={testing.Exec(["ls", "-ll"], stdout=LS_LL)}
    )
    ExecCharm.seen = []
    ctx = testing.Context(ExecCharm, meta={"name": "foo", "containers": {"foo": {}}})
    ctx.run(ctx.on.pebble_ready(container), testing.State(containers={container}))
    assert ExecCharm.seen == [LS_LL]
