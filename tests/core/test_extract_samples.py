"""Every figure and project a careful reviewer reads out of the five real sample reports."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.extract import extract
from core.reading import read_report
from tests.core.expectations import figure_problems, project_problems

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
EXPECTED = tomllib.loads((ROOT / "tests" / "core" / "data" / "expected.toml").read_text("utf-8"))
REPORTS = EXPECTED["report"]


@pytest.fixture(scope="module")
def extractions():
    return {r["file"]: extract(read_report(SAMPLES / r["file"])) for r in REPORTS}


@pytest.mark.parametrize("expected", REPORTS, ids=[r["file"].split("_")[0] for r in REPORTS])
def test_figures(extractions, expected):
    assert figure_problems(extractions[expected["file"]], expected) == []


@pytest.mark.parametrize("expected", REPORTS, ids=[r["file"].split("_")[0] for r in REPORTS])
def test_projects(extractions, expected):
    assert project_problems(extractions[expected["file"]], expected) == []


@pytest.mark.parametrize("expected", REPORTS, ids=[r["file"].split("_")[0] for r in REPORTS])
def test_unit_and_year(extractions, expected):
    extraction = extractions[expected["file"]]
    assert extraction.unit == expected["unit"]
    assert extraction.year == expected["year"]


def test_slips_keep_the_unit_as_written_and_say_why(extractions):
    fig = extractions["安化县平口镇_2023_部门整体支出绩效自评报告.txt"].figure("sangong_total")
    assert fig.as_written_unit == "元"
    assert fig.unit == "万元"
    assert "29.09" in fig.note  # the parts that show 万元 is meant


def test_other_statements_are_kept_as_candidates(extractions):
    spending_project = extractions["安化县平口镇_2023_部门整体支出绩效自评报告.txt"].figure(
        "spending_project"
    )
    assert str(spending_project.value) == "567.54"
    assert "371.86" in [str(c.value) for c in spending_project.candidates]


def test_sample_reports_are_the_seeds_unchanged():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside this checkout")
    for report in REPORTS:
        assert (SAMPLES / report["file"]).read_bytes() == (seeds / report["file"]).read_bytes()
