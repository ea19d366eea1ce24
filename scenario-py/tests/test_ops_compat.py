"""``_ops_compat`` alone names ops's private side, and each of its touch points works on
the ops installed (the test command runs this file on every ops version it covers)."""

import ast
import contextlib
import sys
from pathlib import Path
from typing import Iterator, Optional, Set, Tuple

import ops
import ops.model
import pytest

from scenario import Container, Context, Relation, State
from scenario_rs import _ops_compat as compat

PACKAGE = Path(__file__).parents[1] / "python" / "scenario_rs"
OPS_VERSION = tuple(int(p) for p in ops.__version__.split(".")[:2])

# Private names this package has of its own that ops also happens to use: each is ours,
# never ops's, wherever the package reads it.
OURS_TOO = {
    "_run": "Context._run, ops[testing]'s private entry to a run, which tools call",
    "_path": "Event._path, the parsed path both originals' events had",
    "_kind": "Event._kind, the kind of an event the engine classified",
    "_charm_root": "Runtime._charm_root, as ops[testing]'s private Runtime held it",
}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _ops_private_names() -> Set[str]:
    """Every private name ops's own code defines or reads (its testing harness aside)."""
    found: Set[str] = set()
    for source in Path(ops.__file__).parent.rglob("*.py"):
        if source.name in ("harness.py", "testing.py"):
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                found.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if _private(node.name):
                    found.add(node.name)
    return found


OPS_PRIVATE = _ops_private_names()
MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.stem != "_ops_compat")


def _touches(source: Path) -> Iterator[Tuple[int, str]]:
    """Where a module names something private of ops: an import from a private ops module
    or of a private name from ops, a private attribute ops has (read, written, defined as
    a method) or named as a string to getattr and friends."""
    for node in ast.walk(ast.parse(source.read_text())):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0]
            in (
                "ops",
                "ops_tracing",
            )
        ):
            if any(_private(p) for p in node.module.split(".")):
                yield node.lineno, f"from {node.module} import"
            for alias in node.names:
                if _private(alias.name):
                    yield node.lineno, f"from {node.module} import {alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in ("ops", "ops_tracing") and any(_private(p) for p in parts):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.Attribute) and node.attr in OPS_PRIVATE:
            if node.attr not in OURS_TOO:
                yield node.lineno, f".{node.attr}"
        elif isinstance(node, ast.ClassDef) and any(map(_is_ops_class, node.bases)):
            # A subclass of an ops class overriding one of its private methods.
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if item.name in OPS_PRIVATE and item.name not in OURS_TOO:
                        yield item.lineno, f"def {node.name}.{item.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr", "delattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in OPS_PRIVATE
            and node.args[1].value not in OURS_TOO
        ):
            yield node.lineno, f"{node.func.id}(..., {node.args[1].value!r})"


# The compat module's bases for ops's classes: what subclasses them subclasses ops.
COMPAT_BASES = {"ModelBackendBase", "PebbleClientBase", "FrameworkBase"}


def _is_ops_class(base: ast.expr) -> bool:
    """Whether a class's base is one of ops's classes (``ops.x.Y``, or a compat base)."""
    if isinstance(base, ast.Name):
        return base.id in COMPAT_BASES
    while isinstance(base, ast.Attribute):
        base = base.value
    return isinstance(base, ast.Name) and base.id == "ops"


@pytest.mark.parametrize("source", MODULES, ids=lambda p: p.stem)
def test_only_the_compat_module_names_ops_private_side(source):
    touches = list(_touches(source))
    assert not touches, (
        f"{source.name} names ops's private side (move it to _ops_compat): "
        + ", ".join(f"line {line}: {what}" for line, what in touches)
    )


def test_the_names_the_package_shares_with_ops_are_its_own():
    # Each shared name is defined by this package (some ops versions use it too).
    defined: Set[str] = set()
    for source in MODULES:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                defined.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined.add(node.name)
    # `_kind` and `_path` are defined by the compiled Event (and `_path` in state.py).
    defined |= {"_kind"}
    assert set(OURS_TOO) <= defined


def test_the_scan_finds_a_touch(tmp_path):
    # The check itself: a module naming ops's private side is caught.
    source = tmp_path / "probe.py"
    source.write_text(
        "import ops\n"
        "from ops.model import _ModelBackend\n"
        "def f(model):\n"
        "    return model._backend, getattr(model, '_cache')\n"
        "class B(ops.model.Model):\n"
        "    def _invalidate(self): pass\n"
    )
    found = sorted(what for _, what in _touches(source))
    assert found == sorted(
        [
            "from ops.model import _ModelBackend",
            "._backend",
            "getattr(..., '_cache')",
            "def B._invalidate",
        ]
    )


# --- each touch point, against the ops installed ---------------------------------------------


class Charm(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)
        framework.observe(self.on.collect_unit_status, self._on_collect)

    def _on_start(self, _: ops.StartEvent) -> None:
        pass

    def _on_collect(self, event: ops.CollectStatusEvent) -> None:
        event.add_status(ops.ActiveStatus("collected"))


META = {"name": "app", "requires": {"db": {"interface": "sql"}}, "containers": {"c": {}}}


@contextlib.contextmanager
def _in_charm(state: Optional[State] = None) -> Iterator[Tuple[ops.CharmBase, None]]:
    ctx = Context(Charm, meta=META)
    with ctx(ctx.on.start(), state or State()) as mgr:
        yield mgr.charm, None


def test_the_model_backend_base_refuses_any_other_hook_tool():
    with _in_charm() as (charm, _):
        backend = compat.model_backend_of(charm.model)
        assert isinstance(backend, compat.ModelBackendBase)
        with pytest.raises(ops.model.ModelError, match="not simulated"):
            backend._run("some-tool")  # the one private method the base overrides


def test_the_backend_takes_a_juju_context_from_ops_3():
    assert compat.BACKEND_TAKES_JUJU_CONTEXT == (OPS_VERSION >= (2, 16))


def test_action_results_are_checked_as_ops_checks_them():
    compat.check_action_results({"a": "1", "b": {"c": "2"}})
    with pytest.raises(ValueError):
        compat.check_action_results({"A": "1"})  # keys are lower case


def test_hook_tool_errors_get_ops_notes_where_ops_adds_them():
    with _in_charm() as (charm, _):
        backend = compat.model_backend_of(charm.model)
        error = ops.model.ModelError("boom")
        if compat.can_note_hook_tool_errors(backend):
            compat.note_hook_tool_error(backend, error, "config-get", {})
            # ops adds notes on Python 3.11 and later.
            assert bool(getattr(error, "__notes__", None)) == (sys.version_info >= (3, 11))
        else:
            assert OPS_VERSION < (3, 8)


def test_the_peer_endpoints_are_told_to_the_backend():
    with _in_charm() as (charm, _):
        backend = compat.model_backend_of(charm.model)
        compat.tell_peer_endpoints(backend, charm.meta)


def test_the_pebble_client_base_refuses_a_socket_request():
    with _in_charm(State(containers=[Container("c", can_connect=True)])) as (charm, _):
        client = charm.unit.get_container("c").pebble
        assert isinstance(client, compat.PebbleClientBase)
        with pytest.raises(ops.pebble.ConnectionError, match="does not simulate"):
            client._request("GET", "/v1/anything")


def test_the_framework_base_tells_each_emitted_event():
    ctx = Context(Charm, meta=META, capture_framework_events=True)
    with ctx(ctx.on.start(), State()) as mgr:
        assert isinstance(mgr.charm.framework, compat.FrameworkBase)
        mgr.run()
    kinds = [type(e).__name__ for e in ctx.emitted_events]
    assert kinds[0] == "StartEvent" and "CommitEvent" in kinds


def test_abort_is_ops_own_from_2_16():
    if OPS_VERSION >= (2, 16):
        assert compat.ABORT.__name__ == "_Abort"
        with pytest.raises(compat.ABORT):
            compat.abort_dispatch()
    else:
        compat.abort_dispatch()  # nothing to raise


def test_the_registries_the_deferred_events_are_checked_against():
    with _in_charm() as (charm, _):
        kinds = compat.registered_event_kinds(charm.framework)
        observing = compat.observers(charm.framework)
        assert kinds is not None and (f"{type(charm).__name__}/on", "start") in kinds
        assert observing is not None and type(charm).__name__ in observing


def test_collect_status_is_evaluated():
    with _in_charm() as (charm, _):
        compat.evaluate_status(charm)
        assert charm.unit.status == ops.ActiveStatus("collected")


def test_a_released_run_lets_go_of_its_framework_and_charm():
    ctx = Context(Charm, meta=META)
    with ctx(ctx.on.start(), State()) as mgr:
        mgr.run()  # the run committed, and released its framework and charm
        charm = mgr.charm
        framework = charm.framework
        compat.release(framework, charm)  # again: nothing left to let go
    assert "_stored" not in vars(framework)
    for obj in (framework, charm):
        descriptor = type(obj).__dict__.get("on") or getattr(type(obj), "on", None)
        assert obj not in getattr(descriptor, "_cache", {})


def test_the_charm_is_constructed_in_ops_init_context():
    with _in_charm() as (charm, _):
        with compat.charm_construction(charm.framework):
            pass


def test_notices_and_forget_reach_the_framework_store():
    with _in_charm() as (charm, _):
        assert list(compat.notices(charm.framework)) == []
        obj = ops.framework.CommitEvent(ops.Handle(None, "commit", "1"))
        with contextlib.suppress(KeyError):  # not registered: ops keys objects by path
            compat.forget(charm.framework, obj)


def test_a_juju_context_is_made_from_an_environment():
    env = {"JUJU_UNIT_NAME": "app/0", "JUJU_VERSION": "3.6.0"}
    if OPS_VERSION < (2, 17):
        # ops 2.10 reads the environment itself: there is no JujuContext to make.
        with pytest.raises(ImportError):
            compat.juju_context_from(env)
        return
    assert str(compat.juju_context_from(env).version) == "3.6.0"


def test_the_security_log_cache_is_forgotten():
    compat.forget_security_log()  # on ops without the cache, nothing happens


def test_model_internals_for_recorded_events():
    with _in_charm(State(relations=[Relation("db")])) as (charm, _):
        model = charm.model
        backend = compat.model_backend_of(model)
        cache = compat.model_cache_of(model)
        finished = compat.FinishedModel(charm.meta, backend)
        assert compat.model_backend_of(finished) is backend
        compat.share_cache_table(compat.model_cache_of(finished), cache)
        assert finished.get_app("app").name == "app"
        compat.invalidate_relations(model.relations, "db")
        assert len(model.relations["db"]) == 1
        for name in compat.RUN_HOLDING_ATTRIBUTES:
            assert hasattr(model, name)


def test_a_run_is_traced_where_ops_tracing_is_installed():
    ctx = Context(Charm, meta=META)
    ctx.run(ctx.on.start(), State())
    assert bool(ctx.trace_data) == compat.tracing_installed()
