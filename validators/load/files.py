"""Reading a response from bytes without ever crashing: every failure is one line.

Only regular files are read: a FIFO, socket or device is refused after a stat, without being
opened (opening a FIFO for reading blocks until a writer comes, which may be never).

How big a file may be, reasoned from what a DescribeModel response can hold:
- characters: Schema is at most 1,000,000 (botocore's model). ModelMetrics and PriorModelMetrics
  are 50,000 each in the model, but real ones run to hundreds of KB (a documented deviation), so
  1,000,000 each is allowed here (METRICS_CHARACTERS). Every other string member together holds
  at most 30,182 (the sum of their maxLength); no member is a list. So a response holds at most
  about 3,030,000 characters of string content (MAX_CHARACTERS).
- bytes: a character takes at most 6 bytes of JSON text (`\\u001f`, or anything written as
  `\\uXXXX`): 6 x 3,030,182 = 18.2 MB, plus member names, indentation and a recording envelope
  (a few KB). MAX_BYTES is 20 MiB. (A character outside the BMP escaped as a surrogate pair takes
  12 bytes; written as UTF-8 it takes 4, which is what a file that holds millions of them needs.)
  tests/test_cli_trust.py recomputes the bound from the committed schema.

Memory is bound by what the parse builds, not by the bytes alone: `[{},{},...]` turns 3 bytes
into a 64-byte dict (25 times the file; 60 MB took 1.5 GB). Every value after the first in an
array or object follows a comma, and every array or object opens with a bracket, so commas plus
opening brackets bound how many values json.loads can build. In a real response all but a few
dozen of them are characters inside the strings above, so none has more than MAX_CHARACTERS
(MAX_VALUES): a file with more is refused before it is parsed. With both limits no input takes
more than a few hundred MB to read and check (figures in docs/live.md, "Limits").
A million distinct members cost more than a million array items (the dict, and one warning per
unknown member), and a response has a few dozen objects and members outside its strings, so a
file is also refused once its parse has built MAX_MEMBERS of them.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Iterator

from l4e_contract.findings import Violation

METRICS_CHARACTERS = 1_000_000
MAX_CHARACTERS = 1_000_000 + 2 * METRICS_CHARACTERS + 30_182  # Schema + both metrics + the rest
MAX_BYTES = 20 * 1024 * 1024
MAX_VALUES = MAX_CHARACTERS + 10_000  # commas and opening brackets; the margin is the outer structure
MAX_MEMBERS = 10_000  # objects and members outside strings: a response and its envelope have under 100

RECORDING_KEY = "l4e_recording"  # marks the envelope written by `l4e-contract record`


class LoadError(Exception):
    """The input could not be read as one JSON document; str() is the one-line reason."""


def _reject_constant(name: str):
    raise LoadError(f"{name} is not JSON (the wire format has no NaN or Infinity)")


DUPLICATE_KEY_RULE = "form.duplicate-key"
# Findings only the text of a document shows (a parsed dict cannot): listed in the catalogue apart
LOAD_RULES = {
    DUPLICATE_KEY_RULE: "No object of the document names a member twice: JSON parsers disagree on which value "
                        "wins (botocore's keeps the last), so a client may read another value than the test did.",
}


def _no_duplicates(pairs, found: list | None = None):
    """The object of `pairs`; a key named twice raises, or is appended to `found` (the last value kept,
    as botocore's json.loads keeps it)."""
    obj = dict(pairs)  # in C; only a duplicate makes it shorter, and only then are the keys walked
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                if found is None:
                    raise LoadError(f"duplicate key {_short(key)!s} in one object")
                found.append(key)
            seen.add(key)
    return obj


def duplicate_key_findings(doc, keys: list[str]) -> list[Violation]:
    """One finding per key named twice, at the first object (breadth first) that holds it."""
    findings = []
    for key in dict.fromkeys(keys):
        where, queue = "", [("", doc)]
        while queue:
            path, node = queue.pop(0)
            if isinstance(node, dict):
                if key in node:
                    where = f"{path}/{key.replace('~', '~0').replace('/', '~1')}"
                    break
                queue.extend((f"{path}/{k.replace('~', '~0').replace('/', '~1')}", v) for k, v in node.items())
            elif isinstance(node, list):
                queue.extend((f"{path}/{i}", v) for i, v in enumerate(node))
        findings.append(Violation(where, DUPLICATE_KEY_RULE,
                                  f"member {_short(key)} appears twice in one object; botocore's parser keeps the last"))
    return findings


def _members_at_most(limit: int, what: str, found: list | None):
    """_no_duplicates that also counts objects and members, and stops the parse past `limit`."""
    left = [limit]

    def hook(pairs):
        left[0] -= 1 + len(pairs)
        if left[0] < 0:
            raise LoadError(f"{what} holds over {limit:,} JSON objects and members outside its strings; "
                            "a DescribeModel response has a few dozen")
        return _no_duplicates(pairs, found)

    return hook


def _short(text: str, limit: int = 60) -> str:
    text = repr(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_text(data: bytes | str, what: str, kind: str) -> str:
    """The text of a document of `kind` (JSON, YAML): LoadError for empty, binary or non-UTF-8 input."""
    if isinstance(data, bytes):
        if not data.strip():
            raise LoadError(f"empty {what}")
        if b"\x00" in data[:8192]:
            raise LoadError(f"{what} is binary, not {kind} (NUL byte)")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoadError(f"{what} is not UTF-8 (invalid byte at offset {exc.start})") from None
    if not data.strip():
        raise LoadError(f"empty {what}")
    return data


def parse_json(data: bytes | str, what: str = "document", max_members: int | None = None,
               duplicates: list | None = None):
    """Strict JSON: UTF-8, no NaN, no duplicate keys, bounded depth and number of values.

    `max_members`: at most this many objects plus members in all (MAX_MEMBERS for one
    DescribeModel response; a ListModels page holds more). `duplicates`: a key named twice in one
    object is appended to it (a finding of the document, duplicate_key_findings) instead of refused."""
    crowded = _values_over_limit(data)
    if crowded:
        raise LoadError(f"{what} holds {crowded:,} commas and brackets, more values than a DescribeModel "
                        f"response can hold (at most {MAX_VALUES:,})")
    text = as_text(data, what, "JSON")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        hook = ((lambda pairs: _no_duplicates(pairs, duplicates)) if max_members is None
                else _members_at_most(max_members, what, duplicates))
        return json.loads(text, object_pairs_hook=hook, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" and (exc.pos >= len(text.rstrip()) or "Unterminated" in exc.msg):
            raise LoadError(f"truncated or malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        raise LoadError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise LoadError(f"malformed JSON: {str(exc).split(';')[0][:120]}") from None
    except RecursionError:
        # json's C scanner stops cleanly at the interpreter's recursion limit
        raise LoadError(f"{what} nests too deeply to parse (thousands of levels)") from None


def _values_over_limit(data: bytes | str) -> int:
    """Commas plus opening brackets when they exceed MAX_VALUES, else 0 (see the module's doc).

    Shorter input cannot exceed it, so a response of usual size pays nothing; a long one pays
    three scans at memchr speed (about 10 ms for 20 MB), against seconds and GBs of parsing."""
    if len(data) <= MAX_VALUES:
        return 0
    marks = (b",", b"[", b"{") if isinstance(data, bytes) else (",", "[", "{")
    count = sum(data.count(m) for m in marks)
    return count if count > MAX_VALUES else 0


_NOT_REGULAR = ((stat.S_ISDIR, "is a directory"), (stat.S_ISFIFO, "a FIFO"),
                (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"))


def not_regular_reason(mode: int) -> str | None:
    """Why a file of this st_mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, what in _NOT_REGULAR:
        if test(mode):
            return what if what.startswith("is ") else f"not a regular file ({what}); only regular files are read"
    return "not a regular file"


def load_file(path: str | os.PathLike, max_bytes: int | None = None, parse=None, duplicates: list | None = None):
    """Read and parse one regular file; LoadError names what is wrong with it.

    The file is stat'ed before it is opened, and opened non-blocking and stat'ed again, so a
    FIFO (even one put in the file's place in between) never holds the run. `parse(data, what)`
    reads the bytes (default: parse_json, bounded in members); the YAML of a cassette comes this way.
    `duplicates`: as parse_json's."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = _regular_size(os.stat(path))
        if size > max_bytes:
            raise LoadError(f"file is {size:,} bytes, over the {max_bytes:,} byte limit")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
        try:
            size = _regular_size(os.fstat(fd))
            data = _read_at_most(fd, size, max_bytes + 1)
        finally:
            os.close(fd)
        if len(data) > max_bytes:  # a file that grew after its size was read
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
    if parse is not None:
        return parse(data, "file")
    return parse_json(data, "file", MAX_MEMBERS, duplicates)


def read_stream(fh, max_bytes: int | None = None) -> bytes:
    """All of a binary stream (standard input), bounded as files are; LoadError when over the limit."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    chunks, total = [], 0
    try:
        while total <= max_bytes:
            chunk = fh.read(min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    if total > max_bytes:
        raise LoadError(f"input is over the {max_bytes:,} byte limit")
    return b"".join(chunks)


def _regular_size(st: os.stat_result) -> int:
    reason = not_regular_reason(st.st_mode)
    if reason:
        raise LoadError(reason)
    return st.st_size


def _read_at_most(fd: int, size: int, limit: int) -> bytes:
    """Up to `limit` bytes, in reads sized to the file: read(limit) would allocate the whole limit
    for every small file, which costs more than parsing it."""
    chunks, total = [], 0
    want = size + 1 if size else 1 << 16  # size 0: a file of /proc, whose size stat cannot tell
    while total < limit:
        asked = min(want, limit - total)
        chunk = os.read(fd, asked)
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < asked:  # a regular file reads short only at its end
            break
        want = 1 << 20
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def unwrap_recording(doc):
    """A recording envelope holds metadata and the body; a bare response is its own body."""
    if isinstance(doc, dict) and RECORDING_KEY in doc:
        return doc.get("body"), doc[RECORDING_KEY]
    return doc, None


def iter_json_files(paths: list[str], suffixes: tuple[str, ...] = (".json",), *,
                    empty_folders: bool = False) -> Iterator[tuple[str, str | None]]:
    """Yield (path, problem) for every file named or found under a folder (recursive *.json, or
    whatever `suffixes` names: cassettes are *.yaml and *.yml).

    Folders are walked lazily and in sorted order, so a run over 100,000 files
    holds one directory listing at a time and its output is reproducible.
    A file is yielded once however the paths overlap (`valid valid/wire`, `a.json ./a.json`):
    paths are compared by their real paths, the named ones only, so memory does not grow with
    the files found. `empty_folders`: a named folder with no *.json below it is a problem of its
    own, not a silent gap.
    """
    walked: list[str] = []  # real paths of the folders walked so far
    named: set[str] = set()  # real paths of the files named so far
    for raw in paths:
        if not os.fspath(raw):
            yield raw, "an empty path (an unset variable?); name a file or folder"
            continue
        p = Path(raw)
        if p.is_dir():
            real = os.path.realpath(p)
            if _inside(real, walked):
                continue  # every file below it was yielded with the folder that holds it
            found = False
            for item in _walk(p, real, walked, named, raw, suffixes):
                found = True
                yield item
            walked.append(real)
            if empty_folders and not found:
                wanted = " or ".join(f"*{s}" for s in suffixes)
                yield raw, (f"a folder (its name ends in {p.suffix}) with no {wanted} file below it"
                            if p.name.endswith(suffixes) else f"no {wanted} file in this folder")
        elif p.exists():
            real = os.path.realpath(p)
            if real in named or _inside(real, walked):
                continue
            named.add(real)
            yield raw, None
        else:
            yield raw, "no such file or folder"


def _inside(real: str, folders: list[str]) -> bool:
    return any(real == f or real.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def _walk(top: Path, real_top: str, walked: list[str], named: set[str], raw,
          suffixes: tuple[str, ...]) -> Iterator[tuple[str, str | None]]:
    """One folder's files with these suffixes, sorted, leaving out folders walked before and files named before.

    os.walk does not follow symbolic links to folders, so a folder's real path is the real path
    of `top` and the path below it."""
    unreadable: list[OSError] = []  # a folder that cannot be listed is a result, not a silent gap
    top_text = os.fspath(top)
    for root, dirs, files in os.walk(top, onerror=unreadable.append):
        real_root = real_top + root[len(top_text):]
        dirs[:] = sorted(d for d in dirs if not (walked and _inside(os.path.join(real_root, d), walked)))
        yield from _folder_errors(unreadable, raw)
        for name in sorted(files):
            if name.endswith(suffixes) and not (named and os.path.join(real_root, name) in named):
                yield os.path.join(root, name), None
    yield from _folder_errors(unreadable, raw)


def _folder_errors(errors: list, fallback: str):
    while errors:
        err = errors.pop(0)
        yield err.filename or fallback, f"cannot read folder: {err.strerror or err}"
