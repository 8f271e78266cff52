"""The field vocabulary as a data table: one entry per field, with its labels and wordings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from core.patterns import UserPattern


@dataclass(frozen=True)
class FieldRule:
    """How one field of the vocabulary is labelled and written in reports."""

    key: str
    """Stable identifier used in exports, the review log and the CLI."""
    label_zh: str
    """What a Chinese reviewer sees."""
    label_en: str
    """What an English reviewer sees."""
    unit: str
    """Canonical unit: 万元, %, 人, 个, 分, 等级."""
    wordings: tuple[str, ...]
    """Regular expressions for the label as reports write it; the figure follows the label."""
    weak_wordings: tuple[str, ...] = ()
    """Wordings used only when no regular wording states the field."""
    scope: str = "unit"
    """"unit" for the whole unit, "project" for the project-expenditure part of the report."""
    project_twin: str | None = None
    """For a unit-scope field: the field it becomes inside a project-expenditure sentence."""
    user_patterns: tuple[UserPattern, ...] = ()
    """Label patterns from config.toml ([fields.patterns]), run with a time limit."""


# Label quotes: “三公” / "三公" / ‘三公’ / 三公.
_Q = "[“”\"'‘’「」]?"
_PAREN_JING = "[（(]境[）)]"

FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule(
        "staff_authorized",
        "编制数",
        "Authorized staff",
        "人",
        (
            r"(?:人员|机构)?编制(?:总数|人数|数)",
            r"(?:机构编制部门)?核定(?:编制|人数|人员编制)(?:总数|数|人数)?",
            r"(?:机关)?(?:行政|事业|全额事业|参公)?编制(?=[\s为共计是有：:]*[0-9０-９一二三四五六七八九十两百]+\s*[人名])",
            r"定编(?:人数)?",
        ),
    ),
    FieldRule(
        "staff_actual",
        "实有人数",
        "Staff in post",
        "人",
        (
            r"(?:年[末未底])?(?:实际)?(?:在职|实有|在编在岗|在岗|在编)(?:在编)?(?:人员|人数|职工)(?:总数|数)?",
            r"(?:年[末未底])?实有(?:人员)?",
            r"在职(?=\s*[0-9０-９一二三四五六七八九十两百]+\s*[人名])",
            # "现有政府工作人员64人", "现有干部职工38人"
            r"现有[\u4e00-\u9fff]{0,4}?(?:工作人员|干部职工|在职人员|职工)",
        ),
    ),
    FieldRule(
        "income_total",
        "收入合计",
        "Total income",
        "万元",
        (
            r"(?:本年|全年|部门)?收入(?:合计|总计|总额)",
            r"本年度?收入",
            r"(?:本年度?|全年)?总收入",
            r"(?<![一般公共预算政府性基金])财政拨款(?:预算)?收入",
        ),
    ),
    FieldRule(
        "income_general",
        "一般公共预算收入",
        "General public budget income",
        "万元",
        (r"一般公共预算(?:财政)?拨款收入",),
        weak_wordings=(r"(?<=其中)一般公共预算(?:财政拨款)?收入",),
    ),
    FieldRule(
        "income_fund",
        "政府性基金收入",
        "Government fund income",
        "万元",
        (r"政府性基金(?:预算)?(?:财政)?拨款收入",),
        weak_wordings=(r"(?<=其中)政府性基金(?:预算)?收入",),
    ),
    FieldRule(
        "budget_initial",
        "年初预算",
        "Initial budget",
        "万元",
        (
            r"(?:整体)?(?:(?<![0-9０-９])年)?初(?:预算|批复预算|部门预算)(?:数|安排|批复|金额|资金)?",
            r"(?:(?<![0-9０-９])年)?初批复(?:预算)?(?:数|金额)?",
            r"(?:部门)?预算批复(?:数|金额)",
        ),
        project_twin="project_budget_initial",
    ),
    FieldRule(
        "budget_adjusted",
        "调整预算",
        "Adjusted budget",
        "万元",
        (
            r"(?:年中)?调整(?:后的?)?(?:全年)?预算(?:数|金额)?",
            r"预算调整(?:后|数)(?:预算数?)?",
            r"全年预算(?:数|金额)?",
        ),
        project_twin="",
    ),
    FieldRule(
        "spending_all",
        "总支出",
        "All spending incl. carry-over",
        "万元",
        (r"(?:本年度?|全年)?总支出",),
    ),
    FieldRule(
        "spending_total",
        "实际支出",
        "Actual spending",
        "万元",
        (
            r"(?:全年)?(?:完成)?实际(?:完成)?支出(?:数|金额)?",
            r"(?:本年度?|全年|当年)(?:财政拨款)?支出(?:合计|总额)?",
            r"支出(?:合计|总计|总额|决算数|决算)",
            r"决算支出(?:数)?",
            r"(?<![项目基本])决算(?:支出)?数",
            r"(?<![项目基本])财政拨款支出",
            # A single-project report's money: "资金已使用2.00万元", "实际使用资金…".
            r"(?:已|实际)(?:使用|支出|支付)(?:资金)?",
        ),
        weak_wordings=(
            r"(?<!年初)(?<!调整)支出预算(?:数)?",
            r"(?<![收入])一般公共预算(?:财政拨款)?支出(?:决算)?(?:数)?",
        ),
        project_twin="project_spending",
    ),
    FieldRule("spending_basic", "基本支出", "Basic spending", "万元", (r"基本支出",)),
    FieldRule("spending_project", "项目支出", "Project spending", "万元", (r"项目支出",)),
    FieldRule(
        "spending_personnel",
        "人员经费",
        "Personnel spending",
        "万元",
        (r"人员经费", r"工资福利支出"),
    ),
    FieldRule(
        "spending_public",
        "公用经费",
        "Public operating spending",
        "万元",
        (r"(?:日常)?公用经费",),
    ),
    FieldRule(
        "sangong_total",
        "三公经费",
        "'Three public' expenses",
        "万元",
        (rf"{_Q}三公{_Q}经费",),
    ),
    FieldRule(
        "sangong_abroad",
        "因公出国（境）费",
        "Official travel abroad",
        "万元",
        (rf"因公出国{_PAREN_JING}?(?:费用?|经费)",),
    ),
    FieldRule(
        "sangong_reception",
        "公务接待费",
        "Official reception",
        "万元",
        (r"公务接待(?:费用?|经费)?",),
    ),
    FieldRule(
        "sangong_vehicle",
        "公务用车购置及运行维护费",
        "Official vehicles",
        "万元",
        (
            r"公务用车(?:购置(?:及|和|与))?运行(?:维护|维修)?(?:费用?|经费)?",
            r"公务用车(?:费用?|经费)",
        ),
    ),
    FieldRule("meeting", "会议费", "Meetings", "万元", (r"会议费",)),
    FieldRule("training", "培训费", "Training", "万元", (r"培训费",)),
    FieldRule(
        "carryover_total",
        "结转结余",
        "Carry-over",
        "万元",
        (
            r"(?:财政资金|年末)?(?:结转(?:和|及|与)?结余|结余(?:和|及|与)?结转)(?:资金|总额|合计|金额)?",
            r"年末结余(?:资金)?",
        ),
    ),
    FieldRule(
        "carryover_rate",
        "结转结余率",
        "Carry-over rate",
        "%",
        (r"(?:年末)?(?:结转(?:和|及)?结余|结余(?:和|及)?结转|结余)率",),
    ),
    FieldRule(
        "execution_rate",
        "预算执行率",
        "Budget execution rate",
        "%",
        (
            r"(?:单位|部门)?(?:年度)?(?:预算|资金|实际|整体)?(?:执行|支出)率",
            r"(?:预算|资金)?执行进度",
        ),
        project_twin="project_execution_rate",
    ),
    FieldRule(
        "project_count",
        "项目个数",
        "Number of projects",
        "个",
        (
            r"(?<![类的])项目(?:支出)?(?:共计|共有|合计|总计|共)",
            r"(?:涉及|实施|安排|共有|共计)(?:的)?(?:预算)?项目(?:支出)?(?:共计?|合计)?",
            r"项目(?:个数|数量)",
        ),
    ),
    FieldRule(
        "project_budget_initial",
        "项目年初预算",
        "Projects' initial budget",
        "万元",
        (r"(?<![类的])项目(?:支出)?年初预算(?:数|安排)?", r"(?<![类的])项目支出预算(?:数)?"),
        scope="project",
    ),
    FieldRule(
        "project_spending",
        "项目决算",
        "Projects' spending",
        "万元",
        (r"(?<![类的])项目(?:支出)?决算(?:数)?", r"(?<![类的])项目(?:支出)?实际支出(?:数)?"),
        scope="project",
    ),
    FieldRule(
        "project_execution_rate",
        "项目支出率",
        "Projects' execution rate",
        "%",
        (r"(?<![类的])项目(?:支出|资金|预算)?(?:实际)?(?:执行|支出)率",),
        scope="project",
    ),
    FieldRule(
        "score",
        "自评得分",
        "Self-evaluation score",
        "分",
        (
            r"(?:绩效评价|自评结果|自评|评价|综合|总|考核)(?:得分|分数|评分)",
            r"(?:自评|评价|考核)总分",
            r"自评分(?:数|值)?(?!值)",
        ),
        weak_wordings=(r"(?<![满总])得分",),
    ),
    FieldRule(
        "grade",
        "评价等级",
        "Grade",
        "等级",
        (
            r"(?:评价|自评|绩效|考核)?(?:等级|等次)",
            r"(?:单位|部门)?(?:自评|评价)结果",
        ),
    ),
)

RULES_BY_KEY: Mapping[str, FieldRule] = {rule.key: rule for rule in FIELD_RULES}
FIELD_KEYS: tuple[str, ...] = tuple(rule.key for rule in FIELD_RULES)


def with_aliases(
    rules: Sequence[FieldRule],
    aliases: Mapping[str, Sequence[str]],
    *,
    patterns: Mapping[str, Sequence[UserPattern]] | None = None,
) -> tuple[FieldRule, ...]:
    """Add literal label aliases and user label patterns (from config.toml) to the rules;
    unknown keys raise KeyError."""
    patterns = patterns or {}
    unknown = sorted((set(aliases) | set(patterns)) - {rule.key for rule in rules})
    if unknown:
        raise KeyError(", ".join(unknown))
    return tuple(
        replace(
            rule,
            wordings=rule.wordings + tuple(re.escape(a) for a in aliases.get(rule.key, ())),
            user_patterns=rule.user_patterns + tuple(patterns.get(rule.key, ())),
        )
        if rule.key in aliases or rule.key in patterns
        else rule
        for rule in rules
    )


def without_pattern(rules: Sequence[FieldRule], user: UserPattern) -> tuple[FieldRule, ...]:
    """The rules without one user pattern (after it ran out of time)."""
    return tuple(
        replace(rule, user_patterns=tuple(p for p in rule.user_patterns if p != user))
        if user in rule.user_patterns
        else rule
        for rule in rules
    )


@dataclass(frozen=True)
class SumRelation:
    """A total that its parts must add up to (used to read 元/万元 slips and by the checks)."""

    total: str
    parts: tuple[str, ...]
    others: str = ""
    """Labels of parts outside the vocabulary (其他收入…): when the total's paragraph names one,
    the stated parts need not make up the whole total, only never exceed it."""


SUM_RELATIONS: tuple[SumRelation, ...] = (
    SumRelation("spending_total", ("spending_basic", "spending_project")),
    SumRelation("spending_basic", ("spending_personnel", "spending_public")),
    SumRelation("sangong_total", ("sangong_abroad", "sangong_reception", "sangong_vehicle")),
    SumRelation(
        "income_total",
        ("income_general", "income_fund"),
        others=r"其他收入|事业收入|经营收入|上级补助收入|附属单位上缴|国有资本经营预算|社会保险基金"
        r"|财政专户|非税收入|上年结转|结转结余|自有资金|其他资金",
    ),
)


RATE_RELATIONS: tuple[tuple[str, str, str], ...] = (
    ("execution_rate", "spending_total", "budget_adjusted"),
    ("carryover_rate", "carryover_total", "budget_adjusted"),
    ("project_execution_rate", "project_spending", "project_budget_initial"),
)
"""A stated rate (in %) and the amounts it is made of: rate = numerator / denominator × 100."""
