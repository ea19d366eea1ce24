"""``ctx.on``: ops[testing]'s event factories, each making an event about a State entity.

An event made here is a ``scenario.state._Event``; a run of it speaks ops[testing]'s API.
The factories are static methods, so ``CharmEvents.relation_changed(rel)`` works on the
class too (pytest-interface-tester calls them so).
"""

from __future__ import annotations

import typing
from typing import Any, Mapping, Optional

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
    """The events a test can run a charm with: ``ctx.run(ctx.on.start(), state)``."""

    @staticmethod
    def install() -> _Event:
        return _Event("install")

    @staticmethod
    def start() -> _Event:
        return _Event("start")

    @staticmethod
    def stop() -> _Event:
        return _Event("stop")

    @staticmethod
    def remove() -> _Event:
        return _Event("remove")

    @staticmethod
    def update_status() -> _Event:
        return _Event("update_status")

    @staticmethod
    def config_changed() -> _Event:
        return _Event("config_changed")

    @staticmethod
    def upgrade_charm() -> _Event:
        return _Event("upgrade_charm")

    @staticmethod
    def pre_series_upgrade() -> _Event:
        return _Event("pre_series_upgrade")

    @staticmethod
    def post_series_upgrade() -> _Event:
        return _Event("post_series_upgrade")

    @staticmethod
    def leader_elected() -> _Event:
        return _Event("leader_elected")

    @staticmethod
    def collect_app_status() -> _Event:
        return _Event("collect_app_status")

    @staticmethod
    def collect_unit_status() -> _Event:
        return _Event("collect_unit_status")

    # --- secrets ----------------------------------------------------------------------------

    @staticmethod
    def secret_changed(secret: Secret) -> _Event:
        if secret.owner:
            raise ValueError("This unit will never receive secret-changed for a secret it owns.")
        return _Event("secret_changed", secret=secret)

    @staticmethod
    def secret_rotate(secret: Secret) -> _Event:
        _owned(secret, "secret-rotate")
        return _Event("secret_rotate", secret=secret)

    @staticmethod
    def secret_expired(secret: Secret, *, revision: int) -> _Event:
        _owned(secret, "secret-expire")
        return _Event("secret_expired", secret=secret, secret_revision=revision)

    @staticmethod
    def secret_remove(secret: Secret, *, revision: int) -> _Event:
        _owned(secret, "secret-removed")
        return _Event("secret_remove", secret=secret, secret_revision=revision)

    # --- relations --------------------------------------------------------------------------

    @staticmethod
    def relation_created(relation: _AnyRelation) -> _Event:
        return _Event(f"{relation.endpoint}_relation_created", relation=relation)

    @staticmethod
    def relation_joined(relation: _AnyRelation, *, remote_unit: Optional[int] = None) -> _Event:
        return _Event(
            f"{relation.endpoint}_relation_joined",
            relation=relation,
            relation_remote_unit_id=remote_unit,
        )

    @staticmethod
    def relation_changed(relation: _AnyRelation, *, remote_unit: Optional[int] = None) -> _Event:
        return _Event(
            f"{relation.endpoint}_relation_changed",
            relation=relation,
            relation_remote_unit_id=remote_unit,
        )

    @staticmethod
    def relation_departed(
        relation: _AnyRelation,
        *,
        remote_unit: Optional[int] = None,
        departing_unit: Optional[int] = None,
    ) -> _Event:
        return _Event(
            f"{relation.endpoint}_relation_departed",
            relation=relation,
            relation_remote_unit_id=remote_unit,
            relation_departed_unit_id=departing_unit,
        )

    @staticmethod
    def relation_broken(relation: _AnyRelation) -> _Event:
        return _Event(f"{relation.endpoint}_relation_broken", relation=relation)

    # --- storage ----------------------------------------------------------------------------

    @staticmethod
    def storage_attached(storage: Storage) -> _Event:
        return _Event(f"{storage.name}_storage_attached", storage=storage)

    @staticmethod
    def storage_detaching(storage: Storage) -> _Event:
        return _Event(f"{storage.name}_storage_detaching", storage=storage)

    # --- Pebble -----------------------------------------------------------------------------

    @staticmethod
    def pebble_ready(container: Container) -> _Event:
        return _Event(f"{container.name}_pebble_ready", container=container)

    @staticmethod
    def pebble_custom_notice(container: Container, notice: Notice) -> _Event:
        return _Event(f"{container.name}_pebble_custom_notice", container=container, notice=notice)

    @staticmethod
    def pebble_check_failed(container: Container, info: CheckInfo) -> _Event:
        return _Event(
            f"{container.name}_pebble_check_failed", container=container, check_info=info
        )

    @staticmethod
    def pebble_check_recovered(container: Container, info: CheckInfo) -> _Event:
        return _Event(
            f"{container.name}_pebble_check_recovered", container=container, check_info=info
        )

    # --- actions and custom events ----------------------------------------------------------

    @staticmethod
    def action(
        name: str, params: Optional[Mapping[str, Any]] = None, id: Optional[str] = None
    ) -> _Event:
        """The action ``name`` with ``params``; ``id`` (Juju's action id) defaults to the
        next of a counter."""
        action = _Action(name, params=dict(params) if params else None, id=id or None)
        return _Event(f"{name}_action", action=action)

    @staticmethod
    def custom(event: ops.BoundEvent, *args: Any, **kwargs: Any) -> _Event:
        """An event a charm library defines, emitted with ``args`` and ``kwargs`` (State
        objects among them become the ops objects the charm sees)::

            ctx.run(ctx.on.custom(DatabaseRequirer.on.ready, relation), state)
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
