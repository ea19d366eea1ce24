"""The cases, written with Scenario 8 as ops 3.9 ships it (``ops[testing]``).

Scenario 8's API: events come from ``ctx.on``, actions run through ``ctx.run`` too, and
State collections are sets. Same cases as ``cases_scenario5``, same charm, same checks.
"""

from typing import Any, Callable, Tuple

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
from ops import testing

IMPORT = "from ops import testing"
IMPORT_WITH_OPS = IMPORT  # ops.testing is ops

Case = Tuple[Callable[[], Any], Callable[[Any], None]]


def _context() -> testing.Context:
    meta, config, actions = spec()
    return testing.Context(BenchCharm, meta=meta, config=config, actions=actions)


def _db() -> testing.Relation:
    return testing.Relation(
        "db",
        remote_app_name="postgresql",
        remote_app_data=dict(DB_APP_DATA),
        remote_units_data=remote_units_data(),
    )


def _stored(state: testing.State) -> dict:
    return dict(state.get_stored_state("_stored", owner_path="BenchCharm").content)


def case_unobserved() -> Case:
    ctx, state = _context(), testing.State(config=CONFIG)

    def check(out: testing.State) -> None:
        assert out.unit_status == testing.UnknownStatus()

    return lambda: ctx.run(ctx.on.update_status(), state), check


def case_start() -> Case:
    ctx, state = _context(), testing.State(config=CONFIG)

    def check(out: testing.State) -> None:
        assert out.unit_status == testing.ActiveStatus()

    return lambda: ctx.run(ctx.on.start(), state), check


def case_juju_log_200() -> Case:
    ctx, state = _context(), testing.State(config=CONFIG)

    def check(_: testing.State) -> None:
        lines = [line for line in ctx.juju_log if "migrating record" in line.message]
        assert len(lines) == 200, len(lines)

    return lambda: ctx.run(ctx.on.upgrade_charm(), state), check


def case_deferred() -> Case:
    ctx = _context()
    state = testing.State(config=CONFIG, deferred=[ctx.on.start().deferred(BenchCharm._on_start)])

    def check(out: testing.State) -> None:
        assert out.unit_status == testing.ActiveStatus()
        assert not out.deferred

    return lambda: ctx.run(ctx.on.update_status(), state), check


def _relation_changed(state: testing.State, relation: testing.Relation) -> Case:
    ctx = _context()

    def check(out: testing.State) -> None:
        changed = out.get_relation(relation.id)
        assert changed.local_unit_data["connected-to"] == DB_APP_DATA["endpoint"]

    # The remote unit named, as Juju does (JUJU_REMOTE_UNIT): no guessing, no warning.
    return lambda: ctx.run(ctx.on.relation_changed(relation, remote_unit=0), state), check


def case_relation_changed() -> Case:
    db = _db()
    return _relation_changed(testing.State(config=CONFIG, relations=[db]), db)


def case_relation_changed_200() -> Case:
    half = BIG_RELATIONS // 2
    website = [
        testing.Relation(
            "website", remote_app_name=f"web{i}", remote_units_data=remote_units_data()
        )
        for i in range(half)
    ]
    db = [_db() for _ in range(half)]
    return _relation_changed(testing.State(config=CONFIG, relations=db + website), db[0])


def case_pebble_ready() -> Case:
    ctx = _context()
    container = testing.Container("workload", can_connect=True)
    state = testing.State(config=CONFIG, containers=[container])

    def check(out: testing.State) -> None:
        assert out.unit_status == testing.ActiveStatus()
        workload = out.get_container("workload")
        assert "bench" in workload.layers
        pushed = workload.get_filesystem(ctx) / "etc/bench/bench.conf"
        assert pushed.read_text() == "log-level=debug\n"

    return lambda: ctx.run(ctx.on.pebble_ready(container), state), check


def case_action() -> Case:
    ctx = _context()
    state = testing.State(
        config=CONFIG,
        stored_states=[testing.StoredState("_stored", owner_path="BenchCharm", content=STORED)],
    )

    def check(_: testing.State) -> None:
        assert ctx.action_results == {"name": "nightly", "count": 3}, ctx.action_results
        assert ctx.action_logs == ["snapshotting nightly"]

    # Params given in full: Scenario 8 does not fill in the defaults of actions.yaml.
    params = {"name": "nightly"}
    return lambda: ctx.run(ctx.on.action("snapshot", params=params), state), check


def case_full_state() -> Case:
    ctx = _context()
    state = testing.State(
        config=CONFIG,
        relations=[
            _db(),
            testing.Relation(
                "website", remote_app_name="ingress", remote_app_data={"host": "bench"}
            ),
            testing.PeerRelation("cluster", peers_data={1: {"ready": "yes"}, 2: {"ready": "no"}}),
        ],
        networks=[testing.Network("db")],
        containers=[testing.Container("workload", can_connect=True)],
        storages=[testing.Storage("data")],
        opened_ports=[testing.TCPPort(8080)],
        leader=True,
        model=testing.Model(name="bench", uuid="00000000-0000-4000-8000-000000000000"),
        secrets=[testing.Secret({"password": "hunter2"}, owner="unit")],
        resources=[testing.Resource(name="image", path=RESOURCE_PATH)],
        planned_units=3,
        stored_states=[testing.StoredState("_stored", owner_path="BenchCharm", content=STORED)],
        app_status=testing.ActiveStatus("serving"),
        unit_status=testing.ActiveStatus("serving"),
        workload_version="1.2.3",
    )

    def check(out: testing.State) -> None:
        assert out.unit_status == testing.ActiveStatus("log level debug")
        assert _stored(out)["log_level"] == "debug"

    return lambda: ctx.run(ctx.on.config_changed(), state), check


def case_chain_4() -> Case:
    ctx, state = _context(), testing.State(config=CONFIG)

    def run() -> testing.State:
        out = ctx.run(ctx.on.install(), state)
        out = ctx.run(ctx.on.config_changed(), out)
        out = ctx.run(ctx.on.start(), out)
        return ctx.run(ctx.on.update_status(), out)

    def check(out: testing.State) -> None:
        assert out.unit_status == testing.ActiveStatus()
        assert _stored(out)["installed"] is True

    return run, check


def case_context_autoload() -> Case:
    def check(ctx: testing.Context) -> None:
        # (Context.charm_spec is deprecated in Scenario 8: read the private one.)
        assert ctx._charm_spec.meta["name"] == "bench"
        assert "snapshot" in (ctx._charm_spec.actions or {})

    return lambda: testing.Context(BenchCharm), check


def case_new_context_start() -> Case:
    state = testing.State(config=CONFIG)

    def run() -> testing.State:
        ctx = testing.Context(BenchCharm)
        return ctx.run(ctx.on.start(), state)

    def check(out: testing.State) -> None:
        assert out.unit_status == testing.ActiveStatus()

    return run, check
