"""The prose checks on short made-up texts: parts against their total in any unit, words
against the figures beside them, and what must stay quiet (every place, unit and amount here
is invented)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.check_context import CheckConfig
from core.checks import run_checks
from core.extract import extract
from core.models import Finding, Report

T = "青岚县石桥乡人民政府2023年度部门整体支出绩效自评报告\n"


def findings(text: str, lang: str = "zh") -> list[Finding]:
    report = Report(path=Path("r.txt"), sha256="", text=text, kind="txt")
    return run_checks(extract(report), config=CheckConfig(lang=lang))


def severities(text: str, check: str) -> list[str]:
    return [f.severity for f in findings(T + text) if f.check == check]


# (id, text, check, severities expected: [] = quiet)
CASES = [
    # ---- a 其中 list, any unit: parts above the total are certain ----
    ("km parts exceed", "全年新修村道6.2公里，其中柳湾村2.5公里，石门村1.8公里，河口村2.9公里。",
     "list_exceeds_total", ["error"]),
    ("km parts within", "全年新修村道7.2公里，其中柳湾村2.5公里，石门村1.8公里，河口村2.9公里。",
     "list_exceeds_total", []),
    ("partial list short of the total", "全年新修村道9.0公里，其中柳湾村2.5公里、石门村1.8公里。",
     "list_exceeds_total", []),
    ("households exceed", "共帮扶脱贫户120户，其中低保户70户、五保户40户、边缘户25户。",
     "list_exceeds_total", ["error"]),
    ("persons exceed", "参训人员85人，其中村干部40名、网格员50名。", "list_exceeds_total", ["error"]),
    ("schools exceed", "辖区共有学校5所，其中小学3所、初中2所、幼儿园1所。", "list_exceeds_total",
     ["error"]),
    ("元 and 万元 in one list", "维修经费1.50万元，其中材料费9,000元、人工费8,000元。",
     "list_exceeds_total", ["error"]),
    ("rounding within the last decimal", "专项经费10.0万元，其中设备费6.04万元、安装费4.0万元。",
     "list_exceeds_total", []),
    ("next clause is not a part", "全年新修村道6.2公里，其中柳湾村2.5公里、石门村1.8公里，"
     "新建水渠5.0公里。", "list_exceeds_total", []),
    ("next sentence is not a part", "全年新修村道6.2公里，其中柳湾村2.5公里、石门村1.8公里。"
     "新建水渠5.0公里，护坡3.0公里。", "list_exceeds_total", []),
    ("items of another kind after a comma", "新修村道6.2公里，其中柳湾村2.5公里，"
     "沿河护坡3.9公里。", "list_exceeds_total", []),
    ("a 含 bracket is not the total", "项目资金80万元（含上年结转资金12万元），"
     "其中中央资金50万元、县级资金20万元。", "list_exceeds_total", []),
    ("a 含 bracket before parts that exceed", "项目资金80万元（含上年结转资金12万元），"
     "其中中央资金50万元、县级资金40万元。", "list_exceeds_total", ["error"]),
    ("a year among the parts", "完成投资300万元，其中2022年完成120万元、2023年完成150万元。",
     "list_exceeds_total", []),
    ("a year is never a total", "自2021年，其中2022年1月、2023年2月分别开展检查。",
     "list_exceeds_total", []),
    ("a per-capita standard", "发放补助资金6.4万元，其中按800元/人标准发放80人、按1000元/生·年发放8名。",
     "list_exceeds_total", []),
    ("per-head standard before", "发放补助资金2万元，其中人均1.5万元、户均0.8万元。",
     "list_exceeds_total", []),
    ("percentages are not parts", "培训经费20万元，其中线上培训占60%、线下培训占55%。",
     "list_exceeds_total", []),
    ("a change of the parts", "公用经费比上年减少30万元，其中办公费减少20万元、差旅费增加15万元。",
     "list_exceeds_total", []),
    ("a sub-breakdown in brackets", "三项经费10万元，其中会议费4万元（其中场租3万元、餐费1万元）、"
     "培训费5万元。", "list_exceeds_total", []),
    ("nested 其中 belongs to its own total", "支出合计100万元，其中基本支出60万元，"
     "其中人员经费50万元、公用经费9万元；项目支出40万元。", "list_exceeds_total", []),
    ("count before the label", "下设派出机构12个（其中中心站8个、服务点7个）。",
     "list_exceeds_total", ["error"]),
    ("count before the label, within", "下设派出机构15个（其中中心站8个、服务点7个）。",
     "list_exceeds_total", []),
    ("parts in another unit", "新修村道6.2公里，其中柳湾村2.5公里、投资40万元。",
     "list_exceeds_total", []),
    ("durations are not parts", "项目建设4个，其中前期3个月、施工5个月。", "list_exceeds_total", []),
    # ---- closed lists: the parts are the whole ----
    ("由…构成 short", "项目资金总额150万元，由中央补助90万元和县级配套40万元构成。",
     "stated_parts_mismatch", ["error"]),
    ("由…组成 exceed", "项目资金总额150万元，由中央补助90万元、县级配套70万元组成。",
     "stated_parts_mismatch", ["error"]),
    ("由…构成 adds up", "项目资金总额150万元，由中央补助90万元和县级配套60万元构成。",
     "stated_parts_mismatch", []),
    ("由 a new sentence", "全乡可用财力260.5万元。由上级补助200.5万元，加自有收入等60万元构成。",
     "stated_parts_mismatch", []),
    ("分为 short", "护林员补助36万元，分为生态护林员补助20万元、天保护林员补助10万元。",
     "stated_parts_mismatch", ["error"]),
    ("包括…两部分 short", "专项资金48万元，包括设备购置30万元和人员培训8万元两部分。",
     "stated_parts_mismatch", ["error"]),
    ("包括 alone is open", "专项资金48万元，包括设备购置30万元和人员培训8万元。",
     "stated_parts_mismatch", []),
    ("即…加… short", "到位资金75万元，即省级资金40万元加县级资金25万元。",
     "stated_parts_mismatch", ["error"]),
    ("等 before 构成: a part may be unlisted", "收入合计300万元，由财政拨款200万元、"
     "事业收入60万元等构成。", "stated_parts_mismatch", ["warning"]),
    ("由 meaning by", "资金150万元，由县财政局下达90万元。", "stated_parts_mismatch", []),
    ("a rate inside a closed list", "专项资金48万元，由设备购置30万元（占62.5%）和人员培训8万元构成。",
     "stated_parts_mismatch", ["error"]),
    ("a stray number in a closed list", "专项资金48万元，由2023年设备购置30万元和人员培训8万元构成。",
     "stated_parts_mismatch", ["warning"]),
    # ---- the same total stated twice ----
    ("a lost leading group", "一、收入支出决算总体情况\n收入总计2,365.10万元。\n"
     "二、说明\n经核实，收入总计,365.10万元，由财政拨款构成。", "total_stated_twice", ["warning"]),
    ("a slipped digit", "收入总计2,365.10万元。\n年终收入总计2,356.10万元。", "total_stated_twice",
     []),
    ("a slipped digit, same label", "收入总计2,365.10万元。\n另：收入总计2,635.10万元。",
     "total_stated_twice", ["warning"]),
    ("two years", "2022年收入总计2,365.10万元。\n2023年收入总计2,635.10万元。", "total_stated_twice",
     []),
    ("two scopes far apart", "支出总计2,365.10万元。\n政府性基金：支出总计0万元。",
     "total_stated_twice", []),
    ("target and achievement", "外贸总额目标12.5亿元。\n外贸总额目标12.6亿元。", "total_stated_twice",
     []),
    ("same paragraph", "收入总计2,365.10万元，支出总计2,365.10万元，收入总计2,635.10万元。",
     "total_stated_twice", []),
    ("short numbers", "收入总计100万元。\n收入总计10万元。", "total_stated_twice", []),
    ("unit differs", "收入总计2,365.10万元。\n收入总计2,635.10元。", "total_stated_twice", []),
    # ---- change words ----
    ("增加 with a fall", "公用经费45.20万元，比上年的52.80万元增加7.60万元。", "change_word_mismatch",
     ["error"]),
    ("减少 with a rise", "培训人数320人，较上年260人减少60人。", "change_word_mismatch", ["error"]),
    ("持平 with a change", "会议费3.50万元，与上年4.10万元相比持平。", "change_word_mismatch",
     ["error"]),
    ("基本持平 is vague", "会议费3.50万元，与上年3.60万元相比基本持平。", "change_word_mismatch", []),
    ("增加 right", "公用经费58.20万元，比上年的52.80万元增加5.40万元。", "change_word_mismatch", []),
    ("由…增加到 wrong", "参保人数由上年的1,250人增加到1,180人。", "change_word_mismatch", ["error"]),
    ("由…下降至 right", "空置率由上年12处下降至8处。", "change_word_mismatch", []),
    ("equal within rounding", "会议费3.5万元，比上年3.52万元减少。", "change_word_mismatch", []),
    ("a change word about something else", "公用经费45.20万元，比上年减少7.60万元，"
     "主要原因是办公用房面积增加。", "change_word_mismatch", []),
    ("last year beside, then the word", "印刷费8.40万元，上年9.10万元，增加0.70万元。",
     "change_word_mismatch", ["error"]),
    ("last year beside, right", "印刷费8.40万元，上年9.10万元，减少0.70万元。",
     "change_word_mismatch", []),
    ("a reason for a change the figures deny", "印刷费8.40万元，上年为9.10万元，"
     "印刷费增加的主要原因是宣传册加印。", "change_word_mismatch", ["warning"]),
    ("a reason for the change they show", "印刷费8.40万元，上年为9.10万元，"
     "印刷费减少的主要原因是宣传册改为电子版。", "change_word_mismatch", []),
    ("amount and rate words disagree", "差旅费12.00万元，比上年减少3.00万元，增长20%。",
     "change_word_mismatch", ["error"]),
    ("amount and rate words agree", "差旅费12.00万元，比上年减少3.00万元，下降20%。",
     "change_word_mismatch", []),
    # ---- comparison words ----
    ("决算大于预算 with less", "（一）农林水支出（类）。年初预算为120.00万元，支出决算为96.50万元，"
     "完成年初预算的80.42%。决算数大于预算数的主要原因是：项目追加。", "comparison_word_mismatch",
     ["error"]),
    ("决算小于预算 right", "（一）农林水支出（类）。年初预算为120.00万元，支出决算为96.50万元。"
     "决算数小于预算数的主要原因是：项目结转。", "comparison_word_mismatch", []),
    ("决算等于预算 wrong", "年初预算为120.00万元，支出决算为121.00万元。决算数等于预算数。",
     "comparison_word_mismatch", ["error"]),
    ("决算等于预算 rounding", "年初预算为120.0万元，支出决算为120.04万元。决算数等于预算数。",
     "comparison_word_mismatch", []),
    ("two budgets, one agrees", "年初预算为120.00万元，调整预算为90.00万元，支出决算为96.50万元。"
     "决算数大于预算数的主要原因是：项目追加。", "comparison_word_mismatch", []),
    ("two budgets, both disagree", "年初预算为120.00万元，调整预算为100.00万元，支出决算为96.50万元。"
     "决算数大于预算数的主要原因是：项目追加。", "comparison_word_mismatch", ["error"]),
    ("two finals", "年初预算为120.00万元，支出决算为96.50万元，其中基本支出决算为130.00万元，"
     "项目支出决算为96.50万元。决算数大于预算数。", "comparison_word_mismatch", ["warning"]),
    ("named budget", "年初预算为120.00万元，调整预算为90.00万元，支出决算为96.50万元。"
     "决算数大于调整预算数的主要原因是：项目追加。", "comparison_word_mismatch", []),
    ("items in one paragraph", "1.教育支出：年初预算10万元，支出决算12万元，决算数大于预算数；"
     "2.卫生支出：年初预算20万元，支出决算15万元，决算数小于预算数。", "comparison_word_mismatch", []),
    ("fund type is not a budget", "一般公共预算100万元，支出决算96万元，决算数大于预算数。",
     "comparison_word_mismatch", []),
    # ---- a zero where the money is said to be spent ----
    ("spent and zero", "项目资金20万元已全部拨付到位并全部支出，实际支出0万元。", "zero_against_spent",
     ["warning"]),
    ("spent and a zero rate", "资金已全部用于设备购置，预算执行率为0%。", "zero_against_spent",
     ["warning"]),
    ("arrived, not yet spent", "资金已全部到位，实际支出0万元，尚未使用。", "zero_against_spent", []),
    ("not all spent", "资金未全部支出，实际支出0万元。", "zero_against_spent", []),
    ("a zero balance", "资金已全部支出，结转结余0万元。", "zero_against_spent", []),
    ("another sentence", "资金已全部支出。上年结转资金支出0万元。", "zero_against_spent", []),
    ("not a zero", "资金已全部支出，实际支出20万元，支出0.5万元用于培训。", "zero_against_spent", []),
]  # fmt: skip

PROSE_CASES = CASES


@pytest.mark.parametrize(
    ("text", "check", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_prose_check(text, check, expected):
    assert severities(text, check) == expected


def test_parts_list_shows_the_arithmetic_and_every_span():
    text = T + "全年新修村道6.2公里，其中柳湾村2.5公里，石门村1.8公里，河口村2.9公里。"
    (finding,) = [f for f in findings(text) if f.check == "list_exceeds_total"]
    assert "2.5 + 1.8 + 2.9 = 7.2公里" in finding.message
    assert "6.2公里" in finding.message and "1公里" in finding.message
    assert [text[s:e] for s, e in finding.spans] == [
        "全年新修村道6.2公里，其中柳湾村2.5公里，石门村1.8公里，河口村2.9公里",
        "全年新修村道6.2公里",
        "柳湾村2.5公里",
        "石门村1.8公里",
        "河口村2.9公里",
    ]
    assert (finding.reported, finding.computed) == (Decimal("6.2"), Decimal("7.2"))


def test_english_message():
    text = T + "项目资金总额150万元，由中央补助90万元和县级配套40万元构成。"
    (finding,) = [f for f in findings(text, "en") if f.check == "stated_parts_mismatch"]
    assert finding.message.startswith("90 + 40 = 130 万元")
    assert "short by 20" in finding.message


def test_a_typo_in_a_total_is_one_finding_not_two():
    # the parts agree with the total's other statement: the typo is the finding
    text = (
        T + "一、总体情况\n支出总计3,512.40万元。\n二、构成\n"
        "支出总计,512.40万元，由基本支出1,200.00万元和项目支出2,312.40万元构成。"
    )
    found = {f.check for f in findings(text)}
    assert "total_stated_twice" in found
    assert "stated_parts_mismatch" not in found


def test_a_configured_severity_wins_over_the_doubt():
    text = T + "收入合计300万元，由财政拨款200万元、事业收入60万元等构成。"
    report = Report(path=Path("r.txt"), sha256="", text=text, kind="txt")
    config = CheckConfig(severity={"stated_parts_mismatch": "info"})
    (finding,) = [
        f for f in run_checks(extract(report), config=config) if f.check == "stated_parts_mismatch"
    ]
    assert finding.severity == "info"


def test_change_word_spans_point_at_both_figures_and_the_word():
    text = T + "公用经费45.20万元，比上年的52.80万元增加7.60万元。"
    (finding,) = [f for f in findings(text) if f.check == "change_word_mismatch"]
    assert [text[s:e] for s, e in finding.spans] == ["52.80万元", "45.20万元", "增加"]
    assert "实为减少" in finding.message


# ---- a parse failure is never a finding: shapes of real documents ----------------------------

QUIET = [
    # a sentence cut off in the middle of its list
    "全年新修村道6.2公里，其中柳湾村2.5公里，石门村",
    "项目资金总额150万元，由中央补助90万元和",
    "年初预算为120.00万元，支出决算为",
    # a flattened table: cells one per line, labels and figures apart
    "项目\n合计\n其中：\n基本支出\n项目支出\n100.00\n60.00\n50.00\n",
    "支出总计\t1,200.00\t其中：基本支出\t800.00\t项目支出\t500.00\n",
    "收入总计 1,867.48 1,867.48\n支出总计 1,867.48 867.48\n",
    # document numbers, index numbers, phone numbers, dates
    "根据青财预〔2023〕128号文件，下达资金30万元，其中〔2023〕56号文件12万元。",
    "索引号：11500111736585857J/2023-00012，其中2023-00013号、2023-00014号。",
    "联系电话：0831-5123456，其中13908352363为值班电话。",
    "于2023年3月15日、2023年4月20日分别下达，其中3月15日下达20万元。",
    # page furniture of document-sharing sites
    "第1页 / 共16页\n上传时间 2023-12-07  49.59KB\n下载积分：3\n其中1页为目录。",
    "原创力文档 第3页 共12页 阅读量1,234次 其中收藏56次、点赞78次",
    # 序号 among the parts
    "共整治山塘5座，其中：1.东坑2座；2.西坑3座。",
    "完成道路养护9公里，其中（1）东线4公里（2）西线5公里，第3个标段未开工。",
    # a total stated in a heading and its items as a numbered list
    "（一）收入总计1,200.00万元\n1.财政拨款收入1,100.00万元\n2.其他收入150.00万元\n",
    # a table of targets and achievements flattened into one line
    "1、外贸进出口总额17.5亿元。2、网络零售额13.39亿元。 1、外贸进出口总额17.6亿元。",
]


@pytest.mark.parametrize("text", QUIET)
def test_a_shape_that_cannot_be_read_is_no_finding(text):
    new = {
        "list_exceeds_total",
        "stated_parts_mismatch",
        "total_stated_twice",
        "change_word_mismatch",
        "comparison_word_mismatch",
        "zero_against_spent",
    }
    assert [f.message for f in findings(T + text) if f.check in new] == []
