"""Results on a stream as they arrive: text for a person, one JSON document for a program."""
from __future__ import annotations

import json
import re
import sys
from typing import IO

from l4e_contract.check.results import ERROR, INVALID, VALID, Result


# C0 controls (ESC starts a terminal escape sequence; a newline would forge a line), DEL, C1
# controls (0x9b is an 8-bit CSI), line and paragraph separators, and the bidirectional
# overrides and isolates that reorder what a terminal shows; and lone surrogates, which is how
# Python holds a file name's bytes that are not UTF-8 (a strict stdout cannot encode them).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # the byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """Text as it may reach a terminal: control characters shown as escapes (ESC as \\x1b),
    never sent raw. Model names, file names and messages come from responses and files."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


# json.dumps escapes C0 itself; with ensure_ascii=False it writes these raw. They can only stand
# inside JSON strings, so their \\uXXXX escapes decode to the very same text.
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(value, **kw) -> str:
    """json.dumps(ensure_ascii=False), with the characters a terminal acts on escaped as well."""
    text = json.dumps(value, ensure_ascii=False, **kw)
    return _UNSAFE_IN_JSON.sub(_json_escape, text) if _UNSAFE_IN_JSON.search(text) else text


class TextReporter:
    """Streams one block per result as it arrives, then a summary line."""

    def __init__(self, out: IO[str] = sys.stdout, verbose: bool = False):
        self.out = out
        self.verbose = verbose

    def result(self, r: Result) -> None:
        if r.verdict == ERROR:
            self.out.write(f"{printable(r.source)}: error: {printable(r.error)}\n")
            return
        if r.verdict == VALID and not r.warnings and not self.verbose:
            return
        head = "ok" if r.verdict == VALID else f"{len(r.violations)} violation(s)"
        self.out.write(f"{printable(r.source)}: {head}\n")
        for v in r.violations:
            self.out.write(f"  {printable(v)}\n")
        for v in r.warnings:
            self.out.write(f"  warning: {printable(v)}\n")

    def finish(self, results: list[Result], summary: dict) -> None:
        self.out.write(
            f"{summary['total']} checked: {summary[VALID]} valid, {summary[INVALID]} invalid, "
            f"{summary[ERROR]} error, {summary['warnings']} warning(s)\n"
        )


class JsonReporter:
    """Prints one JSON document at the end: results for every source, whatever it held."""

    def __init__(self, out: IO[str] = sys.stdout):
        self.out = out

    def result(self, r: Result) -> None:
        pass

    def finish(self, results: list[Result], summary: dict) -> None:
        doc = {"results": [r.to_dict() for r in results], "summary": summary}
        self.out.write(json_text(doc, indent=2) + "\n")


class JsonStreamReporter:
    """JsonReporter's document, byte for byte, written one result at a time as results arrive.

    Memory stays flat however many files a run checks. `finish` ignores the list it is
    given: every result must have gone through `result`.
    """

    def __init__(self, out: IO[str] = sys.stdout):
        self.out = out
        self.count = 0

    def result(self, r: Result) -> None:
        # json.dump(indent=2) puts each result two levels deep: four more spaces on every line
        text = json_text(r.to_dict(), indent=2).replace("\n", "\n    ")
        self.out.write(('{\n  "results": [\n    ' if self.count == 0 else ",\n    ") + text)
        self.count += 1

    def finish(self, results, summary: dict) -> None:
        head = '{\n  "results": [],\n' if self.count == 0 else "\n  ],\n"
        tail = json_text(summary, indent=2).replace("\n", "\n  ")
        self.out.write(f'{head}  "summary": {tail}\n}}\n')


def reporter(fmt: str, out: IO[str] = sys.stdout, verbose: bool = False, stream: bool = False):
    """The reporter for a format. `stream`: the JSON document is written as results arrive
    (each result must be passed to `result`), instead of all at once by `finish`."""
    if fmt == "json":
        return JsonStreamReporter(out) if stream else JsonReporter(out)
    return TextReporter(out, verbose)
