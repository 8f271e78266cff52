"""The batch listing: a table that draws only the rows on screen, so 40,000 reports cost no
more to show, scroll or sort on screen than 40 (a DataTable takes seconds to fill that big)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.batch import Row

GAP = 2
"""Spaces between columns."""


class ReportList(ScrollView, can_focus=True):
    """Rows of the batch under a fixed header line; Enter (or a click) selects the row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "report-list--header",
        "report-list--cursor",
        "report-list--even",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "上", show=False),
        Binding("down", "cursor_down", "下", show=False),
        Binding("pageup", "page_up", "上一页", show=False),
        Binding("pagedown", "page_down", "下一页", show=False),
        Binding("home", "first", "第一行", show=False),
        Binding("end", "last", "最后一行", show=False),
        Binding("enter", "select", "打开", show=False),
    ]

    class Selected(Message):
        """The reviewer chose a row."""

        def __init__(self, report_list: ReportList, row: Row) -> None:
            super().__init__()
            self.report_list = report_list
            self.row = row

        @property
        def control(self) -> ReportList:
            return self.report_list

    def __init__(
        self,
        cells: Callable[[Row], list[Text]],
        *,
        span: Callable[[Row], int] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._cells = cells
        self._span = span
        """How many columns a row's first cell takes (1 unless it says more): an unreadable
        report's reason takes the columns it has nothing to show in."""
        self.columns: list[tuple[str, str, int]] = []
        """(key, header, width in cells) of each column."""
        self.rows: list[Row] = []
        self._position: dict[int, int] | None = {}
        """Report index → its row; worked out when first asked for after `set_rows`."""
        self.cursor_row = 0

    # Content

    def set_columns(self, columns: Sequence[tuple[str, str, int]]) -> None:
        self.columns = list(columns)
        self._resize()

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show these rows, the cursor staying on the report it was on when it is still shown."""
        current = self.current
        self.rows = list(rows)
        self._position = None
        found = None
        if current is not None:
            found = next((i for i, r in enumerate(self.rows) if r.index == current.index), None)
        self.cursor_row = min(found if found is not None else self.cursor_row, self.row_count - 1)
        self.cursor_row = max(self.cursor_row, 0)
        self._resize()
        self._follow_cursor()
        self.refresh()

    def add_rows(self, rows: Sequence[Row]) -> None:
        """Add rows at the end (rows of reports already shown are left out)."""
        positions = self._positions()
        new = [r for r in rows if r.index not in positions]
        if not new:
            return
        start = len(self.rows)
        for i, row in enumerate(new, start):
            positions[row.index] = i
        self.rows.extend(new)
        self._resize()
        self.refresh_lines(start + 1, len(new))

    def update_row(self, row: Row) -> None:
        """Redraw a report's row with new contents, where it is."""
        position = self.position_of(row.index)
        if position is not None:
            self.rows[position] = row
            self.refresh_lines(position + 1)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def current(self) -> Row | None:
        """The row under the cursor, or None when the listing is empty."""
        return self.rows[self.cursor_row] if self.rows else None

    def position_of(self, index: int) -> int | None:
        """Where a report's row is in the listing, or None when it is not shown."""
        return self._positions().get(index)

    def _positions(self) -> dict[int, int]:
        if self._position is None:
            self._position = {row.index: i for i, row in enumerate(self.rows)}
        return self._position

    def cells(self, position: int) -> list[Text]:
        """The texts a row shows, one per column."""
        return self._cells(self.rows[position])

    # The cursor

    def move_cursor(self, row: int) -> None:
        if not self.rows:
            return
        old = self.cursor_row
        self.cursor_row = max(0, min(row, self.row_count - 1))
        if old != self.cursor_row:
            self.refresh_lines(old + 1)
            self.refresh_lines(self.cursor_row + 1)
        self._follow_cursor()

    def _page(self) -> int:
        return max(1, self.size.height - 2)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._page())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_cursor(int(self.scroll_y) + event.y - 1)
            if event.chain > 1:
                self.action_select()

    def _follow_cursor(self) -> None:
        """Scroll so that the cursor's row is on screen (below the header)."""
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._resize()
        self._follow_cursor()

    def _resize(self) -> None:
        width = sum(w for _, _, w in self.columns) + GAP * len(self.columns)
        self.virtual_size = Size(width, self.row_count + 1)

    # Drawing

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("report-list--header")
            header = [Text(label) for _, label, _ in self.columns]
            return self._strip(header, style, width)
        position = int(self.scroll_y) + y - 1
        if position >= self.row_count:
            return Strip.blank(width, self.rich_style)
        if position == self.cursor_row:
            style = self.get_component_rich_style("report-list--cursor")
        elif position % 2:
            style = self.get_component_rich_style("report-list--even")
        else:
            style = self.rich_style
        row = self.rows[position]
        span = self._span(row) if self._span is not None else 1
        return self._strip(self._cells(row), style, width, span)

    def _strip(self, cells: list[Text], style: Style, width: int, span: int = 1) -> Strip:
        line = Text(no_wrap=True, overflow="crop")
        widths = [w for _, _, w in self.columns]
        if span > 1:  # the first cell over the next span - 1 columns and their gaps too
            widths[:span] = [sum(widths[:span]) + GAP * (span - 1)]
            cells = cells[:1] + cells[span:]
        for text, cell_width in zip(cells, widths, strict=True):
            cell = text.copy()
            cell.truncate(cell_width, overflow="ellipsis", pad=True)
            line.append_text(cell)
            line.append(" " * GAP)
        segments = [
            Segment(s.text, style + s.style if s.style else style)
            for s in line.render(self.app.console)
        ]
        strip = Strip(segments, cell_len(line.plain))
        return strip.crop_extend(0, width, style)
