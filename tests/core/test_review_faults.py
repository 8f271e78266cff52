"""A full disk or a read-only log folder during a save: the reviewer's decision is kept in
memory and written by the next save that works; what was saved before is not touched.

The faults are injected at the operating-system calls (tests/faults.py), and made for real
where the platform allows: a tmpfs filled to the last byte, then remounted read-only, in a user
and mount namespace (`unshare`), which needs no root on the host."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.cli import main
from core.review import Annotation, Target
from core.review_log import ReviewLog
from core.review_store import BACKUP_SUFFIX, ReviewLogError, read_log
from tests.core.reviewing import QUOTE, REPORT_A, Clock, make_batch, report
from tests.faults import CASES, Faults

FAULTS_INJECTED: list[int] = []
"""Failed saves provoked by this module, for the closing count."""


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    return make_batch(tmp_path)


def _note(log: ReviewLog, n: int) -> Annotation:
    start = REPORT_A.index(QUOTE)
    return Annotation.create(
        Target("span"), status="uncertain", severity="warning", author=log.reviewer,
        at=log.now(), note=f"第{n}条", quote=QUOTE, start=start, end=start + len(QUOTE),
    )  # fmt: skip


def _saved_notes(folder: Path) -> list[str]:
    return [a.note for r in read_log(folder).reports for a in r.annotations]


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("op", "err"), CASES, ids=[f"{o}-{errno.errorcode[e]}" for o, e in CASES])
def test_a_failed_save_damages_nothing_and_the_next_save_writes_it(
    batch: Path, monkeypatch: pytest.MonkeyPatch, op: str, err: int
) -> None:
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch)).key
    log.add(key, _note(log, 1))
    log.add(key, _note(log, 2))  # a backup exists from here on
    file = log.folder / "reports" / f"{key}.toml"
    before, backup = file.read_bytes(), file.with_name(file.name + BACKUP_SUFFIX).read_bytes()

    faults = Faults(monkeypatch, log.folder)
    faults.arm(op, err)
    with pytest.raises(ReviewLogError) as caught:
        log.add(key, _note(log, 3))
    FAULTS_INJECTED.append(faults.injected)
    assert faults.injected == 1
    assert caught.value.errno == err and caught.value.file == file
    assert str(file) in str(caught.value)
    # Nothing saved before is damaged: the file, its backup, no temp file left behind.
    assert file.read_bytes() == before
    # The backup may already hold the saved version (it is written first): whole either way.
    assert file.with_name(file.name + BACKUP_SUFFIX).read_bytes() in (backup, before)
    assert _saved_notes(log.folder) == ["第1条", "第2条"]
    assert _temp_files(log.folder) == []
    # The decision is in memory, waiting.
    assert [a.note for a in log.state(key).annotations] == ["第1条", "第2条", "第3条"]
    assert log.pending == {key}
    # A second decision while the fault lasts is kept too.
    with pytest.raises(ReviewLogError):
        log.add(key, _note(log, 4))

    faults.disarm()
    log.add(key, _note(log, 5))  # the next save that works writes them all
    assert log.pending == set()
    reopened = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    assert [a.note for a in reopened.state(key).annotations] == [f"第{n}条" for n in range(1, 6)]


def test_a_retry_writes_what_a_failed_save_kept(
    batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch)).key
    faults = Faults(monkeypatch, log.folder)
    faults.arm("open", errno.EROFS)
    with pytest.raises(ReviewLogError):
        log.set_status(key, "done")
    with pytest.raises(ReviewLogError):
        log.flush()  # still read-only: still kept
    FAULTS_INJECTED.append(faults.injected)
    assert read_log(log.folder).reports == () and log.pending == {key}
    faults.disarm()
    log.flush()
    assert [r.status for r in read_log(log.folder).reports] == ["done"]


def test_a_renamed_report_read_on_a_full_disk_is_registered_and_saved_later(
    batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-registering a moved report saves at once; on a full disk that must not stop the
    report from being read (the workbench reads it in its loader)."""
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch)).key
    log.add(key, _note(log, 1))
    (batch / "a.txt").rename(batch / "renamed.txt")
    faults = Faults(monkeypatch, log.folder)
    faults.arm("open", errno.ENOSPC)
    state = log.report_state(report(batch, "renamed.txt"))  # no exception
    FAULTS_INJECTED.append(faults.injected)
    assert state.key == key and state.path == "renamed.txt" and log.pending == {key}
    assert [r.path for r in read_log(log.folder).reports] == ["a.txt"]
    faults.disarm()
    log.flush()
    (saved,) = read_log(log.folder).reports
    assert saved.path == "renamed.txt" and [a.note for a in saved.annotations] == ["第1条"]


def test_random_faults_over_many_decisions_lose_nothing(
    batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 decisions, a third of them made while one step of the save fails (a random step,
    a random errno): every annotation the log handed back is on disk at the end."""
    rng = random.Random(8)
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    keys = [log.report_state(report(batch, name)).key for name in ("a.txt", "sub/b.txt")]
    faults = Faults(monkeypatch, log.folder)
    made: set[str] = set()
    failed = 0
    for n in range(300):
        key = rng.choice(keys)
        faults.arm(*rng.choice(CASES)) if rng.random() < 1 / 3 else faults.disarm()
        ids = [a.id for a in log.state(key).annotations]
        try:
            if ids and rng.random() < 0.2:
                log.update(key, rng.choice(ids), note=f"改{n}")
            else:
                log.add(key, _note(log, n))
        except ReviewLogError:
            failed += 1
        made |= {a.id for a in log.state(key).annotations}
    faults.disarm()
    log.flush()
    FAULTS_INJECTED.append(faults.injected)
    assert failed > 50 and faults.injected >= failed
    in_memory = {a.id: a.note for r in log.reports for a in r.annotations}
    saved = {a.id: a.note for r in read_log(log.folder).reports for a in r.annotations}
    assert saved == in_memory, "the disk holds every decision as last made"
    lost = made - set(saved)
    assert len(made) > 200 and lost == set(), f"{len(lost)} annotations lost"
    assert _temp_files(log.folder) == []


# ---- the command line ----------------------------------------------------------------------


def test_export_to_a_read_only_place_says_so_and_keeps_the_earlier_export(
    batch: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch)).key
    log.add(key, _note(log, 1))
    out = batch.parent / "exports"
    out.mkdir()
    for fmt in ("md", "csv", "xlsx", "json"):
        target = out / f"notes.{fmt}"
        assert main(["export", str(log.folder), "--format", fmt, "-o", str(target)]) == 0
        earlier = target.read_bytes()
        log.add(key, _note(log, 2))
        for op, err in (("open", errno.EROFS), ("write", errno.ENOSPC), ("replace", errno.EACCES)):
            if fmt == "xlsx" and op != "replace":
                continue  # xlsxwriter writes through its own zip file, not os.open/os.fdopen
            faults = Faults(monkeypatch, out)
            faults.arm(op, err)
            code = main(["export", str(log.folder), "--format", fmt, "-o", str(target)])
            FAULTS_INJECTED.append(faults.injected)
            monkeypatch.undo()
            assert code == 1 and faults.injected >= 1, (fmt, op)
            message = capsys.readouterr().err
            assert str(target) in message and "Traceback" not in message, message
            assert target.read_bytes() == earlier, (fmt, op)
            assert _temp_files(out) == []


@pytest.mark.parametrize(
    ("op", "err"), [("open", errno.EROFS), ("write", errno.ENOSPC), ("fsync", errno.EIO)]
)
def test_merge_into_a_failing_place_leaves_no_log(
    batch: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    op: str,
    err: int,
) -> None:
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch)).key
    log.add(key, _note(log, 1))
    target = batch.parent / "merged"
    target.mkdir()
    # The merge is written beside its folder and renamed into place: the place is the parent.
    faults = Faults(monkeypatch, target.parent)
    faults.arm(op, err)
    code = main(["merge", str(log.folder), "-o", str(target)])
    FAULTS_INJECTED.append(faults.injected)
    monkeypatch.undo()
    assert code == 1 and faults.injected >= 1
    message = capsys.readouterr().err
    assert str(target) in message and os.strerror(err) in message, message
    assert list(target.iterdir()) == [], "the empty folder is left as it was"
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []
    assert main(["merge", str(log.folder), "-o", str(target)]) == 0
    assert _saved_notes(target) == ["第1条"]


# ---- for real: a tmpfs filled up, then made read-only ----------------------------------------

_REAL = textwrap.dedent(
    """
    import errno, json, os, subprocess, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from core.review_log import ReviewLog
    from core.review_store import ReviewLogError, read_log
    from tests.core.reviewing import make_batch, report, Clock
    from tests.core.test_review_faults import _note

    disk = Path(sys.argv[1])
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], check=True)
    batch = make_batch(disk)
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch)).key
    log.add(key, _note(log, 1))
    file = log.folder / "reports" / f"{key}.toml"
    before = file.read_bytes()
    out = {}

    def attempt(n):
        try:
            log.add(key, _note(log, n))
            return None
        except ReviewLogError as exc:
            return [exc.errno, str(exc.file)]

    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)  # fill the disk to the last byte
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError as exc:
        out["filler"] = exc.errno
    os.close(fd)
    for name in range(1000):  # and the last inodes' worth of tiny writes
        try:
            (disk / f"tiny{name}").write_bytes(b"x" * 64)
        except OSError:
            break
    out["full"] = attempt(2)
    out["full_unchanged"] = file.read_bytes() == before
    out["full_pending"] = sorted(log.pending)
    for p in disk.glob("tiny*"):
        p.unlink()
    (disk / "filler").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    out["read_only"] = attempt(3)
    out["ro_unchanged"] = file.read_bytes() == before
    subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
    out["retry"] = attempt(4)
    out["saved"] = [a.note for r in read_log(log.folder).reports for a in r.annotations]
    out["temp_files"] = [p.name for p in disk.rglob(".*.tmp")]
    print(json.dumps(out))
    """
)


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = ["unshare", "--user", "--map-root-user", "--mount", "true"]
    return subprocess.run(probe, capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="no user and mount namespaces here")
def test_a_real_full_disk_then_a_real_read_only_folder(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    root = Path(__file__).parents[2]
    run = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount",
         sys.executable, "-c", _REAL, str(disk), str(root)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    FAULTS_INJECTED.extend([1, 1])
    assert out["filler"] == errno.ENOSPC
    assert out["full"] is not None and out["full"][0] == errno.ENOSPC, out
    assert out["full_unchanged"] and out["full_pending"]
    assert out["read_only"] is not None and out["read_only"][0] == errno.EROFS, out
    assert out["ro_unchanged"]
    assert out["retry"] is None
    assert out["saved"] == ["第1条", "第2条", "第3条", "第4条"]
    assert out["temp_files"] == []
