"""Report text, file names and notes are data: markup shows as written, escapes never reach
the terminal, and nothing in a report can act on the app."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input, Static
from textual.widgets._toast import Toast

from core.review_store import read_log
from tests.tui.conftest import AppFactory, wait_loaded
from tests.tui.helpers import (
    batch_screen,
    cells,
    column,
    hold_loader_until_shown,
    open_row,
    plain_rows,
    screenshot_text,
)
from tui.screens.last_year import LastYearScreen
from tui.screens.note import NoteScreen
from tui.screens.report import ReportScreen
from tui.widgets.report_list import ReportList
from tui.widgets.source_view import SourceView

ESC = "\x1b"
CONTROLS = (ESC, "\x9b", "\x85", "\x07", "\u202e")
"""What must never be displayed: ESC, C1 controls (CSI, NEL), BEL, a bidi override."""

HOSTILE_LINES = (
    "[b]甲镇[/b]人民政府 [/b]\n"
    "[bookmark: _Toc1]一、部门基本情况\n"
    "点击[@click=app.quit]退出[/]或[link=https://x.invalid]点我[/link]"
    f"{ESC}[2J{ESC}[31m红字{ESC}]0;pwned\x07{ESC}]52;c;ZXZpbA==\x07"
    f"{ESC}]8;;https://x.invalid{ESC}\\链接{ESC}]8;;{ESC}\\"
    "\x9b31m\x85反向\u202e文字\n"
    "[/b][link=https://x.invalid]点我[/link]范本\n"
)
PROJECTS = {
    2023: "[b]修路[/b]项目[/i]资金1.2万元、[@click=app.quit]退出[/]经费0.72万元、"
    "[@click=app.quit]退出[/]经费0.3万元",
    2022: "[b]修路[/b]项目[/i]资金1.4万元、[@click=app.quit]退出[/]经费0.82万元",
}
THIS_YEAR = "甲镇_2023_部门整体支出绩效自评报告.txt"
LAST_YEAR = "[b]甲镇[@click=app.quit]退出[bookmark: _Toc1]_2022.txt"
"""A file name cannot hold "/", so no closing tag; the rest of the markup it can."""
SIZE = (150, 40)


def _report(year: int) -> str:
    return (
        f"乙县甲镇人民政府{year}年度部门整体支出绩效自评报告\n"
        + HOSTILE_LINES
        + "二、部门整体支出情况\n"
        f"{year}年[b]甲镇[/b]人民政府支出合计1290.00万元，其中基本支出1287.78万元，"
        "项目支出2.22万元。\n"
        f"项目支出主要包括：{PROJECTS[year]}。\n"
        "三、绩效自评结论\n自评分数为92分，等级为优。\n"
    )


@pytest.fixture(autouse=True)
def _no_startup_race(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_loader_until_shown(monkeypatch)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Two years of one unit, the text full of markup and terminal escapes, the markup in the
    earlier year's file name too."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / THIS_YEAR).write_text(_report(2023), encoding="utf-8")
    (folder / LAST_YEAR).write_text(_report(2022), encoding="utf-8")
    return folder


def _clean(text: str) -> bool:
    return not any(c in text for c in CONTROLS)


def _svg_clean(app: object) -> bool:
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    return not any(c in svg for c in CONTROLS) and not any("\x80" <= c <= "\x9f" for c in svg)


async def test_batch_rows_show_markup_as_written(hostile: Path, make_app: AppFactory) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        cells(table)  # every cell a rich Text, never a markup string
        assert column(table, "col_file") == [LAST_YEAR, THIS_YEAR]
        assert column(table, "col_unit") == ["乙县甲镇人民政府"] * 2
        assert column(table, "col_year") == ["2022", "2023"]
        assert all(_clean(cell) for row in plain_rows(table) for cell in row)
        shown = screenshot_text(app)
        assert "[b]甲镇[@click=app.quit]退出[bookmark: _Toc1]_2022.txt" in shown
        assert _svg_clean(app)
        assert app.is_running


async def test_report_screen_shows_markup_as_written(hostile: Path, make_app: AppFactory) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, "甲镇_2023")

        # The source: markup as written, escapes gone, the text around them kept.
        text = screen.query_one(SourceView).text
        for literal in (
            "[b]甲镇[/b]人民政府 [/b]",
            "点击[@click=app.quit]退出[/]或[link=https://x.invalid]点我[/link]红字链接反向文字",
            "[/b][link=https://x.invalid]点我[/link]范本",
            "支出合计1290.00万元，其中基本支出1287.78万元，项目支出2.22万元。",
        ):
            assert literal in text
        assert _clean(text)
        # Converter bookmark residue is dropped on reading (core.cleaning), not interpreted.
        assert "\n一、部门基本情况\n" in text and "_Toc1" not in text

        # The figures, as written, beside that text.
        figures = screen.query_one("#figures", DataTable)
        cells(figures)
        assert column(figures, "col_value") == [
            "1290.00万元",
            "1287.78万元",
            "2.22万元",
            "92分",
            "优",
        ]

        # The findings quote the markup; so does the detail of each.
        findings = screen.query_one("#findings", DataTable)
        messages = column(findings, "col_finding")
        assert any("“nk=https://x.invalid]点我[/link]范本”" in m for m in messages), messages
        assert any("项目“[@click=app.quit]退出[/]经费”出现多次" in m for m in messages), messages
        assert all(_clean(c) for row in plain_rows(findings) for c in row)
        details = []
        for _ in messages:
            details.append(str(screen.query_one("#detail").render()))
            await pilot.press("right_square_bracket")
        assert any("[@click=app.quit]退出[/]经费" in d for d in details), details
        assert any("[/link]范本" in d for d in details), details
        await pilot.press("1", "down")  # a figure's detail: its quote
        assert "基本支出1287.78万元" in str(screen.query_one("#detail").render())

        shown = screenshot_text(app)
        assert "[@click=app.quit]退出[/]或[link=https://x.invalid]点我[/link]" in shown
        assert "[b]甲镇[/b]人民政府" in shown
        assert _svg_clean(app)
        assert app.is_running and app.screen is screen


async def test_file_name_with_markup_in_the_report_title(
    hostile: Path, make_app: AppFactory
) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, "[b]甲镇")
        assert screen.entry.extraction.year == 2022
        title = str(screen.query_one("#report-title", Static).render())
        assert LAST_YEAR in title
        assert "[bookmark: _Toc1]" in screenshot_text(app)


async def test_clicking_quoted_markup_runs_nothing(hostile: Path, make_app: AppFactory) -> None:
    """`[@click=app.quit]退出[/]` in a report: had it been read as markup anywhere, clicking
    its words would quit. Click every cell of the lines that show it."""
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, "甲镇_2023")
        findings = screen.query_one("#findings", DataTable)
        row = next(i for i, m in enumerate(column(findings, "col_finding")) if "[@click" in m)
        for _ in range(row):
            await pilot.press("right_square_bracket")
        detail = screen.query_one("#detail")
        assert "[@click=app.quit]退出[/]经费" in str(detail.render())
        region = detail.region
        message_line = region.y + 1  # under the severity and check name
        for x in range(region.x, region.x + 20):
            await pilot.click(offset=(x, message_line))
            assert app.is_running, f"quit by a click at column {x}"
        findings_row = findings.region.y + 1 + row  # under the header
        for x in range(findings.region.x, findings.region.x + 30, 2):
            await pilot.click(offset=(x, findings_row))
            assert app.is_running, f"quit by a click at column {x}"
        assert app.screen is screen


async def test_project_names_with_markup_last_year(hostile: Path, make_app: AppFactory) -> None:
    app = make_app(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await open_row(app, pilot, "甲镇_2023")
        await pilot.press("l")
        screen = app.screen
        assert isinstance(screen, LastYearScreen)
        assert screen.match is not None and screen.match.old.year == 2022
        pairs = screen.query_one("#pairs", DataTable)
        cells(pairs)
        rows = plain_rows(pairs)
        names = {c for row in rows for c in (row[0], row[2])}
        assert "[b]修路[/b]项目[/i]资金" in names and "[@click=app.quit]退出[/]经费" in names
        kind, old, new = screen.rows[0]
        assert kind == "pair" and old is not None and new is not None
        await pilot.press("c")  # confirm the pair: said back in the status line as written
        status = str(screen.query_one("#last-year-status", Static).render())
        assert f"{old.name} → {new.name}" in status
        assert "[" in old.name  # the pair confirmed is one of the names with markup
        assert "[@click=app.quit]退出[/]经费" in screenshot_text(app)
        assert _svg_clean(app)
    log = read_log(hostile / ".jixiao" / "tester")
    pairs_saved = [
        (a.target.old_project, a.target.new_project)
        for r in log.reports
        for a in r.annotations
        if a.target.kind == "projects"
    ]
    assert pairs_saved == [(old.name, new.name)]


async def test_a_note_keeps_markup_and_loses_controls(hostile: Path, make_app: AppFactory) -> None:
    app = make_app(hostile)
    pasted = f"[/b][@click=app.quit]退出[/] {ESC}]0;pwned\x07{ESC}[31m红\x9b1m\u202e注"
    expected = "[/b][@click=app.quit]退出[/] 红注"
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, "甲镇_2023")
        finding = screen._current_finding()
        assert finding is not None
        await pilot.press("t")
        note_screen = app.screen
        assert isinstance(note_screen, NoteScreen)
        box = note_screen.query_one("#note-input", Input)
        box.post_message(events.Paste(pasted))  # the terminal's bracketed paste
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, ReportScreen)
        detail = str(screen.query_one("#detail").render())
        assert expected in detail and _clean(detail)
        assert expected in screenshot_text(app) and _svg_clean(app)
    files = list((hostile / ".jixiao" / "tester" / "reports").glob("*.toml"))
    assert len(files) == 1
    raw = files[0].read_text(encoding="utf-8")
    assert _clean(raw) and "\\u001b" not in raw.lower() and "\\u202e" not in raw.lower()
    notes = [a["note"] for a in tomllib.loads(raw)["annotations"].values()]
    assert notes == [expected]
    state = read_log(hostile / ".jixiao" / "tester").reports[0]
    assert [(a.target.check, a.note) for a in state.annotations] == [(finding.check, expected)]


# ---- bugs found: kept failing until fixed --------------------------------------------------


async def test_control_characters_in_a_file_name_are_not_displayed(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    name = f"丙镇{ESC}]0;pwned\x07{ESC}[2J\x9b31m\u202e_2023.txt"
    (folder / name).write_text(_report(2023), encoding="utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        assert all(_clean(cell) for row in plain_rows(table) for cell in row)
        assert _svg_clean(app)
        screen = await open_row(app, pilot, "丙镇")
        assert _clean(str(screen.query_one("#report-title", Static).render()))
        assert _svg_clean(app)


def _toasts(app: object) -> list[str]:
    return [str(t.render()) for t in app.screen.query(Toast)]  # type: ignore[attr-defined]


async def test_unreadable_file_message_shows_the_name_as_written(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = tmp_path / "unreadable"
    folder.mkdir()
    (folder / "[b]乙镇[@click=app.quit]退出.txt").write_bytes(b"")
    app = make_app(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert any("[b]乙镇[@click=app.quit]退出.txt" in t for t in _toasts(app)), _toasts(app)


async def test_unreadable_file_message_with_a_closing_tag_does_not_crash(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = tmp_path / "closing"
    (folder / "[").mkdir(parents=True)
    (folder / "[" / "b]空.txt").write_bytes(b"")
    app = make_app(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert any("[/b]空.txt" in t for t in _toasts(app)), _toasts(app)
    assert app._exception is None


async def test_export_message_with_markup_in_the_path_does_not_crash(
    hostile: Path, make_app: AppFactory
) -> None:
    (hostile / "[").mkdir()
    target = hostile / "[" / "b]审阅.md"
    app = make_app(hostile)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("e", "enter")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.is_file()
        assert any(str(target) in t for t in _toasts(app)), _toasts(app)
    assert app._exception is None
