"""A reviewer's session on sample_reports, driven with the keyboard, then resumed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import DataTable

from core.review_store import read_log
from tests.tui.conftest import AppFactory, open_report, wait_loaded
from tui.screens.batch import BatchScreen
from tui.screens.last_year import LastYearScreen
from tui.screens.report import ReportScreen
from tui.widgets.source_view import SourceView

PINGKOU_2023 = "安化县平口镇_2023"
PINGKOU_2024 = "安化县平口镇_2024"


def _report(app: object) -> ReportScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ReportScreen), screen
    return screen


async def _to_finding(pilot, screen: ReportScreen, check: str, field: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(len(screen.entry.findings)):
        finding = screen._current_finding()
        if finding and finding.check == check and field in finding.fields:
            return
        await pilot.press("right_square_bracket")
    raise AssertionError(f"no {check} finding on {field}")


async def test_a_reviewers_session_is_saved_and_resumed(batch: Path, make_app: AppFactory) -> None:
    app = make_app(batch)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(app, pilot)
        assert isinstance(app.screen, BatchScreen)
        await open_report(app, pilot, PINGKOU_2023)
        screen = _report(app)
        assert screen.entry.extraction.unit == "安化县平口镇人民政府"

        # Step to the 公用经费 change-rate finding: the source shows its sentence selected.
        await _to_finding(pilot, screen, "change_rate_mismatch", "spending_public")
        source = screen.query_one(SourceView)
        assert source.selected_text.startswith("公用经费44.8万元")
        detail = str(screen.query_one("#detail").render())
        assert "244.8" in detail  # the root-cause hint is shown with the arithmetic

        # Confirm it, with a note.
        await pilot.press("c", "t", *"应为244.8万元", "enter")
        # Another finding is a false positive.
        await pilot.press("right_square_bracket")
        other = screen._current_finding()
        assert other is not None and other.check != "change_rate_mismatch"
        await pilot.press("x")
        # Select a span in the source with the keyboard and record a missed issue.
        await pilot.press("3", "home", "v", *["right"] * 6, "m", *"未说明原因", "enter")

        # Last year: the 2024 report against 2023, confirm a project pair.
        await pilot.press("escape")
        await open_report(app, pilot, PINGKOU_2024)
        await pilot.press("l")
        await pilot.pause()
        last_year = app.screen
        assert isinstance(last_year, LastYearScreen)
        assert last_year.match is not None and last_year.match.old.year == 2023
        kind, old, new = last_year.rows[0]
        assert kind == "pair" and old is not None and new is not None
        await pilot.press("c")
        assert last_year.match.projects.pairs[0].confirmed
        await pilot.press("escape", "escape")

        # Back on 2023: mark it 已审.
        await open_report(app, pilot, PINGKOU_2023)
        await pilot.press("r")
        assert "已审" in str(_report(app).query_one("#report-title").render())
        await pilot.press("q")

    log = read_log(batch / ".jixiao" / "tester")
    states = {s.path: s for s in log.reports}
    pingkou = states["安化县平口镇_2023_部门整体支出绩效自评报告.txt"]
    assert pingkou.status == "done"
    verdicts = {(a.target.kind, a.target.check, a.status, a.note) for a in pingkou.annotations}
    assert ("finding", "change_rate_mismatch", "confirmed", "应为244.8万元") in verdicts
    assert ("finding", other.check, "false_positive", "") in verdicts
    missed = [a for a in pingkou.annotations if a.status == "missed"]
    assert len(missed) == 1 and missed[0].note == "未说明原因" and len(missed[0].quote) == 6
    later = states["synthetic/安化县平口镇_2024_部门整体支出绩效自评报告.txt"]
    pair = [a for a in later.annotations if a.target.kind == "projects"]
    assert [(a.target.old_project, a.target.new_project, a.status) for a in pair] == [
        (old.name, new.name, "confirmed")
    ]

    # The TOML reads well: Chinese as Chinese, the arithmetic rounded, the note as written.
    file = next((batch / ".jixiao" / "tester" / "reports").glob("安化县平口镇_2023*.toml"))
    text = file.read_text(encoding="utf-8")
    assert 'note = "应为244.8万元"' in text and "\\u" not in text
    assert 'computed = "81.7760"' in text  # four places, not 28
    tomllib.loads(text)

    # Reopen: the same report, the same decisions.
    app = make_app(batch)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_loaded(app, pilot)
        screen = _report(app)
        assert screen.entry.extraction.year == 2023
        findings = screen.query_one("#findings", DataTable)
        verdict_cells = [str(findings.get_row_at(i)[1]) for i in range(findings.row_count)]
        assert verdict_cells.count("确认") == 1 and verdict_cells.count("误报") == 1
        assert "已审" in str(screen.query_one("#report-title").render())
