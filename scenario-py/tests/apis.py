"""The two APIs a test runs a charm through (the ``api`` and ``testing`` fixtures of
conftest.py use these; a test of one API alone uses them directly)."""

import dataclasses
import types
from typing import Any


def ops_testing_module() -> Any:
    """``from ops import testing`` as an ops[testing] suite reads it.

    ops 2.10's ``ops.testing`` predates Scenario: there it is ``scenario``. ops 2.17 to 3.2
    import Scenario's names only when ``ops-scenario`` 7 or later is installed, which this
    package answers for (``_ops_scenario_alias``). ops-scenario 7's list (ops 2.x) lacks
    ``layer_from_rockcraft`` and ``CharmEvents``, which such a suite takes from
    ``scenario``.
    """
    from ops import testing

    import scenario

    if not hasattr(testing, "State"):
        return scenario
    missing = {n: getattr(scenario, n) for n in _SCENARIO_8_ONLY if not hasattr(testing, n)}
    if missing:
        return types.SimpleNamespace(**vars(testing), **missing)
    return testing


# The names ops-scenario 8 added to ops.testing's list.
_SCENARIO_8_ONLY = ("CharmEvents", "layer_from_rockcraft")


class Api:
    """One of the two APIs a test runs the charm through.

    ``testing`` is the module the test takes its classes from (``scenario`` for Scenario 5,
    ``ops.testing`` for ops[testing]). An event is named by its ``ctx.on`` factory
    (``"start"``, ``"relation_changed"``) with that factory's arguments; ``event`` writes
    it as the API does: the factory's event for ops[testing], the event name or the entity's
    ``*_event`` for Scenario 5.
    """

    def __init__(self, name: str, testing: Any):
        self.name = name
        self.testing = testing

    def __repr__(self) -> str:
        return f"Api({self.name})"

    @property
    def is_scenario_5(self) -> bool:
        return self.name == "scenario5"

    def event(self, ctx: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        """The event of factory ``name`` with its arguments, in this API's form."""
        if not self.is_scenario_5:
            return getattr(ctx.on, name)(*args, **kwargs)
        return _scenario_5_event(name, *args, **kwargs)

    def run(self, ctx: Any, name: str, state: Any, *args: Any, **kwargs: Any) -> Any:
        """``ctx.run`` of the event (see ``event``; an event with no entity goes by its name
        under Scenario 5, as its suites write ``ctx.run("start", state)``); the output
        State."""
        if self.is_scenario_5 and not args and not kwargs:
            return ctx.run(name, state)
        return ctx.run(self.event(ctx, name, *args, **kwargs), state)

    def manager(self, ctx: Any, name: str, state: Any, *args: Any, **kwargs: Any) -> Any:
        """The API's context manager around a run: ``ctx.manager(...)`` (Scenario 5) or
        ``ctx(...)`` (ops[testing]); both give ``.charm`` and ``.run()``."""
        event = self.event(ctx, name, *args, **kwargs)
        return ctx.manager(event, state) if self.is_scenario_5 else ctx(event, state)

    def run_action(self, ctx: Any, name: str, state: Any, params: Any = None) -> Any:
        """Run action ``name``; its output: ``.state``, ``.results``, ``.logs``.

        ops[testing] reports an action in ``ctx.action_results`` and ``ctx.action_logs`` and
        raises ``ActionFailed`` if the charm failed it; Scenario 5's ``run_action`` returns
        an ``ActionOutput`` with them, and its failure, which this raises as
        ``ActionFailed`` too, so that one test checks both."""
        if not self.is_scenario_5:
            out = ctx.run(ctx.on.action(name, params=params or {}), state)
            return types.SimpleNamespace(
                state=out, results=ctx.action_results, logs=ctx.action_logs
            )
        import scenario

        output = ctx.run_action(scenario.Action(name, params=params or {}), state)
        if not output.success:
            raise scenario.ActionFailed(output.failure, output.state)
        return output


def _scenario_5_event(name: str, *args: Any, **kwargs: Any) -> Any:
    """The Scenario 5 form of ``ctx.on.<name>(*args, **kwargs)``."""
    import scenario

    if not args:
        assert not kwargs, kwargs
        return scenario.Event(name)
    (entity, *rest) = args
    if name.startswith("relation_"):
        event = getattr(entity, f"{name[len('relation_') :]}_event")
        ids = {
            "relation_remote_unit_id": kwargs.pop("remote_unit", None),
            "relation_departed_unit_id": kwargs.pop("departing_unit", None),
        }
        assert not kwargs and not rest, (kwargs, rest)
        ids = {k: v for k, v in ids.items() if v is not None}
        return dataclasses.replace(event, **ids) if ids else event
    if name.startswith("storage_"):
        return getattr(entity, f"{name[len('storage_') :]}_event")
    if name == "pebble_ready":
        return entity.pebble_ready_event
    if name == "pebble_custom_notice":
        (notice,) = rest
        return scenario.Event(
            f"{entity.name}_pebble_custom_notice", container=entity, notice=notice
        )
    if name in ("pebble_check_failed", "pebble_check_recovered"):
        (info,) = rest
        return scenario.Event(f"{entity.name}_{name}", container=entity, check_info=info)
    if name.startswith("secret_"):
        revision = kwargs.pop("revision", None)
        assert not kwargs and not rest, (kwargs, rest)
        if revision is None:  # the secret's own event, which checks who owns it
            return getattr(entity, f"{name[len('secret_') :]}_event")
        return scenario.Event(name, secret=entity, secret_revision=revision)
    raise AssertionError(f"no Scenario 5 form for ctx.on.{name}")


def scenario_5() -> Api:
    """Scenario 5's API, with its classes from ``scenario``."""
    import scenario

    return Api("scenario5", scenario)


def ops_testing(testing: Any = None) -> Api:
    """ops[testing]'s API, with its classes from ``testing`` (``ops.testing`` if not given:
    a test taking the ``testing`` fixture passes it)."""
    return Api("ops.testing", testing if testing is not None else ops_testing_module())
