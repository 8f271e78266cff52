"""The review model: targets, annotations from findings, labels and re-anchoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from core.review import (
    ANNOTATION_STATUSES,
    REPORT_STATUSES,
    Annotation,
    Target,
    label,
    new_annotation_id,
    reanchor,
)
from tests.core.reviewing import CST, FINDING, QUOTE, REPORT_A

AT = datetime(2025, 3, 1, 9, 0, tzinfo=CST)


def note(quote: str, start: int | None, **kw) -> Annotation:
    end = None if start is None else start + len(quote)
    return Annotation.create(
        Target("span"), status="uncertain", severity="info", author="张三", at=AT,
        quote=quote, start=start, end=end, **kw,
    )  # fmt: skip


def test_from_finding_keeps_the_arithmetic_and_quotes_the_first_span():
    a = Annotation.from_finding(FINDING, status="confirmed", author="张三", at=AT, text=REPORT_A)
    assert a.target == Target("finding", check="sum_mismatch", finding=FINDING.key)
    assert a.quote == QUOTE and REPORT_A[a.start : a.end] == QUOTE
    assert a.severity == "error" and a.created == a.updated == AT
    m = a.arithmetic
    assert m is not None
    assert (m.reported, m.computed, m.difference, m.tolerance) == (
        FINDING.reported, FINDING.computed, FINDING.difference, FINDING.tolerance
    )  # fmt: skip
    assert m.fields == FINDING.fields and m.message == FINDING.message and m.hint == FINDING.hint


def test_from_finding_without_text_has_no_quote():
    a = Annotation.from_finding(FINDING, status="false_positive", author="张三", at=AT)
    assert (a.quote, a.start, a.end) == ("", None, None)


def test_ids_are_short_sortable_and_unique():
    ids = {new_annotation_id(AT) for _ in range(2000)}
    assert len(ids) == 2000
    assert all(i.startswith("a-20250301T010000-") and len(i) == 28 for i in ids)


def test_control_characters_are_removed_from_new_notes():
    a = note("", None, note="红色\x1b[31m警告\x07\n下一行\u202e")
    assert a.note == "红色警告\n下一行"


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"kind": "figure"}, id="unknown-kind"),
        pytest.param({"kind": "field"}, id="field-without-key"),
        pytest.param({"kind": "finding", "check": "sum_mismatch"}, id="finding-without-key"),
        pytest.param({"kind": "projects"}, id="projects-without-names"),
    ],
)
def test_targets_need_their_subject(kwargs):
    with pytest.raises(ValueError):
        Target(**kwargs)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"id": "a 1"}, id="id-with-space"),
        pytest.param({"status": "done"}, id="report-status-for-annotation"),
        pytest.param({"severity": "fatal"}, id="unknown-severity"),
        pytest.param({"created": datetime(2025, 3, 1)}, id="naive-time"),
        pytest.param({"start": 3, "end": None}, id="start-without-end"),
        pytest.param({"start": 5, "end": 2}, id="end-before-start"),
    ],
)
def test_annotations_refuse_bad_values(change):
    with pytest.raises(ValueError):
        replace(note("x", 0), **change)


def test_labels_in_both_languages():
    assert [label(REPORT_STATUSES, k) for k in REPORT_STATUSES] == [
        "未审",
        "审阅中",
        "已审",
        "跳过",
    ]
    assert [label(ANNOTATION_STATUSES, k) for k in ANNOTATION_STATUSES] == [
        "确认问题", "误报", "存疑", "漏报"
    ]  # fmt: skip
    assert label(REPORT_STATUSES, "done", "en") == "done"
    assert label(ANNOTATION_STATUSES, "false_positive", "en") == "false positive"


TEXT = "甲乙丙丁戊己庚辛壬癸"


@pytest.mark.parametrize(
    ("quote", "start", "text", "expected_start", "orphaned"),
    [
        pytest.param("丙丁", 2, TEXT, 2, False, id="unchanged"),
        pytest.param("丙丁", 2, "前言" + TEXT, 4, False, id="shifted"),
        pytest.param(
            "丙丁", 8, "丙丁" + TEXT[:8] + "丙丁" + TEXT[8:], 10, False, id="nearest-of-two"
        ),
        pytest.param("丙丁", 2, "丙丁……" + "x" * 30 + TEXT, 0, False, id="nearest-is-earlier"),
        pytest.param("丙丁", 2, "甲乙戊己", 2, True, id="gone-is-orphaned"),
        pytest.param("丙丁", None, "前言" + TEXT, 4, False, id="no-offsets-gets-placed"),
    ],
)
def test_reanchor(quote, start, text, expected_start, orphaned):
    (a,) = reanchor([note(quote, start)], text)
    assert a.orphaned is orphaned
    assert a.start == expected_start
    if not orphaned:
        assert text[a.start : a.end] == quote


def test_reanchor_leaves_unquoted_annotations_and_revives_orphans():
    plain = Annotation.create(
        Target("field", field="score"), status="missed", severity="warning", author="张三", at=AT
    )
    orphan = replace(note("丙丁", 2), orphaned=True)
    assert reanchor([plain, orphan], TEXT) == (plain, replace(orphan, orphaned=False))
