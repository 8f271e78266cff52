"""The unit and the year a report states: from labels, the title and the text, never from page
furniture, a publisher, a document number or the file's name.

Every wording here is made up (counties, units and sentences alike); each rule has a case that
fires and a near case that must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.extract import extract
from core.identity import find_unit, find_year, is_unit_name
from core.models import Extraction, Report
from core.output import listing_lines
from core.units import report_unit_name, report_year

# ---- the unit -------------------------------------------------------------------------------

WEB_PAGE = """登录 | 注册
  • 索引号
    tlxczj/2024-00311
  • 发布机构
    桐岭县财政局
  • 文号
  • 发布日期
    2024-05-20
  • 时效性
    有效

{title}

一、部门基本情况
本单位认真组织自评。
"""

UNITS = [
    ("label", "评价年度:2024\n评价单位(公章):某县某镇人民政府\n填报日期:202511\n", "某县某镇人民政府"),
    ("label_department", "部门（单位）名称：济川市岱北区教育局\n评价年度：2023年\n", "济川市岱北区教育局"),
    ("title_year_first", "2023年度安化县某镇人民政府部门整体支出绩效自评报告\n", "安化县某镇人民政府"),
    ("title_year_after", "淠源县卫生健康局2023年度部门整体支出绩效自评报告\n发布日期：2024年4月15日\n",
     "淠源县卫生健康局"),
    ("line_before_title", "\n青山县某乡人民政府\n\n2022年度部门整体绩效自评工作报告\n", "青山县某乡人民政府"),
    ("speaks_as_town", "我镇2023年度工作……阳东县某镇公共服务中心……2023年度目标……\n2024年1月5日",
     "阳东县某镇"),
    # A title gluing the year and the report's kind onto the name.
    ("library_title", "青川市图书馆2023年度项目支出绩效自评报告(2023年公共图书馆文化馆(站)免费开放经费)\n"
     "一、自评结论\n", "青川市图书馆"),
    ("prefixed_final_accounts", "2022年度云梦省溪口州溪口县公安局部门决算\n发布时间:2023-09-01\n",
     "云梦省溪口州溪口县公安局"),
    ("commission_title", "岚江市松溪区经济信息委员会2022年度预算资金绩效自评公开\n表1:\n",
     "岚江市松溪区经济信息委员会"),
    # The unit, then a project's name, then the year: the unit ends at its strong ending.
    ("hospital_then_project", "岚山州第三人民医院基层医疗卫生服务项目州级补助资金2022年度绩效自评报告\n"
     "一、绩效目标完成情况分析\n", "岚山州第三人民医院"),
    ("school_then_project", "桐岭县第六中学学生资助项目2021年度绩效自评报告\n", "桐岭县第六中学"),
    ("title_without_year", "松阳县东坝乡人民政府部门整体支出绩效自评报告\n\n一、部门基本情况\n",
     "松阳县东坝乡人民政府"),
    ("bureau_then_section", "松阳市水务局防汛抗旱股项目支出绩效自评\n发布时间:2023-12-05 15:04\n",
     "松阳市水务局"),
    # Leading words are not part of the name; a summary names its compiler.
    ("about_title", "关于青川县林业局2023年度部门整体支出绩效自评情况的报告\n", "青川县林业局"),
    ("summary_compiler", "云岭市财政局关于2023年度市级部门整体支出绩效自评情况的报告\n", "云岭市财政局"),
    ("compiler_label", "2023年度市级部门绩效自评结果汇总\n编制单位：云岭市财政局\n", "云岭市财政局"),
    # A leading word is cut only when the place keeps two characters.
    ("place_starting_with_a_word", "本溪县财政局2023年度部门整体支出绩效自评报告\n", "本溪县财政局"),
    ("place_starting_with_he", "评价单位：和平区教育局\n", "和平区教育局"),
    ("about_then_place", "评价单位：即桐岭县林业局\n", "桐岭县林业局"),
    # Flattened forms: the right cell.
    ("empty_cell", "项目支出绩效自评表\n(2022年度)\n项目名称 防汛经费\n主管部门 实施单位 松阳市农业农村局\n",
     "松阳市农业农村局"),
    ("cell_then_label", "单位名称 松阳区文化旅游委员会 单位负责人及电话 张某 13900000000\n",
     "松阳区文化旅游委员会"),
    ("glued_cells", "部门(单位)名称:桐岭市河东区东湖街道办事处项目名称:公共服务专项支出\n",
     "桐岭市河东区东湖街道办事处"),
    ("implementer_beside_supervisor", "主管部门：桐岭县教育局\n实施单位：桐岭县第二小学\n",
     "桐岭县第二小学"),
    ("supervisor_alone", "项目支出绩效自评表\n主管部门：桐岭县卫生健康局\n项目名称：家庭医生签约服务\n",
     "桐岭县卫生健康局"),
    # A form whose 实施单位 cell cannot be read (OCR): the other unit of the 主管部门's region.
    ("beside_supervisor", "1、桐岭县本级部门项目支出绩效自评表(2021年)项目名称校舍维修主管部门桐岭县教育局"
     "实施犟位自评得分95评分桐岭县第三中学项目资金\n", "桐岭县第三中学"),
    ("beside_supervisor_other_region", "项目支出绩效自评表\n主管部门：桐岭县教育局\n培训地点：青川县第三中学\n",
     "桐岭县教育局"),
    # Kinds of units.
    ("health_centre", "单位名称：桐岭县东坝镇卫生院\n", "桐岭县东坝镇卫生院"),
    ("vocational_school", "填报单位：青川县职业学校\n", "青川县职业学校"),
    ("kindergarten", "评价单位：青川县第一幼儿园\n", "青川县第一幼儿园"),
    ("centre_school", "桐岭县东坝镇中心学校2023年度部门整体支出绩效自评报告\n", "桐岭县东坝镇中心学校"),
    # Page furniture before the title.
    ("publisher_before_title", WEB_PAGE.format(title="桐岭县东坝镇人民政府部门整体支出绩效自评报告"),
     "桐岭县东坝镇人民政府"),
    ("publisher_on_its_line", "- 索引号: 20240101-000-001\n- 发布机构: 桐岭县卫生健康局\n- 发布日期: 2024-03-20\n"
     "桐岭县人民医院2023年度项目支出绩效自评报告\n", "桐岭县人民医院"),
    ("shared_document", "《桐岭县东坝镇2022年度单位项目支出绩效评价自评报告.docx》由会员分享，可在线阅读。\n"
     "上传人:王** 文档编号:578000 上传时间:2023-12-07 格式:DOCX 页数:16\n第1页 / 共16页\n",
     "桐岭县东坝镇"),
    # A township named without its county, in a report that speaks as one.
    ("bare_town", "《道路维修奖励资金项目支出绩效自评报告.docx》由会员分享。\n"
     "1、道路维修奖励资金项目支出绩效自评报告一、项目概况石桥镇现有干部30人，县财政局下达石桥镇"
     "资金10万元。我镇全部用于道路维修。\n", "石桥镇"),
    ("bare_town_whole_name", "项目概况：白马关镇现有干部30人。资金下达白马关镇，我镇于年底前用完。\n",
     "白马关镇"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "unit"), [c[1:] for c in UNITS], ids=[c[0] for c in UNITS])
def test_the_unit_is_read_from_the_text(text: str, unit: str) -> None:
    assert find_unit(text) == unit


NO_UNIT = [
    ("nothing", "部门整体支出绩效自评报告\n一、基本情况\n本单位认真开展自评。\n"),
    ("publisher_only", WEB_PAGE.format(title="部门整体支出绩效自评报告")),
    ("source_line", "部门决算\n来源:东坝乡\n发布日期:2021-09-28\n浏览次数:人次\n一、基本职能\n"),
    ("shared_document_furniture", "《道路维修项目支出绩效自评报告.docx》由会员分享，可在线阅读。\n"
     "上传人:李** 文档编号:123456 上传时间:2023-05-06\n第1页 / 共9页\n资源描述\n"),
    ("empty_label", "单位名称：\n评价年度：2022年\n"),
    ("table_unit_label", "单位：万元\n项目\t金额\n"),
    # A township named in passing (once, or twice in a report that does not speak as one).
    ("town_in_passing", "一、基本情况\n本局在桐岭县东坝镇开展培训。\n"),
    ("bare_town_not_self", "一、基本情况\n本局在石桥镇开展培训，石桥镇群众满意。\n"),
    ("supervisor_when_implementer_empty", "主管部门：桐岭县教育局\n实施单位：\n"),
]  # fmt: skip


@pytest.mark.parametrize("text", [c[1] for c in NO_UNIT], ids=[c[0] for c in NO_UNIT])
def test_a_text_naming_no_unit_has_none(text: str) -> None:
    assert find_unit(text) is None


def test_a_name_cut_by_a_line_break_is_joined_again() -> None:
    broken = "柳溪县住房和城乡\n建设局2023年度部门整体支出绩效自评报告\n一、部门基本情况\n"
    assert find_unit(broken) == "柳溪县住房和城乡建设局"
    # Near case: a whole name before the title is not joined to it.
    whole = "柳溪县住房和城乡建设局\n2023年度部门整体支出绩效自评报告\n"
    assert find_unit(whole) == "柳溪县住房和城乡建设局"


def test_a_bare_town_keeps_the_characters_every_mention_has() -> None:
    # "马关镇" would be cut inside the name: every mention has 白 before it.
    assert find_unit("白马关镇现有干部。下达白马关镇资金，我镇用完。\n") == "白马关镇"
    # Different words before each mention: the name is the two characters.
    assert find_unit("因石桥镇工作突出，下达石桥镇资金，我镇用完。\n") == "石桥镇"


@pytest.mark.parametrize(
    "name",
    [
        "某县住房和城乡建设局",
        "桐岭县第二人民医院",
        "青川县职业学校",
        "桐岭县图书馆",
        "东坝镇中心小学",
    ],
)
def test_unit_names(name: str) -> None:
    assert is_unit_name(name)


@pytest.mark.parametrize("name", ["桐岭县", "防汛抗旱股", "资金使用", "万元"])
def test_not_unit_names(name: str) -> None:
    assert not is_unit_name(name)


# ---- the year -------------------------------------------------------------------------------

YEARS = [
    ("title", "淠源县卫生健康局2023年度部门整体支出绩效自评报告\n发布日期：2024年4月15日\n", 2023),
    ("title_line_after_name", "\n青山县某乡人民政府\n\n2022年度部门整体绩效自评工作报告\n于2023年7月20日完成\n",
     2022),
    ("final_accounts", "桐岭县东坝镇人民政府\n2022年决算报告\n一、预算收支决算情况\n", 2022),
    ("form_header", "桐岭县水务局项目支出绩效自评\n发布时间:2023-12-05 15:04\n项目支出绩效自评表\n(2022年度)\n",
     2022),
    ("form_title_note", "1、桐岭市本级部门项目支出绩效自评表(2021年)项目名称初中公用经费\n", 2021),
    ("label", "部门整体支出绩效自评报告\n\n评价年度:2024\n\n评价单位(公章):某县某镇人民政府\n", 2024),
    ("label_with_date", "部门（单位）名称：济川市岱北区教育局\n评价年度：2023年\n成文日期：2024年3月1日", 2023),
    # The title wins over a cover's label left from another year.
    ("title_over_label", "桐岭县机关事务中心\n2023年度部门整体支出绩效自评报告\n\n评价年度：2022年\n", 2023),
    # The body's own year.
    ("opening", "部门整体支出绩效自评报告\n现将我局2023年度部门整体支出绩效自评情况报告如下：\n", 2023),
    ("body_year", "部门决算\n一、基本职能\n2020年，全乡实现人均可支配收入12000元，比2019年增长8%。\n", 2020),
    ("year_end", "部门整体支出绩效自评报告\n2023年末在职人员28人。\n", 2023),
    ("prose_dates", "项目支出绩效自评报告\n资金10万元于2022年10月30日下达，于2022年12月31日前全部支出。\n", 2022),
    ("speaks_of_its_year", "我镇2023年度工作……阳东县某镇公共服务中心……2023年度目标……\n2024年1月5日", 2023),
    # Written in Chinese numerals or full-width digits.
    ("chinese_numerals", "桐岭县林业局二〇二三年度部门整体支出绩效自评报告\n", 2023),
    ("full_width", "桐岭县林业局２０２３年度部门整体支出绩效自评报告\n", 2023),
    ("full_width_label", "部门整体支出绩效自评报告\n评价年度：２０２２年\n", 2022),
    # A table's year columns are not a title.
    ("year_columns", "部门整体支出绩效自评报告\n评价年度：2024年\n项目\t2023年度决算\t2024年度决算\n", 2024),
]  # fmt: skip


@pytest.mark.parametrize(("text", "year"), [c[1:] for c in YEARS], ids=[c[0] for c in YEARS])
def test_the_year_is_read_from_the_text(text: str, year: int) -> None:
    assert find_year(text) == year


NO_YEAR = [
    ("publication_date", WEB_PAGE.format(title="桐岭县东坝镇人民政府部门整体支出绩效自评报告")),
    ("dated_labels", "部门整体支出绩效自评报告\n发布日期：2024年3月20日\n成文日期：2024年3月18日\n"
     "填报日期：2024年3月1日\n公开时间：2024年3月22日\n上传时间：2024年3月23日\n"),
    ("document_number", "部门整体支出绩效自评报告\n根据桐财绩〔2025〕5号文件要求开展自评。\n"),
    ("index_number", "[ 索引号 ] 11500111736585857J/2022-00009\n部门整体支出绩效自评报告\n"),
    ("notice", "部门整体支出绩效自评报告\n根据《关于开展2024年县级财政资金绩效自评工作的通知》要求，我单位开展自评。\n"),
    ("notice_unquoted", "部门整体支出绩效自评报告\n按照县财政局关于开展2024年度绩效自评工作的通知，开展自评。\n"),
    ("comparison", "部门整体支出绩效自评报告\n收入比2019年增长18%。\n"),
    ("report_date", "项目支出绩效自评报告\n报告日期：2022年4月6日\n"),
    ("signature_date", "部门整体支出绩效自评报告\n一、基本情况\n本单位认真开展自评。\n桐岭县林业局\n2024年3月15日\n"),
    ("two_years_alike", "部门整体支出绩效自评报告\n2022年完成道路一条，2023年完成桥梁一座。\n"),
]  # fmt: skip


@pytest.mark.parametrize("text", [c[1] for c in NO_YEAR], ids=[c[0] for c in NO_YEAR])
def test_a_text_stating_no_year_has_none(text: str) -> None:
    assert find_year(text) is None


# ---- the file name: for grouping only -------------------------------------------------------


def _extract(text: str, name: str) -> Extraction:
    return extract(Report(Path(name), "0" * 64, text, "txt"))


def test_the_file_name_is_not_the_text_but_groups_the_batch() -> None:
    ex = _extract("部门整体支出绩效自评报告\n一、基本情况\n", "桐岭县东坝镇_2023_自评报告.txt")
    assert (ex.unit, ex.year) == (None, None)
    assert report_year(ex) == 2023
    assert report_unit_name(ex) == "桐岭县东坝镇"
    # Near case: the text's year wins over the name's.
    stated = _extract("2022年度部门整体支出绩效自评报告\n", "桐岭县东坝镇_2023_自评报告.txt")
    assert (stated.year, report_year(stated)) == (2022, 2022)
    assert report_year(_extract("自评报告\n", "report.txt")) is None


def test_a_missing_unit_and_year_are_shown_as_not_stated() -> None:
    ex = _extract("部门整体支出绩效自评报告\n一、基本情况\n", "x.txt")
    assert "未注明  年度未注明" in listing_lines(ex)[0]
    assert "not stated  year not stated" in listing_lines(ex, lang="en")[0]
