"""Values ops[testing] takes though Juju (or Pebble) would not: taken here too, with a
``JujuStricterWarning`` (an error in strict mode)."""

import ops
import pytest

from scenario import CheckInfo, Context, State
from scenario._consistency_checker import check_consistency
from scenario.errors import JujuStricterWarning
from scenario.state import _Event


def test_a_check_info_level_of_the_wrong_type_is_a_value_error():
    with pytest.raises(ValueError):
        CheckInfo(name="c", level=1)  # type: ignore[arg-type]


def test_check_info_values_pebble_does_not_know_are_handed_back():
    with pytest.warns(JujuStricterWarning) as warned:
        info = CheckInfo(name="c", startup="bad", status="worse", threshold=None)  # type: ignore
    assert (info.startup, info.status, info.threshold) == ("bad", "worse", None)
    said = " ".join(str(w.message) for w in warned)
    assert "startup" in said and "status" in said and "threshold" in said


def test_strict_mode_refuses_them(monkeypatch):
    monkeypatch.setenv("SCENARIO_STRICT", "1")
    with pytest.raises(Exception, match="startup"):
        CheckInfo(name="c", startup="bad")  # type: ignore[arg-type]


def test_a_juju_version_without_a_minor_reads_as_its_dot_zero():
    ctx = Context(ops.CharmBase, meta={"name": "x"})
    with pytest.warns(JujuStricterWarning, match="minor"):
        check_consistency(State(), _Event("start"), ctx._charm_spec, "3", 0)
