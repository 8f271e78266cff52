"""The last-year view over three years of one unit: the trend line, and pairing by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from textual.widgets import DataTable

from tests.tui.conftest import SAMPLES, AppFactory, open_report, wait_loaded
from tui.screens.last_year import LastYearScreen
from tui.sparkline import sparkline


def test_sparkline_scales_between_the_smallest_and_largest() -> None:
    assert sparkline([Decimal(1), Decimal(5), Decimal(9)]) == "▁▅█"
    assert sparkline([Decimal(3), None, Decimal(3)]) == "▄ ▄"
    assert sparkline([None, None]) == ""


def _three_years(folder: Path) -> None:
    """安化 平口镇 2023 and 2024 from the samples, and a 2022 made from 2023 with other numbers."""
    folder.mkdir()
    text_2023 = (SAMPLES / "安化县平口镇_2023_部门整体支出绩效自评报告.txt").read_text(
        encoding="utf-8"
    )
    (folder / "安化县平口镇_2023.txt").write_text(text_2023, encoding="utf-8")
    later = SAMPLES / "synthetic" / "安化县平口镇_2024_部门整体支出绩效自评报告.txt"
    (folder / "安化县平口镇_2024.txt").write_text(
        later.read_text(encoding="utf-8"), encoding="utf-8"
    )
    text_2022 = text_2023.replace("2023", "2022").replace("1855.32", "1700.00")
    (folder / "安化县平口镇_2022.txt").write_text(text_2022, encoding="utf-8")


async def test_three_years_draw_a_trend_and_a_pair_can_be_made_by_hand(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = tmp_path / "three"
    _three_years(folder)
    app = make_app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(app, pilot)
        await open_report(app, pilot, "2024")
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LastYearScreen)
        series = screen.query_one("#series", DataTable)
        headers = [str(c.label) for c in series.columns.values()]
        assert headers[1:4] == ["2022", "2023", "2024"]
        rows = {str(series.get_row_at(i)[0]): series.get_row_at(i) for i in range(series.row_count)}
        spending = rows["实际支出"]
        assert str(spending[1]).startswith("1,700 万元")
        trend = str(spending[-1])
        assert len(trend) == 3 and trend[0] == "▁" and trend[-1] == "█"

        # Pair the dropped 火车站 project with a new one by hand: p on each.
        kinds = [kind for kind, _, _ in screen.rows]
        dropped, new = kinds.index("dropped"), kinds.index("new")
        pairs_before = len(screen.match.projects.pairs)  # type: ignore[union-attr]
        table = screen.query_one("#pairs", DataTable)
        table.move_cursor(row=dropped)
        await pilot.press("p")
        table.move_cursor(row=new)
        await pilot.press("p")
        await pilot.pause()
        match = screen.match
        assert match is not None and len(match.projects.pairs) == pairs_before + 1
        assert any(p.confirmed for p in match.projects.pairs)
