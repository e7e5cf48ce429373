"""The bundled recordings: valid ones are clean, each invalid or warnings file shows exactly its rule,
the wire and parsed forms of a model agree, and the CLI gives CI the right exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import l4e_contract
from l4e_contract.contract.arns import parse as parse_arn
from l4e_contract.cli import main
from l4e_contract.load.files import load_file
from l4e_contract.findings import ERROR
from l4e_contract.rules import all_rules
from l4e_contract.contract.timestamps import to_epoch
from l4e_contract.contract import committed

import make_recordings
from examples import as_boto3, as_parsed

ROOT = Path(__file__).resolve().parent.parent
RECORDINGS = ROOT / "contracts" / "recordings"
WIRE = sorted((RECORDINGS / "valid" / "wire").glob("*.json"))
PARSED = sorted((RECORDINGS / "valid" / "parsed").glob("*.json"))
INVALID = sorted((RECORDINGS / "invalid").glob("*.json"))
WARNINGS = sorted((RECORDINGS / "warnings").glob("*.json"))
SEVERITY = {r.id: r.severity for r in all_rules()}


def ids(paths):
    return [f"{p.parent.name}/{p.stem}" for p in paths]


def explain(report):
    return report.explain() or "(nothing reported)"


@pytest.mark.parametrize("path", WIRE + PARSED, ids=ids(WIRE + PARSED))
def test_valid_recording_is_clean(path):
    report = l4e_contract.validate(load_file(path), strict=True)  # no member the contract does not know
    assert report.valid and not report.warnings, explain(report)
    assert report.form == path.parent.name


@pytest.mark.parametrize("path", INVALID, ids=ids(INVALID))
def test_invalid_recording_breaks_exactly_its_rule(path):
    report = l4e_contract.validate(load_file(path))
    assert report.rules == {path.stem} and not report.warnings, explain(report)


@pytest.mark.parametrize("path", WARNINGS, ids=ids(WARNINGS))
def test_warnings_recording_raises_exactly_its_warning(path):
    report = l4e_contract.validate(load_file(path))
    assert report.valid and report.warning_rules == {path.stem}, explain(report)


def test_every_rule_has_its_recording():
    errors = {r for r, s in SEVERITY.items() if s == ERROR}
    assert {p.stem for p in INVALID} == errors
    assert {p.stem for p in WARNINGS} == set(SEVERITY) - errors


def test_the_same_models_in_both_forms():
    assert [p.name for p in WIRE] == [p.name for p in PARSED] and len(WIRE) >= 11
    for w, p in zip(WIRE, PARSED):
        wire, parsed = load_file(w), load_file(p)
        assert parsed.pop("ResponseMetadata")["HTTPStatusCode"] == 200
        assert set(wire) == set(parsed), w.name
        for member, value in wire.items():
            if member in committed.timestamp_members():
                assert isinstance(value, (int, float)) and isinstance(parsed[member], str)
                assert abs(to_epoch(parsed[member]) - value) < 1e-6, (w.name, member)
            else:
                assert parsed[member] == value, (w.name, member)


def _wire_only(rule_id: str) -> bool:
    """A violation of the wire form itself (2.0 for an integer, seconds no datetime holds): the parsed forms
    cannot carry it, as its mutation says."""
    from l4e_contract.strategies.mutations import MUTATIONS

    mutation = MUTATIONS.get(rule_id)
    return mutation is not None and mutation.forms == ("wire",)


@pytest.mark.parametrize("path", INVALID + WARNINGS, ids=ids(INVALID + WARNINGS))
def test_a_broken_model_gets_the_same_verdict_in_every_form(path):
    doc = load_file(path)
    if not isinstance(doc, dict) or l4e_contract.validate(doc).form != "wire" or _wire_only(path.stem):
        pytest.skip("this violation exists in one form only")
    try:
        forms = (("parsed", as_parsed(doc)), ("parsed str()", as_parsed(doc, "str")), ("boto3", as_boto3(doc)))
    except (ValueError, OverflowError):  # milliseconds read as seconds: past year 9999, no text or datetime
        pytest.skip("a timestamp no calendar date can hold: this violation exists in the wire form only")
    verdicts = {form: (r.rules, r.warning_rules) for form, r in (
        ("wire", l4e_contract.validate(doc)), *((f, l4e_contract.validate(d)) for f, d in forms))}
    assert len(set(map(str, verdicts.values()))) == 1, verdicts


@pytest.mark.parametrize("path", WIRE, ids=ids(WIRE))
def test_what_boto3_makes_of_each_wire_recording_is_valid(path):
    """botocore's own parser turns the HTTP body into the dict users' tests hold."""
    from botocore.parsers import create_parser

    from l4e_contract.contract.generate import service_model

    shape = service_model().operation_model("DescribeModel").output_shape
    got = create_parser("json").parse({"body": path.read_bytes(), "headers": {}, "status_code": 200}, shape)
    report = l4e_contract.validate(got)
    assert report.form == "boto3" and report.valid and not report.warnings, explain(report)


def test_the_recordings_cover_the_lifecycle():
    docs = [load_file(p) for p in WIRE]
    values = lambda m: {d.get(m) for d in docs}  # noqa: E731
    assert {"IN_PROGRESS", "SUCCESS", "FAILED", "IMPORT_IN_PROGRESS"} <= values("Status")
    assert {"SUCCESS", "FAILED", "CANCELED"} <= values("LatestScheduledRetrainingStatus")
    assert set(committed.enum("ModelQuality")) <= values("ModelQuality")
    assert "RUNNING" in values("RetrainingSchedulerStatus")
    assert {parse_arn(d["ModelArn"]).partition for d in docs} - {"aws"}, "a model outside the aws partition"
    labels = [d["LabelsInputConfiguration"] for d in docs if "LabelsInputConfiguration" in d]
    assert any("S3InputConfiguration" in x for x in labels) and any("LabelGroupName" in x for x in labels)
    assert any("ServerSideKmsKeyId" in d and "OffCondition" in d for d in docs)
    assert any(d.get("ModelDiagnosticsOutputConfiguration", {}).get("KmsKeyId") and d[
        "ModelDiagnosticsOutputConfiguration"]["S3OutputConfiguration"]["Prefix"].endswith(
        "model_diagnostics_results.json.gz") for d in docs)
    assert any(d.get("PreviousActiveModelVersion", 0) > d.get("ActiveModelVersion", 0) for d in docs), "a rollback"
    assert any("PriorModelMetrics" in d and "AccumulatedInferenceDataStartTime" in d for d in docs)
    assert any(parse_arn(d.get("SourceModelVersionArn")) and
               parse_arn(d["SourceModelVersionArn"]).account != parse_arn(d["ModelArn"]).account for d in docs)
    assert any(v % 1 for d in docs for m, v in d.items() if m in committed.timestamp_members()), "fractional seconds"
    names = [d["ModelName"] for d in docs]
    assert len(names) == len(set(names)), "one mock endpoint serves every model by name"
    texts = [t for p in PARSED for t in load_file(p).values() if isinstance(t, str) and t[:2] == "20"]
    assert any("T" in t for t in texts) and any(t[10] == " " and "." in t for t in texts), "isoformat() and str()"


def test_committed_recordings_are_what_the_generator_writes():
    assert make_recordings.differences() == [], "run: python3 tests/make_recordings.py"


def test_the_readme_describes_every_file():
    readme = (RECORDINGS / "README.md").read_text(encoding="utf-8")
    for p in WIRE + INVALID + WARNINGS:
        assert f"| `{p.stem}` |" in readme, p.name


def test_validate_exit_codes_on_the_bundled_folders(capsys):
    assert main(["validate", str(RECORDINGS / "valid")]) == 0
    assert main(["validate", str(RECORDINGS / "warnings")]) == 0
    assert main(["validate", str(RECORDINGS / "invalid")]) == 1
    assert main(["validate", "--strict", str(RECORDINGS / "warnings" / "schema.unknown-member.json")]) == 1
    capsys.readouterr()


def test_validate_json_names_each_invalid_file_rule(capsys):
    assert main(["validate", "--format", "json", str(RECORDINGS / "invalid")]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["invalid"] == doc["summary"]["total"] == len(INVALID)
    for r in doc["results"]:
        assert r["verdict"] == "invalid" and r["error"] is None
        assert {v["rule"] for v in r["violations"]} == {Path(r["source"]).stem}


def test_validate_in_a_subprocess():
    env = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "l4e_contract.cli", "validate", *args],  # noqa: E731
                                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    ok = run("contracts/recordings/valid")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run("contracts/recordings/invalid")
    assert bad.returncode == 1 and "Traceback" not in bad.stdout + bad.stderr
    assert "time.training-data-range" in bad.stdout
