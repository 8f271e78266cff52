"""A unit's figures across its years, with the change from each year to the next."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.models import Extraction, Figure, Report
from core.series import figure_series


def fig(field: str, value: object, unit: str = "万元") -> Figure:
    return Figure(field, value, unit, unit, "", 0, 0, 1, 0, 0)  # type: ignore[arg-type]


def ex(year: int | None, *figures: Figure, path: str = "") -> Extraction:
    report = Report(path=Path(path or f"{year}.txt"), sha256="", text="", kind="txt")
    return Extraction(report=report, year=year, figures=figures)


def test_each_field_stated_in_any_year_runs_across_all_years_in_vocabulary_order():
    series = figure_series(
        [
            ex(2024, fig("spending_total", Decimal("1921.46")), fig("grade", "优", "等级")),
            ex(2023, fig("spending_total", Decimal("1855.32")), fig("staff_actual", 91, "人")),
            ex(2022, fig("staff_actual", 96, "人")),
        ]
    )
    assert [s.field for s in series] == ["staff_actual", "spending_total", "grade"]
    staff, spending, grade = series
    assert [p.year for p in spending.points] == [2022, 2023, 2024]
    assert [p.value for p in spending.points] == [None, Decimal("1855.32"), Decimal("1921.46")]
    assert [p.change for p in spending.points] == [None, None, Decimal("66.14")]
    assert spending.points[2].change_pct == Decimal("3.56")
    assert spending.unit == "万元" and staff.unit == "人"
    assert [(p.change, p.change_pct) for p in staff.points][1] == (Decimal(-5), Decimal("-5.21"))
    assert staff.points[2].value is None and staff.points[2].figure is None
    assert [p.change for p in grade.points] == [None, None, None]


def test_from_zero_has_a_change_but_no_percentage():
    (series,) = figure_series(
        [ex(2023, fig("carryover_total", Decimal(0))), ex(2024, fig("carryover_total", Decimal(3)))]
    )
    assert (series.points[1].change, series.points[1].change_pct) == (Decimal(3), None)


def test_reports_without_a_year_are_left_out_and_the_first_of_a_year_is_used():
    series = figure_series(
        [
            ex(None, fig("score", Decimal(90), "分")),
            ex(2023, fig("score", Decimal(95), "分"), path="first.txt"),
            ex(2023, fig("score", Decimal(80), "分"), path="second.txt"),
        ]
    )
    assert [(p.year, p.value) for p in series[0].points] == [(2023, Decimal(95))]


def test_no_reports_no_series():
    assert figure_series([]) == ()
