"""aws: what the read-only client does to be cheap keeps it botocore's client, answer for answer."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from test_serve import folder  # noqa: F401 (fixture)

from l4e_contract.endpoints.client import ClientSettings, connect, epoch_timestamp
from l4e_contract.endpoints.serve import MockServer

EDGES = [0, 1, -1, 1672531200, 1672531200.5, 1672531200.123456, 1672531200.1234567, 0.0000005, -0.0000005,
         2**31, 2**31 + 0.25, 253402300799, 253402300800, -62135596800, -62135596801, 10**20, 1e20, -1e20,
         math.inf, -math.inf, math.nan, True, False, "1672531200", "1672531200.5", "2023-01-01T00:00:00Z",
         "2023-01-01T00:00:00+02:00", "Sun, 01 Jan 2023 00:00:00 GMT", "", "soon", None, [1], {"a": 1}]

# every test here: dummy credentials, no shared config, no metadata probing (conftest's aws_env)
pytestmark = pytest.mark.usefixtures("aws_env")


def _outcome(parse, value):
    try:
        return "value", parse(value)
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return "raises", type(exc)


@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_epoch_timestamps_parse_to_botocore_s_instant(value):
    from botocore.parsers import DEFAULT_TIMESTAMP_PARSER

    ours, theirs = _outcome(epoch_timestamp, value), _outcome(DEFAULT_TIMESTAMP_PARSER, value)
    assert ours[0] == theirs[0], (ours, theirs)
    if ours[0] == "raises":
        assert ours[1] is theirs[1]
        return
    mine, botocore_s = ours[1], theirs[1]
    assert isinstance(mine, dt.datetime) and mine.tzinfo is not None
    assert mine == botocore_s and mine.timestamp() == botocore_s.timestamp()
    if type(value) in (int, float):
        assert mine.utcoffset() == dt.timedelta(0)  # the cheap path: the C timezone.utc


def _plain_botocore_client(endpoint_url):
    """What a user of boto3 would build for the same endpoint: a default session, the same settings."""
    import botocore.session
    from botocore import UNSIGNED
    from botocore.config import Config

    settings = ClientSettings(unsigned=True)
    return botocore.session.get_session().create_client(
        "lookoutequipment", region_name="us-east-1", endpoint_url=endpoint_url,
        config=Config(retries={"mode": settings.retry_mode, "max_attempts": settings.max_attempts - 1},
                      connect_timeout=settings.connect_timeout, read_timeout=settings.read_timeout,
                      max_pool_connections=settings.max_pool_connections, signature_version=UNSIGNED))


def test_parsed_answers_are_what_a_plain_botocore_client_returns(folder):
    with MockServer(folder) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url, settings=ClientSettings(unsigned=True))
        plain = _plain_botocore_client(server.endpoint_url)
        names = [s["ModelName"] for s in plain.list_models()["ModelSummaries"]]
        assert names
        for name in names:
            ours, _raw = conn.call("describe_model", ModelName=name)
            theirs = plain.describe_model(ModelName=name)
            ours.pop("ResponseMetadata"), theirs.pop("ResponseMetadata")
            assert ours == theirs  # datetimes compare as instants: only the tzinfo objects differ
            times = [k for k, v in theirs.items() if isinstance(v, dt.datetime)]
            assert times and all(ours[k].utcoffset() == dt.timedelta(0) for k in times)


def test_a_user_s_own_session_is_left_as_botocore_made_it(folder):
    import boto3

    sess = boto3.Session(region_name="us-east-1")
    with MockServer(folder) as server:
        conn = connect("us-east-1", sess=sess, endpoint_url=server.endpoint_url, settings=ClientSettings(unsigned=True))
        name = conn.call("list_models")[0]["ModelSummaries"][0]["ModelName"]
        parsed, _raw = conn.call("describe_model", ModelName=name)
    times = [v for v in parsed.values() if isinstance(v, dt.datetime)]
    assert times and all(t.tzinfo is not dt.timezone.utc for t in times)  # botocore's tzlocal(), untouched


def test_the_capped_read_hands_botocore_what_a_plain_client_reads(folder):
    """The body is read by the client's before-send hook, not by botocore: errors and answers parse alike."""
    from botocore.exceptions import ClientError

    from l4e_contract.endpoints.serve import Faults

    with MockServer(folder, faults=Faults(fail={"pump-2": "AccessDenied"})) as server:
        conn = connect("us-east-1", endpoint_url=server.endpoint_url,
                       settings=ClientSettings(unsigned=True, max_attempts=1))
        plain = _plain_botocore_client(server.endpoint_url)
        errors = []
        for call in (lambda: conn.call("describe_model", ModelName="pump-2"),
                     lambda: plain.describe_model(ModelName="pump-2")):
            with pytest.raises(ClientError) as caught:
                call()
            errors.append((caught.value.response["Error"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]))
        assert errors[0] == errors[1] and errors[0][0]["Code"] == "AccessDeniedException"
        assert conn.capture.last.status == 400 and b"AccessDenied" in conn.capture.last.body
        ours, raw = conn.call("list_models")
        theirs = plain.list_models()
        ours.pop("ResponseMetadata"), theirs.pop("ResponseMetadata")
        assert ours == theirs and raw.status == 200 and raw.body.startswith(b"{")
