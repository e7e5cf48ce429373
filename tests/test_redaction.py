"""record leaks nothing: names redacted in free text too, credentials never written (even echoed back),
one file per model, no silent overwrite."""
from __future__ import annotations

import json

import pytest

from fault_server import FaultServer
from test_record import all_text, recorded
from test_serve import ACCOUNT, fast_backoff, trained, write_models  # noqa: F401 (fixture)

import l4e_contract
from l4e_contract.cli import main
from l4e_contract.endpoints.record import FileNames, file_name
from l4e_contract.endpoints.redact import Redactor, scrub, scrub_secrets
from l4e_contract.endpoints.serve import MockServer

# every test here: dummy credentials, no shared config, no metadata probing (conftest's aws_env)
pytestmark = pytest.mark.usefixtures("aws_env")

KEY_ID = "ASIAC1FAKEKEYID67890"
SECRET = "c1Fake/Secret+AccessKey0123456789abcdefg"  # 40 characters
TOKEN = "IQoJb3JpZ2luX2VjEC1FakeSessionToken//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" * 3


def failed(name: str, reason: str) -> dict:
    body = trained(name)
    body["Status"], body["FailedReason"] = "FAILED", reason
    for m in ("ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt", "ModelQuality",
              "TrainingExecutionEndTime"):
        body.pop(m, None)
    body["LastUpdatedTime"] = body["TrainingExecutionStartTime"]
    return body


# --- names in free text ----------------------------------------------------------------------------------


def test_structured_values_are_redacted_in_free_text_with_the_same_placeholders():
    body = failed("pump-9", "Access denied to s3://acme-l4e-labels/prefix by role "
                            f"arn:aws:iam::{ACCOUNT}:role/L4EAccessRole (session "
                            f"arn:aws:sts::{ACCOUNT}:assumed-role/L4EAccessRole/nightly-7f3a); the bucket "
                            "acme-l4e-diagnostics is not readable by L4EAccessRole with key alias/acme-l4e-key")
    body["ServerSideKmsKeyId"] = "alias/acme-l4e-key"
    out = Redactor().redact(body)
    text = json.dumps(out)
    for real in ("acme-l4e-labels", "acme-l4e-diagnostics", "L4EAccessRole", "nightly-7f3a", "acme-l4e-key", ACCOUNT):
        assert real not in text, real
    labels = out["LabelsInputConfiguration"]["S3InputConfiguration"]["Bucket"]
    diag = out["ModelDiagnosticsOutputConfiguration"]["S3OutputConfiguration"]["Bucket"]
    role = out["RoleArn"].rsplit("/", 1)[1]
    key = out["ServerSideKmsKeyId"]
    reason = out["FailedReason"]
    assert f"s3://{labels}/prefix" in reason and f"the bucket {diag} is" in reason
    assert f"by role {out['RoleArn']} " in reason and f"readable by {role} with" in reason
    assert f"assumed-role/{role}/redacted-session-1" in reason
    assert f"with key {key}" in reason and key.startswith("alias/redacted-key-")


def test_a_value_learned_in_one_model_is_hidden_in_the_free_text_of_another(tmp_path):
    # the first model only names the bucket in prose; the second holds it in a member
    first = failed("a-first", "could not read acme-private-bucket")
    second = trained("b-second")
    second["LabelsInputConfiguration"]["S3InputConfiguration"]["Bucket"] = "acme-private-bucket"
    write_models(tmp_path / "in", [first, second])
    with MockServer(tmp_path / "in") as server:
        assert main(["record", "--endpoint-url", server.endpoint_url, "--out", str(tmp_path / "out")]) == 0
    assert "acme-private-bucket" not in all_text(tmp_path / "out")
    files = recorded(tmp_path / "out")
    bucket = files["b-second"]["body"]["LabelsInputConfiguration"]["S3InputConfiguration"]["Bucket"]
    assert files["a-first"]["body"]["FailedReason"] == f"could not read {bucket}"


def test_redacted_recordings_keep_their_shapes():
    body = failed("pump-9", f"denied for arn:aws:iam::{ACCOUNT}:role/service-role/L4EAccessRole")
    body["RoleArn"] = f"arn:aws:iam::{ACCOUNT}:role/service-role/L4EAccessRole"
    before = l4e_contract.validate(body)
    redacted = Redactor().redact(body)
    assert "L4EAccessRole" not in json.dumps(redacted)
    after = l4e_contract.validate(redacted)
    assert after.rules == before.rules and after.warning_rules == before.warning_rules, after.explain()


# --- credentials --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    f"aws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}",
    f'{{"AccessKeyId": "{KEY_ID}", "SecretAccessKey": "{SECRET}"}}',
    f"{KEY_ID}:{SECRET}",
    f"X-Amz-Security-Token: {TOKEN}",
    f'"SessionToken": "{TOKEN}"',
])
def test_anything_shaped_like_a_credential_is_scrubbed(text):
    clean = scrub_secrets(text)
    for secret in (KEY_ID, SECRET, TOKEN):
        assert secret not in clean, clean
    assert "redacted-secret" in clean or "ASIAXXXXXXXXXXXXXXXX" in clean


def test_the_clients_own_credentials_are_scrubbed_wherever_they_appear():
    assert scrub({"a": [f"echo {TOKEN[:50]}..."]}, (TOKEN[:50],)) == {"a": ["echo redacted-secret..."]}
    assert scrub("a short dummy testing", ("testing",)) == "a short dummy testing"  # not a real secret


@pytest.mark.parametrize("flags", [[], ["--no-redact"]])
def test_credentials_an_endpoint_echoes_back_never_reach_a_file(tmp_path, monkeypatch, flags, capsys):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    out = tmp_path / "out"
    with FaultServer({"echo-1": "echo"}) as server:
        code = main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out), *flags])
    printed = capsys.readouterr()
    assert code == 0, printed
    reason = recorded(out)["echo-1"]["body"]["FailedReason"]
    assert "Authorization=AWS4-HMAC-SHA256 Credential=ASIAXXXXXXXXXXXXXXXX/" in reason  # it was echoed
    for secret in (KEY_ID, SECRET, TOKEN, TOKEN[:40]):
        assert secret not in all_text(out) + printed.out + printed.err


# --- one file per model, never overwritten by accident -------------------------------------------------


def test_file_names_are_injective():
    names = ["pump-7", "a.b", "a_b", "a/b", "a b", "a\\b", "../x", "", "Ω"]
    made = [file_name(n) for n in names]
    assert len(set(made)) == len(names)
    assert made[0] == "pump-7" and made[2] == "a_b"  # plain names stay as they are
    assert all("/" not in m and "\\" not in m and m not in ("", ".", "..") for m in made)
    per_run = FileNames()
    assert per_run.file_name("r", "Pump") == "Pump"
    assert per_run.file_name("r", "pump") != "pump"  # a file system that ignores case would merge them
    assert per_run.file_name("other-region", "pump") == "pump"


def test_models_whose_names_sanitise_alike_get_a_file_each(tmp_path, capsys):
    names = ["a.b", "a_b", "a/b", "Pump", "pump"]
    out = tmp_path / "out"
    with FaultServer({n: "ok" for n in names}) as server:
        code = main(["record", "--endpoint-url", server.endpoint_url, "--out", str(out), "--unsigned"])
    printed = capsys.readouterr()
    assert code == 0, printed
    assert "5 recorded, 0 error(s)" in printed.err
    files = sorted(out.rglob("*.json"))
    assert len(files) == 5
    assert sorted(recorded(out)) == sorted(names)


def test_existing_recordings_are_kept_unless_overwrite_is_asked(tmp_path, capsys):
    write_models(tmp_path / "in", [trained("pump-1"), trained("pump-2")])
    out = tmp_path / "out"
    with MockServer(tmp_path / "in") as server:
        argv = ["record", "--endpoint-url", server.endpoint_url, "--out", str(out)]
        assert main(argv) == 0
        mine = out / "us-east-1" / "pump-1.json"
        mine.write_text("my own edits\n")
        (out / "us-east-1" / "pump-2.json").unlink()
        capsys.readouterr()
        assert main(argv) == 2
        printed = capsys.readouterr()
        assert mine.read_text() == "my own edits\n"
        errors = [ln for ln in printed.out.splitlines() if ": error: " in ln]
        assert errors == [f"us-east-1/model/pump-1: error: {mine} already exists (--overwrite replaces it)"]
        assert (out / "us-east-1" / "pump-2.json").is_file()  # the run went on
        assert "1 recorded, 1 error(s)" in printed.err
        assert main([*argv, "--overwrite"]) == 0
    assert json.loads(mine.read_text())["body"]["ModelName"] == "pump-1"
    assert not [p for p in (out / "us-east-1").iterdir() if p.name.startswith(".")]  # no temporary left


def test_an_error_message_that_echoes_a_credential_is_scrubbed_in_live_results(monkeypatch):
    from botocore.exceptions import ClientError

    from l4e_contract.endpoints.live import describe_failure

    class Conn:
        settings = type("S", (), {"max_attempts": 1})()

        def secrets(self):
            return (TOKEN,)

    exc = ClientError({"Error": {"Code": "AccessDeniedException", "Message": f"token {TOKEN} by {KEY_ID}"},
                       "ResponseMetadata": {"HTTPStatusCode": 400}}, "DescribeModel")
    line = describe_failure(exc, "DescribeModel", Conn())
    assert line.startswith("DescribeModel: access denied: token redacted-secret by ASIAXXXXXXXXXXXXXXXX")
