"""The batch: a row per report, filled in as the reports are read, sorted and filtered."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar, Static

from core.batch import SEVERITY_FILTERS, SORTS, Row, select_rows
from core.cleaning import inert, inert_name
from core.review import REPORT_STATUSES, label
from tui.i18n import localise_bindings, t
from tui.notices import cache_failed
from tui.widgets.inputs import still_input
from tui.widgets.report_list import ReportList
from tui.workbench import Workbench

SHOW_EVERY = 0.1
"""Seconds between handing loaded rows to the screen."""
STATUS_STYLES = {"done": "green", "in_progress": "yellow", "skipped": "dim"}
SORT_LABELS = {
    "path": "col_file",
    "unit": "col_unit",
    "year": "col_year",
    "errors": "col_errors",
    "status": "col_status",
}
COLUMNS = (
    "col_unit",
    "col_year",
    "col_errors",
    "col_warnings",
    "col_status",
    "col_decisions",
    "col_file",
)
STATUS_FILTERS: tuple[str | None, ...] = (None, *REPORT_STATUSES)


class BatchScreen(Screen[None]):
    """Every report of the batch; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "筛选", id="filter"),
        Binding("o", "sort", "排序", id="sort", show=False),
        Binding("s", "status_filter", "按状态", id="status_filter", show=False),
        Binding("w", "severity_filter", "按严重度", id="severity_filter", show=False),
        Binding("g", "next_unreviewed", "下一份未审", id="next_unreviewed"),
        Binding("escape", "clear_filter", "清除筛选", show=False),
    ]

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench
        self.lang = workbench.lang
        self.sort = "path"
        self.status_filter: str | None = None
        self.severity_filter = "all"
        self.text_filter = ""
        self.loaded = 0
        self._rows: list[Row | None] = [None] * len(workbench.paths)
        """Each loaded report's row, kept: sorting and filtering 40,000 of them must not build
        them again (~0.25 s)."""
        self._sorted: dict[str, list[Row]] = {}
        """Every row in each sort order asked for so far (until a row changes)."""
        self._resume = workbench.log.last_report()
        localise_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        yield Static(id="batch-title")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(id="batch-filters")
        yield still_input(id="filter", placeholder=t("filter_prompt", self.lang))
        yield ReportList(self._cells, span=self._span, id="reports")
        yield Footer()

    def on_unmount(self) -> None:
        gc.unfreeze()  # the batch is closed: what it held may go (see _checked)

    def on_mount(self) -> None:
        table = self.query_one("#reports", ReportList)
        lang = self.lang
        statuses = max(cell_len(label(REPORT_STATUSES, k, lang)) for k in REPORT_STATUSES)
        fixed = {
            key: max(4, cell_len(t(key, lang)))
            for key in ("col_year", "col_errors", "col_warnings", "col_decisions")
        }
        fixed["col_status"] = statuses
        # Unit and file share what the fixed columns leave, so no row runs off the screen.
        free = max(30, self.app.size.width - sum(fixed.values()) - 2 * (len(fixed) + 2) - 2)
        unit_width = min(30, free * 11 // 20)
        widths = {"col_unit": unit_width, **fixed, "col_file": free - unit_width}
        table.set_columns([(key, t(key, lang), widths[key]) for key in COLUMNS])
        self.query_one("#filter", Input).display = False
        self.query_one("#progress", ProgressBar).update(total=len(self.workbench.paths) or 1)
        self._show_title()
        self._show_filters()
        table.focus()
        self.load_batch()

    # Loading

    @work(thread=True, exclusive=True, group="load")
    def load_batch(self) -> None:
        """Read every report off the UI thread (the cached ones at once, the others in worker
        processes); the one the reviewer was on comes first. Rows are handed to the screen in
        batches, a few times a second."""
        bench = self.workbench
        order = list(range(len(bench.paths)))
        first = bench.index_of(self._resume) if self._resume else None
        if first is not None:
            order.remove(first)
            order.insert(0, first)
        pending: list[int] = []
        shown = time.monotonic()
        for i in bench.load(order):
            pending.append(i)
            if i == first or time.monotonic() - shown > SHOW_EVERY:
                self.app.call_from_thread(self._loaded, pending)
                pending, shown = [], time.monotonic()
        self.app.call_from_thread(self._loaded, pending)
        bench.check_batch()
        self.app.call_from_thread(self._checked)
        bench.unit_groups()  # ready before the reviewer asks for last year's comparison

    def _loaded(self, indices: list[int]) -> None:
        self.loaded += len(indices)
        self.query_one("#progress", ProgressBar).advance(len(indices))
        rows = self._build_rows(indices)
        self.query_one("#reports", ReportList).add_rows(self._select(rows))
        self._show_title()
        if self._resume and any(self.workbench.relative_paths[i] == self._resume for i in indices):
            index = self.workbench.index_of(self._resume)
            self._resume = None
            if index is not None:
                self.open_report(index)

    def _checked(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self._build_rows(range(len(self._rows)))  # the counts now include the batch's findings
        self.refresh_rows()
        # What is loaded now lives as long as the batch: kept out of the collector's full
        # passes, which over 40,000 reports' summaries and rows took ~0.2 s in some keypress.
        gc.collect()
        gc.freeze()
        if problem := self.workbench.loader.cache.problem:
            cache_failed(self, problem, self.lang)
        self._show_title()

    # Rows

    def refresh_rows(self) -> None:
        """Lay the listing out again (after a sort, a filter, loading)."""
        ordered = self._sorted.get(self.sort)
        if ordered is None:
            rows = [row for row in self._rows if row is not None]
            ordered = self._sorted[self.sort] = select_rows(rows, sort=self.sort)
        shown = select_rows(
            ordered,
            sort=None,
            status=self.status_filter,
            severity=self.severity_filter,
            text=self.text_filter,
        )
        self.query_one("#reports", ReportList).set_rows(shown)

    def _build_rows(self, indices: Iterable[int]) -> list[Row]:
        """The rows of these reports as the workbench has them now (those loaded), kept."""
        built = []
        self._sorted.clear()
        for index in indices:
            if self.workbench.summaries[index] is not None:
                row = self.workbench.row(index)
                self._rows[index] = row
                built.append(row)
        return built

    def _update_rows(self, indices: list[int]) -> None:
        """Redraw the rows of reports whose decisions may have changed; lay out again only
        when their place in the listing depends on it."""
        rows = self._build_rows(indices)
        if self.status_filter is not None or self.sort == "status":
            self.refresh_rows()
            return
        table = self.query_one("#reports", ReportList)
        for row in rows:
            table.update_row(row)

    def _select(self, rows: list[Row]) -> list[Row]:
        return select_rows(
            rows,
            sort=self.sort,
            status=self.status_filter,
            severity=self.severity_filter,
            text=self.text_filter,
        )

    def _cells(self, row: Row) -> list[Text]:
        lang = self.lang
        if row.problem:
            # Why, first: the file's name is in its own column.
            why = inert(row.reason or row.problem)
            unit = Text(f"{t('unreadable', lang)}: {why}", style="red")
        else:
            unit = Text(row.unit) if row.unit else Text(t("not_stated", lang), style="dim")
        year = "" if row.problem else str(row.year or "—")
        status = Text(label(REPORT_STATUSES, row.status, lang), STATUS_STYLES.get(row.status, ""))
        return [
            unit,
            Text(year),
            Text(str(row.errors or ""), style="bold red"),
            Text(str(row.warnings or ""), style="yellow"),
            status,
            Text(str(row.annotations or "")),
            Text(inert_name(row.path)),
        ]

    @staticmethod
    def _span(row: Row) -> int:
        """An unreadable report's reason takes every column up to the file's: it has no year,
        counts, status or decisions to show, and the reason is what the reviewer needs."""
        return COLUMNS.index("col_file") if row.problem else 1

    def _current_index(self) -> int | None:
        row = self.query_one("#reports", ReportList).current
        return None if row is None else row.index

    def _show_title(self) -> None:
        bench = self.workbench
        lang = self.lang
        total = len(bench.paths)
        readable = [s for s in bench.summaries if s is not None and not s.problem]
        errors = sum(s.errors for s in readable)
        warnings = sum(s.warnings for s in readable)
        done = sum(1 for r in bench.log.reports if r.status == "done")
        text = Text(f"{bench.folder.name or bench.folder}  ", style="bold")
        if self.loaded < total:
            text.append(f"{t('loading', lang)} {self.loaded}/{total}  ")
        elif not bench.batch_checked and total:
            text.append(t("checking", lang) + "  ")
        text.append(f"{total} {t('reports', lang)} · ")
        text.append(f"{t('col_errors', lang)} {errors}", style="red")
        text.append(" · ")
        text.append(f"{t('col_warnings', lang)} {warnings}", style="yellow")
        text.append(f" · {label(REPORT_STATUSES, 'done', lang)} {done}/{total}")
        text.append(f" · {bench.log.reviewer}", style="dim")
        self.query_one("#batch-title", Static).update(text)

    def _show_filters(self) -> None:
        lang = self.lang
        status = (
            label(REPORT_STATUSES, self.status_filter, lang)
            if self.status_filter
            else t("all", lang)
        )
        severity = {
            "all": t("all", lang),
            "error": t("col_errors", lang),
            "warning": t("col_warnings", lang),
            "unreadable": t("unreadable", lang),
        }[self.severity_filter]
        parts = [
            f"{t('sort', lang)}: {t(SORT_LABELS[self.sort], lang)}",
            f"{t('status_filter', lang)}: {status}",
            f"{t('severity_filter', lang)}: {severity}",
        ]
        if self.text_filter:
            parts.append(f"{t('filter', lang)}: {self.text_filter}")
        if self.workbench.skipped:
            parts.append(f"{len(self.workbench.skipped)} {t('skipped_files', lang)}")
        self.query_one("#batch-filters", Static).update(Text("  ·  ".join(parts), style="dim"))

    # Actions

    @on(ReportList.Selected, "#reports")
    def _row_selected(self, event: ReportList.Selected) -> None:
        self.open_report(event.row.index)

    def open_report(self, index: int) -> None:
        from tui.screens.report import ReportScreen

        summary = self.workbench.summaries[index]
        if summary is None:
            return
        problem = self.workbench.row(index).problem  # in the reviewer's language
        if problem:
            self.notify(inert(problem), severity="error", markup=False)
            return
        self.app.push_screen(ReportScreen(self.workbench, index))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value
        self._show_filters()
        self.refresh_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#reports", ReportList).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.query_one("#reports", ReportList).focus()

    def action_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._show_filters()
        self.refresh_rows()

    def action_status_filter(self) -> None:
        i = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(i + 1) % len(STATUS_FILTERS)]
        self._show_filters()
        self.refresh_rows()

    def action_severity_filter(self) -> None:
        i = SEVERITY_FILTERS.index(self.severity_filter)
        self.severity_filter = SEVERITY_FILTERS[(i + 1) % len(SEVERITY_FILTERS)]
        self._show_filters()
        self.refresh_rows()

    def action_next_unreviewed(self) -> None:
        found = self._next_listed_unreviewed()
        if found is None:
            current = self._current_index()
            found = self.workbench.next_unreviewed(-1 if current is None else current)
        if found is None:
            self.notify(t("all_reviewed", self.lang), markup=False)
            return
        self.open_report(found)

    def _next_listed_unreviewed(self) -> int | None:
        """The first row from the cursor down (wrapping) not yet done, in the order shown."""
        table = self.query_one("#reports", ReportList)
        n = table.row_count
        for step in range(n):
            row = self.workbench.row(table.rows[(table.cursor_row + step) % n].index)
            if not row.problem and row.status in ("unreviewed", "in_progress"):
                return row.index
        return None

    def on_screen_resume(self) -> None:
        # Only reports opened lately can have new decisions.
        self._update_rows(self.workbench.recent)
        self._show_title()
