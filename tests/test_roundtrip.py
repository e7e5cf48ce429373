"""Round trips through botocore's own JSON protocol parser: the forms are one contract.

wire -> parsed: a generated HTTP body, parsed by botocore's parser for DescribeModel exactly as a
client does, then dumped as users dump boto3 responses (datetime.isoformat()), is still valid and
names the same instants and values.
parsed -> wire: RFC 3339 text turned back into epoch seconds is still valid, equal in value, and
botocore parses it to the same response.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from functools import lru_cache

from hypothesis import given

import l4e_contract
from l4e_contract.contract import committed
from l4e_contract.strategies import describe_model_responses
from l4e_contract.contract.timestamps import to_epoch

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


@lru_cache(maxsize=1)
def _parser_and_shape():
    import botocore.parsers
    import botocore.session

    model = botocore.session.get_session().get_service_model("lookoutequipment")
    return botocore.parsers.create_parser("json"), model.operation_model("DescribeModel").output_shape


def botocore_parse(body: bytes) -> dict:
    """What a lookoutequipment client's describe_model returns for this HTTP body."""
    parser, shape = _parser_and_shape()
    return parser.parse({"body": body, "headers": {}, "status_code": 200}, shape)


def dumped(parsed: dict) -> dict:
    """boto3's dict dumped to JSON the usual way (json.dumps(default=...isoformat)) and read back."""
    text = json.dumps(parsed, default=lambda o: o.isoformat() if isinstance(o, dt.datetime) else str(o))
    return json.loads(text)


def micros(seconds: float) -> int:
    # boto3's datetimes hold microseconds: "equal in value" means the same microsecond
    return round(seconds * 1_000_000)


def _clean(response):
    report = l4e_contract.validate(response, strict=True)
    assert report.valid and not report.warnings, report.explain()


def assert_same_response(a: dict, b: dict):
    """Same members, same values; timestamps compared as instants, whatever their form."""
    a = {k: x for k, x in a.items() if k != "ResponseMetadata"}
    b = {k: x for k, x in b.items() if k != "ResponseMetadata"}
    assert a.keys() == b.keys()
    stamps = set(committed.timestamp_members())
    for k in a:
        if k in stamps:
            assert micros(to_epoch(a[k])) == micros(to_epoch(b[k])), (k, a[k], b[k])
        else:
            assert a[k] == b[k], k


@given(describe_model_responses("wire"))
def test_wire_body_parsed_by_botocore_then_dumped_is_still_valid(wire):
    body = json.dumps(wire).encode("utf-8")
    parsed = botocore_parse(body)
    assert all(isinstance(parsed[m], dt.datetime) for m in committed.timestamp_members() if m in wire)
    _clean(parsed)  # boto3's dict itself
    text_form = dumped(parsed)
    _clean(text_form)  # the parsed form on disk
    assert_same_response(wire, text_form)


@given(describe_model_responses("parsed"))
def test_parsed_form_back_to_epoch_seconds_is_valid_and_equal(parsed):
    wire = {k: (to_epoch(x) if k in committed.timestamp_members() else x)
            for k, x in parsed.items() if k != "ResponseMetadata"}  # metadata is no part of the body
    assert all(isinstance(wire[m], float) for m in committed.timestamp_members() if m in wire)
    _clean(wire)
    assert_same_response(parsed, wire)
    # and botocore reads that body as the same response
    assert_same_response(parsed, dumped(botocore_parse(json.dumps(wire).encode("utf-8"))))


@given(describe_model_responses("wire"))
def test_wire_to_parsed_to_wire_keeps_every_instant(wire):
    back = {k: (to_epoch(x) if isinstance(x, str) and k in committed.timestamp_members() else x)
            for k, x in dumped(botocore_parse(json.dumps(wire).encode("utf-8"))).items()}
    _clean(back)
    for m in committed.timestamp_members():
        if m in wire:
            assert micros(back[m]) == micros(wire[m]), m
