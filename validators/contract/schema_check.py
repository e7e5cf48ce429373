"""The schema half of the contract: JSON Schema 2020-12 via `jsonschema`, patterns via ECMA-262.

Every error becomes a Violation with rule id "schema.<keyword>". Messages never
quote a long instance: a 20 MB string is described by its length, not copied
into the report.

Two well-kept engines, each for what it does best (docs/performance.md has the figures):
jsonschema-rs (compiled, ECMA-262 regular expressions) answers "valid?" for every
document; jsonschema runs, and is imported, only for a document that is not, to
find and word every error, with its patterns searched by `regress` (ECMA-262 too).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from l4e_contract.contract import committed
from l4e_contract.contract import patterns
from l4e_contract.findings import ERROR, WARNING, Violation

SHORT = 80
# date and time with no offset: what a naive datetime's isoformat() gives
_NAIVE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9:.]+\Z")


def short(value) -> str:
    text = repr(value)
    if len(text) <= SHORT:
        return text
    size = (f"{len(value):,} characters" if isinstance(value, str)
            else f"{len(value):,} items" if isinstance(value, (list, dict)) else "long value")
    return f"{text[:SHORT - 20]}... ({size})"


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _ecma_pattern(validator, pattern, instance, schema):
    if isinstance(instance, str) and not patterns.search(pattern, instance):
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"{short(instance)} does not match {pattern!r}")


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator, validators

    cls = validators.extend(Draft202012Validator, validators={"pattern": _ecma_pattern})
    return cls(committed.schema())


def pointer_of(path) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _message(err) -> str:
    kw, inst, val = err.validator, err.instance, err.validator_value
    if kw == "type":
        return f"expected {val}, got {json_type(inst)}"
    if kw == "enum":
        return f"{short(inst)} is not one of {', '.join(val)}"
    if kw == "maxLength":
        return f"{len(inst):,} characters, longer than the maximum {val:,}"
    if kw == "minLength":
        return f"{len(inst):,} characters, shorter than the minimum {val:,}"
    if kw == "pattern":
        return f"{short(inst)} does not match the pattern {val}"
    if kw == "minimum":
        return f"{short(inst)} is below the minimum {val}"
    if kw == "maximum":
        return f"{short(inst)} is above the maximum {val}"
    if kw == "anyOf" and val == committed.definition("Timestamp")["anyOf"]:
        why = "has no UTC offset" if isinstance(inst, str) and _NAIVE.match(inst) else "is not a timestamp"
        return f"{short(inst)} {why}: expected epoch seconds (wire form) or RFC 3339 text with an offset (parsed form)"
    return err.message if len(err.message) < 300 else err.message[:300] + "..."


@lru_cache(maxsize=1)
def _fast_validator():
    import jsonschema_rs

    return jsonschema_rs.validator_for(committed.schema())


def is_valid(instance) -> bool:
    """True when the schema certainly accepts `instance`; False means: ask jsonschema, which words why.

    jsonschema-rs reads JSON values only: anything else (a datetime, a Mapping that is not a dict,
    text with a lone surrogate) raises there, and jsonschema decides.
    """
    try:
        return _fast_validator().is_valid(instance)
    except (ValueError, TypeError, OverflowError, RecursionError):
        return False


# No member of the model nests more than three levels; a value nested thousands deep cannot be
# worded by jsonschema (its messages quote the value), so such members are named by a depth walk.
MODEL_DEPTH = 8


def _depth_over(value, limit: int) -> bool:
    """Does `value` nest deeper than `limit` containers? Iterative: it must not recurse itself."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def check_schema(instance) -> Iterator[Violation]:
    if is_valid(instance):
        return
    try:
        found = list(_schema_errors(instance))
    except RecursionError:
        found = [Violation(pointer_of([m]), "schema.type",
                           f"nests more than {MODEL_DEPTH} levels deep: no shape of the model does")
                 for m, v in instance.items() if _depth_over(v, MODEL_DEPTH)] if isinstance(instance, dict) else []
    except Exception:  # a value jsonschema cannot compare (Decimal('sNaN') raises InvalidOperation)
        found = list(_around_unreadable(instance))
    yield from found


def _around_unreadable(instance: dict) -> Iterator[Violation]:
    """The members jsonschema fails on, each named, and the others' errors as usual."""
    unreadable = []
    for m, v in instance.items():
        try:
            list(_validator().iter_errors({m: v}))
        except Exception as exc:
            unreadable.append(m)
            yield Violation(pointer_of([m]), "schema.type",
                            f"holds a {type(v).__name__} the schema cannot read ({exc.__class__.__name__})")
    rest = {m: v for m, v in instance.items() if m not in unreadable}
    yield from (v for v in _schema_errors(rest) if v.rule != "schema.required" or v.pointer[1:] not in unreadable)


def _schema_errors(instance) -> Iterator[Violation]:
    required_seen = set()
    for err in _validator().iter_errors(instance):
        pointer = pointer_of(err.absolute_path)
        if err.validator == "required":
            # jsonschema raises one error per missing member, each carrying the whole list
            if pointer in required_seen:
                continue
            required_seen.add(pointer)
            missing = [m for m in err.validator_value if isinstance(err.instance, dict) and m not in err.instance]
            for m in missing:
                yield Violation(f"{pointer}/{m}", "schema.required", f"required member {m} is missing")
            continue
        rule = "schema.timestamp" if err.validator == "anyOf" else f"schema.{err.validator}"
        yield Violation(pointer, rule, _message(err))


def check_unknown_members(instance: dict, strict: bool = False) -> Iterator[Violation]:
    """Members the contract does not know: the API grows, so a warning unless strict."""
    yield from _unknown(instance, _known_members(), [], ERROR if strict else WARNING)


@lru_cache(maxsize=1)
def _known_members() -> dict:
    """{member: the same for its own members, or None} for the schema's objects, $refs resolved once."""
    def members_of(node):
        props = committed.resolve(node).get("properties")
        if props is None:
            return None
        return {k: (None if k == "ResponseMetadata" else members_of(sub)) for k, sub in props.items()}

    return members_of(committed.schema())


def _unknown(instance, known: dict, path, severity):
    if not isinstance(instance, dict):
        return
    for key, value in instance.items():
        if key not in known:
            yield Violation(pointer_of([*path, key]), "schema.unknown-member",
                            f"member {short(key)} is not in the contract (botocore {_source_version()})",
                            severity)
        elif known[key] is not None:
            yield from _unknown(value, known[key], [*path, key], severity)


@lru_cache(maxsize=1)
def _source_version() -> str:
    import json

    from l4e_contract.contract import paths

    try:
        return json.loads(paths.source_path().read_text())["botocore_version"]
    except (OSError, ValueError, KeyError):
        return "unknown"
