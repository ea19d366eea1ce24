"""Every Python example of the project's README.md runs, and each test it defines passes.

The examples build on each other (the first defines the charm the others use), so they run
in order in one namespace. On an ops whose ``ops.testing`` predates Scenario (before 2.17),
``from ops import testing`` is read as ``import scenario as testing``: the same names.
"""

import re
import tempfile
from pathlib import Path

import ops.testing
import pytest

README = Path(__file__).parents[2] / "README.md"
EXAMPLES = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def _namespace():
    # One module of every example, in a real file: hypothesis (and tracebacks) read the
    # source of what they run.
    code = "\n".join(EXAMPLES)
    if not hasattr(ops.testing, "Context"):
        code = code.replace("from ops import testing", "import scenario as testing")
    path = Path(tempfile.mkdtemp(prefix="readme-")) / "readme_examples.py"
    path.write_text(code)
    namespace: dict = {"__name__": "readme_examples", "__file__": str(path)}
    exec(compile(code, str(path), "exec"), namespace)
    return namespace


NAMESPACE = _namespace()
TESTS = sorted(name for name in NAMESPACE if name.startswith("test_"))


def test_the_readme_has_examples_with_tests():
    assert len(EXAMPLES) >= 3
    assert {"test_leader_rules", "test_leader_rules_scenario_5"} <= set(TESTS)


@pytest.mark.parametrize("name", TESTS)
def test_readme_example(name):
    NAMESPACE[name]()
