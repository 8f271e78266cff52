"""bench/score.py: the scorer counts what a reviewer would, through the real `jixiao check`."""

from __future__ import annotations

import pytest

from bench.score import score

REPORT = """某县农业农村局2023年度部门整体支出绩效自评报告

一、基本情况
本局编制人数20人，年末实有在职人员18人。2023年年初预算数500.00万元，全年实际支出480.00万元，\
其中基本支出300.00万元，项目支出200.00万元。
"""

# The dev corpus's format: fields as keys of the report, discrepancies with numbers.
GOLD = """
[[report]]
file = "r.txt"
unit = "某县农业农村局"
year = 2023
staff_authorized = 20
budget_initial = 510
spending_total = 480
score = 90
[[report.discrepancies]]
kind = "sum_mismatch"
severity = "error"
explanation = "300 + 200 = 500, not 480"
numbers = [480, 500]
[[report.discrepancies]]
kind = "template_residue"
severity = "minor"
explanation = "a kind no check here raises in this text"
numbers = []

[[report]]
file = "s.txt"
unit = "另一县财政局"
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("score")
    (folder / "r.txt").write_text(REPORT, "utf-8")
    (folder / "s.txt").write_text("报告\n\n一、概况\n本年共完成工作三项。\n", "utf-8")
    gold = folder / "gold.toml"
    gold.write_text(GOLD, "utf-8")
    return score(gold, folder)


def test_figures_right_wrong_missing_and_unasked(result):
    assert result.tp == {"staff_authorized": 1, "spending_total": 1}
    # 500 read where the gold says 510: false and missed; the gold has no staff_actual etc.
    assert result.fp == {
        "budget_initial": 1,
        "staff_actual": 1,
        "spending_basic": 1,
        "spending_project": 1,
    }
    assert result.fn == {"budget_initial": 1, "score": 1}
    assert result.precision() == pytest.approx(2 / 6)
    assert result.recall() == pytest.approx(2 / 4)


def test_unit_and_year(result):
    assert result.unit == {"right": 1, "missing": 1}
    # s.txt states no year and the gold gives none: right to say none.
    assert result.year == {"right": 2}


def test_discrepancies_by_severity(result):
    assert result.expected == {"error": 1, "other": 1}
    assert result.found == {"error": 1}
    assert result.found_as_error == 1
    assert result.false_errors == []


def test_an_unexplained_error_is_false(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, "utf-8")
    gold = tmp_path / "gold.toml"
    gold.write_text(
        '[[report]]\nfile = "r.txt"\nunit = "某县农业农村局"\n[[report.discrepancies]]\n'
        'kind = "staff_over_quota"\nseverity = "info"\nnumbers = [18, 20]\n',
        "utf-8",
    )
    found = score(gold, tmp_path)
    assert [line.split()[1] for line in found.false_errors] == ["sum_mismatch"]
    assert found.summary()["false_errors_per_report"] == 1.0


def test_seed_format_reads_figures_table(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, "utf-8")
    gold = tmp_path / "gold.toml"
    gold.write_text(
        '[[report]]\nfile = "r.txt"\n[report.figures]\n'
        'staff_actual = { value = 18, quote = "年末实有在职人员18人" }\n',
        "utf-8",
    )
    assert score(gold, tmp_path).tp == {"staff_actual": 1}


def test_scores_the_files_named_only(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT, "utf-8")
    (tmp_path / "other.txt").write_text(REPORT, "utf-8")
    gold = tmp_path / "gold.toml"
    gold.write_text('[[report]]\nfile = "r.txt"\n', "utf-8")
    assert score(gold, tmp_path).reports == 1
    assert score(gold, tmp_path, only=set()).reports == 0


def test_standard_corpora_exist():
    from bench.score import STANDARD_RUNS

    for name, gold, folder, _ in STANDARD_RUNS:
        if "dev-corpus" in name:
            continue  # beside the project, not in it
        assert gold.exists() and folder.is_dir(), name
