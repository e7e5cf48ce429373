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

Every response body is read here, not by botocore (a `before-send` hook sends
the request with botocore's own HTTP session and hands botocore the bytes it
read), so that three things hold before botocore's parser sees anything:
  - a body is read to at most `MAX_BYTES` (load/files.py's limit for a
    DescribeModel response): a longer one, by its Content-Length or as it
    arrives, is refused (`BodyTooLarge`) and never parsed;
  - bodies over `FREE_BYTES` are read within one process-wide budget
    (`BODY_BUDGET_BODIES` maximal bodies), so concurrency x cap stays bounded;
  - each call has a deadline (`call_deadline`) covering connecting, every read
    and every retry: each attempt's read timeout is what is left of it, the body
    is read a chunk at a time against it, and a retry after it is refused
    (`DeadlineExceeded`). A run can cancel its connections (`cancel()`): the
    calls in flight stop at their next read or attempt (`Cancelled`).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime as _datetime
from datetime import timezone
from functools import lru_cache

SERVICE = "lookoutequipment"
_UTC = timezone.utc
READ_PREFIXES = ("List", "Describe")


class ReadOnlyViolation(Exception):
    """An operation that could change an account was about to be sent, and was refused."""


class CallStopped(Exception):
    """A call given up by this client (not by botocore or the service); str() is the one-line reason.

    Not an HTTPClientError, so botocore never retries it.
    """


class DeadlineExceeded(CallStopped):
    pass


class Cancelled(CallStopped):
    pass


class BodyTooLarge(CallStopped):
    pass


FREE_BYTES = 1 << 20  # a body up to this size is read outside the budget (a DescribeModel is a few kB)


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
        responses = self._local.responses
        if responses and len(responses[-1].body) > FREE_BYTES:
            # a large body of an attempt that was retried: only its status and headers are kept, so
            # that the body budget (released at each attempt) tells the truth about what is held
            responses[-1].body = b""
        responses.append(RawResponse(
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


DEFAULT_CALL_DEADLINE = 60.0  # a DescribeModel answers in well under a second; 5 attempts and back-off fit


ANSWERED_IN_PROCESS = "l4e-answered-in-process"


def answered_in_process(request) -> bool:
    """Did an earlier before-send hook (the in-process mock) answer this request? Then nothing is sent."""
    context = getattr(request, "context", None)
    return isinstance(context, dict) and bool(context.get(ANSWERED_IN_PROCESS))


@dataclass
class ClientSettings:
    retry_mode: str = "standard"  # or "adaptive": client-side rate limiting on throttling
    max_attempts: int = 5  # total attempts, the first call included
    connect_timeout: float = 5
    read_timeout: float = 30
    max_pool_connections: int = 10
    unsigned: bool = False  # for endpoints that need no credentials (a local mock)
    call_deadline: float = DEFAULT_CALL_DEADLINE  # seconds for a whole call: connecting, reads, retries


@dataclass
class Connection:
    """A guarded client for one region (and endpoint), with its raw-body capture."""

    client: object
    capture: BodyCapture
    region: str
    endpoint_url: str | None = None
    settings: ClientSettings = field(default_factory=ClientSettings)
    reader: "BodyReader | None" = None
    credentials: object = None  # botocore's credentials (to scrub them from what is written), or None

    def call(self, method: str, **params):
        """client.<method>(**params) -> (parsed dict, the last raw response); exceptions pass through.

        The raw response of a failed call stays readable as `self.capture.last`.
        """
        self.capture.reset()
        if self.reader is None:
            return getattr(self.client, method)(**params), self.capture.last
        self.reader.start_call()
        try:
            parsed = getattr(self.client, method)(**params)
        finally:
            self.reader.end_call()
        return parsed, self.capture.last

    def cancel(self) -> None:
        """Stop this connection's calls: those in flight at their next read or attempt, and any new one."""
        if self.reader is not None:
            self.reader.cancel()

    def secrets(self) -> tuple[str, ...]:
        """The client's own access key id, secret key and session token, as they are now (they may be
        refreshed during a run), for scrubbing; none when requests are unsigned."""
        if self.credentials is None or self.settings.unsigned:
            return ()
        try:
            frozen = self.credentials.get_frozen_credentials()
        except Exception:  # a provider that cannot refresh now: the last values are what could leak
            frozen = self.credentials
        values = (getattr(frozen, "access_key", None), getattr(frozen, "secret_key", None),
                  getattr(frozen, "token", None))
        return tuple(v for v in values if isinstance(v, str) and v)


class BodyBudget:
    """Bytes that reads of large bodies may hold at once, shared by every connection of the process.

    A read reserves a body's whole size (its Content-Length, else the cap once
    it passes FREE_BYTES) before reading it, and holds one reservation at a
    time (released when its next attempt starts or its call ends), so no read
    waits while holding a part of the budget: there is no deadlock, and at most
    BODY_BUDGET_BODIES maximal bodies are being held by calls in flight.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self._cond = threading.Condition()

    def reserve(self, size: int, until: float, cancelled: threading.Event) -> int:
        size = min(size, self.limit)
        with self._cond:
            while self.used + size > self.limit:
                left = until - time.monotonic()
                if cancelled.is_set():
                    raise Cancelled("cancelled while waiting to read a large body")
                if left <= 0:
                    raise DeadlineExceeded("deadline exceeded while waiting to read a large body")
                self._cond.wait(min(left, 0.5))
            self.used += size
        return size

    def release(self, size: int) -> None:
        if size:
            with self._cond:
                self.used -= size
                self._cond.notify_all()


@lru_cache(maxsize=1)
def body_budget() -> BodyBudget:
    from l4e_contract.load.files import MAX_BYTES

    return BodyBudget(BODY_BUDGET_BODIES * (MAX_BYTES + 1))


BODY_BUDGET_BODIES = 2  # largest bodies held at once by the whole process, whatever the concurrency


class _Bytes:
    """What botocore's AWSResponse reads its content from: the bytes already read."""

    def __init__(self, data: bytes):
        self._data = data

    def stream(self, *_args, **_kwargs):
        yield self._data


class BodyReader:
    """The `before-send` and `needs-retry` hooks of one client: capped reads and the call deadline."""

    def __init__(self, http_session, settings: ClientSettings, max_bytes: int, budget: BodyBudget):
        self.http_session = http_session
        self.settings = settings
        self.max_bytes = max_bytes
        self.budget = budget
        self.cancelled = threading.Event()
        self._local = threading.local()
        self._reading: set = set()  # urllib3 responses whose body is being read, for cancel()
        self._reading_lock = threading.Lock()

    # --- the call ---------------------------------------------------------------------------------
    def start_call(self) -> None:
        self._local.until = time.monotonic() + self.settings.call_deadline
        self._local.reserved = 0

    def end_call(self) -> None:
        self._release()
        self._local.until = None

    def cancel(self) -> None:
        """Every call stops: a body being read at once (its socket is shut down under the blocked
        read), any other call at its next attempt or read."""
        self.cancelled.set()
        with self._reading_lock:
            reading = list(self._reading)
        for raw in reading:
            _shut_down(raw)

    def _until(self) -> float:
        until = getattr(self._local, "until", None)
        if until is None:  # a call made on the client directly, not through Connection.call: per attempt
            return time.monotonic() + self.settings.call_deadline
        return until

    def _release(self) -> None:
        self.budget.release(getattr(self._local, "reserved", 0))
        self._local.reserved = 0

    def _check(self, until: float) -> float:
        """Seconds left of the call; raises when it is cancelled or past its deadline."""
        if self.cancelled.is_set():
            raise Cancelled("cancelled: the run was interrupted")
        left = until - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(f"deadline exceeded: no answer within the {self.settings.call_deadline:g} s "
                                   "call deadline (connecting, reads and retries)")
        return left

    # --- hooks --------------------------------------------------------------------------------------
    def before_retry(self, caught_exception=None, **_):
        """Runs before botocore's retry handler: nothing is retried past the deadline or once cancelled."""
        if isinstance(caught_exception, CallStopped):
            raise caught_exception
        self._check(self._until())

    def send(self, request=None, **_):
        """Send with botocore's HTTP session, and read the body here: capped, budgeted, in time."""
        from botocore.awsrequest import AWSResponse

        if answered_in_process(request):  # botocore calls every before-send hook, even after an answer
            return None

        until = self._until()
        self._release()  # the previous attempt's body is dropped (BodyCapture keeps no large one)
        left = self._check(until)
        context = getattr(request, "context", None)
        if isinstance(context, dict):
            # botocore's per-request read timeout: no single read may outlast the call
            context["read_timeout"] = min(self.settings.read_timeout, left)
        request.stream_output = True  # botocore's session leaves the body to be read here
        response = self.http_session.send(request)
        body = self._read(response.raw, request.url, until)
        if getattr(self._local, "until", None) is None:
            self._release()  # no Connection.call to release it when the call ends
        return AWSResponse(request.url, response.status_code, response.headers, _Bytes(body))

    def _read(self, raw, url: str, until: float) -> bytes:
        from urllib3.exceptions import HTTPError as URLLib3Error
        from urllib3.exceptions import ReadTimeoutError as URLLib3ReadTimeout
        from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

        finished = False
        # One growing buffer, not a list of pieces: a large buffer lives in its own mapping and goes
        # back to the system when freed, where many 64 kB pieces would stay in the reading thread's
        # malloc arena, unusable by the others (RSS grew to concurrency x cap, whatever the budget).
        body = bytearray()
        with self._reading_lock:
            self._reading.add(raw)
        try:
            length = _content_length(raw.headers)
            if length is not None and length > self.max_bytes:
                raise BodyTooLarge(f"the body is {length:,} bytes (Content-Length), over the "
                                   f"{self.max_bytes:,} byte limit for a response; not read")
            if length is not None and length > FREE_BYTES:
                self._local.reserved = self.budget.reserve(length, until, self.cancelled)
            first = b""
            total = 0
            while True:
                self._check(until)
                chunk = raw.read1(1 << 16)
                if not chunk:
                    break
                if not total:
                    first = chunk  # most bodies come in one piece: no copy for them
                else:
                    if first:
                        body += first
                        first = b""
                    body += chunk
                total += len(chunk)
                if total > self.max_bytes:
                    raise BodyTooLarge(f"the body is over the {self.max_bytes:,} byte limit for a response; "
                                       "not read further")
                if total > FREE_BYTES and not self._local.reserved:
                    self._local.reserved = self.budget.reserve(self.max_bytes + 1, until, self.cancelled)
            finished = True
            return first if first or not body else bytes(body)
        except CallStopped:
            raise
        except URLLib3ReadTimeout as exc:
            self._check(until)  # a read cut short by the deadline is the deadline's
            raise ReadTimeoutError(endpoint_url=url, error=exc) from None
        except (URLLib3Error, OSError) as exc:
            self._check(until)
            raise ConnectionClosedError(endpoint_url=url, error=exc) from None
        finally:
            with self._reading_lock:
                self._reading.discard(raw)
            if not finished:
                # the exception's traceback keeps this frame alive (until the cyclic collector comes by,
                # which large buffers do not hasten): what was read must not live on with it
                body.clear()
                raw.close()  # a connection left in the middle of a body cannot be used again
            raw.release_conn()


def _shut_down(raw) -> None:
    """Shut the socket of a response being read: a read blocked on it returns at once."""
    import socket

    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already closed: nothing is blocked on it
            pass


def _content_length(headers) -> int | None:
    value = headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


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

    from l4e_contract.load.files import MAX_BYTES

    settings = settings or ClientSettings()
    sess = sess or session(profile)
    config = Config(
        region_name=region,
        # Config counts retries after the first call; ClientSettings counts every attempt.
        retries={"mode": settings.retry_mode, "max_attempts": max(0, settings.max_attempts - 1)},
        # no single connect may outlast the call's deadline (reads are bounded per attempt, in BodyReader)
        connect_timeout=min(settings.connect_timeout, settings.call_deadline),
        read_timeout=settings.read_timeout,
        max_pool_connections=settings.max_pool_connections,
        **({"signature_version": UNSIGNED} if settings.unsigned else {}),
    )
    client = sess.client(SERVICE, region_name=region, endpoint_url=endpoint_url, config=config)
    guard(client)
    capture = BodyCapture()
    client.meta.events.register("before-parse", capture.on_before_parse, unique_id="l4e-capture")
    # botocore's own HTTP session (its pool, proxies and TLS settings) sends; only the body is read here
    reader = BodyReader(client._endpoint.http_session, settings, MAX_BYTES, body_budget())
    client.meta.events.register_last("before-send", reader.send, unique_id="l4e-capped-read")
    # on botocore's own retry event, first: a handler on a shorter name would run after its retry handler
    service_event = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register_first(f"needs-retry.{service_event}", reader.before_retry, unique_id="l4e-deadline")
    credentials = None if settings.unsigned else _credentials(sess)
    return Connection(client, capture, region, endpoint_url, settings, reader, credentials)


def _credentials(sess):
    """The session's credentials object (refreshable ones stay live), or None when there are none."""
    try:
        return sess.get_credentials()
    except Exception:  # a broken profile: the call itself will say so, in one line
        return None
