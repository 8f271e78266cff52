"""The generated bench batch: the same arguments give the same reports, and the checks find the
discrepancies it records as injected."""

from __future__ import annotations

import json

import pytest

from bench.bench_recall import score
from bench.make_batch import EXPECTED_CHECKS, make_batch
from core.reading import read_report

FORMATS = "txt=0.7,docx=0.15,pdf=0.15"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    make_batch(out, 60, seed=7, formats=FORMATS)
    return out


def test_same_seed_same_reports(batch, tmp_path):
    again = tmp_path / "again"
    make_batch(again, 60, seed=7, formats=FORMATS)
    assert (again / "truth.json").read_bytes() == (batch / "truth.json").read_bytes()
    truth = json.loads((batch / "truth.json").read_text("utf-8"))
    assert len(truth["reports"]) == 60
    for name in truth["reports"]:
        if name.endswith(".pdf"):  # fpdf2 names the embedded font subset at random
            assert read_report(again / name).text == read_report(batch / name).text, name
        else:
            assert (again / name).read_bytes() == (batch / name).read_bytes(), name
    other = tmp_path / "other"
    make_batch(other, 60, seed=8, formats=FORMATS)
    assert (other / "truth.json").read_bytes() != (batch / "truth.json").read_bytes()


def test_batch_mixes_formats_encodings_units_and_years(batch):
    truth = json.loads((batch / "truth.json").read_text("utf-8"))
    reports = truth["reports"].values()
    assert {r["format"] for r in reports} == {"txt", "docx", "pdf"}
    assert {r["encoding"] for r in reports if r["format"] == "txt"} >= {"utf-8", "utf-8-sig"}
    years: dict[int, list[int]] = {}
    for r in reports:
        years.setdefault(r["unit"], []).append(r["year"])
    assert max(len(y) for y in years.values()) >= 2
    assert all(sorted(y) == list(range(min(y), max(y) + 1)) for y in years.values())
    # Projects drift between a unit's years: some name of an earlier year is gone later.
    assert any(
        len({tuple(p) for r in reports if r["unit"] == u for p in r["projects"]})
        > max(len(r["projects"]) for r in reports if r["unit"] == u)
        for u in years
    )


def test_checks_find_every_injected_discrepancy(batch):
    result = score(batch)
    assert set(result["by_kind"]) == set(EXPECTED_CHECKS)
    assert result["missed"] == []
    # The clean reports, scaled and renamed, raise nothing their seed report does not.
    assert result["new"] == []
