"""The in-process mock: a real boto3 client answered by the contract-backed mock through botocore's
events, with no socket; the same recordings, faults and read-only guarantee as `serve`."""
from __future__ import annotations

import json
import socket

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import l4e_contract
from l4e_contract.endpoints.client import ClientSettings, ReadOnlyViolation, connect
from l4e_contract.endpoints.inprocess import LookoutMock, bundled_recordings, mock_lookout
from l4e_contract.endpoints.live import run_live, summary_differences
from l4e_contract.endpoints.serve import Faults, MALFORMED_KINDS, MockServer, load_recordings
from test_serve import fast_backoff, fleet, folder, make_client, write_models  # noqa: F401 (fixtures)

ONE_ATTEMPT = Config(retries={"mode": "standard", "max_attempts": 1})


# --- an ordinary user function ---------------------------------------------------------------------


def active_versions(client) -> dict[str, int | None]:
    """What a team's code does: list every model (page by page), describe each, pick its active version."""
    names, token = [], None
    while True:
        page = client.list_models(MaxResults=4, **({"NextToken": token} if token else {}))
        names += [summary["ModelName"] for summary in page["ModelSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    return {name: client.describe_model(ModelName=name).get("ActiveModelVersion") for name in names}


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a socket was opened: {args[1:]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_a_user_function_runs_against_the_mock_with_no_network(no_network):
    expected = {name: body.get("ActiveModelVersion") for name, body in load_recordings(bundled_recordings())[0].items()}
    mock = mock_lookout()
    with mock as client:
        got = active_versions(client)
    assert got == expected and len(got) == 11
    assert mock.operations == ["ListModels"] * 3 + ["DescribeModel"] * len(expected)
    assert mock.client is None  # the block is over: the client is no longer answered


def test_the_answer_goes_through_botocores_parser(no_network):
    with mock_lookout() as client:
        got = client.describe_model(ModelName="centrifugal-pump-7")
    # botocore turned the wire's epoch seconds into aware datetimes and added its ResponseMetadata
    assert got["CreatedAt"].tzinfo is not None
    meta = got.pop("ResponseMetadata")
    assert meta["HTTPStatusCode"] == 200 and meta["RequestId"] and meta["RetryAttempts"] == 0
    assert l4e_contract.validate(got).valid


def test_the_fixture_uses_the_bundled_recordings(lookout_mock, no_network):
    assert set(lookout_mock.models) == set(load_recordings(bundled_recordings())[0])
    assert lookout_mock.client.describe_model(ModelName="chiller-5")["ModelName"] == "chiller-5"
    assert lookout_mock.operations == ["DescribeModel"]


@pytest.mark.lookout_mock(fail={"pump-1": "AccessDenied"}, config=ONE_ATTEMPT)
def test_the_fixture_takes_its_options_from_the_marker(lookout_mock, no_network):
    with pytest.raises(lookout_mock.client.exceptions.AccessDeniedException):
        lookout_mock.client.describe_model(ModelName="pump-1")


def test_list_and_describe_agree(no_network):
    """Every summary matches its model's DescribeModel, judged by the check `live` makes on an account."""
    with mock_lookout() as client:
        summaries = client.list_models()["ModelSummaries"]
        described = {s["ModelName"]: client.describe_model(ModelName=s["ModelName"]) for s in summaries}
    assert set(described) == set(load_recordings(bundled_recordings())[0])
    for summary in summaries:
        assert summary_differences(summary, described[summary["ModelName"]]) == [], summary["ModelName"]


def test_the_suites_own_live_check_passes_on_a_client_you_pass_in(no_network):
    conn = connect("us-east-1", settings=ClientSettings(unsigned=True, max_attempts=1))
    with mock_lookout(client=conn.client) as client:
        assert client is conn.client
        run = run_live([conn])
    assert len(run.results) == 11
    assert [r.verdict for r in run.results] == ["valid"] * 11, [r.violations or r.error for r in run.results]


# --- faults: the same as serve's ------------------------------------------------------------------


def test_faults_are_botocore_client_errors_with_their_code(folder, no_network):
    faults = Faults(fail={"pump-1": "AccessDenied", "pump-2": "InternalServerException"},
                    fail_operations={"ListModels": "Throttling"})
    with mock_lookout(folder, faults=faults, config=ONE_ATTEMPT) as client:
        errors = {}
        for call, kwargs in (("describe_model", {"ModelName": "pump-1"}), ("describe_model", {"ModelName": "pump-2"}),
                             ("describe_model", {"ModelName": "never-recorded"}), ("list_models", {}),
                             ("list_models", {"Status": "BROKEN"})):
            with pytest.raises(ClientError) as info:
                getattr(client, call)(**kwargs)
            errors[call, json.dumps(kwargs)] = (info.value.response["Error"]["Code"],
                                                info.value.response["ResponseMetadata"]["HTTPStatusCode"])
        assert client.describe_model(ModelName="pump-0")["ModelName"] == "pump-0"
    assert list(errors.values()) == [("AccessDeniedException", 400), ("InternalServerException", 500),
                                     ("ResourceNotFoundException", 400), ("ThrottlingException", 400),
                                     ("ThrottlingException", 400)]


def test_throttling_is_retried_by_botocore_in_process(folder, no_network):
    mock = mock_lookout(folder, throttle_every=2, config=Config(retries={"mode": "standard", "max_attempts": 3}))
    with mock as client:
        got = [client.describe_model(ModelName=f"pump-{i}") for i in range(3)]
    assert [g["ModelName"] for g in got] == ["pump-0", "pump-1", "pump-2"]
    # every 2nd request is throttled: pump-1's first attempt, then pump-2's
    assert [g["ResponseMetadata"]["RetryAttempts"] for g in got] == [0, 1, 1]
    assert [r.error for r in mock.requests] == [None, "ThrottlingException", None, "ThrottlingException", None]
    with mock_lookout(folder, throttle_every=1, config=ONE_ATTEMPT) as client:
        with pytest.raises(client.exceptions.ThrottlingException):
            client.list_models()


def outcome(call):
    """What botocore made of an answer: the parsed dict (no ResponseMetadata), or the exception it raised."""
    try:
        got = call()
    except Exception as exc:  # noqa: BLE001 (whatever botocore raises is the outcome)
        return ("raised", type(exc).__name__, str(exc)[:300])
    got.pop("ResponseMetadata", None)
    return ("parsed", json.dumps(got, default=str, sort_keys=True))


@pytest.mark.parametrize("kind", sorted(MALFORMED_KINDS))
def test_a_malformed_body_gets_what_botocore_makes_of_it_over_a_socket(folder, kind):
    faults = Faults(malformed={"pump-0": kind})
    with MockServer(folder, faults=faults) as server:
        over_http = outcome(lambda: make_client(server.endpoint_url).describe_model(ModelName="pump-0"))
    with mock_lookout(folder, faults=faults, config=ONE_ATTEMPT) as client:
        in_process = outcome(lambda: client.describe_model(ModelName="pump-0"))
    assert in_process == over_http
    assert in_process != outcome(lambda: {"ModelName": "pump-0"})  # it did not just parse a good body


# --- read-only ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("call,kwargs", [
    ("delete_model", {"ModelName": "pump-0"}),
    ("update_model", {"ModelName": "pump-0"}),
    ("create_model", {"ModelName": "pump-9", "DatasetName": "plant-a", "ClientToken": "x" * 32}),
])
def test_a_write_call_is_refused_before_anything_is_sent(folder, call, kwargs, no_network):
    mock = mock_lookout(folder)
    with mock as client:
        with pytest.raises(ReadOnlyViolation):
            getattr(client, call)(**kwargs)
    assert mock.requests == []  # the mock never saw it


def test_a_client_you_pass_in_is_answered_only_inside_the_block(folder):
    client = make_client("http://127.0.0.1:9")  # a port where nothing listens
    with mock_lookout(folder, client=client):
        assert client.describe_model(ModelName="pump-3")["ModelName"] == "pump-3"
    with pytest.raises(Exception) as info:  # after the block it talks to its endpoint again
        client.describe_model(ModelName="pump-3")
    assert "127.0.0.1:9" in str(info.value)
    with pytest.raises(ReadOnlyViolation):  # and stays read-only
        client.delete_model(ModelName="pump-3")


def test_options_are_checked():
    with pytest.raises(ValueError, match="not both"):
        LookoutMock(faults=Faults(), throttle_every=2)
    with pytest.raises(ValueError, match="unknown error"):
        LookoutMock(fail={"m": "Teapot"})


def test_a_recordings_folder_with_dicts_and_files(tmp_path, no_network):
    write_models(tmp_path, fleet(2))
    extra = dict(fleet(1)[0], ModelName="extra-1")
    extra["ModelArn"] = extra["ModelArn"].replace("/pump-0/", "/extra-1/")
    extra["ActiveModelVersionArn"] = extra["ModelArn"] + "/model-version/1"
    with mock_lookout([tmp_path, extra]) as client:
        assert active_versions(client) == {"extra-1": 1, "fan-2": None, "pump-0": 1, "pump-1": 2}


def test_the_request_log_is_the_same_as_serves(folder, tmp_path, no_network):
    log = tmp_path / "requests.jsonl"
    with mock_lookout(folder, log_path=log, config=ONE_ATTEMPT) as client:
        client.list_models()
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.describe_model(ModelName="gone")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(x["operation"], x["model"], x["status"], x["error"]) for x in lines] == [
        ("ListModels", None, 200, None), ("DescribeModel", "gone", 400, "ResourceNotFoundException")]
