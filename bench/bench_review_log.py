"""Bench: the cost of saving one decision in a 40,000-report log holding 5,000 annotations.

    .venv/bin/python bench/bench_review_log.py [REPORTS] [ANNOTATIONS]

Prints the time to open the log and the time each save takes (median, 95th percentile, max).
"""

from __future__ import annotations

import hashlib
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.models import Report
from core.review import Annotation, ReportState, Target
from core.review_log import ReviewLog, default_log_folder
from core.review_store import REPORTS_DIR, dump_index, dump_report

REVIEWER = "张三"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def _report(n: int) -> Report:
    text = f"第{n}号单位2023年度部门整体支出绩效自评报告\n支出合计{n}.00万元。\n"
    return Report(
        Path(f"reports/{n:05d}.txt"), hashlib.sha256(text.encode()).hexdigest(), text, "txt"
    )


def _note(n: int, at: datetime) -> Annotation:
    return Annotation.create(
        Target("field", field="spending_total"),
        status="confirmed",
        severity="error",
        author=REVIEWER,
        at=at,
        note=f"第{n}条意见：合计与明细不符，请核实。",
        quote="支出合计",
        start=20,
        end=24,
    )


def build(batch: Path, reports: int, annotations: int) -> None:
    """Write the log directly (no fsync: this is setup, not what is measured)."""
    folder = default_log_folder(batch, REVIEWER)
    (folder / REPORTS_DIR).mkdir(parents=True)
    (folder / "review.toml").write_bytes(dump_index(REVIEWER, START))
    per_report = {n: [] for n in range(reports)}
    for i in range(annotations):
        per_report[i % reports].append(_note(i, START + timedelta(seconds=i)))
    for n in range(reports):
        r = _report(n)
        state = ReportState(
            key=f"{n:05d}",
            path=r.path.as_posix(),
            sha256=r.sha256,
            unit=f"第{n}号单位",
            year=2023,
            status="done",
            status_by=REVIEWER,
            status_at=START,
            annotations=tuple(per_report[n]),
        )
        (folder / REPORTS_DIR / f"{state.key}.toml").write_bytes(dump_report(state))


def main() -> None:
    reports = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    annotations = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        batch = Path(tmp)
        t = time.perf_counter()
        build(batch, reports, annotations)
        print(f"built {reports:,} report files, {annotations:,} annotations: "
              f"{time.perf_counter() - t:.1f} s")  # fmt: skip
        t = time.perf_counter()
        log = ReviewLog.open(batch, reviewer=REVIEWER)
        print(f"open: {time.perf_counter() - t:.2f} s")
        rng = random.Random(1)
        saves = []
        for i in range(300):
            key = log.report_state(_report(rng.randrange(reports))).key
            note = _note(annotations + i, log.now())
            t = time.perf_counter()
            log.add(key, note)
            saves.append(time.perf_counter() - t)
        saves.sort()
        ms = [s * 1000 for s in saves]
        p95 = ms[int(len(ms) * 0.95)]
        print(f"save one annotation: median {statistics.median(ms):.2f} ms, "
              f"p95 {p95:.2f} ms, max {ms[-1]:.2f} ms ({len(ms)} saves)")  # fmt: skip


if __name__ == "__main__":
    main()
