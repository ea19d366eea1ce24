"""The demo: run the example charm through a few state transitions and print each."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "hello-charm" / "src"))

from charm import HelloCharm

from scenario import Context, Relation, State


def show(title: str, ctx: Context, state: State) -> None:
    print(f"\n== {title}")
    print(f"   unit status : {state.unit_status!r}")
    print(f"   app status  : {state.app_status!r}")
    print(f"   history     : {ctx.unit_status_history!r}")
    print(f"   ports       : {state.opened_ports!r}")
    print(f"   version     : {state.workload_version!r}")
    print(f"   deferred    : {[d.handle_path for d in state.deferred]}")
    stored = [s for s in state.stored_state if s.owner_path]
    print(f"   stored      : {[(s.owner_path, s.content) for s in stored]}")
    for relation in state.relations:
        print(f"   {relation.endpoint} unit data: {relation.local_unit_data}")
        print(f"   {relation.endpoint} app data : {relation.local_app_data}")
    ctx.unit_status_history.clear()


def main() -> None:
    # The spec (metadata, config, actions) is read from examples/hello-charm/charmcraft.yaml.
    ctx = Context(HelloCharm)
    state = State(leader=True)
    for event in ("install", "config-changed", "start", "update-status"):
        state = ctx.run(event, state)
        show(event, ctx, state)

    db = Relation("db", remote_app_data={"endpoints": "10.0.0.1:5432"})
    state = state.replace(relations=[db])
    state = ctx.run(db.changed_event, state)
    show("db-relation-changed (the deferred update-status runs first)", ctx, state)

    out = ctx.run_action("greet", state)
    print(f"\n== greet action\n   results: {out.results}\n   logs   : {out.logs}")

    print("\n== the output State, as JSON (states round-trip through JSON and YAML)")
    print(State.from_json(state.to_json()) == state)


if __name__ == "__main__":
    main()
