"""validate(response) -> Report: the schema, unknown members and every rule, all findings at once."""
from __future__ import annotations

import datetime as _dt

from l4e_contract import schema_fast
from l4e_contract.report import ERROR, Report, Violation
from l4e_contract.rules import RULES, fused
from l4e_contract.rules.context import Context
from l4e_contract.schema_check import check_schema, check_unknown_members, json_type
from l4e_contract.timestamps import BOTO3


def detect_form(doc: dict) -> str:
    """The form of the first timestamp found: wire, parsed or boto3 (datetime objects)."""
    return Context(doc).form


def _as_json(doc: dict) -> dict:
    """boto3's dict with datetimes written as parsed-form text, so the schema can read it.

    A naive datetime becomes text without an offset, which the schema rejects:
    boto3 itself always returns aware datetimes.
    """
    return {k: (v.isoformat() if isinstance(v, _dt.datetime) else v) for k, v in doc.items()}


# Which rules apply to a response depends only on which members it has, and a run meets few such
# shapes (one per lifecycle stage, roughly): the plan for each is worked out once. Bounded, and
# dropped whenever RULES changes (a rule added or replaced).
_PLANS: dict = {}
_PLAN_LIMIT = 512
# A shape's own compiled checks (its fused verdict, its schema check) take some 15 ms to build, as
# long as a hundred responses take to check: they are built for a shape met this often. Until then
# (a one-file run, or generated responses, nearly each of a shape of its own) the rules' own
# functions run, as they do for a response the fast path does not clear.
_SPECIALISE_AT = 3


def _entry(members: frozenset) -> list:
    """[rules that apply, their fused verdict, the schema's check, responses of this shape seen]."""
    if _PLANS.get("version") != RULES.version:
        _PLANS.clear()
        _PLANS["version"] = RULES.version
    entry = _PLANS.get(members)
    if entry is None:
        if len(_PLANS) > _PLAN_LIMIT:
            _PLANS.clear()
            _PLANS["version"] = RULES.version
        entry = _PLANS[members] = [tuple(r for r in RULES.values() if r.applies(members)), None, None, 0]
    return entry


def fast_plan(members: frozenset) -> tuple:
    """(the rules that can find something in a response with these members, in catalogue order,
    their fused verdict: a function of the Context, true when none of them finds anything,
    the schema's check of such a response: true when it breaks no keyword and has no unknown member);
    the last two are None for a shape not yet met often enough to be worth compiling them.
    Each call counts as one response of this shape."""
    entry = _entry(members)
    if entry[1] is None:
        entry[3] += 1
        if entry[3] < _SPECIALISE_AT:
            return entry[0], None, None
        entry[1], entry[2] = fused.fuse(entry[0], members), schema_fast.for_shape(members)
    return entry[0], entry[1], entry[2]


def plan(members: frozenset) -> tuple:
    """The rules, in catalogue order, that can find something in a response with these members."""
    return _entry(members)[0]


def _breaks_nothing(response: dict, ctx: Context, schema, verdict) -> bool:
    """The fast path: the compiled schema (with the known members) and the rules' fused verdict
    say this response breaks nothing, not even a warning. False is no finding: it means "look closer"."""
    try:
        return verdict is not None and schema is not None and schema(response) and verdict(ctx)
    except Exception:  # an exotic value, or a rule's expression that cannot read it: the rules will say
        return False


def validate(response, *, strict: bool = False, rules=None) -> Report:
    """Check one DescribeModel response; never raises for any response (an unknown id in `rules` is a ValueError).

    `response` is the wire form (the HTTP body as JSON), the parsed form
    (boto3's dict dumped to JSON) or boto3's dict itself. `strict` makes members
    the contract does not know errors instead of warnings. `rules` limits the
    run to some rule ids (the schema always runs).
    """
    if not isinstance(response, dict):
        report = Report()
        report.add(Violation("", "form.object", f"a DescribeModel response is a JSON object, not {json_type(response)}"))
        return report
    if rules is not None and not set(rules) <= RULES.keys():
        raise ValueError(f"unknown rule id(s): {', '.join(sorted(set(rules) - RULES.keys()))}")
    # one pass over the timestamps serves the form and every time rule
    ctx = Context(response)
    members = frozenset(response)
    if rules is None:
        applicable, verdict, schema = fast_plan(members)
        if verdict is not None and _breaks_nothing(response, ctx, schema, verdict):
            return Report(form=ctx.form)
    else:
        applicable = [RULES[i] for i in rules if RULES[i].applies(members)]
    report = Report(form=ctx.form)
    doc = response
    # The compiled schema settles a valid response at once. It checks no datetime (boto3's dict,
    # or a stray datetime in a known member), so those are written as text first, and then asked again.
    if not schema_fast.is_valid(response):
        if report.form == BOTO3 or any(isinstance(v, _dt.datetime) for v in response.values()):
            doc = _as_json(response)
        for v in check_schema(doc):
            report.add(v)
    for v in check_unknown_members(doc, strict):
        report.add(v)
    for r in applicable:
        try:
            for pointer, message in r.check(ctx):
                report.add(Violation(pointer, r.id, message, r.severity))
        except Exception as exc:  # a rule must never take the run down with it
            report.add(Violation("", "internal.rule-crashed",
                                 f"rule {r.id} failed on this input: {exc.__class__.__name__}: {str(exc)[:120]}", ERROR))
    return report.sort()
