"""The rules' fast verdict: the `holds` expressions of every rule that applies, fused into one function.

Nearly every response a run sees breaks nothing, and asking some forty rules one by one (a generator
each, a Context method or two each) cost far more than what they test. So each rule also states its
verdict as one Python expression, true exactly when the rule finds nothing, and the runner compiles the
expressions of every rule that applies to a response's shape into one function, once per shape, in the
manner of `schema_fast`. Only a response whose fused verdict is false (or raises) goes to the rules'
own functions, which find and word what is wrong: the fused function decides nothing on its own.

An expression reads these names (bound once per response, not once per rule):

    d       the response (a dict): d.get("Status"), "FailedReason" in d
    t(m)    the epoch seconds of timestamp member m, whatever its form; None if absent or unusable
    arn(m)  member m parsed as an ARN (arns.Arn), or None
    ctx     the Context, for anything else it offers (ctx.int(m), ctx.str(m), ctx.memo)

and the functions a rule module exposes with `@helper` (their names are global: one namespace for
every rule). An expression must never raise on any response: a wrong type reads as "finds nothing"
exactly when the rule's function would find nothing. tests/test_fused.py checks every rule's
expression against its function on every recording, every shape of them, and generated responses
that keep and break each rule.
"""
from __future__ import annotations

import builtins
from typing import Callable

HELPERS: dict[str, object] = {}
_BOUND = ("d", "t", "arn", "ctx")


def helper(fn):
    """Expose `fn` to `holds` expressions under its own name."""
    name = fn.__name__
    if name in _BOUND or HELPERS.get(name, fn) is not fn:
        raise ValueError(f"helper name {name!r} is taken")
    HELPERS[name] = fn
    return fn


def quiet(findings) -> bool:
    """True when a rule's generator yields nothing: how a rule without `holds` takes part."""
    for _ in findings:
        return False
    return True


def check_expression(rule_id: str, expression: str) -> None:
    """Refuse, at registration, an expression that is not one Python expression."""
    try:
        compile(expression, f"<holds of {rule_id}>", "eval")
    except SyntaxError as exc:
        raise ValueError(f"rule {rule_id}: holds is not a Python expression: {exc.msg}") from None


def _function(terms: list[str], constants: dict, name: str) -> Callable:
    body = " and\n            ".join(f"({term})" for term in terms) if terms else "True"
    source = (f"def {name}(ctx):\n"
              "    d = ctx.doc\n    t = ctx.time\n    arn = ctx.arn\n"
              f"    return ({body})\n")
    namespace = {"__builtins__": builtins, "quiet": quiet, **HELPERS, **constants}
    exec(compile(source, f"<l4e_contract {name}>", "exec"), namespace)  # noqa: S102 - our own rules' code
    fn = namespace[name]
    fn.source = source
    return fn


def compile_expression(expression: str) -> Callable:
    """One expression as a function of the Context; helpers are looked up when it first runs."""
    compiled = None

    def verdict(ctx) -> bool:
        nonlocal compiled
        if compiled is None:
            compiled = _function([expression], {}, "holds")
        return compiled(ctx)

    return verdict


def fuse(rules) -> Callable:
    """One function of the Context: true when no rule in `rules` can find anything.

    A rule without an expression is asked through its generator, so every rule has its say."""
    terms, constants = [], {}
    for n, r in enumerate(rules):
        if r.holds is not None:
            terms.append(r.holds)
        else:
            constants[f"CHECK{n}"] = r.check
            terms.append(f"quiet(CHECK{n}(ctx))")
    return _function(terms, constants, "fused")
