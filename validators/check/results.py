"""One result per checked source, and the document every command prints.

`validate`, `live` and the reports all speak this format, so a CI job reads
one shape whatever produced it:

    {"results": [{"source", "verdict", "violations", "warnings", "error"}],
     "summary": {"total", "valid", "invalid", "error", "warnings"}}
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from l4e_contract.findings import Report, Violation

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
