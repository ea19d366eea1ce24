"""The model a unit is in: ``Model`` (its defaults, and the equality of defaulted models),
its cloud spec (``CloudSpec``, ``CloudCredential``) and credential-get, which needs a trusted
app and a cloud spec.
"""

import ops
import pytest

OPS_VERSION = tuple(int(p) for p in ops.__version__.split(".")[:2])


def test_model_defaults(testing):
    model = testing.Model()
    assert len(model.name) == 20
    assert len(model.uuid) == 36
    assert model.type == "kubernetes"
    assert model.cloud_spec is None
    assert testing.Model(name="m", type="lxd").type == "lxd"


def test_cloud_spec_and_credential(testing):
    cred = testing.CloudCredential(auth_type="userpass", attributes={"u": "me"}, redacted=["p"])
    spec = testing.CloudSpec("lxd", credential=cred, ca_certificates=["cert"])
    assert (spec.type, spec.name, spec.region, spec.skip_tls_verify) == (
        "lxd",
        "localhost",
        None,
        False,
    )
    assert spec.credential == cred
    assert list(spec.ca_certificates) == ["cert"]
    for bad in (
        lambda: testing.CloudSpec("lxd", ca_certificates="cert"),
        lambda: testing.CloudCredential(auth_type="a", redacted="p"),
    ):
        with pytest.raises(testing.errors.StateValidationError, match="not a single string"):
            bad()


class Trusting(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        spec = self.model.get_cloud_spec()
        self.unit.status = ops.ActiveStatus(f"{spec.type} {spec.name} {spec.credential.auth_type}")


def test_credential_get_needs_trust_and_a_cloud_spec(testing):
    if OPS_VERSION < (2, 15):
        # ops 2.10 has no Model.get_cloud_spec (credential-get came in ops 2.15).
        assert not hasattr(ops.Model, "get_cloud_spec")
        return
    spec = testing.CloudSpec(
        "lxd", name="mycloud", credential=testing.CloudCredential(auth_type="cert")
    )
    state = testing.State(model=testing.Model(type="lxd", cloud_spec=spec))
    out = testing.Context(Trusting, meta={"name": "app"}, app_trusted=True).run(
        testing.CharmEvents.start(), state
    )
    assert out.unit_status == testing.ActiveStatus("lxd mycloud cert")
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        testing.Context(Trusting, meta={"name": "app"}).run(testing.CharmEvents.start(), state)
    assert "not trusted" in str(info.value.__cause__)
    with pytest.raises(testing.errors.UncaughtCharmError) as info:
        testing.Context(Trusting, meta={"name": "app"}, app_trusted=True).run(
            testing.CharmEvents.start(), testing.State()
        )
    assert isinstance(info.value.__cause__, ops.ModelError)


def test_fresh_states_and_models_differ_from_8_9(testing):
    """8.9 gives each State a Model of random name and uuid, so two ``State()`` differ; this
    package's default Model is unset until a run needs it, so they are equal. A given Model
    compares as itself in both."""
    import scenario

    ours = hasattr(scenario, "_scenario")
    assert (testing.State() == testing.State()) is ours
    assert (testing.Model() == testing.Model()) is ours
    model = testing.Model()
    assert testing.State(model=model) == testing.State(model=model)
