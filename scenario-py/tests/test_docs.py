"""Every example of the documentation site (docs/*.md) runs as it is shown.

- A ```python block is one test on its own: it runs in a fresh namespace, then each
  ``test_*`` function it defines is called. Any exception fails it, and warnings are errors
  as in the rest of the suite. On an ops whose ``ops.testing`` predates Scenario (before
  2.17), ``from ops import testing`` is read as ``import scenario as testing``.
- A ```yaml or ```json block is a State document: ``State.from_yaml`` or ``from_json``
  reads it. One whose first line is ``# NAME`` is also a file the page's shell sessions use.
- A ```console block is a shell session: its ``$`` lines run in order in one bash, in a
  directory holding the page's files and the repository's ``examples`` (the example
  charm's own suite importing ``scenario as testing`` where ops predates ops[testing]),
  with the installed ``scenario`` first on PATH; what each prints (stdout and stderr) must
  be the lines under it, where ``...`` stands for any number of lines.
- A ```rust block is part of a library crate's front page (its ``src/lib.rs``), where
  ``cargo test --doc`` runs it.

Blocks of other languages (``sh`` for install and cargo commands, ``toml``, ``text``) are
not run.
"""

import re
import shutil
import tempfile
from pathlib import Path

import console_session
import ops.testing
import pytest

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", flags=re.S | re.M)


def _blocks():
    """(page, line, language, body) of every fenced block of every page."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text()
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((page.name, line, match.group(1), match.group(2)))
    return found


BLOCKS = _blocks()


def _of(*languages):
    chosen = [b for b in BLOCKS if b[2] in languages]
    return pytest.mark.parametrize(
        "page, line, body",
        [(p, n, body) for p, n, _, body in chosen],
        ids=[f"{p}:{n}" for p, n, _, _ in chosen],
    )


def test_the_site_has_examples_of_every_kind():
    languages = {b[2] for b in BLOCKS}
    assert {"python", "yaml", "json", "console", "rust"} <= languages
    assert len([b for b in BLOCKS if b[2] == "python"]) >= 20
    # Every block says what it is, so none escapes the tests above by having no language.
    assert all(b[2] for b in BLOCKS)


@_of("python")
def test_python_example(page, line, body):
    code = body
    if not hasattr(ops.testing, "Context"):
        code = code.replace("from ops import testing", "import scenario as testing")
    # A real file: hypothesis and tracebacks read the source of what they run.
    name = f"docs_{Path(page).stem.replace('-', '_')}_{line}"
    path = Path(tempfile.mkdtemp(prefix="docs-")) / f"{name}.py"
    path.write_text(code)
    namespace: dict = {"__name__": name, "__file__": str(path)}
    exec(compile(code, str(path), "exec"), namespace)
    for test in sorted(n for n in namespace if n.startswith("test_")):
        namespace[test]()


@_of("yaml", "json")
def test_state_document(page, line, body):
    from scenario import State

    is_yaml = not body.lstrip().startswith(("{", "["))
    state = State.from_yaml(body) if is_yaml else State.from_json(body)
    assert State.from_json(state.to_json()) == state


def _files(page: str):
    """The page's named files: yaml and json blocks whose first line is ``# NAME``."""
    return {
        body.split("\n", 1)[0][2:].strip(): body
        for p, _, language, body in BLOCKS
        if p == page and language in ("yaml", "json") and body.startswith("# ")
    }


@_of("console")
def test_shell_session(page, line, body, tmp_path):
    for name, text in _files(page).items():
        (tmp_path / name).write_text(text)
    charm = tmp_path / "examples" / "hello-charm"
    shutil.copytree(ROOT / "examples" / "hello-charm", charm)
    if not hasattr(ops.testing, "State"):
        # The example charm's own suite, as on the python blocks: ops[testing]'s names from
        # scenario where ops predates ops[testing].
        for suite in (charm / "tests").glob("*.py"):
            text = suite.read_text()
            suite.write_text(text.replace("from ops import testing", "import scenario as testing"))
    console_session.run(body, tmp_path, timeout=600)


@_of("rust")
def test_rust_example_is_a_doctest(page, line, body):
    # The page shows a crate's front-page doctest without its hidden lines (`# fn main()`).
    for path in ROOT.glob("scenario-*/src/lib.rs"):
        docs = [
            re.sub(r"^//! ?", "", text)
            for text in path.read_text().splitlines()
            if text.startswith("//!")
        ]
        visible = "\n".join(text for text in docs if not text.startswith("# "))
        if body.rstrip("\n") in visible:
            return
    pytest.fail(f"{page}:{line}: this example is no crate's front-page doctest")
