"""Which reports evaluate the same unit, however its name is written (徐闻县前山镇, 前山镇政府)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from core.identity import is_unit_name
from core.models import Extraction

DEFAULT_UNIT_THRESHOLD = 90.0

# Admin-area stems never contain an admin suffix character, so "徐闻县城市管理局" parses as
# 徐闻县 + 城市管理局 and not as a city called "徐闻县城".
_STEM = r"[^\W\d_省市县区旗A-Za-z]"
_SPLIT_RE = re.compile(
    rf"(?P<province>{_STEM}{{2,8}}?(?:省|自治区|特别行政区))?"
    rf"(?P<prefecture>{_STEM}{{2,10}}?(?:市|自治州|州|地区|盟))?"
    rf"(?P<county>{_STEM}{{1,10}}?(?:自治县|自治旗|县|区|旗|市))?"
    r"(?P<proper>.*)",
    re.DOTALL,
)
_GROUPS = ("province", "prefecture", "county", "proper")
# "峨边彝族自治县" and "峨边县" are one county: reports shorten autonomous names freely.
# Peoples named by one character always write 族; longer names may leave it out (哈萨克自治州).
_AUTONOMY_RE = re.compile(
    r"(?:(?:彝|满|苗|回|藏|壮|瑶|侗|傣|黎|佤|畲|水|土|羌|怒|京|白|各)族"
    r"|(?:土家|蒙古|布依|哈尼|傈僳|拉祜|东乡|纳西|景颇|柯尔克孜|达斡尔|仫佬|布朗|撒拉|毛南|仡佬"
    r"|锡伯|普米|塔吉克|鄂温克|保安|裕固|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|俄罗斯|哈萨克"
    r"|维吾尔|朝鲜|乌孜别克)族?)+自治(?=县|旗|州)"
)
_BRACKETED_RE = re.compile(r"[(\[【〔][^)\]】〕]{0,12}[)\]】〕]")
_GOVERNMENT_RE = re.compile(r"(?:人民政府|政府|办事处)$")
# The kind of unit a name ends in: a 镇 and a 乡 of the same name are two units.
_KIND_RE = re.compile(
    r"(?:街道|苏木|镇|乡|管理委员会|委员会|局|委|办公室|办|中心|院|所|站|队|馆|处|会|部|厅|署"
    r"|学校|校|园)$"
)
_NUMERALS_RE = re.compile(r"[0-9一二三四五六七八九十百零〇]")


@dataclass(frozen=True)
class UnitName:
    """A unit name split into the parts that tell units apart."""

    text: str
    """The name as written."""
    province: str
    """Province-level prefix (广东省, 内蒙古自治区), or ""."""
    prefecture: str
    """Prefecture-level prefix (湛江市, 恩施州 for 恩施土家族苗族自治州, 北京市), or ""."""
    county: str
    """County-level part (徐闻县, 峨边县 for 峨边彝族自治县, 东城区), or "" when not written."""
    proper: str
    """The unit itself without 人民政府/政府/办事处 (前山镇, 发展和改革局); "" for a county's
    own government (徐闻县人民政府)."""


@dataclass(frozen=True)
class UnitGroup:
    """The reports of one unit in a batch."""

    unit: str
    """The most complete spelling of the unit's name among its reports (or the file name
    when no report names it)."""
    extractions: tuple[Extraction, ...]
    """The unit's reports, by year (unknown years last), then by path."""


@lru_cache(maxsize=65536)
def parse_unit_name(name: str) -> UnitName:
    """Split a unit name into province, prefecture, county and the unit proper."""
    text = unicodedata.normalize("NFKC", name)
    text = _BRACKETED_RE.sub("", re.sub(r"\s+", "", text))
    parts = _SPLIT_RE.fullmatch(text)
    assert parts is not None  # every group is optional and `proper` takes the rest
    province, prefecture, county, proper = (parts.group(k) or "" for k in _GROUPS)
    if prefecture and not county and proper:
        # "廉江市石城镇": a 市 right before the unit is county level (or governs it directly).
        prefecture, county = "", prefecture
    proper = _GOVERNMENT_RE.sub("", proper)
    if county and proper and (len(proper) < 2 or _KIND_RE.fullmatch(proper)):
        # "城区街道" is a unit called 城区街道, not a 街道 of a district called 城.
        county, proper = "", county + proper
    return UnitName(
        text=name,
        province=province,
        prefecture=_short_autonomy(prefecture),
        county=_short_autonomy(county),
        proper=proper,
    )


def _short_autonomy(part: str) -> str:
    short = _AUTONOMY_RE.sub("", part)
    # 鄂伦春自治旗 is named after its people alone: nothing shorter is its name.
    return short if len(short) >= 2 else part


def same_unit(a: str, b: str, *, threshold: float = DEFAULT_UNIT_THRESHOLD) -> bool:
    """Do two names denote the same unit?

    A county (or province, prefecture) written in both names must agree, allowing one lost
    first character (闻县 for 徐闻县); a part written in only one name does not count against.
    The units proper must be of the same kind (镇, 乡, 街道, 局 …), carry the same numerals
    (第一/第二) and score at least `threshold` with `fuzz.ratio`.
    """
    return _same_parsed(parse_unit_name(a), parse_unit_name(b), threshold=threshold)


def _same_parsed(a: UnitName, b: UnitName, *, threshold: float) -> bool:
    if a.province and b.province and a.province != b.province:
        return False
    if a.prefecture and b.prefecture and a.prefecture != b.prefecture:
        return False
    if a.county and b.county and not _same_county(a.county, b.county):
        return False
    if not a.proper or not b.proper:
        # A county's own government is the same unit only as that county's government.
        return a.proper == b.proper and bool(a.county) and bool(b.county)
    kind_a, kind_b = _KIND_RE.search(a.proper), _KIND_RE.search(b.proper)
    if (kind_a and kind_a.group()) != (kind_b and kind_b.group()):
        return False
    if sorted(_NUMERALS_RE.findall(a.proper)) != sorted(_NUMERALS_RE.findall(b.proper)):
        return False
    return fuzz.ratio(a.proper, b.proper, score_cutoff=threshold) > 0


def _same_county(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    # One character lost at the start of the name (闻县 for 徐闻县), same kind of county.
    return len(long) - len(short) == 1 and long.endswith(short) and len(short) >= 2


def report_unit_name(extraction: Extraction) -> str | None:
    """The unit a report evaluates: as the text names it, completed from the file name when the
    text leaves out the county ("前山镇人民政府" in 徐闻县前山镇_2023_….txt); the file name alone
    when the text names no unit."""
    from_file = _file_unit_name(extraction.report.path)
    if extraction.unit is None:
        return from_file
    if from_file is not None:
        text, file = parse_unit_name(extraction.unit), parse_unit_name(from_file)
        if not text.county and file.county and text.proper == file.proper:
            return file.text
    return extraction.unit


_FILE_YEAR_RE = re.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})(?![0-9])")


def report_year(extraction: Extraction) -> int | None:
    """The year a report evaluates, for putting a unit's reports in order: as the text states
    it, else the year its file name carries (前山镇_2023_自评报告.txt). The extraction itself
    keeps None for a text that states no year; only the batch's grouping guesses from names."""
    if extraction.year is not None:
        return extraction.year
    found = _FILE_YEAR_RE.search(extraction.report.path.stem)
    return int(found.group(1)) if found else None


def _file_unit_name(path: Path) -> str | None:
    for part in re.split(r"[_\-\s.]+", path.stem):
        if is_unit_name(part):
            return part
    return None


def group_units(
    extractions: Sequence[Extraction], *, threshold: float = DEFAULT_UNIT_THRESHOLD
) -> tuple[UnitGroup, ...]:
    """Group a batch's reports by unit, never putting two different units together.

    Names are taken most complete first (with a county, then longest). A report joins a group
    only when its unit is the same unit as every report already in it; a name that fits more
    than one group (前山镇 beside 徐闻县前山镇 and 雷州市前山镇) stays on its own, because a
    wrong merge is worse than a missed one. The result does not depend on the input order.
    """
    named = [(report_unit_name(ex), ex) for ex in extractions]
    parsed = {name: parse_unit_name(name) for name, _ in named if name is not None}

    def order(item: tuple[str | None, Extraction]) -> tuple[object, ...]:
        name, ex = item
        unit = parsed.get(name) if name is not None else None
        return (
            unit is None,
            not (unit and unit.county),
            -len(name or ""),
            name or "",
            str(ex.report.path),
            ex.report.sha256,
        )

    groups: list[list[tuple[str | None, Extraction]]] = []
    # The unit proper of each group's first name: a name is the same unit as every member of a
    # group only if it scores the threshold against the first, which rapidfuzz prunes fast.
    firsts: list[str] = []
    for item in sorted(named, key=order):
        name = item[0]
        fits = []
        if name is not None:
            unit = parsed[name]
            near: Iterable[int] = range(len(groups))
            if unit.proper:
                found = process.extract(
                    unit.proper, firsts, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
                )
                near = sorted(index for _, _, index in found)
            fits = [
                groups[i]
                for i in near
                if all(
                    other is not None and _same_parsed(unit, parsed[other], threshold=threshold)
                    for other, _ in groups[i]
                )
            ]
        if len(fits) == 1:
            fits[0].append(item)
        else:
            groups.append([item])
            firsts.append(parsed[name].proper if name is not None else "")
    result = [
        UnitGroup(
            unit=group[0][0] or group[0][1].report.path.stem,
            extractions=tuple(sorted((ex for _, ex in group), key=_by_year)),
        )
        for group in groups
    ]
    return tuple(sorted(result, key=lambda g: (g.unit, str(g.extractions[0].report.path))))


def _by_year(ex: Extraction) -> tuple[bool, int, str]:
    year = report_year(ex)
    return (year is None, year or 0, str(ex.report.path))
