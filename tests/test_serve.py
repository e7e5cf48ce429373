"""serve: the contract-backed mock, driven by real boto3 over HTTP on 127.0.0.1.

The model builders here are shared by test_live.py and test_record.py.
"""
from __future__ import annotations

import json
import os
import urllib.request

import pytest

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import l4e_contract
from l4e_contract.endpoints.serve import Faults, MockServer, error_codes, load_recordings, model_summary, service_model
from l4e_contract.contract.timestamps import to_text

ACCOUNT = "123456789012"
KMS = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SCHEMA = json.dumps({"Components": [{"ComponentName": "pump", "Columns": [
    {"Name": "Timestamp", "Type": "DATETIME"}, {"Name": "Sensor1", "Type": "DOUBLE"}]}]})


def trained(name: str = "pump-7", dataset: str = "plant-a", version: int = 1) -> dict:
    """A realistic trained model (wire form), labelled from S3, with a KMS key and diagnostics."""
    arn = f"arn:aws:lookoutequipment:us-east-1:{ACCOUNT}:model/{name}/6b1f3c2e-1a2b-4c3d-8e9f-0123456789ab"
    return {
        "ModelName": name,
        "ModelArn": arn,
        "DatasetName": dataset,
        "DatasetArn": f"arn:aws:lookoutequipment:us-east-1:{ACCOUNT}:dataset/{dataset}/0f9e8d7c-6b5a-4f3e-9d2c-1b0a98765432",
        "Schema": SCHEMA,
        "LabelsInputConfiguration": {"S3InputConfiguration": {"Bucket": "acme-l4e-labels", "Prefix": "labels/"}},
        "TrainingDataStartTime": 1672531200,
        "TrainingDataEndTime": 1680307200,
        "EvaluationDataStartTime": 1680307200,
        "EvaluationDataEndTime": 1682899200,
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/L4EAccessRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT5M"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": 1685577600,
        "TrainingExecutionEndTime": 1685581200.5,
        "LastUpdatedTime": 1685581200.5,
        "CreatedAt": 1685577000,
        "ServerSideKmsKeyId": KMS,
        "ActiveModelVersion": version,
        "ActiveModelVersionArn": f"{arn}/model-version/{version}",
        "ModelVersionActivatedAt": 1685581300,
        "ModelDiagnosticsOutputConfiguration": {
            "S3OutputConfiguration": {"Bucket": "acme-l4e-diagnostics",
                                      "Prefix": "diag/model_diagnostics_results.json.gz"},
            "KmsKeyId": KMS},
        "ModelQuality": "QUALITY_THRESHOLD_MET",
    }


def in_progress(name: str = "fan-2", dataset: str = "plant-b") -> dict:
    body = trained(name, dataset)
    for m in ("TrainingExecutionEndTime", "ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt",
              "ModelQuality", "LabelsInputConfiguration", "ModelDiagnosticsOutputConfiguration"):
        body.pop(m)
    body["Status"] = "IN_PROGRESS"
    body["LastUpdatedTime"] = body["TrainingExecutionStartTime"]
    return body


def parsed(body: dict) -> dict:
    """The parsed form: timestamps as boto3's isoformat() text."""
    return {k: (to_text(v) if k in l4e_contract.contract.committed.timestamp_members() else v) for k, v in body.items()}


def write_models(folder, bodies) -> list[str]:
    os.makedirs(folder, exist_ok=True)
    for body in bodies:
        with open(os.path.join(folder, body["ModelName"] + ".json"), "w", encoding="utf-8") as fh:
            json.dump(body, fh)
    return sorted(b["ModelName"] for b in bodies)


def fleet(n: int = 6) -> list[dict]:
    bodies = [trained(f"pump-{i}", "plant-a" if i % 2 else "line-c", 1 + i % 3) for i in range(n)]
    bodies.append(in_progress())
    return bodies


def make_client(endpoint_url: str, **config):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "lookoutequipment", endpoint_url=endpoint_url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
        # Config's max_attempts counts retries, not the first call
        config=Config(retries={"mode": "standard", "max_attempts": config.pop("retries", 0)},
                      connect_timeout=2, read_timeout=config.pop("read_timeout", 5), **config))


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    """botocore's retry logic, without its jittered waits of up to seconds: tests count retries, not time."""
    from botocore.retries.standard import ExponentialBackoff

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.01)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "recordings"
    write_models(d, fleet())
    return d


def test_builders_are_valid_in_both_forms():
    for body in fleet():
        assert l4e_contract.validate(body).valid and not l4e_contract.validate(body).warnings, body["ModelName"]
        report = l4e_contract.validate(parsed(body))
        assert report.valid and report.form == "parsed", report.explain()


def test_describe_model_returns_the_recording_through_boto3(folder):
    with MockServer(folder) as server:
        client = make_client(server.endpoint_url)
        got = client.describe_model(ModelName="pump-1")
        assert got["ModelName"] == "pump-1"
        assert got["ActiveModelVersion"] == 2
        # boto3 parsed the epoch seconds into aware datetimes
        assert got["CreatedAt"].timestamp() == 1685577000
        got.pop("ResponseMetadata")
        assert l4e_contract.validate(got).valid
        assert server.operations == ["DescribeModel"]
        assert server.requests[0].target == "AWSLookoutEquipmentFrontendService.DescribeModel"


def test_the_wire_protocol_headers_and_error_shape(folder):
    with MockServer(folder) as server:
        def post(target, body):
            req = urllib.request.Request(server.endpoint_url + "/", data=json.dumps(body).encode(), method="POST",
                                         headers={"X-Amz-Target": target,
                                                  "Content-Type": "application/x-amz-json-1.0"})
            try:
                with urllib.request.urlopen(req, timeout=5) as resp:
                    return resp.status, dict(resp.headers), json.loads(resp.read())
            except urllib.error.HTTPError as err:
                return err.code, dict(err.headers), json.loads(err.read())

        status, headers, body = post("AWSLookoutEquipmentFrontendService.DescribeModel", {"ModelName": "pump-0"})
        assert status == 200 and headers["Content-Type"] == "application/x-amz-json-1.0"
        assert headers["x-amzn-RequestId"] and body["CreatedAt"] == 1685577000
        status, headers, body = post("AWSLookoutEquipmentFrontendService.DescribeModel", {"ModelName": "nope"})
        assert (status, body["__type"]) == (400, "ResourceNotFoundException") and "nope" in body["message"]
        status, _, body = post("AWSLookoutEquipmentFrontendService.DescribeModel", {})
        assert (status, body["__type"]) == (400, "ValidationException") and "ModelName is required" in body["message"]
        status, _, body = post("AWSLookoutEquipmentFrontendService.DeleteModel", {"ModelName": "pump-0"})
        assert (status, body["__type"]) == (400, "UnknownOperationException")
        status, _, body = post("SomeOtherService.DescribeModel", {"ModelName": "pump-0"})
        assert body["__type"] == "UnknownOperationException"
        # every request is logged, including the ones refused
        assert [r.status for r in server.requests] == [200, 400, 400, 400, 400]
        assert server.operations[:4] == ["DescribeModel", "DescribeModel", "DescribeModel", "DeleteModel"]


def test_errors_reach_boto3_as_modeled_exceptions(folder):
    faults = Faults(fail={"pump-1": "AccessDenied", "pump-2": "InternalServerException", "pump-3": "ResourceNotFound"})
    with MockServer(folder, faults=faults) as server:
        client = make_client(server.endpoint_url)
        with pytest.raises(client.exceptions.AccessDeniedException):
            client.describe_model(ModelName="pump-1")
        with pytest.raises(client.exceptions.InternalServerException) as info:
            client.describe_model(ModelName="pump-2")
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_model(ModelName="pump-3")
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_model(ModelName="never-recorded")
        with pytest.raises(client.exceptions.ValidationException):
            client.list_models(Status="BROKEN")  # botocore does not check enums client-side; the server does
        assert client.describe_model(ModelName="pump-0")["ModelName"] == "pump-0"


def test_list_models_pages_through_every_model_with_exactly_the_summary_members(folder):
    summary_members = set(service_model().shape_for("ModelSummary").members)
    with MockServer(folder) as server:
        client = make_client(server.endpoint_url)
        seen, token, pages = [], None, 0
        while True:
            page = client.list_models(MaxResults=2, **({"NextToken": token} if token else {}))
            pages += 1
            for s in page["ModelSummaries"]:
                assert set(s) <= summary_members
                seen.append(s["ModelName"])
            token = page.get("NextToken")
            if not token:
                break
        assert seen == sorted(server.models) and pages == 4
        one = client.list_models(ModelNameBeginsWith="pump-4")["ModelSummaries"][0]
        # every ModelSummary member the recording has is there, and nothing else
        assert set(one) == summary_members & set(server.models["pump-4"])
        assert "Schema" not in one and one["ActiveModelVersionArn"].endswith("/model-version/2")


def test_list_models_filters(folder):
    with MockServer(folder) as server:
        client = make_client(server.endpoint_url)

        def names(**kw):
            return [s["ModelName"] for s in client.list_models(**kw)["ModelSummaries"]]

        assert names(Status="IN_PROGRESS") == ["fan-2"]
        assert names(DatasetNameBeginsWith="line") == ["pump-0", "pump-2", "pump-4"]
        assert names(ModelNameBeginsWith="pump-", DatasetNameBeginsWith="plant-a") == ["pump-1", "pump-3", "pump-5"]
        assert names(ModelNameBeginsWith="zzz") == []
        with pytest.raises(client.exceptions.ValidationException):
            client.list_models(NextToken="not-a-token")


def test_throttling_every_nth_call_is_retried_by_botocore(folder):
    with MockServer(folder, faults=Faults(throttle_every=2)) as server:
        client = make_client(server.endpoint_url, retries=2)
        for name in ("pump-0", "pump-1", "pump-2"):
            assert client.describe_model(ModelName=name)["ModelName"] == name
        throttled = [r for r in server.requests if r.error == "ThrottlingException"]
        assert throttled and all(r.status == 400 for r in throttled)
        assert len(server.requests) == 3 + len(throttled)
    with MockServer(folder, faults=Faults(throttle_every=1)) as server:
        client = make_client(server.endpoint_url, retries=1)
        with pytest.raises(client.exceptions.ThrottlingException):
            client.describe_model(ModelName="pump-0")
        assert len(server.requests) == 2


@pytest.mark.parametrize("kind", ["empty", "truncated", "not-json", "array", "string-number", "not-utf8", "deep"])
def test_malformed_bodies_are_sent_with_status_200(folder, kind):
    from l4e_contract.load.files import LoadError, parse_json

    with MockServer(folder, faults=Faults(malformed={"pump-0": kind})) as server:
        req = urllib.request.Request(server.endpoint_url, data=b'{"ModelName": "pump-0"}', method="POST",
                                     headers={"X-Amz-Target": "AWSLookoutEquipmentFrontendService.DescribeModel"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert resp.status == 200
            raw = resp.read()
    if kind == "string-number":
        body = parse_json(raw)
        assert body["ActiveModelVersion"] == "1"
        assert "schema.type" in l4e_contract.validate(body).rules
    elif kind == "array":
        assert isinstance(parse_json(raw), list)
    else:
        with pytest.raises(LoadError):
            parse_json(raw)


def test_latency_and_the_log_file(folder, tmp_path):
    log = tmp_path / "requests.jsonl"
    with MockServer(folder, faults=Faults(latency_ms=5), log_path=log) as server:
        client = make_client(server.endpoint_url)
        client.list_models()
        client.describe_model(ModelName="pump-0")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(x["operation"], x["status"]) for x in lines] == [("ListModels", 200), ("DescribeModel", 200)]
    assert lines[1]["model"] == "pump-0"


def test_parsed_and_envelope_recordings_are_served_as_wire(tmp_path):
    body = trained("parsed-1")
    (tmp_path / "p.json").write_text(json.dumps(parsed(body)))
    (tmp_path / "e.json").write_text(json.dumps({"l4e_recording": {"operation": "DescribeModel", "model": "env-1"},
                                                 "body": trained("env-1")}))
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "m.json").write_text(json.dumps({**parsed(trained("meta-1")),
                                                 "ResponseMetadata": {"HTTPStatusCode": 200, "RetryAttempts": 0}}))
    models, skipped = load_recordings(tmp_path)
    assert set(models) == {"parsed-1", "env-1", "meta-1"}
    assert "ResponseMetadata" not in models["meta-1"]  # boto3 adds it; the service never sends it
    assert models["parsed-1"]["CreatedAt"] == body["CreatedAt"]
    assert models["parsed-1"]["TrainingExecutionEndTime"] == 1685581200.5
    assert len(skipped) == 2 and any("bad.json" in s for s in skipped)


def test_the_wire_form_wins_when_a_model_is_recorded_in_both_forms(tmp_path):
    wire = trained("twin")
    write_models(tmp_path / "a_parsed", [parsed(wire)])
    write_models(tmp_path / "b_wire", [wire])
    models, skipped = load_recordings(tmp_path)
    assert models["twin"] == wire and len(skipped) == 0
    models, skipped = load_recordings([tmp_path / "b_wire", tmp_path / "a_parsed"])
    assert models["twin"] == wire and len(skipped) == 1


def test_summary_is_built_from_the_model_shape():
    body = trained()
    assert set(model_summary(body)) == set(service_model().shape_for("ModelSummary").members) & set(body)


def test_fault_choices_are_checked():
    assert "AccessDeniedException" in error_codes()
    with pytest.raises(ValueError, match="unknown error"):
        Faults(fail={"m": "Teapot"})
    with pytest.raises(ValueError, match="unknown malformed"):
        Faults(malformed={"m": "sideways"})


def test_bundled_recordings_round_trip_through_boto3():
    from l4e_contract.contract import paths

    bundled = paths.recordings_dir() / "valid" / "wire"
    assert any(bundled.glob("*.json")), "the bundled recordings are missing"
    with MockServer(bundled) as server:
        client = make_client(server.endpoint_url)
        assert server.models and not server.skipped
        for name in server.models:
            got = client.describe_model(ModelName=name)
            got.pop("ResponseMetadata")
            report = l4e_contract.validate(got)
            assert report.valid, f"{name}:\n{report.explain()}"


def test_serve_command_runs_and_stops_by_itself(folder, capsys):
    from l4e_contract.cli import main

    assert main(["serve", str(folder), "--exit-after", "0.3", "--throttle-every", "5"]) == 0
    out = capsys.readouterr()
    assert "serving 7 model(s) at http://127.0.0.1:" in out.out
    assert main(["serve", str(folder), "--fail", "pump-1"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err
    assert main(["serve", str(folder), "--fail", "pump-1=Teapot"]) == 2
    assert main(["serve", str(folder / "nothing-here")]) == 2


def test_a_busy_port_is_a_one_line_error(folder, capsys):
    from l4e_contract.cli import main

    with MockServer(folder) as server:
        port = server.port
        assert main(["serve", str(folder), "--port", str(port), "--exit-after", "0.1"]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_an_impossible_port_is_a_one_line_error(folder, capsys, port):
    from l4e_contract.cli import main

    assert main(["serve", str(folder), "--port", port, "--exit-after", "0.1"]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and err.count("\n") == 1


def test_an_unwritable_log_is_a_one_line_error_before_serving(folder, tmp_path, capsys):
    from l4e_contract.cli import main

    log = tmp_path / "no-such-folder" / "requests.log"
    assert main(["serve", str(folder), "--log", str(log), "--exit-after", "0.1"]) == 2
    err = capsys.readouterr().err
    assert f"cannot write the log {log}" in err and err.count("\n") == 1


def test_negative_slow_latency_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        Faults(slow={"pump-1": -5})


def test_stop_cuts_kept_alive_connections(folder):
    import botocore.exceptions

    server = MockServer(folder).start()
    client = make_client(server.endpoint_url)
    client.describe_model(ModelName="pump-1")  # the connection stays open in the client's pool
    server.stop()
    seen = len(server.requests)
    with pytest.raises((botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionClosedError)):
        client.describe_model(ModelName="pump-1")
    assert len(server.requests) == seen  # nothing was served after stop()


def test_an_answer_leaves_in_one_send_headers_and_body_together(folder, monkeypatch):
    import socketserver

    sends = []  # what the server writes to its sockets (the client, botocore, sends with sendall)
    real = socketserver._SocketWriter.write

    def write(self, data):
        sends.append(bytes(data))
        return real(self, data)

    monkeypatch.setattr(socketserver._SocketWriter, "write", write)
    with MockServer(folder) as server:
        client = make_client(server.endpoint_url)
        client.describe_model(ModelName="pump-1")
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_model(ModelName="no-such-model")
    assert len(sends) == 2  # one answer, one send each
    for data in sends:
        head, _, body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 ") and json.loads(body)


def test_a_client_that_hangs_up_before_the_answer_costs_the_server_nothing(folder, capsys):
    import socket
    import time

    with MockServer(folder, faults=Faults(slow={"pump-1": 300})) as server:
        sock = socket.create_connection(("127.0.0.1", server.port))
        body = json.dumps({"ModelName": "pump-1"}).encode()
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSLookoutEquipmentFrontendService.DescribeModel\r\n"
                     b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: " + str(len(body)).encode()
                     + b"\r\n\r\n" + body)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # a reset, before the answer is written
        deadline = time.monotonic() + 5
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        client = make_client(server.endpoint_url)
        assert client.describe_model(ModelName="pump-2")["ModelName"] == "pump-2"
    assert server.requests[0].model == "pump-1"
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("option,value,words", [("--idle-timeout", "0", "idle timeout"),
                                                ("--idle-timeout", "nan", "idle timeout"),
                                                ("--max-workers", "0", "number of workers")])
def test_load_limits_out_of_range_are_a_one_line_error(folder, capsys, option, value, words):
    from l4e_contract.cli import main

    assert main(["serve", str(folder), option, value, "--exit-after", "0.1"]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_the_load_limits_are_options_with_their_defaults(folder, capsys):
    from l4e_contract.cli import main

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--idle-timeout SECONDS" in out and "(default 15)" in out
    assert "--max-workers N" in out and "(default 64)" in out and "backlog (1024)" in out
