"""The rule catalogue. Importing this package registers every rule."""
from l4e_contract.rules import (arn_form, arn_rules, embedded, form, numbers, prose, status,  # noqa: F401
                                time_order, time_window, versions)
from l4e_contract.rules.registry import NON_RULES, RULES, NonRule, Rule, rule

__all__ = ["RULES", "NON_RULES", "Rule", "NonRule", "rule", "all_rules"]


def all_rules() -> list[Rule]:
    """Every rule the contract reports: the schema's (form.object, schema.*) first, then the registry's by id."""
    from l4e_contract.rules.schema_entries import schema_rules

    return [*schema_rules(), *sorted(RULES.values(), key=lambda r: r.id)]
