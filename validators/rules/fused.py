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
exactly when the rule's function would find nothing.

The fused function is specialised to the shape it serves (the set of members, which is what a plan
is for): `"M" in d` is a constant there, and so is what d.get, t, arn, ctx.int, ctx.str and ctx.obj
give for an absent member (None); constant parts of an `and`/`or` are folded away. Each distinct call
of those and of the helpers, with constant arguments, is made once, before the expressions, and its
result shared: so they must be pure functions of the response (the Context memoises them anyway).
A shape's verdict also comes in a wire-form version (`fuse(..., wire=True)`), a function of the
response: most responses are the HTTP body, every timestamp a float of epoch seconds. It reads each
timestamp itself, answers None at once for one that is not a finite float (the Context's verdict
decides those), and then t(m) is that float and the form rules' Context flags are true, with no pass
of the Context over the timestamps. Its Context (`Context.of_wire`) carries the rest for the helpers.

tests/test_fused.py checks every rule's expression against its function on every recording, every
shape of them, and generated responses that keep and break each rule.
"""
from __future__ import annotations

import ast
import builtins
from typing import Callable

from l4e_contract.contract import arns
from l4e_contract.contract import committed
from l4e_contract.rules.context import Context

HELPERS: dict[str, object] = {}
_BOUND = ("d", "t", "arn", "ctx")


def helper(fn):
    """Expose `fn` to `holds` expressions under its own name."""
    name = fn.__name__
    if name in _BOUND or name == "parse_arn" or hasattr(builtins, name) or HELPERS.get(name, fn) is not fn:
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


# calls the fuser may make once and share: pure functions of the response
_PURE_NAMES = {"t", "arn", "parse_arn"}
_PURE_METHODS = {("d", "get"), ("ctx", "int"), ("ctx", "str"), ("ctx", "obj")}
# isinstance(<a constant>, <one of these>) is decided when the function is built
_TYPES = {t.__name__: t for t in (str, dict, list, int, float, bool)}
# those that give None for a member the response does not have
_NONE_WHEN_ABSENT = {("name", "t"), ("name", "arn"), ("d", "get"), ("ctx", "int"), ("ctx", "str"), ("ctx", "obj")}


def _callee(node: ast.Call):
    f = node.func
    if isinstance(f, ast.Name):
        return ("name", f.id)
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        return (f.value.id, f.attr)
    return None


def _truth(node):
    """Fold `node` where only its truth matters (the verdict, `and`/`or` operands in it, `not`)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = _truth(node.operand)
        return ast.Constant(not operand.value) if isinstance(operand, ast.Constant) else ast.UnaryOp(node.op, operand)
    if not isinstance(node, ast.BoolOp):
        return node
    decisive = isinstance(node.op, ast.Or)  # true decides an `or`, false an `and`
    kept = []
    for value in map(_truth, node.values):
        if isinstance(value, ast.Constant):
            if bool(value.value) == decisive:
                return ast.Constant(decisive)
            continue  # neutral: drop it
        kept.append(value)
    if not kept:
        return ast.Constant(not decisive)
    return kept[0] if len(kept) == 1 else ast.BoolOp(node.op, kept)


def _placed(node, like):
    """`node`, and every part of it made here, at `like`'s place in the source (compile needs a place
    for every node). A node that has a place is one `ast.parse` or this function gave one, with all
    its parts: the walk stops there, so placing costs the new nodes only, not the whole tree
    (ast.fix_missing_locations was a quarter of a shape's compile time)."""
    todo = [node]
    while todo:
        n = todo.pop()
        if "lineno" in n._attributes:
            if getattr(n, "lineno", None) is not None:
                continue
            ast.copy_location(n, like)
        todo.extend(ast.iter_child_nodes(n))
    return node


class _Specialise(ast.NodeTransformer):
    """Folds what the shape decides, then names each pure call once (see the module's docstring)."""

    def __init__(self, members: frozenset | None, stamps: dict[str, str] | None = None):
        self.members = members
        self.stamps = stamps  # wire mode: timestamp member -> the local holding its epoch seconds
        self.hoisted: dict[str, str] = {}  # ast.dump of a call -> the local holding its result
        self.names: set[str] = set(stamps.values()) if stamps else set()  # those locals, and the timestamps'
        self.prelude: list[ast.stmt] = []

    def visit(self, node):
        new = super().visit(node)  # a node made here (a constant, a local's name...) gets its place
        return _placed(new, node) if new is not node and isinstance(new, ast.AST) else new

    def _absent(self, node) -> bool:
        return (self.members is not None and isinstance(node, ast.Constant) and isinstance(node.value, str)
                and node.value not in self.members)

    def visit_Compare(self, node):
        self.generic_visit(node)
        if (len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) and self.members is not None
                and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
                and isinstance(node.comparators[0], ast.Name) and node.comparators[0].id == "d"):
            present = node.left.value in self.members
            return ast.Constant(present if isinstance(node.ops[0], ast.In) else not present)
        # constants only: a comparison that binds a name (x := ...) keeps it, and is left to run
        if all(isinstance(n, ast.Constant) for n in (node.left, *node.comparators)):
            return ast.Constant(eval(compile(ast.Expression(node), "<fold>", "eval")))  # noqa: S307 - constants only
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        # wire mode: every timestamp is a finite float, so there is one form and every one is an instant
        if (self.stamps is not None and isinstance(node.value, ast.Name) and node.value.id == "ctx"
                and node.attr in ("one_form", "all_real")):
            return ast.Constant(True)
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and isinstance(node.operand, ast.Constant):
            return ast.Constant(not node.operand.value)
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        decisive = isinstance(node.op, ast.Or)  # the constant that decides an `or` is a truthy one
        values = list(node.values)
        # exact folds only: a decisive constant first is the value; a neutral one first, or before the
        # last operand, changes nothing
        while values and isinstance(values[0], ast.Constant):
            if bool(values[0].value) == decisive or len(values) == 1:
                return values[0]
            values.pop(0)
        values = [v for i, v in enumerate(values) if not (
            isinstance(v, ast.Constant) and bool(v.value) != decisive and i < len(values) - 1)]
        return values[0] if len(values) == 1 else ast.BoolOp(node.op, values)

    def visit_Call(self, node):
        self.generic_visit(node)
        callee = _callee(node)
        if (self.stamps is not None and callee == ("name", "t") and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)):
            local = self.stamps.get(node.args[0].value)  # None for a member that is not a timestamp here
            return ast.Constant(None) if local is None else ast.Name(local, ast.Load())
        if callee in _NONE_WHEN_ABSENT and node.args and self._absent(node.args[0]):
            return ast.Constant(None)
        if (callee == ("d", "get") and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
                and self.members is not None and node.args[0].value in self.members):
            # a member the shape has: a subscript, read once
            return self._hoisted(ast.Subscript(ast.Name("d", ast.Load()), node.args[0], ast.Load()))
        if callee == ("name", "arn") and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
            # arn(m) of a member named in the expression: parsed once here, without the Context's memo
            get = ast.Call(ast.Attribute(ast.Name("d", ast.Load()), "get", ast.Load()), node.args, [])
            node = ast.Call(ast.Name("parse_arn", ast.Load()), [self.visit_Call(get)], [])
            callee = ("name", "parse_arn")
        if (callee == ("name", "isinstance") and len(node.args) == 2 and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[1], ast.Name) and node.args[1].id in _TYPES):
            return ast.Constant(isinstance(node.args[0].value, _TYPES[node.args[1].id]))
        pure = (callee is not None and (callee[0] == "name" and (callee[1] in _PURE_NAMES or callee[1] in HELPERS))
                or callee in _PURE_METHODS)
        if (callee is not None and callee[0] == "name" and callee[1] in HELPERS and not node.keywords
                and all(isinstance(a, ast.Constant) for a in node.args)):
            try:  # a helper of constants is a constant
                return ast.Constant(HELPERS[callee[1]](*(a.value for a in node.args)))
            except Exception:  # noqa: BLE001 - left to run (and fail) at run time, where it sends to the rules
                pass
        if pure and not node.keywords and all(
                isinstance(a, ast.Constant) or (isinstance(a, ast.Name) and (a.id in ("ctx", "d") or a.id in self.names))
                for a in node.args):
            return self._hoisted(node)
        return node

    def _hoisted(self, node):
        """A local holding `node`'s value, computed once before the expressions."""
        key = ast.dump(node)
        name = self.hoisted.get(key)
        if name is None:
            name = self.hoisted[key] = f"_h{len(self.hoisted)}"
            self.names.add(name)
            self.prelude.append(ast.Assign([ast.Name(name, ast.Store())], node))
        return ast.Name(name, ast.Load())


def _function(terms: list[str], constants: dict, name: str, members: frozenset | None = None,
              wire: bool = False, text: bool = False) -> Callable | str:
    """def <name>(ctx): ... return (term) and (term) ..., specialised to `members` if given.

    wire: def <name>(d) instead, for a response (with exactly `members`) whose timestamps are all
    finite floats, the wire form: it reads them itself, and needs no pass of the Context over them.
    It returns None for a response with a timestamp in any other form: ask the Context's verdict.

    text: the function's source instead (see `source`)."""
    body = " and\n            ".join(f"({term})" for term in terms) if terms else "True"
    if wire:
        stamps = {m: f"_w{i}" for i, m in enumerate(m for m in committed.timestamp_members() if m in members)}
        head = f"def {name}(d):\n" + "".join(
            f"    {w} = d[{m!r}]\n    if {w}.__class__ is not float or {w} - {w} != 0.0:\n        return None\n"
            for m, w in stamps.items())
        head += f"    ctx = wire_context(d, {{{', '.join(f'{m!r}: {w}' for m, w in stamps.items())}}})\n"
    else:
        stamps = None
        head = f"def {name}(ctx):\n    d = ctx.doc\n"
    tree = ast.parse(f"{head}    t = ctx.time\n    arn = ctx.arn\n    return ({body})\n")
    fn_def = tree.body[0]
    returned = fn_def.body[-1]
    specialise = _Specialise(members, stamps)
    returned.value = _placed(_truth(specialise.visit(returned.value)), returned)
    fn_def.body[-1:-1] = [_placed(statement, returned) for statement in specialise.prelude]
    if text:
        return ast.unparse(tree)
    namespace = {"__builtins__": builtins, "quiet": quiet, "parse_arn": arns.parse, "wire_context": Context.of_wire,
                 **HELPERS, **constants}
    exec(compile(tree, f"<l4e_contract {name}>", "exec"), namespace)  # noqa: S102 - our own rules' code
    fn = namespace[name]
    # what `source` needs to write it out again: unparsing every function as it is built cost a
    # quarter of the build, and keeping its tree would cost memory, for a text read only when debugging
    fn.spec = (terms, constants, name, members, wire)
    return fn


def source(fn) -> str:
    """The Python source of a function `fuse` built: what it tests, as compiled."""
    return _function(*fn.spec, text=True)


def compile_expression(expression: str) -> Callable:
    """One expression as a function of the Context; helpers are looked up when it first runs."""
    compiled = None

    def verdict(ctx) -> bool:
        nonlocal compiled
        if compiled is None:
            compiled = _function([expression], {}, "holds")
        return compiled(ctx)

    verdict.spec = ([expression], {}, "holds", None, False)
    return verdict


def fuse(rules, members: frozenset | None = None, wire: bool = False) -> Callable:
    """One function of the Context: true when no rule in `rules` can find anything, in a response
    with exactly `members` (any response, if None).

    wire (members given): a function of the response itself, for the wire form; None where a
    timestamp is in another form (see _function).

    A rule without an expression is asked through its generator, so every rule has its say."""
    if wire and members is None:
        raise ValueError("a wire-form verdict is specialised to a shape: give its members")
    terms, constants = [], {}
    for n, r in enumerate(rules):
        if r.holds is not None:
            terms.append(r.holds)
        else:
            constants[f"CHECK{n}"] = r.check
            terms.append(f"quiet(CHECK{n}(ctx))")
    return _function(terms, constants, "fused_wire" if wire else "fused", members, wire)
