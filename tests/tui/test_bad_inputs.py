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
                assert case.name in unit and words in unit, (case.id, unit)
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
