"""Small texts, one trap or wording each: what the extractor reads, and what it must not."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.extract import extract
from core.models import Report


def read(text: str, name: str = "report.txt"):
    return extract(Report(path=Path(name), sha256="", text=text, kind="txt"))


def values(text: str) -> dict[str, object]:
    return {f.field: f.value for f in read(text).figures}


# (id, text, expected figures: field -> value; fields not listed must be absent)
CASES = [
    ("plain 万元", "基本支出1287.78万元，项目支出567.54万元。",
     {"spending_basic": Decimal("1287.78"), "spending_project": Decimal("567.54")}),
    ("元 with separators", "基本支出12,345,678.90元。", {"spending_basic": Decimal("1234.56789")}),
    ("亿元", "项目支出1.3682亿元。", {"spending_project": Decimal("13682")}),
    ("full-width digits", "基本支出１，２３４．５６万元。", {"spending_basic": Decimal("1234.56")}),
    ("bridge words", "“三公”经费财政拨款支出决算为26.77万元。", {"sangong_total": Decimal("26.77")}),
    ("colon and spaces", "自评得分：  95.25  分", {"score": Decimal("95.25")}),
    ("grade with quotes", "评价等级为“良”。", {"grade": "良"}),
    ("优秀 reads 优", "自评等级：优秀。", {"grade": "优"}),
    ("grade bands are not a grade", "评价等级分为优、良、中、差四档。", {}),
    ("grade counts are not a grade", "评价等级为“优”项目18个。", {}),
    ("score threshold is not a score", "得分90分（含）以上为优。", {}),
    ("full marks are not a score", "满分100分，分值100分。", {}),
    ("last year's figure", "上年基本支出1000万元。", {}),
    ("change amount is not the figure", "基本支出比上年决算数增加107.6万元。", {"spending_basic": None}),
    ("ratio base", "完成全年预算26.77万元的100%。", {}),
    ("region's revenue", "全镇实现一般公共预算收入1712.38万元，增长9.49%。", {}),
    ("region's total income", "全镇财政总收入5,862万元。", {}),
    ("retirees excluded", "年末实有人数203人，其中在职172人、退休31人。", {"staff_actual": 172}),
    ("retirees in brackets", "单位实有人员58人（含离退休16人），在职人员42人。", {"staff_actual": 42}),
    ("Chinese numeral staff", "核定编制三十六名，实有在职人员三十四名。",
     {"staff_authorized": 36, "staff_actual": 34}),
    ("leadership posts are not staff", "核定领导职数11名。", {}),
    ("phone is not a figure", "联系电话：0871-6512345，基本支出12.5万元。", {"spending_basic": Decimal("12.5")}),
    ("year-like amount", "2024年基本支出2024.05万元。", {"spending_basic": Decimal("2024.05")}),
    ("zero in words", "因公出国（境）费为零。", {"sangong_abroad": Decimal("0")}),
    ("project sentence", "项目支出共计19个，年初预算安排553.96万元，决算数382.18万元，执行率69%。",
     {"project_count": 19, "project_budget_initial": Decimal("553.96"),
      "project_spending": Decimal("382.18"), "project_execution_rate": Decimal("69")}),
    ("unit sentence", "整体年初预算安排1009.62万元，决算数1249.58万元，执行率达123.76 %。",
     {"budget_initial": Decimal("1009.62"), "spending_total": Decimal("1249.58"),
      "execution_rate": Decimal("123.76")}),
    ("slip: equals a 万元 figure", "调整预算数500.5万元，全年完成实际支出500.5元。",
     {"budget_adjusted": Decimal("500.5"), "spending_total": Decimal("500.5")}),
    ("slip: parts add up", "三公经费12.3元，其中公务接待费10.2万元，公务用车运行维护费2.1万元。",
     {"sangong_total": Decimal("12.3"), "sangong_reception": Decimal("10.2"),
      "sangong_vehicle": Decimal("2.1")}),
    ("no slip in a 元 report", "基本支出3,560,000.00元，项目支出1,200,000.00元，公务接待费3,560.00元。",
     {"spending_basic": Decimal("356"), "spending_project": Decimal("120"),
      "sangong_reception": Decimal("0.356")}),
    ("table with year columns", "单位：万元\n项目\n2022年决算数\n2023年预算数\n2023年决算数\n"
     "基本支出\n100.5\n110\n108.2\n项目支出\n50\n60\n58.8\n合计\n150.5\n170\n167\n"
     "2023年度部门整体支出绩效自评报告",
     {"spending_basic": Decimal("108.2"), "spending_project": Decimal("58.8"),
      "spending_total": Decimal("167"), "budget_adjusted": None}),
    ("table in 元 declared once", "（单位：元）\n项目\n年初预算\n决算数\n基本支出\n1,000,000\n987,654.32\n"
     "合计\n1,500,000\n1,487,654.32\n",
     {"spending_basic": Decimal("98.765432"), "budget_initial": Decimal("150"),
      "spending_total": Decimal("148.765432")}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reads_what_a_reviewer_reads(text, expected):
    found = values(text)
    for field, value in expected.items():
        assert found.get(field) == value, (field, found)
    unexpected = set(found) - set(expected)
    assert not unexpected, {k: found[k] for k in unexpected}


def test_every_quote_is_its_span_and_carries_the_number():
    text = "".join(c[1] + "\n" for c in CASES)
    for fig in read(text).figures:
        assert text[fig.start : fig.end] == fig.quote
        assert fig.start <= fig.value_start < fig.value_end <= fig.end


def test_slips_keep_the_written_unit():
    fig = read("调整预算数500.5万元，全年完成实际支出500.5元。").figure("spending_total")
    assert (fig.as_written_unit, fig.unit) == ("元", "万元")
    assert "500.5" in fig.note


def test_candidates_keep_the_other_statements():
    fig = read("项目支出567.54万元。……一般公共预算支出项目支出371.86万元。").figure(
        "spending_project"
    )
    assert fig.value == Decimal("567.54")
    assert [c.value for c in fig.candidates] == [Decimal("371.86")]
