"""The log's files: exact round-trips, human-readable TOML, refusal of what cannot be read."""

from __future__ import annotations

import os
import re
import tempfile
import time
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.review import (
    ANNOTATION_STATUSES,
    REPORT_STATUSES,
    SEVERITIES,
    Annotation,
    Arithmetic,
    ReportState,
    Target,
)
from core.review_log import ReviewLog
from core.review_store import (
    ReviewLogError,
    clean_temp_files,
    dump_report,
    parse_report,
    write_with_backup,
)
from tests.core.reviewing import FINDING, Clock, make_batch, report

# Text that stresses TOML: Chinese, newlines, brackets, quotes, backslashes, controls.
TRICKY = st.text(
    st.sampled_from(
        [*"审阅意见数字甲乙\n\r\t \"'“”[]{}=#\\`*<>&", "\x1b", "\x00", "\x9b", "\u202e"]
    )
    | st.characters(exclude_categories=["Cs"]),
    max_size=30,
)
AT = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-9, minutes=-30))]
)
TIMES = st.datetimes(timezones=ZONES)
NAMES = st.text(min_size=1, max_size=10)
DECIMALS = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=2)

TARGETS = st.one_of(
    st.builds(Target, st.just("field"), field=NAMES),
    st.builds(Target, st.just("finding"), check=NAMES, finding=NAMES),
    st.builds(Target, st.just("projects"), old_project=NAMES, new_project=NAMES),
    st.just(Target("span")),
)
ARITHMETIC = st.builds(
    Arithmetic,
    message=TRICKY,
    severity=st.sampled_from(list(SEVERITIES)),
    fields=st.lists(NAMES, max_size=3).map(tuple),
    reported=DECIMALS,
    computed=DECIMALS,
    difference=DECIMALS,
    tolerance=DECIMALS,
    hint=TRICKY,
)


@st.composite
def annotations(draw: st.DrawFn, aid: str) -> Annotation:
    start = draw(st.none() | st.integers(0, 10**6))
    return Annotation(
        id=aid,
        target=draw(TARGETS),
        status=draw(st.sampled_from(list(ANNOTATION_STATUSES))),
        severity=draw(st.sampled_from(list(SEVERITIES))),
        author=draw(NAMES),
        created=draw(TIMES),
        updated=draw(TIMES),
        note=draw(TRICKY),
        quote=draw(TRICKY),
        start=start,
        end=None if start is None else start + draw(st.integers(0, 100)),
        orphaned=draw(st.booleans()),
        arithmetic=draw(st.none() | ARITHMETIC),
    )


@st.composite
def states(draw: st.DrawFn) -> ReportState:
    ids = draw(
        st.lists(st.from_regex(r"a-[0-9a-z_-]{1,12}", fullmatch=True), unique=True, max_size=4)
    )
    return ReportState(
        key="report-1a2b3c4d",
        path=draw(st.text(min_size=1, max_size=40)),
        sha256=draw(st.sampled_from(["", "0" * 64, "ab" * 32])),
        unit=draw(st.none() | st.text(min_size=1, max_size=20)),
        year=draw(st.none() | st.integers(1990, 2100)),
        status=draw(st.sampled_from(list(REPORT_STATUSES))),
        status_by=draw(st.text(max_size=10)),
        status_at=draw(st.none() | TIMES),
        annotations=tuple(draw(annotations(aid)) for aid in ids),
    )


@settings(max_examples=300, deadline=None)
@given(states())
def test_report_files_round_trip(state):
    data = dump_report(state)
    assert parse_report(data, Path("reports") / f"{state.key}.toml") == state
    text = data.decode()
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text), "controls escaped"


@pytest.mark.parametrize(
    "text", ["a\r\nb", "\r\n", "第一行\n第二行\r"], ids=["crlf", "only-crlf", "lf-and-cr"]
)
def test_carriage_returns_survive_multiline_strings(text):
    # tomli-w's multi-line strings would turn CR LF into LF.
    note = Annotation(
        "a-1", Target("span"), "uncertain", "info", "张三", AT, AT, note=text, quote="\n" + text
    )
    state = ReportState("k", "a.txt", "", annotations=(note,))
    assert parse_report(dump_report(state), Path("k.toml")) == state


def test_report_file_is_readable(tmp_path):
    log = ReviewLog.open(make_batch(tmp_path), reviewer="张三", clock=Clock())
    state = log.report_state(report(log.batch), unit="甲镇人民政府", year=2023)
    a = Annotation.from_finding(
        FINDING,
        status="confirmed",
        author="张三",
        at=log.now(),
        note="第一行\n第二行",
        text=report(log.batch).text,
    )
    log.add(state.key, a)
    text = (log.folder / "reports" / f"{state.key}.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:4] == [
        'path = "a.txt"',
        f'sha256 = "{state.sha256}"',
        'unit = "甲镇人民政府"',
        "year = 2023",
    ]
    assert f"[annotations.{a.id}]" in lines and f"[annotations.{a.id}.arithmetic]" in lines
    assert 'note = """\n第一行\n第二行"""' in text, "notes with newlines stay readable"
    assert 'reported = "1290.00"' in text, "money keeps its exact digits"
    assert "created = 2025-03-01 09:02:00+08:00" in text
    assert "\\u" not in text, "Chinese is written as Chinese"


@pytest.fixture
def saved(tmp_path):
    """A log with one annotated report; returns (log folder, report file)."""
    log = ReviewLog.open(make_batch(tmp_path), reviewer="张三", clock=Clock())
    state = log.report_state(report(log.batch), unit="甲镇人民政府", year=2023)
    log.set_status(state.key, "in_progress")
    log.add(
        state.key, Annotation.from_finding(FINDING, status="confirmed", author="张三", at=log.now())
    )
    return log.folder, log.folder / "reports" / f"{state.key}.toml"


def _sub(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


BROKEN = [
    pytest.param("report", _sub('status = "in_progress"', 'status = "done'), 'status = "done', "not valid TOML", "unparsable", id="unterminated-string"),
    pytest.param("report", _sub("year = 2023", 'year = "2023"'), "year =", "year: must be an integer, not str", "bad_value", id="year-as-text"),
    pytest.param("report", _sub('path = "a.txt"', 'path = "a.txt"\nstauts = "done"'), "stauts", "unknown key", "bad_value", id="unknown-key-would-be-lost"),
    pytest.param("report", _sub('status = "in_progress"', 'status = "完成"'), "status =", "must be one of", "bad_value", id="unknown-status"),
    pytest.param("report", _sub('status = "confirmed"', "status = 3"), 'status = 3', "must be a string", "bad_value", id="verdict-as-number"),
    pytest.param("report", _sub("+08:00\nupdated", "\nupdated"), "created =", "needs a time zone", "bad_value", id="naive-time"),
    pytest.param("report", _sub('author = "张三"\n', ""), "[annotations.a-", "author: missing", "bad_value", id="missing-author"),
    pytest.param("report", _sub('reported = "1290.00"', 'reported = "一千"'), "reported =", "is not a number", "bad_value", id="money-not-a-number"),
    pytest.param("index", _sub("schema = 1", "schema = 2"), "schema =", "newer jixiao (schema 2)", "newer_schema", id="newer-schema"),
    pytest.param("index", _sub('reviewer = "张三"', "reviewer = 张三"), "reviewer =", "not valid TOML", "unparsable", id="broken-index"),
]  # fmt: skip


@pytest.mark.parametrize(("target", "edit", "marker", "problem", "code"), BROKEN)
def test_a_broken_log_is_refused_with_file_and_line_and_left_untouched(
    saved, target, edit, marker, problem, code
):
    folder, report_file = saved
    file = report_file if target == "report" else folder / "review.toml"
    broken = edit(file.read_text(encoding="utf-8")).encode()
    file.write_bytes(broken)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(ReviewLogError) as caught:
        ReviewLog.open(folder.parent.parent, reviewer="张三")
    err = caught.value
    assert err.file == file and err.code == code
    assert problem in err.problem
    expected_line = next(
        n for n, line in enumerate(broken.decode().split("\n"), 1) if marker in line
    )
    assert err.line == expected_line
    assert str(err).startswith(f"{file}:{expected_line}: ")
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_log_that_is_not_utf8_is_refused(saved):
    folder, report_file = saved
    report_file.write_bytes('path = "a.txt"\n# 注释\n'.encode("gb18030"))
    with pytest.raises(ReviewLogError, match="not UTF-8") as caught:
        ReviewLog.open(folder.parent.parent, reviewer="张三")
    assert caught.value.line == 2


def test_a_hand_edit_may_use_the_chinese_labels(saved):
    folder, report_file = saved
    text = report_file.read_text(encoding="utf-8")
    report_file.write_text(
        text.replace('"in_progress"', '"已审"').replace('"confirmed"', '"误报"'), encoding="utf-8"
    )
    (state,) = ReviewLog.open(folder.parent.parent, reviewer="张三").reports
    assert state.status == "done" and state.annotations[0].status == "false_positive"


def test_each_save_keeps_the_previous_version(saved):
    _, report_file = saved
    backup = report_file.with_name(report_file.name + ".bak")
    previous = report_file.read_bytes()
    write_with_backup(report_file, b'path = "a.txt"\n', previous)
    assert backup.read_bytes() == previous
    assert tomllib.loads(report_file.read_text()) == {"path": "a.txt"}


def test_orphaned_temp_files_are_cleaned_at_start(saved):
    folder, report_file = saved
    old = report_file.with_name(f".{report_file.name}.dead.tmp")
    young = report_file.with_name(f".{report_file.name}.live.tmp")
    for p in (old, young):
        p.write_bytes(b"half a")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    ReviewLog.open(folder.parent.parent, reviewer="张三")
    assert not old.exists(), "a killed save's temp file is removed"
    assert young.exists(), "a save in progress elsewhere is left alone"
    assert clean_temp_files(folder, max_age=-1) == 1 and not young.exists()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(TARGETS, TRICKY, TRICKY), min_size=1, max_size=4), st.data())
def test_saved_annotations_load_back_as_they_were(items, data):
    with tempfile.TemporaryDirectory() as tmp:
        batch = make_batch(Path(tmp))
        log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
        key = log.report_state(report(batch)).key
        for target, note, quote in items:
            verdict = data.draw(st.sampled_from(list(ANNOTATION_STATUSES)))
            a = Annotation.create(
                target, status=verdict, severity="warning", author="张三", at=log.now(),
                note=note, quote=quote, start=0, end=len(quote),
            )  # fmt: skip
            log.add(key, a)
        log.set_status(key, data.draw(st.sampled_from(list(REPORT_STATUSES))))
        assert ReviewLog.open(batch, reviewer="张三").reports == log.reports
