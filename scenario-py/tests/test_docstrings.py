"""What a charm author reads in the IDE: every public name of ``scenario``, and every public
method and property of its classes (the state classes, the Context and its managers,
``ctx.on``'s factories, the statuses, the errors), has a docstring that says something
(at least ``MIN_LENGTH`` characters).

The classes compiled from Rust are documented twice: at run time (``help()``, the
``__doc__`` pyo3 builds from the Rust doc comments) and in ``_scenario.pyi``, which IDEs
read instead of the compiled module. Both must be there and say the same words. The classes
written in Python need no stub: their source is what the IDE reads, and the run-time
docstring is that source's.
"""

from __future__ import annotations

import ast
import inspect
import pathlib
from typing import Any, Dict, Iterator, List, Optional, Tuple

import ops
import pytest

import scenario
from scenario import errors
from scenario_rs import _scenario

MIN_LENGTH = 40

# Type aliases are typing constructs (or `int` itself): they cannot carry a docstring of
# their own, and setting one would change it for every user of the construct.
TYPE_ALIASES = {
    "AnyJson",
    "CharmType",
    "RawDataBagContents",
    "RawSecretRevisionContents",
    "UnitID",
}

# The stubs of the compiled module: the source when the tests run from the repo (what a
# maintainer edits), else the copy installed beside the module.
_SOURCE_STUB = pathlib.Path(__file__).parents[1] / "python" / "scenario_rs" / "_scenario.pyi"
STUB = (
    _SOURCE_STUB
    if _SOURCE_STUB.is_file()
    else pathlib.Path(_scenario.__file__).with_name("_scenario.pyi")
)


def _is_method_or_property(raw: Any) -> bool:
    """Whether a class attribute is a method or a property (a function, or a descriptor:
    a property, a pyo3 getter, a named tuple's field) rather than data, such as a dataclass
    field's default."""
    return callable(raw) or hasattr(type(raw), "__get__")


def _words(text: Optional[str]) -> str:
    """A docstring's words, whatever its line breaks and indentation."""
    return " ".join((text or "").split())


def _is_ours(cls: type) -> bool:
    return (cls.__module__ or "").split(".")[0] in ("scenario", "scenario_rs")


def _public_classes() -> List[Tuple[str, type]]:
    """The classes ``scenario`` exports, and the exceptions and warnings of
    ``scenario.errors``, that this package defines (``ActionFailed`` is ops's own)."""
    found: Dict[str, type] = {}
    for module in (scenario, errors):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and _is_ours(obj) and name not in TYPE_ALIASES:
                found.setdefault(name, obj)
    return sorted(found.items())


def _public_members(cls: type) -> Iterator[Tuple[str, Any]]:
    """Each public method and property of ``cls`` that this package defines (on the class
    or a base of its own), with the object its docstring is read from."""
    seen = set()
    for klass in cls.__mro__:
        if not _is_ours(klass):
            continue
        for name, raw in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if _is_method_or_property(raw):
                # A state class's field is a descriptor of its own (writable through
                # object.__setattr__), which hands out the getter from the class.
                yield name, getattr(cls, name)


def _missing(pairs: Iterator[Tuple[str, Optional[str]]]) -> List[str]:
    return [
        f"{name} ({len((doc or '').strip())} characters)"
        for name, doc in pairs
        if len((doc or "").strip()) < MIN_LENGTH
    ]


# --- run time ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(set(scenario.__all__) - TYPE_ALIASES))
def test_every_public_name_has_a_docstring(name):
    obj = getattr(scenario, name)
    doc = inspect.getdoc(obj)
    assert len((doc or "").strip()) >= MIN_LENGTH, (
        f"scenario.{name} has no docstring of {MIN_LENGTH} characters or more: {doc!r}"
    )


@pytest.mark.parametrize(
    ("name", "cls"), _public_classes(), ids=lambda v: getattr(v, "__name__", v)
)
def test_every_public_method_and_property_has_a_docstring(name, cls):
    members = list(_public_members(cls))
    missing = _missing((member, getattr(obj, "__doc__", None)) for member, obj in members)
    assert not missing, (
        f"{name}: these public methods and properties have no docstring of {MIN_LENGTH} "
        f"characters or more: {', '.join(missing)}"
    )


def test_the_state_classes_and_the_context_are_checked():
    # The checks above find the members themselves: make sure they find the ones that
    # matter most, so that a change to how they look cannot empty them unnoticed.
    checked = {name: {m for m, _ in _public_members(cls)} for name, cls in _public_classes()}
    expected = {
        "State": {"get_relation", "get_container", "get_secret", "from_context", "to_json"},
        "Relation": {"id", "relation_id", "local_app_data", "remote_units_data", "replace"},
        "Container": {"execs", "exec_mock", "mounts", "plan", "get_filesystem"},
        "Context": {"run", "run_action", "manager", "juju_version", "app_name", "close"},
        "CharmEvents": {"start", "relation_changed", "pebble_ready", "action", "custom"},
        "Manager": {"charm", "run"},
        "ActionOutput": {"success"},
        "JujuLogLine": {"level", "message"},
    }
    for name, members in expected.items():
        assert members <= checked[name], f"{name}: not checked: {members - checked[name]}"


def test_the_context_documents_what_it_records():
    # The Context's public attributes (what a run records, `on`, the capture flags) are
    # not properties: each is declared on the class with a docstring after it, which IDEs
    # show on hover.
    class Charm(ops.CharmBase):
        pass

    ctx = scenario.Context(Charm, meta={"name": "docs"})
    source = inspect.getsource(scenario.Context)
    tree = ast.parse(source).body[0]
    assert isinstance(tree, ast.ClassDef)
    documented = {}
    for node, after in zip(tree.body, [*tree.body[1:], None], strict=True):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            doc = (
                after.value.value
                if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                else None
            )
            documented[node.target.id] = doc if isinstance(doc, str) else None
    attributes = sorted(a for a in vars(ctx) if not a.startswith("_"))
    assert attributes, "a Context has public attributes"
    missing = _missing((a, documented.get(a)) for a in attributes)
    assert not missing, (
        f"Context: these attributes have no docstring of {MIN_LENGTH} characters or more "
        f"after their declaration in the class body: {', '.join(missing)}"
    )


# --- the stubs of the compiled classes --------------------------------------------------


def _stub_classes() -> Dict[str, ast.ClassDef]:
    tree = ast.parse(STUB.read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _stub_member_docs(name: str, classes: Dict[str, ast.ClassDef]) -> Dict[str, Optional[str]]:
    """The docstring of each def (method or property) of stub class ``name`` and of its
    stub bases, the class's own first."""
    node = classes[name]
    docs: Dict[str, Optional[str]] = {}
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in classes:
            docs.update(_stub_member_docs(base.id, classes))
    for item in node.body:
        if isinstance(item, ast.FunctionDef):
            docs[item.name] = ast.get_docstring(item)
    return docs


def _compiled_classes() -> List[Tuple[str, type]]:
    """The public classes that are the compiled module's (documented in the stubs)."""
    return [(n, c) for n, c in _public_classes() if getattr(_scenario, n, None) is c]


def test_the_compiled_classes_are_found():
    names = {n for n, _ in _compiled_classes()}
    assert {"State", "Relation", "Container", "Secret", "StateValidationError"} <= names


@pytest.mark.parametrize(
    ("name", "cls"), _compiled_classes(), ids=lambda v: getattr(v, "__name__", v)
)
def test_the_stub_documents_the_class_as_the_runtime_does(name, cls):
    classes = _stub_classes()
    assert name in classes, f"{STUB.name} has no class {name}"
    stub_doc = ast.get_docstring(classes[name])
    assert len((stub_doc or "").strip()) >= MIN_LENGTH, (
        f"{name} has no docstring of {MIN_LENGTH} characters or more in {STUB.name}"
    )
    assert _words(stub_doc) == _words(cls.__doc__), (
        f"{name}: the docstring in {STUB.name} differs from the one compiled from Rust "
        "(update the one to match the other)"
    )

    stub_members = _stub_member_docs(name, classes)
    absent, short, differ = [], [], []
    for member, obj in _public_members(cls):
        if member not in stub_members:
            absent.append(member)
            continue
        doc = stub_members[member]
        if len((doc or "").strip()) < MIN_LENGTH:
            short.append(member)
        elif _words(doc) != _words(getattr(obj, "__doc__", None)):
            differ.append(member)
    assert not absent, f"{name}: {STUB.name} does not declare {', '.join(absent)}"
    assert not short, (
        f"{name}: these have no docstring of {MIN_LENGTH} characters or more in {STUB.name}: "
        f"{', '.join(short)}"
    )
    assert not differ, (
        f"{name}: the docstrings of these differ between {STUB.name} and the Rust source: "
        f"{', '.join(differ)}"
    )
