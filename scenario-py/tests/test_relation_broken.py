"""relation-broken: under ops[testing], the relation being broken is gone from
``model.relations`` and from ``get_relation(endpoint)``, as ops.main tells ops; by id it is
still there. Scenario 5.8.1 listed it."""

import typing

import ops

from scenario import Context, Relation, State

META = {"name": "app", "requires": {"db": {"interface": "db", "limit": 2}}}


class BrokenCharm(ops.CharmBase):
    seen: typing.ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.db_relation_broken, self._on_broken)

    def _on_broken(self, event):
        BrokenCharm.seen = {
            "listed": [r.id for r in self.model.relations["db"]],
            "by_endpoint": self.model.get_relation("db").id,
            "by_id": self.model.get_relation("db", event.relation.id).id,
        }


def test_the_broken_relation_is_not_listed():
    gone, staying = Relation("db"), Relation("db")
    ctx = Context(BrokenCharm, meta=META)
    ctx.run(ctx.on.relation_broken(gone), State(relations={gone, staying}))
    assert BrokenCharm.seen == {
        "listed": [staying.id],
        "by_endpoint": staying.id,
        "by_id": gone.id,
    }


class ListingCharm(ops.CharmBase):
    listed: typing.ClassVar[list] = []

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.db_relation_broken, self._on_broken)

    def _on_broken(self, event):
        ListingCharm.listed = sorted(r.id for r in self.model.relations["db"])


def test_scenario_5_lists_the_broken_relation():
    gone, staying = Relation("db"), Relation("db")
    ctx = Context(ListingCharm, meta=META)
    ctx.run(gone.broken_event, State(relations=[gone, staying]))
    assert ListingCharm.listed == sorted([gone.relation_id, staying.relation_id])
