"""The floor: ops 3.9 hand-wired, with no testing SDK at all.

What ``ops.main`` does for one event, minus everything a test does not need: a Model over
a ``_ModelBackend`` whose hook tools return fixed answers (nothing is recorded, nothing is
checked), a Framework over a dict store, a fresh subclass of the charm (ops defines the
relation, storage and workload events on the charm's class when it is constructed, and
refuses to define one twice), the re-emission of deferred events, the event, collect-status,
commit, close. No run can cost less than this; the ratio ours/floor is what a testing SDK
adds on top of ops.
"""

import inspect
import logging
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import ops
import ops.charm
import ops.framework
import ops.log
import ops.model
import ops.storage
import yaml
from charm import BenchCharm
from common import (
    BIG_RELATIONS,
    CHARM_ROOT,
    CONFIG,
    DB_APP_DATA,
    STORED,
    UNITS_PER_RELATION,
    spec,
    unit_data,
)
from ops._main import _get_event_args
from ops.jujucontext import JujuContext

IMPORT = "import ops"
IMPORT_WITH_OPS = IMPORT

Case = Tuple[Callable[[], Any], Callable[[Any], None]]

STORED_HANDLE = "BenchCharm/StoredStateData[_stored]"

_META, _CONFIG_META, _ACTIONS = spec()
META = ops.CharmMeta(_META, _ACTIONS, _CONFIG_META)


class _DictStore:
    """ops's storage protocol over dicts: SQLiteStorage without the database."""

    def __init__(self, snapshots: Optional[Dict[str, Any]] = None):
        self.snapshots: Dict[str, Any] = dict(snapshots or {})
        self.notices_: List[Tuple[str, str, str]] = []

    def close(self) -> None:
        pass

    def commit(self) -> None:
        pass

    def save_snapshot(self, handle_path: str, snapshot_data: Any) -> None:
        self.snapshots[handle_path] = snapshot_data

    def load_snapshot(self, handle_path: str) -> Any:
        try:
            return self.snapshots[handle_path]
        except KeyError:
            raise ops.storage.NoSnapshotError(handle_path) from None

    def drop_snapshot(self, handle_path: str) -> None:
        self.snapshots.pop(handle_path, None)

    def list_snapshots(self) -> Any:
        yield from list(self.snapshots)

    def save_notice(self, event_path: str, observer_path: str, method_name: str) -> None:
        self.notices_.append((event_path, observer_path, method_name))

    def drop_notice(self, event_path: str, observer_path: str, method_name: str) -> None:
        self.notices_.remove((event_path, observer_path, method_name))

    def notices(self, event_path: Optional[str] = None) -> Any:
        for notice in list(self.notices_):
            if event_path is None or notice[0] == event_path:
                yield notice


class _Pebble:
    """A Pebble client that accepts everything and answers nothing."""

    def push(self, *args: Any, **kwargs: Any) -> None:
        pass

    def add_layer(self, *args: Any, **kwargs: Any) -> None:
        pass

    def replan_services(self, *args: Any, **kwargs: Any) -> None:
        pass


class _Backend(ops.model._ModelBackend):
    """Hook tools with fixed answers; writes go nowhere except what the checks look at."""

    def __init__(self, juju_context: JujuContext, relations: Dict[str, List[int]]):
        super().__init__(juju_context=juju_context)
        self._relations = relations
        self._apps = {
            rid: "postgresql" if name == "db" else f"web{i}"
            for name, ids in relations.items()
            for i, rid in enumerate(ids)
        }
        self.unit_status: Tuple[str, str] = ("unknown", "")
        self.relation_writes: Dict[int, Dict[str, str]] = {}
        self.action_results: Dict[str, Any] = {}
        self.action_logs: List[str] = []
        self.log_lines = 0

    def is_leader(self) -> bool:
        return True

    def config_get(self) -> Dict[str, Any]:
        return dict(CONFIG)

    def status_get(self, *, is_app: bool = False) -> Dict[str, Any]:
        return {"status": "unknown", "message": ""}

    def status_set(self, status: str, message: str = "", *, is_app: bool = False) -> None:
        if not is_app:
            self.unit_status = (status, message)

    def juju_log(self, level: str, message: str) -> None:
        self.log_lines += 1

    def relation_ids(self, relation_name: str) -> List[int]:
        return self._relations.get(relation_name, [])

    def relation_list(self, relation_id: int, **_: Any) -> List[str]:
        app = self._apps[relation_id]
        return [f"{app}/{unit}" for unit in range(UNITS_PER_RELATION)]

    def relation_remote_app_name(self, relation_id: int, **_: Any) -> Optional[str]:
        return self._apps[relation_id]

    def relation_get(self, relation_id: int, member_name: str, is_app: bool, **_: Any) -> Any:
        if member_name == self.unit_name:
            return {}
        if is_app:
            return dict(DB_APP_DATA)
        return unit_data(int(member_name.split("/")[1]))

    def relation_set(self, relation_id: int, data: Any, is_app: bool, **_: Any) -> None:
        self.relation_writes.setdefault(relation_id, {}).update(data)

    def action_get(self) -> Dict[str, Any]:
        return {"name": "nightly"}

    def action_set(self, results: Dict[str, Any]) -> None:
        self.action_results.update(results)

    def action_log(self, message: str) -> None:
        self.action_logs.append(message)

    def get_pebble(self, socket_path: str) -> Any:
        return _Pebble()


def _charm_class() -> type:
    """A fresh subclass of the charm and of its events class, as Harness makes one."""
    events = type(type(BenchCharm.on).__name__, (type(BenchCharm.on),), {})
    return type("BenchCharm", (BenchCharm,), {"on": events()})


def _juju_context(event: str, **env: str) -> JujuContext:
    return JujuContext._from_dict(
        {
            "JUJU_UNIT_NAME": "bench/0",
            "JUJU_MODEL_NAME": "bench",
            "JUJU_MODEL_UUID": "00000000-0000-4000-8000-000000000000",
            "JUJU_VERSION": "3.4.0",
            "JUJU_CHARM_DIR": str(CHARM_ROOT),
            "JUJU_DISPATCH_PATH": f"hooks/{event.replace('_', '-')}",
            **env,
        }
    )


def run_event(
    event: str, juju_context: JujuContext, backend: _Backend, store: _DictStore
) -> _Backend:
    """One dispatch of ``event``, as ``ops.main`` does it."""
    root = logging.getLogger()
    handler = ops.log.JujuLogHandler(backend)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        model = ops.model.Model(META, backend)
        framework = ops.Framework(
            store,  # type: ignore[arg-type]
            CHARM_ROOT,
            META,
            model,
            event_name=event,
            juju_debug_at=set(),
        )
        try:
            with framework._event_context("__init__"):
                charm = _charm_class()(framework)
            framework.reemit()
            bound = getattr(charm.on, event)
            args, kwargs = _get_event_args(charm, bound, juju_context)
            bound.emit(*args, **kwargs)
            ops.charm._evaluate_status(charm)
            framework.commit()
        finally:
            framework.close()
    finally:
        root.removeHandler(handler)
    return backend


def _case(
    event: str,
    check: Callable[[_Backend, _DictStore], None],
    relations: Optional[Dict[str, List[int]]] = None,
    snapshots: Optional[Dict[str, Any]] = None,
    notices: Optional[List[Tuple[str, str, str]]] = None,
    **env: str,
) -> Case:
    juju_context = _juju_context(event, **env)
    last: Dict[str, Any] = {}

    def run() -> _Backend:
        # A fresh backend and store per run, as a fresh State would be.
        backend = _Backend(juju_context, relations or {})
        store = _DictStore({k: dict(v) for k, v in (snapshots or {}).items()})
        store.notices_.extend(notices or [])
        last["store"] = store
        return run_event(event, juju_context, backend, store)

    return run, lambda backend: check(backend, last["store"])


def case_unobserved() -> Case:
    def check(backend: _Backend, _: _DictStore) -> None:
        assert backend.unit_status == ("unknown", "")

    return _case("update_status", check)


def case_start() -> Case:
    def check(backend: _Backend, _: _DictStore) -> None:
        assert backend.unit_status == ("active", "")

    return _case("start", check)


def case_juju_log_200() -> Case:
    def check(backend: _Backend, _: _DictStore) -> None:
        assert backend.log_lines >= 200, backend.log_lines

    return _case("upgrade_charm", check)


def case_deferred() -> Case:
    def check(backend: _Backend, store: _DictStore) -> None:
        assert backend.unit_status == ("active", "")
        assert not store.notices_

    path = "BenchCharm/on/start[1]"
    return _case(
        "update_status",
        check,
        snapshots={path: {}},
        notices=[(path, "BenchCharm", "_on_start")],
    )


def _relation_changed(relations: Dict[str, List[int]]) -> Case:
    rid = relations["db"][0]

    def check(backend: _Backend, _: _DictStore) -> None:
        assert backend.relation_writes[rid] == {"connected-to": DB_APP_DATA["endpoint"]}

    return _case(
        "db_relation_changed",
        check,
        relations=relations,
        JUJU_RELATION="db",
        JUJU_RELATION_ID=f"db:{rid}",
        JUJU_REMOTE_APP="postgresql",
        JUJU_REMOTE_UNIT="postgresql/0",
    )


def case_relation_changed() -> Case:
    return _relation_changed({"db": [1]})


def case_relation_changed_200() -> Case:
    half = BIG_RELATIONS // 2
    return _relation_changed(
        {"db": list(range(1, half + 1)), "website": list(range(half + 1, BIG_RELATIONS + 1))}
    )


def case_pebble_ready() -> Case:
    def check(backend: _Backend, _: _DictStore) -> None:
        assert backend.unit_status == ("active", "")

    return _case("workload_pebble_ready", check, JUJU_WORKLOAD_NAME="workload")


def case_action() -> Case:
    def check(backend: _Backend, _: _DictStore) -> None:
        assert backend.action_results == {"name": "nightly", "count": 3}
        assert backend.action_logs == ["snapshotting nightly"]

    return _case(
        "snapshot_action",
        check,
        snapshots={STORED_HANDLE: STORED},
        JUJU_ACTION_NAME="snapshot",
        JUJU_ACTION_UUID="1",
        JUJU_DISPATCH_PATH="actions/snapshot",
    )


def case_full_state() -> Case:
    # The floor has no State: its backend answers whatever the charm asks, so a "State
    # with every component" costs it what config-changed with stored state costs.
    def check(backend: _Backend, store: _DictStore) -> None:
        assert backend.unit_status == ("active", "log level debug")
        assert store.snapshots[STORED_HANDLE]["log_level"] == "debug"

    relations = {"db": [1], "website": [2], "cluster": [3]}
    return _case("config_changed", check, relations=relations, snapshots={STORED_HANDLE: STORED})


def case_chain_4() -> Case:
    events = ("install", "config_changed", "start", "update_status")
    contexts = [_juju_context(event) for event in events]

    def run() -> Tuple[_Backend, _DictStore]:
        # One unit's life: the same store (its state file) across the four dispatches.
        store = _DictStore()
        for event, juju_context in zip(events, contexts, strict=True):
            backend = run_event(event, juju_context, _Backend(juju_context, {}), store)
        return backend, store

    def check(out: Tuple[_Backend, _DictStore]) -> None:
        backend, store = out
        assert backend.unit_status == ("unknown", "")  # update-status set nothing
        assert store.snapshots[STORED_HANDLE]["installed"] is True

    return run, check


def _autoload() -> ops.CharmMeta:
    """What autoloading needs at the least: find the charm root, read charmcraft.yaml,
    build ops's CharmMeta."""
    root = Path(inspect.getfile(BenchCharm)).resolve().parent.parent
    raw = yaml.safe_load((root / "charmcraft.yaml").read_text())
    return ops.CharmMeta(raw, raw.get("actions"), raw.get("config"))


def case_context_autoload() -> Case:
    def check(meta: ops.CharmMeta) -> None:
        assert meta.name == "bench"
        assert "snapshot" in meta.actions

    return _autoload, check


def case_new_context_start() -> Case:
    run_start, check_start = case_start()

    def run() -> _Backend:
        _autoload()
        return run_start()

    return run, check_start
