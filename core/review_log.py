"""A reviewer's log of a batch: every decision saved at once, resumable, undoable.

Layout: `<batch>/.jixiao/<reviewer>/review.toml` plus `reports/<key>.toml`, one small file per
report that holds a decision (see core/review_store.py). Why:
- saving a decision rewrites one report's file, so its cost does not grow with the batch
  (one 40,000-entry TOML file takes a second to write);
- each reviewer writes only their own folder, so two reviewers never overwrite each other;
  `jixiao merge` combines the folders and lists conflicts;
- one file per report reads well in a diff and in an e-mail.
Two sessions of the same reviewer (two terminals, or a dropped SSH session still running) share
the folder: a save holds the report file's lock (core/review_lock.py) while it reads the file,
merges what another session wrote since (`merge_sessions`: by annotation id, removals recorded as
tombstones, the newer change of one annotation winning) and replaces it.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import tomli_w

from core.cleaning import clean_text
from core.models import Report
from core.reading import real_path, relative_name
from core.review import REPORT_STATUSES, Annotation, Removal, ReportState, reanchor
from core.review_lock import (
    SaveLock,
    Session,
    announce_session,
    lock_method,
    other_sessions,
)
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

_EPOCH = datetime.min.replace(tzinfo=UTC)

LOG_FOLDER = ".jixiao"
"""The folder inside a batch that holds one log folder per reviewer."""
TOMBSTONE_DAYS = 90
"""How long a removal is recorded: a session that has not saved for longer may bring back an
annotation removed meanwhile by another session."""
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
        lock: str = "flock",
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
        self._base: dict[str, ReportState] = {s.key: s for s in reports if s.key in raw}
        """Each report as this session last read or wrote it: what another session changed
        since is what differs from it."""
        self._pending: set[str] = set()
        self._batch_root: str | None = None
        self._lock = SaveLock(lock)
        self._session_file: Path | None = None
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
        lock: str = "auto",
    ) -> ReviewLog:
        """Open (or start) a reviewer's log of a batch. Raises ReviewLogError, writing nothing,
        for a log it cannot read exactly or one that belongs to another reviewer. `lock`: how
        saves exclude each other, "auto", "flock" or "link" (see core/review_lock.py)."""
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
            lock=lock_method(folder, lock),
        )

    @property
    def lock_method(self) -> str:
        """ "flock", or "link" on a network file system or where flock is refused."""
        return self._lock.method

    # Sessions of the same reviewer

    def begin_session(self) -> tuple[Session, ...]:
        """Record this session as open on the log and give the other live sessions of the same
        reviewer (best effort: a folder that cannot be written announces nothing)."""
        with contextlib.suppress(OSError):
            self._session_file = announce_session(self.folder, local_now())
        try:
            return other_sessions(self.folder)
        except OSError:
            return ()

    def end_session(self) -> None:
        """Record this session as closed."""
        if self._session_file is not None:
            with contextlib.suppress(OSError):
                self._session_file.unlink()
            self._session_file = None

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
            replace(
                old,
                annotations=(*old.annotations, annotation),
                removed=_without(old.removed, annotation.id),
            ),
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
        # Recorded, not inferred from absence: another session still holding it must drop it.
        removed = (*_without(old.removed, annotation_id), Removal(annotation_id, self._clock()))
        new = replace(old, annotations=annotations, removed=removed)
        self._decide(Change(key, old, annotation_id), new)
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
            aid = change.annotation_id
            previous = before.annotation(aid)
            rest = [a for a in now.annotations if a.id != aid]
            removed = _without(now.removed, aid)
            if previous is not None:
                rest.insert(_position(before, previous.id, rest), previous)
            else:
                removed = (*removed, Removal(aid, self._clock()))
            new = replace(now, annotations=tuple(rest), removed=removed)
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
        path = self.folder / REPORTS_DIR / f"{key}.toml"
        try:
            # Held from the read to the replace: another session's save cannot come between.
            with self._lock.hold(path):
                self._save_locked(key, path)
        except OSError as exc:
            problem = f"not saved ({exc.strerror or exc}); the decision is kept until a save works"
            raise ReviewLogError(path, problem, code="save_failed", errno=exc.errno) from exc

    def _save_locked(self, key: str, path: Path) -> None:
        state = self._states[key]
        try:
            previous = path.read_bytes()
        except FileNotFoundError:
            previous = None
        except OSError as exc:
            problem = f"cannot read ({exc.strerror})"
            raise ReviewLogError(path, problem, code="save_failed", errno=exc.errno) from exc
        if previous is not None and previous != self._on_disk.get(key):
            # Another session wrote this report since we read it: keep its decisions too.
            theirs = parse_report(previous, path)
            state = merge_sessions(self._base.get(key), state, theirs)
        state = forget_old_removals(state)
        if state != self._states[key]:
            self._index(state)
        data = dump_report(state)
        write_with_backup(path, data, previous)
        self._on_disk[key] = data
        self._base[key] = state

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


def _without(removed: tuple[Removal, ...], annotation_id: str) -> tuple[Removal, ...]:
    return tuple(r for r in removed if r.id != annotation_id)


_Record = Annotation | Removal


def _records(state: ReportState | None) -> dict[str, _Record]:
    if state is None:
        return {}
    records: dict[str, _Record] = {r.id: r for r in state.removed}
    records.update((a.id, a) for a in state.annotations)
    return records


_ANNOTATION_PARTS = (
    ("status",), ("severity",), ("note",), ("quote", "start", "end", "orphaned"), ("arithmetic",)
)  # fmt: skip
"""What two edits of one annotation may change separately: where both did, the newer wins."""


def _newer(a: _Record, b: _Record) -> _Record:
    """The newer of two changes of one annotation: by time (updated, or when removed), then a
    removal before an edit, then the larger text: both sessions pick the same."""

    def rank(r: _Record) -> tuple[datetime, int, str]:
        if isinstance(r, Removal):
            return (r.at, 1, "")
        return (r.updated, 0, repr(r))

    return a if rank(a) >= rank(b) else b


def _changed(base: object, ours: object, theirs: object) -> str:
    """Three-way choice: "ours" or "theirs" when only that side changed since `base` (or neither
    did), "both" when both did. Absent in `theirs` is no change: a removal is recorded, never
    inferred from absence."""
    if theirs is None or theirs == base:
        return "ours"
    if ours is None or ours == base:
        return "theirs"
    return "both"


def _pick_record(
    base: _Record | None, ours: _Record | None, theirs: _Record | None
) -> _Record | None:
    side = _changed(base, ours, theirs)
    if side == "ours":
        return ours
    if side == "theirs" or ours is None or theirs is None:
        return theirs
    newer = _newer(ours, theirs)
    older = theirs if newer is ours else ours
    if not all(isinstance(r, Annotation) for r in (base, newer, older)):
        return newer
    assert isinstance(base, Annotation) and isinstance(newer, Annotation)
    assert isinstance(older, Annotation)
    # Both edited it: what only the older edit changed (its note, say) is kept too.
    kept: dict[str, Any] = {}
    for group in _ANNOTATION_PARTS:
        if all(getattr(newer, f) == getattr(base, f) for f in group):
            kept |= {f: getattr(older, f) for f in group}
    return replace(newer, **kept)


def merge_sessions(base: ReportState | None, ours: ReportState, theirs: ReportState) -> ReportState:
    """One report as two sessions of one reviewer left it: `ours` (this session), `theirs` (on
    disk, written by another session), `base` (as this session last read or wrote it). Each
    annotation, removal and the status is taken from the side that changed it since `base`; when
    both did, the newer change wins. Two sessions merging each other's saves converge."""
    b, o, t = _records(base), _records(ours), _records(theirs)
    merged = {
        aid: record
        for aid in sorted(b.keys() | o.keys() | t.keys())
        if (record := _pick_record(b.get(aid), o.get(aid), t.get(aid))) is not None
    }

    def status(s: ReportState | None) -> tuple[str, str, datetime | None] | None:
        return None if s is None else (s.status, s.status_by, s.status_at)

    mine, other = status(ours), status(theirs)
    assert mine is not None and other is not None
    side = _changed(status(base), mine, other)
    if side == "both":
        chosen = max(mine, other, key=lambda s: (s[2] or _EPOCH, s[0], s[1]))
    else:
        chosen = mine if side == "ours" else other
    annotations = [r for r in merged.values() if isinstance(r, Annotation)]
    same = base is None or (ours.path, ours.sha256) == (base.path, base.sha256)
    where = theirs if same and (theirs.path, theirs.sha256) != (ours.path, ours.sha256) else ours
    return replace(
        ours,
        path=where.path,
        sha256=where.sha256,
        unit=ours.unit or theirs.unit,
        year=ours.year or theirs.year,
        status=chosen[0],
        status_by=chosen[1],
        status_at=chosen[2],
        annotations=tuple(sorted(annotations, key=lambda a: (a.created, a.id))),
        removed=tuple(r for r in merged.values() if isinstance(r, Removal)),
    )


def forget_old_removals(state: ReportState) -> ReportState:
    """A report without the removals recorded more than TOMBSTONE_DAYS before its latest change
    (the report's own times, not the clock: a log copied or restored keeps its records)."""
    if not state.removed:
        return state
    times = [r.at for r in state.removed] + [a.updated for a in state.annotations]
    if state.status_at is not None:
        times.append(state.status_at)
    cutoff = max(times) - timedelta(days=TOMBSTONE_DAYS)
    kept = tuple(r for r in state.removed if r.at >= cutoff)
    return state if len(kept) == len(state.removed) else replace(state, removed=kept)
