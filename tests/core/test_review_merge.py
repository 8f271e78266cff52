"""`jixiao merge`: reports keyed by their path and content, never by content alone; a merge
written whole into a fresh folder, so a killed merge never leaves half a log to be read."""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.review import Annotation, ReportState, Target
from core.review_log import ReviewLog
from core.review_merge import MERGE_TEMP_INFIX, merge_logs, remove_merge_leftovers, write_log
from core.review_store import TEMP_SUFFIX, read_log
from tests.core.reviewing import QUOTE, REPORT_A, Clock, make_batch, report


def _template_batch(root: Path) -> Path:
    """A batch where one template was sent to two towns: the same bytes in two folders."""
    batch = make_batch(root)
    for town in ("甲镇", "乙镇"):
        (batch / town).mkdir()
        (batch / town / "报告.txt").write_text(REPORT_A, encoding="utf-8")
    return batch


def _note(log: ReviewLog, text: str) -> Annotation:
    start = REPORT_A.index(QUOTE)
    return Annotation.create(
        Target("span"), status="confirmed", severity="error", author=log.reviewer,
        at=log.now(), note=text, quote=QUOTE, start=start, end=start + len(QUOTE),
    )  # fmt: skip


def _decide(log: ReviewLog, batch: Path, name: str, status: str, note: str) -> Annotation:
    key = log.report_state(report(batch, name)).key
    log.set_status(key, status)
    return log.add(key, _note(log, note))


def _by_path(reports: tuple[ReportState, ...]) -> dict[str, tuple[str, list[str]]]:
    return {s.path: (s.status, sorted(a.note for a in s.annotations)) for s in reports}


def test_identical_reports_in_two_folders_stay_two_in_a_single_log(tmp_path):
    batch = _template_batch(tmp_path)
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    _decide(log, batch, "甲镇/报告.txt", "done", "甲镇的意见")
    _decide(log, batch, "乙镇/报告.txt", "skipped", "乙镇的意见")
    expected = {
        "甲镇/报告.txt": ("done", ["甲镇的意见"]),
        "乙镇/报告.txt": ("skipped", ["乙镇的意见"]),
    }
    assert _by_path(read_log(log.folder).reports) == expected
    assert _by_path(merge_logs([read_log(log.folder)]).reports) == expected
    out = tmp_path / "merged"
    assert main(["merge", str(log.folder), "-o", str(out)]) == 0
    assert _by_path(read_log(out).reports) == expected


def test_identical_reports_in_two_folders_stay_two_across_reviewers(tmp_path):
    batch = _template_batch(tmp_path)
    clock = Clock()
    zhang = ReviewLog.open(batch, reviewer="张三", clock=clock)
    li = ReviewLog.open(batch, reviewer="李四", clock=clock)
    _decide(zhang, batch, "甲镇/报告.txt", "done", "张三：甲镇")
    _decide(li, batch, "乙镇/报告.txt", "skipped", "李四：乙镇")
    _decide(li, batch, "甲镇/报告.txt", "done", "李四：甲镇")
    result = merge_logs([read_log(zhang.folder), read_log(li.folder)])
    assert _by_path(result.reports) == {
        "甲镇/报告.txt": ("done", ["张三：甲镇", "李四：甲镇"]),
        "乙镇/报告.txt": ("skipped", ["李四：乙镇"]),
    }
    assert result.conflicts == ()
    assert len({s.key for s in result.reports}) == 2


def test_a_report_moved_away_is_still_followed_but_a_copy_is_not(tmp_path):
    batch = make_batch(tmp_path)
    clock = Clock()
    zhang = ReviewLog.open(batch, reviewer="张三", clock=clock)
    _decide(zhang, batch, "a.txt", "done", "张三的意见")
    shutil.copy(batch / "a.txt", batch / "副本.txt")
    li = ReviewLog.open(batch, reviewer="李四", clock=clock)
    _decide(li, batch, "副本.txt", "skipped", "李四：副本")
    logs = [read_log(zhang.folder), read_log(li.folder)]
    assert _by_path(merge_logs(logs).reports) == {
        "a.txt": ("done", ["张三的意见"]),
        "副本.txt": ("skipped", ["李四：副本"]),
    }, "a.txt is still there: 副本.txt is a copy, another report"
    (batch / "a.txt").unlink()
    (state,) = merge_logs(logs).reports
    assert (state.path, state.status) == ("副本.txt", "skipped"), "a.txt is gone: it moved"
    assert sorted(a.note for a in state.annotations) == ["张三的意见", "李四：副本"]


def test_a_copy_whose_original_was_deleted_stays_two_reports(tmp_path: Path) -> None:
    batch = make_batch(tmp_path)
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    _decide(log, batch, "a.txt", "done", "原件的意见")
    shutil.copy(batch / "a.txt", batch / "副本.txt")
    _decide(log, batch, "副本.txt", "skipped", "副本的意见")
    (batch / "a.txt").unlink()
    assert _by_path(merge_logs([read_log(log.folder)]).reports) == {
        "a.txt": ("done", ["原件的意见"]),
        "副本.txt": ("skipped", ["副本的意见"]),
    }, "the log kept them as two reports"


def test_a_move_is_not_guessed_without_the_batch(tmp_path):
    batch = make_batch(tmp_path)
    zhang = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    _decide(zhang, batch, "a.txt", "done", "张三的意见")
    shutil.move(batch / "a.txt", batch / "甲.txt")
    li = ReviewLog.open(batch, reviewer="李四", clock=Clock())
    _decide(li, batch, "甲.txt", "skipped", "李四的意见")
    mailed = tmp_path / "mailed"
    for log in (zhang, li):
        shutil.copytree(log.folder, mailed / log.reviewer)
    logs = [read_log(mailed / "张三"), read_log(mailed / "李四")]
    assert len(merge_logs(logs).reports) == 2, "the batch is unknown: nothing is folded"
    assert len(merge_logs(logs, gone=lambda p: not (batch / p).exists()).reports) == 1


# ---- the output folder: new or empty, written whole -----------------------------------------


def _big_log(folder: Path, reviewer: str, reports: int, notes: int, town: str) -> None:
    """A log of `reports` reports with `notes` annotations each, written as a merge writes."""
    clock = Clock()
    states = []
    for r in range(reports):
        path = f"{town}/报告{r:02d}.txt"
        annotations = tuple(
            Annotation.create(
                Target("span"),
                status="confirmed",
                severity="error",
                author=reviewer,
                at=clock(),
                note=f"{town}{r}-{n}",
                quote=QUOTE,
                start=0,
                end=len(QUOTE),
            )
            for n in range(notes)
        )
        sha = hashlib.sha256(path.encode()).hexdigest()
        key = f"{town}{r:02d}"
        states.append(ReportState(key, path, sha, status="done", annotations=annotations))
    write_log(folder, reviewer, states, at=clock())


@pytest.fixture
def two_batches(tmp_path: Path) -> tuple[Path, Path]:
    """Another batch's log (59 reports, 1,180 annotations) and this batch's (4 reports, 600)."""
    other, this = tmp_path / "logs" / "other", tmp_path / "logs" / "this"
    _big_log(other, "王五", 59, 20, "丙镇")
    _big_log(this, "张三", 4, 150, "甲镇")
    return other, this


def _leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith("."))


def test_a_folder_left_by_an_interrupted_merge_is_refused_not_read(
    two_batches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other, this = two_batches
    target = tmp_path / "merged"
    shutil.copytree(other / "reports", target / "reports")
    (target / "reports" / "丙镇00.toml").unlink()
    (target / "reports" / "丙镇01.toml").unlink()  # 57 reports, no review.toml
    before = sorted(p.name for p in (target / "reports").iterdir())
    assert main(["merge", str(this), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{target}：有 reports/ 但没有 review.toml，不是完整的审阅记录" in err
    assert "请检查后删除该文件夹，或用 -o 指定一个新的或空的文件夹" in err
    assert sorted(p.name for p in (target / "reports").iterdir()) == before
    assert not (target / "review.toml").exists()
    assert main(["--lang", "en", "merge", str(this), "-o", str(target)]) == 1
    assert f"{target}: holds reports/ but no review.toml: not a complete review log" in (
        capsys.readouterr().err
    )


def test_a_foreign_folder_or_a_file_is_refused(
    two_batches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, this = two_batches
    target = tmp_path / "资料"
    target.mkdir()
    for name in ("a.docx", "b.xlsx", "c.pdf", "d.txt"):
        (target / name).write_bytes(b"keep me")
    assert main(["merge", str(this), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{target}：文件夹不是空的（有 a.docx、b.xlsx、c.pdf、…），也不是审阅记录" in err
    assert "请用 -o 指定另一个文件夹" in err and "Traceback" not in err
    assert main(["--lang", "en", "merge", str(this), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{target}: not empty and not a review log (holds a.docx, b.xlsx, c.pdf, …)" in err
    assert sorted(p.name for p in target.iterdir()) == ["a.docx", "b.xlsx", "c.pdf", "d.txt"]
    file = tmp_path / "merged.toml"
    file.write_bytes(b"keep me")
    assert main(["merge", str(this), "-o", str(file)]) == 1
    assert f"{file}：这是一个文件，不是文件夹" in capsys.readouterr().err
    assert file.read_bytes() == b"keep me"
    assert _leftovers(target) == []


def test_an_empty_folder_is_filled_and_a_missing_one_made(
    two_batches: tuple[Path, Path], tmp_path: Path
) -> None:
    _, this = two_batches
    expected = merge_logs([read_log(this)]).reports
    for target in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        if target.name == "empty":
            target.mkdir()
        assert main(["merge", str(this), "-o", str(target)]) == 0
        assert read_log(target).reports == expected
        assert _leftovers(target) == []


_KILLED_MERGE = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from core.cli import main

kill_at, steps = int(sys.argv[2]), 0
def step():
    global steps
    steps += 1
    if steps == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
def counted(real):
    def call(*args, **kw):
        step()
        try:
            return real(*args, **kw)
        finally:
            step()
    return call
for name in ("mkdir", "open", "fsync", "rename", "rmdir", "unlink"):
    setattr(os, name, counted(getattr(os, name)))
code = main(sys.argv[3:])
print(f"steps {steps}", file=sys.stderr)
sys.exit(code)
"""


def _run_merge(kill_at: int, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `jixiao merge` in a process that SIGKILLs itself at its `kill_at`-th step
    (before or after each system call that writes); 0 never."""
    root = str(Path(__file__).resolve().parents[2])
    command = [sys.executable, "-c", _KILLED_MERGE, root, str(kill_at), "merge", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _check_second_merge(
    target: Path,
    first: tuple[ReportState, ...],
    this: Path,
    second: tuple[ReportState, ...],
    capsys: pytest.CaptureFixture[str],
) -> str:
    """After a killed merge: the folder holds nothing or the whole first merge; a second merge
    writes exactly its own reports, or is refused over the whole first merge."""
    whole = (target / "review.toml").exists()
    if whole:
        assert read_log(target).reports == first
    else:
        assert not target.exists() or list(target.iterdir()) == [], "never part of a log"
    code = main(["merge", str(this), "-o", str(target)])
    out, err = capsys.readouterr()
    if whole:
        assert code == 1 and "这里已有一份审阅记录" in err, err
        assert read_log(target).reports == first
    else:
        assert code == 0, err
        assert out.startswith("已合并 1 份审阅记录：4 份报告，600 条批注，0 处分歧。")
        assert read_log(target).reports == second
    assert _leftovers(target) == [], "what the killed merge left is gone"
    return "whole" if whole else "none"


def test_a_killed_merge_leaves_nothing_the_next_merge_reads(
    two_batches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other, this = two_batches
    first = merge_logs([read_log(other)]).reports
    second = merge_logs([read_log(this)]).reports
    dry = _run_merge(0, str(other), "-o", str(tmp_path / "dry"))
    assert dry.returncode == 0, dry.stderr
    total = int(dry.stderr.split("steps ")[-1])
    assert total > 2 * 59 * 2, "every report file is written by a counted call"
    rng = random.Random(20250301)
    points = sorted({1, 2, 3, total - 3, total - 2, total - 1, total, *rng.sample(range(total), 8)})
    seen = []
    for n, kill_at in enumerate(points):
        target = tmp_path / f"merged{n}"
        if n % 2:
            target.mkdir()  # an empty folder made beforehand
        killed = _run_merge(kill_at, str(other), "-o", str(target))
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
        seen.append(_check_second_merge(target, first, this, second, capsys))
    assert "whole" in seen and "none" in seen, "kills before and after the rename"


def test_a_merge_killed_from_outside_leaves_nothing_the_next_merge_reads(
    two_batches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other, this = two_batches
    first = merge_logs([read_log(other)]).reports
    second = merge_logs([read_log(this)]).reports
    root = Path(__file__).resolve().parents[2]
    for n, wanted in enumerate((1, 20, 50)):
        target = tmp_path / f"merged{n}"
        child = subprocess.Popen(
            [sys.executable, "-m", "core.cli", "merge", str(other), "-o", str(target)],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            # Kill once it has written `wanted` report files (or has finished).
            while child.poll() is None:
                written = list(tmp_path.glob(f".merged{n}.merge-*.tmp/log/reports/*.toml"))
                if len(written) >= wanted:
                    break
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait()
        _check_second_merge(target, first, this, second, capsys)


def test_a_running_merges_folder_is_kept_and_a_killed_ones_removed_and_said(
    two_batches: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import fcntl

    _, this = two_batches
    target = tmp_path / "merged"
    running = tmp_path / f".merged{MERGE_TEMP_INFIX}0001{TEMP_SUFFIX}"
    (running / "log" / "reports").mkdir(parents=True)
    (running / "log" / "review.toml").write_bytes(b"half")
    killed = tmp_path / f".merged{MERGE_TEMP_INFIX}0002{TEMP_SUFFIX}"
    shutil.copytree(running, killed)
    (killed / "lock").touch()
    with open(running / "lock", "wb") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(["merge", str(this), "-o", str(target)]) == 0
        err = capsys.readouterr().err
        assert f"已删除中断的合并留下的临时文件夹: {killed}" in err
        assert running.is_dir() and not killed.exists(), "a live merge's folder is its own"
    assert len(read_log(target).reports) == 4
    assert remove_merge_leftovers(target) == [running], "its lock went with its process"
    assert _leftovers(target) == []
