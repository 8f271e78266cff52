"""Bench: extract + check throughput, against a regex floor and a peer extractor, in one run.

    .venv/bin/python bench/bench_extract.py [BATCH_DIR] [--reports N] [--repeat R]

Over the same report texts (the .txt reports of BATCH_DIR, or a batch of N made by
make_batch.py in a temporary folder), prints reports/s and MB/s (UTF-8) of:
- the floor: one `re.finditer(r"\\d[\\d,.]*", text)` pass;
- extract, run_checks, and the two together, on one core and on all cores (ProcessPoolExecutor);
- JioNLP's money extractor (`jionlp.ner.extract_money`, parsing on), if installed
  (`pip install -e ".[bench]"`); it finds amounts only, we find named fields and check them;
- .docx and .pdf separately: read + extract + check, one core.
Each figure is the best of R repeats.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from core.checks import run_checks
from core.extract import extract
from core.models import Report
from core.reading import read_report

FLOOR_RE = re.compile(r"\d[\d,.]*")


def floor(report: Report) -> int:
    return sum(1 for _ in FLOOR_RE.finditer(report.text))


def extract_only(report: Report) -> int:
    return len(extract(report).figures)


def extract_and_check(report: Report) -> int:
    return len(run_checks(extract(report)))


def _best(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def _chunk_extract_and_check(texts: Sequence[tuple[str, str]]) -> int:
    return sum(extract_and_check(Report(Path(p), "", t, "txt")) for p, t in texts)


def _line(name: str, seconds: float, count: int, megabytes: float, floor_s: float) -> str:
    return (
        f"  {name:34} {count / seconds:9.0f} reports/s {megabytes / seconds:8.2f} MB/s"
        f"   {seconds / floor_s:7.1f}× floor"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("batch", nargs="?", type=Path)
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        batch = args.batch
        if batch is None:
            sys.path.insert(0, str(Path(__file__).parent))
            from make_batch import make_batch

            batch = Path(tmp)
            make_batch(batch, args.reports, seed=1, formats="txt=0.9,docx=0.07,pdf=0.03")
        paths = sorted(batch.glob("*"))
        texts = [p for p in paths if p.suffix == ".txt"][: args.reports]
        reports = [read_report(p) for p in texts]
        docx = [p for p in paths if p.suffix == ".docx"][:100]
        pdf = [p for p in paths if p.suffix == ".pdf"][:50]
        run(reports, docx, pdf, args.repeat)


def run(reports: list[Report], docx: list[Path], pdf: list[Path], repeat: int) -> None:
    count = len(reports)
    megabytes = sum(len(r.text.encode()) for r in reports) / 1e6
    print(
        f"{count} .txt reports, {megabytes:.1f} MB of text "
        f"({megabytes * 1e6 / count / 1000:.1f} KB each); best of {repeat}"
    )
    floor_s = _best(lambda: [floor(r) for r in reports], repeat)
    extractions = [extract(r) for r in reports]
    rows = [
        ("floor: one regex pass", floor_s),
        ("extract", _best(lambda: [extract(r) for r in reports], repeat)),
        ("run_checks", _best(lambda: [run_checks(e) for e in extractions], repeat)),
        ("extract + check, 1 core", _best(lambda: [extract_and_check(r) for r in reports], repeat)),
    ]
    workers = os.cpu_count() or 1
    payload = [(str(r.path), r.text) for r in reports]
    chunks = [payload[i : i + 50] for i in range(0, count, 50)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_chunk_extract_and_check, chunks[:workers]))  # start the workers

        def parallel() -> None:
            list(pool.map(_chunk_extract_and_check, chunks))

        rows.append((f"extract + check, {workers} cores", _best(parallel, repeat)))
    try:
        from jionlp.algorithm.ner import extract_money
    except ImportError:
        extract_money = None
    if extract_money is not None:
        extract_money("预热100万元")
        rows.append(
            (
                "peer: jionlp extract_money",
                _best(lambda: [extract_money(r.text) for r in reports], repeat),
            )
        )
    for name, seconds in rows:
        print(_line(name, seconds, count, megabytes, floor_s))
    ours = dict(rows)["extract + check, 1 core"]
    if extract_money is not None:
        peer = dict(rows)["peer: jionlp extract_money"]
        print(f"  extract + check is {peer / ours:.1f}× as fast as the peer")
    else:
        print("  peer: jionlp not installed (pip install -e '.[bench]')")
    for kind, files in (("docx", docx), ("pdf", pdf)):
        if not files:
            continue
        size = sum(p.stat().st_size for p in files) / 1e6

        def read_extract_check(files: list[Path] = files) -> None:
            for p in files:
                extract_and_check(read_report(p))

        seconds = _best(read_extract_check, repeat)
        print(
            f"  .{kind} read + extract + check, 1 core: {len(files) / seconds:6.0f} reports/s "
            f"{size / seconds:6.2f} MB/s of files ({len(files)} files)"
        )


if __name__ == "__main__":
    main()
