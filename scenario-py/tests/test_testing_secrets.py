"""ops[testing]'s secrets: the ``Secret`` class (``tracked_content``/``latest_content``,
owner, label, description, expiry, rotation, remote grants, validation), what a charm reads
and writes through the secret hook tools, and the secret events with their revision, down
to ``ctx.removed_secret_revisions``.
"""

import dataclasses
import datetime

import ops
import pytest

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


# --- reading ---------------------------------------------------------------------------------


class SecretUser(ops.CharmBase):
    """Runs ``ACTION`` on start and keeps what it returns."""

    action = staticmethod(lambda charm: None)

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.result = type(self).action(self)


def run(testing, action, state, **ctx_kwargs):
    """Run SecretUser doing ``action``; what it returned and the output State."""
    SecretUser.action = staticmethod(action)
    ctx = testing.Context(SecretUser, meta=META, **ctx_kwargs)
    with ctx(ctx.on.start(), state) as mgr:
        out = mgr.run()
        result = mgr.charm.result
    return result, out, ctx


def observed(testing):
    return testing.Secret({"key": "tracked"}, latest_content={"key": "latest"}, label="obs")


@pytest.mark.parametrize(
    ("read", "content", "tracked"),
    [
        pytest.param(lambda s: s.get_content(), "tracked", "tracked", id="get"),
        pytest.param(lambda s: s.peek_content(), "latest", "tracked", id="peek"),
        pytest.param(lambda s: s.get_content(refresh=True), "latest", "latest", id="refresh"),
    ],
)
def test_what_an_observer_reads(testing, read, content, tracked):
    """The revision it tracks; the latest with peek; with refresh, the latest, which it then
    tracks."""
    secret = observed(testing)
    got, out, _ = run(
        testing, lambda c: read(c.model.get_secret(id=secret.id)), testing.State(secrets={secret})
    )
    assert got == {"key": content}
    assert out.get_secret(id=secret.id).tracked_content == {"key": tracked}


def test_a_secret_by_label(testing):
    secret = observed(testing)
    content, _, _ = run(
        testing,
        lambda c: c.model.get_secret(label="obs").get_content(),
        testing.State(secrets={secret}),
    )
    assert content == {"key": "tracked"}


def test_getting_a_secret_by_id_and_label_sets_the_label(testing):
    secret = observed(testing)
    _, out, _ = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id, label="new"),
        testing.State(secrets={secret}),
    )
    assert out.get_secret(id=secret.id).label == "new"


def test_a_missing_secret_is_not_found(testing):
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(
            testing,
            lambda c: c.model.get_secret(label="nope"),
            testing.State(secrets={observed(testing)}),
        )
    assert isinstance(info.value.__cause__, ops.SecretNotFoundError)


def test_a_bare_secret_id_differs_from_8_9(testing):
    """8.9 never matches an id given without ``secret:``: it makes it ``secret://<model
    uuid>/<id>``, which equals no State secret's ``secret:<id>``; this package reads every
    form of an id as the one secret it names, as Juju does."""
    import scenario

    secret = observed(testing)
    bare = secret.id.split(":", 1)[1]
    if hasattr(scenario, "_scenario"):
        content, _, _ = run(
            testing,
            lambda c: c.model.get_secret(id=bare).get_content(),
            testing.State(secrets={secret}),
        )
        assert content == {"key": "tracked"}
    else:
        with pytest.raises(testing.errors.UncaughtCharmError):
            run(
                testing,
                lambda c: c.model.get_secret(id=bare).get_content(),
                testing.State(secrets={secret}),
            )


def owned(testing, owner="unit", **kwargs):
    return testing.Secret(
        {"key": "tracked"}, latest_content={"key": "latest"}, owner=owner, label="own", **kwargs
    )


def test_what_an_owner_reads_depends_on_the_juju_version(testing):
    secret = owned(testing)
    content, _, _ = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id).get_content(),
        testing.State(secrets={secret}),
    )
    # Juju 3.1.7 and 3.3.1 on let an owner read the revision it tracks, as an observer...
    assert content == {"key": "tracked"}
    # ...but other versions (before 3.3.1) always gave an owner the latest.
    old, _, _ = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id).get_content(),
        testing.State(secrets={secret}),
        juju_version="3.1.6",
    )
    assert old == {"key": "latest"}


def test_secret_info_is_for_the_owner_only(testing):
    secret = testing.Secret({"key": "value"}, owner="unit", label="own", description="d")
    info, _, _ = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id).get_info(),
        testing.State(secrets={secret}),
    )
    assert (info.id, info.label, info.revision) == (secret.id, "own", 1)
    observer = observed(testing)
    with pytest.raises(testing.errors.UncaughtCharmError) as err:
        run(
            testing,
            lambda c: c.model.get_secret(id=observer.id).get_info(),
            testing.State(secrets={observer}),
        )
    assert isinstance(err.value.__cause__, ops.SecretNotFoundError)


def test_secrets_need_juju_3_0_2(testing):
    secret = observed(testing)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(
            testing,
            lambda c: c.model.get_secret(id=secret.id).get_content(),
            testing.State(secrets={secret}),
            juju_version="3.0.1",
        )
    assert isinstance(info.value.__cause__, ops.ModelError)
    assert "3.0.2" in str(info.value.__cause__)


# --- writing ---------------------------------------------------------------------------------


def test_the_owner_adds_a_revision(testing):
    secret = owned(testing)
    _, out, _ = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id).set_content({"key": "newer"}),
        testing.State(secrets={secret}),
    )
    after = out.get_secret(id=secret.id)
    assert after.latest_content == {"key": "newer"}
    assert after.tracked_content == {"key": "tracked"}


def test_only_the_leader_changes_an_app_s_secret(testing):
    secret = owned(testing, owner="app")

    def change(c):
        c.model.get_secret(id=secret.id).set_content({"key": "newer"})

    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(testing, change, testing.State(secrets={secret}))
    assert isinstance(info.value.__cause__, ops.ModelError)
    _, out, _ = run(testing, change, testing.State(leader=True, secrets={secret}))
    assert out.get_secret(id=secret.id).latest_content == {"key": "newer"}


def test_an_observer_cannot_change_a_secret(testing):
    secret = observed(testing)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(
            testing,
            lambda c: c.model.get_secret(id=secret.id).set_content({"key": "x"}),
            testing.State(secrets={secret}),
        )
    assert isinstance(info.value.__cause__, ops.SecretNotFoundError)


def test_set_info(testing):
    secret = owned(testing)
    _, out, _ = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id).set_info(
            label="L", description="D", rotate=ops.SecretRotate.HOURLY
        ),
        testing.State(secrets={secret}),
    )
    after = out.get_secret(id=secret.id)
    assert (after.label, after.description, after.rotate) == ("L", "D", ops.SecretRotate.HOURLY)


@pytest.mark.parametrize(("owner", "leader"), [("unit", False), ("app", True)])
def test_adding_a_secret(testing, owner, leader):
    def add(c):
        entity = c.unit if owner == "unit" else c.app
        return entity.add_secret(
            {"key": "value"},
            label="new",
            description="d",
            expire=datetime.timedelta(hours=1),
            rotate=ops.SecretRotate.DAILY,
        ).id

    new_id, out, _ = run(testing, add, testing.State(leader=leader))
    secret = out.get_secret(label="new")
    assert secret.id == new_id
    assert secret.owner == owner
    assert secret.tracked_content == secret.latest_content == {"key": "value"}
    assert (secret.description, secret.rotate) == ("d", ops.SecretRotate.DAILY)
    assert isinstance(secret.expire, datetime.datetime)


def test_grant_and_revoke(testing):
    rel = testing.Relation("db", remote_app_name="pg", remote_units_data={0: {}})
    secret = owned(testing)

    def grant(c):
        s, r = c.model.get_secret(id=secret.id), c.model.get_relation("db")
        s.grant(r)
        s.grant(r, unit=c.model.get_unit("pg/0"))

    _, out, _ = run(testing, grant, testing.State(secrets={secret}, relations={rel}))
    granted = out.get_secret(id=secret.id)
    assert granted.remote_grants == {rel.id: {"pg", "pg/0"}}

    def revoke(c):
        c.model.get_secret(id=secret.id).revoke(c.model.get_relation("db"))

    _, out, _ = run(testing, revoke, testing.State(secrets={granted}, relations={rel}))
    assert out.get_secret(id=secret.id).remote_grants == {rel.id: {"pg/0"}}


def test_removing_all_revisions_removes_the_secret(testing):
    secret = owned(testing)
    _, out, _ = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id).remove_all_revisions(),
        testing.State(secrets={secret}),
    )
    assert out.secrets == frozenset()


def test_removing_an_old_revision_is_recorded(testing):
    secret = owned(testing)
    _, out, ctx = run(
        testing,
        lambda c: c.model.get_secret(id=secret.id).remove_revision(7),
        testing.State(secrets={secret}),
    )
    assert ctx.removed_secret_revisions == [7]
    assert out.get_secret(id=secret.id) == secret


def test_removing_the_current_revision_is_an_error(testing):
    secret = testing.Secret({"key": "value"}, owner="unit")
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        run(
            testing,
            lambda c: c.model.get_secret(id=secret.id).remove_revision(1),
            testing.State(secrets={secret}),
        )
    assert isinstance(info.value.__cause__, ValueError)
    assert "Charms should not remove the latest revision of a secret" in str(info.value.__cause__)


# --- the secret events -----------------------------------------------------------------------


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


def test_secret_changed_updates_the_tracked_revision(testing):
    secret = observed(testing)
    ctx = testing.Context(SecretHandler, meta=META)
    out = ctx.run(ctx.on.secret_changed(secret), testing.State(secrets={secret}))
    assert out.unit_status == testing.ActiveStatus("latest")
    assert out.get_secret(id=secret.id).tracked_content == {"key": "latest"}


def test_secret_remove_event_removes_the_old_revision(testing):
    secret = owned(testing)
    ctx = testing.Context(SecretHandler, meta=META)
    ctx.run(ctx.on.secret_remove(secret, revision=3), testing.State(secrets={secret}))
    assert ctx.removed_secret_revisions == [3]
    ctx.run(ctx.on.secret_remove(secret, revision=4), testing.State(secrets={secret}))
    assert ctx.removed_secret_revisions == [3, 4]


def test_secret_expired_and_rotate_events(testing):
    secret = owned(testing, owner="app")
    ctx = testing.Context(SecretHandler, meta=META)
    out = ctx.run(
        ctx.on.secret_expired(secret, revision=2), testing.State(leader=True, secrets={secret})
    )
    assert out.get_secret(id=secret.id).latest_content == {"key": "renewed-2"}
    out = ctx.run(ctx.on.secret_rotate(secret), testing.State(leader=True, secrets={secret}))
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
