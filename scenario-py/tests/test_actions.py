"""Actions, under both APIs: running one (ops[testing]'s ``ctx.on.action(name, params, id)``
with ``ctx.action_results``, ``ctx.action_logs`` and ``ActionFailed``; Scenario 5's
``run_action`` with its ``ActionOutput``), its parameters (action-get gives actions.yaml's
defaults), the results ops accepts, an action that fails or raises, what a reused Context
keeps between runs, the action managers, and the checks on actions and their params. How
each API reports an action is where they differ: a test per API says so.
"""

import datetime
import os
from typing import ClassVar
from unittest.mock import patch

import ops
import pytest

from scenario import Action, ActionOutput, Context, State
from scenario.context import InvalidEventError
from scenario.errors import InconsistentScenarioError, JujuStricterWarning, UncaughtCharmError

META = {"name": "app"}
ACTIONS = {
    "go": {"params": {"fail": {"type": "string"}}},
    "quiet": {"params": {"n": {"type": "integer", "default": 5}, "s": {"type": "string"}}},
}


class ActionCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.go_action, self._on_go)
        framework.observe(self.on.quiet_action, self._on_quiet)
        framework.observe(self.on.start, self._on_start)

    def _on_go(self, event):
        event.log("one")
        event.set_results({"a": 1, "nested": {"b": "c"}})
        event.set_results({"d": "e"})
        event.log("two")
        if event.params.get("fail"):
            self.unit.status = ops.BlockedStatus("failed")
            event.fail(event.params["fail"])

    def _on_quiet(self, event):
        event.log("q")
        # ActionEvent.id is ops 2.17's; JUJU_ACTION_UUID is where ops reads it from.
        self.unit.status = ops.ActiveStatus(
            f"{os.environ['JUJU_ACTION_UUID']} {event.params.get('s')}"
        )

    def _on_start(self, _):
        pass


def test_results_and_logs(testing):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    assert ctx.action_results is None
    assert ctx.action_logs == []
    out = ctx.run(ctx.on.action("go"), testing.State())
    assert ctx.action_results == {"a": 1, "nested": {"b": "c"}, "d": "e"}
    assert ctx.action_logs == ["one", "two"]
    assert isinstance(out, testing.State)


def test_an_action_without_results_leaves_them_none_under_ops_testing(testing):
    # ctx.action_results (Scenario 5: ActionOutput.results,
    # test_results_are_none_when_never_set_under_scenario_5).
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    out = ctx.run(ctx.on.action("quiet", params={"s": "x"}, id="42"), testing.State())
    assert ctx.action_results is None
    assert ctx.action_logs == ["q"]
    assert out.unit_status == testing.ActiveStatus("42 x")


def test_a_failed_action_raises_action_failed_under_ops_testing(testing):
    # Scenario 5's run_action returns the failure instead
    # (test_fail_with_a_message_under_scenario_5).
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(testing.ActionFailed) as info:
        ctx.run(ctx.on.action("go", params={"fail": "boom"}), testing.State())
    assert info.value.message == "boom"
    assert str(info.value) == "boom"
    assert info.value.state.unit_status == testing.BlockedStatus("failed")
    # What the action did before failing is kept.
    assert ctx.action_logs == ["one", "two"]
    assert ctx.action_results == {"a": 1, "nested": {"b": "c"}, "d": "e"}


def test_action_failed_is_ops_s(testing):
    from ops import testing as ops_testing

    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(ops_testing.ActionFailed):
        ctx.run(ctx.on.action("go", params={"fail": "boom"}), testing.State())


def test_a_failed_action_in_the_manager(testing):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with ctx(ctx.on.action("go", params={"fail": "x"}), testing.State()) as mgr:
        assert isinstance(mgr.charm, ActionCharm)
        with pytest.raises(testing.ActionFailed) as info:
            mgr.run()
    assert info.value.message == "x"


def test_a_failed_action_on_exit_of_the_manager(testing):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(testing.ActionFailed, match="x"):
        with ctx(ctx.on.action("go", params={"fail": "x"}), testing.State()):
            pass


def test_a_reused_context_starts_each_action_afresh_under_ops_testing(testing):
    # Scenario 5: each run_action has its own ActionOutput
    # (test_action_outputs_do_not_leak_between_runs_under_scenario_5).
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    ctx.run(ctx.on.action("go"), testing.State())
    results = ctx.action_results
    ctx.run(ctx.on.action("quiet"), testing.State())
    # The logs are the new action's; the results dict is emptied in place (not None).
    assert ctx.action_logs == ["q"]
    assert ctx.action_results == {}
    assert results is ctx.action_results
    # A non-action run leaves the action records alone.
    ctx.run(ctx.on.start(), testing.State())
    assert ctx.action_logs == ["q"]


def test_a_failure_does_not_stick_to_a_reused_context_under_ops_testing(testing):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(testing.ActionFailed):
        ctx.run(ctx.on.action("go", params={"fail": "boom"}), testing.State())
    ctx.run(ctx.on.action("go"), testing.State())
    assert ctx.action_logs == ["one", "two"]


def test_params_not_given_differ_from_8_9(testing):
    """8.9 gives only the params the event passes; this package also gives the defaults
    actions.yaml declares, as Juju's action-get does (README, "Where this differs")."""
    import scenario

    class Reader(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.quiet_action, self._on_quiet)

        def _on_quiet(self, event):
            self.unit.status = ops.ActiveStatus(str(sorted(event.params.items())))

    ctx = testing.Context(Reader, meta=META, actions=ACTIONS)
    out = ctx.run(ctx.on.action("quiet", params={"s": "x"}), testing.State())
    expected = "[('n', 5), ('s', 'x')]" if hasattr(scenario, "_scenario") else "[('s', 'x')]"
    assert out.unit_status == testing.ActiveStatus(expected)


def test_params_are_a_copy(testing):
    class Mutator(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.quiet_action, self._on_quiet)

        def _on_quiet(self, event):
            event.params["s"] = "changed"

    params = {"s": "x"}
    event = testing.CharmEvents.action("quiet", params=params)
    testing.Context(Mutator, meta=META, actions=ACTIONS).run(event, testing.State())
    assert params == {"s": "x"}
    assert event.action.params == {"s": "x"}


def test_invalid_result_keys(api):
    testing = api.testing

    class BadKeys(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.go_action, self._on_go)

        def _on_go(self, event):
            event.set_results({"Bad_Key": 1})

    ctx = testing.Context(BadKeys, meta=META, actions=ACTIONS)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        api.run_action(ctx, "go", testing.State())
    assert isinstance(info.value.__cause__, ValueError)
    assert "Bad_Key" in str(info.value.__cause__)


@pytest.mark.parametrize(
    "name, params, rule, words",
    [
        ("nope", None, "E3", ["nope"]),
        ("quiet", {"n": "not an int"}, "AP4", ["'n'", "integer"]),
        ("quiet", {"unknown": "x"}, "AP3", ["unknown"]),
    ],
    ids=["undeclared-action", "wrong-type", "undeclared-param"],
)
def test_actions_and_params_must_be_declared(api, name, params, rule, words):
    ctx = api.testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(api.testing.errors.InconsistentScenarioError) as info:
        api.run_action(ctx, name, api.testing.State(), params)
    assert rule in str(info.value)
    assert all(word in str(info.value) for word in words)


def test_an_action_without_an_actions_spec(api):
    # A consistency error, where 5.8.1 raised a TypeError.
    ctx = api.testing.Context(ActionCharm, meta=META)
    with pytest.raises(api.testing.errors.InconsistentScenarioError, match="go"):
        api.run_action(ctx, "go", api.testing.State())


def test_action_ids_count_up_as_strings(testing):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    first, second = ctx.on.action("go"), ctx.on.action("go")
    assert isinstance(first.action.id, str)
    assert int(second.action.id) == int(first.action.id) + 1
    # Falsy params and ids fall back to the defaults.
    empty = ctx.on.action("go", params={}, id="")
    assert empty.action.params == {}
    assert int(empty.action.id) == int(second.action.id) + 1


@pytest.mark.parametrize("name", ["do_it", "Do-it", "-go", "go-", ""])
def test_an_action_name_must_be_juju_s(testing, name):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(testing.errors.StateValidationError, match=f"invalid action name {name!r}"):
        ctx.on.action(name)


def test_action_get_gives_the_declared_defaults(api):
    # action-get: the given params over the defaults actions.yaml declares (5.8.1 gave only
    # the ones passed; 8.9 too: test_params_not_given_differ_from_8_9).
    class Reader(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.quiet_action, self._on_quiet)

        def _on_quiet(self, event):
            self.unit.status = ops.ActiveStatus(str(sorted(event.params.items())))

    ctx = Context(Reader, meta=META, actions=ACTIONS)
    out = api.run_action(ctx, "quiet", State(), {"s": "x"})
    assert out.state.unit_status == ops.ActiveStatus("[('n', 5), ('s', 'x')]")


# --- the results ops accepts ---------------------------------------------------------------

WHEN = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)


class ResultsCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.report_action, self._on_report)

    def _on_report(self, event):
        event.set_results(
            {
                "when": WHEN,
                "rotation": ops.SecretRotate.DAILY,
                "nested": {"count": 3, "items": [1, 2]},
            }
        )


def test_results_keep_the_values_ops_accepts(api):
    ctx = Context(ResultsCharm, meta={"name": "r"}, actions={"report": {}})
    results = api.run_action(ctx, "report", State()).results
    assert results["when"] is WHEN
    assert results["rotation"] is ops.SecretRotate.DAILY
    assert results["nested"] == {"count": 3, "items": [1, 2]}


# --- an action that fails or raises --------------------------------------------------------


class FailingActionCharm(ops.CharmBase):
    mode: ClassVar[str] = ""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.act_action, self._on_act)

    def _on_act(self, event):
        if FailingActionCharm.mode == "fail-msg":
            event.fail("msg")
        elif FailingActionCharm.mode == "fail":
            event.fail()
        elif FailingActionCharm.mode == "log-only":
            event.log("one")
            event.log("two")
        elif FailingActionCharm.mode == "raise":
            event.log("before")
            raise RuntimeError("kaboom")


ACT = {"act": {}}


def _act(mode):
    FailingActionCharm.mode = mode
    return Context(FailingActionCharm, meta={"name": "a"}, actions=ACT).run_action("act", State())


def test_fail_with_a_message_under_scenario_5():
    # run_action returns the failure (ops[testing] raises ActionFailed:
    # test_a_failed_action_raises_action_failed_under_ops_testing).
    out = _act("fail-msg")
    assert out.failure == "msg"
    assert out.success is False
    assert out.results is None


def test_fail_without_a_message_under_scenario_5():
    out = _act("fail")
    assert out.failure == ""
    assert out.success is False


def test_results_are_none_when_never_set_under_scenario_5():
    out = _act("log-only")
    assert out.results is None
    assert out.failure is None
    assert out.success is True
    assert out.logs == ["one", "two"]


def test_an_action_that_raises_is_uncaught_charm_error(api):
    FailingActionCharm.mode = "raise"
    ctx = Context(FailingActionCharm, meta={"name": "a"}, actions=ACT)
    with pytest.raises(UncaughtCharmError) as info:
        api.run_action(ctx, "act", State())
    assert isinstance(info.value.__cause__, RuntimeError)
    assert "kaboom" in str(info.value.__cause__)


def test_action_outputs_do_not_leak_between_runs_under_scenario_5():
    # Each run_action has its own ActionOutput (ops[testing]'s ctx.action_* are the last
    # action's: test_a_reused_context_starts_each_action_afresh_under_ops_testing).
    ctx = Context(FailingActionCharm, meta={"name": "a"}, actions=ACT)
    FailingActionCharm.mode = "fail-msg"
    assert ctx.run_action("act", State()).failure == "msg"
    FailingActionCharm.mode = "log-only"
    out = ctx.run_action("act", State())
    assert out.failure is None and out.logs == ["one", "two"]


# --- Scenario 5's names --------------------------------------------------------------------


class BackupCharm(ops.CharmBase):
    seen: ClassVar[str] = ""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.do_backup_action, self._on_do_backup)

    def _on_do_backup(self, event):
        BackupCharm.seen = os.environ["JUJU_ACTION_NAME"]


# Scenario 5.8's README names its action do_backup; Juju refuses underscores in action names
# (NM1), a warning under Scenario 5 (ops[testing] refuses the name:
# test_an_action_name_must_be_juju_s).
@pytest.mark.filterwarnings("ignore:NM1:scenario.errors.JujuStricterWarning")
def test_juju_action_name_in_the_handler():
    BackupCharm.seen = ""
    ctx = Context(BackupCharm, meta={"name": "backup"}, actions={"do_backup": {}})
    ctx.run_action("do_backup", State())
    # JUJU_ACTION_NAME is the action's name with dashes, as Juju sets it
    assert BackupCharm.seen == "do-backup"


def test_an_action_by_run_is_an_invalid_event():
    ctx = Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(InvalidEventError, match="run_action"):
        ctx.run("foo_action", State())
    with pytest.raises(InvalidEventError):
        ctx.run(Action("go").event, State())


def test_run_action_goes_through_the_private_run_action():
    # Scenario 5's private Context._run_action, which suites patch.
    ctx = Context(ops.CharmBase, meta={"name": "mycharm"}, actions={"do-foo": {}})
    state = State()
    with patch.object(ctx, "_run_action") as run_action:
        ctx.run_action("do-foo", state)
    assert run_action.called
    action = run_action.call_args.kwargs["action"]
    assert isinstance(action, Action)
    assert action.event.name == "do_foo_action"
    assert run_action.call_args.kwargs["state"] is state


class IntrospectedCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        self.ran = False
        framework.observe(self.on.go_action, self._on_go)

    def _on_go(self, event):
        self.ran = True
        event.set_results({"out": event.params["n"]})


def test_action_manager():
    # Scenario 5's manager for an action (ops[testing]'s is ctx(...) itself:
    # test_a_failed_action_in_the_manager).
    ctx = Context(
        IntrospectedCharm,
        meta={"name": "a"},
        actions={"go": {"params": {"n": {"type": "integer"}}}},
    )
    with ctx.action_manager(Action("go", params={"n": 3}), State()) as manager:
        assert manager.charm.ran is False
        out = manager.run()
        assert manager.charm.ran is True
    assert isinstance(out, ActionOutput)
    assert out.results == {"out": 3}
    assert out.success


# --- what Juju refuses ---------------------------------------------------------------------

STRICT_ACTIONS = {
    "restore": {"params": {"from": {"type": "string"}}, "required": ["from"]},
    "go": {"params": {"when": {"type": "date"}}},
}


class SilentCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.restore_action, self._on_action)
        framework.observe(self.on.go_action, self._on_action)

    def _on_action(self, event):
        event.set_results({"ok": "yes"})


def test_a_missing_required_param_is_stricter(api):
    # Juju refuses the action; neither original checked required params.
    ctx = Context(SilentCharm, meta={"name": "app"}, actions=STRICT_ACTIONS)
    with pytest.warns(JujuStricterWarning, match="AP5.*from"):
        api.run_action(ctx, "restore", State())
    strict = Context(SilentCharm, meta={"name": "app"}, actions=STRICT_ACTIONS, strict=True)
    with pytest.raises(InconsistentScenarioError, match="AP5") as info:
        api.run_action(strict, "restore", State())
    assert "from" in str(info.value)


def test_an_action_param_type_juju_does_not_know_warns(api):
    ctx = Context(SilentCharm, meta={"name": "app"}, actions=STRICT_ACTIONS)
    with pytest.warns(JujuStricterWarning, match="AP2.*JSON schema"):
        assert api.run_action(ctx, "go", State()).results == {"ok": "yes"}
    strict = Context(SilentCharm, meta={"name": "app"}, actions=STRICT_ACTIONS, strict=True)
    with pytest.raises(InconsistentScenarioError, match="AP2"):
        api.run_action(strict, "go", State())
