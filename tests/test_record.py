"""record: envelopes of what the service sent, redacted consistently, never holding a credential."""
from __future__ import annotations

import json

import pytest

from test_live import only_reads
from test_serve import ACCOUNT, KMS, fast_backoff, fleet, folder, make_client, trained, write_models  # noqa: F401

import l4e_contract
from l4e_contract.contract import committed
from l4e_contract.cli import main
from l4e_contract.load.files import RECORDING_KEY, load_file, unwrap_recording
from l4e_contract.contract.patterns import search
from l4e_contract.endpoints.redact import Redactor, safe_endpoint, scrub
from l4e_contract.endpoints.serve import Faults, MockServer

# every test here: dummy credentials, no shared config, no metadata probing (conftest's aws_env)
pytestmark = pytest.mark.usefixtures("aws_env")

FAKE_KEY_ID = "AKIAC1FAKEKEYID12345"
FAKE_SECRET = "c1FakeSecretAccessKeyDoNotLeak0123456789"
FAKE_TOKEN = "c1FakeSessionTokenDoNotLeak"


def recorded(out) -> dict:
    """model name -> envelope, for every file under `out`."""
    return {unwrap_recording(d)[1]["model"]: d for d in (load_file(p) for p in sorted(out.rglob("*.json")))}


def all_text(out) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())


def test_record_writes_one_redacted_envelope_per_model(folder, tmp_path, capsys):
    out = tmp_path / "out"
    with MockServer(folder) as server:
        endpoint = server.endpoint_url
        code = main(["record", "--endpoint-url", endpoint, "--out", str(out)])
        assert only_reads(server)
    assert code == 0
    files = recorded(out)
    assert sorted(files) == sorted(server.models)
    assert sorted(p.name for p in (out / "us-east-1").iterdir()) == sorted(f"{n}.json" for n in server.models)
    meta = files["pump-0"][RECORDING_KEY]
    assert set(meta) == {"operation", "region", "model", "botocore_version", "recorded_at", "endpoint"}
    assert meta["operation"] == "DescribeModel" and meta["region"] == "us-east-1"
    assert meta["endpoint"] == endpoint
    import botocore
    assert meta["botocore_version"] == botocore.__version__
    assert search(committed.definition("ParsedTimestamp")["pattern"], meta["recorded_at"])
    text = all_text(out)
    for real in (ACCOUNT, "acme-l4e-labels", "acme-l4e-diagnostics", KMS.rsplit("/", 1)[1]):
        assert real not in text
    body = files["pump-0"]["body"]
    assert body["LabelsInputConfiguration"]["S3InputConfiguration"]["Bucket"].startswith("redacted-bucket-")
    assert body["CreatedAt"] == 1685577000  # the wire form, as sent
    # still valid, and clean, after redaction
    assert main(["validate", str(out)]) == 0
    assert "7 checked: 7 valid, 0 invalid, 0 error, 0 warning(s)" in capsys.readouterr().out


def test_the_same_real_value_gets_the_same_placeholder_across_files(folder, tmp_path):
    out = tmp_path / "out"
    with MockServer(folder) as server:
        assert main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out)]) == 0
    bodies = [d["body"] for d in recorded(out).values()]
    accounts = {b["ModelArn"].split(":")[4] for b in bodies} | {b["RoleArn"].split(":")[4] for b in bodies}
    keys = {b["ServerSideKmsKeyId"] for b in bodies}
    assert len(accounts) == 1 and accounts != {ACCOUNT}
    assert len(keys) == 1 and keys != {KMS}


def test_recordings_valid_before_redaction_are_valid_after(tmp_path):
    """The bundled lifecycle (several accounts, partitions, key kinds), recorded and redacted."""
    from l4e_contract.contract import paths

    source = paths.recordings_dir() / "valid" / "wire"
    if not source.is_dir() or not any(source.glob("*.json")):
        source = tmp_path / "own"
        write_models(source, fleet())
    out = tmp_path / "out"
    with MockServer(source) as server:
        before = {name: l4e_contract.validate(body) for name, body in server.models.items()}
        assert main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out)]) == 0
    after = {name: l4e_contract.validate(env["body"]) for name, env in recorded(out).items()}
    assert set(after) == set(before)
    for name in before:
        assert after[name].rules == before[name].rules, f"{name}: {after[name].explain()}"
        assert after[name].warning_rules == before[name].warning_rules, name
    texts = all_text(out)
    for body in server.models.values():
        assert body["ModelArn"].split(":")[4] not in texts


def test_redactor_keeps_relations_and_shapes():
    other = "210987654321"
    a = trained("pump-a")
    b = trained("pump-b")
    b["SourceModelVersionArn"] = f"arn:aws:lookoutequipment:us-east-1:{other}:model/src/6b1f3c2e-1a2b-4c3d-8e9f-0123456789ab/model-version/3"
    b["ServerSideKmsKeyId"] = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-4c1e9a0b7d2f4e6a8b3c5d7e9f1a2b3c"
    b["FailedReason"] = (f"AccessDenied on s3://acme-l4e-labels/labels/ for {ACCOUNT} "
                         f"(Request ID: 0f1e2d3c-4b5a-4697-8877-665544332211), key {FAKE_KEY_ID}")
    r = Redactor()
    ra, rb = r.redact(a), r.redact(b, request_ids=["req-header-id-1"])
    home_a, home_b = ra["ModelArn"].split(":")[4], rb["ModelArn"].split(":")[4]
    source = rb["SourceModelVersionArn"].split(":")[4]
    assert home_a == home_b == rb["RoleArn"].split(":")[4] != source
    assert all(len(x) == 12 and x.isdigit() for x in (home_a, source))
    assert ACCOUNT not in json.dumps([ra, rb]) and other not in json.dumps([ra, rb])
    assert rb["ServerSideKmsKeyId"].split("/")[-1].startswith("mrk-") and "4c1e9a0b" not in rb["ServerSideKmsKeyId"]
    bucket = ra["LabelsInputConfiguration"]["S3InputConfiguration"]["Bucket"]
    assert search(committed.definition("S3Bucket")["pattern"], bucket)
    reason = rb["FailedReason"]
    assert f"s3://{bucket}/labels/" in reason and home_a in reason
    assert "0f1e2d3c-4b5a" not in reason and FAKE_KEY_ID not in reason
    assert r.request_ids["req-header-id-1"] != r.request_ids["0f1e2d3c-4b5a-4697-8877-665544332211"]
    # the originals are left alone
    assert a["ModelArn"].split(":")[4] == ACCOUNT


def test_no_credential_ever_reaches_a_file(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", FAKE_TOKEN)
    leaky = trained("leaky")
    leaky["Status"], leaky["FailedReason"] = "FAILED", f"training failed; caller {FAKE_KEY_ID}"
    for m in ("ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt", "ModelQuality"):
        leaky.pop(m)
    write_models(folder, [leaky])
    for flag in ([], ["--no-redact"]):
        out = tmp_path / ("out" + "".join(flag))
        log = tmp_path / f"server{len(flag)}.log"
        with MockServer(folder, log_path=log) as server:
            assert main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out), *flag]) == 0
        text = all_text(out) + log.read_text()
        for secret in (FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN):
            assert secret not in text, (flag, secret)
        assert "AKIAXXXXXXXXXXXXXXXX" in text


def test_no_redact_keeps_the_body_exactly_as_sent(folder, tmp_path):
    out = tmp_path / "out"
    with MockServer(folder) as server:
        assert main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out), "--no-redact",
                     "--model", "pump-3"]) == 0
        assert recorded(out)["pump-3"]["body"] == server.models["pump-3"]


def test_record_keeps_what_was_sent_even_where_botocore_would_coerce_it(folder, tmp_path, capsys):
    out = tmp_path / "out"
    with MockServer(folder, faults=Faults(malformed={"pump-1": "string-number"})) as server:
        assert main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out), "--model", "pump-1"]) == 0
    assert recorded(out)["pump-1"]["body"]["ActiveModelVersion"] == "2"
    assert main(["validate", str(out)]) == 1
    capsys.readouterr()


def test_faults_every_model_accounted_for(folder, tmp_path, capsys):
    out = tmp_path / "out"
    faults = Faults(throttle_every=3, fail={"pump-2": "AccessDenied", "pump-4": "Throttling"},
                    malformed={"pump-3": "not-json", "pump-5": "array"})
    with MockServer(folder, faults=faults) as server:
        # one at a time: throttling every 3rd request then never hits one model twice running
        code = main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out), "--max-attempts", "3",
                     "--concurrency", "1"])
        assert only_reads(server)
    printed = capsys.readouterr()
    assert code == 2
    lines = printed.out.splitlines()
    assert len(lines) == 7 and all(line.startswith("us-east-1/model/") for line in lines)
    errors = {line.split(":")[0].rsplit("/", 1)[1]: line for line in lines if ": error: " in line}
    assert set(errors) == {"pump-2", "pump-3", "pump-4"}
    assert "access denied" in errors["pump-2"] and "malformed JSON" in errors["pump-3"]
    assert "throttled past retries" in errors["pump-4"]
    files = recorded(out)
    assert set(files) == {"pump-0", "pump-1", "pump-5", "fan-2"}
    assert isinstance(files["pump-5"]["body"], list)  # recorded as sent; validate will call it what it is
    assert "4 recorded, 3 error(s)" in printed.err


def test_recordings_can_be_served_again(folder, tmp_path):
    out = tmp_path / "out"
    with MockServer(folder) as server:
        assert main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out)]) == 0
    with MockServer(out) as again:
        assert len(again.models) == 7 and not again.skipped
        got = make_client(again.endpoint_url).describe_model(ModelName="pump-0")
        assert got["ModelArn"].split(":")[4] != ACCOUNT


def test_endpoint_urls_lose_credentials_and_queries():
    assert safe_endpoint("https://user:pw@example.com:8443/x?X-Amz-Security-Token=t#f") == "https://example.com:8443/x"
    assert safe_endpoint(None) is None
    assert scrub({"a": [f"id {FAKE_KEY_ID}"]}) == {"a": ["id AKIAXXXXXXXXXXXXXXXX"]}


def test_unreachable_endpoint_is_a_one_line_error(tmp_path, capsys):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = main(["record", "--endpoint-url", f"http://127.0.0.1:{port}", "--out", str(tmp_path), "--max-attempts", "1"])
    out = capsys.readouterr()
    assert code == 2
    assert out.out.startswith("us-east-1/ListModels: error: ListModels: endpoint unreachable")
    assert "Traceback" not in out.out + out.err


def test_default_out_is_contracts_recordings_here(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with MockServer(folder) as server:
        assert main(["record", "--endpoint-url", server.endpoint_url, "--model", "pump-0"]) == 0
    assert (tmp_path / "contracts" / "recordings" / "us-east-1" / "pump-0.json").is_file()
