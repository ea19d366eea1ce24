"""What a front tells the engine about one run (``RunOptions``), and how a run reports an
exception the charm let escape (``charm_call``): each as the run's API documents it.

The lowest module of the driver: it knows no ops object, only the API of the run.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Callable, Optional

from scenario_rs._scenario import Api, environ_get
from scenario_rs.errors import (
    BadOwnerPath,
    NoObserverError,
    ScenarioRuntimeError,
    UncaughtCharmError,
)

__all__ = ["RunOptions", "charm_call"]


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """What a front tells the engine about one run, besides the State and the event."""

    #: The API the run speaks. It decides how unset defaults read, which consistency
    #: findings are errors, and a few hook-tool answers where the two APIs differ.
    api: Api
    juju_version: str
    #: The Context's unit id (ops[testing]); ``None`` takes the State's (Scenario 5).
    unit_id: Optional[int] = None
    #: The Context's app name; ``None`` takes the charm's name.
    app_name: Optional[str] = None
    machine_id: Optional[str] = None
    availability_zone: Optional[str] = None
    principal_unit: Optional[str] = None
    app_trusted: bool = False
    capture_deferred_events: bool = False
    capture_framework_events: bool = False
    #: Turn each "Juju would refuse this" warning into the error Juju would give.
    strict: bool = False


def charm_call(step: Callable[[], Any], api: Api = Api.SCENARIO_5) -> Any:
    """Run a step of charm or ops code, wrapping what it raises in UncaughtCharmError
    (with the charm's exception as the cause), except the errors Scenario documents as
    passing through.

    ``SCENARIO_BARE_CHARM_ERRORS`` (``true`` or a non-zero number) lets the charm's own
    exception through unwrapped, as ops[testing] does.
    """
    try:
        return step()
    except (ScenarioRuntimeError, NoObserverError):
        raise
    except BadOwnerPath as e:
        # Scenario 5 let it through; ops[testing] wraps it as any other error of the run.
        if api is not Api.SCENARIO_8:
            raise
        _uncaught(e, api)
    except Exception as e:
        _uncaught(e, api)


def _uncaught(e: Any, api: Api) -> typing.NoReturn:
    """Raise the charm's exception ``e`` as the run's API documents it."""
    if _bare_charm_errors():
        raise e
    raise UncaughtCharmError(api.uncaught_charm_error(e)) from e


def _bare_charm_errors() -> bool:
    bare = environ_get("SCENARIO_BARE_CHARM_ERRORS") or "false"
    return bare.lower() == "true" or (bare.isdigit() and int(bare) != 0)
