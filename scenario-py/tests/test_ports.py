"""Ports: the port classes (``TCPPort``, ``UDPPort``, ``ICMPPort``, Scenario 5's
``Port``), their validation and equality (with ops's ``Port`` too), and what a charm opens,
closes and reads of them under both APIs. That a Scenario 5 State's ports are a list a
test may change is test_state.py's.
"""

from typing import ClassVar

import ops
import pytest

from scenario import Context, State
from scenario.state import Port


def test_ports(testing):
    assert testing.TCPPort(80).protocol == "tcp"
    assert testing.UDPPort(53).protocol == "udp"
    assert testing.ICMPPort().protocol == "icmp"
    assert testing.ICMPPort().port is None
    assert testing.TCPPort(80) == testing.TCPPort(80)
    assert testing.TCPPort(80) != testing.UDPPort(80)
    assert hash(testing.TCPPort(80)) == hash(testing.TCPPort(80))
    assert isinstance(testing.TCPPort(80), testing.Port)


@pytest.mark.parametrize("port", [0, 65536, -1])
def test_a_port_must_be_in_range(testing, port):
    with pytest.raises(
        testing.errors.StateValidationError, match=r"`port` outside bounds \[1:65535\]"
    ):
        testing.TCPPort(port)
    with pytest.raises(testing.errors.StateValidationError):
        testing.UDPPort(port)


class PortOpener(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        opened = sorted((p.protocol, p.port or 0) for p in self.unit.opened_ports())
        self.unit.status = ops.ActiveStatus(str(opened))
        self.unit.open_port("udp", 53)
        self.unit.open_port("icmp")
        self.unit.close_port("tcp", 80)


def test_open_and_close_ports(api):
    testing = api.testing
    ctx = testing.Context(PortOpener, meta={"name": "app"})
    state = testing.State(opened_ports=[testing.TCPPort(80), testing.TCPPort(443)])
    out = api.run(ctx, "start", state)
    assert out.unit_status == testing.ActiveStatus("[('tcp', 80), ('tcp', 443)]")
    assert out.opened_ports == {testing.TCPPort(443), testing.UDPPort(53), testing.ICMPPort()}


def test_ports_equal_to_ops_ports_differ_from_8_9(testing):
    """8.9's ports are plain dataclasses, unequal to ``ops.Port``; this package's compare by
    protocol and number with ops's too (``out.opened_ports == {ops.Port("tcp", 80)}``)."""
    import scenario

    ours = hasattr(scenario, "_scenario")
    assert (testing.TCPPort(80) == ops.Port("tcp", 80)) is ours
    assert (ops.Port("tcp", 80) == testing.TCPPort(80)) is ours
    assert testing.TCPPort(80) != ops.Port("udp", 80)


def test_a_bare_port_is_refused(testing):
    # ops[testing]'s error; Scenario 5.8.1's Port required its protocol, and the error is
    # its TypeError too.
    import scenario

    with pytest.raises(RuntimeError) as info:
        testing.Port()
    if hasattr(scenario, "_scenario"):
        assert isinstance(info.value, TypeError)


def test_state_ops_ports_and_storages_differ_from_8_9(testing):
    """8.9 cannot take an ``ops.Port`` in ``opened_ports`` (it converts it to its base
    ``Port``, which refuses to be made: ``RuntimeError``); this package converts it, as it
    converts an ``ops.Storage``."""
    import scenario

    if hasattr(scenario, "_scenario"):
        state = testing.State(opened_ports=[ops.Port("tcp", 8080), ops.Port("icmp", None)])
        assert state.opened_ports == {testing.TCPPort(8080), testing.ICMPPort()}
    else:
        with pytest.raises(RuntimeError):
            testing.State(opened_ports=[ops.Port("tcp", 8080)])


class PortCharm(ops.CharmBase):
    seen: ClassVar[set] = set()

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._open_port)
        framework.observe(self.on.stop, self._close_port)
        framework.observe(self.on.update_status, self._record)

    def _open_port(self, _):
        self.unit.open_port("tcp", 42)

    def _close_port(self, _):
        self.unit.close_port("tcp", 42)

    def _record(self, _):
        PortCharm.seen = self.unit.opened_ports()


def test_a_port_opened_by_a_previous_run(api):
    ctx = Context(PortCharm, meta={"name": "ports"})
    out = api.run(ctx, "update_status", State(opened_ports=[Port("tcp", 42)]))
    # opened-ports gives ops's own Port (5.8.1 gave its own Port class, which does not
    # equal ops's)
    assert PortCharm.seen == {ops.Port("tcp", 42)}
    assert out.opened_ports == [Port("tcp", 42)]
