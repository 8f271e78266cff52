"""The cross-report checks added to a report's own findings give what running every check with
the batch gives: the loader checks a batch that way without working the rest out again."""

from __future__ import annotations

from pathlib import Path

from core.checks import CHECKS, add_cross_report_findings, run_checks
from core.copying import build_batch_index
from core.extract import extract
from core.models import Extraction
from core.reading import find_reports, read_report

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "sample_reports", ROOT / "tests" / "core" / "data" / "blind_checks"]


def test_no_cross_report_check_is_arithmetic() -> None:
    # Root-cause hints re-run the arithmetic checks: a cross-report one would change them.
    assert not [c.id for c in CHECKS if c.cross_report and c.arithmetic]
    assert {c.id for c in CHECKS if c.cross_report} == {"other_unit_named", "copied_text"}


def test_added_findings_equal_a_full_run_with_the_batch(tmp_path: Path) -> None:
    paths = list(find_reports(FOLDERS).reports)
    extractions = [extract(read_report(p)) for p in paths]

    # A township's report copied under another unit's name: text shared and a unit named. The
    # one with a warning furthest into its text, so the added findings must be put in order.
    def last_warning(ex: Extraction) -> int:
        spans = [f.spans[0][0] for f in run_checks(ex) if f.severity == "warning" and f.spans]
        return max(spans, default=-1)

    source = max((ex for ex in extractions if ex.unit and "镇" in ex.unit), key=last_warning)
    assert last_warning(source) > 0
    assert source.unit is not None
    town = source.unit.split("县")[-1].removesuffix("人民政府")
    copy = tmp_path / "某某县新丰镇_2023_部门整体支出绩效自评报告.txt"
    copy.write_text(source.report.text.replace(town, "新丰镇", 3), encoding="utf-8")
    extractions.append(extract(read_report(copy)))
    index = build_batch_index(extractions)
    cross = 0
    for position, ex in enumerate(extractions):
        full = run_checks(ex, batch=index, position=position)
        added = add_cross_report_findings(ex, run_checks(ex), batch=index, position=position)
        assert added == full, ex.report.path.name
        cross += sum(f.check in ("other_unit_named", "copied_text") for f in full)
    assert cross >= 2
