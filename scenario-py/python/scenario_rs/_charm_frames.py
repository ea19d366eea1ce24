"""Where in a charm's own code an exception was raised, as the command line and fuzzing
both name it: ``src/charm.py:42 in _on_start``."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from types import TracebackType
from typing import Any, Optional, Tuple

__all__ = ["charm_frame", "is_ours", "shown_path"]

# This package's own files: the run's machinery, never the charm's.
_PACKAGE_DIR = str(Path(__file__).resolve().parent) + os.sep
# Installed libraries (ops, a charm library from PyPI), even in a venv inside the charm's
# directory (a .tox or .venv of its repository).
_INSTALLED = (f"{os.sep}site-packages{os.sep}", f"{os.sep}dist-packages{os.sep}")


def charm_frame(error: BaseException, charm_type: Any) -> Optional[Tuple[str, int, str]]:
    """The innermost frame of the exception's traceback in the charm's own files (under
    the charm's root: the directory holding the source directory of ``charm_type``, its
    ``lib/`` included): its path as ``shown_path`` gives it, its line and its function."""
    try:
        root = Path(inspect.getfile(charm_type)).resolve().parent.parent
    except (TypeError, OSError):
        return None
    found = None
    tb: Optional[TracebackType] = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        path = Path(code.co_filename)
        if path.is_absolute() and root in path.parents and _charms(code.co_filename):
            found = (shown_path(path), tb.tb_lineno, code.co_name)
        tb = tb.tb_next
    return found


def is_ours(filename: str) -> bool:
    """Whether a frame's file is this package's: the run's machinery."""
    return filename.startswith(_PACKAGE_DIR)


def _charms(filename: str) -> bool:
    return not is_ours(filename) and not any(part in filename for part in _INSTALLED)


def shown_path(path: Path) -> str:
    """A path as a user reads it: relative to the working directory when under it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
