"""Charmcraft extensions: a charmcraft.yaml naming ``extensions: [flask-framework]`` (or any
of the other 12-factor ones) gets the metadata, config options and actions the extension
contributes when the Context reads it, as ``charmcraft expand-extensions`` would merge them.

The tests taking the ``testing`` fixture pass on ops-scenario 8.9 too; the others speak of
this package (its warning and error classes, Scenario 5's runs), and those whose comment
says so deliberately answer otherwise than 8.9.
"""

import importlib.util
import sys
import textwrap

import ops
import pytest
import yaml

import scenario
from scenario.state import _CharmSpec

CHARM = textwrap.dedent(
    """
    import ops

    class WebCharm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.config_changed, self._on_config_changed)
            framework.observe(self.on.flask_app_pebble_ready, self._on_pebble_ready)
            framework.observe(self.on.rotate_secret_key_action, self._on_rotate)

        def _on_config_changed(self, _):
            scheme = self.config["flask-preferred-url-scheme"]
            workers = self.config.get("webserver-workers")
            self.unit.status = ops.ActiveStatus(f"{scheme} x{workers}")

        def _on_pebble_ready(self, event):
            self.unit.status = ops.ActiveStatus(f"{event.workload.name} ready")

        def _on_rotate(self, event):
            event.set_results({"rotated": "yes"})
    """
)

_modules = []


@pytest.fixture(autouse=True)
def _forget_charm_modules():
    yield
    while _modules:
        sys.modules.pop(_modules.pop(), None)


def charm_with(root, files):
    """Write the charm's source under root/src and each YAML document in root; its class."""
    (root / "src").mkdir()
    source = root / "src" / "charm.py"
    source.write_text(CHARM)
    for name, doc in files.items():
        (root / name).write_text(yaml.safe_dump(doc))
    module_name = f"extension_charm_{abs(hash(str(root)))}"
    spec = importlib.util.spec_from_file_location(module_name, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    _modules.append(module_name)
    spec.loader.exec_module(module)
    return module.WebCharm


def charmcraft(root, extensions, **more):
    """A charm whose charmcraft.yaml names these extensions, with more keys of its own."""
    doc = {"type": "charm", "name": "web", "summary": "s", "description": "d"}
    doc["extensions"] = extensions
    doc.update(more)
    return charm_with(root, {"charmcraft.yaml": doc})


# What each extension adds that is its own (charmcraft's facts): its workload container
# and the image resource it runs, one config option with its type and default, its actions.
EXTENSIONS = {
    "django-framework": (
        "django-app",
        "django-app-image",
        ("django-debug", "boolean", False),
        {"create-superuser", "rotate-secret-key"},
    ),
    "expressjs-framework": (
        "app",
        "app-image",
        ("metrics-path", "string", "/metrics"),
        {"rotate-secret-key"},
    ),
    "fastapi-framework": (
        "app",
        "app-image",
        ("webserver-log-level", "string", "info"),
        {"rotate-secret-key"},
    ),
    "flask-framework": (
        "flask-app",
        "flask-app-image",
        ("flask-preferred-url-scheme", "string", "HTTPS"),
        {"rotate-secret-key"},
    ),
    "go-framework": (
        "app",
        "app-image",
        ("app-port", "int", 8080),
        {"rotate-secret-key"},
    ),
    "spring-boot-framework": (
        "app",
        "app-image",
        ("metrics-path", "string", "/actuator/prometheus"),
        {"rotate-secret-key"},
    ),
}


@pytest.mark.parametrize("extension", sorted(EXTENSIONS))
def test_each_extension_adds_its_metadata_config_and_actions(tmp_path, extension):
    container, resource, (option, kind, default), actions = EXTENSIONS[extension]
    spec = _CharmSpec.autoload(charmcraft(tmp_path, [extension]))
    meta = spec.meta
    assert "extensions" not in meta
    assert meta["name"] == "web"
    assert meta["assumes"] == ["k8s-api"]
    assert meta["containers"] == {container: {"resource": resource}}
    assert meta["resources"][resource]["type"] == "oci-image"
    assert meta["requires"] == {
        "ingress": {"interface": "ingress", "limit": 1},
        "logging": {"interface": "loki_push_api"},
    }
    assert meta["provides"] == {
        "grafana-dashboard": {"interface": "grafana_dashboard"},
        "metrics-endpoint": {"interface": "prometheus_scrape"},
    }
    assert meta["peers"] == {"secret-storage": {"interface": "secret-storage"}}
    options = spec.config["options"]
    assert options[option]["type"] == kind
    assert options[option]["default"] == default
    assert all("type" in body for body in options.values())
    assert set(spec.actions) == actions


def test_django_s_create_superuser_takes_a_username_and_an_email(tmp_path):
    spec = _CharmSpec.autoload(charmcraft(tmp_path, ["django-framework"]))
    action = spec.actions["create-superuser"]
    assert set(action["params"]) == {"username", "email"}
    assert sorted(action["required"]) == ["email", "username"]


def test_the_charm_s_own_declarations_are_kept_after_the_extension_s(tmp_path):
    charm = charmcraft(
        tmp_path,
        ["flask-framework"],
        assumes=["juju >= 3.1"],
        requires={"db": {"interface": "postgresql_client"}},
        config={"options": {"colour": {"type": "string", "default": "red"}}},
        actions={"backup": {"description": "back up"}},
    )
    spec = _CharmSpec.autoload(charm)
    assert spec.meta["assumes"] == ["k8s-api", "juju >= 3.1"]
    assert list(spec.meta["requires"]) == ["ingress", "logging", "db"]
    options = spec.config["options"]
    assert options["colour"] == {"type": "string", "default": "red"}
    assert "flask-debug" in options
    assert list(options)[-1] == "colour"
    assert list(spec.actions) == ["rotate-secret-key", "backup"]


def test_an_assumption_both_make_is_listed_once(tmp_path):
    spec = _CharmSpec.autoload(charmcraft(tmp_path, ["go-framework"], assumes=["k8s-api"]))
    assert spec.meta["assumes"] == ["k8s-api"]


def test_an_unknown_extension_is_warned_of_and_passed_over(tmp_path):
    charm = charmcraft(tmp_path, ["nonexistent-framework"], requires={"db": {"interface": "pg"}})
    with pytest.warns(
        UserWarning, match=r"(?i)unknown charmcraft extension 'nonexistent-framework'"
    ):
        spec = _CharmSpec.autoload(charm)
    assert "extensions" not in spec.meta
    assert spec.meta["requires"] == {"db": {"interface": "pg"}}
    assert "containers" not in spec.meta


def test_a_known_extension_after_an_unknown_one_still_applies(tmp_path):
    charm = charmcraft(tmp_path, ["nonexistent-framework", "go-framework"])
    with pytest.warns(UserWarning, match=r"(?i)unknown charmcraft extension"):
        spec = _CharmSpec.autoload(charm)
    assert "app" in spec.meta["containers"]


def test_the_unknown_extension_warning_is_scenario_s_and_points_at_the_test(tmp_path):
    # A deliberate difference: 8.9 warns with a bare UserWarning.
    charm = charmcraft(tmp_path, ["nonexistent-framework"])
    with pytest.warns(scenario.errors.UnknownCharmcraftExtensionWarning) as caught:
        scenario.Context(charm)
    assert caught[0].filename == __file__
    assert "flask-framework" in str(caught[0].message)  # it lists the known ones


@pytest.mark.parametrize(
    "declared, pattern",
    [
        (
            {"requires": {"ingress": {"interface": "mine"}}},
            r"'ingress'.*requires.*flask-framework",
        ),
        (
            {"peers": {"secret-storage": {"interface": "s"}}},
            r"'secret-storage'.*peers.*flask-framework",
        ),
        (
            {"containers": {"flask-app": {"resource": "x"}}},
            r"'flask-app'.*containers.*flask-framework",
        ),
        (
            {"config": {"options": {"flask-debug": {"type": "boolean"}, "mine": {"type": "int"}}}},
            r"'flask-debug'.*config\.options.*flask-framework",
        ),
        (
            {"actions": {"rotate-secret-key": {}, "mine": {}}},
            r"'rotate-secret-key'.*actions.*flask-framework",
        ),
    ],
    ids=["requires", "peers", "containers", "config", "actions"],
)
def test_declaring_what_the_extension_adds_is_refused(tmp_path, declared, pattern):
    charm = charmcraft(tmp_path, ["flask-framework"], **declared)
    with pytest.raises(ValueError, match=pattern):
        _CharmSpec.autoload(charm)
    with pytest.raises(ValueError, match=pattern):
        scenario.Context(charm)


def test_an_overlap_is_a_context_setup_error(tmp_path):
    # A deliberate difference: 8.9 raises a bare ValueError.
    charm = charmcraft(tmp_path, ["flask-framework"], requires={"ingress": {"interface": "i"}})
    with pytest.raises(scenario.errors.ContextSetupError) as info:
        scenario.Context(charm)
    assert isinstance(info.value, scenario.errors.CharmcraftExtensionError)
    assert str(info.value) == (
        "overlapping keys 'ingress' in requires of charmcraft.yaml which conflict with the "
        "flask-framework extension (which adds them): rename or remove it"
    )


def test_two_extensions_that_add_the_same_names_are_refused(tmp_path):
    charm = charmcraft(tmp_path, ["flask-framework", "django-framework"])
    with pytest.raises(ValueError, match="django-framework"):
        _CharmSpec.autoload(charm)


def test_an_extension_named_twice_is_refused(tmp_path):
    charm = charmcraft(tmp_path, ["go-framework", "go-framework"])
    with pytest.raises(ValueError, match="go-framework"):
        _CharmSpec.autoload(charm)


def test_extensions_given_as_one_string_is_refused_differs_from_8_9(tmp_path):
    # A deliberate difference: 8.9 takes each letter of the string for an unknown extension.
    charm = charmcraft(tmp_path, "go-framework")
    with pytest.raises(
        scenario.errors.CharmcraftExtensionError,
        match="extensions must be a list of extension names, got a string",
    ):
        scenario.Context(charm)


def test_an_empty_section_counts_as_absent_as_charmcraft_reads_it_differs_from_8_9(tmp_path):
    # A deliberate difference: 8.9 refuses an empty requires (ValueError), crashes on an
    # empty config or actions.
    charm = charmcraft(tmp_path, ["flask-framework"], requires=None, config=None, actions=None)
    spec = _CharmSpec.autoload(charm)
    assert "ingress" in spec.meta["requires"]
    assert "flask-debug" in spec.config["options"]
    assert "rotate-secret-key" in spec.actions


def test_no_extensions_and_an_empty_list_change_nothing(tmp_path):
    spec = _CharmSpec.autoload(charmcraft(tmp_path, []))
    assert "extensions" not in spec.meta
    assert "containers" not in spec.meta
    assert spec.config is None


def test_a_meta_dict_is_taken_as_given():
    # Only a charmcraft.yaml read from the charm's directory is expanded; metadata handed to
    # the Context is what the test says it is.
    meta = {
        "name": "web",
        "extensions": ["flask-framework"],
        "requires": {"ingress": {"interface": "i"}},
    }
    ctx = scenario.Context(ops.CharmBase, meta=meta)
    assert ctx._charm_spec.meta["requires"] == {"ingress": {"interface": "i"}}
    assert "containers" not in ctx._charm_spec.meta


def test_a_legacy_metadata_yaml_knows_no_extensions(tmp_path):
    charm = charm_with(
        tmp_path, {"metadata.yaml": {"name": "old", "extensions": ["flask-framework"]}}
    )
    spec = _CharmSpec.autoload(charm)
    assert "containers" not in spec.meta
    assert spec.config is None


# --- a run ------------------------------------------------------------------------------------


def test_a_flask_charm_reads_the_extension_s_config_options(api, tmp_path):
    testing = api.testing
    ctx = testing.Context(charmcraft(tmp_path, ["flask-framework"]))
    out = api.run(ctx, "config_changed", testing.State())
    assert out.unit_status == testing.ActiveStatus("HTTPS xNone")
    out = api.run(ctx, "config_changed", testing.State(config={"webserver-workers": 2}))
    assert out.unit_status == testing.ActiveStatus("HTTPS x2")
    state = testing.State(config={"flask-preferred-url-scheme": "HTTP", "webserver-workers": 4})
    out = api.run(ctx, "config_changed", state)
    assert out.unit_status == testing.ActiveStatus("HTTP x4")


def test_a_config_value_of_the_wrong_type_for_the_extension_s_option_is_inconsistent(
    testing, tmp_path
):
    ctx = testing.Context(charmcraft(tmp_path, ["flask-framework"]))
    with pytest.raises(testing.errors.InconsistentScenarioError) as info:
        ctx.run(ctx.on.config_changed(), testing.State(config={"webserver-workers": "four"}))
    assert "webserver-workers" in str(info.value)


def test_the_extension_s_container_relations_and_actions_are_the_charm_s(api, tmp_path):
    testing = api.testing
    ctx = testing.Context(charmcraft(tmp_path, ["flask-framework"]))
    container = testing.Container("flask-app", can_connect=True)
    out = api.run(ctx, "pebble_ready", testing.State(containers=[container]), container)
    assert out.unit_status == testing.ActiveStatus("flask-app ready")
    ingress = testing.Relation("ingress")
    peers = testing.PeerRelation("secret-storage", peers_data={1: {}})
    state = testing.State(relations=[ingress, peers])
    api.run(ctx, "relation_changed", state, ingress, remote_unit=0)
    assert api.run_action(ctx, "rotate-secret-key", testing.State()).results == {"rotated": "yes"}
