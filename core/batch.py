"""A batch under review: each report read, extracted and checked, and the rows a reviewer sorts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from core.check_context import SEVERITIES, CheckConfig
from core.checks import check_batch, run_checks
from core.extract import extract
from core.models import Extraction, Figure, Finding
from core.reading import read_report
from core.rules import FieldRule

SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Entry:
    """One report of the batch: what was extracted and what the checks found."""

    extraction: Extraction
    findings: tuple[Finding, ...] = ()
    """Most severe first, then in text order."""

    @property
    def path(self) -> Path:
        return self.extraction.report.path

    @property
    def error(self) -> str | None:
        """Why the file could not be read, or None."""
        return self.extraction.report.error

    def count(self, severity: str) -> int:
        """How many findings of a severity."""
        return sum(1 for f in self.findings if f.severity == severity)


def load_entry(path: Path, *, rules: Sequence[FieldRule], checks: CheckConfig) -> Entry:
    """Read, extract and check one report on its own (the cross-report checks need the batch:
    `check_entries`). A file that cannot be read gives an entry holding its error."""
    extraction = extract(read_report(path), rules)
    return Entry(extraction, tuple(run_checks(extraction, config=checks)))


def check_entries(entries: Sequence[Entry], *, checks: CheckConfig) -> list[Entry]:
    """The entries with the findings of every check, the cross-report ones included."""
    findings = check_batch([e.extraction for e in entries], config=checks)
    return [replace(e, findings=tuple(fs)) for e, fs in zip(entries, findings, strict=True)]


def findings_on(findings: Iterable[Finding], field: str) -> list[Finding]:
    """The findings that involve a field."""
    return [f for f in findings if field in f.fields]


def worst_severity(findings: Iterable[Finding]) -> str | None:
    """The most severe of the findings' severities, or None when there are none."""
    return min((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__, default=None)


def figure_at(figures: Iterable[Figure], offset: int) -> Figure | None:
    """The figure whose quote holds a text offset, or None."""
    for fig in figures:
        if fig.start <= offset < fig.end:
            return fig
    return None


@dataclass(frozen=True)
class Row:
    """One line of the batch listing."""

    index: int
    """Position of the entry in the batch."""
    path: str
    """Path relative to the batch folder."""
    unit: str
    year: int | None
    errors: int
    warnings: int
    status: str
    """A key of core.review.REPORT_STATUSES."""
    problem: str | None = None
    """Why the file could not be read."""
    annotations: int = 0
    """How many decisions the reviewer has recorded on it."""
    reason: str | None = None
    """Why the file could not be read, without its name (shown beside it in the listing)."""

    @cached_property
    def search_text(self) -> str:
        """What the listing's text filter looks in: the unit and the path, case folded (worked
        out once: typing a filter over 40,000 rows must not fold them all again per key)."""
        return f"{self.unit}\x00{self.path}".casefold()


SORTS: dict[str, Callable[[Row], tuple[object, ...]]] = {
    "path": lambda r: (r.path,),
    "unit": lambda r: (r.unit, r.year or 0, r.path),
    "year": lambda r: (r.year or 0, r.unit, r.path),
    "errors": lambda r: (-r.errors, -r.warnings, r.path),
    "status": lambda r: (r.status, r.path),
}
"""Orders of the batch listing, by name."""

SEVERITY_FILTERS = ("all", "error", "warning", "unreadable")
"""What the listing can be narrowed to: rows with an error, with a warning or worse, or files
that could not be read."""


def select_rows(
    rows: Iterable[Row],
    *,
    sort: str | None = "path",
    status: str | None = None,
    severity: str = "all",
    text: str = "",
) -> list[Row]:
    """The rows that pass the filters, in the order asked for (None: as given). `text` matches
    the unit or the path, ignoring case."""
    needle = text.strip().casefold().replace("\x00", "")
    if status is None and severity == "all" and not needle:
        kept = list(rows)  # nothing to filter out
        return kept if sort is None else sorted(kept, key=SORTS[sort])
    kept = []
    for row in rows:
        if status is not None and row.status != status:
            continue
        if severity == "error" and not row.errors:
            continue
        if severity == "warning" and not (row.errors or row.warnings):
            continue
        if severity == "unreadable" and not row.problem:
            continue
        if needle and needle not in row.search_text:
            continue
        kept.append(row)
    return kept if sort is None else sorted(kept, key=SORTS[sort])
