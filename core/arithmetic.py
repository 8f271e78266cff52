"""Rounding-aware arithmetic on printed figures, change statements, and single-edit slips."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from core.models import Figure
from core.numbers import Number, count_decimals, find_numbers, to_wan

HUNDRED = Decimal(100)


def half_unit(decimals: int) -> Decimal:
    """Half a unit of the last printed decimal: 0.005 for a number printed to 0.01."""
    return Decimal(5).scaleb(-decimals - 1)


def printed_digits(fig: Figure) -> str:
    """The digits of a figure exactly as printed ("4,898.86")."""
    return fig.quote[fig.value_start - fig.start : fig.value_end - fig.start]


_PRINTED_SCALE = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}


def figure_tolerance(fig: Figure) -> Decimal:
    """How far the true value may be from the printed one, in the figure's own unit (万元, %)."""
    step = half_unit(count_decimals(printed_digits(fig)))
    if fig.unit != "万元" or fig.note.startswith("written 元, read as 万元"):
        return step
    if fig.note.startswith("written 万"):  # 万元 written, 元 meant
        return step * _PRINTED_SCALE["元"]
    return step * _PRINTED_SCALE.get(fig.as_written_unit, Decimal(1))


def sum_tolerance(*figures: Figure) -> Decimal:
    """Rounding slack of a sum: every printed figure may be half a unit of its last decimal off
    (two parts printed to 0.01 may sum 0.01 away from a printed total); a zero is exact."""
    return sum((figure_tolerance(f) for f in figures if f.value != 0), Decimal(0))


def rate_tolerance(rate: Figure | Number, computed: Decimal, parts: list[Figure]) -> Decimal:
    """Slack of a stated rate: one unit of its last decimal (reports truncate as often as they
    round), plus what the rounding of the amounts it is made of can move it."""
    decimals = rate.decimals if isinstance(rate, Number) else count_decimals(printed_digits(rate))
    relative = sum(
        (
            figure_tolerance(p) / abs(p.value)
            for p in parts
            if isinstance(p.value, Decimal) and p.value
        ),
        Decimal(0),
    )
    return 2 * half_unit(decimals) + abs(computed) * relative


# ---- change statements: "公用经费44.8万元，比上年减少201.03万元，减少45.09%" ----

_ANCHOR_RE = re.compile(r"(?:比|较|同比)(?:上年|去年|上一年|上年度)?(?:同期)?(?:决算数?)?(?:的)?")
_UP = "增加|增长|上升|提高|多支出|超支"
_DOWN = "减少|下降|降低|较少|节约|节支|减支|少支出|压减|缩减"
# Matched right after 比/较. (?:了\s*)?, not (?:了)?\s*: two \s* side by side backtrack
# quadratically on a long blank run; (?<!\s): a match never starts inside one.
_DIRECTION_RE = re.compile(rf"(?<!\s)\s*(?:了\s*)?(?P<dir>{_UP}|{_DOWN})(?:了|幅度为?|为)?\s*")
_RATE_WORD_RE = re.compile(
    rf"[，,、\s]*(?:(?P<dir>{_UP}|{_DOWN}|增幅|降幅|增长率|下降率)(?:了|为|幅度为?|比例为?)?)?\s*"
)
_CLAUSE_END = "。；;！!？?\n"


@dataclass(frozen=True)
class ChangeStatement:
    """An amount and its stated change on last year, with the rate the report gives."""

    base: Number
    """This year's amount, as written."""
    delta: Number
    """The stated change (always written positive)."""
    decrease: bool
    """True when the change is a decrease."""
    rate: Number
    """The stated rate of change (in %)."""
    rate_says_decrease: bool | None
    """The direction the rate's own word gives ("下降45%"), or None when it gives none."""
    start: int
    """Offset of the base amount."""
    end: int
    """Offset just past the rate."""


@lru_cache(maxsize=4)
def change_statements(text: str) -> tuple[ChangeStatement, ...]:
    """`find_change_statements`, kept for the last few texts: the checks read them again for
    every correction they try (a report's text is hashed once, by Python, and kept with it)."""
    return tuple(find_change_statements(text))


def find_change_statements(text: str) -> Iterator[ChangeStatement]:
    """Every "X万元，比上年增加/减少Y万元，增长/下降Z%" in the text."""
    for anchor in _ANCHOR_RE.finditer(text):
        if anchor.end() == anchor.start() or not re.match("比|较|同比", anchor.group()):
            continue
        if anchor.group() in ("比", "较") and not _DIRECTION_RE.match(text, anchor.end()):
            continue  # a bare 比/较 must be followed by its verb ("比上年" forms are looser)
        statement = _statement_at(text, anchor.start(), anchor.end())
        if statement is not None:
            yield statement


def _statement_at(text: str, anchor_start: int, anchor_end: int) -> ChangeStatement | None:
    clause_start = anchor_start
    while clause_start > 0 and anchor_start - clause_start < 40:
        if text[clause_start - 1] in _CLAUSE_END:
            break
        clause_start -= 1
    before = [n for n in find_numbers(text, clause_start, anchor_start) if n.in_wan() is not None]
    # The base amount must lead straight into the comparison: "44.8万元，比上年…".
    if not before or len(text[before[-1].end : anchor_start].strip("，,、 ")) > 2:
        return None
    base = before[-1]
    direction = _DIRECTION_RE.match(text, anchor_end)
    if direction is None:
        return None
    clause_end = anchor_end
    while clause_end < len(text) and clause_end - anchor_end < 40:
        if text[clause_end] in _CLAUSE_END:
            break
        clause_end += 1
    after = list(find_numbers(text, direction.end(), clause_end))
    if len(after) < 2 or after[0].start != direction.end() or after[0].in_wan() is None:
        return None
    delta, rate = after[0], after[1]
    if rate.kind != "percent":
        return None
    rate_word = _RATE_WORD_RE.fullmatch(text, delta.end, rate.start)
    if rate_word is None:
        return None
    word = rate_word.group("dir")
    says_decrease = None if word is None else bool(re.fullmatch(f"{_DOWN}|降幅|下降率", word))
    return ChangeStatement(
        base=base,
        delta=delta,
        decrease=bool(re.fullmatch(_DOWN, direction.group("dir"))),
        rate=rate,
        rate_says_decrease=says_decrease,
        start=base.start,
        end=rate.end,
    )


def change_rate(current: Decimal, delta: Decimal, decrease: bool) -> Decimal | None:
    """The rate (in %) of a change on last year, or None when last year was zero."""
    previous = current + delta if decrease else current - delta
    if previous <= 0:
        return None
    return delta / previous * HUNDRED


def change_rate_tolerance(
    current: Decimal, delta: Decimal, decrease: bool, tol_current: Decimal, tol_delta: Decimal
) -> Decimal:
    """How far rounding of the two amounts can move the computed change rate (in %)."""
    previous = current + delta if decrease else current - delta
    if previous <= 0:
        return Decimal(0)
    tol_previous = tol_current + tol_delta
    return HUNDRED * (tol_delta / previous + delta * tol_previous / (previous * previous))


def number_tolerance(number: Number) -> Decimal:
    """Half a unit of a number's last printed decimal, in 万元 for amounts."""
    step = half_unit(number.decimals)
    return to_wan(step, number.unit) if number.in_wan() is not None else step


# ---- single-edit slips ----


def one_digit_edit(written: str, meant: Decimal) -> bool:
    """True when `meant` is `written` with one digit added, dropped or changed, or two
    neighbouring digits swapped (44.8 → 244.8, 1287.78 → 1278.78)."""
    a = written.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")).replace(",", "")
    decimals = count_decimals(a)
    b = f"{meant:.{decimals}f}" if meant == meant.quantize(half_unit(decimals) * 2) else str(meant)
    if a == b:
        return False
    x, y = a.replace(".", "|"), b.replace(".", "|")
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        if len(diff) == 1:
            return x[diff[0]] != "|" and y[diff[0]] != "|"
        i, j = [*diff, 0, 0][:2]
        return len(diff) == 2 and j == i + 1 and x[i] == y[j] and x[j] == y[i]
    short, long = (x, y) if len(x) < len(y) else (y, x)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)) if long[i] != "|")
