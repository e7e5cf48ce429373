"""What a check finds: violations with a rule id, a JSON pointer, a message and a severity."""
from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Violation:
    pointer: str
    rule: str
    message: str
    severity: str = ERROR

    def to_dict(self) -> dict:
        return {"rule": self.rule, "pointer": self.pointer, "message": self.message}

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: [{self.rule}] {self.message}"


@dataclass
class Report:
    """Every finding for one response; errors and warnings kept apart."""

    form: str = "unknown"  # "wire", "parsed", "boto3" or "unknown"
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.violations

    def add(self, violation: Violation) -> None:
        (self.violations if violation.severity == ERROR else self.warnings).append(violation)

    @property
    def rules(self) -> set[str]:
        """Ids of the rules broken at error level."""
        return {v.rule for v in self.violations}

    @property
    def warning_rules(self) -> set[str]:
        return {v.rule for v in self.warnings}

    def sort(self) -> "Report":
        self.violations.sort()
        self.warnings.sort()
        return self

    def to_dict(self) -> dict:
        return {
            "form": self.form,
            "violations": [v.to_dict() for v in self.violations],
            "warnings": [v.to_dict() for v in self.warnings],
        }

    def explain(self) -> str:
        lines = [f"  {v}" for v in self.violations]
        lines += [f"  (warning) {v}" for v in self.warnings]
        return "\n".join(lines)
