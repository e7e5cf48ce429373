"""The schema compiled to one yes/no Python function: the fast path for valid responses.

`jsonschema` words every error well but walks the schema anew for every instance
(about 2 ms a response). Almost every response a run sees is valid, so the schema
is compiled once, into plain Python source, to a function that answers only
"certainly valid?". `schema_check` asks it first and asks `jsonschema` to find and
word the errors only when the answer is no.

The compiled check may err in one direction only: towards asking jsonschema.
A value it is unsure of (a str subclass, a Decimal, a float where an integer is
due) makes it answer no, and jsonschema decides. It accepts nothing jsonschema
rejects: patterns are searched with the same ECMA-262 engine (`patterns`), types,
lengths (code points) and bounds follow jsonschema's Draft 2020-12 definitions,
and `format` is an annotation, as in `schema_check`'s validator (no format
checker). A keyword it does not know makes `compile_schema` fail, and then every
document goes to jsonschema: slower, never wrong.

`source()` shows the generated code.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

from l4e_contract.contract import committed
from l4e_contract.contract import patterns

# keywords that never reject anything in schema_check's validator
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "format",
                          "examples", "default", "deprecated", "readOnly", "writeOnly"})

# jsonschema's Draft 2020-12 type checker, narrowed where it is wider than the wire:
# numbers are int and float only (it also takes Decimal, Fraction...: those go to jsonschema)
_TYPE_TESTS = {
    "string": "isinstance({v}, str)",
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "boolean": "({v} is True or {v} is False)",
    "null": "{v} is None",
    "number": "({v}.__class__ is int or {v}.__class__ is float)",
    # jsonschema counts a float with no fractional part as an integer
    "integer": "({v}.__class__ is int or ({v}.__class__ is float and {v}.is_integer()))",
}


class Unsupported(ValueError):
    """The schema uses a keyword this compiler does not implement."""


class _Compiler:
    def __init__(self, schema: dict, closed: bool = False):
        self.schema = schema
        self.closed = closed  # objects also refuse members the schema does not name (schema.unknown-member)
        self.lines: list[str] = []
        self.names: dict[str, object] = {}  # constants the generated code reads (regex finders, sets)
        self.functions: dict[int, str] = {}  # id(schema node) -> function name
        self.in_progress: set[int] = set()  # functions being generated, and $refs being inlined:
        self.inlining: set[int] = set()     # met again, they are a cycle this compiler does not do
        self.count = 0

    def resolve(self, ref: str) -> dict:
        if not ref.startswith("#/$defs/"):
            raise Unsupported(f"$ref {ref}")
        return self.schema["$defs"][ref[len("#/$defs/"):]]

    def constant(self, prefix: str, value) -> str:
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def function(self, node: dict) -> str:
        """Name of a generated function `f(v) -> bool` for an object node."""
        key = id(node)
        if key in self.functions:
            return self.functions[key]
        if key in self.in_progress:
            raise Unsupported("recursive $ref")
        self.in_progress.add(key)
        self.count += 1
        name = f"check_{self.count}"
        body = [f"if not ({self.expression(node, 'v', objects=False)}): return False",
                *self.object_lines(node, guarded=node.get("type") == "object"), "return True"]
        self.in_progress.discard(key)
        self.functions[key] = name
        self.lines.append(f"def {name}(v):\n" + "".join(f"    {line}\n" for line in body))
        return name

    def expression(self, node: dict, v: str, objects: bool = True) -> str:
        """A Python test of the variable `v` that holds when `node` accepts its value.

        Objects (members to walk) are checked by a function of their own.
        """
        unknown = set(node) - _ANNOTATIONS - {"$ref", "type", "enum", "minLength", "maxLength", "pattern",
                                              "minimum", "maximum", "required", "properties", "anyOf"}
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)}")
        if objects and ("required" in node or "properties" in node):
            return f"{self.function(node)}({v})"
        conds: list[str] = []  # all must hold; evaluated in order, so cheap tests guard costly ones
        if "$ref" in node:
            target = self.resolve(node["$ref"])
            key = id(target)
            if key in self.inlining:
                raise Unsupported("recursive $ref")
            self.inlining.add(key)
            conds.append(self.expression(target, v))
            self.inlining.discard(key)
        kind = node.get("type")
        if kind is not None:
            kinds = [kind] if isinstance(kind, str) else list(kind)
            if not kinds or any(k not in _TYPE_TESTS for k in kinds):
                raise Unsupported(f"type {kind!r}")
            conds.append(" or ".join(_TYPE_TESTS[k].format(v=v) for k in kinds))
        is_str = kind == "string"  # then the string keywords need no guard of their own
        if "enum" in node:
            values = node["enum"]
            if not values or not all(isinstance(x, str) for x in values):
                raise Unsupported("enum of non-strings")  # equality across types is jsonschema's business
            # exactly str: a subclass may redefine equality, so jsonschema judges it
            conds.append(f"{v}.__class__ is str and {v} in {self.constant('ENUM', frozenset(values))}")
        string_tests = []  # cheap length tests first: a 20 MB string never reaches the regex
        if "minLength" in node and int(node["minLength"]) > 0:
            string_tests.append(f"len({v}) >= {int(node['minLength'])}")
        if "maxLength" in node:
            string_tests.append(f"len({v}) <= {int(node['maxLength'])}")
        if "pattern" in node:
            finder = patterns.compile_pattern(node["pattern"]).find
            string_tests.append(f"{self.constant('FIND', finder)}({v}) is not None")
        if string_tests:
            test = " and ".join(string_tests)
            conds.append(test if is_str else f"not isinstance({v}, str) or ({test})")
        for kw, op in (("minimum", ">="), ("maximum", "<=")):
            if kw in node:
                bound = node[kw]
                if bound.__class__ not in (int, float) or bound - bound != 0:  # not a finite number
                    raise Unsupported(f"{kw} {bound!r}")
                # only int and float are compared here; any other number goes to jsonschema
                number_test = f"({v}.__class__ is int or {v}.__class__ is float) and {v} {op} {bound!r}"
                # the bound applies to numbers only; a value of no JSON type at all goes to jsonschema
                conds.append(number_test if kind in ("integer", "number") else
                             f"isinstance({v}, (str, dict, list, bool)) or {v} is None or ({number_test})")
        if "anyOf" in node:
            if not node["anyOf"]:
                raise Unsupported("empty anyOf")
            options = [self.expression(sub, v) for sub in node["anyOf"]]
            conds.append(" or ".join(f"({o})" if " or " in o else o for o in options))
        return " and ".join(f"({c})" if " or " in c else c for c in conds) if conds else "True"

    def object_lines(self, node: dict, guarded: bool) -> list[str]:
        """Straight-line checks of each member the node names: one dict lookup each, no calls."""
        lines = [] if guarded else ["if not isinstance(v, dict): return True"]
        for member in node.get("required", ()):
            lines.append(f"if {member!r} not in v: return False")
        props = node.get("properties")
        if self.closed and props:
            lines.append(f"if not {self.constant('KNOWN', frozenset(props))}.issuperset(v): return False")
        if props:
            lines.append("get = v.get")
            for member, sub in props.items():
                test = self.expression(sub, "x")
                if test != "True":
                    lines.append(f"x = get({member!r}, ABSENT)")
                    lines.append(f"if x is not ABSENT and not ({test}): return False")
        # members the schema does not name pass (no additionalProperties): unknown-member is a rule
        return lines

    def shape_function(self, members: frozenset) -> str:
        """Name of `f(v) -> bool` for a response with exactly these members, known to be a dict: the
        root's checks for those members only, each read with one subscript, and nothing else."""
        node = self.schema
        props = node.get("properties") or {}
        self.count += 1
        name = f"shape_{self.count}"
        if not set(node.get("required", ())) <= members or not members <= props.keys():
            body = ["return False"]  # a required member is missing, or an unknown one is there: look closer
        else:
            body = [f"if not ({self.expression(node, 'v', objects=False)}): return False"]
            for member, sub in props.items():
                test = self.expression(sub, "x") if member in members else "True"
                if test != "True":
                    body += [f"x = v[{member!r}]", f"if not ({test}): return False"]
            body.append("return True")
        self.lines.append(f"def {name}(v):\n" + "".join(f"    {line}\n" for line in body))
        return name

    def compile(self, root: str | None = None) -> tuple[Callable[[object], bool], str]:
        root = root or self.function(self.schema)
        source = "\n".join(self.lines)
        namespace = {**self.names, "ABSENT": object()}
        exec(compile(source, "<l4e_contract compiled schema>", "exec"), namespace)  # noqa: S102 - our own code
        return namespace[root], source


def compile_schema(schema: dict) -> tuple[Callable[[object], bool], str]:
    """(is_valid, its source) for a schema; Unsupported if it uses a keyword not implemented here."""
    return _Compiler(schema).compile()


@lru_cache(maxsize=1)
def _compiled():
    try:
        return compile_schema(committed.schema())
    except (Unsupported, patterns.PatternError):
        return None, ""


def for_shape(members: frozenset) -> Callable[[dict], bool] | None:
    """A check of a response (a dict) with exactly `members`: true only when the schema certainly
    accepts it and the contract knows every member in it (and in its objects). None if the schema
    cannot be compiled. The runner keeps one per shape it meets, beside its rules' fused verdict."""
    if not available():
        return None
    compiler = _Compiler(committed.schema(), closed=True)
    return compiler.compile(compiler.shape_function(members))[0]


def is_valid(instance) -> bool:
    """True only when the schema certainly accepts `instance`; False means: ask jsonschema."""
    check = _compiled()[0]
    if check is None:
        return False
    try:
        return check(instance)
    except Exception:  # an exotic value (a dict with unhashable...): jsonschema will say what it is
        return False


def available() -> bool:
    return _compiled()[0] is not None


def source() -> str:
    """The generated code, to read or debug."""
    return _compiled()[1]
