"""The connection rule of Pebble, under both APIs: a container that cannot connect (or one
declared in the metadata but missing from the State) answers ``can_connect()`` with False
and every other call with ``pebble.ConnectionError``, except where the originals answered
regardless (the plan, exec; under ops[testing], checks and notices too), which this package
answers with a ``JujuStricterWarning`` (an error in strict mode).
"""

import ops
import pytest
from apis import ops_testing
from charm_probe import META, ProbeCharm, in_charm, raises_in_charm
from ops import pebble

from scenario import Container, State
from scenario.errors import JujuStricterWarning

LAYER = {
    "services": {
        "web": {"override": "replace", "command": "/bin/web --port 80", "startup": "enabled"},
    },
}


def with_layer(**kwargs) -> Container:
    return Container("foo", can_connect=True, layers={"base": pebble.Layer(LAYER)}, **kwargs)


NEEDS_PEBBLE = {
    "pull": lambda c: c.pull("/f"),
    "push": lambda c: c.push("/f", "x"),
    "list_files": lambda c: c.list_files("/"),
    "exists": lambda c: c.exists("/"),
    "isdir": lambda c: c.isdir("/"),
    "make_dir": lambda c: c.make_dir("/d"),
    "remove_path": lambda c: c.remove_path("/f"),
    "add_layer": lambda c: c.add_layer("new", LAYER),
    "get_services": lambda c: c.get_services(),
    "get_service": lambda c: c.get_service("web"),
    "start": lambda c: c.start("web"),
    "stop": lambda c: c.stop("web"),
    "restart": lambda c: c.restart("web"),
    "replan": lambda c: c.replan(),
    "autostart": lambda c: c.autostart(),
    "send_signal": lambda c: c.send_signal("SIGHUP", "web"),
}


@pytest.mark.parametrize("call", NEEDS_PEBBLE.values(), ids=NEEDS_PEBBLE.keys())
def test_disconnected_calls_raise_connection_error(api, call):
    container = with_layer(service_status={"web": pebble.ServiceStatus.ACTIVE})
    container = Container(
        "foo",
        can_connect=False,
        layers=container.layers,
        service_status=container.service_status,
    )
    assert in_charm(api, lambda c: c.can_connect(), container)[0] is False
    err = raises_in_charm(api, pebble.ConnectionError, call, container)
    assert "can_connect=True" in str(err)
    assert "foo" in str(err)


@pytest.mark.parametrize(
    "call",
    [lambda c: c.push_path(__file__, "/dst"), lambda c: c.pull_path("/src", "/nonexistent")],
    ids=["push_path", "pull_path"],
)
def test_disconnected_push_path_pull_path(api, call):
    # ops collects the errors of push_path/pull_path into one MultiPushPullError.
    err = raises_in_charm(
        api, ops.model.MultiPushPullError, call, Container("foo", can_connect=False)
    )
    assert len(err.errors) == 1
    assert isinstance(err.errors[0][1], pebble.ConnectionError)
    assert "can_connect" in str(err.errors[0][1])


def test_disconnected_can_connect_is_false_but_get_plan_works(api):
    container = Container("foo", can_connect=False, layers={"base": pebble.Layer(LAYER)})

    def probe(c):
        return c.can_connect(), c.get_plan().services["web"].command

    with pytest.warns(JujuStricterWarning, match='get_plan on container "foo"'):
        (connected, command), out = in_charm(api, probe, container)
    assert connected is False
    assert command == "/bin/web --port 80"
    assert out.get_container("foo") == container


def test_connected_can_connect_is_true(api):
    connected, _ = in_charm(api, lambda c: c.can_connect())
    assert connected is True


def test_container_declared_but_absent_from_state_is_unreachable(api):
    # Deliberate difference: 5.8.1 and ops[testing] 8.9 raised RuntimeError for these, even
    # from can_connect(); a missing container is one whose Pebble is not up yet, as in an
    # install hook.
    state = State()

    def probe(c):
        with pytest.raises(pebble.ConnectionError) as info:
            c.push("/f", "x")
        with pytest.raises(pebble.ConnectionError):
            c.exec(["ls"])
        return c.can_connect(), str(info.value)

    (connected, message), out = in_charm(api, probe, state=state)
    assert connected is False
    assert "foo" in message
    assert out.containers == []


def test_missing_container_has_no_checks_or_notices_under_ops_testing(testing):
    # As in ops[testing] 8.9, these reads answer for a container the State lacks (Scenario 5
    # runs need Pebble for them: test_get_checks_and_notices_need_pebble_under_scenario_5).
    found, _ = in_charm(
        ops_testing(testing), lambda c: (dict(c.get_checks()), c.get_notices()), state=State()
    )
    assert found == ({}, [])


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda w: w.get_checks(), id="checks"),
        pytest.param(lambda w: w.get_notices(), id="notices"),
        pytest.param(lambda w: w.exec(["ls"]), id="exec"),
    ],
)
def test_checks_notices_and_exec_without_a_connection_warn(testing, call):
    """8.9 answers these with ``can_connect=False`` where a unit
    gets ``ConnectionError``: this package answers too, with a ``JujuStricterWarning``, and
    raises ``ConnectionError`` in strict mode."""
    import scenario

    container = testing.Container("foo", can_connect=False, execs={testing.Exec(["ls"])})
    if not hasattr(scenario, "_scenario"):
        in_charm(ops_testing(testing), call, container)
        return
    from scenario.errors import JujuStricterWarning

    with pytest.warns(JujuStricterWarning, match="Pebble is unreachable"):
        in_charm(ops_testing(testing), call, container)
    raises_in_charm(
        ops_testing(testing),
        pebble.ConnectionError,
        call,
        container,
        ctx=testing.Context(ProbeCharm, meta=META, strict=True),
    )


def test_a_container_missing_from_the_state_differs_from_8_9(testing):
    """8.9 raises ``RuntimeError`` from any Pebble call to a container of the metadata that
    the State lacks; this package's Pebble is then unreachable (``can_connect()`` is False,
    other calls raise ``ConnectionError``), as in a unit whose workload is not up."""
    import scenario

    class Charm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            self.unit.get_container("foo").get_services()

    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        testing.Context(Charm, meta=META).run(testing.CharmEvents.start(), testing.State())
    expected = pebble.ConnectionError if hasattr(scenario, "_scenario") else RuntimeError
    assert isinstance(info.value.__cause__, expected)
