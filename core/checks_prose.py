"""Checks on prose: a total and its parts in any unit, and words against the figures beside them.

The discipline: a finding is an error only when every number in it was read with certainty
(right label, year and unit, nothing in between that could be read another way); a reading
with any doubt left is at most a warning, and a sentence that cannot be read is no finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from core.arithmetic import (
    HUNDRED,
    change_statements,
    half_unit,
    number_tolerance,
    one_digit_edit,
)
from core.check_context import Context, Issue, num
from core.numbers import Number, find_numbers, parse_chinese_numeral
from core.rules import SUM_RELATIONS

# ---- quantities: a number with its unit, as a part or a total can be ---------------------

# Units of things counted or measured (money is read by `Number.in_wan`). One spelling each.
_MEASURE_RE = re.compile(
    r"[ \t]?(公里|千米|平方米|立方米|公顷|人次|米|亩|户|人|名|个|项|家|座|所|处|条|间|台|辆|套"
    r"|吨|株|棵|头|只|场|批|册|件|篇|栋|口|眼|盏|班|床|张|次)"
)
_SAME_UNIT = {"千米": "公里", "名": "人"}
_MEASURED = frozenset(("公里", "平方米", "立方米", "公顷", "米", "亩", "吨"))
"""Units of measures, rounded when printed; the other units count things, exactly."""
_MEASURES_FOUND = frozenset(("人次", "人", "名", "个", "项", "家", "户", "公里", "亩", "次"))
# A per-unit standard (800元/人, 元/生·年, 每人800元, 人均…) or a duration (3个月) is never an
# amount of its own.
_PER_AFTER_RE = re.compile(r"[ \t]?(?:[/／每]|月|工作日|小时|百分点)")
_PER_BEFORE_RE = re.compile(
    r"(?:每|人均|户均|生均|平均|标准|单价|第|约|近|超过|不足|以上)[^，,、；;。\n]{0,3}$"
)


class Quantity(NamedTuple):
    """An amount (in 万元) or a count or measure, with its span and rounding."""

    value: Decimal
    unit: str
    """万元 for money; the counted or measured unit otherwise (公里, 人, 个…)."""
    start: int
    end: int
    tolerance: Decimal
    number: Number


def quantity(text: str, number: Number) -> Quantity | None:
    """The number as a quantity a total or a part can be, or None (a rate, a year, a date, a
    score, a code, a per-unit standard, a number without a unit)."""
    end = number.end
    if number.kind == "money":
        value = number.in_wan()
        if value is None:  # pragma: no cover - money always converts
            return None
        unit, tolerance = "万元", number_tolerance(number)
    else:
        if number.unit in _MEASURES_FOUND:
            unit = number.unit
        elif number.unit:
            return None  # %, 分, 年, 月, 日, 个百分点…
        else:
            measure = _MEASURE_RE.match(text, number.digits_end)
            if measure is None:
                return None
            unit, end = measure.group(1), measure.end()
        unit = _SAME_UNIT.get(unit, unit)
        value, tolerance = number.value, half_unit(number.decimals)
        if unit not in _MEASURED and not number.decimals:
            tolerance = Decimal(0)  # a count is exact
    if _PER_AFTER_RE.match(text, end):
        return None
    if _PER_BEFORE_RE.search(text[max(0, number.start - 8) : number.start]):
        return None
    return Quantity(value, unit, number.start, end, tolerance, number)


# ---- totals and their parts ----------------------------------------------------------------

# Where a list of parts starts. 由 and 即 start one only with their closing words (构成, 加).
_MARKER_RE = re.compile(r"其中|由|分为|分成|包括|包含|即")
CLAUSE_END_RE = re.compile(r"[。；;！!？?\n]")
# The last character of every quantity: of a money unit, of a measure.
_UNIT_ENDS = frozenset("元万里米顷次户人名个项家座所处条间台辆套吨株棵头只场批册件篇栋口眼盏班床张")
_CLOSE_BRACKETS = "）)"
_OPEN_BRACKETS = "（("
_CLOSING_RE = re.compile(r"(?:组成|构成)")
_COUNT_CLOSING_RE = re.compile(
    r"[ \t]{0,2}(?:等[ \t]{0,2})?(?:共)?(?P<n>[两二三四五六七八九十]|[2-9])"
    r"(?:个|大)?(?:部分|方面|块)"
)
# Words in the text between two parts that make the next number something other than a part:
# a comparison, a change, a share, a standard, progress.
_NOT_A_LIST_RE = re.compile(
    r"比|较|同比|环比|增加|增长|减少|下降|降低|提高|上升|占|每|人均|平均|标准|完成|到位|拨付|"
    r"支付|累计|剩余|超支|节约|结余率|执行率|合计|总计|共计|其中"
)
_JOINERS_RE = re.compile(r"、|和|及|以及|与|加上?|[，,]")
_FILLER = "为是：: \t"


@dataclass(frozen=True)
class PartsList:
    """A total followed by its parts in prose."""

    total: Quantity
    parts: tuple[Quantity, ...]
    closed: bool
    """The wording says the parts are the whole (由…构成, 分为, 包括…两部分, 即…加…)."""
    certain: bool
    """Every number between the total and the list's end was read as a part or set aside
    for a reason that leaves no doubt."""
    open_ended: bool
    """The list ends in 等 (etc.): parts may be left unlisted."""
    marker: str
    end: int
    spans: tuple[tuple[int, int], ...] = ()
    """The statements: the total and each part, each with its label ("柳湾村2.5公里"). A
    finding shows first the whole, from the total to the last part."""


@lru_cache(maxsize=4)
def parts_lists(text: str) -> tuple[PartsList, ...]:
    """Every "total, 其中/由/分为/包括 parts" of the text."""
    found = []
    for marker in _MARKER_RE.finditer(text):
        parsed = _parts_list(text, marker)
        if parsed is not None:
            found.append(parsed)
    return tuple(found)


def _total_before(text: str, at: int, marker: str) -> Quantity | None:
    """The total a list marker at `at` follows ("X万元，其中", "X万元（含…），其中", "X万元。由",
    "28个派驻机构（其中…）")."""
    k = at
    if k > 0 and text[k - 1] in _OPEN_BRACKETS and marker == "其中":
        # "N个LABEL（其中…）", "LABEL N个（其中…）": at most a short label between.
        numbers = list(find_numbers(text, max(0, k - 40), k - 1))
        total = quantity(text, numbers[-1]) if numbers else None
        if total is None:
            return None
        label = text[total.end : k - 1]
        if len(label) > 10 or not all("\u4e00" <= ch <= "\u9fff" for ch in label):
            return None
        return total
    while k > 0 and at - k < 4 and text[k - 1] in "，,：: \t":
        k -= 1
    if marker == "由" and k == at and k > 0 and text[k - 1] == "。":
        k -= 1  # "…X万元。由A a万元…构成。": the sentence has no subject of its own
    if k > 0 and text[k - 1] in _CLOSE_BRACKETS:
        # "X万元（含存量资金x万元），其中…": the bracket is not the total
        opening = max(text.rfind("（", max(0, k - 60), k), text.rfind("(", max(0, k - 60), k))
        if opening < 0:
            return None
        k = opening
        while k > 0 and text[k - 1] in " \t":
            k -= 1
    if k == 0 or text[k - 1] not in _UNIT_ENDS:
        if marker == "其中" and k > 0 and _is_hanzi(text[k - 1]):
            return _count_first_total(text, k)
        return None  # no quantity ends here (the common case: 由/即/包括 in a sentence)
    candidates = list(find_numbers(text, max(0, k - 30), k))
    for number in reversed(candidates):
        total = quantity(text, number)
        if total is None:
            if number.end >= k - 1:
                return None
            continue
        if total.end != k:
            return None
        return total
    return None


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _count_first_total(text: str, k: int) -> Quantity | None:
    """ "28个行政村，其中…": a count, then a short label of the thing counted, ending at `k`."""
    numbers = list(find_numbers(text, max(0, k - 16), k))
    total = quantity(text, numbers[-1]) if numbers else None
    if total is None or total.unit in _MEASURED or total.unit == "万元":
        return None
    label = _label_after(text, total.end, k)
    return total if label and total.end + len(label) == k else None


_COUNT_LABEL_STOP_RE = re.compile(r"[、，,；;。：:\n（()）]")


def _label_after(text: str, start: int, limit: int) -> str:
    """The short label of a count written before it ("21个内设机构" → 内设机构): Chinese
    characters only, up to the next separator, and no words of a change or progress."""
    stop = _COUNT_LABEL_STOP_RE.search(text, start, min(limit, start + 12))
    label = text[start : stop.start() if stop is not None else min(limit, start + 12)]
    if not 0 < len(label) <= 10 or not all(_is_hanzi(ch) for ch in label):
        return ""
    if stop is None and start + len(label) < limit:
        return ""  # longer than a label
    if label.endswith("等"):
        label = label[:-1]  # "…、7个非贫困村等": the 等 ends the list, not the label
    return "" if _NOT_A_LIST_RE.search(label) else label


def _total_head(text: str, total: Quantity, at: int) -> str:
    """The last character of the total's label: the thing counted ("下设机构20个" → 构,
    "28个行政村" → 村)."""
    after = text[total.end : at].rstrip("，,：: \t（(")
    if after and all(_is_hanzi(ch) for ch in after):
        return after[-1]
    before = text[_statement_start(text, total.start) : total.start].rstrip(_FILLER)
    return before[-1] if before and _is_hanzi(before[-1]) else ""


def _visible(text: str, start: int, end: int) -> str:
    """text[start:end] without what is in brackets."""
    out, depth = [], 0
    for ch in text[start:end]:
        if ch in _OPEN_BRACKETS:
            depth += 1
        elif ch in _CLOSE_BRACKETS and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def _label_suffix(gap: str) -> str:
    """The last character of an item's label: "，庙沟村" → 村."""
    label = re.split(r"[、，,；;]", gap)[-1].rstrip(_FILLER)
    return label[-1] if label else ""


def _parts_list(text: str, marker: re.Match[str]) -> PartsList | None:
    word = marker.group()
    before = _total_before(text, marker.start(), word)
    if before is None:
        return None
    total = before
    start = marker.end()
    clause_end = CLAUSE_END_RE.search(text, start, start + 300)
    limit = clause_end.start() if clause_end is not None else min(len(text), start + 300)
    closed = word in ("分为", "分成")
    if word == "由":
        closing = _CLOSING_RE.search(text, start, limit)
        if closing is None:
            return None  # 由 as "by": "由县财政局下达…"
        limit, closed = closing.start(), True
    nested = text.find("其中", start, limit)
    if nested >= 0:
        limit = nested
    parts: list[Quantity] = []
    spans = [(_statement_start(text, total.start), total.end)]
    certain = True
    pos, separator, suffix = start, "", ""
    # "28个行政村，其中21个A村，7个B村": counts before their labels, each label naming a kind
    # of the thing the total counts (its last character); None until the first part says.
    leading: bool | None = None
    labelled = total.end < marker.start() and _is_hanzi(text[total.end])
    total_leads = labelled and text[marker.start() - 1] not in _OPEN_BRACKETS
    if labelled:  # the total's span takes its label: "28个行政村"
        label_end = total.end + len(text[total.end : marker.start()].rstrip("，,：: \t（("))
        spans[0] = (spans[0][0], label_end)
    head = _total_head(text, total, marker.start()) if total.unit != "万元" else ""
    for number in find_numbers(text, start, limit):
        depth = _depth_change(text, start, number.start)
        if depth < 0:
            limit = number.start  # past the bracket the list stood in
            break
        if depth > 0:
            continue  # "（其中购置费0万元…）" breaks an item down further
        part = quantity(text, number)
        gap = _visible(text, pos, number.start)
        doubtful = (
            part is None
            or part.unit != total.unit
            or _NOT_A_LIST_RE.search(gap) is not None
            or any(ch.isdigit() for ch in gap)
        )
        joiner = _JOINERS_RE.search(gap) if parts else None
        if not doubtful and parts and joiner is None:
            doubtful = True  # two amounts with nothing between them
        label = ""
        if not doubtful and part is not None and leading is not False:
            label = _label_after(text, part.end, limit) if head else ""
            if leading is None:
                leading = bool(label) and not gap.strip(_FILLER)
                if total_leads and not leading:
                    return None  # "28个村，其中…" is read only with counts leading their labels
            if leading and (not label or label[-1] != head):
                if not parts:
                    return None
                doubtful = True  # "21个村通硬化路": not a kind of the thing counted
        if not doubtful and parts and not closed:
            sep = "，" if joiner is not None and joiner.group() in "，," else "、"
            if separator and sep != separator:
                break  # "甲3.4公里、乙1.9公里，新修水渠5.2公里": a new clause
            if sep == "，" and not leading and (not suffix or _label_suffix(gap) != suffix):
                break  # comma-separated items name things of one kind (…村, …村)
            separator = sep
        if doubtful:
            if not closed:
                break  # something else is being said: the list is over
            certain = False
            pos = part.end if part is not None else number.end
            continue
        assert part is not None
        if not parts:
            suffix = _label_suffix(gap)
        if word == "即" and parts and "加" not in gap:
            return None
        parts.append(part)
        if leading:
            spans.append((part.start, part.end + len(label)))
            pos = part.end + len(label)
        else:
            spans.append((_label_start(text, pos, number.start), part.end))
            pos = part.end
    if len(parts) < 2:
        return None
    tail = _visible(text, pos if leading else parts[-1].end, limit)
    open_ended = tail.lstrip(" \t").startswith("等")
    if word in ("包括", "包含"):
        count = _COUNT_CLOSING_RE.match(tail)
        if count is not None:
            closed = True
            n = count.group("n")
            stated = parse_chinese_numeral(n) or int(n)
            certain = certain and stated == len(parts)
    if word == "即" and not closed:
        closed = True
    if closed and word == "由" and len(tail.strip(" \t，,等")) > 6:
        certain = False
    return PartsList(total, tuple(parts), closed, certain, open_ended, word, limit, tuple(spans))


# Punctuation only: a label may hold 和 (商品和服务支出).
_ITEM_START_RE = re.compile(r"[、，,：:；;]")


def _label_start(text: str, start: int, at: int) -> int:
    """Where the label of the part at `at` begins: after the last separator before it."""
    begin = start
    for match in _ITEM_START_RE.finditer(text, start, at):
        begin = match.end()
    return begin if begin < at else start


def _statement_start(text: str, at: int) -> int:
    """Where the clause stating the number at `at` begins (20 characters back at most)."""
    k = at
    while k > 0 and at - k < 20 and text[k - 1] not in "，,。；;：:、\n（(":
        k -= 1
    return k


def _depth_change(text: str, start: int, end: int) -> int:
    segment = text[start:end]
    return (segment.count("（") + segment.count("(")) - (segment.count("）") + segment.count(")"))


# ---- the same total stated twice -------------------------------------------------------------


class Statement(NamedTuple):
    """A total stated in prose: its label, the year it names (0: none) and its quantity."""

    label: str
    year: int
    amount: Quantity
    unit: str
    """The unit as written (万元 and 元 are not the same statement)."""
    start: int
    """Offset of the label."""
    paragraph: int
    """Offset of the paragraph's first character."""
    printed: str
    """The number as printed, a lone thousands separator in front included (",867.48")."""


_TOTAL_WORD_RE = re.compile(r"总计|合计|总额")
_LABEL_STOP = "，,。；;：:\n、（）()“”\"'"
_LEADING_RE = re.compile(r"^(?:其中|由|加上?|和|及|即|共|全年|截至|截止)+")
_YEAR_RE = re.compile(r"(20[0-9]{2})年度?")
_AFTER_LABEL_RE = re.compile(r"[各为是达共计约：: \t]{0,3}")


@lru_cache(maxsize=4)
def total_statements(text: str) -> tuple[Statement, ...]:
    """Every "…总计/合计/总额 X unit" of the text."""
    found = []
    for word in _TOTAL_WORD_RE.finditer(text):
        start = word.start()
        while start > 0 and word.start() - start < 16 and text[start - 1] not in _LABEL_STOP:
            start -= 1
        label = text[start : word.end()]
        if any(ch.isdigit() for ch in _YEAR_RE.sub("", label)):
            continue
        years = _YEAR_RE.findall(label)
        if len(set(years)) > 1:
            continue
        key = _LEADING_RE.sub("", _YEAR_RE.sub("", label)).strip()
        if not key or key in ("总计", "合计", "总额"):
            continue  # a bare 合计 names no total of its own (a table row)
        at = _AFTER_LABEL_RE.match(text, word.end()).end()  # type: ignore[union-attr]
        lost_group = False
        if at < len(text) and text[at] in ",，" and text[at + 1 : at + 4].isdigit():
            lost_group = text[at] == "," and not text[at + 4 : at + 5].isdigit()
            at += 1
        number = next(iter(find_numbers(text, at, min(len(text), at + 24))), None)
        if number is None or number.start != at:
            continue
        amount = quantity(text, number)
        if amount is None:
            continue
        paragraph = text.rfind("\n", 0, start) + 1
        printed = ("," if lost_group else "") + text[number.start : number.digits_end]
        unit = {"万": "万元"}.get(number.unit, number.unit) or amount.unit
        year = int(years[0]) if years else 0
        found.append(Statement(key, year, amount, unit, start, paragraph, printed))
    return tuple(found)


def _lost_digits(short: str, long: Decimal) -> bool:
    """ ",867.48" printed for 1,867.48: the leading digits and the separator's group lost."""
    if not short.startswith(","):
        return False
    digits = short[1:].replace(",", "")
    return f"{long:f}".replace(",", "").endswith(digits) and long >= 1000


def _typo_of(a: Statement, b: Statement) -> bool:
    """Does `a` look like `b` mistyped? Only among numbers of four digits or more: two totals
    of different scopes are seldom that close by chance (100 and 10 often are)."""
    digits = max(sum(ch.isdigit() for ch in s.printed) for s in (a, b))
    if digits < 4:
        return False
    return (
        one_digit_edit(a.printed.lstrip(","), b.amount.number.value)
        or _lost_digits(a.printed, b.amount.number.value)
        or _lost_digits(b.printed, a.amount.number.value)
    )


def _disagree(a: Statement, b: Statement) -> bool:
    return abs(a.amount.value - b.amount.value) > a.amount.tolerance + b.amount.tolerance


def stated_twice(ctx: Context) -> Iterator[Issue]:
    """The same total (same label, year and unit) stated with two values that look like one
    number mistyped (a digit dropped, changed or swapped; a leading group lost): a warning,
    never an error. Two statements of one label can name different scopes (支出总计 of the
    whole budget, then of the 政府性基金 section, the scope set by a heading), and a target
    beside its achievement repeats its label in a table or an indicator list; so statements
    of a paragraph, of a table line or of a target are not compared, and two values far apart
    are no finding. Even a certain typo leaves the report's arithmetic standing on the other
    statement: the reviewer corrects it after reading both."""
    for first, second in _typo_pairs(ctx.text):
        a, b = first.amount, second.amount
        hint = (
            f"疑似数字笔误：{first.printed}与{second.printed}只差一位数字",
            f"Likely a slipped digit: {first.printed} and {second.printed} differ by one digit",
        )
        yield Issue(
            subject=f"twice@{first.start}",
            params={
                "label": first.label,
                "first": num(a.value),
                "second": num(b.value),
                "unit": a.unit,
                "difference": num(abs(a.value - b.value)),
            },
            reported=b.value,
            computed=a.value,
            tolerance=a.tolerance + b.tolerance,
            spans=((first.start, a.end), (second.start, b.end)),
            hint=hint,
        )


@lru_cache(maxsize=4)
def _typo_pairs(text: str) -> tuple[tuple[Statement, Statement], ...]:
    """The first pair of statements of each total that look like one number mistyped."""
    statements = [s for s in total_statements(text) if _prose_line(text, s)]
    pairs = []
    reported: set[tuple[str, int, str]] = set()
    for i, first in enumerate(statements):
        key = (first.label, first.year, first.unit)
        if key in reported:
            continue
        for second in statements[i + 1 :]:
            if (second.label, second.year, second.unit) != key:
                continue
            if first.paragraph == second.paragraph or not _disagree(first, second):
                continue
            if not (_typo_of(first, second) or _typo_of(second, first)):
                continue
            reported.add(key)
            pairs.append((first, second))
            break
    return tuple(pairs)


_TARGET_RE = re.compile(r"目标|指标|计划|预期|预计|年度任务")


def _prose_line(text: str, statement: Statement) -> bool:
    """Is the statement in a line of prose (not a table row, not a target)?"""
    end = text.find("\n", statement.start)
    line = text[statement.paragraph : len(text) if end < 0 else end]
    if "\t" in line or "   " in line or line.count(statement.label) > 1:
        return False
    return _TARGET_RE.search(line) is None


def _restated(text: str, total: Quantity, computed: Decimal, tolerance: Decimal) -> bool:
    """Is the total one of two statements of a label that `stated_twice` reports, the other
    being the parts' sum (one typo, one finding)?"""
    for pair in _typo_pairs(text):
        for own, other in (pair, pair[::-1]):
            if own.amount.start == total.start:
                gap = abs(other.amount.value - computed)
                if gap <= tolerance + other.amount.tolerance:
                    return True
    return False


# ---- parts against their total ---------------------------------------------------------------


def _covered(ctx: Context, found: PartsList) -> bool:
    """A total of the vocabulary with its parts stated, or parts that are all figures of one
    sum of the vocabulary: the sum checks judge them."""
    by_start = {f.value_start: f.field for f in ctx.figures.values()}
    total = by_start.get(found.total.start)
    fields = {by_start.get(p.start) for p in found.parts}
    for relation in SUM_RELATIONS:
        if total == relation.total and any(p in ctx.figures for p in relation.parts):
            return True
        if relation.total in ctx.figures and fields <= set(relation.parts):
            return True
    return False


def _parts_issue(ctx: Context, found: PartsList, excess_only: bool) -> Issue | None:
    total = found.total
    computed = sum((p.value for p in found.parts), Decimal(0))
    tolerance = total.tolerance + sum((p.tolerance for p in found.parts), Decimal(0)) + ctx.slack
    difference = computed - total.value
    if difference <= tolerance and (excess_only or -difference <= tolerance):
        return None
    if _covered(ctx, found) or _restated(ctx.text, total, computed, tolerance):
        return None
    short = difference < 0
    certain = found.certain and not (short and found.open_ended)
    return Issue(
        subject=f"list@{total.start}",
        params={
            "parts": " + ".join(num(p.value) for p in found.parts),
            "computed": num(computed),
            "reported": num(total.value),
            "unit": total.unit,
            "difference": num(abs(difference)),
            "relation": ("少" if short else "多")
            if ctx.config.lang == "zh"
            else ("short" if short else "over"),
        },
        reported=total.value,
        computed=computed,
        tolerance=tolerance,
        spans=((found.spans[0][0], found.spans[-1][1]), *found.spans),
        severity=None if certain else "warning",
    )


def list_under_total(ctx: Context) -> Iterator[Issue]:
    """ "X，其中A a、B b…" in any one unit: the listed parts may not exceed the total (a
    其中 list may be partial: parts short of the total are no finding)."""
    for found in parts_lists(ctx.text):
        if found.closed:
            continue
        issue = _parts_issue(ctx, found, excess_only=True)
        if issue is not None:
            yield issue


def stated_parts(ctx: Context) -> Iterator[Issue]:
    """ "X，由A a和B b构成 / 分为… / 包括…两部分 / 即a加b": the parts are the whole, so they
    must add up to it, neither more nor less."""
    for found in parts_lists(ctx.text):
        if not found.closed:
            continue
        issue = _parts_issue(ctx, found, excess_only=False)
        if issue is not None:
            yield issue


# ---- words against the figures beside them ---------------------------------------------------

_UP_WORDS = ("增加", "增长", "上升", "提高", "增多")
_LEVEL_WORDS = ("持平", "相同", "相等", "一致")
_DIRECTION = r"增加|增长|上升|提高|增多|减少|下降|降低|持平|相同|相等|一致"
# "X万元，比上年（决算数）Y万元增加…", "X万元，较上年的Y万元…减少", "X万元，与上年Y万元相比，持平"
_VERSUS_LAST_YEAR_RE = re.compile(
    r"(?:比|较|与|同)(?:上年|去年|上一年)度?(?:同期)?(?:决算数?|实际数?|支出数?)?"
    r"(?:的|为)?[ \t]{0,2}"
)
_AFTER_PREVIOUS_RE = re.compile(
    r"[ \t]{0,2}(?:(?:相比|比较)[ \t]{0,2})?(?:[，,][ \t]{0,2})?(?:了[ \t]{0,2})?(?:基本)?"
    rf"(?P<dir>{_DIRECTION})"
)
# "X万元，上年Y万元，增加…" (certain), "X万元，上年为Y万元，支出增加的主要原因是…" (not: the
# reason's subject may be another amount)
_LAST_YEAR_BESIDE_RE = re.compile(
    r"[，,][ \t]{0,2}(?:上年|去年|上一年)度?(?:同期)?(?:决算数?|实际数?|支出数?)?"
    r"(?:为|是)?[ \t]{0,2}"
)
_NEXT_CLAUSE_WORD_RE = re.compile(
    r"[，,][ \t]{0,2}(?:(?:比上年|较上年|同比)[ \t]{0,2})?(?:了[ \t]{0,2})?"
    rf"(?P<dir>{_DIRECTION})"
)
_REASON_RE = re.compile(rf"(?P<dir>{_DIRECTION})的(?:主要)?原因")
# "由（上年的）Y万元增加到X万元", "从Y人减少至X人"
_FROM_TO_RE = re.compile(r"(?:由|从)(?:上年度?的?|去年的?)?[ \t]{0,2}")
_FROM_TO_VERB_RE = re.compile(rf"[ \t]{{0,2}}(?P<dir>{_DIRECTION})(?:了)?(?:到|至|为)[ \t]{{0,2}}")


def direction(word: str) -> int:
    """+1 up, -1 down, 0 level."""
    if word in _LEVEL_WORDS:
        return 0
    return 1 if word in _UP_WORDS else -1


def quantity_at(text: str, at: int) -> Quantity | None:
    """The quantity whose number starts exactly at `at`."""
    number = next(iter(find_numbers(text, at, min(len(text), at + 30))), None)
    if number is None or number.start != at:
        return None
    return quantity(text, number)


def quantity_ending(text: str, at: int) -> Quantity | None:
    """The quantity ending at `at` (punctuation and blanks between allowed)."""
    k = at
    while k > 0 and at - k < 3 and text[k - 1] in "，, \t":
        k -= 1
    for number in reversed(list(find_numbers(text, max(0, k - 30), k))):
        found = quantity(text, number)
        return found if found is not None and found.end == k else None
    return None


class Versus(NamedTuple):
    current: Quantity
    previous: Quantity
    word: str
    word_span: tuple[int, int]
    certain: bool
    after: int
    """Where a stated change would follow ("…增加|7.60万元"); -1: none can."""


@lru_cache(maxsize=4)
def versus_statements(text: str) -> tuple[Versus, ...]:
    """Every statement of this year's and last year's figures with a change word."""
    return tuple(_find_versus(text))


def _find_versus(text: str) -> Iterator[Versus]:
    for anchor in _VERSUS_LAST_YEAR_RE.finditer(text):
        pair = _this_and_last(text, anchor)
        if pair is None:
            continue
        current, previous = pair
        word = _AFTER_PREVIOUS_RE.match(text, previous.end)
        if word is None or text[word.start("dir") - 2 : word.start("dir")] == "基本":
            continue  # 基本持平: level within a margin the text does not give
        yield Versus(current, previous, word.group("dir"), word.span("dir"), True, word.end())
    for anchor in _LAST_YEAR_BESIDE_RE.finditer(text):
        pair = _this_and_last(text, anchor)
        if pair is None:
            continue
        current, previous = pair
        word = _NEXT_CLAUSE_WORD_RE.match(text, previous.end)
        if word is not None:
            yield Versus(current, previous, word.group("dir"), word.span("dir"), True, word.end())
            continue
        found = CLAUSE_END_RE.search(text, previous.end)
        end = found.start() if found is not None else len(text)
        reason = _REASON_RE.search(text, previous.end, end)
        if reason is not None:
            yield Versus(current, previous, reason.group("dir"), reason.span("dir"), False, -1)
    for anchor in _FROM_TO_RE.finditer(text):  # "由Y增加到X"
        before = quantity_at(text, anchor.end())
        if before is None:
            continue
        verb = _FROM_TO_VERB_RE.match(text, before.end)
        if verb is None:
            continue
        after = quantity_at(text, verb.end())
        if after is None or after.unit != before.unit:
            continue
        yield Versus(after, before, verb.group("dir"), verb.span("dir"), True, after.end)


def _this_and_last(text: str, anchor: re.Match[str]) -> tuple[Quantity, Quantity] | None:
    """This year's quantity ending before the anchor (比上年, 上年) and last year's after it,
    in one unit."""
    previous = quantity_at(text, anchor.end())
    if previous is None:
        return None
    current = quantity_ending(text, anchor.start())
    if current is None or current.unit != previous.unit:
        return None
    return current, previous


def change_words(ctx: Context) -> Iterator[Issue]:
    """增加/减少/持平 beside this year's and last year's figures that say otherwise; and a
    change statement whose amount and rate words disagree ("减少2万元，增长5%")."""
    text = ctx.text
    zh = ctx.config.lang == "zh"
    for found in versus_statements(text):
        cur, prev = found.current, found.previous
        tolerance = cur.tolerance + prev.tolerance + ctx.slack
        difference = cur.value - prev.value
        said = direction(found.word)
        actual = 0 if abs(difference) <= tolerance else (1 if difference > 0 else -1)
        if said == actual or (said != 0 and actual == 0):
            continue  # equal within rounding: a small change may hide in it
        yield Issue(
            subject=f"word@{found.word_span[0]}",
            params={
                "word": found.word,
                "figures": (
                    f"本年{num(cur.value)}{cur.unit} − 上年{num(prev.value)}{cur.unit} = "
                    f"{num(difference)}{cur.unit}"
                    if zh
                    else f"this year {num(cur.value)} − last year {num(prev.value)} = "
                    f"{num(difference)} {cur.unit}"
                ),
                "actual": _actual_word(actual, zh),
            },
            reported=cur.value,
            computed=prev.value,
            tolerance=tolerance,
            spans=((prev.start, prev.end), (cur.start, cur.end), found.word_span),
            severity=None if found.certain else "warning",
        )
    yield from _rate_word_conflicts(text, zh)


def _actual_word(direction: int, zh: bool) -> str:
    if zh:
        return ("减少", "持平", "增加")[direction + 1]
    return ("a decrease", "no change", "an increase")[direction + 1]


def _rate_word_conflicts(text: str, zh: bool) -> Iterator[Issue]:
    for statement in change_statements(text):
        says = statement.rate_says_decrease
        if says is None or says == statement.decrease:
            continue
        if text[statement.rate.start - 1 : statement.rate.start] in "-－—":
            continue  # "增长-5%": a negative rate says the same as 减少
        delta_word = "减少" if statement.decrease else "增加"
        rate_word = "下降" if says else "增长"
        delta = f"{num(statement.delta.value)}{statement.delta.unit}"
        yield Issue(
            subject=f"rateword@{statement.start}",
            params={
                "word": f"{rate_word}{num(statement.rate.value)}%",
                "figures": f"所述变动为{delta_word}{delta}"
                if zh
                else f"the change stated is {delta_word} {delta}",
                "actual": _actual_word(1 if delta_word == "增加" else -1, zh),
            },
            spans=((statement.start, statement.end),),
        )


# ---- 决算数大于/小于/等于预算数, 超额完成 ------------------------------------------------------

COMPARISON_RE = re.compile(
    r"决算数?(?:数)?(?P<word>大于|小于|等于|高于|低于|超过|少于|多于|超出)"
    r"(?P<which>年初|调整后?的?|全年)?预算数?"
)
_GREATER = ("大于", "高于", "超过", "多于", "超出")
_LESS = ("小于", "低于", "少于")
BUDGET_RE = re.compile(
    r"(?:(?P<which>年初|调整后?的?|全年)|(?<![共金营]))预算(?:数|金额|资金)?(?:为|是|共计)?"
    r"[ \t]{0,2}"
)
FINAL_RE = re.compile(r"(?:支出)?决算(?:数|金额)?(?:为|是|共计)?[ \t]{0,2}")


def labelled(
    pattern: re.Pattern[str], text: str, start: int, end: int
) -> list[tuple[str, Quantity]]:
    """(which, quantity) for every "LABEL X unit" of `pattern` in text[start:end]."""
    found = []
    for match in pattern.finditer(text, start, end):
        amount = quantity_at(text, match.end())
        if amount is not None and amount.end <= end:
            which = match.groupdict().get("which") or ""
            found.append((which[:2], amount))
    return found


def _contradicts(word: str, final: Quantity, budget: Quantity, slack: Decimal) -> bool:
    tolerance = final.tolerance + budget.tolerance + slack
    difference = final.value - budget.value
    if word in _GREATER:
        return difference < -tolerance
    if word in _LESS:
        return difference > tolerance
    return abs(difference) > tolerance


# "完成年初预算的80.42%", "为预算的116.9%": a completion rate, of the kind of 预算 named.
COMPLETION_RE = re.compile(
    r"(?:完成|为|占|达到?)(?P<which>年初|调整后?的?|全年)?预算数?的[ \t]{0,2}"
)
_APPROXIMATE_AFTER = ("左右", "余", "多", "以上", "以下", "上下")


class Completion(NamedTuple):
    """ "完成年初预算的Z%" with the 决算 and the 预算 stated before it in its item."""

    which: str
    """年初, 调整, 全年, or "" for a bare 预算."""
    rate: Number
    start: int
    """Offset of the words (完成…)."""
    finals: tuple[Quantity, ...]
    budgets: tuple[Quantity, ...]
    """The 预算 of the kind named (any, for a bare 预算)."""


@lru_cache(maxsize=4)
def completions(text: str) -> tuple[Completion, ...]:
    """Every "完成（年初）预算的Z%" of the text, each with what its item states before it (back to
    the line's start, the previous completion or comparison words, 300 characters at most)."""
    if "预算的" not in text:
        return ()
    stops = [m.end() for m in COMPARISON_RE.finditer(text)]
    found = []
    previous_end = 0
    for match in COMPLETION_RE.finditer(text):
        number = next(iter(find_numbers(text, match.end(), min(len(text), match.end() + 16))), None)
        if number is None or number.start != match.end() or number.kind != "percent":
            continue
        if text.startswith(_APPROXIMATE_AFTER, number.end):
            continue
        start = max(
            previous_end,
            text.rfind("\n", 0, match.start()) + 1,
            match.start() - 300,
            max((e for e in stops if e <= match.start()), default=0),
        )
        previous_end = number.end
        which = (match.group("which") or "")[:2]
        budgets = labelled(BUDGET_RE, text, start, match.start())
        named = [q for w, q in budgets if w == which] if which else [q for _, q in budgets]
        finals = [q for _, q in labelled(FINAL_RE, text, start, match.start())]
        found.append(Completion(which, number, match.start(), tuple(finals), tuple(named)))
    return tuple(found)


def _rate_contradicts(word: str, rate: Number) -> bool:
    tolerance = 2 * half_unit(rate.decimals)
    if word in _GREATER:
        return rate.value < HUNDRED - tolerance
    if word in _LESS:
        return rate.value > HUNDRED + tolerance
    return abs(rate.value - HUNDRED) > tolerance


def _completion_against_word(text: str, match: re.Match[str], start: int, zh: bool) -> Issue | None:
    """ "完成年初预算的80.42%。决算数大于预算数": the rate alone says which is larger, when its
    item states no amounts to judge the words by."""
    which = (match.group("which") or "")[:2]
    stated = [
        c
        for c in completions(text)
        if start <= c.start < match.start() and (not which or not c.which or c.which == which)
    ]
    if len(stated) != 1 or not _rate_contradicts(match.group("word"), stated[0].rate):
        return None
    rate = stated[0].rate
    said = text[stated[0].start : rate.end]
    return Issue(
        subject=f"compare@{match.start()}",
        params={
            "word": match.group(),
            "figures": f"同项称“{said}”" if zh else f"the same item says \u201c{said}\u201d",
        },
        reported=rate.value,
        computed=HUNDRED,
        tolerance=2 * half_unit(rate.decimals),
        spans=((stated[0].start, rate.end), match.span()),
        # a bare 预算数 is the 预算 the item names, when it names no other kind
        severity=None
        if which == stated[0].which or (not which and "调整" not in text[start : match.start()])
        else "warning",
    )


def comparison_words(ctx: Context) -> Iterator[Issue]:
    """ "决算数大于预算数的主要原因…" beside a 决算 and a 预算 that say otherwise: the
    paragraph before the words, back to the previous such words, states the 决算 and the 预算
    of the kind named (年初, 调整; any, for a bare 预算数), in one unit, and the words are wrong
    against every 预算 they may mean. An error when one 决算 is stated there; a warning when
    two different ones are (the words may be about either)."""
    text = ctx.text
    zh = ctx.config.lang == "zh"
    previous_end = 0
    for match in COMPARISON_RE.finditer(text):
        start = max(previous_end, text.rfind("\n", 0, match.start()) + 1, match.start() - 300)
        previous_end = match.end()
        finals = [q for _, q in labelled(FINAL_RE, text, start, match.start())]
        budgets = labelled(BUDGET_RE, text, start, match.start())
        which = (match.group("which") or "")[:2]
        named = [q for w, q in budgets if w == which] if which else [q for _, q in budgets]
        if not finals or not named:
            by_rate = _completion_against_word(text, match, start, zh)
            if by_rate is not None:
                yield by_rate
            continue
        final = finals[-1]
        word = match.group("word")
        if any(q.unit != final.unit for q in named) or not all(
            _contradicts(word, final, budget, ctx.slack) for budget in named
        ):
            continue  # within rounding, or a 预算 it may mean agrees: the words may be right
        budget = named[-1]
        certain = len({q.value for q in finals}) == 1
        tolerance = final.tolerance + budget.tolerance + ctx.slack
        yield Issue(
            subject=f"compare@{match.start()}",
            params={
                "word": match.group(),
                "figures": (
                    f"决算{num(final.value)}{final.unit}，预算{num(budget.value)}{budget.unit}"
                    if zh
                    else f"the final account is {num(final.value)} and the budget "
                    f"{num(budget.value)} {final.unit}"
                ),
            },
            reported=final.value,
            computed=budget.value,
            tolerance=tolerance,
            spans=((budget.start, budget.end), (final.start, final.end), match.span()),
            severity=None if certain else "warning",
        )


# ---- a zero where the text says the money arrived or was spent -------------------------------

_SPENT_CLAIM_RE = re.compile(
    r"(?:全部|全额|足额)(?P<a>支出|使用|支付|执行|用于|到位|拨付|下达)"
    r"|(?P<b>支出|使用|支付|拨付)完毕"
)
_ZERO_RE = re.compile(
    r"(?P<label>支出|使用|支付|执行|到位|拨付|下达)(?:资金|金额|数|额|率)?(?:为|是|了)?[ \t]{0,2}"
    r"(?P<zero>0(?:\.0+)?)[ \t]{0,2}(?P<unit>万元|元|%)"
)
_SPENDING = frozenset(("支出", "使用", "支付", "执行", "用于"))


def _kind(word: str) -> str:
    return "spent" if word in _SPENDING else "arrived"


def zero_against_spent(ctx: Context) -> Iterator[Issue]:
    """ "资金已全部支出…实际支出0万元", "已全部拨付到位…到位资金0万元", "执行率0%" beside
    "全部支出": a warning. The claim and the zero are in one sentence, of one kind (spent or
    arrived); whether both are about the same money the sentence does not always say."""
    text = ctx.text
    if "0" not in text:
        return
    for zero in _ZERO_RE.finditer(text):
        at = zero.start("zero")
        if at and (text[at - 1].isdigit() or text[at - 1] in ".,，"):
            continue
        end = zero.end("zero")
        if end < len(text) and text[end].isdigit():
            continue
        sentence_start = max(text.rfind(ch, 0, zero.start()) for ch in "。；;\n!?！？") + 1
        found = CLAUSE_END_RE.search(text, zero.end())
        sentence_end = found.start() if found is not None else len(text)
        kind = _kind(zero.group("label"))
        for claim in _SPENT_CLAIM_RE.finditer(text, sentence_start, sentence_end):
            if _kind(claim.group("a") or claim.group("b")) != kind:
                continue
            if text[max(sentence_start, claim.start() - 1) : claim.start()] in ("未", "不"):
                continue
            yield Issue(
                subject=f"zero@{zero.start()}",
                params={"claim": claim.group(), "zero": zero.group()},
                spans=(claim.span(), zero.span()),
            )
            break
