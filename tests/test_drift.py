"""`l4e-contract drift`: two sets of recordings compared by model, and the schema against botocore."""
from __future__ import annotations

import copy
import json
import shutil

import pytest

from l4e_contract.contract import committed
from l4e_contract.drift import recordings as drift
from l4e_contract.contract import paths
from l4e_contract.cli import main

from examples import as_parsed

WIRE = paths.recordings_dir() / "valid" / "wire"
PARSED = paths.recordings_dir() / "valid" / "parsed"


def _bodies() -> dict[str, dict]:
    return {p.name: json.loads(p.read_text()) for p in sorted(WIRE.glob("*.json"))}


def _write(folder, bodies: dict[str, object]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in bodies.items():
        (folder / name).write_text(body if isinstance(body, str) else json.dumps(body))
    return folder


def _run(capsys, *args):
    code = main(["drift", *map(str, args)])
    return code, capsys.readouterr()


def _json(capsys, *args):
    code, out = _run(capsys, *args, "--format", "json")
    return code, json.loads(out.out)


def test_the_same_recordings_have_no_drift(tmp_path, capsys):
    shutil.copytree(WIRE, tmp_path / "a")
    code, out = _run(capsys, WIRE, tmp_path / "a")
    assert code == 0
    assert "11 model(s) compared, 0 added, 0 removed" in out.out and out.out.endswith("no drift\n")


def test_wire_and_parsed_forms_of_the_same_models_are_not_drift(capsys):
    code, doc = _json(capsys, WIRE, PARSED)
    assert code == 0, doc
    rec = doc["recordings"]
    assert rec["models"] == {"compared": 11, "added": [], "removed": []}
    assert rec["changes"] == [] and rec["volatile"]["changes"] == [] and doc["drift"] is False


@pytest.fixture
def changed(tmp_path):
    """NEW: one model gone, one new, and one change of each kind in the others."""
    old = _bodies()
    new = copy.deepcopy(old)
    del new["01-first-training-in-progress.json"]
    extra = copy.deepcopy(old["02-trained-unlabeled.json"])
    extra["ModelName"] = "brand-new-9"
    extra["ModelArn"] = extra["ModelArn"].replace("compressor-12", "brand-new-9")
    new["12-brand-new.json"] = extra
    new["02-trained-unlabeled.json"]["Status"] = "DEGRADED"  # an enum value no one has seen
    new["02-trained-unlabeled.json"]["ActiveModelVersion"] = "1"  # number became text
    new["03-trained-labelled-s3-kms-off-condition-diagnostics.json"]["ShinyNewMember"] = {"Depth": 1}
    new["03-trained-labelled-s3-kms-off-condition-diagnostics.json"]["LastUpdatedTime"] += 3600
    new["04-training-failed.json"]["FailedReason"] = "something else went wrong"
    return _write(tmp_path / "old", old), _write(tmp_path / "new", new)


def test_models_added_removed_and_every_kind_of_change_are_named(changed, capsys):
    code, doc = _json(capsys, *changed)
    assert code == 1 and doc["drift"] is True
    rec = doc["recordings"]
    assert rec["models"]["added"] == ["us-east-1/brand-new-9"]
    assert rec["models"]["removed"] == ["eu-west-1/bearing-line-3"]
    assert rec["models"]["compared"] == 10
    got = {(c["model"], c["kind"], c["pointer"]) for c in rec["changes"]}
    assert got == {
        ("us-east-1/compressor-12", "value-changed", "/Status"),
        ("us-east-1/compressor-12", "type-changed", "/ActiveModelVersion"),
        ("us-east-1/centrifugal-pump-7", "member-added", "/ShinyNewMember"),
        ("us-east-1/turbine-4", "value-changed", "/FailedReason"),
    }
    typed = next(c for c in rec["changes"] if c["kind"] == "type-changed")
    assert (typed["old_type"], typed["new_type"], typed["old"], typed["new"]) == ("integer", "string", 1, "1")
    assert rec["members"]["/Status"] == {"value-changed": 1}
    assert rec["new_members"] == ["/ShinyNewMember", "/ShinyNewMember/Depth"]
    (fresh,) = [e for e in rec["new_enum_values"] if e["value"] == "DEGRADED"]
    assert fresh == {"pointer": "/Status", "value": "DEGRADED", "in_contract": False, "models": ["us-east-1/compressor-12"]}
    # the timestamp is reported apart, as volatile
    (vol,) = rec["volatile"]["changes"]
    assert (vol["pointer"], vol["model"], vol["new"] - vol["old"]) == ("/LastUpdatedTime", "us-east-1/centrifugal-pump-7", 3600)


def test_text_output_summarises_per_member(changed, capsys):
    code, out = _run(capsys, *changed)
    assert code == 1
    text = out.out
    assert "+ model us-east-1/brand-new-9" in text and "- model eu-west-1/bearing-line-3" in text
    assert "~ us-east-1/compressor-12: /ActiveModelVersion changed type integer -> string" in text
    assert "! new enum value 'DEGRADED' at /Status (1 model(s); NOT in the contract)" in text
    assert "  /Status: value-changed in 1 model(s)" in text
    assert "volatile (timestamps, not counted as drift):\n  /LastUpdatedTime: changed in 1 model(s)" in text
    assert text.endswith("drift\n")


def test_volatile_changes_alone_are_not_drift_and_can_be_left_out(tmp_path, capsys):
    old = _bodies()
    new = copy.deepcopy(old)
    for body in new.values():
        body["LastUpdatedTime"] += 60
    a, b = _write(tmp_path / "a", old), _write(tmp_path / "b", new)
    code, doc = _json(capsys, a, b)
    assert code == 0 and doc["drift"] is False
    assert len(doc["recordings"]["volatile"]["changes"]) == 11
    code, doc = _json(capsys, a, b, "--ignore-volatile")
    assert code == 0 and "volatile" not in doc["recordings"]
    code, out = _run(capsys, a, b, "--ignore-volatile")
    assert "volatile (" not in out.out and "/LastUpdatedTime" not in out.out


def test_an_enum_value_the_contract_knows_but_old_never_held_is_named_as_such(tmp_path, capsys):
    old = {"m.json": _bodies()["02-trained-unlabeled.json"]}
    new = copy.deepcopy(old)
    known = [v for v in committed.enum("RetrainingSchedulerStatus") if v != old["m.json"].get("RetrainingSchedulerStatus")]
    new["m.json"]["RetrainingSchedulerStatus"] = known[0]
    code, doc = _json(capsys, _write(tmp_path / "a", old), _write(tmp_path / "b", new))
    assert code == 1
    (fresh,) = doc["recordings"]["new_enum_values"]
    assert fresh["pointer"] == "/RetrainingSchedulerStatus" and fresh["in_contract"] is True


def test_envelopes_match_bare_responses_by_region_and_model(tmp_path, capsys):
    body = _bodies()["07-retrained-by-scheduler-label-group.json"]
    envelope = {"l4e_recording": {"operation": "DescribeModel", "region": "us-east-1", "model": body["ModelName"],
                                  "botocore_version": "1.43.11", "recorded_at": "2026-11-28T02:00:00+00:00",
                                  "endpoint": None},
                "body": body}
    bare = copy.deepcopy(body)
    bare.pop("ModelArn")  # only ModelName left: matched by name once region-qualified keys fail
    code, doc = _json(capsys, _write(tmp_path / "a", {"x.json": envelope}), _write(tmp_path / "b", {"y.json": bare}))
    rec = doc["recordings"]
    assert rec["models"]["compared"] == 1 and not rec["models"]["added"] and not rec["models"]["removed"]
    assert [(c["kind"], c["pointer"]) for c in rec["changes"]] == [("member-removed", "/ModelArn")]
    assert code == 1


def test_bad_files_are_one_line_errors_and_the_rest_is_still_compared(tmp_path, capsys):
    old = _bodies()
    new = copy.deepcopy(old)
    new["02-trained-unlabeled.json"]["ModelQuality"] = "POOR_QUALITY_DETECTED"
    b = _write(tmp_path / "b", new)
    _write(b, {"broken.json": '{"ModelName": "x", ', "list.json": [1, 2], "anon.json": {"Status": "SUCCESS"}})
    (b / "nan.json").write_bytes(b'{"ModelName": NaN}')
    code, out = _run(capsys, _write(tmp_path / "a", old), b)
    assert code == 2
    errors = [line for line in out.out.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4
    assert any("broken.json: truncated or malformed JSON" in e for e in errors)
    assert any("list.json: not a DescribeModel response" in e for e in errors)
    assert any("anon.json: cannot tell which model" in e for e in errors)
    assert any("nan.json: NaN is not JSON" in e for e in errors)
    assert "~ us-east-1/compressor-12: /ModelQuality changed" in out.out
    assert "Traceback" not in out.out + out.err


def test_deeply_nested_members_never_crash_the_run(tmp_path, capsys):
    deep_a, deep_b = 1, 2
    for _ in range(700):
        deep_a, deep_b = {"d": deep_a}, {"d": deep_b}
    old = {"m.json": {**_bodies()["02-trained-unlabeled.json"], "Deep": deep_a}}
    new = {"m.json": {**_bodies()["02-trained-unlabeled.json"], "Deep": deep_b}}
    code, out = _run(capsys, _write(tmp_path / "a", old), _write(tmp_path / "b", new))
    assert code == 2 and "Traceback" not in out.err
    assert "us-east-1/compressor-12: nests more than 64 levels deep, not compared" in out.out
    assert drift.too_deep(deep_a) and not drift.too_deep(_bodies()["02-trained-unlabeled.json"])


def test_usage_errors_exit_2(tmp_path, capsys):
    code, out = _run(capsys)
    assert code == 2 and "give OLD_DIR and NEW_DIR, or --schema" in out.err
    code, out = _run(capsys, tmp_path)
    assert code == 2
    # a folder that does not exist is refused before any comparison is printed
    code, out = _run(capsys, tmp_path / "missing", WIRE)
    assert code == 2 and out.out == ""
    assert f"argument OLD_DIR: {tmp_path / 'missing'}: no such folder" in out.err


def test_schema_drift_is_none_against_the_installed_botocore(capsys):
    code, out = _run(capsys, "--schema")
    assert code == 0, out.out
    assert "no drift" in out.out


def test_schema_drift_names_new_members_enum_values_and_bounds():
    current = committed.schema()
    generated = copy.deepcopy(current)
    generated["properties"]["ModelHealth"] = {"type": "string"}
    status = generated["properties"]["Status"]["$ref"].rsplit("/", 1)[1]
    generated["$defs"][status]["enum"].append("DEGRADED")
    name = generated["properties"]["ModelName"]["$ref"].rsplit("/", 1)[1]
    generated["$defs"][name]["maxLength"] += 100
    got = drift.schema_drift(current, generated)
    assert got["drift"] is True
    assert "new member ModelHealth in response" in got["changes"]
    assert f"new enum value 'DEGRADED' in {status}" in got["changes"]
    assert any(c.startswith(f"maxLength of {name}:") for c in got["changes"])


def test_schema_drift_from_the_command_exits_1_and_names_each_change(monkeypatch, capsys):
    from l4e_contract.contract import generate as schema_gen

    def generate(*_a, **_k):
        out = copy.deepcopy(committed.schema())
        out["properties"]["ModelHealth"] = {"type": "string"}
        return out

    monkeypatch.setattr(schema_gen, "generate", generate)
    code, doc = _json(capsys, "--schema")
    assert code == 1 and doc["schema"]["changes"] == ["new member ModelHealth in response"] and doc["drift"]


def test_parsed_and_boto3_forms_normalise_to_the_same_body():
    body = _bodies()["07-retrained-by-scheduler-label-group.json"]
    assert drift.normalize(as_parsed(body)) == drift.normalize(body)


def test_an_object_emptied_names_each_member_it_lost(tmp_path, capsys):
    old = {"m.json": _bodies()["03-trained-labelled-s3-kms-off-condition-diagnostics.json"]}
    new = copy.deepcopy(old)
    new["m.json"]["ModelDiagnosticsOutputConfiguration"] = {}
    code, doc = _json(capsys, _write(tmp_path / "a", old), _write(tmp_path / "b", new))
    assert code == 1
    removed = {c["pointer"] for c in doc["recordings"]["changes"] if c["kind"] == "member-removed"}
    assert removed == {f"/ModelDiagnosticsOutputConfiguration/{k}"
                       for k in old["m.json"]["ModelDiagnosticsOutputConfiguration"]}
