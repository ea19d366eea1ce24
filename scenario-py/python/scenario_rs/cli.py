"""The ``scenario`` command: run a charm with an event on a State file, or check that Juju
could produce that scenario.

    scenario run examples/hello-charm config-changed --state state.yaml --log
    scenario run examples/hello-charm greet --param name=Ada
    scenario check src/charm.py:MyCharm db-relation-changed --state state.json --json
    scenario --version

Events are named in Juju's words (see ``_cli_events``). A user's mistake is one line on
stderr and exit code 2; a charm that raises, or an action that fails, exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import inspect
import json
import os
import sys
import traceback
import warnings
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Iterator, List, NoReturn, Optional, Sequence, Tuple, Type, cast

from scenario_rs import errors
from scenario_rs._charm_frames import charm_frame, is_ours, shown_path
from scenario_rs._cli_events import (
    EventOptions,
    MissingEntity,
    Resolved,
    UsageError,
    resolve,
)
from scenario_rs._scenario import Api
from scenario_rs.consistency_checker import consistency_report

__all__ = ["main"]

# Exit codes.
OK, FAILED, USAGE, INTERNAL = 0, 1, 2, 3

# What Scenario raises when it refuses a charm's spec, a State or an event: the user's to fix.
_SCENARIO_ERRORS: Tuple[Type[BaseException], ...] = (
    errors.ContextSetupError,
    errors.InconsistentScenarioError,
    errors.StateValidationError,
    errors.MissingEventEntityError,
    errors.InvalidEventError,
    errors.NoObserverError,
    errors.BindFailedError,
    errors.StateEntityNotFound,
)


_CHARM_HELP = """\
CHARM is the charm to run: a charm directory (its src/charm.py), a Python file, or an
importable module, each with :Class after it if the module defines several charm classes
(examples/hello-charm, src/charm.py, src/charm.py:MyCharm, mypackage.charm:MyCharm). Its
metadata, config and actions are read from its charm root (the parent of the directory
holding the file): metadata.yaml, config.yaml and actions.yaml, or charmcraft.yaml.
"""

_EVENT_HELP = """\
EVENT is named as Juju names it:
  install, start, config-changed, update-status, leader-elected, upgrade-charm, stop,
  remove, collect-unit-status, ...      hooks every charm has
  ENDPOINT-relation-created|joined|changed|departed|broken
                                        --relation ID, --remote-unit N, --departing-unit N
  STORAGE-storage-attached|detaching    --storage-index N
  CONTAINER-pebble-ready|custom-notice|check-failed|check-recovered
                                        --notice KEY, --check NAME
  secret-changed|rotate|expired|remove  --secret ID_OR_LABEL, --revision N
  ACTION                                an action of actions.yaml, --param KEY=VALUE
An event about a relation, storage, container, notice, check or secret is about the one
the State has; where it has several, the option says which.
"""

_TOP_EPILOG = f"""\
{_CHARM_HELP}
examples:
  scenario run examples/hello-charm start
  scenario run examples/hello-charm db-relation-changed --state state.yaml --log
  scenario run examples/hello-charm greet --param name=Ada --json
  scenario check examples/hello-charm db-relation-changed --state state.yaml

exit codes: 0 done (check: consistent); 1 the charm raised, the action failed, or
(check) Juju could not produce the scenario; 2 a mistake in the command or its files;
3 an internal error of scenario (a bug: please report it, with --traceback's output).
`scenario COMMAND --help` says more of each command.
"""

_RUN_EPILOG = f"""\
{_EVENT_HELP}
{_CHARM_HELP}
output:
  The output State goes to stdout as JSON, or to --output FILE (JSON, or YAML for .yaml
  and .yml). What the run did goes to stderr: the unit's and app's status, deferred
  events, an action's log and results, warnings, and with --log the juju-log lines.
  --json prints one JSON object to stdout instead, with the keys event, api, juju_version,
  state (the output State; null if the charm raised), unit_status, app_status,
  unit_status_history, app_status_history, workload_version_history, juju_log (each
  {{level, message}}), action (null, or {{name, params, logs, results, failure}}),
  warnings and error (null, or {{type, message, traceback}}).

exit codes: 0 the run finished; 1 the charm raised (one line naming the exception;
--traceback adds the charm's traceback) or the action failed (its message); 2 a mistake
in the command, the charm reference, the State file or an inconsistent scenario.

examples:
  scenario run examples/hello-charm start
  scenario run examples/hello-charm config-changed --state state.yaml --output out.yaml --log
  scenario run examples/hello-charm db-relation-changed --state state.yaml --relation 1
  scenario run examples/hello-charm greet --param name=Ada
  scenario run src/charm.py:MyCharm workload-pebble-ready --state state.json --json
"""

_CHECK_EPILOG = f"""\
{_EVENT_HELP}
{_CHARM_HELP}
output:
  Each finding of the consistency checker, one a line: its severity (error: the run
  would be refused; stricter: Juju would refuse it, though the original Scenario ran it;
  warning), its rule code, the field it is about, and what to do. Then what was checked.
  --json prints the findings as a JSON list of {{severity, rule, path, message}} instead.

exit codes: 0 consistent (perhaps with warnings); 1 Juju could not produce the scenario
(an error or stricter finding); 2 a mistake in the command, the charm reference or the
State file.

examples:
  scenario check examples/hello-charm start
  scenario check examples/hello-charm db-relation-changed --state state.yaml
  scenario check src/charm.py:MyCharm backup --param compress=true --json
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake said in one line (not the usage and then the error)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _version() -> str:
    """``scenario-rs 0.1.0 (ops 3.9.0)``: this distribution, and the ops its runs use."""
    import ops

    try:
        ours = metadata.version("scenario-rs")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        ours = "unknown"
    return f"scenario-rs {ours} (ops {ops.__version__})"


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="scenario",
        description="Run a Juju charm with an event on a State, or check that Juju could\n"
        "produce that scenario (Scenario, in Rust).",
        epilog=_TOP_EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = _Parser(add_help=False)
    common.add_argument("charm", metavar="CHARM", help="the charm (see below)")
    common.add_argument("event", metavar="EVENT", help="the event, as Juju names it (see below)")
    common.add_argument(
        "--state",
        metavar="FILE",
        help="the input State, JSON or YAML (as State.to_json() and to_yaml() write it); - "
        "reads stdin; an empty State without it",
    )
    common.add_argument(
        "--api",
        choices=("8", "5"),
        default="8",
        help="whose rules the scenario follows: ops[testing]'s (8, the default, the API "
        "charms are tested in today) or Scenario 5's (5); each has its default Juju version",
    )
    common.add_argument(
        "--juju-version",
        metavar="X.Y[.Z]",
        help=f"the Juju version to simulate (default: {Api.SCENARIO_8.default_juju_version} "
        f"under --api 8, {Api.SCENARIO_5.default_juju_version} under --api 5)",
    )
    entity = common.add_argument_group("what the event is about")
    entity.add_argument("--relation", metavar="ID", type=int, help="the relation's id")
    entity.add_argument(
        "--remote-unit", metavar="N", type=int, help="the remote unit a relation event is from"
    )
    entity.add_argument(
        "--departing-unit", metavar="N", type=int, help="the unit a relation-departed is about"
    )
    entity.add_argument(
        "--secret", metavar="ID_OR_LABEL", help="the secret, by its id or its label"
    )
    entity.add_argument(
        "--revision",
        metavar="N",
        type=int,
        help="the secret revision of secret-expired (default: the current one) or secret-remove",
    )
    entity.add_argument("--storage-index", metavar="N", type=int, help="the storage's index")
    entity.add_argument("--notice", metavar="KEY", help="the Pebble notice, by key or id")
    entity.add_argument("--check", metavar="NAME", help="the Pebble check")
    entity.add_argument(
        "--param",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="an action param (repeatable), typed as actions.yaml declares it: integer, "
        "number, boolean (true/false), array and object as JSON, string as given",
    )
    common.add_argument(
        "--traceback",
        action="store_true",
        help="with an error, also print the traceback (the charm's own, if it raised)",
    )

    run = commands.add_parser(
        "run",
        parents=[common],
        help="run the charm with an event on a State; write the output State",
        description="Run the charm with EVENT on the State of --state, write the output "
        "State,\nand say what the run did on stderr.",
        epilog=_RUN_EPILOG,
        formatter_class=formatter,
    )
    run.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default="-",
        help="where the output State goes: a .json, .yaml or .yml file, or - (stdout, JSON; "
        "the default)",
    )
    run.add_argument("--log", action="store_true", help="print the juju-log lines to stderr")
    run.add_argument(
        "--strict",
        action="store_true",
        help="what Juju would refuse, but the original Scenario let pass, is an error, not a "
        "warning (as SCENARIO_STRICT=1)",
    )
    run.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: the output State and what the run recorded (see below)",
    )
    run.set_defaults(handler=_run)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="say whether Juju could produce this scenario (the consistency checker)",
        description="Check that Juju could produce EVENT on the State of --state for CHARM:\n"
        "print each finding of the consistency checker, or what was checked.",
        epilog=_CHECK_EPILOG,
        formatter_class=formatter,
    )
    check.add_argument(
        "--json",
        action="store_true",
        help="print the findings as a JSON list of {severity, rule, path, message}",
    )
    check.set_defaults(handler=_check)
    return parser


# --- what the user gave ---------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _exception_line(e: BaseException) -> str:
    message = _one_line(str(e))
    return f"{type(e).__name__}: {message}" if message else type(e).__name__


def _load_charm(ref: str) -> type:
    """The charm class ``ref`` names: ``DIR``, ``FILE.py`` or ``module``, then perhaps
    ``:Class``."""
    target, sep, class_name = ref.rpartition(":")
    if not sep:
        target, class_name = ref, ""
    if not target:
        raise UsageError(f"charm reference {ref!r} has no file, directory or module before ':'")
    path = Path(target)
    if path.is_dir():
        entry = path / "src" / "charm.py"
        if not entry.is_file():
            raise UsageError(
                f"{target} is a directory without src/charm.py: name the charm's file, such "
                f"as {path / 'src' / 'charm.py'}"
            )
        module = _import_file(entry)
    elif path.suffix == ".py" or path.is_file():
        if not path.is_file():
            raise UsageError(f"no such charm file: {target}")
        module = _import_file(path)
    else:
        # A module is found as `python -m` finds it: from the current directory too.
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        try:
            found = importlib.util.find_spec(target)
        except (ImportError, ValueError):
            found = None
        except Exception as e:  # a parent package that raised as it was imported
            raise _ImportFailed(target, e) from e
        if found is None:
            raise UsageError(
                f"charm {ref!r} is no file, directory or importable module: give a charm "
                "directory, a .py file, or module:Class"
            )
        try:
            module = importlib.import_module(target)
        except Exception as e:
            raise _ImportFailed(target, e) from e
    return _charm_class(module, target, class_name)


class _ImportFailed(UsageError):
    """The charm's module raised as it was imported."""

    def __init__(self, what: str, error: BaseException):
        super().__init__(f"cannot import the charm {what}: {_exception_line(error)}")


def _import_file(path: Path) -> ModuleType:
    path = path.resolve()
    # As a unit's dispatch does: the charm's own directory and its lib/ are importable.
    for directory in (path.parent.parent / "lib", path.parent):
        if directory.is_dir() and str(directory) not in sys.path:
            sys.path.insert(0, str(directory))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as e:  # SystemExit: a charm calling ops.main() unguarded
        raise _ImportFailed(str(path), e) from e
    return module


def _charm_class(module: ModuleType, where: str, name: str) -> type:
    import ops

    def is_charm(obj: Any) -> bool:
        return (
            isinstance(obj, type) and issubclass(obj, ops.CharmBase) and obj is not ops.CharmBase
        )

    if name:
        found = getattr(module, name, None)
        if found is None:
            raise UsageError(f"{where} has no {name}")
        if not is_charm(found):
            raise UsageError(f"{where}:{name} is not a charm class (a subclass of ops.CharmBase)")
        return found
    defined = [
        obj for obj in vars(module).values() if is_charm(obj) and obj.__module__ == module.__name__
    ]
    if len(defined) == 1:
        return defined[0]
    if not defined:
        raise UsageError(f"{where} defines no charm class (a subclass of ops.CharmBase)")
    names = ", ".join(sorted(c.__name__ for c in defined))
    raise UsageError(
        f"{where} defines several charm classes ({names}): name one, as {where}:Class"
    )


def _read_state(path: Optional[str]) -> Any:
    from scenario_rs.state import State

    if path is None:
        return State()
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text()
    except OSError as e:
        raise UsageError(f"cannot read the State file {path}: {e.strerror or e}") from None
    where = "the State on stdin" if path == "-" else path
    as_yaml = path.endswith((".yaml", ".yml")) or (
        not path.endswith(".json") and not text.lstrip().startswith(("{", "["))
    )
    try:
        return State.from_yaml(text) if as_yaml else State.from_json(text)
    except Exception as e:  # the readers say what is wrong, whatever it is
        raise UsageError(f"{where} is not a State: {_one_line(str(e))}") from None


def _state_words(path: Optional[str]) -> str:
    if path is None:
        return "an empty State"
    return "the State on stdin" if path == "-" else f"the State of {path}"


def _context(args: argparse.Namespace, strict: bool = False) -> Any:
    from scenario_rs.context import Context

    with _charm_prints():
        charm_type = _load_charm(args.charm)
    if args.juju_version is not None:
        from scenario_rs import _scenario

        try:
            _scenario.parse_juju_version(args.juju_version)
        except Exception as e:
            raise UsageError(f"--juju-version {args.juju_version}: {_one_line(str(e))}") from None
    try:
        ctx: Context[Any] = Context(
            charm_type, juju_version=args.juju_version, strict=strict or None
        )
    except Exception as e:  # ContextSetupError, or the spec reader's own error
        if isinstance(e.__cause__, errors.MetadataNotFoundError):
            root = Path(inspect.getfile(charm_type)).resolve().parent.parent
            raise UsageError(
                f"cannot find the metadata of {charm_type.__name__}: its charm root {root} "
                "(the parent of the directory holding the charm's file) has neither a "
                "charmcraft.yaml with name and type: charm, nor a metadata.yaml"
            ) from None
        raise UsageError(f"the charm's metadata: {_one_line(str(e))}") from None
    if not ctx.app_name:
        raise UsageError(
            f"the metadata of {charm_type.__name__} has no name: add `name:` to its "
            "charmcraft.yaml or metadata.yaml"
        )
    return ctx


def _event_options(args: argparse.Namespace) -> EventOptions:
    return EventOptions(
        relation=args.relation,
        remote_unit=args.remote_unit,
        departing_unit=args.departing_unit,
        secret=args.secret,
        revision=args.revision,
        storage_index=args.storage_index,
        notice=args.notice,
        check=args.check,
        params=args.param,
    )


# The --api option's words for each API.
_API_OPTIONS = {"8": Api.SCENARIO_8, "5": Api.SCENARIO_5}


def _api(args: argparse.Namespace) -> Api:
    return _API_OPTIONS[args.api]


def _juju_version(args: argparse.Namespace) -> str:
    return args.juju_version or _api(args).default_juju_version


def _findings(ctx: Any, state: Any, resolved: Resolved, args: argparse.Namespace) -> List[Any]:
    """The checker's findings for the run this would be (as ``Run.open`` checks it)."""
    report = consistency_report(
        state, resolved.event, ctx._charm_spec, _juju_version(args), api=_api(args), unit_id=None
    )
    return [*report.errors, *report.stricter, *report.warnings]


# The checker names the event's fields as a Python test sets them; here they are options.
_OPTION_PATHS = (
    ("event.relation_remote_unit_id", "--remote-unit"),
    ("event.relation_departed_unit_id", "--departing-unit"),
    ("event.secret_revision", "--revision"),
    ("event.action.params", "--param "),
)


def _cli_path(path: str) -> str:
    for prefix, option in _OPTION_PATHS:
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            if rest.startswith("[") and rest.endswith("]"):
                rest = rest[1:-1].strip("'\"")
            return option + rest
    return path


def _finding_line(finding: Any) -> str:
    """A finding as ``scenario check`` prints it: ``error[K3] state.config['port']: ...``."""
    return (
        f"{finding.severity}[{finding.rule}] {_cli_path(finding.path)}: "
        f"{_one_line(finding.message)}"
    )


def _finding_words(finding: Any) -> str:
    """A finding as ``scenario run`` says it: ``E7 --remote-unit: ...``."""
    words = f"{finding.rule} {_cli_path(finding.path)}: {_one_line(finding.message)}"
    if finding.severity == "stricter":
        words += " (Juju would refuse this; --strict makes it an error)"
    return words


# --- scenario check -------------------------------------------------------------------------


def _check(args: argparse.Namespace, out: _Output) -> int:
    ctx = _context(args)
    state = _read_state(args.state)
    try:
        resolved = resolve(ctx._charm_spec, state, args.event, _event_options(args), _api(args))
    except MissingEntity as e:
        findings = [e.finding]
        about = f"event {args.event}"
    else:
        findings = _findings(ctx, state, resolved, args)
        about = resolved.describe()
    refused = [f for f in findings if f.severity in ("error", "stricter")]
    if args.json:
        out.json([f._asdict() for f in findings])
        return FAILED if refused else OK
    for finding in findings:
        out.line(_finding_line(finding))
    what = (
        f"{about} on {_state_words(args.state)}, against {_spec_words(ctx._charm_spec)}, "
        f"Juju {_juju_version(args)} under {_api_words(_api(args))}"
    )
    if refused:
        out.line(f"inconsistent: Juju could not produce {what}")
        return FAILED
    warned = len(findings)
    suffix = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
    out.line(f"consistent{suffix}: {what}")
    return OK


def _api_words(api: Api) -> str:
    return "ops[testing]'s rules" if api is Api.SCENARIO_8 else "Scenario 5's rules"


def _spec_words(spec: Any) -> str:
    meta = spec.meta

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    def declared(*sections: str) -> int:
        return sum(len(meta.get(s) or {}) for s in sections if isinstance(meta.get(s), dict))

    options = (spec.config or {}).get("options") or {}
    parts = [
        count(declared("requires", "provides", "peers"), "relation endpoint"),
        count(declared("containers"), "container"),
        count(declared("storage"), "storage"),
        count(declared("resources"), "resource"),
        count(len(options) if isinstance(options, dict) else 0, "config option"),
        count(len(spec.actions or {}), "action"),
    ]
    shown = [p for p in parts if not p.startswith("0 ")] or ["nothing declared"]
    name = meta.get("name") or spec.charm_type.__name__
    return f"{name}'s metadata ({', '.join(shown)})"


# --- scenario run ---------------------------------------------------------------------------


def _run(args: argparse.Namespace, out: _Output) -> int:
    from scenario_rs.errors import UncaughtCharmError

    ctx = _context(args, strict=args.strict)
    state = _read_state(args.state)
    try:
        resolved = resolve(ctx._charm_spec, state, args.event, _event_options(args), _api(args))
    except MissingEntity as e:
        raise UsageError(f"inconsistent scenario: {_finding_words(e.finding)}") from None
    _check_before_the_run(ctx, state, resolved, args, out)
    if args.output != "-" and not Path(args.output).parent.is_dir():
        raise UsageError(f"cannot write the output State to {args.output}: no such directory")
    record = _Record(args, resolved)
    try:
        with _run_environment(), _charm_prints():
            output = _run_event(ctx, state, resolved, _api(args), record)
    except UncaughtCharmError as e:
        return _charm_raised(e.__cause__ or e, ctx, record, args, out)
    except _SCENARIO_ERRORS as e:
        # What Scenario refuses of the charm's spec or the State, that the command did not
        # find first.
        raise UsageError(_one_line(str(e))) from e
    record.take(ctx)
    if args.json:
        if args.output != "-":
            _write_state(output, args.output)
        out.flush()
        out.json(record.as_json(output, out.warnings, args.traceback))
    else:
        _write_state(output, args.output)
        _summarise(output, record, out)
        if args.log:
            _print_log(ctx, out)
    if record.action_failure is not None:
        name = resolved.charm_event.juju_name
        out.error(f"action {name} failed: {_one_line(record.action_failure)}")
        return FAILED
    return OK


def _check_before_the_run(
    ctx: Any, state: Any, resolved: Resolved, args: argparse.Namespace, out: _Output
) -> None:
    """The consistency check of the run, said in the command's words: what the run would
    refuse is a mistake; the rest are warnings, one a line. (The run does not check again.)"""
    if os.environ.get("SCENARIO_SKIP_CONSISTENCY_CHECKS"):
        return
    findings = _findings(ctx, state, resolved, args)
    strict = ctx.strict
    refused = [
        f for f in findings if f.severity == "error" or (strict and f.severity == "stricter")
    ]
    if refused:
        raise UsageError("inconsistent scenario: " + "; ".join(_finding_words(f) for f in refused))
    for finding in findings:
        out.warn(_finding_words(finding))


def _charm_prints() -> contextlib.AbstractContextManager[Any]:
    """What the charm prints goes to stderr (as a unit's goes to Juju's debug log), so that
    stdout holds the command's result alone."""
    return contextlib.redirect_stdout(sys.stderr)


@contextlib.contextmanager
def _run_environment() -> Iterator[None]:
    """The environment of the run, put back after it: the command has checked the scenario
    and said what it found, so the run does not check again
    (``SCENARIO_SKIP_CONSISTENCY_CHECKS``); and a charm's exception comes wrapped, whatever
    ``SCENARIO_BARE_CHARM_ERRORS`` says, so that it is told from Scenario's own."""
    wanted = {"SCENARIO_SKIP_CONSISTENCY_CHECKS": "1", "SCENARIO_BARE_CHARM_ERRORS": None}
    before = {name: os.environ.get(name) for name in wanted}
    for name, value in wanted.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _charm_raised(
    cause: BaseException, ctx: Any, record: _Record, args: argparse.Namespace, out: _Output
) -> int:
    """The charm raised: one line naming the exception and where in the charm, the charm's
    traceback with ``--traceback``, and what the run recorded until then."""
    record.take(ctx)
    record.error = cause
    if args.log:
        _print_log(ctx, out)
    if args.traceback:
        out.err("".join(_charm_traceback(cause)).rstrip("\n"))
    frame = charm_frame(cause, ctx._charm_spec.charm_type)
    where = f"{frame[0]}:{frame[1]} in {frame[2]}" if frame else ""
    out.error(
        f"the charm raised {_exception_line(cause)}"
        + (f" ({where})" if where else "")
        + ("" if args.traceback else "; --traceback shows where")
    )
    if args.json:
        out.flush()
        out.json(record.as_json(None, out.warnings, args.traceback))
    return FAILED


def _run_event(ctx: Any, state: Any, resolved: Resolved, api: Api, record: _Record) -> Any:
    """Run the event as its API does; an action's failure is recorded, not raised."""
    from scenario_rs.context import _action_failed

    if resolved.action is None:
        return ctx.run(resolved.event, state)
    if api is Api.SCENARIO_5:
        output = ctx.run_action(resolved.action, state)
        record.action_logs = list(output.logs)
        record.action_results = output.results
        record.action_failure = output.failure or None
        return output.state
    failed = cast("Type[BaseException]", _action_failed())
    try:
        return ctx.run(resolved.event, state)
    except failed as e:
        record.action_failure = getattr(e, "message", str(e))
        return getattr(e, "state", None)


def _write_state(state: Any, path: str) -> None:
    text = state.to_yaml() if path.endswith((".yaml", ".yml")) else state.to_json()
    if not text.endswith("\n"):
        text += "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text)
    except OSError as e:
        raise UsageError(f"cannot write the output State to {path}: {e.strerror or e}") from None


def _status(status: Any) -> Dict[str, str]:
    return {"name": status.name, "message": status.message}


def _status_words(status: Any) -> str:
    return f"{status.name}: {status.message}" if status.message else status.name


class _Record:
    """What a run did, for the summary and ``--json``."""

    def __init__(self, args: argparse.Namespace, resolved: Resolved):
        self.args = args
        self.resolved = resolved
        self.action_logs: Optional[List[str]] = None
        self.action_results: Optional[Dict[str, Any]] = None
        self.action_failure: Optional[str] = None
        self.error: Optional[BaseException] = None
        self.ctx: Any = None

    def take(self, ctx: Any) -> None:
        self.ctx = ctx
        if self.resolved.action is not None and self.action_logs is None:
            self.action_logs = list(ctx.action_logs)
            self.action_results = ctx.action_results
            if self.action_failure is None:
                self.action_failure = ctx._action_failure_message

    def as_json(self, output: Any, warned: List[str], with_traceback: bool) -> Dict[str, Any]:
        ctx = self.ctx
        action = None
        if self.resolved.action is not None:
            action = {
                "name": self.resolved.charm_event.juju_name,
                "params": self.resolved.params,
                "logs": self.action_logs or [],
                "results": self.action_results,
                "failure": self.action_failure,
            }
        error = None
        if self.error is not None:
            error = {
                "type": type(self.error).__name__,
                "message": str(self.error),
                "traceback": "".join(_charm_traceback(self.error)) if with_traceback else None,
            }
        return {
            "event": self.resolved.charm_event.juju_name,
            "api": self.args.api,
            "juju_version": _juju_version(self.args),
            "state": None if output is None else json.loads(output.to_json()),
            "unit_status": None if output is None else _status(output.unit_status),
            "app_status": None if output is None else _status(output.app_status),
            "unit_status_history": [_status(s) for s in ctx.unit_status_history],
            "app_status_history": [_status(s) for s in ctx.app_status_history],
            "workload_version_history": list(ctx.workload_version_history),
            "juju_log": [{"level": ln.level, "message": ln.message} for ln in ctx.juju_log],
            "action": action,
            "warnings": list(warned),
            "error": error,
        }


def _summarise(output: Any, record: _Record, out: _Output) -> None:
    out.err(f"unit status: {_status_words(output.unit_status)}")
    out.err(f"app status: {_status_words(output.app_status)}")
    if output.workload_version:
        out.err(f"workload version: {output.workload_version}")
    for deferred in output.deferred:
        out.err(f"deferred: {deferred.handle_path} (to {deferred.observer})")
    if record.resolved.action is not None:
        name = record.resolved.charm_event.juju_name
        for line in record.action_logs or []:
            out.err(f"action {name} log: {line}")
        if record.action_results is not None:
            results = json.dumps(record.action_results, default=str, sort_keys=True)
            out.err(f"action {name} results: {results}")


def _print_log(ctx: Any, out: _Output) -> None:
    for line in ctx.juju_log:
        out.err(f"juju-log {line.level}: {line.message}")


# --- the charm's error ----------------------------------------------------------------------


def _charm_traceback(error: BaseException) -> List[str]:
    """The charm's exception with its traceback, without this package's frames (the run's
    machinery): ops's and the charm's own remain, as Juju's debug-log shows them."""
    frames = traceback.extract_tb(error.__traceback__)
    kept = traceback.StackSummary.from_list([f for f in frames if not is_ours(f.filename)])
    lines = ["Traceback (most recent call last):\n", *kept.format()]
    lines.extend(traceback.format_exception_only(type(error), error))
    return lines


# --- output ---------------------------------------------------------------------------------


class _Output:
    """stdout and stderr: every message of the command goes through here, in one line."""

    def __init__(self) -> None:
        self.warnings: List[str] = []
        #: The warnings Python code gave, not yet said.
        self.caught: List[warnings.WarningMessage] = []

    def flush(self) -> None:
        """Say the warnings caught so far (before a JSON result, which lists them)."""
        for w in self.caught:
            self.warn(_warning_words(w))
        self.caught.clear()

    def line(self, text: str) -> None:
        print(text, file=sys.stdout)

    def json(self, value: Any) -> None:
        print(json.dumps(value, indent=2, default=str), file=sys.stdout)

    def err(self, text: str) -> None:
        print(text, file=sys.stderr)

    def warn(self, text: str) -> None:
        text = _one_line(text)
        self.warnings.append(text)
        print(f"scenario: warning: {text}", file=sys.stderr)

    def error(self, text: str) -> None:
        print(f"scenario: error: {_one_line(text)}", file=sys.stderr)


def _warning_words(w: warnings.WarningMessage) -> str:
    where = ""
    if not is_ours(w.filename) and os.sep + "ops" + os.sep not in w.filename:
        where = f"{shown_path(Path(w.filename))}:{w.lineno}: "
    # The package's own words for strict mode, said as the command's option.
    message = str(w.message).replace("strict mode makes it an error", "--strict makes it an error")
    return f"{where}{w.category.__name__}: {message}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The command line; returns the exit code."""
    out = _Output()
    wants_traceback = "--traceback" in (sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except UsageError as e:
        out.error(str(e))
        return USAGE
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else OK
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            out.caught = caught
            try:
                return int(args.handler(args, out))
            finally:
                out.flush()
    except UsageError as e:
        if wants_traceback and e.__cause__ is not None:
            out.err("".join(traceback.format_exception(e.__cause__)).rstrip("\n"))
        out.error(str(e))
        return USAGE
    except Exception as e:
        if wants_traceback:
            out.err(traceback.format_exc().rstrip("\n"))
        out.error(
            f"internal error: {_exception_line(e)}"
            + ("" if wants_traceback else "; --traceback shows where")
            + " (this is a bug of scenario: please report it)"
        )
        return INTERNAL


def _console() -> None:  # pragma: no cover - the console script
    raise SystemExit(main())
