"""Action results keep whatever ops accepts, and come back as the charm gave them."""

import datetime

import ops
import pytest

from scenario import Context, State
from scenario.errors import UncaughtCharmError

WHEN = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)


class ResultsCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.report_action, self._on_report)

    def _on_report(self, event):
        event.set_results(
            {
                "when": WHEN,
                "rotation": ops.SecretRotate.DAILY,
                "nested": {"count": 3, "items": [1, 2]},
            }
        )


def test_results_keep_the_values_ops_accepts():
    ctx = Context(ResultsCharm, meta={"name": "r"}, actions={"report": {}})
    ctx.run(ctx.on.action("report"), State())
    results = ctx.action_results
    assert results["when"] is WHEN
    assert results["rotation"] is ops.SecretRotate.DAILY
    assert results["nested"] == {"count": 3, "items": [1, 2]}


def test_results_with_a_bad_key_fail_as_in_ops():
    class BadKey(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.report_action, self._on_report)

        def _on_report(self, event):
            event.set_results({"Bad_Key": 1})

    ctx = Context(BadKey, meta={"name": "r"}, actions={"report": {}})
    with pytest.raises(UncaughtCharmError) as info:
        ctx.run(ctx.on.action("report"), State())
    assert isinstance(info.value.__cause__, ValueError)
    assert "Bad_Key" in str(info.value.__cause__)
