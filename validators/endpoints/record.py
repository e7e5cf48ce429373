"""Recording DescribeModel responses: the body as the service sent it, in an envelope, redacted.

    {"l4e_recording": {"operation", "region", "model", "botocore_version", "recorded_at", "endpoint"},
     "body": <the wire-form JSON the service sent>}

Files go to <out>/<region>/<model>.json, each written atomically, and never
over an existing file unless `overwrite` is asked: without it, an existing file
is an error for that model and the run goes on. File names are injective: a
name that is not plain [0-9A-Za-z_-] (a mock may send anything), or that only
differs in case from one already written in the run, gets `~` and a short hash
of the name, so distinct models never share a file.

Bodies are fetched concurrently (each call under the client's deadline), then
every body is learned before any is redacted, in listing order: the same
account gets the same placeholder on every run over the same models, and a
bucket named in one model's members is hidden in another's free text too.
Ctrl-C or SIGTERM stops the fetching (`interrupted`): what was fetched is
still written, and every other model is an error "not recorded: interrupted".
"""
from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from l4e_contract.load.files import RECORDING_KEY

OPERATION = "DescribeModel"
NOT_RECORDED = "not recorded: interrupted"
_PLAIN_NAME = re.compile(r"[0-9A-Za-z_-]{1,200}")  # the service's ModelName pattern, safe as a file name


@dataclass
class Recorded:
    source: str  # region/model/<name>, as live names it
    path: Path | None = None
    error: str | None = None


@dataclass
class RecordRun:
    outcomes: list[Recorded] = field(default_factory=list)
    interrupted: bool = False
    exit_code: int | None = None  # when interrupted: 130 (SIGINT) or 143 (SIGTERM)


class FileExists(Exception):
    pass


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


def write_atomically(path: Path, doc, overwrite: bool = True) -> None:
    """Write `doc` to `path` whole or not at all; without `overwrite`, FileExists if `path` exists
    (checked by the link that puts the file in place, so two writers cannot both succeed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _link_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise FileExists(f"{path} already exists (--overwrite replaces it)") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # a file system without hard links: O_EXCL still refuses an existing file, only not atomically
        try:
            with open(path, "x", encoding="utf-8") as out, open(tmp, encoding="utf-8") as src:
                out.write(src.read())
        except FileExistsError:
            raise FileExists(f"{path} already exists (--overwrite replaces it)") from None


def record(connections, out_dir, *, models: list[str] | None = None, redact: bool = True,
           concurrency: int = 4, overwrite: bool = False, on_recorded=None, on_progress=None) -> RecordRun:
    """Record every model (or the named ones) of every connection; one Recorded per model.

    `on_progress(done, total)` is called as each model's body arrives."""
    from l4e_contract.endpoints.live import cancel, list_models
    from l4e_contract.endpoints.signals import exit_code_of

    run = RecordRun()

    def report(outcome: Recorded) -> None:
        run.outcomes.append(outcome)
        if on_recorded:
            on_recorded(outcome)

    work: list[tuple[object, str, bool]] = []
    fetched: list[_Fetched | None] = []
    try:
        for conn in connections:
            if models:
                work.extend((conn, name, False) for name in models)
                continue
            listing = list_models(conn)
            if listing.error:
                report(Recorded(f"{conn.region}/ListModels", error=_clean(listing.error, connections)))
            work.extend((conn, name, True) for name in listing.names)
        _fetch_all(work, concurrency, fetched, on_progress)
    except KeyboardInterrupt as exc:
        run.interrupted, run.exit_code = True, exit_code_of(exc)
        cancel(connections)
    fetched += [None] * (len(work) - len(fetched))
    _write_all(work, fetched, Path(out_dir), redact, overwrite, connections, report)
    return run


def _fetch_all(work, concurrency: int, fetched: list, on_progress=None) -> None:
    """Fill `fetched` in work order, as far as it gets before an interruption."""
    from l4e_contract.endpoints.live import Workers

    pool = Workers(concurrency, "l4e-record")
    try:
        for future in [pool.submit(_fetch, *w) for w in work]:
            fetched.append(future.result())
            if on_progress:
                on_progress(len(fetched), len(work))
    finally:
        pool.shutdown(cancel=True)


def _write_all(work, fetched, out_dir: Path, redact: bool, overwrite: bool, connections, report) -> None:
    from l4e_contract.endpoints.live import source_name
    from l4e_contract.endpoints.redact import Redactor, scrub, scrub_secrets

    secrets = _secrets(connections)
    redactor = Redactor(secrets) if redact else None
    if redactor:
        for f in fetched:  # every value learned before any is replaced: hidden in every file alike
            if f is not None and not f.error:
                redactor.learn(f.body, f.request_ids)
    names = FileNames()
    for (conn, name, _listed), f in zip(work, fetched):
        source = scrub_secrets(source_name(conn.region, name), secrets)
        if f is None:
            report(Recorded(source, error=NOT_RECORDED))
            continue
        if f.error:
            report(Recorded(source, error=scrub_secrets(f.error, secrets)))
            continue
        body = redactor.redact(f.body) if redactor else scrub(f.body, secrets)
        endpoint = conn.endpoint_url or conn.client.meta.endpoint_url
        # a name holding an account id is redacted as it is in the body's ARNs
        shown = redactor.redact_text(name) if redactor else scrub_secrets(name, secrets)
        path = out_dir / conn.region / f"{names.file_name(conn.region, shown)}.json"
        try:
            write_atomically(path, envelope(body, region=conn.region, model=shown, endpoint=endpoint), overwrite)
            report(Recorded(source, path=path))
        except FileExists as exc:
            report(Recorded(source, error=str(exc)))
        except OSError as exc:
            report(Recorded(source, error=f"cannot write {path}: {exc.strerror or exc}"))


def _secrets(connections) -> tuple[str, ...]:
    values: list[str] = []
    for conn in connections:
        own = getattr(conn, "secrets", None)
        values += own() if own is not None else ()
    return tuple(dict.fromkeys(values))


def _clean(text: str, connections) -> str:
    from l4e_contract.endpoints.redact import scrub_secrets

    return scrub_secrets(text, _secrets(connections))


class FileNames:
    """File names for one run: injective, and distinct even on a file system that ignores case."""

    def __init__(self):
        self.taken: set[tuple[str, str]] = set()

    def file_name(self, folder: str, model: str) -> str:
        name = file_name(model)
        if (folder, name.casefold()) in self.taken:
            name = _hashed(model)  # Pump-7 after pump-7: both kept, on any file system
        self.taken.add((folder, name.casefold()))
        return name


def file_name(model: str) -> str:
    """A plain model name ([0-9A-Za-z_-], what the service allows) as it is; anything else (a mock may
    send it) made safe and marked with `~` and a hash of the whole name, which no plain name has:
    two distinct names never share a file, and none escapes the folder."""
    return model if _PLAIN_NAME.fullmatch(model) else _hashed(model)


def _hashed(model: str) -> str:
    safe = "".join(c if (c.isascii() and c.isalnum()) or c in "_-" else "_" for c in model)[:100]
    digest = hashlib.sha256(model.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{safe}~{digest}"
