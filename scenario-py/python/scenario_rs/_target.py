"""The charm a Context runs: its spec, the subclass of its class the runs construct, what
ops parses from the spec, and the unit's files (its container and storage filesystems,
its charm directory). Made once per Context, on first use, and shared by its runs.

Below the run itself (``_run``) and beside the other driver modules, which take it as
what the run is of. ``import scenario`` imports this module: it imports ops only when a
run first needs it.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    import ops

    from scenario_rs._scenario import _CharmSpec

__all__ = ["CharmUnderTest"]

logger = logging.getLogger("ops-scenario.runtime")


_SCRATCH: Optional[str] = None


def _scratch_dir() -> Optional[str]:
    """Where Contexts keep their files (container and storage filesystems): a memory
    filesystem where the machine has one (``/dev/shm``), since every run empties the
    container roots and a disk filesystem's unlinks cost ten times as much; otherwise
    tempfile's own choice. ``TMPDIR``, when set, is the user's choice and wins."""
    global _SCRATCH
    if _SCRATCH is None:
        shm = "/dev/shm"
        if "TMPDIR" not in os.environ and os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
            _SCRATCH = shm
        else:
            _SCRATCH = ""
    return _SCRATCH or None


class _SpecRoots:
    """The charm directories of specs given to Contexts (no charm root of their own): one
    per spec content, shared by every Context of that spec, in one directory of the
    process's, written once. Real suites make a Context per test, nearly always of the same
    spec: each then finds its charm directory made.

    A charm that writes into its charm directory (or a test that does) makes that
    directory its Context's own. Whether anything changed is asked when another Context
    comes to use the directory (and when its Context cleans up), never after every run: a
    Context's own runs cannot tell its writes from the spec's files anyway, and a warm run
    then costs no stat. A directory found changed is dropped: the Context that used it
    last keeps it (or it is removed, that Context being gone), and the one asking writes a
    fresh one."""

    def __init__(self) -> None:
        self._base: Optional[Path] = None
        #: spec key -> its directory
        self._roots: Dict[int, Path] = {}
        #: a directory (as a str: Paths compare slowly) -> its spec key, its stamp as
        #: written, and the Context's files that used it last (a weak reference)
        self._shared: Dict[str, Tuple[int, Tuple[Any, ...], Any]] = {}

    def get(self, spec: Any, user: CharmUnderTest) -> Path:
        """The shared directory of ``spec``, for ``user``'s runs: written if there is none
        yet, or if the one there was changed by another Context's."""
        found = self._roots.get(spec._spec_key())
        if found is not None and self.still_shared(found, user):
            return found
        key, files = spec._spec_files()
        if self._base is None:
            self._base = Path(tempfile.mkdtemp(prefix="scenario-specs-", dir=_scratch_dir()))
            weakref.finalize(self, shutil.rmtree, str(self._base), True)
        root = Path(tempfile.mkdtemp(prefix="charm-", dir=self._base))
        for name, text in files:
            (root / name).write_text(text)
        self._roots[key] = root
        self._shared[str(root)] = (key, _stamp(str(root)), weakref.ref(user))
        return root

    def still_shared(self, root: Path, user: CharmUnderTest) -> bool:
        """Whether ``root`` is still a shared directory ``user`` may run in: it used it
        last, or the Context that did changed nothing in it (``user`` is then its user)."""
        path = str(root)
        found = self._shared.get(path)
        if found is None:
            return False
        key, stamp, last = found
        if last() is user:
            return True
        if _stamp(path) != stamp:
            self._drop(path)
            return False
        self._shared[path] = (key, stamp, weakref.ref(user))
        return True

    def release(self, root: Path, user: CharmUnderTest) -> None:
        """``user`` cleans up: a shared directory it changed is its own, and removed."""
        path = str(root)
        found = self._shared.get(path)
        if found is not None and found[2]() is user and _stamp(path) != found[1]:
            self._drop(path)

    def _drop(self, path: str) -> None:
        """A shared directory was changed: it is no longer shared. The Context that used
        it last keeps it as its own, when it is there to."""
        key, _, last = self._shared.pop(path)
        del self._roots[key]
        owner = last()
        if owner is not None and str(owner._virtual_root) == path:
            owner._own_root()
        else:
            shutil.rmtree(path, ignore_errors=True)


def _stamp(root: str) -> Tuple[Any, ...]:
    """What changes when a run adds, removes, renames or replaces anything in a charm
    directory: the directory's own modification time. (One stat: a stat of each entry too
    cost some 15 µs. A spec file rewritten in place, which no charm does to its own
    metadata, is the one change it does not see.)"""
    try:
        stat = os.stat(root)
    except OSError:
        return ()
    return (stat.st_ino, stat.st_mtime_ns)


_SPEC_ROOTS = _SpecRoots()

# What ops parses from a spec (by the spec's content key) and from a run's environment,
# shared by the Contexts of the process; at most this many of each are kept.
_PARSED_META: Dict[int, Any] = {}
_JUJU_CONTEXTS: Dict[Any, Any] = {}
_MAX_CACHED = 64
# The wrapped charm classes, by charm class and spec key, held weakly: a class a test made
# goes with the last Context of it. (A wrapped class keeps its charm class alive, so the
# id in the key cannot name another class while the entry lives.)
_WRAPPED: weakref.WeakValueDictionary[Tuple[int, int], type] = weakref.WeakValueDictionary()


def _parse_meta(spec: Any) -> Any:
    """ops's CharmMeta of a spec."""
    import ops

    params = inspect.signature(ops.CharmMeta.__init__).parameters
    kwargs: Dict[str, Any] = {}
    if "config_raw" in params:
        kwargs["config_raw"] = spec.config or {}
    meta = spec._meta_for_ops() or spec.meta
    return ops.CharmMeta(meta, spec.actions or {}, **kwargs)


class CharmUnderTest:
    """A charm type with its spec, as the runs of one Context see it: its charm directory,
    the unit's container and storage filesystems, and what ops parses from the spec.

    Everything here is made once per Context, on first use, and shared by its runs.
    """

    def __init__(self, charm_spec: _CharmSpec, charm_root: Optional[Any] = None):
        self.charm_spec = charm_spec
        self.charm_root = charm_root
        self._parsed_meta: Optional[ops.CharmMeta] = None
        self._wrapped: Optional[type] = None
        self._autoloaded_root: Optional[Path] = None
        self._tmp: Optional[Path] = None
        self._virtual_root: Optional[Path] = None
        #: Whether the charm directory became this Context's alone (a run wrote into it).
        self._owns_root = False
        self._container_roots_given = False

    # --- what ops reads, made once ----------------------------------------------------------

    def wrapped_charm_type(self) -> type:
        """The subclass of the charm class the runs construct (see ``_wrap``): one per
        charm class and spec content, so the Contexts of a suite share it (ops defines the
        same events on it for the same metadata)."""
        if self._wrapped is None:
            charm_type = self.charm_spec.charm_type
            key = (id(charm_type), self.charm_spec._spec_key())
            found = _WRAPPED.get(key)
            if found is None:
                found = _WRAPPED[key] = _wrap(charm_type)
            self._wrapped = found
        return self._wrapped

    def charm_meta(self) -> ops.CharmMeta:
        """ops's CharmMeta, parsed once per spec content (ops reads it, never changes it)."""
        if self._parsed_meta is None:
            key = self.charm_spec._spec_key()
            found = _PARSED_META.get(key)
            if found is None:
                found = _PARSED_META[key] = _parse_meta(self.charm_spec)
                if len(_PARSED_META) > _MAX_CACHED:
                    _PARSED_META.pop(next(iter(_PARSED_META)))
            self._parsed_meta = found
        return self._parsed_meta

    def juju_context(self, env: List[Any]) -> Any:
        """ops's JujuContext for a run's environment, made once per distinct one (ops reads
        it, never changes it)."""
        key = tuple(env)
        found = _JUJU_CONTEXTS.get(key)
        if found is None:
            from scenario_rs._ops_compat import juju_context_from

            found = _JUJU_CONTEXTS[key] = juju_context_from(dict(env))
            if len(_JUJU_CONTEXTS) > _MAX_CACHED:
                _JUJU_CONTEXTS.pop(next(iter(_JUJU_CONTEXTS)))
        return found

    # --- the unit's files -------------------------------------------------------------------

    def tmp_path(self) -> Path:
        """The directory of the Context's files, made on first use; removed by
        ``cleanup()``, or when this object goes."""
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="scenario-ctx-", dir=_scratch_dir()))
            self._finalizer = weakref.finalize(self, shutil.rmtree, str(self._tmp), True)
        return self._tmp

    def cleanup(self) -> None:
        """Remove the files of past runs; the next run starts afresh."""
        if self._tmp is not None:
            self._finalizer()
            self._tmp = None
        if self._virtual_root is not None and not self._owns_root:
            _SPEC_ROOTS.release(self._virtual_root, self)
        if self._owns_root and self._virtual_root is not None:
            shutil.rmtree(self._virtual_root, ignore_errors=True)
        self._virtual_root = None
        self._owns_root = False

    def container_root(self, name: str) -> Path:
        """The host directory standing for a container's root (not created)."""
        self._container_roots_given = True
        return self.tmp_path() / "containers" / name

    def wipe_container_roots(self, say_which: bool = True) -> List[str]:
        """Remove every container's files: a run starts as a unit does, with empty
        container filesystems, whatever a past run or the test left there. (Where no
        container root was ever handed out, there are none to look for.) Returns the names
        of the containers that had files, when asked to ``say_which`` (a listing of each
        container's root more)."""
        if self._tmp is None or not self._container_roots_given:
            return []
        containers = os.path.join(self._tmp, "containers")
        try:
            had_files = [
                name
                for name in (os.listdir(containers) if say_which else ())
                if os.listdir(os.path.join(containers, name))
            ]
            shutil.rmtree(containers)
        except FileNotFoundError:
            return []
        return had_files

    def storage_root(self, name: str, index: int) -> Path:
        """The host directory standing for a storage's mount point (created)."""
        path = self.tmp_path() / "storages" / f"{name}-{index}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def charm_dir(self) -> Path:
        """What the charm sees as its charm directory.

        The user's ``charm_root`` when given; the real charm root when the spec was read
        from it; otherwise a directory holding the spec's YAML files, shared by the
        Contexts of the same spec (see ``_SpecRoots``).
        """
        if self.charm_root is not None:
            return Path(self.charm_root)
        if self.charm_spec.is_autoloaded:
            if self._autoloaded_root is None:
                source = inspect.getfile(self.charm_spec.charm_type)
                self._autoloaded_root = Path(source).resolve().parent.parent
            return self._autoloaded_root
        root = self._virtual_root
        # Another Context's run may have made the shared directory its own, or this one's
        # runs may have changed it: then this one takes the spec's next.
        if root is None or not (self._owns_root or _SPEC_ROOTS.still_shared(root, self)):
            root = self._virtual_root = _SPEC_ROOTS.get(self.charm_spec, self)
        return root

    def _own_root(self) -> None:
        """The shared charm directory this Context's runs changed is its own from now on
        (as a Context's directory was, before they were shared)."""
        self._owns_root = True
        weakref.finalize(self, shutil.rmtree, str(self._virtual_root), True)

    def _spec_files(self) -> List[Tuple[str, str]]:
        """The spec's YAML files (written by the compiled spec, once per spec)."""
        return self.charm_spec._spec_files()[1]

    def writes_spec_to_charm_root(self) -> bool:
        """Whether the runs write the spec into the user's ``charm_root``: given one, with
        a spec given to the Context (not read from that root)."""
        return self.charm_root is not None and not self.charm_spec.is_autoloaded

    @contextlib.contextmanager
    def virtual_charm_root(self) -> Iterator[None]:
        """With a user's ``charm_root`` and a spec given to the Context, write the spec's
        YAML files there for the run, and put the user's own files back afterwards."""
        if self.charm_root is None or not self.writes_spec_to_charm_root():
            yield
            return
        root = Path(self.charm_root)
        saved: Dict[Path, Optional[str]] = {}
        for name, text in self._spec_files():
            path = root / name
            saved[path] = path.read_text() if path.exists() else None
            if saved[path] is not None:
                logger.warning(
                    "%s in charm_root is replaced by the spec given to Context during the run",
                    path,
                )
            path.write_text(text)
        try:
            yield
        finally:
            for path, saved_text in saved.items():
                if saved_text is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_text(saved_text)


def _wrap(charm_type: type) -> type:
    """A subclass of the charm (and of its events class) for the runs of one Context.

    ops defines the relation, storage, action and workload events on the charm's events
    class each time a charm is constructed, and refuses to define one twice. The subclass
    of the events class lets a second run's definitions through when they are already
    there, so one subclass serves every run, and the user's class is never touched. Both
    keep their original names, so handle paths stay ``MyCharm/on/...``.
    """
    events_type = type(charm_type.on)  # type: ignore[attr-defined]

    def define_event(cls: type, event_kind: str, event_type: type) -> None:
        existing = cls.__dict__.get(event_kind)
        if existing is not None and getattr(existing, "event_type", None) is event_type:
            return
        events_type.define_event.__func__(cls, event_kind, event_type)  # type: ignore[attr-defined]

    events = type(
        events_type.__name__,
        (events_type,),
        {"__module__": events_type.__module__, "define_event": classmethod(define_event)},
    )
    return type(
        charm_type.__name__,
        (charm_type,),
        {
            "on": events(),
            "__module__": charm_type.__module__,
            "__qualname__": charm_type.__qualname__,
        },
    )
