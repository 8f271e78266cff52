"""Two sessions of one reviewer on one batch: saves locked, merged three-way, removals recorded,
the sessions told of each other."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest

import core.review_lock
from core.review import Removal
from core.review_lock import SaveLock, announce_session, lock_method, other_sessions
from core.review_log import ReviewLog, forget_old_removals, merge_sessions
from core.review_store import ReviewLogError, dump_report, parse_report, read_log
from tests.core.reviewing import QUOTE, REPORT_A, Clock, make_batch, report


@pytest.fixture
def batch(tmp_path):
    return make_batch(tmp_path)


def open_log(batch, **kw) -> ReviewLog:
    kw.setdefault("clock", Clock())
    return ReviewLog.open(batch, reviewer="张三", **kw)


def span(log: ReviewLog, quote: str = QUOTE, note: str = ""):
    from core.review import Annotation, Target

    start = REPORT_A.index(quote)
    return Annotation.create(
        Target("span"), status="uncertain", severity="warning", author="张三", at=log.now(),
        note=note, quote=quote, start=start, end=start + len(quote),
    )  # fmt: skip


def two_sessions(batch):
    first, second = open_log(batch), open_log(batch, clock=Clock())
    key = first.report_state(report(batch)).key
    assert second.report_state(report(batch)).key == key
    return first, second, key


def on_disk(log: ReviewLog, key: str):
    (state,) = [s for s in read_log(log.folder).reports if s.key == key]
    return state


# Removals are recorded and survive the other session's saves


def test_a_removal_is_not_undone_by_the_other_sessions_save(batch):
    first, second, key = two_sessions(batch)
    a = first.add(key, span(first))
    second.add(key, span(second, "自评得分95分"))  # the second session now holds `a` too
    first.remove(key, a.id)
    second.set_status(key, "done")  # saves its copy of the report, `a` included
    state = on_disk(first, key)
    assert state.annotation(a.id) is None, "the removal came back"
    assert state.removal(a.id) is not None
    assert second.state(key).annotation(a.id) is None, "the merge reached the second session"
    assert state.status == "done"


def test_an_undone_add_stays_undone_in_the_other_session(batch):
    first, second, key = two_sessions(batch)
    a = first.add(key, span(first))
    second.set_status(key, "in_progress")  # holds `a`
    first.undo()
    second.add(key, span(second, "自评得分95分"))
    assert on_disk(first, key).annotation(a.id) is None


def test_undoing_a_removal_brings_it_back_for_both_sessions(batch):
    first, second, key = two_sessions(batch)
    a = first.add(key, span(first))
    first.remove(key, a.id)
    second.set_status(key, "in_progress")  # has seen the removal
    first.undo()
    second.set_status(key, "done")
    assert on_disk(first, key).annotation(a.id) == a
    assert on_disk(first, key).removal(a.id) is None


def test_adds_and_updates_of_both_sessions_are_kept(batch):
    first, second, key = two_sessions(batch)
    a = first.add(key, span(first))
    b = second.add(key, span(second, "自评得分95分"))
    second.update(key, a.id, note="第二个会话补充")
    c = first.add(key, span(first, "二、绩效情况"))  # first still holds the old `a`
    state = on_disk(first, key)
    assert {x.id for x in state.annotations} == {a.id, b.id, c.id}
    assert state.annotation(a.id).note == "第二个会话补充", "an older copy overwrote the update"


def test_the_newer_of_two_changes_of_one_annotation_wins(batch):
    first, second, key = two_sessions(batch)
    a = first.add(key, span(first))
    second.set_status(key, "in_progress")
    second._clock = Clock(first.now() + timedelta(hours=1))  # the second session edits later
    second.update(key, a.id, note="后改")
    first.update(key, a.id, note="先改")
    assert on_disk(first, key).annotation(a.id).note == "后改"


def test_a_later_update_wins_over_an_earlier_removal(batch):
    first, second, key = two_sessions(batch)
    a = first.add(key, span(first))
    second.set_status(key, "in_progress")
    first.remove(key, a.id)
    second._clock = Clock(first.now() + timedelta(hours=1))
    second.update(key, a.id, note="仍然存疑")
    assert on_disk(first, key).annotation(a.id).note == "仍然存疑"


def test_two_sessions_converge(batch):
    first, second, key = two_sessions(batch)
    a = first.add(key, span(first))
    b = second.add(key, span(second, "自评得分95分"))
    first.remove(key, a.id)
    second.update(key, b.id, status="confirmed")
    first.set_status(key, "done")
    second.set_status(key, "in_progress")
    first.flush(), second.flush()
    c = first.add(key, span(first, "二、绩效情况"))
    second.update(key, b.id, note="定稿")
    first.update(key, b.id, severity="error")  # merges in the note, then saves
    assert first.state(key) == on_disk(first, key)
    second.set_status(key, "done")  # merges in the severity, `c` and the removal
    assert second.state(key) == on_disk(first, key)
    first.set_status(key, "done")
    assert replace(first.state(key), status_at=None) == replace(second.state(key), status_at=None)
    state = on_disk(first, key)
    assert [x.id for x in state.annotations] == [b.id, c.id]
    assert [r.id for r in state.removed] == [a.id]
    b_now = state.annotation(b.id)
    assert (b_now.status, b_now.severity, b_now.note) == ("confirmed", "error", "定稿")


# merge_sessions on its own


def test_merge_takes_each_change_from_the_side_that_made_it(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    a, b = log.add(key, span(log)), log.add(key, span(log, "自评得分95分"))
    base = log.state(key)
    ours = replace(base, annotations=(a,), removed=(Removal(b.id, log.now()),))
    edited = replace(a, note="他们的修改", updated=log.now())
    theirs = replace(base, annotations=(edited, b), status="done", status_at=log.now())
    merged = merge_sessions(base, ours, theirs)
    assert merged.annotations == (edited,) and [r.id for r in merged.removed] == [b.id]
    assert merged.status == "done"
    # Absence is not a removal: a file written without `a` (an old version, a hand edit) keeps
    # what this session has.
    assert merge_sessions(base, base, replace(base, annotations=(b,))).annotations == (a, b)


def test_merge_breaks_ties_the_same_way_in_both_sessions(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    a = log.add(key, span(log))
    base = log.state(key)
    one = replace(base, annotations=(replace(a, note="甲"),))
    two = replace(base, annotations=(replace(a, note="乙"),))  # same `updated`
    assert merge_sessions(base, one, two) == merge_sessions(base, two, one)
    gone = replace(base, annotations=(), removed=(Removal(a.id, a.updated),))
    assert merge_sessions(base, one, gone) == merge_sessions(base, gone, one)
    assert merge_sessions(base, one, gone).annotations == ()


def test_removals_are_forgotten_after_ninety_days(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    a = log.add(key, span(log))
    old = Removal("a-old", a.updated - timedelta(days=91))
    recent = Removal("a-recent", a.updated - timedelta(days=89))
    state = replace(log.state(key), removed=(old, recent))
    assert forget_old_removals(state).removed == (recent,)


# The file format


def test_removals_are_written_readably_and_read_back(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    a = log.add(key, span(log))
    log.remove(key, a.id)
    path = log.folder / "reports" / f"{key}.toml"
    text = path.read_text(encoding="utf-8")
    assert f"[removed]\n{a.id} = 2025-03-01 " in text
    assert parse_report(path.read_bytes(), path) == log.state(key)


def test_an_old_log_without_removals_reads_as_before(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    log.add(key, span(log))
    state = log.state(key)
    assert state.removed == () and b"removed" not in dump_report(state)
    path = log.folder / "reports" / f"{key}.toml"
    assert parse_report(path.read_bytes(), path) == state


def test_a_bad_removal_is_refused_with_its_line(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    log.set_status(key, "done")
    path = log.folder / "reports" / f"{key}.toml"
    path.write_bytes(path.read_bytes() + b"\n[removed]\na-1 = 3\n")
    with pytest.raises(ReviewLogError, match=r"removed\.a-1: must be a date and time") as caught:
        read_log(log.folder)
    assert caught.value.line == path.read_text().count("\n")


# The lock


def test_a_save_waits_for_the_lock(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    path = log.folder / "reports" / f"{key}.toml"
    done = threading.Event()

    def save():
        log.set_status(key, "done")
        done.set()

    with SaveLock("flock").hold(path):
        worker = threading.Thread(target=save)
        worker.start()
        assert not done.wait(0.3), "the save did not wait for the lock"
        assert not path.exists()
    worker.join(10)
    assert done.is_set() and on_disk(log, key).status == "done"


def test_flock_refused_turns_to_a_link_lock(batch, monkeypatch):
    import fcntl

    def refused(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refused)
    log = open_log(batch, lock="flock")
    key = log.report_state(report(batch)).key
    log.set_status(key, "done")
    assert log.lock_method == "link"
    assert on_disk(log, key).status == "done"
    assert not list((log.folder / "reports").glob("*.lck")), "the link lock was not released"


def test_a_network_file_system_uses_the_link_lock(batch, monkeypatch):
    monkeypatch.setattr(core.review_lock, "filesystem_type", lambda path: "nfs4")
    assert lock_method(batch) == "link"
    assert open_log(batch).lock_method == "link"
    monkeypatch.setattr(core.review_lock, "filesystem_type", lambda path: "ext4")
    assert lock_method(batch) == "flock"


def test_the_file_system_type_is_found():
    assert core.review_lock.filesystem_type(core.review_lock.Path.cwd()) is not None


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _write_link_lock(path, pid: int, host: str) -> None:
    path.write_text(f'pid = {pid}\nhost = "{host}"\nstarted = ""\n', encoding="utf-8")


def test_a_link_lock_of_a_dead_process_is_broken(batch):
    log = open_log(batch, lock="link")
    key = log.report_state(report(batch)).key
    lock = log.folder / "reports" / f"{key}.toml.lck"
    _write_link_lock(lock, _dead_pid(), core.review_lock.host_name())
    log.set_status(key, "done")
    assert on_disk(log, key).status == "done" and not lock.exists()


def test_a_link_lock_of_another_host_is_broken_only_when_old(batch, monkeypatch):
    monkeypatch.setattr(core.review_lock, "WAIT_SECONDS", 0.2)
    log = open_log(batch, lock="link")
    key = log.report_state(report(batch)).key
    lock = log.folder / "reports" / f"{key}.toml.lck"
    _write_link_lock(lock, 1, "另一台机器")
    with pytest.raises(ReviewLogError, match="holds the lock") as caught:
        log.set_status(key, "done")
    assert caught.value.code == "save_failed" and caught.value.errno == errno.EWOULDBLOCK
    assert log.pending == {key}, "the decision is kept until a save works"
    old = time.time() - core.review_lock.STALE_SECONDS - 5
    os.utime(lock, (old, old))
    log.flush()
    assert on_disk(log, key).status == "done" and not log.pending


def test_a_link_lock_of_a_live_process_is_respected(batch, monkeypatch):
    monkeypatch.setattr(core.review_lock, "WAIT_SECONDS", 0.2)
    log = open_log(batch, lock="link")
    key = log.report_state(report(batch)).key
    lock = log.folder / "reports" / f"{key}.toml.lck"
    _write_link_lock(lock, os.getppid(), core.review_lock.host_name())
    old = time.time() - core.review_lock.STALE_SECONDS - 5
    os.utime(lock, (old, old))  # old, but its holder runs on this host
    with pytest.raises(ReviewLogError, match="holds the lock"):
        log.set_status(key, "done")
    assert lock.exists() and log.pending == {key}


# Sessions told of each other


def test_another_session_of_the_reviewer_is_reported(batch):
    log = open_log(batch)
    assert log.begin_session() == ()
    other = log.folder / "sessions" / "elsewhere-1.toml"
    other.write_text(
        'pid = 1\nhost = "另一台机器"\nstarted = 2025-03-01T09:00:00+08:00\n', encoding="utf-8"
    )
    (found,) = open_log(batch).begin_session()
    assert (found.pid, found.host) == (1, "另一台机器")
    log.end_session()
    assert not list((log.folder / "sessions").glob(f"*-{os.getpid()}.toml"))


def test_a_session_of_a_live_process_of_this_host_is_reported(batch):
    log = open_log(batch)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        code = (
            "import sys, datetime; from pathlib import Path; import core.review_lock as L\n"
            "L.os.getpid = lambda: int(sys.argv[2])\n"
            "L.announce_session(Path(sys.argv[1]), datetime.datetime.now().astimezone())\n"
        )
        subprocess.run([sys.executable, "-c", code, str(log.folder), str(child.pid)], check=True)
        assert [s.pid for s in log.begin_session()] == [child.pid]
    finally:
        child.kill()
        child.wait()
    assert log.begin_session() == (), "a dead session is still reported"


def test_a_session_of_a_dead_process_is_ignored_and_removed(batch, monkeypatch):
    log = open_log(batch)
    dead = _dead_pid()
    monkeypatch.setattr(core.review_lock.os, "getpid", lambda: dead)
    path = announce_session(log.folder, log.now())
    monkeypatch.undo()
    assert other_sessions(log.folder) == () and not path.exists()
