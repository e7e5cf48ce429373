"""The command's fast paths change nothing a user sees: the streamed JSON document, the bounded
file reads and the running tally give what the plain versions gave."""
from __future__ import annotations

import io
import json

import pytest

from l4e_contract.load import files as loader
from l4e_contract.cli import main
from l4e_contract.findings import WARNING, Violation
from l4e_contract.check.results import Result, Tally, summarize
from l4e_contract.report.console import JsonReporter, JsonStreamReporter, reporter


def _result(i: int) -> Result:
    if i % 4 == 0:
        return Result.failed(f"dir/f{i}.json", 'not UTF-8 \u00e9 "quoted" \\ back')
    violations = [Violation(f"/A/{i}", "schema.type", "expected string,\nnot \u2028 integer")] * (i % 3)
    warnings = [Violation("", "schema.unknown-member", "member 'X' is new", WARNING)] * (i % 2)
    return Result(f"d\u00ef r/{i}.json", "invalid" if violations else "valid", violations, warnings)


@pytest.mark.parametrize("n", [0, 1, 2, 9])
def test_streamed_json_document_is_byte_for_byte_the_plain_one(n):
    results = [_result(i) for i in range(n)]
    plain, streamed = io.StringIO(), io.StringIO()
    JsonReporter(plain).finish(results, summarize(results))
    out = JsonStreamReporter(streamed)
    for r in results:
        out.result(r)
    out.finish([], summarize(results))
    assert streamed.getvalue() == plain.getvalue()
    assert json.loads(streamed.getvalue())["summary"]["total"] == n


def test_reporter_streams_only_when_asked():
    assert isinstance(reporter("json"), JsonReporter)
    assert isinstance(reporter("json", stream=True), JsonStreamReporter)


def test_tally_counts_as_summarize_does():
    results = [_result(i) for i in range(13)]
    tally = Tally()
    for r in results:
        tally.add(r)
    assert tally.summary == summarize(results)
    assert tally.summary["error"] == 4 and tally.summary["total"] == 13


@pytest.mark.parametrize("size", [1, 4095, 65536, 65537, 3 * (1 << 20) + 7])
def test_files_of_every_size_are_read_whole(tmp_path, size):
    text = json.dumps({"ModelName": "x" * max(0, size - 17)})
    path = tmp_path / "doc.json"
    path.write_text(text)
    assert loader.load_file(path) == json.loads(text)


def test_a_file_that_grows_past_the_limit_is_not_read_past_it(tmp_path):
    path = tmp_path / "doc.json"
    path.write_bytes(b'{"a": "' + b"x" * 5000 + b'"}')
    with open(path, "rb", buffering=0) as fh:
        assert len(loader._read_at_most(fh.fileno(), 10, 100)) == 100  # stat said 10 bytes; it holds more
    with open(path, "rb", buffering=0) as fh:
        assert len(loader._read_at_most(fh.fileno(), 0, 6000)) == 5009  # size unknown (a pipe): read to the end


def test_json_output_of_a_folder_is_one_document_in_sorted_order(tmp_path, capsys):
    good = {"ModelName": "pump-7", "Status": "IN_PROGRESS", "CreatedAt": 1672531200.0,
            "ModelArn": "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump-7/5e1c3a9b"}
    for name in ("b.json", "a.json", "c.json"):
        (tmp_path / name).write_text(json.dumps(good))
    (tmp_path / "c.json").write_text("{")
    code = main(["validate", "--format", "json", str(tmp_path)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [r["source"].rsplit("/", 1)[-1] for r in doc["results"]] == ["a.json", "b.json", "c.json"]
    assert doc["summary"] == {"total": 3, "valid": 2, "invalid": 0, "error": 1, "warnings": 0}
