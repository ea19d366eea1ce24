"""The ``scenario`` command: run a charm on a State file, or check a scenario's consistency.

    scenario run src/charm.py:MyCharm start --state state.yaml --output out.json
    scenario check src/charm.py:MyCharm db-relation-changed --state state.json

States are read and written as JSON or YAML (by file extension; ``-`` is stdin/stdout,
JSON). The charm's metadata is read from its charm root, as ``Context`` does.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from scenario_rs.consistency_checker import consistency_report
from scenario_rs.context import Context
from scenario_rs.runtime import InconsistentScenarioError, UncaughtCharmError
from scenario_rs.state import Event, State

__all__ = ["main"]


def _load_charm(ref: str) -> Any:
    """``path/to/charm.py:Class`` or ``package.module:Class``."""
    target, _, name = ref.rpartition(":")
    if not target or not name:
        raise SystemExit(f"scenario: charm must be FILE.py:Class or module:Class, got {ref!r}")
    if target.endswith(".py"):
        path = Path(target).resolve()
        sys.path.insert(0, str(path.parent))
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise SystemExit(f"scenario: cannot import {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
    try:
        return getattr(module, name)
    except AttributeError:
        raise SystemExit(f"scenario: {target} has no {name}") from None


def _read_state(path: Optional[str]) -> State:
    if path is None:
        return State()
    text = sys.stdin.read() if path == "-" else Path(path).read_text()
    if path.endswith((".yaml", ".yml")):
        return State.from_yaml(text)
    return State.from_json(text)


def _write_state(state: State, path: str) -> None:
    text = state.to_yaml() if path.endswith((".yaml", ".yml")) else state.to_json()
    if path == "-":
        sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
    else:
        Path(path).write_text(text)


def _run(args: argparse.Namespace) -> int:
    ctx = Context(_load_charm(args.charm), juju_version=args.juju_version)
    state = _read_state(args.state)
    try:
        out = ctx.run(Event(args.event), state)
    except InconsistentScenarioError as e:
        print(f"scenario: {e}", file=sys.stderr)
        return 2
    except UncaughtCharmError as e:
        print(f"scenario: the charm raised {e.__cause__!r}", file=sys.stderr)
        return 1
    _write_state(out, args.output)
    if args.log:
        for line in ctx.juju_log:
            print(f"{line.level}: {line.message}", file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    ctx = Context(_load_charm(args.charm), juju_version=args.juju_version)
    state = _read_state(args.state)
    event = ctx._coerce_event(args.event, state)
    report = consistency_report(state, event, ctx.charm_spec, args.juju_version)
    for finding in report.errors + report.warnings:
        print(f"{finding.severity}[{finding.rule}] {finding.path}: {finding.message}")
    if args.json:
        print(json.dumps([f._asdict() for f in report.errors + report.warnings], indent=2))
    return 1 if report.errors else 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="scenario", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("run", "run the charm with an event on a State; print the output State"),
        ("check", "report whether Juju could produce this scenario"),
    ):
        cmd = commands.add_parser(name, help=help_text)
        cmd.add_argument("charm", help="the charm class: path/to/charm.py:Class or module:Class")
        cmd.add_argument("event", help="the event, e.g. start or db-relation-changed")
        cmd.add_argument("--state", help="the input State, a .json or .yaml file (- for stdin)")
        cmd.add_argument("--juju-version", default="3.4.0")
        if name == "run":
            cmd.add_argument("--output", default="-", help="where to write the output State")
            cmd.add_argument("--log", action="store_true", help="print juju-log lines to stderr")
        else:
            cmd.add_argument("--json", action="store_true", help="also print findings as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    handlers = {"run": _run, "check": _check}
    return handlers[args.command](args)


def _console() -> None:  # pragma: no cover - the console script
    raise SystemExit(main())
