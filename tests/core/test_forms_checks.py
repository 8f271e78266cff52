"""The form checks: each rule fires on a form that breaks it and stays quiet on a near one."""

from __future__ import annotations

from core.checks import CHECKS_BY_ID, run_checks
from core.checks_forms import meets
from core.models import Finding
from tests.core.forms_texts import (
    INDICATORS,
    department_form,
    one_cell_per_line,
    project_form,
    read,
)

FORM_CHECKS = (
    "score_rule_mismatch",
    "score_sum_mismatch",
    "score_over_weight",
    "score_above_attainable",
    "met_but_marked_down",
)


def findings(text: str, lang: str = "zh") -> list[Finding]:
    from core.check_context import CheckConfig

    ex = read(text)
    return [f for f in run_checks(ex, config=CheckConfig(lang=lang)) if f.check in FORM_CHECKS]


def only(text: str, check: str) -> list[Finding]:
    return [f for f in findings(text) if f.check == check]


def test_the_checks_are_in_the_table_with_both_languages() -> None:
    for check_id in FORM_CHECKS:
        check = CHECKS_BY_ID[check_id]
        assert check.label_zh and check.label_en and check.message_zh and check.message_en


def test_a_right_form_has_no_findings() -> None:
    assert findings(project_form()) == []
    assert findings(project_form(sep="\t")) == []
    assert findings(one_cell_per_line(project_form())) == []
    assert findings(department_form()) == []


# ---- (a) the budget-execution score follows 执行率 × 分值 ----------------------------------


def test_score_against_its_rule_fires_with_the_arithmetic() -> None:
    text = project_form(("200", "200", "190", "10", "95%", "8"), total=("100", "98"))
    [found] = only(text, "score_rule_mismatch")
    assert found.severity == "error"
    assert "190÷200 = 95%" in found.message and "应为9.5分" in found.message
    ex = read(text)
    assert all(ex.report.text[s:e] for s, e in found.spans)


def test_a_score_that_follows_the_rule_or_its_rounding() -> None:
    assert not only(project_form(("200", "200", "190", "10", "95%", "9.5")), "score_rule_mismatch")
    # capped at 分值: spending above the budget scores no more than 10
    text = project_form(("200", "200", "210", "10", "105%", "10"), total=("100", "100"))
    assert not only(text, "score_rule_mismatch")


def test_score_rule_on_a_placed_row_only_warns() -> None:
    text = project_form(("200", "200", "190", "10", "7"), total=("100", "97"))
    [found] = only(text, "score_rule_mismatch")
    assert found.severity == "warning" and "请核对原表" in found.message


def test_a_banded_rule_is_not_the_proportional_one() -> None:
    banded = department_form(
        ("1500.00", "1425.00", "10", "8", "执行率≥98%得10分，每低1个百分点扣1分")
    )
    assert not only(banded, "score_rule_mismatch")
    proportional = department_form(("1500.00", "1425.00", "10", "8", "执行率×分值"))
    [found] = only(proportional, "score_rule_mismatch")
    assert found.severity == "error" and "1425÷1500" in found.message


# ---- (b) 总分 against the sum; each 得分 within its 分值 --------------------------------------


def test_total_against_the_sum_of_the_scores() -> None:
    [found] = only(project_form(total=("100", "96")), "score_sum_mismatch")
    assert found.severity == "error"
    assert "99.5" in found.message and "96" in found.message


def test_a_total_that_is_right() -> None:
    assert not only(project_form(total=("100", "99.5")), "score_sum_mismatch")


def test_no_sum_when_the_weights_do_not_add_up_to_the_total() -> None:
    # A row was not read (its 分值/得分 missing): the sum cannot be judged.
    rows = (*INDICATORS[:3], ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "96%"))
    assert not only(project_form(indicators=rows, total=("100", "70")), "score_sum_mismatch")


def test_a_score_above_its_weight() -> None:
    rows = (
        *INDICATORS[:3],
        ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "96%", "20", "22"),
    )
    found = only(project_form(indicators=rows, total=("100", "101.5")), "score_over_weight")
    assert [f.severity for f in found] == ["error"]
    assert "22" in found[0].message and "20" in found[0].message


# ---- (c) a stated score above what the deductions leave -----------------------------------


def _cut_rows() -> tuple[tuple[str, ...], ...]:
    return (
        ("产出指标", "数量指标", "修缮校舍面积", "≥300平方米", "280平方米", "20", "16", "面积调减"),
        ("效益指标", "社会效益指标", "受益学生人数", "≥800人", "700人", "30", "27", "生源减少"),
    )


def test_stated_score_above_what_is_attainable() -> None:
    text = project_form(header_extra="自评得分 98", indicators=_cut_rows(), total=None)
    [found] = only(text, "score_above_attainable")
    assert found.severity == "error"
    assert "自评得分98分" in found.message and "92.5分" in found.message  # 100 - 0.5 - 4 - 3


def test_stated_score_within_what_is_attainable() -> None:
    text = project_form(header_extra="自评得分 92", indicators=_cut_rows(), total=None)
    assert not only(text, "score_above_attainable")


# ---- (d) met but marked down ---------------------------------------------------------------


def test_met_but_marked_down_without_a_reason() -> None:
    rows = (
        *INDICATORS[:3],
        ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "96%", "20", "18"),
    )
    found = only(project_form(indicators=rows, total=("100", "97.5")), "met_but_marked_down")
    assert [f.severity for f in found] == ["warning"]
    assert "师生满意度" in found[0].message


def test_marked_down_with_a_reason_or_not_met() -> None:
    with_reason = (
        *INDICATORS[:3],
        ("满意度指标", "满意度", "师生满意度", "≥90%", "96%", "20", "18", "个别投诉"),
    )
    assert not only(
        project_form(indicators=with_reason, total=("100", "97.5")), "met_but_marked_down"
    )
    missed = (*INDICATORS[:3], ("满意度指标", "满意度", "师生满意度", "≥90%", "85%", "20", "18"))
    assert not only(project_form(indicators=missed, total=("100", "97.5")), "met_but_marked_down")


def test_what_meets_a_target() -> None:
    assert meets("≥95%", "98%") and meets("≤30天", "28天") and meets("达标", "达标")
    assert meets("100%", "100%") and meets("=1", "1")
    assert not meets("≥95%", "90%") and not meets("≤30天", "35天") and not meets("1", "2")
    assert not meets("≥95%", "98天") and not meets("/", "/")


def test_messages_in_english() -> None:
    text = project_form(total=("100", "96"))
    [found] = [f for f in findings(text, lang="en") if f.check == "score_sum_mismatch"]
    assert "add up to 99.5" in found.message


# ---- an OCR'd copy in the 分值-first order ----------------------------------------------------

OCR_RUN = (
    "项目支出绩效自评表(2023年)项目名称乡村道路养护经费主管部门某县交通运输局实施单位某县公路段"
    "自评得分{stated}项目资金(万元)年度资金总额年初预算数调整预算数(A)全年执行数(B)执行率(B/A)"
    "52.352.352.3100%年度总体目标完成养护任务一级指标二级指标三级指标分值指标值(A)全年实际值(B)"
    "得分未完成原因分析及改进措施项目决策(10分)目标完整性5一目标明确5依据充分性5一依据充分5"
    "项目产出(40分)养护里程20120公里120公里18完成时间102023年11月完成2023年11月完成8"
    "路面合格率10一98%10\n"
)


def test_an_ocr_run_read_by_row_shape_only_warns() -> None:
    found = findings(OCR_RUN.format(stated="97"))
    above = [f for f in found if f.check == "score_above_attainable"]
    assert [f.severity for f in above] == ["warning"]
    assert "96分" in above[0].message and "OCR" in above[0].message
    met = [f for f in found if f.check == "met_but_marked_down"]
    assert len(met) == 2 and all(f.severity == "warning" for f in met)


def test_an_ocr_run_whose_score_is_attainable() -> None:
    found = findings(OCR_RUN.format(stated="96"))
    assert not [f for f in found if f.check == "score_above_attainable"]
