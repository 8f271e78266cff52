"""Words against the figures stated with them: a change on last year against both years'
figures, a completion rate against its 决算 and 预算, 超额完成/未完成 against the rate beside.

The discipline of core/checks_prose.py: an error only when every number was read with its
label, year and unit and the words are about them; a reading with doubt left is a warning,
and a sentence that cannot be read is no finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from core.arithmetic import HUNDRED, half_unit
from core.check_context import Context, Issue, num, rounded
from core.checks_prose import (
    Completion,
    Quantity,
    completions,
    direction,
    quantity_at,
    quantity_ending,
    versus_statements,
)
from core.numbers import Number, find_numbers

# ---- a change on last year against both years' figures -------------------------------------

_CHANGE_WORDS = r"增加|增长|上升|提高|增多|减少|下降|降低"
# Right after the word: the amount ("增加7.60万元") or the rate ("增长5%").
_RIGHT_AFTER_RE = re.compile(r"(?:了|为)?[ \t]{0,2}")
# A clause of its own: "，增加了7.60万元", "，增幅5%", "，增长5%".
_CHANGE_CLAUSE_RE = re.compile(
    rf"[，,、][ \t]{{0,2}}(?:同比)?(?P<dir>{_CHANGE_WORDS}|增幅|降幅|减幅)(?:了|为|达)?[ \t]{{0,2}}"
)
# "X万元，比上年增加d万元（，增长p%），上年为Y万元" / "…（上年Y万元）"
_CHANGE_FIRST_RE = re.compile(
    r"(?:比|较)(?:上年|去年|上一年)度?(?:同期)?[ \t]{0,2}(?:了[ \t]{0,2})?"
    rf"(?P<dir>{_CHANGE_WORDS})(?:了)?[ \t]{{0,2}}"
)
_LAST_YEAR_AFTER_RE = re.compile(
    r"[，,（(][ \t]{0,2}(?:上年|去年|上一年)度?(?:同期)?(?:决算数?|实际数?|支出数?)?"
    r"(?:为|是)?[ \t]{0,2}"
)
_APPROXIMATE_AFTER = ("左右", "余", "多", "以上", "以下", "上下")
_DOWN_RATE_WORDS = ("降幅", "减幅")


class Change(NamedTuple):
    """This year's and last year's figures with the change the text states between them."""

    current: Quantity
    previous: Quantity
    word: str
    word_span: tuple[int, int]
    delta: Quantity | None
    rate: Number | None
    said_start: int
    """Where the words stating the change begin ("增加7.60万元", "，增长5%": 增长)."""
    rate_start: int
    """Where the words stating the rate begin."""


def _approximate(text: str, end: int) -> bool:
    return text.startswith(_APPROXIMATE_AFTER, end)


def _stated_delta(text: str, at: int, unit: str) -> Quantity | None:
    delta = quantity_at(text, at)
    if delta is None or delta.unit != unit or _approximate(text, delta.end):
        return None
    return delta


def _stated_rate(text: str, at: int) -> Number | None:
    number = next(iter(find_numbers(text, at, min(len(text), at + 16))), None)
    if number is None or number.start != at or number.kind != "percent":
        return None
    if _approximate(text, number.end) or text[at - 1 : at] in ("约", "近"):
        return None
    return number


def _said_after(
    text: str, at: int, word: str, unit: str, word_start: int
) -> tuple[Quantity | None, Number | None, int]:
    """The amount and the rate of change stated from `at` on, each in its own clause or right
    after the word; a clause whose word says another direction ends the reading."""
    rate: Number | None = None
    right = _RIGHT_AFTER_RE.match(text, at)
    pos = right.end() if right is not None else at
    delta = _stated_delta(text, pos, unit)
    if delta is None:
        return None, _stated_rate(text, pos), word_start
    pos = delta.end
    clause = _CHANGE_CLAUSE_RE.match(text, pos)
    if clause is not None:
        said = clause.group("dir")
        same = (
            direction(word) < 0
            if said in _DOWN_RATE_WORDS
            else said == "增幅" or direction(said) == direction(word)
        )
        if same:
            rate = _stated_rate(text, clause.end())
            return delta, rate, clause.start("dir")
    return delta, rate, word_start


@lru_cache(maxsize=4)
def changes(text: str) -> tuple[Change, ...]:
    """Every statement of both years' figures and the change between them."""
    found: list[Change] = []
    for versus in versus_statements(text):
        if not versus.certain or versus.after < 0:
            continue
        at = versus.after
        if versus.word_span[1] != at:  # "由Y增加到X，增加d": the change has a clause of its own
            clause = _CHANGE_CLAUSE_RE.match(text, at)
            if clause is None or direction(clause.group("dir")) != direction(versus.word):
                continue
            said_start = clause.start("dir")
            delta, rate, rate_start = _said_after(
                text, clause.end(), versus.word, versus.current.unit, said_start
            )
        else:
            said_start = versus.word_span[0]
            delta, rate, rate_start = _said_after(
                text, at, versus.word, versus.current.unit, said_start
            )
        if delta is not None or rate is not None:
            found.append(Change(versus.current, versus.previous, versus.word,
                                versus.word_span, delta, rate, said_start, rate_start))  # fmt: skip
    for anchor in _CHANGE_FIRST_RE.finditer(text):
        current = quantity_ending(text, anchor.start())
        if current is None:
            continue
        word = anchor.group("dir")
        delta, rate, rate_start = _said_after(
            text, anchor.end(), word, current.unit, anchor.start("dir")
        )
        if delta is None:
            continue
        end = rate.end if rate is not None else delta.end
        last = _LAST_YEAR_AFTER_RE.match(text, end)
        previous = quantity_at(text, last.end()) if last is not None else None
        if previous is None or previous.unit != current.unit or _approximate(text, previous.end):
            continue
        # the rate against X and d is `change_rate_mismatch`'s: only d is checked here
        found.append(
            Change(current, previous, word, anchor.span("dir"), delta, None,
                   anchor.start("dir"), rate_start)
        )  # fmt: skip
    return tuple(found)


def change_amounts(ctx: Context) -> Iterator[Issue]:
    """ "X，比上年的Y增加d（，增长p%）", "X，上年Y，减少d", "X，比上年增加d，上年为Y": the
    stated change against the two figures, d = |X − Y| and p = |X − Y| ÷ Y. A change word the
    figures contradict is `change_word_mismatch`'s, not this check's."""
    text = ctx.text
    zh = ctx.config.lang == "zh"
    for change in changes(text):
        cur, prev = change.current, change.previous
        difference = cur.value - prev.value
        said = direction(change.word)
        if said == 0 or (said > 0) != (difference > 0) or not difference:
            continue
        unit = cur.unit
        figures = (
            f"本年{num(cur.value)}{unit} − 上年{num(prev.value)}{unit}"
            if zh
            else f"this year {num(cur.value)} − last year {num(prev.value)} {unit}"
        )
        spans = [(prev.start, prev.end), (cur.start, cur.end)]
        delta = change.delta
        if delta is not None:
            tolerance = cur.tolerance + prev.tolerance + delta.tolerance + ctx.slack
            if abs(abs(difference) - delta.value) > tolerance:
                yield Issue(
                    subject=f"delta@{delta.start}",
                    params={
                        "arithmetic": f"{figures} = {num(difference)}{unit}",
                        "said": text[change.said_start : delta.end],
                    },
                    reported=delta.value,
                    computed=abs(difference),
                    tolerance=tolerance,
                    spans=(*spans, (change.said_start, delta.end)),
                )
                continue  # a wrong amount of change: its rate says nothing more
        rate = change.rate
        if rate is None or prev.value <= 0 or text[rate.start - 1 : rate.start] in "-－—":
            continue
        computed = abs(difference) / prev.value * HUNDRED
        tolerance = (
            HUNDRED * (cur.tolerance + prev.tolerance) / prev.value
            + computed * prev.tolerance / prev.value
            + 2 * half_unit(rate.decimals)
            + ctx.slack
        )
        if abs(computed - rate.value) <= tolerance:
            continue
        yield Issue(
            subject=f"rate@{rate.start}",
            params={
                "arithmetic": f"（{figures}）÷ 上年{num(prev.value)}{unit} = {rounded(computed)}%"
                if zh
                else f"({figures}) ÷ last year {num(prev.value)} = {rounded(computed)}%",
                "said": text[change.rate_start : rate.end],
            },
            reported=rate.value,
            computed=computed,
            tolerance=tolerance,
            spans=(*spans, (change.rate_start, rate.end)),
        )


# ---- 完成年初预算的Z% against the 决算 and 预算 stated with it -------------------------------


def _label(which: str, zh: bool) -> str:
    if zh:
        return f"{which}预算"
    return {"年初": "initial budget", "调整": "adjusted budget", "全年": "full-year budget"}.get(
        which, "budget"
    )


def completion_rates(ctx: Context) -> Iterator[Issue]:
    """ "年初预算为A万元，支出决算为B万元，完成年初预算的Z%": Z = B ÷ A × 100. An error when the
    item states one 决算 and one 预算 of the kind named; a warning when it states several (the
    rate may be of another); a 预算 of 0 is `completion_of_zero_budget`'s."""
    zh = ctx.config.lang == "zh"
    for found in completions(ctx.text):
        if not found.finals or not found.budgets:
            continue
        final, budget = found.finals[-1], found.budgets[-1]
        if budget.value == 0 or final.unit != budget.unit:
            continue
        tried = [
            _computed(found, f, b, ctx)
            for f in set(found.finals)
            for b in set(found.budgets)
            if b.value and f.unit == b.unit
        ]
        if any(abs(c - found.rate.value) <= t for c, t in tried):
            continue
        computed, tolerance = _computed(found, final, budget, ctx)
        certain = (
            len({q.value for q in found.finals}) == 1 and len({q.value for q in found.budgets}) == 1
        )
        label = _label(found.which, zh)
        yield Issue(
            subject=f"completion@{found.start}",
            params={
                "said": ctx.text[found.start : found.rate.end],
                "formula": (
                    f"决算{num(final.value)}{final.unit} ÷ {label}{num(budget.value)}{budget.unit}"
                    if zh
                    else f"final account {num(final.value)} ÷ {label} {num(budget.value)}"
                ),
                "computed": rounded(computed),
            },
            reported=found.rate.value,
            computed=computed,
            tolerance=tolerance,
            spans=(
                (budget.start, budget.end),
                (final.start, final.end),
                (found.start, found.rate.end),
            ),
            severity=None if certain else "warning",
        )


def _computed(
    found: Completion, final: Quantity, budget: Quantity, ctx: Context
) -> tuple[Decimal, Decimal]:
    computed = final.value / budget.value * HUNDRED
    relative = final.tolerance / final.value if final.value else Decimal(0)
    relative += budget.tolerance / budget.value
    return computed, 2 * half_unit(found.rate.decimals) + computed * relative + ctx.slack


def completion_of_zero_budget(ctx: Context) -> Iterator[Issue]:
    """A completion rate over a 预算 of 0: no rate can be computed, whatever is printed."""
    for found in completions(ctx.text):
        if not found.budgets or found.budgets[-1].value != 0:
            continue
        budget = found.budgets[-1]
        yield Issue(
            subject=f"zero@{found.start}",
            params={
                "label": _label(found.which, ctx.config.lang == "zh"),
                "said": ctx.text[found.start : found.rate.end],
            },
            spans=((budget.start, budget.end), (found.start, found.rate.end)),
        )


# ---- 超额完成 / 全面完成 / 未完成 against the rate beside ---------------------------------------

_RATE_WORD_RE = re.compile(r"(?P<kind>完成|执行|达成)率(?:为|达到?|是|[：:])?[ \t]{0,2}")
_OVER_RE = re.compile(r"超额完成|超出预期|超过预期|全面完成|全部完成")
_UNDER_RE = re.compile(r"未(?:能|全面|全部|能全面|能全部)?完成|没有完成")
_EXCEEDING = ("超额完成", "超出预期", "超过预期")
_NEGATION_BEFORE = ("未", "没有", "未能", "尚未", "无", "不存在")
_NOT_A_PREDICATE_RE = re.compile(r"(?:的)?(?:原因|情况|事项|项目|指标|部分)|[0-9０-９]")
_GENERIC_RE = re.compile(
    r"(?:了)?(?:全年|年度|本年|今年|各项|全部|既定|预定|预期|绩效|工作|整体|总体|的)*"
    r"(?:目标任务|目标|任务|计划|指标)?(?:任务)?"
)
_SENTENCE_END = "。；;！!？?\n"
_CLAUSE_SEPARATORS = "，,"


class _RateStated(NamedTuple):
    topic: str
    """The rate's label without its kind ("污水管网改造" of 污水管网改造完成率)."""
    kind: str
    """完成, 执行 or 达成."""
    rate: Number
    start: int


def _topic(text: str, end: int) -> str:
    k = end
    while k > 0 and end - k < 12 and "\u4e00" <= text[k - 1] <= "\u9fff":
        k -= 1
    return text[k:end]


def _generic(words: str) -> bool:
    match = _GENERIC_RE.fullmatch(words)
    return match is not None


def _clause_bounds(text: str, at: int, start: int, end: int) -> tuple[int, int]:
    left = max((text.rfind(ch, start, at) for ch in _CLAUSE_SEPARATORS), default=-1)
    right = min(
        (i for i in (text.find(ch, at, end) for ch in _CLAUSE_SEPARATORS) if i >= 0),
        default=end,
    )
    return (max(start, left + 1), right)


def completion_words(ctx: Context) -> Iterator[Issue]:
    """ "完成率96%，超额完成年度目标", "任务完成率100%，未完成年度任务": the words against the
    rate of the same target beside them (the clause of the rate or the next, no other rate
    between). An error when the words name the rate's target (or it is a bare 完成率 and the
    words a bare target); a warning when a 完成率 of one target meets words about the year's
    targets, or 执行率 meets 超额完成; nothing when they are about different things."""
    text = ctx.text
    if "率" not in text or "完成" not in text:
        return
    for match in _RATE_WORD_RE.finditer(text):
        number = next(iter(find_numbers(text, match.end(), min(len(text), match.end() + 16))), None)
        if number is None or number.start != match.end() or number.kind != "percent":
            continue
        if text.startswith(_APPROXIMATE_AFTER, number.end):
            continue
        topic = _topic(text, match.start())
        stated = _RateStated(topic, match.group("kind"), number, match.start() - len(topic))
        issue = _word_against_rate(ctx, stated)
        if issue is not None:
            yield issue


def _word_against_rate(ctx: Context, stated: _RateStated) -> Issue | None:
    text, rate = ctx.text, stated.rate
    begin = max(text.rfind(ch, 0, stated.start) for ch in _SENTENCE_END) + 1
    ends = [i for i in (text.find(ch, rate.end) for ch in _SENTENCE_END) if i >= 0]
    finish = min(ends, default=len(text))
    own = _clause_bounds(text, rate.start, begin, finish)
    # the clause before the rate's and the one after it
    before = _clause_bounds(text, own[0] - 1, begin, finish) if own[0] > begin else own
    after = _clause_bounds(text, own[1] + 1, begin, finish) if own[1] < finish else own
    window = (before[0], after[1])
    cells = text[window[0] : window[1]]
    if "\t" in cells or "|" in cells or "   " in cells:
        return None  # a flattened table row: its cells are no sentence
    percents = [n for n in find_numbers(text, *window) if n.kind == "percent"]
    if len(percents) != 1:
        return None  # another rate beside: the words may be about it
    step = 2 * half_unit(rate.decimals)
    found: tuple[re.Match[str], bool] | None = None
    for pattern, under in ((_UNDER_RE, True), (_OVER_RE, False)):
        for word in pattern.finditer(text, *window):
            lead = text[max(window[0], word.start() - 2) : word.start()]
            if not under and lead.endswith(_NEGATION_BEFORE):
                continue  # 未全面完成: the under-word reads it
            if under and lead.endswith(("无", "不存在", "没有")):
                continue  # 无未完成: nothing left undone
            found = (word, under)
            break
        if found is not None:
            break
    if found is None:
        return None
    word, under = found
    if under and rate.value + step < HUNDRED:
        return None
    if not under and rate.value + step >= HUNDRED:
        return None
    clause = _clause_bounds(text, word.end(), window[0], window[1])
    obj = text[word.end() : clause[1]]
    if under and _NOT_A_PREDICATE_RE.match(obj):
        return None  # 未完成原因, 未完成的2项: not a statement about this target
    certainty = _same_target(stated, word.group(), obj)
    if certainty is None:
        return None
    return Issue(
        subject=f"word@{word.start()}",
        params={
            "word": word.group(),
            "rate": text[stated.start : rate.end],
        },
        reported=rate.value,
        computed=HUNDRED,
        tolerance=step,
        spans=((stated.start, rate.end), word.span()),
        severity=None if certainty else "warning",
    )


def _same_target(stated: _RateStated, word: str, obj: str) -> bool | None:
    """True: the words and the rate are about one target; False: perhaps (a warning); None:
    about different things, or no telling."""
    topic = "" if _generic(stated.topic) else stated.topic
    generic_obj = _generic(obj)
    if stated.kind == "执行":
        if "预算" in obj or "执行" in obj:
            return True
        return False if generic_obj and word in _EXCEEDING else None
    if len(topic) >= 2 and topic in obj:
        return True
    if not generic_obj:
        return None
    return not topic
