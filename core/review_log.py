"""A reviewer's log of a batch: every decision saved at once, resumable, undoable.

Layout: `<batch>/.jixiao/<reviewer>/review.toml` plus `reports/<key>.toml`, one small file per
report that holds a decision (see core/review_store.py). Why:
- saving a decision rewrites one report's file, so its cost does not grow with the batch
  (one 40,000-entry TOML file takes a second to write);
- each reviewer writes only their own folder, so two reviewers never overwrite each other, with
  no lock (locks do not hold on NFS); `jixiao merge` combines the folders and lists conflicts;
- one file per report reads well in a diff and in an e-mail.
A second session of the same reviewer (a dropped SSH session still running) is caught too: a save
that finds its file changed by someone else merges the two by annotation id before writing.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import re
import tomllib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import tomli_w

from core.cleaning import clean_text
from core.models import Report
from core.reading import real_path, relative_name
from core.review import REPORT_STATUSES, Annotation, ReportState, reanchor
from core.review_store import (
    INDEX_NAME,
    REPORTS_DIR,
    ReviewLogError,
    clean_temp_files,
    dump_index,
    dump_report,
    parse_report,
    read_log,
    write_atomic,
    write_with_backup,
)

LOG_FOLDER = ".jixiao"
"""The folder inside a batch that holds one log folder per reviewer."""
SESSION_NAME = "session.toml"
"""Where the workbench was, so reopening the batch resumes on the same report. Not a decision:
merge and export ignore it, and a bad one is ignored too."""


def local_now() -> datetime:
    """The current time with the local time zone, to the second (what a reviewer reads)."""
    return datetime.now().astimezone().replace(microsecond=0)


def default_reviewer() -> str:
    """The OS user's name, used when config.toml names no reviewer."""
    try:
        return getpass.getuser() or "reviewer"
    except (OSError, KeyError):  # no login name in the environment or the password database
        return "reviewer"


_UNSAFE_RE = re.compile(r"[^\w-]")
"""Not a letter or digit (as str.isalnum() says), "_" or "-"."""


def safe_name(text: str, *, limit: int = 40) -> str:
    """A file-name-safe slug that keeps Chinese: letters and digits, others become "_"."""
    slug = _UNSAFE_RE.sub("_", text[:limit])
    return slug.strip("_") or "_"


def default_log_folder(batch: Path, reviewer: str) -> Path:
    """Where a reviewer's log of a batch lives unless --log says otherwise."""
    return batch / LOG_FOLDER / safe_name(reviewer, limit=60)


def find_log(path: Path) -> Path:
    """The log folder meant by a path: a log folder, its review.toml, or a batch folder with
    exactly one reviewer's log."""
    if path.name == INDEX_NAME and path.is_file():
        return path.parent
    if (path / INDEX_NAME).is_file():
        return path
    inside = path / LOG_FOLDER
    found = sorted(p for p in inside.glob("*") if (p / INDEX_NAME).is_file())
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(p.name for p in found)
        raise ReviewLogError(
            path, f"holds the logs of several reviewers ({names}): name one", code="not_a_log"
        )
    raise ReviewLogError(path, "no review log here", code="not_a_log")


@dataclass(frozen=True)
class Change:
    """One decision, as undo needs it: the report's state before it and what it touched."""

    key: str
    """The report's key."""
    before: ReportState
    """The report's state before the decision."""
    annotation_id: str = ""
    """The annotation added, changed or removed; "" for a status change."""


class ReviewLog:
    """One reviewer's log of one batch (`folder`, `batch`, `reviewer`). Every change is saved
    before the call returns; a save that fails raises ReviewLogError and keeps the change in
    memory (`pending`), to be written by the next successful save or `flush()`."""

    def __init__(
        self,
        folder: Path,
        batch: Path,
        reviewer: str,
        reports: tuple[ReportState, ...],
        raw: dict[str, bytes],
        *,
        undo_depth: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.folder = folder
        self.batch = batch
        self.reviewer = reviewer
        self._clock = clock
        self._states: dict[str, ReportState] = {}
        self._by_path: dict[str, str] = {}
        self._by_sha: dict[str, set[str]] = {}
        for state in reports:
            self._index(state)
        self._on_disk = raw
        self._pending: set[str] = set()
        self._batch_root: str | None = None
        self._removed: set[str] = set()
        self._undo: deque[Change] = deque(maxlen=max(0, undo_depth))

    @classmethod
    def open(
        cls,
        batch: Path,
        *,
        reviewer: str,
        log_path: Path | None = None,
        undo_depth: int = 100,
        clock: Callable[[], datetime] = local_now,
    ) -> ReviewLog:
        """Open (or start) a reviewer's log of a batch. Raises ReviewLogError, writing nothing,
        for a log it cannot read exactly or one that belongs to another reviewer."""
        folder = log_path if log_path is not None else default_log_folder(batch, reviewer)
        index = folder / INDEX_NAME
        try:
            if not index.exists():
                (folder / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
                write_atomic(index, dump_index(reviewer, clock()))
            clean_temp_files(folder)
        except OSError as exc:
            raise ReviewLogError(
                folder, f"cannot write ({exc.strerror})", code="save_failed"
            ) from exc
        contents = read_log(folder)
        if contents.reviewer != reviewer:
            raise ReviewLogError(
                index,
                f"this is {contents.reviewer}'s log; {reviewer} keeps their own",
                code="other_reviewer",
            )
        return cls(
            folder,
            batch,
            reviewer,
            contents.reports,
            dict(contents.raw),
            undo_depth=undo_depth,
            clock=clock,
        )

    # Reading

    @property
    def reports(self) -> tuple[ReportState, ...]:
        """Every report the log knows, by path."""
        return tuple(sorted(self._states.values(), key=lambda s: s.path))

    @property
    def pending(self) -> frozenset[str]:
        """Keys of reports whose latest decision is not on disk yet."""
        return frozenset(self._pending)

    def state(self, key: str) -> ReportState:
        """A report's state by key (KeyError when unknown)."""
        return self._states[key]

    def now(self) -> datetime:
        """The log's clock, for building annotations."""
        return self._clock()

    def report_state(
        self, report: Report, *, unit: str | None = None, year: int | None = None
    ) -> ReportState:
        """The state of a report as read now. A report moved or renamed is recognised by its
        sha256; one whose sha256 changed has its annotations re-anchored in its new text.
        Either is saved at once, or kept in `pending` when the save fails: reading a report
        never fails for a full disk, and the next save that works writes it."""
        return self.register(report.path, report.sha256, lambda: report.text, unit=unit, year=year)

    def register(
        self,
        path: Path,
        sha256: str,
        text: Callable[[], str],
        *,
        unit: str | None = None,
        year: int | None = None,
        relative: str | None = None,
    ) -> ReportState:
        """`report_state` for a report known by its path and digest; `text` is called only when
        the annotations must be re-anchored (the content changed), so a batch can be registered
        without holding its texts. `relative`: its batch-relative path, when known."""
        relative = relative or self._relative(path)
        key = self._by_path.get(relative) or self._moved_from(sha256, relative)
        if key is None:
            state = ReportState(self._new_key(relative), relative, sha256, unit, year)
            self._index(state)
            return state
        old = self._states[key]
        new = replace(old, path=relative, unit=unit or old.unit, year=year or old.year)
        if sha256 and sha256 != old.sha256:
            new = replace(new, sha256=sha256, annotations=reanchor(old.annotations, text()))
        if new != old:
            with contextlib.suppress(ReviewLogError):
                self._commit(old, new)
        return new

    def last_report(self) -> str | None:
        """The batch-relative path of the report the reviewer had open last, or None."""
        try:
            doc = tomllib.loads((self.folder / SESSION_NAME).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        path = doc.get("report")
        return path if isinstance(path, str) and path else None

    def remember_report(self, report_path: Path) -> None:
        """Record the report the reviewer is on (best effort: losing it loses no decision)."""
        data = tomli_w.dumps({"report": self._relative(report_path)}).encode()
        with contextlib.suppress(OSError):
            write_atomic(self.folder / SESSION_NAME, data)

    # Deciding: each returns once the change is on disk.

    def set_status(self, key: str, status: str) -> ReportState:
        """Set a report's status (a key of REPORT_STATUSES)."""
        if status not in REPORT_STATUSES:
            raise ValueError(f"unknown report status {status!r}")
        old = self._states[key]
        new = replace(old, status=status, status_by=self.reviewer, status_at=self._clock())
        self._decide(Change(key, old), new)
        return new

    def add(self, key: str, annotation: Annotation) -> Annotation:
        """Add an annotation to a report."""
        old = self._states[key]
        if old.annotation(annotation.id) is not None:
            raise ValueError(f"annotation {annotation.id} is already in the log")
        # Control characters never reach the disk, whoever built the annotation.
        annotation = replace(
            annotation, note=clean_text(annotation.note), quote=clean_text(annotation.quote)
        )
        self._decide(
            Change(key, old, annotation.id),
            replace(old, annotations=(*old.annotations, annotation)),
        )
        return annotation

    def update(
        self,
        key: str,
        annotation_id: str,
        *,
        status: str | None = None,
        severity: str | None = None,
        note: str | None = None,
    ) -> Annotation:
        """Change an annotation's status, severity or note."""
        old = self._states[key]
        current = self._annotation(old, annotation_id)
        changed = replace(
            current,
            status=status or current.status,
            severity=severity or current.severity,
            note=current.note if note is None else clean_text(note),
            updated=self._clock(),
        )
        annotations = tuple(changed if a.id == annotation_id else a for a in old.annotations)
        self._decide(Change(key, old, annotation_id), replace(old, annotations=annotations))
        return changed

    def remove(self, key: str, annotation_id: str) -> Annotation:
        """Remove an annotation (undo brings it back)."""
        old = self._states[key]
        gone = self._annotation(old, annotation_id)
        annotations = tuple(a for a in old.annotations if a.id != annotation_id)
        self._removed.add(annotation_id)
        self._decide(Change(key, old, annotation_id), replace(old, annotations=annotations))
        return gone

    def undo(self) -> Change | None:
        """Undo the last decision not yet undone (up to the undo depth); None when none is left.
        Only what that decision touched is put back, so later re-anchoring is kept."""
        if not self._undo:
            return None
        change = self._undo.pop()
        now = self._states[change.key]
        before = change.before
        if not change.annotation_id:
            new = replace(
                now, status=before.status, status_by=before.status_by, status_at=before.status_at
            )
        else:
            previous = before.annotation(change.annotation_id)
            rest = [a for a in now.annotations if a.id != change.annotation_id]
            if previous is not None:
                self._removed.discard(previous.id)
                rest.insert(_position(before, previous.id, rest), previous)
            else:
                self._removed.add(change.annotation_id)
            new = replace(now, annotations=tuple(rest))
        self._commit(now, new)
        return change

    def flush(self) -> None:
        """Write every pending change; raises ReviewLogError when a file cannot be written."""
        for key in sorted(self._pending):
            self._save(key)
            self._pending.discard(key)

    # Inside

    def _decide(self, change: Change, new: ReportState) -> None:
        self._undo.append(change)
        self._commit(change.before, new)

    def _commit(self, old: ReportState, new: ReportState) -> None:
        if old.path != new.path or old.sha256 != new.sha256:
            self._unindex(old)
        self._index(new)
        if new.worth_keeping or new.key in self._on_disk:
            self._pending.add(new.key)
        self.flush()

    def _save(self, key: str) -> None:
        state = self._states[key]
        path = self.folder / REPORTS_DIR / f"{key}.toml"
        try:
            previous = path.read_bytes()
        except FileNotFoundError:
            previous = None
        except OSError as exc:
            problem = f"cannot read ({exc.strerror})"
            raise ReviewLogError(path, problem, code="save_failed", errno=exc.errno) from exc
        if previous is not None and previous != self._on_disk.get(key):
            # Another session wrote this report since we read it: keep its decisions too.
            state = _union(state, parse_report(previous, path), self._removed)
            self._index(state)
        data = dump_report(state)
        try:
            write_with_backup(path, data, previous)
        except OSError as exc:
            problem = f"not saved ({exc.strerror or exc}); the decision is kept until a save works"
            raise ReviewLogError(path, problem, code="save_failed", errno=exc.errno) from exc
        self._on_disk[key] = data

    def _annotation(self, state: ReportState, annotation_id: str) -> Annotation:
        found = state.annotation(annotation_id)
        if found is None:
            raise KeyError(f"no annotation {annotation_id} in {state.path}")
        return found

    def _index(self, state: ReportState) -> None:
        self._states[state.key] = state
        self._by_path[state.path] = state.key
        if state.sha256:
            self._by_sha.setdefault(state.sha256, set()).add(state.key)

    def _unindex(self, state: ReportState) -> None:
        if self._by_path.get(state.path) == state.key:
            del self._by_path[state.path]
        self._by_sha.get(state.sha256, set()).discard(state.key)

    def _moved_from(self, sha256: str, path: str) -> str | None:
        # The same bytes under a path the log knows that is gone from the batch: a rename or a
        # move. If the old path still exists, this is a copy and starts afresh.
        for key in sorted(self._by_sha.get(sha256, ())) if sha256 else ():
            old_path = self._states[key].path
            if old_path != path and not (self.batch / old_path).exists():
                return key
        return None

    def _new_key(self, path: str) -> str:
        digest = hashlib.sha256(path.encode()).hexdigest()
        key = f"{safe_name(Path(path).stem)}-{digest[:8]}"
        n = 2
        while key in self._states:
            key, n = f"{safe_name(Path(path).stem)}-{digest[:8]}-{n}", n + 1
        return key

    def _relative(self, path: Path) -> str:
        if self._batch_root is None:
            self._batch_root = real_path(self.batch)
        relative = relative_name(path, self._batch_root)
        return Path(real_path(path)).as_posix() if relative is None else relative


def _position(before: ReportState, annotation_id: str, rest: list[Annotation]) -> int:
    """Where an annotation that undo brings back goes: after those that preceded it."""
    ids = [a.id for a in before.annotations]
    earlier = set(ids[: ids.index(annotation_id)])
    return max((i + 1 for i, a in enumerate(rest) if a.id in earlier), default=0)


def _union(ours: ReportState, theirs: ReportState, removed: set[str]) -> ReportState:
    """Two sessions' versions of one report: every annotation of either (the later edit of each),
    except those this session removed; the later status."""
    mine = {a.id: a for a in ours.annotations}
    merged = list(ours.annotations)
    for a in theirs.annotations:
        if a.id in removed:
            continue
        if a.id not in mine:
            merged.append(a)
        elif a.updated > mine[a.id].updated:
            merged[merged.index(mine[a.id])] = a
    status = ours
    if theirs.status_at and (ours.status_at is None or theirs.status_at > ours.status_at):
        status = theirs
    return replace(
        ours,
        status=status.status,
        status_by=status.status_by,
        status_at=status.status_at,
        annotations=tuple(sorted(merged, key=lambda a: a.created)),
    )
