"""Every exception and warning Scenario raises, declared once, under both APIs' names.

ops[testing] imports them from here (``scenario.errors``); Scenario 5 suites import them
from ``scenario.context``, ``scenario.runtime``, ``scenario.state``,
``scenario.ops_main_mock`` and ``scenario.mocking``, which re-export these same classes.
"""

from __future__ import annotations

from scenario_rs._scenario import (
    ActionMissingFromContextError,
    BindFailedError,
    MetadataNotFoundError,
    MissingEventEntityError,
    StateValidationError,
)

__all__ = [
    "ActionMissingFromContextError",
    "AlreadyEmittedError",
    "BadOwnerPath",
    "BindFailedError",
    "CharmcraftExtensionError",
    "ContextSetupError",
    "InconsistentScenarioError",
    "InvalidActionError",
    "InvalidEventError",
    "JujuStricterWarning",
    "MetadataNotFoundError",
    "MissingCharmNameError",
    "MissingEventEntityError",
    "NoObserverError",
    "PortArgumentError",
    "ScenarioDeprecationWarning",
    "ScenarioRuntimeError",
    "ScenarioWarning",
    "StateEntityNotFound",
    "StateValidationError",
    "UncaughtCharmError",
    "UnknownCharmcraftExtensionWarning",
]


class ContextSetupError(RuntimeError):
    """The Context could not be set up for the charm: ``charm_type`` is not a charm class,
    no metadata was given or found in the charm root, or the metadata, config or actions
    are not what charmcraft accepts."""


class CharmcraftExtensionError(ContextSetupError, ValueError):
    """The extensions a charmcraft.yaml names cannot be merged into it: the charm declares
    what an extension adds (an endpoint, a container, a config option, an action), or the
    ``extensions`` key is not a list of names. A ``ValueError`` too, as ops[testing] raises."""


class AlreadyEmittedError(RuntimeError):
    """``run()`` was called a second time on the manager of a ``with ctx(...)`` block (or
    Scenario 5's ``ctx.manager``): one block runs one event."""


class InvalidEventError(RuntimeError):
    """What was given to ``ctx.run`` (or a manager) as the event is not one: neither an
    event from ``ctx.on``, an event name nor an ``Event``; or, in Scenario 5's API, it is
    an action, which ``run_action`` runs."""


class InvalidActionError(InvalidEventError):
    """What was given to Scenario 5's ``ctx.run_action`` (or ``action_manager``) is neither
    an action name nor an ``Action``."""


class ScenarioRuntimeError(RuntimeError):
    """The base of the errors a run raises (rather than the charm): an inconsistent
    scenario, or the charm's own exception wrapped in ``UncaughtCharmError``."""


class UncaughtCharmError(ScenarioRuntimeError):
    """The charm (or ops, on the charm's behalf) raised an exception during the run; the
    charm's exception is this error's ``__cause__``, with its traceback, so
    ``pytest.raises(UncaughtCharmError)`` and ``exc_info.value.__cause__`` reach it."""


class InconsistentScenarioError(ScenarioRuntimeError):
    """The State and event given to a run are not something Juju could produce for this
    charm (an undeclared endpoint, a relation event without its relation, a config value of
    the wrong type...); raised before any charm code runs. The message names each problem
    by its field (``state.relations[1].endpoint``), its rule code and how to fix it."""


class MissingCharmNameError(KeyError, ValueError):
    """The charm's metadata has no ``name``, which ops (and Juju) require: a ``KeyError``,
    as ops[testing]'s run failed with, that is also the ``ValueError`` Scenario 5 raised."""

    def __str__(self) -> str:
        # KeyError quotes its message; this one is a sentence.
        return str(self.args[0]) if self.args else ""


class PortArgumentError(TypeError, RuntimeError):
    """``Port()`` without a protocol: ops[testing]'s ``RuntimeError`` and Scenario 5's
    ``TypeError`` at once."""


class NoObserverError(RuntimeError):
    """The event to run names no event of the object it should be emitted on: a custom
    event's emitter has no such event, or the charm never defined it."""


class BadOwnerPath(RuntimeError):
    """A custom event's owner path (``Event("owner.path.name")``) does not lead from the
    charm to an object that emits events (an ``ObjectEvents``)."""


class StateEntityNotFound(KeyError, ValueError):
    """A ``State.get_*`` lookup found nothing: a ``KeyError``, as ops[testing] raises,
    that is also the ``ValueError`` Scenario 5 raised."""

    def __str__(self) -> str:
        # KeyError quotes its message; this one is a sentence.
        return str(self.args[0]) if self.args else ""


class ScenarioWarning(UserWarning):
    """The base of the warnings this package gives (a ``UserWarning``): filter them all with
    ``warnings.simplefilter("ignore", ScenarioWarning)``, or turn them into errors."""


class JujuStricterWarning(ScenarioWarning):
    """Juju would refuse what the test does, but the original Scenario let it pass, so
    suites written for it rely on it. Strict mode (``Context(strict=True)`` or
    ``SCENARIO_STRICT=1``) turns each into the error Juju would give."""


class UnknownCharmcraftExtensionWarning(ScenarioWarning):
    """A charmcraft.yaml names an extension Scenario does not know; nothing of it is merged
    into the charm's spec."""


class ScenarioDeprecationWarning(ScenarioWarning, DeprecationWarning):
    """An idiom of an older Scenario that still works, and how to write it today."""


# Tracebacks and pytest's summaries name an exception by its module: these are
# `scenario.errors.X`, where suites import them from (and where the compiled ones live).
for _name in __all__:
    _cls = globals()[_name]
    if _cls.__module__ == __name__:
        _cls.__module__ = "scenario.errors"
del _name, _cls
