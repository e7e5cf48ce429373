"""The valid-response strategy: every example passes the whole contract, and the whole lifecycle
and every deliberate edge case really are generated."""
from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import l4e_contract
from l4e_contract.contract import committed
from l4e_contract.contract import patterns
from l4e_contract.strategies import (FORMS, LIFECYCLES, describe_model_responses, describe_model_violations,
                                     rule_ids)
from l4e_contract.strategies import values
from l4e_contract.contract.timestamps import form_of, to_epoch


def _clean(response, strict=False):
    report = l4e_contract.validate(response, strict=strict)
    assert report.valid and not report.warnings, report.explain()
    return report


@pytest.mark.parametrize("form", FORMS)
def test_every_generated_response_passes_with_no_errors_and_no_warnings(form):
    @given(describe_model_responses(form))
    def check(response):
        report = _clean(response, strict=True)  # strict: no member the contract does not know
        assert report.form == form

    check()


@pytest.mark.parametrize("stage", list(LIFECYCLES))
def test_each_lifecycle_stage_has_its_status(stage):
    status, retraining = LIFECYCLES[stage]

    @settings(max_examples=10)
    @given(describe_model_responses("wire", lifecycles=stage))
    def check(response):
        _clean(response)
        assert response["Status"] == status
        assert response.get("LatestScheduledRetrainingStatus") == retraining

    check()


def test_forced_features_are_present_and_excluded_ones_absent():
    @settings(max_examples=15)
    @given(describe_model_responses("wire", labels="group", kms=True, off_condition=True, diagnostics=True,
                                    scheduler=True, lifecycles=["trained", "retrained"]))
    def with_all(response):
        _clean(response)
        assert "LabelGroupName" in response["LabelsInputConfiguration"]
        for m in ("ServerSideKmsKeyId", "OffCondition", "Schema", "ModelDiagnosticsOutputConfiguration",
                  "RetrainingSchedulerStatus", "NextScheduledRetrainingStartDate"):
            assert m in response, m

    @settings(max_examples=15)
    @given(describe_model_responses("wire", labels=False, kms=False, off_condition=False, diagnostics=False,
                                    scheduler=False))
    def with_none(response):
        _clean(response)
        for m in ("LabelsInputConfiguration", "ServerSideKmsKeyId", "OffCondition",
                  "ModelDiagnosticsOutputConfiguration", "RetrainingSchedulerStatus"):
            assert m not in response, m

    with_all()
    with_none()


def _features(r: dict) -> set[str]:
    """What one response shows, in the words of the issue's list of lifecycle stages and edge cases."""
    out = {f"status:{r['Status']}"}
    if "LatestScheduledRetrainingStatus" in r:
        out.add(f"retraining:{r['LatestScheduledRetrainingStatus']}")
    labels = r.get("LabelsInputConfiguration")
    out.add("labels:none" if labels is None else "labels:group" if "LabelGroupName" in labels else "labels:s3")
    out |= {f"has:{m}" for m in ("ServerSideKmsKeyId", "OffCondition", "ModelDiagnosticsOutputConfiguration",
                                 "SourceModelVersionArn", "PriorModelMetrics", "NextScheduledRetrainingStartDate")
            if m in r}
    lo, hi = values.name_alphabet("ModelName")[1:]
    if len(r["ModelName"]) in (lo, hi):
        out.add(f"name-length:{len(r['ModelName'])}")
    for m in ("FailedReason", "LatestScheduledRetrainingFailedReason"):
        text = r.get(m)
        if text is None:
            continue
        if len(text) == committed.member(m)["maxLength"]:
            out.add("reason:max-length")
        if any(unicodedata.category(c).startswith("M") for c in text):
            out.add("reason:combining-mark")
        if any(ord(c) > 0xFFFF for c in text):
            out.add("reason:astral")
    if len(r.get("ModelMetrics", "")) == values.member_bounds("ModelMetrics")[1]:
        out.add("metrics:max-length")
    bucket = r.get("LabelsInputConfiguration", {}).get("S3InputConfiguration", {}).get("Bucket")
    if bucket is not None and len(bucket) in values.bounds("S3Bucket"):
        out.add("bucket:boundary-length")
    times = {m: r[m] for m in committed.timestamp_members() if m in r}
    if any(isinstance(t, float) and not t.is_integer() for t in times.values()):
        out.add("time:fractional-seconds")
    if len(set(times.values())) < len(times):
        out.add("time:equal-timestamps")
    if "PreviousActiveModelVersion" in r and r["PreviousActiveModelVersion"] > r["ActiveModelVersion"]:
        out.add("version:previous-higher")
    src = r.get("SourceModelVersionArn")
    if src and src.split(":")[4] != r["ModelArn"].split(":")[4]:
        out.add("import:other-account")
    if r["ModelArn"].split(":")[1] != "aws":
        out.add("partition:not-aws")
    return out


EXPECTED = {
    *(f"status:{s}" for s in committed.enum("Status")),
    "retraining:SUCCESS", "retraining:FAILED", "retraining:CANCELED", "retraining:IN_PROGRESS",
    "labels:none", "labels:group", "labels:s3",
    "has:ServerSideKmsKeyId", "has:OffCondition", "has:ModelDiagnosticsOutputConfiguration",
    "has:SourceModelVersionArn", "has:PriorModelMetrics", "has:NextScheduledRetrainingStartDate",
    "name-length:1", "name-length:200", "reason:max-length", "reason:combining-mark", "reason:astral",
    "metrics:max-length", "bucket:boundary-length", "time:fractional-seconds", "time:equal-timestamps",
    "version:previous-higher", "import:other-account", "partition:not-aws",
}


def test_the_whole_lifecycle_and_every_edge_case_is_generated():
    seen: set[str] = set()

    # a fixed run, independent of the profile: the claim is about what the strategy can produce
    @settings(max_examples=1500, derandomize=True, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(describe_model_responses("wire"))
    def collect(response):
        seen.update(_features(response))

    collect()
    assert EXPECTED - seen == set()


def test_parsed_form_uses_offsets_styles_and_response_metadata():
    seen = set()

    @settings(max_examples=300, derandomize=True, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(describe_model_responses("parsed"))
    def collect(response):
        text = response["CreatedAt"]
        assert form_of(text) == "parsed"
        seen.add("utc" if text.endswith("+00:00") else "offset")
        seen.add("str" if text[10] == " " else "isoformat")
        seen.add("metadata" if "ResponseMetadata" in response else "bare")
        json.dumps(response)  # the parsed form is plain JSON

    collect()
    assert seen == {"utc", "offset", "str", "isoformat", "metadata", "bare"}


@given(describe_model_responses("boto3"))
def test_boto3_form_holds_aware_datetimes(response):
    import datetime as dt

    assert isinstance(response["CreatedAt"], dt.datetime) and response["CreatedAt"].tzinfo is not None
    _clean(response)


def test_names_come_from_the_schema_pattern():
    for definition in ("ModelName", "DatasetName", "LabelGroupName"):
        alphabet, lo, hi = values.name_alphabet(definition)
        node = committed.definition(definition)
        assert (lo, hi) == (node["minLength"], node["maxLength"])
        # every character the alphabet holds is one the ECMA-262 pattern accepts, and no other is
        assert all(patterns.search(node["pattern"], c) for c in alphabet)
        assert not any(patterns.search(node["pattern"], chr(c)) for c in range(0x20, 0x7F) if chr(c) not in alphabet)


def test_bucket_names_follow_the_schema_pattern_at_both_boundaries():
    import random

    node = committed.definition("S3Bucket")
    rnd = random.Random(0)
    for size, length in (("min", node["minLength"]), ("max", node["maxLength"]), ("any", None)):
        for _ in range(50):
            b = values.text_of(rnd, "S3Bucket", size)
            assert patterns.search(node["pattern"], b), b
            assert length is None or len(b) == length


def test_a_name_pattern_of_another_shape_stops_generation(monkeypatch):
    values.class_sequence.cache_clear()
    real = committed.definition

    def patched(name):
        node = dict(real(name))
        if name == "ModelName":
            node["pattern"] = "^(pump|motor)[0-9]+$"
        return node

    monkeypatch.setattr(committed, "definition", patched)
    try:
        with pytest.raises(ValueError, match="not character classes in a row"):
            values.name_alphabet("ModelName")
    finally:
        monkeypatch.undo()
        values.class_sequence.cache_clear()


def test_wire_timestamps_are_epoch_seconds_exact_to_the_millisecond():
    assert values.wire_time(1_678_786_013_123, False) == 1678786013.123
    assert values.wire_time(1_678_786_013_000, False) == 1678786013
    assert values.wire_time(1_678_786_013_000, True) == 1678786013.0
    assert to_epoch(values.to_datetime(1678786013.123, values.UTC).isoformat()) == pytest.approx(1678786013.123, abs=1e-6)


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="form must be one of"):
        describe_model_responses("xml")
    with pytest.raises(ValueError, match="labels must be"):
        describe_model_responses(labels="S3")  # a typo would mark the model labelled and give it no labels
    with pytest.raises(ValueError, match="unknown lifecycle stage"):
        describe_model_responses(lifecycles="retired")
    with pytest.raises(ValueError, match="is not a rule id"):
        describe_model_violations(rule="time.no-such-rule")
    with pytest.raises(ValueError, match="form must be one of"):
        describe_model_violations(rule="arn.model-name", form="xml")
    assert "arn.model-name" in rule_ids()


def test_profiles_ci_dev_and_nightly():
    ci, dev, nightly = (settings.get_profile(p) for p in ("ci", "dev", "nightly"))
    assert ci.derandomize and ci.deadline is None and ci.database is None
    assert ci.max_examples < dev.max_examples < nightly.max_examples


@pytest.mark.parametrize("env, profile", [({"L4E_HYPOTHESIS_PROFILE": "nightly", "CI": "1"}, "nightly"),
                                          ({"CI": "true"}, "ci"), ({}, "dev")])
def test_the_profile_is_chosen_by_the_environment(env, profile):
    from conftest import choose_profile

    assert choose_profile(env) == profile


def test_the_environment_variable_reaches_a_real_run():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["L4E_HYPOTHESIS_PROFILE"] = "nightly"
    here = Path(__file__).resolve().parent
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider",
                          str(here / "test_roundtrip.py")], capture_output=True, text=True, env=env, cwd=here.parent)
    assert "hypothesis profile: nightly " in out.stdout, out.stdout[-2000:]
