"""live under faults: a deadline per call, a capped body read, and SIGINT/SIGTERM with a partial report.

Every server here is a FaultServer on 127.0.0.1 that trickles, stalls or sends too much. The waits on
threads and processes are guards against a hang (a broken deadline would hold the test forever), not
speed figures.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from fault_server import FaultServer
from test_serve import fast_backoff  # noqa: F401 (fixture)

from l4e_contract.endpoints import client as aws
from l4e_contract.endpoints.client import BodyBudget, ClientSettings, DeadlineExceeded, connect
from l4e_contract.endpoints.live import NOT_CHECKED, run_live
from l4e_contract.load.files import MAX_BYTES

# every test here: dummy credentials, no shared config, no metadata probing (conftest's aws_env)
pytestmark = pytest.mark.usefixtures("aws_env")

HANG_GUARD = 60  # seconds; only a run that ignores its deadline or a signal comes near it


def run_guarded(fn):
    """fn() in a thread, failing the test (instead of hanging it) if it does not finish."""
    out: dict = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as exc:  # handed to the test
            out["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(HANG_GUARD)
    assert not t.is_alive(), "the call was never given up"
    if "error" in out:
        raise out["error"]
    return out["value"]


def check(server, *, models=None, concurrency=2, **settings):
    settings = ClientSettings(**{"max_attempts": 2, "connect_timeout": 2, "read_timeout": 30, **settings})
    conn = connect("us-east-1", endpoint_url=server.endpoint_url, settings=settings)
    run = run_guarded(lambda: run_live([conn], models=models, concurrency=concurrency))
    return {r.source.rsplit("/", 1)[1]: r for r in run.results}


# --- the deadline -------------------------------------------------------------------------------------


def test_a_trickled_body_is_cut_at_the_call_deadline_and_the_run_goes_on():
    # one byte every 0.1 s: each read is quick, so --read-timeout never fires; only the deadline can end it
    with FaultServer({"slow": "trickle", "pump-1": "ok"}) as server:
        results = check(server, call_deadline=1.5)
        sent = server.sent["slow"]
    assert "deadline exceeded" in results["slow"].error
    assert "1.5 s call deadline" in results["slow"].error
    assert results["pump-1"].verdict == "valid"
    assert sent < len(json.dumps(server.body("slow", {})))  # given up long before the body ended


def test_a_server_that_never_answers_is_cut_at_the_call_deadline_not_the_read_timeout():
    with FaultServer({"mute": "stall", "pump-1": "ok"}) as server:
        results = check(server, call_deadline=1, read_timeout=60, max_attempts=5)
        tries = server.served["mute"]
    assert "deadline exceeded" in results["mute"].error
    assert tries == 1  # no retry once the deadline has passed
    assert results["pump-1"].verdict == "valid"


def test_retries_count_inside_the_deadline():
    # 100 attempts allowed, each answered 500 after 0.3 s: the deadline, not max_attempts, ends the call
    with FaultServer({"flaky": "slow-500"}, delay=0.3) as server:
        results = check(server, call_deadline=1.5, max_attempts=100)
        tries = server.served["flaky"]
    assert "deadline exceeded" in results["flaky"].error
    assert 2 <= tries < 100


def test_the_deadline_option_reaches_the_client_and_is_checked(capsys):
    from l4e_contract.cli import main

    with pytest.raises(SystemExit) as exited:  # a usage error, before anything is sent
        main(["live", "--endpoint-url", "http://127.0.0.1:9", "--call-deadline", "0"])
    assert exited.value.code == 2
    assert "--call-deadline" in capsys.readouterr().err
    with FaultServer({"slow": "trickle"}) as server:
        code = run_guarded(lambda: main(["live", "--endpoint-url", server.endpoint_url, "--unsigned",
                                         "--call-deadline", "1", "--format", "json"]))
    doc = json.loads(capsys.readouterr().out)
    assert code == 2
    assert "deadline exceeded" in doc["results"][0]["error"]


# --- the capped read ----------------------------------------------------------------------------------


def test_a_body_announced_over_the_limit_is_refused_unread_and_the_run_goes_on():
    with FaultServer({"big": "huge-length", "pump-1": "ok"}, huge_length=MAX_BYTES + 1) as server:
        results = check(server)
        sent = server.sent["big"]
    err = results["big"].error
    assert f"{MAX_BYTES + 1:,} bytes (Content-Length), over the {MAX_BYTES:,} byte limit" in err
    assert err.startswith("DescribeModel: ") and "\n" not in err
    assert sent < 100  # not read
    assert results["pump-1"].verdict == "valid"


def test_a_chunked_body_is_read_only_up_to_the_limit(monkeypatch):
    monkeypatch.setattr("l4e_contract.load.files.MAX_BYTES", 200_000)
    with FaultServer({"big": "huge-chunked", "pump-1": "ok"}) as server:
        results = check(server)
    assert "over the 200,000 byte limit" in results["big"].error
    assert results["pump-1"].verdict == "valid"


def test_large_bodies_share_one_budget_whatever_the_concurrency():
    budget = BodyBudget(1000)
    never = threading.Event()

    assert budget.reserve(600, time.monotonic() + 5, never) == 600
    with pytest.raises(DeadlineExceeded):  # a second one waits for room, and gives up at its deadline
        budget.reserve(600, time.monotonic() + 0.2, never)
    budget.release(600)
    assert budget.reserve(600, time.monotonic() + 5, never) == 600
    assert budget.used == 600


def test_concurrent_large_bodies_never_hold_more_than_the_budget(monkeypatch):
    monkeypatch.setattr(aws, "FREE_BYTES", 10)  # every body is "large"
    peak = []
    real = BodyBudget.reserve

    def watched(self, size, until, cancelled):
        got = real(self, size, until, cancelled)
        peak.append(self.used)
        return got

    monkeypatch.setattr(BodyBudget, "reserve", watched)
    budget = BodyBudget(3 * 4000)  # room for about two bodies (each about 4 kB)
    monkeypatch.setattr(aws, "body_budget", lambda: budget)
    names = {f"pump-{i}": "ok" for i in range(12)}
    with FaultServer(names) as server:
        results = check(server, concurrency=8)
    assert all(r.verdict == "valid" for r in results.values())
    assert peak and max(peak) <= budget.limit
    assert budget.used == 0  # every reservation was given back


# --- signals --------------------------------------------------------------------------------------------


def start_live(server, *extra):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_EC2_METADATA_DISABLED="true")
    return subprocess.Popen(
        [sys.executable, "-m", "l4e_contract.cli", "live", "--endpoint-url", server.endpoint_url,
         "--concurrency", "2", "--max-attempts", "1", "--read-timeout", "60", "--call-deadline", "120", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_at_once_with_a_partial_report(tmp_path, signum, code):
    models = {"a-ok": "ok", "b-stall": "stall", "c-stall": "stall", "d-never": "ok", "e-never": "ok"}
    with FaultServer(models) as server:
        proc = start_live(server, "--format", "json", "--report-dir", str(tmp_path))
        try:
            assert server.wait_for(in_flight=2, model="c-stall"), "the run never got its calls in flight"
            time.sleep(1)  # a-ok, answered before c-stall was asked, is collected by then
            proc.send_signal(signum)
            out, err = proc.communicate(timeout=HANG_GUARD)  # before: waited for the calls in flight
        finally:
            proc.kill()
    assert proc.returncode == code, err
    assert "Traceback" not in err and "interrupted" in err
    doc = json.loads(out)
    assert doc["interrupted"] is True
    results = {r["source"].rsplit("/", 1)[1]: r for r in doc["results"]}
    assert sorted(results) == sorted(models)  # every model accounted for
    assert results["a-ok"]["verdict"] == "valid"
    for name in ("b-stall", "c-stall", "d-never", "e-never"):
        assert results[name]["error"] == NOT_CHECKED
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    report = json.loads((run_dir / "report.json").read_text())
    assert report["interrupted"] is True
    assert len(report["results"]) == 5


def test_an_interrupted_text_run_says_so():
    with FaultServer({"d-never": "ok", "b-stall": "stall", "c-stall": "stall"}) as server:
        proc = start_live(server)
        try:
            assert server.wait_for(in_flight=2)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=HANG_GUARD)
        finally:
            proc.kill()
    assert proc.returncode == 143
    lines = out.splitlines()
    assert lines[0].startswith("us-east-1/model/b-stall: error: not checked")  # sorted by source
    assert lines[1].startswith("us-east-1/model/c-stall: error: not checked")
    assert lines[2].startswith("us-east-1/model/d-never: error: not checked")
    assert any(line.startswith("interrupted:") for line in lines)


def test_text_output_is_sorted_by_source_not_by_completion(capsys):
    from l4e_contract.cli import main

    # z-slow answers last (after a 500 and a retry), a-bad first: the output is still in name order
    models = {"z-slow": "slow-500", "a-mute": "stall", "m-ok": "ok"}
    with FaultServer(models, delay=0.2) as server:
        run_guarded(lambda: main(["live", "--endpoint-url", server.endpoint_url, "--unsigned",
                                  "--call-deadline", "1", "--max-attempts", "2"]))
    lines = [ln.split(":")[0] for ln in capsys.readouterr().out.splitlines() if ln.startswith("us-east-1/")]
    assert lines == ["us-east-1/model/a-mute", "us-east-1/model/z-slow"]


# --- record and fidelity ----------------------------------------------------------------------------------


def test_record_stopped_by_sigterm_writes_what_it_fetched(tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_EC2_METADATA_DISABLED="true")
    with FaultServer({"a-ok": "ok", "b-stall": "stall", "c-never": "ok"}) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "l4e_contract.cli", "record", "--endpoint-url", server.endpoint_url,
             "--out", str(out), "--concurrency", "1", "--max-attempts", "1", "--read-timeout", "60"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            assert server.wait_for(in_flight=1, model="b-stall")
            proc.send_signal(signal.SIGTERM)
            printed, err = proc.communicate(timeout=HANG_GUARD)
        finally:
            proc.kill()
    assert proc.returncode == 143, err
    assert [p.name for p in (out / "us-east-1").iterdir()] == ["a-ok.json"]
    assert "us-east-1/model/b-stall: error: not recorded: interrupted" in printed
    assert "us-east-1/model/c-never: error: not recorded: interrupted" in printed
    assert "interrupted" in err and "Traceback" not in err


def test_fidelity_gives_up_a_trickling_call_at_its_deadline(tmp_path):
    from l4e_contract.endpoints import fidelity
    from test_serve import trained, write_models

    write_models(tmp_path, [trained("slow"), trained("pump-1")])
    with FaultServer({"slow": "trickle", "pump-1": "ok"}) as server:
        result = run_guarded(lambda: fidelity.check(server.endpoint_url, tmp_path, timeout=30, call_deadline=1))
    slow = next(c for c in result.calls if c.model == "slow")
    assert any("deadline exceeded" in f.message for f in slow.findings)
    assert not result.faithful


def test_fidelity_stops_on_sigint(tmp_path):
    from test_serve import trained, write_models

    write_models(tmp_path, [trained("mute")])
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    with FaultServer({"mute": "stall"}) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "l4e_contract.cli", "fidelity", "--endpoint-url", server.endpoint_url,
             "--recordings", str(tmp_path), "--timeout", "60", "--call-deadline", "120"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            assert server.wait_for(in_flight=1, model="mute")
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=HANG_GUARD)
        finally:
            proc.kill()
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err


def test_cancel_stops_a_read_blocked_mid_body_at_once():
    from l4e_contract.endpoints.client import Cancelled

    with FaultServer({"half": "stall-body"}) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url,
                       settings=ClientSettings(max_attempts=1, read_timeout=120, call_deadline=300))
        out: dict = {}

        def call():
            try:
                conn.call("describe_model", ModelName="half")
            except Exception as exc:  # handed to the test
                out["error"] = exc

        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        assert server.wait_for(in_flight=1, model="half")
        time.sleep(0.5)  # the client is now blocked reading the second half
        conn.cancel()
        worker.join(HANG_GUARD / 2)  # without the socket shut down, the read waits out its 120 s timeout
        assert not worker.is_alive()
    assert isinstance(out["error"], Cancelled)


def test_a_signal_while_the_report_is_written_waits_for_it():
    from l4e_contract.endpoints.signals import held_signals

    before = signal.getsignal(signal.SIGINT)
    with held_signals() as came:
        os.kill(os.getpid(), signal.SIGINT)  # would raise KeyboardInterrupt here, mid-report
        for _ in range(1000):  # the handler runs between bytecodes; give it some
            if came:
                break
            time.sleep(0.001)
        written = True
    assert written and came == [signal.SIGINT]
    assert signal.getsignal(signal.SIGINT) is before
