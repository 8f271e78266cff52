"""The national forms read from text in every shape they arrive in (texts built in code)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.forms.flatten import build_grid
from core.forms.grid import is_run
from core.forms.reading import find_forms
from tests.core.forms_texts import (
    department_form,
    figure_values,
    form_figure_notes,
    one_cell_per_line,
    project_form,
    read,
)

D = Decimal
FULL = {
    "budget_initial": D(200),
    "budget_adjusted": D(200),
    "spending_total": D(190),
    "execution_rate": D(95),
    "score": D("99.5"),
}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(project_form(), id="spaces"),
        pytest.param(project_form(sep="\t"), id="tabs"),
        pytest.param(project_form(sep=" | "), id="pipes"),
        pytest.param(one_cell_per_line(project_form()), id="cell-per-line-blank"),
        pytest.param(one_cell_per_line(project_form(), blank=False), id="cell-per-line"),
    ],
)
def test_a_full_form_reads_the_same_in_every_shape(text: str) -> None:
    ex = read(text)
    assert {k: v for k, v in figure_values(ex).items() if k in FULL} == FULL
    notes = form_figure_notes(ex)
    assert notes["spending_total"] == "form: 项目支出绩效自评表 全年执行数"
    assert notes["budget_adjusted"] == "form: 项目支出绩效自评表 全年预算数"
    form = ex.forms[0]
    assert form.indicators_complete and len(form.indicators) == 4
    assert [p.name for p in ex.projects] == ["城关小学校舍维修项目"]
    assert ex.projects[0].amount == D(200)


def test_every_figure_quotes_its_own_cell() -> None:
    text = project_form(sep=" | ")
    ex = read(text)
    for fig in ex.figures:
        assert text[fig.start : fig.end] == fig.quote
        assert text[fig.value_start : fig.value_end] in fig.quote


def test_a_row_broken_over_two_lines() -> None:
    text = project_form().replace("年度资金总额 200 200 190", "年度资金总额\n200 200 190\n")
    assert {k: v for k, v in figure_values(read(text)).items() if k in FULL} == FULL


def test_five_values_under_six_headers_are_placed_only_when_one_placement_fits() -> None:
    # 执行率 left empty: amounts and a 分值/得分 pair (得分 ≤ 分值) fit only one way.
    ex = read(project_form(("500", "520", "510", "10", "9.8")))
    values = figure_values(ex)
    assert values["budget_initial"] == D(500)
    assert values["budget_adjusted"] == D(520)
    assert values["spending_total"] == D(510)
    assert "execution_rate" not in values
    note = form_figure_notes(ex)["spending_total"]
    assert "5 cells under 6 columns" in note and "empty: 执行率" in note


def test_values_whose_column_is_uncertain_are_not_figures() -> None:
    # Four small numbers under six columns: amounts and points cannot be told apart.
    ex = read(project_form(("9", "9", "9", "9"), cut_before_indicators=True))
    values = figure_values(ex)
    for field in ("budget_initial", "budget_adjusted", "spending_total", "execution_rate"):
        assert field not in values


def test_an_empty_cell_between_pipes_keeps_its_column() -> None:
    ex = read(project_form(("300", "300", "300", "10", "", "10"), sep=" | "))
    values = figure_values(ex)
    assert values["spending_total"] == D(300)
    assert "execution_rate" not in values
    assert "; " not in form_figure_notes(ex)["spending_total"]  # read by cell, not placed


def test_a_form_cut_off_before_its_indicator_table() -> None:
    ex = read(project_form(cut_before_indicators=True))
    form = ex.forms[0]
    assert not form.indicators and not form.indicators_complete
    assert figure_values(ex)["spending_total"] == D(190)
    assert "score" not in figure_values(ex)


def test_an_ocr_run_is_cut_only_where_one_cut_fits() -> None:
    run = (
        "项目支出绩效自评表(2023年)项目名称乡村道路养护经费主管部门某县交通运输局实施单位某县公路段"
        "项目资金(万元)年度资金总额年初预算数调整预算数(A)全年执行数(B)执行率(B/A)"
        "52.352.352.3100%年度总体目标完成道路养护任务"
    )
    ex = read(run + "\n")
    values = figure_values(ex)
    assert values["budget_initial"] == D("52.3")
    assert values["spending_total"] == D("52.3")
    assert values["execution_rate"] == D(100)
    assert "cut out of the run-together digits" in form_figure_notes(ex)["spending_total"]
    assert [(p.name, p.amount) for p in ex.projects] == [("乡村道路养护经费", D("52.3"))]


def test_an_ocr_run_with_several_cuts_is_not_read() -> None:
    # Three amounts run together with no rate to confirm a cut: 10.510.510.5 cuts many ways.
    run = (
        "项目支出绩效自评表(2023年)项目名称乡村道路养护经费主管部门某县交通运输局"
        "项目资金(万元)年度资金总额年初预算数调整预算数全年执行数10.510.510.5年度总体目标"
    )
    values = figure_values(read(run + "\n"))
    assert "spending_total" not in values and "budget_initial" not in values


def test_an_ocr_garbled_header_word_is_read_with_one_character_free() -> None:
    run = (
        "项目支出绩效自评表(2023年)项目名称乡村道路养护经费主管部门某县交通运输局"
        "项目资金(万兀)年度资金总额年初预莫数调整预算数(A)全年执行数(B)执行率(B/A)"
        "40.040.036.090%年度总体目标"
    )
    values = figure_values(read(run + "\n"))
    assert values["budget_initial"] == D(40) and values["spending_total"] == D(36)
    assert values["execution_rate"] == D(90)


def test_department_form_with_pipes() -> None:
    ex = read(department_form())
    values = figure_values(ex)
    assert values["budget_initial"] == D(1500)
    assert values["spending_total"] == D(1425)
    assert values["spending_basic"] == D(790)
    assert values["spending_project"] == D(635)
    assert "budget_adjusted" not in values
    form = ex.forms[0]
    assert form.rule_stated and form.rate_base == "initial"
    assert not ex.projects  # a department form lists no project of its own


def test_department_form_invested_column_is_not_spending() -> None:
    text = (
        "2023年部门整体绩效目标自评表\n"
        "资金情况(万元)\n"
        "年初预算资金总额(万元) 实际投入资金额(万元) 产生差异的原因\n"
        "合计 820.50 1010.25 追加项目经费\n"
        "其中:财政拨款 820.50 1010.25\n"
        "其他资金\n"
        "年度目标(年初) 年度总体目标完成情况\n"
    )
    values = figure_values(read(text))
    assert values["budget_initial"] == D("820.5")
    assert "spending_total" not in values


def test_a_column_of_another_year_is_not_this_years_figure() -> None:
    text = (
        "部门整体支出绩效自评表\n（2023年度）\n"
        "2022年全年执行数 2023年年初预算数 2023年全年执行数\n"
        "年度资金总额 900 1000 950\n"
    )
    values = figure_values(read(text))
    assert values["budget_initial"] == D(1000) and values["spending_total"] == D(950)


def test_project_forms_in_a_department_report_state_projects_not_the_unit() -> None:
    text = department_form() + project_form() + project_form().replace("城关小学", "东街小学")
    ex = read(text)
    values = figure_values(ex)
    assert values["spending_total"] == D(1425)  # the department form's
    assert len(ex.forms) == 3
    assert {p.name for p in ex.projects} == {"城关小学校舍维修项目", "东街小学校舍维修项目"}


def test_no_form_words_no_grids() -> None:
    assert find_forms("年初预算数为200万元，全年执行数190万元。\n") == ()


def test_grid_cells_keep_their_spans() -> None:
    text = "年度资金总额 | 880 |  | 10\n"
    grid = build_grid(text, 0, len(text))
    cells = [c for _, c in grid.cells()]
    assert [c.text for c in cells] == ["年度资金总额", "880", "", "10"]
    assert all(text[c.start : c.end] == c.text for c in cells)


def test_what_a_run_of_digits_is() -> None:
    assert is_run("64.864.8100%") and is_run("12.512.5")
    assert not is_run("1304.23") and not is_run("95%")
