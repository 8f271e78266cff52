"""The data tables (基础数据表, the 部门决算 tables) read from text in the shapes they arrive in;
each case that must read a figure beside a near case that must not (texts built in code)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.check_context import CheckConfig
from core.checks import CHECKS_BY_ID, run_checks
from core.models import Extraction, Finding
from tests.core.data_tables_texts import (
    HEADER,
    PAIRS,
    SPENDING_ROWS,
    basic_grid,
    basic_pairs,
    cell_per_line,
    in_report,
    sangong_table,
    spending_table,
    summary_table,
)
from tests.core.forms_texts import figure_values, form_figure_notes, read

D = Decimal
GRID = {
    "staff_authorized": 48,
    "staff_actual": 45,
    "sangong_total": D("9.8"),
    "sangong_vehicle": D("5.5"),
    "sangong_abroad": D(0),
    "sangong_reception": D("4.3"),
    "meeting": D("1.6"),
    "training": D("2.7"),
    "spending_basic": D(790),
    "spending_project": D(395),
}
PAIR_VALUES = {
    "staff_authorized": 48,
    "staff_actual": 45,
    "budget_initial": D("1200.5"),
    "budget_adjusted": D("1300.25"),
    "spending_total": D(1250),
    "carryover_total": D("50.25"),
}


def values(text: str) -> dict[str, object]:
    return figure_values(read(in_report(text)))


def from_forms(ex: Extraction) -> dict[str, object]:
    notes = form_figure_notes(ex)
    return {k: v for k, v in figure_values(ex).items() if k in notes}


def findings(text: str, check: str) -> list[Finding]:
    ex = read(in_report(text))
    return [f for f in run_checks(ex, config=CheckConfig()) if f.check == check]


# ---- 部门整体支出绩效评价基础数据表 ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(basic_grid(), id="tabs"),
        pytest.param(basic_grid(sep=" "), id="spaces"),
        pytest.param(basic_grid(sep=" | "), id="pipes"),
        pytest.param(cell_per_line(basic_grid()), id="cell-per-line"),
    ],
)
def test_the_grid_reads_this_years_final_column_in_every_shape(text: str) -> None:
    ex = read(in_report(text))
    assert from_forms(ex) == GRID
    notes = form_figure_notes(ex)
    assert notes["sangong_total"] == "form: 部门整体支出绩效评价基础数据表 2023年决算数"
    assert notes["staff_actual"] == "form: 部门整体支出绩效评价基础数据表 2023年实际在职人数"


def test_every_figure_quotes_its_own_cell() -> None:
    text = in_report(cell_per_line(basic_grid()))
    for fig in read(text).figures:
        assert text[fig.start : fig.end] == fig.quote
        assert text[fig.value_start : fig.value_end] in fig.quote


def test_columns_named_last_year_and_this_year_in_words() -> None:
    header = ("经费控制情况", "上年决算数", "本年预算数", "本年决算数")
    assert values(basic_grid(header=header))["sangong_total"] == D("9.8")


def test_columns_of_other_years_than_the_reports_give_nothing() -> None:
    # A 2023 report whose table speaks of 2020 and 2021: no column is this year's.
    header = ("经费控制情况", "2020年决算数", "2021年预算数", "2021年决算数")
    found = values(basic_grid(header=header))
    assert not {"sangong_total", "meeting", "spending_basic"} & set(found)


def test_undated_budget_and_final_columns_give_nothing() -> None:
    # 预算数 · 决算数 without a year: the 决算 may be last year's.
    header = ("经费控制情况", "预算数", "决算数")
    rows = [(label, budget, final) for label, _, budget, final in SPENDING_ROWS]
    found = values(basic_grid(rows, header=header))
    assert "sangong_total" not in found and "spending_basic" not in found


def test_a_row_missing_a_cell_gives_nothing_and_the_rows_around_it_still_read() -> None:
    rows = list(SPENDING_ROWS)
    rows[0] = ("三公经费", "12.5", "9.8")  # one cell short: which column is 9.8?
    for text in (basic_grid(rows, sep=" "), cell_per_line(basic_grid(rows))):
        found = values(text)
        assert "sangong_total" not in found
        assert found["sangong_reception"] == D("4.3")


def test_a_row_with_a_cell_too_many_gives_nothing() -> None:
    rows = [*SPENDING_ROWS[:-1], ("项目支出", "410", "400", "395", "12")]
    assert "spending_project" not in values(basic_grid(rows))


def test_meeting_and_training_in_one_row_are_neither() -> None:
    rows = [r for r in SPENDING_ROWS if r[0] not in ("会议费", "培训费")]
    rows.append(("会议费、培训费", "5.3", "5", "4.3"))
    found = values(basic_grid(rows))
    assert "meeting" not in found and "training" not in found


def test_a_header_far_above_its_values() -> None:
    # The staffing header, a unit line and a page number, then its values, a cell per line.
    text = "\n".join(
        [
            "部门整体支出绩效评价基础数据表",
            "财政供养人员情况",
            "编制数",
            "实际在职人数",
            "控制率",
            "（单位：人）",
            "第1页",
            "48",
            "45",
            "93.75%",
            *cell_per_line("\t".join(HEADER)).split(),
            "单位：万元",
            *cell_per_line("\n".join("\t".join(r) for r in SPENDING_ROWS)).split(),
        ]
    )
    found = values(text + "\n")
    assert found["staff_authorized"] == 48 and found["staff_actual"] == 45
    assert found["training"] == D("2.7")  # twenty cells below its header


def test_a_staffing_header_whose_values_are_one_short_gives_nothing() -> None:
    found = values(basic_grid(staff=("48", "45")))
    assert "staff_authorized" not in found and "staff_actual" not in found


def test_a_table_without_a_unit_gives_no_amounts_but_its_counts() -> None:
    found = values(basic_grid(unit="填报日期：2024年3月1日"))
    assert found["staff_authorized"] == 48
    assert "sangong_total" not in found and "spending_basic" not in found


def test_a_table_in_yuan_is_read_in_wan() -> None:
    rows = [(label, "-", "-", "98,000.00") for label, *_ in SPENDING_ROWS[:1]]
    ex = read(in_report(basic_grid(rows, unit="单位：元")))
    fig = ex.figure("sangong_total")
    assert fig is not None and fig.value == D("9.8") and fig.as_written_unit == "元"


def test_label_and_value_lines() -> None:
    assert from_forms(read(in_report(basic_pairs(PAIRS)))) == PAIR_VALUES


def test_label_and_value_cells_of_a_two_column_table() -> None:
    text = basic_pairs(()) + "\n".join(f"{label}\t{value}" for label, value in PAIRS) + "\n"
    assert from_forms(read(in_report(text))) == PAIR_VALUES


@pytest.mark.parametrize("value", ["四十五", "见附表", "45（含退休）", ""])
def test_a_value_line_that_is_not_a_number_gives_nothing(value: str) -> None:
    pairs = [(label, value if label == "实有人数" else v) for label, v in PAIRS]
    found = values(basic_pairs(pairs))
    assert "staff_actual" not in found
    assert found["staff_authorized"] == 48


def test_a_percentage_is_no_head_count() -> None:
    pairs = [("人员编制数", "48"), ("实有人数", "93.75%")]
    assert "staff_actual" not in values(basic_pairs(pairs))


def test_a_traditional_character_copy_reads_as_the_simplified_one() -> None:
    text = (
        "某縣檔案館2023年度部門整體支出績效自評報告\n一、部門基本情況\n本館主要職責是負責"
        "全縣檔案的收集、整理、保管和利用。\n部門整體支出績效評價基礎數據表\n單位：萬元\n"
        "人員編制數\n48\n實有人數\n45\n年初預算數\n1,200.50\n全年執行數\n1,250.00\n"
    )
    ex = read(text)
    assert from_forms(ex) == {
        "staff_authorized": 48,
        "staff_actual": 45,
        "budget_initial": D("1200.5"),
        "spending_total": D(1250),
    }
    fig = ex.figure("staff_actual")
    assert fig is not None and text[fig.start : fig.end] == "實有人數\n45"


def test_a_title_inside_a_sentence_is_no_table() -> None:
    text = "各单位填报部门整体支出绩效评价基础数据表，报县财政局。\n人员编制数\n48\n"
    assert "staff_authorized" not in values(text)


# ---- the checks the table's figures feed ---------------------------------------------------


def test_three_public_parts_that_do_not_add_up_are_an_error() -> None:
    rows = [
        ("3、公务接待", "4.5", "4", "5.3") if r[0] == "3、公务接待" else r for r in SPENDING_ROWS
    ]
    found = findings(basic_grid(rows), "sum_mismatch")
    assert [f.severity for f in found] == ["error"]
    assert found[0].computed == D("10.8") and found[0].reported == D("9.8")
    assert not findings(basic_grid(), "sum_mismatch")


def test_staff_over_quota_from_the_table() -> None:
    found = findings(basic_grid(staff=("48", "50", "104.17%")), "staff_over_quota")
    assert [f.severity for f in found] == ["warning"]
    assert not findings(basic_grid(), "staff_over_quota")


def test_a_control_rate_against_its_counts() -> None:
    check = CHECKS_BY_ID["control_rate_mismatch"]
    assert check.label_zh and check.label_en and check.message_zh and check.message_en
    wrong = findings(basic_grid(staff=("48", "45", "95.75%")), "control_rate_mismatch")
    assert [f.severity for f in wrong] == ["error"]
    assert wrong[0].computed == D("93.75")
    # Rounded or truncated to the printed decimal: no finding.
    for rate in ("93.75%", "93.8%", "93.7%", "94%"):
        assert not findings(basic_grid(staff=("48", "45", rate)), "control_rate_mismatch")


# ---- the 部门决算 tables ----------------------------------------------------------------------


def test_the_summary_reads_the_years_income_and_spending_not_the_grand_totals() -> None:
    ex = read(in_report(summary_table()))
    assert from_forms(ex) == {
        "income_total": D(1250),
        "spending_total": D(1230),
        "carryover_total": D(120),
    }
    fig = ex.figure("spending_total")
    assert fig is not None and fig.as_written_unit == "元"
    assert fig.quote == "本年支出合计\t57\t12,300,000.00"  # not 行次 57, not 总计 1350
    for other in (fig, *fig.candidates):
        assert other.value != D(1350)


def test_the_summary_a_cell_per_line() -> None:
    # Empty cells dropped: a row still read only when it fills its columns (行次, 金额).
    ex = read(in_report(cell_per_line(summary_table())))
    assert from_forms(ex) == {
        "income_total": D(1250),
        "spending_total": D(1230),
        "carryover_total": D(120),
    }
    assert all(fig.value != D(1350) for fig in ex.figures)


def test_a_row_whose_amount_cell_is_missing_never_reads_its_line_number() -> None:
    rows = (("本年收入合计", "30", "本年支出合计", "57", "12,300,000.00"),)
    found = values(cell_per_line(summary_table(rows=rows)))
    assert "income_total" not in found  # 30 is its 行次
    assert found["spending_total"] == D(1230)


def test_the_summary_in_wan() -> None:
    rows = (
        ("本年收入合计", "30", "1,250.00", "本年支出合计", "57", "1,230.00"),
        ("总计", "33", "1,350.00", "总计", "60", "1,350.00"),
    )
    found = values(summary_table(unit="单位：万元", rows=rows))
    assert found["income_total"] == D(1250) and found["spending_total"] == D(1230)


def test_only_grand_totals_give_nothing() -> None:
    rows = (
        ("收入总计", "33", "13,500,000.00", "支出总计", "60", "13,500,000.00"),
        ("年初结转和结余", "32", "1,000,000.00", "结余分配", "58", ""),
    )
    found = values(summary_table(rows=rows))
    assert "spending_total" not in found and "income_total" not in found


def test_a_table_without_its_unit_gives_nothing() -> None:
    found = values(summary_table(unit="公开日期：2024年9月"))
    assert "spending_total" not in found and "income_total" not in found


def test_the_spending_tables_total_row_by_its_columns() -> None:
    assert values(spending_table()) == {
        "spending_total": D(1230),
        "spending_basic": D(800),
        "spending_project": D(430),
    }
    # A total row one cell short: which column is which is unknown.
    assert "spending_basic" not in values(spending_table(("1230.00", "800.00", "430.00")))


def test_rows_under_initial_adjusted_and_final_columns() -> None:
    text = "\n".join(
        [
            "一般公共预算财政拨款基本支出决算表",
            "支出决算表",
            "单位：万元",
            "项目\t年初预算数\t调整预算数\t决算数",
            "基本支出\t780.00\t800.00\t790.00",
            "项目支出\t400.00\t420.00",
        ]
    )
    found = values(text + "\n")
    assert found["spending_basic"] == D(790)
    assert "spending_project" not in found  # one cell short


def test_the_three_public_table() -> None:
    ex = read(in_report(sangong_table()))
    assert from_forms(ex) == {
        "sangong_total": D("9.8"),
        "sangong_abroad": D(0),
        "sangong_vehicle": D("5.5"),
        "sangong_reception": D("4.3"),
    }
    # Its 合计 row is the 三公 total, never the unit's spending.
    assert ex.figure("spending_total") is None


def test_an_empty_table_with_its_note_gives_nothing() -> None:
    empty = sangong_table(
        rows=(("合计", "0.00", "0.00"),),
        note="说明：本单位2023年度无“三公”经费支出，故本表为空表。",
    )
    assert not {k for k in values(empty) if k.startswith("sangong")}
    assert values(sangong_table(rows=(("合计", "0.00", "0.00"),)))["sangong_total"] == D(0)


def test_a_fiscal_appropriations_table_states_no_unit_totals() -> None:
    text = "\n".join(
        [
            "财政拨款收入支出决算总表",
            "单位：万元",
            "项目\t行次\t金额\t项目\t行次\t金额",
            "本年收入\t1\t1,100.00\t本年支出合计\t20\t1,080.00",
        ]
    )
    found = values(text + "\n")
    assert "spending_total" not in found and "income_total" not in found


def test_a_table_of_contents_is_no_table() -> None:
    toc = "一、收入支出决算总表 PAGEREF _Toc1 h 22\n二、收入决算表 PAGEREF _Toc2 h 22\n"
    assert values(toc + summary_table())["spending_total"] == D(1230)


def test_the_income_tables_total_row_under_its_sub_headers() -> None:
    text = "\n".join(
        [
            "收入决算表",
            "公开02表\t\t\t\t单位：万元",
            "项目\t本年收入合计\t财政拨款收入\t事业收入\t其他收入",
            "功能分类科目编码\t科目名称",
            "合计\t1250.00\t1200.00\t\t50.00",
        ]
    )
    assert values(text + "\n") == {"income_total": D(1250)}
    assert values(cell_per_line(text + "\n")) == {}  # 合计's empty cell dropped: 3 of 4


def test_the_spending_table_a_cell_per_line() -> None:
    text = spending_table(("1230.00", "800.00", "430.00", "-", "-", "-"))
    assert values(cell_per_line(text)) == {
        "spending_total": D(1230),
        "spending_basic": D(800),
        "spending_project": D(430),
    }


def test_a_column_of_differences_is_counted_and_not_read() -> None:
    header = (*HEADER, "增减额")
    rows = [(*row, "0.2") for row in SPENDING_ROWS]
    assert values(basic_grid(rows, header=header))["sangong_total"] == D("9.8")
    # Under the wider header, a row of the narrower one is a cell short.
    assert "sangong_total" not in values(basic_grid(header=header))


def test_empty_cells_a_row_of_tabs_runs_on_with_past_the_table() -> None:
    rows = [(*row, "", "") for row in SPENDING_ROWS]
    assert values(basic_grid(rows))["spending_basic"] == D(790)


@pytest.mark.parametrize("sep", ["\t", "\n"])
def test_budget_columns_over_the_totals_row(sep: str) -> None:
    header = sep.join(("年初预算数", "全年预算数", "全年执行数"))
    total = values(basic_pairs(()) + f"{header}\n年度资金总额{sep}1200{sep}1300{sep}1250\n")
    assert (total["budget_initial"], total["spending_total"]) == (D(1200), D(1250))
    # Under another row's label the values are that row's, not the unit's.
    for label in ("基本支出", "其他资金"):
        found = values(basic_pairs(()) + f"{header}\n{label}{sep}800{sep}820{sep}810\n")
        assert "budget_initial" not in found and "spending_total" not in found


def test_a_label_of_both_shapes_under_a_grid_is_read_by_the_grid() -> None:
    rows = [*SPENDING_ROWS, ("结转结余", "30.5")]
    assert "carryover_total" not in values(basic_grid(rows))
    rows = [*SPENDING_ROWS, ("结转结余", "28", "30", "30.5")]
    assert values(basic_grid(rows))["carryover_total"] == D("30.5")


def test_a_table_in_thousands_is_not_read_in_the_unit_declared_above_it() -> None:
    text = basic_grid(unit="单位：万元") + "单位：千元\n" + "会议费、培训费\t1\t1\t1\n"
    text = text.replace("会议费\t2.1\t2\t1.6\n", "") + "会议费\t21\t20\t16\n"
    fig = read(in_report(text)).figure("meeting")
    assert fig is not None and fig.value == D("1.6") and fig.as_written_unit == "千元"
