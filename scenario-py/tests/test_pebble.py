"""The mock Pebble as a charm sees it through ``ops.Container``: files, layers and the plan,
services, checks, signals, exec, the connection rule, the container filesystem across runs,
and the confinement of every path to the container root and its mounts.

Behaviour is Scenario 5.8.1's (ops's Harness Pebble client over a directory per container)
except where the README's "Where this
differs from Scenario 5.8.1" and the deliberate differences say otherwise; those tests say
so in a comment.
"""

import io
import os
import signal
from pathlib import Path, PurePosixPath
from typing import Any, Callable, ClassVar, Optional

import ops
import pytest
from charm_probe import raised, run_probe
from ops import pebble

from scenario import Container, Context, ExecOutput, Mount, State
from scenario.errors import JujuStricterWarning

META = {"name": "foo", "containers": {"foo": {}}}


class ProbeCharm(ops.CharmBase):
    """Calls ``ProbeCharm.probe(container)`` from its handler and keeps what it returns."""

    probe: ClassVar[Optional[Callable[[ops.Container], Any]]] = None
    result: ClassVar[Any] = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_event)

    def _on_event(self, _):
        assert ProbeCharm.probe is not None
        ProbeCharm.result = ProbeCharm.probe(self.unit.get_container("foo"))


def in_charm(probe, container=None, *, ctx=None, state=None):
    """Runs ``probe(ops.Container)`` in the charm's handler; returns (its result, out)."""
    ctx = ctx or Context(ProbeCharm, meta=META)
    if state is None:
        state = State(containers=[container or Container("foo", can_connect=True)])
    return run_probe(ProbeCharm, probe, lambda: ctx.run("update_status", state))


def raises_in_charm(exc_type, probe, container=None, **kwargs):
    """The exception ``probe`` raises in the charm's handler (it must be ``exc_type``)."""
    return raised(exc_type, lambda: in_charm(probe, container, **kwargs))


def path_error(probe, container=None, **kwargs) -> pebble.PathError:
    return raises_in_charm(pebble.PathError, probe, container, **kwargs)


def api_error(probe, container=None, **kwargs) -> pebble.APIError:
    return raises_in_charm(pebble.APIError, probe, container, **kwargs)


LAYER = {
    "summary": "base layer",
    "services": {
        "web": {
            "override": "replace",
            "command": "/bin/web --port 80",
            "startup": "enabled",
            "environment": {"A": "1"},
        },
        "idle": {"override": "replace", "command": "/bin/idle", "startup": "disabled"},
    },
}

CHECKS_LAYER = {
    "checks": {
        "alive-chk": {"override": "replace", "level": "alive", "exec": {"command": "true"}},
        "ready-chk": {
            "override": "replace",
            "level": "ready",
            "threshold": 5,
            "http": {"url": "http://localhost/ready"},
        },
    },
}


def with_layer(layer=None, **kwargs) -> Container:
    return Container(
        "foo", can_connect=True, layers={"base": pebble.Layer(layer or LAYER)}, **kwargs
    )


# =========================================================================================
# push
# =========================================================================================


def test_push_str_then_pull_text():
    def probe(c):
        c.push("/app.conf", "hello\nworld")
        return c.pull("/app.conf").read()

    content, _ = in_charm(probe)
    assert content == "hello\nworld"


def test_push_str_with_encoding():
    def probe(c):
        c.push("/latin.txt", "caf\u00e9", encoding="latin-1")
        return c.pull("/latin.txt", encoding=None).read()

    data, _ = in_charm(probe)
    assert data == b"caf\xe9"


def test_push_bytes_then_pull_bytes():
    payload = bytes(range(256))

    def probe(c):
        c.push("/blob.bin", payload)
        return c.pull("/blob.bin", encoding=None).read()

    data, _ = in_charm(probe)
    assert data == payload
    assert isinstance(data, bytes)


@pytest.mark.parametrize(
    "source, expected",
    [(lambda: io.StringIO("text stream"), "text stream"), (lambda: io.BytesIO(b"bin"), "bin")],
    ids=["text", "binary"],
)
def test_push_file_like(source, expected):
    def probe(c):
        c.push("/from-stream", source())
        return c.pull("/from-stream").read()

    content, _ = in_charm(probe)
    assert content == expected


def test_push_real_file_object(tmp_path):
    local = tmp_path / "local.txt"
    local.write_bytes(b"from disk")

    def probe(c):
        with local.open("rb") as f:
            c.push("/copied", f)
        return c.pull("/copied").read()

    content, _ = in_charm(probe)
    assert content == "from disk"


def test_push_make_dirs_creates_parents():
    def probe(c):
        c.push("/a/b/c/file.txt", "deep", make_dirs=True)
        return (
            c.pull("/a/b/c/file.txt").read(),
            c.isdir("/a"),
            c.isdir("/a/b/c"),
            c.list_files("/a/b", itself=True)[0].permissions,
        )

    (content, a_is_dir, c_is_dir, parent_mode), _ = in_charm(probe)
    assert content == "deep"
    assert a_is_dir and c_is_dir
    # Missing parents are made with mode 0o755, as ops's Harness Pebble (5.8.1's) made them.
    assert parent_mode == 0o755


def test_push_permissions_default_and_explicit():
    def probe(c):
        c.push("/default", "x")
        c.push("/private", "x", permissions=0o600)
        c.push("/exec", "x", permissions=0o755)
        return {f.name: f.permissions for f in c.list_files("/")}

    modes, _ = in_charm(probe)
    assert modes == {"default": 0o644, "private": 0o600, "exec": 0o755}


@pytest.mark.parametrize("bad", [0o1000, 0o7777, -1])
def test_push_permissions_out_of_range(bad):
    err = path_error(lambda c: c.push("/f", "x", permissions=bad))
    assert err.kind == "generic-file-error"
    assert "permissions" in err.message
    assert "0o000 to 0o777" in err.message


def test_push_permissions_out_of_range_writes_nothing():
    def probe(c):
        with pytest.raises(pebble.PathError):
            c.push("/f", "x", permissions=0o1000)
        return c.exists("/f")

    exists, _ = in_charm(probe)
    assert exists is False


def test_push_missing_parent():
    err = path_error(lambda c: c.push("/no/such/dir/file.txt", "x"))
    assert err.kind == "not-found"
    assert "parent directory not found" in err.message
    assert "/no/such/dir" in err.message


def test_push_parent_is_a_file():
    def probe(c):
        c.push("/plain", "i am a file")
        c.push("/plain/child", "x")

    err = path_error(probe)
    assert err.kind == "generic-file-error"
    assert "not a directory" in err.message
    assert "/plain/child" in err.message


def test_push_parent_is_a_file_with_make_dirs():
    def probe(c):
        c.push("/plain", "i am a file")
        c.push("/plain/sub/child", "x", make_dirs=True)

    err = path_error(probe)
    assert err.kind == "generic-file-error"
    assert "not a directory" in err.message
    assert "/plain/sub/child" in err.message


def test_push_onto_a_directory():
    def probe(c):
        c.make_dir("/d")
        c.push("/d", "x")

    err = path_error(probe)
    assert err.kind == "generic-file-error"
    assert "/d" in err.message


def test_push_relative_path():
    err = path_error(lambda c: c.push("relative/file", "x", make_dirs=True))
    assert err.kind == "generic-file-error"
    assert "paths must be absolute" in err.message
    assert "relative/file" in err.message


def test_push_overwrites():
    def probe(c):
        c.push("/f", "first, longer content")
        c.push("/f", "second")
        return c.pull("/f").read()

    content, _ = in_charm(probe)
    assert content == "second"


# =========================================================================================
# pull
# =========================================================================================


def test_pull_text_is_str_and_binary_is_bytes():
    def probe(c):
        c.push("/f.txt", "\u00e9t\u00e9")
        return c.pull("/f.txt").read(), c.pull("/f.txt", encoding=None).read()

    (text, data), _ = in_charm(probe)
    assert text == "\u00e9t\u00e9"
    assert data == "\u00e9t\u00e9".encode()


def test_pull_missing_file():
    err = path_error(lambda c: c.pull("/does/not/exist"))
    assert err.kind == "not-found"
    assert "/does/not/exist" in err.message
    assert "no such file or directory" in err.message


def test_pull_a_directory():
    def probe(c):
        c.make_dir("/some/dir", make_parents=True)
        c.pull("/some/dir")

    err = path_error(probe)
    assert err.kind == "generic-file-error"
    assert "can only read a regular file" in err.message
    assert "/some/dir" in err.message


def test_pull_relative_path():
    err = path_error(lambda c: c.pull("etc/hosts"))
    assert err.kind == "generic-file-error"
    assert "paths must be absolute" in err.message
    assert "etc/hosts" in err.message


# =========================================================================================
# list_files, exists, isdir
# =========================================================================================


def _populate(c):
    c.push("/d/a.txt", "aaa", make_dirs=True)
    c.push("/d/b.yaml", "bb", permissions=0o640)
    c.make_dir("/d/sub")


def test_list_files_directory():
    def probe(c):
        _populate(c)
        return [(f.name, f.path, f.type) for f in c.list_files("/d")]

    entries, _ = in_charm(probe)
    assert entries == [
        ("a.txt", "/d/a.txt", pebble.FileType.FILE),
        ("b.yaml", "/d/b.yaml", pebble.FileType.FILE),
        ("sub", "/d/sub", pebble.FileType.DIRECTORY),
    ]


def test_list_files_pattern():
    def probe(c):
        _populate(c)
        return (
            [f.name for f in c.list_files("/d", pattern="*.txt")],
            [f.name for f in c.list_files("/d", pattern="[ab]*")],
            [f.name for f in c.list_files("/d", pattern="*.nope")],
        )

    (txt, ab, none), _ = in_charm(probe)
    assert txt == ["a.txt"]
    assert ab == ["a.txt", "b.yaml"]
    assert none == []


def test_list_files_itself():
    def probe(c):
        _populate(c)
        return c.list_files("/d", itself=True)

    infos, _ = in_charm(probe)
    assert len(infos) == 1
    assert (infos[0].name, infos[0].path, infos[0].type) == ("d", "/d", pebble.FileType.DIRECTORY)


def test_list_files_root_itself():
    infos, _ = in_charm(lambda c: c.list_files("/", itself=True))
    assert [(i.name, i.path, i.type) for i in infos] == [("/", "/", pebble.FileType.DIRECTORY)]


def test_list_files_of_a_file_is_that_file():
    def probe(c):
        _populate(c)
        return c.list_files("/d/b.yaml")

    infos, _ = in_charm(probe)
    assert [(i.name, i.path) for i in infos] == [("b.yaml", "/d/b.yaml")]


def test_list_files_file_info_fields():
    def probe(c):
        _populate(c)
        return c.list_files("/d/b.yaml")[0], c.list_files("/d/sub", itself=True)[0]

    (info, sub), _ = in_charm(probe)
    assert isinstance(info, pebble.FileInfo)
    assert info.name == "b.yaml"
    assert info.path == "/d/b.yaml"
    assert info.type == pebble.FileType.FILE
    assert info.size == 2
    assert info.permissions == 0o640
    assert sub.type == pebble.FileType.DIRECTORY
    assert sub.permissions == 0o755


def test_list_files_missing_path_is_api_error_404():
    err = api_error(lambda c: c.list_files("/nowhere/to/be/found"))
    assert err.code == 404
    assert "/nowhere/to/be/found" in err.message


def test_exists_and_isdir():
    def probe(c):
        _populate(c)
        return {
            p: (c.exists(p), c.isdir(p))
            for p in ("/", "/d", "/d/a.txt", "/d/sub", "/missing", "/d/a.txt/under-a-file")
        }

    seen, _ = in_charm(probe)
    assert seen == {
        "/": (True, True),
        "/d": (True, True),
        "/d/a.txt": (True, False),
        "/d/sub": (True, True),
        "/missing": (False, False),
        "/d/a.txt/under-a-file": (False, False),
    }


def test_mounted_directory_is_a_directory(tmp_path):
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

    (isdir, exists, kind, srv, listed, content), _ = in_charm(probe, container)
    assert isdir is True
    assert exists is True
    assert kind == pebble.FileType.DIRECTORY
    assert srv == [("data", pebble.FileType.DIRECTORY)]
    assert listed == ["/srv/data/inside.txt"]
    assert content == "mounted"


def test_push_into_mounted_directory_writes_the_host_src(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    container = Container("foo", can_connect=True, mounts={"data": Mount("/srv/data", src)})
    in_charm(lambda c: c.push("/srv/data/new/file.txt", "via mount", make_dirs=True), container)
    assert (src / "new" / "file.txt").read_text() == "via mount"


# =========================================================================================
# make_dir
# =========================================================================================


def test_make_dir_simple_and_default_mode():
    def probe(c):
        c.make_dir("/newdir")
        return c.isdir("/newdir"), c.list_files("/newdir", itself=True)[0].permissions

    (isdir, mode), _ = in_charm(probe)
    assert isdir is True
    assert mode == 0o755


def test_make_dir_make_parents():
    def probe(c):
        c.make_dir("/x/y/z", make_parents=True)
        return [c.isdir(p) for p in ("/x", "/x/y", "/x/y/z")]

    seen, _ = in_charm(probe)
    assert seen == [True, True, True]


def test_make_dir_existing_without_make_parents():
    def probe(c):
        c.make_dir("/exists")
        c.make_dir("/exists")

    err = path_error(probe)
    assert err.kind == "generic-file-error"
    assert "file exists" in err.message
    assert "/exists" in err.message


def test_make_dir_existing_with_make_parents_is_accepted():
    def probe(c):
        c.make_dir("/exists")
        c.push("/exists/keep.txt", "kept")
        c.make_dir("/exists", make_parents=True)
        return c.pull("/exists/keep.txt").read()

    content, _ = in_charm(probe)
    assert content == "kept"


def test_make_dir_missing_parent():
    err = path_error(lambda c: c.make_dir("/no/parent/here"))
    assert err.kind == "not-found"
    assert "parent directory not found" in err.message
    assert "/no/parent/here" in err.message


def test_make_dir_parent_is_a_file():
    def probe(c):
        c.push("/file", "x")
        c.make_dir("/file/sub")

    err = path_error(probe)
    assert err.kind == "generic-file-error"
    assert "not a directory" in err.message
    assert "/file/sub" in err.message


def test_make_dir_permissions():
    def probe(c):
        c.make_dir("/private", permissions=0o700)
        c.make_dir("/p/q", make_parents=True, permissions=0o750)
        return (
            c.list_files("/private", itself=True)[0].permissions,
            c.list_files("/p/q", itself=True)[0].permissions,
        )

    (private, nested), _ = in_charm(probe)
    assert private == 0o700
    assert nested == 0o750


@pytest.mark.parametrize("bad", [0o1777, -1])
def test_make_dir_permissions_out_of_range(bad):
    err = path_error(lambda c: c.make_dir("/bad", permissions=bad))
    assert err.kind == "generic-file-error"
    assert "0o000 to 0o777" in err.message


# =========================================================================================
# remove_path
# =========================================================================================


def test_remove_file():
    def probe(c):
        c.push("/f", "x")
        c.remove_path("/f")
        return c.exists("/f")

    exists, _ = in_charm(probe)
    assert exists is False


def test_remove_empty_dir():
    def probe(c):
        c.make_dir("/empty")
        c.remove_path("/empty")
        return c.exists("/empty")

    exists, _ = in_charm(probe)
    assert exists is False


def test_remove_non_empty_dir_without_recursive():
    def probe(c):
        c.push("/full/f", "x", make_dirs=True)
        with pytest.raises(pebble.PathError) as info:
            c.remove_path("/full")
        return info.value, c.exists("/full/f")

    (err, still_there), _ = in_charm(probe)
    assert err.kind == "generic-file-error"
    assert "cannot remove non-empty directory without recursive=True" in err.message
    assert still_there is True


def test_remove_recursive():
    def probe(c):
        c.push("/tree/a/b/f", "x", make_dirs=True)
        c.push("/tree/g", "y")
        c.remove_path("/tree", recursive=True)
        return c.exists("/tree"), c.exists("/")

    (tree, root), _ = in_charm(probe)
    assert tree is False
    assert root is True


def test_remove_missing_path():
    err = path_error(lambda c: c.remove_path("/not/here"))
    assert err.kind == "not-found"
    assert "/not/here" in err.message
    assert "no such file or directory" in err.message


def test_remove_missing_path_recursive_is_a_no_op():
    result, _ = in_charm(lambda c: c.remove_path("/not/here", recursive=True))
    assert result is None


# =========================================================================================
# push_path / pull_path
# =========================================================================================


def test_push_path_pull_path_round_trip(tmp_path):
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

    (listed, data), _ = in_charm(probe)
    assert listed == ["/opt/payload/a.txt", "/opt/payload/sub"]
    assert data == "beta\n"
    assert (back / "payload" / "a.txt").read_text() == "alpha"
    assert (back / "payload" / "sub" / "b.txt").read_text() == "beta\n"


def test_push_path_single_file_and_pull_path_single_file(tmp_path):
    local = tmp_path / "single.conf"
    local.write_text("one file")
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def probe(c):
        c.push_path(local, "/etc/app")
        c.pull_path("/etc/app/single.conf", out_dir)
        return c.pull("/etc/app/single.conf").read()

    content, _ = in_charm(probe)
    assert content == "one file"
    assert (out_dir / "single.conf").read_text() == "one file"


def test_pull_path_missing_source(tmp_path):
    err = raises_in_charm(
        ops.model.MultiPushPullError, lambda c: c.pull_path("/missing", tmp_path)
    )
    [(source, cause)] = err.errors
    assert source == "/missing"
    assert isinstance(cause, pebble.APIError)
    assert cause.code == 404
    assert "/missing" in cause.message


def test_paths_may_be_pure_paths():
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

    (seen, exists_after), _ = in_charm(probe)
    assert seen == ("pure", ["/pp/sub/f.txt"], True, True)
    assert exists_after is False


# =========================================================================================
# add_layer, get_plan
# =========================================================================================


def test_add_layer_new_label_and_output_layers():
    def probe(c):
        c.add_layer("base", LAYER)
        return c.get_plan().to_dict()

    plan, out = in_charm(probe)
    assert plan["services"]["web"]["command"] == "/bin/web --port 80"
    layers = out.get_container("foo").layers
    assert list(layers) == ["base"]
    assert isinstance(layers["base"], pebble.Layer)
    assert layers["base"].to_dict() == pebble.Layer(LAYER).to_dict()


@pytest.mark.parametrize(
    "as_layer",
    [
        lambda d: d,
        lambda d: pebble.Layer(d).to_yaml(),
        lambda d: pebble.Layer(d),
    ],
    ids=["dict", "str", "Layer"],
)
def test_add_layer_accepts_dict_str_and_layer(as_layer):
    def probe(c):
        c.add_layer("base", as_layer(LAYER))
        return c.get_plan().services["web"].command

    command, out = in_charm(probe)
    assert command == "/bin/web --port 80"
    assert out.get_container("foo").layers["base"].to_dict() == pebble.Layer(LAYER).to_dict()


def test_add_layer_new_label_without_override_is_stricter():
    # 5.8.1 only asked for `override` when combining; Pebble asks
    # for it in every layer, so the layer is added with a JujuStricterWarning.
    def probe(c):
        c.add_layer("plain", {"services": {"s": {"command": "/bin/s", "startup": "enabled"}}})
        return c.get_plan().services["s"].command

    with pytest.warns(JujuStricterWarning, match=r"services\['s'\]\['override'\] is missing"):
        command, _ = in_charm(probe)
    assert command == "/bin/s"


def test_add_layer_values_pebble_refuses_are_stricter():
    def probe(c):
        c.add_layer("odd", {"services": {"s": {"override": "replace", "startup": "on"}}})
        return c.get_plan().services["s"].startup

    with pytest.warns(JujuStricterWarning, match=r"startup'\] is \"on\".*enabled, disabled"):
        in_charm(probe)


def test_add_layer_existing_label_without_combine():
    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", LAYER)

    err = api_error(probe)
    assert err.code == 400
    assert "base" in err.message
    assert "already exists" in err.message


def test_add_layer_combine_merge():
    over = {
        "services": {
            "web": {"override": "merge", "environment": {"B": "2"}, "user": "app"},
            "extra": {"override": "merge", "command": "/bin/extra"},
        }
    }

    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", over, combine=True)
        return c.get_plan().services

    services, out = in_charm(probe)
    web = services["web"]
    assert web.command == "/bin/web --port 80"
    assert web.environment == {"A": "1", "B": "2"}
    assert web.user == "app"
    assert services["extra"].command == "/bin/extra"
    # Combining changes the stored layer, it does not add one.
    assert list(out.get_container("foo").layers) == ["base"]
    stored = out.get_container("foo").layers["base"].services["web"]
    assert stored.environment == {"A": "1", "B": "2"}


def test_add_layer_combine_replace():
    over = {"services": {"web": {"override": "replace", "command": "/bin/other"}}}

    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", over, combine=True)
        return c.get_plan().services["web"].to_dict()

    web, _ = in_charm(probe)
    assert web == {"override": "replace", "command": "/bin/other"}


def test_add_layer_combine_merges_checks_and_log_targets():
    # Deliberate difference: combine merges checks and log targets too (5.8.1 dropped them).
    base = {
        "checks": {"up": {"override": "replace", "level": "alive", "threshold": 2}},
        "log-targets": {
            "loki": {"override": "replace", "type": "loki", "location": "http://a"},
        },
    }
    over = {
        "checks": {"up": {"override": "merge", "threshold": 9}},
        "log-targets": {"loki": {"override": "merge", "location": "http://b"}},
    }

    def probe(c):
        c.add_layer("base", base)
        c.add_layer("base", over, combine=True)
        return c.get_plan().to_dict()

    plan, _ = in_charm(probe)
    assert plan["checks"]["up"]["threshold"] == 9
    assert plan["checks"]["up"]["level"] == "alive"
    assert plan["log-targets"]["loki"]["location"] == "http://b"
    assert plan["log-targets"]["loki"]["type"] == "loki"


def test_add_layer_combine_with_new_label_adds_it():
    def probe(c):
        c.add_layer("fresh", LAYER, combine=True)
        return c.get_plan().services["idle"].command

    command, out = in_charm(probe)
    assert command == "/bin/idle"
    assert list(out.get_container("foo").layers) == ["fresh"]


@pytest.mark.parametrize(
    "override, problem",
    [(None, "must define"), ("append", "invalid")],
    ids=["missing", "invalid"],
)
def test_add_layer_combine_bad_override(override, problem):
    # Deliberate difference: an APIError 400 (5.8.1 raised RuntimeError).
    service = {"command": "/bin/x"}
    if override is not None:
        service["override"] = override

    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("base", {"services": {"web": service}}, combine=True)

    err = api_error(probe)
    assert err.code == 400
    assert problem in err.message
    assert "web" in err.message
    assert "override" in err.message


def test_add_layer_combine_bad_override_changes_nothing():
    def probe(c):
        c.add_layer("base", LAYER)
        with pytest.raises(pebble.APIError):
            c.add_layer(
                "base",
                {
                    "services": {
                        "idle": {"override": "replace", "command": "/bin/changed"},
                        "web": {"command": "/bin/no-override"},
                    }
                },
                combine=True,
            )
        return c.get_plan().services["idle"].command

    command, _ = in_charm(probe)
    assert command == "/bin/idle"


@pytest.mark.parametrize("label", [42, None, b"base"])
def test_add_layer_non_str_label(label):
    err = raises_in_charm(TypeError, lambda c: c.add_layer(label, LAYER))
    assert "label" in str(err)


def test_add_layer_bad_layer_type():
    raises_in_charm(TypeError, lambda c: c.add_layer("base", 42))


def test_layers_apply_in_the_order_they_were_added():
    # Deliberate difference: layers apply in insertion order (5.8.1 sorted the labels).
    def probe(c):
        c.add_layer("zzz", {"services": {"svc": {"override": "replace", "command": "first"}}})
        c.add_layer("aaa", {"services": {"svc": {"override": "replace", "command": "second"}}})
        return c.get_plan().services["svc"].command

    command, out = in_charm(probe)
    assert command == "second"
    assert list(out.get_container("foo").layers) == ["zzz", "aaa"]


def test_get_plan_services_and_checks():
    def probe(c):
        c.add_layer("base", LAYER)
        c.add_layer("checks", CHECKS_LAYER)
        return c.get_plan()

    plan, _ = in_charm(probe)
    assert isinstance(plan, pebble.Plan)
    assert sorted(plan.services) == ["idle", "web"]
    assert plan.services["web"].startup == "enabled"
    # Deliberate difference: the plan includes checks (and log targets).
    assert sorted(plan.checks) == ["alive-chk", "ready-chk"]
    assert plan.checks["ready-chk"].level == pebble.CheckLevel.READY
    assert plan.checks["ready-chk"].threshold == 5


def test_get_plan_log_targets():
    layer = {
        "log-targets": {
            "loki": {
                "override": "replace",
                "type": "loki",
                "location": "http://l",
                "services": ["all"],
            }
        }
    }
    plan, _ = in_charm(lambda c: c.get_plan().to_dict(), with_layer(layer))
    assert plan["log-targets"]["loki"]["type"] == "loki"


def test_get_plan_includes_base_plan():
    base_plan = {"services": {"base-svc": {"override": "replace", "command": "sleep"}}}
    container = Container("foo", can_connect=True, _base_plan=base_plan, layers={})

    def probe(c):
        c.add_layer("l", {"services": {"web": {"override": "replace", "command": "w"}}})
        return c.get_plan().services

    services, _ = in_charm(probe, container)
    assert sorted(services) == ["base-svc", "web"]
    assert services["base-svc"].command == "sleep"


def test_get_plan_of_an_empty_container():
    plan, _ = in_charm(lambda c: c.get_plan().to_dict())
    assert plan == {}


# =========================================================================================
# services
# =========================================================================================


def test_get_services_and_get_service():
    def probe(c):
        return c.get_services(), c.get_service("web"), c.get_services("idle")

    (every, web, only_idle), _ = in_charm(probe, with_layer())
    assert sorted(every) == ["idle", "web"]
    assert web.name == "web"
    assert web.startup == pebble.ServiceStartup.ENABLED
    assert web.current == pebble.ServiceStatus.INACTIVE
    assert every["idle"].startup == pebble.ServiceStartup.DISABLED
    assert list(only_idle) == ["idle"]


def test_get_service_unknown_is_model_error():
    err = raises_in_charm(ops.ModelError, lambda c: c.get_service("nope"), with_layer())
    assert "nope" in str(err)


def test_start_stop_restart():
    def probe(c):
        seen = []
        c.start("web")
        seen.append(c.get_service("web").is_running())
        c.stop("web")
        seen.append(c.get_service("web").is_running())
        c.restart("web", "idle")
        seen.append(c.get_service("web").is_running())
        seen.append(c.get_service("idle").is_running())
        return seen

    seen, out = in_charm(probe, with_layer())
    assert seen == [True, False, True, True]
    assert out.get_container("foo").service_status == {
        "web": pebble.ServiceStatus.ACTIVE,
        "idle": pebble.ServiceStatus.ACTIVE,
    }


def test_stop_leaves_inactive_in_output_service_status():
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})
    _, out = in_charm(lambda c: c.stop("web"), container)
    assert out.get_container("foo").service_status == {"web": pebble.ServiceStatus.INACTIVE}


@pytest.mark.parametrize("method", ["replan", "autostart"])
def test_replan_and_autostart_start_enabled_services(method):
    def probe(c):
        getattr(c, method)()
        return {name: s.current for name, s in c.get_services().items()}

    seen, out = in_charm(probe, with_layer())
    assert seen == {"idle": pebble.ServiceStatus.INACTIVE, "web": pebble.ServiceStatus.ACTIVE}
    assert out.get_container("foo").service_status.get("web") == pebble.ServiceStatus.ACTIVE
    assert out.get_container("foo").service_status.get("idle", pebble.ServiceStatus.INACTIVE) == (
        pebble.ServiceStatus.INACTIVE
    )


@pytest.mark.parametrize("method", ["start", "stop", "restart"])
def test_unknown_service_is_api_error_400(method):
    # Deliberate difference: APIError 400 (5.8.1 raised RuntimeError("400 Bad Request ...")).
    err = api_error(lambda c: getattr(c, method)("web", "nope"), with_layer())
    assert err.code == 400
    assert "nope" in err.message


def test_unknown_service_changes_nothing():
    def probe(c):
        with pytest.raises(pebble.APIError):
            c.start("web", "nope")
        return c.get_service("web").is_running()

    running, out = in_charm(probe, with_layer())
    assert running is False
    assert out.get_container("foo").service_status == {}


def test_service_status_input_is_seen():
    container = with_layer(
        service_status={
            "web": pebble.ServiceStatus.ACTIVE,
            "idle": pebble.ServiceStatus.ERROR,
        }
    )

    def probe(c):
        return {name: s.current for name, s in c.get_services().items()}

    seen, out = in_charm(probe, container)
    assert seen == {"web": pebble.ServiceStatus.ACTIVE, "idle": pebble.ServiceStatus.ERROR}
    assert out.get_container("foo").service_status == container.service_status


def test_base_plan_services_are_visible_and_startable():
    # Deliberate difference: services of the base plan are visible (5.8.1 hid them).
    container = Container(
        "foo",
        can_connect=True,
        _base_plan={
            "services": {"base-svc": {"override": "replace", "command": "s", "startup": "enabled"}}
        },
    )

    def probe(c):
        names = sorted(c.get_services())
        c.start("base-svc")
        return names, c.get_service("base-svc").is_running()

    (names, running), out = in_charm(probe, container)
    assert names == ["base-svc"]
    assert running is True
    assert out.get_container("foo").service_status == {"base-svc": pebble.ServiceStatus.ACTIVE}


# =========================================================================================
# checks
# =========================================================================================


def test_get_checks():
    # Deliberate difference: checks are reported (5.8.1 raised NotImplementedError).
    container = with_layer(CHECKS_LAYER)

    def probe(c):
        return (
            c.get_checks(),
            c.get_checks(level=pebble.CheckLevel.READY),
            c.get_check("ready-chk"),
        )

    (every, ready, one), _ = in_charm(probe, container)
    assert sorted(every) == ["alive-chk", "ready-chk"]
    assert all(isinstance(info, pebble.CheckInfo) for info in every.values())
    assert every["alive-chk"].level == pebble.CheckLevel.ALIVE
    assert every["alive-chk"].status == pebble.CheckStatus.UP
    assert every["ready-chk"].level == pebble.CheckLevel.READY
    assert list(ready) == ["ready-chk"]
    assert one.name == "ready-chk"
    assert one.threshold == 5
    assert one.failures == 0


def test_get_checks_after_add_layer():
    def probe(c):
        before = dict(c.get_checks())
        c.add_layer("checks", CHECKS_LAYER)
        return before, sorted(c.get_checks())

    (before, after), _ = in_charm(probe)
    assert before == {}
    assert after == ["alive-chk", "ready-chk"]


# =========================================================================================
# send_signal
# =========================================================================================


def test_send_signal_to_a_running_service():
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})

    def probe(c):
        c.send_signal("SIGHUP", "web")
        c.send_signal(signal.SIGTERM, "web")
        return c.get_service("web").current

    current, out = in_charm(probe, container)
    # Nothing else happens: the service is still running.
    assert current == pebble.ServiceStatus.ACTIVE
    assert out.get_container("foo").service_status == {"web": pebble.ServiceStatus.ACTIVE}


@pytest.mark.parametrize("name", ["web", "idle", "nope"])
def test_send_signal_to_a_stopped_or_unknown_service(name):
    container = with_layer(service_status={"web": pebble.ServiceStatus.INACTIVE})
    err = api_error(lambda c: c.send_signal("SIGHUP", name), container)
    assert err.code == 500
    assert name in err.message
    assert "not running" in err.message


def test_send_signal_unknown_signal_name():
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})
    err = api_error(lambda c: c.send_signal("SIGNOPE", "web"), container)
    assert err.code == 500
    assert "SIGNOPE" in err.message


def test_send_signal_without_services():
    raises_in_charm(TypeError, lambda c: c.send_signal("SIGHUP"), with_layer())


# =========================================================================================
# exec
# =========================================================================================

EXEC = {
    ("echo", "hi"): ExecOutput(return_code=0, stdout="hi\n", stderr="warn\n"),
    ("false",): ExecOutput(return_code=1, stdout="partial\n", stderr="it failed\n"),
    ("exit", "3"): ExecOutput(return_code=3),
}


def exec_container(**kwargs):
    return Container("foo", can_connect=True, exec_mock=EXEC, **kwargs)


def test_exec_return_code_zero():
    def probe(c):
        proc = c.exec(["echo", "hi"])
        waited = proc.wait()
        return waited, proc.wait_output()

    (waited, (stdout, stderr)), _ = in_charm(probe, exec_container())
    assert waited is None
    assert stdout == "hi\n"
    assert stderr == "warn\n"


def test_exec_streams():
    def probe(c):
        proc = c.exec(["echo", "hi"])
        return proc.stdout.read(), proc.stderr.read()

    (stdout, stderr), _ = in_charm(probe, exec_container())
    assert stdout == "hi\n"
    assert stderr == "warn\n"


def test_exec_non_zero_wait_raises_exec_error():
    err = raises_in_charm(pebble.ExecError, lambda c: c.exec(["false"]).wait(), exec_container())
    assert err.exit_code == 1
    assert err.command == ["false"]
    assert "false" in str(err)


def test_exec_non_zero_wait_output_raises_exec_error_with_output():
    # Deliberate difference: the ExecError carries stdout/stderr (5.8.1 gave None).
    err = raises_in_charm(
        pebble.ExecError, lambda c: c.exec(["false"]).wait_output(), exec_container()
    )
    assert err.exit_code == 1
    assert err.command == ["false"]
    assert err.stdout == "partial\n"
    assert err.stderr == "it failed\n"


def test_exec_non_zero_without_output():
    err = raises_in_charm(
        pebble.ExecError, lambda c: c.exec(["exit", "3"]).wait_output(), exec_container()
    )
    assert err.exit_code == 3
    assert err.command == ["exit", "3"]


def test_exec_unmocked_command_is_runtime_error():
    # RuntimeError, not ExecError, as in 5.8.1; the message also lists the mocked commands.
    err = raises_in_charm(RuntimeError, lambda c: c.exec(["rm", "-rf", "/"]), exec_container())
    assert not isinstance(err, pebble.ExecError)
    message = str(err)
    assert "rm" in message and "-rf" in message
    assert "echo" in message and "false" in message


def test_exec_matches_the_full_command_only():
    err = raises_in_charm(RuntimeError, lambda c: c.exec(["echo"]), exec_container())
    assert "echo" in str(err)
    raises_in_charm(RuntimeError, lambda c: c.exec(["echo", "hi", "there"]), exec_container())


def test_exec_encoding_none_gives_bytes():
    def probe(c):
        proc = c.exec(["echo", "hi"], encoding=None)
        return proc.wait_output()

    (stdout, stderr), _ = in_charm(probe, exec_container())
    assert stdout == b"hi\n"
    assert stderr == b"warn\n"


def test_exec_kwargs_are_accepted():
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

    stdout, _ = in_charm(probe, exec_container())
    assert stdout == "hi\n"


def test_exec_works_while_disconnected():
    # 5.8.1 did not check the connection for exec; a unit's Pebble would refuse.
    with pytest.warns(JujuStricterWarning, match='exec on container "foo" while its Pebble'):
        stdout, _ = in_charm(
            lambda c: c.exec(["echo", "hi"]).wait_output()[0],
            Container("foo", can_connect=False, exec_mock=EXEC),
        )
    assert stdout == "hi\n"


# =========================================================================================
# can_connect=False and absent containers
# =========================================================================================

NEEDS_PEBBLE = {
    "pull": lambda c: c.pull("/f"),
    "push": lambda c: c.push("/f", "x"),
    "list_files": lambda c: c.list_files("/"),
    "exists": lambda c: c.exists("/"),
    "isdir": lambda c: c.isdir("/"),
    "make_dir": lambda c: c.make_dir("/d"),
    "remove_path": lambda c: c.remove_path("/f"),
    "add_layer": lambda c: c.add_layer("new", LAYER),
    "get_services": lambda c: c.get_services(),
    "get_service": lambda c: c.get_service("web"),
    "start": lambda c: c.start("web"),
    "stop": lambda c: c.stop("web"),
    "restart": lambda c: c.restart("web"),
    "replan": lambda c: c.replan(),
    "autostart": lambda c: c.autostart(),
    "send_signal": lambda c: c.send_signal("SIGHUP", "web"),
    "get_checks": lambda c: c.get_checks(),
}


@pytest.mark.parametrize("call", NEEDS_PEBBLE.values(), ids=NEEDS_PEBBLE.keys())
def test_disconnected_calls_raise_connection_error(call):
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})
    container = Container(
        "foo",
        can_connect=False,
        layers=container.layers,
        service_status=container.service_status,
    )
    err = raises_in_charm(pebble.ConnectionError, call, container)
    assert "can_connect" in str(err)
    assert "foo" in str(err)


@pytest.mark.parametrize(
    "call",
    [lambda c: c.push_path(__file__, "/dst"), lambda c: c.pull_path("/src", "/nonexistent")],
    ids=["push_path", "pull_path"],
)
def test_disconnected_push_path_pull_path(call):
    # ops collects the errors of push_path/pull_path into one MultiPushPullError.
    err = raises_in_charm(ops.model.MultiPushPullError, call, Container("foo", can_connect=False))
    assert len(err.errors) == 1
    assert isinstance(err.errors[0][1], pebble.ConnectionError)
    assert "can_connect" in str(err.errors[0][1])


def test_disconnected_can_connect_is_false_but_get_plan_works():
    container = Container("foo", can_connect=False, layers={"base": pebble.Layer(LAYER)})

    def probe(c):
        return c.can_connect(), c.get_plan().services["web"].command

    with pytest.warns(JujuStricterWarning, match='get_plan on container "foo"'):
        (connected, command), out = in_charm(probe, container)
    assert connected is False
    assert command == "/bin/web --port 80"
    assert out.get_container("foo") == container


def test_connected_can_connect_is_true():
    connected, _ = in_charm(lambda c: c.can_connect())
    assert connected is True


def test_container_declared_but_absent_from_state_is_unreachable():
    # Deliberate difference: 5.8.1 raised RuntimeError ("container ... not found").
    state = State()

    def probe(c):
        with pytest.raises(pebble.ConnectionError) as info:
            c.push("/f", "x")
        return c.can_connect(), str(info.value)

    (connected, message), out = in_charm(probe, state=state)
    assert connected is False
    assert "foo" in message
    assert out.containers == []


# =========================================================================================
# The container filesystem across runs, post-mortem, and the state objects
# =========================================================================================


def test_get_filesystem_post_mortem_after_push():
    ctx = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    in_charm(
        lambda c: c.push("/etc/app/app.conf", "k: v", make_dirs=True),
        ctx=ctx,
        state=State(containers=[container]),
    )
    root = Path(container.get_filesystem(ctx))
    assert (root / "etc" / "app" / "app.conf").read_text() == "k: v"
    assert (root / "etc" / "app" / "app.conf").stat().st_mode & 0o777 == 0o644


def test_filesystem_is_emptied_between_runs():
    # As in 5.8.1, which emptied every container root when a run built its model: a run
    # starts with none of the files a past run or the test left, touched or not.
    ctx = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    state = State(containers=[container])
    in_charm(lambda c: c.push("/leftover", "from run 1"), ctx=ctx, state=state)
    root = Path(container.get_filesystem(ctx))
    assert (root / "leftover").read_text() == "from run 1"
    (root / "planted").write_text("by the test")

    in_charm(lambda c: None, ctx=ctx, state=state)
    assert not (root / "leftover").exists()
    assert not (root / "planted").exists()
    in_charm(lambda c: c.push("/leftover", "from run 3"), ctx=ctx, state=state)
    exists, _ = in_charm(lambda c: c.exists("/leftover"), ctx=ctx, state=state)
    assert exists is False


def test_files_written_by_the_test_before_a_run_are_wiped():
    ctx = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    root = Path(container.get_filesystem(ctx))
    root.mkdir(parents=True)
    (root / "planted").write_text("x")
    exists, _ = in_charm(
        lambda c: c.exists("/planted"), ctx=ctx, state=State(containers=[container])
    )
    assert exists is False


def test_filesystems_of_two_contexts_are_separate():
    ctx1 = Context(ProbeCharm, meta=META)
    ctx2 = Context(ProbeCharm, meta=META)
    container = Container("foo", can_connect=True)
    in_charm(lambda c: c.push("/only-in-1", "x"), ctx=ctx1, state=State(containers=[container]))
    exists, _ = in_charm(
        lambda c: c.exists("/only-in-1"), ctx=ctx2, state=State(containers=[container])
    )
    assert exists is False
    assert container.get_filesystem(ctx1) != container.get_filesystem(ctx2)


class ReadyCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.foo_pebble_ready, self._on_ready)

    def _on_ready(self, event: ops.PebbleReadyEvent):
        ReadyCharm.seen.append(
            (
                os.environ.get("JUJU_WORKLOAD_NAME"),
                event.workload.name,
                event.workload is self.unit.get_container("foo"),
                event.workload.can_connect(),
            )
        )


def test_pebble_ready_workload_and_env():
    container = Container("foo", can_connect=True)
    ReadyCharm.seen = []
    Context(ReadyCharm, meta=META).run(container.pebble_ready_event, State(containers=[container]))
    assert ReadyCharm.seen == [("foo", "foo", True, True)]


class TwoCharm(ops.CharmBase):
    seen: ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.bar_pebble_ready, self._on_ready)

    def _on_ready(self, event):
        TwoCharm.seen.append((os.environ["JUJU_WORKLOAD_NAME"], event.workload.name))


def test_pebble_ready_with_two_containers_names_the_right_one():
    meta = {"name": "foo", "containers": {"foo": {}, "bar": {}}}
    foo = Container("foo", can_connect=True)
    bar = Container("bar", can_connect=True)
    TwoCharm.seen = []
    Context(TwoCharm, meta=meta).run(bar.pebble_ready_event, State(containers=[foo, bar]))
    assert TwoCharm.seen == [("bar", "bar")]


def test_container_plan_and_services_properties():
    container = Container(
        "foo",
        layers={"base": pebble.Layer(LAYER), "checks": pebble.Layer(CHECKS_LAYER)},
        service_status={"web": pebble.ServiceStatus.ACTIVE},
    )
    plan = container.plan
    assert isinstance(plan, pebble.Plan)
    assert plan.services["web"].command == "/bin/web --port 80"
    assert sorted(plan.checks) == ["alive-chk", "ready-chk"]
    services = container.services
    assert sorted(services) == ["idle", "web"]
    assert services["web"].current == pebble.ServiceStatus.ACTIVE
    assert services["web"].startup == pebble.ServiceStartup.ENABLED
    assert services["idle"].current == pebble.ServiceStatus.INACTIVE
    assert services["idle"].startup == pebble.ServiceStartup.DISABLED


def test_container_plan_includes_base_plan():
    container = Container(
        "foo",
        _base_plan={"services": {"b": {"override": "replace", "command": "base"}}},
        layers={"l": pebble.Layer({"services": {"b": {"override": "merge", "user": "u"}}})},
    )
    assert container.plan.services["b"].command == "base"
    assert container.plan.services["b"].user == "u"
    assert sorted(container.services) == ["b"]


def test_output_layers_and_input_unchanged():
    container = Container("foo", can_connect=True)
    state_in = State(containers=[container])

    def probe(c):
        c.add_layer("base", LAYER)
        c.replan()

    _, out = in_charm(probe, state=state_in)
    out_container = out.get_container("foo")
    assert list(out_container.layers) == ["base"]
    assert out_container.plan.services["web"].command == "/bin/web --port 80"
    assert out_container.service_status == {"web": pebble.ServiceStatus.ACTIVE}
    # The input is a value: the run did not change it.
    assert state_in.get_container("foo").layers == {}
    assert state_in.get_container("foo").service_status == {}
    assert container.layers == {}
    assert container.plan.to_dict() == {}


def test_output_state_feeds_the_next_run():
    ctx = Context(ProbeCharm, meta=META)
    _, out = in_charm(lambda c: c.add_layer("base", LAYER), ctx=ctx)

    def probe(c):
        c.add_layer("more", {"services": {"web": {"override": "merge", "user": "u"}}})
        return c.get_plan().services["web"].user, c.get_plan().services["web"].command

    (user, command), out2 = in_charm(probe, ctx=ctx, state=out)
    assert (user, command) == ("u", "/bin/web --port 80")
    assert list(out2.get_container("foo").layers) == ["base", "more"]


# =========================================================================================
# CONFINEMENT: no path reaches outside the container root and its mounts
# =========================================================================================


@pytest.fixture
def outside(tmp_path):
    """Host files outside every container root; tests assert they are left alone."""
    base = tmp_path / "outside"
    (base / "dir").mkdir(parents=True)
    (base / "secret").write_text("host secret")
    (base / "dir" / "keep.txt").write_text("keep me")
    return base


def snapshot(base: Path) -> dict:
    """Every path under ``base`` with its content (None for directories), links included."""
    out = {}
    for p in sorted(base.rglob("*")):
        if p.is_symlink():
            out[str(p)] = ("link", os.readlink(p))
        elif p.is_dir():
            out[str(p)] = None
        else:
            out[str(p)] = p.read_bytes()
    return out


HOST_PASSWD = Path("/etc/passwd")


def test_confined_read_of_etc_passwd():
    # /etc/passwd from the charm is the container's /etc/passwd, which does not exist:
    # never the host's file. (Read-only probes only: these touch a real host path.)
    def probe(c):
        with pytest.raises(pebble.PathError) as info:
            c.pull("/etc/passwd")
        return (
            info.value,
            c.exists("/etc/passwd"),
            c.exists("/etc"),
            c.isdir("/etc"),
        )

    (err, exists, etc_exists, etc_isdir), _ = in_charm(probe)
    assert err.kind == "not-found"
    assert "/etc/passwd" in err.message
    assert exists is False
    assert etc_exists is False
    assert etc_isdir is False


def test_confined_list_of_etc():
    err = api_error(lambda c: c.list_files("/etc"))
    assert err.code == 404
    assert "/etc" in err.message


def test_confined_root_listing_is_the_container_root():
    def probe(c):
        c.push("/mine", "x")
        return sorted(f.name for f in c.list_files("/"))

    names, _ = in_charm(probe)
    assert names == ["mine"]


@pytest.mark.parametrize(
    "path", ["../../../etc/passwd", "etc/passwd", "./secret", "../outside/secret"]
)
def test_confined_relative_paths_are_refused(outside, path):
    before = snapshot(outside)
    for call in (
        lambda c: c.pull(path),
        lambda c: c.push(path, "pwned", make_dirs=True),
        lambda c: c.make_dir(path, make_parents=True),
        lambda c: c.remove_path(path, recursive=True),
    ):
        err = path_error(call)
        assert err.kind == "generic-file-error"
        assert "paths must be absolute" in err.message
        assert path in err.message
    assert snapshot(outside) == before


def test_confined_absolute_host_paths_are_container_paths(outside):
    """An absolute host path names a path inside the container root."""
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)
    secret = str(outside / "secret")
    keep_dir = str(outside / "dir")

    def probe(c):
        with pytest.raises(pebble.PathError) as pulled:
            c.pull(secret)
        with pytest.raises(pebble.APIError) as listed:
            c.list_files(keep_dir)
        with pytest.raises(pebble.PathError) as removed:
            c.remove_path(secret)
        c.remove_path(keep_dir, recursive=True)
        exists = c.exists(secret)
        c.push(secret, "pwned", make_dirs=True)
        c.make_dir(keep_dir + "/newdir", make_parents=True)
        return pulled.value, listed.value, removed.value, exists, c.pull(secret).read()

    (pulled, listed, removed, exists, reread), _ = in_charm(probe, ctx=ctx)
    assert pulled.kind == "not-found" and secret in pulled.message
    assert listed.code == 404 and keep_dir in listed.message
    assert removed.kind == "not-found" and secret in removed.message
    assert exists is False
    assert reread == "pwned"
    assert snapshot(outside) == before
    # The pushed file landed under the container root, at the re-rooted path.
    root = Path(Container("foo").get_filesystem(ctx))
    assert (root / secret.lstrip("/")).read_text() == "pwned"
    assert (root / keep_dir.lstrip("/") / "newdir").is_dir()


@pytest.mark.parametrize(
    "template",
    [
        "/../../../../../../..{secret}",
        "/a/../../../..{secret}",
        "/..{secret}/../secret",
        "/./.{secret}",
    ],
)
def test_confined_dotdot_paths(outside, template):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)
    path = template.format(secret=str(outside / "secret"))

    def probe(c):
        with pytest.raises(pebble.PathError) as pulled:
            c.pull(path)
        c.push(path, "pwned", make_dirs=True)
        return pulled.value, c.pull(path).read()

    (pulled, reread), _ = in_charm(probe, ctx=ctx)
    assert pulled.kind == "not-found"
    assert path in pulled.message
    assert reread == "pwned"
    assert snapshot(outside) == before
    root = Path(Container("foo").get_filesystem(ctx))
    assert (root / str(outside / "secret").lstrip("/")).read_text() == "pwned"


def test_confined_dotdot_above_root(outside):
    """`/a/../../../outside` is `/outside` in the container."""
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.push("/a/../../../outside", "inside", make_dirs=True)
        c.make_dir("/../../../made", make_parents=True)
        return (
            c.pull("/outside").read(),
            c.list_files("/a/../../..", itself=True)[0].path,
            sorted(f.name for f in c.list_files("/../..")),
        )

    (content, root_path, names), _ = in_charm(probe, ctx=ctx)
    assert content == "inside"
    assert root_path == "/"
    assert names == ["made", "outside"]
    root = Path(Container("foo").get_filesystem(ctx))
    assert (root / "outside").read_text() == "inside"
    assert (root / "made").is_dir()
    assert not (root.parent / "outside").exists()
    assert not (root.parent / "made").exists()
    assert snapshot(outside) == before


def _planted(ctx, name, target):
    """A symlink at the container's /<name>, made on the host during the run (the root is
    emptied when a run first touches it, so it must be placed after that)."""
    root = Path(Container("foo").get_filesystem(ctx))
    link = root / name
    os.symlink(target, link)
    return link


def test_confined_symlink_to_a_host_file(outside):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)
    secret = outside / "secret"

    def probe(c):
        assert c.exists("/")  # the run's first touch empties the root; plant after it
        _planted(ctx, "link", secret)
        out = {}
        try:
            out["pull"] = c.pull("/link").read()
        except pebble.PathError as e:
            out["pull"] = e
        out["exists"] = c.exists("/link")
        return out

    result, _ = in_charm(probe, ctx=ctx)
    pulled = result["pull"]
    assert pulled != "host secret", "read through a planted symlink returned the host file"
    assert isinstance(pulled, pebble.PathError)
    assert pulled.kind == "not-found"
    assert "/link" in pulled.message
    assert result["exists"] is False
    assert snapshot(outside) == before


def test_confined_write_through_a_symlink_to_a_host_file(outside):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.exists("/")
        link = _planted(ctx, "link", outside / "secret")
        c.push("/link", "pwned")
        return link.is_symlink(), c.pull("/link").read()

    (still_link, reread), _ = in_charm(probe, ctx=ctx)
    assert (outside / "secret").read_text() == "host secret"
    assert snapshot(outside) == before
    # Pebble writes a new file over the path: the link is replaced, not written through.
    assert still_link is False
    assert reread == "pwned"


def test_confined_symlink_to_a_host_directory(outside):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.exists("/")
        _planted(ctx, "dirlink", outside / "dir")
        out = {}
        for name, call in {
            "pull": lambda: c.pull("/dirlink/keep.txt").read(),
            "list": lambda: [f.name for f in c.list_files("/dirlink")],
            "remove": lambda: c.remove_path("/dirlink/keep.txt"),
            "push": lambda: c.push("/dirlink/keep.txt", "pwned", make_dirs=True),
            "make_dir": lambda: c.make_dir("/dirlink/newdir", make_parents=True),
            "remove_recursive": lambda: c.remove_path("/dirlink/keep.txt", recursive=True),
        }.items():
            try:
                out[name] = call()
            except (pebble.PathError, pebble.APIError) as e:
                out[name] = e
        return out

    result, _ = in_charm(probe, ctx=ctx)
    assert isinstance(result["pull"], pebble.PathError)
    assert result["pull"].kind == "not-found"
    assert isinstance(result["list"], pebble.APIError)
    assert result["list"].code == 404
    assert isinstance(result["remove"], pebble.PathError)
    assert result["remove"].kind == "not-found"
    assert snapshot(outside) == before
    assert not (outside / "dir" / "newdir").exists()


def test_symlinks_inside_the_root_still_work():
    # Confinement re-interprets links inside the container; it does not break them.
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.push("/real/file.txt", "real", make_dirs=True)
        _planted(ctx, "abs_alias", "/real/file.txt")
        _planted(ctx, "rel_alias", "real/file.txt")
        _planted(ctx, "dir_alias", "/real")
        return (
            c.pull("/abs_alias").read(),
            c.pull("/rel_alias").read(),
            c.pull("/dir_alias/file.txt").read(),
            c.list_files("/abs_alias", itself=True)[0].type,
        )

    (absolute, relative, via_dir, kind), _ = in_charm(probe, ctx=ctx)
    assert (absolute, relative, via_dir) == ("real", "real", "real")
    assert kind == pebble.FileType.FILE


def test_confined_symlink_named_etc_to_host_etc():
    # The classic escape: plant /etc -> /etc and read /etc/passwd. Inside the container the
    # link points at itself, so the read fails; it never returns the host's passwd.
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.exists("/")
        _planted(ctx, "etc", "/etc")
        try:
            return c.pull("/etc/passwd").read()
        except pebble.PathError as e:
            return e

    result, _ = in_charm(probe, ctx=ctx)
    assert isinstance(result, pebble.PathError)
    assert "/etc/passwd" in result.message


def test_confined_relative_symlink_climbing_out(outside):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.make_dir("/a/b", make_parents=True)
        root = Path(Container("foo").get_filesystem(ctx))
        # From <root>/a/b, enough ../ to leave the root and reach `outside` on the host.
        depth = len((root / "a" / "b").parts) - 1
        os.symlink("../" * depth + str(outside).lstrip("/"), root / "a" / "b" / "up")
        try:
            content = c.pull("/a/b/up/secret").read()
        except pebble.PathError as e:
            content = e
        c.push("/a/b/up/secret", "pwned", make_dirs=True)
        return content

    content, _ = in_charm(probe, ctx=ctx)
    assert content != "host secret"
    assert isinstance(content, pebble.PathError)
    assert snapshot(outside) == before


def test_confined_symlink_inside_a_mount_pointing_outside(tmp_path, outside):
    before = snapshot(outside)
    src = tmp_path / "src"
    src.mkdir()
    (src / "real.txt").write_text("mounted content")
    # Planted before the run: a mount's src is the test's own directory, never emptied.
    os.symlink(outside, src / "abs")
    os.symlink("../outside", src / "rel")
    os.symlink(outside / "secret", src / "secret_link")
    src_before = snapshot(src)
    container = Container("foo", can_connect=True, mounts={"data": Mount("/data", src)})
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        out = {"real": c.pull("/data/real.txt").read()}
        for path in ("/data/abs/secret", "/data/rel/secret", "/data/secret_link"):
            try:
                out[path] = c.pull(path).read()
            except pebble.PathError as e:
                out[path] = e
        try:
            out["list"] = [f.name for f in c.list_files("/data/abs/dir")]
        except pebble.APIError as e:
            out["list"] = e
        c.push("/data/abs/secret", "pwned", make_dirs=True)
        c.push("/data/rel/secret", "pwned", make_dirs=True)
        c.push("/data/abs/dir/keep.txt", "pwned", make_dirs=True)
        c.remove_path("/data/abs/dir", recursive=True)
        return out

    result, _ = in_charm(probe, container, ctx=ctx)
    assert result["real"] == "mounted content"
    for path in ("/data/abs/secret", "/data/rel/secret", "/data/secret_link"):
        assert result[path] != "host secret", path
        assert isinstance(result[path], pebble.PathError), path
        assert result[path].kind == "not-found"
    assert isinstance(result["list"], pebble.APIError)
    assert snapshot(outside) == before
    assert snapshot(src) == src_before


def test_confined_dotdot_out_of_a_mount(tmp_path, outside):
    before = snapshot(outside)
    src = tmp_path / "src"
    src.mkdir()
    container = Container("foo", can_connect=True, mounts={"data": Mount("/data", src)})
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        # From the mount, `..` is the container's `/`, not the host's tmp_path.
        c.push("/data/../outside/secret", "pwned", make_dirs=True)
        return sorted(f.name for f in c.list_files("/data/.."))

    names, _ = in_charm(probe, container, ctx=ctx)
    assert names == ["data", "outside"]
    assert snapshot(outside) == before
    assert list(src.iterdir()) == []


def test_confined_recursive_remove_of_dir_holding_symlink_to_outside(outside):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.push("/d/own.txt", "mine", make_dirs=True)
        root = Path(Container("foo").get_filesystem(ctx))
        os.symlink(outside / "dir", root / "d" / "to_dir")
        os.symlink(outside, root / "d" / "to_base")
        os.symlink(outside / "secret", root / "d" / "to_file")
        os.symlink(outside, root / "top_link")
        types = sorted((f.name, f.type) for f in c.list_files("/d"))
        c.remove_path("/d", recursive=True)
        c.remove_path("/top_link", recursive=True)
        return types, c.exists("/d"), os.path.lexists(root / "top_link")

    (types, d_exists, top_link_left), _ = in_charm(probe, ctx=ctx)
    assert types == [
        ("own.txt", pebble.FileType.FILE),
        ("to_base", pebble.FileType.SYMLINK),
        ("to_dir", pebble.FileType.SYMLINK),
        ("to_file", pebble.FileType.SYMLINK),
    ]
    assert d_exists is False
    assert top_link_left is False
    assert snapshot(outside) == before
    assert (outside / "dir" / "keep.txt").read_text() == "keep me"


def test_confined_remove_of_a_mount_point_keeps_the_host_src(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "precious.txt").write_text("precious")
    container = Container("foo", can_connect=True, mounts={"data": Mount("/srv/data", src)})

    def probe(c):
        errors = []
        for path, recursive in (("/srv/data", True), ("/srv/data", False), ("/srv", True)):
            try:
                c.remove_path(path, recursive=recursive)
            except pebble.PathError as e:
                errors.append((path, recursive, e.kind))
        return errors, c.exists("/srv/data/precious.txt")

    (errors, still_there), _ = in_charm(probe, container)
    assert [(p, r) for p, r, _ in errors] == [
        ("/srv/data", True),
        ("/srv/data", False),
        ("/srv", True),
    ]
    assert still_there is True
    assert (src / "precious.txt").read_text() == "precious"


def test_confined_host_etc_passwd_untouched_by_reads():
    # A last sanity check on the real host file the read-only probes above named.
    # The pulls must fail inside the container whether or not the host has the file.
    before = HOST_PASSWD.read_bytes() if HOST_PASSWD.exists() else None

    def probe(c):
        for path in ("/etc/passwd", "/../../etc/passwd", "/etc/../etc/passwd"):
            with pytest.raises(pebble.PathError):
                c.pull(path)
        return [f.name for f in c.list_files("/")]

    names, _ = in_charm(probe)
    assert names == []
    if before is not None:
        assert HOST_PASSWD.read_bytes() == before
