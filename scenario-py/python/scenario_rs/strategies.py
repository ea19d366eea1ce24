"""Hypothesis strategies for States a charm could really be given (``pip install hypothesis``).

``states(ctx)`` draws States consistent with the charm's metadata, config and actions: the
consistency checker accepts each of them. Use it to check that a charm survives any State::

    from hypothesis import given
    from scenario_rs.strategies import states

    ctx = Context(MyCharm)

    @given(states(ctx))
    def test_start_never_raises(state):
        ctx.run("start", state)
"""

from __future__ import annotations

import importlib.util
import typing
from typing import Any, Dict, List, Optional, Union

import ops

from scenario_rs._scenario import (
    Container,
    PeerRelation,
    Relation,
    State,
    Storage,
    SubordinateRelation,
    _CharmSpec,
)

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario_rs.context import Context

if importlib.util.find_spec("hypothesis") is None:  # pragma: no cover - an optional extra
    raise ImportError(
        "scenario.strategies needs hypothesis: pip install hypothesis (or scenario-rs[hypothesis])"
    )

from hypothesis import strategies as st

__all__ = ["databags", "relations_for", "states", "statuses"]

_NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)


def databags(max_size: int = 4) -> st.SearchStrategy[Dict[str, str]]:
    """A strategy for relation databags: dicts of up to ``max_size`` keys (lower-case names,
    as charms use) to short ``str`` values, as Juju stores them."""
    return st.dictionaries(_NAMES, st.text(max_size=20), max_size=max_size)


def statuses() -> st.SearchStrategy[ops.StatusBase]:
    """A strategy for any status a unit or application can be found in: unknown, active,
    blocked, maintenance or waiting, with a short message (error is left out: only Juju
    sets it)."""
    message = st.text(max_size=20)
    return st.one_of(
        st.just(ops.UnknownStatus()),
        st.builds(ops.ActiveStatus, message),
        st.builds(ops.BlockedStatus, message),
        st.builds(ops.MaintenanceStatus, message),
        st.builds(ops.WaitingStatus, message),
    )


def _spec(target: Union[Context, _CharmSpec]) -> _CharmSpec:
    return target if isinstance(target, _CharmSpec) else target._charm_spec


def _config_value(option: Dict[str, Any]) -> Optional[st.SearchStrategy[Any]]:
    kind = option.get("type")
    if kind == "string":
        return st.text(max_size=20)
    if kind in ("int", "integer"):
        return st.integers(min_value=-(2**31), max_value=2**31)
    if kind in ("float", "number"):
        return st.floats(allow_nan=False, allow_infinity=False, width=32)
    if kind == "boolean":
        return st.booleans()
    return None  # secret and unknown types: left out


def relations_for(
    endpoint: str, body: Dict[str, Any], role: str, unit_id: int, max_count: int = 2
) -> st.SearchStrategy[List[Any]]:
    """A strategy for lists of 0 to ``max_count`` relations on one endpoint, of the kind
    its metadata implies, with drawn databags and remote units.

    :arg endpoint: the endpoint's name.
    :arg body: the endpoint's metadata (its ``interface`` and ``scope``).
    :arg role: ``"requires"``, ``"provides"`` or ``"peers"``: a ``PeerRelation`` for
        ``peers``, a ``SubordinateRelation`` for ``scope: container``, else a ``Relation``.
    :arg unit_id: this unit's number, which no drawn peer or remote unit takes.
    :arg max_count: the most relations to draw.
    """
    interface = body.get("interface")
    units = st.dictionaries(
        st.integers(min_value=0, max_value=9).filter(lambda i: i != unit_id),
        databags(),
        max_size=3,
    )
    one: st.SearchStrategy[Any]
    if role == "peers":
        one = st.builds(
            PeerRelation,
            st.just(endpoint),
            interface=st.just(interface),
            local_app_data=databags(),
            local_unit_data=databags(),
            peers_data=units,
        )
    elif body.get("scope") == "container":
        one = st.builds(
            SubordinateRelation,
            st.just(endpoint),
            interface=st.just(interface),
            remote_app_data=databags(),
            remote_unit_data=databags(),
            remote_app_name=_NAMES,
            remote_unit_id=st.integers(min_value=0, max_value=9),
        )
    else:
        one = st.builds(
            Relation,
            st.just(endpoint),
            interface=st.just(interface),
            local_unit_data=databags(),
            remote_app_name=_NAMES,
            remote_app_data=databags(),
            remote_units_data=units.filter(bool),
        )
    return st.lists(one, max_size=max_count)


@st.composite
def states(draw: Any, target: Union[Context, _CharmSpec], max_relations: int = 2) -> State:
    """A strategy for States the charm could be given, consistent with its metadata and
    config (the consistency checker accepts each): relations on declared endpoints only,
    declared containers (connectable or not) and storages, config values of each option's
    type, and drawn leadership, unit number, planned units, statuses and workload version::

        @given(states(ctx))
        def test_start_never_raises(state):
            ctx.run(ctx.on.start(), state)

    :arg target: the ``Context`` of the charm (or its charm spec).
    :arg max_relations: the most relations to draw per endpoint.
    """
    spec = _spec(target)
    meta = spec.meta or {}
    unit_id = draw(st.integers(min_value=0, max_value=3))
    leader = draw(st.booleans())

    relations: List[Any] = []
    for role in ("requires", "provides", "peers"):
        for endpoint, body in (meta.get(role) or {}).items():
            relations.extend(
                draw(relations_for(endpoint, body or {}, role, unit_id, max_relations))
            )

    config: Dict[str, Any] = {}
    for name, option in ((spec.config or {}).get("options") or {}).items():
        values = _config_value(option or {})
        if values is not None and draw(st.booleans()):
            config[name] = draw(values)

    containers = [
        Container(name, can_connect=draw(st.booleans())) for name in (meta.get("containers") or {})
    ]
    storage = [
        Storage(name, index=index)
        for index, name in enumerate(meta.get("storage") or {})
        if draw(st.booleans())
    ]
    return State(
        config=config,
        relations=relations,
        containers=containers,
        storage=storage,
        leader=leader,
        unit_id=unit_id,
        planned_units=draw(st.integers(min_value=unit_id + 1, max_value=unit_id + 4)),
        unit_status=draw(statuses()),
        app_status=draw(statuses()) if leader else ops.UnknownStatus(),
        workload_version=draw(st.sampled_from(["", "1.0", "2.3.4"])),
    )
