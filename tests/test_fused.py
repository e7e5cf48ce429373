"""Every rule's `holds` expression says exactly what its function says: true where it finds nothing,
false where it finds something, and it never raises. The fused verdict of a plan is the conjunction
of its rules' verdicts, and a response it clears is one the rules' functions clear.

Inputs: every bundled recording and every shape of them with one member removed, each rule's passing
and failing examples (tests/test_rules.py) in every form, and generated responses (valid in three
forms, and one violation of each rule).
"""
from __future__ import annotations

import copy
import dataclasses
import importlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import l4e_contract
from l4e_contract.contract import committed
from l4e_contract.findings import ERROR
from l4e_contract.rules import RULES, fused
from l4e_contract.rules.context import Context
from l4e_contract.rules.registry import check_that
from l4e_contract.strategies import describe_model_responses, describe_model_violations

from test_rule_plan import SHAPES
from test_rules import FAILING, PASSING, build

validate_module = importlib.import_module("l4e_contract.check.runner")


def _examples():
    for table in (PASSING, FAILING):
        for examples in table.values():
            for example in examples:
                for form in example.forms:
                    yield build(example, form)


INPUTS = SHAPES + [d for d in _examples() if isinstance(d, dict)]  # form.object's examples are not objects
VERDICTS = {rule_id: fused.compile_expression(r.holds) for rule_id, r in RULES.items() if r.holds is not None}


def _disagreements(doc) -> list[str]:
    """Rules whose expression and function disagree on `doc` (or whose expression raises); rules that
    do not apply are asked too, and must hold there."""
    ctx = Context(doc)
    wrong = []
    for rule_id, verdict in VERDICTS.items():
        rule = RULES[rule_id]
        findings = list(rule.check(ctx))
        try:
            holds = verdict(ctx)
        except Exception as exc:  # noqa: BLE001 - the report names it
            wrong.append(f"{rule_id}: holds raised {exc!r}")
            continue
        if holds != (not findings):
            wrong.append(f"{rule_id}: holds is {holds!r} but the rule finds {findings!r}")
    return wrong


def test_every_rule_states_its_verdict():
    # a rule without one is still correct (its function is asked), only slower: the fast path is for all of them
    assert [r.id for r in RULES.values() if r.holds is None] == []


def test_the_inputs_reach_every_rule_both_ways():
    found, clean = set(), set()
    for doc in INPUTS:
        ctx = Context(doc)
        for rule_id, rule in RULES.items():
            if rule.applies(frozenset(doc)):
                (found if list(rule.check(ctx)) else clean).add(rule_id)
    assert set(RULES) - found == set(), "rules no input breaks: their expressions are not tested"
    assert set(RULES) - clean == set(), "rules no input keeps"


@pytest.mark.parametrize("chunk", range(4))
def test_each_expression_agrees_with_its_rule(chunk):
    wrong = [f"input {i}: {w}" for i, doc in enumerate(INPUTS) if i % 4 == chunk for w in _disagreements(doc)]
    assert wrong == []


@settings(max_examples=80)
@given(st.one_of(describe_model_violations(form=None).map(lambda b: b.response),
                 describe_model_responses(form="wire"), describe_model_responses(form="parsed"),
                 describe_model_responses(form="boto3")))
def test_each_expression_agrees_with_its_rule_on_generated_responses(doc):
    if isinstance(doc, dict):  # form.object's violations are not objects: no rule reads them
        assert _disagreements(doc) == []
        rules = validate_module.plan(frozenset(doc))
        expected = all(VERDICTS[r.id](Context(doc)) for r in rules)
        assert bool(fused.fuse(rules, frozenset(doc))(Context(doc))) == expected
        assert fused.fuse(rules, frozenset(doc), wire=True)(doc) in ((expected,) if _wire(doc) else (None,))


def _wire(doc) -> bool:
    """Is every timestamp of `doc` a finite float: the wire form, as the wire-mode verdict reads it?"""
    return all(doc[m].__class__ is float and math.isfinite(doc[m]) for m in committed.timestamp_members() if m in doc)


def test_a_fused_verdict_is_the_conjunction_of_its_rules():
    compiled = {}  # three functions per shape: compiling is the slow part, so 120 shapes at most
    wired = 0
    for doc in INPUTS[::3]:
        members = frozenset(doc)
        rules = validate_module.plan(members)
        if members not in compiled:
            if len(compiled) == 120:
                continue
            # general, specialised to its shape, and specialised to its shape in the wire form
            compiled[members] = fused.fuse(rules), fused.fuse(rules, members), fused.fuse(rules, members, wire=True)
        general, shaped, wire = compiled[members]
        expected = all(VERDICTS[r.id](Context(doc)) for r in rules)
        assert [bool(general(Context(doc))), bool(shaped(Context(doc)))] == [expected, expected]
        if _wire(doc):
            wired += 1
            assert wire(doc) is expected
        else:  # a timestamp in another form, or not finite: the wire verdict steps aside
            assert wire(doc) is None
    assert len(compiled) > 50 and wired > 50


def test_a_wire_verdict_reads_timestamps_as_the_context_does():
    doc = copy.deepcopy(next(d for d in SHAPES if l4e_contract.validate(d).valid and _wire(d)
                             and "TrainingDataStartTime" in d and "TrainingDataEndTime" in d))
    members = frozenset(doc)
    rules = validate_module.plan(members)
    wire = fused.fuse(rules, members, wire=True)
    assert wire(doc) is True and "def fused_wire(d)" in fused.source(wire) and " t('" not in fused.source(wire)
    doc["TrainingDataEndTime"] = doc["TrainingDataStartTime"] - 60.0
    assert wire(doc) is False
    for odd in (float("nan"), float("inf"), 5, "2022-10-18T06:00:00Z", None):
        doc["TrainingDataEndTime"] = odd
        assert wire(doc) is None, odd



@pytest.mark.parametrize("doc", [d for d in SHAPES if _wire(d)][:40])
def test_a_wire_context_is_the_context_of_a_wire_response(doc):
    full = Context(doc)
    wire = Context.of_wire(doc, {m: doc[m] for m in committed.timestamp_members() if m in doc})
    assert (wire.form, wire.stamps(), wire.all_real, wire.one_form) == (full.form, full.stamps(), True, True)
    assert all(wire.time(m) == full.time(m) for m in doc) and wire.memo == {}


def test_a_shape_gets_its_own_checks_once_it_is_met_often():
    members = frozenset(SHAPES[0]) | {"test_fused: a member of a shape no test met before"}
    found = validate_module.fast_plan(members)
    assert (found.wire, found.schema) == (None, None)  # the rules' own functions: nothing compiled yet
    for _ in range(validate_module._SPECIALISE_AT - 2):
        assert validate_module.fast_plan(members) is found
    assert not found.compiled()
    validate_module.fast_plan(members)  # the shape's _SPECIALISE_AT-th response
    assert found.compiled() and found.schema is not None and "def fused_wire(d)" in fused.source(found.wire)
    assert "def fused(ctx)" in fused.source(found.verdict())  # for the other forms, built when first asked


def test_a_rule_without_an_expression_is_asked_through_its_function():
    doc = next(d for d in SHAPES if "TrainingDataStartTime" in d and "TrainingDataEndTime" in d)
    rule = dataclasses.replace(RULES["time.training-data-range"], holds=None)
    assert fused.fuse([rule])(Context(doc)) is True
    loud = dataclasses.replace(rule, check=lambda ctx: iter([("/X", "always")]))
    assert fused.fuse([loud])(Context(doc)) is False
    assert "quiet(CHECK0(ctx))" in fused.source(fused.fuse([loud]))


def test_an_expression_that_raises_sends_the_response_to_the_rules(monkeypatch):
    doc = copy.deepcopy(next(d for d in SHAPES if l4e_contract.validate(d).valid and "TrainingDataEndTime" in d))
    broken = dataclasses.replace(RULES["time.training-data-range"], holds="1 / 0 == 0")
    monkeypatch.setitem(RULES, "time.training-data-range", broken)
    assert l4e_contract.validate(doc).valid
    doc["TrainingDataEndTime"] = doc["TrainingDataStartTime"] - 3600 if isinstance(
        doc["TrainingDataStartTime"], float) else "2001-01-01T00:00:00+00:00"
    assert "time.training-data-range" in l4e_contract.validate(doc).rules


def test_check_that_derives_the_function_from_the_expression(monkeypatch):
    monkeypatch.setattr(RULES, "version", RULES.version)  # dropped again below
    try:
        check_that("test.has-name", holds="'ModelName' in d", pointer="/ModelName",
                   message=lambda ctx: f"no name among {len(ctx.doc)} members",
                   description="a test rule", source="this test")
        rule = RULES["test.has-name"]
        assert rule.severity == ERROR and rule.holds == "'ModelName' in d"
        assert list(rule.check(Context({"ModelName": "x"}))) == []
        assert list(rule.check(Context({"Status": "FAILED"}))) == [("/ModelName", "no name among 1 members")]
        assert "test.has-name" in l4e_contract.validate({"Status": "FAILED"}).rules
    finally:
        RULES.pop("test.has-name", None)


def test_an_expression_that_is_not_python_is_refused_at_registration():
    with pytest.raises(ValueError, match="not a Python expression"):
        check_that("test.bad", holds="d.get(", pointer="", message="", description="", source="")
    assert "test.bad" not in RULES


def test_helpers_cannot_take_a_bound_name_or_another_helpers_name():
    def d():
        return None

    with pytest.raises(ValueError):
        fused.helper(d)

    def sensors():
        return None

    with pytest.raises(ValueError):
        fused.helper(sensors)
