"""Recording DescribeModel responses: the body as the service sent it, in an envelope, redacted.

    {"l4e_recording": {"operation", "region", "model", "botocore_version", "recorded_at", "endpoint"},
     "body": <the wire-form JSON the service sent>}

Files go to <out>/<region>/<model>.json, each written atomically. Bodies are
fetched concurrently but redacted in listing order, so the same account gets
the same placeholder on every run over the same models.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from l4e_contract.load.files import RECORDING_KEY

OPERATION = "DescribeModel"


@dataclass
class Recorded:
    source: str  # region/model/<name>, as live names it
    path: Path | None = None
    error: str | None = None


@dataclass
class _Fetched:
    conn: object
    name: str
    body: object = None
    request_ids: tuple[str, ...] = ()
    error: str | None = None


def _fetch(conn, name: str, listed: bool) -> _Fetched:
    from l4e_contract.endpoints.live import describe_raw

    # a 200 body botocore could not parse is still recorded as it was sent, if it is JSON
    got = describe_raw(conn, name, listed)
    if got.error is not None:
        suffix = ": nothing to record" if got.raw is not None else ""
        return _Fetched(conn, name, error=got.error + suffix)
    ids = tuple(r.request_id for r in conn.capture.responses if r.request_id)
    return _Fetched(conn, name, got.wire, ids)


def envelope(body, *, region: str, model: str, endpoint: str | None, recorded_at: str | None = None) -> dict:
    import botocore

    from l4e_contract.endpoints.redact import safe_endpoint

    return {
        RECORDING_KEY: {
            "operation": OPERATION,
            "region": region,
            "model": model,
            "botocore_version": botocore.__version__,
            "recorded_at": recorded_at or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "endpoint": safe_endpoint(endpoint),
        },
        "body": body,
    }


def write_atomically(path: Path, doc) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def record(connections, out_dir, *, models: list[str] | None = None, redact: bool = True,
           concurrency: int = 4, on_recorded=None, on_progress=None) -> list[Recorded]:
    """Record every model (or the named ones) of every connection; one Recorded per model.

    `on_progress(done, total)` is called as each model's body arrives."""
    from l4e_contract.endpoints.live import list_models, source_name
    from l4e_contract.endpoints.redact import Redactor, scrub

    out_dir = Path(out_dir)
    outcomes: list[Recorded] = []
    work: list[tuple[object, str, bool]] = []
    for conn in connections:
        if models:
            work.extend((conn, name, False) for name in models)
            continue
        listing = list_models(conn)
        if listing.error:
            outcomes.append(Recorded(f"{conn.region}/ListModels", error=listing.error))
            if on_recorded:
                on_recorded(outcomes[-1])
        work.extend((conn, name, True) for name in listing.names)

    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="l4e-record") as pool:
        fetched = []
        for f in pool.map(lambda w: _fetch(*w), work):  # in listing order, as they are redacted
            fetched.append(f)
            if on_progress:
                on_progress(len(fetched), len(work))

    redactor = Redactor() if redact else None
    for f in fetched:
        source = source_name(f.conn.region, f.name)
        if f.error:
            outcome = Recorded(source, error=f.error)
        else:
            body = redactor.redact(f.body, f.request_ids) if redactor else scrub(f.body)
            endpoint = f.conn.endpoint_url or f.conn.client.meta.endpoint_url
            # a name holding an account id is redacted as it is in the body's ARNs
            name = redactor.redact_text(f.name) if redactor else f.name
            path = out_dir / f.conn.region / f"{_file_name(name)}.json"
            try:
                write_atomically(path, envelope(body, region=f.conn.region, model=name, endpoint=endpoint))
                outcome = Recorded(source, path=path)
            except OSError as exc:
                outcome = Recorded(source, error=f"cannot write {path}: {exc.strerror or exc}")
        outcomes.append(outcome)
        if on_recorded:
            on_recorded(outcome)
    return outcomes


def _file_name(model: str) -> str:
    """Model names are [0-9a-zA-Z_-]; anything else (a mock may send it) must not escape the folder."""
    safe = "".join(c if c.isalnum() or c in "_-" else "_" for c in model)
    return safe or "_"
