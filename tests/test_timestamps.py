"""Timestamps at the edges: no value, however odd, makes a rule or a report crash."""
from __future__ import annotations

import json

import pytest

from l4e_contract import validate
from l4e_contract.check.results import Result
from l4e_contract.contract.timestamps import describe, parse_rfc3339, to_epoch

BASE = {"ModelName": "a", "ModelArn": "arn:aws:lookoutequipment:us-east-1:123456789012:model/a/x",
        "Status": "IN_PROGRESS", "CreatedAt": 1672531200}


@pytest.mark.parametrize("huge", [2 ** 70, -(2 ** 70), 1e300, -1e300, 253402300800])
def test_out_of_calendar_epochs_are_reported_not_crashed_on(huge):
    doc = {**BASE, "CreatedAt": huge, "LastUpdatedTime": 1.0 if huge > 0 else 1e9,
           "NextScheduledRetrainingStartDate": huge, "RetrainingSchedulerStatus": "RUNNING"}
    report = validate(doc)
    assert "internal.rule-crashed" not in report.rules | report.warning_rules
    # created after its last update exactly when the huge value is positive
    assert ("time.created-before-updated" in report.rules) == (huge > 0)
    assert "epoch seconds" in describe(huge) or describe(huge).endswith("Z")


def test_describe_names_real_instants_in_utc():
    assert describe(0) == "1970-01-01T00:00:00Z"
    assert describe(1672531200.5) == "2023-01-01T00:00:00.500000Z"
    assert describe(2 ** 70) == "1.18059e+21 epoch seconds"


def test_rfc3339_with_offsets_leap_seconds_and_long_fractions():
    assert parse_rfc3339("2023-01-01T01:00:00+01:00") == 1672531200
    assert parse_rfc3339("2016-12-31T23:59:60Z") == parse_rfc3339("2017-01-01T00:00:00Z")
    assert parse_rfc3339("2023-01-01 00:00:00.123456789Z") == pytest.approx(1672531200.123456789)
    assert to_epoch("2023-02-29T00:00:00Z") is None and to_epoch(float("nan")) is None and to_epoch(True) is None


def test_reports_draw_timelines_of_out_of_calendar_epochs(tmp_path):
    from l4e_contract.report.files import write_reports

    doc = {**BASE, "CreatedAt": 2 ** 70, "LastUpdatedTime": 1.0}
    result = Result.from_report("huge.json", validate(doc))
    where = write_reports([result], tmp_path, command="validate", documents={"huge.json": doc})
    assert json.loads((where / "report.json").read_text())["summary"]["invalid"] == 1
    assert "huge.json" in (where / "index.html").read_text()


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), 10 ** 400])
def test_wire_seconds_that_are_no_finite_float_are_violations(value):
    report = validate({**BASE, "CreatedAt": value})
    assert report.rules == {"form.timestamp-valid"}
    assert "finite number of epoch seconds" in report.violations[0].message


def test_an_overflowing_number_in_a_file_is_a_violation_and_a_huge_integer_a_load_error(tmp_path):
    from l4e_contract.cli.validate import check_file

    f = tmp_path / "inf.json"
    f.write_text(json.dumps(BASE)[:-1] + ', "LastUpdatedTime": 1e999}')
    result = check_file(str(f))
    assert result.verdict == "invalid" and {v.rule for v in result.violations} == {"form.timestamp-valid"}
    g = tmp_path / "digits.json"
    g.write_text(json.dumps(BASE)[:-1] + ', "LastUpdatedTime": ' + "1" * 5000 + "}")
    result = check_file(str(g))
    assert result.verdict == "error" and "malformed JSON" in result.error and "\n" not in result.error
