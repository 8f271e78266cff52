"""Combining the logs of several reviewers of one batch: nothing dropped, conflicts listed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from core.output import field_label
from core.review import ANNOTATION_STATUSES, REPORT_STATUSES, Annotation, ReportState, label
from core.review_log import LOG_FOLDER
from core.review_store import (
    INDEX_NAME,
    REPORTS_DIR,
    LogContents,
    ReviewLogError,
    dump_index,
    dump_report,
    write_atomic,
)

_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Conflict:
    """Reviewers who decided differently about the same thing."""

    path: str
    """The report, relative to the batch."""
    kind: str
    """"status" (of the report), "annotation" (same target, different verdicts) or "source"
    (the reviewers annotated different versions of the file)."""
    subject: tuple[str, ...]
    """What they disagree on: () for a report status, else the annotation's subject."""
    positions: tuple[tuple[str, str], ...]
    """(reviewer, what they decided) for each side, by reviewer."""


@dataclass(frozen=True)
class MergeResult:
    """Several logs combined."""

    reports: tuple[ReportState, ...]
    """Each report once, with every annotation of every log."""
    conflicts: tuple[Conflict, ...]
    """Where the logs disagree, by report."""


def merge_logs(
    logs: Sequence[LogContents], *, gone: Callable[[str], bool] | None = None
) -> MergeResult:
    """Combine logs: a report is its path in the batch (the same bytes at two paths are two
    reports); every annotation is kept (the latest edit of one that several logs share); a
    report's status is the latest one set. One path with different content in two logs is one
    report, with a "source" conflict.

    A report moved or renamed is followed: a path that `gone` says is no longer in the batch is
    paired with the one live path holding the same bytes (never with two: that is a copy).
    `gone` defaults to `gone_from_batch(logs)`; without a batch nothing is taken as moved."""
    if gone is None:
        gone = gone_from_batch(logs)
    by_path: dict[str, list[ReportState]] = {}
    for log in logs:
        for state in log.reports:
            by_path.setdefault(state.path, []).append(state)
    groups = _follow_moves(by_path, gone)
    reports, conflicts, keys = [], [], set()
    for path, group in groups.items():
        merged, found = _merge_group(path, group)
        # Two logs may have used one key for different files (one renamed, one new).
        key, n = merged.key, 2
        while key in keys:
            key, n = f"{merged.key}-{n}", n + 1
        keys.add(key)
        reports.append(replace(merged, key=key))
        conflicts.extend(found)
    reports.sort(key=lambda s: s.path)
    conflicts.sort(key=lambda c: (c.path, c.kind, c.subject))
    return MergeResult(tuple(reports), tuple(conflicts))


def _follow_moves(
    by_path: dict[str, list[ReportState]], gone: Callable[[str], bool]
) -> dict[str, list[ReportState]]:
    """The groups by path, each path gone from the batch folded into the one live path that
    holds the same bytes."""
    live: dict[str, set[str]] = {}
    for path, group in by_path.items():
        if not gone(path):
            for state in group:
                if state.sha256:
                    live.setdefault(state.sha256, set()).add(path)
    groups = {path: list(group) for path, group in by_path.items()}
    for path, group in by_path.items():
        if not gone(path):
            continue
        targets = set().union(*(live.get(s.sha256, set()) for s in group if s.sha256))
        if len(targets) == 1:
            (target,) = targets
            groups[target].extend(groups.pop(path))
    return groups


def gone_from_batch(logs: Sequence[LogContents]) -> Callable[[str], bool]:
    """Whether a report's path is missing from the batch the logs are kept in
    (`<batch>/.jixiao/<reviewer>`); always False when no log is kept in a batch."""
    batches = sorted({log.folder.parent.parent for log in logs if _in_batch(log.folder)})
    if not batches:
        return lambda path: False
    return lambda path: not any((batch / path).exists() for batch in batches)


def _in_batch(folder: Path) -> bool:
    return folder.parent.name == LOG_FOLDER and folder.parent.parent.is_dir()


def _merge_group(path: str, group: list[ReportState]) -> tuple[ReportState, list[Conflict]]:
    base = replace(max(group, key=_last_activity), path=path)
    conflicts = []
    if len({s.sha256 for s in group}) > 1:
        sides = sorted({(_who(s), s.sha256[:12]) for s in group})
        conflicts.append(Conflict(base.path, "source", (), tuple(sides)))
    decided = [s for s in group if s.status != "unreviewed"]
    if len({s.status for s in decided}) > 1:
        sides = sorted({(s.status_by, s.status) for s in decided})
        conflicts.append(Conflict(base.path, "status", (), tuple(sides)))
    status = max(decided, key=lambda s: s.status_at or _EPOCH, default=base)
    annotations: dict[str, Annotation] = {}
    for state in group:
        for a in state.annotations:
            kept = annotations.get(a.id)
            if kept is None or a.updated > kept.updated:
                annotations[a.id] = a
    by_subject: dict[tuple[str, ...], set[tuple[str, str]]] = {}
    for a in annotations.values():
        by_subject.setdefault(a.subject(), set()).add((a.author, a.status))
    for subject, verdicts in by_subject.items():
        if len({verdict for _, verdict in verdicts}) > 1:
            conflicts.append(Conflict(base.path, "annotation", subject, tuple(sorted(verdicts))))
    merged = replace(
        base,
        unit=base.unit or next((s.unit for s in group if s.unit), None),
        year=base.year or next((s.year for s in group if s.year), None),
        status=status.status,
        status_by=status.status_by,
        status_at=status.status_at,
        annotations=tuple(sorted(annotations.values(), key=lambda a: (a.created, a.id))),
    )
    return merged, conflicts


def _last_activity(state: ReportState) -> datetime:
    times = [a.updated for a in state.annotations]
    if state.status_at is not None:
        times.append(state.status_at)
    return max(times, default=_EPOCH)


def _who(state: ReportState) -> str:
    authors = sorted({a.author for a in state.annotations} | ({state.status_by} - {""}))
    return ", ".join(authors)


def write_log(folder: Path, reviewer: str, reports: Sequence[ReportState], *, at: datetime) -> None:
    """Write a complete log into a new folder (the result of a merge); refuses an existing log."""
    if (folder / INDEX_NAME).exists():
        raise ReviewLogError(folder, "a review log is already here; choose another", code="exists")
    try:
        (folder / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
        for state in reports:
            write_atomic(folder / REPORTS_DIR / f"{state.key}.toml", dump_report(state))
        # The index last: a folder without one is not a log, so a failed merge leaves none.
        write_atomic(folder / INDEX_NAME, dump_index(reviewer, at))
    except OSError as exc:
        raise ReviewLogError(folder, f"cannot write ({exc.strerror})", code="save_failed") from exc


def describe_conflict(conflict: Conflict, *, lang: str = "zh") -> str:
    """One line naming the report, what is disputed and each reviewer's decision."""
    vocabulary = ANNOTATION_STATUSES if conflict.kind == "annotation" else REPORT_STATUSES
    sides = "; ".join(
        f"{who or '?'}: {what if conflict.kind == 'source' else label(vocabulary, what, lang)}"
        for who, what in conflict.positions
    )
    kinds = {
        "status": ("审阅状态不同", "different report status"),
        "annotation": ("同一对象结论不同", "different verdicts on"),
        "source": ("审阅的文件版本不同", "reviewed different versions"),
    }
    zh, en = kinds[conflict.kind]
    what = f"{zh if lang == 'zh' else en} {_subject_text(conflict.subject, lang)}".strip()
    return f"{'分歧' if lang == 'zh' else 'conflict'} {conflict.path}: {what} — {sides}"


def _subject_text(subject: tuple[str, ...], lang: str) -> str:
    if not subject:
        return ""
    kind, *parts = subject
    if kind == "field":
        return field_label(parts[0], lang)
    if kind == "finding":
        return parts[1]  # the finding key names its check
    if kind == "projects":
        return " → ".join(p or "—" for p in parts)
    quote = parts[0].replace("\n", " ")
    return f"「{quote[:30]}{'…' if len(quote) > 30 else ''}」"
