"""``python -m scenario``: the command line (see scenario.cli)."""

from scenario.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
