"""Indicator rows of an OCR'd copy whose cells run together, in the provinces' 分值-first order
(分值 · 指标值 · 实际值 · 得分).

Such a row can be told apart only by its shape: a 分值, then a dash for a target left empty and
the achievement, then the 得分 ("10一100%9"); or a 分值, a target written twice — as target and
as achievement — and the 得分 ("52021年12月完成2021年12月完成4"). Rows of no such shape are
left unread; everything read here is cut out of a run (PLACED_BY_SPLIT), so the checks built on
it only warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.forms.grid import Cell
from core.forms.model import PLACED_BY_SPLIT, FormValue, Indicator

_DASH_ROW_RE = re.compile(
    r"(?<![0-9.])(?P<w>[1-9][0-9]?)[一\-—－](?P<actual>[0-9]{1,3}(?:\.[0-9]{1,2})?%|[^0-9%]{2,40}?)"
    r"(?P<s>[0-9]{1,2}(?:\.[0-9])?)(?![0-9%.])"
)
_WEIGHT_RE = re.compile(r"(?<![0-9.])[1-9]")
_SCORE_RE = re.compile(r"[0-9]{1,2}(?:\.[0-9])?(?![0-9%.])")
_NAME_NOISE_RE = re.compile(r"[（(][0-9]{1,3}分[)）]|指标[0-9LlI][:：]|^[0-9]、")
_MIN_LINE = 40
_MAX_TARGET = 30
_MIN_ROWS = 3
_NOTE = "an OCR'd copy: 分值 and 得分 told apart by the row's shape (分值, 指标值, 实际值, 得分)"


@dataclass(frozen=True)
class _Row:
    start: int
    end: int
    weight: tuple[int, int]
    score: tuple[int, int]
    target: Cell
    actual: Cell


def read_run_indicators(text: str, start: int, end: int) -> tuple[Indicator, ...]:
    """The rows of shape found between two offsets (from the indicator header on), or ()."""
    header = text.find("一级指标", start, end)
    if header < 0:
        return ()
    rows: list[_Row] = []
    offset = header
    for line in text[header:end].split("\n"):
        if len(line) >= _MIN_LINE and "\t" not in line and "|" not in line:
            rows.extend(_line_rows(line, offset))
        offset += len(line) + 1
    if len(rows) < _MIN_ROWS:
        return ()
    out: list[Indicator] = []
    previous = header
    for row in rows:
        name, name_start = _name(text, previous, row.weight[0])
        out.append(
            Indicator(
                name=name,
                name_start=name_start,
                name_end=row.weight[0],
                target=row.target,
                actual=row.actual,
                weight=_value(text, row.weight, "weight", "分值"),
                score=_value(text, row.score, "score", "得分"),
            )
        )
        previous = row.end
    return tuple(out)


def _line_rows(line: str, at: int) -> list[_Row]:
    found: list[_Row] = []
    for match in _DASH_ROW_RE.finditer(line):
        dash = match.start("actual") - 1
        found.append(
            _Row(
                at + match.start(),
                at + match.end(),
                (at + match.start("w"), at + match.end("w")),
                (at + match.start("s"), at + match.end("s")),
                Cell(line[dash], at + dash, at + dash + 1),
                Cell(match.group("actual"), at + match.start("actual"), at + match.end("actual")),
            )
        )
    for digit in _WEIGHT_RE.finditer(line):
        for width in (1, 2):  # "52021年…" is 分值 5, "102370人…" 分值 10
            row = _repeated(line, digit.start(), digit.start() + width, at)
            if row is not None:
                found.append(row)
    found.sort(key=lambda r: (r.start, -r.end))
    kept: list[_Row] = []
    for row in found:
        if not kept or row.start >= kept[-1].end:
            kept.append(row)
    return kept


def _repeated(line: str, begin: int, first: int, at: int) -> _Row | None:
    """分值 (line[begin:first]), a target written twice (target = achievement), 得分."""
    if not line[begin:first].isdigit():
        return None
    for size in range(2, _MAX_TARGET + 1):
        second = first + size
        target = line[first:second]
        if len(target) < size or not line.startswith(target, second):
            continue
        score = _SCORE_RE.match(line, second + size)
        if score is None:
            continue
        return _Row(
            at + begin,
            at + score.end(),
            (at + begin, at + first),
            (at + score.start(), at + score.end()),
            Cell(target, at + first, at + second),
            Cell(target, at + second, at + second + size),
        )
    return None


def _name(text: str, start: int, end: int) -> tuple[str, int]:
    raw = text[start:end].rsplit("\n", 1)[-1]
    cleaned = _NAME_NOISE_RE.sub("", raw).strip("()（）:：、,， \n")
    name = cleaned[-16:]
    at = text.rfind(name, start, end) if name else end
    return name, at if at >= 0 else end


def _value(text: str, span: tuple[int, int], column: str, label: str) -> FormValue:
    return FormValue(
        column=column,
        label=label,
        value=Decimal(text[span[0] : span[1]]),
        percent=False,
        start=span[0],
        end=span[1],
        placed=PLACED_BY_SPLIT,
        note=_NOTE,
    )
