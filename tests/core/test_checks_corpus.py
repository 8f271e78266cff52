"""Recall and false alarms on made-up reports with injected discrepancies (blind_checks/).

The set was written by a helper who never saw the checker; its first measurement (before any
rule was tuned on it) is recorded in blind_checks/README.md. This test keeps what was reached.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.checks import check_batch
from core.extract import extract
from core.reading import read_report
from tests.core.check_scoring import score

DATA = Path(__file__).parent / "data" / "blind_checks"


@pytest.fixture(scope="module")
def result():
    reports = tomllib.loads((DATA / "expected.toml").read_text("utf-8"))["report"]
    extractions = [extract(read_report(DATA / r["file"])) for r in reports]
    return score(reports, check_batch(extractions), [ex.report.text for ex in extractions])


def test_error_recall(result):
    assert result.recall("error") >= 0.9, result.missed


def test_fewer_than_one_false_error_per_five_reports(result):
    assert len(result.false_errors) / result.reports < 0.2, result.false_errors


def test_warning_recall(result):
    assert result.recall("warning") >= 0.9, result.missed


def test_traps_stay_quiet(result):
    # Rounding, truncated rates, last year's figures, retirees… are in not_discrepancies:
    # any error they raised would be counted above; warnings are listed here.
    assert result.false_warnings == []
