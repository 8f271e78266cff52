"""The sample batch (five real reports and their made-up companions in sample_reports/synthetic):
the companions extract right, the batch groups into the expected units, and the project pairs
between years agree with a reviewer's (sample_reports/synthetic/expected.toml).

Pair precision must be 1 (a wrong merge is worse than a missed one); recall is measured and
held at its bar (one rename in the set, characters swapped, is a known miss).
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from core.extract import extract
from core.matching import match_batch
from core.reading import find_reports, read_report
from tests.core.expectations import figure_problems, project_problems

SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"
SYNTHETIC = SAMPLES / "synthetic"
EXPECTED = tomllib.loads((SYNTHETIC / "expected.toml").read_text("utf-8"))
REPORTS = EXPECTED["report"]
RECALL_BAR = 0.95


@pytest.fixture(scope="module")
def batch():
    found = find_reports([SAMPLES])
    return match_batch([extract(read_report(path)) for path in found.reports])


def relative(path: Path) -> str:
    return path.resolve().relative_to(SAMPLES).as_posix()


@pytest.mark.parametrize("expected", REPORTS, ids=[r["file"].split("_")[0] for r in REPORTS])
def test_companion_reports_extract_right(expected):
    extraction = extract(read_report(SYNTHETIC / expected["file"]))
    assert (extraction.unit, extraction.year) == (expected["unit"], expected["year"])
    assert figure_problems(extraction, expected) == []
    assert project_problems(extraction, expected) == []


def test_the_batch_groups_into_the_expected_units(batch):
    got = sorted(sorted(relative(e.report.path) for e in g.extractions) for g in batch.units)
    want = sorted(sorted(u["files"]) for u in EXPECTED["unit"])
    assert got == want


def key(from_name, from_amount, to_name, to_amount) -> tuple[str, Decimal, str, Decimal]:
    return from_name, Decimal(str(from_amount)), to_name, Decimal(str(to_amount))


def test_pairs_new_and_dropped_agree_with_the_reviewer(batch):
    matches = {(relative(m.old.report.path), relative(m.new.report.path)): m for m in batch.reports}
    assert sorted(matches) == sorted((m["from"], m["to"]) for m in EXPECTED["match"])
    found = right = wanted = 0
    problems = []
    for want in EXPECTED["match"]:
        got = matches[want["from"], want["to"]].projects
        got_pairs = {key(p.old.name, p.old.amount, p.new.name, p.new.amount) for p in got.pairs}
        want_pairs = {
            key(p["from"], p["from_amount"], p["to"], p["to_amount"]) for p in want["pairs"]
        }
        found, wanted = found + len(got_pairs), wanted + len(want_pairs)
        right += len(got_pairs & want_pairs)
        problems += [f"wrong pair {p}" for p in got_pairs - want_pairs]
        missed = want_pairs - got_pairs
        # A missed pair shows as one new and one dropped project; the rest must agree exactly.
        assert sorted(p.name for p in got.new) == sorted(want["new"] + [m[2] for m in missed])
        assert sorted(p.name for p in got.dropped) == sorted(
            want["dropped"] + [m[0] for m in missed]
        )
    precision, recall = right / found, right / wanted
    print(f"pairs: precision {precision:.3f} recall {recall:.3f} ({right}/{found}/{wanted})")
    assert problems == []
    assert precision == 1.0
    assert recall >= RECALL_BAR


def test_the_decoy_unit_is_never_paired_with_its_namesake(batch):
    for match in batch.reports:
        assert "岚溪县" not in str(match.old.report.path) + str(match.new.report.path)
