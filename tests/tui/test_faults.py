"""Faults while reviewing: the disk fills up or the log folder turns read-only during a save,
a report's file vanishes. The reviewer is told in plain words; no decision is lost.

The save faults are injected at the operating-system calls for files in the log folder
(tests/faults.py); tests/core/test_review_faults.py makes them for real on a tmpfs."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable
from textual.widgets._toast import Toast

import tui.app
from core.review_store import read_log
from tests.faults import Faults
from tests.tui.conftest import SAMPLES, AppFactory, wait_loaded
from tests.tui.helpers import column, hold_loader_until_shown, open_row
from tui.app import JixiaoApp

SIZE = (140, 40)
NAMES = ("安化县平口镇_2023", "峨边县五渡镇_2023", "徐闻县前山镇_2024")
FAULTS_INJECTED: list[int] = []


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_loader_until_shown(monkeypatch)
    monkeypatch.setattr(tui.app, "RETRY_SECONDS", 0.1)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in SAMPLES.glob("*.txt"):
        if path.name.startswith(NAMES):
            shutil.copy(path, folder / path.name)
    return folder


def _toasts(app: JixiaoApp) -> list[str]:
    return [str(t.render()) for t in app.screen.query(Toast)]


def _notes(folder: Path) -> dict[str, list[str]]:
    log = read_log(folder / ".jixiao" / "tester")
    return {r.path: [a.status for a in r.annotations] for r in log.reports}


async def _until(pilot: object, done: object, tries: int = 100) -> None:
    for _ in range(tries):
        if done():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("never happened")


@pytest.mark.parametrize(
    ("err", "words"),
    [(errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "只读"), (errno.EACCES, "没有写入")],
)
async def test_a_save_that_fails_is_told_kept_and_written_when_the_disk_allows(
    small: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, err: int, words: str
) -> None:
    app = make_app(small)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        screen = await open_row(app, pilot, NAMES[0])
        await pilot.press("c")  # saved
        file = next((small / ".jixiao" / "tester" / "reports").glob("*.toml"))
        before = file.read_bytes()

        faults = Faults(monkeypatch, app.workbench.log.folder)
        faults.arm("open", err)
        await pilot.press("right_square_bracket", "x")  # not saved
        await pilot.pause()
        told = [m for m in _toasts(app) if words in m]
        assert told and str(file) in told[0], _toasts(app)
        assert file.read_bytes() == before and _notes(small) == {file_path(app, 0): ["confirmed"]}
        # Kept in memory: shown as decided.
        findings = screen.query_one("#findings", DataTable)
        assert [v for v in column(findings, "col_decision") if v][:2] == ["确认", "误报"]
        await pilot.pause(0.3)  # retries while the fault lasts change nothing
        assert file.read_bytes() == before and app.workbench.log.pending
        FAULTS_INJECTED.append(faults.injected)

        faults.disarm()
        await _until(pilot, lambda: not app.workbench.log.pending)
        await _until(pilot, lambda: any("现已保存" in m for m in _toasts(app)))
        assert _notes(small) == {file_path(app, 0): ["confirmed", "false_positive"]}
    assert app._exception is None


def file_path(app: JixiaoApp, index: int) -> str:
    return next(p for p in app.workbench.relative_paths if p.startswith(NAMES[index]))


async def test_quitting_with_unsaved_decisions_warns_once_then_saves_if_it_can(
    small: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tui.app, "RETRY_SECONDS", 60.0)  # only the quit key retries here
    app = make_app(small)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        await open_row(app, pilot, NAMES[1])
        faults = Faults(monkeypatch, app.workbench.log.folder)
        faults.arm("replace", errno.EROFS)
        await pilot.press("r")  # mark done: not saved
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running, "quit with a decision only in memory"
        assert any("再按一次退出键" in m for m in _toasts(app)), _toasts(app)
        FAULTS_INJECTED.append(faults.injected)
        faults.disarm()
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    (state,) = read_log(small / ".jixiao" / "tester").reports
    assert state.status == "done"


# ---- a report's file vanishing --------------------------------------------------------------


async def test_a_report_deleted_before_it_is_opened(small: Path, make_app: AppFactory) -> None:
    app = make_app(small)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        gone = file_path(app, 0)
        (small / gone).unlink()
        await open_row(app, pilot, NAMES[0])
        assert any(gone in m and "删除或移走" in m for m in _toasts(app)), _toasts(app)
        await pilot.press("c", "right_square_bracket", "t")
        await pilot.press(*"原文件已删", "enter")
        await pilot.pause()
        assert app.is_running
        # Exported with its decisions, and said again.
        target = small.parent / "notes.md"
        await pilot.press("escape", "e", "enter")
        app.screen.query_one("#export-path").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sum(gone in m for m in _toasts(app)) >= 2, _toasts(app)
    assert app._exception is None
    assert _notes(small)[gone] == ["confirmed", "uncertain"]
    memo = target.read_text(encoding="utf-8")
    assert "原文件已删" in memo


async def test_a_report_renamed_while_open_keeps_its_decisions(
    small: Path, make_app: AppFactory
) -> None:
    app = make_app(small)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        old = file_path(app, 1)
        await open_row(app, pilot, NAMES[1])
        await pilot.press("c")
        assert not any("删除或移走" in m for m in _toasts(app))
        (small / old).rename(small / "改名.txt")
        await pilot.press("right_square_bracket", "x", "r")
        await pilot.pause()
        told = [m for m in _toasts(app) if "删除或移走" in m]
        assert len(told) == 1 and old in told[0], _toasts(app)
    assert _notes(small)[old] == ["confirmed", "false_positive"]
    # Opened again, the batch finds the report under its new name with its decisions.
    again = make_app(small)
    async with again.run_test(size=SIZE) as pilot:
        await wait_loaded(again, pilot)
    assert _notes(small) == {"改名.txt": ["confirmed", "false_positive"]}
    assert read_log(small / ".jixiao" / "tester").reports[0].status == "done"


async def test_a_report_deleted_before_loading_is_listed_as_unreadable(
    small: Path, make_app: AppFactory
) -> None:
    app = make_app(small)  # the batch is listed here; loading starts once shown
    (small / next(p.name for p in small.iterdir() if p.name.startswith(NAMES[2]))).unlink()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        assert app.is_running
        rows = app.workbench.summaries
        assert sum(1 for s in rows if s is not None and s.problem) == 1
    assert app._exception is None


class _FullDisk:
    """A database connection whose writes fail as on a full disk; reads go through."""

    def __init__(self, db: object) -> None:
        self._db = db

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)

    def __enter__(self) -> object:
        return self._db.__enter__()  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> object:
        return self._db.__exit__(*exc)  # type: ignore[attr-defined]

    def executemany(self, *args: object) -> object:
        raise sqlite3.OperationalError("database or disk is full")


async def test_a_failing_result_cache_is_told_and_the_batch_still_reviewed(
    small: Path, make_app: AppFactory
) -> None:
    app = make_app(small)
    cache = app.workbench.loader.cache
    cache._db = _FullDisk(cache._db)  # type: ignore[assignment]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(app, pilot)
        await _until(pilot, lambda: any("结果缓存出错" in t for t in _toasts(app)))
        assert sum("结果缓存出错" in t for t in _toasts(app)) == 1
        screen = await open_row(app, pilot, NAMES[0])
        assert screen.entry.extraction.figures  # read again from the file
        await pilot.press("c")
    assert any(_notes(small).values())
