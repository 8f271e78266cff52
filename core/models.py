"""The data the core hands out: reports as read, and the figures and projects found in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from core.forms.model import Form

FigureValue = Decimal | int | str


@dataclass(frozen=True)
class Page:
    """One page of a paginated source (PDF), located in the display text."""

    number: int
    """1-based page number."""
    start: int
    """Offset of the page's first character in the display text."""
    end: int
    """Offset just past the page's last character."""
    problem: str | None = None
    """Why the page's text cannot be trusted ("no text", "unmapped glyphs"), or None."""


@dataclass(frozen=True)
class Report:
    """A source file read into display text. Every offset in the core refers to `text`."""

    path: Path
    """The file as given (not resolved), so messages name it the way the user wrote it."""
    sha256: str
    """Hex digest of the file's bytes ("" when the file could not be read at all)."""
    text: str
    """The cleaned display text: residue and control characters removed, newlines normalised."""
    kind: str
    """"txt", "md", "docx" or "pdf"."""
    encoding: str | None = None
    """Encoding the bytes were decoded with (text files only)."""
    encoding_note: str | None = None
    """How the encoding was decided ("BOM", "strict UTF-8", "uncertain: …")."""
    pages: tuple[Page, ...] = ()
    """Page layout of paginated sources; empty for text and Word files."""
    warnings: tuple[str, ...] = ()
    """Problems that did not stop reading (pages without text, uncertain encoding)."""
    error: str | None = None
    """Why the file could not be read, naming the file; None when it was read."""
    error_code: str | None = None
    """Stable key of the problem ("empty", "binary", "old_format", …) for translated messages."""


@dataclass(frozen=True)
class Figure:
    """One figure of the field vocabulary, with the exact text that states it."""

    field: str
    """Field key from the vocabulary (FIELDS.md), e.g. "spending_basic"."""
    value: FigureValue
    """Money in 万元 and rates in % as Decimal; counts as int; unit names and grades as str."""
    unit: str
    """Canonical unit of `value`: 万元, %, 人, 个, 分, 年, 等级 or 文本."""
    as_written_unit: str
    """The unit the report wrote ("元" for a 元/万元 slip); "" when none was written."""
    quote: str
    """The source text that states the figure; equals text[start:end]."""
    start: int
    """Code-point offset of the quote in the display text."""
    end: int
    """Code-point offset just past the quote."""
    line: int
    """1-based line number of `start`."""
    value_start: int
    """Offset of the number (or word) itself inside the display text."""
    value_end: int
    """Offset just past the number (or word)."""
    note: str = ""
    """Why the tool reads the figure this way, when it is not the literal reading."""
    candidates: tuple[Figure, ...] = ()
    """Other statements of this field seen in the report, in text order."""


@dataclass(frozen=True)
class Project:
    """A project (项目) listed in a table or an inline list."""

    name: str
    """Project name as written (whitespace trimmed)."""
    amount: Decimal | None
    """Amount in 万元, or None when the list gives none."""
    score: Decimal | None
    """Self-evaluation score, when given."""
    grade: str | None
    """Grade (优/良/中/差), when given."""
    start: int
    """Offset of the entry (row or list item) in the display text."""
    end: int
    """Offset just past the entry."""
    line: int
    """1-based line number of `start`."""
    source: str = "inline"
    """"table" (a Word or flattened table), "inline" (a list in prose) or "title" (the one
    project a report's title names)."""
    as_written_unit: str = ""
    """The amount's unit as written ("万元", "元", "万"), or "" when a table header gave it."""
    numbered: bool = False
    """An item of a numbered list, one project to a line."""


@dataclass(frozen=True)
class Extraction:
    """What the extractor reads out of one report."""

    report: Report
    unit: str | None = None
    """The evaluated unit (单位名称), as the report names it."""
    year: int | None = None
    """The evaluated year (评价年度)."""
    figures: tuple[Figure, ...] = ()
    """One figure per field found, in vocabulary order."""
    projects: tuple[Project, ...] = ()
    """The report's project list, in text order."""
    project_lists: tuple[tuple[Project, ...], ...] = field(default=())
    """Every project list found (the first one chosen as `projects` is among them)."""
    warnings: tuple[str, ...] = ()
    """Problems met while extracting (a user pattern that ran out of time), naming the file."""
    forms: tuple[Form, ...] = ()
    """The national forms found in the report (项目支出绩效自评表, 部门整体支出绩效自评表), as read
    cell by cell: what the form checks work from."""

    def figure(self, field_key: str) -> Figure | None:
        """The figure for a field key, or None."""
        for fig in self.figures:
            if fig.field == field_key:
                return fig
        return None


@dataclass(frozen=True)
class Finding:
    """A discrepancy (or a note) raised by one check over one report, with its arithmetic."""

    check: str
    """Check id from the check table, e.g. "sum_mismatch"."""
    severity: str
    """"error", "warning" or "info"."""
    message: str
    """What is wrong, in the language asked for, with the numbers filled in."""
    key: str
    """Stable identity of the finding within its report (check id and subject), the same on
    every run over the same text, so a reviewer's decision can be attached to it."""
    fields: tuple[str, ...] = ()
    """Field keys involved, the one judged wrong first."""
    reported: Decimal | None = None
    """The value the report states."""
    computed: Decimal | None = None
    """The value the other figures give."""
    difference: Decimal | None = None
    """reported - computed."""
    tolerance: Decimal | None = None
    """The largest difference accepted as rounding."""
    spans: tuple[tuple[int, int], ...] = ()
    """(start, end) offsets in the display text of the statements involved."""
    hint: str | None = None
    """A likely cause or fix (a slipped digit, a 元/万元 slip), when one explains it."""
