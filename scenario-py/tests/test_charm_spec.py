"""The charm's spec and root: the metadata, config and actions a Context is given (a dict, a
whole charmcraft.yaml) or reads from the charm's directory (metadata.yaml, config.yaml and
actions.yaml, or charmcraft.yaml), what the charm sees of them in its charm directory
(the virtual charm root, or one the test gives, whose files are kept), and
``ctx._charm_spec``. A spec of the wrong shape is test_refused_inputs.py's; charmcraft's
extensions, test_charmcraft_extensions.py's.
"""

import importlib.util
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import ClassVar

import ops
import pytest

from scenario import Context, State
from scenario.context import ContextSetupError
from scenario.runtime import UncaughtCharmError
from scenario.state import MetadataNotFoundError

META = {"name": "app"}


class ConfigCharm(ops.CharmBase):
    seen = None

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config)

    def _on_config(self, _):
        ConfigCharm.seen = dict(self.config)


def test_meta_without_name_fails_at_run(api):
    ctx = Context(ops.CharmBase, meta={"requires": {}}, config={"options": {}})
    with pytest.raises(ValueError, match='"name"'):
        api.run(ctx, "start", State())


def test_meta_defaults_to_the_class_name_when_only_config_is_given():
    ctx = Context(ConfigCharm, config={"options": {}})
    assert ctx._charm_spec.meta == {"name": "ConfigCharm"}


class ConfigReader(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._on_config_changed)
        framework.observe(self.on.go_action, self._on_go)

    def _on_config_changed(self, _):
        self.unit.status = ops.ActiveStatus(f"{self.config['colour']} {self.meta.name}")

    def _on_go(self, event):
        event.set_results({"x": event.params["x"]})


CHARMCRAFT = {
    "name": "whole",
    "type": "charm",
    "summary": "s",
    "description": "d",
    "config": {"options": {"colour": {"type": "string", "default": "blue"}}},
    "actions": {"go": {"params": {"x": {"type": "string", "default": "y"}}}},
}


def test_meta_may_be_a_whole_charmcraft_yaml(testing):
    ctx = testing.Context(ConfigReader, meta=CHARMCRAFT)
    out = ctx.run(ctx.on.config_changed(), testing.State())
    assert out.unit_status == testing.ActiveStatus("blue whole")
    ctx.run(ctx.on.action("go", params={"x": "z"}), testing.State())
    assert ctx.action_results == {"x": "z"}
    assert "actions" in CHARMCRAFT  # the caller's dict is not changed


@pytest.mark.parametrize("key", ["actions", "config"])
def test_config_or_actions_given_twice_is_an_error(testing, key):
    with pytest.raises(
        ValueError, match=f"Cannot specify {key} in both charmcraft.yaml and separately"
    ):
        testing.Context(ConfigReader, meta=CHARMCRAFT, **{key: {}})


# --- autoloaded from the charm's directory ---------------------------------------------------


def _charm_module(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(
        f"charm_{abs(hash(tmp_path))}", tmp_path / "src" / "charm.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.MyCharm


CHARM_PY = """
    import ops

    class MyCharm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.config_changed, self._on_config)

        def _on_config(self, _):
            self.unit.status = ops.ActiveStatus(f"{self.meta.name} {self.config['port']}")
"""


def test_autoload_reads_metadata_config_and_actions(api, tmp_path):
    charm = _charm_module(
        tmp_path,
        {
            "src/charm.py": CHARM_PY,
            "metadata.yaml": "name: legacy\n",
            "config.yaml": "options:\n  port: {type: int, default: 7}\n",
            "actions.yaml": "do: {}\n",
        },
    )
    ctx = Context(charm)
    assert ctx._charm_spec.is_autoloaded
    assert ctx._charm_spec.actions == {"do": {}}
    assert api.run(ctx, "config_changed", State()).unit_status == ops.ActiveStatus("legacy 7")
    out = api.run(ctx, "config_changed", State(config={"port": 9}))
    assert out.unit_status == ops.ActiveStatus("legacy 9")


def test_autoload_reads_charmcraft_yaml(api, tmp_path):
    charm = _charm_module(
        tmp_path,
        {
            "src/charm.py": CHARM_PY,
            "charmcraft.yaml": """
                type: charm
                name: crafted
                summary: s
                description: d
                config:
                  options:
                    port: {type: int, default: 9}
                actions:
                  go: {params: {x: {type: string, default: "y"}}}
            """,
        },
    )
    ctx = Context(charm)
    assert ctx._charm_spec.meta["name"] == "crafted"
    assert "config" not in ctx._charm_spec.meta
    assert "actions" not in ctx._charm_spec.meta
    assert ctx._charm_spec.actions == {"go": {"params": {"x": {"type": "string", "default": "y"}}}}
    assert api.run(ctx, "config_changed", State()).unit_status == ops.ActiveStatus("crafted 9")


def test_autoload_without_metadata_is_a_clear_error(tmp_path):
    charm = _charm_module(tmp_path, {"src/charm.py": CHARM_PY})
    with pytest.raises(ContextSetupError, match="metadata") as info:
        Context(charm)
    assert isinstance(info.value.__cause__, MetadataNotFoundError)


# --- the charm root --------------------------------------------------------------------------


def test_a_charm_sees_its_spec_files_in_its_charm_dir(api):
    seen = {}

    class DirCharm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            seen["meta"] = (self.charm_dir / "metadata.yaml").read_text()

    api.run(Context(DirCharm, meta={"name": "dir-app"}), "start", State())
    assert "dir-app" in seen["meta"]


def test_the_charm_spec_answers_to_ops_testings_private_name_too():
    # ops[testing] keeps it as ctx._charm_spec; suites and plugins read it there.
    ctx = Context(ops.CharmBase, meta={"name": "spec-reader"})
    assert ctx._charm_spec is ctx._charm_spec
    assert ctx._charm_spec.meta["name"] == "spec-reader"


def test_charm_spec_is_deprecated_as_in_ops_testing():
    ctx = Context(ConfigCharm, meta={"name": "app"})
    with pytest.warns(DeprecationWarning, match="charm_spec"):
        spec = ctx.charm_spec
    assert spec is ctx._charm_spec
    assert spec.meta == {"name": "app"}


def test_charm_root_is_the_charm_s_directory(testing, tmp_path):
    class RootReader(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            self.unit.status = ops.ActiveStatus(str(self.charm_dir))

    ctx = testing.Context(RootReader, meta=META, charm_root=tmp_path)
    assert ctx.run(ctx.on.start(), testing.State()).unit_status.message == str(tmp_path)


class RootCharm(ops.CharmBase):
    seen: ClassVar[dict] = {}

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        RootCharm.seen = {
            "charm_dir": self.charm_dir,
            "name": self.meta.name,
            "metadata.yaml": (self.charm_dir / "metadata.yaml").read_text(),
        }


def test_a_given_charm_root_keeps_the_users_files():
    with tempfile.TemporaryDirectory() as td:
        root = Path(td)
        (root / "metadata.yaml").write_text("name: users-own\n")
        (root / "src").mkdir()
        (root / "src" / "extra.txt").write_text("mine")
        RootCharm.seen = {}
        ctx = Context(charm_type=RootCharm, meta={"name": "my-charm-name"}, charm_root=td)
        ctx.run("start", State())
        # during the run the charm saw the meta given to Context
        assert "my-charm-name" in RootCharm.seen["metadata.yaml"]
        # afterwards the user's file is back
        assert (root / "metadata.yaml").read_text() == "name: users-own\n"
        assert (root / "src" / "extra.txt").read_text() == "mine"
        # and a second run on the same root works as the first (5.8.1 left its SQLite
        # store, .unit-state.db, in a given charm root, for the next run to find)
        ctx.run("start", State())
        assert (root / "metadata.yaml").read_text() == "name: users-own\n"


class RaisingRootCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        raise RuntimeError("the charm fails")


def test_a_given_charm_root_is_restored_when_the_charm_fails():
    # Failure paths restore the user's files too: 5.8.1 restored them after the yield of a
    # generator context manager, which a charm's exception skipped.

    with tempfile.TemporaryDirectory() as td:
        root = Path(td)
        (root / "metadata.yaml").write_text("name: users-own\n")
        ctx = Context(RaisingRootCharm, meta={"name": "my-charm-name"}, charm_root=td)
        with pytest.raises(UncaughtCharmError):
            ctx.run("start", State())
        assert (root / "metadata.yaml").read_text() == "name: users-own\n"
        assert not (root / "actions.yaml").exists()
        assert not (root / "config.yaml").exists()
