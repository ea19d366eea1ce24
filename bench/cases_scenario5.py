"""The cases, written once with the Scenario 5 API.

They run unchanged on this project's ``scenario`` and on ops-scenario 5.8.1: the same
module is imported in both venvs. Each case builds its Context and State (not timed) and
returns ``(run, check)``: ``run`` is what is timed, ``check`` asserts on one output that
the charm did its work.
"""

from typing import Any, Callable, Tuple

import ops
from charm import BenchCharm
from common import (
    BIG_RELATIONS,
    CONFIG,
    DB_APP_DATA,
    RESOURCE_PATH,
    STORED,
    remote_units_data,
    spec,
)

from scenario import (
    Action,
    Container,
    Context,
    Event,
    Model,
    Network,
    PeerRelation,
    Port,
    Relation,
    Secret,
    State,
    Storage,
    StoredState,
    deferred,
)

IMPORT = "import scenario"
IMPORT_WITH_OPS = "import ops; import scenario"

Case = Tuple[Callable[[], Any], Callable[[Any], None]]


# The Context the last case set up made, for the long-session rows that clear its records.
LAST_CONTEXT: Any = None


def _context() -> Context:
    global LAST_CONTEXT
    meta, config, actions = spec()
    LAST_CONTEXT = Context(BenchCharm, meta=meta, config=config, actions=actions)
    return LAST_CONTEXT


def _db(**kwargs: Any) -> Relation:
    return Relation(
        "db",
        remote_app_name="postgresql",
        remote_app_data=dict(DB_APP_DATA),
        remote_units_data=remote_units_data(),
        **kwargs,
    )


def _stored(state: State) -> dict:
    found = [s for s in state.stored_state if s.owner_path == "BenchCharm"]
    return dict(found[0].content)


def case_unobserved() -> Case:
    ctx, state = _context(), State(config=CONFIG)

    def check(out: State) -> None:
        assert out.unit_status == ops.UnknownStatus()

    return lambda: ctx.run("update-status", state), check


def case_start() -> Case:
    ctx, state = _context(), State(config=CONFIG)

    def check(out: State) -> None:
        assert out.unit_status == ops.ActiveStatus()

    return lambda: ctx.run("start", state), check


def case_juju_log_200() -> Case:
    ctx, state = _context(), State(config=CONFIG)

    def check(_: State) -> None:
        lines = [line for line in ctx.juju_log if "migrating record" in line.message]
        assert len(lines) == 200, len(lines)

    return lambda: ctx.run("upgrade-charm", state), check


def case_deferred() -> Case:
    ctx = _context()
    state = State(config=CONFIG, deferred=[deferred("start", BenchCharm._on_start)])

    def check(out: State) -> None:
        assert out.unit_status == ops.ActiveStatus()
        assert not out.deferred

    return lambda: ctx.run("update-status", state), check


def _relation_changed(state: State) -> Case:
    ctx = _context()
    relation = state.relations[0]
    # The remote unit named, as Juju does (JUJU_REMOTE_UNIT): no guessing, no warning.
    event = Event("db-relation-changed", relation=relation, relation_remote_unit_id=0)

    def check(out: State) -> None:
        changed = next(r for r in out.relations if r.relation_id == relation.relation_id)
        assert changed.local_unit_data["connected-to"] == DB_APP_DATA["endpoint"]

    return lambda: ctx.run(event, state), check


def case_relation_changed() -> Case:
    return _relation_changed(State(config=CONFIG, relations=[_db()]))


def case_relation_changed_200() -> Case:
    half = BIG_RELATIONS // 2
    website = [
        Relation("website", remote_app_name=f"web{i}", remote_units_data=remote_units_data())
        for i in range(half)
    ]
    db = [_db() for _ in range(half)]
    return _relation_changed(State(config=CONFIG, relations=db + website))


def case_pebble_ready() -> Case:
    ctx = _context()
    container = Container("workload", can_connect=True)
    state = State(config=CONFIG, containers=[container])

    def check(out: State) -> None:
        assert out.unit_status == ops.ActiveStatus()
        workload = out.containers[0]
        assert "bench" in workload.layers
        pushed = workload.get_filesystem(ctx) / "etc/bench/bench.conf"
        assert pushed.read_text() == "log-level=debug\n"

    return lambda: ctx.run(container.pebble_ready_event, state), check


def case_action() -> Case:
    ctx = _context()
    state = State(config=CONFIG, stored_state=[StoredState("BenchCharm", content=STORED)])

    def check(out: Any) -> None:
        assert out.results == {"name": "nightly", "count": 3}, out.results
        assert out.logs == ["snapshotting nightly"]

    # Params given in full: Scenario 8 does not fill in the defaults of actions.yaml.
    snapshot = Action("snapshot", params={"name": "nightly"})
    return lambda: ctx.run_action(snapshot, state), check


def case_full_state() -> Case:
    ctx = _context()
    state = State(
        config=CONFIG,
        relations=[
            _db(),
            Relation("website", remote_app_name="ingress", remote_app_data={"host": "bench"}),
            PeerRelation("cluster", peers_data={1: {"ready": "yes"}, 2: {"ready": "no"}}),
        ],
        networks=[Network.default("db")],
        containers=[Container("workload", can_connect=True)],
        storage=[Storage("data")],
        opened_ports=[Port("tcp", 8080)],
        leader=True,
        model=Model(name="bench", uuid="00000000-0000-4000-8000-000000000000"),
        secrets=[Secret(id="secret:bench", contents={0: {"password": "hunter2"}}, owner="unit")],
        resources={"image": RESOURCE_PATH},
        planned_units=3,
        stored_state=[StoredState("BenchCharm", content=STORED)],
        app_status=ops.ActiveStatus("serving"),
        unit_status=ops.ActiveStatus("serving"),
        workload_version="1.2.3",
    )

    def check(out: State) -> None:
        assert out.unit_status == ops.ActiveStatus("log level debug")
        assert _stored(out)["log_level"] == "debug"

    return lambda: ctx.run("config-changed", state), check


def case_chain_4() -> Case:
    ctx, state = _context(), State(config=CONFIG)

    def run() -> State:
        out = state
        for event in ("install", "config-changed", "start", "update-status"):
            out = ctx.run(event, out)
        return out

    def check(out: State) -> None:
        assert out.unit_status == ops.ActiveStatus()
        assert _stored(out)["installed"] is True

    return run, check


def case_context_autoload() -> Case:
    def check(ctx: Context) -> None:
        # Scenario 5.8.1's public name; ours deprecates it, as ops[testing] does, for
        # the quiet _charm_spec.
        spec = getattr(ctx, "_charm_spec", None) or ctx.charm_spec
        assert spec.meta["name"] == "bench"
        assert "snapshot" in spec.actions

    return lambda: Context(BenchCharm), check


def case_new_context_start() -> Case:
    state = State(config=CONFIG)

    def check(out: State) -> None:
        assert out.unit_status == ops.ActiveStatus()

    return lambda: Context(BenchCharm).run("start", state), check
