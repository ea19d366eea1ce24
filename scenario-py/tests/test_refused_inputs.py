"""Bad input is refused where it is given, with an error naming it (README: "Refused
inputs"). Each case here was accepted silently, or failed later blaming the charm."""

import datetime

import ops
import pytest

from scenario import Container, Context, Mount, Secret, State, Storage
from scenario.errors import ContextSetupError, JujuStricterWarning, ScenarioWarning
from scenario.state import DeferredEvent, StateValidationError

META = {"name": "refusals", "containers": {"workload": {}}}


class _Charm(ops.CharmBase):
    """Runs whatever the test puts in ``act`` on start."""

    act = staticmethod(lambda charm: None)

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _: ops.StartEvent):
        type(self).act(self)


def _run_start(act, *, strict=False, state=None, **context_kwargs):
    charm = type("ActingCharm", (_Charm,), {"act": staticmethod(act)})
    ctx = Context(charm, meta=context_kwargs.pop("meta", META), strict=strict, **context_kwargs)
    return ctx.run(
        ctx.on.start(), state or State(containers=[Container("workload", can_connect=True)])
    )


# --- Pebble layers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layer", "named"),
    [
        (
            {"services": {"web": {"override": "mrege"}}},
            r"services\['web'\]\['override'\] is \"mrege\"",
        ),
        (
            {"services": {"web": {"override": "replace", "startup": "on"}}},
            r"services\['web'\]\['startup'\] is \"on\"",
        ),
        (
            {"checks": {"up": {"override": "replace", "level": "deep"}}},
            r"checks\['up'\]\['level'\]",
        ),
        (
            {"log-targets": {"l": {"override": "merge", "type": "syslog"}}},
            r"log-targets\['l'\]\['type'\] is \"syslog\"",
        ),
    ],
)
def test_a_state_layer_with_a_value_pebble_refuses(layer, named):
    with pytest.raises(StateValidationError, match=r"Container.layers\['base'\]\." + named):
        Container("workload", layers={"base": layer})


def test_a_state_document_layer_with_a_value_pebble_refuses():
    text = '{"containers": [{"name": "w", "layers": {"b": {"checks": {"up": {"level": 3}}}}}]}'
    with pytest.raises(ValueError, match=r"containers\['w'\].layers\['b'\].checks\['up'\]"):
        State.from_json(text)


def test_a_state_layer_may_leave_out_override():
    # A plan's layers are already in Pebble: tests commonly leave `override` out.
    container = Container("workload", layers={"base": {"services": {"web": {"command": "w"}}}})
    assert container.layers["base"].services["web"].command == "w"


def test_a_state_layer_of_the_wrong_type_names_it():
    with pytest.raises(TypeError, match=r"Container.layers\['base'\] must be an ops.pebble.Layer"):
        Container("workload", layers={"base": 3})


def test_add_layer_with_a_value_pebble_refuses_is_stricter_then_an_error_in_strict_mode():
    layer = {"services": {"web": {"override": "replace", "command": "w", "startup": "on"}}}

    def act(charm):
        charm.unit.get_container("workload").add_layer("odd", layer)

    with pytest.warns(JujuStricterWarning, match=r"Pebble refuses layer \"odd\""):
        _run_start(act)
    with pytest.raises(Exception, match=r"Pebble refuses layer \"odd\"") as info:
        _run_start(act, strict=True)
    assert "startup" in str(info.value)


# --- Secrets, mounts ----------------------------------------------------------------------


def test_secret_expire_must_read_as_a_datetime():
    with pytest.raises(StateValidationError, match=r"Secret.expire .* got \"notadate\""):
        Secret({"a": "b"}, expire="notadate")
    with pytest.raises(TypeError, match=r"Secret\.expire must be a datetime, got int"):
        Secret({"a": "b"}, expire=3)
    when = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    assert Secret({"a": "b"}, expire=when.isoformat()).expire == when


def test_secret_remote_grants_are_named():
    with pytest.raises(TypeError, match=r"Secret\.remote_grants keys"):
        Secret({"a": "b"}, remote_grants={"db": ["remote/0"]})
    with pytest.raises(StateValidationError, match=r"Secret.remote_grants\[1\]"):
        Secret({"a": "b"}, remote_grants={1: "remote/0"})


def test_mount_paths_are_named(tmp_path):
    with pytest.raises(TypeError, match=r"Mount\.location must be a path in the container"):
        Mount(location=3, source=tmp_path)
    with pytest.raises(TypeError, match=r"Mount\.source must be a path"):
        Mount(location="/data", source=3)


# --- Deferred events ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("nonsense", "MyCharm", "_on_start"), "handle_path"),
        (("MyCharm/on/start", "MyCharm", "_on_start"), "handle_path"),
        (("MyCharm/on/start[x]", "MyCharm", "_on_start"), "handle_path"),
        (("MyCharm/on/start[1]", "", "_on_start"), "owner"),
        (("MyCharm/on/start[1]", "MyCharm", "not a method"), "observer"),
    ],
)
def test_a_deferred_event_ops_could_not_reemit_is_refused(args, field):
    with pytest.raises(StateValidationError, match=f"DeferredEvent.{field}"):
        DeferredEvent(*args)


def test_a_deferred_event_in_json_is_checked_as_well():
    text = '{"deferred": [{"handle_path": "x", "owner": "C", "observer": "_o"}]}'
    with pytest.raises(ValueError, match=r'DeferredEvent\.handle_path "x"'):
        State.from_json(text)


@pytest.mark.parametrize(
    ("deferred", "problem"),
    [
        (("ActingCharm/on/install[1]", "ActingCharm", "_on_start"), "observes no event 'install'"),
        (("ActingCharm/on/start[1]", "Elsewhere", "_on_start"), "no object 'Elsewhere'"),
        (("ActingCharm/on/start[1]", "ActingCharm", "_on_nothing"), "no method '_on_nothing'"),
    ],
)
def test_a_deferred_event_ops_would_drop_is_warned_of(deferred, problem):
    state = State(deferred=[DeferredEvent(*deferred)])
    with pytest.warns(ScenarioWarning, match=problem):
        out = _run_start(lambda charm: None, state=state)
    assert out.deferred == []


# --- The charm and its spec ----------------------------------------------------------------


class NotACharm:
    pass


@pytest.mark.parametrize("charm_type", [NotACharm, 3, ops.Object])
def test_a_charm_type_must_be_a_charm_class(charm_type):
    with pytest.raises(ContextSetupError, match=r"must be a subclass of ops\.CharmBase"):
        Context(charm_type, meta={"name": "x"})


@pytest.mark.parametrize("meta", ["name: app", ["name", "app"], 3])
def test_metadata_that_is_not_a_mapping_is_a_setup_error(meta):
    # Both originals failed with an AttributeError from deep inside.
    with pytest.raises(ContextSetupError, match="meta must be a mapping"):
        Context(ops.CharmBase, meta=meta)


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ({"meta": {"name": "x", "requires": ["db"]}}, r"meta\['requires'\] must be a mapping"),
        (
            {"meta": {"name": "x", "requires": {"db": {}}}},
            r"meta\['requires'\]\['db'\]\['interface'\]",
        ),
        ({"meta": {"name": 3}}, r"meta\['name'\] must be a string"),
        ({"meta": {"name": "x"}, "actions": {"a": ["x"]}}, r"actions\['a'\] must be a mapping"),
        ({"meta": {"name": "x"}, "config": {"options": {"a": 3}}}, r"config\['options'\]\['a'\]"),
        (
            {"meta": {"name": "x", "containers": {"c": {"mounts": 5}}}},
            r"meta\['containers'\]\['c'\]\['mounts'\] must be a list",
        ),
        (
            {"meta": {"name": "x", "containers": {"c": {"mounts": ["data"]}}}},
            r"meta\['containers'\]\['c'\]\['mounts'\]\[0\] must be a mapping",
        ),
    ],
)
def test_a_spec_of_the_wrong_shape_is_refused_by_the_context(spec, named):
    with pytest.raises(ContextSetupError, match=named):
        Context(ops.CharmBase, **spec)


def test_a_storage_without_a_type_is_stricter_and_runs_as_a_filesystem():
    # ops[testing] took it when the Context was made (its run then failed inside ops).
    class StorageCharm(ops.CharmBase):
        def __init__(self, framework):
            super().__init__(framework)
            framework.observe(self.on.start, self._on_start)

        def _on_start(self, _):
            self.unit.status = ops.ActiveStatus(self.meta.storages["data"].type)

    meta = {"name": "x", "storage": {"data": {}}}
    with pytest.warns(JujuStricterWarning, match=r"meta\['storage'\]\['data'\]\['type'\]"):
        ctx = Context(StorageCharm, meta=meta)
    out = ctx.run(ctx.on.start(), State(storages={Storage("data")}))
    assert out.unit_status == ops.ActiveStatus("filesystem")
    with pytest.raises(ContextSetupError, match=r"\['type'\]"):
        Context(StorageCharm, meta=meta, strict=True)


def test_an_unset_config_option_of_unknown_type_is_stricter():
    config = {"options": {"colour": {"type": "colour"}, "name": {"type": "string"}}}
    with pytest.warns(JujuStricterWarning, match=r"config option 'colour' has type 'colour'"):
        _run_start(lambda charm: None, config=config)
    with pytest.raises(Exception, match="colour"):
        _run_start(lambda charm: None, config=config, strict=True)


# --- State documents ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[]", "1", '"leader"', "null"])
def test_a_state_document_must_be_a_mapping(text):
    with pytest.raises(ValueError, match="a mapping of its fields"):
        State.from_json(text)


def test_an_unknown_key_is_named_with_the_closest_field():
    with pytest.raises(ValueError, match=r'unknown key "leadr", did you mean "leader"\?'):
        State.from_json('{"leadr": true}')
    with pytest.raises(ValueError, match=r'unknown key "leadr", did you mean "leader"\?'):
        State.from_yaml("leadr: true\n")


@pytest.mark.parametrize(
    ("reader", "text"),
    [
        (State.from_json, '{"config": {"a": ' + "[" * 50_000 + "]" * 50_000 + "}}"),
        (State.from_yaml, "config: {a: " + "[" * 50_000 + "]" * 50_000 + "}\n"),
    ],
)
def test_a_document_nested_thousands_deep_is_refused(reader, text):
    with pytest.raises(ValueError, match="nested deeper than 128 levels"):
        reader(text)


def test_a_value_nested_past_the_limit_is_refused_naming_its_key():
    deep: list = []
    for _ in range(200):
        deep = [deep]
    with pytest.raises(TypeError, match=r"config\[\"a\"\]: the value nests deeper than 128"):
        State(config={"a": deep})


# --- Hook tools -----------------------------------------------------------------------------


def test_a_hook_tool_argument_of_the_wrong_type_is_named():
    def act(charm):
        charm.app.add_secret({"key": "value"}, label=3)

    with pytest.raises(Exception) as info:
        _run_start(act, state=State(leader=True))
    assert "secret_add() argument 'label'" in str(info.value.__cause__ or info.value)


def test_add_layer_to_an_unreachable_pebble_fails_for_that_alone():
    # The call fails with ConnectionError; the layer's own problems are not warned of.
    layer = {"services": {"web": {"command": "w"}}}

    def act(charm):
        charm.unit.get_container("workload").add_layer("plain", layer)

    state = State(containers=[Container("workload", can_connect=False)])
    with pytest.raises(Exception) as info:
        _run_start(act, state=state)
    assert isinstance(info.value.__cause__, ops.pebble.ConnectionError)


def test_a_container_declared_with_nothing_to_say_is_taken():
    # `containers: {workload: }` in YAML: a container with no mounts or resource.
    ctx = Context(ops.CharmBase, meta={"name": "x", "containers": {"workload": None}})
    out = ctx.run(ctx.on.start(), State(containers={Container("workload", can_connect=True)}))
    assert out.get_container("workload").can_connect
