"""ops[testing]'s home of the consistency checker (the checker itself is
``scenario.consistency_checker``)."""

from scenario_rs.consistency_checker import Results, check_consistency

__all__ = ["Results", "check_consistency"]
