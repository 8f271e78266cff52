"""Shared pieces of the workbench tests: a copy of the sample batch, an app on it, a clock."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot

from core.config import Config
from core.review_log import ReviewLog
from tui.app import JixiaoApp
from tui.workbench import Workbench

SAMPLES = Path(__file__).parents[2] / "sample_reports"
CST = timezone(timedelta(hours=8))


class Clock:
    """A clock that moves one second per call, so logs and snapshots do not depend on time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=CST)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A copy of sample_reports (the app writes its log inside the batch)."""
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder)
    return folder


AppFactory = Callable[..., JixiaoApp]


@pytest.fixture
def make_app() -> AppFactory:
    def make(
        folder: Path,
        *,
        lang: str = "zh",
        keymap: dict[str, str] | None = None,
        config: Config | None = None,
    ) -> JixiaoApp:
        log = ReviewLog.open(folder, reviewer="tester", clock=Clock())
        bench = Workbench.open(folder, config or Config(), lang, log)
        return JixiaoApp(bench, keymap=keymap)

    return make


async def wait_loaded(app: JixiaoApp, pilot: Pilot[None]) -> None:
    """Until every report is read and the batch checks have run."""
    for _ in range(400):
        if app.workbench.batch_checked:
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the batch did not finish loading")


async def open_report(app: JixiaoApp, pilot: Pilot[None], name: str) -> None:
    """Filter the batch listing by a file name and open the only row left."""
    await pilot.press("slash", *name, "enter", "enter")
    await pilot.pause()
