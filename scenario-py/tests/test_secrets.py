"""Secrets: the ``Secret`` class (both APIs' arguments: ``tracked_content`` and
``latest_content``, or Scenario 5's ``contents`` by revision; owner, label, description,
expiry, rotation, remote grants, validation), what a charm reads and writes through the
secret hook tools under both APIs, the secret events' effects, and where the APIs differ
(who may read or change what, revision numbers, what removing a revision does). The secret
events themselves (what each sets in Juju's environment) are test_events.py's.
"""

import dataclasses
import datetime
import inspect
import warnings
from typing import Callable, ClassVar, Optional

import ops
import pytest
from apis import ops_testing, scenario_5

from scenario import Context, Event, Relation, Secret, State
from scenario.errors import JujuStricterWarning
from scenario.runtime import UncaughtCharmError

META = {"name": "app", "requires": {"db": {"interface": "sql"}}}


# --- the class -------------------------------------------------------------------------------


def test_secret_defaults(testing):
    secret = testing.Secret({"key": "value"})
    assert secret.tracked_content == {"key": "value"}
    assert secret.latest_content == {"key": "value"}
    assert secret.id.startswith("secret:")
    assert len(secret.id) == len("secret:") + 20
    assert secret.owner is None
    assert secret.remote_grants == {}
    assert (secret.label, secret.description, secret.expire, secret.rotate) == (
        None,
        None,
        None,
        None,
    )
    assert testing.Secret({"key": "value"}).id != secret.id


def test_secret_with_every_field(testing):
    expire = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    secret = testing.Secret(
        {"key": "old"},
        latest_content={"key": "new"},
        id="secret:aaaaaaaaaaaaaaaaaaaa",
        owner="app",
        remote_grants={3: ["remote", "remote/0"]},
        label="lbl",
        description="desc",
        expire=expire,
        rotate=ops.SecretRotate.DAILY,
    )
    assert secret.latest_content == {"key": "new"}
    assert secret.remote_grants == {3: frozenset({"remote", "remote/0"})}
    assert (secret.owner, secret.label, secret.description) == ("app", "lbl", "desc")
    assert secret.expire == expire
    assert secret.rotate == ops.SecretRotate.DAILY


def test_secrets_hash_and_compare(testing):
    a = testing.Secret({"key": "value"}, id="secret:aaaaaaaaaaaaaaaaaaaa")
    assert a == testing.Secret({"key": "value"}, id="secret:aaaaaaaaaaaaaaaaaaaa")
    assert hash(a) == hash(testing.Secret({"other": "x"}, id="secret:aaaaaaaaaaaaaaaaaaaa"))
    assert a != testing.Secret({"key": "value"})
    changed = dataclasses.replace(a, label="new")
    assert changed.id == a.id
    assert changed.label == "new"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({}, "must not be empty"),
        ({"key": 1}, "key"),
        ({1: "value"}, "value"),
    ],
)
def test_secret_content_must_be_a_non_empty_str_dict(testing, content, message):
    with pytest.raises(testing.errors.StateValidationError, match=message):
        testing.Secret(content)
    with pytest.raises(testing.errors.StateValidationError):
        testing.Secret({"key": "value"}, latest_content=content)


def test_secret_content_must_be_a_dict(testing):
    with pytest.raises(testing.errors.StateValidationError):
        testing.Secret([("key", "value")])


def test_remote_grants_refuse_a_bare_string(testing):
    with pytest.raises(testing.errors.StateValidationError, match=r"did you mean \[.app.\]"):
        testing.Secret({"key": "value"}, remote_grants={1: "app"})


def test_a_secret_given_a_content_for_its_revisions_binds():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        secret = Secret("foo", {"a": "b"})
    state = State(secrets=[secret])
    assert Event("secret-changed").bind(state).secret is secret


# --- what a charm reads ----------------------------------------------------------------------


class SecretUser(ops.CharmBase):
    """Runs ``ACTION`` on start and keeps what it returns."""

    action = staticmethod(lambda charm: None)

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.result = type(self).action(self)


def run(api, action, state, **ctx_kwargs):
    """Run SecretUser doing ``action``; what it returned and the output State."""
    SecretUser.action = staticmethod(action)
    ctx = api.testing.Context(SecretUser, meta=META, **ctx_kwargs)
    with api.manager(ctx, "start", state) as mgr:
        out = mgr.run()
        result = mgr.charm.result
    return result, out, ctx


def observed(api):
    """A secret this unit observes, as each API writes it: Scenario 5 said it was granted
    (a read of one neither owned nor granted warns there)."""
    granted = {"granted": "unit"} if api.is_scenario_5 else {}
    return api.testing.Secret(
        {"key": "tracked"}, latest_content={"key": "latest"}, label="obs", **granted
    )


def owned(testing, owner="unit", **kwargs):
    return testing.Secret(
        {"key": "tracked"}, latest_content={"key": "latest"}, owner=owner, label="own", **kwargs
    )


@pytest.mark.parametrize(
    ("read", "content", "tracked"),
    [
        pytest.param(lambda s: s.get_content(), "tracked", "tracked", id="get"),
        pytest.param(lambda s: s.peek_content(), "latest", "tracked", id="peek"),
        pytest.param(lambda s: s.get_content(refresh=True), "latest", "latest", id="refresh"),
    ],
)
def test_what_an_observer_reads(api, read, content, tracked):
    """The revision it tracks; the latest with peek; with refresh, the latest, which it then
    tracks."""
    testing = api.testing
    secret = observed(api)
    got, out, _ = run(
        api, lambda c: read(c.model.get_secret(id=secret.id)), testing.State(secrets={secret})
    )
    assert got == {"key": content}
    assert out.get_secret(id=secret.id).tracked_content == {"key": tracked}


class SecretCharm(ops.CharmBase):
    """Runs ``SecretCharm.action(self)`` on start and keeps what it returns."""

    action: ClassVar[Optional[Callable]] = None
    result: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        SecretCharm.result = {"value": SecretCharm.action(self)}


SECRET_META = {"name": "local", "requires": {"db": {"interface": "pg"}}}


def _run(api, action, state, juju_version="3.4.0", strict=None):
    SecretCharm.action = action
    SecretCharm.result = {}
    ctx = Context(SecretCharm, meta=SECRET_META, juju_version=juju_version, strict=strict)
    out = api.run(ctx, "start", state)
    return out, SecretCharm.result.get("value")


def _fails(api, action, state, strict=None):
    with pytest.raises(UncaughtCharmError) as info:
        _run(api, action, state, strict=strict)
    assert SecretCharm.result == {}
    return info.value.__cause__


def _stricter(api, action, state, match):
    """Juju refuses it, but the original let it pass: a warning, then the run goes on;
    strict mode fails the run with Juju's error."""
    with pytest.warns(JujuStricterWarning, match=match):
        result = _run(api, action, state)
    return result, _fails(api, action, state, strict=True)


def _content(secret_id, **kwargs):
    return lambda charm: charm.model.get_secret(id=secret_id).get_content(**kwargs)


TWO_REVISIONS = {0: {"key": "old"}, 1: {"key": "new"}}


def test_peek_reads_the_latest_revision_without_tracking_it(api):
    state = State(secrets=[Secret("secret:obs", TWO_REVISIONS, granted="unit", revision=0)])

    def peek(charm):
        secret = charm.model.get_secret(id="secret:obs")
        return secret.peek_content(), secret.get_content()

    out, value = _run(api, peek, state)
    assert value == ({"key": "new"}, {"key": "old"})
    assert out.secrets[0].revision == 0


def test_refresh_moves_the_tracked_revision(api):
    state = State(secrets=[Secret("secret:obs", TWO_REVISIONS, granted="unit", revision=0)])
    out, value = _run(api, _content("secret:obs", refresh=True), state)
    assert value == {"key": "new"}
    assert out.secrets[0].revision == 1
    assert out.secrets[0].tracked_content == {"key": "new"}
    assert state.secrets[0].revision == 0  # the input is untouched


def test_a_secret_is_found_by_label(api):
    state = State(secrets=[Secret("secret:abc", {0: {"key": "v"}}, granted="unit", label="lbl")])
    _, value = _run(api, lambda charm: charm.model.get_secret(label="lbl").get_content(), state)
    assert value == {"key": "v"}


def test_a_secret_not_in_the_state_is_secret_not_found(api):
    error = _fails(api, _content("secret:nope"), State())
    assert type(error) is ops.SecretNotFoundError
    assert "nope" in str(error)
    other = Secret("secret:abc", {0: {"key": "v"}}, granted="unit", label="lbl")
    error = _fails(api, lambda charm: charm.model.get_secret(label="nope"), State(secrets=[other]))
    assert type(error) is ops.SecretNotFoundError


@pytest.mark.parametrize("stored", ["foo", "secret:foo"])
@pytest.mark.parametrize("form", ["bare", "prefixed", "model-qualified"])
def test_a_secret_is_found_by_any_form_of_its_id(api, stored, form):
    # ops 3.x asks for `secret://<model uuid>/<id>` when given a bare id; ops 2.x for
    # `secret:<id>`. Either names the Secret of the State, as both name one secret in Juju.
    state = State(secrets=[Secret(stored, {0: {"key": "v"}}, owner="unit")])
    asked = {
        "bare": "foo",
        "prefixed": "secret:foo",
        "model-qualified": f"secret://{state.model.uuid}/foo",
    }[form]
    _, value = _run(api, _content(asked), state)
    assert value == {"key": "v"}


def test_a_bare_secret_id_differs_from_8_9(testing):
    """8.9 never matches an id given without ``secret:``: it makes it ``secret://<model
    uuid>/<id>``, which equals no State secret's ``secret:<id>``; this package reads every
    form of an id as the one secret it names, as Juju does."""
    import scenario

    api = ops_testing(testing)
    secret = observed(api)
    bare = secret.id.split(":", 1)[1]
    if hasattr(scenario, "_scenario"):
        content, _, _ = run(
            api,
            lambda c: c.model.get_secret(id=bare).get_content(),
            testing.State(secrets={secret}),
        )
        assert content == {"key": "tracked"}
    else:
        with pytest.raises(testing.errors.UncaughtCharmError):
            run(
                api,
                lambda c: c.model.get_secret(id=bare).get_content(),
                testing.State(secrets={secret}),
            )


SEEN = {}


class InfoCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _):
        secret = self.model.get_secret(id="theid")
        SEEN["secret.id"] = secret.id
        SEEN["info.id"] = secret.get_info().id


def test_an_owned_secret_given_a_bare_id_is_seen_with_ops_s_canonical_id(api):
    secret = Secret({"a": "b"}, id="theid", owner="app")
    state = State(secrets=[secret], leader=True)
    api.run(Context(InfoCharm, meta={"name": "app"}), "update_status", state)
    # ops's own canonical form: secret://<model uuid>/theid on ops 3, secret:theid before.
    canonicalize = ops.Secret._canonicalize_id
    if "model_uuid" in inspect.signature(canonicalize).parameters:
        expected = canonicalize("theid", model_uuid=state.model.uuid)
    else:
        expected = canonicalize("theid")
    assert SEEN == {"secret.id": expected, "info.id": expected}


def test_getting_a_secret_by_id_and_label_sets_the_label_under_ops_testing(testing):
    # (Scenario 5 runs leave the label as the State gave it.)
    api = ops_testing(testing)
    secret = observed(api)
    _, out, _ = run(
        api,
        lambda c: c.model.get_secret(id=secret.id, label="new"),
        testing.State(secrets={secret}),
    )
    assert out.get_secret(id=secret.id).label == "new"


def test_the_owner_reads_the_revision_it_tracks(api):
    # As Scenario 5.8.1 answered (ops[testing] makes an owner refresh on Juju before 3.3.1).
    state = State(secrets=[Secret("secret:own", TWO_REVISIONS, owner="unit", revision=0)])
    _, value = _run(api, _content("secret:own"), state)
    assert value == {"key": "old"}


def test_what_an_owner_reads_depends_on_the_juju_version_under_ops_testing(testing):
    # (Scenario 5 runs give an owner the revision it tracks whatever the version:
    # test_the_owner_reads_the_revision_it_tracks.)
    api = ops_testing(testing)
    secret = owned(testing)
    content, _, _ = run(
        api,
        lambda c: c.model.get_secret(id=secret.id).get_content(),
        testing.State(secrets={secret}),
    )
    # Juju 3.1.7 and 3.3.1 on let an owner read the revision it tracks, as an observer...
    assert content == {"key": "tracked"}
    # ...but other versions (before 3.3.1) always gave an owner the latest.
    old, _, _ = run(
        api,
        lambda c: c.model.get_secret(id=secret.id).get_content(),
        testing.State(secrets={secret}),
        juju_version="3.1.6",
    )
    assert old == {"key": "latest"}


def test_secret_info_is_for_the_owner_only(api):
    testing = api.testing
    secret = testing.Secret({"key": "value"}, owner="unit", label="own", description="d")
    info, _, _ = run(
        api,
        lambda c: c.model.get_secret(id=secret.id).get_info(),
        testing.State(secrets={secret}),
    )
    assert (info.id, info.label, info.revision) == (secret.id, "own", 1)
    observer = observed(api)
    with pytest.raises(testing.errors.UncaughtCharmError) as err:
        run(
            api,
            lambda c: c.model.get_secret(id=observer.id).get_info(),
            testing.State(secrets={observer}),
        )
    assert isinstance(err.value.__cause__, ops.SecretNotFoundError)


def test_a_non_owner_cannot_get_info_under_scenario_5():
    api = scenario_5()
    error = _fails(
        api, lambda charm: charm.model.get_secret(id="secret:theirs").get_info(), _granted()
    )
    # 5.8.1's RuntimeError, which is also ops[testing]'s SecretNotFoundError
    assert isinstance(error, RuntimeError) and isinstance(error, ops.SecretNotFoundError)
    assert "not the owner of secret secret:theirs" in str(error)


def test_the_owner_gets_info_about_the_latest_revision(api):
    secret = Secret("secret:own", TWO_REVISIONS, owner="unit", label="lbl", description="d")
    _, info = _run(
        api,
        lambda charm: charm.model.get_secret(id="secret:own").get_info(),
        State(secrets=[secret]),
    )
    assert isinstance(info, ops.SecretInfo)
    assert info.id == "secret:own"
    assert info.label == "lbl"
    assert info.revision == 1


def test_secrets_need_juju_3_0_2_under_ops_testing(testing):
    # (Scenario 5 runs did not check the Juju version.)
    api = ops_testing(testing)
    secret = observed(api)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(
            api,
            lambda c: c.model.get_secret(id=secret.id).get_content(),
            testing.State(secrets={secret}),
            juju_version="3.0.1",
        )
    assert isinstance(info.value.__cause__, ops.ModelError)
    assert "3.0.2" in str(info.value.__cause__)


# --- what a charm writes ---------------------------------------------------------------------


def test_set_content_adds_a_new_revision(api):
    state = State(secrets=[Secret("secret:own", {0: {"key": "v0"}}, owner="unit")])

    def set_content(charm):
        secret = charm.model.get_secret(id="secret:own")
        secret.set_content({"key": "v1"})
        secret.set_content({"key": "v2"})

    out, _ = _run(api, set_content, state)
    assert out.secrets[0].contents == {0: {"key": "v0"}, 1: {"key": "v1"}, 2: {"key": "v2"}}
    # The owner still tracks its revision; the latest is the new one.
    assert out.secrets[0].tracked_content == {"key": "v0"}
    assert out.secrets[0].latest_content == {"key": "v2"}
    assert state.secrets[0].contents == {0: {"key": "v0"}}


def test_set_content_beyond_revision_7(api):
    # 5.8.1 indexed the string "contents" by the new revision (`"contents"[revision + 1]`)
    # instead of the contents: set_content stored nothing, and raised IndexError once the
    # latest revision was 7.
    contents = {i: {"key": f"v{i}"} for i in range(8)}
    state = State(secrets=[Secret("secret:own", contents, owner="unit", revision=7)])
    out, _ = _run(
        api,
        lambda charm: charm.model.get_secret(id="secret:own").set_content({"key": "v8"}),
        state,
    )
    assert out.secrets[0].contents[8] == {"key": "v8"}


def test_set_info(api):
    testing = api.testing
    secret = owned(testing)
    _, out, _ = run(
        api,
        lambda c: c.model.get_secret(id=secret.id).set_info(
            label="L", description="D", rotate=ops.SecretRotate.HOURLY
        ),
        testing.State(secrets={secret}),
    )
    after = out.get_secret(id=secret.id)
    assert (after.label, after.description, after.rotate) == ("L", "D", ops.SecretRotate.HOURLY)


@pytest.mark.parametrize(("owner", "leader"), [("unit", False), ("app", True)])
def test_adding_a_secret(api, owner, leader):
    testing = api.testing

    def add(c):
        entity = c.unit if owner == "unit" else c.app
        return entity.add_secret(
            {"key": "value"},
            label="new",
            description="d",
            expire=datetime.timedelta(hours=1),
            rotate=ops.SecretRotate.DAILY,
        ).id

    new_id, out, _ = run(api, add, testing.State(leader=leader))
    secret = out.get_secret(label="new")
    assert secret.id == new_id
    assert secret.owner == owner
    assert secret.tracked_content == secret.latest_content == {"key": "value"}
    assert (secret.description, secret.rotate) == ("d", ops.SecretRotate.DAILY)
    assert isinstance(secret.expire, datetime.datetime)


def test_the_leader_adds_an_app_secret_under_scenario_5():
    api = scenario_5()
    out, secret_id = _run(
        api, lambda charm: charm.app.add_secret({"key": "value"}, label="l").id, State(leader=True)
    )
    (secret,) = out.secrets
    assert secret.id == secret_id
    assert secret.owner in ("app", "application")
    assert secret.contents == {0: {"key": "value"}}
    assert secret.label == "l"


def test_a_unit_adds_a_unit_secret_under_scenario_5():
    api = scenario_5()
    out, secret_id = _run(
        api, lambda charm: charm.unit.add_secret({"key": "value"}, description="d").id, State()
    )
    (secret,) = out.secrets
    assert secret_id.startswith("secret:")
    assert secret.id == secret_id
    assert secret.owner == "unit"
    assert secret.contents == {0: {"key": "value"}}
    assert secret.description == "d"


def test_only_the_leader_changes_an_app_s_secret_under_ops_testing(testing):
    # (Scenario 5.8.1 let a non-leader do it: a warning there,
    # test_an_app_secret_is_managed_only_by_the_leader_under_scenario_5.)
    api = ops_testing(testing)
    secret = owned(testing, owner="app")

    def change(c):
        c.model.get_secret(id=secret.id).set_content({"key": "newer"})

    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(api, change, testing.State(secrets={secret}))
    assert isinstance(info.value.__cause__, ops.ModelError)
    _, out, _ = run(api, change, testing.State(leader=True, secrets={secret}))
    assert out.get_secret(id=secret.id).latest_content == {"key": "newer"}


def test_an_app_secret_is_managed_only_by_the_leader_under_scenario_5():
    api = scenario_5()
    state = State(leader=False, secrets=[Secret("secret:ours", {0: {"key": "v"}}, owner="app")])

    def set_content(charm):
        charm.model.get_secret(id="secret:ours").set_content({"key": "w"})

    # Scenario 5.8.1 let a non-leader do it: a warning, and Juju's error in strict mode.
    (out, _), error = _stricter(api, set_content, state, "leader")
    assert out.secrets[0].contents == {0: {"key": "v"}, 1: {"key": "w"}}
    assert type(error) is ops.ModelError
    assert "leader" in str(error)
    # the leader can
    out, _ = _run(
        api,
        lambda charm: charm.model.get_secret(id="secret:ours").set_content({"key": "w"}),
        state.replace(leader=True),
    )
    assert out.secrets[0].contents == {0: {"key": "v"}, 1: {"key": "w"}}


def test_a_non_leader_cannot_add_an_app_secret(api):
    # Neither original checked it: a warning, and Juju's error in strict mode.
    (out, _), error = _stricter(
        api, lambda charm: charm.app.add_secret({"key": "value"}), State(leader=False), "leader"
    )
    assert len(out.secrets) == 1
    assert type(error) is ops.ModelError
    assert "leader" in str(error)


def test_grant_and_revoke(api):
    testing = api.testing
    rel = testing.Relation("db", remote_app_name="pg", remote_units_data={0: {}})
    secret = owned(testing)

    def grant(c):
        s, r = c.model.get_secret(id=secret.id), c.model.get_relation("db")
        s.grant(r)
        s.grant(r, unit=c.model.get_unit("pg/0"))

    _, out, _ = run(api, grant, testing.State(secrets={secret}, relations={rel}))
    granted = out.get_secret(id=secret.id)
    assert granted.remote_grants == {rel.id: {"pg", "pg/0"}}

    def revoke(c):
        c.model.get_secret(id=secret.id).revoke(c.model.get_relation("db"))

    _, out, _ = run(api, revoke, testing.State(secrets={granted}, relations={rel}))
    assert out.get_secret(id=secret.id).remote_grants == {rel.id: {"pg/0"}}


def test_the_owner_revokes_a_grant(api):
    relation = Relation("db", remote_app_name="remote")
    secret = Secret(
        "secret:own",
        {0: {"key": "v"}},
        owner="unit",
        remote_grants={relation.relation_id: {"remote"}},
    )

    def revoke(charm):
        charm.model.get_secret(id="secret:own").revoke(charm.model.get_relation("db"))

    out, _ = _run(api, revoke, State(relations=[relation], secrets=[secret]))
    assert out.secrets[0].remote_grants == {}


def _granted():
    return State(
        relations=[Relation("db")],
        leader=True,
        secrets=[Secret("secret:theirs", {0: {"key": "v"}}, granted="app")],
    )


def test_a_non_owner_cannot_set_content(api):
    error = _fails(
        api,
        lambda charm: charm.model.get_secret(id="secret:theirs").set_content({"key": "w"}),
        _granted(),
    )
    # 5.8.1 refused with a RuntimeError (ops[testing] with a SecretNotFoundError: both).
    assert isinstance(error, RuntimeError) and isinstance(error, ops.SecretNotFoundError)
    assert "theirs" in str(error) and "secret-set" in str(error)


def test_a_non_owner_cannot_grant(api):
    def grant(charm):
        secret = charm.model.get_secret(id="secret:theirs")
        secret.grant(charm.model.get_relation("db"))

    error = _fails(api, grant, _granted())
    assert isinstance(error, RuntimeError) and isinstance(error, ops.SecretNotFoundError)
    assert "theirs" in str(error) and "secret-grant" in str(error)


def test_a_non_owner_cannot_remove_all_revisions(api):
    error = _fails(
        api,
        lambda charm: charm.model.get_secret(id="secret:theirs").remove_all_revisions(),
        _granted(),
    )
    assert isinstance(error, RuntimeError) and isinstance(error, ops.SecretNotFoundError)
    assert "theirs" in str(error) and "secret-remove" in str(error)


def test_removing_all_revisions_removes_the_secret_under_ops_testing(testing):
    # (Under Scenario 5 the secret stays, with no content:
    # test_the_owner_removes_all_revisions_under_scenario_5.)
    api = ops_testing(testing)
    secret = owned(testing)
    _, out, _ = run(
        api,
        lambda c: c.model.get_secret(id=secret.id).remove_all_revisions(),
        testing.State(secrets={secret}),
    )
    assert out.secrets == frozenset()


def test_the_owner_removes_all_revisions_under_scenario_5():
    api = scenario_5()
    # As in 5.8.1 (kept on purpose): the secret stays in the State, with no content.
    state = State(secrets=[Secret("secret:own", TWO_REVISIONS, owner="unit")])
    out, _ = _run(
        api, lambda charm: charm.model.get_secret(id="secret:own").remove_all_revisions(), state
    )
    assert [s.id for s in out.secrets] == ["secret:own"]
    assert out.secrets[0].contents == {}


def test_removing_an_old_revision_is_recorded_under_ops_testing(testing):
    # (Under Scenario 5 the revision's content goes:
    # test_the_owner_removes_one_revision_under_scenario_5.)
    api = ops_testing(testing)
    secret = owned(testing)
    _, out, ctx = run(
        api,
        lambda c: c.model.get_secret(id=secret.id).remove_revision(7),
        testing.State(secrets={secret}),
    )
    assert ctx.removed_secret_revisions == [7]
    assert out.get_secret(id=secret.id) == secret


def test_the_owner_removes_one_revision_under_scenario_5():
    api = scenario_5()
    state = State(secrets=[Secret("secret:own", TWO_REVISIONS, owner="unit")])
    out, _ = _run(
        api, lambda charm: charm.model.get_secret(id="secret:own").remove_revision(0), state
    )
    assert out.secrets[0].contents == {1: {"key": "new"}}


def test_removing_the_current_revision_is_an_error_under_ops_testing(testing):
    # (ops[testing] refuses it; Scenario 5 runs did not.)
    api = ops_testing(testing)
    secret = testing.Secret({"key": "value"}, owner="unit")
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(
            api,
            lambda c: c.model.get_secret(id=secret.id).remove_revision(1),
            testing.State(secrets={secret}),
        )
    assert isinstance(info.value.__cause__, ValueError)
    assert "Charms should not remove the latest revision of a secret" in str(info.value.__cause__)


# --- the secret events' effects --------------------------------------------------------------


class SecretHandler(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.secret_changed, self._on_changed)
        framework.observe(self.on.secret_remove, self._on_remove)
        framework.observe(self.on.secret_expired, self._on_expired)
        framework.observe(self.on.secret_rotate, self._on_rotate)

    def _on_changed(self, event):
        self.unit.status = ops.ActiveStatus(event.secret.get_content(refresh=True)["key"])

    def _on_remove(self, event):
        event.secret.remove_revision(event.revision)

    def _on_expired(self, event):
        event.secret.set_content({"key": f"renewed-{event.revision}"})

    def _on_rotate(self, event):
        event.secret.set_content({"key": "rotated"})


def test_secret_changed_updates_the_tracked_revision(api):
    testing = api.testing
    secret = observed(api)
    ctx = testing.Context(SecretHandler, meta=META)
    out = api.run(ctx, "secret_changed", testing.State(secrets={secret}), secret)
    assert out.unit_status == testing.ActiveStatus("latest")
    assert out.get_secret(id=secret.id).tracked_content == {"key": "latest"}


def test_secret_remove_event_removes_the_old_revision_under_ops_testing(testing):
    # (Under Scenario 5, removing a revision the secret does not hold is
    # SecretNotFoundError.)
    api = ops_testing(testing)
    secret = owned(testing)
    ctx = testing.Context(SecretHandler, meta=META)
    api.run(ctx, "secret_remove", testing.State(secrets={secret}), secret, revision=3)
    assert ctx.removed_secret_revisions == [3]
    api.run(ctx, "secret_remove", testing.State(secrets={secret}), secret, revision=4)
    assert ctx.removed_secret_revisions == [3, 4]


def test_secret_expired_and_rotate_events(api):
    testing = api.testing
    secret = owned(testing, owner="app")
    ctx = testing.Context(SecretHandler, meta=META)
    state = testing.State(leader=True, secrets={secret})
    out = api.run(ctx, "secret_expired", state, secret, revision=2)
    assert out.get_secret(id=secret.id).latest_content == {"key": "renewed-2"}
    out = api.run(ctx, "secret_rotate", state, secret)
    assert out.get_secret(id=secret.id).latest_content == {"key": "rotated"}


def test_a_deferred_secret_event_differs_from_8_9(testing):
    """8.9's snapshot of a secret event uses keys ops does not read (``secret_id``, ...),
    so the deferred event cannot be re-emitted; this package's uses ops's (``id``,
    ``label``, ``revision``)."""
    import scenario

    secret = owned(testing)

    class Deferring(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.secret_remove, self._on_remove)

        def _on_remove(self, event):
            self.unit.status = ops.ActiveStatus(f"{event.secret.id} {event.revision}")

    deferred = testing.CharmEvents.secret_remove(secret, revision=5).deferred(Deferring._on_remove)
    ctx = testing.Context(Deferring, meta=META)
    state = testing.State(secrets={secret}, deferred=[deferred])
    if hasattr(scenario, "_scenario"):
        assert deferred.snapshot_data == {"id": secret.id, "label": "own", "revision": 5}
        out = ctx.run(ctx.on.update_status(), state)
        assert out.unit_status == testing.ActiveStatus(f"{secret.id} 5")
    else:
        assert deferred.snapshot_data == {
            "secret_id": secret.id,
            "secret_label": "own",
            "secret_revision": 5,
        }
        with pytest.raises(testing.errors.UncaughtCharmError):
            ctx.run(ctx.on.update_status(), state)
