"""The container filesystem through Pebble, under both APIs: push, pull, list_files,
exists, isdir, make_dir, remove_path, push_path and pull_path, as a charm calls them through
``ops.Container``; mounts (a host directory or file shown at a path of the container); and
the filesystem across runs (each run starts empty; the test reads it after the run).

Behaviour is the originals' (Scenario 5.8.1's Harness Pebble client over a directory per
container, which ops[testing] 8.9 kept) except where the README's "Where this differs"
lists say otherwise; those tests say so in a comment. That no path leaves the container
root and its mounts is test_pebble_confinement.py's.
"""

import dataclasses
import io
import pathlib
import tempfile
import warnings
from pathlib import Path, PurePosixPath
from typing import ClassVar

import ops
import pytest
from charm_probe import META, ProbeCharm, api_error, in_charm, path_error, raises_in_charm
from ops import pebble

from scenario import Container, Context, Mount, State


def test_push_str_then_pull_text(api):
    def probe(c):
        c.push("/app.conf", "hello\nworld")
        return c.pull("/app.conf").read()

    content, _ = in_charm(api, probe)
    assert content == "hello\nworld"


def test_push_str_with_encoding(api):
    def probe(c):
        c.push("/latin.txt", "caf\u00e9", encoding="latin-1")
        return c.pull("/latin.txt", encoding=None).read()

    data, _ = in_charm(api, probe)
    assert data == b"caf\xe9"


def test_push_bytes_then_pull_bytes(api):
    payload = bytes(range(256))

    def probe(c):
        c.push("/blob.bin", payload)
        return c.pull("/blob.bin", encoding=None).read()

    data, _ = in_charm(api, probe)
    assert data == payload
    assert isinstance(data, bytes)


@pytest.mark.parametrize(
    "source, expected",
    [(lambda: io.StringIO("text stream"), "text stream"), (lambda: io.BytesIO(b"bin"), "bin")],
    ids=["text", "binary"],
)
def test_push_file_like(api, source, expected):
    def probe(c):
        c.push("/from-stream", source())
        return c.pull("/from-stream").read()

    content, _ = in_charm(api, probe)
    assert content == expected


def test_push_real_file_object(api, tmp_path):
    local = tmp_path / "local.txt"
    local.write_bytes(b"from disk")

    def probe(c):
        with local.open("rb") as f:
            c.push("/copied", f)
        return c.pull("/copied").read()

    content, _ = in_charm(api, probe)
    assert content == "from disk"


def test_push_make_dirs_creates_parents(api):
    def probe(c):
        c.push("/a/b/c/file.txt", "deep", make_dirs=True)
        return (
            c.pull("/a/b/c/file.txt").read(),
            c.isdir("/a"),
            c.isdir("/a/b/c"),
            c.list_files("/a/b", itself=True)[0].permissions,
        )

    (content, a_is_dir, c_is_dir, parent_mode), _ = in_charm(api, probe)
    assert content == "deep"
    assert a_is_dir and c_is_dir
    # Missing parents are made with mode 0o755, as ops's Harness Pebble (5.8.1's) made them.
    assert parent_mode == 0o755


def test_push_permissions_default_and_explicit(api):
    def probe(c):
        c.push("/default", "x")
        c.push("/private", "x", permissions=0o600)
        c.push("/exec", "x", permissions=0o755)
        return {f.name: f.permissions for f in c.list_files("/")}

    modes, _ = in_charm(api, probe)
    assert modes == {"default": 0o644, "private": 0o600, "exec": 0o755}


@pytest.mark.parametrize("bad", [0o1000, 0o7777, -1])
def test_push_permissions_out_of_range(api, bad):
    err = path_error(api, lambda c: c.push("/f", "x", permissions=bad))
    assert err.kind == "generic-file-error"
    assert "permissions" in err.message
    assert "0o000 to 0o777" in err.message


def test_push_permissions_out_of_range_writes_nothing(api):
    def probe(c):
        with pytest.raises(pebble.PathError):
            c.push("/f", "x", permissions=0o1000)
        return c.exists("/f")

    exists, _ = in_charm(api, probe)
    assert exists is False


def test_push_missing_parent(api):
    err = path_error(api, lambda c: c.push("/no/such/dir/file.txt", "x"))
    assert err.kind == "not-found"
    assert "parent directory not found" in err.message
    assert "/no/such/dir" in err.message


def test_push_parent_is_a_file(api):
    def probe(c):
        c.push("/plain", "i am a file")
        c.push("/plain/child", "x")

    err = path_error(api, probe)
    assert err.kind == "generic-file-error"
    assert "not a directory" in err.message
    assert "/plain/child" in err.message


def test_push_parent_is_a_file_with_make_dirs(api):
    def probe(c):
        c.push("/plain", "i am a file")
        c.push("/plain/sub/child", "x", make_dirs=True)

    err = path_error(api, probe)
    assert err.kind == "generic-file-error"
    assert "not a directory" in err.message
    assert "/plain/sub/child" in err.message


def test_push_onto_a_directory(api):
    def probe(c):
        c.make_dir("/d")
        c.push("/d", "x")

    err = path_error(api, probe)
    assert err.kind == "generic-file-error"
    assert "/d" in err.message


def test_push_relative_path(api):
    err = path_error(api, lambda c: c.push("relative/file", "x", make_dirs=True))
    assert err.kind == "generic-file-error"
    assert "paths must be absolute" in err.message
    assert "relative/file" in err.message


def test_push_overwrites(api):
    def probe(c):
        c.push("/f", "first, longer content")
        c.push("/f", "second")
        return c.pull("/f").read()

    content, _ = in_charm(api, probe)
    assert content == "second"


def test_pull_text_is_str_and_binary_is_bytes(api):
    def probe(c):
        c.push("/f.txt", "\u00e9t\u00e9")
        return c.pull("/f.txt").read(), c.pull("/f.txt", encoding=None).read()

    (text, data), _ = in_charm(api, probe)
    assert text == "\u00e9t\u00e9"
    assert data == "\u00e9t\u00e9".encode()


def test_pull_missing_file(api):
    err = path_error(api, lambda c: c.pull("/does/not/exist"))
    assert err.kind == "not-found"
    assert "/does/not/exist" in err.message
    assert "no such file or directory" in err.message


def test_pull_a_directory(api):
    def probe(c):
        c.make_dir("/some/dir", make_parents=True)
        c.pull("/some/dir")

    err = path_error(api, probe)
    assert err.kind == "generic-file-error"
    assert "can only read a regular file" in err.message
    assert "/some/dir" in err.message


def test_pull_relative_path(api):
    err = path_error(api, lambda c: c.pull("etc/hosts"))
    assert err.kind == "generic-file-error"
    assert "paths must be absolute" in err.message
    assert "etc/hosts" in err.message


def _populate(c):
    c.push("/d/a.txt", "aaa", make_dirs=True)
    c.push("/d/b.yaml", "bb", permissions=0o640)
    c.make_dir("/d/sub")


def test_list_files_directory(api):
    def probe(c):
        _populate(c)
        return [(f.name, f.path, f.type) for f in c.list_files("/d")]

    entries, _ = in_charm(api, probe)
    assert entries == [
        ("a.txt", "/d/a.txt", pebble.FileType.FILE),
        ("b.yaml", "/d/b.yaml", pebble.FileType.FILE),
        ("sub", "/d/sub", pebble.FileType.DIRECTORY),
    ]


def test_list_files_pattern(api):
    def probe(c):
        _populate(c)
        return (
            [f.name for f in c.list_files("/d", pattern="*.txt")],
            [f.name for f in c.list_files("/d", pattern="[ab]*")],
            [f.name for f in c.list_files("/d", pattern="*.nope")],
        )

    (txt, ab, none), _ = in_charm(api, probe)
    assert txt == ["a.txt"]
    assert ab == ["a.txt", "b.yaml"]
    assert none == []


def test_list_files_itself(api):
    def probe(c):
        _populate(c)
        return c.list_files("/d", itself=True)

    infos, _ = in_charm(api, probe)
    assert len(infos) == 1
    assert (infos[0].name, infos[0].path, infos[0].type) == ("d", "/d", pebble.FileType.DIRECTORY)


def test_list_files_root_itself(api):
    infos, _ = in_charm(api, lambda c: c.list_files("/", itself=True))
    assert [(i.name, i.path, i.type) for i in infos] == [("/", "/", pebble.FileType.DIRECTORY)]


def test_list_files_of_a_file_is_that_file(api):
    def probe(c):
        _populate(c)
        return c.list_files("/d/b.yaml")

    infos, _ = in_charm(api, probe)
    assert [(i.name, i.path) for i in infos] == [("b.yaml", "/d/b.yaml")]


def test_list_files_file_info_fields(api):
    def probe(c):
        _populate(c)
        return c.list_files("/d/b.yaml")[0], c.list_files("/d/sub", itself=True)[0]

    (info, sub), _ = in_charm(api, probe)
    assert isinstance(info, pebble.FileInfo)
    assert info.name == "b.yaml"
    assert info.path == "/d/b.yaml"
    assert info.type == pebble.FileType.FILE
    assert info.size == 2
    assert info.permissions == 0o640
    assert sub.type == pebble.FileType.DIRECTORY
    assert sub.permissions == 0o755


def test_list_files_missing_path_is_api_error_404(api):
    err = api_error(api, lambda c: c.list_files("/nowhere/to/be/found"))
    assert err.code == 404
    assert "/nowhere/to/be/found" in err.message


def test_exists_and_isdir(api):
    def probe(c):
        _populate(c)
        return {
            p: (c.exists(p), c.isdir(p))
            for p in ("/", "/d", "/d/a.txt", "/d/sub", "/missing", "/d/a.txt/under-a-file")
        }

    seen, _ = in_charm(api, probe)
    assert seen == {
        "/": (True, True),
        "/d": (True, True),
        "/d/a.txt": (True, False),
        "/d/sub": (True, True),
        "/missing": (False, False),
        "/d/a.txt/under-a-file": (False, False),
    }


def test_mounted_directory_is_a_directory(api, tmp_path):
    # Deliberate difference: mounts are mapped by the resolver, not host symlinks, so a
    # mounted directory lists, exists and isdir as a directory (5.8.1 said "symlink").
    src = tmp_path / "src"
    src.mkdir()
    (src / "inside.txt").write_text("mounted")
    container = Container("foo", can_connect=True, mounts={"data": Mount("/srv/data", src)})

    def probe(c):
        return (
            c.isdir("/srv/data"),
            c.exists("/srv/data/inside.txt"),
            c.list_files("/srv/data", itself=True)[0].type,
            [(f.name, f.type) for f in c.list_files("/srv")],
            [f.path for f in c.list_files("/srv/data")],
            c.pull("/srv/data/inside.txt").read(),
        )

    (isdir, exists, kind, srv, listed, content), _ = in_charm(api, probe, container)
    assert isdir is True
    assert exists is True
    assert kind == pebble.FileType.DIRECTORY
    assert srv == [("data", pebble.FileType.DIRECTORY)]
    assert listed == ["/srv/data/inside.txt"]
    assert content == "mounted"


def test_push_into_mounted_directory_writes_the_host_src(api, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    container = Container("foo", can_connect=True, mounts={"data": Mount("/srv/data", src)})
    in_charm(
        api, lambda c: c.push("/srv/data/new/file.txt", "via mount", make_dirs=True), container
    )
    assert (src / "new" / "file.txt").read_text() == "via mount"


def test_make_dir_simple_and_default_mode(api):
    def probe(c):
        c.make_dir("/newdir")
        return c.isdir("/newdir"), c.list_files("/newdir", itself=True)[0].permissions

    (isdir, mode), _ = in_charm(api, probe)
    assert isdir is True
    assert mode == 0o755


def test_make_dir_make_parents(api):
    def probe(c):
        c.make_dir("/x/y/z", make_parents=True)
        return [c.isdir(p) for p in ("/x", "/x/y", "/x/y/z")]

    seen, _ = in_charm(api, probe)
    assert seen == [True, True, True]


def test_make_dir_existing_without_make_parents(api):
    def probe(c):
        c.make_dir("/exists")
        c.make_dir("/exists")

    err = path_error(api, probe)
    assert err.kind == "generic-file-error"
    assert "file exists" in err.message
    assert "/exists" in err.message


def test_make_dir_existing_with_make_parents_is_accepted(api):
    def probe(c):
        c.make_dir("/exists")
        c.push("/exists/keep.txt", "kept")
        c.make_dir("/exists", make_parents=True)
        return c.pull("/exists/keep.txt").read()

    content, _ = in_charm(api, probe)
    assert content == "kept"


def test_make_dir_missing_parent(api):
    err = path_error(api, lambda c: c.make_dir("/no/parent/here"))
    assert err.kind == "not-found"
    assert "parent directory not found" in err.message
    assert "/no/parent/here" in err.message


def test_make_dir_parent_is_a_file(api):
    def probe(c):
        c.push("/file", "x")
        c.make_dir("/file/sub")

    err = path_error(api, probe)
    assert err.kind == "generic-file-error"
    assert "not a directory" in err.message
    assert "/file/sub" in err.message


def test_make_dir_permissions(api):
    def probe(c):
        c.make_dir("/private", permissions=0o700)
        c.make_dir("/p/q", make_parents=True, permissions=0o750)
        return (
            c.list_files("/private", itself=True)[0].permissions,
            c.list_files("/p/q", itself=True)[0].permissions,
        )

    (private, nested), _ = in_charm(api, probe)
    assert private == 0o700
    assert nested == 0o750


@pytest.mark.parametrize("bad", [0o1777, -1])
def test_make_dir_permissions_out_of_range(api, bad):
    err = path_error(api, lambda c: c.make_dir("/bad", permissions=bad))
    assert err.kind == "generic-file-error"
    assert "0o000 to 0o777" in err.message


def test_remove_file(api):
    def probe(c):
        c.push("/f", "x")
        c.remove_path("/f")
        return c.exists("/f")

    exists, _ = in_charm(api, probe)
    assert exists is False


def test_remove_empty_dir(api):
    def probe(c):
        c.make_dir("/empty")
        c.remove_path("/empty")
        return c.exists("/empty")

    exists, _ = in_charm(api, probe)
    assert exists is False


def test_remove_non_empty_dir_without_recursive(api):
    def probe(c):
        c.push("/full/f", "x", make_dirs=True)
        with pytest.raises(pebble.PathError) as info:
            c.remove_path("/full")
        return info.value, c.exists("/full/f")

    (err, still_there), _ = in_charm(api, probe)
    assert err.kind == "generic-file-error"
    assert "cannot remove non-empty directory without recursive=True" in err.message
    assert still_there is True


def test_remove_recursive(api):
    def probe(c):
        c.push("/tree/a/b/f", "x", make_dirs=True)
        c.push("/tree/g", "y")
        c.remove_path("/tree", recursive=True)
        return c.exists("/tree"), c.exists("/")

    (tree, root), _ = in_charm(api, probe)
    assert tree is False
    assert root is True


def test_remove_missing_path(api):
    err = path_error(api, lambda c: c.remove_path("/not/here"))
    assert err.kind == "not-found"
    assert "/not/here" in err.message
    assert "no such file or directory" in err.message


def test_remove_missing_path_recursive_is_a_no_op(api):
    result, _ = in_charm(api, lambda c: c.remove_path("/not/here", recursive=True))
    assert result is None


def test_push_path_pull_path_round_trip(api, tmp_path):
    src = tmp_path / "payload"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("alpha")
    # Text content: ops 2.10's push_path opens local files in text mode.
    (src / "sub" / "b.txt").write_text("beta\n")
    back = tmp_path / "back"
    back.mkdir()

    def probe(c):
        c.push_path(src, "/opt")
        listed = sorted(f.path for f in c.list_files("/opt/payload"))
        c.pull_path("/opt/payload", back)
        return listed, c.pull("/opt/payload/sub/b.txt").read()

    (listed, data), _ = in_charm(api, probe)
    assert listed == ["/opt/payload/a.txt", "/opt/payload/sub"]
    assert data == "beta\n"
    assert (back / "payload" / "a.txt").read_text() == "alpha"
    assert (back / "payload" / "sub" / "b.txt").read_text() == "beta\n"


def test_push_path_single_file_and_pull_path_single_file(api, tmp_path):
    local = tmp_path / "single.conf"
    local.write_text("one file")
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def probe(c):
        c.push_path(local, "/etc/app")
        c.pull_path("/etc/app/single.conf", out_dir)
        return c.pull("/etc/app/single.conf").read()

    content, _ = in_charm(api, probe)
    assert content == "one file"
    assert (out_dir / "single.conf").read_text() == "one file"


def test_pull_path_missing_source(api, tmp_path):
    err = raises_in_charm(
        api, ops.model.MultiPushPullError, lambda c: c.pull_path("/missing", tmp_path)
    )
    [(source, cause)] = err.errors
    assert source == "/missing"
    assert isinstance(cause, pebble.APIError)
    assert cause.code == 404
    assert "/missing" in cause.message


def test_paths_may_be_pure_paths(api):
    # ops's Container and pebble.Client take `str | PurePath` for every remote path (and
    # push_path/pull_path pass Path objects down); the mock must accept them too.
    def probe(c):
        c.make_dir(PurePosixPath("/pp/sub"), make_parents=True)
        c.push(PurePosixPath("/pp/sub/f.txt"), "pure")
        seen = (
            c.pull(PurePosixPath("/pp/sub/f.txt")).read(),
            [f.path for f in c.list_files(PurePosixPath("/pp/sub"))],
            c.exists(PurePosixPath("/pp/sub/f.txt")),
            c.isdir(PurePosixPath("/pp/sub")),
        )
        c.remove_path(PurePosixPath("/pp"), recursive=True)
        return seen, c.exists("/pp")

    (seen, exists_after), _ = in_charm(api, probe)
    assert seen == ("pure", ["/pp/sub/f.txt"], True, True)
    assert exists_after is False


# =========================================================================================
# The container filesystem across runs
# =========================================================================================


def test_get_filesystem_post_mortem_after_push(api):
    ctx = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    in_charm(
        api,
        lambda c: c.push("/etc/app/app.conf", "k: v", make_dirs=True),
        ctx=ctx,
        state=State(containers=[container]),
    )
    root = Path(container.get_filesystem(ctx))
    assert (root / "etc" / "app" / "app.conf").read_text() == "k: v"
    assert (root / "etc" / "app" / "app.conf").stat().st_mode & 0o777 == 0o644


def test_filesystem_is_emptied_between_runs(api):
    # As in 5.8.1, which emptied every container root when a run built its model: a run
    # starts with none of the files a past run or the test left, touched or not.
    ctx = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    state = State(containers=[container])
    in_charm(api, lambda c: c.push("/leftover", "from run 1"), ctx=ctx, state=state)
    root = Path(container.get_filesystem(ctx))
    assert (root / "leftover").read_text() == "from run 1"
    (root / "planted").write_text("by the test")

    in_charm(api, lambda c: None, ctx=ctx, state=state)
    assert not (root / "leftover").exists()
    assert not (root / "planted").exists()
    in_charm(api, lambda c: c.push("/leftover", "from run 3"), ctx=ctx, state=state)
    exists, _ = in_charm(api, lambda c: c.exists("/leftover"), ctx=ctx, state=state)
    assert exists is False


def test_files_written_by_the_test_before_a_run_are_wiped(api):
    ctx = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    root = Path(container.get_filesystem(ctx))
    root.mkdir(parents=True)
    (root / "planted").write_text("x")
    exists, _ = in_charm(
        api, lambda c: c.exists("/planted"), ctx=ctx, state=State(containers=[container])
    )
    assert exists is False


def test_filesystems_of_two_contexts_are_separate(api):
    ctx1 = Context(ProbeCharm, meta=META)
    ctx2 = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    in_charm(
        api, lambda c: c.push("/only-in-1", "x"), ctx=ctx1, state=State(containers=[container])
    )
    exists, _ = in_charm(
        api, lambda c: c.exists("/only-in-1"), ctx=ctx2, state=State(containers=[container])
    )
    assert exists is False
    assert container.get_filesystem(ctx1) != container.get_filesystem(ctx2)


class Pusher(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        workload = self.unit.get_container("workload")
        assert not workload.exists("/foo.txt")
        workload.push("/foo.txt", "hello")


WIPE_META = {"name": "app", "containers": {"workload": {}}}


def test_the_files_a_past_run_left_are_wiped_with_a_note_under_ops_testing(testing):
    """ops[testing] says, in the run's juju-log, when it wipes a container a past run left
    files in; Scenario 5.8.1 wiped them silently (the test below)."""
    ctx = testing.Context(Pusher, meta=WIPE_META)
    state = testing.State(containers={testing.Container("workload", can_connect=True)})
    ctx.run(ctx.on.start(), state)
    assert not any("non-empty" in line.message for line in ctx.juju_log)
    ctx.run(ctx.on.start(), state)
    assert any(
        "'workload'" in line.message and "non-empty" in line.message for line in ctx.juju_log
    )


def test_the_files_a_past_run_left_are_wiped_silently_under_scenario_5():
    """Scenario 5.8.1 wiped a container's files silently (ops[testing] says so in juju-log)."""
    ctx = Context(Pusher, meta=WIPE_META)
    state = State(containers=[Container("workload", can_connect=True)])
    ctx.run("start", state)
    ctx.run("start", state)
    assert not any("non-empty" in line.message for line in ctx.juju_log)


# =========================================================================================
# Mounts
# =========================================================================================


CONTAINER_META = {"name": "app", "containers": {"workload": {}}}


class PushCharm(ops.CharmBase):
    """Writes its config file into the workload on pebble-ready."""

    files: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.workload_pebble_ready, self._on_ready)

    def _on_ready(self, event):
        for path, text in PushCharm.files.items():
            event.workload.push(path, text, make_dirs=True)


def _run_push(api, mounts, files):
    PushCharm.files = files
    ctx = Context(PushCharm, meta=CONTAINER_META)
    container = Container("workload", can_connect=True, mounts=mounts)
    api.run(ctx, "pebble_ready", State(containers=[container]), container)
    return ctx, container


def test_a_file_pushed_into_a_mount_shows_under_the_root(api, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    ctx, container = _run_push(
        api, {"opt": Mount(location="/opt/", src=src)}, {"/opt/app/conf.yaml": "x: 1"}
    )
    root = container.get_filesystem(ctx)
    assert (root / "opt/app/conf.yaml").read_text() == "x: 1"
    assert (src / "app/conf.yaml").read_text() == "x: 1"
    # The root lists and globs mounted content.
    assert [p.name for p in (root / "opt").iterdir()] == ["app"]
    assert [p.relative_to(root).as_posix() for p in root.glob("opt/**/*.yaml")] == [
        "opt/app/conf.yaml"
    ]


def test_a_mount_shows_before_the_charm_touches_anything(api, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "seed.txt").write_text("seeded")
    # The charm writes nothing; the mount still shows, at a location whose parents did
    # not exist.
    ctx, container = _run_push(api, {"deep": Mount("/var/lib/app/data", src)}, {})
    root = container.get_filesystem(ctx)
    assert (root / "var/lib/app/data/seed.txt").read_text() == "seeded"
    assert not (root / "var/lib/app/data/absent").exists()


def test_a_file_mount_shows_at_its_location(api, tmp_path):
    conf = tmp_path / "app.conf"
    conf.write_text("port: 80")
    ctx, container = _run_push(api, {"conf": Mount("/etc/app.conf", conf)}, {})
    assert (container.get_filesystem(ctx) / "etc/app.conf").read_text() == "port: 80"


def test_nested_mounts_both_show(api, tmp_path):
    outer, inner = tmp_path / "outer", tmp_path / "inner"
    outer.mkdir()
    inner.mkdir()
    (outer / "top.txt").write_text("top")
    ctx, container = _run_push(
        api,
        {"outer": Mount("/srv", outer), "inner": Mount("/srv/data", inner)},
        {"/srv/data/x.txt": "inner file", "/srv/new.txt": "outer file"},
    )
    root = container.get_filesystem(ctx)
    assert (root / "srv/top.txt").read_text() == "top"
    assert (root / "srv/data/x.txt").read_text() == "inner file"
    assert (root / "srv/new.txt").read_text() == "outer file"
    assert (inner / "x.txt").read_text() == "inner file"
    assert (outer / "new.txt").read_text() == "outer file"
    # The outer source was not written into for the inner mount's sake.
    assert not (outer / "data").exists()


def test_an_absent_file_is_checked_for_real(api, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    ctx, container = _run_push(api, {"opt": Mount("/opt", src)}, {"/opt/a.txt": "a"})
    root = container.get_filesystem(ctx)
    assert (root / "opt/a.txt").exists()
    assert not (root / "opt/b.txt").exists()


def test_mount_gives_back_what_it_was_given(tmp_path):
    mount = Mount(location=pathlib.PurePosixPath("/opt"), src=tmp_path)
    assert mount.src == tmp_path and isinstance(mount.src, pathlib.Path)
    assert mount.src.joinpath("x") == tmp_path / "x"
    assert mount.location == pathlib.PurePosixPath("/opt")
    assert Mount("/opt", str(tmp_path)).src == str(tmp_path)
    # Equal by value whatever the types.
    assert Mount("/opt", tmp_path) == Mount("/opt", str(tmp_path))
    # A Container hands back the very Mount, and so the very path object.
    container = Container("c", mounts={"opt": mount})
    assert container.mounts["opt"].src is tmp_path


def test_mount(testing, tmp_path):
    mount = testing.Mount(location="/data", source=tmp_path)
    assert mount.location == "/data"
    assert pathlib.Path(mount.source) == tmp_path
    assert mount == testing.Mount(location="/data", source=tmp_path)
    assert dataclasses.replace(mount, location="/x").location == "/x"


def test_mounted_files_show_under_the_context_s_own_directory():
    # Scenario 5's private ``ctx._tmp``, which suites read: a temporary directory with a
    # full path, holding each container's root, where a mount's files show too.
    ctx = Context(ops.CharmBase, meta={"name": "mycharm", "containers": {"foo": {}}})

    def post_event(charm: ops.CharmBase) -> None:
        charm.unit.get_container("foo").push("/data/x/y.txt", "hello", make_dirs=True)

    with tempfile.TemporaryDirectory() as src:
        container = Container("foo", can_connect=True, mounts={"data": Mount("/data", src)})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # post_event is deprecated
            ctx.run("start", State(containers=[container]), post_event=post_event)
        assert Path(ctx._tmp.name).is_absolute()
        # The mount's files, where they are written and under the container's root.
        assert (Path(src) / "x" / "y.txt").read_text() == "hello"
        shown = Path(ctx._tmp.name) / "containers" / "foo" / "data" / "x" / "y.txt"
        assert shown.read_text() == "hello"
