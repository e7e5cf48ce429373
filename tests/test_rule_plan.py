"""A rule's `needs` declaration is exact: skipped for lacking those members, it would have found
nothing, and `validate` reports exactly what running every rule on every response reports."""
from __future__ import annotations

import copy
import dataclasses
import importlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import l4e_contract
from l4e_contract.load.files import load_file, unwrap_recording
from l4e_contract.rules import RULES
from l4e_contract.rules.context import Context
from l4e_contract.strategies import describe_model_responses, describe_model_violations

validate_module = importlib.import_module("l4e_contract.check.runner")  # the package's `validate` is the function

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = sorted((ROOT / "contracts" / "recordings").rglob("*.json"))
DOCS = [d for d in (unwrap_recording(load_file(p))[0] for p in RECORDINGS) if isinstance(d, dict)]
DECLARED = sorted(r.id for r in RULES.values() if r.needs or r.needs_any)


def _without_each_member(docs):
    """Each document, and each with one of its members removed: the shapes a skip must be right on."""
    for doc in docs:
        yield doc
        for m in doc:
            yield {k: v for k, v in doc.items() if k != m}


SHAPES = list(_without_each_member(DOCS))


def _findings(rule, doc):
    return list(rule.check(Context(doc)))


def _every_rule(monkeypatch):
    """Make validate run every rule on every response, whatever it declares it needs."""
    monkeypatch.setattr(validate_module, "applicable_rules", lambda members: list(RULES.values()))


def _outcome(report):
    return report.form, report.violations, report.warnings


def test_most_rules_declare_what_they_need():
    assert len(DECLARED) >= 50, "a rule without needs always runs: correct, only slower"


@pytest.mark.parametrize("rule_id", DECLARED)
def test_a_skipped_rule_would_have_found_nothing(rule_id):
    rule = RULES[rule_id]
    skipped = [doc for doc in SHAPES if not rule.applies(frozenset(doc))]
    assert skipped, f"no shape of the recordings lacks what {rule_id} needs: the test proves nothing"
    for doc in skipped:
        assert _findings(rule, doc) == [], f"{rule_id} finds something without {sorted(rule.needs | rule.needs_any)}"


@pytest.mark.parametrize("rule_id", DECLARED)
def test_a_rule_that_applies_is_run_and_catches_its_recording(rule_id):
    """The plan keeps the rule where its own recording breaks it (invalid/ or warnings/)."""
    found = [p for p in RECORDINGS if p.stem == rule_id]
    if not found:
        pytest.skip(f"no recording named {rule_id}")
    doc = unwrap_recording(load_file(found[0]))[0]
    assert RULES[rule_id] in validate_module.applicable_rules(doc.keys())
    report = l4e_contract.validate(doc)
    assert rule_id in report.rules | report.warning_rules


def test_validate_reports_what_running_every_rule_reports(monkeypatch):
    planned = [_outcome(l4e_contract.validate(doc)) for doc in SHAPES]
    _every_rule(monkeypatch)
    full = [_outcome(l4e_contract.validate(doc)) for doc in SHAPES]
    assert planned == full


@settings(max_examples=60)
@given(st.one_of(describe_model_violations(form=None).map(lambda b: b.response),
                 describe_model_responses(form="parsed"), describe_model_responses(form="boto3")))
def test_generated_responses_get_the_same_findings_with_and_without_the_needs(doc):
    planned = _outcome(l4e_contract.validate(copy.deepcopy(doc)))
    with pytest.MonkeyPatch.context() as monkeypatch:
        _every_rule(monkeypatch)
        full = _outcome(l4e_contract.validate(copy.deepcopy(doc)))
    assert planned == full


def test_a_rule_replaced_in_rules_is_the_one_that_runs(monkeypatch):
    doc = next(d for d in DOCS if "TrainingDataStartTime" in d and "TrainingDataEndTime" in d)
    loud = dataclasses.replace(RULES["time.training-data-range"], check=lambda ctx: iter([("/X", "replaced")]))
    monkeypatch.setitem(RULES, "time.training-data-range", loud)
    assert "time.training-data-range" in l4e_contract.validate(doc).rules
    monkeypatch.undo()
    assert "time.training-data-range" not in l4e_contract.validate(doc).rules


def test_a_rule_limited_run_skips_what_does_not_apply_and_runs_the_rest():
    doc = next(d for d in DOCS if "LatestScheduledRetrainingStatus" not in d)
    report = l4e_contract.validate(doc, rules=["retraining.failed-has-reason", "status.failed-has-reason"])
    assert report.rules <= {"status.failed-has-reason"}
