"""A unit's figures across the years of its reports, with the change from year to year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.models import Extraction, Figure, FigureValue
from core.numbers import plain_decimal
from core.rules import FIELD_KEYS, RULES_BY_KEY
from core.units import report_year


@dataclass(frozen=True)
class YearValue:
    """One field's value in one year."""

    year: int
    """The evaluated year."""
    value: FigureValue | None
    """The figure's value (万元, %, 人 …), or None when that year's report does not state it."""
    figure: Figure | None
    """The figure itself, for its quote and offsets; None when not stated."""
    change: Decimal | None
    """value minus the previous year's value in the series; None when either is missing or not
    a number (grades)."""
    change_pct: Decimal | None
    """The change in % of the previous value, to 0.01; None when unknown or that value is 0."""


@dataclass(frozen=True)
class FieldSeries:
    """One field of the vocabulary across the years present."""

    field: str
    """Field key, e.g. "spending_total"."""
    unit: str
    """The field's canonical unit (万元, %, 人 …)."""
    points: tuple[YearValue, ...]
    """One per year present, oldest first."""


def figure_series(extractions: Sequence[Extraction]) -> tuple[FieldSeries, ...]:
    """Each field stated in at least one of the reports (normally one unit's), in vocabulary
    order, across their years (`report_year`: the text's, else the file name's). Reports
    without a year are left out; when two reports have the same year the first given is used."""
    by_year: dict[int, Extraction] = {}
    for ex in extractions:
        year = report_year(ex)
        if year is not None:
            by_year.setdefault(year, ex)
    years = sorted(by_year)
    series = []
    for key in FIELD_KEYS:
        figures = [by_year[year].figure(key) for year in years]
        if all(fig is None for fig in figures):
            continue
        points = []
        previous: FigureValue | None = None
        for year, fig in zip(years, figures, strict=True):
            value = None if fig is None else fig.value
            change, change_pct = _change(previous, value)
            points.append(YearValue(year, value, fig, change, change_pct))
            previous = value
        series.append(FieldSeries(key, RULES_BY_KEY[key].unit, tuple(points)))
    return tuple(series)


def _change(
    before: FigureValue | None, after: FigureValue | None
) -> tuple[Decimal | None, Decimal | None]:
    if before is None or after is None or isinstance(before, str) or isinstance(after, str):
        return None, None
    change = plain_decimal(Decimal(after) - Decimal(before))
    if before == 0:
        return change, None
    return change, (change / Decimal(before) * 100).quantize(Decimal("0.01"))
