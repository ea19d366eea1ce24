"""Shell sessions as the README and the docs show them (```console blocks): each
``$ command`` line, then the output it prints, where a line ``...`` stands for any number
of lines. ``run`` runs a session's commands in one bash and checks each output."""

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

# Printed after each command, so that one bash can run them all and its output be split.
MARK = "@@@ scenario-console-command-done @@@"


def commands(session: str) -> List[Tuple[str, List[str]]]:
    """The session's (command, expected output lines) pairs."""
    found: List[Tuple[str, List[str]]] = []
    for line in session.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            found[-1][1].append(line)
    return found


def matches(expected: List[str], actual: List[str]) -> bool:
    """Whether the output lines are the expected ones, ``...`` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])


def run(session: str, cwd: Path, timeout: float) -> None:
    """Run the session's commands in ``cwd`` with this interpreter's scripts first on the
    PATH, and assert that each prints what the session shows."""
    steps = commands(session)
    # Each command's exit status survives the marker, for a following `echo $?`.
    script = "".join(f'{command}\n__s=$?; echo "{MARK}"; (exit $__s)\n' for command, _ in steps)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    for variable in ("SCENARIO_STRICT", "SCENARIO_SKIP_CONSISTENCY_CHECKS"):
        env.pop(variable, None)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    *outputs, after = done.stdout.split(MARK + "\n")
    assert len(outputs) == len(steps) and after == "", done.stdout
    for (command, expected), output in zip(steps, outputs, strict=True):
        assert matches(expected, output.splitlines()), (
            f"$ {command}\nexpected:\n" + "\n".join(expected) + "\ngot:\n" + output
        )
