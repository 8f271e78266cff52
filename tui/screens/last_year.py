"""Last year beside this year: matched projects, new and dropped ones, the figures by year."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from core.decisions import decide_pair
from core.matching import ReportMatch
from core.models import Project
from core.output import field_label, format_value
from core.series import FieldSeries
from tui.i18n import localise_bindings, t
from tui.notices import save_failed
from tui.sparkline import sparkline
from tui.workbench import Workbench


def _money(value: Decimal | None) -> Text:
    return Text("" if value is None else format_value(value, "万元"), justify="right")


def _change(value: Decimal | None, pct: Decimal | None) -> Text:
    if value is None:
        return Text("")
    shown = f"{value:+,}"
    if pct is not None:
        shown += f" ({pct:+}%)"
    return Text(shown, style="red" if value < 0 else "green", justify="right")


class LastYearScreen(Screen[None]):
    """The current report's unit compared with its closest earlier year in the batch."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="back"),
        Binding("c", "pair(True)", "确认配对", id="confirm_pair"),
        Binding("x", "pair(False)", "否认配对", id="reject_pair"),
        Binding("p", "pair_with", "手动配对", id="pair_with"),
    ]

    def __init__(self, workbench: Workbench, index: int) -> None:
        super().__init__()
        self.workbench = workbench
        self.index = index
        self.lang = workbench.lang
        self.match: ReportMatch | None = None
        self.series: tuple[FieldSeries, ...] = ()
        self.rows: list[tuple[str, Project | None, Project | None]] = []
        self.marked: tuple[str, Project] | None = None
        localise_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        yield Static(id="last-year-title")
        yield DataTable(id="pairs", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="series", cursor_type="row", zebra_stripes=True)
        yield Static(id="last-year-status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one("#pairs", DataTable).focus()

    def refresh_data(self) -> None:
        """Match again (cheap: one unit's two project lists) and redraw."""
        self.match, self.series = self.workbench.last_year(self.index)
        self._fill_title()
        self._fill_pairs()
        self._fill_series()

    def _fill_title(self) -> None:
        entry = self.workbench.entry(self.index)
        assert entry is not None
        ex = entry.extraction
        title = Text(f"{t('last_year', self.lang)}: ", style="bold")
        title.append(ex.unit or t("not_stated", self.lang), "bold")
        if self.match is not None:
            old, new = self.match.years
            title.append(f"  {old} → {new}")
            n = self.match.projects
            title.append(
                f"  {len(n.pairs)} ↔ · {t('new_project', self.lang)} {len(n.new)}"
                f" · {t('dropped_project', self.lang)} {len(n.dropped)}",
                "dim",
            )
        else:
            title.append("\n" + t("no_last_year", self.lang), "yellow")
        self.query_one("#last-year-title", Static).update(title)

    def _fill_pairs(self) -> None:
        table = self.query_one("#pairs", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        lang = self.lang
        # Names share what the numbers leave; the full names show below the table.
        name_width = max(12, (self.app.size.width - 54) // 2)
        table.add_column(t("col_old", lang), width=name_width)
        table.add_column(t("col_amount", lang), width=11)
        table.add_column(t("col_new", lang), width=name_width)
        table.add_column(t("col_amount", lang), width=11)
        table.add_column(t("col_change", lang), width=16)
        table.add_column(t("col_score", lang), width=4)
        self.rows = []
        if self.match is None:
            return
        projects = self.match.projects
        for pair in projects.pairs:
            score = (
                Text("✓", "bold green", justify="right")
                if pair.confirmed
                else Text(f"{pair.score:.0f}", justify="right")
            )
            table.add_row(
                Text(pair.old.name),
                _money(pair.old.amount),
                Text(pair.new.name),
                _money(pair.new.amount),
                _change(pair.change, pair.change_pct),
                score,
            )
            self.rows.append(("pair", pair.old, pair.new))
        for project in projects.dropped:
            gone = Text(f"（{t('dropped_project', lang)}）", "red")
            table.add_row(Text(project.name), _money(project.amount), gone, *[Text("")] * 3)
            self.rows.append(("dropped", project, None))
        for project in projects.new:
            new = Text(f"（{t('new_project', lang)}）", "green")
            table.add_row(
                new, Text(""), Text(project.name), _money(project.amount), Text(""), Text("")
            )
            self.rows.append(("new", None, project))
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1), animate=False)

    @on(DataTable.RowHighlighted, "#pairs")
    def _pair_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.rows or event.cursor_row >= len(self.rows):
            return
        _, old, new = self.rows[event.cursor_row]
        names = " → ".join(p.name if p else "—" for p in (old, new))
        self._say(names)

    def _fill_series(self) -> None:
        table = self.query_one("#series", DataTable)
        table.clear(columns=True)
        if not self.series:
            table.display = False
            return
        years = [p.year for p in self.series[0].points]
        table.add_column(t("col_field", self.lang))
        for year in years:
            table.add_column(str(year))
        table.add_column(t("col_change", self.lang))
        table.add_column(t("col_trend", self.lang))
        for series in self.series:
            cells = [Text(field_label(series.field, self.lang))]
            for point in series.points:
                value = "" if point.value is None else format_value(point.value, series.unit)
                cells.append(Text(value, justify="right"))
            last = series.points[-1]
            cells.append(_change(last.change, last.change_pct))
            numbers = [
                p.value if isinstance(p.value, (Decimal, int)) else None for p in series.points
            ]
            trend = sparkline(numbers) if len(series.points) > 2 else ""
            cells.append(Text(trend, "cyan"))
            table.add_row(*cells)

    # Deciding

    def _current(self) -> tuple[str, Project | None, Project | None] | None:
        table = self.query_one("#pairs", DataTable)
        if not self.rows or not table.has_focus:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def action_pair(self, accepted: bool) -> None:
        current = self._current()
        if current is None or current[0] != "pair":
            return
        _, old, new = current
        assert old is not None and new is not None
        self._decide(old.name, new.name, accepted=accepted)

    def action_pair_with(self) -> None:
        """Pair a dropped project with a new one by hand: p on one, then p on the other."""
        current = self._current()
        if current is None or current[0] == "pair":
            return
        kind, old, new = current
        chosen = old if kind == "dropped" else new
        assert chosen is not None
        if self.marked is None or self.marked[0] == kind:
            self.marked = (kind, chosen)
            self._say(t("pair_marked", self.lang))
            return
        first = self.marked[1]
        self.marked = None
        old_p, new_p = (chosen, first) if kind == "dropped" else (first, chosen)
        self._decide(old_p.name, new_p.name, accepted=True)

    def _decide(self, old_name: str, new_name: str, *, accepted: bool) -> None:
        bench, lang = self.workbench, self.lang
        state = bench.state(self.index)
        assert state is not None
        key = state.key
        _, problem = bench.decide(
            lambda: decide_pair(bench.log, key, old_name, new_name, accepted=accepted)
        )
        if problem:
            save_failed(self, problem, lang)
        word = t("confirm_pair" if accepted else "reject_pair", lang)
        self._say(f"✓ {word}: {old_name} → {new_name}")
        self.refresh_data()

    def _say(self, message: str) -> None:
        self.query_one("#last-year-status", Static).update(Text(message))

    def action_back(self) -> None:
        self.app.pop_screen()
