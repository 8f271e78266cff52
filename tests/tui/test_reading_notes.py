"""What reading a report was not sure of (a PDF page without text, a pattern of config.toml
left out) is told when the report is opened, and stays marked in its title."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._toast import Toast

from tests.docs import make_cjk_font, write_pdf
from tests.tui.conftest import AppFactory, wait_loaded
from tests.tui.helpers import hold_loader_until_shown, open_row

TEXT = (
    "甲县乙镇人民政府2023年度部门整体支出绩效自评报告\n"
    "2023年支出合计1290.00万元，其中基本支出1287.78万元，项目支出2.22万元。\n"
    "自评分数为92分，等级为优。\n"
)
WORDS = {
    "zh": ("读取提示 1", "第 2 页没有文字"),
    "en": ("Reading notes 1", "page 2: no text on this page"),
}


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_loader_until_shown(monkeypatch)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_pdf_page_without_text_is_told_on_opening(
    tmp_path: Path, make_app: AppFactory, lang: str
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    font = make_cjk_font(tmp_path / "cjk.ttf", TEXT)
    write_pdf(folder / "甲县乙镇_2023.pdf", [TEXT, ""], font)
    (folder / "甲县丙镇_2023.txt").write_text(TEXT.replace("乙镇", "丙镇"), encoding="utf-8")
    app = make_app(folder, lang=lang)
    title_words, told = WORDS[lang]
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, "甲县乙镇")
        await pilot.pause()
        title = str(screen.query_one("#report-title", Static).render())
        assert title_words in title
        toasts = [str(t.render()) for t in app.screen.query(Toast)]
        assert any(told in toast for toast in toasts), toasts
        # A report read without doubt has neither.
        await pilot.press("escape")
        screen = await open_row(app, pilot, "甲县丙镇")
        await pilot.pause()
        assert title_words.split()[0] not in str(screen.query_one("#report-title", Static).render())
