"""Checks of the wording: template residue, copied text, self-reference, years, names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.check_context import Context, Issue
from core.copying import (
    TOWNSHIP_KINDS,
    one_unit,
    organisation_kind,
    shared_passages,
    town_name,
    towns_named,
)
from core.scanning import scan, scan_near

# ---- text ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidueRule:
    """A kind of template leftover."""

    pattern: re.Pattern[str]
    what_zh: str
    what_en: str
    head_only: bool = False
    """Only in the first lines (an annex marker there is the template's, not an appendix)."""
    near: tuple[str, int, int] | None = None
    """(anchor, before, after): every match lies around the anchor, as `scan_near` needs."""


_CJK = r"\u4e00-\u9fff"
# "我局（办、委）": the template's placeholder for the unit, template residue, not a self-reference.
_SELF_PLACEHOLDER_RE = re.compile(r"[我本]局[（(]办、委[）)]")
RESIDUE_RULES: tuple[ResidueRule, ...] = (
    ResidueRule(re.compile(r"[^\n]{0,30}范本"), "模板标题", "template title", near=("范本", 30, 0)),
    ResidueRule(
        re.compile(r"^[ \t]*附件[ \t]*[0-9一二三四五六七八九十]+[ \t]*$", re.M),
        "模板附件标记",
        "template annex marker",
        head_only=True,
    ),
    ResidueRule(re.compile(r"内容主要包括"), "模板填写说明", "template instruction"),
    ResidueRule(re.compile(r"简[介要述]如何"), "模板填写说明", "template instruction"),
    ResidueRule(_SELF_PLACEHOLDER_RE, "模板占位词", "template placeholder", near=("办、委", 3, 1)),
    ResidueRule(
        re.compile(rf"(?:××|ＸＸ|XX|xx)(?=[{_CJK}])|[X×][ \t]*月[ \t]*[X×][ \t]*日"),
        "模板占位符",
        "template placeholder",
    ),
    ResidueRule(
        re.compile(
            r"(?:单位名称|填报单位|评价单位)[ \t]*[:：][ \t]*(?:[（(]盖章[）)])?[ \t]*$", re.M
        ),
        "单位名称空白",
        "blank unit name",
    ),
    ResidueRule(
        re.compile(r"[（(【\[]单位名称[）)】\]]"),
        "模板占位词",
        "template placeholder",
        near=("单位名称", 1, 1),
    ),
)
# "按照区财政局…" in a county's report: the template came from a district (or the reverse).
_BARE_LEVEL_RE = re.compile(r"(?:^|(?<=[按照向报送经由和及与、，,。；：:\s（(]))([区县])财政局")


def template_residue(ctx: Context) -> Iterator[Issue]:
    text = ctx.text
    head_end = _nth_line_end(text, 8)
    found: dict[str, list[tuple[int, int]]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for rule in RESIDUE_RULES:
        for match in _residue_matches(rule, text, head_end):
            quote = match.group().strip()
            if not quote:
                continue
            found.setdefault(quote, []).append((match.start(), match.end()))
            labels[quote] = (rule.what_zh, rule.what_en)
    unit = ctx.extraction.unit or ""
    level = "县" if re.search("[县旗]", unit) and "区" not in unit else None
    level = "区" if "区" in unit and not re.search("[县旗]", unit) else level
    for match in scan(_BARE_LEVEL_RE, text):
        if level is not None and match.group(1) != level:
            quote = match.group().lstrip("按照向报送经由和及与、，,。；：: \t（(")
            found.setdefault(quote, []).append((match.end() - len(quote), match.end()))
            labels[quote] = ("与本单位层级不符的机关名称", "authority of another level")
    for quote, spans in found.items():
        what_zh, what_en = labels[quote]
        yield Issue(
            subject=quote,
            params={
                "what": what_zh if ctx.config.lang == "zh" else what_en,
                "quote": quote,
                "count": len(spans),
            },
            spans=tuple(spans),
        )


def _residue_matches(rule: ResidueRule, text: str, head_end: int) -> Iterator[re.Match[str]]:
    if rule.head_only:
        return rule.pattern.finditer(text, 0, head_end)
    if rule.near is not None:
        anchor, before, after = rule.near
        return scan_near(rule.pattern, text, anchor, before=before, after=after)
    return scan(rule.pattern, text)


def _nth_line_end(text: str, n: int) -> int:
    at = 0
    for _ in range(n):
        found = text.find("\n", at)
        if found < 0:
            return len(text)
        at = found + 1
    return at


# "我乡", "本镇": the report speaking as a unit; "全镇" only backs up a stronger sign ("全乡辖区"
# is loose usage). "全乡镇" and "本乡本土" are idioms.
_SELF_REF_RE = re.compile(
    r"(?<![自])(?P<mine>我|本)(?P<kind>镇|乡|街道|街|苏木|局|委|办|中心)(?!镇|村|级|本土|里|亲|土)"
    r"|(?<![自])全(?P<whole>镇|乡|街道|苏木)(?!镇|村|级)"
)
# "红石镇党委、政府团结带领…": another township's leadership acting in this report's narrative.
_TOWN_LEADERSHIP_RE = re.compile(
    rf"(?:^|(?<=[，,。；;：:、\s]))([{_CJK}]{{2,4}}?(?:镇|乡|街道|苏木))"
    r"党(?:委|工委)[、和]?(?:政府|办事处)"
)
# Where a _TOWN_LEADERSHIP_RE match lies (see scan_near): the name (2–4 characters and 镇/街道…)
# ends right before 党; 工委, 、 and 办事处 follow.
TOWN_LEADERSHIP_NEAR = ("党", 6, 6)
# Words that begin a clause before "镇党委" without being a town's name ("完成镇党委、政府交办…").
_NOT_A_NAME_RE = re.compile(
    r"^(?:完成|按照|根据|配合|协助|服从|落实|执行|围绕|在|向|由|经|全|本|我|各|乡)"
)


def foreign_self_reference(ctx: Context) -> Iterator[Issue]:
    own = organisation_kind(ctx.extraction.unit)
    if own is None:
        return
    strong: dict[str, list[tuple[int, int]]] = {}
    weak: dict[str, list[tuple[int, int]]] = {}
    for match in scan(_SELF_REF_RE, ctx.text):
        said = match.group("kind") or match.group("whole")
        if match.group("mine") == "本" and said not in TOWNSHIP_KINDS:
            continue  # "本局" is generic enough in any department's text
        kind = {"街": "街道", "苏木": "乡"}.get(said, said)
        if kind == own or _SELF_PLACEHOLDER_RE.match(ctx.text, match.start()):
            continue
        township_own, township_said = own in TOWNSHIP_KINDS, kind in TOWNSHIP_KINDS
        if not township_own and not township_said:
            continue  # 局/委/办/中心 speak of each other loosely ("我委（局）")
        target = weak if match.group("whole") else strong
        target.setdefault(match.group(), []).append(match.span())
    own_town = town_name(ctx.extraction.unit)
    if own in TOWNSHIP_KINDS and own_town:
        anchor, before, after = TOWN_LEADERSHIP_NEAR
        for match in scan_near(_TOWN_LEADERSHIP_RE, ctx.text, anchor, before=before, after=after):
            name = match.group(1)
            if name in own_town or own_town in name or _NOT_A_NAME_RE.match(name):
                continue
            strong.setdefault(match.group(), []).append(match.span())
    if not strong:
        return
    found = {**strong, **weak}
    spans = sorted(span for spans in found.values() for span in spans)
    yield Issue(
        subject="self-reference",
        params={"said": "、".join(found), "unit": ctx.extraction.unit or "", "count": len(spans)},
        fields=("unit",),
        spans=tuple(spans),
    )


def other_units_named(ctx: Context) -> Iterator[Issue]:
    if ctx.batch is None or ctx.position is None:
        return
    own = ctx.extraction.unit
    own_town = town_name(own)
    for town, spans in towns_named(ctx.batch, ctx.text).items():
        if own_town is not None and (town in own_town or own_town in town):
            continue
        owners = [p for p in ctx.batch.towns[town] if p != ctx.position]
        if not owners or any(one_unit(own, ctx.batch.units[p]) for p in owners):
            continue
        yield Issue(
            subject=town,
            params={"other": town, "count": len(spans)},
            fields=("unit",),
            spans=tuple(spans),
        )


def copied_passages(ctx: Context) -> Iterator[Issue]:
    if ctx.batch is None or ctx.position is None:
        return
    by_other: dict[int, list[tuple[int, int, int]]] = {}
    for passage in shared_passages(ctx.batch, ctx.position, ctx.text):
        by_other.setdefault(passage.other, []).append((passage.start, passage.end, passage.chars))
    for other, passages in by_other.items():
        chars = sum(c for _, _, c in passages)
        if chars < ctx.config.copied_min_chars:
            continue
        yield Issue(
            subject=f"copied:{ctx.batch.units[other] or other}",
            params={
                "other": ctx.batch.units[other] or f"#{other + 1}",
                "chars": chars,
                "count": len(passages),
            },
            spans=tuple((s, e) for s, e, _ in passages),
        )


_YEAR_CLAIM_RES = (
    re.compile(r"(?:评价|自评|考核)年度[ \t]*[:：]?[ \t]*((?:19|20)\d\d)"),
    re.compile(
        r"(?<!上)(?<!去)((?:19|20)\d\d)[ \t]*年度?[ \t]*(?:本?(?:部门|单位))?[^。\n，,；]{0,12}?"
        r"(?:部门|单位)?整体(?:支出)?绩效(?:自评|评价)"
    ),
)


def year_claims(ctx: Context) -> Iterator[Issue]:
    year = ctx.extraction.year
    if year is None:
        return
    spans: dict[int, list[tuple[int, int]]] = {}
    for pattern in _YEAR_CLAIM_RES:
        for match in scan(pattern, ctx.text):
            claimed = int(match.group(1))
            if claimed != year:
                spans.setdefault(claimed, []).append(match.span())
    for claimed, found in spans.items():
        yield Issue(
            subject=str(claimed),
            params={"claimed": claimed, "year": year, "count": len(found)},
            fields=("year",),
            spans=tuple(found),
        )


def unit_name_variants(ctx: Context) -> Iterator[Issue]:
    """The unit's full name written with its first character missing ("闻县前山镇人民政府")."""
    unit = ctx.extraction.unit
    if not unit or len(unit) < 6:
        return
    text = ctx.text
    tail = unit[1:]
    if tail[0] in "县区市省旗州盟":
        return  # "县卫生健康委员会" is the usual short form, not a slip
    spans = [
        (m.start(), m.end())
        for m in re.finditer(re.escape(tail), text)
        if m.start() == 0 or not re.match(f"[{_CJK}]", text[m.start() - 1])
    ]
    if spans:
        yield Issue(
            subject=tail,
            params={"variant": tail, "unit": unit, "count": len(spans)},
            fields=("unit",),
            spans=tuple(spans),
        )
