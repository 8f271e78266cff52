"""Helpers shared by the workbench tests that drive the screens key by key."""

from __future__ import annotations

import html
import re
import threading

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from tui.screens.batch import BatchScreen
from tui.screens.report import ReportScreen
from tui.widgets.report_list import ReportList
from tui.workbench import Workbench


def hold_loader_until_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the loader thread waiting until the batch screen has been shown once.

    The batch screen redraws every loaded row when it is shown (on_screen_resume); a report
    whose loading finishes in that instant is then added a second time and the app dies of
    DuplicateKey (see test_workbench_keys.py::test_rows_are_not_added_twice_while_loading).
    Tests of other behaviour must not depend on that race, so they start loading after it."""
    shown = threading.Event()
    resume = BatchScreen.on_screen_resume
    load = Workbench.load

    def resumed(self: BatchScreen) -> None:
        resume(self)
        shown.set()

    def held_load(self: Workbench, order=None):  # type: ignore[no-untyped-def]
        shown.wait(10)
        yield from load(self, order)

    monkeypatch.setattr(BatchScreen, "on_screen_resume", resumed)
    monkeypatch.setattr(Workbench, "load", held_load)


async def open_row(app: App[None], pilot: Pilot[None], name: str) -> ReportScreen:
    """Put the batch listing's cursor on a report (by the start of its file name) and press
    Enter: conftest.open_report types the name, which costs a keypress per character."""
    screen = batch_screen(app)
    table = screen.query_one("#reports", ReportList)
    bench = screen.workbench
    found = [i for i, p in enumerate(bench.paths) if p.name.startswith(name)]
    assert len(found) == 1, (name, found)
    position = table.position_of(found[0])
    assert position is not None, name
    table.move_cursor(position)
    await pilot.press("enter")
    return report_screen(app)


def report_screen(app: App[None]) -> ReportScreen:
    screen = app.screen
    assert isinstance(screen, ReportScreen), screen
    return screen


def batch_screen(app: App[None]) -> BatchScreen:
    screen = app.screen
    assert isinstance(screen, BatchScreen), screen
    return screen


Table = DataTable[object] | ReportList


def cells(table: Table) -> list[list[Text]]:
    """Every cell of a table, row by row, as the Text objects it draws."""
    rows = []
    for i in range(table.row_count):
        row = table.cells(i) if isinstance(table, ReportList) else table.get_row_at(i)
        assert all(isinstance(cell, Text) for cell in row), row
        rows.append(row)
    return rows


def plain_rows(table: Table) -> list[list[str]]:
    return [[cell.plain for cell in row] for row in cells(table)]


def column(table: Table, key: str) -> list[str]:
    """The plain text of one column (by key), top to bottom."""
    if isinstance(table, ReportList):
        index = [k for k, _, _ in table.columns].index(key)
    else:
        index = list(table.columns).index(key)  # type: ignore[arg-type]
    return [row[index] for row in plain_rows(table)]


def screenshot_text(app: App[None]) -> str:
    """The exported SVG screenshot's text, unescaped (the SVG writes spaces as &#160;)."""
    svg = app.export_screenshot()
    return "".join(html.unescape(t) for t in re.findall(r">([^<]*)<", svg)).replace("\xa0", " ")
