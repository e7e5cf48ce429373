"""The rule registry: small named check functions, each with an id, a severity and its basis.

A rule is a function of the Context that yields (pointer, message) pairs, one per
violation. Adding a rule is writing one such function under @rule in the module
of its family; the runner, the catalogue, the CLI and the self-test pick it up.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from l4e_contract.report import ERROR, WARNING

Finding = tuple[str, str]  # (JSON pointer, message)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    description: str
    source: str
    check: Callable[..., Iterable[Finding]]

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


RULES: dict[str, Rule] = {}


def rule(id: str, *, description: str, source: str, severity: str = ERROR):
    """Register a rule. `source` is its basis: a sentence of the documentation, the model, or logic.

    A rule whose basis is a guess about service behaviour is a WARNING: a false
    alarm on a real response costs users more than a missed one.
    """
    if severity not in (ERROR, WARNING):
        raise ValueError(f"rule {id}: severity must be error or warning")

    def register(fn):
        if id in RULES:
            raise ValueError(f"rule id {id} registered twice")
        RULES[id] = Rule(id, severity, description, source, fn)
        return fn

    return register


@dataclass(frozen=True)
class NonRule:
    """A sentence that looks like a constraint but cannot be checked from a response, and why."""

    about: str
    sentence: str
    why_not: str


NON_RULES: list[NonRule] = []


def not_a_rule(about: str, sentence: str, why_not: str) -> None:
    NON_RULES.append(NonRule(about, sentence, why_not))
