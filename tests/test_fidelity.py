"""`l4e-contract fidelity`: real boto3 against a mock, every answer checked and scored."""
from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from l4e_contract.endpoints import fidelity
from l4e_contract.contract import paths
from l4e_contract.cli import main
from l4e_contract.endpoints.serve import Faults, MockServer

VALID = paths.recordings_dir() / "valid"
WIRE = VALID / "wire"


@pytest.fixture(autouse=True)
def _no_aws(monkeypatch):
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)


def _fid(capsys, url, *args):
    code = main(["fidelity", "--endpoint-url", url, "--format", "json", *map(str, args)])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else None), out.err


def _bodies():
    return {p.name: json.loads(p.read_text()) for p in sorted(WIRE.glob("*.json"))}


def _write(folder, bodies):
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in bodies.items():
        (folder / name).write_text(json.dumps(body))
    return folder


def test_serve_over_the_same_recordings_scores_full_marks_with_only_read_calls(capsys):
    with MockServer(VALID) as server:
        code, doc, _ = _fid(capsys, server.endpoint_url)
        operations = server.operations
    assert code == 0, doc["summary"]
    assert doc["score"] == 100 and doc["faithful"] and doc["supported"]
    assert doc["recorded_models"] == 11
    ops = doc["operations"]
    assert ops["DescribeModel"]["calls"] == 11 and ops["DescribeModel"]["passed"] == ops["DescribeModel"]["total"] == 44
    assert ops["ListModels"]["findings"] == [] and ops["DescribeModel (unknown model)"]["passed"] == 3
    assert set(operations) == {"ListModels", "DescribeModel"}  # the server's own log: read calls only
    assert operations.count("DescribeModel") == 12


def test_text_output_names_the_score_and_each_operation(capsys):
    with MockServer(VALID) as server:
        code = main(["fidelity", "--endpoint-url", server.endpoint_url])
    out = capsys.readouterr().out
    assert code == 0
    assert "score 100/100 (50/50 checks), faithful" in out.splitlines()[0]
    assert "  DescribeModel: 44/44 checks in 11 call(s)" in out


def test_a_number_sent_as_text_is_a_contract_violation(capsys):
    faults = Faults(malformed={"compressor-12": "string-number"})
    with MockServer(VALID, faults=faults) as server:
        code, doc, _ = _fid(capsys, server.endpoint_url)
    assert code == 1 and not doc["faithful"] and doc["score"] < 100
    (call,) = [c for c in doc["calls"] if c["model"] == "compressor-12"]
    assert call["checks"] == {"supported": True, "protocol": True, "contract": False, "structure": False}
    kinds = {(f["kind"], f["pointer"]) for f in call["findings"]}
    assert ("contract", "/ActiveModelVersion") in kinds  # schema.type on the raw wire body
    assert ("structure", "/ActiveModelVersion") in kinds  # integer in the recording, string from the mock
    others = [c for c in doc["calls"] if c["operation"] == "DescribeModel" and c["model"] != "compressor-12"]
    assert all(all(c["checks"].values()) for c in others)


def test_missing_extra_and_retyped_members_are_structural_differences(tmp_path, capsys):
    served = _bodies()
    body = served["07-retrained-by-scheduler-label-group.json"]
    del body["PriorModelMetrics"]
    body["Unrecorded"] = "surprise"
    body["LatestScheduledRetrainingAvailableDataInDays"] = 180.5
    with MockServer(_write(tmp_path / "served", served)) as server:
        code, doc, _ = _fid(capsys, server.endpoint_url, "--recordings", WIRE)
    assert code == 1
    (call,) = [c for c in doc["calls"] if c["model"] == "feedwater-pump-2"]
    messages = [f["message"] for f in call["findings"] if f["kind"] == "structure"]
    assert "member /PriorModelMetrics of the recording is missing" in messages
    assert "member /Unrecorded is not in the recording" in messages
    assert "/LatestScheduledRetrainingAvailableDataInDays is number, the recording has integer" in messages
    assert call["checks"]["structure"] is False


def test_a_model_the_mock_refuses_and_one_it_does_not_list(tmp_path, capsys):
    served = _bodies()
    del served["02-trained-unlabeled.json"]  # the mock knows nothing of compressor-12
    faults = Faults(fail={"turbine-4": "AccessDenied"})
    with MockServer(_write(tmp_path / "served", served), faults=faults) as server:
        code, doc, _ = _fid(capsys, server.endpoint_url, "--recordings", WIRE)
    assert code == 1
    listing = doc["calls"][0]
    assert listing["operation"] == "ListModels" and listing["checks"]["structure"] is False
    assert "recorded model compressor-12 is not listed" in [f["message"] for f in listing["findings"]]
    (denied,) = [c for c in doc["calls"] if c["model"] == "turbine-4"]
    assert denied["status"] == 400 and denied["checks"]["protocol"] is False
    assert any("AccessDeniedException" in f["message"] for f in denied["findings"])


class _StandIn(BaseHTTPRequestHandler):
    """A careless hand-written fake: JSON, but not the protocol, and no error for unknown models."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = self.headers.get("X-Amz-Target", "")
        if target.endswith(".ListModels"):
            body = {"ModelSummaries": []}
        else:
            body = {}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def stand_in():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_a_careless_fake_is_scored_low_with_every_failure_named(stand_in, capsys):
    code, doc, _ = _fid(capsys, stand_in, "--recordings", WIRE)
    assert code == 1 and doc["supported"] and 0 < doc["score"] < 50
    ops = doc["operations"]
    missing = ops["DescribeModel (unknown model)"]
    assert any("does not exist succeeded" in f["message"] for f in missing["findings"])
    describe = [c for c in doc["calls"] if c["operation"] == "DescribeModel"]
    assert all(c["checks"]["contract"] is False and c["checks"]["protocol"] is False for c in describe)
    messages = {f["message"] for c in describe for f in c["findings"]}
    assert "Content-Type is application/json, not application/x-amz-json-1.0" in messages
    assert any("no x-amzn-RequestId header" in m for m in messages)
    assert any("required member ModelName is missing" in m for m in messages)
    assert any(m.startswith("recorded model") for m in (f["message"] for f in ops["ListModels"]["findings"]))


def test_moto_without_a_lookout_for_equipment_backend_says_so_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        # a separate process, so moto's own prints in this one are not mistaken for ours
        out = subprocess.run([sys.executable, "-m", "l4e_contract.cli", "fidelity", "--endpoint-url",
                              f"http://{host}:{port}"], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"})
    finally:
        server.stop()
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1, out.stdout
    assert "does not implement Lookout for Equipment" in lines[0] and "(score 0/100)" in lines[0]
    assert "HTTP 500 text/html, not the JSON 1.0 protocol" in lines[0]
    assert "Traceback" not in out.stderr


def test_an_unreachable_endpoint_exits_2_with_one_line(capsys):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    code = main(["fidelity", "--endpoint-url", f"http://127.0.0.1:{port}", "--timeout", "2"])
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    assert out.err.count("\n") == 1 and "endpoint unreachable" in out.err


def test_no_recordings_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "junk.json").write_text("{")
    code = main(["fidelity", "--endpoint-url", "http://127.0.0.1:9", "--recordings", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "no recordings to compare" in err and "junk.json" in err


def test_report_dir_gets_one_result_per_call_and_the_score(tmp_path, capsys):
    faults = Faults(malformed={"chiller-5": "string-number"})
    with MockServer(VALID, faults=faults) as server:
        code = main(["fidelity", "--endpoint-url", server.endpoint_url, "--report-dir", str(tmp_path)])
    assert code == 1
    (run,) = tmp_path.iterdir()
    report = json.loads((run / "report.json").read_text())
    assert report["run"]["command"] == "fidelity"
    assert report["fidelity"]["score"] < 100 and report["fidelity"]["faithful"] is False
    assert report["summary"]["total"] == 13 and report["summary"]["invalid"] == 1
    (bad,) = [r for r in report["results"] if r["verdict"] == "invalid"]
    assert bad["source"].endswith("DescribeModel chiller-5")
    assert {v["rule"] for v in bad["violations"]} == {"fidelity.contract", "fidelity.structure"}
    page = (run / "index.html").read_text()
    assert "<svg" in page
    # the score heads the page; the counts below it are of calls, and say so
    assert re.search(r"<h1[^>]*>l4e-contract fidelity: fidelity of http://127\.0\.0\.1:\d+ against 11 recorded model\(s\): "
                     r"score \d+/100", page)
    assert '<p class="counts">13 calls checked: ' in page
    assert "reports written to" in capsys.readouterr().err


def test_the_score_is_the_floor_of_the_share_of_checks_passed():
    fid = fidelity.Fidelity("http://x", 1)
    ok = fidelity.Call(fidelity.DESCRIBE, "m")
    ok.settle()
    bad = fidelity.Call(fidelity.MISSING, "n")
    bad.fail(fidelity.ERROR_SHAPE, "no")
    bad.settle()
    fid.calls = [ok, bad]
    assert (fid.passed, fid.total, fid.score, fid.faithful) == (6, 7, 85, False)
    unsupported = fidelity.Call(fidelity.LIST)
    unsupported.fail(fidelity.SUPPORTED, "HTTP 404")
    unsupported.settle()
    assert unsupported.checks == {"supported": False, "protocol": False, "structure": False}
    only = fidelity.Fidelity("http://x", 1, calls=[unsupported])
    assert only.score == 0 and not only.supported
    assert "does not implement Lookout for Equipment: HTTP 404" in only.headline()


def test_listing_is_followed_across_pages(tmp_path, capsys):
    """More models than one ListModels page holds: NextToken is followed, every model found."""
    template = (WIRE / "02-trained-unlabeled.json").read_text()
    served = {f"m{i:03d}.json": json.loads(template.replace("compressor-12", f"compressor-{i:03d}")) for i in range(60)}
    folder = _write(tmp_path / "many", served)
    with MockServer(folder) as server:
        code, doc, _ = _fid(capsys, server.endpoint_url, "--recordings", folder)
        operations = server.operations
    assert code == 0, doc["summary"]
    assert doc["recorded_models"] == 60 and doc["score"] == 100
    assert operations.count("ListModels") >= 2


@pytest.mark.parametrize("kind", ["empty", "truncated", "not-json", "array", "not-utf8", "deep"])
def test_a_malformed_200_body_is_a_finding_for_that_model_never_a_crash(kind, capsys):
    with MockServer(VALID, faults=Faults(malformed={"boiler-feed-3": kind})) as server:
        code, doc, err = _fid(capsys, server.endpoint_url)
    assert code == 1 and "Traceback" not in err
    (call,) = [c for c in doc["calls"] if c["model"] == "boiler-feed-3"]
    assert call["checks"]["contract"] is False or call["checks"]["supported"] is False
    assert call["findings"]
    others = [c for c in doc["calls"] if c["operation"] == "DescribeModel" and c["model"] != "boiler-feed-3"]
    assert len(others) == 10 and all(all(c["checks"].values()) for c in others)


class _BrokenSecondPage(_StandIn):
    """ListModels page 1 carries a NextToken; page 2 is not JSON (botocore does not raise on it)."""

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("X-Amz-Target", "").endswith(".ListModels") and b"NextToken" in raw:
            data = b"<html>oops</html>"
        elif self.headers.get("X-Amz-Target", "").endswith(".ListModels"):
            data = json.dumps({"ModelSummaries": [], "NextToken": "page-2"}).encode()
        else:
            data = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_page_that_is_not_json_is_named_not_mistaken_for_a_repeated_token(capsys):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _BrokenSecondPage)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        code, doc, _ = _fid(capsys, f"http://127.0.0.1:{httpd.server_address[1]}", "--recordings", WIRE)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    assert code == 1
    listing = [f["message"] for f in doc["operations"]["ListModels"]["findings"]]
    assert not any("NextToken repeats" in m for m in listing), listing
    assert any("JSON" in m for m in listing), listing
