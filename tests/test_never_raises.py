"""validate() never raises, whatever it is given: every odd value is a finding, never an exception.

JSON allows what Python then holds oddly (a lone surrogate "\ud800", integers of any size); users'
fakes hand over Mappings, Decimals, tuples, bytes, and datetimes whose tzinfo answers None or fails.
"""
from __future__ import annotations

import collections.abc
import datetime as _dt
import decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import l4e_contract
from l4e_contract.contract import committed
from l4e_contract.strategies import describe_model_responses

from examples import as_boto3, valid_wire


class NoOffset(_dt.tzinfo):
    """A tzinfo whose utcoffset() is None: Python calls such a datetime naive."""

    def utcoffset(self, moment):
        return None

    def dst(self, moment):
        return None


class Failing(_dt.tzinfo):
    def utcoffset(self, moment):
        raise RuntimeError("this tzinfo fails")


class Frozen(collections.abc.Mapping):
    def __init__(self, data):
        self._data = dict(data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


class Broken(collections.abc.Mapping):
    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        raise RuntimeError("cannot iterate")

    def __len__(self):
        return 1


ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)  # lone surrogates included
ODD = st.one_of(
    ANY_TEXT, st.just("\ud800"), st.just("x\udfffy"),
    st.integers(min_value=-(2**80), max_value=2**80), st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), st.binary(max_size=8),
    st.datetimes(timezones=st.sampled_from([_dt.timezone.utc, NoOffset(), Failing(), None])),
    st.tuples(st.integers()), st.builds(Frozen, st.dictionaries(ANY_TEXT, st.integers(), max_size=3)),
    st.recursive(st.none() | st.integers() | ANY_TEXT,
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
                 max_leaves=10),
)
MEMBERS = st.sampled_from([*committed.schema()["properties"], "NotAMember", "\ud800"])


def _never_raises(doc):
    report = l4e_contract.validate(doc)
    for v in report.violations + report.warnings:
        assert isinstance(v.message, str) and v.rule and v.message
        v.message.encode("utf-8", "backslashreplace")  # printable however it is written
    assert not any(v.rule == "internal.rule-crashed" for v in report.violations), report.explain()
    return report


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_an_odd_value_in_any_member_is_a_finding_never_an_exception(data):
    doc = data.draw(describe_model_responses(form=data.draw(st.sampled_from(["wire", "parsed", "boto3"]))))
    for _ in range(data.draw(st.integers(1, 4))):
        doc[data.draw(MEMBERS)] = data.draw(ODD)
    _never_raises(doc)


@settings(max_examples=100, deadline=None)
@given(ODD)
def test_anything_at_all_is_a_finding_never_an_exception(value):
    _never_raises(value)


def test_lone_surrogates_are_findings():
    doc = valid_wire()
    doc["ModelName"] = "\ud800"
    doc["LabelsInputConfiguration"]["S3InputConfiguration"]["Prefix"] = "labels/\udc00/"
    report = _never_raises(doc)
    assert "schema.pattern" in report.rules  # a name of the model's alphabet has no surrogate


def test_a_tzinfo_that_answers_none_is_naive_and_named():
    doc = as_boto3(valid_wire())
    doc["CreatedAt"] = doc["CreatedAt"].replace(tzinfo=NoOffset())
    report = _never_raises(doc)
    assert [(v.pointer, v.rule) for v in report.violations] == [("/CreatedAt", "schema.timestamp")]
    assert "no UTC offset" in report.violations[0].message


def test_a_tzinfo_that_fails_is_a_finding():
    doc = as_boto3(valid_wire())
    doc["CreatedAt"] = doc["CreatedAt"].replace(tzinfo=Failing())
    assert "schema.timestamp" in _never_raises(doc).rules


def test_a_mapping_is_read_as_an_object():
    assert _never_raises(Frozen(valid_wire())).valid
    report = _never_raises(Broken())
    assert report.rules == {"form.object"}


def test_decimals_are_numbers():
    doc = valid_wire()
    doc["ActiveModelVersion"] = decimal.Decimal(1)
    doc["CreatedAt"] = decimal.Decimal(str(doc["CreatedAt"]))
    _never_raises(doc)
    doc["CreatedAt"] = decimal.Decimal("NaN")
    assert not _never_raises(doc).valid


def test_a_value_nested_thousands_deep_is_named_not_raised():
    deep = []
    for _ in range(5000):
        deep = [deep]
    doc = valid_wire()
    doc["Schema"] = deep
    report = _never_raises(doc)
    assert [(v.pointer, v.rule) for v in report.violations] == [("/Schema", "schema.type")]
