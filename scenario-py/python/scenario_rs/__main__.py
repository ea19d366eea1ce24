"""``python -m scenario``: the command line (see scenario.cli)."""

from scenario_rs.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
