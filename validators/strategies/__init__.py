"""Hypothesis strategies for DescribeModel responses: valid ones, and ones that break one rule each.

    from hypothesis import given
    from l4e_contract.strategies import describe_model_responses, describe_model_violations

    @given(describe_model_responses(form="parsed"))
    def test_my_reader_handles_any_model(response): ...

    @given(describe_model_violations(rule="time.training-data-range"))
    def test_my_guard_rejects_it(broken): ...   # broken.response, broken.rule, broken.how

Both are built from the same contract the validators read (the schema, the rule catalogue),
so a response from `describe_model_responses` passes `validate` with no errors and no warnings,
and one from `describe_model_violations(rule=r)` is reported with `r` and nothing else.
"""
from __future__ import annotations

from typing import Any, Iterable, NamedTuple

from hypothesis import strategies as st

from l4e_contract.strategies.lifecycle import FORMS, LIFECYCLES, draw_model, in_form, write
from l4e_contract.strategies.mutations import MUTATIONS, Mutation

__all__ = ["describe_model_responses", "describe_model_violations", "Broken", "LIFECYCLES", "FORMS",
           "rule_ids", "mutated_rules", "in_form"]


class Broken(NamedTuple):
    """A response that breaks exactly one rule: `rule` is its id, `how` says what was done."""

    response: Any
    rule: str
    how: str


def rule_ids() -> list[str]:
    """Every id the contract reports: the schema's (form.object, schema.*) and every registered rule."""
    from l4e_contract.rules import all_rules

    return [r.id for r in all_rules()]


def mutated_rules() -> list[str]:
    """Ids that have a mutation here (the self-test compares this with `rule_ids()`)."""
    return sorted(MUTATIONS)


def _stages(lifecycles) -> tuple[str, ...] | None:
    if lifecycles is None:
        return None
    stages = (lifecycles,) if isinstance(lifecycles, str) else tuple(lifecycles)
    unknown = [s for s in stages if s not in LIFECYCLES]
    if unknown or not stages:
        raise ValueError(f"unknown lifecycle stage(s) {unknown}; known: {', '.join(LIFECYCLES)}")
    return stages


def describe_model_responses(form: str = "wire", *, lifecycles: str | Iterable[str] | None = None,
                             labels: bool | str | None = None, kms: bool | None = None,
                             off_condition: bool | None = None, diagnostics: bool | None = None,
                             scheduler: bool | None = None, edge_cases: bool = True) -> st.SearchStrategy[dict]:
    """Contract-valid DescribeModel responses.

    form: "wire" (the HTTP body: epoch seconds), "parsed" (boto3's dict dumped to JSON: RFC 3339
    text, any offset, isoformat() or str() style, sometimes with ResponseMetadata) or "boto3"
    (aware datetimes, what a client returns and what a Stubber takes).
    lifecycles: one or more of LIFECYCLES (default: all).
    labels ("s3", "group", True, False), kms, off_condition, diagnostics, scheduler: None draws
    each feature, True forces it, False leaves it out.
    edge_cases: lean on boundaries (1- and 200-character names, 5,000-character reasons,
    50,000-character metrics, minimum and maximum bucket names) in some examples.
    """
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, not {form!r}")
    if labels not in (None, True, False, "s3", "group"):
        # any other text would mark the model labelled and give it no labels: invalid "valid" responses
        raise ValueError(f'labels must be None, True, False, "s3" or "group", not {labels!r}')
    return _responses(form, _stages(lifecycles), edge_cases, dict(
        labels=labels, kms=kms, off_condition=off_condition, diagnostics=diagnostics, scheduler=scheduler))


@st.composite
def _responses(draw, form, stages, edge_cases, features):
    doc, facts = draw_model(draw, stages, edge_cases, **features)
    # the writing choices come from the response's own seed: no extra draw
    return write(doc, form, facts["writing"]) if form != "wire" else doc


@st.composite
def _broken(draw, mutation: Mutation, form: str | None) -> Broken:
    # a breakage that exists only in some forms (form.timestamp-valid: parsed text) comes in one of them
    forms = mutation.forms or ((form,) if form else FORMS)
    chosen = draw(st.sampled_from(forms))
    doc, facts = draw_model(draw, **mutation.base)
    if not mutation.late:
        doc = mutation.mutate(draw, doc, facts)
    doc = write(doc, chosen, facts["writing"])
    if mutation.late:
        doc = mutation.mutate(draw, dict(doc), facts, chosen)
    return Broken(doc, mutation.rule, mutation.how)


def describe_model_violations(rule: str | None = None, form: str | None = "wire") -> st.SearchStrategy[Broken]:
    """Responses that break exactly one rule, as `Broken(response, rule, how)`.

    rule: a rule id (`l4e-contract rules` lists them; schema-level ids such as schema.pattern and
    form.object included); None draws any. form: "wire", "parsed", "boto3", or None for any.
    A breakage that exists in one form only (form.timestamp-valid: impossible dates in RFC 3339
    text) comes in that form whatever form is asked for.
    """
    if form is not None and form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)} or None, not {form!r}")
    if rule is None:
        return st.sampled_from(mutated_rules()).flatmap(lambda r: _broken(MUTATIONS[r], form))
    if rule not in MUTATIONS:
        known = set(rule_ids())
        why = "has no mutation yet" if rule in known else "is not a rule id (see `l4e-contract rules`)"
        raise ValueError(f"{rule!r} {why}")
    return _broken(MUTATIONS[rule], form)
