"""What the ecosystem around ops[testing] runs on this package: pytest-interface-tester
driving a charm through a local interface spec (or, where it is not installed, the calls it
makes), the event paths it reads, and ops[tracing]'s spans in ``ctx.trace_data``. The names
``ops.testing`` and other tools import are test_packaging.py's.
"""

import dataclasses
import importlib
import importlib.util
import subprocess
import sys
import textwrap

import ops
import ops.testing
import pytest

import scenario

# pytest-interface-tester is installed (without its own ops-scenario) in one venv of the
# matrix only; elsewhere the tests below make the calls it makes themselves.
HAS_INTERFACE_TESTER = importlib.util.find_spec("interface_tester") is not None
HAS_OPS_TRACING = importlib.util.find_spec("ops_tracing") is not None


# --- the names -------------------------------------------------------------------------------


# --- custom events ---------------------------------------------------------------------------


# --- pytest-interface-tester -----------------------------------------------------------------


class DbProvider(ops.CharmBase):
    """Publishes a database's address on its ``database`` endpoint."""

    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.database_relation_changed, self._on_changed)

    def _on_changed(self, event):
        if self.unit.is_leader():
            event.relation.data[self.app]["host"] = "db.example"
            event.relation.data[self.app]["port"] = "5432"


DB_META = {"name": "db", "provides": {"database": {"interface": "mydb"}}}


def _as_interface_tester_runs(event_name, template, relations):
    """Run DbProvider as pytest-interface-tester 3.x's ``Tester.run`` would,
    with the calls it makes on this package; the output relation under test."""
    from scenario.context import CharmEvents
    from scenario.state import _Event

    state = dataclasses.replace(template)
    relations = [dataclasses.replace(r, endpoint="database") for r in relations] or [
        scenario.Relation(interface="mydb", endpoint="database")
    ]
    state = dataclasses.replace(state, relations=relations)
    kind = event_name.rsplit("-relation-", 1)[1]
    event = getattr(CharmEvents, f"relation_{kind}")(relations[0])
    assert isinstance(event, _Event)
    suffix = event.path.python_suffix
    event = dataclasses.replace(event, relation=relations[0], path=relations[0].endpoint + suffix)
    assert event.name == f"database_relation_{kind}"
    ctx = scenario.Context(DbProvider, meta=DB_META, actions=None, config=None)
    out = ctx.run(event, state)
    [out_relation] = [r for r in out.relations if r.interface == "mydb"]
    return out_relation


def test_what_pytest_interface_tester_does_with_this_package():
    """The calls pytest-interface-tester 3.x makes made here directly."""
    from scenario.errors import MetadataNotFoundError
    from scenario.state import _DEFAULT_JUJU_DATABAG, _CharmSpec

    with pytest.raises(MetadataNotFoundError):
        _CharmSpec.autoload(DbProvider)
    spec = _CharmSpec(meta=DB_META, actions=None, config=None, charm_type=DbProvider)
    assert (spec.meta, spec.actions, spec.config) == (DB_META, None, None)
    relation = scenario.Relation(interface="mydb", endpoint="whatever")
    out = _as_interface_tester_runs("x-relation-changed", scenario.State(leader=True), [relation])
    assert out.id == relation.id
    assert out.local_app_data == {"host": "db.example", "port": "5432"}
    assert set(out.local_unit_data) - set(_DEFAULT_JUJU_DATABAG) == set()


def test_event_path_suffix_differs_from_8_9():
    """pytest-interface-tester reads ``event.path.suffix``, which 8.9 renamed
    ``python_suffix``, so its Tester fails on 8.9; this package
    keeps 8.8's names too."""
    path = scenario.CharmEvents.relation_changed(scenario.Relation("foo-bar")).path
    if hasattr(scenario, "_scenario"):
        assert (path.suffix, path.prefix, path.name) == (
            "_relation_changed",
            "foo_bar",
            "foo_bar_relation_changed",
        )
    else:
        assert not hasattr(path, "suffix")


SCHEMA = """
from interface_tester.schema_base import DataBagSchema
from pydantic import BaseModel


class ProviderAppData(BaseModel):
    host: str
    port: str


class ProviderSchema(DataBagSchema):
    app: ProviderAppData
"""

PROVIDER_TESTS = """
from interface_tester import Tester
from scenario import Relation, State


def test_data_published_on_changed():
    t = Tester(State(relations=[Relation(endpoint="any", interface="mydb")]))
    t.run("database-relation-changed")
    t.assert_schema_valid()


def test_nothing_published_on_created():
    t = Tester(State())
    t.run("database-relation-created")
    t.assert_relation_data_empty()
"""


def _spec_repo(root):
    """A git repository holding the interface spec ``mydb`` v0, as charm-relation-interfaces
    lays one out."""
    version = root / "interfaces" / "mydb" / "v0"
    (version / "interface_tests").mkdir(parents=True)
    (version / "schema.py").write_text(textwrap.dedent(SCHEMA))
    (version / "interface.yaml").write_text("providers: []\nrequirers: []\nmaintainer: me\n")
    (version / "interface_tests" / "test_provider.py").write_text(textwrap.dedent(PROVIDER_TESTS))
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "-c",
        "init.defaultBranch=main",
    ]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "spec"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)


# The plugin leaves the pipes of its `git clone` open; that warning is the plugin's.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_pytest_interface_tester_runs_a_local_spec(tmp_path):
    template = scenario.State(leader=True)
    if not HAS_INTERFACE_TESTER:
        # Not installed in this venv: the spec's two cases, run as its Tester runs them.
        changed = _as_interface_tester_runs("database-relation-changed", template, [])
        assert changed.local_app_data == {"host": "db.example", "port": "5432"}
        assert (
            _as_interface_tester_runs("database-relation-created", template, []).local_app_data
            == {}
        )
        return
    from interface_tester import InterfaceTester

    repo = tmp_path / "relation-interfaces"
    repo.mkdir()
    _spec_repo(repo)
    tester = InterfaceTester()
    tester.configure(
        charm_type=DbProvider,
        meta=DB_META,
        repo=str(repo),
        branch="main",
        interface_name="mydb",
        interface_version=0,
        state_template=template,
    )
    try:
        tester.run()
    finally:
        # The plugin imports the spec's modules from sys.path: leave nothing behind.
        sys.modules.pop("schema", None)
    assert tester._charm_spec.meta == DB_META


# --- ops[tracing] ----------------------------------------------------------------------------


class TracingCharm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        try:
            from opentelemetry import trace
        except ImportError:  # ops 2.x does not depend on OpenTelemetry
            self.unit.status = ops.ActiveStatus("no tracing")
            return
        with trace.get_tracer("charm").start_as_current_span("charm-work"):
            self.unit.status = ops.ActiveStatus("traced")


def test_trace_data(testing):
    ctx = testing.Context(TracingCharm, meta={"name": "app"})
    assert ctx.trace_data == []
    ctx.run(ctx.on.start(), testing.State())
    if not HAS_OPS_TRACING:
        # Without ops[tracing] nothing is recorded, even where the charm makes spans.
        assert ctx.trace_data == []
        return
    spans = {span.name: span for span in ctx.trace_data}
    assert {"ops.main", "charm-work"} <= set(spans)
    root, work = spans["ops.main"], spans["charm-work"]
    assert root.parent is None
    assert work.context.trace_id == root.context.trace_id
    first = len(ctx.trace_data)
    ctx.run(ctx.on.start(), testing.State())
    # Each run adds its spans, in a trace of its own.
    assert len(ctx.trace_data) == 2 * first
    assert len({span.context.trace_id for span in ctx.trace_data}) == 2
