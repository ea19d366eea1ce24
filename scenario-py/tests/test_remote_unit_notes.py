"""The remote unit a relation event was given without one: both originals log their choice
on ``ops-scenario.runtime``, in these words (suites read them with ``caplog``)."""

import logging

import ops
import pytest

from scenario import Context, Relation, State

META = {"name": "app", "requires": {"db": {"interface": "db"}}}
ONE = "there's only one remote unit, so we set JUJU_REMOTE_UNIT to it"
MANY = "remote unit ID unset, and multiple remote unit IDs are present"


class Charm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        for event in (self.on.db_relation_changed, self.on.db_relation_created):
            framework.observe(event, self._on_db)

    def _on_db(self, event):
        pass


@pytest.mark.parametrize(
    "units,expected",
    [({0: {}}, ONE), ({0: {}, 1: {}}, MANY)],
)
def test_ops_testing_logs_the_remote_unit_it_chose(caplog, units, expected):
    rel = Relation("db", remote_units_data=units)
    ctx = Context(Charm, meta=META)
    with caplog.at_level(logging.INFO, logger="ops-scenario"):
        ctx.run(ctx.on.relation_changed(rel), State(relations={rel}))
    assert expected in caplog.text


def test_ops_testing_chooses_no_remote_unit_for_created(caplog):
    rel = Relation("db", remote_units_data={0: {}, 1: {}})
    ctx = Context(Charm, meta=META)
    with caplog.at_level(logging.INFO, logger="ops-scenario"):
        ctx.run(ctx.on.relation_created(rel), State(relations={rel}))
    assert MANY not in caplog.text


@pytest.mark.parametrize(
    "units,expected",
    [({0: {}}, ONE), ({0: {}, 1: {}}, MANY)],
)
def test_scenario_5_logs_the_remote_unit_it_chose_for_every_kind(caplog, units, expected):
    rel = Relation("db", remote_units_data=units)
    ctx = Context(Charm, meta=META)
    with caplog.at_level(logging.INFO, logger="ops-scenario"):
        ctx.run(rel.created_event, State(relations=[rel]))
    assert expected in caplog.text
