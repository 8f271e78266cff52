"""What a reviewer decides about a report: statuses, annotations and their anchoring in the text."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

from core.cleaning import clean_text
from core.models import Finding
from core.numbers import four_places

REPORT_STATUSES: Mapping[str, tuple[str, str]] = {
    "unreviewed": ("未审", "unreviewed"),
    "in_progress": ("审阅中", "in progress"),
    "done": ("已审", "done"),
    "skipped": ("跳过", "skipped"),
}
"""Status of a report: key → (Chinese label, English label)."""

ANNOTATION_STATUSES: Mapping[str, tuple[str, str]] = {
    "confirmed": ("确认问题", "confirmed"),
    "false_positive": ("误报", "false positive"),
    "uncertain": ("存疑", "uncertain"),
    "missed": ("漏报", "missed issue"),
}
"""A reviewer's verdict on a target; "missed" is an issue the checks did not raise."""

SEVERITIES: Mapping[str, tuple[str, str]] = {
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
}
"""The checks' severities, which reviewers also use for their own annotations."""

TARGET_KINDS: Mapping[str, tuple[str, str]] = {
    "field": ("数字", "figure"),
    "finding": ("检查发现", "finding"),
    "projects": ("项目对照", "project pair"),
    "span": ("原文", "text span"),
}
"""What an annotation can be about."""


def label(vocabulary: Mapping[str, tuple[str, str]], key: str, lang: str = "zh") -> str:
    """The label of a status, severity or target kind in a language; the key when unknown."""
    labels = vocabulary.get(key)
    if labels is None:
        return key
    return labels[0] if lang == "zh" else labels[1]


_ID = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Target:
    """What an annotation is about: a figure, a finding, a pair of projects, or a span of text."""

    kind: str
    """"field", "finding", "projects" or "span" (the annotation's quote is the span)."""
    field: str = ""
    """Field key, for kind "field", e.g. "spending_total"."""
    check: str = ""
    """Check id, for kind "finding", e.g. "sum_mismatch"."""
    finding: str = ""
    """The finding's key within its report (`Finding.key`), for kind "finding"."""
    old_project: str = ""
    """Last year's project name, for kind "projects"."""
    new_project: str = ""
    """This year's project name, for kind "projects"."""

    def __post_init__(self) -> None:
        required = {
            "field": (self.field,),
            "finding": (self.check, self.finding),
            "projects": (self.old_project or self.new_project,),
            "span": (),
        }
        if self.kind not in required:
            raise ValueError(f"unknown target kind {self.kind!r}")
        if not all(required[self.kind]):
            raise ValueError(f"a {self.kind} target needs its subject")


@dataclass(frozen=True)
class Arithmetic:
    """A finding as the checks raised it, kept with its annotation so the log stands alone."""

    message: str
    """What the check said, with the numbers filled in."""
    severity: str
    """The check's severity ("error", "warning", "info")."""
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
    hint: str = ""
    """A likely cause or fix, when the check gave one."""


@dataclass(frozen=True)
class Annotation:
    """One decision of a reviewer about one target in one report."""

    id: str
    """Stable, unique across reviewers: "a-<UTC time>-<random hex>"."""
    target: Target
    """What the decision is about."""
    status: str
    """A key of ANNOTATION_STATUSES."""
    severity: str
    """A key of SEVERITIES."""
    author: str
    """The reviewer who made the decision."""
    created: datetime
    """When it was made (timezone-aware)."""
    updated: datetime
    """When it was last changed (timezone-aware)."""
    note: str = ""
    """The reviewer's words."""
    quote: str = ""
    """The text the annotation is anchored to; equals text[start:end] unless orphaned."""
    start: int | None = None
    """Code-point offset of the quote in the report's display text."""
    end: int | None = None
    """Offset just past the quote."""
    orphaned: bool = False
    """The source changed and the quote is no longer in it; kept, never dropped."""
    arithmetic: Arithmetic | None = None
    """The finding's arithmetic, for kind "finding"."""

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"annotation id {self.id!r} must be letters, digits, - and _")
        if self.status not in ANNOTATION_STATUSES:
            raise ValueError(f"unknown annotation status {self.status!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if self.created.tzinfo is None or self.updated.tzinfo is None:
            raise ValueError("annotation times must be timezone-aware")
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end go together")
        if self.start is not None and self.end is not None and not 0 <= self.start <= self.end:
            raise ValueError(f"bad offsets {self.start}..{self.end}")

    @classmethod
    def create(
        cls,
        target: Target,
        *,
        status: str,
        severity: str,
        author: str,
        at: datetime,
        note: str = "",
        quote: str = "",
        start: int | None = None,
        end: int | None = None,
        arithmetic: Arithmetic | None = None,
    ) -> Annotation:
        """A new annotation with a fresh id, its text cleaned of control characters."""
        return cls(
            id=new_annotation_id(at),
            target=target,
            status=status,
            severity=severity,
            author=author,
            created=at,
            updated=at,
            note=clean_text(note),
            quote=clean_text(quote),
            start=start,
            end=end,
            arithmetic=arithmetic,
        )

    @classmethod
    def from_finding(
        cls,
        finding: Finding,
        *,
        status: str,
        author: str,
        at: datetime,
        note: str = "",
        text: str | None = None,
    ) -> Annotation:
        """A decision about a finding, with a snapshot of its arithmetic; quoted and anchored at
        the finding's first span when the report's display text is given."""
        quote, start, end = "", None, None
        if text is not None and finding.spans:
            start, end = finding.spans[0]
            quote = text[start:end]
        arithmetic = Arithmetic(
            message=finding.message,
            severity=finding.severity,
            fields=finding.fields,
            reported=finding.reported,
            computed=_four(finding.computed),
            difference=_four(finding.difference),
            tolerance=_four(finding.tolerance),
            hint=finding.hint or "",
        )
        target = Target("finding", check=finding.check, finding=finding.key)
        return cls.create(
            target,
            status=status,
            severity=finding.severity if finding.severity in SEVERITIES else "warning",
            author=author,
            at=at,
            note=note,
            quote=quote,
            start=start,
            end=end,
            arithmetic=arithmetic,
        )

    def subject(self) -> tuple[str, ...]:
        """What the annotation is about, to compare decisions of two reviewers."""
        t = self.target
        parts = {
            "field": (t.field,),
            "finding": (t.check, t.finding),
            "projects": (t.old_project, t.new_project),
            "span": (self.quote,),
        }
        return (t.kind, *parts[t.kind])


@dataclass(frozen=True)
class Removal:
    """An annotation removed, recorded so that another session of the same reviewer that still
    holds it does not bring it back at its next save (a tombstone, kept TOMBSTONE_DAYS)."""

    id: str
    """The removed annotation's id."""
    at: datetime
    """When it was removed (timezone-aware)."""

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"annotation id {self.id!r} must be letters, digits, - and _")
        if self.at.tzinfo is None:
            raise ValueError("removal time must be timezone-aware")


@dataclass(frozen=True)
class ReportState:
    """Where the review of one report stands."""

    key: str
    """Stable id of the report within the log (the name of its file); survives renames."""
    path: str
    """Path relative to the batch folder, with "/" separators."""
    sha256: str
    """Digest of the source the annotations are anchored in."""
    unit: str | None = None
    """The evaluated unit, as extracted."""
    year: int | None = None
    """The evaluated year, as extracted."""
    status: str = "unreviewed"
    """A key of REPORT_STATUSES."""
    status_by: str = ""
    """Who set the status."""
    status_at: datetime | None = None
    """When the status was set (timezone-aware)."""
    annotations: tuple[Annotation, ...] = ()
    """The reviewer's annotations, oldest first."""
    removed: tuple[Removal, ...] = ()
    """Annotations removed lately, by id: what keeps two sessions from undoing a removal."""

    def __post_init__(self) -> None:
        if self.status not in REPORT_STATUSES:
            raise ValueError(f"unknown report status {self.status!r}")
        if self.status_at is not None and self.status_at.tzinfo is None:
            raise ValueError("status time must be timezone-aware")

    def removal(self, annotation_id: str) -> Removal | None:
        """The record of this annotation's removal, or None."""
        for r in self.removed:
            if r.id == annotation_id:
                return r
        return None

    def annotation(self, annotation_id: str) -> Annotation | None:
        """The annotation with this id, or None."""
        for a in self.annotations:
            if a.id == annotation_id:
                return a
        return None

    @property
    def worth_keeping(self) -> bool:
        """Holds a decision (a status or an annotation), so it belongs on disk."""
        return self.status != "unreviewed" or bool(self.annotations)


def _four(value: Decimal | None) -> Decimal | None:
    # What the memo and the log show of a computed value: the reader needs 4 places, not 28.
    return None if value is None else four_places(value)


def new_annotation_id(at: datetime) -> str:
    """A short id, sortable by time and unique across reviewers (40 random bits per second)."""
    return f"a-{at.astimezone(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(5)}"


def reanchor(annotations: Iterable[Annotation], text: str) -> tuple[Annotation, ...]:
    """Annotations placed again in a changed text: each quote goes to its occurrence nearest its old
    offset; one whose quote is no longer there is kept, marked orphaned, at its old offsets."""
    return tuple(_reanchor_one(a, text) for a in annotations)


def _reanchor_one(annotation: Annotation, text: str) -> Annotation:
    quote = annotation.quote
    if not quote:
        return annotation
    old = annotation.start or 0
    if annotation.start is not None and text[old : old + len(quote)] == quote:
        return replace(annotation, orphaned=False)
    best = None
    at = text.find(quote)
    while at != -1:
        if best is None or abs(at - old) < abs(best - old):
            best = at
        at = text.find(quote, at + 1)
    if best is None:
        return replace(annotation, orphaned=True)
    return replace(annotation, start=best, end=best + len(quote), orphaned=False)
