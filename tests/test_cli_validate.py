"""`l4e-contract validate`: many files a run, exit codes a CI can trust, bad input as one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc

import pytest

from l4e_contract.cli import main
from l4e_contract.cli.validate import check_file

GOOD = {
    "ModelName": "pump-7",
    "ModelArn": "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump-7/5e1c3a9b-7d2f-4c8e-9a41-2b6f0d8e1c37",
    "Status": "IN_PROGRESS",
    "CreatedAt": 1672531200.0,
}

BAD_INPUT = {
    "empty.json": (b"", "error", "empty"),
    "blank.json": (b"  \n\t", "error", "empty"),
    "truncated.json": (json.dumps(GOOD).encode()[:40], "error", "truncated"),
    "binary.json": (bytes(range(256)), "error", "binary"),
    "latin1.json": ('{"ModelName": "caf\u00e9"}'.encode("latin-1"), "error", "not UTF-8"),
    "nan.json": (b'{"ModelName": "a", "ActiveModelVersion": NaN}', "error", "NaN"),
    "infinity.json": (b'{"CreatedAt": Infinity}', "error", "Infinity"),
    # a key named twice is a contract violation (issue 11), not an unreadable file
    "dupkeys.json": (b'{"ModelName": "a", "ModelName": "b"}', "invalid", "form.duplicate-key"),
    "deep.json": (b"[" * 200_000 + b"]" * 200_000, "error", "nests too deeply"),
    "garbage.json": (b"{not json}", "error", "malformed"),
    "trailing.json": (json.dumps(GOOD).encode() + b" x", "error", "malformed"),
    "null.json": (b"null", "invalid", "form.object"),
    "number.json": (b"42", "invalid", "form.object"),
    "string.json": (b'"hello"', "invalid", "form.object"),
    "array.json": (b"[1, 2]", "invalid", "form.object"),
    "wrongtypes.json": (json.dumps({**GOOD, "ModelName": 7, "CreatedAt": [1]}).encode(), "invalid", "schema.type"),
}


@pytest.fixture
def bad_dir(tmp_path):
    for name, (data, _, _) in BAD_INPUT.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    return tmp_path


def _run_json(capsys, *args):
    code = main(["validate", "--format", "json", *map(str, args)])
    return code, json.loads(capsys.readouterr().out)


def test_every_bad_file_gets_its_verdict_and_a_one_line_reason_and_the_rest_is_checked(bad_dir, capsys):
    code, doc = _run_json(capsys, bad_dir)
    assert code == 2  # something could not be read
    by_name = {r["source"].rsplit("/", 1)[-1]: r for r in doc["results"]}
    assert set(by_name) == set(BAD_INPUT) | {"good.json"}  # one result for every file
    assert by_name["good.json"]["verdict"] == "valid"
    for name, (_, verdict, words) in BAD_INPUT.items():
        r = by_name[name]
        assert r["verdict"] == verdict, name
        text = r["error"] if verdict == "error" else " ".join(v["rule"] + " " + v["message"] for v in r["violations"])
        assert words in text, (name, text)
        if r["error"]:
            assert "\n" not in r["error"] and len(r["error"]) < 200
    assert doc["summary"] == {"total": len(BAD_INPUT) + 1, "valid": 1,
                              "invalid": sum(v == "invalid" for _, v, _ in BAD_INPUT.values()),
                              "error": sum(v == "error" for _, v, _ in BAD_INPUT.values()), "warnings": 0}


def test_text_output_names_file_and_problem_on_one_line_without_traceback(bad_dir, capsys):
    code = main(["validate", str(bad_dir)])
    out = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out.out + out.err
    assert "[form.duplicate-key] member 'ModelName' appears twice in one object" in out.out
    assert "checked: 1 valid" in out.out


def test_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    assert main(["validate", str(good)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**GOOD, "Status": "DONE"}))
    assert main(["validate", str(good), str(bad)]) == 1
    assert main(["validate", str(good), str(bad), str(tmp_path / "missing.json")]) == 2
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({**GOOD, "ModelColour": "red"}))
    assert main(["validate", str(unknown)]) == 0  # the API grows: a warning
    assert main(["validate", "--strict", str(unknown)]) == 1
    capsys.readouterr()


def test_a_huge_string_is_reported_by_its_length_not_copied(tmp_path):
    big = tmp_path / "big.json"
    size = 20_000_000
    big.write_text(json.dumps({**GOOD, "Status": "FAILED", "FailedReason": "x" * size}))
    tracemalloc.start()
    result = check_file(str(big))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.verdict == "invalid"
    [v] = result.violations
    assert v.rule == "schema.maxLength" and "20,000,000 characters" in v.message
    assert len(v.message) < 200
    # the bytes, their text and the parsed string: a few copies at most, never one per rule
    assert peak < 4 * size


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path, monkeypatch, capsys):
    from l4e_contract.load import files as loader

    monkeypatch.setattr(loader, "MAX_BYTES", 1000)
    f = tmp_path / "big.json"
    f.write_text(json.dumps({**GOOD, "Schema": "x" * 2000}))
    code, doc = _run_json(capsys, f)
    assert code == 2 and "over the 1,000 byte limit" in doc["results"][0]["error"]


def test_recording_envelope_is_unwrapped(tmp_path, capsys):
    f = tmp_path / "rec.json"
    f.write_text(json.dumps({"l4e_recording": {"operation": "DescribeModel", "region": "us-east-1"},
                             "body": {**GOOD, "Status": "NOPE"}}))
    code, doc = _run_json(capsys, f)
    assert code == 1 and doc["results"][0]["violations"][0]["rule"] == "schema.enum"


def test_folders_are_walked_recursively_in_sorted_order(tmp_path, capsys):
    for rel in ("b/2.json", "a/1.json", "a/z/3.json", "a/notes.txt"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(GOOD))
    code, doc = _run_json(capsys, tmp_path)
    rel = [r["source"][len(str(tmp_path)) + 1:] for r in doc["results"]]
    assert code == 0 and rel == ["a/1.json", "a/z/3.json", "b/2.json"]


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "yaml", "x.json"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_validate_starts_without_botocore_boto3_or_hypothesis(tmp_path):
    f = tmp_path / "good.json"
    f.write_text(json.dumps(GOOD))
    code = ("import sys; from l4e_contract.cli import main; rc = main(['validate', sys.argv[1]]); "
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'hypothesis')); "
            "print(rc, heavy)")
    out = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("0 []"), out


def test_the_installed_command_runs(tmp_path):
    f = tmp_path / "good.json"
    f.write_text(json.dumps(GOOD))
    proc = subprocess.run(["l4e-contract", "validate", "--format", "json", str(f)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["valid"] == 1


def test_a_folder_that_cannot_be_listed_is_an_error_result_not_a_silent_gap(tmp_path, capsys):
    import os

    if os.geteuid() == 0:
        # root lists any folder: make the walk fail the way an unreadable folder does
        from l4e_contract.load import files as loader

        real_walk = os.walk

        def walk(top, onerror=None, **kw):
            for entry in real_walk(top, onerror=onerror, **kw):
                yield entry
            onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))

        loader.os.walk = walk
        try:
            code, doc = _run_json(capsys, tmp_path)
        finally:
            loader.os.walk = real_walk
    else:
        (tmp_path / "locked").mkdir()
        (tmp_path / "locked").chmod(0)
        code, doc = _run_json(capsys, tmp_path)
        (tmp_path / "locked").chmod(0o755)
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    assert code == 2
    [r] = [r for r in doc["results"] if r["source"].endswith("locked")]
    assert r["verdict"] == "error" and r["error"].startswith("cannot read folder: Permission denied")


def test_embedded_json_refuses_nan_as_the_file_loader_does():
    from l4e_contract import validate

    doc = {**GOOD, "Status": "SUCCESS", "ModelMetrics": '{"unknown_event_metrics": {"num_identified": NaN}}'}
    report = validate(doc)
    assert "embedded.metrics-json" in report.rules
    assert any("NaN is not JSON" in v.message for v in report.violations)
