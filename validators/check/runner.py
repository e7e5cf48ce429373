"""validate(response) -> Report: the schema, unknown members and every rule, all findings at once."""
from __future__ import annotations

import datetime as _dt

from l4e_contract.contract import committed
from l4e_contract.contract import schema_fast
from l4e_contract.findings import ERROR, Report, Violation
from l4e_contract.rules import RULES, fused
from l4e_contract.rules.context import Context
from l4e_contract.contract.schema_check import check_schema, check_unknown_members, json_type
from l4e_contract.contract.timestamps import BOTO3, WIRE


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
# A shape's own compiled checks (its wire verdict and schema check) take some 10 ms to build, as long
# as the rules' own functions take on 60 responses (some 170 us each; the compiled checks then take
# some 40 us). So they are built for a shape met this often: the rent-or-buy rule, which never pays
# more than twice the better choice in hindsight, however many responses of the shape follow. Until
# then (a one-file run, a nightly check of a few hundred models in a dozen shapes, generated
# responses nearly each of a shape of its own) the rules' own functions run, as they do for a
# response the fast path does not clear. Building at the third response cost `live` a quarter of
# its CPU time on 200 models.
_SPECIALISE_AT = 64


class Plan:
    """What validate needs for responses of one shape (a set of members).

    rules: the rules that can find something in such a response, in catalogue order.
    Once the shape is met often enough (compiled() is true), its fast path:
    schema(response): true when the schema certainly accepts it and it has no unknown member;
    wire(response): the rules' fused verdict for the wire form (true: none finds anything), None
    where a timestamp is in another form; verdict(): the same verdict as a function of a Context,
    for any form, built the first time it is asked for."""

    __slots__ = ("members", "rules", "seen", "schema", "wire", "form", "_verdict")

    def __init__(self, members: frozenset):
        self.members = members
        self.rules = tuple(r for r in RULES.values() if r.applies(members))
        self.seen = 0
        self.schema = self.wire = self._verdict = None
        # the form of a response the wire verdict clears: that of its first timestamp, if it has one
        self.form = WIRE if any(m in members for m in committed.timestamp_members()) else "unknown"

    def compiled(self) -> bool:
        return self.wire is not None

    def compile(self) -> None:
        self.schema = schema_fast.for_shape(self.members)
        self.wire = fused.fuse(self.rules, self.members, wire=True)

    def verdict(self):
        if self._verdict is None:
            self._verdict = fused.fuse(self.rules, self.members)
        return self._verdict


def _plan(members: frozenset) -> Plan:
    if _PLANS.get("version") != RULES.version:
        _PLANS.clear()
        _PLANS["version"] = RULES.version
    found = _PLANS.get(members)
    if found is None:
        if len(_PLANS) > _PLAN_LIMIT:
            _PLANS.clear()
            _PLANS["version"] = RULES.version
        found = _PLANS[members] = Plan(members)
    return found


def fast_plan(members: frozenset) -> Plan:
    """The Plan of a shape, counting one more response of it: compiled at its _SPECIALISE_AT-th."""
    found = _plan(members)
    if found.wire is None:
        found.seen += 1
        if found.seen >= _SPECIALISE_AT:
            found.compile()
    return found


def plan(members: frozenset) -> tuple:
    """The rules, in catalogue order, that can find something in a response with these members."""
    return _plan(members).rules


def _fast_report(response: dict, found: Plan) -> Report | None:
    """The fast path: the report of a response the compiled schema and the rules' fused verdict both
    clear (not even a warning); None means "look closer", and is no finding."""
    try:
        if found.schema is None:
            return None
        if not found.schema(response):
            # boto3's dict (a Stubber's response): the schema reads its datetimes as text, as the slow path does
            if not any(isinstance(v, _dt.datetime) for v in response.values()) or not found.schema(_as_json(response)):
                return None
        clear = found.wire(response)
        if clear is None:  # a timestamp in the parsed form, or a datetime: the Context's verdict
            ctx = Context(response)
            return Report(form=ctx.form) if found.verdict()(ctx) else None
        return Report(form=found.form) if clear else None
    except Exception:  # an exotic value, or a rule's expression that cannot read it: the rules will say
        return None


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
    members = frozenset(response)
    if rules is None:
        found = fast_plan(members)
        if found.wire is not None:
            fast = _fast_report(response, found)
            if fast is not None:
                return fast
        applicable = found.rules
    else:
        applicable = [RULES[i] for i in rules if RULES[i].applies(members)]
    # one pass over the timestamps serves the form and every time rule
    ctx = Context(response)
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
