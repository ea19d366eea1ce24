"""``ctx.on``: ops[testing]'s event factories, each making an event about a State entity.

An event made here is a ``scenario.state._Event``; a run of it speaks ops[testing]'s API.
The factories are static methods, so ``CharmEvents.relation_changed(rel)`` works on the
class too (pytest-interface-tester calls them so).
"""

from __future__ import annotations

import typing
from typing import Any, Mapping, Optional, Union

from scenario_rs.state import _Action, _Event

if typing.TYPE_CHECKING:  # pragma: no cover
    import ops

    from scenario_rs.state import (
        CheckInfo,
        Container,
        Notice,
        PeerRelation,
        Relation,
        Secret,
        Storage,
        SubordinateRelation,
    )

    _AnyRelation = typing.Union[Relation, PeerRelation, SubordinateRelation]

__all__ = ["CharmEvents"]


def _owned(secret: Secret, event: str) -> None:
    if not secret.owner:
        raise ValueError(f"This unit will never receive {event} for a secret it does not own.")


class CharmEvents:
    """The events a test runs a charm with, as ``ctx.on`` (ops[testing]): each method makes
    one event, about the State entity it is given where the event has one::

        ctx.run(ctx.on.config_changed(), state)
        ctx.run(ctx.on.relation_joined(relation, remote_unit=1), state)
        ctx.run(ctx.on.action("backup", params={"dest": "/tmp"}), state)

    Unlike ops's ``charm.on``, there is one method per kind of event, not one attribute per
    endpoint or container: the entity given says which (``ctx.on.pebble_ready(container)``
    is ``<container>-pebble-ready``). An entity must be the State's own (or equal to it).
    A run of these events speaks ops[testing]'s API.
    """

    @staticmethod
    def install() -> _Event:
        """``install``: the first hook a unit runs, once its charm is in place. Emitted
        before ``start`` on a fresh unit."""
        return _Event("install")

    @staticmethod
    def start() -> _Event:
        """``start``: the unit's workload may start; Juju emits it after the first
        ``config-changed``, and again when the unit's machine or pod restarts."""
        return _Event("start")

    @staticmethod
    def stop() -> _Event:
        """``stop``: the unit is about to be removed (or its machine to shut down); the
        charm should stop its workload."""
        return _Event("stop")

    @staticmethod
    def remove() -> _Event:
        """``remove``: the last hook a unit runs before Juju removes it, after ``stop``."""
        return _Event("remove")

    @staticmethod
    def update_status() -> _Event:
        """``update-status``: Juju's periodic check-in (every five minutes by default),
        for the charm to refresh its status."""
        return _Event("update_status")

    @staticmethod
    def config_changed() -> _Event:
        """``config-changed``: the application's config changed (Juju also emits it after
        ``install`` and ``upgrade-charm``); the State's ``config`` holds the new values."""
        return _Event("config_changed")

    @staticmethod
    def upgrade_charm() -> _Event:
        """``upgrade-charm``: the charm was refreshed to a new revision
        (``juju refresh``)."""
        return _Event("upgrade_charm")

    @staticmethod
    def pre_series_upgrade() -> _Event:
        """``pre-series-upgrade``: the unit's machine is about to have its base (series)
        upgraded, with ``juju upgrade-machine``; machine charms only."""
        return _Event("pre_series_upgrade")

    @staticmethod
    def post_series_upgrade() -> _Event:
        """``post-series-upgrade``: the unit's machine had its base (series) upgraded, with
        ``juju upgrade-machine``; machine charms only."""
        return _Event("post_series_upgrade")

    @staticmethod
    def leader_elected() -> _Event:
        """``leader-elected``: this unit became its application's leader; run it with a
        State whose ``leader`` is ``True``."""
        return _Event("leader_elected")

    @staticmethod
    def collect_app_status() -> _Event:
        """ops's ``collect-app-status``, emitted at the end of every hook for the charm's
        observers to add application statuses; only the leader gets it."""
        return _Event("collect_app_status")

    @staticmethod
    def collect_unit_status() -> _Event:
        """ops's ``collect-unit-status``, emitted at the end of every hook for the charm's
        observers to add unit statuses."""
        return _Event("collect_unit_status")

    # --- secrets ----------------------------------------------------------------------------

    @staticmethod
    def secret_changed(secret: Secret) -> _Event:
        """``secret-changed``: the owner of ``secret`` added a revision, and this unit
        (an observer, tracking an older one) may refresh to it.

        :arg secret: the State's secret, owned elsewhere (``owner=None``); ``ValueError``
            for a secret this unit or application owns.
        """
        if secret.owner:
            raise ValueError("This unit will never receive secret-changed for a secret it owns.")
        return _Event("secret_changed", secret=secret)

    @staticmethod
    def secret_rotate(secret: Secret) -> _Event:
        """``secret-rotate``: ``secret`` is due for rotation under its ``rotate`` policy.

        :arg secret: the State's secret, owned by this unit or application; ``ValueError``
            otherwise.
        """
        _owned(secret, "secret-rotate")
        return _Event("secret_rotate", secret=secret)

    @staticmethod
    def secret_expired(secret: Secret, *, revision: int) -> _Event:
        """``secret-expired``: a revision of ``secret`` reached its ``expire`` time.

        :arg secret: the State's secret, owned by this unit or application; ``ValueError``
            otherwise.
        :arg revision: the revision that expired (``JUJU_SECRET_REVISION``).
        """
        _owned(secret, "secret-expire")
        return _Event("secret_expired", secret=secret, secret_revision=revision)

    @staticmethod
    def secret_remove(secret: Secret, *, revision: int) -> _Event:
        """``secret-remove``: no observer tracks a revision of ``secret`` any more, so
        the owner may remove it (``secret.remove_revision(revision)``).

        :arg secret: the State's secret, owned by this unit or application; ``ValueError``
            otherwise.
        :arg revision: the revision no longer tracked (``JUJU_SECRET_REVISION``).
        """
        _owned(secret, "secret-removed")
        return _Event("secret_remove", secret=secret, secret_revision=revision)

    # --- relations --------------------------------------------------------------------------

    @staticmethod
    def relation_created(relation: _AnyRelation) -> _Event:
        """``<endpoint>-relation-created``: ``relation`` was just made, before any
        remote unit joined it.

        :arg relation: the State's relation (a ``Relation``, ``PeerRelation`` or
            ``SubordinateRelation``); its endpoint names the event.
        """
        return _Event(f"{relation.endpoint}_relation_created", relation=relation)

    @staticmethod
    def relation_joined(
        relation: _AnyRelation, *, remote_unit: Optional[Union[int, str]] = None
    ) -> _Event:
        """``<endpoint>-relation-joined``: a remote unit joined ``relation``.

        :arg relation: the State's relation; its endpoint names the event.
        :arg remote_unit: the number of the unit that joined (``JUJU_REMOTE_UNIT``), or
            its name (``"remote/1"``). Default: the relation's first remote unit.
        """
        return _Event(
            f"{relation.endpoint}_relation_joined",
            relation=relation,
            relation_remote_unit_id=_unit_number(remote_unit, "remote_unit"),
        )

    @staticmethod
    def relation_changed(
        relation: _AnyRelation, *, remote_unit: Optional[Union[int, str]] = None
    ) -> _Event:
        """``<endpoint>-relation-changed``: a remote unit (or the remote application)
        changed its databag in ``relation``; also emitted after each
        ``relation-joined``.

        :arg relation: the State's relation, its databags as they now are; its endpoint
            names the event.
        :arg remote_unit: the number of the unit whose data changed
            (``JUJU_REMOTE_UNIT``), or its name (``"remote/1"``). Default: the relation's
            first remote unit.
        """
        return _Event(
            f"{relation.endpoint}_relation_changed",
            relation=relation,
            relation_remote_unit_id=_unit_number(remote_unit, "remote_unit"),
        )

    @staticmethod
    def relation_departed(
        relation: _AnyRelation,
        *,
        remote_unit: Optional[Union[int, str]] = None,
        departing_unit: Optional[Union[int, str]] = None,
    ) -> _Event:
        """``<endpoint>-relation-departed``: a remote unit left ``relation`` (or is
        being removed).

        :arg relation: the State's relation; its endpoint names the event.
        :arg remote_unit: the number of the remote unit the event is about
            (``JUJU_REMOTE_UNIT``), or its name. Default: the relation's first remote unit.
        :arg departing_unit: the number of the unit leaving (``JUJU_DEPARTING_UNIT``,
            ops's ``event.departing_unit``), or its name. Default: the remote unit.
        """
        return _Event(
            f"{relation.endpoint}_relation_departed",
            relation=relation,
            relation_remote_unit_id=_unit_number(remote_unit, "remote_unit"),
            relation_departed_unit_id=_unit_number(departing_unit, "departing_unit"),
        )

    @staticmethod
    def relation_broken(relation: _AnyRelation) -> _Event:
        """``<endpoint>-relation-broken``: ``relation`` is being removed (every remote
        unit has departed); the last event about it.

        :arg relation: the State's relation; its endpoint names the event.
        """
        return _Event(f"{relation.endpoint}_relation_broken", relation=relation)

    # --- storage ----------------------------------------------------------------------------

    @staticmethod
    def storage_attached(storage: Storage) -> _Event:
        """``<name>-storage-attached``: the storage instance ``storage`` is attached
        and its filesystem mounted.

        :arg storage: the State's ``Storage``; its name names the event.
        """
        return _Event(f"{storage.name}_storage_attached", storage=storage)

    @staticmethod
    def storage_detaching(storage: Storage) -> _Event:
        """``<name>-storage-detaching``: the storage instance ``storage`` is about to be
        detached.

        :arg storage: the State's ``Storage``; its name names the event.
        """
        return _Event(f"{storage.name}_storage_detaching", storage=storage)

    # --- Pebble -----------------------------------------------------------------------------

    @staticmethod
    def pebble_ready(container: Container) -> _Event:
        """``<container>-pebble-ready``: Pebble has started in ``container``, so the
        charm can add layers and start services.

        :arg container: the State's ``Container`` (usually with ``can_connect=True``);
            its name names the event.
        """
        return _Event(f"{container.name}_pebble_ready", container=container)

    @staticmethod
    def pebble_custom_notice(container: Container, notice: Notice) -> _Event:
        """``<container>-pebble-custom-notice``: the workload in ``container``
        recorded a custom Pebble notice (``pebble notify``).

        :arg container: the State's ``Container``; its name names the event.
        :arg notice: the ``Notice``, one of the container's ``notices``.
        """
        return _Event(f"{container.name}_pebble_custom_notice", container=container, notice=notice)

    @staticmethod
    def pebble_check_failed(container: Container, info: CheckInfo) -> _Event:
        """``<container>-pebble-check-failed``: a health check in ``container``
        failed as many times in a row as its threshold.

        :arg container: the State's ``Container``; its name names the event.
        :arg info: the check's ``CheckInfo``, one of the container's ``check_infos``
            (usually with ``status=CheckStatus.DOWN``).
        """
        return _Event(
            f"{container.name}_pebble_check_failed", container=container, check_info=info
        )

    @staticmethod
    def pebble_check_recovered(container: Container, info: CheckInfo) -> _Event:
        """``<container>-pebble-check-recovered``: a health check in ``container``
        that had failed succeeded again.

        :arg container: the State's ``Container``; its name names the event.
        :arg info: the check's ``CheckInfo``, one of the container's ``check_infos``.
        """
        return _Event(
            f"{container.name}_pebble_check_recovered", container=container, check_info=info
        )

    # --- actions and custom events ----------------------------------------------------------

    @staticmethod
    def action(
        name: str, params: Optional[Mapping[str, Any]] = None, id: Optional[str] = None
    ) -> _Event:
        """``<name>-action``: a user ran the charm's action ``name`` (``juju run``).
        After the run, ``ctx.action_results`` and ``ctx.action_logs`` hold what the charm
        reported; an action the charm fails raises ``ActionFailed``.

        :arg name: the action's name, as ``actions.yaml`` declares it.
        :arg params: the parameter values given, name to value; ``event.params`` adds the
            defaults ``actions.yaml`` declares for the others.
        :arg id: Juju's id for this invocation (``JUJU_ACTION_UUID``). Default: the next
            of a counter.
        """
        action = _Action(name, params=dict(params) if params else None, id=id or None)
        return _Event(f"{name}_action", action=action)

    @staticmethod
    def custom(event: ops.BoundEvent, *args: Any, **kwargs: Any) -> _Event:
        """An event that a charm library (or the charm) defines, rather than Juju: the run
        emits it on the charm's object of the emitter's class, without a Juju hook
        around it. For a library object the charm holds as ``self.db``::

            ctx.run(ctx.on.custom(DatabaseRequirer.on.ready, relation, user="app"), state)

        :arg event: the bound event, on the emitter's class (``DatabaseRequirer.on.ready``)
            or on an instance; a subclass of ``ops.EventBase``, not of a Juju hook event
            (``ValueError``: run the hook event itself instead).
        :arg args: the positional arguments the event is emitted with; State objects among
            them (a ``Relation``, a ``Secret``...) reach the charm as the ops objects they
            stand for.
        :arg kwargs: the keyword arguments it is emitted with, converted likewise.
        """
        import ops

        if issubclass(event.event_type, ops.HookEvent):
            raise ValueError(
                "custom events should subclass EventBase directly - testing events that "
                "inherit from a Juju hook event must be done by running the underlying Juju "
                "event, for example: ctx.run(ctx.on.relation_changed(relation), state)"
            )
        return _Event(
            f"{{custom}}.{type(event.emitter).__name__}.{event.event_kind}",
            custom_event=event,
            custom_event_args=args,
            custom_event_kwargs=kwargs,
        )


def _unit_number(unit: Any, argument: str) -> Any:
    """A unit given to a relation event factory: its number, as ops[testing] documents
    it, or its name (``"remote/1"``, or ``"1"``), which suites also pass (ops[testing]
    took the name and made ``remote/remote/1`` of it); anything else goes on to the
    event, which says what it must be."""
    if isinstance(unit, str):
        number = unit.rpartition("/")[2]
        if number.isdigit():
            return int(number)
        raise ValueError(
            f"{argument}={unit!r}: give the unit's number (1), or its name ('remote/1')"
        )
    return unit
