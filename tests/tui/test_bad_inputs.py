"""The bad-input corpus (tests.badinput) in the workbench: each bad file is a row that says
无法读取 and why, every other report is read, and a report without figures opens empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.badinput import GOOD, NON_REPORTS, Case
from tests.tui.conftest import AppFactory, wait_loaded
from tests.tui.helpers import batch_screen, column, hold_loader_until_shown, open_row
from tui.widgets.report_list import ReportList

SIZE = (160, 50)
UNREADABLE = {"zh": "无法读取", "en": "unreadable"}


@pytest.fixture(autouse=True)
def _no_startup_race(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_loader_until_shown(monkeypatch)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_bad_files_are_rows_that_say_why(
    bad_batch: tuple[Path, list[Case]], make_app: AppFactory, lang: str
) -> None:
    folder, cases = bad_batch
    app = make_app(folder, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        units = dict(zip(column(table, "col_file"), column(table, "col_unit"), strict=True))
        assert set(units) == {c.name for c in cases} | {g.name for g in GOOD}
        for case in cases:
            unit = units[case.name]
            if case.read:
                assert not unit.startswith(UNREADABLE[lang]), (case.id, unit)
            else:
                words = case.zh if lang == "zh" else case.en
                assert unit.startswith(UNREADABLE[lang]), (case.id, unit)
                assert words in unit, (case.id, unit)
        for good in GOOD:
            assert units[good.name] and not units[good.name].startswith(UNREADABLE[lang])
        # The attachments (and the link back into the folder) are passed over, not listed.
        assert len(app.workbench.skipped) == NON_REPORTS + 1


async def test_a_report_without_figures_opens_with_none(
    bad_batch: tuple[Path, list[Case]], make_app: AppFactory
) -> None:
    folder, _ = bad_batch
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, "没有数字")
        assert screen.query_one("#figures", DataTable).row_count == 0
        assert "本单位认真开展各项工作" in screen.text


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_unreadable_rows_reason_is_visible_on_a_small_terminal(
    batch: Path, make_app: AppFactory, size: tuple[int, int], lang: str
) -> None:
    # The reason comes first and takes the columns an unreadable report has nothing to show in;
    # the file's name keeps its own column.
    long_name = "某某省某某市某某县某某镇人民政府_2023_部门整体支出绩效自评报告（终稿）"
    (batch / f"{long_name}.txt").write_bytes(b"")
    (batch / "照片.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    app = make_app(batch, lang=lang)
    async with app.run_test(size=size) as pilot:
        await wait_loaded(app, pilot)
        table = batch_screen(app).query_one("#reports", ReportList)
        shown = {}
        for y in range(1, table.row_count + 1):
            line = "".join(segment.text for segment in table.render_line(y))
            assert len(line) <= size[0]
            shown[table.rows[int(table.scroll_y) + y - 1].path] = line
        empty = "文件是空的（0 字节）" if lang == "zh" else "the file is empty (0 bytes)"
        binary = (
            "不是文本文件（含有二进制数据）"
            if lang == "zh"
            else "this is not a text file (it contains binary"
        )
        assert shown[f"{long_name}.txt"].startswith(f"{UNREADABLE[lang]}: {empty}")
        assert shown["照片.txt"].startswith(f"{UNREADABLE[lang]}: {binary}")
        assert shown["照片.txt"].rstrip().endswith("照片.txt")
        assert long_name[:4] in shown[f"{long_name}.txt"]
