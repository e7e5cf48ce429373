"""The rule catalogue. Importing this package registers every rule."""
from l4e_contract.rules import arn_rules, embedded, form, prose, status, time_order, versions  # noqa: F401
from l4e_contract.rules.registry import NON_RULES, RULES, NonRule, Rule, rule

__all__ = ["RULES", "NON_RULES", "Rule", "NonRule", "rule"]
