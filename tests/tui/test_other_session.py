"""The workbench says when another session of the same reviewer is open on the batch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from tests.tui.conftest import SAMPLES, AppFactory
from tests.tui.helpers import hold_loader_until_shown
from tui.app import JixiaoApp

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    hold_loader_until_shown(monkeypatch)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(next(SAMPLES.glob("*.txt")), folder)
    return folder


def _toasts(app: JixiaoApp) -> list[str]:
    return [str(t.render()) for t in app.screen.query(Toast)]


def _session_file(batch: Path, pid: int, host: str) -> Path:
    sessions = batch / ".jixiao" / "tester" / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    path = sessions / f"{host}-{pid}.toml"
    path.write_text(
        f'pid = {pid}\nhost = "{host}"\nstarted = 2025-03-01T09:30:00+08:00\n', encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("lang", "words"), [("zh", "另一个会话仍在运行"), ("en", "Another session of yours")]
)
async def test_another_open_session_is_told(
    small: Path, make_app: AppFactory, lang: str, words: str
) -> None:
    _session_file(small, 4242, "另一台机器")
    app = make_app(small, lang=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        told = [m for m in _toasts(app) if words in m]
        assert told and "另一台机器 pid 4242" in told[0] and "2025-03-01 09:30" in told[0]
        mine = small / ".jixiao" / "tester" / "sessions"
        assert len(list(mine.glob(f"*-{os.getpid()}.toml"))) == 1, "this session is announced"
    assert not list(mine.glob(f"*-{os.getpid()}.toml")), "a closed session is still announced"


async def test_a_dead_session_is_not_told(small: Path, make_app: AppFactory) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    from core.review_lock import host_name

    stale = _session_file(small, child.pid, host_name())
    app = make_app(small)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert not [m for m in _toasts(app) if "另一个会话" in m]
    assert not stale.exists()
