"""live: end to end against MockServer with real boto3 over HTTP, faults injected, every model accounted for."""
from __future__ import annotations

import json
import socket

import pytest

from test_serve import fast_backoff, fleet, folder, trained, write_models  # noqa: F401 (fixtures)

from l4e_contract.endpoints import live
from l4e_contract.endpoints import serve as live_serve
from l4e_contract.endpoints.client import ClientSettings, ReadOnlyViolation, connect, is_read_only
from l4e_contract.cli import main
from l4e_contract.endpoints.serve import Faults, MockServer

FAST = ["--max-attempts", "3", "--connect-timeout", "1", "--read-timeout", "2"]


# every test here: dummy credentials, no shared config, no metadata probing (conftest's aws_env)
pytestmark = pytest.mark.usefixtures("aws_env")


def only_reads(server) -> bool:
    return bool(server.operations) and all(is_read_only(op) for op in server.operations)


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = main(["live", "--format", "json", *FAST, *argv])
    return code, json.loads(capsys.readouterr().out)


def by_source(doc) -> dict:
    return {r["source"]: r for r in doc["results"]}


def test_all_models_valid(folder, capsys):
    with MockServer(folder) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url)
        assert only_reads(server)
    assert code == 0
    assert sorted(by_source(doc)) == sorted(f"us-east-1/model/{n}" for n in server.models)
    assert doc["summary"] == {"total": 7, "valid": 7, "invalid": 0, "error": 0, "warnings": 0}
    assert all(r["verdict"] == "valid" and r["error"] is None for r in doc["results"])


def test_list_models_is_followed_through_next_token(tmp_path, capsys):
    write_models(tmp_path, [trained(f"m-{i:03d}") for i in range(120)])
    with MockServer(tmp_path) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--concurrency", "8")
        pages = server.operations.count("ListModels")
    assert code == 0 and doc["summary"]["total"] == 120
    assert pages == 3  # the server's default page is 50 models


def test_every_fault_is_accounted_for_and_nothing_passes_by_accident(folder, capsys):
    faults = Faults(
        throttle_every=5,  # retried by botocore: these models still pass
        fail={"pump-1": "Throttling", "pump-2": "AccessDenied", "pump-3": "ResourceNotFound",
              "pump-4": "InternalServerException"},
        malformed={"pump-5": "empty", "fan-2": "string-number"},
    )
    with MockServer(folder, faults=faults) as server:
        # one at a time: throttling every 5th request then never hits one model twice running
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--concurrency", "1")
        assert only_reads(server)
    results = by_source(doc)
    assert code == 2 and len(results) == 7
    err = {s.rsplit("/", 1)[1]: r["error"] for s, r in results.items() if r["verdict"] == "error"}
    assert "throttled past retries (3 attempts)" in err["pump-1"]
    assert "access denied" in err["pump-2"]
    assert "deleted between the calls" in err["pump-3"]
    assert "server error (HTTP 500" in err["pump-4"]
    assert "HTTP 200 with empty response body" in err["pump-5"]
    # fan-2 has no integer member, so its first timestamp went out as text "1672531200": botocore
    # parses that into a datetime without a word, the wire body still shows the string
    fan = results["us-east-1/model/fan-2"]
    assert fan["verdict"] == "invalid"
    assert ("live.wire-timestamps", "/TrainingDataStartTime") in {(v["rule"], v["pointer"]) for v in fan["violations"]}
    assert results["us-east-1/model/pump-0"]["verdict"] == "valid"
    assert any(r.error == "ThrottlingException" for r in server.requests)


@pytest.mark.parametrize("kind,verdict,words", [
    ("empty", "error", "empty response body"),
    ("truncated", "error", "truncated or malformed JSON"),
    ("not-json", "error", "malformed JSON"),
    ("not-utf8", "error", "not UTF-8"),
    ("deep", "error", "nests too deeply"),
    ("array", "invalid", "form.object"),
    ("string-number", "invalid", "schema.type"),
])
def test_a_broken_200_body_is_never_a_pass(folder, capsys, kind, verdict, words):
    with MockServer(folder, faults=Faults(malformed={"pump-0": kind})) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--model", "pump-0")
    (result,) = doc["results"]
    assert result["source"] == "us-east-1/model/pump-0" and result["verdict"] == verdict
    assert words in (result["error"] or json.dumps(result["violations"]))
    assert code == (2 if verdict == "error" else 1)


def test_a_timeout_is_an_error_for_that_model_only(folder, capsys):
    with MockServer(folder, faults=Faults(slow={"pump-2": 1500})) as server:
        code = main(["live", "--format", "json", "--endpoint-url", server.endpoint_url, "--max-attempts", "1",
                     "--read-timeout", "0.3", "--model", "pump-2", "--model", "pump-3"])
        doc = json.loads(capsys.readouterr().out)
    results = by_source(doc)
    assert code == 2
    assert "timed out" in results["us-east-1/model/pump-2"]["error"]
    assert results["us-east-1/model/pump-3"]["verdict"] == "valid"


def test_an_unreachable_endpoint_is_one_clear_error_per_region(capsys):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["live", "--endpoint-url", f"http://127.0.0.1:{port}", "--max-attempts", "1",
                 "--region", "us-east-1", "--region", "eu-west-1"])
    out = capsys.readouterr()
    assert code == 2
    assert "us-east-1/ListModels: error: ListModels: endpoint unreachable" in out.out
    assert "eu-west-1/ListModels: error:" in out.out
    assert "Traceback" not in out.out + out.err


def test_a_failing_list_models_is_reported_not_hidden(folder, capsys):
    with MockServer(folder, faults=Faults(fail_operations={"ListModels": "AccessDenied"})) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url)
    assert code == 2
    assert [r["source"] for r in doc["results"]] == ["us-east-1/ListModels"]
    assert "access denied" in doc["results"][0]["error"]


def test_named_models_and_several_regions(folder, capsys):
    with MockServer(folder) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--region", "us-east-1",
                             "--region", "eu-west-1", "--model", "pump-0", "--model", "gone")
        assert only_reads(server)
    results = by_source(doc)
    assert set(results) == {f"{r}/model/{m}" for r in ("us-east-1", "eu-west-1") for m in ("pump-0", "gone")}
    assert results["eu-west-1/model/pump-0"]["verdict"] == "valid"
    assert "ResourceNotFoundException" in results["us-east-1/model/gone"]["error"]
    assert code == 2


class DriftingServer(MockServer):
    """DescribeModel disagrees with ListModels for one model; optionally only the first listing is stale."""

    def __init__(self, *a, stale_once=False, **kw):
        super().__init__(*a, **kw)
        self.stale_once = stale_once
        self.lists = 0

    def _describe(self, name):
        body = json.loads(super()._describe(name))
        if name == "pump-1":
            body["Status"] = "IN_PROGRESS" if not self.stale_once else body["Status"]
            body["ActiveModelVersionArn"] = body["ActiveModelVersionArn"] if self.stale_once else \
                body["ActiveModelVersionArn"].replace("/model-version/2", "/model-version/9")
        return json.dumps(body).encode()

    def _list(self, params):
        self.lists += 1
        page = json.loads(super()._list(params))
        if self.stale_once and self.lists == 1:
            for s in page["ModelSummaries"]:
                if s["ModelName"] == "pump-1":
                    s["Status"] = "IN_PROGRESS"
        return json.dumps(page).encode()


def test_summary_and_describe_must_agree(folder, capsys):
    with DriftingServer(folder) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url)
    pump1 = by_source(doc)["us-east-1/model/pump-1"]
    found = {(v["rule"], v["pointer"]) for v in pump1["violations"]}
    assert ("live.summary-agrees", "/Status") in found
    assert ("live.summary-agrees", "/ActiveModelVersionArn") in found
    assert code == 1
    assert sum(r["verdict"] == "invalid" for r in doc["results"]) == 1


def test_a_model_that_changed_between_the_calls_is_asked_again_not_flagged(folder, capsys):
    with DriftingServer(folder, stale_once=True) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url)
        assert server.lists == 2  # the one stale summary was checked again with a fresh ListModels
    assert code == 0, doc


def test_read_only_by_construction(folder):
    with MockServer(folder) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url, settings=ClientSettings(max_attempts=1))
        for call in (lambda: conn.client.delete_model(ModelName="pump-0"),
                     lambda: conn.client.update_model(ModelName="pump-0", RoleArn="arn:aws:iam::123456789012:role/x"),
                     lambda: conn.client.create_model(ModelName="x", DatasetName="y", ClientToken="t")):
            with pytest.raises(ReadOnlyViolation, match="refused"):
                call()
        assert server.requests == []  # refused before anything was sent
        # the second guard, on the wire request, holds even if the first one is removed
        conn.client.meta.events.unregister("before-parameter-build", unique_id="l4e-read-only")
        with pytest.raises(ReadOnlyViolation, match="refused to send"):
            conn.client.start_inference_scheduler(InferenceSchedulerName="s")
        assert server.requests == []
        conn.client.describe_model(ModelName="pump-0")
        conn.client.list_models()
        assert server.operations == ["DescribeModel", "ListModels"]


def test_raw_body_is_captured_per_call(folder):
    with MockServer(folder, faults=Faults(throttle_every=2)) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url, settings=ClientSettings(max_attempts=3))
        conn.call("list_models")
        parsed, raw = conn.call("describe_model", ModelName="pump-3")
        assert raw.status == 200 and json.loads(raw.body)["ModelName"] == "pump-3"
        assert [r.status for r in conn.capture.responses] == [400, 200]  # the throttled attempt is kept too
        assert raw.request_id == server.requests[-1].request_id


def test_ctrl_c_leaves_a_whole_partial_report(folder, capsys, monkeypatch):
    real = live.describe_for_check

    def interrupted_at_pump_3(conn, name, *a, **kw):
        if name == "pump-3":
            raise KeyboardInterrupt
        return real(conn, name, *a, **kw)

    monkeypatch.setattr(live, "describe_for_check", interrupted_at_pump_3)
    with MockServer(folder) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--concurrency", "1")
    assert code == 130
    results = by_source(doc)
    assert len(results) == 7  # every model is in the partial report
    assert results["us-east-1/model/pump-3"]["error"] == "not checked: interrupted"
    assert results["us-east-1/model/pump-0"]["verdict"] == "valid"


def test_report_dir_gets_the_run(folder, tmp_path, capsys):
    with MockServer(folder, faults=Faults(fail={"pump-2": "AccessDenied"})) as server:
        code = main(["live", "--endpoint-url", server.endpoint_url, *FAST, "--report-dir", str(tmp_path / "reports")])
    assert code == 2
    (run_dir,) = [p for p in (tmp_path / "reports").iterdir() if p.is_dir()]
    report = json.loads((run_dir / "report.json").read_text())
    assert len(report["results"]) == 7
    assert "reports written to" in capsys.readouterr().err


def test_bundled_recordings_pass_live(capsys):
    from l4e_contract.contract import paths

    bundled = paths.recordings_dir() / "valid" / "wire"
    assert any(bundled.glob("*.json")), "the bundled recordings are missing"
    with MockServer(bundled, faults=Faults(throttle_every=4)) as server:
        # concurrent calls share the throttle counter; 8 attempts make an unlucky streak vanishingly rare
        code = main(["live", "--format", "json", "--endpoint-url", server.endpoint_url, "--concurrency", "4",
                     "--max-attempts", "8"])
        doc = json.loads(capsys.readouterr().out)
        assert only_reads(server)
    assert code == 0, [r for r in doc["results"] if r["verdict"] != "valid"]
    assert doc["summary"]["total"] == len(server.models)


def test_retry_settings_reach_botocore():
    """botocore does the retrying; adaptive mode's client-side rate limiter is too slow to run here."""
    conn = connect("us-east-1", endpoint_url="http://127.0.0.1:9",
                   settings=ClientSettings(retry_mode="adaptive", max_attempts=4, read_timeout=7, connect_timeout=3))
    config = conn.client.meta.config
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 4}
    assert (config.read_timeout, config.connect_timeout) == (7, 3)


def test_usage_errors_are_one_line(capsys, tmp_path):
    assert main(["live", "--concurrency", "0"]) == 2
    assert main(["live", "--profile", "no-such-profile"]) == 2
    err = capsys.readouterr().err
    assert "ProfileNotFound" in err and "Traceback" not in err


class BrokenListServer(MockServer):
    def __init__(self, *a, list_body=b"", **kw):
        super().__init__(*a, **kw)
        self.list_body = list_body

    def _list(self, params):
        return self.list_body


@pytest.mark.parametrize("list_body,words", [
    (b"", "ListModels: answered HTTP 200 with empty response body"),
    (b'{"ModelSummaries": [', "ListModels: answered HTTP 200 with truncated"),
    (b"[]", "ListModels: the answer has no ModelSummaries list"),
])
def test_a_broken_list_models_body_is_an_error_not_an_empty_account(folder, capsys, list_body, words):
    with BrokenListServer(folder, list_body=list_body) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url)
    assert code == 2
    (result,) = doc["results"]
    assert result["source"] == "us-east-1/ListModels" and words in result["error"]


class BuggyServer(MockServer):
    def _describe(self, name):
        raise KeyError("a bug in the mock")


def test_a_crash_inside_the_mock_is_a_500_not_a_hang(folder, capsys):
    with BuggyServer(folder) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--model", "pump-0",
                             "--max-attempts", "1")
        assert server.requests[-1].status == 500
    assert code == 2 and "server error (HTTP 500" in doc["results"][0]["error"]


def test_a_real_ctrl_c_prints_a_whole_partial_report(folder):
    """SIGINT to a running `l4e-contract live` process: exit 130, every model in the JSON document."""
    import os
    import signal
    import subprocess
    import sys
    import time

    with MockServer(folder, faults=Faults(latency_ms=150)) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "l4e_contract.cli", "live", "--format", "json", "--concurrency", "1",
             "--endpoint-url", server.endpoint_url, "--max-attempts", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        deadline = time.monotonic() + 30
        while len(server.requests) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    doc = json.loads(out)
    assert len(doc["results"]) == 7
    assert any(r["error"] == "not checked: interrupted" for r in doc["results"])
    assert any(r["verdict"] == "valid" for r in doc["results"])
    assert "partial" in err and "Traceback" not in err


def test_an_endpoint_that_is_not_lookout_for_equipment_says_so(capsys):
    """A plain web server answering 404 to everything."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class NotFound(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(404)
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not found")

        def log_message(self, *a):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        code = main(["live", "--endpoint-url", f"http://127.0.0.1:{httpd.server_address[1]}", "--max-attempts", "1"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert code == 2
    assert "HTTP 404 without an AWS error body" in capsys.readouterr().out


def test_an_unwritable_report_dir_is_a_one_line_error(folder, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with MockServer(folder) as server:
        code = main(["live", "--endpoint-url", server.endpoint_url, *FAST, "--report-dir", str(blocker / "reports")])
    out = capsys.readouterr()
    assert code == 2 and out.err.startswith("l4e-contract live: ") and "Traceback" not in out.err
    assert len(out.err.strip().splitlines()) == 1 and str(blocker) in out.err  # one line, naming where
    assert out.out == "" and not server.requests  # refused before the run, not after it


# --- speed without changing behaviour (issue 5) ------------------------------------------------


def test_describing_starts_before_the_listing_ends(tmp_path, capsys):
    """The first page's models are described while the next pages are fetched: no wait for the whole list."""
    write_models(tmp_path, [trained(f"m-{i:03d}") for i in range(120)])
    # latency keeps each ListModels page in flight long enough for the first describes to be sent meanwhile
    with MockServer(tmp_path, faults=Faults(latency_ms=20)) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--concurrency", "4")
        ops = server.operations
    assert code == 0 and doc["summary"]["total"] == 120 and doc["summary"]["valid"] == 120
    assert ops.count("ListModels") == 3 and ops.count("DescribeModel") == 120
    last_list = len(ops) - 1 - ops[::-1].index("ListModels")
    assert ops.index("DescribeModel") < last_list
    # results keep the listing's order whatever order they finished in
    assert [r["source"] for r in doc["results"]] == [f"us-east-1/model/m-{i:03d}" for i in range(120)]


def test_a_listing_that_fails_after_a_page_still_accounts_for_the_models_listed(tmp_path, capsys):
    write_models(tmp_path, [trained(f"m-{i:03d}") for i in range(70)])

    class SecondPageFails(MockServer):
        def _list(self, params):
            if "NextToken" in params:
                raise live_serve.ServiceError("InternalServerException", "page 2 is gone")
            return super()._list(params)

    with SecondPageFails(tmp_path) as server:
        code, doc = run_json(capsys, "--endpoint-url", server.endpoint_url, "--concurrency", "4")
    results = by_source(doc)
    assert code == 2 and len(results) == 51  # the first page's 50 models and the failed listing
    assert "server error (HTTP 500" in results["us-east-1/ListModels"]["error"]
    assert all(results[f"us-east-1/model/m-{i:03d}"]["verdict"] == "valid" for i in range(50))


def test_the_session_is_botocore_s_and_answers_boto3_s_spellings(monkeypatch):
    from l4e_contract.endpoints.client import session

    sess = session(region="eu-west-1")
    assert sess.region_name == "eu-west-1"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    assert session().region_name == "ap-southeast-2"
    conn = connect("us-east-1", sess=sess, endpoint_url="http://127.0.0.1:9")
    assert conn.client.meta.region_name == "us-east-1"
    # the same guard whatever the session: nothing but reads can be sent
    with pytest.raises(ReadOnlyViolation):
        conn.client.delete_model(ModelName="pump-7")


def test_the_collector_is_left_as_it_was(folder, capsys):
    import gc

    with MockServer(folder) as server:
        code, _ = run_json(capsys, "--endpoint-url", server.endpoint_url)
    assert code == 0
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_summary_members_are_the_model_s_whichever_model_asks(folder):
    from l4e_contract.endpoints.serve import service_model

    with MockServer(folder) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url)
    assert live.summary_members(conn.client.meta.service_model) == live.summary_members()
    assert set(live.summary_members()) == set(service_model().shape_for("ModelSummary").members)
    assert "ModelName" in live.summary_members() and "Schema" not in live.summary_members()


def test_a_failing_callback_stops_the_run_and_its_workers(folder):
    import threading

    class Closed(Exception):
        pass

    def on_result(result):
        raise Closed(result.source)  # as a closed stdout would

    with MockServer(folder, faults=Faults(latency_ms=100)) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url)
        with pytest.raises(Closed):
            live.run_live([conn], concurrency=1, on_result=on_result)
        described = server.operations.count("DescribeModel")
    assert 1 <= described < len(server.models)  # the models not yet started were never described
    assert not [t for t in threading.enumerate() if t.name.startswith("l4e-live")]


def test_the_collector_is_off_while_the_clients_are_made_and_back_after(folder, capsys, monkeypatch):
    import gc

    from l4e_contract.cli import account_args

    seen = []
    real = account_args.connect_regions

    def connect_regions(args, command):
        seen.append(gc.isenabled())
        return real(args, command)

    monkeypatch.setattr(account_args, "connect_regions", connect_regions)
    with MockServer(folder) as server:
        code, _ = run_json(capsys, "--endpoint-url", server.endpoint_url)
    assert code == 0 and seen == [False]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_interpreter_s_switch_interval_is_short_during_the_run_only(folder, capsys, monkeypatch):
    import sys

    seen = []
    real = live.run_live

    def run_live(*a, **kw):
        seen.append(sys.getswitchinterval())
        return real(*a, **kw)

    monkeypatch.setattr(live, "run_live", run_live)
    before = sys.getswitchinterval()
    with MockServer(folder) as server:
        code, _ = run_json(capsys, "--endpoint-url", server.endpoint_url)
    assert code == 0 and seen and seen[0] < before
    assert sys.getswitchinterval() == before


def test_the_json_document_is_the_json_reporter_s_byte_for_byte(folder, capsys):
    from l4e_contract.check.results import Result, summarize
    from l4e_contract.report.console import JsonReporter

    with MockServer(folder, faults=Faults(fail={"pump-1": "AccessDenied"})) as server:
        code = main(["live", "--format", "json", *FAST, "--endpoint-url", server.endpoint_url])
    out = capsys.readouterr().out
    doc = json.loads(out)
    results = [Result(r["source"], r["verdict"], [], [], r["error"]) for r in doc["results"]]
    assert code == 2 and any(r.error for r in results)
    assert all(not r["violations"] and not r["warnings"] for r in doc["results"])
    import io

    again = io.StringIO()
    JsonReporter(again).finish(results, summarize(results))
    assert out == again.getvalue() and out.count("\n}\n") == 1


def test_workers_make_the_calls_and_the_collecting_thread_runs_the_contract(folder, monkeypatch):
    import threading

    threads = {"describe": set(), "judge": set()}
    real_describe, real_judge = live.describe_raw, live.judge

    def describe_raw(*a, **kw):
        threads["describe"].add(threading.current_thread().name)
        return real_describe(*a, **kw)

    def judge(*a, **kw):
        threads["judge"].add(threading.current_thread().name)
        return real_judge(*a, **kw)

    monkeypatch.setattr(live, "describe_raw", describe_raw)
    monkeypatch.setattr(live, "judge", judge)
    with MockServer(folder) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url)
        run = live.run_live([conn], concurrency=3)
    assert [r.verdict for r in run.results] == ["valid"] * len(server.models)
    assert threads["judge"] == {threading.current_thread().name}
    assert threads["describe"] and all(t.startswith("l4e-live") for t in threads["describe"])


def test_a_check_that_crashes_costs_its_model_only(folder, monkeypatch):
    import sys

    validate_module = sys.modules["l4e_contract.check.runner"]  # the package's `validate` is the function
    real = validate_module.validate

    def validate(doc, **kw):
        if isinstance(doc, dict) and doc.get("ModelName") == "pump-2":
            raise RuntimeError("a bug in a rule")
        return real(doc, **kw)

    monkeypatch.setattr(validate_module, "validate", validate)
    with MockServer(folder) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url)
        run = live.run_live([conn], concurrency=3)
    results = {r.source: r for r in run.results}
    assert len(results) == len(server.models)
    assert results["us-east-1/model/pump-2"].error == "could not be checked: RuntimeError: a bug in a rule"
    assert all(r.verdict == "valid" for s, r in results.items() if s != "us-east-1/model/pump-2")
