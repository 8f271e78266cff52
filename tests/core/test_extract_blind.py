"""A second made-up set, written blind to the extractor (measured before any rule was tuned on it).

They measure generalisation: the rules were not written against them. Field precision and recall
over the whole set must stay at the product's bar; each report's problems are listed on failure.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.extract import extract
from core.reading import read_report
from tests.core.expectations import figure_problems, project_problems, quote_matches, same_value

DATA = Path(__file__).resolve().parent / "data" / "blind"
EXPECTED = tomllib.loads((DATA / "expected.toml").read_text("utf-8"))["report"]


@pytest.fixture(scope="module")
def extractions():
    return {r["file"]: extract(read_report(DATA / r["file"])) for r in EXPECTED}


def score(extractions) -> tuple[float, float]:
    """Field precision and recall: a figure is right when its value and quote are right."""
    right = found = wanted = 0
    for expected in EXPECTED:
        ex = extractions[expected["file"]]
        wanted += len(expected["figures"])
        found += len(ex.figures)
        for key, want in expected["figures"].items():
            fig = ex.figure(key)
            if (
                fig
                and same_value(fig.value, want["value"])
                and quote_matches(fig.quote, want["quote"])
            ):
                right += 1
    return right / found, right / wanted


def test_precision_and_recall_over_the_variants(extractions):
    precision, recall = score(extractions)
    report = {r["file"]: figure_problems(extractions[r["file"]], r) for r in EXPECTED}
    assert precision >= 0.95 and recall >= 0.90, (precision, recall, report)


@pytest.mark.parametrize("expected", EXPECTED, ids=[r["file"][:3] for r in EXPECTED])
def test_unit_and_year(extractions, expected):
    assert (extractions[expected["file"]].unit, extractions[expected["file"]].year) == (
        expected["unit"],
        expected["year"],
    )


@pytest.mark.parametrize("expected", EXPECTED, ids=[r["file"][:3] for r in EXPECTED])
def test_projects(extractions, expected):
    assert project_problems(extractions[expected["file"]], expected) == []
