"""Each check on short made-up texts: firing, staying quiet, and rounding at the edge."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.check_context import CheckConfig
from core.checks import CHECKS, check_batch, run_checks
from core.extract import extract
from core.models import Finding, Report
from tests.core.test_forms_checks import FORM_CHECKS


def findings(text: str, *, config: CheckConfig | None = None) -> list[Finding]:
    report = Report(path=Path("r.txt"), sha256="", text=text, kind="txt")
    return run_checks(extract(report), config=config or CheckConfig())


def fired(text: str) -> set[str]:
    return {f.check for f in findings(text)}


T = "某某县东风镇人民政府2023年度部门整体支出绩效自评报告\n"

# (id, text, check, fires)
CASES = [
    # sums, with the printed rounding at the edge of tolerance
    ("sum off 50", T + "财政拨款支出500.00万元，其中基本支出300.00万元，项目支出150.00万元。",
     "sum_mismatch", True),
    ("sum exact", T + "财政拨款支出450.00万元，其中基本支出300.00万元，项目支出150.00万元。",
     "sum_mismatch", False),
    ("sum off one last decimal", T + "财政拨款支出450.01万元，其中基本支出300.00万元，项目支出150.00万元。",
     "sum_mismatch", False),
    ("sum off three last decimals", T + "财政拨款支出450.03万元，其中基本支出300.00万元，项目支出150.00万元。",
     "sum_mismatch", True),
    ("sum of one-decimal parts", T + "基本支出1287.78万元。人员经费1043.0万元，公用经费244.8万元。",
     "sum_mismatch", False),
    ("personnel + public", T + "基本支出1287.78万元。人员经费1042.98万元，公用经费44.8万元。",
     "sum_mismatch", True),
    ("sangong parts", T + "三公经费支出12.00万元，其中因公出国（境）费0万元，公务接待费3.00万元，"
     "公务用车购置及运行维护费8.00万元。", "sum_mismatch", True),
    ("two sangong parts exceed", T + "三公经费支出10.00万元，其中公务接待费6.00万元，"
     "公务用车购置及运行维护费5.00万元。", "parts_exceed_total", True),
    ("two sangong parts below", T + "三公经费支出12.00万元，其中公务接待费6.00万元，"
     "公务用车购置及运行维护费5.00万元。", "parts_exceed_total", False),
    ("income has other sources", T + "本年收入合计1846.72万元，其中一般公共预算拨款收入1624.72万元，"
     "政府性基金预算拨款收入180.00万元，其他收入42.00万元。", "sum_mismatch", False),
    ("income parts exceed", T + "本年收入合计1000.00万元，其中一般公共预算拨款收入900.00万元，"
     "政府性基金预算拨款收入200.00万元。", "sum_mismatch", True),
    ("其中 list exceeds", T + "培训费等支出100.00万元，其中差旅费60.00万元、印刷费50.00万元。",
     "list_exceeds_total", True),
    ("其中 list partial", T + "培训费等支出100.00万元，其中差旅费60.00万元、印刷费20.00万元。",
     "list_exceeds_total", False),
    ("其中 list reaches total then goes on", T + "项目支出33.25万元，其中上年结转0万元、本年安排33.25万元；"
     "本年度实际支出33.25万元。", "list_exceeds_total", False),
    # 元/万元
    ("元 meant 万元", T + "调整预算数1,000.00万元，全年实际支出1,000.00元。", "unit_slip", True),
    ("元 amounts in a 元 report", T + "调整预算数10,000,000.00元，全年实际支出10,000,000.00元。",
     "unit_slip", False),
    # change rates
    ("change rate wrong", T + "公用经费44.8万元，比上年减少201.03万元，下降45.09%。",
     "change_rate_mismatch", True),
    ("change rate right", T + "公用经费244.8万元，比上年减少201.03万元，下降45.09%。",
     "change_rate_mismatch", False),
    ("increase right", T + "培训费12.00万元，比上年增加2.00万元，增长20%。", "change_rate_mismatch", False),
    ("increase above 100% is possible", T + "培训费12.00万元，比上年增加8.00万元，增长200%。",
     "change_rate_mismatch", False),
    ("decrease above 100% is impossible", T + "会议费3.1万元，比上年减少2.09万元，下降140.27%。",
     "change_rate_mismatch", True),
    ("change rate rounded to integer", T + "会议费3.1万元，比上年减少2.09万元，下降40%。",
     "change_rate_mismatch", False),
    ("change rate truncated", T + "会议费3.1万元，比上年减少2.09万元，下降40.26%。",
     "change_rate_mismatch", False),
    ("change rate a little off", T + "会议费3.1万元，比上年减少2.09万元，下降41.5%。",
     "change_rate_mismatch", True),
    # stated rates
    ("execution rate wrong", T + "调整预算数1000.00万元，实际支出900.00万元，预算执行率为95%。",
     "rate_mismatch", True),
    ("execution rate right", T + "调整预算数1000.00万元，实际支出900.00万元，预算执行率为90%。",
     "rate_mismatch", False),
    ("execution rate on the initial budget", T + "年初预算1009.62万元，调整预算数1249.58万元，"
     "实际支出1249.58万元。实际支出率达123.76%。", "rate_mismatch", False),
    # grade and score
    ("grade too high", T + "自评得分86分，评价等级为优。", "grade_score_mismatch", True),
    ("grade at the band edge", T + "自评得分90分，评价等级为优。", "grade_score_mismatch", False),
    ("grade just below the edge", T + "自评得分89.99分，评价等级为良。", "grade_score_mismatch", False),
    ("grade too low", T + "自评得分95.5分，评价等级为良。", "grade_score_mismatch", True),
    # staff
    ("over quota", T + "核定编制数20人，年末实有人数21人。", "staff_over_quota", True),
    ("at quota", T + "核定编制数20人，年末实有人数20人。", "staff_over_quota", False),
    # duplicates
    ("duplicate project", T + "项目支出30万元，其中：道路维护费10万元、环境整治费5万元、道路维护费15万元。",
     "duplicate_project", True),
    # template residue
    ("placeholder unit", T + "××单位认真组织开展自评。", "template_residue", True),
    ("placeholder date", T + "于X月X日完成自评。", "template_residue", True),
    ("blank unit name", "单位名称：\n" + T, "template_residue", True),
    ("instruction", T + "（一）自评工作过程。简介如何组织本级开展自评。", "template_residue", True),
    ("annex marker at the top", "附件2\n" + T, "template_residue", True),
    ("appendix at the end", T + "正文。\n" * 12 + "附件1\n绩效自评表", "template_residue", False),
    ("district authority in a county", T + "按照区财政局要求开展自评。", "template_residue", True),
    ("own county's authority", T + "按照县财政局要求开展自评。", "template_residue", False),
    ("a named district's authority", T + "参照朝阳区财政局的做法。", "template_residue", False),
    # self-reference and years
    ("town says 我乡", T + "我乡坚持环境立乡。", "foreign_unit", True),
    ("town says 我镇", T + "我镇坚持环境立镇。", "foreign_unit", False),
    ("乡镇 is generic", T + "我乡镇干部下沉一线。", "foreign_unit", False),
    ("year claimed twice", T + "本单位2022年度部门整体支出绩效自评工作于3月完成。", "year_mismatch", True),
    ("last year's evaluation", T + "上年度即2022年度的评价问题已整改。", "year_mismatch", False),
    ("unit name missing a character", "某某县东风镇人民政府2023年度部门整体支出绩效自评报告\n"
     "一、基本情况。某县东风镇人民政府为一级预算单位。", "unit_name_variant", True),
    ("carry-over with full execution", T + "调整预算数500万元，实际支出500万元，结转结余率为2.4%。",
     "carryover_vs_execution", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "check", "fires"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_check(text, check, fires):
    assert (check in fired(text)) is fires


def test_every_check_has_a_firing_case():
    from tests.core.test_checks_prose import PROSE_CASES
    from tests.core.test_checks_wording import CASES as WORDING_CASES

    tested = (
        {c[2] for c in CASES if c[3]}
        | {c[2] for c in PROSE_CASES if c[3]}
        | {c[2] for c in WORDING_CASES if c[3]}
        | {
            "copied_text",
            "other_unit_named",
            "excellent_rate_mismatch",
            "total_mismatch",
            "control_rate_mismatch",  # tests/core/test_forms_data_tables.py
        }
        | set(FORM_CHECKS)
    )  # the form checks fire in tests/core/test_forms_checks.py
    assert {c.id for c in CHECKS} - tested == set()


def test_unit_name_variant_fires_on_a_dropped_first_character():
    text = "徐闻县前山镇人民政府2024年度部门整体支出绩效自评报告\n评价单位：徐闻县前山镇人民政府\n（一）闻县前山镇人民政府为一级预算单位。"
    assert "unit_name_variant" in fired(text)


PROJECT_TABLE = (
    "项目名称\t预算金额（万元）\t自评得分\t评价等级\n"
    "道路养护经费\t100.00\t95\t优\n"
    "环境整治经费\t50.50\t92\t优\n"
    "村级运转经费\t30.25\t85\t良\n"
    "安全生产经费\t20.00\t96\t优\n"
)


@pytest.mark.parametrize(
    ("stated", "fires"),
    [("100", True), ("75", False), ("75.00", False), ("74", False), ("70", True)],
)
def test_excellent_rate_against_the_project_grades(stated, fires):
    text = T + f"项目支出评价等级为“优”项目3个，评优率为{stated}%。\n" + PROJECT_TABLE
    assert ("excellent_rate_mismatch" in fired(text)) is fires


@pytest.mark.parametrize(
    ("total", "fires"), [("200.75", False), ("210.75", True), ("200.76", False)]
)
def test_projects_against_the_total_stated_for_them(total, fires):
    text = T + f"本部门涉及项目4个，预算资金{total}万元。项目支出共计4个。\n" + PROJECT_TABLE
    assert ("total_mismatch" in fired(text)) is fires


def test_findings_carry_the_arithmetic_and_spans():
    text = T + "财政拨款支出500.00万元，其中基本支出300.00万元，项目支出150.00万元。"
    (finding,) = [f for f in findings(text) if f.check == "sum_mismatch"]
    assert finding.severity == "error"
    assert finding.fields == ("spending_total", "spending_basic", "spending_project")
    assert (finding.reported, finding.computed, finding.difference) == (
        Decimal(500),
        Decimal(450),
        Decimal(50),
    )
    assert finding.tolerance == Decimal("0.015")
    assert [text[s:e] for s, e in finding.spans] == [
        "财政拨款支出500.00万元",
        "基本支出300.00万元",
        "项目支出150.00万元",
    ]
    assert "450" in finding.message and "500" in finding.message


def test_a_unit_slip_in_a_part_is_named_as_the_root_cause():
    text = T + "财政拨款支出450.00万元，其中基本支出300.00万元，项目支出150.00元。"
    found = findings(text)
    assert any(f.check == "unit_slip" for f in found) or any(
        f.hint and "元/万元" in f.hint for f in found
    )


def test_missing_figures_say_nothing():
    assert findings(T + "本单位认真开展绩效自评，成效明显。") == []


def test_a_parse_failure_is_not_a_discrepancy():
    report = Report(path=Path("x.txt"), sha256="", text="", kind="txt", error="x.txt: empty")
    assert run_checks(extract(report)) == []


def test_config_disables_and_reclassifies():
    text = T + "核定编制数20人，年末实有人数21人。自评得分86分，评价等级为优。"
    quiet = CheckConfig(
        disabled=frozenset({"grade_score_mismatch"}), severity={"staff_over_quota": "info"}
    )
    found = findings(text, config=quiet)
    assert {f.check for f in found} == {"staff_over_quota"}
    assert found[0].severity == "info"


def test_config_tolerance_widens_a_check():
    text = T + "财政拨款支出450.03万元，其中基本支出300.00万元，项目支出150.00万元。"
    wide = CheckConfig(tolerance={"sum_mismatch": Decimal("0.05")})
    assert "sum_mismatch" not in {f.check for f in findings(text, config=wide)}


def test_config_grade_bands():
    text = T + "自评得分86分，评价等级为优。"
    lenient = CheckConfig(
        grade_bands=(
            ("优", Decimal(85)),
            ("良", Decimal(75)),
            ("中", Decimal(60)),
            ("差", Decimal(0)),
        )
    )
    assert "grade_score_mismatch" not in {f.check for f in findings(text, config=lenient)}


def _batch(texts: dict[str, str]) -> dict[str, list[Finding]]:
    reports = [Report(path=Path(n), sha256="", text=t, kind="txt") for n, t in texts.items()]
    return dict(zip(texts, check_batch([extract(r) for r in reports]), strict=True))


SHARED = (
    "我镇坚持以人民为中心的发展思想，统筹推进乡村振兴各项工作，完善基础设施，改善人居环境，"
    "提升公共服务水平，群众获得感幸福感安全感持续增强，全年未发生重大安全生产事故。"
)
TEMPLATE = "根据县财政局关于开展部门整体支出绩效自评工作的通知要求，本单位成立自评工作领导小组认真开展自评。"


def test_copied_passage_is_flagged_and_the_template_is_not():
    found = _batch(
        {
            "a.txt": "甲县东风镇人民政府2023年度部门整体支出绩效自评报告\n"
            + TEMPLATE
            + "\n"
            + SHARED,
            "b.txt": "甲县西岭镇人民政府2023年度部门整体支出绩效自评报告\n"
            + TEMPLATE
            + "\n"
            + SHARED,
            "c.txt": "甲县南山乡人民政府2023年度部门整体支出绩效自评报告\n"
            + TEMPLATE
            + "\n另写的一段。",
        }
    )
    copied_a = [f for f in found["a.txt"] if f.check == "copied_text"]
    assert len(copied_a) == 1 and "西岭镇" in copied_a[0].message
    assert not [f for f in found["c.txt"] if f.check == "copied_text"]
    a_text = "甲县东风镇人民政府2023年度部门整体支出绩效自评报告\n" + TEMPLATE + "\n" + SHARED
    spans = copied_a[0].spans
    assert all(TEMPLATE not in a_text[s:e] for s, e in spans)


def test_the_same_unit_in_another_year_is_not_copying():
    found = _batch(
        {
            "a.txt": "甲县东风镇人民政府2023年度部门整体支出绩效自评报告\n" + SHARED,
            "b.txt": "东风镇人民政府2024年度部门整体支出绩效自评报告\n" + SHARED,
        }
    )
    assert not [f for fs in found.values() for f in fs if f.check == "copied_text"]


def test_another_unit_of_the_batch_named_in_the_text():
    found = _batch(
        {
            "a.txt": "甲县东风镇人民政府2023年度部门整体支出绩效自评报告\n建设美丽西岭镇的目标顺利推进。",
            "b.txt": "甲县西岭镇人民政府2023年度部门整体支出绩效自评报告\n建设美丽西岭镇。",
        }
    )
    assert [f.check for f in found["a.txt"]] == ["other_unit_named"]
    assert found["b.txt"] == []
