"""Every discrepancy a careful reviewer flags in the five real sample reports, and no more."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from core.checks import check_batch
from core.extract import extract
from core.models import Finding
from core.reading import read_report
from tests.core.check_scoring import KINDS

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
EXPECTED = tomllib.loads((ROOT / "tests" / "core" / "data" / "expected.toml").read_text("utf-8"))
REPORTS = EXPECTED["report"]
IDS = [r["file"].split("_")[0] for r in REPORTS]


@pytest.fixture(scope="module")
def findings() -> dict[str, list[Finding]]:
    extractions = [extract(read_report(SAMPLES / r["file"])) for r in REPORTS]
    found = check_batch(extractions)
    return {r["file"]: f for r, f in zip(REPORTS, found, strict=True)}


def _matches(finding: Finding, expected: dict) -> bool:
    return finding.check in KINDS[expected["kind"]] and set(expected["fields"]) <= set(
        finding.fields
    )


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_every_flagged_discrepancy_is_found(findings, report):
    found = list(findings[report["file"]])
    missing = []
    for expected in report.get("discrepancies", []):
        match = next((f for f in found if _matches(f, expected)), None)
        if match is None:
            missing.append(f"{expected['kind']} {expected['fields']}: {expected['why']}")
        else:
            found.remove(match)  # one finding answers one discrepancy
    assert missing == []


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_no_error_the_reviewer_did_not_flag(findings, report):
    expected = [d for d in report.get("discrepancies", []) if d["severity"] == "error"]
    errors = [f for f in findings[report["file"]] if f.severity == "error"]
    unexplained = [f.message for f in errors if not any(_matches(f, d) for d in expected)]
    assert unexplained == []


@pytest.mark.parametrize("report", REPORTS, ids=IDS)
def test_severities_are_the_reviewers(findings, report):
    for expected in report.get("discrepancies", []):
        match = next(f for f in findings[report["file"]] if _matches(f, expected))
        assert match.severity == expected["severity"], expected["kind"]


# The cases expected.toml lists as NOT discrepancies: (report prefix, fields that must stay quiet)
NOT_DISCREPANCIES = [
    ("峨边县五渡镇", {"income_total", "income_general", "income_fund"}),  # 1282.32 vs 1282.33
    ("青龙县双山子镇", {"execution_rate"}),  # 123.767% printed 123.76%: truncated
    ("青龙县双山子镇", {"project_execution_rate"}),  # 68.99% printed 69%
    ("安化县平口镇", {"training"}),  # 42.37% checks out
    ("安化县平口镇", {"sangong_reception"}),  # 19.76% checks out
    ("安化县平口镇", {"spending_personnel"}),  # 1.55% checks out (its sum finding aside)
    ("安化县平口镇", {"spending_project"}),  # seven projects sum exactly to 567.54
]


@pytest.mark.parametrize(
    "prefix, fields",
    NOT_DISCREPANCIES,
    # The same ids in every process (a set's order is not): pytest-xdist compares them.
    ids=lambda v: "+".join(sorted(v)) if isinstance(v, set) else str(v),
)
def test_rounding_and_consistent_figures_raise_nothing(findings, prefix, fields):
    report = next(f for f in findings if f.startswith(prefix))
    loud = [
        f
        for f in findings[report]
        if f.severity in ("error", "warning")
        and fields & set(f.fields)
        and not (f.check == "sum_mismatch" and "spending_basic" in f.fields)
    ]
    assert loud == []


def test_root_cause_hint_names_the_slipped_digit(findings):
    report = next(f for f in findings if f.startswith("安化县平口镇"))
    hinted = [f for f in findings[report] if f.hint and "244.8" in f.hint]
    assert {f.check for f in hinted} == {"sum_mismatch", "change_rate_mismatch"}
    assert all("公用经费" in f.hint and "44.8" in f.hint for f in hinted)
    assert all("2" in f.hint for f in hinted)  # says how many findings the one fix clears


def test_arithmetic_is_shown(findings):
    report = next(f for f in findings if f.startswith("安化县平口镇"))
    sum_finding = next(f for f in findings[report] if f.check == "sum_mismatch")
    assert (sum_finding.reported, sum_finding.computed) == (Decimal("1287.78"), Decimal("1087.78"))
    assert sum_finding.difference == 200
    assert 0 < float(sum_finding.tolerance) < 1
    text = read_report(SAMPLES / report).text
    quoted = {text[s:e] for s, e in sum_finding.spans}
    assert {"基本支出1287.78万元", "人员经费1042.98万元", "公用经费44.8万元"} <= quoted


def test_english_messages(findings):
    extractions = [extract(read_report(SAMPLES / r["file"])) for r in REPORTS]
    from core.check_context import CheckConfig

    english = check_batch(extractions, config=CheckConfig(lang="en"))
    messages = [f.message for fs in english for f in fs]
    assert messages and all("不符" not in m and "应为" not in m for m in messages)
    assert len(messages) == sum(len(fs) for fs in findings.values())
