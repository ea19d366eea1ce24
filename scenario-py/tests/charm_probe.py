"""Running a test's probe inside a charm's handler, for the tests that look at what the
charm sees (the Pebble tests of both APIs)."""

from typing import Any, Callable, Tuple

import pytest

from scenario.errors import UncaughtCharmError


def run_probe(
    charm_type: Any, probe: Callable[..., Any], run: Callable[[], Any]
) -> Tuple[Any, Any]:
    """Sets ``charm_type.probe`` for the charm's handler to call, then ``run()`` (one
    ``ctx.run``); returns (what the probe returned, the output State).

    An exception the probe raises is re-raised as itself (not as UncaughtCharmError), so
    tests can check its type and fields.
    """
    charm_type.probe = probe
    charm_type.result = None
    try:
        out = run()
    except UncaughtCharmError as e:
        assert e.__cause__ is not None
        raise e.__cause__ from None
    finally:
        charm_type.probe = None
    return charm_type.result, out


def raised(exc_type: Any, call: Callable[[], Any]) -> Any:
    """The exception ``call()`` raises (it must be ``exc_type``)."""
    with pytest.raises(exc_type) as info:
        call()
    return info.value
