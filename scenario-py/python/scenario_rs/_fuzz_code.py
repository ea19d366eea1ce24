"""A fuzzing finding as a test to paste: the Context, the State and the event written in
the suite's own API (Scenario 5's ``scenario`` names or ops[testing]'s ``testing.``), each
object with the arguments it needs and no more.

What an object takes is read from its class's field table (``__scenario_fields__``: each
field's name in either API and its default); the few classes whose arguments differ
between the APIs in more than a name (a secret's revisions, a State's resources) are
written by hand here.
"""

from __future__ import annotations

import dataclasses
import datetime
import keyword
import math
import pathlib
import re
import textwrap
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from scenario_rs._scenario import Api

__all__ = ["TestCode", "test_code"]

#: Beyond this, a call puts each argument on its own line.
_WIDTH = 88

#: What ``Context`` takes besides the charm and its spec, as ``RunOptions`` names it, and
#: its default.
_CONTEXT_OPTIONS = (
    ("app_name", None),
    ("unit_id", None),
    ("machine_id", None),
    ("availability_zone", None),
    ("principal_unit", None),
    ("app_trusted", False),
)


@dataclasses.dataclass(frozen=True)
class TestCode:
    """A test as source: the imports it needs, and the function."""

    imports: Tuple[str, ...]
    function: str

    def __str__(self) -> str:
        return "\n".join(self.imports) + "\n\n\n" + self.function


def test_code(
    *,
    name: str,
    doc: str,
    api: Api,
    charm_spec: Any,
    options: Any,
    state: Any,
    event: Any,
    comment: Iterable[str] = (),
) -> TestCode:
    """The test ``name`` that runs ``event`` on ``state`` for the charm of ``charm_spec``
    with the Context ``options`` describe, in ``api``'s words."""
    writer = _Writer(api)
    ctx = writer.context(charm_spec, options)
    bound = writer.entities(event)
    state_code = writer.call("State", writer.arguments(state, "State"), indent=4)
    run = writer.run(event, bound)
    lines = [f"def {name}():", *_docstring(doc)]
    lines += [f"    # {line}" if line else "    #" for line in comment]
    lines.append(f"    ctx = {ctx}")
    for variable, value in bound.values():
        lines.append(f"    {variable} = {value}")
    lines.append(f"    state = {state_code}")
    lines.append(f"    {run}")
    imports = set(writer.imports)
    if api is not Api.SCENARIO_8:
        imports.add(f"from scenario import {', '.join(sorted(writer.names))}")
    return TestCode(tuple(sorted(imports)), "\n".join(lines) + "\n")


class _Writer:
    """Writes objects as source in one API's words, noting the imports they need."""

    def __init__(self, api: Api):
        self.api = api
        self.modern = api is Api.SCENARIO_8
        self.prefix = "testing." if self.modern else ""
        self.imports: Set[str] = set()
        #: The classes written (Scenario 5 imports each from ``scenario``).
        self.names: Set[str] = {"Context", "State"}
        #: The event's entities, written as variables the State then names.
        self._variables: Dict[Tuple[str, Any], str] = {}
        if self.modern:
            self.imports.add(_testing_import())

    # --- the Context ------------------------------------------------------------------------

    def context(self, spec: Any, options: Any) -> str:
        charm = self.charm_class(spec.charm_type)
        arguments: List[Tuple[Optional[str], str]] = [(None, charm)]
        if not spec.is_autoloaded:
            arguments.append(("meta", self.value(spec.meta, 8)))
            for key in ("actions", "config"):
                given = getattr(spec, key)
                if given:
                    arguments.append((key, self.value(given, 8)))
        if options.juju_version != options.api.default_juju_version:
            arguments.append(("juju_version", _str(options.juju_version)))
        for key, default in _CONTEXT_OPTIONS:
            given = getattr(options, key)
            if given != default:
                arguments.append((key, self.value(given, 8)))
        return self.call("Context", arguments, indent=4)

    def charm_class(self, charm_type: type) -> str:
        name = charm_type.__name__
        module = getattr(charm_type, "__module__", "")
        if "<locals>" not in charm_type.__qualname__ and module not in ("", "__main__"):
            self.imports.add(f"from {module} import {charm_type.__qualname__.split('.')[0]}")
            return charm_type.__qualname__
        return name

    # --- the event ----------------------------------------------------------------------------

    def entities(self, event: Any) -> Dict[Tuple[str, Any], Tuple[str, str]]:
        """The event's relation, container, secret and storage as variables: each written
        once, the State then naming it."""
        bound: Dict[Tuple[str, Any], Tuple[str, str]] = {}
        for kind in ("relation", "container", "secret", "storage"):
            entity = getattr(event, kind)
            if entity is None:
                continue
            key = _key(kind, entity)
            variable = kind
            self._variables[key] = variable
            bound[key] = (variable, self.obj(entity, 4, as_variable=False))
        return bound

    def run(self, event: Any, bound: Dict[Tuple[str, Any], Tuple[str, str]]) -> str:
        if self.modern:
            return f"ctx.run({self.modern_event(event)}, state)"
        if event.action is not None:
            action = self.obj(event.action, 4)
            return f"ctx.run_action({action}, state)"
        arguments: List[Tuple[Optional[str], str]] = [(None, _str(event.name))]
        for field in (
            "relation",
            "relation_remote_unit_id",
            "relation_departed_unit_id",
            "container",
            "notice",
            "check_info",
            "storage",
            "secret",
            "secret_revision",
        ):
            value = getattr(event, field, None)
            if value is None:
                continue
            if field in ("relation", "container", "secret", "storage"):
                arguments.append((field, self._variables[_key(field, value)]))
            else:
                arguments.append((field, self.value(value, 4)))
        if len(arguments) == 1:
            return f"ctx.run({arguments[0][1]}, state)"
        self.names.add("Event")
        return f"ctx.run({self.call('Event', arguments, indent=4)}, state)"

    def modern_event(self, event: Any) -> str:
        """``ctx.on.<factory>(...)`` for an event of ops[testing]."""
        if event.action is not None:
            action = event.action
            arguments: List[Tuple[Optional[str], str]] = [(None, _str(action.name))]
            if action.params:
                arguments.append(("params", self.value(dict(action.params), 8)))
            return self.call("ctx.on.action", arguments, indent=4, prefixed=False)
        path, kind = event._path, event._kind
        if kind == "custom":
            raise ValueError(f"{event.name} is the charm's own event: no ctx.on factory")
        # ``ctx.on.relation_changed(relation)`` for ``db_relation_changed``, and so on.
        factory = path.python_suffix.lstrip("_") if path.juju_prefix else path.python_name
        arguments = []
        for field in ("relation", "container", "secret", "storage"):
            value = getattr(event, field)
            if value is not None:
                arguments.append((None, self._variables[_key(field, value)]))
        for field, keyword_ in (
            ("notice", None),
            ("check_info", None),
            ("relation_remote_unit_id", "remote_unit"),
            ("relation_departed_unit_id", "departing_unit"),
            ("secret_revision", "revision"),
        ):
            value = getattr(event, field, None)
            if value is not None:
                arguments.append((keyword_, self.value(value, 8)))
        return self.call(f"ctx.on.{factory}", arguments, indent=4, prefixed=False)

    # --- objects ------------------------------------------------------------------------------

    def arguments(self, obj: Any, cls: str) -> List[Tuple[Optional[str], str]]:
        """The keyword arguments that make ``obj`` again, its defaults left out."""
        special = getattr(self, f"_args_{cls}", None)
        if special is not None:
            return special(obj)  # type: ignore[no-any-return]
        return [(name, self.value(value, 8)) for name, value in self.fields(obj)]

    def fields(self, obj: Any) -> List[Tuple[str, Any]]:
        """``obj``'s fields that differ from their default, by this API's names."""
        given = obj.__getnewargs_ex__()[1]
        out = []
        for name, role, twin, default in type(obj).__scenario_fields__:
            if role == "computed" or (name.startswith("_") and name != "_base_plan"):
                continue
            if self.modern and role in ("legacy", "only5"):
                continue
            if not self.modern and role == "modern":
                continue
            # A field left unset (a relation's default databags) stays unset.
            stored = twin if role == "modern" else name
            if stored not in given and name not in given:
                continue
            value = getattr(obj, name)
            if default is not None and _is_default(value, default):
                continue
            if _is_status(value) and type(value).__name__.lstrip("_") == "UnknownStatus":
                continue  # a State's statuses start unknown
            out.append((name, value))
        return out

    def obj(self, obj: Any, indent: int, *, as_variable: bool = True) -> str:
        """A state object as its constructor call (or the variable naming it)."""
        cls = type(obj).__name__.lstrip("_")
        kind = _ENTITY_KINDS.get(cls)
        if as_variable and kind and (variable := self._variables.get(_key(kind, obj))):
            return variable
        self.names.add(cls)
        return self.call(cls, self.arguments(obj, cls), indent=indent)

    def value(self, value: Any, indent: int) -> str:
        if hasattr(type(value), "__scenario_fields__"):
            return self.obj(value, indent)
        if isinstance(value, bool) or value is None:
            return repr(value)
        if isinstance(value, float) and not math.isfinite(value):
            return f"float({str(value)!r})"
        if isinstance(value, str):
            return _str(value)
        if isinstance(value, (int, float, bytes)):
            return repr(value)
        if isinstance(value, pathlib.PurePath):
            self.imports.add("import pathlib")
            return f"pathlib.{type(value).__name__}({_str(str(value))})"
        if isinstance(value, (datetime.datetime, datetime.date, datetime.timedelta)):
            self.imports.add("import datetime")
            return repr(value)
        if _is_status(value):
            return self.status(value)
        if _is_layer(value):
            self.imports.add("from ops import pebble")
            return f"pebble.Layer({self.value(value.to_dict(), indent)})"
        if isinstance(value, dict) or _is_mapping(value):
            items = [
                f"{self.value(k, indent + 4)}: {self.value(v, indent + 4)}"
                for k, v in value.items()
            ]
            return _wrapped("{", items, "}", indent)
        if isinstance(value, (list, tuple, set, frozenset)) or _is_collection(value):
            items = [self.value(v, indent + 4) for v in _ordered(value)]
            if isinstance(value, tuple):
                return _wrapped("(", items, ",)" if len(items) == 1 else ")", indent)
            return _wrapped("[", items, "]", indent)
        return repr(value)

    def status(self, status: Any) -> str:
        name = type(status).__name__.lstrip("_")
        if name == "EntityStatus":
            name = f"{status.name.title()}Status"
        message = getattr(status, "message", "")
        if self.modern:
            module = "testing."
        else:
            self.imports.add("import ops")
            module = "ops."
        if name == "UnknownStatus" or not message:
            return f"{module}{name}()"
        return f"{module}{name}({_str(message)})"

    def call(
        self,
        name: str,
        arguments: Sequence[Tuple[Optional[str], str]],
        *,
        indent: int,
        prefixed: bool = True,
    ) -> str:
        """``name(arguments)``: on one line if it fits, else an argument a line."""
        callee = f"{self.prefix}{name}" if prefixed else name
        parts = [value if key is None else f"{key}={value}" for key, value in arguments]
        return _wrapped(f"{callee}(", parts, ")", indent)

    # --- the classes written by hand ----------------------------------------------------------

    def _args_State(self, state: Any) -> List[Tuple[Optional[str], str]]:
        out: List[Tuple[Optional[str], str]] = []
        for name, value in self.fields(state):
            if name == "model":
                model = self._model(value)
                if model is not None:
                    out.append((name, model))
                continue
            if name == "resources" and not self.modern:
                out.append((name, self.value(dict(value), 8)))
                continue
            out.append((name, self.value(value, 8)))
        return out

    def _model(self, model: Any) -> Optional[str]:
        """A State's model, when it says more than its (random) name and uuid."""
        arguments = [
            (key, self.value(getattr(model, key), 12))
            for key in ("type", "cloud_spec")
            if getattr(model, key) not in (None, "kubernetes")
        ]
        if not arguments:
            return None
        self.names.add("Model")
        return self.call("Model", arguments, indent=8)

    def _args_Secret(self, secret: Any) -> List[Tuple[Optional[str], str]]:
        if not self.modern:
            return [(name, self.value(value, 8)) for name, value in self.fields(secret)]
        # ops[testing] writes a secret's revisions as the content this unit tracks and
        # the latest, with no numbers.
        out: List[Tuple[Optional[str], str]] = [(None, self.value(secret.tracked_content, 8))]
        if secret.latest_content != secret.tracked_content:
            out.append(("latest_content", self.value(secret.latest_content, 8)))
        out.append(("id", _str(secret.id)))
        for name, value in self.fields(secret):
            if name not in ("id", "contents", "granted", "revision", "tracked_content"):
                if name != "latest_content":
                    out.append((name, self.value(value, 8)))
        return out


#: The classes of the entities an event can be about.
_ENTITY_KINDS = {
    "Relation": "relation",
    "PeerRelation": "relation",
    "SubordinateRelation": "relation",
    "Container": "container",
    "Secret": "secret",
    "Storage": "storage",
}


def _key(kind: str, entity: Any) -> Tuple[str, Any]:
    """What names an entity in a State: its id or name."""
    if kind == "relation":
        return (kind, getattr(entity, "id", None) or getattr(entity, "relation_id", None))
    if kind == "storage":
        return (kind, (getattr(entity, "name", None), getattr(entity, "index", None)))
    if kind == "secret":
        return (kind, getattr(entity, "id", None))
    return (kind, getattr(entity, "name", None))


def _docstring(doc: str) -> List[str]:
    """A function's docstring lines, wrapped to the width."""
    lines = textwrap.wrap(doc, _WIDTH - 8)
    if len(lines) == 1:
        return [f'    """{lines[0]}"""']
    return [f'    """{lines[0]}', *(f"    {line}" for line in lines[1:]), '    """']


def _str(text: str) -> str:
    """A str literal as ruff and black write it: in double quotes unless it holds one."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        return '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def _is_default(value: Any, default: Tuple[str, str]) -> bool:
    _, expression = default
    if expression in ("{}", "[]", "()", "frozenset()"):
        try:
            return len(value) == 0
        except TypeError:
            return False
    try:
        expected = eval(expression, {})  # the table's own literals: None, 0, '', False...
    except Exception:
        return False
    try:
        return bool(value == expected) and type(value) is type(expected)
    except Exception:
        return False


def _is_status(value: Any) -> bool:
    return any(c.__name__ == "StatusBase" for c in type(value).__mro__)


def _is_layer(value: Any) -> bool:
    return type(value).__name__ == "Layer" and hasattr(value, "to_dict")


def _is_mapping(value: Any) -> bool:
    return hasattr(value, "items") and hasattr(value, "keys")


def _is_collection(value: Any) -> bool:
    return hasattr(value, "__iter__") and hasattr(value, "__len__")


def _ordered(values: Any) -> List[Any]:
    """A collection's items, in a stable order (a set's by their source)."""
    if isinstance(values, (list, tuple)):
        return list(values)
    items = list(values)
    if not isinstance(values, (set, frozenset)):
        return items  # a State's collection keeps the order it was given in
    try:
        return sorted(items, key=repr)
    except Exception:
        return items


def _wrapped(opening: str, items: List[str], closing: str, indent: int) -> str:
    """``opening items closing`` on one line when it fits, else an item a line."""
    flat = opening + ", ".join(items) + closing
    if indent + len(flat) <= _WIDTH and "\n" not in flat:
        return flat
    pad = " " * (indent + 4)
    body = "".join(f"{pad}{item},\n" for item in items)
    closing = closing.lstrip(",")
    return f"{opening}\n{body}{' ' * indent}{closing}"


def _testing_import() -> str:
    """How an ops[testing] suite imports its names here: ``from ops import testing``, or
    ``scenario`` itself where ops predates ``ops[testing]`` (ops-scenario 7's suites)."""
    try:
        from ops import testing

        if hasattr(testing, "State"):
            return "from ops import testing"
    except ImportError:  # pragma: no cover - ops always has ops.testing
        pass
    return "import scenario as testing"


def test_name(event_name: str, error: str, line: int, taken: Set[str]) -> str:
    """A test function's name from the event, the error and its line, unique among
    ``taken``."""
    words = re.sub(r"[^0-9a-zA-Z]+", "_", f"{event_name}_{error}").strip("_").lower()
    if line:
        words += f"_at_line_{line}"
    name = f"test_{words}"
    if keyword.iskeyword(name):
        name += "_"
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate
