"""Checks of totals against their parts, of projects against their total, and 元/万元 slips."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from core.arithmetic import (
    figure_tolerance,
    half_unit,
    number_tolerance,
    printed_digits,
    sum_tolerance,
)
from core.check_context import Context, Issue, as_printed, fig_span, fix_for, num
from core.models import Figure
from core.numbers import find_numbers, plain_decimal
from core.rules import RULES_BY_KEY, SUM_RELATIONS, SumRelation


def sums(ctx: Context) -> Iterator[Issue]:
    """A total against all its parts (基本支出 + 项目支出 = 支出合计, …)."""
    for relation in SUM_RELATIONS:
        total = ctx.figures.get(relation.total)
        parts = [ctx.figures[p] for p in relation.parts if p in ctx.figures]
        if total is None or len(parts) < 2 or not isinstance(total.value, Decimal):
            continue
        if len(parts) < len(relation.parts) or _open(ctx, relation, total):
            continue  # a part left unstated may hold the difference: see parts_exceed
        issue = _sum_issue(ctx, total, parts)
        if abs(issue.computed - total.value) <= issue.tolerance:  # type: ignore[operator]
            continue
        fixes = [fix_for(total, issue.computed)]  # type: ignore[arg-type]
        for part in parts:
            others = sum((p.value for p in parts if p is not part), Decimal(0))
            fixes.append(fix_for(part, total.value - others))  # type: ignore[operator]
        yield replace(issue, fixes=tuple(f for f in fixes if f is not None))


def parts_exceed(ctx: Context) -> Iterator[Issue]:
    """Stated parts of a total (some left unstated, or other sources named) above it."""
    for relation in SUM_RELATIONS:
        total = ctx.figures.get(relation.total)
        parts = [ctx.figures[p] for p in relation.parts if p in ctx.figures]
        if total is None or not parts or not isinstance(total.value, Decimal):
            continue
        if len(parts) == len(relation.parts) and not _open(ctx, relation, total):
            continue
        issue = _sum_issue(ctx, total, parts)
        if issue.computed - total.value > issue.tolerance:  # type: ignore[operator]
            excess = num(issue.computed - total.value)  # type: ignore[operator]
            yield replace(issue, params={**issue.params, "difference": excess})


def _sum_issue(ctx: Context, total: Figure, parts: list[Figure]) -> Issue:
    computed = sum((p.value for p in parts if isinstance(p.value, Decimal)), Decimal(0))
    reported = total.value
    assert isinstance(reported, Decimal)
    return Issue(
        subject=total.field,
        params={
            "parts": " + ".join(f"{ctx.label(p.field)}{num(p.value)}" for p in parts),  # type: ignore[arg-type]
            "computed": num(computed),
            "total": ctx.label(total.field),
            "reported": num(reported),
            "difference": num(reported - computed),
        },
        fields=(total.field, *(p.field for p in parts)),
        reported=reported,
        computed=computed,
        tolerance=sum_tolerance(total, *parts) + ctx.slack,
        spans=(fig_span(total), *(fig_span(p) for p in parts)),
        # A total from a national form and parts from the report's own text (or the other way)
        # may be of two bases (the 决算 总表's all funds, prose's 财政拨款 only): a difference is
        # worth a look, not certain.
        severity="warning"
        if len({f.note.startswith("form:") for f in (total, *parts)}) > 1
        else None,
    )


def _open(ctx: Context, relation: SumRelation, total: Figure) -> bool:
    """Does the total's paragraph name a part outside the vocabulary (其他收入…)?"""
    if not relation.others:
        return False
    start = ctx.text.rfind("\n", 0, total.start) + 1
    end = ctx.text.find("\n", total.end)
    return re.search(relation.others, ctx.text[start : end if end >= 0 else None]) is not None


# ---- projects against their stated total --------------------------------------------------


_PROJECT_TOTAL_AFTER_COUNT = re.compile(
    r"[个项][，,、]?\s*(?:预算|涉及|安排)?(?:资金|金额)?(?:总额|合计|共计|共)?(?:为|达)?\s*$"
)


@dataclass(frozen=True)
class _Total:
    """A stated total the project list can be held against."""

    label: str
    value: Decimal
    tolerance: Decimal
    span: tuple[int, int]
    field: str | None = None
    """The figure's field, for a figure; None for a sentence that totals "these N projects"."""


def project_totals(ctx: Context) -> Iterator[Issue]:
    """The project list against the totals stated for exactly these projects (a sentence
    "项目N个，资金X万元", the table's 合计 row), and against 项目支出 when the stated project
    count says the list is complete."""
    ex = ctx.extraction
    amounts = [p.amount for p in ex.projects if p.amount is not None]
    if len(amounts) < 2 or len(amounts) != len(ex.projects):
        return
    computed = sum(amounts, Decimal(0))
    decimals = max(2, *(max(0, -int(a.as_tuple().exponent)) for a in amounts))
    list_tolerance = len(amounts) * half_unit(decimals)

    def agrees(total: _Total) -> bool:
        return abs(total.value - computed) <= list_tolerance + 2 * total.tolerance + ctx.slack

    figures = [
        _Total(ctx.label(key), fig.value, figure_tolerance(fig), fig_span(fig), key)
        for key in ("spending_project", "project_budget_initial", "project_spending")
        if (fig := ctx.figures.get(key)) is not None and isinstance(fig.value, Decimal)
    ]
    claims = [*_count_sentence_totals(ctx, len(amounts)), *_total_row(ctx, computed)]
    agree = [t for t in figures + claims if agrees(t)]
    wrong = [c for c in claims if not agrees(c)]
    count = ctx.figures.get("project_count")
    complete = count is not None and any(
        c.value == len(amounts) for c in (count, *count.candidates)
    )
    # All N projects listed inline ("共实施项目6个，其中：A…元、B…元"), yet no total matches them.
    # (A table may list budgets beside a stated 项目支出 of actual spending: not comparable.)
    inline = all(p.source == "inline" for p in ex.projects)
    if not wrong and complete and inline and not agree and figures:
        wrong = figures[:1]
    for claim in wrong:
        same = [
            f
            for f in figures
            if f is not claim and abs(f.value - claim.value) <= f.tolerance + claim.tolerance
        ]
        yield Issue(
            subject=f"projects@{claim.span[0]}",
            params={
                "count": len(amounts),
                "computed": num(computed),
                "total": claim.label,
                "reported": num(claim.value),
                "difference": num(claim.value - computed),
            },
            fields=tuple(t.field for t in [claim, *same, *agree] if t.field),
            reported=claim.value,
            computed=computed,
            tolerance=list_tolerance + 2 * claim.tolerance + ctx.slack,
            spans=(claim.span, *(t.span for t in [*same, *agree])),
        )


_TOTAL_ROW_RE = re.compile(r"(?m)^[ \t]*(?:[0-9]+[ \t]+)?(?:合[ \t]*计|总[ \t]*计)[ \t\n]")


def _total_row(ctx: Context, computed: Decimal) -> Iterator[_Total]:
    """The 合计 row closing a project table: the number in it nearest the projects' sum."""
    tabled = [p for p in ctx.extraction.projects if p.source == "table"]
    if not tabled:
        return
    end = max(p.end for p in tabled)
    row = _TOTAL_ROW_RE.search(ctx.text, end, end + 40)
    if row is None:
        return
    line_end = ctx.text.find("\n\n", row.end())
    numbers = list(find_numbers(ctx.text, row.end(), min(row.end() + 80, len(ctx.text))))
    numbers = [n for n in numbers if line_end < 0 or n.start < line_end]
    # The table's unit is not known here: read each number in 万元 and in 元, keep the closest.
    readings = [
        (abs(n.value * scale - computed), n, n.value * scale)
        for n in numbers
        if n.kind in ("plain", "money")
        for scale in (Decimal(1), Decimal("0.0001"))
    ]
    if not readings:
        return
    _, number, value = min(readings, key=lambda r: r[0])
    label = ctx.text[row.start() : row.end()].strip()
    step = half_unit(number.decimals) * (value / number.value if number.value else 1)
    yield _Total(label, plain_decimal(value), step, (row.start(), number.end))


def _count_sentence_totals(ctx: Context, count: int) -> Iterator[_Total]:
    """Amounts stated right after "项目N个": the total of exactly these projects."""
    text = ctx.text
    fig = ctx.figures.get("project_count")
    if fig is None or fig.value != count:
        return
    for statement in (fig, *fig.candidates):
        if statement.value != count:
            continue
        for number in find_numbers(text, statement.value_end, min(len(text), statement.end + 30)):
            amount = number.in_wan()
            if amount is None:
                continue
            if _PROJECT_TOTAL_AFTER_COUNT.search(text, statement.value_end, number.start):
                label = text[statement.start : number.start].strip()
                yield _Total(label, amount, number_tolerance(number), (statement.start, number.end))
            break


# ---- units ---------------------------------------------------------------------------------


def unit_slips(ctx: Context) -> Iterator[Issue]:
    for fig in ctx.figures.values():
        if not fig.note.startswith("written ") or not isinstance(fig.value, Decimal):
            continue
        to_wan = fig.note.startswith("written 元, read as 万元")
        literal = fig.value / 10000 if to_wan else fig.value * 10000
        meant = num(fig.value) + "万元" if to_wan else f"{printed_digits(fig)}元"
        reason = fig.note.split(": ", 1)[1] if ": " in fig.note else ""
        yield Issue(
            subject=fig.field,
            params={
                "label": ctx.label(fig.field),
                "written": as_printed(fig),
                "meant": meant,
                "reason": _reason(reason, ctx),
            },
            fields=(fig.field,),
            reported=plain_decimal(literal),
            computed=fig.value,
            tolerance=figure_tolerance(fig),
            spans=(fig_span(fig),),
        )


_REASONS_ZH = (
    (r"equals (.+?) ([\d.]+)万元", r"与\1\2万元相等"),
    (r"its parts add up to ([\d.]+)万元", r"其分项合计\1万元"),
    (r"only then do (.+) and its parts add up", r"\1与分项才相符"),
    (r"only then does (.+) ([\d.]+)% agree", r"\1\2%才相符"),
    (r"under 100元 is implausible .*", "不足100元，不合常理"),
)


def _reason(reason: str, ctx: Context) -> str:
    if ctx.config.lang != "zh":
        for rule in RULES_BY_KEY.values():
            reason = reason.replace(rule.label_zh, rule.label_en)
        return reason
    for pattern, replacement in _REASONS_ZH:
        reason = re.sub(pattern, replacement, reason)
    return reason
