"""A contract-backed mock of Lookout for Equipment: recordings served over the real JSON 1.0 protocol.

    with MockServer("contracts/recordings/valid/wire") as server:
        client = boto3.client("lookoutequipment", endpoint_url=server.endpoint_url, ...)
        client.describe_model(ModelName="pump-7")
        assert all(r.operation in ("ListModels", "DescribeModel") for r in server.requests)

What the protocol is (target prefix, JSON version, operations, their inputs
and errors, the ModelSummary members) is read from botocore's service model,
so the mock speaks what real boto3 expects. Faults (throttling, chosen errors,
latency, malformed 200 bodies) are injected on request, to test clients.
"""
from __future__ import annotations

import base64
import binascii
import io
import json
import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from l4e_contract.contract import committed
from l4e_contract.load.files import LoadError, iter_json_files, load_file, unwrap_recording
from l4e_contract.contract.timestamps import to_epoch

SERVICE = "lookoutequipment"
OPERATIONS = ("DescribeModel", "ListModels")
DEFAULT_MAX_RESULTS = 50  # the service's own default is undocumented; any page size is legal
MAX_REQUEST_BYTES = 1024 * 1024

# Short names a person types on the command line, to the model's error shape names.
_ALIASES = {
    "AccessDenied": "AccessDeniedException",
    "ResourceNotFound": "ResourceNotFoundException",
    "NotFound": "ResourceNotFoundException",
    "InternalServer": "InternalServerException",
    "InternalServerError": "InternalServerException",
    "InternalError": "InternalServerException",
    "Throttling": "ThrottlingException",
    "Throttled": "ThrottlingException",
    "Validation": "ValidationException",
}
# The model gives no HTTP status for its errors; these are what the service sends.
_SERVER_FAULTS = {"InternalServerException"}

MALFORMED_KINDS = {
    "empty": "a 200 with an empty body",
    "truncated": "the JSON body cut in half",
    "not-json": "an HTML page instead of JSON",
    "array": "a JSON array instead of an object",
    "string-number": "a number member sent as a JSON string",
    "not-utf8": "bytes that are not UTF-8",
    "deep": "an object nested far deeper than any response",
}


@lru_cache(maxsize=1)
def service_model():
    import botocore.session

    return botocore.session.get_session().get_service_model(SERVICE)


def error_codes() -> tuple[str, ...]:
    """Every error shape the model names for the served operations."""
    model = service_model()
    codes: list[str] = []
    for op in OPERATIONS:
        for shape in model.operation_model(op).error_shapes:
            if shape.name not in codes:
                codes.append(shape.name)
    return tuple(codes)


def error_code(name: str) -> str:
    """The model's error shape for `name` or a short alias; ValueError names the choices."""
    code = _ALIASES.get(name, name)
    if code not in error_codes():
        raise ValueError(f"unknown error {name!r}: choose one of {', '.join(error_codes())}")
    return code


def error_status(code: str) -> int:
    return 500 if code in _SERVER_FAULTS else 400


@dataclass
class Faults:
    """What to break, and how. Everything is off by default.

    throttle_every: every Nth request (counting all requests) gets a ThrottlingException.
    latency_ms:     added to every request.
    slow:           model name -> extra milliseconds for DescribeModel of that model (timeouts).
    fail:           model name -> error code for DescribeModel of that model, every time.
    fail_operations: operation name -> error code for every call of it.
    malformed:      model name -> one of MALFORMED_KINDS, sent with status 200.
    """

    throttle_every: int = 0
    latency_ms: int = 0
    slow: dict[str, int] = field(default_factory=dict)
    fail: dict[str, str] = field(default_factory=dict)
    fail_operations: dict[str, str] = field(default_factory=dict)
    malformed: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.throttle_every < 0 or self.latency_ms < 0 or any(ms < 0 for ms in self.slow.values()):
            raise ValueError("throttle_every, latency_ms and slow latencies are zero or more")
        self.fail = {m: error_code(c) for m, c in self.fail.items()}
        self.fail_operations = {o: error_code(c) for o, c in self.fail_operations.items()}
        for model, kind in self.malformed.items():
            if kind not in MALFORMED_KINDS:
                raise ValueError(f"unknown malformed body {kind!r} for {model}: choose one of {', '.join(MALFORMED_KINDS)}")


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it: what was asked, and what it answered."""

    target: str | None
    operation: str | None
    model: str | None
    status: int
    error: str | None
    request_id: str
    at: float

    def to_dict(self) -> dict:
        return {"target": self.target, "operation": self.operation, "model": self.model,
                "status": self.status, "error": self.error, "request_id": self.request_id, "at": self.at}


class ServiceError(Exception):
    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else error_status(code)


# --- recordings -------------------------------------------------------------------------------


def to_wire(body: dict) -> dict:
    """The wire form of a response: parsed-form timestamp text becomes epoch seconds.

    Whole seconds stay integers, as the service writes them. boto3's
    ResponseMetadata is dropped: the client adds it, the service never sends it.
    """
    out = dict(body)
    out.pop("ResponseMetadata", None)
    for name in committed.timestamp_members():
        value = out.get(name)
        if isinstance(value, str):
            epoch = to_epoch(value)
            if epoch is not None:
                out[name] = int(epoch) if float(epoch).is_integer() else epoch
    return out


def _is_wire(body: dict) -> bool:
    return not any(isinstance(body.get(m), str) for m in committed.timestamp_members())


def load_recordings(sources) -> tuple[dict[str, dict], list[str]]:
    """Model name -> wire body, from folders, files or dicts; and one line per file skipped.

    When the same model is recorded twice (the wire and parsed forms of one
    model), the wire form wins: it is what the service sent.
    """
    if isinstance(sources, (str, os.PathLike, dict)):
        sources = [sources]
    models: dict[str, dict] = {}
    wire: dict[str, bool] = {}
    skipped: list[str] = []

    def take(where: str, doc) -> None:
        body, _meta = unwrap_recording(doc)
        if not isinstance(body, dict):
            skipped.append(f"{where}: not a response object")
            return
        name = body.get("ModelName")
        if not isinstance(name, str) or not name:
            skipped.append(f"{where}: no ModelName")
            return
        is_wire = _is_wire(body)
        if name in models and (wire[name] or not is_wire):
            skipped.append(f"{where}: {name} already served from another recording")
            return
        models[name] = to_wire(body)
        wire[name] = is_wire

    for item in sources:
        if isinstance(item, dict):
            take("<dict>", item)
            continue
        for path, problem in iter_json_files([os.fspath(item)]):
            if problem:
                skipped.append(f"{path}: {problem}")
                continue
            try:
                take(path, load_file(path))
            except LoadError as exc:
                skipped.append(f"{path}: {exc}")
    return models, skipped


# --- request checking, from the model's input shapes --------------------------------------------


def input_problems(shape, value, path: str = "") -> list[str]:
    """What is wrong with a request value, as the service's ValidationException would say it."""
    from l4e_contract.contract.patterns import search

    where = path or "request"
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            return [f"{where} must be an object"]
        problems = [f"{path + '.' if path else ''}{m} is required" for m in shape.required_members if m not in value]
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                problems += input_problems(member, value[name], f"{path + '.' if path else ''}{name}")
        return problems
    if t == "string":
        if not isinstance(value, str):
            return [f"{where} must be a string"]
        meta = shape.metadata
        if "enum" in meta and value not in meta["enum"]:
            return [f"{where} must be one of {', '.join(meta['enum'])}"]
        if len(value) < meta.get("min", 0) or len(value) > meta.get("max", len(value)):
            return [f"{where} length must be between {meta.get('min', 0)} and {meta.get('max')}"]
        if "pattern" in meta and not search(meta["pattern"], value):
            return [f"{where} must match {meta['pattern']}"]
        return []
    if t in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{where} must be an integer"]
        meta = shape.metadata
        if value < meta.get("min", value) or value > meta.get("max", value):
            return [f"{where} must be between {meta.get('min')} and {meta.get('max')}"]
        return []
    return []


def _encode_token(last_name: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_name}).encode()).decode()


def _decode_token(token: str) -> str:
    try:
        doc = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        after = doc["after"]
        if not isinstance(after, str):
            raise TypeError
        return after
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise ServiceError("ValidationException", "NextToken is not a token this service issued") from None


def model_summary(body: dict) -> dict:
    """A ListModels summary: exactly the members of botocore's ModelSummary shape the model has."""
    return {name: body[name] for name in _summary_members() if name in body}


@lru_cache(maxsize=1)
def _summary_members() -> tuple[str, ...]:
    # shape_for() builds the shape and its members anew on each call: 50 times a page was 2 ms
    return tuple(service_model().shape_for("ModelSummary").members)


# --- the service: a request to its answer, with no transport ------------------------------------


@dataclass(frozen=True)
class Answer:
    """What the mock answers one request: the HTTP status, body and headers, and what it was asked."""

    status: int
    body: bytes
    error: str | None
    operation: str | None
    model: str | None
    request_id: str
    content_type: str

    @property
    def headers(self) -> dict[str, str]:
        out = {"Content-Type": self.content_type, "Content-Length": str(len(self.body)),
               "x-amzn-RequestId": self.request_id}
        if self.error:
            out["x-amzn-ErrorType"] = self.error
        return out


class MockService:
    """The contract-backed mock itself: recordings, faults and the request log, with no transport.

    `answer(target, body)` is the whole of its behaviour: `MockServer` (this, with a socket) carries
    it over HTTP and `l4e_contract.endpoints.inprocess` over botocore's own events, so both answer
    alike. Subclasses change an answer by overriding `_describe` or `_list`.
    `log_path`: also append one JSON line per request to this file. A log that cannot be written
    is reported once, through `warn`, and logging stops; requests are still answered.
    """

    def __init__(self, recordings, *, faults: Faults | None = None, log_path: str | os.PathLike | None = None,
                 warn=None, name: str = "l4e-contract serve"):
        self.models, self.skipped = load_recordings(recordings)
        self.faults = faults or Faults()
        self.requests: list[LoggedRequest] = []
        self.log_path = Path(log_path) if log_path else None
        self.log_error: str | None = None  # why the log stopped, once it has
        self._warn = warn or _print_to_stderr
        self._name = name
        self._lock = threading.Lock()
        self._count = 0
        self._log_file = None
        model = service_model()
        self.target_prefix = model.metadata["targetPrefix"]
        self.content_type = f"application/x-amz-json-{model.metadata['jsonVersion']}"

    @property
    def operations(self) -> list[str | None]:
        """The operation of every request received, in order (None where the target was missing)."""
        with self._lock:
            return [r.operation for r in self.requests]

    def open_log(self) -> None:
        """Open the log once, up front: an unwritable path is the caller's one error (OSError), not every request's."""
        if self.log_path is not None and self._log_file is None:
            self._log_file = open(self.log_path, "a", encoding="utf-8")

    def close_log(self) -> None:
        with self._lock:
            log_file, self._log_file = self._log_file, None
        if log_file is not None:
            try:
                log_file.close()
            except OSError as exc:  # the last buffered lines could not be written: said once, like any other
                self._log_failed(exc)

    def answer(self, target: str | None, raw: bytes) -> Answer:
        """One request (its X-Amz-Target and body) to its answer, logged."""
        request_id = str(uuid.uuid4())
        status, body, code, operation, model = self.handle(target, raw)
        return self.logged(Answer(status, body, code, operation, model, request_id, self.content_type), target)

    def refuse(self, target: str | None, status: int, code: str, message: str) -> Answer:
        """An answer decided before the body was read (a request too large, a method other than POST), logged."""
        body = json.dumps({"__type": code, "message": message}).encode()
        return self.logged(Answer(status, body, code, None, None, str(uuid.uuid4()), self.content_type), target)

    def logged(self, answer: Answer, target: str | None) -> Answer:
        entry = LoggedRequest(target, answer.operation, answer.model, answer.status, answer.error,
                              answer.request_id, time.time())
        with self._lock:
            self.requests.append(entry)
            if self._log_file is not None:
                try:
                    self._log_file.write(json.dumps(entry.to_dict()) + "\n")
                    self._log_file.flush()
                except OSError as exc:  # a full disk: the answer still goes out
                    self._stop_logging(exc)
        return answer

    def _stop_logging(self, exc: OSError) -> None:
        # Called with the lock held. Later writes would fail alike or leave a log with holes;
        # it stops where it was last whole, and says so once.
        log_file, self._log_file = self._log_file, None
        try:
            log_file.close()
        except OSError:
            pass  # its buffer is what could not be written
        self._log_failed(exc)

    def _log_failed(self, exc: OSError) -> None:
        if self.log_error is None:
            self.log_error = (f"{self._name}: cannot write the log {self.log_path}: "
                              f"{exc.strerror or exc}; requests are still answered, no longer logged")
            self._warn(self.log_error)

    def _next_count(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def handle(self, target: str | None, raw: bytes) -> tuple[int, bytes, str | None, str | None, str | None]:
        """One request to (status, body, error code, operation, model name); not logged."""
        operation = None
        model = None
        try:
            if not target or not target.startswith(self.target_prefix + "."):
                raise ServiceError("UnknownOperationException", f"unknown target {target!r}")
            operation = target[len(self.target_prefix) + 1:]
            count = self._next_count()
            if self.faults.latency_ms:
                time.sleep(self.faults.latency_ms / 1000)
            if operation not in OPERATIONS:
                raise ServiceError("UnknownOperationException",
                                   f"{operation} is not supported by this mock (only {', '.join(OPERATIONS)})")
            params = request_params(raw)
            if isinstance(params, dict) and isinstance(params.get("ModelName"), str):
                model = params["ModelName"]
            if self.faults.throttle_every and count % self.faults.throttle_every == 0:
                raise ServiceError("ThrottlingException", "Rate exceeded")
            if operation in self.faults.fail_operations:
                code = self.faults.fail_operations[operation]
                raise ServiceError(code, f"injected {code} for {operation}")
            shape = service_model().operation_model(operation).input_shape
            problems = input_problems(shape, params)
            if problems:
                raise ServiceError("ValidationException", "; ".join(problems))
            if operation == "DescribeModel":
                return (200, self._describe(params["ModelName"]), None, operation, model)
            return (200, self._list(params), None, operation, model)
        except ServiceError as exc:
            body = json.dumps({"__type": exc.code, "message": exc.message}).encode()
            return (exc.status, body, exc.code, operation, model)
        except Exception as exc:  # a bug in the mock answers 500, as the service would, and is logged
            body = json.dumps({"__type": "InternalServerException",
                               "message": f"mock failure: {exc.__class__.__name__}: {exc}"[:500]}).encode()
            return (500, body, "InternalServerException", operation, model)

    def _describe(self, name: str) -> bytes:
        slow = self.faults.slow.get(name)
        if slow:
            time.sleep(slow / 1000)
        if name in self.faults.fail:
            code = self.faults.fail[name]
            raise ServiceError(code, f"Model {name} not found" if code == "ResourceNotFoundException"
                               else f"injected {code} for model {name}")
        body = self.models.get(name)
        if body is None:
            raise ServiceError("ResourceNotFoundException", f"Model {name} not found")
        kind = self.faults.malformed.get(name)
        return malformed_body(body, kind) if kind else json.dumps(body).encode()

    def _list(self, params: dict) -> bytes:
        names = sorted(self.models)
        if "NextToken" in params:
            after = _decode_token(params["NextToken"])
            names = [n for n in names if n > after]
        status = params.get("Status")
        model_prefix = params.get("ModelNameBeginsWith")
        dataset_prefix = params.get("DatasetNameBeginsWith")
        picked = []
        for n in names:
            body = self.models[n]
            if status is not None and body.get("Status") != status:
                continue
            if model_prefix is not None and not n.startswith(model_prefix):
                continue
            if dataset_prefix is not None and not str(body.get("DatasetName", "")).startswith(dataset_prefix):
                continue
            picked.append(n)
        limit = params.get("MaxResults", DEFAULT_MAX_RESULTS)
        page = picked[:limit]
        out: dict = {"ModelSummaries": [model_summary(self.models[n]) for n in page]}
        if len(picked) > limit:
            out["NextToken"] = _encode_token(page[-1])
        return json.dumps(out).encode()


def request_params(raw: bytes):
    """The request body as JSON; a body that is not JSON, at any depth, is the client's error (400)."""
    try:
        params = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ServiceError("SerializationException", "the request body is not JSON") from None
    except RecursionError:  # nesting deeper than the decoder goes: no request of this service is that deep
        raise ServiceError("SerializationException", "the request body is nested too deeply") from None
    if isinstance(params, dict):  # a member sent as null is read as a member not sent
        params = {name: value for name, value in params.items() if value is not None}
    return params


def _print_to_stderr(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass  # stderr itself is gone: nothing left to tell


# --- the server -----------------------------------------------------------------------------------

LISTEN_BACKLOG = 1024  # a burst of new connections waits here, not reset (Linux caps it at net.core.somaxconn)
DEFAULT_IDLE_TIMEOUT = 15.0  # seconds a connection may wait between requests (or for its first) before it is closed
DEFAULT_MAX_WORKERS = 64  # handler threads at most; further connections wait in the backlog


class MockServer(MockService):
    """The mock, served on 127.0.0.1 (ephemeral port by default) in a background thread.

    `recordings`: a folder, a file, a dict, or a list of them. `faults`: a Faults.
    `log_path`: also append one JSON line per request to this file.
    `idle_timeout`: seconds an open connection may send nothing before it is closed.
    `max_workers`: connections served at once, each by its own thread; beyond it, new connections
    wait in the listen backlog until one closes (an idle one does after `idle_timeout`).
    """

    def __init__(self, recordings, *, faults: Faults | None = None, port: int = 0,
                 log_path: str | os.PathLike | None = None, idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
                 max_workers: int = DEFAULT_MAX_WORKERS, warn=None):
        if not 0 < idle_timeout < 1e9:  # NaN and infinity too: a socket takes neither
            raise ValueError(f"the idle timeout is a number of seconds above 0, not {idle_timeout}")
        if max_workers < 1:
            raise ValueError(f"the number of workers is at least 1, not {max_workers}")
        super().__init__(recordings, faults=faults, log_path=log_path, warn=warn)
        self.idle_timeout = idle_timeout
        self.max_workers = max_workers
        self._port = port
        self._httpd: _BoundedHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set = set()  # open client sockets, closed by stop()

    # lifecycle
    def start(self) -> "MockServer":
        """Listen on 127.0.0.1; OSError (busy port, unwritable log) or OverflowError (port > 65535) if it cannot."""
        if not 0 <= self._port <= 65535:
            raise OverflowError(f"port {self._port} is not 0-65535")
        self.open_log()
        handler = type("Handler", (_Handler,), {"server_state": self, "timeout": self.idle_timeout})
        self._stopping.clear()
        try:
            self._httpd = _BoundedHTTPServer(("127.0.0.1", self._port), handler, self.max_workers, self._stopping)
        except OSError:
            self.close_log()
            raise
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="l4e-mock-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # the accept loop may be waiting for a free worker: it gives up
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        # shutdown() stops accepting; a client's kept-alive connection would go on being served
        # by its handler thread, so each is cut here
        with self._lock:
            connections, self._connections = list(self._connections), set()
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.close_log()

    def __enter__(self) -> "MockServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return self._httpd.server_address[1]

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _BoundedHTTPServer(ThreadingHTTPServer):
    """A thread per connection, at most `max_workers` at once, and a listen backlog deep enough for bursts."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address, handler, max_workers: int, stopping: threading.Event):
        self._workers = threading.BoundedSemaphore(max_workers)
        self._stopping = stopping
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        # Waiting for a free worker holds up the accept loop, so the connections after this one
        # wait in the kernel's backlog (not refused, and costing no thread) until one closes.
        while not self._workers.acquire(timeout=0.05):
            if self._stopping.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started (none left to start): the worker is free again
            self._workers.release()
            self.shutdown_request(request)
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._workers.release()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return  # the client reset or vanished: there is no one to answer
        _print_to_stderr(f"l4e-contract serve: a request from {client_address[0]} failed: "
                         f"{exc.__class__.__name__}: {exc}")


def malformed_body(body: dict, kind: str) -> bytes:
    text = json.dumps(body)
    if kind == "empty":
        return b""
    if kind == "truncated":
        return text[: max(1, len(text) // 2)].encode()
    if kind == "not-json":
        return b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    if kind == "array":
        return json.dumps([body]).encode()
    if kind == "not-utf8":
        return text.encode("utf-8").replace(b'"', b'"\xff\xfe', 1)
    if kind == "deep":
        depth = 100_000
        return (text[:-1] + ', "Deep": ' + "[" * depth + "]" * depth + "}").encode()
    if kind == "string-number":
        return json.dumps(stringify_a_number(body)).encode()
    raise ValueError(f"unknown malformed body {kind!r}")


def stringify_a_number(body: dict) -> dict:
    """The body with its first number member (per the model: integer, long, then timestamps) as text."""
    shape = service_model().operation_model("DescribeModel").output_shape
    out = dict(body)
    for wanted in (("integer", "long"), ("timestamp",)):
        for name, member in shape.members.items():
            if member.type_name in wanted and isinstance(out.get(name), (int, float)) and not isinstance(out.get(name), bool):
                out[name] = str(out[name])
                return out
    out["ActiveModelVersion"] = "1"
    return out


class _Handler(BaseHTTPRequestHandler):
    server_state: MockServer
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects
    # Each answer goes out in one send, headers and body together (_reply); Nagle is off all the
    # same, so no write on a kept-alive connection waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # the request log is server.requests, not stderr
        pass

    def setup(self):
        super().setup()
        with self.server_state._lock:
            self.server_state._connections.add(self.connection)

    def finish(self):
        with self.server_state._lock:
            self.server_state._connections.discard(self.connection)
        super().finish()

    def do_POST(self):
        state = self.server_state
        target = self.headers.get("X-Amz-Target")
        length = self._content_length()
        if length is None:
            answer = state.refuse(target, 400, "SerializationException", "the Content-Length header is not a length")
            self.close_connection = True
        elif length > MAX_REQUEST_BYTES:
            answer = state.refuse(target, 413, "SerializationException", "request body too large")
            self.close_connection = True
        else:
            answer = state.answer(target, self.rfile.read(length) if length else b"")
        self._reply(answer)

    def _content_length(self) -> int | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        return length if length >= 0 else None

    def do_GET(self):
        self._reply(self.server_state.refuse(self.headers.get("X-Amz-Target"), 400,
                                                     "UnknownOperationException", "use POST with X-Amz-Target"))

    do_PUT = do_DELETE = do_PATCH = do_GET

    def _reply(self, answer: Answer) -> None:
        # The answer is put together in memory and sent at once: headers and body in two sends
        # woke the client twice and cost each side a second system call (~0.1 ms of CPU an answer).
        socket_writer, self.wfile = self.wfile, io.BytesIO()
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
            data = self.wfile.getvalue()
        finally:
            self.wfile = socket_writer
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up (a read timeout); nothing is waiting for this answer
            self.close_connection = True
