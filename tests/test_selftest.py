"""The mutation self-test: every rule the contract reports catches a response made to break it.

For each rule id (the schema's and every registered rule, warnings too), responses broken by that
rule's mutation must be reported with that rule and nothing else. The result is written as a
coverage table, rule -> caught / missed, to reports/self-test/coverage.json and coverage.md. A rule
with no mutation, or whose mutation is not caught exactly, turns the suite red; so does a new rule.
"""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings

import l4e_contract
from l4e_contract.findings import ERROR
from l4e_contract.rules import RULES, all_rules
from l4e_contract.strategies import describe_model_violations, mutated_rules, rule_ids
from l4e_contract.strategies.mutations import MUTATIONS

ROOT = Path(__file__).resolve().parent.parent
REPORT_DIR = ROOT / "reports" / "self-test"


def severities() -> dict[str, str]:
    return {r.id: r.severity for r in all_rules()}


def expected_findings(rule: str, severity: str):
    """(error rule ids, warning rule ids) a response broken for `rule` must produce."""
    return ({rule}, set()) if severity == ERROR else (set(), {rule})


def check_rule(rule: str, severity: str, examples: int) -> dict:
    """Run `examples` mutations for one rule; the row of the coverage table."""
    if rule not in MUTATIONS:
        return {"rule": rule, "severity": severity, "status": "missed", "examples": 0,
                "how": None, "problem": "no mutation breaks this rule (add one in l4e_contract.strategies.mutations)"}
    seen = {"n": 0}
    want = expected_findings(rule, severity)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example,
                                     HealthCheck.data_too_large])
    @given(describe_model_violations(rule=rule, form=None))
    def run(broken):
        seen["n"] += 1
        assert broken.rule == rule
        report = l4e_contract.validate(broken.response)
        got = (report.rules, report.warning_rules)
        assert got == want, (f"{broken.how}: expected {want}, validate reported errors {sorted(got[0])} "
                             f"and warnings {sorted(got[1])}:\n{report.explain()}")
        if rule == "schema.unknown-member":  # strict turns the warning into an error, and only that
            assert l4e_contract.validate(broken.response, strict=True).rules == {rule}

    try:
        run()
    except Exception as exc:  # the table says what went wrong; the suite still fails below
        first = str(exc).strip().splitlines()
        return {"rule": rule, "severity": severity, "status": "missed", "examples": seen["n"],
                "how": MUTATIONS[rule].how, "problem": " ".join(first[:3])[:400]}
    return {"rule": rule, "severity": severity, "status": "caught", "examples": seen["n"],
            "how": MUTATIONS[rule].how, "problem": None}


def coverage(ids: list[str], examples: int) -> list[dict]:
    sev = severities()
    return [check_rule(r, sev.get(r, ERROR), examples) for r in ids]


def write_table(rows: list[dict], examples: int) -> None:
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    caught = sum(r["status"] == "caught" for r in rows)
    doc = {"examples_per_rule": examples, "rules": rows,
           "summary": {"rules": len(rows), "caught": caught, "missed": len(rows) - caught}}
    (REPORT_DIR / "coverage.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = ["# Self-test coverage", "",
             f"Each rule's mutation, {examples} examples per rule (wire, parsed and boto3 forms), must be "
             "reported with that rule and nothing else.", "",
             f"**{caught} of {len(rows)} rules caught.**", "",
             "| rule | severity | result | examples | mutation | problem |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        problem = (r["problem"] or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{r['rule']}` | {r['severity']} | {r['status']} | {r['examples']} | {r['how'] or ''} | {problem} |")
    (REPORT_DIR / "coverage.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def examples_per_rule() -> int:
    # a third of the profile's examples per rule: 10 in ci, 33 in dev, 666 nightly
    return max(5, settings.default.max_examples // 3)


def test_every_rule_catches_its_mutation_and_the_table_says_so():
    ids = rule_ids()
    examples = examples_per_rule()
    rows = coverage(ids, examples)
    write_table(rows, examples)

    written = json.loads((REPORT_DIR / "coverage.json").read_text(encoding="utf-8"))
    assert [r["rule"] for r in written["rules"]] == ids  # every rule that exists is listed
    assert set(ids) >= set(RULES) and "schema.type" in ids  # the registry itself, not only rule_ids()' copy
    missed = [f"{r['rule']}: {r['problem']}" for r in rows if r["status"] != "caught"]
    assert not missed, "rules with no working mutation:\n" + "\n".join(missed)
    assert all(r["examples"] >= 1 for r in rows)


def test_no_mutation_targets_a_rule_that_does_not_exist():
    assert set(mutated_rules()) - set(rule_ids()) == set()


def test_a_rule_without_a_mutation_is_reported_missed():
    # what happens the day someone adds a rule and no mutation: the table says missed, the suite fails
    [row] = coverage(["time.rule-added-tomorrow"], 3)
    assert row["status"] == "missed" and "no mutation" in row["problem"]


def test_a_mutation_that_breaks_more_than_its_rule_is_reported_missed(monkeypatch):
    # a mutation registered under the wrong id is caught as a blind spot, not counted as coverage
    import dataclasses

    real = MUTATIONS["arn.model-name"]
    # the mutation says it breaks arn.dataset-name, but what it breaks is arn.model-name
    monkeypatch.setitem(MUTATIONS, "arn.dataset-name", dataclasses.replace(real, rule="arn.dataset-name"))
    row = check_rule("arn.dataset-name", ERROR, 3)
    assert row["status"] == "missed" and "arn.model-name" in row["problem"]


def test_a_rule_that_stops_catching_is_reported_missed(monkeypatch):
    import dataclasses

    blind = dataclasses.replace(RULES["time.training-data-range"], check=lambda ctx: iter(()))
    monkeypatch.setitem(RULES, "time.training-data-range", blind)
    row = check_rule("time.training-data-range", ERROR, 3)
    assert row["status"] == "missed" and "time.training-data-range" in row["problem"]


@given(describe_model_violations(rule=None, form=None))
def test_any_mutation_is_reported_with_its_rule(broken):
    report = l4e_contract.validate(broken.response)
    assert (report.rules, report.warning_rules) == expected_findings(broken.rule, severities()[broken.rule])
