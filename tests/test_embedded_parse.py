"""Embedded documents parse to exactly what the json module gives, value for value and type for type,
and fail with exactly its words: msgspec is only the fast way there (rules/embedded.py)."""
from __future__ import annotations

import json
import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from l4e_contract.rules import embedded


def _typed(value):
    """A value with every type spelt out: 1 and 1.0 and True differ, and nan equals nan."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _same(text: str) -> None:
    fast, slow = embedded._parse(text), embedded._parse_with_json(text)
    assert _typed(fast[0]) == _typed(slow[0]) and fast[1] == slow[1], (text[:200], fast, slow)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(2 ** 70), max_value=2 ** 70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300)
@given(JSON, st.booleans())
def test_json_values_parse_the_same(value, ascii_only):
    _same(json.dumps(value, ensure_ascii=ascii_only))


NUMBERS = st.from_regex(r"\A-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?\Z")


@settings(max_examples=300)
@given(NUMBERS)
@example("9223372036854775808")  # 2**63: beyond i64
@example("-9223372036854775809")
@example("18446744073709551616")  # 2**64: beyond u64
@example("123456789012345678901234567890")
@example("1e400")
@example("0.30000000000000004441")
@example("2.2250738585072011e-308")
def test_numbers_parse_the_same(number):
    _same(number)
    _same(f'{{"num_labeled": {number}, "n": [{number}]}}')


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from('{}[]",:0123456789.eE-+ \t\n\rtruefalsnNI\\u\ud800\ufeff\u00a0x'), max_size=40))
def test_text_that_may_not_be_json_fails_the_same(text):
    _same(text)


def test_the_edges_the_json_module_decides():
    for text in ['"\\ud800"', "\ud800", "NaN", "Infinity", "-Infinity", "\ufeff{}", "{}\u00a0", " {} ", "[1,]",
                 '{"a":1,"a":2}', "[" * 5000 + "]" * 5000, "", "   ", '"\x1f"', "01", "-", '{"a":1}x']:
        _same(text)
    assert embedded._parse("NaN")[1].startswith("is not JSON")
    assert embedded._parse("[" * 5000 + "]" * 5000)[1] == "nests too deeply to parse"
    assert embedded._parse("18446744073709551616")[0] == 2 ** 64  # an int, as the json module reads it
    assert type(embedded._parse("18446744073709551616")[0]) is int


def test_nesting_is_read_as_deep_as_the_json_module_reads_it():
    for depth in (100, 900, 980, 990, 995, 1000, 1024, 1100):
        text = "[" * depth + "]" * depth
        # the verdicts only: comparing the values would itself nest too deeply
        assert embedded._parse(text)[1] == embedded._parse_with_json(text)[1], depth
