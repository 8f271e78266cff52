"""Checks of the national forms by their own rules, cell by cell.

Each works from the forms as read (`Extraction.forms`), never from a reader's raw output. A
finding is an error only when every number it rests on was read from its own cell; a number
placed by elimination, or cut out of an OCR'd copy's run-together digits, makes it a warning
that says what to look at. A form that could not be read says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from core.arithmetic import half_unit
from core.check_context import Context, Issue, num, rounded
from core.forms.grid import is_placeholder
from core.forms.model import (
    PLACED_BY_ELIMINATION,
    PLACED_BY_SPLIT,
    Form,
    FormValue,
    Indicator,
)
from core.numbers import count_decimals

HUNDRED = Decimal(100)
_SLACK = Decimal("0.01")
_COMPARED_RE = re.compile(
    r"(?P<op>≥|>=|＞=|≧|>|＞|≤|<=|＜=|≦|<|＜|=|＝)?\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>.{0,6})"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def _sure(values: Iterable[FormValue | None]) -> bool:
    return all(v is not None and v.certain for v in values)


def _severity(values: Iterable[FormValue | None]) -> str:
    return "error" if _sure(values) else "warning"


def _printed_slack(*values: FormValue, whole: bool = True) -> Decimal:
    """Half a unit of the last printed decimal of each value, added up; a whole number counts
    as rounded only when `whole` (a score worked out and rounded), not in a sum of scores."""
    total = Decimal(0)
    for value in values:
        if value.value is None:
            continue
        decimals = count_decimals(f"{value.value:f}")
        if decimals or whole:
            total += half_unit(decimals)
    return total


_UNCERTAIN = {
    PLACED_BY_ELIMINATION: (
        "该行单元格少于列数，按唯一可行的排列归列",
        "a row with fewer cells than columns, placed by the one arrangement that fits",
    ),
    PLACED_BY_SPLIT: (
        "OCR文字连排，按表格的词语与形状切分",
        "an OCR'd copy with its cells run together, cut by the form's words and shape",
    ),
}


def _looking(values: Iterable[FormValue | None], zh: bool) -> str:
    """What a reviewer should look at when the numbers were not all read from their cells."""
    kinds = sorted({v.placed for v in values if v is not None and not v.certain})
    if not kinds:
        return ""
    said = [_UNCERTAIN[k][0 if zh else 1] for k in kinds if k in _UNCERTAIN]
    if zh:
        return "（读取不确定，请核对原表：" + "；".join(said) + "）"
    return " (read with uncertainty, check the form: " + "; ".join(said) + ")"


def _amount(form: Form, column: str | None) -> FormValue | None:
    total = form.funding_row("total")
    if total is None or column is None:
        return None
    found = total.value(column)
    return found if found is not None and not found.percent else None


# ---- (a) the budget-execution 得分 against its rule --------------------------------------


def score_rule(ctx: Context) -> Iterator[Issue]:
    """得分 = 执行率 × 分值, capped at 分值, where the form scores budget execution that way."""
    zh = ctx.config.lang == "zh"
    for index, form in enumerate(ctx.extraction.forms):
        total = form.funding_row("total")
        if total is None or not form.rule_stated:
            continue
        weight, score = total.value("weight"), total.value("score")
        if weight is None or score is None or weight.value is None or score.value is None:
            continue
        spending, base = _amount(form, "spending"), _amount(form, form.rate_base)
        stated_rate = total.value("rate")
        used: list[FormValue | None]
        if spending is not None and base is not None and base.value:
            assert spending.value is not None
            rate = spending.value / base.value * HUNDRED
            rate_text = f"{num(spending.value)}÷{num(base.value)} = {rounded(rate)}%"
            used = [spending, base]
            rate_slack = Decimal(0)
        elif stated_rate is not None and stated_rate.value is not None:
            rate = stated_rate.value
            rate_text = f"{num(rate)}%"
            used = [stated_rate]
            rate_slack = weight.value * _printed_slack(stated_rate) / HUNDRED
        else:
            continue
        expected = min(rate * weight.value / HUNDRED, weight.value)
        tolerance = _printed_slack(score) + rate_slack + ctx.slack
        if abs(score.value - expected) <= tolerance:
            continue
        values = [weight, score, *used]
        yield Issue(
            subject=f"form{index}:execution",
            params={
                "rate": rate_text,
                "weight": num(weight.value),
                "expected": rounded(expected),
                "score": num(score.value),
                "look": _looking(values, zh),
            },
            fields=("score",),
            reported=score.value,
            computed=rounded_decimal(expected),
            tolerance=tolerance,
            spans=_spans(score, weight, *used),
            severity=_severity(values),
        )


def rounded_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _spans(*values: FormValue | None) -> tuple[tuple[int, int], ...]:
    return tuple((v.start, v.end) for v in values if v is not None)


# ---- (b) 总分 against the sum of the 得分; each 得分 within its 分值 ------------------------


def _scored_rows(form: Form) -> list[tuple[str, FormValue, FormValue]]:
    """(name, 分值, 得分) of every scored row: the funding block's, then the indicators'."""
    rows: list[tuple[str, FormValue, FormValue]] = []
    total = form.funding_row("total")
    if total is not None:
        weight, score = total.value("weight"), total.value("score")
        if weight is not None and score is not None:
            rows.append((total.label.text.rstrip(":："), weight, score))
    rows.extend((ind.name, ind.weight, ind.score) for ind in form.indicators)
    return rows


def _sum_applies(form: Form) -> bool:
    """The table was read whole: to its 总分 row, and its 分值 add up to 总分's."""
    if not form.indicators_complete or form.total_weight is None or form.total_score is None:
        return False
    rows = _scored_rows(form)
    weights = sum((w.value for _, w, _ in rows if w.value is not None), Decimal(0))
    return bool(rows) and form.total_weight.value == weights


def score_sum(ctx: Context) -> Iterator[Issue]:
    """总分's 得分 is the sum of the rows' 得分 (only when the whole table was read)."""
    zh = ctx.config.lang == "zh"
    for index, form in enumerate(ctx.extraction.forms):
        if not _sum_applies(form):
            continue
        assert form.total_score is not None and form.total_score.value is not None
        rows = _scored_rows(form)
        scores = [s for _, _, s in rows]
        computed = sum((s.value for s in scores if s.value is not None), Decimal(0))
        tolerance = _printed_slack(form.total_score, *scores, whole=False) + ctx.slack
        stated = form.total_score.value
        if abs(stated - computed) <= tolerance:
            continue
        values = [form.total_score, *scores, *(w for _, w, _ in rows)]
        yield Issue(
            subject=f"form{index}:total",
            params={
                "parts": " + ".join(num(s.value) for s in scores),
                "computed": num(computed),
                "stated": num(stated),
                "count": len(scores),
                "look": _looking(values, zh),
            },
            fields=("score",),
            reported=stated,
            computed=computed,
            tolerance=tolerance,
            spans=_spans(form.total_score, *scores),
            severity=_severity(values),
        )


def score_over_weight(ctx: Context) -> Iterator[Issue]:
    """No row scores more than its 分值."""
    zh = ctx.config.lang == "zh"
    for index, form in enumerate(ctx.extraction.forms):
        for row, (name, weight, score) in enumerate(_scored_rows(form)):
            if weight.value is None or score.value is None or score.value <= weight.value:
                continue
            yield Issue(
                subject=f"form{index}:row{row}",
                params={
                    "name": name,
                    "score": num(score.value),
                    "weight": num(weight.value),
                    "look": _looking([weight, score], zh),
                },
                fields=("score",),
                reported=score.value,
                computed=weight.value,
                tolerance=Decimal(0),
                spans=_spans(score, weight),
                severity=_severity([weight, score]),
            )


# ---- (c) a stated score above what the visible deductions leave ---------------------------


def score_above_attainable(ctx: Context) -> Iterator[Issue]:
    """自评得分/总分 no higher than 总分's 分值 (or 100) less the points visibly lost."""
    zh = ctx.config.lang == "zh"
    for index, form in enumerate(ctx.extraction.forms):
        if _sum_applies(form):
            continue  # the whole table was read: score_sum says more
        stated = form.total_score or form.stated_score
        if stated is None or stated.value is None:
            continue
        lost = [
            (name, w, s)
            for name, w, s in _scored_rows(form)
            if w.value is not None and s.value is not None and s.value < w.value
        ]
        if not lost:
            continue
        full = form.total_weight.value if form.total_weight is not None else HUNDRED
        assert full is not None
        deducted = sum((w.value - s.value for _, w, s in lost), Decimal(0))  # type: ignore[operator]
        attainable = full - deducted
        tolerance = _printed_slack(stated, *(s for _, _, s in lost), whole=False) + ctx.slack
        if stated.value <= attainable + tolerance:
            continue
        # Without a 总分 row the full marks are the national 100: the rows decide the severity.
        values: list[FormValue | None] = [stated]
        if form.total_weight is not None:
            values.append(form.total_weight)
        values.extend(v for _, w, s in lost for v in (w, s))
        yield Issue(
            subject=f"form{index}:attainable",
            params={
                "stated": num(stated.value),
                "full": num(full),
                "lost": " + ".join(f"{name}{num(w.value - s.value)}" for name, w, s in lost),  # type: ignore[operator]
                "deducted": num(deducted),
                "attainable": num(attainable),
                "look": _looking(values, zh),
            },
            fields=("score",),
            reported=stated.value,
            computed=attainable,
            tolerance=tolerance,
            spans=_spans(stated, *(s for _, _, s in lost)),
            severity=_severity(values),
        )


# ---- (d) met its target, yet marked down, with no 偏差原因 ----------------------------------


def met_but_marked_down(ctx: Context) -> Iterator[Issue]:
    """An indicator whose 实际完成值 meets its 年度指标值 yet lost points, with no reason given."""
    for index, form in enumerate(ctx.extraction.forms):
        for row, ind in enumerate(form.indicators):
            if not _marked_down_unexplained(ind):
                continue
            assert ind.target is not None and ind.actual is not None
            yield Issue(
                subject=f"form{index}:met{row}",
                params={
                    "name": ind.name,
                    "target": ind.target.text,
                    "actual": ind.actual.text,
                    "score": num(ind.score.value),
                    "weight": num(ind.weight.value),
                },
                fields=("score",),
                reported=ind.score.value,
                computed=ind.weight.value,
                spans=(
                    (ind.target.start, ind.target.end),
                    (ind.actual.start, ind.actual.end),
                    (ind.score.start, ind.score.end),
                ),
            )


def _marked_down_unexplained(ind: Indicator) -> bool:
    if ind.target is None or ind.actual is None or ind.score.value is None:
        return False
    if ind.weight.value is None or ind.score.value >= ind.weight.value:
        return False
    if ind.reason is not None and not is_placeholder(ind.reason.text):
        return False
    return meets(ind.target.text, ind.actual.text)


def meets(target: str, actual: str) -> bool:
    """Does the achievement meet the target? Equal words, or numbers in the same unit that
    satisfy the target's comparison (≥95% against 98%); a bare number must be equalled."""
    t = re.sub(r"\s+", "", target.translate(_FULLWIDTH))
    a = re.sub(r"\s+", "", actual.translate(_FULLWIDTH))
    if not t or is_placeholder(t):
        return False
    if t == a:
        return True
    want, got = _COMPARED_RE.fullmatch(t), _COMPARED_RE.fullmatch(a)
    if want is None or got is None or got.group("op") or want.group("unit") != got.group("unit"):
        return False
    goal, done = Decimal(want.group("num")), Decimal(got.group("num"))
    op = want.group("op") or "="
    if op in ("≥", ">=", "＞=", "≧"):
        return done >= goal
    if op in (">", "＞"):
        return done > goal
    if op in ("≤", "<=", "＜=", "≦"):
        return done <= goal
    if op in ("<", "＜"):
        return done < goal
    return done == goal


# ---- (f) a data table's 控制率 against its 在职 ÷ 编制 ------------------------------------------


def control_rate(ctx: Context) -> Iterator[Issue]:
    """控制率 = 实际在职人数 ÷ 编制数, where a basic-data table states all three. The counts are
    exact: the rate may be off by one unit of its last printed decimal (rounded or truncated)."""
    for index, form in enumerate(ctx.extraction.forms):
        stated = {s.field: s.value for s in form.stated}
        rate = stated.get("staff_rate")
        actual = stated.get("staff_actual")
        quota = stated.get("staff_authorized")
        if rate is None or actual is None or quota is None:
            continue
        if rate.value is None or actual.value is None or not quota.value:
            continue
        computed = actual.value / quota.value * HUNDRED
        tolerance = Decimal(1).scaleb(-count_decimals(f"{rate.value:f}")) + ctx.slack
        if abs(computed - rate.value) <= tolerance:
            continue
        yield Issue(
            subject=f"form{index}:control_rate",
            params={
                "stated": num(rate.value),
                "actual": num(actual.value),
                "quota": num(quota.value),
                "computed": rounded(computed),
            },
            fields=("staff_actual", "staff_authorized"),
            reported=rate.value,
            computed=rounded_decimal(computed),
            tolerance=tolerance,
            spans=_spans(rate, actual, quota),
            severity=_severity([rate, actual, quota]),
        )
