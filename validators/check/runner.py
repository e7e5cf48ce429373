"""validate(response) -> Report: the schema, unknown members and every rule, all findings at once.

One way through, for every response: read its timestamps once (the Context), check the schema,
then run each rule that can apply to a response with these members, and sort what they found.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

from l4e_contract.contract.schema_check import check_schema, check_unknown_members, is_valid, json_type
from l4e_contract.contract.timestamps import as_text, to_epoch
from l4e_contract.findings import ERROR, Report, Violation
from l4e_contract.rules import RULES
from l4e_contract.rules.context import Context


def _as_json(doc: dict) -> dict:
    """boto3's dict with datetimes written as parsed-form text, so the schema can read it.

    A naive datetime becomes text without an offset, which the schema rejects:
    boto3 itself always returns aware datetimes.
    """
    return {k: (as_text(v) if isinstance(v, _dt.datetime) else v) for k, v in doc.items()}


# Which rules apply depends only on which members a response has, and a run meets few such sets
# (about one per lifecycle stage), so each answer is kept; dropped whenever RULES changes.
_APPLICABLE: dict = {}
_APPLICABLE_LIMIT = 1024
_rules_seen: tuple = ()


def applicable_rules(members) -> list:
    """The rules, in catalogue order, that can find something in a response with these members."""
    global _rules_seen
    rules = tuple(RULES.values())
    if rules != _rules_seen or len(_APPLICABLE) >= _APPLICABLE_LIMIT:
        _APPLICABLE.clear()
        _rules_seen = rules
    key = frozenset(members)
    found = _APPLICABLE.get(key)
    if found is None:
        found = _APPLICABLE[key] = [r for r in rules if r.applies(key)]
    return found


def validate(response, *, strict: bool = False, rules=None, captured_at=None) -> Report:
    """Check one DescribeModel response; never raises for any response (an unknown id in `rules`, or a
    `captured_at` that is no time, is a ValueError).

    `response` is the wire form (the HTTP body as JSON), the parsed form
    (boto3's dict dumped to JSON) or boto3's dict itself. `strict` makes members
    the contract does not know errors instead of warnings. `rules` limits the
    run to some rule ids (the schema always runs). `captured_at` is when the response
    was captured (epoch seconds, RFC 3339 text or an aware datetime; default: now):
    no event in it can be later.
    """
    captured = None if captured_at is None else to_epoch(captured_at)
    if captured_at is not None and captured is None:
        raise ValueError(f"captured_at is not a time: {captured_at!r}")
    if isinstance(response, Mapping) and not isinstance(response, dict):
        try:  # a user's Mapping (a fake's response, say) is an object like any dict
            response = dict(response)
        except Exception as exc:  # its own code may fail
            report = Report()
            report.add(Violation("", "form.object", f"a {type(response).__name__} that cannot be read as an object "
                                                    f"({exc.__class__.__name__})"))
            return report
    if not isinstance(response, dict):
        report = Report()
        report.add(Violation("", "form.object", f"a DescribeModel response is a JSON object, not {json_type(response)}"))
        return report
    if rules is not None and not set(rules) <= RULES.keys():
        raise ValueError(f"unknown rule id(s): {', '.join(sorted(set(rules) - RULES.keys()))}")
    ctx = Context(response, captured)
    report = Report(form=ctx.form)
    if not is_valid(response):
        # the schema reads JSON values: boto3's datetimes are read as the parsed-form text they stand for
        for v in check_schema(_as_json(response)):
            report.add(v)
    for v in check_unknown_members(response, strict):
        report.add(v)
    members = response.keys()
    chosen = applicable_rules(members) if rules is None else [RULES[i] for i in rules if RULES[i].applies(members)]
    for r in chosen:
        try:
            for pointer, message in r.check(ctx):
                report.add(Violation(pointer, r.id, message, r.severity))
        except Exception as exc:  # a rule must never take the run down with it
            report.add(Violation("", "internal.rule-crashed",
                                 f"rule {r.id} failed on this input: {exc.__class__.__name__}: {str(exc)[:120]}", ERROR))
    return report.sort()
