"""Relations: the classes (``Relation``, ``PeerRelation``, ``SubordinateRelation``: their
defaults under each API, ids, hashing and equality, validation), what a charm sees of each
kind of relation under both APIs, the relation being broken, and the remote unit a relation
event is given without one. What a charm may read and write in the databags is
test_relation_data.py's; the relation events themselves (what each sets in Juju's
environment) are test_events.py's.
"""

import dataclasses
import logging
import typing

import ops
import pytest

from scenario import Context, PeerRelation, Relation, State, SubordinateRelation
from scenario.state import RelationBase, next_relation_id

META = {
    "name": "app",
    "requires": {
        "db": {"interface": "sql"},
        "info": {"interface": "juju-info", "scope": "container"},
    },
    "peers": {"peers": {"interface": "p"}},
}

# --- the classes -----------------------------------------------------------------------------


DEFAULT_BAG = {
    "egress-subnets": "192.0.2.0",
    "ingress-address": "192.0.2.0",
    "private-address": "192.0.2.0",
}


def test_relation_defaults_under_ops_testing(testing):
    # Without a Scenario 5 keyword, a relation reads its defaults as ops[testing]'s does:
    # Juju's addresses in the unit databags (test_relation_defaults_under_scenario_5).
    rel = testing.Relation("db")
    assert rel.interface is None
    assert rel.local_app_data == {}
    assert rel.local_unit_data == DEFAULT_BAG
    assert rel.remote_app_name == "remote"
    assert rel.limit == 1
    assert rel.remote_app_data == {}
    assert rel.remote_units_data == {0: DEFAULT_BAG}
    assert rel.remote_model_uuid is None
    assert isinstance(rel, testing.RelationBase)


def test_relation_ids_count_up_and_are_kept_by_replace(testing):
    a, b = testing.Relation("db"), testing.Relation("db")
    assert b.id > a.id
    assert dataclasses.replace(a, local_app_data={"k": "v"}).id == a.id
    assert testing.Relation("db", id=99).id == 99


def test_relations_hash_and_compare(testing):
    a = testing.Relation("db", id=5)
    assert a == testing.Relation("db", id=5)
    assert a != testing.Relation("db", id=6)
    assert hash(a) == hash(testing.Relation("other", id=5))  # by id
    assert testing.Relation("db") != testing.Relation("db")  # each has its own id
    assert a == dataclasses.replace(a)


def test_an_explicit_databag_replaces_the_default(testing):
    rel = testing.Relation("db", local_unit_data={"k": "v"}, remote_units_data={1: {"a": "b"}})
    assert rel.local_unit_data == {"k": "v"}
    assert rel.remote_units_data == {1: {"a": "b"}}


@pytest.mark.parametrize("bag", [["k"], {"k": 1}])
def test_databags_must_be_str_to_str_dicts(testing, bag):
    with pytest.raises(testing.errors.StateValidationError):
        testing.Relation("db", local_app_data=bag)


def test_relation_base_is_abstract(testing):
    with pytest.raises(RuntimeError):
        testing.RelationBase("db")


def test_peer_relation(testing):
    peers = testing.PeerRelation("peers", peers_data={1: {"a": "b"}, 2: {}})
    assert peers.peers_data == {1: {"a": "b"}, 2: {}}
    assert testing.PeerRelation("peers").peers_data == {}
    assert peers.local_unit_data == DEFAULT_BAG
    assert isinstance(peers, testing.RelationBase)


def test_subordinate_relation(testing):
    sub = testing.SubordinateRelation("info")
    assert sub.remote_unit_data == DEFAULT_BAG
    assert (sub.remote_app_name, sub.remote_unit_id, sub.remote_unit_name) == (
        "remote",
        0,
        "remote/0",
    )
    other = testing.SubordinateRelation("info", remote_app_name="main", remote_unit_id=3)
    assert other.remote_unit_name == "main/3"
    assert isinstance(other, testing.RelationBase)


def test_default_juju_databag(testing):
    from scenario.state import _DEFAULT_JUJU_DATABAG

    assert _DEFAULT_JUJU_DATABAG == DEFAULT_BAG


def test_relation_defaults_under_scenario_5():
    # relation_id= is Scenario 5's keyword: these read their defaults as Scenario 5 did
    # (test_relation_defaults_under_ops_testing for ops[testing]'s).
    rel = Relation("db", relation_id=next_relation_id())
    assert rel.remote_app_name == "remote"
    assert rel.remote_units_data == {0: {}}
    assert rel.local_unit_data == {}
    assert rel.interface is None
    assert PeerRelation("p", relation_id=next_relation_id()).peers_data == {0: {}}
    sub = SubordinateRelation("s", relation_id=next_relation_id())
    assert sub.remote_unit_data == {}
    assert isinstance(rel, RelationBase) and isinstance(sub, RelationBase)
    with pytest.raises(RuntimeError):
        RelationBase()


# --- what the charm sees ---------------------------------------------------------------------


class RelationReader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        parts = []
        for name in ("db", "peers", "info"):
            rel = self.model.get_relation(name)
            units = sorted(u.name for u in rel.units)
            parts.append(
                f"{name}:{rel.app.name}:{','.join(units)}:{rel.data[rel.app].get('k', '-')}"
            )
        self.unit.status = ops.ActiveStatus(" ".join(parts))


def test_the_charm_sees_each_kind_of_relation(api):
    testing = api.testing
    db = testing.Relation(
        "db", remote_app_name="pg", remote_units_data={1: {}, 2: {}}, remote_app_data={"k": "v"}
    )
    peers = testing.PeerRelation("peers", peers_data={3: {}}, local_app_data={"k": "mine"})
    info = testing.SubordinateRelation("info", remote_app_name="main", remote_unit_id=7)
    ctx = testing.Context(RelationReader, meta=META)
    out = api.run(ctx, "start", testing.State(relations=[db, peers, info]))
    assert out.unit_status == testing.ActiveStatus(
        "db:pg:pg/1,pg/2:v peers:app:app/3:mine info:main:main/7:-"
    )


class PeerCharm(ops.CharmBase):
    seen: typing.ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        PeerCharm.seen = sorted(u.name for u in self.model.get_relation("peers").units)


def test_peer_relation_does_not_list_this_unit():
    # README "Where this differs": peers never include this unit (the State's unit_id is
    # Scenario 5's; ops[testing] names the unit in the Context).
    PeerCharm.seen = []
    relation = PeerRelation("peers", peers_data={0: {}, 42: {}})
    Context(PeerCharm, meta=META).run("start", State(relations=[relation], unit_id=3))
    assert PeerCharm.seen == ["app/0", "app/42"]


class RemoteModelCharm(ops.CharmBase):
    seen: typing.ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.db_relation_changed, self._on_changed)

    def _on_changed(self, event):
        remote_model = getattr(event.relation, "remote_model", None)  # ops 3 only
        RemoteModelCharm.seen["uuid"] = remote_model.uuid if remote_model else self.model.uuid


def test_a_relation_is_in_the_state_model(api):
    rel = Relation("db")
    state = State(relations=[rel])
    api.run(Context(RemoteModelCharm, meta=META), "relation_changed", state, rel)
    assert RemoteModelCharm.seen["uuid"] == state.model.uuid


# --- relation-broken -------------------------------------------------------------------------

BROKEN_META = {"name": "app", "requires": {"db": {"interface": "db", "limit": 2}}}


class BrokenCharm(ops.CharmBase):
    seen: typing.ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.db_relation_broken, self._on_broken)

    def _on_broken(self, event):
        BrokenCharm.seen = {
            "listed": sorted(r.id for r in self.model.relations["db"]),
            "by_id": self.model.get_relation("db", event.relation.id).id,
        }
        if len(BrokenCharm.seen["listed"]) == 1:
            BrokenCharm.seen["by_endpoint"] = self.model.get_relation("db").id


def test_the_broken_relation_is_not_listed_under_ops_testing():
    """Under ops[testing] the relation being broken is gone from ``model.relations`` and
    from ``get_relation(endpoint)``, as ops.main tells ops; by id it is still there.
    Scenario 5.8.1 listed it (the test below)."""
    gone, staying = Relation("db"), Relation("db")
    ctx = Context(BrokenCharm, meta=BROKEN_META)
    ctx.run(ctx.on.relation_broken(gone), State(relations={gone, staying}))
    assert BrokenCharm.seen == {
        "listed": [staying.id],
        "by_endpoint": staying.id,
        "by_id": gone.id,
    }


def test_the_broken_relation_is_listed_under_scenario_5():
    """Scenario 5.8.1 listed the relation being broken among the endpoint's relations
    (ops[testing] does not: the test above)."""
    gone, staying = Relation("db"), Relation("db")
    ctx = Context(BrokenCharm, meta=BROKEN_META)
    ctx.run(gone.broken_event, State(relations=[gone, staying]))
    assert BrokenCharm.seen == {
        "listed": sorted([gone.relation_id, staying.relation_id]),
        "by_id": gone.relation_id,
    }


# --- the remote unit of an event given none --------------------------------------------------

# Both originals log their choice on ``ops-scenario.runtime``, in these words (suites read
# them with ``caplog``).
ONE = "there's only one remote unit, so we set JUJU_REMOTE_UNIT to it"
MANY = "remote unit ID unset, and multiple remote unit IDs are present"


class UnitCharm(ops.CharmBase):
    seen: typing.ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        for event in (self.on.db_relation_changed, self.on.db_relation_created):
            framework.observe(event, self._on_db)

    def _on_db(self, event):
        UnitCharm.seen.append(event.unit.name if event.unit else None)


@pytest.mark.parametrize(
    "units, expected, unit",
    [({0: {}}, ONE, "remote/0"), ({7: {}, 3: {}}, MANY, "remote/7")],
    ids=["one", "many"],
)
def test_a_changed_event_gets_the_first_remote_unit_and_says_so(
    api, caplog, units, expected, unit
):
    rel = Relation("db", remote_units_data=units)
    UnitCharm.seen = []
    with caplog.at_level(logging.INFO, logger="ops-scenario"):
        api.run(Context(UnitCharm, meta=META), "relation_changed", State(relations=[rel]), rel)
    assert expected in caplog.text
    # The first remote unit given, not the lowest id.
    assert UnitCharm.seen == [unit]


def test_a_created_event_gets_no_remote_unit_under_ops_testing(caplog):
    # As Juju runs relation-created (Scenario 5.8.1 chose one: the test below).
    rel = Relation("db", remote_units_data={0: {}, 1: {}})
    ctx = Context(UnitCharm, meta=META)
    UnitCharm.seen = []
    with caplog.at_level(logging.INFO, logger="ops-scenario"):
        ctx.run(ctx.on.relation_created(rel), State(relations={rel}))
    assert MANY not in caplog.text
    assert UnitCharm.seen == [None]


@pytest.mark.parametrize("units, expected", [({0: {}}, ONE), ({0: {}, 1: {}}, MANY)])
def test_a_created_event_gets_a_remote_unit_too_under_scenario_5(caplog, units, expected):
    # Scenario 5.8.1 chose a remote unit for every kind of relation event, created included.
    rel = Relation("db", remote_units_data=units)
    UnitCharm.seen = []
    with caplog.at_level(logging.INFO, logger="ops-scenario"):
        Context(UnitCharm, meta=META).run(rel.created_event, State(relations=[rel]))
    assert expected in caplog.text
    assert UnitCharm.seen == ["remote/0"]
