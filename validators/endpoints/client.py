"""The only way this suite talks to AWS: a read-only lookoutequipment client that keeps what was sent.

Read-only by construction: two hooks on the client's own event system refuse
any operation whose name does not start with List or Describe, first before
its parameters are even built, and again on the wire request's X-Amz-Target
before it is sent. A nightly job holding an admin role still cannot change an
account through this client.

The raw body of every response is captured through botocore's `before-parse`
event, so callers validate what the service sent, not what botocore made of
it (botocore turns an empty or truncated body into `{}` and coerces "1" to 1).

Retries, throttling back-off and timeouts are botocore's own (`Config`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime as _datetime
from datetime import timezone
from functools import lru_cache

SERVICE = "lookoutequipment"
_UTC = timezone.utc
READ_PREFIXES = ("List", "Describe")


class ReadOnlyViolation(Exception):
    """An operation that could change an account was about to be sent, and was refused."""


def is_read_only(operation: str | None) -> bool:
    return bool(operation) and operation.startswith(READ_PREFIXES)


@dataclass
class RawResponse:
    operation: str
    status: int
    headers: dict
    body: bytes

    @property
    def request_id(self) -> str | None:
        for key, value in self.headers.items():
            if key.lower() in ("x-amzn-requestid", "x-amz-request-id"):
                return value
        return None


class BodyCapture:
    """Per-thread record of the raw responses botocore received (every attempt, retries included).

    A client is shared by the worker threads, and botocore runs each call in
    the caller's thread, so a thread-local list belongs to exactly one call.
    """

    def __init__(self):
        self._local = threading.local()

    def reset(self) -> None:
        self._local.responses = []

    @property
    def responses(self) -> list[RawResponse]:
        return getattr(self._local, "responses", [])

    @property
    def last(self) -> RawResponse | None:
        responses = self.responses
        return responses[-1] if responses else None

    def on_before_parse(self, operation_model, response_dict, **_):
        if not hasattr(self._local, "responses"):
            self._local.responses = []
        self._local.responses.append(RawResponse(
            operation=operation_model.name,
            status=response_dict.get("status_code", 0),
            headers=dict(response_dict.get("headers") or {}),
            body=response_dict.get("body") or b"",
        ))


def _refuse_unless_read_only(model=None, **_):
    name = getattr(model, "name", None)
    if not is_read_only(name):
        raise ReadOnlyViolation(f"refused {name}: this client sends only List* and Describe* operations")


def _refuse_on_the_wire(request=None, **_):
    target = request.headers.get("X-Amz-Target") if request is not None else None
    if isinstance(target, bytes):
        target = target.decode("ascii", "replace")
    operation = target.rpartition(".")[2] if target else None
    if not is_read_only(operation):
        raise ReadOnlyViolation(f"refused to send {target!r}: not a List* or Describe* operation")


def guard(client) -> None:
    """Make `client` refuse every operation that is not List* or Describe*."""
    events = client.meta.events
    events.register("before-parameter-build", _refuse_unless_read_only, unique_id="l4e-read-only")
    events.register("before-send", _refuse_on_the_wire, unique_id="l4e-read-only-wire")


@dataclass
class ClientSettings:
    retry_mode: str = "standard"  # or "adaptive": client-side rate limiting on throttling
    max_attempts: int = 5  # total attempts, the first call included
    connect_timeout: float = 5
    read_timeout: float = 30
    max_pool_connections: int = 10
    unsigned: bool = False  # for endpoints that need no credentials (a local mock)


@dataclass
class Connection:
    """A guarded client for one region (and endpoint), with its raw-body capture."""

    client: object
    capture: BodyCapture
    region: str
    endpoint_url: str | None = None
    settings: ClientSettings = field(default_factory=ClientSettings)

    def call(self, method: str, **params):
        """client.<method>(**params) -> (parsed dict, the last raw response); exceptions pass through.

        The raw response of a failed call stays readable as `self.capture.last`.
        """
        self.capture.reset()
        parsed = getattr(self.client, method)(**params)
        return parsed, self.capture.last


def session(profile: str | None = None, region: str | None = None):
    """A botocore session for `profile` (the usual credential chain when None).

    botocore's, not boto3's: importing boto3 costs a command about 50 ms more
    (it imports s3transfer) and adds nothing to a client. It answers boto3's
    `region_name` and `client()` too, so either kind of session can be passed on.
    Its clients parse epoch-second timestamps with `epoch_timestamp`.
    """
    sess = _session_class()(profile=profile)
    if region:
        sess.set_config_variable("region", region)
    # botocore's documented hook for its parsers' defaults; only this session's clients see it
    sess.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=epoch_timestamp)
    return sess


def epoch_timestamp(value):
    """botocore's timestamp parser, with the JSON protocol's own case (epoch seconds) made cheap.

    botocore turns a number into `datetime.fromtimestamp(value, tzlocal())`:
    dateutil's tzlocal answers in Python, several calls a timestamp, about 15
    timestamps a DescribeModel. An int or float becomes the same instant here
    with the C `timezone.utc`: equal (==, timestamp()) to what boto3 returns,
    only its tzinfo object differs. Anything else (text, a bool, a number out
    of range, NaN) goes to botocore's parser, which decides as it always does.
    """
    if type(value) in (int, float):
        try:
            return _datetime.fromtimestamp(value, _UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return _botocore_timestamp_parser()(value)


@lru_cache(maxsize=1)
def _botocore_timestamp_parser():
    from botocore.parsers import DEFAULT_TIMESTAMP_PARSER

    return DEFAULT_TIMESTAMP_PARSER


@lru_cache(maxsize=1)
def _session_class():
    import botocore.session

    class Session(botocore.session.Session):
        @property
        def region_name(self) -> str | None:
            return self.get_config_variable("region")

        client = botocore.session.Session.create_client

    return Session


def connect(region: str, *, sess=None, profile: str | None = None, endpoint_url: str | None = None,
            settings: ClientSettings | None = None) -> Connection:
    """A read-only, body-capturing lookoutequipment client for `region`."""
    from botocore import UNSIGNED
    from botocore.config import Config

    settings = settings or ClientSettings()
    sess = sess or session(profile)
    config = Config(
        region_name=region,
        # Config counts retries after the first call; ClientSettings counts every attempt.
        retries={"mode": settings.retry_mode, "max_attempts": max(0, settings.max_attempts - 1)},
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        max_pool_connections=settings.max_pool_connections,
        **({"signature_version": UNSIGNED} if settings.unsigned else {}),
    )
    client = sess.client(SERVICE, region_name=region, endpoint_url=endpoint_url, config=config)
    guard(client)
    capture = BodyCapture()
    client.meta.events.register("before-parse", capture.on_before_parse, unique_id="l4e-capture")
    return Connection(client, capture, region, endpoint_url, settings)
