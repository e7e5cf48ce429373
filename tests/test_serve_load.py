"""serve under load, with real sockets on 127.0.0.1: bursts, idle connections, a bounded number of
threads, a log that cannot be written, and requests malformed at any depth.

Waits are bounded by generous deadlines so a regression fails instead of hanging; nothing is timed.
"""
from __future__ import annotations

import json
import os
import selectors
import socket
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l4e_contract.endpoints.serve import MockServer, MockService
from test_serve import fleet, folder, make_client, write_models  # noqa: F401 (fixture)

TARGET = "AWSLookoutEquipmentFrontendService."
DEADLINE = 20  # seconds: only a guard against hanging, never a measure


def request_bytes(operation: str, body: bytes | dict, *, close: bool = True) -> bytes:
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    head = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {TARGET}{operation}\r\n"
            f"Content-Type: application/x-amz-json-1.0\r\nContent-Length: {len(body)}\r\n")
    return (head + ("Connection: close\r\n" if close else "") + "\r\n").encode() + body


def post(port: int, operation: str, body: bytes | dict) -> tuple[int, dict]:
    """One request on its own connection: (status, JSON body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as sock:
        sock.sendall(request_bytes(operation, body))
        data = read_to_end(sock)
    return status_of(data), json.loads(data.partition(b"\r\n\r\n")[2])


def read_to_end(sock) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def status_of(data: bytes) -> int:
    return int(data.split(b" ", 2)[1])


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.01)


def connect_all(port: int, n: int) -> list[socket.socket]:
    """`n` connections started at once (non-blocking), returned once every handshake completed."""
    socks = []
    for _ in range(n):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        socks.append(sock)
    sel = selectors.DefaultSelector()
    for sock in socks:
        sel.register(sock, selectors.EVENT_WRITE)
    pending, deadline = len(socks), time.monotonic() + DEADLINE
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.2):
            sel.unregister(key.fileobj)
            pending -= 1
    sel.close()
    errors = [sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) for sock in socks]
    assert pending == 0 and not any(errors), (
        f"{pending} of {n} connections never completed their handshake, {sum(map(bool, errors))} failed")
    return socks


def answers_of(socks: list[socket.socket]) -> list[bytes]:
    """Send one DescribeModel (Connection: close) on each socket and read every answer to its end."""
    sel = selectors.DefaultSelector()
    got: dict[socket.socket, list[bytes]] = {}
    for i, sock in enumerate(socks):
        sock.setblocking(True)
        sock.sendall(request_bytes("DescribeModel", {"ModelName": f"pump-{i % 6}"}))
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ)
        got[sock] = []
    open_, deadline = len(socks), time.monotonic() + DEADLINE
    while open_ and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.2):
            chunk = key.fileobj.recv(65536)  # a reset would raise ConnectionResetError here
            if chunk:
                got[key.fileobj].append(chunk)
            else:
                sel.unregister(key.fileobj)
                open_ -= 1
    sel.close()
    assert open_ == 0, f"{open_} connections were never answered"
    return [b"".join(got[s]) for s in socks]


def close_all(socks) -> None:
    for sock in socks:
        sock.close()


# --- bursts --------------------------------------------------------------------------------------


def test_a_burst_of_200_new_connections_waits_in_the_backlog_and_is_all_answered(folder):
    # One worker, held by a connection that sends nothing: the server accepts no one else, so the
    # 200 handshakes can only complete in the listen backlog (with a backlog of 5, 194 never do).
    with MockServer(folder, max_workers=1, idle_timeout=60) as server:
        holder = socket.create_connection(("127.0.0.1", server.port))
        wait_until(lambda: len(server._connections) == 1, "the worker took the first connection")
        burst = connect_all(server.port, 200)
        holder.close()  # the worker is free: the backlog drains through it, one connection at a time
        try:
            answers = answers_of(burst)
        finally:
            close_all(burst)
    assert [status_of(a) for a in answers] == [200] * 200
    assert [json.loads(a.partition(b"\r\n\r\n")[2])["ModelName"] for a in answers] == \
        [f"pump-{i % 6}" for i in range(200)]
    assert len(server.requests) == 200


def test_a_burst_of_200_clients_at_once_with_the_default_settings(folder):
    with MockServer(folder) as server:
        burst = connect_all(server.port, 200)
        try:
            answers = answers_of(burst)
        finally:
            close_all(burst)
    assert [status_of(a) for a in answers] == [200] * 200


# --- idle connections and the thread bound ---------------------------------------------------------


def test_an_idle_connection_is_closed_after_the_idle_timeout(folder):
    with MockServer(folder, idle_timeout=0.2) as server:
        silent = socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE)
        kept_alive = socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE)
        kept_alive.sendall(request_bytes("DescribeModel", {"ModelName": "pump-1"}, close=False))
        # the server hangs up on both: each stream ends, rather than waiting out DEADLINE
        assert silent.recv(1) == b""
        answer = read_to_end(kept_alive)
        assert status_of(answer) == 200 and answer.count(b"HTTP/1.1 ") == 1
        silent.close()
        kept_alive.close()
        wait_until(lambda: not server._connections, "the server let go of both connections")


def test_a_botocore_client_goes_on_after_its_pooled_connection_idled_out(folder):
    with MockServer(folder, idle_timeout=0.2) as server:
        client = make_client(server.endpoint_url)  # no retries: a stale connection would fail the call
        assert client.describe_model(ModelName="pump-1")["ModelName"] == "pump-1"
        wait_until(lambda: not server._connections, "the server closed the idle pooled connection")
        assert client.describe_model(ModelName="pump-2")["ModelName"] == "pump-2"


def test_300_idle_connections_hold_no_more_threads_than_the_bound_and_none_is_refused(folder):
    bound = 8
    before = threading.active_count()
    with MockServer(folder, max_workers=bound, idle_timeout=60) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE) for _ in range(300)]
        try:
            wait_until(lambda: len(server._connections) == bound, f"{bound} connections taken by workers")
            peak = threading.active_count()
            time.sleep(0.2)  # a server that went on accepting would pass the bound by now
            peak = max(peak, threading.active_count())
            assert len(server._connections) == bound
        finally:
            close_all(idle)
        # the 292 that waited in the backlog were accepted as workers freed, and nothing broke
        client = make_client(server.endpoint_url)
        assert client.describe_model(ModelName="pump-3")["ModelName"] == "pump-3"
    assert peak - before <= bound + 1  # the workers and the accept loop's thread


def test_stop_does_not_wait_for_a_free_worker(folder):
    server = MockServer(folder, max_workers=1, idle_timeout=60).start()
    socks = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(3)]
    wait_until(lambda: len(server._connections) == 1, "the worker took a connection")
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(DEADLINE)
    close_all(socks)
    assert not stopper.is_alive(), "stop() hung while the accept loop waited for a worker"


def test_bad_limits_are_refused():
    with pytest.raises(ValueError, match="idle timeout"):
        MockServer({}, idle_timeout=0)
    with pytest.raises(ValueError, match="idle timeout"):
        MockServer({}, idle_timeout=float("nan"))
    with pytest.raises(ValueError, match="workers"):
        MockServer({}, max_workers=0)


# --- a log that cannot be written ------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_under_the_log_costs_no_answer_and_is_said_once(folder, capsys):
    with MockServer(folder, log_path="/dev/full") as server:
        client = make_client(server.endpoint_url)
        names = [client.describe_model(ModelName=f"pump-{i}")["ModelName"] for i in range(4)]
        assert client.list_models()["ModelSummaries"]
    assert names == ["pump-0", "pump-1", "pump-2", "pump-3"]
    assert len(server.requests) == 5  # the in-memory log still holds every request
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "cannot write the log /dev/full" in err and "No space left on device" in err
    assert server.log_error in err


def test_a_log_whose_write_raises_is_said_once_through_warn(folder):
    class Broken:
        def write(self, text):
            raise OSError(28, "No space left on device")

        flush = close = lambda self: None

    said = []
    service = MockService(folder, warn=said.append)
    service._log_file = Broken()  # what open_log() would hold, on a disk that is full
    statuses = [service.answer(TARGET + "DescribeModel", b'{"ModelName": "pump-1"}').status for _ in range(3)]
    assert statuses == [200, 200, 200] and len(service.requests) == 3
    assert len(said) == 1 and "No space left on device" in said[0]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_the_serve_command_with_its_log_on_a_full_disk(folder):
    proc = subprocess.Popen([sys.executable, "-m", "l4e_contract.cli", "serve", str(folder), "--log", "/dev/full",
                             "--exit-after", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "serving 7 model(s) at " in line, line + proc.stderr.read()
        port = int(line.split("127.0.0.1:")[1].split()[0])
        assert [post(port, "DescribeModel", {"ModelName": f"pump-{i}"})[0] for i in range(3)] == [200] * 3
    finally:
        proc.terminate()  # SIGTERM: the command's own exit is not what this test is about
        _, err = proc.communicate(timeout=DEADLINE)
    lines = [x for x in err.splitlines() if "log" in x]
    assert len(lines) == 1 and "cannot write the log /dev/full: No space left on device" in lines[0], err
    assert "Traceback" not in err


# --- malformed requests ----------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"ModelName": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"ModelName": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}",
    b"[" * 100_000,  # deep and unterminated
])
def test_a_request_nested_at_any_depth_gets_400(folder, body):
    with MockServer(folder) as server:
        status, answer = post(server.port, "DescribeModel", body)
        assert (status, answer["__type"]) == (400, "SerializationException")
        # the server is none the worse
        assert post(server.port, "DescribeModel", {"ModelName": "pump-2"})[0] == 200


@pytest.mark.parametrize("length", ["abc", "-5"])
def test_a_content_length_that_is_not_a_length_gets_400(folder, length):
    with MockServer(folder) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE) as sock:
            sock.sendall(f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {TARGET}ListModels\r\n"
                         f"Content-Length: {length}\r\n\r\n".encode())
            assert status_of(read_to_end(sock)) == 400


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                         st.sampled_from(["ModelName", "MaxResults", "NextToken", "Status", "x"]) | st.text(max_size=5),
                         inner, max_size=4),
                     max_leaves=20)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    d = tmp_path_factory.mktemp("recordings")
    write_models(d, fleet())
    return MockService(d)


@given(operation=st.sampled_from(["DescribeModel", "ListModels"]),
       body=_json.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=64))
def test_no_request_body_makes_the_mock_fail(service, operation, body):
    answer = service.answer(TARGET + operation, body)
    assert answer.status in (200, 400), answer.body
    assert answer.status == 200 or answer.error in ("ValidationException", "SerializationException",
                                                    "ResourceNotFoundException")
