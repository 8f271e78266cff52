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
        r"部门(?:[（(]单位[）)])?整体(?:支出)?绩效(?:目标)?自评表"
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


# ---- the data tables: 部门整体支出绩效评价基础数据表 and the 部门决算 tables ---------

# Titles, each on a short line of its own (core/forms/reading.py checks the line).
BASIC_DATA_TITLE = r"(?:部门|单位)?(?:[（(]单位[）)])?整体支出绩效(?:评价|自评)?基础数据表"
FINAL_ACCOUNTS_TITLE = (
    r"(?:收入支出|收入|支出|财政拨款[^\s\n]{0,16}?|[“\"‘']?三公[”\"’']?经费[^\s\n]{0,8}?)"
    r"决算(?:总|明细)?表"
)
# A data table's row label may carry its place in a list: "1、", "（二）", "其中：".
ROW_PREFIX = r"^(?:其中[:：]?|[（(]?[0-9０-９一二三四五六七八九十]{1,2}[）)、.．]|[:：])\s*"

# Column headers. Kinds: "final" (决算), "budget" (预算), "amount" (金额: the final accounts'
# one amount), "row_no" (行次/栏次, never an amount), "item" (the label column), "other" (a
# column of the form the tool reads nothing from). A leading year ("2023年", "上年", "本年")
# is taken off first and says which year the column is.
DATA_COLUMNS: tuple[Wording, ...] = (
    Wording("final", r"(?:实际)?决算(?:数|金额)?|实际(?:支出|执行)?数", "决算数"),
    Wording(
        "budget",
        r"(?:年初)?预算(?:数|金额)?|调整(?:后的?)?预算(?:数)?|预算调整数|全年预算(?:数)?",
        "预算数",
    ),
    Wording("amount", r"金额|数额", "金额"),
    Wording("row_no", r"行次", "行次"),
    Wording("item", r"项目|科目名称|科目编码|功能分类科目编码|[收支][入出]项目|收入|支出", "项目"),
    Wording(
        "other",
        r"财政拨款收入|上级补助收入|事业收入|经营收入|附属单位上缴收入|其他收入|上缴上级支出"
        r"|经营支出|对附属单位补助支出|一般公共预算财政拨款|政府性基金预算财政拨款"
        r"|国有资本经营预算财政拨款|增减(?:额|数|率|幅度)?|差额|差异|变动(?:额|率)|备注|说明",
        "",
    ),
)

# Headers that name a field: the values stand under them, in one row ("编制数 实际在职人数
# 控制率" / "48 45 93.75%"), or, as a row label, beside them ("人员编制数" / "48").
BASIC_FIELDS: tuple[Wording, ...] = (
    Wording("staff_authorized", r"(?:人员|核定|机构)?编制(?:数|人数)|核定人数", "编制数"),
    Wording(
        "staff_actual",
        r"(?:年末)?(?:实际)?在职(?:人员)?(?:人数|人员数)|(?:年末)?实有人(?:数|员数?)",
        "实际在职人数",
    ),
    Wording("staff_rate", r"(?:在职)?(?:人员)?(?:编制)?控制率", "控制率"),
    Wording("budget_initial", r"年初预算(?:数|金额)", "年初预算数"),
    Wording(
        "budget_adjusted",
        r"全年预算(?:数|金额)|调整(?:后的?)?(?:全年)?预算(?:数|金额)",
        "全年预算数",
    ),
    Wording(
        "spending_total", r"全年(?:实际)?执行(?:数|金额)|全年(?:实际)?支出(?:数|金额)", "全年执行数"
    ),
    Wording("execution_rate", r"(?:预算|资金)?执行率", "执行率"),
    Wording("carryover_total", r"(?:年末)?(?:结转(?:和|及)?结余)(?:资金|总额|数)?", "结转结余"),
)
BASIC_COUNTS = frozenset({"staff_authorized", "staff_actual"})
BASIC_RATES = frozenset({"staff_rate", "execution_rate"})

# Row labels of the basic-data table's grids: their value is this year's 决算 column.
BASIC_ROWS: tuple[Wording, ...] = (
    Wording("sangong_total", r"[“\"‘']?三公[”\"’']?经费(?:合计|支出|总额)?", "三公经费"),
    Wording(
        "sangong_vehicle",
        r"公务用车(?:购置(?:和|及|与)?(?:运行)?(?:维护|维修)?|运行(?:维护|维修)?)?(?:费|经费)"
        r"|公务用车购置及运行(?:维护)?费",
        "公务用车购置及运行维护费",
    ),
    Wording(
        "sangong_abroad",
        r"因公出国[（(]?境[）)]?(?:费|经费)|因公出国(?:费|经费)|出国(?:[（(]境[）)])?经费",
        "因公出国（境）费",
    ),
    Wording("sangong_reception", r"公务接待(?:费|经费)?", "公务接待费"),
    Wording("meeting", r"会议费", "会议费"),
    Wording("training", r"培训费", "培训费"),
    Wording("spending_basic", r"基本支出", "基本支出"),
    Wording("spending_project", r"项目支出", "项目支出"),
    Wording("spending_personnel", r"人员经费", "人员经费"),
    Wording("spending_public", r"(?:日常)?公用经费", "公用经费"),
    Wording("carryover_total", r"结转结余|结转和结余|年末结转和结余", "结转结余"),
)

# The 部门决算 tables: the rows read from this year's 决算 (or only) amount column. 收入总计 and
# 支出总计 (with the carry-overs) are the tables' rows too, and are read as nothing.
FINAL_ROWS: tuple[Wording, ...] = (
    Wording("income_total", r"本年收入(?:合计)?", "本年收入合计"),
    Wording("spending_total", r"本年支出(?:合计)?", "本年支出合计"),
    Wording("spending_basic", r"基本支出", "基本支出"),
    Wording("spending_project", r"项目支出", "项目支出"),
    Wording("carryover_total", r"年末结转和结余", "年末结转和结余"),
    Wording("by_columns", r"合\s*计", "合计"),
)
# The 合计 row of 收入决算表 / 支出决算表, read by its columns.
FINAL_FIELD_COLUMNS: tuple[Wording, ...] = (
    Wording("income_total", r"本年收入合计|收入合计", "本年收入合计"),
    Wording("spending_total", r"本年支出合计|支出合计", "本年支出合计"),
    Wording("spending_basic", r"基本支出", "基本支出"),
    Wording("spending_project", r"项目支出", "项目支出"),
)
# The "三公"经费 table written as rows (合计 / 因公出国（境）费 / …) under 预算数 · 决算数.
SANGONG_ROWS: tuple[Wording, ...] = (
    Wording("sangong_total", r"合\s*计|[“\"‘']?三公[”\"’']?经费(?:合计|支出)?", "合计"),
    *(w for w in BASIC_ROWS if w.kind.startswith("sangong_") and w.kind != "sangong_total"),
)
# The data tables, known by a title on a short line of its own.
DATA_TITLES: tuple[FormTitle, ...] = (
    FormTitle("basic_data", BASIC_DATA_TITLE, "部门整体支出绩效评价基础数据表"),
    FormTitle("final_accounts", FINAL_ACCOUNTS_TITLE, "部门决算表"),
)
EMPTY_TABLE = r"空表"
"""A table without data says so (空表说明): it is read as nothing."""
