"""Running a test's probe inside a charm's handler, for the tests that look at what the
charm sees (the Pebble tests, through either API)."""

from typing import Any, Callable, ClassVar, Optional, Tuple

import ops
import pytest

from scenario.errors import UncaughtCharmError

# ops 2.10 has no check events (they came with ops 2.15).
HAS_CHECK_EVENTS = hasattr(ops, "PebbleCheckFailedEvent")

META = {"name": "foo", "containers": {"foo": {}}}


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


class ProbeCharm(ops.CharmBase):
    """Calls ``ProbeCharm.probe(container)`` on update-status with its container "foo" and
    keeps what it returns; keeps the check and notice events it sees."""

    probe: ClassVar[Optional[Callable[[ops.Container], Any]]] = None
    result: ClassVar[Any] = None
    seen: ClassVar[Any] = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)
        framework.observe(self.on["foo"].pebble_custom_notice, self._on_notice)
        if HAS_CHECK_EVENTS:
            framework.observe(self.on["foo"].pebble_check_failed, self._on_check)
            framework.observe(self.on["foo"].pebble_check_recovered, self._on_check)

    def _on_update_status(self, _):
        if ProbeCharm.probe is not None:
            ProbeCharm.result = ProbeCharm.probe(self.unit.get_container("foo"))

    def _on_notice(self, event):
        notice = event.notice
        ProbeCharm.seen = (notice.id, notice.type, notice.key, notice.last_data)

    def _on_check(self, event):
        info = event.info
        ProbeCharm.seen = (type(event).__name__, info.name, info.status, info.failures)


def in_charm(api, probe, container=None, *, ctx=None, state=None):
    """Runs ``probe(ops.Container)`` in ProbeCharm's update-status handler, through ``api``
    (an ``apis.Api``); returns (its result, the output State)."""
    testing = api.testing
    ctx = ctx or testing.Context(ProbeCharm, meta=META)
    if state is None:
        state = testing.State(containers=[container or testing.Container("foo", can_connect=True)])
    return run_probe(ProbeCharm, probe, lambda: api.run(ctx, "update_status", state))


def raises_in_charm(api, exc_type, probe, container=None, **kwargs):
    """The exception ``probe`` raises in the charm's handler (it must be ``exc_type``)."""
    return raised(exc_type, lambda: in_charm(api, probe, container, **kwargs))


def path_error(api, probe, container=None, **kwargs) -> ops.pebble.PathError:
    """The ``pebble.PathError`` ``probe`` raises in the charm's handler."""
    return raises_in_charm(api, ops.pebble.PathError, probe, container, **kwargs)


def api_error(api, probe, container=None, **kwargs) -> ops.pebble.APIError:
    """The ``pebble.APIError`` ``probe`` raises in the charm's handler."""
    return raises_in_charm(api, ops.pebble.APIError, probe, container, **kwargs)
