"""`validate -` reads one document from standard input, in any form; and the AWS CLI's output style
(six-digit fractions, offsets such as +05:30) validates as the parsed form."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

import recorded
from l4e_contract.cli import main
from l4e_contract.load import files


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    """A cassette and a placebo file, recorded by the real libraries against serve."""
    folder = tmp_path_factory.mktemp("stdin")
    with recorded.served() as server, recorded.local_zone("UTC"):
        recorded.record_cassette(folder / "calls.yaml", server, ["chiller-5", recorded.BROKEN_RULE, recorded.MISSING])
        recorded.record_placebo(folder / "placebo", server, ["chiller-5"])
    return folder


def _stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _run(capsys, monkeypatch, data: bytes, *args):
    _stdin(monkeypatch, data)
    code = main(["validate", "--format", "json", *args, "-"])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def _forms(recordings) -> dict[str, bytes]:
    wire = recorded.wire_body("chiller-5")
    envelope = {"l4e_recording": {"operation": "DescribeModel", "model": "chiller-5"}, "body": wire}
    return {
        "wire": json.dumps(wire).encode(),
        "envelope": json.dumps(envelope).encode(),
        "placebo": (recordings / "placebo" / "lookoutequipment.DescribeModel_1.json").read_bytes(),
        "aws-cli": aws_cli_output(wire, "Asia/Kolkata").encode(),
    }


@pytest.mark.parametrize("form", ["wire", "envelope", "placebo", "aws-cli"])
def test_one_document_in_any_form_from_stdin_is_named_stdin(recordings, capsys, monkeypatch, form):
    code, doc, _ = _run(capsys, monkeypatch, _forms(recordings)[form])
    assert [(r["source"], r["verdict"]) for r in doc["results"]] == [("<stdin>", "valid")]
    assert code == 0


def test_a_cassette_from_stdin_is_one_result_per_describe_model_interaction(recordings, capsys, monkeypatch):
    code, doc, err = _run(capsys, monkeypatch, (recordings / "calls.yaml").read_bytes())
    assert [(r["source"], r["verdict"]) for r in doc["results"]] == [
        ("<stdin>#2 DescribeModel chiller-5", "valid"), ("<stdin>#3 DescribeModel pump-broken", "invalid")]
    assert code == 1
    assert "<stdin>#4 DescribeModel pump-missing: note: recorded error ResourceNotFoundException" in err


@pytest.mark.parametrize("data, words", [
    (b"", "empty input"),
    (b"{\"ModelName\": ", "truncated or malformed JSON"),
    (b"- just\n- a list\n", "nor is it a vcrpy cassette"),
    (b"\xff\xfe{}", "not UTF-8"),
])
def test_bad_stdin_is_a_one_line_error(capsys, monkeypatch, data, words):
    code, doc, _ = _run(capsys, monkeypatch, data)
    (result,) = doc["results"]
    assert result["source"] == "<stdin>" and words in result["error"] and "\n" not in result["error"]
    assert code == 2


def test_stdin_is_bounded_like_a_file(capsys, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 100)
    code, doc, _ = _run(capsys, monkeypatch, b" " * 200 + b"{}")
    assert code == 2 and doc["results"][0]["error"] == "input is over the 100 byte limit"


def test_stdin_comes_first_then_the_files(recordings, capsys, monkeypatch, tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(recorded.wire_body("turbine-4")))
    _stdin(monkeypatch, _forms(recordings)["wire"])
    code = main(["validate", "--format", "json", str(tmp_path), "-"])
    doc = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in doc["results"]] == ["<stdin>", str(tmp_path / "a.json")] and code == 0


def test_a_real_pipe_to_the_installed_command(recordings):
    proc = subprocess.run(["l4e-contract", "validate", "--format", "json", "-"],
                          input=(recordings / "calls.yaml").read_bytes(), capture_output=True)
    doc = json.loads(proc.stdout)
    assert [r["source"] for r in doc["results"]] == ["<stdin>#2 DescribeModel chiller-5",
                                                      "<stdin>#3 DescribeModel pump-broken"]
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr


# --- the AWS CLI's output --------------------------------------------------------------------------

def aws_cli_output(wire: dict, zone: str) -> str:
    """What `aws lookoutequipment describe-model` prints on a machine in `zone`, made the CLI's way:
    a real botocore client against serve whose timestamp parser is the CLI's iso8601 one
    (awscli.customizations.scalarparse.iso_format: parse_timestamp(value).isoformat(), in the
    local zone), ResponseMetadata dropped, and the CLI's JSON formatter (indent 4, ensure_ascii off)."""
    from botocore.utils import parse_timestamp

    with recorded.local_zone(zone), recorded.MockServer([wire]) as server:
        sess = recorded.session()
        sess._session.get_component("response_parser_factory").set_parser_defaults(
            timestamp_parser=lambda value: parse_timestamp(value).isoformat(), blob_parser=lambda value: value)
        response = recorded.client(server, sess).describe_model(ModelName=wire["ModelName"])
    response.pop("ResponseMetadata", None)
    return json.dumps(response, indent=4, ensure_ascii=False)


@pytest.mark.parametrize("zone, offset", [("Asia/Kolkata", "+05:30"), ("America/Los_Angeles", "-08:00"),
                                          ("Asia/Kathmandu", "+05:45"), ("UTC", "+00:00")])
def test_the_aws_cli_output_style_validates_as_the_parsed_form(tmp_path, capsys, zone, offset):
    wire = recorded.wire_body("chiller-5")
    text = aws_cli_output(wire, zone)
    # the style itself: the machine's offset, and six-digit fractions where the service sent a fraction
    created = dt.datetime.fromtimestamp(wire["CreatedAt"], ZoneInfo(zone))
    assert f'"CreatedAt": "{created:%Y-%m-%dT%H:%M:%S.%f}{offset}"' in text
    assert re.search(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d"', text)
    (tmp_path / "describe-model.json").write_text(text)
    code = main(["validate", "--format", "json", str(tmp_path / "describe-model.json")])
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"][0]["verdict"] == "valid" and not doc["results"][0]["warnings"] and code == 0


def test_the_aws_cli_sample_value_from_the_issue(capsys, monkeypatch):
    body = json.loads(aws_cli_output(recorded.wire_body("chiller-5"), "Asia/Kolkata"))
    body["CreatedAt"] = "2022-10-18T06:00:00.123456+05:30"  # the creation still comes before everything else
    code, doc, _ = _run(capsys, monkeypatch, json.dumps(body, indent=4).encode())
    assert doc["results"][0]["verdict"] == "valid" and code == 0


def test_no_standard_input_at_all_is_a_one_line_error(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)  # as under pythonw, or a daemon with fd 0 closed
    code = main(["validate", "--format", "json", "-"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"][0]["error"] == "there is no standard input to read" and code == 2
