"""Words against the figures stated with them (core/checks_wording.py, and the readings of
core/checks_prose.py they extend), on short made-up texts: each check fires where the words
and the numbers are about one thing, and stays quiet on the near cases (every place, unit and
amount here is invented)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.core.test_checks_prose import QUIET as PROSE_QUIET
from tests.core.test_checks_prose import T, findings, severities

# (id, text, check, severities expected: [] = quiet)
CASES = [
    # ---- a change on last year against both years' figures ----
    ("增加d, d wrong", "公用经费58.20万元，比上年的52.80万元增加7.60万元。", "change_amount_mismatch",
     ["error"]),
    ("增加d, d right", "公用经费58.20万元，比上年的52.80万元增加5.40万元。", "change_amount_mismatch", []),
    ("d within the rounding of both figures", "公用经费58.2万元，比上年的52.8万元增加5.3万元。",
     "change_amount_mismatch", []),
    ("d beyond the rounding", "公用经费58.2万元，比上年的52.8万元增加5.1万元。",
     "change_amount_mismatch", ["error"]),
    ("rounding of the printed figures", "公用经费58.2万元，比上年的52.84万元增加5.4万元。",
     "change_amount_mismatch", []),
    ("上年 beside, 减少d wrong", "印刷费8.40万元，上年9.10万元，减少0.90万元。", "change_amount_mismatch",
     ["error"]),
    ("上年 beside, right", "印刷费8.40万元，上年9.10万元，减少0.70万元。", "change_amount_mismatch", []),
    ("由…增加到, then the change", "参保人数由上年的1,180人增加到1,250人，增加了80人。",
     "change_amount_mismatch", ["error"]),
    ("由…增加到, right", "参保人数由上年的1,180人增加到1,250人，增加了70人。",
     "change_amount_mismatch", []),
    ("由…增加到, a number of something else", "参保人数由上年的1,180人增加到1,250人，80人为新增外来务工人员。",
     "change_amount_mismatch", []),
    ("上年为Y after the change", "2023年支出120.5万元，比上年增加20.5万元，上年为110万元。",
     "change_amount_mismatch", ["error"]),
    ("（上年Y） after the change, right", "2023年支出120.5万元，比上年增加10.5万元（上年110万元）。",
     "change_amount_mismatch", []),
    ("a last-year figure of another field", "2023年支出120.5万元，比上年增加20.5万元，上年基本支出为110万元。",
     "change_amount_mismatch", []),
    ("约 before the change", "公用经费58.20万元，比上年的52.80万元增加约7万元。", "change_amount_mismatch",
     []),
    ("左右 after the change", "公用经费58.20万元，比上年的52.80万元增加7万元左右。",
     "change_amount_mismatch", []),
    ("a change of something else after", "公用经费58.20万元，比上年的52.80万元增加5.40万元，"
     "其中办公费增加3万元。", "change_amount_mismatch", []),
    ("a change in another unit", "培训120人次，比上年的100人次增加5万元。", "change_amount_mismatch", []),
    ("a wrong word is change_word_mismatch's", "公用经费45.20万元，比上年的52.80万元增加7.60万元。",
     "change_amount_mismatch", []),
    ("增长p%, p wrong", "公用经费58.20万元，比上年的52.80万元增长12.5%。", "change_amount_mismatch",
     ["error"]),
    ("增长p%, p right", "公用经费58.20万元，比上年的52.80万元增长10.2%。", "change_amount_mismatch", []),
    ("d right, p wrong", "公用经费58.20万元，比上年的52.80万元增加5.40万元，增长12.5%。",
     "change_amount_mismatch", ["error"]),
    ("d and p right", "公用经费58.20万元，比上年的52.80万元增加5.40万元，增长10.23%。",
     "change_amount_mismatch", []),
    ("约 before the rate", "公用经费58.20万元，比上年的52.80万元增长约12%。", "change_amount_mismatch", []),
    ("percentage points", "执行率98.20%，比上年的92.80%提高4.4个百分点。", "change_amount_mismatch", []),
    ("years are not figures", "2023年，比2022年增加5.4万元。", "change_amount_mismatch", []),
    ("X, d, p is change_rate_mismatch's", "2023年支出120.5万元，比上年增加10.5万元，增长19.55%（上年110万元）。",
     "change_amount_mismatch", []),
    ("X, d, p with Y, once", "2023年支出120.5万元，比上年增加10.5万元，增长19.55%（上年110万元）。",
     "change_rate_mismatch", ["error"]),
    # ---- 完成年初预算的Z% against the 决算 and 预算 stated with it ----
    ("Z wrong", "（一）农林水支出（类）。年初预算为120.00万元，支出决算为96.50万元，完成年初预算的90.42%。",
     "completion_rate_mismatch", ["error"]),
    ("Z right", "（一）农林水支出（类）。年初预算为120.00万元，支出决算为96.50万元，完成年初预算的80.42%。",
     "completion_rate_mismatch", []),
    ("Z truncated", "年初预算为120.00万元，支出决算为96.50万元，完成年初预算的80.41%。",
     "completion_rate_mismatch", []),
    ("Z rounded from rounded amounts", "年初预算为120万元，支出决算为96.5万元，完成年初预算的80.5%。",
     "completion_rate_mismatch", []),
    ("Z of the adjusted budget", "年初预算为120.00万元，调整预算为100万元，支出决算为96.50万元，"
     "完成调整预算的96.5%。", "completion_rate_mismatch", []),
    ("Z of a bare 预算: either", "年初预算为120.00万元，调整预算为100万元，支出决算为96.50万元，"
     "完成预算的96.5%。", "completion_rate_mismatch", []),
    ("Z of the initial budget named, wrong", "年初预算为120.00万元，调整预算为100万元，"
     "支出决算为96.50万元，完成年初预算的96.5%。", "completion_rate_mismatch", ["error"]),
    ("two finals in the item", "年初预算为120.00万元，支出决算为96.50万元，其中基本支出决算为60.00万元，"
     "完成年初预算的90%。", "completion_rate_mismatch", ["warning"]),
    ("items one after another", "1.教育支出：年初预算10万元，支出决算12万元，完成年初预算的120%；"
     "2.卫生支出：年初预算20万元，支出决算15万元，完成年初预算的75%。", "completion_rate_mismatch", []),
    ("no budget stated", "收入实现111.11万元，为年初预算的116.9%，比上年增长9.0%。",
     "completion_rate_mismatch", []),
    ("约 rate", "年初预算为120.00万元，支出决算为96.50万元，完成年初预算的90%左右。",
     "completion_rate_mismatch", []),
    ("zero budget", "年初预算为0万元，支出决算为12.00万元，完成年初预算的100%。",
     "completion_of_zero_budget", ["warning"]),
    ("zero budget, no rate", "年初预算为0万元，支出决算为12.00万元。", "completion_of_zero_budget", []),
    ("zero budget is no rate mismatch", "年初预算为0万元，支出决算为12.00万元，完成年初预算的100%。",
     "completion_rate_mismatch", []),
    # ---- the rate against 大于/小于/等于 when the item gives no amounts ----
    ("rate below 100, 大于 年初", "支出决算为96.50万元，完成年初预算的80.42%。"
     "决算数大于年初预算数的主要原因是：项目追加。", "comparison_word_mismatch", ["error"]),
    ("rate below 100, 大于 bare", "支出决算为96.50万元，完成年初预算的80.42%。"
     "决算数大于预算数的主要原因是：项目追加。", "comparison_word_mismatch", ["error"]),
    ("bare 预算数 where an adjusted one is named", "调整预算较年初增加20万元。支出决算为96.50万元，"
     "完成年初预算的80.42%。决算数大于预算数的主要原因是：项目追加。", "comparison_word_mismatch",
     ["warning"]),
    ("rate of another budget", "支出决算为96.50万元，完成调整预算的80.42%。"
     "决算数大于年初预算数的主要原因是：项目追加。", "comparison_word_mismatch", []),
    ("rate and word agree", "支出决算为96.50万元，完成年初预算的80.42%。决算数小于预算数的主要原因是：结转。",
     "comparison_word_mismatch", []),
    ("等于 at 100", "支出决算为96.50万元，完成年初预算的100.00%。决算数等于预算数。",
     "comparison_word_mismatch", []),
    ("amounts govern when stated", "年初预算为90.00万元，支出决算为96.50万元，完成年初预算的80.42%。"
     "决算数大于预算数的主要原因是：项目追加。", "comparison_word_mismatch", []),
    # ---- 超额完成/全面完成/未完成 against the rate beside ----
    ("超额完成 under 100", "绩效目标完成率96%，超额完成年度目标任务。", "completion_word_mismatch",
     ["error"]),
    ("超额完成, the word first", "超额完成年度目标，完成率96%。", "completion_word_mismatch", ["error"]),
    ("超额完成 over 100", "完成率105%，超额完成年度目标任务。", "completion_word_mismatch", []),
    ("超额完成 at a capped 100", "完成率100%，超额完成年度目标任务。", "completion_word_mismatch", []),
    ("全面完成 the rate's own target", "污水管网改造完成率92%，全面完成污水管网改造任务。",
     "completion_word_mismatch", ["error"]),
    ("全面完成 the year's targets", "污水管网改造完成率92%，全面完成年度目标任务。",
     "completion_word_mismatch", ["warning"]),
    ("a rate about another item", "污水管网改造完成率92%，超额完成招商引资任务。",
     "completion_word_mismatch", []),
    ("执行率 and 超额完成 the targets", "预算执行率98.6%，超额完成年度目标。", "completion_word_mismatch",
     ["warning"]),
    ("执行率 and 全面完成 the tasks", "预算执行率98.6%，全面完成年度各项工作任务。",
     "completion_word_mismatch", []),
    ("执行率 and the budget's target", "预算执行率98.6%，超额完成预算执行目标。", "completion_word_mismatch",
     ["error"]),
    ("未完成 at 100", "任务完成率100%，未完成年度任务。", "completion_word_mismatch", ["error"]),
    ("未完成 below 100", "任务完成率96%，未完成年度任务。", "completion_word_mismatch", []),
    ("未全面完成 below 100", "完成率96%，未全面完成年度目标。", "completion_word_mismatch", []),
    ("未完成原因 is a heading", "完成率100%，未完成原因分析。", "completion_word_mismatch", []),
    ("无未完成", "完成率100%，无未完成事项。", "completion_word_mismatch", []),
    ("未完成的2项", "绩效目标完成率100%；未完成的2项分别为维修改造项目。", "completion_word_mismatch", []),
    ("rounding within the last decimal", "完成率99.99%，全面完成年度目标。", "completion_word_mismatch", []),
    ("约 rate", "完成率约96%，超额完成年度目标。", "completion_word_mismatch", []),
    ("another rate beside", "完成率96%，执行率80%，超额完成年度目标。", "completion_word_mismatch", []),
    ("another sentence", "完成率96%。超额完成年度目标。", "completion_word_mismatch", []),
    ("a share is no completion rate", "项目资金占比96%，超额完成年度目标。", "completion_word_mismatch", []),
    # ---- a list whose items lead with their count ----
    ("counts leading, over", "全镇25个行政村，其中21个贫困村，7个非贫困村。", "list_exceeds_total",
     ["error"]),
    ("counts leading, within", "全镇28个行政村，其中21个贫困村，7个非贫困村。", "list_exceeds_total", []),
    ("counts leading after a count-last total", "下设机构20个，其中21个内设机构，7个派出机构。",
     "list_exceeds_total", ["error"]),
    ("counts leading in brackets", "全镇25个行政村（其中21个贫困村，7个非贫困村）。", "list_exceeds_total",
     ["error"]),
    ("counts leading, 等", "全镇25个行政村，其中：21个贫困村、7个非贫困村等。", "list_exceeds_total",
     ["error"]),
    ("overlapping kinds: labels with a verb", "全镇25个行政村，其中21个村通硬化路，7个村通自来水。",
     "list_exceeds_total", []),
    ("a label not of the thing counted", "共有学校5所，其中3所小学，3所初中。", "list_exceeds_total", []),
    ("a label with a change", "全镇25个行政村，其中21个贫困村已脱贫，7个非贫困村。",
     "list_exceeds_total", []),
    ("a year before a count", "全镇25个行政村，其中21个贫困村，2023年7个非贫困村。",
     "list_exceeds_total", []),
    ("约 count", "全镇25个行政村，其中21个贫困村，约7个非贫困村。", "list_exceeds_total", []),
    ("a count-first total needs counts leading", "全镇25个行政村，其中贫困村21个，非贫困村7个。",
     "list_exceeds_total", []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "check", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_wording_check(text, check, expected):
    assert severities(text, check) == expected


def test_change_amount_shows_both_figures_and_the_words():
    text = T + "公用经费58.20万元，比上年的52.80万元增加7.60万元。"
    (finding,) = [f for f in findings(text) if f.check == "change_amount_mismatch"]
    assert [text[s:e] for s, e in finding.spans] == ["52.80万元", "58.20万元", "增加7.60万元"]
    assert finding.message == "本年58.2万元 − 上年52.8万元 = 5.4万元，而文中称“增加7.60万元”"
    assert (finding.reported, finding.computed) == (Decimal("7.60"), Decimal("5.40"))


def test_change_rate_shows_the_formula():
    text = T + "公用经费58.20万元，比上年的52.80万元增长12.5%。"
    (finding,) = [f for f in findings(text, "en") if f.check == "change_amount_mismatch"]
    assert "÷ last year 52.8 = 10.23%" in finding.message
    assert "增长12.5%" in finding.message


def test_completion_rate_shows_the_formula_and_spans():
    text = T + "年初预算为120.00万元，支出决算为96.50万元，完成年初预算的90.42%。"
    (finding,) = [f for f in findings(text) if f.check == "completion_rate_mismatch"]
    assert (
        finding.message == "文中称“完成年初预算的90.42%”，而决算96.5万元 ÷ 年初预算120万元 = 80.42%"
    )
    assert [text[s:e] for s, e in finding.spans] == [
        "120.00万元",
        "96.50万元",
        "完成年初预算的90.42%",
    ]


def test_zero_budget_message():
    text = T + "年初预算为0万元，支出决算为12.00万元，完成年初预算的100%。"
    (finding,) = [f for f in findings(text) if f.check == "completion_of_zero_budget"]
    assert finding.message.startswith("年初预算为0，完成率无意义")


def test_completion_word_spans():
    text = T + "绩效目标完成率96%，超额完成年度目标任务。"
    (finding,) = [f for f in findings(text) if f.check == "completion_word_mismatch"]
    assert [text[s:e] for s, e in finding.spans] == ["绩效目标完成率96%", "超额完成"]


def test_count_leading_list_spans():
    text = T + "全镇25个行政村，其中21个贫困村，7个非贫困村。"
    (finding,) = [f for f in findings(text) if f.check == "list_exceeds_total"]
    assert [text[s:e] for s, e in finding.spans][1:] == [
        "全镇25个行政村",
        "21个贫困村",
        "7个非贫困村",
    ]


QUIET = [
    "年初预算为120.00万元，支出决算为",
    "完成年初预算的",
    "比上年的52.80万元增加",
    "公用经费58.20万元，比上年的",
    "完成率\t96%\t超额完成\n",
    "| 任务完成率 | 100% | 未完成年度任务 |\n",
    "完成率   96%   超额完成年度目标\n",
    "全镇25个行政村，其中21个",
    "根据青财预〔2023〕128号文件，比上年增加2023年3月15日下达。",
]


@pytest.mark.parametrize("text", QUIET + PROSE_QUIET)
def test_a_shape_that_cannot_be_read_is_no_finding(text):
    new = {
        "change_amount_mismatch",
        "completion_rate_mismatch",
        "completion_of_zero_budget",
        "completion_word_mismatch",
    }
    assert [f.message for f in findings(T + text) if f.check in new] == []
