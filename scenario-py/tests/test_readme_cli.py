"""Every example of the README's "Command line" section runs as shown.

A ```yaml block whose first line is ``# NAME`` is a file of the examples; each ```console
block is a shell session: its ``$`` lines run, in order, in one bash, in a directory holding
those files and the repository's ``examples``, with the installed ``scenario`` first on
PATH. What each command prints (stdout and stderr, as a terminal shows them) must be the
lines under it, where a line ``...`` stands for any number of lines.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

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
MARK = "@@@ scenario-readme-command-done @@@"


def _commands(session: str):
    """The session's (command, expected output lines) pairs."""
    commands = []
    for line in session.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line)
    return commands


def _matches(expected, actual) -> bool:
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


def test_the_section_has_files_and_sessions():
    assert set(FILES) == {"state.yaml", "bad.yaml"}
    assert len(SESSIONS) >= 5
    commands = [c for s in SESSIONS for c, _ in _commands(s)]
    assert any(c.startswith("scenario run") for c in commands)
    assert any(c.startswith("scenario check") for c in commands)
    assert any("--json" in c for c in commands)


@pytest.mark.parametrize("session", SESSIONS, ids=[_commands(s)[0][0][:60] for s in SESSIONS])
def test_readme_command_line_example(session, tmp_path):
    for name, body in FILES.items():
        (tmp_path / name).write_text(body)
    shutil.copytree(ROOT / "examples" / "hello-charm", tmp_path / "examples" / "hello-charm")
    commands = _commands(session)
    # Each command's exit status survives the marker, for a following `echo $?`.
    script = "".join(f'{command}\n__s=$?; echo "{MARK}"; (exit $__s)\n' for command, _ in commands)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    for variable in ("SCENARIO_STRICT", "SCENARIO_SKIP_CONSISTENCY_CHECKS"):
        env.pop(variable, None)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    *outputs, after = done.stdout.split(MARK + "\n")
    assert len(outputs) == len(commands) and after == "", done.stdout
    for (command, expected), output in zip(commands, outputs, strict=True):
        actual = output.splitlines()
        assert _matches(expected, actual), (
            f"$ {command}\nexpected:\n" + "\n".join(expected) + "\ngot:\n" + output
        )
