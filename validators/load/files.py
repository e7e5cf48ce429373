"""Reading a response from bytes without ever crashing: every failure is one line.

What a response may hold is bounded by the model (Schema is at most 1,000,000
characters, each metrics document 50,000), so a sane file is a few MB at most.
The limits below reject what no DescribeModel response can be, before any of
it is copied around.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

MAX_BYTES = 64 * 1024 * 1024

RECORDING_KEY = "l4e_recording"  # marks the envelope written by `l4e-contract record`


class LoadError(Exception):
    """The input could not be read as one JSON document; str() is the one-line reason."""


def _reject_constant(name: str):
    raise LoadError(f"{name} is not JSON (the wire format has no NaN or Infinity)")


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise LoadError(f"duplicate key {_short(key)!s} in one object")
        obj[key] = value
    return obj


def _short(text: str, limit: int = 60) -> str:
    text = repr(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_json(data: bytes | str, what: str = "document"):
    """Strict JSON: UTF-8, no NaN, no duplicate keys, bounded depth."""
    if isinstance(data, bytes):
        if not data.strip():
            raise LoadError(f"empty {what}")
        if b"\x00" in data[:8192]:
            raise LoadError(f"{what} is binary, not JSON (NUL byte)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoadError(f"{what} is not UTF-8 (invalid byte at offset {exc.start})") from None
    else:
        text = data
        if not text.strip():
            raise LoadError(f"empty {what}")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" and (exc.pos >= len(text.rstrip()) or "Unterminated" in exc.msg):
            raise LoadError(f"truncated or malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        raise LoadError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise LoadError(f"malformed JSON: {str(exc).split(';')[0][:120]}") from None
    except RecursionError:
        # json's C scanner stops cleanly at the interpreter's recursion limit
        raise LoadError(f"{what} nests too deeply to parse (thousands of levels)") from None


def load_file(path: str | os.PathLike, max_bytes: int | None = None, parse=None):
    """Read and parse one file; LoadError names what is wrong with it.

    `parse(data, what)` reads the bytes (default: parse_json); the YAML of a cassette comes this way."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise LoadError(f"file is {size:,} bytes, over the {max_bytes:,} byte limit")
        with open(path, "rb", buffering=0) as fh:
            data = _read_at_most(fh, size, max_bytes + 1)
        if len(data) > max_bytes:  # a pipe, or a file that grew after its size was read
            raise LoadError(f"file is over the {max_bytes:,} byte limit")
    except LoadError:
        raise
    except IsADirectoryError:
        raise LoadError("is a directory") from None
    except FileNotFoundError:
        raise LoadError("no such file") from None
    except PermissionError:
        raise LoadError("permission denied") from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    return (parse or parse_json)(data, "file")


def read_stream(fh, max_bytes: int | None = None) -> bytes:
    """All of a binary stream (standard input), bounded as files are; LoadError when over the limit."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    try:
        data = _read_at_most(fh, 0, max_bytes + 1)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise LoadError(f"input is over the {max_bytes:,} byte limit")
    return data


def _read_at_most(fh, size: int, limit: int) -> bytes:
    """Up to `limit` bytes, in reads sized to the file: read(limit) would allocate the whole limit
    (64 MB) for every small file, which costs more than parsing it."""
    chunks, total = [], 0
    want = size + 1 if size else 1 << 16  # size 0: a pipe or /dev/stdin, whose size stat cannot tell
    while total < limit:
        chunk = fh.read(min(want, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = 1 << 20
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def unwrap_recording(doc):
    """A recording envelope holds metadata and the body; a bare response is its own body."""
    if isinstance(doc, dict) and RECORDING_KEY in doc:
        return doc.get("body"), doc[RECORDING_KEY]
    return doc, None


def iter_json_files(paths: list[str], suffixes: tuple[str, ...] = (".json",)) -> Iterator[tuple[str, str | None]]:
    """Yield (path, problem) for every file named or found under a folder (recursive *.json, or
    whatever `suffixes` names: cassettes are *.yaml and *.yml).

    Folders are walked lazily and in sorted order, so a run over 100,000 files
    holds one directory listing at a time and its output is reproducible.
    """
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            unreadable: list[OSError] = []  # a folder that cannot be listed is a result, not a silent gap
            for root, dirs, files in os.walk(p, onerror=unreadable.append):
                dirs.sort()
                yield from _folder_errors(unreadable, raw)
                for name in sorted(files):
                    if name.endswith(suffixes):
                        yield os.path.join(root, name), None
            yield from _folder_errors(unreadable, raw)
        elif p.exists():
            yield raw, None
        else:
            yield raw, "no such file or folder"


def _folder_errors(errors: list, fallback: str):
    while errors:
        err = errors.pop(0)
        yield err.filename or fallback, f"cannot read folder: {err.strerror or err}"
