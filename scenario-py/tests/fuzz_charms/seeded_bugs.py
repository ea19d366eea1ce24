"""The bugs the seeded charm marks, and which of them a fuzzing summary found: what the
fuzzing tests (``test_fuzz.py``) and the benchmark (``bench/bench.py``) both count."""

import re
from pathlib import Path
from typing import Any, Dict, Set, Tuple

CHARM = Path(__file__).parent / "seeded" / "src" / "charm.py"
_MARK = re.compile(r"\s*# seeded \(([^,]+), (\w+)\)")


def bugs() -> Set[Tuple[int, str]]:
    """``(line, error)`` of each bug the seeded charm marks with ``# seeded (<kind>,
    <error>)`` above the line that crashes."""
    lines = CHARM.read_text().splitlines()
    bugs = set()
    for number, line in enumerate(lines, 1):
        marked = _MARK.match(line)
        if marked:
            code = next(n for n in range(number, len(lines)) if "# seeded" not in lines[n])
            bugs.add((code + 1, marked.group(2)))
    return bugs


def kinds() -> Set[str]:
    """The kinds of State the seeded bugs need (config, relations, ...)."""
    return {m.group(1) for m in map(_MARK.match, CHARM.read_text().splitlines()) if m}


def found(summary: Dict[str, Any]) -> Set[Tuple[int, str]]:
    """``(line, error)`` of each finding in the charm's source, from a fuzzing summary."""
    hits = set()
    for finding in summary["findings"]:
        where = re.match(r"src/charm\.py:(\d+) in ", finding["where"])
        if where:
            hits.add((int(where.group(1)), finding["error"].rsplit(".", 1)[-1]))
    return hits
