"""Unit identity: the spellings of one unit group together, different units never do."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.models import Extraction, Report
from core.units import group_units, parse_unit_name, report_unit_name, same_unit

SAME = [
    ("full_vs_bare", "徐闻县前山镇人民政府", "前山镇"),
    ("full_vs_zhengfu", "徐闻县前山镇人民政府", "前山镇政府"),
    ("lost_first_char", "徐闻县前山镇人民政府", "闻县前山镇人民政府"),
    ("autonomous_short", "峨边彝族自治县五渡镇人民政府", "峨边县五渡镇"),
    ("autonomous_two_peoples", "恩施土家族苗族自治州利川市团堡镇", "恩施州利川市团堡镇"),
    ("autonomous_lost_char", "青龙满族自治县双山子镇人民政府", "龙县双山子镇"),
    ("city_prefix_added", "湛江市徐闻县前山镇", "徐闻县前山镇人民政府"),
    ("province_prefix_added", "广东省徐闻县发展和改革局", "徐闻县发展和改革局"),
    ("he_dropped", "徐闻县发展和改革局", "徐闻县发展改革局"),
    ("street_office", "东城街道办事处", "东城街道"),
    ("bracketed_note", "前山镇人民政府（本级）", "徐闻县前山镇"),
    ("fullwidth_space", "徐闻县　前山镇", "徐闻县前山镇"),
    ("county_government", "徐闻县人民政府", "徐闻县"),
]

DIFFERENT = [
    ("two_counties_fagai", "徐闻县发展和改革局", "雷州市发展和改革局"),
    ("two_counties_same_town", "安化县平口镇人民政府", "岚溪县平口镇人民政府"),
    ("keji_vs_kegong", "徐闻县科技局", "雷州市科工局"),
    ("keji_vs_kegong_same_county", "徐闻县科学技术局", "徐闻县科学技术和工业信息化局"),
    ("east_vs_west_street", "东城街道", "西城街道"),
    ("zhen_vs_xiang", "平口镇", "平口乡"),
    ("zhen_vs_xiang_same_county", "安化县平口镇人民政府", "安化县平口乡人民政府"),
    ("zhen_vs_street", "城关镇", "城关街道"),
    ("first_vs_second_school", "城关镇第一中心小学校", "城关镇第二中心小学校"),
    ("two_districts_same_name", "南京市鼓楼区华侨路街道", "福州市鼓楼区华侨路街道"),
    ("county_gov_vs_town", "徐闻县人民政府", "徐闻县前山镇人民政府"),
    ("abbreviation_not_guessed", "徐闻县发展和改革局", "徐闻县发改局"),
    ("one_char_town_slip", "双山子镇", "双山镇"),
    ("two_chars_lost_from_county", "峨边县五渡镇", "县五渡镇"),
]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in SAME], ids=[c[0] for c in SAME])
def test_spellings_of_one_unit_are_the_same_unit(a, b):
    assert same_unit(a, b)
    assert same_unit(b, a)


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in DIFFERENT], ids=[c[0] for c in DIFFERENT])
def test_different_units_are_never_the_same(a, b):
    assert not same_unit(a, b)
    assert not same_unit(b, a)


PARSED = [
    ("town", "徐闻县前山镇人民政府", ("", "", "徐闻县", "前山镇")),
    (
        "full_chain",
        "广东省湛江市徐闻县发展和改革局",
        ("广东省", "湛江市", "徐闻县", "发展和改革局"),
    ),
    ("county_city", "廉江市石城镇", ("", "", "廉江市", "石城镇")),
    ("municipality", "北京市东城区东华门街道办事处", ("", "北京市", "东城区", "东华门街道")),
    ("no_city_in_unit", "徐闻县城市管理局", ("", "", "徐闻县", "城市管理局")),
    ("district_word_in_name", "城区街道办事处", ("", "", "", "城区街道")),
    ("autonomous", "峨边彝族自治县五渡镇", ("", "", "峨边县", "五渡镇")),
    (
        "league_banner",
        "内蒙古自治区阿拉善盟阿拉善左旗巴彦浩特镇",
        ("内蒙古自治区", "阿拉善盟", "阿拉善左旗", "巴彦浩特镇"),
    ),
    ("people_named_banner", "鄂伦春自治旗阿里河镇", ("", "", "鄂伦春自治旗", "阿里河镇")),
    ("bare", "前山镇政府", ("", "", "", "前山镇")),
]


@pytest.mark.parametrize(("name", "parts"), [c[1:] for c in PARSED], ids=[c[0] for c in PARSED])
def test_names_split_into_their_parts(name, parts):
    unit = parse_unit_name(name)
    assert (unit.province, unit.prefecture, unit.county, unit.proper) == parts


def ex(path: str, unit: str | None, year: int | None = 2023) -> Extraction:
    report = Report(path=Path(path), sha256=path, text="", kind="txt")
    return Extraction(report=report, unit=unit, year=year)


def names(groups) -> list[list[str]]:
    return sorted(sorted(str(e.report.path) for e in g.extractions) for g in groups)


def test_spellings_group_together_and_the_most_complete_names_the_group():
    batch = [
        ex("a/2023.txt", "前山镇政府", 2023),
        ex("a/2024.txt", "徐闻县前山镇人民政府", 2024),
        ex("a/2022.txt", "闻县前山镇人民政府", 2022),
        ex("b/2023.txt", "徐闻县发展和改革局"),
    ]
    groups = group_units(batch)
    assert names(groups) == [["a/2022.txt", "a/2023.txt", "a/2024.txt"], ["b/2023.txt"]]
    town = next(g for g in groups if len(g.extractions) == 3)
    assert town.unit == "徐闻县前山镇人民政府"
    assert [e.year for e in town.extractions] == [2022, 2023, 2024]


def test_a_bare_name_that_fits_two_units_joins_neither():
    batch = [
        ex("x.txt", "安化县平口镇人民政府"),
        ex("y.txt", "岚溪县平口镇人民政府"),
        ex("z.txt", "平口镇人民政府", 2024),
    ]
    assert names(group_units(batch)) == [["x.txt"], ["y.txt"], ["z.txt"]]


def test_the_file_name_supplies_the_county_the_text_leaves_out():
    batch = [
        ex("安化县平口镇_2023.txt", "安化县平口镇人民政府"),
        ex("岚溪县平口镇_2022.txt", "岚溪县平口镇人民政府", 2022),
        ex("安化县平口镇_2024.txt", "平口镇人民政府", 2024),
    ]
    assert report_unit_name(batch[2]) == "安化县平口镇"
    assert names(group_units(batch)) == [
        ["安化县平口镇_2023.txt", "安化县平口镇_2024.txt"],
        ["岚溪县平口镇_2022.txt"],
    ]


def test_the_file_name_names_a_unit_the_text_does_not():
    assert report_unit_name(ex("reports/徐闻县前山镇_2023_自评报告.txt", None)) == "徐闻县前山镇"
    assert report_unit_name(ex("reports/report-2023.txt", None)) is None


def test_reports_naming_no_unit_stay_apart():
    batch = [ex("one.txt", None), ex("two.txt", None), ex("three.txt", "前山镇")]
    groups = group_units(batch)
    assert names(groups) == [["one.txt"], ["three.txt"], ["two.txt"]]
    assert {g.unit for g in groups} == {"one", "two", "前山镇"}


def test_a_lower_threshold_merges_closer_spellings():
    batch = [ex("a.txt", "徐闻县双山子镇"), ex("b.txt", "徐闻县双山镇")]
    assert len(group_units(batch)) == 2
    assert len(group_units(batch, threshold=85)) == 1


SPELLINGS = [
    "徐闻县前山镇人民政府", "前山镇", "前山镇政府", "闻县前山镇人民政府", "雷州市前山镇",
    "徐闻县前山乡", "徐闻县发展和改革局", "雷州市发展和改革局", "发展和改革局", "东城街道",
    "西城街道", "峨边彝族自治县五渡镇人民政府", "峨边县五渡镇", None,
]  # fmt: skip


@given(st.lists(st.sampled_from(SPELLINGS), max_size=9).flatmap(st.permutations))
def test_grouping_never_mixes_counties_and_ignores_input_order(spellings):
    batch = [ex(f"r{i}.txt", name) for i, name in enumerate(spellings)]
    groups = group_units(batch)
    assert sorted(e.report.path for g in groups for e in g.extractions) == sorted(
        e.report.path for e in batch
    )
    for group in groups:
        units = [parse_unit_name(e.unit) for e in group.extractions if e.unit]
        for a in units:
            for b in units:
                assert same_unit(a.text, b.text), (a.text, b.text)
    assert names(group_units(list(reversed(batch)))) == names(groups)
