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
    """The Context could not be set up (for example, no metadata was found)."""


class CharmcraftExtensionError(ContextSetupError, ValueError):
    """The extensions a charmcraft.yaml names cannot be merged into it: the charm declares
    what an extension adds (an endpoint, a container, a config option, an action), or the
    ``extensions`` key is not a list of names. A ``ValueError`` too, as ops[testing] raises."""


class AlreadyEmittedError(RuntimeError):
    """``run()`` was called twice on a manager."""


class InvalidEventError(RuntimeError):
    """The event given to ``run`` is not an event, or is an action."""


class InvalidActionError(InvalidEventError):
    """The action given to ``run_action`` is not an action."""


class ScenarioRuntimeError(RuntimeError):
    """Base class for errors Scenario raises while running a charm."""


class UncaughtCharmError(ScenarioRuntimeError):
    """The charm (or ops) raised; the charm's exception is the ``__cause__``."""


class InconsistentScenarioError(ScenarioRuntimeError):
    """The State, event and charm spec are not something Juju could produce."""


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
    """No event of that name exists on the object the event path names."""


class BadOwnerPath(RuntimeError):
    """A custom event's owner path does not lead to an ``ObjectEvents``."""


class StateEntityNotFound(KeyError, ValueError):
    """A ``State.get_*`` lookup found nothing: a ``KeyError``, as ops[testing] raises,
    that is also the ``ValueError`` Scenario 5 raised."""

    def __str__(self) -> str:
        # KeyError quotes its message; this one is a sentence.
        return str(self.args[0]) if self.args else ""


class ScenarioWarning(UserWarning):
    """Base class of the warnings Scenario gives."""


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
