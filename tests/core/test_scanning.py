"""Scanner finds exactly what finditer finds, only faster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import checks_text, identity
from core.extract import _compiled
from core.rules import FIELD_RULES
from core.scanning import Scanner, first_chars, first_pairs, scan, scan_near

SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"


@pytest.mark.parametrize(
    ("pattern", "firsts"),
    [
        (r"(?:年[末未底])?实有(?:人员)?", "年实"),
        (r"(?<![项目基本])决算(?:支出)?数", "决"),
        (r"[“\"]?三公|[0-9]{2}年", '“"三0123456789'),
        (r"(?=预算)预算数|x*y", "预xy"),
        (r"\d+万元", None),  # a category: not listed
        (r"(?:年末)?", None),  # matches empty
        (r"[^。]+。", None),  # a negated class
    ],
)
def test_first_chars(pattern, firsts):
    expected = None if firsts is None else frozenset(firsts)
    assert first_chars(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "pairs"),
    [
        (r"(?:年[末未底])?实有(?:人员)?", ["实有", "年底", "年未", "年末"]),
        (r"(?<![项目基本])决算(?:支出)?数", ["决算"]),
        (r"[“\"]?三公", ['"三', "“三", "三公"]),
        (r"(?:x?)*yz", ["xx", "xy", "yz"]),
        (r"a{1,2}b", ["aa", "ab"]),
        (r"(?:ab){2}", ["ab"]),
        (r"(?m)^合计", ["合计"]),
        (r"a{0,3}b", None),  # "b" alone: shorter than two
        (r"ab|c", None),
        (r"x(?:ab)?", None),
        (r"\d+万元", None),  # a category: not listed
        (r"(?i)ab", None),  # case folding
    ],
)
def test_first_pairs(pattern, pairs):
    expected = None if pairs is None else frozenset(pairs)
    assert first_pairs(pattern) == expected


TRICKY = [
    r"(?<![一般公共预算政府性基金])财政拨款(?:预算)?收入",
    r"(?<=其中)一般公共预算(?:财政拨款)?收入",
    r"(?m)^合计",
    r"年年|年",
    r"\d+万元",
    r"(?:年末)?",
    r"a{0,3}b|年{2}",
    r"[“\"]?三公经费",
]


def test_matches_are_finditers_on_every_sample_and_pattern():
    patterns = [p for _, p, _ in _compiled(FIELD_RULES)] + [re.compile(p) for p in TRICKY]
    scanner = Scanner(patterns)
    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.rglob("*.txt"))]
    texts += ["", "年年年末实有人数", "其中一般公共预算收入\n合计一般公共预算财政拨款收入"]
    for text in texts:
        positions = scanner.positions(text)
        for i, pattern in enumerate(patterns):
            got = [m.span() for m in scanner.finditer(i, text, positions)]
            assert got == [m.span() for m in pattern.finditer(text)], pattern.pattern


_WORDING_PIECES = {
    w for rule in FIELD_RULES for w in re.findall(r"[\u4e00-\u9fff]{1,3}", "".join(rule.wordings))
}
LABEL_WORDS = st.sampled_from(
    [*sorted(_WORDING_PIECES), "“", '"', "\n", "其中", "0", "12", "a", "b", "年年"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LABEL_WORDS, max_size=40).map("".join))
def test_scanner_is_finditer_on_text_crowded_with_label_words(text):
    patterns = [p for _, p, _ in _compiled(FIELD_RULES)] + [re.compile(p) for p in TRICKY]
    scanner = _scanner(patterns)
    positions = scanner.positions(text)
    for i, pattern in enumerate(patterns):
        got = [m.span() for m in scanner.finditer(i, text, positions)]
        assert got == [m.span() for m in pattern.finditer(text)], pattern.pattern


_SCANNERS: dict[int, Scanner] = {}


def _scanner(patterns):
    return _SCANNERS.setdefault(len(patterns), Scanner(patterns))


# ---- scan and scan_near: one pattern, the same matches as finditer ----------------------

SAMPLE_TEXTS = [p.read_text("utf-8") for p in sorted(SAMPLES.rglob("*.txt"))]
SCANNED = [
    checks_text._SELF_REF_RE,
    checks_text._BARE_LEVEL_RE,
    *checks_text._YEAR_CLAIM_RES,
    identity._LABELLED_UNIT_RE,
    *(rule.pattern for rule in checks_text.RESIDUE_RULES if not rule.head_only),
    *(re.compile(p) for p in TRICKY),
]
NEAR = [
    (identity._TOWN_RE, identity.TOWN_NEAR),
    (checks_text._TOWN_LEADERSHIP_RE, checks_text.TOWN_LEADERSHIP_NEAR),
    *((rule.pattern, rule.near) for rule in checks_text.RESIDUE_RULES if rule.near),
]
# Matches as long as the declared reach allows, and crowded ones.
LONGEST = [
    "某某某某某某某某某某自治县某某某某某某街道人民政府",
    "甲，东风红石街道党工委、办事处",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十范本",
    "我镇我乡自我镇全镇全镇镇县财政局，区财政局",
    "本局（办、委）我局(办、委)（单位名称）【单位名称]",
    "上2023年度部门整体绩效自评，2024 年 本单位全年整体支出绩效评价，单位名称：某镇",
]
# Text made of the words these patterns are built from, so that matches crowd and overlap.
WORDS = st.sampled_from(
    ["我", "本", "全", "自", "镇", "乡", "街道", "苏木", "局", "村", "级", "区", "县", "市", "旗",
     "自治县", "财政局", "党委", "党工委", "、", "和", "政府", "人民政府", "办事处", "范本", "××",
     "X", "月", "日", "东", "红石", "东风", "，", "。", "\n", " ", "年", "实有", "（办、委）", "：", "(", "单位名称", "2023", "年度", "整体",
     "绩效自评", "上", "部门"]
)  # fmt: skip
WORDY = st.lists(WORDS, max_size=60).map("".join)


def spans(matches):
    return [(m.span(), m.group()) for m in matches]


@pytest.mark.parametrize("pattern", SCANNED, ids=lambda p: p.pattern[:24])
def test_scan_is_finditer_on_the_samples(pattern):
    for text in [*SAMPLE_TEXTS, *LONGEST, ""]:
        assert spans(scan(pattern, text)) == spans(pattern.finditer(text))


@pytest.mark.parametrize(("pattern", "near"), NEAR, ids=lambda x: str(x)[:24])
def test_scan_near_is_finditer_on_the_samples(pattern, near):
    anchor, before, after = near
    for text in [*SAMPLE_TEXTS, *LONGEST, ""]:
        got = scan_near(pattern, text, anchor, before=before, after=after)
        assert spans(got) == spans(pattern.finditer(text))


@settings(max_examples=300, deadline=None)
@given(WORDY)
def test_scan_and_scan_near_are_finditer_on_crowded_text(text):
    for pattern in SCANNED:
        assert spans(scan(pattern, text)) == spans(pattern.finditer(text)), pattern.pattern
    for pattern, (anchor, before, after) in NEAR:
        got = scan_near(pattern, text, anchor, before=before, after=after)
        assert spans(got) == spans(pattern.finditer(text)), pattern.pattern


# Small patterns over a small alphabet: overlapping and hidden matches at every turn.
TOY_TEXT = st.text(alphabet="xyz\n", max_size=40)


@settings(max_examples=500, deadline=None)
@given(TOY_TEXT)
def test_scan_is_finditer_on_toy_patterns(text):
    for pattern in (r"(?:y)?yy", r"(?<!x)y+z?", r"(?:xy|y)(?!z)", r"(?:z\n)?x[xy]*"):
        compiled = re.compile(pattern)
        assert spans(scan(compiled, text)) == spans(compiled.finditer(text)), pattern


@settings(max_examples=500, deadline=None)
@given(TOY_TEXT)
def test_scan_near_is_finditer_on_toy_patterns(text):
    toys = [
        (r"x[^\n]{0,3}?yz?", "y", 4, 1),
        (r"[xz][^\n]{0,3}y(?:zz|z)?x?", "y", 4, 3),
        (r"(?<=\n)x{1,2}?y{1,3}", "xy", 1, 2),
    ]
    for pattern, anchor, before, after in toys:
        compiled = re.compile(pattern)
        got = scan_near(compiled, text, anchor, before=before, after=after)
        assert spans(got) == spans(compiled.finditer(text)), pattern


def test_scan_near_needs_the_reach_it_is_told():
    """A reach too short misses matches: the bounds declared are what makes it exact."""
    text = LONGEST[0]
    assert spans(identity._TOWN_RE.finditer(text))[0][0] == (0, len(text))
    short = spans(scan_near(identity._TOWN_RE, text, "[县市区旗]", before=11, after=12))
    assert short[0][0] == (1, len(text))


def test_first_chars_of_a_case_folding_pattern_are_not_listed():
    assert first_chars("(?i)xx") is None
    assert first_chars("xx") == frozenset("x")
    pattern = re.compile("(?:年)?xx", re.IGNORECASE)
    assert spans(scan(pattern, "年XX xx")) == [((0, 3), "年XX"), ((4, 6), "xx")]


def test_an_anchor_must_have_a_fixed_width():
    with pytest.raises(ValueError, match="fixed"):
        list(scan_near(re.compile("a"), "a", "a+", before=0, after=0))
