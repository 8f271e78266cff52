"""Checks of stated rates, changes on last year, grades, staff and projects."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from core.arithmetic import (
    HUNDRED,
    ChangeStatement,
    change_rate,
    change_rate_tolerance,
    change_statements,
    figure_tolerance,
    half_unit,
    number_tolerance,
    one_digit_edit,
    rate_tolerance,
)
from core.check_context import Context, Fix, Issue, fig_span, fix_for, num, rounded
from core.models import Figure
from core.numbers import find_numbers
from core.rules import RATE_RELATIONS

# ---- rates ---------------------------------------------------------------------------------


def change_rates(ctx: Context) -> Iterator[Issue]:
    by_value_start = {f.value_start: f for f in ctx.figures.values()}
    for statement in change_statements(ctx.text):
        base_fig = by_value_start.get(statement.base.start)
        current = (
            base_fig.value
            if base_fig is not None and isinstance(base_fig.value, Decimal)
            else statement.base.in_wan()
        )
        delta = statement.delta.in_wan()
        if current is None or delta is None:
            continue
        stated = statement.rate.value
        says_decrease = statement.decrease or bool(statement.rate_says_decrease)
        computed = change_rate(current, delta, statement.decrease)
        label = ctx.label(base_fig.field) if base_fig is not None else _label_before(ctx, statement)
        params = {
            "label": label,
            "current": num(current),
            "delta": num(delta),
            "direction": ("减少" if statement.decrease else "增加")
            if ctx.config.lang == "zh"
            else ("down" if statement.decrease else "up"),
            "stated": num(stated),
            "computed": rounded(computed) if computed is not None else "—",
        }
        impossible = says_decrease and stated > HUNDRED  # no decrease exceeds 100 %
        if computed is None and not impossible:
            continue
        tolerance = None
        fixes: tuple[Fix, ...] = ()
        if computed is not None and not impossible:
            tolerance = (
                change_rate_tolerance(
                    current,
                    delta,
                    statement.decrease,
                    figure_tolerance(base_fig)
                    if base_fig is not None
                    else number_tolerance(statement.base),
                    number_tolerance(statement.delta),
                )
                + 2 * half_unit(statement.rate.decimals)
                + ctx.slack
            )
            if abs(computed - stated) <= tolerance:
                continue
            if base_fig is not None and stated > 0:
                rate = stated / HUNDRED
                needed = delta / rate - delta if statement.decrease else delta + delta / rate
                fix = fix_for(base_fig, needed)
                fixes = (fix,) if fix is not None else ()
        yield Issue(
            subject=f"change@{statement.start}",
            params=params,
            fields=(base_fig.field,) if base_fig is not None else (),
            reported=stated,
            computed=computed,
            tolerance=tolerance,
            spans=((base_fig.start if base_fig else statement.start, statement.end),),
            fixes=fixes,
            hint=_rate_digit_hint(stated, computed),
        )


def _rate_digit_hint(stated: Decimal, computed: Decimal | None) -> tuple[str, str] | None:
    if computed is None:
        return None
    decimals = max(0, -stated.as_tuple().exponent)  # type: ignore[operator]
    meant = computed.quantize(Decimal(1).scaleb(-decimals))
    if one_digit_edit(num(stated), meant):
        return (f"所述{num(stated)}%疑为{num(meant)}%之误", f"{num(stated)}% may be {num(meant)}%")
    return None


def _label_before(ctx: Context, statement: ChangeStatement) -> str:
    """The words naming an amount that is not a field of the vocabulary ("差旅费")."""
    head = ctx.text[max(0, statement.start - 14) : statement.start]
    return re.split(r"[，,。；;：:\n]", head)[-1].strip()


def stated_rates(ctx: Context) -> Iterator[Issue]:
    for rate_key, numerator_key, denominator_key in RATE_RELATIONS:
        rate = ctx.figures.get(rate_key)
        numerator = ctx.figures.get(numerator_key)
        if rate is None or numerator is None or not isinstance(rate.value, Decimal):
            continue
        # 执行率 is computed against the adjusted budget or, in some counties, the initial one.
        alternatives = [denominator_key]
        if denominator_key == "budget_adjusted":
            alternatives.append("budget_initial")
        tried = []
        for key in alternatives:
            denominator = ctx.figures.get(key)
            if denominator is None or not isinstance(denominator.value, Decimal):
                continue
            if not isinstance(numerator.value, Decimal) or denominator.value == 0:
                continue
            computed = numerator.value / denominator.value * HUNDRED
            tolerance = rate_tolerance(rate, computed, [numerator, denominator]) + ctx.slack
            tried.append((denominator, computed, tolerance))
        if not tried or any(abs(c - rate.value) <= t for _, c, t in tried):
            continue
        if _rate_explained_nearby(ctx, rate, numerator):
            continue
        denominator, computed, tolerance = tried[0]
        yield Issue(
            subject=rate_key,
            params={
                "label": ctx.label(rate_key),
                "stated": num(rate.value),
                "computed": rounded(computed),
                "formula": f"{ctx.label(numerator.field)}{num(numerator.value)} ÷ "  # type: ignore[arg-type]
                f"{ctx.label(denominator.field)}{num(denominator.value)}",  # type: ignore[arg-type]
            },
            fields=(rate_key, numerator.field, denominator.field),
            reported=rate.value,
            computed=computed,
            tolerance=tolerance,
            spans=(fig_span(rate), fig_span(numerator), fig_span(denominator)),
        )


def _rate_explained_nearby(ctx: Context, rate: Figure, numerator: Figure) -> bool:
    """A rate stated beside its own base ("调整后预算44,855,783.58元…执行率96.91%") is computed
    against an amount the vocabulary has no field for: it is not a discrepancy."""
    text = ctx.text
    line_start = text.rfind("\n", 0, rate.start) + 1
    line_end = text.find("\n", rate.end)
    line_end = len(text) if line_end < 0 else line_end
    part = numerator.value
    if not isinstance(part, Decimal) or not isinstance(rate.value, Decimal):
        return False
    for number in find_numbers(text, line_start, line_end):
        whole = number.in_wan()
        if not whole:
            continue
        computed = part / whole * HUNDRED
        if abs(computed - rate.value) <= rate_tolerance(rate, computed, [numerator]):
            return True
    return False


_EXCELLENT_RATE_RE = re.compile(r"(评优率|优秀率|优良率)[为达到是：:\s]*")


def excellent_rate(ctx: Context) -> Iterator[Issue]:
    graded = [p for p in ctx.extraction.projects if p.grade]
    if len(graded) < 3:
        return
    for match in _EXCELLENT_RATE_RE.finditer(ctx.text):
        number = next(find_numbers(ctx.text, match.end(), match.end() + 12), None)
        if number is None or number.start != match.end() or number.kind != "percent":
            continue
        good = ("优",) if match.group(1) != "优良率" else ("优", "良")
        hits = sum(1 for p in graded if p.grade in good)
        computed = Decimal(hits) / len(graded) * HUNDRED
        tolerance = 2 * half_unit(number.decimals) + ctx.slack
        if abs(computed - number.value) <= tolerance:
            continue
        yield Issue(
            subject=f"{match.group(1)}@{match.start()}",
            params={
                "label": match.group(1),
                "stated": num(number.value),
                "computed": rounded(computed),
                "formula": f"{hits}/{len(graded)}",
            },
            reported=number.value,
            computed=computed,
            tolerance=tolerance,
            spans=((match.start(), number.end),),
        )


def carryover_vs_execution(ctx: Context) -> Iterator[Issue]:
    rate = ctx.figures.get("carryover_rate")
    spent, budget = ctx.amount("spending_total"), ctx.amount("budget_adjusted")
    if rate is None or spent is None or not budget or not isinstance(rate.value, Decimal):
        return
    if rate.value <= 0 or spent < budget:
        return
    yield Issue(
        subject="carryover_rate",
        params={"stated": num(rate.value), "spent": num(spent), "budget": num(budget)},
        fields=("carryover_rate", "budget_adjusted", "spending_total"),
        reported=rate.value,
        computed=Decimal(0),
        spans=tuple(fig_span(ctx.figures[k]) for k in ("carryover_rate", "spending_total")),
    )


# ---- grade, staff, projects ----------------------------------------------------------------


def _grade_for(score: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str | None:
    for grade, lowest in bands:
        if score >= lowest:
            return grade
    return None


def grade_against_score(ctx: Context) -> Iterator[Issue]:
    score, grade = ctx.figures.get("score"), ctx.figures.get("grade")
    if score is None or grade is None or not isinstance(score.value, Decimal):
        return
    expected = _grade_for(score.value, ctx.config.grade_bands)
    if expected is None or grade.value == expected:
        return
    yield Issue(
        subject="grade",
        params={"score": num(score.value), "grade": str(grade.value), "expected": expected},
        fields=("grade", "score"),
        reported=None,
        spans=(fig_span(grade), fig_span(score)),
    )


def staff_over_quota(ctx: Context) -> Iterator[Issue]:
    quota, actual = ctx.figures.get("staff_authorized"), ctx.figures.get("staff_actual")
    if quota is None or actual is None:
        return
    if not isinstance(quota.value, int) or not isinstance(actual.value, int):
        return
    if actual.value <= quota.value:
        return
    yield Issue(
        subject="staff",
        params={"actual": actual.value, "quota": quota.value, "over": actual.value - quota.value},
        fields=("staff_actual", "staff_authorized"),
        reported=Decimal(actual.value),
        computed=Decimal(quota.value),
        tolerance=Decimal(0),
        spans=(fig_span(actual), fig_span(quota)),
    )


def duplicate_projects(ctx: Context) -> Iterator[Issue]:
    by_name: dict[str, list[int]] = {}
    projects = ctx.extraction.projects
    for i, project in enumerate(projects):
        by_name.setdefault(re.sub(r"\s+", "", project.name), []).append(i)
    for name, indexes in by_name.items():
        amounts = {projects[i].amount for i in indexes}
        if len(indexes) < 2 or len(amounts) < 2:
            continue
        yield Issue(
            subject=name,
            params={
                "name": name,
                "amounts": " / ".join(num(projects[i].amount) for i in indexes),
            },
            spans=tuple((projects[i].start, projects[i].end) for i in indexes),
        )
