"""The batch rows a reviewer sorts and filters, and verdicts recorded one per subject."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.batch import Row, findings_on, select_rows, worst_severity
from core.cleaning import inert, inert_name
from core.decisions import decide_finding, decide_pair, decide_span, pair_decisions
from core.models import Finding
from core.review_log import ReviewLog
from tests.core.reviewing import FINDING, REPORT_A, Clock, make_batch, report

ROWS = [
    Row(0, "b/乙.txt", "乙镇人民政府", 2023, 0, 2, "done"),
    Row(1, "a/甲.txt", "甲镇人民政府", 2024, 3, 0, "unreviewed"),
    Row(2, "c/坏.doc", "", None, 0, 0, "unreviewed", problem="old format"),
    Row(3, "a/丙.txt", "丙镇人民政府", 2022, 0, 0, "in_progress"),
]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, [3, 1, 0, 2]),
        ({"sort": "errors"}, [1, 0, 3, 2]),
        ({"sort": "year"}, [2, 3, 0, 1]),
        ({"status": "unreviewed"}, [1, 2]),
        ({"severity": "error"}, [1]),
        ({"severity": "warning"}, [1, 0]),
        ({"severity": "unreadable"}, [2]),
        ({"text": "甲镇"}, [1]),
        ({"text": "A/"}, [3, 1]),  # the path, ignoring case
        ({"status": "done", "severity": "error"}, []),
    ],
    ids=lambda v: str(v),
)
def test_rows_are_filtered_and_sorted(options: dict[str, str], expected: list[int]) -> None:
    assert [r.index for r in select_rows(ROWS, **options)] == expected  # type: ignore[arg-type]


def test_findings_on_a_field_and_the_worst_severity() -> None:
    info = Finding("x", "info", "m", "x:1", fields=("staff_actual",))
    on_total = findings_on([FINDING, info], "spending_total")
    assert on_total == [FINDING]
    assert worst_severity([info, FINDING]) == "error"
    assert worst_severity([]) is None


def test_a_second_verdict_on_a_finding_updates_the_first(tmp_path: Path) -> None:
    log = ReviewLog.open(make_batch(tmp_path), reviewer="张三", clock=Clock())
    key = log.report_state(report(log.batch)).key
    first = decide_finding(log, key, FINDING, "confirmed", text=REPORT_A, note="少写")
    second = decide_finding(log, key, FINDING, "false_positive", text=REPORT_A)
    assert first.id == second.id and second.status == "false_positive" and second.note == "少写"
    assert len(log.state(key).annotations) == 1
    assert first.arithmetic is not None and first.quote == "支出合计1290.00万元"


def test_spans_are_their_own_subjects(tmp_path: Path) -> None:
    log = ReviewLog.open(make_batch(tmp_path), reviewer="张三", clock=Clock())
    key = log.report_state(report(log.batch)).key
    a = decide_span(log, key, REPORT_A, 0, 4, "missed", severity="warning", note="一")
    b = decide_span(log, key, REPORT_A, 10, 14, "missed", severity="warning", note="二")
    again = decide_span(log, key, REPORT_A, 0, 4, "uncertain", severity="warning")
    assert a.id != b.id and again.id == a.id and again.status == "uncertain"
    assert [x.quote for x in log.state(key).annotations] == [REPORT_A[0:4], REPORT_A[10:14]]


def test_pair_verdicts_become_matcher_decisions(tmp_path: Path) -> None:
    log = ReviewLog.open(make_batch(tmp_path), reviewer="张三", clock=Clock())
    key = log.report_state(report(log.batch)).key
    decide_pair(log, key, "防汛防火", "防火防汛", accepted=True)
    decide_pair(log, key, "党建经费", "团委经费", accepted=False)
    decide_pair(log, key, "防汛防火", "防火防汛", accepted=True)  # the same pair once
    decisions = pair_decisions(log.state(key))
    assert [(d.from_name, d.to_name, d.accepted) for d in decisions] == [
        ("防汛防火", "防火防汛", True),
        ("党建经费", "团委经费", False),
    ]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("一\n二\r三\r\n四", "一␊二␊三␊四"),
        ("甲\u2028乙\x85丙\v丁", "甲␊乙␊丙␊丁"),
        ("a\x1b[31mb\tc", "ab c"),
    ],
)
def test_file_names_show_their_line_breaks(raw: str, shown: str) -> None:
    assert inert_name(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[bookmark: _Toc1]审阅.md", "[bookmark: _Toc1]审阅.md"),  # brackets are the user's own
        ("a\x1b]0;pwned\x07b", "ab"),
        ("a\x1b[31mb\x85c", "abc"),
        ("甲\u202e乙", "甲乙"),
        ("一\n二\r三", "一 二 三"),
    ],
)
def test_inert_names_keep_their_brackets_and_lose_their_controls(raw: str, shown: str) -> None:
    assert inert(raw) == shown


_WORDS = st.text(alphabet="县镇甲乙ABab_0. ßẞİ", max_size=8)


@given(
    units=st.lists(_WORDS, min_size=1, max_size=6),
    paths=st.lists(_WORDS, min_size=1, max_size=6),
    needle=_WORDS,
)
def test_the_text_filter_matches_the_unit_or_the_path_ignoring_case(
    units: list[str], paths: list[str], needle: str
) -> None:
    rows = [
        Row(i, p, u, 2023, 0, 0, "unreviewed")
        for i, (u, p) in enumerate(zip(units, paths, strict=False))
    ]
    folded = needle.strip().casefold()
    expected = [
        r for r in rows if not folded or folded in r.unit.casefold() or folded in r.path.casefold()
    ]
    assert select_rows(rows, sort=None, text=needle) == expected
