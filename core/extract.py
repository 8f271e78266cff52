"""Read the vocabulary's figures out of a report's text, each with the text that states it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from core.forms.reading import (
    find_forms,
    form_figures,
    form_projects,
    is_sure_form_figure,
    read_by_data_table,
)
from core.identity import find_unit, find_year
from core.lines import line_of, line_starts
from core.models import Extraction, Figure, Project, Report
from core.numbers import (
    Number,
    find_chinese_counts,
    find_daxie_amounts,
    find_numbers,
    plain_decimal,
    to_wan,
)
from core.patterns import PatternTimeout, TimedPattern
from core.poor_copy import ReadingText, reading_text
from core.projects import choose_projects, find_project_lists, report_project
from core.rules import (
    FIELD_RULES,
    RATE_RELATIONS,
    RULES_BY_KEY,
    SUM_RELATIONS,
    FieldRule,
    without_pattern,
)
from core.scanning import Scanner
from core.tables import find_tables, table_figures

# What may stand between a label and its number: "三公经费财政拨款支出决算为26.77万元".
_BRIDGE_WORDS = (
    r"[ \t:：]|为|是|达到?|共计?|合计|总计|计|完成|实现|约|支出|开支|决算数?|财政拨款|实际|全年"
    r"|累计|涉及|评定为?|评为|定为|[（(]含[^）)\n]{1,8}[）)]"
    r"|金额|总额|数|资金|了|额|[（(](?:单位[:：])?(?:万元|元|亿元|人|%)[）)]"
)
_BRIDGE_RE = re.compile(rf"(?:{_BRIDGE_WORDS}){{0,8}}")
_MAX_BRIDGE = 16
# A label right after these words states last year's figure or a change, not this year's.
_PREVIOUS_YEAR_RE = re.compile(r"(?:上年|去年|上一年|上年度|同期|比|较)(?:度)?(?:的)?$")
# A label after these words states the whole region's economy, not the unit's budget.
_REGION_RE = re.compile(
    r"(?:全镇|全乡|全县|全区|全市|全街道|辖区|地区|全域)(?:实现|完成)?(?:财政)?$"
)
# After the number: a threshold or a range ("90分以上", "100万元以下"), not a stated figure.
_THRESHOLD_RE = re.compile(r"^\s*(?:[（(]含[）)])?\s*(?:以上|以下|及以上|及以下|以内|至|~|～|的)")
# A retiree-inclusive total: "58人（含离退休16人）".
_INCLUDES_RETIRED_RE = re.compile(
    r"^\s*[（(]?\s*(?:含|包括)[^）)。；;\n]{0,20}?(?:离退休|退休|离休)"
    r"|^\s*[，,]\s*其中(?:在职|在编|在岗)"
    r"|^\s*[，,：:]?\s*其中[^。；;\n]{0,40}?(?:离退休|退休|离休)"
)
# A label that states the whole 编制 (not one kind of it).
_STAFF_TOTAL_LABEL_RE = re.compile(r"(?:核定|人员|机构|定)编制|编制(?:总数|人数|数)")
# Kinds of 编制 listed side by side ("政法专项编制47人、行政工勤编制5人"): each is a part, and the
# total is not stated (unless a label such as 编制数 states it).
_STAFF_KIND_RE = re.compile(r"编制\s*[0-9０-９一二三四五六七八九十两百]+\s*[人名个]")
# A label alone on its line, after a heading number ("（一）自评得分"), whose figure is the
# next line ("100分。").
_HEADING_BEFORE_RE = re.compile(
    r"(?:^|\n)[ \t]*(?:[（(][一二三四五六七八九十0-9]{1,3}[）)]|[一二三四五六七八九十]{1,3}、"
    r"|[0-9]{1,2}[.、．])[ \t]*$"
)
_HEADING_AFTER_RE = re.compile(r"(?<![ \t:：])[ \t:：]*\n(?:[ \t]*\n){0,3}[ \t]*")
_LINE_OF_VALUE_RE = re.compile(r"(?<![ \t])[ \t]*(?:[。.；;][ \t]*)?(?:\n|$)")
_GRADE_RE = re.compile(r"[“\"「]?(优秀|良好|优|良|中等|中|合格|差|较差|不合格)[”\"」]?")
_GRADE_VALUE = {
    "优秀": "优",
    "优": "优",
    "良好": "良",
    "良": "良",
    "中等": "中",
    "中": "中",
    "合格": "中",
    "差": "差",
    "较差": "差",
    "不合格": "差",
}
# "优、良、中、差" (the bands) or "“优”项目18个" (a count of projects): not the report's grade.
_GRADE_LIST_RE = re.compile(
    r"(?:[、/，,和或]\s*[“\"]?(?:优|良|中|差|合格)|\s*(?:项目|的|个|等级|类|档))"
)
# A sentence about project expenditure: the budget words in it are the projects' figures.
_PROJECT_SCOPE_RE = re.compile(
    r"项目(?:支出)?(?:共计?|合计|总计|共有)?\s*[0-9０-９一二三四五六七八九十两百]+\s*[个项]"
    r"|项目支出(?:方面|中|情况)"
)
_SENTENCE_END_RE = re.compile(r"[。；;！!？?\n]")
# In a sentence with these, a 总计 is the grand total of the final accounts (本年收入 plus
# carry-overs and transfers; FORMS.md), not the year's income or spending.
_CARRY_OVER_RE = re.compile(r"结转|结余|调节基金|上解|调入|调出")
# "收入、支出总计各X万元", "收支总计": the final accounts' two grand totals, one figure.
_BOTH_TOTALS_RE = re.compile(r"(?:收入[、和与及]|收)$")


def _sentence_start(text: str, at: int) -> int:
    start = 0
    for match in _SENTENCE_END_RE.finditer(text, max(0, at - 200), at):
        start = match.end()
    return start


def _sentence_end(text: str, at: int) -> int:
    found = _SENTENCE_END_RE.search(text, at, at + 200)
    return found.start() if found else min(len(text), at + 200)


_KIND_FOR_UNIT = {"万元": "money", "%": "percent", "人": "persons", "个": "count", "分": "score"}


@dataclass(frozen=True)
class _Candidate:
    rule: FieldRule
    field: str
    weak: bool
    label_start: int
    label_end: int
    value_start: int
    value_end: int
    number: Number | None
    grade: str | None = None


@lru_cache(maxsize=8)
def _compiled(
    rules: tuple[FieldRule, ...],
) -> tuple[tuple[FieldRule, re.Pattern[str] | TimedPattern, bool], ...]:
    compiled: list[tuple[FieldRule, re.Pattern[str] | TimedPattern, bool]] = []
    for rule in rules:
        compiled.extend((rule, TimedPattern(rule.key, user), False) for user in rule.user_patterns)
        if rule.wordings:
            compiled.append((rule, re.compile("|".join(f"(?:{w})" for w in rule.wordings)), False))
        if rule.weak_wordings:
            pattern = "|".join(f"(?:{w})" for w in rule.weak_wordings)
            compiled.append((rule, re.compile(pattern), True))
    return tuple(compiled)


@lru_cache(maxsize=8)
def _scanner(rules: tuple[FieldRule, ...]) -> Scanner:
    return Scanner([pattern for _, pattern, _ in _compiled(rules)])


def extract(report: Report, rules: Sequence[FieldRule] = FIELD_RULES) -> Extraction:
    """Read figures, projects, unit and year out of a report. Never raises on any text.

    A poor copy (OCR slips, pinyin glosses, traditional characters) is read through its
    repaired reading (core.poor_copy); every span still points into the display text."""
    if report.error or not report.text:
        return Extraction(report=report)
    reading = reading_text(report.text)
    if reading.origin is None:
        return _extract(report, rules)
    read = _extract(replace(report, text=reading.text), rules)
    return _grounded(read, report, reading)


def _grounded(read: Extraction, report: Report, reading: ReadingText) -> Extraction:
    """An extraction of the reading text, its spans moved to the display text."""
    text = report.text
    starts = line_starts(text)

    def figure(fig: Figure) -> Figure:
        start, end = reading.span(fig.start, fig.end)
        value_start, value_end = reading.span(fig.value_start, fig.value_end)
        return replace(
            fig,
            quote=text[start:end],
            start=start,
            end=end,
            line=line_of(starts, start),
            value_start=value_start,
            value_end=value_end,
            candidates=tuple(figure(c) for c in fig.candidates),
        )

    def project(item: Project) -> Project:
        start, end = reading.span(item.start, item.end)
        return replace(item, start=start, end=end, line=line_of(starts, start))

    return replace(
        read,
        report=report,
        figures=tuple(figure(f) for f in read.figures),
        projects=tuple(project(p) for p in read.projects),
        project_lists=tuple(tuple(project(p) for p in lst) for lst in read.project_lists),
        warnings=(*read.warnings, *reading.notes),
    )


def _extract(report: Report, rules: Sequence[FieldRule]) -> Extraction:
    text = report.text
    numbers = _numbers_by_start(text)
    starts = line_starts(text)
    year = find_year(text)
    tables = find_tables(text)
    forms = find_forms(text, year)
    lists = find_project_lists(text, starts, tables)
    from_forms = form_projects(starts, forms)
    if from_forms:
        lists = (from_forms, *lists)
    # A line that lists one project ("1.某专项资金，预算186.5万元，实际支出182.36万元") states
    # that project's figures, not the unit's.
    item_lines = {p.line for lst in lists for p in lst if p.source != "inline" or p.numbered}
    warnings: list[str] = []
    while True:  # a user pattern that runs out of time is left out, and the reader told
        try:
            prose = _prose_candidates(text, tuple(rules), numbers)
            break
        except PatternTimeout as slow:
            warnings.append(slow.warning(report.path))
            rules = without_pattern(rules, slow.user)
    candidates = [
        c
        for c in prose
        if c.rule.scope == "project" or line_of(starts, c.label_start) not in item_lines
    ]
    figures = [_to_figure(text, c, starts) for c in candidates]
    figures.extend(
        f
        for f in table_figures(text, starts, tables, year=year)
        if not read_by_data_table(forms, f.start)
    )
    figures.extend(form_figures(text, starts, forms))
    chosen = _choose(figures, tuple(rules))
    dominant_unit = _dominant_money_unit(numbers.values())
    chosen = _read_unit_slips(chosen, dominant_unit)
    chosen = _read_slips_in_sums(chosen)
    chosen = _read_slips_in_rates(chosen, dominant_unit)
    spending_project = next((f for f in chosen if f.field == "spending_project"), None)
    projects = choose_projects(lists, spending_project)
    unit = find_unit(text)
    if not projects:  # a report on one project names it in its title
        single = report_project(text, starts, unit)
        projects = (single,) if single is not None else ()
        if single is not None and not any(f.field == "spending_total" for f in chosen):
            spent = _spent_in_full(text, single, numbers, starts)
            chosen = [*chosen, spent] if spent is not None else chosen
            chosen.sort(key=lambda f: _FIELD_ORDER.get(f.field, len(_FIELD_ORDER)))
    return Extraction(
        report=report,
        unit=unit,
        year=year,
        figures=tuple(chosen),
        projects=projects,
        project_lists=lists,
        warnings=tuple(warnings),
        forms=forms,
    )


# The money of a one-project report said to be spent in full, with no amount of its own.
_SPENT_IN_FULL_RE = re.compile(
    r"全部(?:支出|使用|支付|拨付到位并使用)|(?:支出|使用|支付)完毕|已全额(?:支出|使用|支付)"
)
_FIELD_ORDER = {rule.key: i for i, rule in enumerate(FIELD_RULES)}


def _spent_in_full(
    text: str, project: Project, numbers: dict[int, Number], starts: Sequence[int]
) -> Figure | None:
    """实际支出 of a one-project report whose text says its money was spent in full ("项目资金
    28.6万元于10月下达…年底前全部支出"): the project's amount where a statement of it is
    followed, within two sentences and before any other amount, by 全部支出."""
    if project.amount is None:
        return None
    stated = sorted(
        (n for n in numbers.values() if n.kind == "money" and n.in_wan() == project.amount),
        key=lambda n: n.start,
    )
    for number in stated:
        window_end = _sentence_end(text, _sentence_end(text, number.end) + 1)
        spent = _SPENT_IN_FULL_RE.search(text, number.end, window_end)
        if spent is None or any(
            number.end <= at < spent.start() and n.kind == "money" for at, n in numbers.items()
        ):
            continue
        return Figure(
            field="spending_total",
            value=project.amount,
            unit="万元",
            as_written_unit=number.unit,
            quote=text[number.start : number.end],
            start=number.start,
            end=number.end,
            line=line_of(starts, number.start),
            value_start=number.start,
            value_end=number.digits_end,
            note=f"spent in full: {spent.group(0)}",
        )
    return None


def _numbers_by_start(text: str) -> dict[int, Number]:
    found: dict[int, Number] = {}
    for finder in (find_numbers, find_chinese_counts, find_daxie_amounts):
        for number in finder(text):
            found.setdefault(number.start, number)
    return found


def _prose_candidates(
    text: str, rules: tuple[FieldRule, ...], numbers: dict[int, Number]
) -> list[_Candidate]:
    claims: dict[int, _Candidate] = {}
    scanner = _scanner(rules)
    positions = scanner.positions(text)
    for index, (rule, _, weak) in enumerate(_compiled(rules)):
        for label in scanner.finditer(index, text, positions):
            if label.end() == label.start():
                continue
            candidate = _candidate_after(text, rule, weak, label.start(), label.end(), numbers)
            if candidate is None:
                continue
            held = claims.get(candidate.value_start)
            # One number, one field: the phrase's head (the earliest label) states it.
            if held is None or (candidate.label_start, -candidate.label_end, candidate.weak) < (
                held.label_start,
                -held.label_end,
                held.weak,
            ):
                claims[candidate.value_start] = candidate
    return sorted(claims.values(), key=lambda c: c.value_start)


def _candidate_after(
    text: str, rule: FieldRule, weak: bool, start: int, end: int, numbers: dict[int, Number]
) -> _Candidate | None:
    if _PREVIOUS_YEAR_RE.search(text, max(0, start - 4), start):
        return None
    if rule.unit in ("万元", "%") and _REGION_RE.search(text, max(0, start - 8), start):
        return None
    if text.endswith("总计", start, end) and (
        _BOTH_TOTALS_RE.search(text, max(0, start - 3), start)
        or _CARRY_OVER_RE.search(text, _sentence_start(text, start), _sentence_end(text, end))
    ):
        return None  # 收入/支出总计 with carry-overs is not the year's income or spending
    bridge = _BRIDGE_RE.match(text, end, min(len(text), end + _MAX_BRIDGE))
    value_at = bridge.end() if bridge else end
    field = _scoped_field(text, rule, start)
    if field is None:
        return None
    if rule.unit == "等级":
        grade = _GRADE_RE.match(text, value_at)
        if grade is None or _GRADE_LIST_RE.match(text, grade.end()):
            return None
        if grade.group(1) == "中" and value_at == end:
            return None  # "自评结果中，…" is "in the results", not the grade 中
        return _Candidate(
            rule,
            field,
            weak,
            start,
            end,
            grade.start(1),
            grade.end(),
            None,
            _GRADE_VALUE[grade.group(1)],
        )
    number = numbers.get(value_at)
    if number is None:
        number = _value_under_heading(text, start, end, numbers)
    if number is None:
        return _zero_after(text, rule, field, weak, start, end, value_at)
    if _KIND_FOR_UNIT.get(rule.unit) != number.kind:
        return None
    after = text[number.end : number.end + 16]
    if _THRESHOLD_RE.match(after):
        return None
    if rule.unit == "人" and _INCLUDES_RETIRED_RE.match(after):
        return None
    if (
        rule.key == "staff_authorized"
        and not _STAFF_TOTAL_LABEL_RE.search(text, start, end)
        and len(
            _STAFF_KIND_RE.findall(
                text, _sentence_start(text, start), _sentence_end(text, number.end)
            )
        )
        > 1
    ):
        return None
    if rule.unit == "分" and number.value > 100:
        return None
    return _Candidate(rule, field, weak, start, end, number.start, number.digits_end, number)


def _value_under_heading(
    text: str, start: int, end: int, numbers: dict[int, Number]
) -> Number | None:
    """The figure of a heading label, alone on the next line: "（一）自评得分" / "100分。"."""
    if end >= len(text) or text[end] not in " \t:：\n":  # the label must end its line
        return None
    if not _HEADING_BEFORE_RE.search(text, max(0, start - 12), start):
        return None
    gap = _HEADING_AFTER_RE.match(text, end)
    if gap is None:
        return None
    number = numbers.get(gap.end())
    if number is None or not number.unit or not _LINE_OF_VALUE_RE.match(text, number.end):
        return None
    return number


def _zero_after(
    text: str, rule: FieldRule, field: str, weak: bool, start: int, end: int, at: int
) -> _Candidate | None:
    """A zero written as a word: "因公出国（境）费为零"."""
    if rule.unit != "万元" or not text.startswith("零", at) or text.startswith("零星", at):
        return None
    zero = Number(Decimal(0), "万元", at, at + 1, at + 1, 0)
    return _Candidate(rule, field, weak, start, end, at, at + 1, zero)


def _scoped_field(text: str, rule: FieldRule, label_start: int) -> str | None:
    """The field a label states, given whether its sentence is about project expenditure."""
    if rule.project_twin is None:
        return rule.key
    if _PROJECT_SCOPE_RE.search(text, _sentence_start(text, label_start), label_start):
        return rule.project_twin or None
    return rule.key


def _to_figure(text: str, c: _Candidate, starts: Sequence[int]) -> Figure:
    end = c.number.end if c.number is not None else c.value_end
    if c.number is None:
        value: Decimal | int | str = c.grade or ""
        unit, written = "等级", ""
    else:
        value, unit, written = _value_in_unit(c.number, c.rule.unit)
    return Figure(
        field=c.field,
        value=value,
        unit=unit,
        as_written_unit=written,
        quote=text[c.label_start : end],
        start=c.label_start,
        end=end,
        line=line_of(starts, c.label_start),
        value_start=c.value_start,
        value_end=c.value_end,
        note="weak wording" if c.weak else "",
    )


def _value_in_unit(number: Number, unit: str) -> tuple[Decimal | int, str, str]:
    if unit == "万元":
        return to_wan(number.value, number.unit), "万元", number.unit
    if unit in ("人", "个"):
        return int(number.value), unit, number.unit
    return plain_decimal(number.value), unit, number.unit


def _choose(figures: list[Figure], rules: tuple[FieldRule, ...]) -> list[Figure]:
    """One figure per field: regular wordings before weak ones, then the first in the text."""
    by_field: dict[str, list[Figure]] = {}
    for fig in figures:
        by_field.setdefault(fig.field, []).append(fig)
    chosen = []
    order = {rule.key: i for i, rule in enumerate(rules)}
    for field in sorted(by_field, key=lambda k: order.get(k, len(order))):
        # A form's own cell states the form's figures best; then a sentence reads better than a
        # table row (or a form cell placed by elimination); then the first in the text.
        found = sorted(by_field[field], key=lambda f: (f.note == "weak wording", _rank(f), f.start))
        best = found[0]
        others = tuple(sorted(found[1:], key=lambda f: f.start))
        chosen.append(replace(best, candidates=others) if others else best)
    return chosen


def _rank(fig: Figure) -> int:
    """Sure form cells, then prose, then tables, then form cells placed by elimination."""
    if fig.note.startswith("form: "):
        return 0 if is_sure_form_figure(fig) else 3
    return 2 if fig.note.startswith("table") else 1


def _dominant_money_unit(numbers: Iterable[Number]) -> str:
    counts: Counter[str] = Counter()
    for number in numbers:
        if number.kind == "money":
            counts["万元" if number.unit in ("万元", "万") else number.unit] += 1
    return counts.most_common(1)[0][0] if counts else "万元"


def _tolerance(*figures: Figure) -> Decimal:
    """Half a unit of the last printed decimal of each figure, added up."""
    total = Decimal(0)
    for fig in figures:
        digits = fig.quote[fig.value_start - fig.start : fig.value_end - fig.start]
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        total += Decimal(5).scaleb(-decimals - 1)
    return total


def _read_unit_slips(figures: list[Figure], dominant_unit: str) -> list[Figure]:
    """Read a 元 amount as 万元 when the report plainly means 万元 (the classic slip)."""
    by_field = {f.field: f for f in figures}
    result = []
    for fig in figures:
        if fig.as_written_unit != "元" or fig.unit != "万元" or not isinstance(fig.value, Decimal):
            result.append(fig)
            continue
        as_wan = (fig.value * 10000).normalize()
        if as_wan == 0:
            result.append(fig)
            continue
        reason = _slip_reason(fig, as_wan, by_field, dominant_unit)
        if reason is None:
            result.append(fig)
        else:
            note = f"written 元, read as 万元: {reason}"
            result.append(replace(fig, value=plain_decimal(as_wan), note=note))
    return result


def _read_slips_in_sums(figures: list[Figure]) -> list[Figure]:
    """A total and its parts that only add up when one of them is read in the other unit
    (项目支出8,888.42元 in a report of 万元; 公务接待费12,350万元 among parts of a few 万元)."""
    by_field = {f.field: f for f in figures}
    for relation in SUM_RELATIONS:
        members = [by_field.get(k) for k in (relation.total, *relation.parts)]
        present = [m for m in members if m is not None and isinstance(m.value, Decimal)]
        if (
            members[0] is None
            or len(present) < 3
            or any(m.note.startswith("written") for m in present)
        ):
            continue
        if _relation_holds(members):
            continue
        for member in present:
            flipped = _in_other_unit(member)
            if flipped is None:
                continue
            if _relation_holds([flipped if m is member else m for m in members]):
                label = RULES_BY_KEY[relation.total].label_zh
                by_field[member.field] = replace(
                    flipped, note=f"{flipped.note}: only then do {label} and its parts add up"
                )
                break
    return [by_field[f.field] for f in figures]


def _read_slips_in_rates(figures: list[Figure], dominant_unit: str) -> list[Figure]:
    """A stated rate that only agrees with its amounts when one amount is read in the other unit
    (调整预算2,316.40元 beside 支出2,251.87万元 and 执行率97.21%)."""
    by_field = {f.field: f for f in figures}
    for rate_key, numerator_key, denominator_key in RATE_RELATIONS:
        rate, numerator, denominator = (
            by_field.get(k) for k in (rate_key, numerator_key, denominator_key)
        )
        if rate is None or numerator is None or denominator is None:
            continue
        if any(f.note.startswith("written") for f in (numerator, denominator)):
            continue
        if _rate_agrees(rate, numerator, denominator):
            continue
        # The amount written in the report's less usual unit is the likelier slip.
        members = sorted((numerator, denominator), key=lambda f: _usual(f, dominant_unit))
        for member in members:
            flipped = _in_other_unit(member)
            if flipped is None:
                continue
            trial = (flipped, denominator) if member is numerator else (numerator, flipped)
            if _rate_agrees(rate, *trial):
                label = RULES_BY_KEY[rate_key].label_zh
                by_field[member.field] = replace(
                    flipped,
                    note=f"{flipped.note}: only then does {label} {rate.value}% agree",
                )
                break
    return [by_field[f.field] for f in figures]


def _usual(fig: Figure, dominant_unit: str) -> bool:
    return ("万元" if fig.as_written_unit == "万" else fig.as_written_unit) == dominant_unit


def _rate_agrees(rate: Figure, numerator: Figure, denominator: Figure) -> bool:
    stated, part, whole = rate.value, numerator.value, denominator.value
    if not (
        isinstance(stated, Decimal) and isinstance(part, Decimal) and isinstance(whole, Decimal)
    ):
        return False
    if whole == 0:
        return False
    computed = part / whole * 100
    # Half a unit of the rate's last printed decimal, plus what the amounts' rounding can move it.
    relative = _tolerance(numerator) / max(part, Decimal("0.01")) + _tolerance(denominator) / whole
    slack = _tolerance(rate) + computed * relative
    return abs(computed - stated) <= slack + Decimal("0.01")


def _relation_holds(members: list[Figure | None]) -> bool:
    total, *parts = members
    present = [p for p in parts if p is not None]
    assert total is not None
    computed = sum((p.value for p in present if isinstance(p.value, Decimal)), Decimal(0))
    return abs(computed - total.value) <= _tolerance(total, *present)  # type: ignore[operator]


def _in_other_unit(fig: Figure) -> Figure | None:
    """The figure read with 元 and 万元 swapped (a note says so), or None for other units."""
    if fig.as_written_unit not in ("元", "万元", "万") or not isinstance(fig.value, Decimal):
        return None
    if fig.as_written_unit == "元":
        return replace(fig, value=plain_decimal(fig.value * 10000), note="written 元, read as 万元")
    written = fig.as_written_unit
    return replace(
        fig, value=plain_decimal(fig.value / 10000), note=f"written {written}, read as 元"
    )


def _slip_reason(
    fig: Figure, as_wan: Decimal, by_field: dict[str, Figure], dominant_unit: str
) -> str | None:
    for other in by_field.values():
        if other is fig or other.unit != "万元" or other.as_written_unit == "元":
            continue
        if isinstance(other.value, Decimal) and abs(other.value - as_wan) <= _tolerance(fig, other):
            label = (
                RULES_BY_KEY[other.field].label_zh if other.field in RULES_BY_KEY else other.field
            )
            return f"equals {label} {other.value}万元"
    for relation in SUM_RELATIONS:
        if relation.total != fig.field:
            continue
        parts = [by_field[p] for p in relation.parts if p in by_field]
        if len(parts) >= 2 and all(p.as_written_unit != "元" for p in parts):
            total = sum((p.value for p in parts if isinstance(p.value, Decimal)), Decimal(0))
            if abs(total - as_wan) <= _tolerance(fig, *parts):
                return f"its parts add up to {total}万元"
    if dominant_unit == "万元" and isinstance(fig.value, Decimal) and fig.value < Decimal("0.01"):
        return "under 100元 is implausible for this field in a report written in 万元"
    return None
