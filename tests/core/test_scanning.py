"""Scanner finds exactly what finditer finds, only faster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.extract import _compiled
from core.rules import FIELD_RULES
from core.scanning import Scanner, first_chars

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


TRICKY = [
    r"(?<![一般公共预算政府性基金])财政拨款(?:预算)?收入",
    r"(?<=其中)一般公共预算(?:财政拨款)?收入",
    r"(?m)^合计",
    r"年年|年",
    r"\d+万元",
    r"(?:年末)?",
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
