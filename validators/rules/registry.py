"""The rule registry: small named check functions, each with an id, a severity and its basis.

A rule is a function of the Context that yields (pointer, message) pairs, one per
violation. Adding a rule is writing one such function under @rule in the module
of its family; the runner, the catalogue, the CLI and the self-test pick it up.

A rule may also state its verdict as one Python expression (`holds`: true when the rule finds
nothing), over the names `rules/fused.py` documents. The runner fuses the expressions of every rule
that applies to a response into one compiled function, the fast path for responses that break
nothing; the rule's own function runs only to say what is wrong. A rule whose whole logic is that
expression and one finding is written with `check_that`, and its function is derived from it.

A rule may say which members it cannot do without (`needs`: all of them,
`needs_any`: at least one). The runner then does not call it on a response that
lacks them: most rules are about optional members, and a call that finds nothing
costs more than the set test that skips it. A declaration must be exact (the rule
finds nothing without those members); tests/test_rule_plan.py holds every rule to it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from l4e_contract.findings import ERROR, WARNING
from l4e_contract.rules import fused

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
    holds: str | None = None  # the fast verdict: a Python expression, true exactly when `check` finds nothing

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    def applies(self, members) -> bool:
        """Can the rule find anything in a response with these members (a set or a dict's keys)?"""
        return self.needs <= members and (not self.needs_any or not self.needs_any.isdisjoint(members))


class RuleTable(dict):
    """RULES: a dict whose `version` changes whenever its contents do, so the runner can keep
    its per-shape plans (which rules apply to which set of members) until a rule is added or replaced."""

    version = 0

    def _changed(self):
        self.version += 1

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._changed()

    def pop(self, *args):
        try:
            return super().pop(*args)
        finally:
            self._changed()

    def popitem(self):
        try:
            return super().popitem()
        finally:
            self._changed()

    def setdefault(self, key, default=None):
        try:
            return super().setdefault(key, default)
        finally:
            self._changed()

    def update(self, *args, **kw):
        try:
            super().update(*args, **kw)
        finally:
            self._changed()

    def clear(self):
        super().clear()
        self._changed()

    def __ior__(self, other):
        self.update(other)
        return self


RULES: dict[str, Rule] = RuleTable()


def rule(id: str, *, description: str, source: str, severity: str = ERROR,
         needs: Iterable[str] = (), needs_any: Iterable[str] = (), holds: str | None = None):
    """Register a rule. `source` is its basis: a sentence of the documentation, the model, or logic.

    A rule whose basis is a guess about service behaviour is a WARNING: a false
    alarm on a real response costs users more than a missed one.

    `needs` / `needs_any`: members without which the rule finds nothing (all of `needs`, one of
    `needs_any`); the runner skips it on responses that lack them. Leave them out when unsure.

    `holds`: the rule's verdict as an expression (rules/fused.py), true exactly when the function
    finds nothing; tests/test_fused.py holds every rule to that. Without it the rule is only slower.
    """
    if severity not in (ERROR, WARNING):
        raise ValueError(f"rule {id}: severity must be error or warning")
    if holds is not None:
        fused.check_expression(id, holds)

    def register(fn):
        if id in RULES:
            raise ValueError(f"rule id {id} registered twice")
        RULES[id] = Rule(id, severity, description, source, fn, frozenset(needs), frozenset(needs_any), holds)
        return fn

    return register


def check_that(id: str, *, holds: str, pointer: str, message: str | Callable[..., str], description: str,
               source: str, severity: str = ERROR, needs: Iterable[str] = (), needs_any: Iterable[str] = ()):
    """Register a rule that is one expression and one finding: where `holds` is false, the rule
    reports `message` (text, or a function of the Context that words it) at `pointer`."""
    verdict = fused.compile_expression(holds)
    word = message if callable(message) else (lambda ctx: message)

    def check(ctx):
        if not verdict(ctx):
            yield pointer, word(ctx)

    check.__name__ = id.replace(".", "_").replace("-", "_")
    check.__qualname__ = check.__name__
    return rule(id, description=description, source=source, severity=severity, needs=needs,
                needs_any=needs_any, holds=holds)(check)


@dataclass(frozen=True)
class NonRule:
    """A sentence that looks like a constraint but cannot be checked from a response, and why."""

    about: str
    sentence: str
    why_not: str


NON_RULES: list[NonRule] = []


def not_a_rule(about: str, sentence: str, why_not: str) -> None:
    NON_RULES.append(NonRule(about, sentence, why_not))
