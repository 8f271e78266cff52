"""`jixiao extract` and `jixiao check` over a batch of any size: reports come through the result
cache (read in worker processes when there are many), output goes out report by report, so
only a few reports' full results are ever in memory."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from core import findings_output as found_out
from core import output as out
from core.batch import Entry
from core.cleaning import inert_name
from core.export import write_xlsx
from core.loading import BatchLoader
from core.output_file import about, replacing, write_pieces
from core.problems import problem_text, translate
from core.streaming import csv_text, gathered_frame, inert_row, joined_lines, json_document

STAGES = {
    "zh": {"read": "读取报告", "across": "跨报告检查", "write": "写出"},
    "en": {"read": "reading", "across": "checking across reports", "write": "writing"},
}
REDRAW_EVERY = 0.1
"""Seconds between two redraws of the progress line."""


@dataclass
class Progress:
    """One updating "stage N/M" line on stderr when it is a terminal; nothing otherwise, so
    scripts see the same output as before."""

    stream: TextIO
    lang: str = "zh"
    enabled: bool = False
    writing: bool = True
    """Count the reports written too (not when they are written to the same terminal)."""
    _drawn: float = field(default=-REDRAW_EVERY)
    _shown: bool = False

    @classmethod
    def on(cls, stream: TextIO, lang: str, *, output: Path | None) -> Progress:
        """Progress on `stream` if it is a terminal, for output to `output` (None: stdout)."""
        return cls(stream, lang, stream.isatty(), output is not None or not sys.stdout.isatty())

    def show(self, stage: str, done: int | None = None, total: int = 0) -> None:
        """Draw "stage done/total" (or just the stage), a count at most every REDRAW_EVERY
        seconds unless it is the last one."""
        now = time.monotonic()
        counting = done is not None and done != total
        if not self.enabled or (counting and now - self._drawn < REDRAW_EVERY):
            return
        self._drawn = now
        count = "" if done is None else f" {done}/{total}"
        self.stream.write(f"\r\x1b[Kjixiao: {STAGES[self.lang][stage]}{count}")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Remove the line (before a message, and at the end)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


@dataclass
class Run:
    """One `extract` or `check` over a batch: its entries in the batch's order, the extraction
    warnings said as they come, and what went wrong gathered for the end."""

    loader: BatchLoader
    lang: str
    warn: Callable[[str], None]
    progress: Progress
    across: Path | None = None
    """With the cross-report checks: the folder their results are cached under."""
    unreadable: list[str] = field(default_factory=list)
    """Why each report that could not be read was not, in the batch's order."""
    severities: set[str] = field(default_factory=set)
    """Every severity of the findings written."""

    def entries(self) -> Iterator[Entry]:
        total = len(self.loader.paths)
        for done, _ in enumerate(self.loader.summaries(), 1):
            self.progress.show("read", done, total)
        if self.across is not None and total:
            self.progress.show("across")
            for _ in self.loader.batch_summaries(self.across):
                pass
        if not self.progress.writing:
            self.progress.clear()
        for index in range(total):
            if self.progress.writing:
                self.progress.show("write", index + 1, total)
            entry = self.loader.entry(index)
            self._note(entry)
            yield entry
        self.progress.clear()
        if self.loader.cache.problem:
            self.warn(cache_problem(self.loader.cache.problem, self.lang))

    def _note(self, entry: Entry) -> None:
        ex = entry.extraction
        if ex.warnings:
            self.progress.clear()
        path = str(ex.report.path)
        separator = "：" if self.lang == "zh" else ": "
        for warning in ex.warnings:
            said = translate(warning, self.lang)  # reading notes do not name the file: add it
            if said.startswith(path):  # the file shown on one line, as everywhere
                self.warn(inert_name(path) + said[len(path) :])
            else:
                self.warn(f"{inert_name(path)}{separator}{said}")
        if ex.report.error:
            self.unreadable.append(problem_text(ex.report, self.lang) or "")
        self.severities.update(f.severity for f in entry.findings)


def cache_problem(problem: str, lang: str) -> str:
    """What the reader is told when the result cache failed during a run."""
    if lang == "zh":
        return f"结果缓存出错（{problem}）：本次结果未全部缓存，下次将重新读取"
    return (
        f"the result cache failed ({problem}): not every result was kept; "
        "they will be read again next time"
    )


def write_extract(run: Run, fmt: str, output: Path | None, *, width: int) -> None:
    """The figures and projects of every report, in `fmt` (a format of cli.FORMATS)."""
    lang = run.lang
    if fmt in ("parquet", "xlsx"):
        assert output is not None
        with replacing(output) as tmp:
            rows = (r for e in run.entries() for r in out.figure_rows(e.extraction, lang=lang))
            if fmt == "xlsx":  # a spreadsheet: no cell starts like a formula (Parquet is data)
                rows = (inert_row(r) for r in rows)
            frame = gathered_frame(rows, out.figures_schema())
            with about(output):
                if fmt == "parquet":
                    frame.write_parquet(tmp)
                else:
                    write_xlsx(frame, tmp, sheet="figures")
        return
    if fmt == "json":
        pieces = json_document(out.report_data(e.extraction) for e in run.entries())
    elif fmt == "csv":
        rows = (r for e in run.entries() for r in out.figure_rows(e.extraction, lang=lang))
        pieces = csv_text(rows, out.figures_schema())
    else:
        pieces = joined_lines(
            out.listing_lines(e.extraction, lang=lang, width=width) for e in run.entries()
        )
    _write(pieces, output)


def write_check(run: Run, fmt: str, output: Path | None, *, width: int) -> None:
    """Every report's findings, the cross-report ones included, in `fmt` (cli.CHECK_FORMATS)."""
    lang = run.lang
    if fmt == "json":
        pieces = json_document(
            found_out.report_check_data(e.extraction, e.findings) for e in run.entries()
        )
    elif fmt == "md":
        memos = (found_out.memo_lines(e.extraction, e.findings, lang=lang) for e in run.entries())
        pieces = joined_lines(_after(found_out.memo_head(lang), memos))
    elif fmt == "csv":
        rows = (
            r
            for e in run.entries()
            for r in found_out.finding_rows(e.extraction, e.findings, lang=lang)
        )
        pieces = csv_text(rows, found_out.findings_schema())
    else:
        pieces = joined_lines(
            found_out.findings_lines(e.extraction, e.findings, lang=lang, width=width)
            for e in run.entries()
        )
    _write(pieces, output)


def batch_folder(paths: Iterable[Path]) -> Path:
    """The folder a batch given as these paths is known by in the cache (their common folder)."""
    try:
        return Path(os.path.commonpath([p.resolve() for p in paths]))
    except ValueError:  # no paths, or paths on different drives
        return Path.cwd()


def _write(pieces: Iterable[str], output: Path | None) -> None:
    if output is not None:
        write_pieces(output, pieces)
        return
    for piece in pieces:
        sys.stdout.write(piece)


def _after(first: list[str], rest: Iterable[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest
