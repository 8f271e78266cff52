"""Thousands of generated hostile strings (tests/hostile.py) through every widget that shows
document text: nothing raises, what is shown is the sanitised input (core.cleaning), and no
control character reaches the screen."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input, Static
from textual.widgets._toast import Toast

from core.cleaning import clean_text, inert, inert_name
from core.review_store import read_log
from tests.hostile import has_controls, hostile, hostile_name
from tests.tui.conftest import AppFactory, wait_loaded
from tests.tui.helpers import batch_screen, column, hold_loader_until_shown, open_row, plain_rows
from tui.notices import report_gone, save_failed
from tui.screens.last_year import LastYearScreen
from tui.screens.note import NoteScreen
from tui.widgets.report_list import ReportList
from tui.widgets.source_view import SourceView

SIZE = (150, 45)
LINES = 500
"""Hostile lines per report (four reports)."""
TRIED: list[int] = []
"""Hostile strings sent through, for the closing count."""


@pytest.fixture(autouse=True)
def _no_startup_race(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_loader_until_shown(monkeypatch)


def _report(year: int, lines: list[str], projects: list[str]) -> str:
    listed = "、".join(f"{p}资金{i + 1}.5万元" for i, p in enumerate(projects))
    return (
        f"乙县甲镇人民政府{year}年度部门整体支出绩效自评报告\n"
        + "\n".join(lines)
        + f"\n{year}年支出合计1290.00万元，其中基本支出1287.78万元，项目支出2.22万元。\n"
        f"项目支出主要包括：{listed}。\n自评分数为92分，等级为优。\n"
    )


@pytest.fixture
def fuzzed(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Four reports of one unit (2020-2023): hostile file names, lines and project names."""
    rng = random.Random(20260302)
    folder = tmp_path / "fuzz"
    folder.mkdir()
    raw = {}
    for year in (2020, 2021, 2022, 2023):
        name = f"{hostile_name(rng)}_{year}.txt"
        lines = [hostile(rng) for _ in range(LINES)]
        projects = [hostile(rng, most=4) + "项目" for _ in range(12)]
        raw[name] = _report(year, lines, projects)
        (folder / name).write_text(raw[name], encoding="utf-8")
    TRIED.append(4 * (1 + LINES + 12))
    return folder, raw


def _screen_clean(app: object) -> None:
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    assert not has_controls(svg.replace("\n", "")), "a control character was drawn"
    assert app.is_running  # type: ignore[attr-defined]


async def test_fuzzed_batch_through_every_screen(
    fuzzed: tuple[Path, dict[str, str]], make_app: AppFactory
) -> None:
    folder, raw = fuzzed
    app = make_app(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        assert sorted(column(table, "col_file")) == sorted(inert_name(n) for n in raw)
        assert not any(has_controls(c) for row in plain_rows(table) for c in row)
        _screen_clean(app)
        for name, text in sorted(raw.items(), key=lambda kv: kv[0][-8:]):
            screen = await open_row(app, pilot, name[:4])
            # The source: exactly the sanitised file, every hostile line as cleaned.
            source = screen.query_one(SourceView)
            assert source.text == clean_text(text)
            title = str(screen.query_one("#report-title", Static).render())
            assert inert_name(name) in title and not has_controls(title)
            for part in ("#figures", "#findings"):
                rows = plain_rows(screen.query_one(part, DataTable))
                assert not any(has_controls(c) for row in rows for c in row)
            for _ in range(min(8, len(screen.entry.findings))):
                detail = str(screen.query_one("#detail").render())
                assert not has_controls(detail)
                await pilot.press("right_square_bracket")
            await pilot.press("3", "pagedown", "pagedown")
            _screen_clean(app)
            if name.endswith("2023.txt"):
                await pilot.press("l")
                last = app.screen
                assert isinstance(last, LastYearScreen) and last.match is not None
                rows = plain_rows(last.query_one("#pairs", DataTable))
                assert not any(has_controls(c) for row in rows for c in row)
                old, new = clean_text(raw_of(raw, 2022)), clean_text(text)
                shown = [c for row in rows for c in (row[0], row[2]) if c and c[0] != "（"]
                assert sum("项目" in n for n in shown) >= 12, shown
                for n in shown:  # every name is text of one of the two reports, as cleaned
                    assert n in old or n in new, n
                _screen_clean(app)
                await pilot.press("escape")
            await pilot.press("escape")
    assert app._exception is None


def raw_of(raw: dict[str, str], year: int) -> str:
    return next(t for n, t in raw.items() if n.endswith(f"{year}.txt"))


async def test_fuzzed_notes_notices_and_search(
    fuzzed: tuple[Path, dict[str, str]], make_app: AppFactory
) -> None:
    """1,000 hostile pastes into the note box and the search box, 600 hostile notices; one
    note saved: the box, the screen and the log hold the sanitised text."""
    folder, _ = fuzzed
    rng = random.Random(8)
    app = make_app(folder)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, next(p.name for p in folder.glob("*2023.txt"))[:4])
        await pilot.press("t")
        note = app.screen
        assert isinstance(note, NoteScreen)
        box = note.query_one("#note-input", Input)
        pasted = ""
        for i in range(500):
            pasted = hostile(rng)
            box.value = ""
            box._on_paste(events.Paste(pasted))  # what the terminal's bracketed paste calls
            expected = inert(pasted.splitlines()[0]) if pasted.splitlines() else ""
            assert box.value == expected, (pasted, box.value)
            if i % 50 == 0:
                await pilot.pause()
                _screen_clean(app)
        await pilot.press("enter")
        await pilot.pause()
        saved = [a.note for r in read_log(folder / ".jixiao" / "tester").reports
                 for a in r.annotations]  # fmt: skip
        assert saved == [clean_text(box.value)]
        detail = str(screen.query_one("#detail").render())
        assert not has_controls(detail)
        await pilot.press("slash")
        search = screen.query_one("#search", Input)
        for _ in range(500):
            search.value = ""
            search._on_paste(events.Paste(hostile(rng)))
            assert not has_controls(search.value)
        await pilot.press("enter")
        await pilot.pause()
        assert not has_controls(str(screen.query_one("#report-status").render()))
        _screen_clean(app)
        for i in range(300):
            problem = hostile(rng)
            save_failed(screen, problem, "zh")
            report_gone(screen, problem, "zh")
            if i % 30 == 29:
                await pilot.pause()
                toasts = [str(t.render()) for t in app.screen.query(Toast)]
                assert toasts and not any(has_controls(t) for t in toasts)
                assert any(inert(problem) in t for t in toasts)
                _screen_clean(app)
                app.clear_notifications()
    TRIED.append(500 + 500 + 600)
    assert app._exception is None
