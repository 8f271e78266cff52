"""Property tests: the extractor never raises on arbitrary text, and every quote is its span."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extract import extract
from core.models import Report

# Text made of the pieces reports are made of, so the rules actually fire.
PIECES = st.sampled_from(
    [
        "基本支出", "项目支出", "人员经费", "公用经费", "“三公”经费", "公务接待费", "年初预算数",
        "调整预算数", "实际支出", "决算数", "在职人员", "编制数", "自评得分", "等级为", "执行率",
        "其中", "，", "。", "；", "、", "：", "\n", "\t", " ", "为", "比上年减少", "项目共计",
        "万元", "元", "万", "%", "分", "人", "个", "优", "良", "1", "23", "4,567.89", "０．５",
        "2023年", "2024.05", "十二", "两名", "壹佰元整", "合计", "序号", "项目名称", "金额",
    ]
)  # fmt: skip
REPORTISH = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=80).map("".join)


def as_report(text: str) -> Report:
    return Report(path=Path("x.txt"), sha256="", text=text, kind="txt")


def check(text: str) -> None:
    extraction = extract(as_report(text))
    for fig in extraction.figures:
        assert text[fig.start : fig.end] == fig.quote
        assert fig.start <= fig.value_start < fig.value_end <= fig.end
        assert fig.line == text.count("\n", 0, fig.start) + 1
        for other in fig.candidates:
            assert text[other.start : other.end] == other.quote
    for project in extraction.projects:
        assert 0 <= project.start < project.end <= len(text)
    assert len({f.field for f in extraction.figures}) == len(extraction.figures)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(REPORTISH)
def test_extract_never_raises_and_quotes_are_spans_on_report_like_text(text):
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_extract_never_raises_on_arbitrary_text(text):
    check(text)
