"""Which unit a report evaluates, and which year: from labels, the title and the opening lines."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from core.scanning import scan, scan_near

_YEAR = r"(20[0-9]{2}|19[0-9]{2})"
_LABELLED_YEAR_RE = re.compile(rf"(?:评价|考评|绩效|预算)年度\s*[:：]?\s*{_YEAR}")
_TITLE_YEAR_RE = re.compile(rf"{_YEAR}\s*年度?")
_YEAR_DU_RE = re.compile(rf"{_YEAR}\s*年度")
# "2023年" that is not the start of a date ("2024年7月20日").
_YEAR_ONLY_RE = re.compile(rf"{_YEAR}\s*年(?!\s*[0-9０-９]{{1,2}}\s*月)(?!末|底|初)")
_TITLE_WORDS_RE = re.compile(r"(?:绩效|自评|评价).{0,12}报告|报告$")

# Names of units end in one of these.
UNIT_SUFFIX = (
    "人民政府|政府|街道办事处|办事处|委员会|管理委员会|局|委|办公室|办|中心|院|所|站|队|馆|处|会|部|厅|署"
    "|镇|乡|街道|苏木"
)
_LABELLED_UNIT_RE = re.compile(
    r"(?:评价|被评价|填报|申报|预算)?(?:部门[（(]单位[）)]|单位|部门)(?:名称)?\s*"
    r"(?:[（(](?:公章|盖章|签章)[）)])?\s*[:：]\s*(?P<name>[^\s，,。；;：:]{2,40})"
)
_TITLE_UNIT_RE = re.compile(
    r"^\s*(?:(?:20|19)[0-9]{2}\s*年度?)?\s*(?P<name>.+?)\s*(?:部门|单位)?(?:整体)?(?:支出)?(?:绩效)"
)
_TOWN_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:自治县|县|市|区|旗)[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道)"
    r"(?:人民政府|政府|办事处)?"
)
# Where a _TOWN_RE match lies (see scan_near): the county (县, or 市/区/旗, or the 县 of 自治县)
# ends at most 12 characters in, and the rest (6 characters, 镇/乡/街道, 人民政府) at most 12
# past it.
TOWN_NEAR = ("[县市区旗]", 12, 12)


def find_year(text: str, path: Path | None = None) -> int | None:
    """The evaluated year: 评价年度, else the title, else the year the text speaks of most."""
    labelled = _LABELLED_YEAR_RE.search(text)
    if labelled:
        return int(labelled.group(1))
    for line in _head_lines(text):
        if _TITLE_WORDS_RE.search(line):
            title_year = _TITLE_YEAR_RE.search(line)
            if title_year:
                return int(title_year.group(1))
    for pattern in (_YEAR_DU_RE, _YEAR_ONLY_RE):
        counts = Counter(int(m.group(1)) for m in pattern.finditer(text))
        if counts:
            return counts.most_common(1)[0][0]
    if path is not None:
        from_name = re.search(_YEAR, path.stem)
        if from_name:
            return int(from_name.group(1))
    return None


def find_unit(text: str, path: Path | None = None) -> str | None:
    """The evaluated unit as the report names it at its most complete."""
    labelled = next(scan(_LABELLED_UNIT_RE, text[:3000]), None)
    if labelled and is_unit_name(labelled.group("name")):
        return labelled.group("name")
    head = _head_lines(text)
    for line in head:
        if _TITLE_WORDS_RE.search(line):
            title = _TITLE_UNIT_RE.match(line)
            name = (
                re.sub(r"\s*(?:20|19)[0-9]{2}\s*年度?$", "", title.group("name")) if title else ""
            )
            if is_unit_name(name):
                return _most_complete(name, text)
    for line in head + _tail_lines(text):
        name = line.strip()
        if len(name) <= 40 and is_unit_name(name):
            return _most_complete(name, text)
    towns = _town_names(text)
    if towns:
        best = max(towns, key=lambda n: (n.endswith(("政府", "办事处")), towns[n], len(n)))
        return best
    if path is not None:
        for part in re.split(r"[_\-\s]+", path.stem):
            if is_unit_name(part):
                return part
    return None


def is_unit_name(name: str) -> bool:
    """Does this look like the name of a unit (and nothing more)?"""
    return bool(re.fullmatch(rf"[\u4e00-\u9fff（）()]{{2,40}}?(?:{UNIT_SUFFIX})", name))


def _most_complete(name: str, text: str) -> str:
    """A longer spelling of the same unit found in the text (前山镇 → 徐闻县前山镇人民政府)."""
    towns = _town_names(text)
    base = name.removesuffix("人民政府").removesuffix("政府")
    longer = [n for n in towns if base in n and len(n) > len(name)]
    if not longer:
        return name
    return max(longer, key=lambda n: (n.endswith("政府"), towns[n], len(n)))


# Words that run into a name in prose ("现将2024年度徐闻县…") and are not part of it.
_LEADING_WORDS_RE = re.compile(
    r"^(?:年度|年|度|现将|我们|我|本|对|由|在|关于|的|为|是|中共|根据|将|及|和|与)+"
)


def _town_names(text: str) -> Counter[str]:
    names: Counter[str] = Counter()
    anchor, before, after = TOWN_NEAR
    for match in scan_near(_TOWN_RE, text, anchor, before=before, after=after):
        name = _LEADING_WORDS_RE.sub("", match.group(0))
        if re.match(r"[\u4e00-\u9fff]+?(?:自治县|县|市|区|旗)", name):
            names[name] += 1
    return names


def _head_lines(text: str, count: int = 8) -> list[str]:
    return [line.strip() for line in text[:2000].splitlines() if line.strip()][:count]


def _tail_lines(text: str, count: int = 5) -> list[str]:
    return [line.strip() for line in text[-1000:].splitlines() if line.strip()][-count:]
