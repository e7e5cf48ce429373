"""The classic mock faults are caught, with the likely cause named; real-shaped values pass.

Timestamps: every one in milliseconds or microseconds, zeros, years no model saw, events after the
capture. Each window's basis is in the catalogue (rules/time_window.py)."""
from __future__ import annotations

import datetime as _dt
import json

import pytest

import l4e_contract
from l4e_contract.cli import main
from l4e_contract.contract import committed
from l4e_contract.rules import RULES
from l4e_contract.rules.time_window import DATA_TIMES, SCHEDULED, SERVICE_EVENTS

from examples import as_parsed, epoch, valid_wire


def _scaled(doc, factor):
    return {k: (v * factor if k in committed.timestamp_members() else v) for k, v in doc.items()}


def test_every_timestamp_member_has_a_window():
    assert set(SERVICE_EVENTS) | set(SCHEDULED) | set(DATA_TIMES) == set(committed.timestamp_members())
    assert not (set(SERVICE_EVENTS) & set(DATA_TIMES))


@pytest.mark.parametrize("factor, unit", [(1e3, "milliseconds"), (1e6, "microseconds")])
def test_every_timestamp_in_a_finer_unit_is_named_as_such(factor, unit):
    # past year 9999 as seconds: botocore cannot read them, and the finding says what they likely are
    report = l4e_contract.validate(_scaled(valid_wire(), factor))
    assert report.rules == {"form.wire-timestamp-range"}
    flagged = {v.pointer[1:] for v in report.violations}
    assert flagged == {m for m in committed.timestamp_members() if m in valid_wire()}
    assert all(f"looks like {unit}" in v.message for v in report.violations)


def test_every_timestamp_zero_is_an_unset_value():
    report = l4e_contract.validate(_scaled(valid_wire(), 0))
    assert "time.plausible-event" in report.rules and "time.plausible-data" in report.rules
    assert all("unset" in v.message for v in report.violations if v.rule.startswith("time.plausible"))


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2019-11-30T00:00:00Z"])
def test_years_no_model_saw_are_errors(text):
    doc = as_parsed(valid_wire())
    doc["LastUpdatedTime" if text.startswith("9") else "CreatedAt"] = text
    assert "time.plausible-event" in l4e_contract.validate(doc).rules


def test_the_exponent_form_the_service_writes_is_valid():
    doc = valid_wire()
    text = json.dumps(doc).replace(json.dumps(doc["CreatedAt"]), "1.678786013123E9")
    assert "E9" in text
    assert l4e_contract.validate(json.loads(text)).valid


def test_the_capture_time_bounds_events():
    doc = valid_wire()  # last updated 2023-03-14T10:48:05.761Z
    assert l4e_contract.validate(doc, captured_at="2023-03-14T10:50:00Z").valid
    within_skew = _dt.datetime(2023, 3, 14, 10, 44, tzinfo=_dt.timezone.utc)
    assert l4e_contract.validate(doc, captured_at=within_skew).valid
    report = l4e_contract.validate(doc, captured_at=epoch("2023-03-14T10:00:00"))
    assert report.rules == {"time.plausible-event"}
    assert "after the response was captured" in report.violations[0].message
    with pytest.raises(ValueError, match="captured_at"):
        l4e_contract.validate(doc, captured_at="yesterday")


def test_a_recording_is_bounded_by_its_own_capture_time(tmp_path, capsys):
    body = valid_wire()
    early = tmp_path / "early.json"
    early.write_text(json.dumps({"l4e_recording": {"recorded_at": "2023-03-14T10:00:00+00:00"}, "body": body}))
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(body))
    assert main(["validate", str(plain)]) == 0
    assert main(["validate", str(early)]) == 1
    assert "time.plausible-event" in capsys.readouterr().out


def test_orderings_of_events_tolerate_clock_rounding_and_say_so():
    tolerant = [r for r in RULES.values() if "clock rounding" in r.description]
    assert {r.id for r in tolerant} >= {"time.training-execution", "time.created-before-updated"}
    doc = valid_wire()
    doc["LastUpdatedTime"] = doc["CreatedAt"] - 4.9
    assert l4e_contract.validate(doc).valid
    doc["LastUpdatedTime"] = doc["CreatedAt"] - 5.1
    assert l4e_contract.validate(doc).rules == {"time.created-before-updated"}


def test_data_times_compare_exactly():
    doc = valid_wire()
    doc["TrainingDataEndTime"] = doc["TrainingDataStartTime"] - 0.001
    assert l4e_contract.validate(doc).rules == {"time.training-data-range"}


def test_the_scheduled_retraining_may_be_in_the_future_but_not_before_the_service():
    doc = valid_wire()
    doc.update(RetrainingSchedulerStatus="PENDING", NextScheduledRetrainingStartDate=epoch("2031-01-01T00:00:00"))
    report = l4e_contract.validate(doc, captured_at="2026-09-01T00:00:00Z")
    assert report.valid and report.warning_rules == {"time.after-end-of-support"}
    doc["NextScheduledRetrainingStartDate"] = epoch("2019-06-01T00:00:00")
    assert "time.plausible-event" in l4e_contract.validate(doc).rules


def test_every_error_rests_on_documented_ground_or_logic():
    """The project's policy: a rule resting on inference (samples, a convention, an observation) is a warning."""
    from l4e_contract.rules import all_rules

    rules = all_rules()
    assert {r.basis for r in rules} == {"documented", "logic", "inference"}
    wrong = [r.id for r in rules if r.basis == "inference" and r.severity == "error"]
    assert wrong == []


def test_the_catalogue_names_each_rules_basis():
    from l4e_contract.rules import all_rules
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "RULES.md").read_text(encoding="utf-8")
    for r in all_rules():
        assert f"| `{r.id}` | {r.severity} |" in text and f"| {r.basis} |" in text


def test_a_key_named_twice_is_a_violation_not_an_unreadable_file(tmp_path, capsys):
    text = json.dumps(valid_wire())
    twice = tmp_path / "twice.json"
    twice.write_text(text[:-1] + ', "Status": "FAILED"}')  # the last value wins in botocore's parser
    nested = tmp_path / "nested.json"
    nested.write_text(text.replace('"Bucket": ', '"Bucket": "x", "Bucket": ', 1))
    assert main(["validate", "--format", "json", str(twice), str(nested)]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    found = {r["source"].rsplit("/", 1)[1]: [(v["rule"], v["pointer"]) for v in r["violations"]] for r in results}
    assert ("form.duplicate-key", "/Status") in found["twice.json"]
    assert found["nested.json"] == [("form.duplicate-key", "/LabelsInputConfiguration/S3InputConfiguration/Bucket")]
    assert all(r["verdict"] == "invalid" for r in results)


def test_a_key_named_twice_on_standard_input_too(monkeypatch, capsys):
    import io
    import sys

    text = json.dumps(valid_wire())[:-1] + ', "ModelName": "centrifugal-pump-7"}'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["validate", "-"]) == 1
    assert "form.duplicate-key" in capsys.readouterr().out
