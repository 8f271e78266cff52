"""The wordings the forms are read by, as data: adding a wording is adding an entry.

Every pattern is matched against one whole cell (`fullmatch`), after a bracketed suffix
("(A)", "(B/A)", "(万元)") and a closing colon are taken off, so a wording never finds its
words inside a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Wording:
    """One thing a cell may say: a column header, a row label, a header field."""

    kind: str
    """What the cell stands for ("initial", "spending", "total", …)."""
    pattern: str
    """Regular expression for the whole cell."""
    label: str
    """How notes and messages name it (the form's usual wording)."""


@dataclass(frozen=True)
class FormTitle:
    """A form the tool reads, known by its title."""

    kind: str
    """"project" or "department"."""
    pattern: str
    title: str
    """The national name, used in notes ("form: 项目支出绩效自评表 全年执行数")."""


FORM_TITLES: tuple[FormTitle, ...] = (
    FormTitle(
        "project", r"项目支出绩效自评表|项目绩效自评表|项目支出绩效目标自评表", "项目支出绩效自评表"
    ),
    FormTitle(
        "department",
        r"部门(?:[（(]单位[）)])?整体(?:支出)?绩效(?:目标)?自评表|部门整体支出绩效评价基础数据表"
        r"|单位整体(?:支出)?绩效(?:目标)?自评表",
        "部门整体支出绩效自评表",
    ),
)

# The funding block: 项目资金（万元） / 资金情况（万元）.
FUNDING_COLUMNS: tuple[Wording, ...] = (
    Wording(
        "initial", r"年初预算(?:数|金额|资金总额|资金|批复数)?|年初批复(?:预算)?数?", "年初预算数"
    ),
    Wording(
        "adjusted",
        r"全年预算(?:数|金额)?|调整(?:后的?)?(?:全年)?预算(?:数|金额)?|预算调整数",
        "全年预算数",
    ),
    Wording(
        "spending",
        r"全年(?:实际)?执行(?:数|金额)|实际执行(?:数|金额)|预算执行数|全年支出数|实际支出(?:数|金额)",
        "全年执行数",
    ),
    Wording("weight", r"分值|权重|指标权重|参考分值", "分值"),
    Wording("rate", r"(?:预算)?执行率|资金执行率|支出率", "执行率"),
    Wording("score", r"得分|自评得分|评分", "得分"),
    Wording("method", r"得分计算方法|计分方法|评分(?:标准|方法)|计算方法", "得分计算方法"),
    Wording("reason", r"产生差异的原因|差异原因|偏差原因.*|未完成原因.*", "差异原因"),
    Wording("invested", r"实际投入资金(?:额|总额)?|实际到位资金(?:额)?|到位资金", "实际投入资金额"),
)
TEXT_COLUMNS = frozenset({"method", "reason"})
"""Funding columns that hold words, not numbers."""

FUNDING_ROWS: tuple[Wording, ...] = (
    Wording("total", r"年度资金总额|资金总额|合\s*计|总\s*计|年度资金合计", "年度资金总额"),
    Wording("current", r"(?:其中[:：]?\s*)?(?:当年|本年)?财政拨款(?:资金)?", "当年财政拨款"),
    Wording("carryover", r"(?:其中[:：]?\s*)?上年结转(?:结余)?(?:资金)?", "上年结转资金"),
    Wording("other", r"(?:其中[:：]?\s*)?其他(?:资金)?", "其他资金"),
    Wording("basic", r"(?:其中[:：]?\s*)?基本支出", "基本支出"),
    Wording("project", r"(?:其中[:：]?\s*)?项目支出", "项目支出"),
)

INDICATOR_COLUMNS: tuple[Wording, ...] = (
    Wording("level1", r"一级指标", "一级指标"),
    Wording("level2", r"二级指标", "二级指标"),
    Wording("level3", r"三级指标|指标名称|绩效指标", "三级指标"),
    Wording("target", r"(?:年度)?指标值|年度目标值|目标值|预期(?:目标)?值", "年度指标值"),
    Wording("actual", r"(?:全年)?实际(?:完成)?值|实际完成(?:情况)?", "实际完成值"),
    Wording("weight", r"分值|权重|指标权重|参考分值", "分值"),
    Wording("score", r"得分", "得分"),
    Wording("reason", r"偏差原因.*|未完成原因.*|产生差异的原因.*", "偏差原因"),
    Wording("unit", r"计量单位|单位", "计量单位"),
)

TOTAL_ROW = r"总\s*分|合\s*计|总\s*计|综合得分|自评总分"
"""The indicator table's last row."""
GRADE_LABEL = r"(?:评价|自评|绩效)?等级|等次"
GRADE_WORDS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中"}
GRADE_WORDS |= {"合格": "中", "差": "差", "较差": "差", "不合格": "差"}

HEADER_FIELDS: tuple[Wording, ...] = (
    Wording("project_name", r"项目名称", "项目名称"),
    Wording("department", r"主管部门", "主管部门"),
    Wording("implementer", r"实施单位", "实施单位"),
    Wording("unit_name", r"(?:部门|单位)(?:[（(]单位[）)])?名称", "单位名称"),
    Wording("stated_score", r"自评得分|自评分数|评价得分", "自评得分"),
)

FORM_END = r"年度总体目标.*|总体目标.*|年度绩效指标.*|绩效指标|一级指标|说明|备注"
"""Cells that close a funding block."""

PROPORTIONAL_RULE = re.compile(r"执行率|[Bb]\s*[/÷]\s*[Aa]|执行数\s*[/÷]")
BANDED_RULE = re.compile(r"[≥≤>＞<＜]|以上|以下|档|区间|每[低少下]")
"""A 得分计算方法 that scores by the rate (×分值) or in bands."""

# Words an OCR'd copy garbles one character of: looked for with one character free.
OCR_WORDS: tuple[str, ...] = (
    "年初预算数",
    "全年预算数",
    "调整预算数",
    "全年执行数",
    "年度资金总额",
    "年度指标值",
    "实际完成值",
    "项目名称",
    "主管部门",
    "实施单位",
    "自评得分",
)

_SPACES_RE = re.compile(r"\s+")
# Noise an OCR'd header leaves between its words: ",A、", "(八)".
JUNK_RE = re.compile(r"[,，、.。:：;；A-Za-z()（）\s八人]{1,5}")


def bare(cell: str) -> str:
    """A header cell without its bracketed suffixes and closing colon, spaces squeezed out."""
    text = _SPACES_RE.sub("", cell).rstrip(":：")
    while text.endswith((")", "）")):
        opening = max(text.rfind("("), text.rfind("（"))
        if opening < 0 or len(text) - opening > 12:
            break
        text = text[:opening]
    return text


@lru_cache(maxsize=32)
def compiled(wordings: tuple[Wording, ...]) -> tuple[tuple[Wording, re.Pattern[str]], ...]:
    """The wordings' patterns, compiled once."""
    return tuple((w, re.compile(w.pattern)) for w in wordings)


def kind_of(cell: str, wordings: tuple[Wording, ...]) -> Wording | None:
    """The wording a whole cell says, or None."""
    text = bare(cell)
    if not text:
        return None
    for wording, pattern in compiled(wordings):
        if pattern.fullmatch(text):
            return wording
    return None


def fuzzy_word(cell: str) -> str | None:
    """The OCR word a cell is with one character garbled ("年初预匏数" → "年初预算数"), or None."""
    text = bare(cell)
    for word in OCR_WORDS:
        if len(text) == len(word) and sum(a != b for a, b in zip(text, word, strict=True)) == 1:
            return word
    return None
