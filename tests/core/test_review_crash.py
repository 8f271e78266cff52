"""Crash test: a process saving annotations is killed with SIGKILL at random moments; every
annotation whose save had returned is still in a log that parses."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import time
from pathlib import Path

from core.models import Report
from core.review import Annotation, Target
from core.review_log import ReviewLog
from core.review_store import read_log

KILLS = 200
KILLS_PER_LOG = 50  # a fresh log now and then keeps files small, so the test stays quick
REPORTS = [f"报告{n:02d}.txt" for n in range(20)]


def _report(name: str) -> Report:
    text = f"{name}\n支出合计1290.00万元。\n"
    return Report(Path(name), hashlib.sha256(text.encode()).hexdigest(), text, "txt")


def _child(batch: str, returned: str, seed: int) -> None:
    """Save annotations forever, writing each id to `returned` once its save has returned."""
    log = ReviewLog.open(Path(batch), reviewer="张三")
    keys = [log.report_state(_report(name)).key for name in REPORTS]
    rng = random.Random(seed)
    fd = os.open(returned, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    for n in range(10**9):
        a = Annotation.create(
            Target("span"),
            status="confirmed",
            severity="error",
            author="张三",
            at=log.now(),
            note=f'第{n}条意见\n「引号」"quote" [括号] = 1',
            quote="支出合计1290.00万元",
            start=len(REPORTS[0]) + 1,
            end=len(REPORTS[0]) + 14,
        )
        key = rng.choice(keys)
        log.add(key, a)
        os.write(fd, f"{key} {a.id}\n".encode())
        if n % 7 == 0:
            log.set_status(key, rng.choice(["in_progress", "done", "skipped"]))


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _returned(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_killed_saves_never_lose_a_returned_annotation(tmp_path):
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["core.review_log", __name__])
    rng = random.Random(20250301)
    kills = mid_save = 0
    for round_ in range(KILLS // KILLS_PER_LOG):
        batch = tmp_path / f"batch{round_}"
        batch.mkdir()
        returned = tmp_path / f"returned{round_}.txt"
        seen: set[Path] = set()
        for _ in range(KILLS_PER_LOG):
            before = _size(returned)
            child = ctx.Process(target=_child, args=(str(batch), str(returned), rng.random()))
            child.start()
            try:
                # Kill only once this child is saving, then at a random moment. (No deadline: a
                # loaded machine may be slow to start it; a child that dies first is the failure.)
                while _size(returned) == before and child.is_alive():
                    time.sleep(0.0005)
                assert _size(returned) != before, "child died before it saved"
                time.sleep(rng.uniform(0, 0.015))
            finally:
                child.kill()
                child.join()
            kills += 1
            folder = batch / ".jixiao" / "张三"
            temps = set(folder.rglob("*.tmp"))
            mid_save += bool(temps - seen)
            seen |= temps
            on_disk = {(s.key, a.id) for s in read_log(folder).reports for a in s.annotations}
            promised = {tuple(line.split(" ")) for line in _returned(returned)}
            assert promised <= on_disk, f"lost after kill {kills}: {sorted(promised - on_disk)[:3]}"
    assert kills == KILLS
    print(f"{kills} kills, {mid_save} left a temp file (killed mid-save), nothing lost")
