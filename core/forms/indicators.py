"""The indicator table (绩效指标) and its 总分 row, read by the table's own header.

The national order is 年度指标值 · 实际完成值 · 分值 · 得分 · 偏差原因: a row's 分值 and 得分 are
the last two of the run of bare numbers that ends it. Some provinces put 分值 first
(分值 · 指标值 · 实际值 · 得分): there a row's 分值 is its first bare number and 得分 its last.
A row whose target and actual were both seen is read by cell; one missing them is read by
elimination (and the checks built on it only warn).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.forms.grid import Cell, number_of
from core.forms.model import (
    PLACED_BY_CELL,
    PLACED_BY_ELIMINATION,
    FormValue,
    Indicator,
)
from core.forms.vocabulary import GRADE_LABEL, GRADE_WORDS, INDICATOR_COLUMNS, TOTAL_ROW, kind_of

_TOTAL_RE = re.compile(TOTAL_ROW)
_GRADE_LABEL_RE = re.compile(GRADE_LABEL)
_VALUE_LIKE_RE = re.compile(r"[0-9０-９%％≥≤>=<＞＜]")
_NAME_LIKE_RE = re.compile(r"指标")
_HEADER_KINDS = frozenset({"target", "actual", "weight", "score"})


@dataclass(frozen=True)
class Indicators:
    """The indicator table as read."""

    rows: tuple[Indicator, ...]
    complete: bool
    """Read to its 总分 row, no row left half-read."""
    total_weight: FormValue | None
    total_score: FormValue | None
    grade: Cell | None
    end: int


def read_indicators(cells: Sequence[Cell], rows_of: Sequence[int], start: int) -> Indicators | None:
    """The indicator table after `start`, or None when no header names its 分值 and 得分.

    `rows_of[i]` is the grid row of `cells[i]`."""
    header_at = _header(cells, start)
    if header_at is None:
        return None
    order, at = header_at
    leading = order.index("weight") < order.index("target") if "target" in order else False
    reading = _Reading(cells, rows_of, "reason" in order, at)
    i = at
    while i < len(cells):
        cell = cells[i]
        if _TOTAL_RE.fullmatch(re.sub(r"\s+", "", cell.text)):
            return reading.total(i)
        i = reading.leading_row(i) if leading else reading.trailing_row(i)
    return Indicators(tuple(reading.rows), False, None, None, None, len(cells))


def _header(cells: Sequence[Cell], start: int) -> tuple[list[str], int] | None:
    """The header's column kinds in order, and the index after it."""
    for i in range(start, len(cells)):
        wording = kind_of(cells[i].text, INDICATOR_COLUMNS)
        if wording is None or wording.kind not in _HEADER_KINDS | {"level1", "level2", "level3"}:
            continue
        order: list[str] = []
        j = i
        misses = 0
        while j < len(cells) and misses <= 2:
            found = kind_of(cells[j].text, INDICATOR_COLUMNS)
            if found is None:
                misses += 1
            else:
                misses = 0
                order.append(found.kind)
            j += 1
        if {"weight", "score"} <= set(order):
            return order, j - misses
    return None


class _Reading:
    """Rows read so far, and the cells of the row being read."""

    def __init__(
        self, cells: Sequence[Cell], rows_of: Sequence[int], has_reason: bool, since: int
    ) -> None:
        self.cells = cells
        self.rows_of = rows_of
        self.has_reason = has_reason
        self.rows: list[Indicator] = []
        self.broken = False
        self.since = since
        """Index of the first cell of the row being read."""

    def trailing_row(self, i: int) -> int:
        cells = self.cells
        if number_of(cells[i].text) is None:
            return i + 1
        run_end = i
        while run_end < len(cells) and number_of(cells[run_end].text) is not None:
            run_end += 1
        run = list(range(i, run_end))
        if len(run) < 2 or len(run) > 4:
            self.broken = True
            self.since = run_end
            return run_end
        weight_at, score_at = run[-2], run[-1]
        before = list(range(self.since, i)) + run[:-2]
        target, actual, certain = self._target_actual(before)
        name_cells = [k for k in before if cells[k] not in (target, actual)]
        reason, after = self._reason(score_at)
        self._add(name_cells, target, actual, weight_at, score_at, certain, reason)
        self.since = after
        return after

    def leading_row(self, i: int) -> int:
        """分值 first: a grid row's first bare number is its 分值, its last its 得分."""
        cells, rows_of = self.cells, self.rows_of
        row = rows_of[i]
        j = i
        while j < len(cells) and rows_of[j] == row and not _TOTAL_RE.fullmatch(cells[j].text):
            j += 1
        members = list(range(i, j))
        numbers = [k for k in members if number_of(cells[k].text) is not None]
        if len(numbers) >= 2:
            weight_at, score_at = numbers[0], numbers[-1]
            between = [k for k in members if weight_at < k < score_at]
            names = [k for k in members if k < weight_at]
            certain = len(between) == 2
            target = cells[between[0]] if certain else None
            actual = cells[between[1]] if certain else None
            reason = cells[score_at + 1] if score_at + 1 < j else None
            self._add(names, target, actual, weight_at, score_at, certain, reason)
        elif numbers:
            self.broken = True
        return j

    def _target_actual(self, before: list[int]) -> tuple[Cell | None, Cell | None, bool]:
        if len(before) < 2:
            return None, None, False
        target, actual = self.cells[before[-2]], self.cells[before[-1]]
        looks = all(
            _VALUE_LIKE_RE.search(c.text) and not _NAME_LIKE_RE.search(c.text)
            for c in (target, actual)
        ) or (target.text == actual.text and not _NAME_LIKE_RE.search(target.text))
        if not looks:
            return None, None, False
        return target, actual, True

    def _reason(self, score_at: int) -> tuple[Cell | None, int]:
        """The 偏差原因 on the 得分's own row, when the header has the column."""
        nxt = score_at + 1
        cells = self.cells
        if (
            self.has_reason
            and nxt < len(cells)
            and self.rows_of[nxt] == self.rows_of[score_at]
            and number_of(cells[nxt].text) is None
            and not _TOTAL_RE.fullmatch(cells[nxt].text)
        ):
            return cells[nxt], nxt + 1
        return None, nxt

    def _add(
        self,
        names: list[int],
        target: Cell | None,
        actual: Cell | None,
        weight_at: int,
        score_at: int,
        certain: bool,
        reason: Cell | None,
    ) -> None:
        cells = self.cells
        named = [cells[k] for k in names if number_of(cells[k].text) is None]
        name = "".join(c.text for c in named[-2:]) if named else ""
        anchor = named[-1] if named else cells[weight_at]
        how = PLACED_BY_CELL if certain else PLACED_BY_ELIMINATION
        note = "" if certain else "the row's 指标值/实际完成值 were not both seen"
        self.rows.append(
            Indicator(
                name=name,
                name_start=(named[-2] if len(named) > 1 else anchor).start,
                name_end=anchor.end,
                target=target,
                actual=actual,
                weight=_form_value(cells[weight_at], "weight", "分值", how, note),
                score=_form_value(cells[score_at], "score", "得分", how, note),
                reason=reason,
            )
        )

    def total(self, i: int) -> Indicators:
        cells, rows_of = self.cells, self.rows_of
        j = i + 1
        numbers: list[int] = []
        while j < len(cells) and number_of(cells[j].text) is not None and len(numbers) < 3:
            numbers.append(j)
            j += 1
        weight = score = None
        if len(numbers) == 2:
            weight = _form_value(cells[numbers[0]], "weight", "总分 分值", PLACED_BY_CELL, "")
            score = _form_value(cells[numbers[1]], "score", "总分 得分", PLACED_BY_CELL, "")
        grade = None
        for k in range(j, min(j + 3, len(cells))):
            text = cells[k].text.strip('“”"')
            if text in GRADE_WORDS and (k == j or _GRADE_LABEL_RE.fullmatch(cells[k - 1].text)):
                grade = cells[k]
                break
            if rows_of[k] != rows_of[i] and not _GRADE_LABEL_RE.fullmatch(cells[k].text):
                break
        complete = not self.broken and len(numbers) == 2
        return Indicators(tuple(self.rows), complete, weight, score, grade, j)


def _form_value(cell: Cell, column: str, label: str, placed: str, note: str) -> FormValue:
    value = number_of(cell.text)
    return FormValue(
        column=column,
        label=label,
        value=value if value is not None else Decimal(0),
        percent=False,
        start=cell.start,
        end=cell.end,
        placed=placed,
        note=note,
    )
