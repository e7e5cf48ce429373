"""How faithfully a mock endpoint follows Lookout for Equipment: the same calls, real boto3, every answer checked.

Calls (through the read-only client of `l4e_contract.endpoints.client`, raw bodies captured):
  ListModels                      following NextToken
  DescribeModel                   once per recorded model
  DescribeModel of a model that does not exist (a random name)

Checks, each passed or failed, per call:
  supported    answered as the operation over JSON 1.0: not a 404, not an
               UnknownOperation error, not an HTML page or other non-JSON answer
  protocol     status, Content-Type application/x-amz-json-<model's jsonVersion>,
               an x-amzn-RequestId header, a JSON object body; botocore parses it
  contract     (DescribeModel) l4e_contract.validate finds no violation, in the raw
               wire body and in the dict boto3 parsed from it
  structure    (DescribeModel, ListModels) no member missing, no extra member and no
               type changed against the recording (deepdiff); every recorded model listed
  error-shape  (unknown model) HTTP 400, a JSON 1.0 error body whose __type names
               ResourceNotFoundException, with a message; botocore raises that code

Score: floor(100 x passed checks / all checks). A call that is unsupported fails
every check it has, so an endpoint that implements nothing scores 0; 100 means
every check of every call passed. The mock is faithful only at 100.
"""
from __future__ import annotations

import json
import math
import secrets
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from typing import Callable

from l4e_contract.contract import committed

SUPPORTED, PROTOCOL, CONTRACT, STRUCTURE, ERROR_SHAPE = "supported", "protocol", "contract", "structure", "error-shape"
LIST, DESCRIBE, MISSING = "ListModels", "DescribeModel", "DescribeModel (unknown model)"
CHECKS = {LIST: (SUPPORTED, PROTOCOL, STRUCTURE), DESCRIBE: (SUPPORTED, PROTOCOL, CONTRACT, STRUCTURE),
          MISSING: (SUPPORTED, PROTOCOL, ERROR_SHAPE)}
NOT_FOUND = "ResourceNotFoundException"
MAX_PAGES = 100
MAX_FINDINGS_PER_CHECK = 20


class Unreachable(Exception):
    """The endpoint could not be reached at all; str() is the one-line reason."""


@dataclass
class Finding:
    kind: str  # the check it failed
    message: str
    pointer: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "pointer": self.pointer, "message": self.message}


@dataclass
class Call:
    operation: str
    model: str | None = None
    checks: dict[str, bool] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    status: int | None = None
    body: object = None  # the wire body as JSON, when it was JSON

    def fail(self, kind: str, message: str, pointer: str = "") -> None:
        self.checks[kind] = False
        if sum(1 for f in self.findings if f.kind == kind) < MAX_FINDINGS_PER_CHECK:
            self.findings.append(Finding(kind, message, pointer))

    def settle(self) -> None:
        """Checks not failed pass; an unsupported call fails every check it has."""
        if self.checks.get(SUPPORTED) is False:
            for c in CHECKS[self.operation]:
                self.checks[c] = False
        for c in CHECKS[self.operation]:
            self.checks.setdefault(c, True)

    @property
    def label(self) -> str:
        return f"{self.operation} {self.model}" if self.model and self.operation == DESCRIBE else self.operation

    def to_dict(self) -> dict:
        return {"operation": self.operation, "model": self.model, "status": self.status,
                "checks": dict(self.checks), "findings": [f.to_dict() for f in self.findings]}


@dataclass
class Fidelity:
    endpoint: str
    recorded: int
    calls: list[Call] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(v for c in self.calls for v in c.checks.values())

    @property
    def total(self) -> int:
        return sum(len(c.checks) for c in self.calls)

    @property
    def score(self) -> int:
        return math.floor(100 * self.passed / self.total) if self.total else 0

    @property
    def supported(self) -> bool:
        """False when no call at all was answered as Lookout for Equipment over JSON 1.0."""
        return any(c.checks.get(SUPPORTED) for c in self.calls)

    @property
    def faithful(self) -> bool:
        return self.total > 0 and self.passed == self.total

    def operations(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for c in self.calls:
            op = out.setdefault(c.operation, {"calls": 0, "passed": 0, "total": 0, "findings": []})
            op["calls"] += 1
            op["passed"] += sum(c.checks.values())
            op["total"] += len(c.checks)
            op["findings"] += [{"model": c.model, **f.to_dict()} for f in c.findings]
        for name, op in out.items():
            calls = [c for c in self.calls if c.operation == name]
            op["unsupported"] = sum(1 for c in calls if c.checks.get(SUPPORTED) is False)
        return out

    def headline(self) -> str:
        if not self.supported:
            first = next((f.message for c in self.calls for f in c.findings if f.kind == SUPPORTED), "no answer")
            return (f"{self.endpoint} does not implement Lookout for Equipment: {first} "
                    f"(score {self.score}/100)")
        verdict = "faithful" if self.faithful else "NOT faithful"
        return (f"fidelity of {self.endpoint} against {self.recorded} recorded model(s): "
                f"score {self.score}/100 ({self.passed}/{self.total} checks), {verdict}")

    def to_dict(self) -> dict:
        return {"endpoint": self.endpoint, "score": self.score, "faithful": self.faithful,
                "supported": self.supported, "checks": {"passed": self.passed, "total": self.total},
                "recorded_models": self.recorded, "operations": self.operations(),
                "calls": [c.to_dict() for c in self.calls], "skipped_recordings": self.skipped,
                "summary": self.headline()}


# --- one answer, whatever it was --------------------------------------------------------------------


def _json_version() -> str:
    from l4e_contract.endpoints.serve import service_model

    return service_model().metadata["jsonVersion"]


def _header(headers: dict, name: str):
    for k, v in headers.items():
        if k.lower() == name.lower():
            return v
    return None


def _error_code(body, headers) -> str | None:
    """The error code as botocore reads a JSON 1.0 error: __type after any '#', else x-amzn-ErrorType."""
    code = body.get("__type") if isinstance(body, dict) else None
    if not isinstance(code, str) or not code:
        code = _header(headers, "x-amzn-ErrorType")
    if not isinstance(code, str) or not code:
        return None
    return code.rsplit("#", 1)[-1].split(":", 1)[0]


def check_answer(call: Call, raw, expect_error: bool, failure: BaseException | None = None) -> None:
    """supported and protocol, from the raw answer (status, headers, body bytes)."""
    from l4e_contract.load.files import LoadError, parse_json

    if raw is None:
        # the client's own reason when it has one: a call past its deadline, a body over the limit
        why = f" ({_exc_line(failure)})" if failure is not None else ""
        call.fail(SUPPORTED, f"no HTTP answer was received{why}")
        return
    call.status = raw.status
    ctype = str(_header(raw.headers, "Content-Type") or "")
    try:
        body = parse_json(raw.body, "body")
    except LoadError as exc:
        body, problem = None, str(exc)
    else:
        problem = None
    # always this answer's body: a page that is not JSON must not leave the previous page in its place
    call.body = body
    code = _error_code(body, raw.headers)
    if raw.status == 404:
        call.fail(SUPPORTED, f"{call.operation} answered HTTP 404 ({ctype or 'no Content-Type'})")
        return
    if code and ("UnknownOperation" in code or code in ("InvalidAction", "UnrecognizedClientException")):
        call.fail(SUPPORTED, f"{call.operation} answered {code} (HTTP {raw.status})")
        return
    if body is None and not ctype.startswith("application/x-amz-json"):
        what = ctype.split(";")[0].strip() if ctype else f"with no Content-Type ({problem})"
        call.fail(SUPPORTED, f"{call.operation} answered HTTP {raw.status} {what}, not the JSON 1.0 protocol")
        return
    expected_type = f"application/x-amz-json-{_json_version()}"
    if ctype.split(";")[0].strip() != expected_type:
        call.fail(PROTOCOL, f"Content-Type is {ctype or 'missing'!s}, not {expected_type}")
    if not _header(raw.headers, "x-amzn-RequestId"):
        call.fail(PROTOCOL, "no x-amzn-RequestId header (botocore's ResponseMetadata.RequestId stays empty)")
    if problem:
        call.fail(PROTOCOL, f"HTTP {raw.status} with a body that is not JSON: {problem}")
    elif not isinstance(body, dict):
        call.fail(PROTOCOL, "the body is JSON but not an object")
    if not expect_error and raw.status != 200:
        call.fail(PROTOCOL, f"HTTP {raw.status}" + (f" {code}" if code else "") + ", not 200")


# --- the calls -----------------------------------------------------------------------------------------


def _call(conn, method: str, **params):
    """(parsed dict or None, the exception or None, the raw answer); only an unreachable endpoint raises."""
    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError

    try:
        parsed, raw = conn.call(method, **params)
        return parsed, None, raw
    except (EndpointConnectionError, ConnectTimeoutError) as exc:
        raise Unreachable(f"endpoint unreachable: {exc}") from None
    except Exception as exc:  # ClientError and botocore's parse failures alike: judged from the raw answer
        return None, exc, conn.capture.last


def _structure(call: Call, recorded: dict, got: dict, where: str = "") -> None:
    """Missing members, extra members and type changes (deepdiff); values may differ."""
    from deepdiff import DeepDiff

    from l4e_contract.drift.recordings import MAX_DEPTH, too_deep

    stamps = set(committed.timestamp_members())
    if too_deep(got) or too_deep(recorded):
        call.fail(STRUCTURE, f"{where or 'the answer'} nests more than {MAX_DEPTH} levels deep, not compared")
        return
    try:
        tree = DeepDiff(recorded, got, view="tree")
    except RecursionError:
        call.fail(STRUCTURE, f"{where or 'the answer'} nests too deeply to compare")
        return
    for kind, items in tree.items():
        for item in items:
            parts = item.path(output_format="list")
            pointer = where + "".join(f"/{p}" for p in parts)
            if isinstance(item.t1, dict) and isinstance(item.t2, dict):
                # deepdiff calls an object emptied (or filled) a changed value: name the members
                for k in item.t1:
                    if k not in item.t2:
                        call.fail(STRUCTURE, f"member {pointer}/{k} of the recording is missing", f"{pointer}/{k}")
                for k in item.t2:
                    if k not in item.t1:
                        call.fail(STRUCTURE, f"member {pointer}/{k} is not in the recording", f"{pointer}/{k}")
            elif kind in ("dictionary_item_removed", "iterable_item_removed"):
                call.fail(STRUCTURE, f"member {pointer} of the recording is missing", pointer)
            elif kind in ("dictionary_item_added", "iterable_item_added"):
                call.fail(STRUCTURE, f"member {pointer} is not in the recording", pointer)
            elif kind == "type_changes":
                a, b = item.t1, item.t2
                numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
                if numbers and len(parts) == 1 and parts[0] in stamps:
                    continue  # epoch seconds: 1700000000 and 1700000000.0 are the same instant
                from l4e_contract.contract.schema_check import json_type

                call.fail(STRUCTURE, f"{pointer} is {json_type(b)}, the recording has {json_type(a)}", pointer)


def list_call(conn, recorded: dict[str, dict]) -> Call:
    from l4e_contract.endpoints.serve import service_model

    call = Call(LIST)
    summaries: dict[str, dict] = {}
    token = None
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        parsed, exc, raw = _call(conn, "list_models", **({"NextToken": token} if token else {}))
        check_answer(call, raw, expect_error=False, failure=exc)
        if call.checks.get(SUPPORTED) is False or exc is not None or not isinstance(call.body, dict):
            if exc is not None and call.checks.get(SUPPORTED) is not False:
                call.fail(PROTOCOL, f"boto3 raised {_exc_line(exc)}")
            break
        page = call.body.get("ModelSummaries")
        if not isinstance(page, list):
            call.fail(STRUCTURE, "the answer has no ModelSummaries list", "/ModelSummaries")
            break
        for s in page:
            if isinstance(s, dict) and isinstance(s.get("ModelName"), str):
                summaries.setdefault(s["ModelName"], s)
            else:
                call.fail(STRUCTURE, "a ModelSummaries entry has no ModelName", "/ModelSummaries")
        token = call.body.get("NextToken")
        if not token:
            break
        if token in seen:
            call.fail(PROTOCOL, "NextToken repeats: the listing never ends")
            break
        seen.add(token)
    if call.checks.get(SUPPORTED) is not False and isinstance(call.body, dict):
        members = service_model().shape_for("ModelSummary").members
        for name, body in sorted(recorded.items()):
            if name not in summaries:
                call.fail(STRUCTURE, f"recorded model {name} is not listed", "/ModelSummaries")
                continue
            expected = {m: body[m] for m in members if m in body}
            _structure(call, expected, summaries[name], f"/ModelSummaries/{name}")
    call.settle()
    return call


def _describe(conn, name: str):
    return _call(conn, "describe_model", ModelName=name)


def describe_call(conn, name: str, recorded: dict) -> Call:
    return judge_describe(name, recorded, _describe(conn, name))


def judge_describe(name: str, recorded: dict, answer) -> Call:
    """The checks of one DescribeModel answer, (parsed, exception, raw) as _call returns it."""
    import l4e_contract

    call = Call(DESCRIBE, name)
    parsed, exc, raw = answer
    check_answer(call, raw, expect_error=False, failure=exc)
    if call.checks.get(SUPPORTED) is False:
        call.settle()
        return call
    if exc is not None:
        call.fail(PROTOCOL, f"boto3 raised {_exc_line(exc)}")
    if isinstance(call.body, dict) and call.status == 200:
        wire = l4e_contract.validate(call.body).violations
        for v in wire:
            call.fail(CONTRACT, f"[{v.rule}] {v.message}", v.pointer)
        if isinstance(parsed, dict):
            from l4e_contract.endpoints.live import parsed_only_violations

            for v in parsed_only_violations(wire, parsed):
                call.fail(CONTRACT, f"in boto3's parsed dict: [{v.rule}] {v.message}", v.pointer)
        _structure(call, recorded, call.body)
    elif call.status == 200:
        call.fail(CONTRACT, "the 200 body is not a DescribeModel response (a JSON object)")
        call.fail(STRUCTURE, "nothing to compare with the recording")
    else:
        call.fail(CONTRACT, f"no response to check (HTTP {call.status})")
        call.fail(STRUCTURE, f"no response to compare (HTTP {call.status})")
    call.settle()
    return call


def missing_call(conn, existing: set[str]) -> Call:
    from botocore.exceptions import ClientError

    name = f"l4e-fidelity-no-such-model-{secrets.token_hex(6)}"
    while name in existing:
        name = f"l4e-fidelity-no-such-model-{secrets.token_hex(6)}"
    call = Call(MISSING, name)
    parsed, exc, raw = _call(conn, "describe_model", ModelName=name)
    check_answer(call, raw, expect_error=True, failure=exc)
    if call.checks.get(SUPPORTED) is False:
        call.settle()
        return call
    if exc is None:
        call.fail(ERROR_SHAPE, f"DescribeModel of a model that does not exist succeeded (HTTP {call.status})")
    else:
        if not isinstance(exc, ClientError):
            call.fail(ERROR_SHAPE, f"boto3 raised {_exc_line(exc)}, not a ClientError")
        else:
            code = exc.response.get("Error", {}).get("Code")
            if code != NOT_FOUND:
                call.fail(ERROR_SHAPE, f"boto3 sees error code {code!r}, not {NOT_FOUND}")
        if call.status != 400:
            call.fail(ERROR_SHAPE, f"HTTP {call.status}, not 400")
        body = call.body
        if not isinstance(body, dict):
            call.fail(ERROR_SHAPE, "the error body is not a JSON object")
        else:
            wire_code = body.get("__type")
            if not isinstance(wire_code, str) or wire_code.rsplit("#", 1)[-1] != NOT_FOUND:
                call.fail(ERROR_SHAPE, f"__type is {wire_code!r}, not {NOT_FOUND} (JSON 1.0 error shape)", "/__type")
            message = body.get("message", body.get("Message"))
            if not isinstance(message, str) or not message:
                call.fail(ERROR_SHAPE, "the error has no message", "/message")
    call.settle()
    return call


def _exc_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{exc.__class__.__name__}: {text}".rstrip(": ")


DEFAULT_CALL_DEADLINE = 30.0  # a mock answers at once; this is for one that stalls or trickles


def connect(endpoint_url: str, region: str = "us-east-1", max_attempts: int = 2, timeout: float = 10,
            concurrency: int = 4, call_deadline: float = DEFAULT_CALL_DEADLINE):
    """The read-only client, with dummy credentials: a mock needs none, and no real ones are ever sent.

    Each call has the client's deadline (connecting, reads, retries) and capped body read."""
    import boto3

    from l4e_contract.endpoints import client as aws

    sess = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)
    settings = aws.ClientSettings(max_attempts=max_attempts, connect_timeout=min(timeout, 5), read_timeout=timeout,
                                  max_pool_connections=max(10, concurrency), call_deadline=call_deadline)
    return aws.connect(region, sess=sess, endpoint_url=endpoint_url, settings=settings)


def load_recorded(recordings) -> tuple[dict[str, dict], list[str]]:
    """Model name -> its recorded wire body (the wire form wins over parsed copies of one model)."""
    from l4e_contract.endpoints.serve import load_recordings

    return load_recordings(recordings)  # wire bodies: boto3's ResponseMetadata already left out


class NoRecordings(Exception):
    """Nothing to compare with: `skipped` says why each file was left out."""

    def __init__(self, skipped: list[str]):
        super().__init__("no recordings to compare")
        self.skipped = skipped


def check(endpoint_url: str, recordings, *, region: str = "us-east-1", max_attempts: int = 2,
          timeout: float = 10, concurrency: int = 4, call_deadline: float = DEFAULT_CALL_DEADLINE,
          on_progress: Callable[[int, int], None] | None = None) -> Fidelity:
    """Run every call against the endpoint; Unreachable if it cannot be reached at all.

    The models are described `concurrency` at a time, as `live` does; the calls
    keep the models' sorted order whatever order they finish in.
    `on_progress(done, total)` is called as each call is made.
    KeyboardInterrupt (Ctrl-C, or SIGTERM under `signals.stop_on_signals`) passes through.
    """
    recorded, skipped = load_recorded(recordings)
    if not recorded:
        raise NoRecordings(skipped)
    conn = connect(endpoint_url, region, max_attempts, timeout, concurrency, call_deadline)
    result = Fidelity(endpoint_url, len(recorded), skipped=skipped)
    total = len(recorded) + 2
    result.calls.append(list_call(conn, recorded))
    if on_progress:
        on_progress(1, total)
    if result.calls[0].checks.get(SUPPORTED) is False and max_attempts > 1:
        # Nothing to ride out on an endpoint without the service: every other call is asked once.
        conn = connect(endpoint_url, region, 1, timeout, concurrency, call_deadline)
    result.calls.extend(_describe_all(conn, recorded, concurrency, lambda done: on_progress and on_progress(1 + done, total)))
    result.calls.append(missing_call(conn, set(recorded)))
    if on_progress:
        on_progress(total, total)
    return result


def _describe_all(conn, recorded: dict[str, dict], concurrency: int, on_done) -> list[Call]:
    """DescribeModel of every recorded model, `concurrency` calls at a time; the calls in sorted model order.

    The pool's threads make the calls; this thread judges each answer as it comes, as `live`
    does: the contract's checks hold the GIL wherever they run. An interruption does not wait
    for the calls in flight (each is bounded by its deadline anyway).
    """
    names = sorted(recorded)
    calls: dict[str, Call] = {}
    from l4e_contract.endpoints.live import Workers

    pool = Workers(concurrency, "l4e-fidelity")  # daemon threads: an interrupted run does not wait for them
    try:
        futures = {pool.submit(_describe, conn, name): name for name in names}
        for future in as_completed(futures):
            name = futures[future]
            calls[name] = judge_describe(name, recorded[name], future.result())
            on_done(len(calls))
    finally:
        pool.shutdown(cancel=True)
    return [calls[name] for name in names]


def as_results(fid: Fidelity):
    """One Result per call, for the reports: a failed check is a violation with rule id fidelity.<check>."""
    from l4e_contract.findings import Violation
    from l4e_contract.check.results import INVALID, VALID, Result

    results, documents = [], {}
    for c in fid.calls:
        source = f"{fid.endpoint} {c.label}"
        violations = [Violation(f.pointer, f"fidelity.{f.kind}", f.message) for f in c.findings]
        for name, ok in c.checks.items():
            if not ok and not any(f.kind == name for f in c.findings):
                violations.append(Violation("", f"fidelity.{name}", f"failed ({c.operation} was not supported)"))
        results.append(Result(source=source, verdict=VALID if not violations else INVALID, violations=violations))
        if c.operation == DESCRIBE and isinstance(c.body, dict):
            documents[source] = c.body
    return results, documents


def dumps(fid: Fidelity) -> str:
    return json.dumps(fid.to_dict(), indent=2, ensure_ascii=False, default=str)
