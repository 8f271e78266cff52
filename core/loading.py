"""Loading a batch at scale: a summary per report, from the cache when its content is known,
else read, extracted and checked in worker processes; then the cross-report checks.

Only summaries stay in memory; a report's full results are fetched from the cache when it is
opened, so 40,000 reports fit in a few tens of megabytes.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from core.batch import Entry, load_entry
from core.cache import ResultCache, batch_version, results_version
from core.cache_codec import (
    Damaged,
    Json,
    decode_entry,
    decode_findings,
    decode_unit_groups,
    encode_entry,
    encode_findings,
    encode_unit_groups,
    fields,
    from_bytes,
    integer,
    optional,
    string,
    to_bytes,
)
from core.check_context import CheckConfig
from core.checks import add_cross_report_findings
from core.copying import index_batch
from core.models import Extraction, Report
from core.reading import real_path
from core.rules import FieldRule
from core.units import group_units

POOL_FROM = 48
"""Fewer reports to read than this are read in the calling thread: starting worker processes
costs more than it saves."""
CHUNK = 16
"""Reports handed to a worker at a time."""

T = TypeVar("T")


@dataclass(frozen=True)
class Summary:
    """What the batch listing needs of a report: kept in memory for every report."""

    sha256: str
    unit: str | None
    year: int | None
    errors: int
    warnings: int
    problem: str | None = None
    """Why the file could not be read, or None."""

    @classmethod
    def of(cls, entry: Entry) -> Summary:
        ex = entry.extraction
        return cls(
            ex.report.sha256,
            ex.unit,
            ex.year,
            entry.count("error"),
            entry.count("warning"),
            entry.error,
        )

    def encoded(self) -> bytes:
        return to_bytes(
            [self.sha256, self.unit, self.year, self.errors, self.warnings, self.problem]
        )

    @classmethod
    def decode(cls, data: Json) -> Summary:
        sha, unit, year, errors, warnings, problem = fields(data, 6)
        return cls(
            string(sha),
            optional(unit, string),
            optional(year, integer),
            integer(errors),
            integer(warnings),
            optional(problem, string),
        )


def default_workers() -> int:
    """Worker processes to use: one per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class BatchLoader:
    """Loads one batch's reports through the cache. Not thread-safe: one loading thread calls
    `summaries` then `batch_summaries`; `entry` may be called from any thread meanwhile."""

    paths: Sequence[Path]
    rules: tuple[FieldRule, ...]
    checks: CheckConfig
    cache: ResultCache
    workers: int = field(default_factory=default_workers)
    version: str = ""
    digests: list[str | None] = field(default_factory=list)
    """Each report's sha256 once known; None for a file that cannot be read."""
    real_paths: Sequence[str] = ()
    """Each path's real path, when known (`FoundFiles.real_paths`): the stat index's key."""
    _uncached: dict[int, Entry] = field(default_factory=dict)
    _batch_findings: dict[int, bytes] = field(default_factory=dict)
    _batch: tuple[str, str] = ("", "")
    """The folder and the version the cross-report results were stored under."""

    def __post_init__(self) -> None:
        self.version = results_version(self.rules, self.checks)
        self.digests = [None] * len(self.paths)

    # Each report on its own

    def summaries(self, order: Sequence[int] | None = None) -> Iterator[tuple[int, Summary]]:
        """(index, summary) of every report: the cached ones first, in `order`, then the others
        as they are read."""
        order = list(range(len(self.paths))) if order is None else list(order)
        self._hash(order)
        keys = self._result_keys()
        stored = self.cache.summaries(self.version, (k for k in keys if k))
        missing: list[int] = []
        for i in order:
            key = keys[i]
            blob = stored.get(key) if key is not None else None
            summary = None if blob is None else self._decoded(blob, Summary.decode)
            if summary is None:
                missing.append(i)
            else:
                yield i, self._summary(i, summary)
        yield from self._read(missing)

    def entry(self, index: int) -> Entry:
        """A report's full results (extraction, findings with the cross-report ones once they
        have run), from the cache; read again if the cache lost them."""
        if index in self._uncached:
            entry = self._uncached[index]
        else:
            key = self._result_key(index)
            blob = self.cache.entry(self.version, key) if key else None
            cached = None if blob is None else self._decoded(blob, decode_entry)
            if cached is None:
                entry = load_entry(self.paths[index], rules=self.rules, checks=self.checks)
                if blob is not None and key:  # a damaged entry: put a sound one in its place
                    self.cache.store(
                        self.version, [(key, Summary.of(entry).encoded(), _encoded(entry))]
                    )
            else:
                entry = _at_path(cached, self.paths[index])
        batch = self._batch_findings.get(index)
        if batch is None:
            return entry
        findings = self._decoded(batch, decode_findings)
        if findings is None:  # damaged: the cross-report checks run again
            self._check_batch(*self._batch)
            findings = from_bytes(self._batch_findings[index], decode_findings)
        return replace(entry, findings=findings)

    def _decoded(self, blob: bytes, decode: Callable[[Json], T]) -> T | None:
        """What the cache held, or None (and the problem noted) when it is not an entry this
        code writes: a damaged file, or one planted by whoever else can write the folder."""
        try:
            return from_bytes(blob, decode)
        except Damaged as exc:
            self.cache.note_problem(f"a damaged entry was refused ({exc})")
            return None

    def _hash(self, order: Sequence[int]) -> None:
        known = self.cache.known_digests()
        fresh: list[tuple[str, int, int, str]] = []
        for i in order:
            path = self.paths[i]
            try:
                info = path.stat()
                if not stat.S_ISREG(info.st_mode):
                    continue  # a pipe would block; reading it below says what it is
                key = self.real_paths[i] if self.real_paths else real_path(path)
                seen = known.get(key)
                if seen is not None and seen[:2] == (info.st_size, info.st_mtime_ns):
                    self.digests[i] = seen[2]
                    continue
                digest = _sha256(path)
                self.digests[i] = digest
                fresh.append((key, info.st_size, info.st_mtime_ns, digest))
            except (OSError, ValueError, RuntimeError):
                continue  # read below, where the problem is put in words
        self.cache.remember_digests(fresh)

    def _read(self, indices: list[int]) -> Iterator[tuple[int, Summary]]:
        if not indices:
            return
        done: set[int] = set()
        if len(indices) >= POOL_FROM and self.workers > 1:
            settings = (self.rules, _portable(self.checks))
            try:
                with _pool(self.workers, _start_worker, settings) as pool:
                    results = pool.map(
                        _read_one, [str(self.paths[i]) for i in indices], chunksize=CHUNK
                    )
                    for i, summary in self._store(indices, results):
                        done.add(i)
                        yield i, summary
                return
            except (BrokenProcessPool, OSError, RuntimeError, ValueError):
                pass  # no worker processes here (a sandbox, a frozen app): read them here
        rest = [i for i in indices if i not in done]
        _start_worker(self.rules, self.checks)
        yield from self._store(rest, map(_read_one, (str(self.paths[i]) for i in rest)))

    def _store(
        self, indices: list[int], results: Iterator[tuple[str, bytes, bytes]]
    ) -> Iterator[tuple[int, Summary]]:
        pending: list[tuple[str, bytes, bytes]] = []
        for i, (digest, summary, entry) in zip(indices, results, strict=True):
            if digest:
                self.digests[i] = digest
                pending.append((_result_key(digest, self.paths[i]), summary, entry))
            else:  # could not be read at all: nothing to key it by
                self._uncached[i] = from_bytes(entry, decode_entry)
            if len(pending) >= 256:
                self.cache.store(self.version, pending)
                pending = []
            yield i, self._summary(i, from_bytes(summary, Summary.decode))
        self.cache.store(self.version, pending)

    def _result_key(self, index: int) -> str | None:
        digest = self.digests[index]
        return None if digest is None else _result_key(digest, self.paths[index])

    def _result_keys(self) -> list[str | None]:
        return [self._result_key(i) for i in range(len(self.paths))]

    def _summary(self, index: int, summary: Summary) -> Summary:
        if summary.problem:  # the message names the file it was first read as
            entry = self.entry(index)
            return replace(summary, problem=entry.error)
        return summary

    # The cross-report checks

    def batch_summaries(
        self, folder: Path, progress: Callable[[int], None] | None = None
    ) -> Iterator[tuple[int, Summary]]:
        """(index, summary) of every report once the checks that compare reports have run
        over the batch (in a worker process, streaming reports from the cache; the results are
        cached for the batch as it is)."""
        key = str(folder.resolve())
        batch = batch_version(self.version, (k or "" for k in self._result_keys()))
        self._batch = (key, batch)
        stored = self.cache.batch_results(key, batch)
        summaries: dict[int, Summary] = {}
        if set(stored) == set(range(len(self.paths))):
            for i, (summary, _) in stored.items():
                decoded = self._decoded(summary, Summary.decode)
                if decoded is None:
                    break
                summaries[i] = decoded
        if len(summaries) != len(self.paths):
            stored = self._check_batch(key, batch)
            summaries = {i: from_bytes(s, Summary.decode) for i, (s, _) in stored.items()}
        self._batch_findings = {i: findings for i, (_, findings) in stored.items()}
        for i in sorted(summaries):
            yield i, self._summary(i, summaries[i])

    def _check_batch(self, key: str, batch: str) -> dict[int, tuple[bytes, bytes]]:
        """Run the cross-report checks, store their results and keep their findings."""
        uncached = {i: _encoded(e) for i, e in self._uncached.items()}
        keys = self._result_keys()
        paths = [str(p) for p in self.paths]
        checks = _portable(self.checks)
        args = (self.cache.path, self.version, keys, paths, uncached, self.rules, checks)
        if len(self.paths) < POOL_FROM or self.workers < 2:
            results, problem = _check_batch(*args)
        else:
            try:
                with _pool(1, None, ()) as pool:
                    results, problem = pool.submit(_check_batch, *args).result()
            except (BrokenProcessPool, OSError, RuntimeError, ValueError):
                results, problem = _check_batch(*args)  # no worker process here: in this one
        if problem is not None:
            self.cache.note_problem(problem)
        self.cache.store_batch(key, batch, results)
        stored = {pos: (summary, findings) for pos, summary, findings in results}
        self._batch_findings = {i: findings for i, (_, findings) in stored.items()}
        return stored

    # Units across the years

    def unit_groups(
        self, folder: Path, summaries: Sequence[Summary | None], threshold: float
    ) -> list[tuple[str, list[int]]]:
        """The readable reports grouped by unit: (unit name, indices), from names and years
        only; worked out in a worker process for a big batch (40,000 names take ~20 s) and
        cached for the folder while its names and years stay the same."""
        names = [
            (i, str(self.paths[i]), s.sha256, s.unit, s.year)
            for i, s in enumerate(summaries)
            if s is not None and not s.problem
        ]
        key = str(folder.resolve())
        digest = hashlib.sha256(repr((threshold, names)).encode()).hexdigest()
        stored = self.cache.unit_groups(key, digest)
        groups = None if stored is None else self._decoded(stored, decode_unit_groups)
        if groups is not None and all(
            0 <= i < len(self.paths) for _, members in groups for i in members
        ):
            return groups
        if groups is not None:
            self.cache.note_problem("a damaged entry was refused (a unit group out of range)")
        if len(names) < POOL_FROM or self.workers < 2:
            groups = _unit_groups(names, threshold)
        else:
            try:
                with _pool(1, None, ()) as pool:
                    groups = pool.submit(_unit_groups, names, threshold).result()
            except (BrokenProcessPool, OSError, RuntimeError, ValueError):
                groups = _unit_groups(names, threshold)
        self.cache.store_unit_groups(key, digest, to_bytes(encode_unit_groups(groups)))
        return groups


def private_cache() -> ResultCache:
    """A cache of this run only (`--no-cache`, or the user's cannot be opened): a fresh file
    deleted when the process ends, so results still leave memory but nothing earlier is used.
    Where no file can be written at all, it is in memory (worker processes then read their
    reports again)."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="jixiao-"))
        atexit.register(shutil.rmtree, folder, True)
        return ResultCache(folder / "results.sqlite")
    except (OSError, sqlite3.Error):
        return ResultCache(Path(":memory:"))


# ---- in worker processes -------------------------------------------------------------------

_settings: tuple[tuple[FieldRule, ...], CheckConfig] | None = None


def _start_worker(rules: tuple[FieldRule, ...], checks: CheckConfig) -> None:
    global _settings
    _settings = (rules, checks)


def _read_one(path: str) -> tuple[str, bytes, bytes]:
    """Read, extract and check one report: (sha256, encoded summary, encoded entry)."""
    assert _settings is not None
    rules, checks = _settings
    entry = load_entry(Path(path), rules=rules, checks=checks)
    return entry.extraction.report.sha256, Summary.of(entry).encoded(), _encoded(entry)


def _check_batch(
    cache_path: Path,
    version: str,
    keys: Sequence[str | None],
    paths: Sequence[str],
    uncached: dict[int, bytes],
    rules: tuple[FieldRule, ...],
    checks: CheckConfig,
) -> tuple[list[tuple[int, bytes, bytes]], str | None]:
    """Every report's findings with the cross-report checks: two passes over the cache, one
    report in memory at a time (a report the cache could not keep, or kept damaged, is read
    again); and the problem met with the cache, if any."""
    cache = ResultCache(cache_path)

    def entries() -> Iterator[Entry]:
        for i, key in enumerate(keys):
            blob = uncached.get(i) or (cache.entry(version, key) if key else None)
            entry = None
            if blob is not None:
                try:
                    entry = from_bytes(blob, decode_entry)
                except Damaged as exc:
                    cache.note_problem(f"a damaged entry was refused ({exc})")
            if entry is None:
                entry = load_entry(Path(paths[i]), rules=rules, checks=checks)
            yield entry

    index = index_batch(
        ((e.extraction.unit, e.extraction.report.text) for e in entries()),
        template_reports=checks.template_reports,
    )
    results = []
    for position, entry in enumerate(entries()):
        findings = add_cross_report_findings(
            entry.extraction, entry.findings, config=checks, batch=index, position=position
        )
        entry = Entry(entry.extraction, tuple(findings))
        findings_blob = to_bytes(encode_findings(entry.findings))
        results.append((position, Summary.of(entry).encoded(), findings_blob))
    cache.close()
    return results, cache.problem


def _unit_groups(
    names: list[tuple[int, str, str, str | None, int | None]], threshold: float
) -> list[tuple[str, list[int]]]:
    light = [
        Extraction(Report(Path(path), sha, "", ""), unit, year)
        for _, path, sha, unit, year in names
    ]
    index = {id(ex): i for ex, (i, *_) in zip(light, names, strict=True)}
    return [
        (g.unit, [index[id(ex)] for ex in g.extractions])
        for g in group_units(light, threshold=threshold)
    ]


# ---- helpers -------------------------------------------------------------------------------


def prepare_workers() -> None:
    """Start multiprocessing's helper processes now, while this process still has its real
    standard streams: a full-screen app replaces sys.stderr with an object without a file
    descriptor, and starting them later fails."""
    import multiprocessing.forkserver
    import multiprocessing.resource_tracker

    with contextlib.suppress(OSError, ValueError, RuntimeError):
        multiprocessing.resource_tracker.ensure_running()
        if "forkserver" in multiprocessing.get_all_start_methods():
            multiprocessing.forkserver.ensure_running()


def _pool(
    workers: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> Executor:
    # forkserver: forking a process that runs UI threads could copy a held lock.
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_process,
        initargs=(initializer, initargs),
    )


def _start_process(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """In a worker process: end with the program that started it. A program killed outright
    (a dropped SSH session) gives its workers no word, and they would wait for work forever."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _portable(checks: CheckConfig) -> CheckConfig:
    """The settings in a form that can be sent to another process (read-only mapping views
    cannot be pickled)."""
    return replace(checks, severity=dict(checks.severity), tolerance=dict(checks.tolerance))


def _encoded(entry: Entry) -> bytes:
    return to_bytes(encode_entry(entry))


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _result_key(sha256: str, path: Path) -> str:
    """What results are stored under: the content and the file's name (two files of the same
    text under two names are two reports; the unit and the year no longer depend on the name,
    which only the batch grouping falls back on, but what a report's results say of its file,
    such as a warning naming it, does)."""
    return f"{sha256}/{path.name}"


def _at_path(entry: Entry, path: Path) -> Entry:
    """A cached entry as read from `path` (the same content may have been cached elsewhere)."""
    report = entry.extraction.report
    if report.path == path:
        return entry
    error = report.error
    if error is not None and error.startswith(f"{report.path}: "):
        error = f"{path}: {error[len(str(report.path)) + 2 :]}"
    moved = replace(report, path=path, error=error)
    return replace(entry, extraction=replace(entry.extraction, report=moved))
