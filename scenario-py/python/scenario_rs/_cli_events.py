"""The ``scenario`` command's events: an event named in Juju's words (``start``,
``db-relation-changed``, ``workload-pebble-ready``, ``secret-changed``, ``my-action``), with
the command's options, made into the event of a run, bound to the entity of the State it
is about.

Every mistake is a ``UsageError`` worded for the command line (its options, the State
file's fields), never a Python hint. An entity the State lacks is a ``MissingEntity``:
``scenario check`` reports it as the finding the checker would give, ``scenario run``
refuses to run.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from scenario_rs._events import CharmEvents
from scenario_rs._scenario import Api
from scenario_rs.consistency_checker import Diagnostic
from scenario_rs.state import Action, Event, State, _CharmSpec, _Event, normalize_name

__all__ = ["EventOptions", "MissingEntity", "Resolved", "UsageError", "charm_events", "resolve"]


class UsageError(Exception):
    """A mistake in what the user gave the command: one line on stderr, exit code 2."""


class MissingEntity(UsageError):
    """The event is about an entity the State does not have: Juju could not produce it."""

    def __init__(self, finding: Diagnostic):
        super().__init__(finding.message)
        self.finding = finding


# The hooks every charm has, in Juju's words, and the status events ops adds.
_HOOKS = (
    "install",
    "start",
    "stop",
    "remove",
    "update-status",
    "config-changed",
    "upgrade-charm",
    "leader-elected",
    "leader-settings-changed",
    "pre-series-upgrade",
    "post-series-upgrade",
    "collect-metrics",
    "collect-app-status",
    "collect-unit-status",
)
_SECRET_HOOKS = ("secret-changed", "secret-rotate", "secret-expired", "secret-remove")
_RELATION_SUFFIXES = ("created", "joined", "changed", "departed", "broken")
_STORAGE_SUFFIXES = ("attached", "detaching")
_WORKLOAD_SUFFIXES = ("ready", "custom-notice", "check-failed", "check-recovered")


@dataclasses.dataclass(frozen=True)
class CharmEvent:
    """An event the charm has: its name in Juju's words, its kind (``hook``, ``relation``,
    ``storage``, ``workload``, ``secret`` or ``action``), the endpoint, storage, container or
    action it is about, and what follows that name (``changed`` for ``db-relation-changed``)."""

    juju_name: str
    kind: str
    entity: Optional[str] = None
    suffix: str = ""

    @property
    def path(self) -> str:
        """ops's name for the event (``db_relation_changed``), the entity's name as
        declared."""
        if self.kind == "action":
            return f"{self.entity}_action"
        if self.entity is None:
            return normalize_name(self.juju_name)
        return self.entity + "_" + normalize_name(self.juju_name[len(self.entity) + 1 :])


def _meta_names(meta: Dict[str, Any], *sections: str) -> List[str]:
    names: List[str] = []
    for section in sections:
        declared = meta.get(section)
        if isinstance(declared, dict):
            names.extend(str(name) for name in declared)
    return names


def charm_events(spec: _CharmSpec) -> Dict[str, CharmEvent]:
    """Every event the charm's metadata and actions give it, keyed by ops's form of its
    name (dashes as underscores). A declared action is found by its own name, or by the
    name and ``-action``; where an action is named like a hook, the bare name is the hook."""
    events: Dict[str, CharmEvent] = {}

    def add(event: CharmEvent, key: Optional[str] = None) -> None:
        events.setdefault(normalize_name(key or event.juju_name), event)

    for name in (*_HOOKS, *_SECRET_HOOKS):
        add(CharmEvent(name, "secret" if name in _SECRET_HOOKS else "hook"))
    meta = spec.meta
    for endpoint in _meta_names(meta, "requires", "provides", "peers"):
        for suffix in _RELATION_SUFFIXES:
            add(CharmEvent(f"{endpoint}-relation-{suffix}", "relation", endpoint, suffix))
    for storage in _meta_names(meta, "storage"):
        for suffix in _STORAGE_SUFFIXES:
            add(CharmEvent(f"{storage}-storage-{suffix}", "storage", storage, suffix))
    for container in _meta_names(meta, "containers"):
        for suffix in _WORKLOAD_SUFFIXES:
            add(CharmEvent(f"{container}-pebble-{suffix}", "workload", container, suffix))
    for action in (spec.actions or {}).keys():
        event = CharmEvent(str(action), "action", str(action))
        add(event)
        add(event, f"{action}-action")
    return events


@dataclasses.dataclass
class EventOptions:
    """The options that say which entity an event is about, and an action's params."""

    relation: Optional[int] = None
    remote_unit: Optional[int] = None
    departing_unit: Optional[int] = None
    secret: Optional[str] = None
    revision: Optional[int] = None
    storage_index: Optional[int] = None
    notice: Optional[str] = None
    check: Optional[str] = None
    params: Sequence[str] = ()


# Which options go with which events: any other use is a mistake worth saying.
_OPTION_KINDS = {
    "relation": ("--relation", {"relation"}),
    "remote_unit": ("--remote-unit", {"relation"}),
    "departing_unit": ("--departing-unit", {"relation"}),
    "secret": ("--secret", {"secret"}),
    "revision": ("--revision", {"secret"}),
    "storage_index": ("--storage-index", {"storage"}),
    "notice": ("--notice", {"workload"}),
    "check": ("--check", {"workload"}),
    "params": ("--param", {"action"}),
}
_KIND_WORDS = {
    "relation": "relation events",
    "secret": "secret events",
    "storage": "storage events",
    "workload": "workload (Pebble) events",
    "action": "actions",
}


@dataclasses.dataclass
class Resolved:
    """The event of a run, and what the command says of it."""

    event: Event
    charm_event: CharmEvent
    #: What the event is about, for messages: ``relation 1``, ``container workload``.
    about: str = ""
    #: An action's params: those given (typed), and actions.yaml's defaults for the rest,
    #: as the charm reads them (the run fills the defaults in itself, as Juju does).
    params: Dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def action(self) -> Optional[Action]:
        return self.event.action

    def describe(self) -> str:
        name = self.charm_event.juju_name
        if self.charm_event.kind == "action":
            return f"action {name}"
        return f"event {name}" + (f" ({self.about})" if self.about else "")


def _charm_name(spec: _CharmSpec) -> str:
    return str(spec.meta.get("name") or spec.charm_type.__name__)


def _listing(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "none"


def find_event(spec: _CharmSpec, name: str) -> CharmEvent:
    """The charm's event of that name, or a ``UsageError`` saying what the charm has."""
    events = charm_events(spec)
    found = events.get(normalize_name(name))
    if found is not None:
        return found
    close = difflib.get_close_matches(name, [e.juju_name for e in events.values()], n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    meta = spec.meta
    raise UsageError(
        f"{_charm_name(spec)} has no event {name!r}{hint}: its events are Juju's hooks "
        f"(start, config-changed, ...), those of its endpoints "
        f"({_listing(_meta_names(meta, 'requires', 'provides', 'peers'))}), storages "
        f"({_listing(_meta_names(meta, 'storage'))}), containers "
        f"({_listing(_meta_names(meta, 'containers'))}) and actions "
        f"({_listing([str(a) for a in (spec.actions or {})])})"
    )


def resolve(
    spec: _CharmSpec, state: State, name: str, options: EventOptions, api: Api
) -> Resolved:
    """The event ``name`` of the charm, bound to its entity of ``state``, made as the API
    ``api`` (``Api.SCENARIO_8``: ops[testing]'s ``ctx.on`` factories; ``Api.SCENARIO_5``:
    Scenario 5's ``Event``)
    makes it."""
    charm_event = find_event(spec, name)
    for attr, (flag, kinds) in _OPTION_KINDS.items():
        if getattr(options, attr) not in (None, (), []) and charm_event.kind not in kinds:
            raise UsageError(
                f"{flag} is for {' and '.join(_KIND_WORDS[k] for k in sorted(kinds))}; "
                f"{charm_event.juju_name} is not one"
            )
    return _RESOLVERS[charm_event.kind](spec, state, charm_event, options, api)


def _make(api: Api, path: str, **entities: Any) -> Event:
    """An event as the API makes it: ops[testing]'s runs speak its API by the event's
    class."""
    kwargs = {k: v for k, v in entities.items() if v is not None}
    return _Event(path, **kwargs) if api is Api.SCENARIO_8 else Event(path, **kwargs)


def _hook(
    spec: _CharmSpec, state: State, charm_event: CharmEvent, options: EventOptions, api: Api
) -> Resolved:
    return Resolved(_make(api, charm_event.path), charm_event)


# --- relations ------------------------------------------------------------------------------


def _relation(
    spec: _CharmSpec, state: State, charm_event: CharmEvent, options: EventOptions, api: Api
) -> Resolved:
    endpoint = charm_event.entity
    assert endpoint is not None
    on_endpoint = [
        r for r in state.relations if normalize_name(r.endpoint) == normalize_name(endpoint)
    ]
    if options.relation is not None:
        chosen = [r for r in state.relations if r.id == options.relation]
        if not chosen:
            raise UsageError(
                f"the State has no relation {options.relation} (its relations on {endpoint}: "
                f"{_listing([str(r.id) for r in on_endpoint])})"
            )
        relation = chosen[0]
        if relation not in on_endpoint:
            raise UsageError(
                f"relation {options.relation} is on endpoint {relation.endpoint}, not {endpoint}"
            )
    elif len(on_endpoint) == 1:
        relation = on_endpoint[0]
    elif not on_endpoint:
        raise MissingEntity(
            Diagnostic(
                "error",
                "E5",
                "state.relations",
                f"the State has no relation on endpoint {endpoint}, which "
                f"{charm_event.juju_name} is about: add one to the State's relations",
            )
        )
    else:
        raise UsageError(
            f"the State has {len(on_endpoint)} relations on endpoint {endpoint} (ids "
            f"{', '.join(str(r.id) for r in on_endpoint)}): choose one with --relation ID"
        )
    if options.remote_unit is not None and charm_event.suffix not in (
        "joined",
        "changed",
        "departed",
    ):
        raise UsageError(
            "--remote-unit is for relation-joined, -changed and -departed events; "
            f"{charm_event.juju_name} has no remote unit"
        )
    if options.departing_unit is not None and charm_event.suffix != "departed":
        raise UsageError(
            f"--departing-unit is for relation-departed events, not {charm_event.juju_name}"
        )
    remote_unit = options.remote_unit
    if remote_unit is None and charm_event.suffix in ("joined", "changed", "departed"):
        remote_unit = _remote_unit(relation, charm_event, state, api)
    about = f"relation {relation.id}"
    if remote_unit is not None:
        about += f", remote unit {remote_unit}"
    if api is Api.SCENARIO_8:
        factory = getattr(CharmEvents, f"relation_{charm_event.suffix}")
        kwargs: Dict[str, Any] = {}
        if remote_unit is not None:
            kwargs["remote_unit"] = remote_unit
        if options.departing_unit is not None:
            kwargs["departing_unit"] = options.departing_unit
        event = factory(relation, **kwargs)
    else:
        event = _make(
            api,
            charm_event.path,
            relation=relation,
            relation_remote_unit_id=remote_unit,
            relation_departed_unit_id=options.departing_unit,
        )
    return Resolved(event, charm_event, about)


def _remote_unit(relation: Any, charm_event: CharmEvent, state: State, api: Api) -> Optional[int]:
    """The remote unit a relation-joined, -changed or -departed is from, when the command
    names none: the relation's only one, as Juju would send it. A choice between several
    is the user's; none at all is a scenario Juju would not produce (ops[testing] refuses
    it; Scenario 5 ran it without a remote unit)."""
    from scenario_rs.state import PeerRelation, SubordinateRelation

    if isinstance(relation, SubordinateRelation):
        return int(relation.remote_unit_id)
    if isinstance(relation, PeerRelation):
        own = state.unit_id if api is Api.SCENARIO_5 else 0
        units = sorted(u for u in relation.peers_data if u != own)
        field = "peers_data"
    else:
        units = sorted(relation.remote_units_data)
        field = "remote_units_data"
    if len(units) == 1:
        return int(units[0])
    if units:
        raise UsageError(
            f"relation {relation.id} has remote units {', '.join(map(str, units))}: choose the "
            f"one {charm_event.juju_name} is from with --remote-unit N"
        )
    if api is Api.SCENARIO_5:
        return None
    raise MissingEntity(
        Diagnostic(
            "error",
            "E7",
            f"state.relations[{list(state.relations).index(relation)}].{field}",
            f"relation {relation.id} has no remote unit, so Juju would not send "
            f"{charm_event.juju_name}: give the relation one in the State ({field}), or name "
            "the unit with --remote-unit N",
        )
    )


# --- storage --------------------------------------------------------------------------------


def _storage(
    spec: _CharmSpec, state: State, charm_event: CharmEvent, options: EventOptions, api: Api
) -> Resolved:
    name = charm_event.entity
    assert name is not None
    named = [s for s in state.storages if normalize_name(s.name) == normalize_name(name)]
    if options.storage_index is not None:
        chosen = [s for s in named if s.index == options.storage_index]
        if not chosen:
            raise UsageError(
                f"the State has no storage {name} with index {options.storage_index} (its "
                f"indices: {_listing([str(s.index) for s in named])})"
            )
        storage = chosen[0]
    elif len(named) == 1:
        storage = named[0]
    elif not named:
        raise MissingEntity(
            Diagnostic(
                "error",
                "E6",
                "state.storages",
                f"the State has no storage {name}, which {charm_event.juju_name} is about: "
                "add it to the State's storages",
            )
        )
    else:
        raise UsageError(
            f"the State has {len(named)} storages {name} (indices "
            f"{', '.join(str(s.index) for s in named)}): choose one with --storage-index N"
        )
    about = f"storage {storage.name}/{storage.index}"
    if api is Api.SCENARIO_8:
        factory = getattr(CharmEvents, f"storage_{charm_event.suffix}")
        return Resolved(factory(storage), charm_event, about)
    return Resolved(_make(api, charm_event.path, storage=storage), charm_event, about)


# --- workloads ------------------------------------------------------------------------------


def _workload(
    spec: _CharmSpec, state: State, charm_event: CharmEvent, options: EventOptions, api: Api
) -> Resolved:
    name = charm_event.entity
    assert name is not None
    found = [c for c in state.containers if c.name == name]
    if not found:
        raise MissingEntity(
            Diagnostic(
                "error",
                "C2",
                "state.containers",
                f"the State has no container {name}, which {charm_event.juju_name} is about: "
                "add it to the State's containers",
            )
        )
    container = found[0]
    about = f"container {name}"
    suffix = charm_event.suffix
    if options.notice is not None and suffix != "custom-notice":
        raise UsageError(
            f"--notice is for pebble-custom-notice events, not {charm_event.juju_name}"
        )
    if options.check is not None and not suffix.startswith("check-"):
        raise UsageError(
            "--check is for pebble-check-failed and -recovered events, not "
            + charm_event.juju_name
        )
    entities: Dict[str, Any] = {}
    if suffix == "custom-notice":
        notice = _one(
            container.notices,
            options.notice,
            lambda n: options.notice in (n.key, n.id),
            lambda n: n.key,
            what=f"notice in container {name}",
            option="--notice KEY",
            rule="C11",
            path=f"state.containers[{name!r}].notices",
            event=charm_event,
        )
        entities["notice"] = notice
        about += f", notice {notice.key}"
    elif suffix.startswith("check-"):
        info = _one(
            container.check_infos,
            options.check,
            lambda c: c.name == options.check,
            lambda c: c.name,
            what=f"check in container {name}",
            option="--check NAME",
            rule="C6",
            path=f"state.containers[{name!r}].check_infos",
            event=charm_event,
        )
        entities["check_info"] = info
        about += f", check {info.name}"
    event: Event
    if api is Api.SCENARIO_8:
        if suffix == "ready":
            event = CharmEvents.pebble_ready(container)
        elif suffix == "custom-notice":
            event = CharmEvents.pebble_custom_notice(container, entities["notice"])
        elif suffix == "check-failed":
            event = CharmEvents.pebble_check_failed(container, entities["check_info"])
        else:
            event = CharmEvents.pebble_check_recovered(container, entities["check_info"])
    else:
        event = _make(api, charm_event.path, container=container, **entities)
    return Resolved(event, charm_event, about)


def _one(
    items: Sequence[Any],
    wanted: Optional[str],
    matches: Any,
    label: Any,
    *,
    what: str,
    option: str,
    rule: str,
    path: str,
    event: CharmEvent,
) -> Any:
    """The item the option names, or the only one; a mistake otherwise."""
    if wanted is not None:
        chosen = [item for item in items if matches(item)]
        if not chosen:
            raise UsageError(
                f"the State has no {what} {wanted!r} (it has: "
                f"{_listing([str(label(i)) for i in items])})"
            )
        return chosen[0]
    if len(items) == 1:
        return items[0]
    if not items:
        raise MissingEntity(
            Diagnostic(
                "error",
                rule,
                path,
                f"the State has no {what}, which {event.juju_name} is about: add one to it",
            )
        )
    raise UsageError(
        f"the State has {len(items)} of them ({', '.join(str(label(i)) for i in items)}): "
        f"choose the {what} with {option}"
    )


# --- secrets --------------------------------------------------------------------------------


def _secret(
    spec: _CharmSpec, state: State, charm_event: CharmEvent, options: EventOptions, api: Api
) -> Resolved:
    secrets = list(state.secrets)

    def label(secret: Any) -> str:
        return f"{secret.id} ({secret.label})" if secret.label else str(secret.id)

    if options.secret is not None:
        wanted = options.secret
        chosen = [
            s
            for s in secrets
            if wanted in (s.id, s.label) or str(s.id).split(":", 1)[-1] == wanted
        ]
        if not chosen:
            raise UsageError(
                f"the State has no secret with id or label {wanted!r} (its secrets: "
                f"{_listing([label(s) for s in secrets])})"
            )
        secret = chosen[0]
    elif len(secrets) == 1:
        secret = secrets[0]
    elif not secrets:
        raise MissingEntity(
            Diagnostic(
                "error",
                "S3",
                "state.secrets",
                f"the State has no secret, which {charm_event.juju_name} is about: add it to "
                "the State's secrets",
            )
        )
    else:
        raise UsageError(
            f"the State has {len(secrets)} secrets ({', '.join(label(s) for s in secrets)}): "
            "choose one with --secret ID_OR_LABEL"
        )
    kind = charm_event.juju_name
    revision = options.revision
    if kind in ("secret-changed", "secret-rotate") and revision is not None:
        raise UsageError(f"--revision is for secret-expired and secret-remove, not {kind}")
    if kind == "secret-expired" and revision is None:
        revision = secret.revision  # the revision that expires is the current one
    if kind == "secret-remove" and revision is None:
        raise UsageError(
            "secret-remove is about a revision no consumer tracks any more: give it with "
            "--revision N"
        )
    about = f"secret {label(secret)}" + (f", revision {revision}" if revision else "")
    event: Event
    if api is Api.SCENARIO_8:
        try:
            if kind == "secret-changed":
                event = CharmEvents.secret_changed(secret)
            elif kind == "secret-rotate":
                event = CharmEvents.secret_rotate(secret)
            else:
                assert revision is not None
                factory = (
                    CharmEvents.secret_expired
                    if kind == "secret-expired"
                    else CharmEvents.secret_remove
                )
                event = factory(secret, revision=revision)
        except ValueError as e:
            # Who receives which secret event (its owner, or not).
            reason = str(e)
            raise UsageError(f"secret {label(secret)}: {reason[:1].lower()}{reason[1:]}") from None
    else:
        event = _make(api, charm_event.path, secret=secret, secret_revision=revision)
    return Resolved(event, charm_event, about)


# --- actions --------------------------------------------------------------------------------


def _action(
    spec: _CharmSpec, state: State, charm_event: CharmEvent, options: EventOptions, api: Api
) -> Resolved:
    name = charm_event.entity
    assert name is not None
    declaration = (spec.actions or {}).get(name) or {}
    if not isinstance(declaration, dict):
        declaration = {}
    params = action_params(name, declaration, options.params)
    effective = dict(params)
    declared = declaration.get("params")
    for param, body in (declared if isinstance(declared, dict) else {}).items():
        if param not in effective and isinstance(body, dict) and "default" in body:
            effective[param] = body["default"]
    required = declaration.get("required")
    missing = [p for p in (required if isinstance(required, list) else []) if p not in effective]
    if missing:
        raise UsageError(
            f"action {name} requires {', '.join(missing)}: give "
            + " ".join(f"--param {p}=VALUE" for p in missing)
        )
    if api is Api.SCENARIO_8:
        event: Event = CharmEvents.action(name, params)
    else:
        event = Action(name, params=params).event
    return Resolved(event, charm_event, "", effective)


# JSON schema's types, in the order a value is tried against a list of them.
_TYPE_ORDER = ("null", "boolean", "integer", "number", "array", "object", "string")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _typed(type_name: str, text: str) -> Tuple[bool, Any]:
    """``text`` as a value of the JSON schema type ``type_name``: (whether it is one, it)."""
    if type_name == "string":
        return True, text
    if type_name == "integer":
        return (True, int(text)) if _INTEGER.fullmatch(text.strip()) else (False, None)
    if type_name == "number":
        if _INTEGER.fullmatch(text.strip()):
            return True, int(text)
        try:
            number = float(text)
        except ValueError:
            return False, None
        return (True, number) if math.isfinite(number) else (False, None)
    if type_name == "boolean":
        lowered = text.strip().lower()
        return (lowered in ("true", "false")), lowered == "true"
    if type_name == "null":
        return (text.strip() == "null"), None
    if type_name in ("array", "object"):
        try:
            value = json.loads(text)
        except ValueError:
            return False, None
        wanted = list if type_name == "array" else dict
        return isinstance(value, wanted), value
    return False, None


_EXAMPLES = {
    "integer": "an integer, such as 3",
    "number": "a number, such as 2.5",
    "boolean": "true or false",
    "array": "a JSON array, such as '[1, 2]'",
    "object": 'a JSON object, such as \'{"key": "value"}\'',
    "null": "null",
}


def action_params(
    action: str, declaration: Dict[str, Any], given: Sequence[str]
) -> Dict[str, Any]:
    """``--param key=value`` items, each typed as actions.yaml declares its param: integer,
    number, boolean, array and object (as JSON), string (as given)."""
    declared = declaration.get("params")
    declared = declared if isinstance(declared, dict) else {}
    open_ended = declaration.get("additionalProperties") is True
    params: Dict[str, Any] = {}
    for item in given:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param takes KEY=VALUE, got {item!r}")
        if key in params:
            raise UsageError(f"--param {key} is given twice")
        body = declared.get(key)
        if body is None and key not in declared:
            if not open_ended:
                close = difflib.get_close_matches(key, list(declared), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise UsageError(
                    f"action {action} has no param {key!r}{hint}: its params are "
                    f"{_listing(list(declared))}"
                )
            params[key] = text
            continue
        body = body if isinstance(body, dict) else {}
        params[key] = _param_value(action, key, body, text)
    return params


def _param_value(action: str, key: str, body: Dict[str, Any], text: str) -> Any:
    declared = body.get("type")
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return text  # no type, or one JSON schema lacks: the consistency check says so
    known = [n for n in _TYPE_ORDER if n in names]
    if not known:
        return text
    for type_name in known:
        ok, value = _typed(type_name, text)
        if ok:
            break
    else:
        wanted = " or ".join(_EXAMPLES.get(n, n) for n in known)
        raise UsageError(
            f"param {key} of action {action} is {' or '.join(known)}: give {wanted}, not {text!r}"
        )
    allowed = body.get("enum")
    if isinstance(allowed, list) and value not in allowed:
        raise UsageError(
            f"param {key} of action {action} is one of "
            f"{', '.join(json.dumps(a) for a in allowed)}, not {text!r}"
        )
    return value


_RESOLVERS = {
    "hook": _hook,
    "relation": _relation,
    "storage": _storage,
    "workload": _workload,
    "secret": _secret,
    "action": _action,
}
