"""Extraction and check results kept between runs, keyed by file content and extractor version.

One SQLite file in the user's cache directory. A report is known by the sha256 of its bytes;
a stat index (path, size, mtime) spares hashing files that have not changed since last time.
Results are stored under a version that changes with the code of the core and with every
setting that changes what extraction and the checks produce, so a stale result is never used.
Entries are plain data (core/cache_codec.py), never code: a cache folder another account can
write gives at worst wrong results, and anything that is not an entry this code writes is
refused as damaged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import core

CACHE_ENV = "JIXIAO_CACHE_DIR"
CACHE_FILE = "results.sqlite"

SCHEMA_VERSION = 3
"""Kept as SQLite's user_version; a cache file of another layout is emptied and laid out anew
(layout 2 held pickles: such a file is dropped unread)."""

_TABLES = ("meta", "files", "results", "summaries", "batch_results", "unit_groups")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    sha256 TEXT NOT NULL, version TEXT NOT NULL, entry BLOB NOT NULL,
    PRIMARY KEY (sha256, version)
);
-- Apart from the entries, so that opening a batch reads only these small rows.
CREATE TABLE IF NOT EXISTS summaries (
    version TEXT NOT NULL, sha256 TEXT NOT NULL, summary BLOB NOT NULL,
    PRIMARY KEY (version, sha256)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS batch_results (
    folder TEXT NOT NULL, batch TEXT NOT NULL, position INTEGER NOT NULL,
    summary BLOB NOT NULL, findings BLOB NOT NULL,
    PRIMARY KEY (folder, position)
);
CREATE TABLE IF NOT EXISTS unit_groups (
    folder TEXT PRIMARY KEY, names TEXT NOT NULL, groups BLOB NOT NULL
);
"""


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _is_digest(value: object) -> bool:
    return type(value) is str and _DIGEST.fullmatch(value) is not None


def default_cache_dir() -> Path:
    """$JIXIAO_CACHE_DIR, else $XDG_CACHE_HOME/jixiao, else ~/.cache/jixiao."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jixiao"


@functools.cache
def code_version() -> str:
    """A digest of the core's source: any change to extraction or checks gives a new one."""
    digest = hashlib.blake2b(digest_size=12)
    root = Path(core.__file__).parent
    for source in sorted(root.rglob("*.py")):
        digest.update(source.relative_to(root).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def results_version(*settings: object) -> str:
    """The version results are stored under: the core's code and the settings that shape the
    results (field rules, check configuration)."""
    canonical = json.dumps([_canonical(s) for s in settings], ensure_ascii=False)
    digest = hashlib.blake2b(canonical.encode(), digest_size=12)
    digest.update(code_version().encode())
    return digest.hexdigest()


def batch_version(version: str, digests: Iterable[str]) -> str:
    """The version of a batch's cross-report results: the reports' contents, in batch order."""
    digest = hashlib.blake2b(version.encode(), digest_size=16)
    for d in digests:
        digest.update(d.encode() + b"\n")
    return digest.hexdigest()


def _canonical(value: object) -> Any:
    """A JSON-able form that is the same from run to run (sets and mappings sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return sorted([str(k), _canonical(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(str(_canonical(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    return repr(value)


class ResultCache:
    """Results by content digest. Safe to share between the threads of one process; worker
    processes open their own (SQLite serialises writers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        """What went wrong with the cache since it was opened, if anything."""
        if str(path) != ":memory:":  # SQLite's name for a database in memory
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            (layout,) = self._db.execute("PRAGMA user_version").fetchone()
            if layout != SCHEMA_VERSION:
                with self._db:
                    for table in _TABLES:
                        self._db.execute(f"DROP TABLE IF EXISTS {table}")
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.executescript(_SCHEMA)
            # Results of older code can never be used again.
            code = code_version()
            row = self._db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
            if row is None or row[0] != code:
                with self._db:
                    for table in ("results", "summaries", "batch_results"):
                        self._db.execute(f"DELETE FROM {table}")
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code,))

    @classmethod
    def open(cls, folder: Path | None = None) -> ResultCache:
        return cls((folder or default_cache_dir()) / CACHE_FILE)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        """One use of the database. A cache that fails (disk full, an I/O error, a damaged
        file) costs time, never results: the first problem is kept in `problem` and the work
        goes on without what the cache would have given."""
        try:
            with self._lock:
                yield
        except (sqlite3.Error, OSError) as exc:
            self.note_problem(str(exc))

    def note_problem(self, problem: str) -> None:
        """Record a problem met with the cache (a damaged entry refused by its reader); only
        the first is kept."""
        if self.problem is None:
            self.problem = problem

    # The stat index: which files are unchanged since their digest was taken.

    def known_digests(self) -> dict[str, tuple[int, int, str]]:
        """path → (size, mtime_ns, sha256) of every file seen before."""
        rows: list[tuple[str, int, int, str]] = []
        with self._guarded():
            rows = self._db.execute("SELECT path, size, mtime_ns, sha256 FROM files").fetchall()
        known: dict[str, tuple[int, int, str]] = {}
        for path, size, mtime, sha in rows:
            # SQLite stores whatever it is given: a row of other types is hashed again.
            if type(size) is int and type(mtime) is int and _is_digest(sha):
                known[path] = (size, mtime, sha)
            else:
                self.note_problem("a damaged entry was refused (a file's digest)")
        return known

    def remember_digests(self, files: Iterable[tuple[str, int, int, str]]) -> None:
        """Record (path, size, mtime_ns, sha256) of files just hashed."""
        with self._guarded(), self._db:
            self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", files)

    # One report's own results (extraction and the checks on it alone).

    def summaries(self, version: str, digests: Iterable[str]) -> dict[str, bytes]:
        """sha256 → encoded summary, for the digests whose results are stored."""
        wanted = set(digests)
        found: dict[str, bytes] = {}
        with self._guarded():
            cursor = self._db.execute(
                "SELECT sha256, summary FROM summaries WHERE version = ?", (version,)
            )
            for sha, summary in cursor:
                if sha in wanted:
                    found[sha] = summary
        return found

    def entry(self, version: str, digest: str) -> bytes | None:
        """The encoded entry stored for a digest, or None."""
        row = None
        with self._guarded():
            row = self._db.execute(
                "SELECT entry FROM results WHERE sha256 = ? AND version = ?", (digest, version)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def store(self, version: str, results: Iterable[tuple[str, bytes, bytes]]) -> None:
        """Store (sha256, encoded summary, encoded entry) results."""
        rows = list(results)
        with self._guarded(), self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                ((sha, version, entry) for sha, _, entry in rows),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?)",
                ((version, sha, summary) for sha, summary, _ in rows),
            )

    # Results of the cross-report checks, which depend on the whole batch.

    def batch_results(self, folder: str, batch: str) -> dict[int, tuple[bytes, bytes]]:
        """position → (encoded summary, encoded findings) stored for a folder's batch version."""
        rows: list[tuple[int, bytes, bytes]] = []
        with self._guarded():
            rows = self._db.execute(
                "SELECT position, summary, findings FROM batch_results"
                " WHERE folder = ? AND batch = ?",
                (folder, batch),
            ).fetchall()
        return {pos: (summary, findings) for pos, summary, findings in rows}

    def store_batch(
        self, folder: str, batch: str, results: Iterable[tuple[int, bytes, bytes]]
    ) -> None:
        """Store a folder's cross-report results; those of its earlier versions go."""
        with self._guarded(), self._db:
            self._db.execute(
                "DELETE FROM batch_results WHERE folder = ? AND batch != ?", (folder, batch)
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO batch_results VALUES (?, ?, ?, ?, ?)",
                ((folder, batch, pos, summary, findings) for pos, summary, findings in results),
            )

    # A folder's reports grouped by unit, which depends on names and years only.

    def unit_groups(self, folder: str, names: str) -> bytes | None:
        """The encoded groups stored for a folder whose names and years digest to `names`."""
        row = None
        with self._guarded():
            row = self._db.execute(
                "SELECT groups FROM unit_groups WHERE folder = ? AND names = ?", (folder, names)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def store_unit_groups(self, folder: str, names: str, groups: bytes) -> None:
        with self._guarded(), self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO unit_groups VALUES (?, ?, ?)", (folder, names, groups)
            )
