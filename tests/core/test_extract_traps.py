"""Traps of real reports, in wordings written for these tests: each case that must read a figure
has a near case that must not."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.extract import extract
from core.models import Report


def _figures(text: str) -> dict[str, object]:
    ex = extract(Report(path=Path("r.txt"), sha256="", text=text, kind="txt"))
    for fig in ex.figures:
        assert text[fig.start : fig.end] == fig.quote
    return {f.field: f.value for f in ex.figures}


CASES = [
    # 收入/支出总计 of final accounts include carry-overs: not the year's income or spending.
    (
        "grand-total-with-carry-over",
        "本级收入完成85.20万元，加上上年结转和上级补助等903.40万元，收入总计988.60万元。",
        {"income_total": None},
    ),
    (
        "grand-total-of-income-parts",
        "2023年度收入总计640.00万元，其中一般公共预算财政拨款收入600.00万元，"
        "政府性基金预算财政拨款收入40.00万元。",
        {"income_total": Decimal("640")},
    ),
    (
        "spending-grand-total-with-transfers",
        "加上结转下年、上解上级支出等12.00万元，支出总计733.10万元。",
        {"spending_total": None},
    ),
    (
        "income-and-spending-grand-totals",
        "2022年度收入、支出总计均为1,520.36万元。与上年相比，收入、支出总计各增加80.10万元。",
        {"spending_total": None, "income_total": None},
    ),
    (
        "general-budget-spending-when-nothing-else",
        "本镇一般公共预算支出721.10万元，比上年下降3.2%。",
        {"spending_total": Decimal("721.1")},
    ),
    (
        "stated-spending-beats-general-budget-spending",
        "本年支出合计800.00万元，其中一般公共预算支出721.10万元。",
        {"spending_total": Decimal("800")},
    ),
    # Kinds of 编制 side by side are parts; a total label states the total.
    (
        "kinds-of-quota-listed",
        "经编办核定行政编制12人、事业编制30人，核定使用工勤编制3人。",
        {"staff_authorized": None},
    ),
    (
        "quota-total-then-kinds",
        "核定编制42名，其中行政编制12名、事业编制30名。",
        {"staff_authorized": 42},
    ),
    ("one-kind-of-quota", "镇机关行政编制20名。", {"staff_authorized": 20}),
    # 现有 staff: in post, unless it is a headcount of 编制.
    ("staff-now", "我单位现有干部职工38人，均在岗。", {"staff_actual": 38}),
    ("staff-now-of-quota", "现有编制人员120人。", {"staff_actual": None}),
    # A total that includes retirees is not the staff in post; the in-service part is.
    (
        "total-with-retirees",
        "实有人员50人，其中在职35人、退休15人。",
        {"staff_actual": 35},
    ),
    (
        "bracket-without-retirees",
        "实有在职人员61名（含工勤人员2名），离退休人员30名。",
        {"staff_actual": 61},
    ),
    # A heading label and its figure on the next line.
    ("heading-then-value", "（一）自评得分\n\n95分。\n（二）绩效目标", {"score": Decimal("95")}),
    ("label-then-table-cell", "项目支出\n374.10\n723.23\n", {"spending_project": None}),
    ("heading-then-long-line", "（一）自评得分\n95分以上为优。\n", {"score": None}),
    # Standards per head are not amounts of the unit.
    (
        "per-pupil-standard-then-amount",
        "公用经费800元/生·年，全年公用经费42.30万元。",
        {"spending_public": Decimal("42.3")},
    ),
    ("per-person-standard", "人员经费按每人每年600元标准发放。", {"spending_personnel": None}),
    # An amount that looks like a year is an amount.
    (
        "year-like-amount",
        "2023年度部门整体支出绩效自评报告\n2023年项目支出2023.06万元。",
        {"spending_project": Decimal("2023.06")},
    ),
    # Codes and phone numbers are not figures.
    (
        "phone-beside-staff",
        "联系电话13908352363；索引号11500111736585857J/2022-00009；在职人员28人。",
        {"staff_actual": 28},
    ),
    # A single-project report's money spent.
    (
        "project-money-used",
        "专项补助资金12.50万元已全部到位，截至年底资金已使用12.50万元，结余0万元。",
        {"spending_total": Decimal("12.5")},
    ),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_trap(text: str, want: dict[str, object]) -> None:
    got = _figures(text)
    for field, value in want.items():
        assert got.get(field) == value, (field, got)


def _projects(text: str) -> list[tuple[str, Decimal | None]]:
    ex = extract(Report(path=Path("r.txt"), sha256="", text=text, kind="txt"))
    return [(p.name, p.amount) for p in ex.projects]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "青禾县人民医院基本药物制度补助资金2023年度绩效自评报告\n"
            "填报单位：青禾县人民医院\n一、资金情况\n青财社〔2023〕41号下达青禾县人民医院基本药物制度补助资金8.50万元。",
            [("基本药物制度补助资金", Decimal("8.5"))],
        ),
        (
            "1、农村道路养护奖补资金项目支出绩效评价自评报告一、项目概况\n"
            "县交通局下达我镇养护奖补资金12万元，已全部支出。",
            [("农村道路养护奖补资金", Decimal("12"))],
        ),
        (
            "某县文化馆2022年度项目支出绩效自评报告（2022年文化馆免费开放补助经费）\n"
            "一、自评结论\n2022年文化馆免费开放补助经费6.00万元，已全部使用。",
            [("文化馆免费开放补助经费", Decimal("6"))],
        ),
    ],
    ids=["unit-project-year", "project-title-amount-by-last-words", "project-in-brackets"],
)
def test_a_single_project_report_names_its_project(text, want):
    assert _projects(text) == want


@pytest.mark.parametrize(
    "text",
    [
        # The unit's whole spending, not a project.
        "某县统计局2023年度部门整体支出绩效自评报告\n年初预算数100万元。",
        # A project report whose excerpt gives no amount for the project.
        "某县图书馆2022年度项目支出绩效自评报告（免费开放补助经费）\n一、自评得分\n100分。",
        # A title naming no project word.
        "某街道2021年度单位项目支出绩效评价自评报告\n一、概况\n资金20万元。",
    ],
    ids=["whole-unit", "no-amount", "no-project-word"],
)
def test_no_project_without_a_named_project_and_its_amount(text):
    assert _projects(text) == []


@pytest.mark.parametrize(
    ("tail", "want"),
    [
        ("项目资金12万元于2023年5月下达我镇。我镇已于年底前全部支出。", Decimal("12")),
        # What was paid so far is the spending, not the whole.
        (
            "项目资金12万元于2023年5月下达我镇，其中已支付8万元，余款将于明年全部支付。",
            Decimal("8"),
        ),
        ("项目资金12万元于2023年5月下达我镇。资金使用情况见附表。", None),
    ],
    ids=["spent-in-full", "another-amount-before", "not-said"],
)
def test_one_project_spent_in_full(tail, want):
    text = "乡村道路养护奖补资金项目支出绩效评价自评报告\n一、项目概况\n" + tail
    assert _figures(text).get("spending_total") == want


def _sum_findings(text: str) -> list[str]:
    from core.checks import run_checks

    ex = extract(Report(path=Path("r.txt"), sha256="", text=text, kind="txt"))
    return [f.severity for f in run_checks(ex) if f.check == "sum_mismatch"]


def test_a_total_from_a_form_against_parts_from_prose_is_a_warning():
    from tests.core.data_tables_texts import in_report, summary_table

    # 本年支出合计 1,230万元 in the 决算 总表 (all funds); the prose's parts (财政拨款 only) differ.
    prose = "\n财政拨款支出中，基本支出700.00万元，项目支出400.00万元。\n"
    assert _sum_findings(in_report(summary_table()) + prose) == ["warning"]
    # The same three figures all in prose: the report contradicts itself, an error.
    all_prose = in_report("本年支出合计1,230.00万元，其中基本支出700.00万元，项目支出400.00万元。")
    assert _sum_findings(all_prose) == ["error"]
