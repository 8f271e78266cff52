"""`jixiao merge`: reports keyed by their path and content, never by content alone; a merge
written whole into a fresh folder, so a killed merge never leaves half a log to be read."""

from __future__ import annotations

import shutil
from pathlib import Path

from core.cli import main
from core.review import Annotation, ReportState, Target
from core.review_log import ReviewLog
from core.review_merge import merge_logs
from core.review_store import read_log
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
