"""Tests for core.cleaning: the display text every offset refers to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cleaning import clean_text

SAMPLES = sorted((Path(__file__).parents[2] / "sample_reports").glob("*.txt"))

FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\u00a0\u3000\u2028\u2029]"
)

BOOKMARK = re.compile(r"\[bookmark: [^\]\n]{0,200}\]")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        pytest.param("a\r\nb\rc\nd", "a\nb\nc\nd", id="line-ends"),
        pytest.param("一页\f二页\v三", "一页\n二页\n三", id="form-feed-is-a-line-break"),
        pytest.param("[bookmark: _Toc28838]一、部门概况", "一、部门概况", id="bookmark-toc"),
        pytest.param("正文[bookmark: _GoBack]。", "正文。", id="bookmark-goback"),
        pytest.param("[book[bookmark: a]mark: b]x", "x", id="bookmark-nested"),
        pytest.param("[bookmark: _Toc1\n]", "[bookmark: _Toc1\n]", id="bookmark-not-across-lines"),
        pytest.param(
            "[bookmark: " + "x" * 300 + "]", "[bookmark: " + "x" * 300 + "]", id="too-long"
        ),
        pytest.param("[9221] a [/b] c", "[9221] a [/b] c", id="brackets-kept"),
        pytest.param("[@click=app.quit]退出[/]", "[@click=app.quit]退出[/]", id="markup-kept"),
        pytest.param("[link=https://x]y[/link]", "[link=https://x]y[/link]", id="link-kept"),
        pytest.param("得分  95.25  分", "得分  95.25  分", id="ascii-spaces-kept"),
        pytest.param("\u3000\u3000一、基本情况", " 一、基本情况", id="ideographic-indent"),
        pytest.param("95.25\u00a0\u00a0万元", "95.25 万元", id="nbsp-run"),
        pytest.param("a\u2002\u2003\u202fb", "a b", id="other-space-separators"),
        pytest.param("a \u3000 b", "a   b", id="mixed-spaces"),
        pytest.param("col1\tcol2", "col1\tcol2", id="tab-kept"),
        pytest.param("１２３．４５％，（万元）", "１２３．４５％，（万元）", id="full-width-kept"),
        pytest.param("\x1b[2J\x1b[1;31m红\x1b[0m", "红", id="csi"),
        pytest.param("\x1b]0;pwned\x07标题", "标题", id="osc-bel"),
        pytest.param("\x1b]52;c;ZWNobyBoaQ==\x1b\\剪贴板", "剪贴板", id="osc-clipboard-st"),
        pytest.param("\x1b]8;;http://evil\x1b\\链接\x1b]8;;\x1b\\", "链接", id="osc-hyperlink"),
        pytest.param("\x9b31m红\x9b0m", "红", id="c1-csi"),
        pytest.param("\x9d0;title\x9c文", "文", id="c1-osc"),
        pytest.param("\x1bc重置\x1b(B", "重置", id="two-char-escapes"),
        pytest.param("\x1b[31", "31", id="unterminated-csi"),
        pytest.param("\x1b\x1b[31m[31m", "[31m", id="escape-then-csi"),
        pytest.param("a\x00b\x07c\x08d\x7fe", "abcde", id="c0-and-del"),
        pytest.param("a\x85b\x9fc", "abc", id="c1"),
        pytest.param("\u202eevil\u202c \u2066x\u2069 \u200fy\u200e", "evil x y", id="bidi"),
        pytest.param("\ufeff报告\ufffe\uffff", "报告", id="bom-and-noncharacters"),
        pytest.param("[book\x07mark: _Toc1]", "", id="control-inside-bookmark"),
        pytest.param("[bookmark:\u3000_Toc1]", "", id="wide-space-inside-bookmark"),
        pytest.param("", "", id="empty"),
    ],
)
def test_clean_cases(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    assert clean_text(clean) == clean


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split("_")[0])
def test_real_reports(sample: Path) -> None:
    raw = sample.read_text(encoding="utf-8")
    clean = clean_text(raw)
    assert "[bookmark: " not in clean
    assert not FORBIDDEN.search(clean)
    assert clean_text(clean) == clean
    # Nothing but residue and spaces is removed: the Chinese text and figures stay.
    without_residue = BOOKMARK.sub("", raw)
    assert sum(ch.isdigit() for ch in clean) == sum(ch.isdigit() for ch in without_residue)
    assert clean.replace(" ", "") == without_residue.replace(" ", "").replace("\u00a0", "")


# fmt: off
FRAGMENTS = st.sampled_from(
    [
        "\x1b", "[", "]", "\x07", "\\", "\x9b", "\x9c", "\x9d", "\r", "\n", "\r\n", "\t", " ",
        "\u3000", "\u00a0", "\u202e", "\ufeff", "[bookmark: ", "_Toc1", "book", "mark: ", "31m",
        "0;", "得分", "９５", "\x00", "\x85", "\f",
    ]
)
# fmt: on
ADVERSARIAL = st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=40).map("".join)


@given(st.one_of(st.text(), ADVERSARIAL))
def test_clean_is_idempotent_and_safe(raw: str) -> None:
    clean = clean_text(raw)
    assert clean_text(clean) == clean
    assert not FORBIDDEN.search(clean)
    assert "\x1b" not in clean and "\r" not in clean
    assert not BOOKMARK.search(clean)


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\ud800\udfff")))
def test_clean_never_raises_even_on_surrogates(raw: str) -> None:
    clean = clean_text(raw)
    clean.encode("utf-8")  # writable to a terminal
