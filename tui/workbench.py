"""What the screens share: the batch, its review log and the settings; calls into the core."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from core.batch import Entry, Row, check_entries, load_entry
from core.check_context import CheckConfig
from core.config import Config
from core.decisions import pair_decisions
from core.matching import ReportMatch, match_projects
from core.models import Extraction
from core.reading import find_reports
from core.review import ReportState
from core.review_log import ReviewLog
from core.review_store import ReviewLogError
from core.rules import FIELD_RULES, with_aliases
from core.series import FieldSeries, figure_series
from core.units import UnitGroup, group_units
from tui.notices import save_problem

T = TypeVar("T")


@dataclass
class Workbench:
    """One batch being reviewed by one reviewer."""

    folder: Path
    config: Config
    lang: str
    log: ReviewLog
    paths: list[Path] = field(default_factory=list)
    """The report files, in the order found."""
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Files and folders passed over, with why."""
    entries: list[Entry | None] = field(default_factory=list)
    """One per path; None until loaded."""
    batch_checked: bool = False
    """The cross-report checks have run over the whole batch."""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _units: tuple[UnitGroup, ...] | None = None

    relative_paths: list[str] = field(default_factory=list)
    """Each path relative to the batch folder, as the log and the listing name it."""
    _keys: dict[int, str] = field(default_factory=dict)
    """Each loaded report's key in the log: keypresses look states up without touching disk."""

    @classmethod
    def open(cls, folder: Path, config: Config, lang: str, log: ReviewLog) -> Workbench:
        found = find_reports([folder])
        bench = cls(folder, config, lang, log, list(found.reports), list(found.skipped))
        bench.entries = [None] * len(bench.paths)
        root = folder.resolve()
        bench.relative_paths = [_relative(p, root) for p in bench.paths]
        return bench

    # Loading (runs in a worker thread)

    def load(self, index: int) -> Entry:
        """Read, extract and check one report and register it in the log."""
        rules = with_aliases(FIELD_RULES, self.config.field_aliases)
        entry = load_entry(self.paths[index], rules=rules, checks=self._checks)
        ex = entry.extraction
        state = self.locked(lambda: self.log.report_state(ex.report, unit=ex.unit, year=ex.year))
        self._keys[index] = state.key
        self.entries[index] = entry
        self._units = None
        return entry

    def check_batch(self) -> None:
        """Run the cross-report checks once every report is loaded."""
        loaded = [e for e in self.entries if e is not None]
        if len(loaded) != len(self.entries):
            return
        self.entries = list(check_entries(loaded, checks=self._checks))
        self.batch_checked = True
        self._units = None

    @property
    def _checks(self) -> CheckConfig:
        return replace(self.config.checks, lang=self.lang)

    # Reading

    def state(self, index: int) -> ReportState | None:
        """The log's state of a loaded report (a dictionary lookup), or None before loading."""
        key = self._keys.get(index)
        return None if key is None else self.locked(lambda: self.log.state(key))

    def row(self, index: int) -> Row:
        entry = self.entries[index]
        path = self.relative_paths[index]
        if entry is None:
            return Row(index, path, "", None, 0, 0, "unreviewed")
        state = self.state(index)
        assert state is not None
        ex = entry.extraction
        return Row(
            index,
            path,
            ex.unit or "",
            ex.year,
            entry.count("error"),
            entry.count("warning"),
            # A report with decisions but no status yet is under way.
            "in_progress" if state.status == "unreviewed" and state.annotations else state.status,
            entry.error,
            len(state.annotations),
        )

    def index_of(self, relative_path: str) -> int | None:
        try:
            return self.relative_paths.index(relative_path)
        except ValueError:
            return None

    def next_unreviewed(self, after: int) -> int | None:
        """The next loaded, readable report not yet done or skipped, wrapping round."""
        n = len(self.entries)
        for step in range(1, n + 1):
            i = (after + step) % n
            entry = self.entries[i]
            if entry is None or entry.error:
                continue
            state = self.state(i)
            if state is not None and state.status in ("unreviewed", "in_progress"):
                return i
        return None

    # Last year

    def last_year(self, index: int) -> tuple[ReportMatch | None, tuple[FieldSeries, ...]]:
        """This report's projects matched with the unit's closest earlier year (honouring the
        reviewer's pair verdicts), and the unit's figures across the years."""
        entry = self.entries[index]
        assert entry is not None
        ex = entry.extraction
        group = self._group_of(ex)
        if group is None:
            return None, ()
        series = figure_series(group.extractions)
        earlier = [
            g for g in group.extractions if g.year is not None and ex.year and g.year < ex.year
        ]
        if not earlier:
            return None, series
        year = max(g.year for g in earlier if g.year is not None)
        old = next(g for g in earlier if g.year == year)
        state = self.state(index)
        decisions = pair_decisions(state) if state else ()
        projects = match_projects(
            old.projects,
            ex.projects,
            score_cutoff=self.config.project_cutoff,
            decisions=decisions,
        )
        return ReportMatch(group.unit, old, ex, projects), series

    def _group_of(self, ex: Extraction) -> UnitGroup | None:
        if self._units is None:
            readable = [e.extraction for e in self.entries if e is not None and not e.error]
            self._units = group_units(readable, threshold=self.config.unit_threshold)
        for group in self._units:
            if any(g is ex or g.report.path == ex.report.path for g in group.extractions):
                return group
        return None

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
        return [self.relative_paths[i] for i, e in enumerate(self.entries) if e and self.gone(i)]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
