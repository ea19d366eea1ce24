"""Every example of the README's "Command line" section runs as shown.

A ```yaml block whose first line is ``# NAME`` is a file of the examples; each ```console
block is a shell session: its ``$`` lines run, in order, in one bash, in a directory holding
those files and the repository's ``examples``, with the installed ``scenario`` first on
PATH. What each command prints (stdout and stderr, as a terminal shows them) must be the
lines under it, where a line ``...`` stands for any number of lines.
"""

import re
import shutil
from pathlib import Path

import console_session
import pytest

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()
SECTION = README[README.index("## Command line\n") :]
SECTION = SECTION[: SECTION.index("\n## ", 1)]
BLOCKS = re.findall(r"```(yaml|console)\n(.*?)```", SECTION, flags=re.S)
FILES = {
    body.split("\n", 1)[0][2:].strip(): body
    for kind, body in BLOCKS
    if kind == "yaml" and body.startswith("# ")
}
SESSIONS = [body for kind, body in BLOCKS if kind == "console"]


def test_the_section_has_files_and_sessions():
    assert set(FILES) == {"state.yaml", "bad.yaml"}
    assert len(SESSIONS) >= 5
    commands = [c for s in SESSIONS for c, _ in console_session.commands(s)]
    assert any(c.startswith("scenario run") for c in commands)
    assert any(c.startswith("scenario check") for c in commands)
    assert any("--json" in c for c in commands)


@pytest.mark.parametrize(
    "session", SESSIONS, ids=[console_session.commands(s)[0][0][:60] for s in SESSIONS]
)
def test_readme_command_line_example(session, tmp_path):
    for name, body in FILES.items():
        (tmp_path / name).write_text(body)
    shutil.copytree(ROOT / "examples" / "hello-charm", tmp_path / "examples" / "hello-charm")
    console_session.run(session, tmp_path, timeout=120)
