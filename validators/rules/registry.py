"""The rule registry: small named check functions, each with an id, a severity and its basis.

A rule is one plain Python function of the Context that yields (pointer, message) pairs, one per
finding, registered with @rule in the module of its family. A rule with a single finding may be
written as a predicate instead (`check_that`): true when the response is fine, with the message
to report where it is not. Either way the rule is stated once; the runner, the catalogue, the CLI
and the self-test pick it up.

A rule may say which members it cannot do without (`needs`: all of them, `needs_any`: at least
one). That is data, not logic: the runner skips the rule on a response that lacks them, and
tests/test_rule_plan.py holds every declaration to be exact.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from l4e_contract.findings import ERROR, WARNING

Finding = tuple[str, str]  # (JSON pointer, message)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    description: str
    source: str
    check: Callable[..., Iterable[Finding]]
    needs: frozenset[str] = frozenset()      # members that must all be present for a finding
    needs_any: frozenset[str] = frozenset()  # members of which one must be present, if any are named

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def basis(self) -> str:
        """What the rule rests on, by the first words of its source: "documented" (the documentation,
        the model, AWS's published formats), "logic", or "inference" (from samples, a convention, an
        observation). The project's policy: an inference is a warning."""
        return basis_of(self.source)

    def applies(self, members) -> bool:
        """Can the rule find anything in a response with these members (a set or a dict's keys)?"""
        return self.needs <= members and (not self.needs_any or not self.needs_any.isdisjoint(members))


RULES: dict[str, Rule] = {}

_INFERRED = ("inference", "samples", "convention", "observed")


def basis_of(source: str) -> str:
    head = source.split(":", 1)[0].strip().lower()
    if head.startswith(_INFERRED):
        return "inference"
    return "logic" if head == "logic" else "documented"


def rule(id: str, *, description: str, source: str, severity: str = ERROR,
         needs: Iterable[str] = (), needs_any: Iterable[str] = ()):
    """Register a rule. `source` is its basis: a sentence of the documentation, the model, or logic.

    A rule whose basis is a guess about service behaviour is a WARNING: a false
    alarm on a real response costs users more than a missed one.

    `needs` / `needs_any`: members without which the rule finds nothing (all of `needs`, one of
    `needs_any`); the runner skips it on responses that lack them. Leave them out when unsure.
    """
    if severity not in (ERROR, WARNING):
        raise ValueError(f"rule {id}: severity must be error or warning")

    def register(fn):
        if id in RULES:
            raise ValueError(f"rule id {id} registered twice")
        RULES[id] = Rule(id, severity, description, source, fn, frozenset(needs), frozenset(needs_any))
        return fn

    return register


def check_that(id: str, passes: Callable[..., bool], *, pointer: str, message: str | Callable[..., str],
               description: str, source: str, severity: str = ERROR, needs: Iterable[str] = (),
               needs_any: Iterable[str] = ()):
    """Register a rule with one finding: where `passes(ctx)` is false, the rule reports `message`
    (text, or a function of the Context that words it) at `pointer`."""
    word = message if callable(message) else (lambda ctx: message)

    def check(ctx):
        # a tuple, not a generator: the runner asks some forty of these of every response
        return () if passes(ctx) else ((pointer, word(ctx)),)

    check.__name__ = check.__qualname__ = id.replace(".", "_").replace("-", "_")
    return rule(id, description=description, source=source, severity=severity, needs=needs,
                needs_any=needs_any)(check)


@dataclass(frozen=True)
class NonRule:
    """A sentence that looks like a constraint but cannot be checked from a response, and why."""

    about: str
    sentence: str
    why_not: str


NON_RULES: list[NonRule] = []


def not_a_rule(about: str, sentence: str, why_not: str) -> None:
    NON_RULES.append(NonRule(about, sentence, why_not))
