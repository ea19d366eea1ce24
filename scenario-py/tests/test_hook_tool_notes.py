"""A hook tool that fails carries the note ops adds under Juju (ops 3.8 and later, on
Python 3.11 and later): the tool, the arguments ops records, and the event."""

import sys

import ops

from scenario import Context, Relation, State

META = {"name": "local", "requires": {"db": {"interface": "db"}}}


class Charm(ops.CharmBase):
    call = staticmethod(lambda charm: None)
    error = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_event)

    def _on_event(self, _):
        try:
            Charm.call(self)
        except ops.ModelError as e:
            Charm.error = e


def _notes_of(call, state):
    Charm.call, Charm.error = staticmethod(call), None
    ctx = Context(Charm, meta=META, juju_version="3.6.0")
    ctx.run(ctx.on.update_status(), state)
    assert Charm.error is not None
    return list(getattr(Charm.error, "__notes__", []))


def _noted():
    return sys.version_info >= (3, 11) and hasattr(
        ops.model._ModelBackend, "_add_hook_command_note"
    )


def test_a_missing_secret():
    notes = _notes_of(lambda charm: charm.model.get_secret(label="missing"), State())
    expected = [
        "Hook command 'secret-get' (label='missing', refresh=False, peek=False) "
        "failed during the 'update-status' hook."
    ]
    assert notes == (expected if _noted() else [])


def test_an_argument_ops_renames():
    relation = Relation("db")
    # The Context's Juju (3.6.0) is too old for relation-model-get.
    notes = _notes_of(
        lambda charm: charm.model._backend.relation_model_get(relation.id, relation_name="db"),
        State(relations={relation}),
    )
    expected = [
        f"Hook command 'relation-model-get' (relation_id={relation.id}, endpoint='db') "
        "failed during the 'update-status' hook."
    ]
    assert notes == (expected if _noted() else [])
