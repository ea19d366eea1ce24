"""Statuses in a State are frozen dataclasses of name and message (as ops[testing]'s), and
pytest explains a failed comparison of them without a warning."""

import dataclasses
import textwrap

import ops
import pytest

from scenario import ActiveStatus, BlockedStatus, UnknownStatus, WaitingStatus

pytest_plugins = ["pytester"]


@pytest.mark.parametrize(
    "status,name,message",
    [
        (ActiveStatus("x"), "active", "x"),
        (BlockedStatus(), "blocked", ""),
        (UnknownStatus(), "unknown", ""),
    ],
)
def test_a_status_is_a_dataclass(status, name, message):
    assert dataclasses.is_dataclass(status)
    assert [f.name for f in dataclasses.fields(status)] == ["name", "message"]
    assert dataclasses.asdict(status) == {"name": name, "message": message}
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.message = "changed"  # type: ignore[misc]


def test_a_status_converts_to_ops():
    status = WaitingStatus("for db")
    converted = status._to_ops()
    assert isinstance(converted, ops.WaitingStatus)
    assert converted == status == ops.WaitingStatus("for db")


def test_a_failed_status_comparison_is_explained_without_a_warning(pytester):
    pytester.makepyfile(
        test_it=textwrap.dedent(
            """
            from scenario import ActiveStatus, BlockedStatus

            def test_same_class():
                assert ActiveStatus("ready") == ActiveStatus("almost")

            def test_other_class():
                assert ActiveStatus("ready") == BlockedStatus("no db")
            """
        )
    )
    plugins_off = ["-p", "no:cacheprovider", "-p", "no:asyncio"]
    result = pytester.runpytest_inprocess(*plugins_off, "-W", "error")
    result.assert_outcomes(failed=2)
    output = str(result.stdout)
    assert "Warning" not in output
    assert "almost" in output and "no db" in output
