"""Confinement of the container filesystem, under both APIs: no path a charm gives Pebble
reaches outside the container root and its mounts, whether through ``..``, an absolute host
path, or a symlink planted inside the root or a mount; host files are left alone, and links
inside the root still work (README, "What is new": "A container cannot reach outside
itself")."""

import os
from pathlib import Path

import pytest
from charm_probe import META, ProbeCharm, api_error, in_charm, path_error
from ops import pebble

from scenario import Container, Context, Mount


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


def test_confined_read_of_etc_passwd(api):
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

    (err, exists, etc_exists, etc_isdir), _ = in_charm(api, probe)
    assert err.kind == "not-found"
    assert "/etc/passwd" in err.message
    assert exists is False
    assert etc_exists is False
    assert etc_isdir is False


def test_confined_list_of_etc(api):
    err = api_error(api, lambda c: c.list_files("/etc"))
    assert err.code == 404
    assert "/etc" in err.message


def test_confined_root_listing_is_the_container_root(api):
    def probe(c):
        c.push("/mine", "x")
        return sorted(f.name for f in c.list_files("/"))

    names, _ = in_charm(api, probe)
    assert names == ["mine"]


@pytest.mark.parametrize(
    "path", ["../../../etc/passwd", "etc/passwd", "./secret", "../outside/secret"]
)
def test_confined_relative_paths_are_refused(api, outside, path):
    before = snapshot(outside)
    for call in (
        lambda c: c.pull(path),
        lambda c: c.push(path, "pwned", make_dirs=True),
        lambda c: c.make_dir(path, make_parents=True),
        lambda c: c.remove_path(path, recursive=True),
    ):
        err = path_error(api, call)
        assert err.kind == "generic-file-error"
        assert "paths must be absolute" in err.message
        assert path in err.message
    assert snapshot(outside) == before


def test_confined_absolute_host_paths_are_container_paths(api, outside):
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

    (pulled, listed, removed, exists, reread), _ = in_charm(api, probe, ctx=ctx)
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
def test_confined_dotdot_paths(api, outside, template):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)
    path = template.format(secret=str(outside / "secret"))

    def probe(c):
        with pytest.raises(pebble.PathError) as pulled:
            c.pull(path)
        c.push(path, "pwned", make_dirs=True)
        return pulled.value, c.pull(path).read()

    (pulled, reread), _ = in_charm(api, probe, ctx=ctx)
    assert pulled.kind == "not-found"
    assert path in pulled.message
    assert reread == "pwned"
    assert snapshot(outside) == before
    root = Path(Container("foo").get_filesystem(ctx))
    assert (root / str(outside / "secret").lstrip("/")).read_text() == "pwned"


def test_confined_dotdot_above_root(api, outside):
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

    (content, root_path, names), _ = in_charm(api, probe, ctx=ctx)
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


def test_confined_symlink_to_a_host_file(api, outside):
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

    result, _ = in_charm(api, probe, ctx=ctx)
    pulled = result["pull"]
    assert pulled != "host secret", "read through a planted symlink returned the host file"
    assert isinstance(pulled, pebble.PathError)
    assert pulled.kind == "not-found"
    assert "/link" in pulled.message
    assert result["exists"] is False
    assert snapshot(outside) == before


def test_confined_write_through_a_symlink_to_a_host_file(api, outside):
    before = snapshot(outside)
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        c.exists("/")
        link = _planted(ctx, "link", outside / "secret")
        c.push("/link", "pwned")
        return link.is_symlink(), c.pull("/link").read()

    (still_link, reread), _ = in_charm(api, probe, ctx=ctx)
    assert (outside / "secret").read_text() == "host secret"
    assert snapshot(outside) == before
    # Pebble writes a new file over the path: the link is replaced, not written through.
    assert still_link is False
    assert reread == "pwned"


def test_confined_symlink_to_a_host_directory(api, outside):
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

    result, _ = in_charm(api, probe, ctx=ctx)
    assert isinstance(result["pull"], pebble.PathError)
    assert result["pull"].kind == "not-found"
    assert isinstance(result["list"], pebble.APIError)
    assert result["list"].code == 404
    assert isinstance(result["remove"], pebble.PathError)
    assert result["remove"].kind == "not-found"
    assert snapshot(outside) == before
    assert not (outside / "dir" / "newdir").exists()


def test_symlinks_inside_the_root_still_work(api):
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

    (absolute, relative, via_dir, kind), _ = in_charm(api, probe, ctx=ctx)
    assert (absolute, relative, via_dir) == ("real", "real", "real")
    assert kind == pebble.FileType.FILE


def test_confined_symlink_named_etc_to_host_etc(api):
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

    result, _ = in_charm(api, probe, ctx=ctx)
    assert isinstance(result, pebble.PathError)
    assert "/etc/passwd" in result.message


def test_confined_relative_symlink_climbing_out(api, outside):
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

    content, _ = in_charm(api, probe, ctx=ctx)
    assert content != "host secret"
    assert isinstance(content, pebble.PathError)
    assert snapshot(outside) == before


def test_confined_symlink_inside_a_mount_pointing_outside(api, tmp_path, outside):
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

    result, _ = in_charm(api, probe, container, ctx=ctx)
    assert result["real"] == "mounted content"
    for path in ("/data/abs/secret", "/data/rel/secret", "/data/secret_link"):
        assert result[path] != "host secret", path
        assert isinstance(result[path], pebble.PathError), path
        assert result[path].kind == "not-found"
    assert isinstance(result["list"], pebble.APIError)
    assert snapshot(outside) == before
    assert snapshot(src) == src_before


def test_confined_dotdot_out_of_a_mount(api, tmp_path, outside):
    before = snapshot(outside)
    src = tmp_path / "src"
    src.mkdir()
    container = Container("foo", can_connect=True, mounts={"data": Mount("/data", src)})
    ctx = Context(ProbeCharm, meta=META)

    def probe(c):
        # From the mount, `..` is the container's `/`, not the host's tmp_path.
        c.push("/data/../outside/secret", "pwned", make_dirs=True)
        return sorted(f.name for f in c.list_files("/data/.."))

    names, _ = in_charm(api, probe, container, ctx=ctx)
    assert names == ["data", "outside"]
    assert snapshot(outside) == before
    assert list(src.iterdir()) == []


def test_confined_recursive_remove_of_dir_holding_symlink_to_outside(api, outside):
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

    (types, d_exists, top_link_left), _ = in_charm(api, probe, ctx=ctx)
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


def test_confined_remove_of_a_mount_point_keeps_the_host_src(api, tmp_path):
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

    (errors, still_there), _ = in_charm(api, probe, container)
    assert [(p, r) for p, r, _ in errors] == [
        ("/srv/data", True),
        ("/srv/data", False),
        ("/srv", True),
    ]
    assert still_there is True
    assert (src / "precious.txt").read_text() == "precious"


def test_confined_host_etc_passwd_untouched_by_reads(api):
    # A last sanity check on the real host file the read-only probes above named.
    # The pulls must fail inside the container whether or not the host has the file.
    before = HOST_PASSWD.read_bytes() if HOST_PASSWD.exists() else None

    def probe(c):
        for path in ("/etc/passwd", "/../../etc/passwd", "/etc/../etc/passwd"):
            with pytest.raises(pebble.PathError):
                c.pull(path)
        return [f.name for f in c.list_files("/")]

    names, _ = in_charm(api, probe)
    assert names == []
    if before is not None:
        assert HOST_PASSWD.read_bytes() == before
