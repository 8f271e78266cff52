"""The review log on disk: TOML files read strictly, written atomically, never half-written.

A log is a folder: `review.toml` (schema, reviewer) and `reports/<key>.toml`, one small file per
report that holds a decision, so saving one decision rewrites one small file. Each save writes a
temporary file in the same folder, fsyncs it, `os.replace`s it over the old one and fsyncs the
folder; the old version is kept as `<key>.toml.bak`.
"""

from __future__ import annotations

import os
import re
import secrets
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import tomli_w

from core.review import (
    ANNOTATION_STATUSES,
    REPORT_STATUSES,
    SEVERITIES,
    TARGET_KINDS,
    Annotation,
    Arithmetic,
    Removal,
    ReportState,
    Target,
)

SCHEMA = 1
"""Version of the on-disk format this code reads and writes."""
INDEX_NAME = "review.toml"
REPORTS_DIR = "reports"
BACKUP_SUFFIX = ".bak"
TEMP_SUFFIX = ".tmp"
TEMP_MAX_AGE = 60.0
"""Seconds after which a temporary file is an orphan of a killed save (a live save takes ms)."""


class ReviewLogError(Exception):
    """A log that cannot be read or saved, naming the file, the line (when known) and the
    problem. `code` is a stable key for translated messages: "unparsable", "newer_schema",
    "bad_value", "not_a_log", "other_reviewer", "exists", "save_failed". `errno` is the operating
    system's error number when a file could not be read or written (ENOSPC, EROFS, …)."""

    def __init__(
        self,
        file: Path,
        problem: str,
        *,
        line: int | None = None,
        code: str,
        errno: int | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        self.code = code
        self.errno = errno
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class LogContents:
    """A log as read from its folder."""

    folder: Path
    """The log's folder (holding review.toml)."""
    reviewer: str
    """Whose log it is."""
    created: datetime
    """When the log was started."""
    reports: tuple[ReportState, ...]
    """Every report holding a decision, by path."""
    raw: Mapping[str, bytes]
    """Each report file's bytes as read, by report key (to notice another writer)."""


def read_log(folder: Path) -> LogContents:
    """Read a log folder, refusing anything it cannot read exactly (a newer schema, a wrong type,
    an unknown key that a save would drop)."""
    index = folder / INDEX_NAME
    try:
        data = index.read_bytes()
    except FileNotFoundError:
        raise ReviewLogError(index, "no review log here", code="not_a_log") from None
    except OSError as exc:
        raise ReviewLogError(index, f"cannot read ({exc.strerror})", code="unparsable") from exc
    reviewer, created = parse_index(data, index)
    reports, raw = [], {}
    reports_dir = folder / REPORTS_DIR
    names = sorted(p.name for p in reports_dir.glob("*.toml")) if reports_dir.is_dir() else []
    for name in names:
        path = reports_dir / name
        try:
            raw[path.stem] = path.read_bytes()
        except OSError as exc:
            raise ReviewLogError(path, f"cannot read ({exc.strerror})", code="unparsable") from exc
        reports.append(parse_report(raw[path.stem], path))
    reports.sort(key=lambda s: s.path)
    return LogContents(folder, reviewer, created, tuple(reports), raw)


def dump_index(reviewer: str, created: datetime) -> bytes:
    """The bytes of a log's review.toml."""
    return _dumps({"schema": SCHEMA, "reviewer": reviewer, "created": created})


# tomli-w escapes C0 controls but writes C1 and bidi controls raw, and a file name may hold them.
_RAW_CONTROLS = re.compile("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _dumps(doc: dict[str, Any]) -> bytes:
    # Multi-line strings keep notes readable, but tomli-w turns "\r\n" into "\n" inside them:
    # a document holding a CR is written with escaped one-line strings instead.
    text = tomli_w.dumps(doc, multiline_strings=not _holds_cr(doc))
    # Only string values can hold them, and \uXXXX is valid in every string tomli-w writes.
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode()


def parse_index(data: bytes, file: Path) -> tuple[str, datetime]:
    """The reviewer and creation time of a review.toml."""
    doc, lines = _load(data, file)
    schema = doc.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        line = lines.of((), "schema")
        raise ReviewLogError(file, "schema must be a positive integer", line=line, code="bad_value")
    if schema > SCHEMA:
        raise ReviewLogError(
            file,
            f"written by a newer jixiao (schema {schema}); this version reads schema {SCHEMA}",
            line=lines.of((), "schema"),
            code="newer_schema",
        )
    r = _Reader(doc, file, lines, ())
    r.refuse_unknown(("schema", "reviewer", "created"))
    return r.text("reviewer", required=True), r.required_time("created")


def _holds_cr(value: object) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_holds_cr(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_cr(v) for v in value)
    return False


def dump_report(state: ReportState) -> bytes:
    """The bytes of a report's file: stable key order, one table per annotation, Chinese as is."""
    doc: dict[str, Any] = {"path": state.path, "sha256": state.sha256}
    _put(doc, "unit", state.unit)
    _put(doc, "year", state.year)
    doc["status"] = state.status
    _put(doc, "status_by", state.status_by)
    _put(doc, "status_at", state.status_at)
    if state.annotations:
        doc["annotations"] = {a.id: _annotation_doc(a) for a in state.annotations}
    if state.removed:
        # [removed] <id> = <when>: a tombstone per annotation removed lately (see Removal).
        doc["removed"] = {r.id: r.at for r in sorted(state.removed, key=lambda r: r.id)}
    return _dumps(doc)


def _annotation_doc(a: Annotation) -> dict[str, Any]:
    t = a.target
    doc: dict[str, Any] = {"target": t.kind}
    for key in ("field", "check", "finding", "old_project", "new_project"):
        _put(doc, key, getattr(t, key))
    doc |= {"status": a.status, "severity": a.severity}
    _put(doc, "note", a.note)
    _put(doc, "quote", a.quote)
    _put(doc, "start", a.start)
    _put(doc, "end", a.end)
    if a.orphaned:
        doc["orphaned"] = True
    doc |= {"author": a.author, "created": a.created, "updated": a.updated}
    if a.arithmetic is not None:
        m = a.arithmetic
        sub: dict[str, Any] = {"message": m.message, "severity": m.severity}
        if m.fields:
            sub["fields"] = list(m.fields)
        for key in ("reported", "computed", "difference", "tolerance"):
            value = getattr(m, key)
            # TOML has no decimals and floats drift: money is written as its exact digits.
            _put(sub, key, None if value is None else str(value))
        _put(sub, "hint", m.hint)
        doc["arithmetic"] = sub
    return doc


def _put(doc: dict[str, Any], key: str, value: object) -> None:
    # tomli-w cannot write None: an absent value is an absent key.
    if value is not None and value != "":
        doc[key] = value


_REPORT_KEYS = (
    "path", "sha256", "unit", "year", "status", "status_by", "status_at", "annotations", "removed"
)  # fmt: skip
_ANNOTATION_KEYS = (
    "target", "field", "check", "finding", "old_project", "new_project", "status", "severity",
    "note", "quote", "start", "end", "orphaned", "author", "created", "updated", "arithmetic",
)  # fmt: skip
_ARITHMETIC_KEYS = (
    "message", "severity", "fields", "reported", "computed", "difference", "tolerance", "hint"
)  # fmt: skip


def parse_report(data: bytes, file: Path) -> ReportState:
    """A report's file read back; its key is the file's stem."""
    doc, lines = _load(data, file)
    r = _Reader(doc, file, lines, ())
    r.refuse_unknown(_REPORT_KEYS)
    table = doc.get("annotations", {})
    if not isinstance(table, dict):
        raise r.error("annotations", "must be a table of annotations")
    annotations = []
    for aid, sub in table.items():
        if not isinstance(sub, dict):
            raise r.error("annotations", f"annotation {aid!r} must be a table")
        annotations.append(_parse_annotation(aid, _Reader(sub, file, lines, ("annotations", aid))))
    removed = _parse_removed(r)
    sha = r.text("sha256")
    if sha and not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise r.error("sha256", "must be 64 lowercase hex digits")
    status_at = r.time("status_at")
    try:
        return ReportState(
            key=file.stem,
            path=r.text("path", required=True),
            sha256=sha,
            unit=r.text("unit") or None,
            year=r.integer("year"),
            status=r.choice("status", REPORT_STATUSES, default="unreviewed"),
            status_by=r.text("status_by"),
            status_at=status_at,
            annotations=tuple(annotations),
            removed=removed,
        )
    except ValueError as exc:
        raise r.error(None, str(exc)) from None


def _parse_removed(r: _Reader) -> tuple[Removal, ...]:
    table = r.doc.get("removed", {})
    if not isinstance(table, dict):
        raise r.error("removed", "must be a table of annotation ids and removal times")
    sub = _Reader(table, r.file, r.lines, ("removed",))
    removed = []
    for aid in table:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", aid):
            raise sub.error(aid, f"annotation id {aid!r} must be letters, digits, - and _")
        removed.append(Removal(aid, sub.required_time(aid)))
    return tuple(removed)


def _parse_annotation(aid: str, r: _Reader) -> Annotation:
    r.refuse_unknown(_ANNOTATION_KEYS)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", aid):
        raise r.error(None, f"annotation id {aid!r} must be letters, digits, - and _")
    arithmetic = None
    sub = r.doc.get("arithmetic")
    if sub is not None:
        if not isinstance(sub, dict):
            raise r.error("arithmetic", "must be a table")
        m = _Reader(sub, r.file, r.lines, (*r.table, "arithmetic"))
        m.refuse_unknown(_ARITHMETIC_KEYS)
        arithmetic = Arithmetic(
            message=m.text("message"),
            severity=m.choice("severity", SEVERITIES, default="warning"),
            fields=m.texts("fields"),
            reported=m.decimal("reported"),
            computed=m.decimal("computed"),
            difference=m.decimal("difference"),
            tolerance=m.decimal("tolerance"),
            hint=m.text("hint"),
        )
    try:
        target = Target(
            kind=r.choice("target", TARGET_KINDS, required=True),
            field=r.text("field"),
            check=r.text("check"),
            finding=r.text("finding"),
            old_project=r.text("old_project"),
            new_project=r.text("new_project"),
        )
    except ValueError as exc:
        raise r.error("target", str(exc)) from None
    start, end = r.integer("start"), r.integer("end")
    try:
        return Annotation(
            id=aid,
            target=target,
            status=r.choice("status", ANNOTATION_STATUSES, required=True),
            severity=r.choice("severity", SEVERITIES, required=True),
            author=r.text("author", required=True),
            created=r.required_time("created"),
            updated=r.required_time("updated"),
            note=r.text("note"),
            quote=r.text("quote"),
            start=start,
            end=end,
            orphaned=r.flag("orphaned"),
            arithmetic=arithmetic,
        )
    except ValueError as exc:
        raise r.error("start" if start is not None or end is not None else None, str(exc)) from None


def _load(data: bytes, file: Path) -> tuple[dict[str, Any], _Lines]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReviewLogError(file, "not UTF-8 text", line=line, code="unparsable") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11 gives the position only in the message: "… (at line 3, column 7)".
        found = re.search(r"\(at line (\d+), column \d+\)|\(at end of document\)", str(exc))
        problem = str(exc).replace(found.group(0), "").strip() if found else str(exc)
        line = int(found.group(1)) if found and found.group(1) else text.count("\n") + 1
        problem = f"not valid TOML: {problem}"
        raise ReviewLogError(file, problem, line=line, code="unparsable") from None
    return doc, _Lines(text)


class _Lines:
    """Where each table and key starts in a TOML text, to name the line of a bad value; worked
    out only when there is one (opening a big log reads thousands of good files)."""

    _HEADER = re.compile(r"\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?")
    _KEY = re.compile(r"\s*(\"[^\"]*\"|[A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self._text = text
        self._at: dict[tuple[tuple[str, ...], str | None], int] | None = None

    def of(self, table: tuple[str, ...], key: str | None) -> int | None:
        """The line of a key in a table (or of the table's header), else of the table."""
        if self._at is None:
            self._at = self._scan(self._text)
        return self._at.get((table, key)) or self._at.get((table, None))

    def _scan(self, text: str) -> dict[tuple[tuple[str, ...], str | None], int]:
        at: dict[tuple[tuple[str, ...], str | None], int] = {}
        table: tuple[str, ...] = ()
        in_string = False
        for number, line in enumerate(text.split("\n"), start=1):
            if in_string:
                in_string = line.count('"""') % 2 == 0
                continue
            header = self._HEADER.fullmatch(line)
            key = self._KEY.match(line)
            if header:
                table = tuple(p.strip().strip('"') for p in header.group(1).split("."))
                at.setdefault((table, None), number)
            elif key:
                at.setdefault((table, key.group(1).strip('"')), number)
                in_string = line.count('"""') % 2 == 1
        return at


class _Reader:
    """Typed access to one TOML table, raising ReviewLogError with the line of a bad value."""

    def __init__(
        self, doc: dict[str, Any], file: Path, lines: _Lines, table: tuple[str, ...]
    ) -> None:
        self.doc, self.file, self.lines, self.table = doc, file, lines, table

    def error(self, key: str | None, problem: str) -> ReviewLogError:
        where = ".".join((*self.table, key) if key else self.table)
        prefix = f"{where}: " if where else ""
        line = self.lines.of(self.table, key)
        return ReviewLogError(self.file, prefix + problem, line=line, code="bad_value")

    def refuse_unknown(self, known: tuple[str, ...]) -> None:
        unknown = [k for k in self.doc if k not in known]
        if unknown:
            # Unknown keys would be dropped by the next save: refuse instead.
            raise self.error(unknown[0], "unknown key")

    def _get(self, key: str, kind: type | tuple[type, ...], what: str, required: bool) -> Any:
        if key not in self.doc:
            if required:
                raise self.error(key, "missing")
            return None
        value = self.doc[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.error(key, f"must be {what}, not {type(value).__name__}")
        return value

    def text(self, key: str, *, required: bool = False) -> str:
        value = self._get(key, str, "a string", required)
        return "" if value is None else str(value)

    def integer(self, key: str) -> int | None:
        value = self._get(key, int, "an integer", False)
        return None if value is None else int(value)

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool, "true or false", False))

    def time(self, key: str, *, required: bool = False) -> datetime | None:
        value = self._get(key, datetime, "a date and time", required)
        if value is not None and value.tzinfo is None:
            raise self.error(key, "needs a time zone, e.g. 2025-03-01T14:00:00+08:00")
        return value  # type: ignore[no-any-return]

    def required_time(self, key: str) -> datetime:
        value = self.time(key, required=True)
        assert value is not None
        return value

    def choice(
        self,
        key: str,
        vocabulary: Mapping[str, tuple[str, str]],
        *,
        required: bool = False,
        default: str = "",
    ) -> str:
        value = self.text(key, required=required) or default
        if value in vocabulary:
            return value
        # A hand edit may use the Chinese label: read it as its key.
        for k, (zh, _) in vocabulary.items():
            if value == zh:
                return k
        raise self.error(key, f"must be one of {', '.join(vocabulary)}, not {value!r}")

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, list, "a list of strings", False) or []
        if not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a list of strings")
        return tuple(value)

    def decimal(self, key: str) -> Decimal | None:
        value = self._get(key, (str, int), "a number written as a string", False)
        if value is None:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.error(key, f"{value!r} is not a number") from None
        if not number.is_finite():
            raise self.error(key, f"{value!r} is not a number")
        return number


def write_atomic(path: Path, data: bytes) -> None:
    """Replace a file's content all at once: temp file in the same folder, fsync, os.replace,
    fsync of the folder. A kill at any moment leaves the old or the new content, whole."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    # os.open applies the umask, so a colleague can read the log as they read the batch.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def write_with_backup(path: Path, data: bytes, previous: bytes | None) -> None:
    """Write a file atomically, keeping its previous content as `<name>.bak`."""
    if previous is not None and previous != data:
        # The backup guards against a wrong decision or edit, not a crash: no fsync needed.
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        tmp = backup.with_name(f".{backup.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            tmp.write_bytes(previous)
            os.replace(tmp, backup)
        except BaseException:
            # A full disk must not leave half a backup behind.
            tmp.unlink(missing_ok=True)
            raise
    write_atomic(path, data)


def fsync_folder(folder: Path) -> None:
    # The rename lives in the folder's entry table; without this a power cut may forget it.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def clean_temp_files(folder: Path, *, max_age: float = TEMP_MAX_AGE) -> int:
    """Remove temporary files that killed saves left behind; a live save's are younger than
    `max_age` seconds and kept. Returns how many were removed."""
    removed = 0
    now = time.time()
    for sub in (folder, folder / REPORTS_DIR):
        if not sub.is_dir():
            continue
        for path in sub.glob(f".*{TEMP_SUFFIX}"):
            try:
                if now - path.stat().st_mtime > max_age:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
    return removed
