"""Bench: the result cache's plain-data entries (JSON, core/cache_codec.py) against the pickles
the cache held before, in one run, on the same batch and the same cache contents.

    .venv/bin/python bench/bench_cache_codec.py BATCH [--repeat 5]

BATCH is a folder, e.g. made by `bench/make_batch.py /tmp/b2k --n 2000`. The batch is read once
into a fresh cache (cold); a copy of that cache is then rewritten with every entry pickled, as
the old code stored it. Each warm open (find the reports, list every report from the cache, the
cross-report results, units grouped) is then timed on both, alternately, and the medians are
compared; so is decoding every report's full entry (what opening a report, and the
cross-report pass of a cold open, do). Pickle is used here only to measure what it cost: the
program itself no longer reads it.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core.loading  # noqa: E402
from core.cache import CACHE_FILE, ResultCache  # noqa: E402
from core.cache_codec import (  # noqa: E402
    decode_entry,
    decode_findings,
    decode_unit_groups,
    from_bytes,
)
from core.check_context import CheckConfig  # noqa: E402
from core.loading import BatchLoader, Summary  # noqa: E402
from core.reading import find_reports  # noqa: E402
from core.rules import FIELD_RULES  # noqa: E402

CHECKS = CheckConfig()
REAL_FROM_BYTES = core.loading.from_bytes


def _pickled_from_bytes(blob: bytes, decode: Callable[[Any], Any]) -> Any:
    return pickle.loads(blob)


def _open(folder: Path, cache_dir: Path, workers: int = 1) -> BatchLoader:
    found = find_reports([folder])
    loader = BatchLoader(
        found.reports,
        FIELD_RULES,
        CHECKS,
        ResultCache.open(cache_dir),
        workers=workers,
        real_paths=found.real_paths,
    )
    summaries: list[Summary | None] = [None] * len(loader.paths)
    for i, summary in loader.summaries():
        summaries[i] = summary
    for i, summary in loader.batch_summaries(folder):
        summaries[i] = summary
    loader.unit_groups(folder, summaries, 90)
    return loader


def _pickle_copy(source: Path, target: Path) -> None:
    """The cache at `source` with every entry pickled, as the old code wrote it."""
    target.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(source / CACHE_FILE)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shutil.copy(source / CACHE_FILE, target / CACHE_FILE)
    db = sqlite3.connect(target / CACHE_FILE)

    def again(blob: bytes, decode: Callable[[Any], Any]) -> bytes:
        return pickle.dumps(from_bytes(blob, decode), protocol=pickle.HIGHEST_PROTOCOL)

    with db:
        rows = db.execute("SELECT version, sha256, summary FROM summaries").fetchall()
        db.executemany(
            "UPDATE summaries SET summary = ? WHERE version = ? AND sha256 = ?",
            [(again(s, Summary.decode), v, sha) for v, sha, s in rows],
        )
        rows = db.execute("SELECT sha256, version, entry FROM results").fetchall()
        db.executemany(
            "UPDATE results SET entry = ? WHERE sha256 = ? AND version = ?",
            [(again(e, decode_entry), sha, v) for sha, v, e in rows],
        )
        rows = db.execute("SELECT folder, position, summary, findings FROM batch_results")
        db.executemany(
            "UPDATE batch_results SET summary = ?, findings = ? WHERE folder = ? AND position = ?",
            [
                (again(s, Summary.decode), again(f, decode_findings), folder, pos)
                for folder, pos, s, f in rows.fetchall()
            ],
        )
        rows = db.execute("SELECT folder, names, groups FROM unit_groups").fetchall()
        db.executemany(
            "UPDATE unit_groups SET groups = ? WHERE folder = ? AND names = ?",
            [(again(g, decode_unit_groups), folder, names) for folder, names, g in rows],
        )
    db.execute("VACUUM")
    db.close()


def _sizes(cache_dir: Path) -> dict[str, int]:
    db = sqlite3.connect(cache_dir / CACHE_FILE)
    sizes = {
        table: db.execute(f"SELECT sum(length({column})) FROM {table}").fetchone()[0] or 0
        for table, column in (("summaries", "summary"), ("results", "entry"))
    }
    db.close()
    return sizes


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder: Path = args.batch.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-codec-") as tmp:
        as_json, as_pickle = Path(tmp) / "json", Path(tmp) / "pickle"
        start = time.perf_counter()
        cold = _open(folder, as_json, workers=args.workers)
        cold.cache.close()
        print(f"cold open, {len(cold.paths)} reports: {time.perf_counter() - start:.1f} s")
        _pickle_copy(as_json, as_pickle)
        sizes = {"json": _sizes(as_json), "pickle": _sizes(as_pickle)}
        for name, size in sizes.items():
            print(f"stored bytes, {name}: " + ", ".join(f"{t} {b:,}" for t, b in size.items()))

        def warm(cache_dir: Path, pickled: bool) -> float:
            core.loading.from_bytes = _pickled_from_bytes if pickled else REAL_FROM_BYTES  # type: ignore[assignment]
            try:
                loader: list[BatchLoader] = []
                seconds = _timed(lambda: loader.append(_open(folder, cache_dir)))
                assert loader[0].cache.problem is None, loader[0].cache.problem
                loader[0].cache.close()
                return seconds
            finally:
                core.loading.from_bytes = REAL_FROM_BYTES

        def entries(cache_dir: Path, decode: Callable[[bytes], object]) -> float:
            db = sqlite3.connect(cache_dir / CACHE_FILE)
            blobs = [bytes(b) for (b,) in db.execute("SELECT entry FROM results")]
            db.close()
            return _timed(lambda: [decode(b) for b in blobs])

        times: dict[str, list[float]] = {k: [] for k in ("json", "pickle", "json e", "pickle e")}
        warm(as_json, False)  # the files in the page cache for both
        warm(as_pickle, True)
        for _ in range(args.repeat):
            times["json"].append(warm(as_json, False))
            times["pickle"].append(warm(as_pickle, True))
            times["json e"].append(entries(as_json, lambda b: from_bytes(b, decode_entry)))
            times["pickle e"].append(entries(as_pickle, pickle.loads))
        med = {k: statistics.median(v) for k, v in times.items()}
        n = len(cold.paths)
        print(
            f"warm open (median of {args.repeat}): json {med['json']:.3f} s, "
            f"pickle {med['pickle']:.3f} s, ratio {med['json'] / med['pickle']:.2f}"
        )
        print(
            f"decoding every full entry: json {med['json e'] * 1000 / n:.3f} ms/report, "
            f"pickle {med['pickle e'] * 1000 / n:.3f} ms/report, "
            f"ratio {med['json e'] / med['pickle e']:.2f}"
        )


if __name__ == "__main__":
    main()
