"""One result per checked source, and the document every command prints.

`validate`, `live` and the reports all speak this format, so a CI job reads
one shape whatever produced it:

    {"results": [{"source", "verdict", "violations", "warnings", "error"}],
     "summary": {"total", "valid", "invalid", "error", "warnings"}}
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import IO, Iterable

from l4e_contract.report import Report, Violation

VALID, INVALID, ERROR = "valid", "invalid", "error"

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


@dataclass
class Result:
    source: str
    verdict: str
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    error: str | None = None
    form: str | None = None

    @classmethod
    def from_report(cls, source: str, report: Report) -> "Result":
        return cls(
            source=source,
            verdict=VALID if report.valid else INVALID,
            violations=list(report.violations),
            warnings=list(report.warnings),
            form=report.form,
        )

    @classmethod
    def failed(cls, source: str, error: str) -> "Result":
        """A source that could not be checked at all: unreadable, unreachable, not JSON."""
        return cls(source=source, verdict=ERROR, error=error)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "verdict": self.verdict,
            "violations": [v.to_dict() for v in self.violations],
            "warnings": [v.to_dict() for v in self.warnings],
            "error": self.error,
        }


def summarize(results: Iterable[Result]) -> dict:
    tally = Tally()
    for r in results:
        tally.add(r)
    return tally.summary


class Tally:
    """summarize(), one result at a time: a run over 100,000 files need not keep its results."""

    def __init__(self):
        self.summary = {"total": 0, VALID: 0, INVALID: 0, ERROR: 0, "warnings": 0}

    def add(self, r: Result) -> None:
        s = self.summary
        s["total"] += 1
        s[r.verdict] += 1
        s["warnings"] += len(r.warnings)


def exit_code(summary: dict) -> int:
    """2 when anything could not be checked, else 1 on any violation, else 0."""
    if summary[ERROR]:
        return EXIT_ERROR
    if summary[INVALID]:
        return EXIT_INVALID
    return EXIT_OK


def document(results: list[Result], **extra) -> dict:
    doc = {"results": [r.to_dict() for r in results], "summary": summarize(results)}
    doc.update(extra)
    return doc


class TextReporter:
    """Streams one block per result as it arrives, then a summary line."""

    def __init__(self, out: IO[str] = sys.stdout, verbose: bool = False):
        self.out = out
        self.verbose = verbose

    def result(self, r: Result) -> None:
        if r.verdict == ERROR:
            self.out.write(f"{r.source}: error: {r.error}\n")
            return
        if r.verdict == VALID and not r.warnings and not self.verbose:
            return
        head = "ok" if r.verdict == VALID else f"{len(r.violations)} violation(s)"
        self.out.write(f"{r.source}: {head}\n")
        for v in r.violations:
            self.out.write(f"  {v}\n")
        for v in r.warnings:
            self.out.write(f"  warning: {v}\n")

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
        json.dump(doc, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")


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
        text = json.dumps(r.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        self.out.write(('{\n  "results": [\n    ' if self.count == 0 else ",\n    ") + text)
        self.count += 1

    def finish(self, results, summary: dict) -> None:
        head = '{\n  "results": [],\n' if self.count == 0 else "\n  ],\n"
        tail = json.dumps(summary, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        self.out.write(f'{head}  "summary": {tail}\n}}\n')


def reporter(fmt: str, out: IO[str] = sys.stdout, verbose: bool = False, stream: bool = False):
    """The reporter for a format. `stream`: the JSON document is written as results arrive
    (each result must be passed to `result`), instead of all at once by `finish`."""
    if fmt == "json":
        return JsonStreamReporter(out) if stream else JsonReporter(out)
    return TextReporter(out, verbose)
