"""OperationOutcome issues, as plain values so the pure mapping can report them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome.issue. ``expression`` is a FHIRPath to the element concerned, e.g.
    ``Bundle.entry[3].resource.code``."""

    severity: str  # fatal | error | warning | information
    code: str  # an issue-type code: invalid, not-found, not-supported, required, ...
    diagnostics: str
    expression: tuple[str, ...] = ()

    def as_fhir(self) -> dict[str, Any]:
        issue: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            issue["expression"] = list(self.expression)
        return issue

    @property
    def is_error(self) -> bool:
        return self.severity in ("fatal", "error")


def error(code: str, diagnostics: str, *expression: str) -> Issue:
    return Issue("error", code, diagnostics, expression)


def warning(code: str, diagnostics: str, *expression: str) -> Issue:
    return Issue("warning", code, diagnostics, expression)


def information(code: str, diagnostics: str, *expression: str) -> Issue:
    return Issue("information", code, diagnostics, expression)
