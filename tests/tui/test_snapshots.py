"""Screens as a reviewer sees them, pinned at 80×24 and 120×36 (SVG snapshots).

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the new SVGs (the report in tests/tui/snapshot_report.html) before committing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import AppFactory, open_report, wait_loaded

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


@pytest.mark.parametrize("size", SIZES)
def test_batch_screen(snap_compare, batch: Path, make_app: AppFactory, size) -> None:  # type: ignore[no-untyped-def]
    async def loaded(pilot: Pilot[None]) -> None:
        await wait_loaded(pilot.app, pilot)  # type: ignore[arg-type]

    assert snap_compare(make_app(batch), terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES)
def test_report_screen_with_a_highlighted_figure(
    snap_compare, batch: Path, make_app: AppFactory, size
) -> None:  # type: ignore[no-untyped-def]
    async def on_figure(pilot: Pilot[None]) -> None:
        await wait_loaded(pilot.app, pilot)  # type: ignore[arg-type]
        await open_report(pilot.app, pilot, "安化县平口镇_2023")  # type: ignore[arg-type]
        await pilot.press("1", "down", "down", "down", "down", "down")  # 公用经费
        await pilot.pause()

    assert snap_compare(make_app(batch), terminal_size=size, run_before=on_figure)


@pytest.mark.parametrize("size", SIZES)
def test_last_year_view(snap_compare, batch: Path, make_app: AppFactory, size) -> None:  # type: ignore[no-untyped-def]
    async def last_year(pilot: Pilot[None]) -> None:
        await wait_loaded(pilot.app, pilot)  # type: ignore[arg-type]
        await open_report(pilot.app, pilot, "青龙县双山子镇_2023")  # type: ignore[arg-type]
        await pilot.press("l")
        await pilot.pause()

    assert snap_compare(make_app(batch), terminal_size=size, run_before=last_year)


@pytest.mark.parametrize("size", SIZES)
def test_help_for_the_findings(snap_compare, batch: Path, make_app: AppFactory, size) -> None:  # type: ignore[no-untyped-def]
    async def help_screen(pilot: Pilot[None]) -> None:
        await wait_loaded(pilot.app, pilot)  # type: ignore[arg-type]
        await open_report(pilot.app, pilot, "安化县平口镇_2023")  # type: ignore[arg-type]
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(batch), terminal_size=size, run_before=help_screen)
