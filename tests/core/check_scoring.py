"""Score findings against a reviewer's expected discrepancies (expected.toml schema)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import Finding

# The reviewer's kind names → the checks that may raise them.
KINDS: dict[str, set[str]] = {
    "unit_slip": {"unit_slip"},
    "sum_mismatch": {
        "sum_mismatch",
        "parts_exceed_total",
        "list_exceeds_total",
        "stated_parts_mismatch",
    },
    "total_mismatch": {"total_mismatch"},
    "change_rate_mismatch": {"change_rate_mismatch", "change_word_mismatch"},
    "rate_mismatch": {"rate_mismatch", "excellent_rate_mismatch"},
    "grade_score_mismatch": {"grade_score_mismatch"},
    "staff_over_quota": {"staff_over_quota"},
    "template_residue": {"template_residue"},
    "foreign_unit": {"foreign_unit", "other_unit_named", "copied_text"},
    "year_mismatch": {"year_mismatch"},
    "duplicate_project": {"duplicate_project"},
    "carryover_vs_execution": {"carryover_vs_execution"},
    "unit_name_variant": {"unit_name_variant"},
}


def matches(finding: Finding, expected: dict, text: str = "") -> bool:
    """Same kind, and the same figures (any field in common) or the same text (overlapping
    the expected quote)."""
    if finding.check not in KINDS.get(expected["kind"], set()):
        return False
    fields = set(expected.get("fields", []))
    if fields and fields & set(finding.fields):
        return True
    quote = expected.get("quote")
    if quote and text:
        at = text.find(quote)
        if at >= 0 and any(s < at + len(quote) and at < e for s, e in finding.spans):
            return True
    return not fields and not quote


@dataclass
class Score:
    expected: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    false_errors: list[str] = field(default_factory=list)
    false_warnings: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    reports: int = 0

    def recall(self, severity: str) -> float:
        return self.found.get(severity, 0) / max(1, self.expected.get(severity, 0))


def score(reports: list[dict], findings: list[list[Finding]], texts: list[str]) -> Score:
    result = Score(reports=len(reports))
    for report, found, text in zip(reports, findings, texts, strict=True):
        pool = list(found)
        for expected in report.get("discrepancies", []):
            severity = expected["severity"]
            result.expected[severity] = result.expected.get(severity, 0) + 1
            hit = next((f for f in pool if matches(f, expected, text)), None)
            if hit is None:
                result.missed.append(f"{report['file']}: {expected['kind']} {expected['why']}")
                continue
            result.found[severity] = result.found.get(severity, 0) + 1
            pool.remove(hit)
        for f in pool:
            explained = any(matches(f, d, text) for d in report.get("discrepancies", []))
            if explained:
                continue
            if f.severity == "error":
                result.false_errors.append(f"{report['file']}: {f.check} {f.message}")
            elif f.severity == "warning":
                result.false_warnings.append(f"{report['file']}: {f.check} {f.message}")
    return result
