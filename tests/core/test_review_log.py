"""The review log: saved at once, resumed, re-anchored, undone, shared by two reviewers."""

from __future__ import annotations

import errno
import shutil
from dataclasses import replace

import pytest

import core.review_log
from core.output import field_label
from core.review import Annotation, Target
from core.review_log import ReviewLog, default_log_folder, find_log, safe_name
from core.review_merge import Conflict, describe_conflict, merge_logs, write_log
from core.review_store import ReviewLogError, read_log
from tests.core.reviewing import FINDING, QUOTE, REPORT_A, Clock, make_batch, report


@pytest.fixture
def batch(tmp_path):
    return make_batch(tmp_path)


def open_log(batch, reviewer="张三", **kw) -> ReviewLog:
    kw.setdefault("clock", Clock())
    return ReviewLog.open(batch, reviewer=reviewer, **kw)


def span(
    log: ReviewLog, quote: str, text: str, verdict: str = "uncertain", note: str = ""
) -> Annotation:
    start = text.index(quote)
    return Annotation.create(
        Target("span"), status=verdict, severity="warning", author=log.reviewer, at=log.now(),
        note=note, quote=quote, start=start, end=start + len(quote),
    )  # fmt: skip


def test_decisions_are_on_disk_when_the_call_returns(batch):
    log = open_log(batch)
    key = log.report_state(report(batch), unit="甲镇人民政府", year=2023).key
    assert read_log(log.folder).reports == (), "reading a report decides nothing"
    log.set_status(key, "in_progress")
    a = log.add(
        key,
        Annotation.from_finding(
            FINDING, status="confirmed", author="张三", at=log.now(), text=REPORT_A
        ),
    )
    b = log.add(key, span(log, "自评得分95分", REPORT_A, note="得分偏高"))
    log.update(key, b.id, status="confirmed", note="得分偏高，\n与指标完成情况不符")
    (state,) = read_log(log.folder).reports
    assert state == log.state(key)
    assert (state.path, state.unit, state.year, state.status) == (
        "a.txt",
        "甲镇人民政府",
        2023,
        "in_progress",
    )
    assert [x.id for x in state.annotations] == [a.id, b.id]
    assert state.annotations[1].note == "得分偏高，\n与指标完成情况不符"
    assert state.annotations[1].updated > state.annotations[1].created


def test_reopening_restores_statuses_and_annotations(batch):
    log = open_log(batch)
    a_key = log.report_state(report(batch)).key
    b_key = log.report_state(report(batch, "sub/b.txt")).key
    log.set_status(a_key, "done")
    log.set_status(b_key, "skipped")
    note = log.add(a_key, span(log, QUOTE, REPORT_A))
    again = open_log(batch)
    assert again.reports == log.reports
    assert again.report_state(report(batch)).annotations == (note,)
    assert again.report_state(report(batch, "sub/b.txt")).status == "skipped"


def test_default_location_and_log_override(batch, tmp_path):
    log = open_log(batch, reviewer="张 三/审")
    assert log.folder == batch / ".jixiao" / "张_三_审" == default_log_folder(batch, "张 三/审")
    assert (log.folder / "review.toml").is_file()
    elsewhere = open_log(batch, log_path=tmp_path / "mylog")
    assert (tmp_path / "mylog" / "review.toml").is_file() and elsewhere.folder == tmp_path / "mylog"
    assert find_log(batch) == log.folder and find_log(log.folder / "review.toml") == log.folder


def test_a_log_of_another_reviewer_is_not_written(batch):
    mine = open_log(batch, reviewer="张三")
    with pytest.raises(ReviewLogError, match="this is 张三's log") as caught:
        open_log(batch, reviewer="李四", log_path=mine.folder)
    assert caught.value.code == "other_reviewer"


def test_a_changed_source_reanchors_by_quote(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    note = log.add(key, span(log, QUOTE, REPORT_A))
    edited = "（修订稿）\n" + REPORT_A.replace("二、绩效情况", f"二、绩效情况（{QUOTE}）")
    (batch / "a.txt").write_text(edited, encoding="utf-8")
    again = open_log(batch)
    state = again.report_state(report(batch))
    (moved,) = state.annotations
    assert moved.start == edited.index(QUOTE) == note.start + len("（修订稿）\n"), (
        "nearest occurrence"
    )
    assert edited[moved.start : moved.end] == QUOTE and not moved.orphaned
    assert state.sha256 == report(batch).sha256 != log.state(key).sha256
    assert read_log(log.folder).reports == (state,), "saved at once"


def test_an_annotation_that_cannot_be_placed_is_kept_as_orphaned(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    lost = log.add(key, span(log, QUOTE, REPORT_A, note="合计有误"))
    kept = log.add(key, span(log, "自评得分95分", REPORT_A))
    (batch / "a.txt").write_text(REPORT_A.replace(QUOTE, "支出合计1287.78万元"), encoding="utf-8")
    state = open_log(batch).report_state(report(batch))
    assert [a.id for a in state.annotations] == [lost.id, kept.id]
    assert state.annotations[0] == replace(lost, orphaned=True)
    assert not state.annotations[1].orphaned
    assert read_log(log.folder).reports[0].annotations[0].orphaned


def test_a_renamed_report_is_recognised_by_sha256(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    note = log.add(key, span(log, QUOTE, REPORT_A))
    (batch / "2023").mkdir()
    shutil.move(batch / "a.txt", batch / "2023" / "甲镇.txt")
    state = open_log(batch).report_state(report(batch, "2023/甲镇.txt"))
    assert (state.key, state.path, state.annotations) == (key, "2023/甲镇.txt", (note,))
    assert read_log(log.folder).reports[0].path == "2023/甲镇.txt"


def test_a_copy_is_a_new_report(batch):
    log = open_log(batch)
    log.add(log.report_state(report(batch)).key, span(log, QUOTE, REPORT_A))
    shutil.copy(batch / "a.txt", batch / "copy.txt")
    copy = log.report_state(report(batch, "copy.txt"))
    assert copy.annotations == () and copy.path == "copy.txt"


def test_undo_takes_back_the_last_decisions_one_by_one(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    states = [log.state(key)]
    log.set_status(key, "in_progress")
    states.append(log.state(key))
    a = log.add(key, span(log, QUOTE, REPORT_A))
    states.append(log.state(key))
    log.update(key, a.id, status="false_positive", note="数字正确")
    states.append(log.state(key))
    log.remove(key, a.id)
    assert [r.id for r in log.state(key).removed] == [a.id], "a removal is recorded"
    for expected in reversed(states):
        assert log.undo() is not None
        # Undoing the removal forgets its record; undoing the add records a removal.
        tombstones = [a.id] if expected is states[1] or expected is states[0] else []
        assert [r.id for r in log.state(key).removed] == tombstones
        assert replace(log.state(key), removed=()) == expected
        reopened = open_log(batch).report_state(report(batch))
        assert replace(reopened, removed=()) == expected, "undo is saved too"
    assert log.undo() is None


def test_undo_depth_is_respected(batch):
    log = open_log(batch, undo_depth=2)
    key = log.report_state(report(batch)).key
    for status in ("in_progress", "done", "skipped"):
        log.set_status(key, status)
    assert log.undo() and log.undo()
    assert log.undo() is None
    assert log.state(key).status == "in_progress"


def test_undo_keeps_later_reanchoring(batch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    a = log.add(key, span(log, QUOTE, REPORT_A))
    b = log.add(key, span(log, "自评得分95分", REPORT_A))
    (batch / "a.txt").write_text("前言\n" + REPORT_A, encoding="utf-8")
    log.report_state(report(batch))
    log.undo()
    (left,) = log.state(key).annotations
    assert left.id == a.id and left.start == a.start + 3, "a stays where re-anchoring put it"
    assert b.id not in {x.id for x in log.state(key).annotations}


def test_a_failed_save_keeps_the_decision_and_a_later_save_writes_it(batch, monkeypatch):
    log = open_log(batch)
    key = log.report_state(report(batch)).key
    real = core.review_log.write_with_backup

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(core.review_log, "write_with_backup", disk_full)
    with pytest.raises(ReviewLogError, match="No space left on device") as caught:
        log.add(key, span(log, QUOTE, REPORT_A))
    assert caught.value.code == "save_failed" and caught.value.file.parent == log.folder / "reports"
    assert len(log.state(key).annotations) == 1 and log.pending == {key}
    assert read_log(log.folder).reports == ()
    monkeypatch.setattr(core.review_log, "write_with_backup", real)
    other = log.report_state(report(batch, "sub/b.txt")).key
    log.set_status(other, "done")
    assert log.pending == set()
    saved = {s.path: s for s in read_log(log.folder).reports}
    assert len(saved["a.txt"].annotations) == 1 and saved["sub/b.txt"].status == "done"


def test_two_reviewers_lose_nothing_and_merge_lists_conflicts(batch, tmp_path):
    clock = Clock()
    zhang, li = open_log(batch, "张三", clock=clock), open_log(batch, "李四", clock=clock)
    zk, lk = (log.report_state(report(batch)).key for log in (zhang, li))
    assert zhang.folder != li.folder
    finding = {
        log.reviewer: log.add(
            k, Annotation.from_finding(FINDING, status=verdict, author=log.reviewer, at=log.now())
        )
        for log, k, verdict in ((zhang, zk, "confirmed"), (li, lk, "false_positive"))
    }
    z_span = zhang.add(zk, span(zhang, "自评得分95分", REPORT_A, "confirmed"))
    l_span = li.add(lk, span(li, QUOTE, REPORT_A, "uncertain"))
    zhang.set_status(zk, "done")
    li.set_status(lk, "skipped")
    li.set_status(li.report_state(report(batch, "sub/b.txt")).key, "done")
    result = merge_logs([read_log(zhang.folder), read_log(li.folder)])
    by_path = {s.path: s for s in result.reports}
    assert set(by_path) == {"a.txt", "sub/b.txt"}
    ids = {a.id for a in by_path["a.txt"].annotations}
    assert ids == {finding["张三"].id, finding["李四"].id, z_span.id, l_span.id}
    assert by_path["a.txt"].status == "skipped", "the later status"
    assert [(c.kind, c.positions) for c in result.conflicts] == [
        ("annotation", (("张三", "confirmed"), ("李四", "false_positive"))),
        ("status", (("张三", "done"), ("李四", "skipped"))),
    ]
    assert describe_conflict(result.conflicts[0]) == (
        "分歧 a.txt: 同一对象结论不同 sum_mismatch:spending_total — 张三: 确认问题; 李四: 误报"
    )
    out = tmp_path / "merged"
    write_log(out, "张三+李四", result.reports, at=zhang.now())
    assert read_log(out).reports == result.reports
    with pytest.raises(ReviewLogError, match="already here"):
        write_log(out, "张三+李四", result.reports, at=zhang.now())


def test_two_sessions_of_one_reviewer_lose_nothing(batch):
    first, second = open_log(batch), open_log(batch)
    key = first.report_state(report(batch)).key
    assert second.report_state(report(batch)).key == key
    a = first.add(key, span(first, QUOTE, REPORT_A))
    b = second.add(key, span(second, "自评得分95分", REPORT_A))
    c = first.add(key, span(first, "二、绩效情况", REPORT_A))
    second.update(key, a.id, note="第二个会话补充")
    ids = [x.id for x in open_log(batch).report_state(report(batch)).annotations]
    assert sorted(ids) == sorted([a.id, b.id, c.id])
    assert open_log(batch).state(key).annotation(a.id).note == "第二个会话补充"


def test_merge_pairs_a_renamed_report_and_keeps_keys_apart(batch, tmp_path):
    zhang = open_log(batch, "张三")
    zhang.set_status(zhang.report_state(report(batch)).key, "done")
    shutil.move(batch / "a.txt", batch / "甲.txt")
    li = open_log(batch, "李四")
    li.set_status(li.report_state(report(batch, "甲.txt")).key, "done")
    (state,) = merge_logs([read_log(zhang.folder), read_log(li.folder)]).reports
    assert state.status == "done"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("张三", "张三"), ("zhang.san", "zhang_san"), ("../..", "_"), ("a b/c", "a_b_c"), ("", "_")],
)
def test_safe_names(name, expected):
    assert safe_name(name) == expected


@pytest.mark.parametrize(
    ("subject", "zh", "en"),
    [
        (
            ("field", "spending_total"),
            field_label("spending_total"),
            field_label("spending_total", "en"),
        ),
        (("projects", "道路维修", ""), "道路维修 → —", "道路维修 → —"),
        (("span", "第一行\n第二行"), "「第一行 第二行」", "「第一行 第二行」"),
        (("span", "长" * 40), "「" + "长" * 30 + "…」", "「" + "长" * 30 + "…」"),
    ],
    ids=["field-label", "project-pair", "quote-on-one-line", "long-quote-cut"],
)
def test_conflicts_name_their_subject(subject, zh, en):
    c = Conflict("a.txt", "annotation", subject, (("张三", "confirmed"), ("李四", "uncertain")))
    assert describe_conflict(c) == f"分歧 a.txt: 同一对象结论不同 {zh} — 张三: 确认问题; 李四: 存疑"
    assert describe_conflict(c, lang="en") == (
        f"conflict a.txt: different verdicts on {en} — 张三: confirmed; 李四: uncertain"
    )
