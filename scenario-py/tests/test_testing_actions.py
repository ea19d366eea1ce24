"""ops[testing]'s actions: ``ctx.on.action(name, params, id)``, ``ctx.action_results`` and
``ctx.action_logs``, ``ActionFailed`` (its message and output State), what a reused
Context keeps between runs, the action's parameters, and the checks on them.
"""

import os

import ops
import pytest

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


def test_an_action_without_results_leaves_them_none(testing):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    out = ctx.run(ctx.on.action("quiet", params={"s": "x"}, id="42"), testing.State())
    assert ctx.action_results is None
    assert ctx.action_logs == ["q"]
    assert out.unit_status == testing.ActiveStatus("42 x")


def test_a_failed_action_raises_action_failed(testing):
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


def test_a_reused_context_starts_each_action_afresh(testing):
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


def test_a_failure_does_not_stick_to_a_reused_context(testing):
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


def test_invalid_result_keys(testing):
    class BadKeys(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.go_action, self._on_go)

        def _on_go(self, event):
            event.set_results({"Bad_Key": 1})

    ctx = testing.Context(BadKeys, meta=META, actions=ACTIONS)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        ctx.run(ctx.on.action("go"), testing.State())
    assert isinstance(info.value.__cause__, ValueError)
    assert "Bad_Key" in str(info.value.__cause__)


@pytest.mark.parametrize(
    "event",
    [
        lambda on: on.action("nope"),
        lambda on: on.action("quiet", params={"n": "not an int"}),
        lambda on: on.action("quiet", params={"unknown": "x"}),
    ],
)
def test_actions_and_params_must_be_declared(testing, event):
    ctx = testing.Context(ActionCharm, meta=META, actions=ACTIONS)
    with pytest.raises(testing.errors.InconsistentScenarioError):
        ctx.run(event(ctx.on), testing.State())


def test_an_action_without_an_actions_spec(testing):
    ctx = testing.Context(ActionCharm, meta=META)
    with pytest.raises(testing.errors.InconsistentScenarioError):
        ctx.run(ctx.on.action("go"), testing.State())
