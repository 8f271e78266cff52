"""What the screens share: the batch, its review log and the settings; calls into the core."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from core.batch import Entry, Row
from core.cache import ResultCache
from core.config import Config
from core.decisions import pair_decisions
from core.loading import BatchLoader, Summary, prepare_workers, private_cache
from core.matching import ReportMatch, match_projects
from core.problems import problem_of, reason_of
from core.reading import find_reports, real_path, relative_name
from core.review import ReportState
from core.review_log import ReviewLog
from core.review_store import ReviewLogError
from core.rules import FIELD_RULES, with_aliases
from core.series import FieldSeries, figure_series
from core.units import report_year
from tui.notices import save_problem

T = TypeVar("T")


RECENT_ENTRIES = 32
"""Full reports kept in memory (the ones the reviewer opened last); the rest are summaries."""


@dataclass
class Workbench:
    """One batch being reviewed by one reviewer."""

    folder: Path
    config: Config
    lang: str
    log: ReviewLog
    loader: BatchLoader
    paths: list[Path] = field(default_factory=list)
    """The report files, in the order found."""
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Files and folders passed over, with why."""
    summaries: list[Summary | None] = field(default_factory=list)
    """One per path; None until loaded."""
    batch_checked: bool = False
    """The cross-report checks have run over the whole batch."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _units: list[tuple[str, list[int]]] | None = None
    _recent: OrderedDict[int, Entry] = field(default_factory=OrderedDict)

    relative_paths: list[str] = field(default_factory=list)
    """Each path relative to the batch folder, as the log and the listing name it."""
    _keys: dict[int, str] = field(default_factory=dict)
    """Each loaded report's key in the log: keypresses look states up without touching disk."""

    @classmethod
    def open(
        cls,
        folder: Path,
        config: Config,
        lang: str,
        log: ReviewLog,
        *,
        cache: ResultCache | None = None,
        workers: int | None = None,
    ) -> Workbench:
        """The batch under `folder`; results come from `cache` (None: a private one that is
        deleted at exit, as with --no-cache)."""
        found = find_reports([folder])
        paths = list(found.reports)
        rules = with_aliases(FIELD_RULES, config.field_aliases, patterns=config.field_patterns)
        checks = replace(config.checks, lang=lang)
        loader = BatchLoader(
            paths, rules, checks, cache or private_cache(), real_paths=found.real_paths
        )
        if workers is not None:
            loader.workers = workers
        if loader.workers > 1:
            prepare_workers()
        bench = cls(folder, config, lang, log, loader, paths, list(found.skipped))
        bench.summaries = [None] * len(paths)
        root = real_path(folder)
        bench.relative_paths = [
            relative_name(p, root, real=real) or p.as_posix()
            for p, real in zip(paths, found.real_paths, strict=True)
        ]
        return bench

    # Loading (runs in a worker thread)

    def load(self, order: Sequence[int] | None = None) -> Iterator[int]:
        """Summarise every report (from the cache, else read in worker processes), register it
        in the log and give its index; `order` says which to take first."""
        for index, summary in self.loader.summaries(order):
            with self._lock:
                state = self._register(index, summary)
            self._keys[index] = state.key
            self.summaries[index] = summary
            yield index
        self._units = None

    def _register(self, index: int, summary: Summary) -> ReportState:
        return self.log.register(
            self.paths[index],
            summary.sha256,
            lambda: self.loader.entry(index).extraction.report.text,
            relative=self.relative_paths[index],
            unit=summary.unit,
            year=summary.year,
        )

    def check_batch(self) -> None:
        """Run the cross-report checks once every report is loaded."""
        if any(s is None for s in self.summaries):
            return
        for index, summary in self.loader.batch_summaries(self.folder):
            self.summaries[index] = summary
            self._recent.pop(index, None)
        self.batch_checked = True

    # Reading

    def entry(self, index: int) -> Entry | None:
        """A loaded report's full results (kept for the last few opened), or None before
        loading."""
        if self.summaries[index] is None:
            return None
        entry = self._recent.get(index)
        if entry is None:
            entry = self.loader.entry(index)
            self._recent[index] = entry
            while len(self._recent) > RECENT_ENTRIES:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(index)
        return entry

    @property
    def recent(self) -> list[int]:
        """The reports opened last (their full results are at hand), oldest first."""
        return list(self._recent)

    def state(self, index: int) -> ReportState | None:
        """The log's state of a loaded report (a dictionary lookup), or None before loading."""
        key = self._keys.get(index)
        return None if key is None else self.locked(lambda: self.log.state(key))

    def row(self, index: int) -> Row:
        summary = self.summaries[index]
        path = self.relative_paths[index]
        if summary is None:
            return Row(index, path, "", None, 0, 0, "unreviewed")
        state = self.state(index)
        assert state is not None
        return Row(
            index,
            path,
            summary.unit or "",
            summary.year,
            summary.errors,
            summary.warnings,
            # A report with decisions but no status yet is under way.
            "in_progress" if state.status == "unreviewed" and state.annotations else state.status,
            problem_of(self.paths[index], summary.problem, self.lang),
            len(state.annotations),
            reason_of(self.paths[index], summary.problem, self.lang),
        )

    def index_of(self, relative_path: str) -> int | None:
        try:
            return self.relative_paths.index(relative_path)
        except ValueError:
            return None

    def next_unreviewed(self, after: int) -> int | None:
        """The next loaded, readable report not yet done or skipped, wrapping round."""
        n = len(self.summaries)
        for step in range(1, n + 1):
            i = (after + step) % n
            summary = self.summaries[i]
            if summary is None or summary.problem:
                continue
            state = self.state(i)
            if state is not None and state.status in ("unreviewed", "in_progress"):
                return i
        return None

    # Last year

    def last_year(self, index: int) -> tuple[ReportMatch | None, tuple[FieldSeries, ...]]:
        """This report's projects matched with the unit's closest earlier year (honouring the
        reviewer's pair verdicts), and the unit's figures across the years."""
        found = next(((u, m) for u, m in self.unit_groups() if index in m), None)
        if found is None:
            return None, ()
        unit, members = found
        group = [e.extraction for e in map(self.entry, members) if e is not None]
        ex = group[members.index(index)]
        series = figure_series(group)
        # Years as the batch orders them: the text's, else the file name's.
        this_year = report_year(ex)
        earlier = [
            (year, g)
            for g in group
            if this_year is not None and (year := report_year(g)) is not None and year < this_year
        ]
        if not earlier:
            return None, series
        latest = max(year for year, _ in earlier)
        old = next(g for year, g in earlier if year == latest)
        state = self.state(index)
        decisions = pair_decisions(state) if state else ()
        projects = match_projects(
            old.projects,
            ex.projects,
            score_cutoff=self.config.project_cutoff,
            decisions=decisions,
        )
        return ReportMatch(unit, old, ex, projects), series

    def unit_groups(self) -> list[tuple[str, list[int]]]:
        """The readable reports grouped by unit: (unit name, indices by year). Worked out once
        the batch is loaded (the loading thread asks first), from names and years only."""
        if self._units is None:
            self._units = self.loader.unit_groups(
                self.folder, self.summaries, self.config.unit_threshold
            )
        return self._units

    # The log: one lock, as the loader registers reports while the reviewer decides.

    def locked(self, call: Callable[[], T]) -> T:
        with self._lock:
            return call()

    def decide(self, call: Callable[[], T]) -> tuple[T | None, str | None]:
        """Run a log call; (result, None), or (None, the problem) when it could not be saved
        (the decision stays in memory and is written by the next save that works)."""
        try:
            return self.locked(call), None
        except ReviewLogError as exc:
            return None, save_problem(exc, self.lang)

    def retry_saves(self) -> tuple[int, str | None]:
        """Write the decisions a failed save kept in memory: (how many reports were pending,
        None) when they are on disk now, else (how many, the problem)."""
        count = len(self.log.pending)
        _, problem = self.decide(self.log.flush)
        return count, problem

    # Source files

    def gone(self, index: int) -> bool:
        """The report's file is no longer where it was read from (deleted, moved, renamed)."""
        return not self.paths[index].is_file()

    def gone_reports(self) -> list[str]:
        """The batch-relative paths of loaded reports whose files are gone."""
        return [self.relative_paths[i] for i, s in enumerate(self.summaries) if s and self.gone(i)]
