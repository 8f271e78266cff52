"""Project matching between two years: normalisation, scoring, one-to-one pairing, decisions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.matching import (
    PairDecision,
    match_batch,
    match_projects,
    normalise_project_name,
)
from core.models import Extraction, Project, Report


def project(name: str, amount: str | None = None) -> Project:
    return Project(name, None if amount is None else Decimal(amount), None, None, 0, 0, 1)


def pairs_of(result) -> list[tuple[str, str]]:
    return [(p.old.name, p.new.name) for p in result.pairs]


NORMALISED = [
    ("year_prefix", "2023年基层组织运行维护费", "基层组织运行维护费"),
    ("year_du_prefix", "2024年度中央专项彩票公益金", "中央专项彩票公益金"),
    ("year_inside", "安化县2023年农村公路建设资金", "安化县农村公路建设资金"),
    ("fullwidth_brackets_dash", "运行维护费（上级）－中央", "运行维护费(上级)-中央"),
    ("other_dashes", "经费—中央", "经费-中央"),
    ("en_dash_and_double_em", "经费–中央——补助", "经费-中央-补助"),
    ("lenticular_brackets", "【专项】资金〔2023〕", "(专项)资金"),
    ("spaces_and_quotes", "“三公” 经费 管理", "三公经费管理"),
    ("enumeration_comma", "工作经费、库区补助", "工作经费库区补助"),
    ("fullwidth_digits_letters", "ＡＢ村第１期", "ab村第1期"),
]


@pytest.mark.parametrize(
    ("raw", "want"), [c[1:] for c in NORMALISED], ids=[c[0] for c in NORMALISED]
)
def test_names_are_normalised(raw, want):
    assert normalise_project_name(raw) == want


# Renames seen between real reports' years, each a pair the matcher must make on its own.
RENAMES = [
    (
        "year_and_punctuation",
        "2023年基层组织和农村公共服务运行维护费（上级）－中央",
        "2024年基层组织和农村公共服务运行维护费(上级)-中央",
    ),
    ("word_added", "县乡解困资金", "县乡财政解困资金"),
    ("suffix_added", "村级产业发展及基础设施建设", "村级产业发展及基础设施建设资金"),
    ("qualifier_added", "乡镇安全管理相关经费", "乡镇安全生产管理相关经费"),
    ("shortened", "综合治理工作经费", "综治工作经费"),
    ("note_added", "燃煤锅炉改造及清洁能源补贴", "燃煤锅炉改造及清洁能源补贴（运转保障）"),
    (
        "prefix_added_same_level",
        "农村公共服务运行维护费－县级",
        "基层组织和农村公共服务运行维护费-县级",
    ),
]


@pytest.mark.parametrize(("old", "new"), [c[1:] for c in RENAMES], ids=[c[0] for c in RENAMES])
def test_renamed_projects_are_paired(old, new):
    result = match_projects([project(old, "10")], [project(new, "12")])
    assert pairs_of(result) == [(old, new)]
    assert result.new == () and result.dropped == ()


# Different projects whose names are alike: pairing them would be a wrong merge.
DISTINCT = [
    (
        "funding_level",
        "基层组织和农村公共服务运行维护费（上级）－中央",
        "基层组织和农村公共服务运行维护费（上级）－省级",
    ),
    ("funding_level_short", "社区服务群众专项经费－省级", "社区服务群众专项经费－县级"),
    ("phase", "防洪大堤三期工程", "防洪大堤四期工程"),
    ("batch", "第一批乡村振兴衔接资金", "第二批乡村振兴衔接资金"),
    ("shared_words", "党建工作经费", "团委工作经费"),
    ("shared_prefix", "村级组织运转经费-村干部基础职务补贴", "村级组织运转经费-村级组织办公经费"),
    ("purchase_vs_upkeep", "公务用车购置", "公务用车运行维护"),
    ("contained_in_longer", "疫情防控工作经费", "安化县火车站疫情防控工作经费"),
]


@pytest.mark.parametrize(("old", "new"), [c[1:] for c in DISTINCT], ids=[c[0] for c in DISTINCT])
def test_alike_but_different_projects_are_not_paired(old, new):
    result = match_projects([project(old, "10")], [project(new, "10")])
    assert result.pairs == ()
    assert [p.name for p in result.dropped] == [old]
    assert [p.name for p in result.new] == [new]


def test_same_named_projects_pair_by_closest_amount():
    name = "村级组织运转经费-村干部基础职务补贴"
    old = [project(name, "221.5"), project(name, "65.2"), project(name, "30")]
    new = [project(name, "68.38"), project(name, "228.764")]
    result = match_projects(old, new)
    amounts = [(p.old.amount, p.new.amount) for p in result.pairs]
    assert amounts == [(Decimal("65.2"), Decimal("68.38")), (Decimal("221.5"), Decimal("228.764"))]
    assert [p.amount for p in result.dropped] == [Decimal("30")]


def test_exact_names_win_over_closer_amounts_of_a_similar_name():
    old = [project("党建工作经费", "1"), project("党建工作专项经费", "5")]
    new = [project("党建工作经费", "5")]
    assert pairs_of(match_projects(old, new)) == [("党建工作经费", "党建工作经费")]


def test_each_project_is_used_once_and_the_best_candidate_wins():
    old = [project("垃圾车运营维护费", "4")]
    new = [project("垃圾清运车运营维护费", "4"), project("垃圾车运营维护费用", "4")]
    result = match_projects(old, new)
    assert pairs_of(result) == [("垃圾车运营维护费", "垃圾车运营维护费用")]
    assert [p.name for p in result.new] == ["垃圾清运车运营维护费"]


def test_pairs_report_score_and_change():
    result = match_projects(
        [project("县乡解困资金", "130.7")], [project("县乡财政解困资金", "128.6")]
    )
    (pair,) = result.pairs
    assert round(pair.score, 1) == 85.7
    assert pair.change == Decimal("-2.1")
    assert pair.change_pct == Decimal("-1.61")
    assert not pair.confirmed


@pytest.mark.parametrize(
    ("old_amount", "new_amount", "change", "pct"),
    [
        (None, "5", None, None),
        ("5", None, None, None),
        ("0", "5", Decimal("5"), None),
        ("0.432", "0.432", Decimal("0"), Decimal("0.00")),
    ],
    ids=["old_unknown", "new_unknown", "from_zero", "unchanged"],
)
def test_changes_with_unknown_or_zero_amounts(old_amount, new_amount, change, pct):
    result = match_projects(
        [project("专项武装经费", old_amount)], [project("专项武装经费", new_amount)]
    )
    (pair,) = result.pairs
    assert (pair.change, pair.change_pct) == (change, pct)


def test_the_cutoff_decides_borderline_renames():
    old, new = [project("防汛防火工作经费")], [project("防火防汛工作经费")]  # ratio 75
    assert match_projects(old, new).pairs == ()
    assert len(match_projects(old, new, score_cutoff=75).pairs) == 1


def test_a_confirmed_pair_is_forced_whatever_its_score():
    old = [project("防汛防火工作经费", "6"), project("疫情防控工作经费", "12")]
    new = [project("防火防汛工作经费", "7")]
    decision = PairDecision("防汛防火工作经费", "防火防汛工作经费", accepted=True)
    result = match_projects(old, new, decisions=[decision])
    (pair,) = result.pairs
    assert (pair.old.name, pair.new.name, pair.confirmed) == (
        "防汛防火工作经费",
        "防火防汛工作经费",
        True,
    )
    assert pair.score == 75
    assert [p.name for p in result.dropped] == ["疫情防控工作经费"]


def test_a_confirmed_pair_overrides_a_funding_level_difference():
    old = [project("运行维护费－中央", "35")]
    new = [project("运行维护费－省级", "35")]
    decision = PairDecision("运行维护费－中央", "运行维护费－省级", accepted=True)
    assert len(match_projects(old, new, decisions=[decision]).pairs) == 1


def test_a_rejected_pair_is_never_made_and_the_next_candidate_may_be():
    old = [project("垃圾车运营维护费", "4")]
    new = [project("垃圾车运营维护费用", "4"), project("垃圾清运车运营维护费", "4")]
    decision = PairDecision("垃圾车运营维护费", "垃圾车运营维护费用", accepted=False)
    result = match_projects(old, new, decisions=[decision])
    assert pairs_of(result) == [("垃圾车运营维护费", "垃圾清运车运营维护费")]


def test_a_rejected_exact_name_leaves_both_unmatched():
    old, new = [project("党建工作经费", "1")], [project("党建工作经费", "1")]
    decision = PairDecision("党建工作经费", "党建工作经费", accepted=False)
    result = match_projects(old, new, decisions=[decision])
    assert result.pairs == () and len(result.new) == 1 and len(result.dropped) == 1


def test_decisions_about_other_names_change_nothing():
    old, new = [project("党建工作经费", "1")], [project("党建工作经费", "2")]
    unrelated = [PairDecision("团委工作经费", "党建工作经费", accepted=True)]
    assert match_projects(old, new, decisions=unrelated) == match_projects(old, new)


def test_empty_lists():
    assert match_projects([], []).pairs == ()
    result = match_projects([project("党建工作经费")], [])
    assert [p.name for p in result.dropped] == ["党建工作经费"]


NAMES = ["党建工作经费", "团委工作经费", "党建工作专项经费", "2023年党建工作经费", "运行维护费－中央", "运行维护费-省级", "综治工作经费", "综合治理工作经费", ""]  # fmt: skip
PROJECTS = st.builds(
    project,
    st.sampled_from(NAMES),
    st.one_of(st.none(), st.decimals(0, 1000, places=2).map(str)),
)


@given(
    st.lists(PROJECTS, max_size=8),
    st.lists(PROJECTS, max_size=8),
    st.lists(
        st.builds(PairDecision, st.sampled_from(NAMES), st.sampled_from(NAMES), st.booleans()),
        max_size=3,
    ),
)
def test_every_project_is_accounted_for_exactly_once(old, new, decisions):
    result = match_projects(old, new, decisions=decisions)
    used_old = [id(p.old) for p in result.pairs] + [id(p) for p in result.dropped]
    used_new = [id(p.new) for p in result.pairs] + [id(p) for p in result.new]
    assert sorted(used_old) == sorted(id(p) for p in old)
    assert sorted(used_new) == sorted(id(p) for p in new)
    rejected = {(d.from_name, d.to_name) for d in decisions if not d.accepted}
    accepted = {(d.from_name, d.to_name) for d in decisions if d.accepted}
    for pair in result.pairs:
        assert (pair.old.name, pair.new.name) not in rejected or pair.confirmed
        assert pair.confirmed or pair.score >= 80
        assert pair.confirmed == ((pair.old.name, pair.new.name) in accepted)


def report(path: str, unit: str, year: int | None, projects: list[Project]) -> Extraction:
    rep = Report(path=Path(path), sha256=f"sha-{path}", text="", kind="txt")
    return Extraction(report=rep, unit=unit, year=year, projects=tuple(projects))


def test_a_batch_matches_consecutive_years_of_each_unit_only():
    batch = [
        report("a22.txt", "徐闻县前山镇人民政府", 2022, [project("党建工作经费", "1")]),
        report("a23.txt", "闻县前山镇人民政府", 2023, [project("党建工作经费", "2")]),
        report("a24.txt", "徐闻县前山镇", 2024, [project("党建工作经费", "3")]),
        report("b23.txt", "雷州市前山镇人民政府", 2023, [project("党建工作经费", "9")]),
        report("a_undated.txt", "徐闻县前山镇", None, [project("党建工作经费", "4")]),
    ]
    result = match_batch(batch)
    steps = [(m.old.report.path.name, m.new.report.path.name) for m in result.reports]
    assert steps == [("a22.txt", "a23.txt"), ("a23.txt", "a24.txt")]
    assert len(result.units) == 2


def test_batch_decisions_apply_to_the_pair_of_reports_they_name():
    old = report("a23.txt", "前山镇", 2023, [project("党建工作经费", "1")])
    new = report("a24.txt", "前山镇", 2024, [project("党建工作经费", "1")])
    reject = PairDecision("党建工作经费", "党建工作经费", accepted=False)
    other = match_batch([old, new], decisions={("sha-x", "sha-y"): [reject]})
    assert len(other.reports[0].projects.pairs) == 1
    mine = match_batch([old, new], decisions={(old.report.sha256, new.report.sha256): [reject]})
    assert mine.reports[0].projects.pairs == ()
