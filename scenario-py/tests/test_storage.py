"""Storage: the ``Storage`` class (its index, equality, Scenario 5's index counter) and what
a charm requests (``ctx.requested_storages``), under both APIs. A storage's filesystem and
its events are in the README's examples (test_readme_more.py) and test_events.py; a storage
declared without a type is test_refused_inputs.py's.
"""

import dataclasses

import ops

from scenario.state import Storage, next_storage_index


def test_storage(testing):
    a, b = testing.Storage("data"), testing.Storage("data")
    assert b.index == a.index + 1
    assert testing.Storage("data", index=3) == testing.Storage("data", index=3)
    assert hash(testing.Storage("data", index=3)) == hash(testing.Storage("data", index=3))
    assert testing.Storage("data", index=3) != testing.Storage("data", index=4)
    assert dataclasses.replace(a).index == a.index


def test_storage_indices_count_up():
    index = next_storage_index(update=False)
    assert Storage("a").index == index
    assert Storage("a").index == index + 1


def test_requested_storages_keep_the_last_count(api):
    testing = api.testing

    class Requester(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            self.model.storages.request("data", 2)
            self.model.storages.request("data", 5)

    ctx = testing.Context(
        Requester, meta={"name": "app", "storage": {"data": {"type": "filesystem"}}}
    )
    api.run(ctx, "start", testing.State())
    assert ctx.requested_storages == {"data": 5}
