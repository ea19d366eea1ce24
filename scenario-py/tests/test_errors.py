"""Errors a run raises: an exception of the charm's comes out as ``UncaughtCharmError`` with
the charm's exception as its cause (or bare, with ``SCENARIO_BARE_CHARM_ERRORS``), the
environment restored and what the charm did recorded; a hook tool that fails carries the
note ops adds under Juju; Scenario 5's ``Runtime.exec`` block. Errors of bad input are
test_refused_inputs.py's; of the consistency checker, test_consistency_checker.py's.
"""

import os
import sys

import ops
import pytest

from scenario import Context, Event, Relation, State, Storage
from scenario.errors import ScenarioRuntimeError, UncaughtCharmError
from scenario.runtime import Runtime as Runtime5

META = {"name": "app"}


class FailingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.MaintenanceStatus("about to fail")
        raise ZeroDivisionError("boom")


def test_a_raising_charm_gives_uncaught_charm_error_and_restores_the_environment(api, monkeypatch):
    monkeypatch.setenv("JUJU_VERSION", "9.9.9")  # set by the user before the run
    before = dict(os.environ)
    ctx = Context(FailingCharm, meta={"name": "app"})
    with pytest.raises(UncaughtCharmError) as info:
        api.run(ctx, "start", State())
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert isinstance(info.value, ScenarioRuntimeError)
    # Each API words it as its original did (ops[testing]'s below); both name the error.
    assert "ZeroDivisionError" in str(info.value)
    assert dict(os.environ) == before
    # What the charm did before failing is still recorded.
    assert ctx.unit_status_history == [ops.UnknownStatus()]


class Raiser(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.MaintenanceStatus("about to fail")
        raise KeyError("boom")


def test_an_uncaught_charm_error_says_what_and_keeps_the_cause(testing):
    # ops[testing]'s wording, to the word.
    ctx = testing.Context(Raiser, meta=META)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        ctx.run(ctx.on.start(), testing.State())
    assert str(info.value) == (
        'Uncaught KeyError in charm, try "exceptions [n]" if using pdb on Python 3.13+. '
        "Details: KeyError('boom')"
    )
    assert isinstance(info.value.__cause__, KeyError)
    assert isinstance(info.value, testing.errors.ScenarioRuntimeError)
    assert ctx.unit_status_history == [testing.UnknownStatus()]


@pytest.mark.parametrize("value", ["true", "TRUE", "1", "2"])
def test_bare_charm_errors_let_the_charm_s_exception_through(api, monkeypatch, value):
    monkeypatch.setenv("SCENARIO_BARE_CHARM_ERRORS", value)
    ctx = api.testing.Context(Raiser, meta=META)
    with pytest.raises(KeyError, match="boom"):
        api.run(ctx, "start", api.testing.State())


@pytest.mark.parametrize("value", ["false", "0", "no"])
def test_bare_charm_errors_off(api, monkeypatch, value):
    monkeypatch.setenv("SCENARIO_BARE_CHARM_ERRORS", value)
    ctx = api.testing.Context(Raiser, meta=META)
    with pytest.raises(api.testing.errors.UncaughtCharmError):
        api.run(ctx, "start", api.testing.State())


# --- hook tool notes -------------------------------------------------------------------------

# A hook tool that fails carries the note ops adds under Juju (ops 3.8 and later, on Python
# 3.11 and later): the tool, the arguments ops records, and the event.

NOTES_META = {
    "name": "local",
    "requires": {"db": {"interface": "db"}},
    "storage": {"data": {"type": "filesystem"}},
}


class HookToolCaller(ops.CharmBase):
    call = staticmethod(lambda charm: None)
    error = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_event)

    def _on_event(self, _):
        try:
            HookToolCaller.call(self)
        except ops.ModelError as e:
            HookToolCaller.error = e


def _notes_of(call, state):
    HookToolCaller.call, HookToolCaller.error = staticmethod(call), None
    ctx = Context(HookToolCaller, meta=NOTES_META, juju_version="3.6.0")
    ctx.run(ctx.on.update_status(), state)
    assert HookToolCaller.error is not None
    return list(getattr(HookToolCaller.error, "__notes__", []))


def _noted():
    return sys.version_info >= (3, 11) and hasattr(
        ops.model._ModelBackend, "_add_hook_command_note"
    )


def test_a_missing_secret_s_hook_tool_carries_ops_s_note():
    notes = _notes_of(lambda charm: charm.model.get_secret(label="missing"), State())
    expected = [
        "Hook command 'secret-get' (label='missing', refresh=False, peek=False) "
        "failed during the 'update-status' hook."
    ]
    assert notes == (expected if _noted() else [])


def test_a_hook_tool_note_names_an_argument_ops_renames():
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


def test_a_hook_tool_the_charm_reads_through_carries_ops_s_note_with_its_defaults():
    relation = Relation("db")
    notes = _notes_of(
        lambda charm: charm.model._backend.relation_get(relation.id + 1000, "remote/0", False),
        State(relations={relation}),
    )
    expected = [
        f"Hook command 'relation-get' (relation_id={relation.id + 1000}, unit='remote/0', "
        "app=False) failed during the 'update-status' hook."
    ]
    assert notes == (expected if _noted() else [])


def test_a_hook_tool_s_own_refusal_carries_ops_s_note():
    storage = Storage("data")
    notes = _notes_of(
        lambda charm: charm.model._backend.storage_get(f"data/{storage.index}", "size"),
        State(storages={storage}),
    )
    expected = [
        f"Hook command 'storage-get' (name='data/{storage.index}', attribute='size') "
        "failed during the 'update-status' hook."
    ]
    assert notes == (expected if _noted() else [])


def test_a_backend_call_that_is_no_hook_tool_carries_no_note():
    notes = _notes_of(lambda charm: charm.model._backend.reboot(), State())
    assert notes == []


# --- Scenario 5's runtime -----------------------------------------------------------------


class WaitingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.WaitingStatus("gateway address unavailable")


def test_an_exception_in_a_runtime_block_is_an_uncaught_charm_error():
    ctx = Context(WaitingCharm, meta={"name": "app"})
    runtime = Runtime5(ctx._charm_spec)
    with pytest.raises(UncaughtCharmError) as info:
        with runtime.exec(State(), Event("start"), ctx):
            raise KeyError("in the block")
    assert isinstance(info.value.__cause__, KeyError)
