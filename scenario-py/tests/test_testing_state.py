"""ops[testing]'s State and its parts: each class's constructor, defaults, validation
errors, hashing and equality, ``dataclasses.replace``; a State's set collections and its
``get_*`` helpers; ``State.from_context``; statuses; ports, storage, resources, stored
state, networks, the model and its cloud spec (with ``credential-get``).
"""

import dataclasses

import ops
import pytest

OPS_VERSION = tuple(int(p) for p in ops.__version__.split(".")[:2])
DEFAULT_BAG = {
    "egress-subnets": "192.0.2.0",
    "ingress-address": "192.0.2.0",
    "private-address": "192.0.2.0",
}


# --- State -----------------------------------------------------------------------------------


def test_a_default_state(testing):
    state = testing.State()
    assert state.config == {}
    for name in (
        "relations",
        "networks",
        "containers",
        "storages",
        "opened_ports",
        "secrets",
        "resources",
        "stored_states",
    ):
        assert getattr(state, name) == frozenset(), name
    assert state.leader is False
    assert state.planned_units == 1
    assert state.deferred == []
    assert state.unit_status == state.app_status == testing.UnknownStatus()
    assert state.workload_version == ""
    assert isinstance(state.model, testing.Model)


def test_state_collections_read_as_frozensets(testing):
    r1, r2 = testing.Relation("a"), testing.Relation("b")
    state = testing.State(relations=[r1, r2])
    assert state.relations == {r1, r2}
    assert state.relations == frozenset({r2, r1})
    assert len(state.relations) == 2
    assert state.relations | {r1} == {r1, r2}
    assert r1 in state.relations
    assert testing.State(containers=(testing.Container("c"),)).containers == {
        testing.Container("c")
    }


def test_state_is_not_hashable(testing):
    with pytest.raises(TypeError):
        hash(testing.State())


def test_state_config_none_is_empty(testing):
    assert testing.State(config=None).config == {}


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


def test_replace_a_state(testing):
    rel = testing.Relation("a")
    state = testing.State(relations={rel}, leader=False)
    changed = dataclasses.replace(state, leader=True)
    assert changed.leader is True
    assert changed.relations == {rel}
    assert state.leader is False
    # A list is accepted where a set is stored (pytest-interface-tester passes lists).
    assert dataclasses.replace(state, relations=[rel, testing.Relation("b")]).get_relations("b")


# --- the get_* helpers -----------------------------------------------------------------------


@pytest.fixture
def full(testing):
    """A State holding one of each thing, and the things."""
    things = dict(
        db=testing.Relation("db"),
        db2=testing.Relation("db"),
        peers=testing.PeerRelation("peers"),
        container=testing.Container("c"),
        secret=testing.Secret({"a": "b"}, label="lbl"),
        storage=testing.Storage("data"),
        stored=testing.StoredState("_stored", owner_path="MyCharm", content={"a": 1}),
        network=testing.Network("db"),
    )
    state = testing.State(
        relations={things["db"], things["db2"], things["peers"]},
        containers={things["container"]},
        secrets={things["secret"]},
        storages={things["storage"]},
        stored_states={things["stored"]},
        networks={things["network"]},
    )
    return state, things


def test_get_relation(testing, full):
    state, t = full
    assert state.get_relation(t["db"].id) == t["db"]
    assert state.get_relation(t["db"]) == t["db"]
    with pytest.raises(KeyError, match="relation: id=999999 not found in the State"):
        state.get_relation(999999)
    with pytest.raises(ValueError, match=r"State.get_relation\(\) result does not match"):
        state.get_relation(dataclasses.replace(t["db"], endpoint="other"))


def test_get_relations_is_a_tuple_by_endpoint(testing, full):
    state, t = full
    found = state.get_relations("db")
    assert isinstance(found, tuple)
    assert set(found) == {t["db"], t["db2"]}
    assert state.get_relations("peers") == (t["peers"],)
    assert state.get_relations("nope") == ()


def test_get_relations_with_a_hyphenated_endpoint(testing):
    rel = testing.Relation("foo-bar")
    state = testing.State(relations={rel})
    assert state.get_relations("foo-bar") == (rel,)


def test_get_container_and_network(testing, full):
    state, t = full
    assert state.get_container("c") == t["container"]
    assert state.get_network("db") == t["network"]
    with pytest.raises(KeyError, match="container: x not found in the State"):
        state.get_container("x")
    with pytest.raises(KeyError, match="network: x not found in the State"):
        state.get_network("x")


def test_get_secret(testing, full):
    state, t = full
    secret = t["secret"]
    assert state.get_secret(id=secret.id) == secret
    assert state.get_secret(label="lbl") == secret
    assert state.get_secret(id=secret.id, label="lbl") == secret
    with pytest.raises(KeyError, match="secret: not found in the State"):
        state.get_secret(id=secret.id, label="other")
    with pytest.raises(KeyError, match="secret: not found in the State"):
        state.get_secret(label="other")
    with pytest.raises(ValueError, match="An id or label must be provided"):
        state.get_secret()


def test_get_storage_and_stored_state(testing, full):
    state, t = full
    assert state.get_storage("data", index=t["storage"].index) == t["storage"]
    assert state.get_stored_state("_stored", owner_path="MyCharm") == t["stored"]
    with pytest.raises(ValueError, match="storage: name=data, index=999 not found in the State"):
        state.get_storage("data", index=999)
    with pytest.raises(ValueError, match="stored state: _stored not found in the State"):
        state.get_stored_state("_stored")


# --- State.from_context ----------------------------------------------------------------------

FROM_CONTEXT_META = {
    "name": "app",
    "requires": {
        "db": {"interface": "sql"},
        "info": {"interface": "juju-info", "scope": "container"},
    },
    "provides": {"web": {"interface": "http"}},
    "peers": {"peers": {"interface": "p"}},
    "containers": {"workload": {}},
    "storage": {"data": {"type": "filesystem"}},
}
FROM_CONTEXT_CONFIG = {
    "options": {"colour": {"type": "string", "default": "blue"}, "size": {"type": "int"}}
}


class StatefulCharm(ops.CharmBase):
    _stored = ops.StoredState()
    counters = ops.StoredState()


def test_from_context_fills_in_the_metadata(testing):
    ctx = testing.Context(StatefulCharm, meta=FROM_CONTEXT_META, config=FROM_CONTEXT_CONFIG)
    state = testing.State.from_context(ctx)
    assert state.config == {"colour": "blue"}
    assert sorted((type(r).__name__, r.endpoint, r.interface) for r in state.relations) == [
        ("PeerRelation", "peers", "p"),
        ("Relation", "db", "sql"),
        ("Relation", "web", "http"),
        ("SubordinateRelation", "info", "juju-info"),
    ]
    assert [(c.name, c.can_connect) for c in state.containers] == [("workload", True)]
    assert [s.name for s in state.storages] == ["data"]
    assert sorted((s.name, s.owner_path) for s in state.stored_states) == [
        ("_stored", "StatefulCharm"),
        ("counters", "StatefulCharm"),
    ]
    # The State it makes is one the charm runs on.
    ctx.run(ctx.on.start(), state)


def test_from_context_keeps_what_it_is_given(testing):
    ctx = testing.Context(StatefulCharm, meta=FROM_CONTEXT_META, config=FROM_CONTEXT_CONFIG)
    db = testing.Relation("db", remote_app_name="pg")
    state = testing.State.from_context(
        ctx, relations={db}, config={"colour": "red", "size": 3}, leader=True
    )
    assert state.get_relations("db") == (db,)
    assert state.config == {"colour": "red", "size": 3}
    assert state.leader


# --- relations -------------------------------------------------------------------------------


# --- containers and their parts --------------------------------------------------------------


# --- ports, storage, resources, stored state -------------------------------------------------


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


def test_open_and_close_ports(testing):
    ctx = testing.Context(PortOpener, meta={"name": "app"})
    out = ctx.run(
        ctx.on.start(), testing.State(opened_ports={testing.TCPPort(80), testing.TCPPort(443)})
    )
    assert out.unit_status == testing.ActiveStatus("[('tcp', 80), ('tcp', 443)]")
    assert out.opened_ports == {testing.TCPPort(443), testing.UDPPort(53), testing.ICMPPort()}


def test_storage(testing):
    a, b = testing.Storage("data"), testing.Storage("data")
    assert b.index == a.index + 1
    assert testing.Storage("data", index=3) == testing.Storage("data", index=3)
    assert hash(testing.Storage("data", index=3)) == hash(testing.Storage("data", index=3))
    assert testing.Storage("data", index=3) != testing.Storage("data", index=4)
    assert dataclasses.replace(a).index == a.index


def test_resource(testing):
    res = testing.Resource(name="img", path="/tmp/img.tar")
    assert (res.name, str(res.path)) == ("img", "/tmp/img.tar")
    assert res == testing.Resource(name="img", path="/tmp/img.tar")


def test_stored_state(testing):
    default = testing.StoredState()
    assert (default.name, default.owner_path, default.content) == ("_stored", None, {})
    stored = testing.StoredState("counters", owner_path="MyCharm", content={"n": 1})
    assert (stored.name, stored.owner_path, stored.content) == ("counters", "MyCharm", {"n": 1})
    assert stored == testing.StoredState("counters", owner_path="MyCharm", content={"n": 1})
    assert hash(stored) == hash(dataclasses.replace(stored, content={"n": 2}))


def test_deferred_event(testing):
    event = testing.DeferredEvent("MyCharm/on/start[1]", "MyCharm", "_on_start")
    assert (event.owner, event.observer, event.name, event.snapshot_data) == (
        "MyCharm",
        "_on_start",
        "start",
        {},
    )
    relation_event = testing.DeferredEvent(
        "MyCharm/on/db_relation_changed[3]", "MyCharm", "_on", snapshot_data={"relation_id": 1}
    )
    assert relation_event.name == "db_relation_changed"


# --- networks --------------------------------------------------------------------------------


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


def test_the_charm_reads_a_network(testing):
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
    out = ctx.run(ctx.on.start(), testing.State(networks={net}))
    assert out.unit_status == testing.ActiveStatus("10.0.0.5 10.0.0.6 eth1")
    # Without one, a declared binding gets the default network.
    out = ctx.run(ctx.on.start(), testing.State())
    assert out.unit_status.message.startswith("192.0.2.0 192.0.2.0")


# --- the model and its cloud -----------------------------------------------------------------


def test_model_defaults(testing):
    model = testing.Model()
    assert len(model.name) == 20
    assert len(model.uuid) == 36
    assert model.type == "kubernetes"
    assert model.cloud_spec is None
    assert testing.Model(name="m", type="lxd").type == "lxd"


def test_cloud_spec_and_credential(testing):
    cred = testing.CloudCredential(auth_type="userpass", attributes={"u": "me"}, redacted=["p"])
    spec = testing.CloudSpec("lxd", credential=cred, ca_certificates=["cert"])
    assert (spec.type, spec.name, spec.region, spec.skip_tls_verify) == (
        "lxd",
        "localhost",
        None,
        False,
    )
    assert spec.credential == cred
    assert list(spec.ca_certificates) == ["cert"]
    for bad in (
        lambda: testing.CloudSpec("lxd", ca_certificates="cert"),
        lambda: testing.CloudCredential(auth_type="a", redacted="p"),
    ):
        with pytest.raises(testing.errors.StateValidationError, match="not a single string"):
            bad()


class Trusting(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        spec = self.model.get_cloud_spec()
        self.unit.status = ops.ActiveStatus(f"{spec.type} {spec.name} {spec.credential.auth_type}")


def test_credential_get_needs_trust_and_a_cloud_spec(testing):
    if OPS_VERSION < (2, 15):
        # ops 2.10 has no Model.get_cloud_spec (credential-get came in ops 2.15).
        assert not hasattr(ops.Model, "get_cloud_spec")
        return
    spec = testing.CloudSpec(
        "lxd", name="mycloud", credential=testing.CloudCredential(auth_type="cert")
    )
    state = testing.State(model=testing.Model(type="lxd", cloud_spec=spec))
    out = testing.Context(Trusting, meta={"name": "app"}, app_trusted=True).run(
        testing.CharmEvents.start(), state
    )
    assert out.unit_status == testing.ActiveStatus("lxd mycloud cert")
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        testing.Context(Trusting, meta={"name": "app"}).run(testing.CharmEvents.start(), state)
    assert "not trusted" in str(info.value.__cause__)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        testing.Context(Trusting, meta={"name": "app"}, app_trusted=True).run(
            testing.CharmEvents.start(), testing.State()
        )
    assert isinstance(info.value.__cause__, ops.ModelError)


# --- statuses --------------------------------------------------------------------------------


# --- every class: replace, frozen ------------------------------------------------------------


def _one_of_each(testing, tmp_path):
    return [
        testing.State(),
        testing.Relation("db"),
        testing.PeerRelation("peers"),
        testing.SubordinateRelation("info"),
        testing.Container("c"),
        testing.Exec(["ls"]),
        testing.Mount(location="/a", source=tmp_path),
        testing.CheckInfo("http"),
        testing.Notice("example.com/a"),
        testing.Secret({"a": "b"}),
        testing.Model(),
        testing.CloudSpec("lxd"),
        testing.CloudCredential(auth_type="cert"),
        testing.TCPPort(80),
        testing.UDPPort(53),
        testing.ICMPPort(),
        testing.Storage("data"),
        testing.Resource(name="r", path="/r"),
        testing.StoredState(),
        testing.DeferredEvent("C/on/start[1]", "C", "_on"),
        testing.Network("db"),
        testing.BindAddress([testing.Address("10.0.0.1")]),
        testing.Address("10.0.0.1"),
    ]


def test_every_class_is_a_frozen_dataclass(testing, tmp_path):
    for obj in _one_of_each(testing, tmp_path):
        assert dataclasses.is_dataclass(obj), type(obj)
        assert dataclasses.replace(obj) == obj or isinstance(obj, testing.State), type(obj)
        field = dataclasses.fields(obj)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, getattr(obj, field))


def test_type_aliases(testing):
    import typing

    assert testing.UnitID is int
    assert typing.get_args(testing.RawDataBagContents) == (str, str)
    assert typing.get_args(testing.RawSecretRevisionContents) == (str, str)
    assert str in typing.get_args(testing.AnyJson)


# --- where this package differs, on purpose --------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t.Relation("Bad_Name"),
        lambda t: t.PeerRelation("db--x"),
        lambda t: t.SubordinateRelation("0db"),
        lambda t: t.Container("my_container"),
        lambda t: t.Storage("my_storage"),
    ],
)
def test_names_juju_would_refuse_are_refused_when_made(testing, make):
    """A relation endpoint, container or storage name Juju would refuse is refused when the
    object is made, as in 8.9 (a charm whose metadata holds one cannot be deployed)."""
    with pytest.raises(testing.errors.StateValidationError):
        make(testing)


def test_fresh_states_and_models_differ_from_8_9(testing):
    """8.9 gives each State a Model of random name and uuid, so two ``State()`` differ; this
    package's default Model is unset until a run needs it, so they are equal. A given Model
    compares as itself in both."""
    import scenario

    ours = hasattr(scenario, "_scenario")
    assert (testing.State() == testing.State()) is ours
    assert (testing.Model() == testing.Model()) is ours
    model = testing.Model()
    assert testing.State(model=model) == testing.State(model=model)


def test_ports_equal_to_ops_ports_differ_from_8_9(testing):
    """8.9's ports are plain dataclasses, unequal to ``ops.Port``; this package's compare by
    protocol and number with ops's too (``out.opened_ports == {ops.Port("tcp", 80)}``)."""
    import scenario

    ours = hasattr(scenario, "_scenario")
    assert (testing.TCPPort(80) == ops.Port("tcp", 80)) is ours
    assert (ops.Port("tcp", 80) == testing.TCPPort(80)) is ours
    assert testing.TCPPort(80) != ops.Port("udp", 80)


def test_get_relations_with_dashes_or_underscores_differs_from_8_9(testing):
    """8.9 matches the endpoint verbatim; this package folds ``-`` and ``_`` as Scenario 5
    did (and as ops does in event names)."""
    import scenario

    rel = testing.Relation("foo-bar")
    found = testing.State(relations={rel}).get_relations("foo_bar")
    assert found == ((rel,) if hasattr(scenario, "_scenario") else ())


def test_a_bare_port_is_refused(testing):
    # ops[testing]'s error (the error is also Scenario 5's TypeError: test_scenario5_compat).
    with pytest.raises(RuntimeError):
        testing.Port()


def test_an_action_takes_its_params_and_id_by_keyword():
    from scenario.state import _Action

    with pytest.raises(TypeError):
        _Action("go", {})
    action = _Action("go", params={"x": 1}, id="7")
    assert (action.params, action.id) == ({"x": 1}, "7")


def test_a_secret_in_ops_testing_form_takes_one_positional(testing):
    with pytest.raises(TypeError):
        testing.Secret({"a": "b"}, {"c": "d"})


def test_the_framework_stored_state_may_be_given_empty(testing):
    # StoredState() (no owner) is the framework's own, numbering events: given with no
    # content, the run numbers from the start.
    ctx = testing.Context(ops.CharmBase, meta={"name": "app"})
    out = ctx.run(ctx.on.start(), testing.State(stored_states={testing.StoredState()}))
    assert out.get_stored_state("_stored", owner_path=None).content["event_count"] >= 1


def test_stored_state_takes_its_name_alone_by_position(testing):
    # ops[testing]: StoredState(name, *, owner_path, content); a second positional after a
    # name that is no handle path is refused, as ops[testing] refuses it.
    with pytest.raises(TypeError):
        testing.StoredState("_stored", "")
    # Scenario 5's order, which starts with a handle path, still reads as it did.
    legacy = testing.StoredState("MyCharm", "_state", {"a": 1})
    assert (legacy.owner_path, legacy.name, legacy.content) == ("MyCharm", "_state", {"a": 1})
