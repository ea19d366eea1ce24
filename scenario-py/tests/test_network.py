"""Networks: the ``Network`` classes (ops[testing]'s defaults, Scenario 5's
``Network.default`` and the hook tool's format), and what network-get gives a charm under
both APIs: the State's network, or a default one for any declared endpoint, extra binding
or ``juju-info``; an undeclared binding is ``RelationNotFoundError``; a subordinate
endpoint's network is where the APIs differ.
"""

import ipaddress
from typing import ClassVar

import ops
import pytest

from scenario import Context, Network, Relation, State


def test_network_defaults(testing):
    net = testing.Network("db")
    assert net.binding_name == "db"
    assert [a.value for b in net.bind_addresses for a in b.addresses] == ["192.0.2.0"]
    assert list(net.ingress_addresses) == ["192.0.2.0"]
    assert list(net.egress_subnets) == ["192.0.2.0/24"]
    assert hash(net) == hash(testing.Network("db", ingress_addresses=["10.0.0.1"]))


class NetworkReader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        net = self.model.get_binding("db").network
        self.unit.status = ops.ActiveStatus(
            f"{net.bind_address} {net.ingress_address} {net.interfaces[0].name}"
        )


def test_the_charm_reads_a_network(api):
    testing = api.testing

    net = testing.Network(
        "db",
        bind_addresses=[
            testing.BindAddress(
                [testing.Address("10.0.0.5", cidr="10.0.0.0/24")], interface_name="eth1"
            )
        ],
        ingress_addresses=["10.0.0.6"],
        egress_subnets=["10.0.0.0/24"],
    )
    ctx = testing.Context(
        NetworkReader, meta={"name": "app", "requires": {"db": {"interface": "sql"}}}
    )
    out = api.run(ctx, "start", testing.State(networks=[net]))
    assert out.unit_status == testing.ActiveStatus("10.0.0.5 10.0.0.6 eth1")
    # Without one, a declared binding gets the default network.
    out = api.run(ctx, "start", testing.State())
    assert out.unit_status.message.startswith("192.0.2.0 192.0.2.0")


def test_network_hook_tool_format():
    net = Network.default("db")
    out = net.hook_tool_output_fmt()
    assert out["ingress-addresses"] == ["1.1.1.2"]
    assert out["egress-subnets"] == ["1.1.1.2/32"]
    assert out["bind-addresses"][0]["addresses"][0]["value"] == "1.1.1.1"
    assert "mac-address" not in out["bind-addresses"][0]


class NetworkCharm(ops.CharmBase):
    binding = "foo"
    seen: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        try:
            network = self.model.get_binding(NetworkCharm.binding).network
        except Exception as e:
            NetworkCharm.seen = {"error": e}
            return
        NetworkCharm.seen = {
            "bind": network.bind_address,
            "ingress": network.ingress_address,
            "ingress_addresses": network.ingress_addresses,
            "egress": network.egress_subnets,
        }


NET_META = {
    "name": "local",
    "requires": {"foo": {"interface": "bar"}},
    "extra-bindings": {"data": None},
}


def _network(api, binding, state):
    NetworkCharm.binding = binding
    NetworkCharm.seen = {}
    api.run(Context(NetworkCharm, meta=NET_META), "start", state)
    return NetworkCharm.seen


def test_network_get_with_a_default_network(api):
    seen = _network(
        api,
        "foo",
        State(
            relations=[Relation("foo")],
            networks=[Network.default("foo", private_address="10.0.0.1")],
        ),
    )
    assert seen["bind"] == ipaddress.ip_address("10.0.0.1")
    assert seen["ingress"] == ipaddress.ip_address("1.1.1.2")
    assert seen["ingress_addresses"] == [ipaddress.ip_address("1.1.1.2")]
    assert seen["egress"] == [ipaddress.ip_network("1.1.1.2/32")]


def test_network_get_without_a_network_gives_the_default_one(api):
    # No Network in the State gives 192.0.2.0, with or without a relation on the endpoint
    # (5.8.1 raised RelationNotFoundError without a relation, StopIteration without a
    # Network).
    for state in (State(relations=[Relation("foo")]), State()):
        seen = _network(api, "foo", state)
        assert seen["bind"] == ipaddress.ip_address("192.0.2.0")
        assert seen["ingress"] == ipaddress.ip_address("192.0.2.0")
        assert seen["egress"] == [ipaddress.ip_network("192.0.2.0/24")]


def test_network_get_for_an_extra_binding(api):
    seen = _network(
        api, "data", State(networks=[Network.default("data", private_address="10.1.2.3")])
    )
    assert seen["bind"] == ipaddress.ip_address("10.1.2.3")
    seen = _network(api, "data", State())
    assert seen["bind"] == ipaddress.ip_address("192.0.2.0")


def test_network_get_for_juju_info(api):
    seen = _network(api, "juju-info", State())
    assert seen["bind"] == ipaddress.ip_address("192.0.2.0")


def test_network_get_for_an_undeclared_binding_is_relation_not_found(api):
    # ops's Binding.network re-raises RelationNotFoundError when no relation id was given.
    seen = _network(api, "nope", State())
    error = seen["error"]
    assert type(error) is ops.RelationNotFoundError
    assert "nope" in str(error)


def test_a_subordinate_endpoint_has_no_network_under_ops_testing(testing):
    # A subordinate shares its principal's network: ops[testing] answers
    # RelationNotFoundError (Scenario 5.8.1 answered with the default network).
    meta = {"name": "app", "requires": {"info": {"interface": "i", "scope": "container"}}}
    ctx = testing.Context(ops.CharmBase, meta=meta)
    with ctx(
        ctx.on.update_status(), testing.State(relations={testing.SubordinateRelation("info")})
    ) as mgr:
        with pytest.raises(ops.RelationNotFoundError):
            mgr.charm.model.get_binding("info").network  # noqa: B018
