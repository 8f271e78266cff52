"""Bench: a deterministic batch of N reports made by varying the sample reports, with the
discrepancies injected into it recorded as ground truth.

    .venv/bin/python bench/make_batch.py OUT_DIR --n N [--seed S]
        [--formats txt=0.9,docx=0.07,pdf=0.03]

Each unit of the batch is one of the sample reports (sample_reports/ and its synthetic/ folder)
under a generated name (county + township, unique in the batch) for 1–3 consecutive years:
every money amount is scaled by one factor per report (parts still add up, rates still agree),
years are shifted, project names drift (renamed, or replaced: one dropped and one new), and each
report ends with a paragraph of its own. About a third of the reports get one known discrepancy:
a part that no longer adds up ("sum"), a 万元 amount written 元 ("slip"), a rate that disagrees
with its amounts ("rate"), a grade that disagrees with the score ("grade"), or another unit's
paragraph copied in ("copy"). Files are .txt (UTF-8, UTF-8 with BOM or GBK), .docx (Word tables)
or .pdf (an embedded font). OUT_DIR/truth.json records, per file: unit, year, seed, format,
encoding, scale, projects (identity, name) and the discrepancies injected. The same arguments
always give the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from multiprocessing import Pool
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.docs builds the real .docx and .pdf files

from core.check_context import DEFAULT_GRADE_BANDS  # noqa: E402
from core.checks import run_checks  # noqa: E402
from core.extract import extract  # noqa: E402
from core.models import Extraction  # noqa: E402
from core.numbers import find_numbers  # noqa: E402
from core.reading import read_report  # noqa: E402
from core.rules import RATE_RELATIONS, SUM_RELATIONS  # noqa: E402
from core.tables import find_tables, is_numeric  # noqa: E402
from core.units import parse_unit_name  # noqa: E402
from tests.docs import docx_blocks  # noqa: E402

SAMPLES = ROOT / "sample_reports"
INJECT_SHARE = 0.35
# Which checks find each kind of injected discrepancy (a finding naming the field).
EXPECTED_CHECKS = {
    "sum": ("sum_mismatch", "parts_exceed_total"),
    "slip": ("unit_slip", "sum_mismatch", "parts_exceed_total"),
    "rate": ("rate_mismatch",),
    "grade": ("grade_score_mismatch",),
    "copy": ("copied_text",),
}
ENCODINGS = (("utf-8", 0.7), ("utf-8-sig", 0.15), ("gbk", 0.15))

# Characters for generated place names (common in real county and township names).
_PLACE_CHARS = (
    "安宝北碧长城赤崇大丹东峰凤福高古广桂汉和河红洪花华黄会吉嘉江金锦靖九康兰乐黎莲良林临柳龙"
    "隆鹿罗马梅美明南宁平埔普齐祁青清庆仁荣瑞三沙山上韶石双顺松泰桃天通潼万望文五武西溪仙祥"
    "新兴秀阳宜永玉元云枣樟昭镇中周竹紫"
).replace("镇", "")
_NEW_PROJECTS = (
    "村道硬化工程",
    "农村人居环境整治",
    "高标准农田建设",
    "农村饮水安全巩固提升",
    "防汛抗旱物资储备",
    "文化广场建设",
    "小型水利设施维修",
    "森林防火专项",
    "集镇污水管网改造",
    "村级便民服务中心改造",
    "地质灾害隐患点治理",
    "农村危房改造",
)
_PROJECT_ENDINGS = ("资金", "经费", "项目", "补助资金")
# The unit's own closing paragraph: sentences of 20+ Chinese characters, each naming the town.
_PARAGRAPH = (
    (
        "{town}坚持把{a}作为全年工作的重中之重",
        "{town}党委政府持续推进{a}各项任务落地见效",
        "{town}围绕{a}这一中心任务统筹安排各项资金",
    ),
    (
        "，通过{b}的办法压实各方责任，群众满意度明显提升。",
        "，采取{b}等举措补齐短板，基层治理能力稳步增强。",
        "，依靠{b}的工作机制形成合力，发展基础更加牢固。",
    ),
    (
        "下一步，{town}将聚焦{c}，进一步规范资金使用和绩效管理。",
        "今后，{town}还将围绕{c}加强跟踪问效，确保资金安全高效。",
        "{town}将把{c}摆在突出位置，持续抓好预算执行和监督管理。",
    ),
)
_PARAGRAPH_WORDS = (
    (
        "产业振兴",
        "乡村建设",
        "基层党建",
        "生态保护",
        "民生保障",
        "安全生产",
        "平安建设",
        "人居环境",
    ),
    (
        "挂图作战",
        "周调度月通报",
        "包村联户",
        "清单化管理",
        "网格化服务",
        "专班推进",
        "督查问效",
        "考核激励",
    ),
    (
        "特色产业培育",
        "农田水利建设",
        "村级集体经济",
        "公共服务提升",
        "防灾减灾能力",
        "矛盾纠纷化解",
        "绿色低碳发展",
        "数字乡村建设",
    ),
)


@dataclass(frozen=True)
class Site:
    """A place in a seed's text that the generator may rewrite."""

    start: int
    end: int
    kind: str
    """"money" (digits and unit), "year", "county", "county_lost", "town", "project", "rate"
    or "grade"."""
    text: str
    decimals: int = 0
    field: str = ""
    """The figure whose value this is, when a figure's."""
    index: int = -1
    """The project's position in the seed's project list (kind "project")."""
    parts: tuple[int, ...] = ()
    """A total: the starts of the money sites it adds up (a relation that holds in the seed,
    or the project list), so that after scaling it still adds up to them."""
    residual: str = "0"
    """What the seed's total differs from its parts by (its own rounding), kept as it is."""


@dataclass(frozen=True)
class Seed:
    name: str
    text: str
    year: int
    suffix: str
    """The file name's tail (部门整体支出绩效自评报告)."""
    kind: str
    """镇 or 乡: the township kind the text speaks as."""
    stems: tuple[str, str]
    """The county's and the township's names without 县/镇 (安化, 平口)."""
    sites: tuple[Site, ...]
    projects: tuple[str, ...]
    injections: tuple[tuple[str, str], ...]
    """(kind, field) of each discrepancy this seed can carry."""


@dataclass(frozen=True)
class Unit:
    index: int
    seed: int
    county: str
    town: str
    first_year: int
    years: int
    injections: tuple[tuple[str, str, int], ...] = ()
    """Per year: (kind, field, unit copied from) of the discrepancy injected, kind "" for none."""


# ---- seeds ---------------------------------------------------------------------------------


def _seed_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt")) + sorted((SAMPLES / "synthetic").glob("*.txt"))


def _money_columns(header: tuple[object, ...]) -> list[int]:
    columns = []
    for i, cell in enumerate(header):
        text = cell.text  # type: ignore[attr-defined]
        if re.search(r"金额|预算|决算|支出|资金|执行数|万元", text) and not re.search(
            r"率|分|序号|级|%", text
        ):
            columns.append(i)
    return columns


def _figure_sites(ex: Extraction, money: dict[int, Site]) -> list[Site]:
    sites = []
    for fig in ex.figures:
        if fig.unit == "万元" and fig.value_start in money:
            site = money.pop(fig.value_start)
            sites.append(Site(**{**asdict(site), "field": fig.field}))
        elif fig.unit == "%":
            digits = ex.report.text[fig.value_start : fig.value_end]
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            sites.append(Site(fig.value_start, fig.value_end, "rate", digits, decimals, fig.field))
        elif fig.unit == "等级":
            sites.append(
                Site(fig.value_start, fig.value_end, "grade", str(fig.value), field=fig.field)
            )
    return sites


def analyse_seed(path: Path) -> Seed:
    """Find what can be rewritten in one sample report, and which discrepancies fit it."""
    report = read_report(path)
    text = report.text
    ex = extract(report)
    unit_part, year_part, suffix = path.stem.split("_", 2)
    unit = parse_unit_name(unit_part)
    county_stem, town_stem = unit.county[:-1], unit.proper[:-1]
    sites: list[Site] = []
    for i, project in enumerate(ex.projects):
        at = text.find(project.name, project.start, project.end)
        if at >= 0:
            sites.append(Site(at, at + len(project.name), "project", project.name, index=i))
    for kind, stem in (("county", county_stem), ("town", town_stem)):
        sites += [Site(m.start(), m.end(), kind, stem) for m in re.finditer(re.escape(stem), text)]
    # The county with its first character lost (闻县 for 徐闻县), a slip the checks look for.
    lost = rf"(?<!{re.escape(county_stem[:1])}){re.escape(county_stem[1:])}县"
    sites += [Site(m.start(), m.end(), "county_lost", m.group()) for m in re.finditer(lost, text)]
    money: dict[int, Site] = {}
    for number in find_numbers(text):
        digits = text[number.start : number.digits_end]
        if number.kind == "money":
            money[number.start] = Site(
                number.start, number.end, "money", text[number.start : number.end], number.decimals
            )
        elif number.unit in ("", "年", "年度") and re.fullmatch(r"20[12][0-9]", digits):
            sites.append(Site(number.start, number.digits_end, "year", digits))
    for table in find_tables(text):
        for column in _money_columns(table.header):
            for row in table.rows:
                cell = row[column] if column < len(row) else None
                if cell and is_numeric(cell.text) and "%" not in cell.text:
                    decimals = len(cell.text.split(".")[1]) if "." in cell.text else 0
                    money.setdefault(
                        cell.start, Site(cell.start, cell.end, "money", cell.text, decimals)
                    )
    figure_sites = _figure_sites(ex, money)
    sites += figure_sites + list(money.values())
    # Non-overlapping, in text order; on overlap the earlier-listed kind wins (names first).
    chosen: list[Site] = []
    taken: set[int] = set()
    for site in sites:
        span = set(range(site.start, site.end))
        if not span & taken:
            chosen.append(site)
            taken |= span
    chosen.sort(key=lambda s: s.start)
    chosen = _with_totals(chosen, ex)
    return Seed(
        name=path.name,
        text=text,
        year=int(year_part),
        suffix=suffix,
        kind=unit.proper[-1],
        stems=(county_stem, town_stem),
        sites=tuple(chosen),
        projects=tuple(p.name for p in ex.projects),
        injections=_injections(ex, {s.field: s for s in chosen if s.field}),
    )


def _digits(site: Site) -> Decimal:
    match = re.match(r"[0-9０-９,，.．]+", site.text)
    assert match is not None
    return Decimal(match.group().translate(_DIGITS))


_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.", ",，")


def _with_totals(sites: list[Site], ex: Extraction) -> list[Site]:
    """Mark the money sites that state a total of other sites (a sum relation holding in the
    seed, the project list's total), wherever the same total is written."""
    money = {s.start: s for s in sites if s.kind == "money"}
    figures = {f.field: f for f in ex.figures if f.value_start in money}
    totals: list[tuple[Decimal, tuple[int, ...]]] = []
    for relation in SUM_RELATIONS:
        total = figures.get(relation.total)
        parts = [figures[k] for k in relation.parts if k in figures]
        members = [total, *parts]
        if total is None or len(parts) < 2 or len({f.as_written_unit for f in members}) > 1:
            continue
        totals.append((_digits(money[total.value_start]), tuple(p.value_start for p in parts)))
    amounts = []
    for project in ex.projects:
        inside = [
            s
            for s in money.values()
            if project.start <= s.start < project.end and _digits(s) == project.amount
        ]
        amounts.append(inside[0].start if inside else None)
    if len(amounts) >= 2 and None not in amounts:
        listed = sum((_digits(money[a]) for a in amounts), Decimal(0))  # type: ignore[index]
        totals.append((listed, tuple(a for a in amounts if a is not None)))
    out = []
    for site in sites:
        for value, parts in totals:
            slack = Decimal("0.005") * (len(parts) + 1)
            if (
                site.kind == "money"
                and site.start not in parts
                and abs(_digits(site) - value) <= slack
            ):
                residual = _digits(site) - sum((_digits(money[p]) for p in parts), Decimal(0))
                site = Site(**{**asdict(site), "parts": parts, "residual": str(residual)})
                break
        out.append(site)
    return out


def _injections(ex: Extraction, by_field: dict[str, Site]) -> tuple[tuple[str, str], ...]:
    """The discrepancies a seed can carry: figures in a relation that holds in the seed, on
    fields no finding of the seed already names."""
    flagged = {f for finding in run_checks(ex) for f in finding.fields}
    values = {f.field: f.value for f in ex.figures if isinstance(f.value, Decimal)}
    noted = {f.field for f in ex.figures if f.note}
    found: list[tuple[str, str]] = []
    for relation in SUM_RELATIONS:
        members = [relation.total, *relation.parts]
        present = [k for k in members if k in values and k in by_field]
        if relation.total not in present or len(present) < 3 or set(present) & (flagged | noted):
            continue
        parts = sum((values[k] for k in present[1:]), Decimal(0))
        if abs(parts - values[relation.total]) > Decimal("0.02"):
            continue
        found += [("sum", k) for k in present[1:] if values[k] > 0]
        found += [("slip", k) for k in present if by_field[k].text.endswith("万元") and values[k]]
    for rate, numerator, denominator in RATE_RELATIONS:
        if rate not in by_field or rate in flagged | noted or numerator not in values:
            continue
        for whole in (denominator, "budget_initial"):
            if whole in values and values[whole] and rate in values:
                computed = values[numerator] / values[whole] * 100
                if abs(computed - values[rate]) <= Decimal("0.6"):
                    found.append(("rate", rate))
                    break
    score, grade = values.get("score"), ex.figure("grade")
    if (
        score is not None
        and grade is not None
        and "grade" in by_field
        and "grade" not in flagged
        and grade.value == _grade_for(score)
    ):
        found.append(("grade", "grade"))
    return tuple(dict.fromkeys(found))


def _grade_for(score: Decimal) -> str:
    return next(grade for grade, lowest in DEFAULT_GRADE_BANDS if score >= lowest)


# ---- units ---------------------------------------------------------------------------------


def plan_units(n: int, seed: int, seeds: list[Seed]) -> list[Unit]:
    """Units with unique township names, 1–3 consecutive years each, n reports in all."""
    rng = random.Random(f"units:{seed}")
    units: list[Unit] = []
    towns: set[str] = set()
    reports = 0
    while reports < n:
        seed_index = rng.randrange(len(seeds))
        while True:
            town = "".join(rng.choices(_PLACE_CHARS, k=rng.choice((2, 2, 3))))
            if town not in towns:
                towns.add(town)
                break
        county = "".join(rng.choices(_PLACE_CHARS, k=2))
        years = min(rng.randint(1, 3), n - reports)
        first = rng.randint(2020, 2025 - years)
        units.append(Unit(len(units), seed_index, county, town, first, years))
        reports += years
    return _plan_injections(units, seeds, rng)


def _plan_injections(units: list[Unit], seeds: list[Seed], rng: random.Random) -> list[Unit]:
    """Choose each report's discrepancy. A copied paragraph comes from a unit with a single
    report, never copied twice: in three reports it would be the batch's template text."""
    sources = [u.index for u in units if u.years == 1]
    rng.shuffle(sources)
    planned = []
    for unit in units:
        plan = []
        for _ in range(unit.years):
            options = [(k, f, -1) for k, f in seeds[unit.seed].injections]
            while sources and sources[-1] == unit.index:
                sources.pop()
            if sources:
                options.append(("copy", "", sources[-1]))
            kind, field, source = ("", "", -1)
            if options and rng.random() < INJECT_SHARE:
                kind, field, source = rng.choice(options)
                if kind == "copy":
                    sources.pop()
            plan.append((kind, field, source))
        planned.append(Unit(**{**asdict(unit), "injections": tuple(plan)}))
    return planned


def unit_paragraph(unit: Unit, seeds: list[Seed], year: int) -> str:
    """The unit's closing paragraph for a year: its own sentences, found in no other report."""
    rng = random.Random(f"paragraph:{unit.index}:{year}")
    town = unit.town + seeds[unit.seed].kind
    words = [rng.choice(pool) for pool in _PARAGRAPH_WORDS]
    first, second, third = (rng.choice(options) for options in _PARAGRAPH)
    return (first + second).format(town=town, a=words[0], b=words[1]) + third.format(
        town=town, c=words[2]
    )


def _project_names(unit: Unit, seed: Seed) -> list[list[tuple[str, str]]]:
    """(identity, name) of each project in each of the unit's years: some renamed the way
    reports rename them, some replaced by a new project (one dropped, one new)."""
    by_year: list[list[tuple[str, str]]] = [[] for _ in range(unit.years)]
    county, town = seed.stems
    for i, seed_name in enumerate(seed.projects):
        name = seed_name.replace(county, unit.county).replace(town, unit.town)
        # Keyed by the name: projects listed twice under one name change together.
        rng = random.Random(f"projects:{unit.index}:{seed_name}")
        change_at = rng.randint(1, 3)  # the year the name changes (3: never in 1–3 years)
        roll = rng.random()
        new_name = f"{unit.town}{rng.choice(_NEW_PROJECTS)}{rng.choice(_PROJECT_ENDINGS)}"
        renamed = _renamed(name, rng)
        for y in range(unit.years):
            if y >= change_at and roll < 0.12:
                by_year[y].append((f"{unit.index}.{i}b", new_name))
            elif y >= change_at and roll < 0.3:
                by_year[y].append((f"{unit.index}.{i}", renamed))
            else:
                by_year[y].append((f"{unit.index}.{i}", name))
    return by_year


def _renamed(name: str, rng: random.Random) -> str:
    options = []
    if not name.endswith(("资金", "经费")):
        options.append(name + "资金")
    if "经费" in name:
        options.append(name.replace("经费", "资金", 1))
    if name.endswith("资金") and len(name) > 6:
        options.append(name[:-2] + "专项资金")
    options.append(name.replace("(", "（").replace(")", "）") + "（续建）")
    return rng.choice(options)


# ---- rendering -----------------------------------------------------------------------------


def _written(site: Site, value: Decimal) -> str:
    """A money site rewritten with another value, the way the seed writes it."""
    match = re.match(r"([0-9０-９,，.．]+)(.*)", site.text, re.DOTALL)
    assert match is not None
    digits, rest = match.groups()
    value = value.quantize(Decimal(1).scaleb(-site.decimals), ROUND_HALF_UP)
    return (f"{value:,f}" if ("," in digits or "，" in digits) else f"{value:f}") + rest


def scaled_values(seed: Seed, factor: Decimal) -> dict[int, Decimal]:
    """Every money site's value scaled, totals recomputed from their scaled parts."""
    money = {s.start: s for s in seed.sites if s.kind == "money"}
    values: dict[int, Decimal] = {}

    def value(site: Site) -> Decimal:
        if site.start not in values:
            if site.parts:
                raw = sum((value(money[p]) for p in site.parts), Decimal(site.residual))
            else:
                raw = _digits(site) * factor
            values[site.start] = raw.quantize(Decimal(1).scaleb(-site.decimals), ROUND_HALF_UP)
        return values[site.start]

    for site in money.values():
        value(site)
    return values


def _wrong_rate(text: str, decimals: int, rng: random.Random) -> str:
    value = Decimal(text)
    delta = Decimal(rng.choice((-1, 1)) * rng.randint(400, 1500)) / 100
    if value + delta <= 0 or (value < 100 <= value + delta):
        delta = -abs(delta)
    return f"{(value + delta).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):f}"


def render(
    unit: Unit, units: list[Unit], seeds: list[Seed], y: int, rng: random.Random
) -> tuple[str, dict[str, object]]:
    """One year of one unit: its text and what the truth file records about it."""
    seed = seeds[unit.seed]
    year = unit.first_year + y
    factor = Decimal(rng.randint(50, 200)) / 100 * Decimal(rng.randint(90, 115)) / 100
    projects = _project_names(unit, seed)[y]
    injected: dict[str, object] | None = None
    kind, field, source_index = unit.injections[y]
    if kind:
        injected = {"kind": kind, "field": field, "checks": list(EXPECTED_CHECKS[kind])}
    values = scaled_values(seed, factor)
    out: list[str] = []
    at = 0
    for site in seed.sites:
        out.append(seed.text[at : site.start])
        at = site.end
        target = injected is not None and site.field and site.field == injected["field"]
        if site.kind == "county":
            out.append(unit.county)
        elif site.kind == "county_lost":
            out.append(unit.county[1:] + "县")
        elif site.kind == "town":
            out.append(unit.town)
        elif site.kind == "year":
            out.append(str(int(site.text) + year - seed.year))
        elif site.kind == "project":
            out.append(projects[site.index][1])
        elif site.kind == "money":
            written = _written(site, values[site.start])
            if target and injected is not None and injected["kind"] == "sum":
                bump = Decimal(rng.randint(110, 160)) / 100
                written = _written(site, values[site.start] * bump)
            elif target and injected is not None and injected["kind"] == "slip":
                written = written.replace("万元", "元")
            if target and injected is not None:
                injected["written"] = written
            out.append(written)
        elif site.kind == "rate" and target and injected is not None:
            injected["written"] = _wrong_rate(site.text, site.decimals, rng)
            out.append(str(injected["written"]))
        elif site.kind == "grade" and target and injected is not None:
            wrong = rng.choice([g for g, _ in DEFAULT_GRADE_BANDS if g != site.text])
            injected["written"] = wrong
            out.append(wrong)
        else:
            out.append(site.text)
    out.append(seed.text[at:])
    text = "".join(out).rstrip("\n") + "\n"
    if injected is not None and injected["kind"] == "copy":
        source = units[source_index]
        copied = unit_paragraph(source, seeds, source.first_year)
        injected["from_unit"] = source.county + "县" + source.town + seeds[source.seed].kind
        text += copied + "\n"
    text += unit_paragraph(unit, seeds, year) + "\n"
    info: dict[str, object] = {
        "unit": unit.index,
        "unit_name": f"{unit.county}县{unit.town}{seed.kind}",
        "year": year,
        "seed": seed.name,
        "scale": str(factor),
        "projects": [list(p) for p in projects],
        "injected": [injected] if injected else [],
    }
    return text, info


# ---- writing -------------------------------------------------------------------------------


def pdf_pages(text: str, lines_per_page: int = 30) -> list[str]:
    lines = [line.strip("\t") for line in text.rstrip("\n").split("\n")]
    return ["\n".join(lines[i : i + lines_per_page]) for i in range(0, len(lines), lines_per_page)]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph_xml(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def write_docx(path: Path, blocks: list[object]) -> None:
    """A minimal real Word document (the parts Word and python-docx need), written directly:
    python-docx takes ~100 ms a report, too slow for 40,000. Paragraphs and real tables, as
    tests.docs.write_docx writes them; fixed zip times, so the same text gives the same bytes."""
    body = []
    for block in blocks:
        if isinstance(block, str):
            body.append(_paragraph_xml(block))
            continue
        rows = block  # type: ignore[assignment]
        width = max(len(row) for row in rows)  # type: ignore[attr-defined]
        xml_rows = [
            "<w:tr>"
            + "".join(
                f"<w:tc>{_paragraph_xml(row[c] if c < len(row) else '')}</w:tc>"
                for c in range(width)
            )
            + "</w:tr>"
            for row in rows  # type: ignore[attr-defined]
        ]
        grid = "".join("<w:gridCol/>" for _ in range(width))
        body.append(f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(xml_rows)}</w:tbl>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
        f"<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("word/document.xml", document),
        ):
            package.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)


# The test font's glyphs are all 1000 units wide: at 12 pt, 44 fill the width of an A4 page
# between fpdf2's default 1 cm margins, so lines are wrapped here as multi_cell would wrap them.
_PDF_LINE_CHARS = 44


def write_pdf(path: Path, pages: list[str], font: Path) -> None:
    """A PDF embedding the test font, one text line per cell; lines are wrapped here (fpdf2's
    own wrapping takes ~100 ms a report). Fixed creation date; fpdf2 still names the font
    subset at random, so the same text gives the same extracted text, not the same bytes."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=UTC))
    pdf.add_font("JixiaoTest", fname=str(font))
    pdf.set_font("JixiaoTest", size=12)
    for text in pages:
        pdf.add_page()
        for line in text.split("\n"):
            for at in range(0, max(len(line), 1), _PDF_LINE_CHARS):
                pdf.cell(0, 8, line[at : at + _PDF_LINE_CHARS], new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_report(path: Path, text: str, fmt: str, encoding: str, font: Path) -> str:
    """Write one report; returns the encoding used ("" for .docx and .pdf)."""
    if fmt == "docx":
        write_docx(path, docx_blocks(text))
        return ""
    if fmt == "pdf":
        write_pdf(path, pdf_pages(text), font)
        return ""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        encoding = "gb18030"
        data = text.encode(encoding)
    path.write_bytes(data)
    return encoding


# ---- the batch -----------------------------------------------------------------------------

_STATE: dict[str, object] = {}


def _init(seeds: list[Seed], units: list[Unit], out: str, formats: str, font: str) -> None:
    _STATE.update(seeds=seeds, units=units, out=Path(out), formats=formats, font=Path(font))


def _weighted(rng: random.Random, choices: list[tuple[str, float]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _make_unit(index: int) -> list[tuple[str, dict[str, object]]]:
    seeds: list[Seed] = _STATE["seeds"]  # type: ignore[assignment]
    units: list[Unit] = _STATE["units"]  # type: ignore[assignment]
    formats: list[tuple[str, float]] = _STATE["formats"]  # type: ignore[assignment]
    unit = units[index]
    results = []
    for y in range(unit.years):
        rng = random.Random(f"report:{_STATE['run_seed']}:{index}:{y}")
        text, info = render(unit, units, seeds, y, rng)
        fmt = _weighted(rng, formats)
        encoding = _weighted(rng, list(ENCODINGS)) if fmt == "txt" else ""
        seed = seeds[unit.seed]
        name = f"{unit.county}县{unit.town}{seed.kind}_{info['year']}_{seed.suffix}.{fmt}"
        used = write_report(
            _STATE["out"] / name,  # type: ignore[operator]
            text,
            fmt,
            encoding,
            _STATE["font"],  # type: ignore[arg-type]
        )
        results.append((name, {**info, "format": fmt, "encoding": used}))
    return results


def parse_formats(spec: str) -> list[tuple[str, float]]:
    formats = []
    for part in spec.split(","):
        name, _, weight = part.partition("=")
        if name not in ("txt", "docx", "pdf"):
            raise SystemExit(f"unknown format {name!r} in --formats (txt, docx, pdf)")
        formats.append((name, float(weight)))
    return formats


def _all_chars(seeds: list[Seed]) -> str:
    words = "".join("".join(pool) for pool in _PARAGRAPH_WORDS)
    sentences = "".join("".join(options) for options in _PARAGRAPH)
    return (
        "".join(s.text for s in seeds)
        + _PLACE_CHARS
        + "".join(_NEW_PROJECTS)
        + "".join(_PROJECT_ENDINGS)
        + words
        + sentences
        + "0123456789.,%（）县镇乡续建专项资金元"
    )


def make_batch(
    out: Path, n: int, *, seed: int = 0, formats: str = "txt=0.9,docx=0.07,pdf=0.03"
) -> dict[str, object]:
    """Write the batch and its truth.json; returns the truth."""
    from tests.docs import make_cjk_font

    out.mkdir(parents=True, exist_ok=True)
    seeds = [analyse_seed(path) for path in _seed_files()]
    units = plan_units(n, seed, seeds)
    chosen = parse_formats(formats)
    with tempfile.TemporaryDirectory() as tmp:
        font = make_cjk_font(Path(tmp) / "cjk.ttf", _all_chars(seeds))
        args = (seeds, units, str(out), chosen, str(font))
        _STATE["run_seed"] = seed
        workers = os.cpu_count() or 1
        if n < 200 or workers == 1:
            _init(*args)  # type: ignore[arg-type]
            made = [r for u in units for r in _make_unit(u.index)]
        else:
            with Pool(workers, initializer=_init_with_seed, initargs=(*args, seed)) as pool:
                made = [r for rs in pool.imap(_make_unit, range(len(units)), 64) for r in rs]
    truth = {
        "seed": seed,
        "n": n,
        "formats": formats,
        "expected_checks": {k: list(v) for k, v in EXPECTED_CHECKS.items()},
        "reports": dict(made),
    }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
    return truth


def _init_with_seed(*args: object) -> None:
    *rest, seed = args
    _init(*rest)  # type: ignore[arg-type]
    _STATE["run_seed"] = seed


def injected(truth: dict[str, object]) -> Iterator[tuple[str, dict[str, object]]]:
    """(file, discrepancy) for every discrepancy injected in a batch."""
    reports: dict[str, dict[str, object]] = truth["reports"]  # type: ignore[assignment]
    for name, info in reports.items():
        for item in info["injected"]:  # type: ignore[attr-defined]
            yield name, item


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="txt=0.9,docx=0.07,pdf=0.03")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 40000:
        raise SystemExit("--n must be between 1 and 40000")
    began = time.perf_counter()
    truth = make_batch(args.out, args.n, seed=args.seed, formats=args.formats)
    kinds: dict[str, int] = {}
    for _, item in injected(truth):
        kinds[str(item["kind"])] = kinds.get(str(item["kind"]), 0) + 1
    print(
        f"{args.n} reports in {args.out} in {time.perf_counter() - began:.1f} s; "
        f"injected: {kinds}; truth: {args.out / 'truth.json'}"
    )


if __name__ == "__main__":
    main()
