"""Project lists: from tables, from inline lists in prose, and from numbered lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from core.forms.grid import Cell
from core.lines import line_of
from core.models import Figure, Project
from core.numbers import Number, find_numbers, parse_decimal, to_wan
from core.rules import FIELD_RULES
from core.tables import Table

_NAME_COLUMN = r"项目名称|名称|^项目$"
_AMOUNT_COLUMN = r"金额|预算|资金|决算|执行数|支出|万元|投入"
_SCORE_COLUMN = r"自评分|得分|分数|评分|分值"
_GRADE_COLUMN = r"等级|自评级|评级|等次|级别"
_SUMMARY_ROW_RE = re.compile(r"^(?:合计|总计|小计|共计|合\s*计|总\s*计)")
_GRADES = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "合格": "中", "差": "差"}

# Where an inline list starts: after 其中 or a colon closing an introduction that speaks of 项目.
_LIST_INTRO_RE = re.compile(r"其中[：:]?|(?:项目|资金|包括|如下|分别为|分别是|有)[：:]")
_ITEM_SEPARATORS = "、，,；;：:。 \t"
# A change clause or a total, not a project name ("比上年减少8.48万元", "合计").
_NOT_A_NAME_RE = re.compile(r"比上年|较上年|上年|同比|占比|^占|合计|总计|其中|[0-9０-９]{5,}")
_NUMBERED_LINE_RE = re.compile(
    r"^\s*(?:[0-9０-９]{1,2}[.．、)）]|[（(][0-9０-９一二三四五六七八九十]{1,3}[)）])\s*"
    r"(?P<name>[^，,：:；;。\n]{2,60}?)\s*[，,：:]?\s*(?:预算(?:数|金额)?|金额|资金|安排(?:资金)?)?\s*"
    r"(?P<num>[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)\s*"
    r"(?P<unit>亿元|万元|万|元)(?:[。；;，,][^\n]*)?$",
    re.MULTILINE,
)
# Any wording of the vocabulary: one pattern whose fullmatch is that of any of them.
_FIELD_LABEL_RE = re.compile("|".join(f"(?:{w})" for rule in FIELD_RULES for w in rule.wordings))
_LABEL_LEAD_RE = re.compile(r"^(?:[0-9]{4}年度?)?(?:本年度?|全年)?")


def find_project_lists(
    text: str, line_starts: Sequence[int], tables: Sequence[Table]
) -> tuple[tuple[Project, ...], ...]:
    """Every project list in the report: tables first, then inline and numbered lists."""
    lists: list[tuple[Project, ...]] = []
    for table in tables:
        projects = _table_projects(table, text, line_starts)
        if projects:
            lists.append(projects)
    lists.extend(_inline_lists(text, line_starts))
    numbered = _numbered_list(text, line_starts)
    if numbered:
        lists.append(numbered)
    return tuple(lists)


def choose_projects(
    lists: Sequence[tuple[Project, ...]], spending_project: Figure | None
) -> tuple[Project, ...]:
    """The report's project list: a table, else the list adding up to 项目支出, else the first."""
    if not lists:
        return ()
    tables = [lst for lst in lists if lst[0].source == "table"]
    if tables:
        return max(tables, key=len)
    if spending_project is not None and isinstance(spending_project.value, Decimal):
        for lst in lists:
            total = sum((p.amount for p in lst if p.amount is not None), Decimal(0))
            if abs(total - spending_project.value) <= Decimal("0.01") * len(lst):
                return lst
    return min(lists, key=lambda lst: lst[0].start)


# The title of a report on one project: "<unit><project><year>年度绩效自评报告", "<project>项目支出
# 绩效评价自评报告", "<unit><year>年度项目支出绩效自评报告（<project>）".
_PROJECT_TITLE_RE = re.compile(
    r"^(?:[0-9]{1,2}[、.．])?\s*(?P<head>[^\n]{2,80}?)\s*(?:[（(]?[0-9]{4}\s*年度?[）)]?)?\s*"
    r"(?:项目)?(?:支出)?(?:资金)?绩效(?:评价)?(?:自评)?(?:评价)?报告"
    r"(?:\s*[（(](?P<tail>[^（()）\n]{4,60}(?:[（(][^（()）\n]{1,8}[）)][^（()）\n]{0,40})?)[）)])?"
)
# A project's name names money or a project: 资金, 经费, 项目, 补助, 工程.
_PROJECT_NAME_RE = re.compile(r"资金|经费|项目|补助|补贴|工程|专项")
_PROJECT_MONEY_WORDS = ("项目资金", "专项资金", "项目总投资")
_LEADING_YEAR_RE = re.compile(r"^[0-9]{4}\s*年度?")
# How a text states the project's money: the name (or its last words), then an amount.
_MONEY_AFTER_NAME_RE = re.compile(
    r"(?<!\s)\s*(?:(?:共计?|合计|总额|金额|为|是|计|[:：])\s*)?(?=[0-9０-９])"
)


def report_project(
    text: str, line_starts: Sequence[int], unit: str | None, *, head: int = 2000
) -> Project | None:
    """The project a single-project report is about, from its title, with the amount the text
    first states for it ("…补助资金2.00万元"); None when the title names no project or the
    text gives it no amount."""
    for line in text[:head].splitlines()[:40]:
        title = _PROJECT_TITLE_RE.match(line.strip())
        if title is None:
            continue
        name = _project_name(title.group("head"), title.group("tail"), unit)
        if name is None:
            continue
        return _with_amount(text, name, line_starts)
    return None


def _project_name(head: str, tail: str | None, unit: str | None) -> str | None:
    if tail and _PROJECT_NAME_RE.search(tail):
        name = _LEADING_YEAR_RE.sub("", tail.strip())
    else:
        name = _LEADING_YEAR_RE.sub("", head.strip().lstrip("《"))
        if unit:
            name = name.removeprefix(unit)
            name = name.removeprefix(unit.removesuffix("人民政府"))
        name = re.sub(r"\s*(?:[0-9]{4}\s*年度?)$", "", name)
        name = re.sub(r"项目$", "", name)
    if len(name) < 4 or not _PROJECT_NAME_RE.search(name) or _is_field_label(name):
        return None
    return name


def _with_amount(text: str, name: str, line_starts: Sequence[int]) -> Project | None:
    # The full name, else its last four characters ("…奖励资金"), else how a one-project
    # report calls its money ("项目资金"), followed by an amount.
    for key in dict.fromkeys((name, name[-4:], *_PROJECT_MONEY_WORDS)):
        at = text.find(key)
        while at >= 0:
            bridge = _MONEY_AFTER_NAME_RE.match(text, at + len(key))
            if bridge is not None:
                number = next(find_numbers(text, bridge.end(), bridge.end() + 30), None)
                if number is not None and number.start == bridge.end() and number.kind == "money":
                    return Project(
                        name=name,
                        amount=number.in_wan(),
                        score=None,
                        grade=None,
                        start=at,
                        end=number.end,
                        line=line_of(line_starts, at),
                        source="title",
                        as_written_unit=number.unit,
                    )
            at = text.find(key, at + 1)
    return None


def _table_projects(table: Table, text: str, line_starts: Sequence[int]) -> tuple[Project, ...]:
    name_col = table.column(_NAME_COLUMN)
    if name_col is None:
        return ()
    amount_col = next(
        (
            i
            for i, c in enumerate(table.header)
            if i != name_col
            and re.search(_AMOUNT_COLUMN, c.text)
            and not re.search(_SCORE_COLUMN + "|率|来源", c.text)
            and any(i < len(row) and parse_decimal(row[i].text) is not None for row in table.rows)
        ),
        None,
    )
    score_col = table.column(_SCORE_COLUMN)
    grade_col = table.column(_GRADE_COLUMN)
    unit = table.unit or _header_unit(table, amount_col) or "万元"
    projects = []
    for row in table.rows:
        if name_col >= len(row):
            continue
        name = row[name_col].text
        if not name or _SUMMARY_ROW_RE.match(name) or parse_decimal(name) is not None:
            continue
        if _is_field_label(name):  # a budget table (基本支出, 项目支出 …), not a project list
            continue
        amount = _cell_value(row, amount_col)
        score = _cell_value(row, score_col)
        grade = (
            _GRADES.get(row[grade_col].text)
            if grade_col is not None and grade_col < len(row)
            else None
        )
        projects.append(
            Project(
                name=name,
                amount=None if amount is None else to_wan(amount, unit),
                score=score,
                grade=grade,
                start=row[0].start,
                end=row[-1].end,
                line=line_of(line_starts, row[0].start),
                source="table",
            )
        )
    return tuple(projects) if len(projects) >= 2 else ()


def _header_unit(table: Table, column: int | None) -> str:
    if column is None:
        return ""
    found = re.search(r"亿元|万元|千元|元", table.header[column].text)
    return found.group(0) if found else ""


def _cell_value(row: tuple[Cell, ...], column: int | None) -> Decimal | None:
    if column is None or column >= len(row):
        return None
    return parse_decimal(row[column].text.rstrip("%"))


def _is_field_label(name: str) -> bool:
    return _FIELD_LABEL_RE.fullmatch(_LABEL_LEAD_RE.sub("", name)) is not None


def _inline_lists(text: str, line_starts: Sequence[int]) -> list[tuple[Project, ...]]:
    lists: list[tuple[Project, ...]] = []
    for intro in _LIST_INTRO_RE.finditer(text):
        line_start = text.rfind("\n", 0, intro.start()) + 1
        if "项目" not in text[max(line_start, intro.start() - 60) : intro.end()]:
            continue
        line_end = text.find("\n", intro.end())
        line_end = len(text) if line_end < 0 else line_end
        items = _split_items(text, intro.end(), line_end, line_starts)
        if len(items) >= 2 and not any(items == other for other in lists):
            lists.append(items)
    # An intro inside another list's span describes the same list: keep the longest per line.
    best: dict[int, tuple[Project, ...]] = {}
    for items in lists:
        line = items[0].line
        if line not in best or len(items) > len(best[line]):
            best[line] = items
    return list(best.values())


def _split_items(
    text: str, start: int, end: int, line_starts: Sequence[int]
) -> tuple[Project, ...]:
    """Split "名称A130.7万元、名称B9.9万元、…" at its amounts; a name may itself contain 、."""
    items = []
    cursor = start
    for number in find_numbers(text, start, end):
        if number.kind != "money":
            continue
        raw = text[cursor : number.start]
        name = raw.strip(_ITEM_SEPARATORS).rstrip("为是计共约")
        name = name.strip(_ITEM_SEPARATORS)
        if not _valid_name(name):
            break
        name_start = cursor + raw.find(name)
        items.append(_inline_project(text, name, name_start, number, line_starts))
        cursor = number.end
        gap = text[cursor : cursor + 3]
        if gap and gap[0] not in _ITEM_SEPARATORS:
            break
    return tuple(items)


def _valid_name(name: str) -> bool:
    return 2 <= len(name) <= 60 and not _NOT_A_NAME_RE.search(name) and not _is_field_label(name)


def _inline_project(
    text: str, name: str, name_start: int, number: Number, line_starts: Sequence[int]
) -> Project:
    return Project(
        name=name,
        amount=number.in_wan(),
        score=None,
        grade=None,
        start=name_start,
        end=number.end,
        line=line_of(line_starts, name_start),
        source="inline",
        as_written_unit=number.unit,
    )


def _numbered_list(text: str, line_starts: Sequence[int]) -> tuple[Project, ...]:
    projects = []
    for match in _NUMBERED_LINE_RE.finditer(text):
        name = match.group("name").strip()
        value = parse_decimal(match.group("num"))
        if value is None or not _valid_name(name):
            continue
        projects.append(
            Project(
                name=name,
                amount=to_wan(value, match.group("unit")),
                score=None,
                grade=None,
                start=match.start("name"),
                end=match.end("unit"),
                line=line_of(line_starts, match.start("name")),
                source="inline",
                numbered=True,
                as_written_unit=match.group("unit"),
            )
        )
    return tuple(projects) if len(projects) >= 2 else ()
