"""The contract-backed mock in the same process: a boto3 `lookoutequipment` client whose calls never leave it.

    from l4e_contract.endpoints.inprocess import mock_lookout

    with mock_lookout(throttle_every=3, fail={"pump-3": "AccessDenied"}) as client:
        client.describe_model(ModelName="pump-7")       # the bundled recordings by default

What moto would give if it knew the service. botocore's own events carry every call: a `before-send`
handler hands the signed request to `MockService.answer()`, the very function `serve` answers HTTP
with, and returns its answer as the HTTP response botocore would have received. botocore then does
what it always does with a response: its real JSON 1.0 parser, its retries, its modeled ClientErrors,
`ResponseMetadata`. No socket is opened and no server runs.

The client is read-only as the suite's own clients are (`endpoints.client.guard`): an operation that
is not List* or Describe* is refused before its parameters are built, so nothing is sent.
"""
from __future__ import annotations

import os

from l4e_contract.endpoints.client import ANSWERED_IN_PROCESS, guard
from l4e_contract.endpoints.serve import Answer, Faults, MockService

DEFAULT_REGION = "us-east-1"


def bundled_recordings():
    """The suite's own recordings, in the wire form: eleven models across the lifecycle."""
    from l4e_contract.contract import paths

    return paths.recordings_dir() / "valid" / "wire"


class LookoutMock:
    """The mock, and the client it answers (`client`, set while the `with` block runs).

    `recordings`: a folder, a file, a dict or a list of them (default: the bundled recordings).
    Faults are those of `serve`: pass a `Faults`, or its fields as keywords (`throttle_every`,
    `latency_ms`, `slow`, `fail`, `fail_operations`, `malformed`), not both.
    `client`: a lookoutequipment client of yours to answer instead of a new one; it stays read-only
    after the block (the guard is never lifted: it may have been there before).
    `region_name`, `config`: for the new client (a botocore `Config`: retries, for one).
    `log_path`: also append one JSON line per request to this file, as `serve --log` does.
    """

    def __init__(self, recordings=None, *, faults: Faults | None = None, client=None,
                 region_name: str = DEFAULT_REGION, config=None, log_path: str | os.PathLike | None = None,
                 **fault_fields):
        fault_fields = {name: value for name, value in fault_fields.items() if value is not None}
        if faults is not None and fault_fields:
            raise ValueError("give faults as a Faults or as keywords, not both")
        self.service = MockService(bundled_recordings() if recordings is None else recordings,
                                   faults=faults or Faults(**fault_fields), log_path=log_path,
                                   name="l4e-contract mock")
        self.client = None
        self._given = client
        self._region = region_name
        self._config = config

    # what it serves and what it was asked
    @property
    def models(self) -> dict[str, dict]:
        return self.service.models

    @property
    def skipped(self) -> list[str]:
        return self.service.skipped

    @property
    def requests(self):
        return self.service.requests

    @property
    def operations(self) -> list[str | None]:
        return self.service.operations

    def __enter__(self):
        self.service.open_log()
        client = self._given if self._given is not None else new_client(self._region, self._config)
        guard(client)
        # after the guard's own before-send check (registered before, in the same tier), so it runs on
        # what would have gone out; before the client's capped read, registered last, which would send it
        client.meta.events.register("before-send", self._answer)
        self.client = client
        return client

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.meta.events.unregister("before-send", self._answer)
            self.client = None
        self.service.close_log()

    def _answer(self, request, **_):
        """botocore's before-send: the mock's answer to the signed request, as an HTTP response."""
        answer = self.service.answer(_header(request, "X-Amz-Target"), _body_bytes(request.body))
        if isinstance(getattr(request, "context", None), dict):  # a client of ours: its capped read sends nothing
            request.context[ANSWERED_IN_PROCESS] = True
        return http_response(request.url, answer)


def mock_lookout(recordings=None, **options) -> LookoutMock:
    """`with mock_lookout(...) as client:` a boto3 client answered in process; see LookoutMock."""
    return LookoutMock(recordings, **options)


def new_client(region_name: str = DEFAULT_REGION, config=None):
    """A boto3 lookoutequipment client with dummy credentials: it never looks for real ones."""
    import boto3

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name=region_name)
    return session.client("lookoutequipment", config=config)


def http_response(url: str, answer: Answer):
    """The answer as botocore's AWSResponse, read by botocore as if it came off a socket."""
    from botocore.awsrequest import AWSResponse

    return AWSResponse(url, answer.status, answer.headers, _RawBody(answer.body))


class _RawBody:
    """The part of urllib3's response AWSResponse reads a body from."""

    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_):
        yield self._body


def _header(request, name: str) -> str | None:
    value = request.headers.get(name)
    return value.decode("ascii", "replace") if isinstance(value, bytes) else value


def _body_bytes(body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):  # a file-like body: read it whole, then leave it where botocore expects it
        data = body.read()
        if hasattr(body, "seek"):
            body.seek(0)
        return data if isinstance(data, bytes) else data.encode("utf-8")
    return bytes(body)
