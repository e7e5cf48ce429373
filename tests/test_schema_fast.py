"""The compiled schema (schema_fast) is only a shortcut: it never accepts what jsonschema rejects.

Every document below is judged by both. The compiled check may answer "not sure"
(False) for a valid document, which costs time only; it must never answer True
for a document in which jsonschema finds an error. And on the bundled valid
recordings it must answer True, or the fast path would be dead code.
"""
from __future__ import annotations

import copy
import datetime as _dt
import decimal
import json

from functools import lru_cache

import pytest

from l4e_contract.contract import committed
from l4e_contract.contract import paths
from l4e_contract.contract import schema_check
from l4e_contract.contract import schema_fast
from l4e_contract.check.runner import validate

from examples import as_boto3, as_parsed, valid_parsed, valid_wire


def jsonschema_errors(doc) -> list:
    return list(schema_check._validator().iter_errors(doc))


def bundled(kind: str) -> list[tuple[str, object]]:
    root = paths.recordings_dir() / kind
    return [(str(p.relative_to(root)), json.loads(p.read_text())) for p in sorted(root.rglob("*.json"))]


class Str(str):
    """A str subclass: jsonschema calls it a string; the compiled check defers to it."""


# values that sit on the edges of what the schema's keywords and ECMA-262 patterns accept
TRICKY = [
    None, True, False, 0, 1, -1, 1.0, 1.5, 0.0, 2 ** 70, float("nan"), float("inf"), decimal.Decimal("1"),
    "", " ", "x", "a" * 201, "a" * 5001, "\n", "x\n", "ok\r", "\u2028", "e\u0301", "\u0301",
    "\u0661\u0662", "pump-7", "pump-7\n", "pump 7", Str("pump-7"), Str("SUCCESS"), "SUCCESS", "success",
    "PT5M", "STOPPED", "QUALITY_THRESHOLD_MET", [], ["x"], {}, {"Bucket": "my-bucket"}, {"Bucket": "a"},
    {"S3OutputConfiguration": {"Bucket": "my-bucket"}}, {"S3OutputConfiguration": {}},
    {"S3InputConfiguration": {"Bucket": "my-bucket", "Prefix": "labels/"}}, {"LabelGroupName": "g\n"},
    {"TargetSamplingRate": "PT5M"}, {"TargetSamplingRate": "PT2M"},
    "2023-01-01T00:00:00+00:00", "2023-01-01 00:00:00Z", "2023-01-01T00:00:00", "2023-01-01T00:00:00+00:00\n",
    "2023-13-45T99:99:99+00:00", "\u0662023-01-01T00:00:00Z",
    "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump-7/abc",
    "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump-7/\r",
    "arn:aws:lookoutequipment:us-east-1:12345678901\u0662:model/pump-7/abc",
    "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump-7/abc/model-version/1",
    "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump-7/abc/model-version/1\n",
    "arn:aws:lookoutequipment:us-east-1:123456789012:dataset/d/abc",
    "arn:aws:iam::123456789012:role/r", "arn:aws:iam::123456789012:role/\u2029",
    "arn:aws:kms:us-east-1:123456789012:key/k", "arn:aws:kms:us-east-1:12345678901\u0663:key/k",
    "arn:aws:kms:us-east-1:123456789012:key/\u00e9",
    _dt.datetime(2023, 1, 1, tzinfo=_dt.timezone.utc), _dt.datetime(2023, 1, 1),
]


def _one_member_per_definition() -> list[str]:
    seen, names = set(), []
    for name, node in committed.schema()["properties"].items():
        key = json.dumps(node, sort_keys=True)
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


@lru_cache(maxsize=1)
def mutants() -> list[tuple[str, dict]]:
    """Each member removed, and one member of each definition set to each tricky value."""
    return list(_mutants())


def _mutants():
    base = valid_wire()
    for name in committed.schema()["properties"]:
        doc = copy.deepcopy(base)
        doc.pop(name, None)
        yield f"without {name}", doc
    for name in [*_one_member_per_definition(), "Unknown"]:
        for i, value in enumerate(TRICKY):
            doc = copy.deepcopy(base)
            doc[name] = value
            yield f"{name}={i}", doc
    for name in ("LabelsInputConfiguration", "ModelDiagnosticsOutputConfiguration"):
        for key, value in [("S3InputConfiguration", {"Bucket": "b" * 64}), ("LabelGroupName", ""),
                           ("KmsKeyId", "-bad"), ("S3OutputConfiguration", {"Bucket": "ok-bucket", "Prefix": "\u0100"}),
                           ("S3OutputConfiguration", {"Bucket": "ok-bucket", "Prefix": "a/"}),
                           ("S3OutputConfiguration", {"Prefix": "a/"})]:
            doc = copy.deepcopy(base)
            doc.setdefault(name, {})[key] = value
            yield f"{name}.{key}={value!r}", doc


def test_the_bundled_schema_compiles():
    assert schema_fast.available(), "a schema keyword the compiler does not know: every document takes the slow path"
    assert "def " in schema_fast.source()


@pytest.mark.parametrize("kind", ["valid/wire", "valid/parsed"])
def test_valid_recordings_take_the_fast_path(kind):
    docs = bundled(kind)
    assert docs
    for name, doc in docs:
        assert not jsonschema_errors(doc), name
        assert schema_fast.is_valid(doc), name


@lru_cache(maxsize=1)
def judged() -> list[tuple[str, dict, list]]:
    """(name, document, jsonschema's errors) of every probe, judged once for the tests below."""
    corpus = [*bundled("invalid"), *bundled("warnings"), *mutants(),
              ("parsed", valid_parsed()), ("not an object", [1]), ("null", None)]
    return [(name, doc, jsonschema_errors(doc)) for name, doc in corpus]


def test_never_accepts_what_jsonschema_rejects():
    for name, doc, errors in judged():
        if schema_fast.is_valid(doc):
            assert not errors, f"{name}: the compiled check accepted a document jsonschema rejects: {errors[0].message}"
    assert len(judged()) > 1000 and sum(bool(e) for *_, e in judged()) > 500  # the corpus probes both sides


def test_agrees_with_jsonschema_on_plain_json_values():
    """On JSON's own value types the shortcut is exact, so valid documents stay fast."""
    for name, doc, errors in judged():
        if isinstance(doc, dict) and any(isinstance(v, (Str, decimal.Decimal, _dt.datetime)) for v in doc.values()):
            continue
        assert schema_fast.is_valid(doc) == (not errors), name


def test_ecma_262_pattern_semantics_hold_on_the_fast_path():
    doc = valid_wire()
    for member, value in [("ModelName", "pump-7\n"),  # $ does not match before a final newline
                          ("RoleArn", "arn:aws:iam::12345678901\u0662:role/r"),  # \d is [0-9] only
                          ("RoleArn", "arn:aws:iam::123456789012:role/\r"),  # . matches no line terminator
                          ("FailedReason", "\u0301")]:  # \p{M} is understood (and matched)
        bad = {**doc, member: value}
        assert schema_fast.is_valid(bad) == (not jsonschema_errors(bad)), (member, value)
    assert schema_fast.is_valid({**doc, "Status": "FAILED", "FailedReason": "e\u0301"})


def test_unknown_keywords_refuse_to_compile():
    with pytest.raises(schema_fast.Unsupported):
        schema_fast.compile_schema({"type": "object", "properties": {"a": {"const": 1}}})
    with pytest.raises(schema_fast.Unsupported):
        schema_fast.compile_schema({"$defs": {"A": {"$ref": "#/$defs/A"}}, "$ref": "#/$defs/A"})
    with pytest.raises(schema_fast.Unsupported):
        schema_fast.compile_schema({"minimum": float("inf")})


def test_keywords_without_a_type_apply_to_their_own_kind_only():
    check, _ = schema_fast.compile_schema({"minimum": 2, "minLength": 2, "required": ["a"]})
    assert check("ab") and check(3) and check({"a": 1}) and check([1]) and check(None) and check(True)
    assert not check("a") and not check(1) and not check({}) and not check(1.5)
    assert not check(decimal.Decimal(3))  # not an int or float: left to jsonschema


def _unknown(doc) -> list:
    return list(schema_check.check_unknown_members(doc))


@lru_cache(maxsize=None)
def _shape_check_of(members: frozenset):
    return schema_fast.for_shape(members)


def _shape_check(doc):
    return _shape_check_of(frozenset(doc))


@pytest.mark.parametrize("kind", ["valid/wire", "valid/parsed"])
def test_valid_recordings_pass_the_check_of_their_shape(kind):
    for name, doc in bundled(kind):
        assert _shape_check(doc)(doc), name


def test_the_check_of_a_shape_never_accepts_an_error_or_an_unknown_member():
    accepted = 0
    for name, doc, errors in judged():
        if isinstance(doc, dict) and _shape_check(doc)(doc):
            accepted += 1
            assert not errors, f"{name}: accepted a document jsonschema rejects: {errors[0].message}"
            assert not _unknown(doc), f"{name}: accepted a document with a member the contract does not know"
    assert accepted > 100


def test_the_check_of_a_shape_agrees_on_plain_json_values():
    for name, doc, errors in judged():
        if not isinstance(doc, dict) or any(isinstance(v, (Str, decimal.Decimal, _dt.datetime)) for v in doc.values()):
            continue
        assert _shape_check(doc)(doc) == (not errors and not _unknown(doc)), name


def test_the_check_of_a_shape_refuses_unknown_members_at_every_depth():
    doc = valid_wire()
    assert _shape_check(doc)(doc)
    top = {**doc, "NewMember": 1}
    nested = copy.deepcopy(doc)
    nested["LabelsInputConfiguration"]["S3InputConfiguration"]["NewKey"] = "x"
    missing = {k: v for k, v in doc.items() if k != "ModelArn"}
    for bad in (top, nested, missing):
        assert not _shape_check(bad)(bad)
    assert "ModelArn" not in missing and not _shape_check(missing)(doc)  # a required member absent: always "look closer"


def test_validate_reports_the_same_with_or_without_the_fast_path(monkeypatch):
    import importlib

    docs = [doc for _, doc in [*bundled("invalid"), *bundled("warnings"), *bundled("valid/wire")]]
    docs += [doc for _, doc in mutants()[::5]]
    # the same responses as boto3's dicts (a Stubber's) and in the parsed form: the fast path reads
    # their datetimes and texts too
    wire = [d for d in docs if isinstance(d, dict)]
    docs += [as_boto3(d) for d in wire] + [as_parsed(d) for d in wire[::3]]
    runner = importlib.import_module("l4e_contract.check.runner")
    monkeypatch.setattr(runner, "_SPECIALISE_AT", 1)  # every shape's compiled checks from its first response
    monkeypatch.setattr(runner, "_PLANS", {})
    fast = [validate(d).to_dict() for d in docs]
    assert all(runner._plan(frozenset(d)).compiled() for d in docs if isinstance(d, dict))
    cleared = sum(1 for d in docs if isinstance(d, dict) and runner._fast_report(d, runner._plan(frozenset(d))))
    assert cleared >= 20, "the fast path cleared too few of these for the comparison to mean much"
    monkeypatch.setattr(schema_fast, "is_valid", lambda instance: False)
    monkeypatch.setattr(schema_fast, "for_shape", lambda members: None)
    monkeypatch.setattr(importlib.import_module("l4e_contract.check.runner"), "_PLANS", {})
    slow = [validate(d).to_dict() for d in docs]
    assert fast == slow
