"""Values ops[testing] takes though Juju (or Pebble) would not: taken here too, with a
``JujuStricterWarning`` (an error in strict mode)."""

import os

import ops
import pytest

from scenario import Context, State
from scenario._consistency_checker import check_consistency
from scenario.errors import JujuStricterWarning
from scenario.state import _Event


def test_a_juju_version_without_a_minor_reads_as_its_dot_zero():
    ctx = Context(ops.CharmBase, meta={"name": "x"})
    with pytest.warns(JujuStricterWarning, match="minor"):
        check_consistency(State(), _Event("start"), ctx._charm_spec, "3", 0)


class _VersionReporter(ops.CharmBase):
    seen = ""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _: ops.StartEvent) -> None:
        # ops 2.10's Model has no juju_version: read what ops reads.
        _VersionReporter.seen = os.environ["JUJU_VERSION"]


@pytest.mark.parametrize("api", ["5", "8"])
def test_a_run_with_a_juju_version_without_a_minor_simulates_its_dot_zero(api):
    # Both originals took Context(juju_version="3") and failed in the run (ops cannot parse
    # it); here the run simulates 3.0, with a warning.
    ctx = Context(_VersionReporter, meta={"name": "x"}, juju_version="3")
    with pytest.warns(JujuStricterWarning, match="minor"):
        if api == "8":
            ctx.run(ctx.on.start(), State())
        else:
            ctx.run("start", State())
    assert _VersionReporter.seen == "3.0"


def test_strict_mode_refuses_a_juju_version_without_a_minor():
    ctx = Context(_VersionReporter, meta={"name": "x"}, juju_version="3", strict=True)
    with pytest.raises(ValueError, match="minor"):
        ctx.run(ctx.on.start(), State())
