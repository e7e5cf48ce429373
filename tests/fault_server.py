"""A deliberately bad Lookout for Equipment endpoint on 127.0.0.1, for the deadline, cap, signal and leak tests.

Each model named in `behaviours` answers DescribeModel in its own way:
  ok          a valid trained model (tests/test_serve.trained)
  trickle     the headers, then the body one byte every `trickle_every` seconds
  stall       reads the request and never answers
  slow-500    an InternalServerException after `delay` seconds (retried by botocore)
  huge-length a Content-Length over the body limit, then a trickle of bytes
  huge-chunked  a chunked body of 64 kB chunks, sent until the client hangs up
  stall-body  the headers and half the body, then nothing
  echo        a valid body whose FailedReason holds the request's Authorization and
              X-Amz-Security-Token, which are also sent back as response headers
ListModels lists every model, in one page. `served` counts DescribeModel requests per model,
`sent` the body bytes sent to each.
"""
from __future__ import annotations

import json
import socketserver
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler

from test_serve import trained

JSON = "application/x-amz-json-1.0"


class FaultServer:
    def __init__(self, behaviours: dict[str, str], *, trickle_every: float = 0.1, delay: float = 0.3,
                 huge_length: int | None = None):
        self.behaviours = behaviours
        self.trickle_every = trickle_every
        self.delay = delay
        self.huge_length = huge_length
        self.stopping = threading.Event()
        self.served: Counter = Counter()
        self.sent: Counter = Counter()
        self.in_flight = 0
        self._lock = threading.Lock()

    # --- what each model answers ------------------------------------------------------------------
    def body(self, name: str, headers) -> dict:
        body = trained(name)
        if self.behaviours.get(name) == "echo":
            body["FailedReason"] = (f"echo: Authorization={headers.get('Authorization')} "
                                    f"X-Amz-Security-Token={headers.get('X-Amz-Security-Token')}")
        return body

    def summary(self, name: str) -> dict:
        body = trained(name)
        return {k: body[k] for k in ("ModelName", "ModelArn", "DatasetName", "DatasetArn", "Status", "CreatedAt",
                                     "ActiveModelVersion", "ActiveModelVersionArn", "ModelQuality")}

    # --- lifecycle --------------------------------------------------------------------------------------
    def __enter__(self):
        outer = self

        class Handler(_Handler):
            server_state = outer

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def wait_for(self, in_flight: int, model: str | None = None, timeout: float = 20) -> bool:
        """True once `in_flight` DescribeModel requests are being answered (and `model` was asked)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.in_flight >= in_flight and (model is None or self.served[model]):
                return True
            time.sleep(0.02)
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state: FaultServer

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):
        state = self.server_state
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
        if operation == "ListModels":
            prefix = request.get("ModelNameBeginsWith", "")
            page = [state.summary(n) for n in sorted(state.behaviours) if n.startswith(prefix)]
            return self._answer(200, {"ModelSummaries": page})
        name = request.get("ModelName", "")
        with state._lock:
            state.served[name] += 1
            state.in_flight += 1
        try:
            self._describe(state, name)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: that is what these tests want
        finally:
            with state._lock:
                state.in_flight -= 1

    def _describe(self, state: FaultServer, name: str) -> None:
        kind = state.behaviours.get(name)
        if kind is None:
            return self._answer(400, {"__type": "ResourceNotFoundException", "message": f"no model {name}"})
        if kind == "stall":
            state.stopping.wait(120)
            return
        if kind == "slow-500":
            time.sleep(state.delay)
            return self._answer(500, {"__type": "InternalServerException", "message": "try again"})
        data = json.dumps(state.body(name, self.headers)).encode()
        if kind == "trickle":
            return self._trickle(state, name, data, len(data))
        if kind == "huge-length":
            return self._trickle(state, name, data, state.huge_length)
        if kind == "huge-chunked":
            return self._chunked(state, name)
        if kind == "stall-body":  # half the body, then nothing
            self._head(200, {"Content-Length": str(len(data))})
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            state.stopping.wait(120)
            return
        extra = {}
        if kind == "echo":
            extra = {"x-echo-authorization": self.headers.get("Authorization", ""),
                     "x-echo-token": self.headers.get("X-Amz-Security-Token", "")}
        self._answer(200, json.loads(data), extra)

    def _head(self, status: int, headers: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", JSON)
        self.send_header("x-amzn-RequestId", "11111111-2222-4333-8444-555555555555")
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()

    def _answer(self, status: int, body: dict, extra: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self._head(status, {"Content-Length": str(len(data)), **(extra or {})})
        self.wfile.write(data)
        self.wfile.flush()

    def _trickle(self, state, name, data: bytes, length: int) -> None:
        self._head(200, {"Content-Length": str(length)})
        self.wfile.flush()
        for i in range(length):
            if state.stopping.is_set():
                return
            self.wfile.write(data[i:i + 1] if i < len(data) else b" ")
            self.wfile.flush()
            state.sent[name] += 1
            time.sleep(state.trickle_every)

    def _chunked(self, state, name) -> None:
        self._head(200, {"Transfer-Encoding": "chunked"})
        chunk = b" " * 65536
        while not state.stopping.is_set() and state.sent[name] < 1 << 30:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            state.sent[name] += len(chunk)
