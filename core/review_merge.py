"""Combining the logs of several reviewers of one batch: nothing dropped, conflicts listed."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import sys
import time
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
    TEMP_MAX_AGE,
    TEMP_SUFFIX,
    LogContents,
    ReviewLogError,
    dump_index,
    dump_report,
    fsync_folder,
)

if sys.platform != "win32":
    import fcntl

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
    groups = _follow_moves(logs, by_path, gone)
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
    logs: Sequence[LogContents],
    by_path: dict[str, list[ReportState]],
    gone: Callable[[str], bool],
) -> dict[str, list[ReportState]]:
    """The groups by path, each path gone from the batch folded into the one live path that
    holds the same bytes, unless a log holds both paths (it kept them as two reports: a copy,
    then the original deleted)."""
    missing = {path for path in by_path if gone(path)}
    live: dict[str, set[str]] = {}
    for path, group in by_path.items():
        if path not in missing:
            for state in group:
                if state.sha256:
                    live.setdefault(state.sha256, set()).add(path)
    together = [{s.path for s in log.reports} for log in logs]
    groups = {path: list(group) for path, group in by_path.items()}
    for path in sorted(missing):
        shas = {s.sha256 for s in by_path[path] if s.sha256}
        targets = set().union(*(live.get(sha, set()) for sha in shas))
        if len(targets) == 1:
            (target,) = targets
            if not any(path in paths and target in paths for paths in together):
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


MERGE_TEMP_INFIX = ".merge-"
"""A merge writes `<parent>/.<name>.merge-<random>.tmp/log/` and renames `log` to `<name>`."""
_LOCK_NAME = "lock"
_LOG_NAME = "log"


_REFUSALS: dict[str, tuple[str, str]] = {
    "exists": (
        "这里已有一份审阅记录，合并不会覆盖它；请用 -o 指定一个新的或空的文件夹。",
        "a review log is already here; choose another folder",
    ),
    "leftover": (
        "有 reports/ 但没有 review.toml，不是完整的审阅记录（可能是旧版 jixiao 中断的合并留下"
        "的），合并不读也不写它；请检查后删除该文件夹，或用 -o 指定一个新的或空的文件夹。",
        "holds reports/ but no review.toml: not a complete review log (what an interrupted "
        "merge of an older jixiao left); check it and delete the folder, or choose a new or "
        "empty one",
    ),
    "not_empty": (
        "文件夹不是空的{found}，也不是审阅记录；合并只写入新的或空的文件夹，请用 -o 指定另一个"
        "文件夹。",
        "not empty and not a review log{found}; a merge writes only into a new or empty folder: "
        "choose another",
    ),
    "not_a_folder": (
        "这是一个文件，不是文件夹；请用 -o 指定一个新的或空的文件夹。",
        "a file, not a folder; choose a new or empty folder",
    ),
}
"""Why a merge does not write into a folder, and what to do (Chinese, English)."""


class MergeTargetError(ReviewLogError):
    """An output folder a merge does not write into. `code`: "exists" (it holds a log),
    "leftover" (reports/ without review.toml: an interrupted merge of an older jixiao),
    "not_empty" (something else), "not_a_folder" (a file)."""

    def __init__(self, folder: Path, code: str, found: Sequence[str] = ()) -> None:
        self.found = tuple(found)
        super().__init__(folder, self._text(_REFUSALS[code][1], "en"), code=code)

    def message(self, lang: str = "zh") -> str:
        """The refusal in the user's language, naming the folder and what to do."""
        zh, en = _REFUSALS[self.code]
        sep = "：" if lang == "zh" else ": "
        return f"{self.file}{sep}{self._text(zh if lang == 'zh' else en, lang)}"

    def _text(self, template: str, lang: str) -> str:
        if not self.found:
            return template.format(found="")
        names = "、".join(self.found) if lang == "zh" else ", ".join(self.found)
        return template.format(found=f"（有 {names}）" if lang == "zh" else f" (holds {names})")


def check_target(folder: Path) -> None:
    """Refuse an output folder that is not new or empty, before any work is done."""
    if not folder.exists() and not folder.is_symlink():
        return
    if not folder.is_dir():
        raise MergeTargetError(folder, "not_a_folder")
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError as exc:
        raise _write_error(folder, exc) from exc
    if not names:
        return
    if INDEX_NAME in names:
        raise MergeTargetError(folder, "exists")
    if REPORTS_DIR in names:
        raise MergeTargetError(folder, "leftover")
    shown = [*names[:3], "…"] if len(names) > 3 else names
    raise MergeTargetError(folder, "not_empty", shown)


def write_log(folder: Path, reviewer: str, reports: Sequence[ReportState], *, at: datetime) -> None:
    """Write a complete log as a new folder (the result of a merge), all at once: it is written
    into a temporary sibling folder, fsynced, then renamed into place; a folder that is not new
    or empty is refused (MergeTargetError). A kill at any moment leaves no folder or the whole
    log, never part of one. Leftovers of killed merges into the same folder are removed first
    (`remove_merge_leftovers`)."""
    check_target(folder)
    place = Path(os.path.realpath(folder))
    work: Path | None = None
    lock = -1
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        remove_merge_leftovers(place)
        work = place.parent / f".{place.name}{MERGE_TEMP_INFIX}{secrets.token_hex(4)}{TEMP_SUFFIX}"
        work.mkdir()
        lock = os.open(work / _LOCK_NAME, os.O_WRONLY | os.O_CREAT, 0o666)
        _lock(lock)
        log = work / _LOG_NAME
        (log / REPORTS_DIR).mkdir(parents=True)
        for state in reports:
            _write_new(log / REPORTS_DIR / f"{state.key}.toml", dump_report(state))
        _write_new(log / INDEX_NAME, dump_index(reviewer, at))
        for sub in (log / REPORTS_DIR, log, work):
            fsync_folder(sub)
        try:
            # Over a missing or empty folder only: rename(2) refuses to replace anything else.
            os.rename(log, place)
        except OSError:
            check_target(folder)  # another merge got there first: say what is there now
            raise
        fsync_folder(place.parent)
    except OSError as exc:
        raise _write_error(folder, exc) from exc
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        if lock >= 0:
            os.close(lock)


def remove_merge_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary folders that killed merges into `folder` left beside it; a merge
    still running holds a lock on its own and keeps it. Returns the folders removed."""
    removed = []
    place = Path(os.path.realpath(folder))
    pattern = f".{glob.escape(place.name)}{MERGE_TEMP_INFIX}*{TEMP_SUFFIX}"
    for path in sorted(place.parent.glob(pattern)):
        if path.is_dir() and not path.is_symlink() and _abandoned(path):
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                removed.append(path)
    return removed


def _abandoned(work: Path) -> bool:
    if sys.platform == "win32":  # pragma: no cover - no flock: old enough to be no live merge's
        try:
            return time.time() - work.stat().st_mtime > TEMP_MAX_AGE
        except OSError:
            return False
    try:
        fd = os.open(work / _LOCK_NAME, os.O_RDONLY)
    except FileNotFoundError:
        # Killed between making the folder and locking it. (A merge into the same folder
        # started this very moment would fail cleanly, as two merges into one folder must.)
        return True
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live merge holds it; a killed one's lock went with its process
    finally:
        os.close(fd)
    return True


def _lock(fd: int) -> None:
    if sys.platform != "win32":
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _write_new(path: Path, data: bytes) -> None:
    # A new file in a folder nobody else writes: no temp file needed, only the fsync.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _write_error(folder: Path, exc: OSError) -> ReviewLogError:
    return ReviewLogError(
        folder, f"cannot write ({exc.strerror or exc})", code="save_failed", errno=exc.errno
    )


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
