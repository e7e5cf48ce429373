"""Check the models of an account (or a compatible endpoint): list, describe, validate, cross-check.

Every model ends as exactly one Result, whatever happened to it: valid,
invalid, or error (throttled past retries, access denied, deleted between
ListModels and DescribeModel, server error, timeout, unreachable endpoint, a
body that is not JSON). A failed ListModels is an error result for its region.

What is validated is what the service sent: the raw wire body captured through
botocore's events, parsed strictly, and also the dict boto3 made of it.
Findings only live can make (they need two calls) have ids starting `live.`:

    live.summary-agrees   a ListModels summary and the DescribeModel of the same model
                          disagree on a member both carry (checked again once with a
                          fresh ListModels before it is reported, since a model may
                          change between the calls)
    live.parsed-differs   boto3's parsed dict breaks a rule the wire body does not, or
                          botocore could not parse a 200 body at all
    live.wire-timestamps  a timestamp sent as text: the protocol sends epoch seconds
"""
from __future__ import annotations

import json
import queue
import threading
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from l4e_contract.findings import ERROR, Violation
from l4e_contract.check.results import Result

MAX_LIST_PAGES = 10_000  # ListModels pages followed before giving up (500 models a page at most)

NOT_CHECKED = "not checked: interrupted"  # the error of each model Ctrl-C left unchecked
SUMMARY_RULE = "live.summary-agrees"
PARSED_RULE = "live.parsed-differs"
WIRE_TIME_RULE = "live.wire-timestamps"

LIVE_RULES = {
    SUMMARY_RULE: "The ListModels summary of a model agrees with its DescribeModel on every member both "
                  "carry (name, ARN, dataset name and ARN, status, creation time, active version and its "
                  "ARN, retraining, quality, diagnostics).",
    PARSED_RULE: "boto3's parsed dict of a response breaks no rule the raw wire body keeps, and botocore "
                 "can parse every 200 response.",
    WIRE_TIME_RULE: "On the wire (JSON 1.0 protocol) every timestamp is a number of epoch seconds, never "
                    "text: the schema accepts text only for the parsed form of recordings.",
}


def source_name(region: str, model: str) -> str:
    return f"{region}/model/{model}"


@dataclass
class Listing:
    names: list[str]
    summaries: dict[str, dict]  # name -> the summary as sent on the wire
    error: str | None = None


@dataclass
class LiveRun:
    results: list[Result] = field(default_factory=list)
    documents: dict[str, object] = field(default_factory=dict)  # source -> the wire body checked
    interrupted: bool = False
    exit_code: int | None = None  # when interrupted: 130 (SIGINT, Ctrl-C) or 143 (SIGTERM)


class Workers:
    """A fixed set of daemon threads that run submitted calls, each answered through a Future.

    Not a ThreadPoolExecutor: the interpreter joins its threads at exit, so a run
    stopped by a signal would still wait for every call in flight (up to a whole
    call deadline). These threads are daemons: a stopped run cancels its
    connections, reports, and exits without waiting for them.
    """

    def __init__(self, count: int, name: str):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True)
                         for i in range(max(1, count))]
        for t in self._threads:
            t.start()

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        self._queue.put((future, fn, args))
        return future

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, fn, args = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to whoever collects the future
                future.set_exception(exc)

    def shutdown(self, cancel: bool = False, wait: bool = False) -> None:
        """Let the threads end once the queue is done; with `cancel`, nothing queued is started;
        with `wait`, return once they have ended."""
        if cancel:
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[0].cancel()
        for _ in self._threads:
            self._queue.put(None)
        if wait:
            for t in self._threads:
                t.join()

    def map(self, fn, items) -> list:
        """fn(*item) for every item, in order (an exception in one is raised here)."""
        return [f.result() for f in [self.submit(fn, *item) for item in items]]


# --- describing errors in one line ----------------------------------------------------------------


def describe_failure(exc: BaseException, operation: str, conn, listed: bool = False) -> str:
    """One line saying what went wrong with a call, without a traceback, and without a credential
    (an endpoint's error message may echo the request's)."""
    from l4e_contract.endpoints.redact import scrub_secrets

    own = getattr(conn, "secrets", None)
    secrets = own() if own else ()
    # scrubbed before it is cut short: a token cut in two no longer matches itself
    return scrub_secrets(_failure_line(exc, operation, conn, listed, lambda t: scrub_secrets(t, secrets)), secrets)


def _failure_line(exc: BaseException, operation: str, conn, listed: bool, clean) -> str:
    from botocore.exceptions import (ClientError, ConnectTimeoutError, EndpointConnectionError,
                                     NoCredentialsError, ReadTimeoutError)

    from l4e_contract.endpoints.client import CallStopped, ReadOnlyViolation

    attempts = conn.settings.max_attempts
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = err.get("Code", "?")
        message = clean(str(err.get("Message", ""))).strip()[:200]
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        retries = exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        if code == str(status):
            # botocore found no AWS error in the answer: a proxy, a web server, the wrong URL
            said = f": {message[:80]!r}" if message else ""
            return (f"{operation}: HTTP {status} without an AWS error body{said} "
                    "(is this a Lookout for Equipment endpoint?)")
        if code in ("ThrottlingException", "Throttling", "TooManyRequestsException"):
            return f"{operation}: throttled past retries ({retries + 1} attempts): {code}"
        if code == "AccessDeniedException":
            return f"{operation}: access denied: {message}"
        if code == "ResourceNotFoundException" and listed:
            return f"{operation}: not found, though ListModels listed it (deleted between the calls?): {message}"
        if status and status >= 500:
            return f"{operation}: server error (HTTP {status}, {retries + 1} attempts): {code}: {message}"
        return f"{operation}: {code} (HTTP {status}): {message}"
    if isinstance(exc, (ReadTimeoutError, ConnectTimeoutError)):
        return f"{operation}: timed out after {attempts} attempt(s): {exc}"
    if isinstance(exc, EndpointConnectionError):
        return f"{operation}: endpoint unreachable: {exc}"
    if isinstance(exc, NoCredentialsError):
        return f"{operation}: no AWS credentials found (profile, environment or role)"
    if isinstance(exc, (ReadOnlyViolation, CallStopped)):
        return f"{operation}: {exc}"
    text = clean(str(exc).splitlines()[0])[:200] if str(exc) else ""
    return f"{operation}: {exc.__class__.__name__}: {text}".rstrip(": ")


# --- ListModels -------------------------------------------------------------------------------


def _wire_json(raw) -> object:
    from l4e_contract.load.files import MAX_BYTES, LoadError, parse_json

    if len(raw.body) > MAX_BYTES:
        raise LoadError(f"a {len(raw.body):,} byte body, over the {MAX_BYTES:,} byte limit")
    return parse_json(raw.body, "response body")


def _is_client_side(exc) -> bool:
    """botocore's own errors (HTTP errors, timeouts, credentials), as opposed to choking on a body."""
    from botocore.exceptions import BotoCoreError, ClientError

    from l4e_contract.endpoints.client import CallStopped, ReadOnlyViolation

    return isinstance(exc, (ClientError, BotoCoreError, ReadOnlyViolation, CallStopped))


def list_models(conn, on_page: Callable[[dict[str, dict]], None] | None = None, **filters) -> Listing:
    """Every model, following NextToken (botocore has no paginator for ListModels).

    `on_page({name: summary})` is called with the models each page adds, as it
    arrives, so a caller can describe them while the next page is being fetched.
    """
    from l4e_contract.load.files import LoadError

    names: list[str] = []
    summaries: dict[str, dict] = {}
    token = None
    seen_tokens: set[str] = set()
    for _page in range(MAX_LIST_PAGES):
        params = dict(filters, **({"NextToken": token} if token else {}))
        try:
            parsed, raw = conn.call("list_models", **params)
        except Exception as exc:
            raw = conn.capture.last
            if _is_client_side(exc) or raw is None or raw.status != 200:
                return Listing(names, summaries, describe_failure(exc, "ListModels", conn))
            parsed = None  # botocore choked on a 200 body: say what the body was
        try:
            wire = _wire_json(raw) if raw is not None else parsed
        except LoadError as exc:
            return Listing(names, summaries, f"ListModels: answered HTTP {raw.status} with {exc}")
        page = wire.get("ModelSummaries") if isinstance(wire, dict) else None
        if not isinstance(page, list):
            return Listing(names, summaries, "ListModels: the answer has no ModelSummaries list")
        added: dict[str, dict] = {}
        for s in page:
            name = s.get("ModelName") if isinstance(s, dict) else None
            if isinstance(name, str) and name not in summaries and name not in added:
                added[name] = s
        names += added
        summaries.update(added)
        if on_page is not None and added:
            on_page(added)
        token = wire.get("NextToken")
        if not token:
            return Listing(names, summaries)
        if token in seen_tokens:
            return Listing(names, summaries, "ListModels: NextToken repeats; stopped following it")
        seen_tokens.add(token)
    return Listing(names, summaries, f"ListModels: more than {MAX_LIST_PAGES} pages; stopped")


def find_summary(conn, name: str) -> dict | None:
    """The wire summary of one model, by a fresh ListModels filtered on its name; None if unavailable."""
    listing = list_models(conn, ModelNameBeginsWith=name)
    return listing.summaries.get(name)


def summary_members(service_model=None) -> tuple[str, ...]:
    """The members of botocore's ModelSummary shape (by default, from a fresh botocore session's model)."""
    if service_model is None:
        from l4e_contract.endpoints.serve import service_model as fresh

        service_model = fresh()
    return _summary_members(service_model)


@lru_cache(maxsize=8)
def _summary_members(service_model) -> tuple[str, ...]:
    # shape_for() builds a new shape, and its members, on every call: once per model is too often
    return tuple(service_model.shape_for("ModelSummary").members)


def summary_differences(summary: dict, described: dict, members: tuple[str, ...] | None = None) -> list[Violation]:
    """Members of the ListModels summary whose value differs from DescribeModel's (wire values)."""
    out = []
    for name in members if members is not None else summary_members():
        in_summary, in_describe = name in summary, name in described
        if not in_summary and not in_describe:
            continue
        if in_summary and in_describe and _same(summary[name], described[name]):
            continue
        if not in_describe:
            msg = f"ListModels says {_show(summary[name])}; DescribeModel does not have {name}"
        elif not in_summary:
            # A summary may leave out what it does not know; only identifying members must be there.
            if name not in ("ModelName", "ModelArn", "DatasetName", "DatasetArn", "Status", "CreatedAt"):
                continue
            msg = f"DescribeModel says {_show(described[name])}; the ListModels summary does not have {name}"
        else:
            msg = f"ListModels says {_show(summary[name])}, DescribeModel says {_show(described[name])}"
        out.append(Violation(f"/{name}", SUMMARY_RULE, msg, ERROR))
    return out


def _same(a, b) -> bool:
    from l4e_contract.contract.timestamps import to_epoch

    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return a == b
    if a == b:
        return True
    ta, tb = to_epoch(a), to_epoch(b)
    return ta is not None and ta == tb and not isinstance(a, bool) and not isinstance(b, bool)


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def wire_timestamp_problems(wire) -> list[Violation]:
    from l4e_contract.contract import committed

    if not isinstance(wire, dict):
        return []
    return [Violation(f"/{m}", WIRE_TIME_RULE, f"sent as text {_show(wire[m])}; the JSON protocol sends epoch seconds")
            for m in committed.timestamp_members() if isinstance(wire.get(m), str)]


# --- one model -------------------------------------------------------------------------------


def parsed_only_violations(wire_violations, parsed: dict, *, strict: bool = False) -> list[Violation]:
    """Violations of boto3's parsed dict that the wire body it came from does not have:
    what botocore changed on the data's way to the user. ResponseMetadata is boto3's own, left out."""
    from l4e_contract.check.runner import validate

    seen = {(v.pointer, v.rule) for v in wire_violations}
    body = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    return [v for v in validate(body, strict=strict).violations if (v.pointer, v.rule) not in seen]


@dataclass
class Described:
    """One DescribeModel call as sent: the wire body parsed strictly, and boto3's dict of it.

    `error` says why there is nothing to check (the call failed, or the body is not JSON);
    `parse_error` why botocore could not parse a 200 body that is JSON.
    """

    wire: object = None
    parsed: object = None
    raw: object = None
    parse_error: str | None = None
    error: str | None = None


def describe_raw(conn, name: str, listed: bool = False) -> Described:
    """Call DescribeModel and keep what the service sent; never raises (short of Ctrl-C)."""
    from l4e_contract.load.files import LoadError

    try:
        parsed, raw = conn.call("describe_model", ModelName=name)
        parse_error = None
    except Exception as exc:
        raw = conn.capture.last
        if _is_client_side(exc) or raw is None or raw.status != 200:
            return Described(error=describe_failure(exc, "DescribeModel", conn, listed))
        # A 200 that botocore could not parse (AttributeError, UnicodeDecodeError,
        # RecursionError, ValueError...): the raw body says what was wrong.
        parsed, parse_error = None, f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
    if raw is None:
        return Described(error="DescribeModel: no response body was captured")
    try:
        wire = _wire_json(raw)
    except LoadError as exc:
        return Described(raw=raw, error=f"DescribeModel answered HTTP {raw.status} with {exc}")
    return Described(wire, parsed, raw, parse_error)


@dataclass
class ToJudge:
    """What a DescribeModel call brought back, with what only the network could tell about it."""

    got: Described
    differences: list[Violation]  # from the ListModels summary, asked again once before it counts


def describe_for_check(conn, name: str, summary: dict | None, listed: bool = False) -> ToJudge:
    """The calls a check makes (DescribeModel, and ListModels again when the summary disagrees).

    The summary is compared here, not in `judge`, because a disagreement is
    confirmed with a fresh ListModels call: every network call of a check is made
    by the thread that described the model.
    """
    got = describe_raw(conn, name, listed)
    differences: list[Violation] = []
    if got.error is None and summary is not None and isinstance(got.wire, dict):
        # the client's own model: the one botocore used for this very call, already loaded
        members = summary_members(conn.client.meta.service_model)
        differences = summary_differences(summary, got.wire, members)
        if differences:
            # The model may have changed between ListModels and DescribeModel: ask again once.
            fresh = find_summary(conn, name)
            if fresh is not None:
                differences = summary_differences(fresh, got.wire, members)
    return ToJudge(got, differences)


def judge(conn, name: str, described: ToJudge, *, strict: bool = False) -> tuple[Result, object]:
    """The contract on what was described, the wire body and boto3's dict; no I/O. (result, wire body)."""
    from l4e_contract.check.runner import validate

    source = source_name(conn.region, name)
    got = described.got
    if got.error is not None:
        return Result.failed(source, got.error), None
    wire, parsed, parse_error = got.wire, got.parsed, got.parse_error
    report = validate(wire, strict=strict)
    for v in wire_timestamp_problems(wire):
        report.add(v)
    if parse_error is not None:
        report.add(Violation("", PARSED_RULE, f"botocore could not parse this 200 response: {parse_error}"))
    elif isinstance(parsed, dict):
        for v in parsed_only_violations(report.violations, parsed, strict=strict):
            report.add(Violation(v.pointer, PARSED_RULE, f"in boto3's parsed dict: [{v.rule}] {v.message}"))
    for v in described.differences:
        report.add(v)
    return Result.from_report(source, report.sort()), wire


# --- a run -------------------------------------------------------------------------------------


def run_live(connections, *, models: list[str] | None = None, strict: bool = False, concurrency: int = 4,
             on_result: Callable[[Result], None] | None = None,
             on_progress: Callable[[int, int | None], None] | None = None) -> LiveRun:
    """Check every model of every connection (region); Ctrl-C returns what was done, and says so.

    On KeyboardInterrupt (Ctrl-C, or SIGTERM under `signals.stop_on_signals`)
    the connections are cancelled (the calls in flight stop at their next read
    or attempt, and are not waited for), and every model not yet checked is a
    NOT_CHECKED error result. Results come sorted by source, whatever order
    the calls finished in.

    With `models`, only those are described; ListModels still runs once per
    region (filtered by each name) to cross-check the summaries.

    Describing starts as soon as the first ListModels page arrives: the next
    pages are fetched (in this thread) while the pool describes the models
    already listed. The pool's threads make the calls; this thread runs the
    contract on each answer as it collects it: the checks hold the GIL wherever
    they run, but here they no longer stand between a worker's answer and its
    next call. `on_progress(done, total)` gets total None until every listing
    is complete.
    """
    run = LiveRun()
    # (connection, name, summary, listed) for every model to describe, in a stable order
    work: list[tuple[object, str, dict | None, bool]] = []
    futures: dict = {}  # future -> its index in work
    pending: set = set()  # submitted, not yet collected
    done: dict[int, Result] = {}
    listing_errors: list[Result] = []
    total: int | None = None
    pool = Workers(concurrency, "l4e-live")

    def submit(conn, names, summaries: dict | None, listed: bool) -> None:
        for name in names:
            summary = summaries.get(name) if summaries else None
            future = pool.submit(_one, conn, name, summary, listed)
            futures[future] = len(work)
            pending.add(future)
            work.append((conn, name, summary, listed))

    def collect(future) -> None:
        pending.discard(future)
        i = futures[future]
        conn, name, _summary, _listed = work[i]
        result, body = _judged(conn, name, future.result(), strict)
        done[i] = result
        if isinstance(body, dict):  # the reports draw timelines from response objects only
            run.documents[result.source] = body
        if on_result:
            on_result(result)
        if on_progress:
            on_progress(len(done), total)

    def collect_finished() -> None:
        # results that came in while this thread was listing are shown at once, not after the listing
        for future in [f for f in pending if f.done()]:
            collect(future)

    try:
        if on_progress:
            on_progress(0, None)
        for conn in connections:
            if models:
                submit(conn, models, None, False)
                continue

            def on_page(page: dict[str, dict], conn=conn) -> None:
                submit(conn, page, page, True)
                collect_finished()

            listing = list_models(conn, on_page=on_page)
            if listing.error:
                result = Result.failed(f"{conn.region}/ListModels", listing.error)
                listing_errors.append(result)
                if on_result:
                    on_result(result)
        total = len(work)
        if on_progress:
            on_progress(len(done), total)
        for future in as_completed(list(pending)):
            collect(future)
    except KeyboardInterrupt as exc:
        from l4e_contract.endpoints.signals import exit_code_of

        run.interrupted, run.exit_code = True, exit_code_of(exc)
        cancel(connections)
        pool.shutdown(cancel=True)
    except BaseException:
        # a caller's callback failed (a closed stdout...): describe nothing more, and let it be seen
        # once the workers are gone (a signal is the only case that does not wait for them)
        cancel(connections)
        pool.shutdown(cancel=True, wait=True)
        raise
    else:
        pool.shutdown(wait=True)  # every call was collected: the threads are idle and end at once
    run.results.extend(listing_errors)
    for i, (conn, name, _summary, _listed) in enumerate(work):
        # every model is accounted for, including the ones Ctrl-C left unchecked
        run.results.append(done.get(i) or Result.failed(source_name(conn.region, name), NOT_CHECKED))
    run.results.sort(key=lambda r: r.source)
    return run


def cancel(connections) -> None:
    for conn in connections:
        stop = getattr(conn, "cancel", None)
        if stop is not None:
            stop()


def _one(conn, name, summary, listed):
    """A worker's part of a check: the network calls. The contract is then run by the collecting thread."""
    if summary is None and not listed:
        summary = find_summary(conn, name)
    try:
        return describe_for_check(conn, name, summary, listed or summary is not None)
    except Exception as exc:  # a bug here must cost one model, not the run
        return _not_checked(conn, name, exc)


def _judged(conn, name, outcome, strict) -> tuple[Result, object]:
    if isinstance(outcome, Result):
        return outcome, None
    try:
        return judge(conn, name, outcome, strict=strict)
    except Exception as exc:  # a bug here must cost one model, not the run
        return _not_checked(conn, name, exc), None


def _not_checked(conn, name, exc) -> Result:
    return Result.failed(source_name(conn.region, name),
                         f"could not be checked: {exc.__class__.__name__}: {str(exc)[:200]}")
