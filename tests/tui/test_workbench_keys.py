"""The workbench's keys, one capability per test, driven as a reviewer drives them."""

from __future__ import annotations

import os
import threading
from functools import partial
from pathlib import Path

import polars as pl
import pytest
from textual.widgets import DataTable, Footer, Input, OptionList
from textual.widgets._footer import FooterKey

import core.review_log
from core.batch import SORTS
from core.checks import check_label
from core.config import ConfigError, load_config
from core.models import Finding
from core.output import field_label
from core.review_store import read_log
from tests.tui.conftest import AppFactory, wait_loaded
from tests.tui.helpers import (
    batch_screen,
    column,
    hold_loader_until_shown,
    open_row,
    plain_rows,
    report_screen,
)
from tui.app import JixiaoApp
from tui.i18n import WORDS
from tui.keymap import check_keymap
from tui.screens.batch import BatchScreen
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.last_year import LastYearScreen
from tui.screens.report import ReportScreen
from tui.widgets.report_list import ReportList
from tui.widgets.source_view import SourceView
from tui.workbench import Workbench

PINGKOU_2023 = "安化县平口镇_2023"
PINGKOU_2023_FILE = "安化县平口镇_2023_部门整体支出绩效自评报告.txt"
SIZE = (140, 40)


@pytest.fixture(autouse=True)
def _no_startup_race(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_loader_until_shown(monkeypatch)


def _annotations(batch: Path) -> list[tuple[str, str, str, str]]:
    """(report path, check, status, severity) of every annotation saved on disk."""
    log = read_log(batch / ".jixiao" / "tester")
    return [
        (r.path, a.target.check, a.status, a.severity) for r in log.reports for a in r.annotations
    ]


def _finding_verdicts(screen: ReportScreen) -> list[str]:
    return column(screen.query_one("#findings", DataTable), "col_decision")


def _detail(screen: ReportScreen) -> str:
    return str(screen.query_one("#detail").render())


# ---- the batch screen ----------------------------------------------------------------------


async def test_unreadable_files_are_rows_that_say_why(batch: Path, make_app: AppFactory) -> None:
    (batch / "空报告.txt").write_bytes(b"")
    (batch / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        rows = {r[-1]: r for r in plain_rows(table)}
        assert len(rows) == 12  # the ten samples and the two bad files
        empty, old = rows["空报告.txt"][0], rows["旧格式.doc"][0]
        assert empty.startswith("无法读取") and "文件是空的" in empty
        assert old.startswith("无法读取") and ".doc" in old and ".docx" in old
        # Every sample was still read: a unit and a year on each of their rows.
        readable = [r for name, r in rows.items() if name not in ("空报告.txt", "旧格式.doc")]
        assert all(r[0] not in ("", "—") and r[1] for r in readable)
        # Enter on an unreadable row says why instead of opening it.
        table.move_cursor(table.position_of(_index(app, "空报告.txt")) or 0)
        await pilot.press("enter")
        assert isinstance(app.screen, BatchScreen)
        messages = [n.message for n in app._notifications]
        assert any("文件是空的" in m for m in messages), messages


def _index(app: JixiaoApp, name: str) -> int:
    found = app.workbench.index_of(name)
    assert found is not None, name
    return found


async def test_o_changes_the_order_of_the_rows(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = batch_screen(app)
        table = screen.query_one("#reports", ReportList)
        by_path = column(table, "col_file")
        assert by_path == sorted(by_path)
        await pilot.press("o")  # path → unit
        units = column(table, "col_unit")
        assert units == sorted(units)
        assert column(table, "col_file") != by_path
        assert "排序: 单位" in str(screen.query_one("#batch-filters").render())
        await pilot.press("o", "o")  # → year → errors: most errors first
        errors = [int(e or 0) for e in column(table, "col_errors")]
        assert errors == sorted(errors, reverse=True) and errors[0] > errors[-1]


async def test_the_orders_follow_decisions(batch: Path, make_app: AppFactory) -> None:
    # The listing keeps each order once worked out; a decision must still move its row.
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = batch_screen(app)
        table = screen.query_one("#reports", ReportList)
        for _ in range(2 * len(SORTS)):  # every order worked out, twice round
            await pilot.press("o")
        while screen.sort != "status":
            await pilot.press("o")
        last = column(table, "col_file")[-1]
        table.move_cursor(table.row_count - 1)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r", "escape")  # 已审 ("done" sorts first)
        await pilot.pause()
        assert column(table, "col_file")[0] == last
        for _ in range(len(SORTS)):  # round again to the status order
            await pilot.press("o")
        assert screen.sort == "status"
        assert column(table, "col_file")[0] == last
        assert column(table, "col_status")[0] == "已审"


async def test_s_filters_by_status(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await open_row(app, pilot, PINGKOU_2023)
        await pilot.press("r", "escape")  # 已审; back
        screen = batch_screen(app)
        table = screen.query_one("#reports", ReportList)
        assert table.row_count == 10
        statuses = dict(zip(column(table, "col_file"), column(table, "col_status"), strict=True))
        assert statuses[PINGKOU_2023_FILE] == "已审"
        await pilot.press("s")  # 未审
        assert PINGKOU_2023_FILE not in column(table, "col_file")
        assert set(column(table, "col_status")) == {"未审"} and table.row_count == 9
        await pilot.press("s", "s")  # 审阅中 → 已审
        assert column(table, "col_file") == [PINGKOU_2023_FILE]
        assert "按状态: 已审" in str(screen.query_one("#batch-filters").render())
        await pilot.press("s", "s")  # 跳过 → all again
        assert table.row_count == 10


async def test_w_filters_by_severity(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        with_errors = [
            app.workbench.relative_paths[i]
            for i, s in enumerate(app.workbench.summaries)
            if s is not None and s.errors
        ]
        assert 0 < len(with_errors) < table.row_count
        await pilot.press("w")
        assert sorted(column(table, "col_file")) == sorted(with_errors)
        assert all(int(e) > 0 for e in column(table, "col_errors"))
        await pilot.press("w")  # warnings or worse: more rows, never fewer
        assert len(with_errors) < table.row_count < 10


async def test_slash_filters_by_text(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        await pilot.press("slash", *"平口", "enter")
        files = column(table, "col_file")
        assert len(files) == 3 and all("平口" in f for f in files)
        await pilot.press("slash", "backspace", "backspace", *"前山")
        assert all("前山" in f for f in column(table, "col_file")) and table.row_count == 2
        await pilot.press("enter", "escape")  # Esc clears the filter
        assert table.row_count == 10


async def test_g_opens_the_next_unreviewed_report(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("enter")  # the first row
        first = report_screen(app).index
        await pilot.press("r", "escape")
        await pilot.press("g")  # from the row just marked 已审
        second = report_screen(app)
        assert second.index != first
        assert second.index == app.workbench.next_unreviewed(first)
        state = app.workbench.state(second.index)
        assert state is not None and state.status == "unreviewed"
        await pilot.press("g")  # on the report screen too
        assert report_screen(app).index not in (first, second.index)


async def test_rows_are_not_added_twice_while_loading(
    batch: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redrawing the listing (a sort, a filter, coming back from a report) while the loader is
    between reading a report and announcing it must not add that report's row twice."""
    loaded_one, go_on = threading.Event(), threading.Event()
    load = Workbench.load

    def slow_announce(self: Workbench, index: int):  # type: ignore[no-untyped-def]
        entry = load(self, index)
        if not loaded_one.is_set():
            loaded_one.set()
            go_on.wait(10)  # the listing is redrawn now, before _loaded(index) runs
        return entry

    monkeypatch.setattr(Workbench, "load", slow_announce)
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            if loaded_one.is_set():
                break
            await pilot.pause(0.02)
        await pilot.press("o")  # sort: the listing is laid out again from the workbench
        go_on.set()
        for _ in range(400):
            if app.workbench.batch_checked or app._exception is not None:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert batch_screen(app).query_one("#reports", ReportList).row_count == 10
    assert app.return_code in (0, None)


# ---- the report screen ---------------------------------------------------------------------


async def test_figures_cursor_selects_the_figures_quote(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        source = screen.query_one(SourceView)
        figures = screen.entry.extraction.figures
        await pilot.press("1")
        assert source.span() == (figures[0].start, figures[0].end)
        await pilot.press("down", "down")
        fig = figures[2]
        assert source.span() == (fig.start, fig.end)
        assert source.selected_text == fig.quote
        assert fig.quote in _detail(screen) and field_label(fig.field) in _detail(screen)


async def test_brackets_step_through_findings(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        source = screen.query_one(SourceView)
        findings = screen.entry.findings
        assert len(findings) >= 3
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen._current_finding() is findings[2]
        assert source.span() == findings[2].spans[0]
        assert findings[2].message in _detail(screen)
        await pilot.press("left_square_bracket")
        assert screen._current_finding() is findings[1]
        assert source.span() == findings[1].spans[0]
        await pilot.press("left_square_bracket", "left_square_bracket")  # wraps round
        assert screen._current_finding() is findings[-1]


async def test_search_and_n_N_move_between_occurrences(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        source = screen.query_one(SourceView)
        needle = "万元"
        text = screen.text
        at = [i for i in range(len(text)) if text.startswith(needle, i)]
        assert len(at) >= 3
        here = source.cursor_offset()
        await pilot.press("slash", *needle, "enter")
        first = next((i for i in at if i > here), at[0])
        assert source.span() == (first, first + len(needle))
        assert source.selected_text == needle
        k = at.index(first)
        await pilot.press("n")
        nxt = at[(k + 1) % len(at)]
        assert source.span() == (nxt, nxt + len(needle))
        await pilot.press("N")
        assert source.span() == (first, first + len(needle))
        assert f"/{needle}" in str(screen.query_one("#report-status").render())
        assert "冇冇" not in text
        await pilot.press("slash", "冇", "冇", "enter")
        assert "未找到" in str(screen.query_one("#report-status").render())


async def test_v_and_arrows_select_text(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        source = (await open_row(app, pilot, PINGKOU_2023)).query_one(SourceView)
        await pilot.press("3", "home")
        start = source.cursor_offset()
        await pilot.press("v", "right", "right", "right", "right")
        assert source.span() == (start, start + 4)
        assert source.selected_text == source.text[start : start + 4]
        await pilot.press("escape")  # ends the selection, keeps the report open
        assert source.span() is None and isinstance(app.screen, ReportScreen)
        await pilot.press("right")  # no longer extending
        assert source.span() is None


async def test_u_undoes_the_last_decision(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        check = screen.entry.findings[0].check
        await pilot.press("c", "x")
        assert _finding_verdicts(screen)[0] == "误报"
        assert _annotations(batch) == [(PINGKOU_2023_FILE, check, "false_positive", "error")]
        await pilot.press("u")  # back to 确认问题
        assert _finding_verdicts(screen)[0] == "确认"
        assert _annotations(batch) == [(PINGKOU_2023_FILE, check, "confirmed", "error")]
        await pilot.press("u")  # gone
        assert _finding_verdicts(screen)[0] == ""
        assert _annotations(batch) == []
        assert "确认问题" not in _detail(screen)
        await pilot.press("u")
        assert "没有可撤销的操作" in str(screen.query_one("#report-status").render())


async def test_s_cycles_the_severity_of_the_decision(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        assert screen.entry.findings[0].severity == "error"
        await pilot.press("s")  # nothing decided yet: nothing to change
        assert _annotations(batch) == []
        await pilot.press("c")
        seen = []
        for _ in range(3):
            await pilot.press("s")
            seen.append(_annotations(batch)[0][3])
            assert f"· {({'error': '错误', 'warning': '警告', 'info': '提示'})[seen[-1]]}" in (
                _detail(screen)
            )
        assert seen == ["warning", "info", "error"]


async def test_y_copies_to_the_clipboard(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        await pilot.press("y")  # the finding in hand
        assert app.clipboard == screen.entry.findings[0].message
        await pilot.press("1", "down", "y")  # a figure: its label and quote
        fig = screen.entry.extraction.figures[1]
        assert app.clipboard == f"{field_label(fig.field)}：{fig.quote}"
        await pilot.press("3", "home", "v", "right", "right", "right", "y")  # a selection
        source = screen.query_one(SourceView)
        span = source.span()
        assert span is not None and app.clipboard == screen.text[span[0] : span[1]]
        assert "已复制" in str(screen.query_one("#report-status").render())


# ---- help and the command palette ----------------------------------------------------------


def _help_rows(app: JixiaoApp) -> list[tuple[str, str]]:
    screen = app.screen
    assert isinstance(screen, HelpScreen), screen
    table = screen.query_one("#help-keys", DataTable)
    return [(k, d) for k, d in plain_rows(table)]


async def test_f1_and_question_mark_list_the_focused_parts_keys(
    batch: Path, make_app: AppFactory
) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await pilot.press("f1")  # the batch listing
        rows = _help_rows(app)
        assert ("g", "下一份未审") in rows and ("/", "筛选") in rows
        assert "回车打开报告" in str(app.screen.query_one("#help-about").render())
        await pilot.press("escape")
        assert isinstance(app.screen, BatchScreen)

        await open_row(app, pilot, PINGKOU_2023)
        await pilot.press("question_mark")  # the findings
        rows = _help_rows(app)
        assert ("c", "确认问题") in rows and ("x", "误报") in rows and ("]", "下一发现") in rows
        assert ("v", "开始选择") not in rows
        assert str(app.screen.query_one("#help-about").render()).startswith("检查发现")
        await pilot.press("escape")
        assert isinstance(app.screen, ReportScreen)

        await pilot.press("3", "f1")  # the source text: its own keys too
        rows = _help_rows(app)
        assert ("v", "开始选择") in rows and ("c", "确认问题") in rows
        assert str(app.screen.query_one("#help-about").render()).startswith("报告原文")
        await pilot.press("escape")
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("question_mark")  # ? in the read-only text opens help, types nothing
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReportScreen)


async def test_command_palette_offers_every_key_of_the_screen(
    batch: Path, make_app: AppFactory
) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        commands = list(app.get_system_commands(screen))
        titles = [c.title for c in commands]
        offered = {c.callback.args[1] for c in commands if isinstance(c.callback, partial)}
        # Every workbench key (those with an id of ours) is offered; Textual's cursor keys come
        # with their own entries.
        described = {
            a.binding.action
            for a in screen.active_bindings.values()
            if a.enabled and a.binding.id in WORDS
        }
        assert described <= offered
        assert {"确认问题", "误报", "上年对照", "撤销", "下一发现", "导出"} <= set(titles)
        # A key that is off (no selection to cancel) is not offered.
        await pilot.press("3", "escape")
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "取消" not in titles and "开始选择" in titles
        await pilot.press("v")
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "取消" in titles
        # Running one from the palette does what the key does.
        command = next(c for c in app.get_system_commands(screen) if c.title == "上年对照")
        await command.callback()
        await pilot.pause()
        assert isinstance(app.screen, LastYearScreen)


# ---- [keymap] ------------------------------------------------------------------------------


async def test_keymap_moves_a_decision_to_another_key(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch, keymap={"confirm": "k"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        await pilot.press("c")
        assert _finding_verdicts(screen)[0] == "" and _annotations(batch) == []
        await pilot.press("k")
        assert _finding_verdicts(screen)[0] == "确认"
        assert [a[2] for a in _annotations(batch)] == ["confirmed"]
        footer = {k.description: k.key for k in screen.query_one(Footer).query(FooterKey)}
        assert footer.get("确认问题") == "k"


def test_keymap_with_an_unknown_id_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        check_keymap({"nonsense": "z", "confirm": "k"}, Path("config.toml"))
    assert "keymap.nonsense" in str(caught.value) and "config.toml" in str(caught.value)
    assert "keymap.confirm" not in str(caught.value)
    assert check_keymap({"confirm": "k"}, Path("config.toml")) == {"confirm": "k"}


@pytest.mark.parametrize("keys", ['""', '"c d"', '"c,,d"', "3"])
def test_config_refuses_a_bad_key_string(tmp_path: Path, keys: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[keymap]\nconfirm = {keys}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert "keymap.confirm" in str(caught.value) and str(config) in str(caught.value)


def test_config_reads_a_good_keymap(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\nconfirm = "k"\nhelp = "f2, ctrl+h"\n', encoding="utf-8")
    assert dict(load_config(config).keymap) == {"confirm": "k", "help": "f2,ctrl+h"}


# ---- --lang en -----------------------------------------------------------------------------


async def test_english_labels(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        headers = [label for _, label, _ in table.columns]
        assert headers == ["Unit", "Year", "Errors", "Warnings", "Status", "Notes", "File"]
        assert set(column(table, "col_status")) == {"unreviewed"}
        screen = await open_row(app, pilot, PINGKOU_2023)
        figures = screen.query_one("#figures", DataTable)
        assert [str(c.label) for c in figures.columns.values()] == [
            "Field",
            "As written",
            "Check",
            "Decision",
        ]
        fields = [f.field for f in screen.entry.extraction.figures]
        assert column(figures, "col_field") == [field_label(f, "en") for f in fields]
        assert all(label.isascii() for label in column(figures, "col_field"))
        footer = {k.description for k in screen.query_one(Footer).query(FooterKey)}
        assert {"Confirm issue", "False positive", "Last year", "Next finding"} <= footer
        assert column(screen.query_one("#findings", DataTable), "col_severity")[0] == "error"
        await pilot.press("c")
        assert _finding_verdicts(screen)[0] == "issue"


# ---- export from the app -------------------------------------------------------------------


async def _decide_with_note(app: JixiaoApp, pilot, note: str) -> Finding:  # type: ignore[no-untyped-def]
    screen = await open_row(app, pilot, PINGKOU_2023)
    await pilot.press("c", "t", *note, "enter")
    return screen.entry.findings[0]


async def _export(app: JixiaoApp, pilot, *moves: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("e")
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    assert screen.query_one(OptionList).has_focus
    await pilot.press(*moves, "enter")  # the format
    assert screen.query_one("#export-path", Input).has_focus
    await pilot.press("enter")  # the path as offered
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert not isinstance(app.screen, ExportScreen)


async def test_export_markdown_from_the_app(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        finding = await _decide_with_note(app, pilot, "应为244.8")
        await _export(app, pilot)
        out = batch / ".jixiao" / "tester" / "review-notes.md"
        assert out.is_file()
        text = out.read_text(encoding="utf-8")
        assert "应为244.8" in text and "安化县平口镇人民政府" in text
        assert check_label(finding.check) in text and "确认问题" in text
        assert any(str(out) in n.message for n in app._notifications)


async def test_export_xlsx_from_the_app(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        await _decide_with_note(app, pilot, "应为244.8")
        await _export(app, pilot, "down")  # the second format: Excel
        out = batch / ".jixiao" / "tester" / "review-notes.xlsx"
        assert out.is_file() and not (batch / ".jixiao" / "tester" / "review-notes.md").exists()
        frame = pl.read_excel(out)
        assert frame.height == 1
        assert "应为244.8" in frame.row(0)


# ---- a save that fails ---------------------------------------------------------------------


async def test_a_failed_save_keeps_the_decision_and_writes_it_later(
    batch: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(batch)
    reports_dir = batch / ".jixiao" / "tester" / "reports"
    write = core.review_log.write_with_backup
    broken = {"on": False}

    def full_disk(path: Path, data: bytes, previous: bytes | None) -> None:
        if broken["on"]:
            raise OSError(28, "No space left on device")
        write(path, data, previous)

    # As root a read-only folder is still writable: fail the write itself instead.
    use_chmod = os.geteuid() != 0
    if not use_chmod:
        monkeypatch.setattr(core.review_log, "write_with_backup", full_disk)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, PINGKOU_2023)
        if use_chmod:
            reports_dir.chmod(0o555)
        broken["on"] = True
        try:
            await pilot.press("c")
        finally:
            reports_dir.chmod(0o755)
            broken["on"] = False
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        assert "未能保存" in errors[0]
        assert "磁盘空间已满" in errors[0] or "没有写入" in errors[0], errors  # in plain words
        assert app.is_running and screen is app.screen
        assert _finding_verdicts(screen)[0] == "确认"  # still shown
        assert _annotations(batch) == []  # not on disk yet
        assert app.workbench.log.pending
        # Writing works again: the next decision saves both.
        await pilot.press("right_square_bracket", "x")
        assert sorted(a[2] for a in _annotations(batch)) == ["confirmed", "false_positive"]
        assert not app.workbench.log.pending
        assert len([n for n in app._notifications if n.severity == "error"]) == 1


# ---- the command line ----------------------------------------------------------------------


def test_review_of_a_missing_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.cli import main

    monkeypatch.chdir(tmp_path)  # no config.toml here
    ran = []
    monkeypatch.setattr(JixiaoApp, "run", lambda self, *a, **k: ran.append(self))
    missing = tmp_path / "没有这个文件夹"
    assert main(["review", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "not a folder" in err
    assert ran == []


def test_a_folder_alone_opens_the_workbench(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.cli import main

    monkeypatch.chdir(tmp_path)
    ran: list[JixiaoApp] = []
    monkeypatch.setattr(JixiaoApp, "run", lambda self, *a, **k: ran.append(self))
    assert main([str(batch)]) == 0
    assert len(ran) == 1
    bench = ran[0].workbench
    assert bench.folder == batch and len(bench.paths) == 10
    assert (bench.log.folder / "review.toml").is_file()
    # The language and the keymap of the command line and config reach the app.
    (tmp_path / "config.toml").write_text('[keymap]\nconfirm = "k"\n', encoding="utf-8")
    assert main(["--lang", "en", "review", str(batch)]) == 0
    assert ran[1].lang == "en" and ran[1]._user_keymap == {"confirm": "k"}
