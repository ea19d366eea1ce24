"""Scenario 5.8's README, "Secrets" and "Actions" (with "Parametrized Actions"): each example
as written there (where one was wrong as written, the fix is made and marked with a
comment), as Scenario 5 wrote it and, beside it, as an ops[testing] suite writes it
(``..._in_ops_testing_s_idiom``): the two APIs write secrets and report actions
differently. Secrets and actions beyond the README's examples are test_secrets.py's and
test_actions.py's.
"""

import os
from typing import Callable, ClassVar, Optional

import ops
import pytest
from ops.charm import CharmBase

from scenario import Action, ActionOutput, Context, Secret, State
from scenario.errors import JujuStricterWarning
from scenario.runtime import InconsistentScenarioError, UncaughtCharmError

# --- Secrets ---------------------------------------------------------------------------------


class SecretCharm(CharmBase):
    """Runs ``SecretCharm.action(self)`` on start and keeps what it returns."""

    action: ClassVar[Optional[Callable]] = None
    result: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        SecretCharm.result = {"value": SecretCharm.action(self)}


SECRET_META = {"name": "local", "requires": {"db": {"interface": "pg"}}}


def _run(action, state, juju_version="3.4.0", strict=None):
    SecretCharm.action = action
    SecretCharm.result = {}
    ctx = Context(SecretCharm, meta=SECRET_META, juju_version=juju_version, strict=strict)
    out = ctx.run("start", state)
    return out, SecretCharm.result.get("value")


def _fails(action, state, strict=None):
    with pytest.raises(UncaughtCharmError) as info:
        _run(action, state, strict=strict)
    assert SecretCharm.result == {}
    return info.value.__cause__


def _stricter(action, state, match):
    """Juju refuses it, but Scenario 5.8.1 let it pass: a warning, then the run goes on;
    strict mode fails the run with Juju's error."""
    with pytest.warns(JujuStricterWarning, match=match):
        result = _run(action, state)
    return result, _fails(action, state, strict=True)


def _content(secret_id, **kwargs):
    return lambda charm: charm.model.get_secret(id=secret_id).get_content(**kwargs)


def test_a_secret_neither_owned_nor_granted_is_a_permission_error():
    state = State(
        secrets=[
            Secret(
                id="foo",
                contents={0: {"key": "public"}},
            )
        ]
    )
    # Scenario 5.8's README: "if charm code attempted to get that secret revision, it would
    # get a permission error". Juju does; 5.8.1 did not (it gave the content), and suites
    # rely on that: a warning, and the error in strict mode.
    (_, value), error = _stricter(_content("foo"), state, "permission denied")
    assert value == {"key": "public"}
    assert type(error) is ops.ModelError
    assert "permission denied" in str(error)
    assert "foo" in str(error)


@pytest.mark.parametrize("owner", ["unit", "app"])
def test_a_secret_owned_by_this_unit_or_app(owner):
    state = State(
        secrets=[
            Secret(
                id="foo",
                contents={0: {"key": "public"}},
                owner=owner,  # or 'app'
                remote_grants={0: {"remote"}},
                # the secret owner has granted access to the "remote" app over some relation
                # with ID 0
            )
        ]
    )
    # Any unit of the owning app reads it, leader or not.
    out, value = _run(_content("foo"), state)
    assert value == {"key": "public"}
    assert out.secrets[0].remote_grants == {0: {"remote"}}
    assert out.secrets[0].owner == owner


@pytest.mark.parametrize("granted", ["unit", "app"])
def test_a_secret_granted_to_this_unit_or_app(granted):
    state = State(
        secrets=[
            Secret(
                id="foo",
                contents={0: {"key": "public"}},
                # owner=None, which is the default
                granted=granted,  # or "app",
                revision=0,  # the revision that this unit (or app) is currently tracking
            )
        ]
    )
    _, value = _run(_content("foo"), state)
    assert value == {"key": "public"}


# --- secret events ---------------------------------------------------------------------------


class SecretReaderCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        secret = self.model.get_secret(label="my-secret")
        self.unit.status = ops.ActiveStatus(secret.get_content()["key"])


def test_a_secret_owned_or_granted_in_ops_testing_s_idiom(testing):
    # A secret another app owns is one the unit tracks a revision of (Scenario 5: granted=
    # and contents by revision).
    owned = testing.Secret(
        {"key": "public"}, label="my-secret", owner="unit", remote_grants={0: {"remote"}}
    )
    granted = testing.Secret(
        {"key": "tracked"}, latest_content={"key": "latest"}, label="my-secret"
    )
    ctx = testing.Context(SecretReaderCharm, meta={"name": "foo"})
    assert ctx.run(
        ctx.on.start(), testing.State(secrets={owned})
    ).unit_status == testing.ActiveStatus("public")
    # A secret owned by another app: this unit reads the revision it tracks.
    assert ctx.run(ctx.on.start(), testing.State(secrets={granted})).unit_status == (
        testing.ActiveStatus("tracked")
    )


# --- Actions ---------------------------------------------------------------------------------


class BackupCharm(CharmBase):
    fail_with: ClassVar[Optional[str]] = None
    seen: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.do_backup_action, self._on_do_backup)

    def _on_do_backup(self, event):
        BackupCharm.seen = {"params": dict(event.params), "env": os.environ["JUJU_ACTION_NAME"]}
        event.log("baz")
        event.log("qux")
        if BackupCharm.fail_with is None:
            event.set_results({"foo": "bar"})
        else:
            event.fail(BackupCharm.fail_with)


BACKUP_META = {"name": "backup"}
BACKUP_ACTIONS = {"do_backup": {"description": "back it up"}}


# Scenario 5.8's README names its action do_backup; Juju refuses underscores in action names
# (NM1), a warning here (test_the_readme_action_name_is_one_juju_refuses).
@pytest.mark.filterwarnings("ignore:NM1:scenario.errors.JujuStricterWarning")
@pytest.mark.parametrize("fail_with", [None, "boo-hoo"])
def test_backup_action(fail_with):
    BackupCharm.fail_with = fail_with
    ctx = Context(BackupCharm, meta=BACKUP_META, actions=BACKUP_ACTIONS)

    # Scenario 5.8's README runs "do_backup_action", but run_action adds the `_action`
    # suffix itself (do_backup_action_action, an undeclared action): the action's name is
    # "do_backup".
    out: ActionOutput = ctx.run_action("do_backup", State())

    # you can assert action results, logs, failure using the ActionOutput interface
    assert out.logs == ["baz", "qux"]

    if out.success:
        # if the action did not fail, we can read the results:
        assert out.results == {"foo": "bar"}
        assert fail_with is None
    else:
        # if the action fails, we can read a failure message
        assert out.failure == "boo-hoo"
        assert fail_with == "boo-hoo"
    assert isinstance(out.state, State)


def test_the_readme_action_name_is_an_undeclared_action():
    ctx = Context(BackupCharm, meta=BACKUP_META, actions=BACKUP_ACTIONS)
    with pytest.raises(InconsistentScenarioError, match="do_backup_action"):
        ctx.run_action("do_backup_action", State())


PARAM_ACTIONS = {
    "do_backup": {
        "params": {
            "a": {"type": "string"},
            "n": {"type": "integer", "default": 3},
            "deep": {"type": "boolean", "default": False},
        },
    },
    "restore": {
        "params": {"from": {"type": "string"}},
        "required": ["from"],
    },
}


# Scenario 5.8's README names its action do_backup; Juju refuses underscores in action names
# (NM1), a warning here (test_the_readme_action_name_is_one_juju_refuses).
@pytest.mark.filterwarnings("ignore:NM1:scenario.errors.JujuStricterWarning")
def test_parametrized_backup_action():
    BackupCharm.fail_with = None
    BackupCharm.seen = {}
    # define an action
    action = Action("do_backup", params={"a": "b"})
    ctx = Context(BackupCharm, meta=BACKUP_META, actions=PARAM_ACTIONS)

    out: ActionOutput = ctx.run_action(action, State())
    assert out.success
    # action-get: the given params over the defaults actions.yaml declares
    assert BackupCharm.seen["params"] == {"a": "b", "n": 3, "deep": False}


def test_the_readme_action_name_is_one_juju_refuses():
    ctx = Context(BackupCharm, meta=BACKUP_META, actions=BACKUP_ACTIONS)
    with pytest.warns(JujuStricterWarning, match="NM1.*do_backup"):
        assert ctx.run_action("do_backup", State()).success
    strict = Context(BackupCharm, meta=BACKUP_META, actions=BACKUP_ACTIONS, strict=True)
    with pytest.raises(InconsistentScenarioError, match="NM1"):
        strict.run_action("do_backup", State())


DASHED_ACTIONS = {"do-backup": {"params": {"a": {"type": "string"}}}}


class DashedBackupCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.do_backup_action, self._on_backup)

    def _on_backup(self, event):
        event.log("baz")
        event.log("qux")
        if event.params.get("a") == "fail":
            event.fail("boo-hoo")
        else:
            event.set_results({"foo": "bar"})


def test_backup_action_in_ops_testing_s_idiom(testing):
    # ctx.action_logs and ctx.action_results (Scenario 5: the ActionOutput), and the action
    # named as Juju allows (do-backup).
    ctx = testing.Context(DashedBackupCharm, meta={"name": "foo"}, actions=DASHED_ACTIONS)
    ctx.run(ctx.on.action("do-backup"), testing.State())
    assert ctx.action_logs == ["baz", "qux"]
    assert ctx.action_results == {"foo": "bar"}


def test_backup_action_that_fails_in_ops_testing_s_idiom(testing):
    # ActionFailed (Scenario 5: the ActionOutput's failure).
    ctx = testing.Context(DashedBackupCharm, meta={"name": "foo"}, actions=DASHED_ACTIONS)
    with pytest.raises(testing.ActionFailed) as exc:
        ctx.run(ctx.on.action("do-backup", params={"a": "fail"}), testing.State())
    assert exc.value.message == "boo-hoo"
    assert ctx.action_logs == ["baz", "qux"]
