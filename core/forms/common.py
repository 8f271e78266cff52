"""What both forms share: the header fields, the funding block and the indicator table, read
from the grid of one form's text."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from core.forms.flatten import build_grid
from core.forms.funding import Column, read_funding
from core.forms.grid import Cell, is_value, number_of
from core.forms.indicators import Indicators, read_indicators
from core.forms.model import PLACED_BY_CELL, PLACED_BY_SPLIT, Form, FormValue
from core.forms.run_indicators import read_run_indicators
from core.forms.vocabulary import HEADER_FIELDS, kind_of

_YEAR_RE = re.compile(r"[（(]\s*(20[0-9]{2})\s*年度?\s*[)）]|(20[0-9]{2})\s*年度")
_YUAN_RE = re.compile(r"[（(]\s*(?:单位[:：]\s*)?元\s*[）)]|单位[:：]\s*元(?![/／])")
_RUN_NOTE = "an OCR'd copy: cells run together, cut at the form's words"


def read_form(text: str, start: int, end: int, kind: str, title: str) -> Form | None:
    """One form between two offsets, or None when neither its funding block nor its indicator
    table is there."""
    grid = build_grid(text, start, end)
    flat = list(grid.cells())
    cells = [cell for _, cell in flat]
    rows_of = [row for row, _ in flat]
    year = form_year(text, start, end)
    fields = header_fields(cells)
    funding = read_funding(cells, year)
    indicators: Indicators | None = None
    if grid.shape == "run":  # cut digits say nothing of rows: only rows of a known shape
        run_rows = read_run_indicators(text, start, end)
        if run_rows:
            indicators = Indicators(run_rows, False, None, None, None, len(cells))
    else:
        indicators = read_indicators(cells, rows_of, funding.end if funding else 0)
    if funding is None and indicators is None:
        return None
    stated = fields.get("stated_score")
    stated_value = None
    if stated is not None and number_of(stated.text) is not None:
        number = number_of(stated.text)
        assert number is not None
        stated_value = FormValue(
            "stated_score", "自评得分", number, False, stated.start, stated.end
        )
    form = Form(
        kind=kind,
        title=title,
        start=start,
        end=end,
        year=year,
        money_unit=_money_unit(text, start, funding.columns[0].cell.start if funding else start),
        project_name=fields.get("project_name"),
        columns=tuple(c.kind for c in funding.columns) if funding else (),
        funding=funding.rows if funding else (),
        rate_base=_rate_base(funding.columns) if funding else None,
        rule_stated=funding.rule_stated if funding else False,
        rule_cell=funding.rule_cell if funding else None,
        indicators=indicators.rows if indicators else (),
        indicators_complete=indicators.complete if indicators else False,
        total_weight=indicators.total_weight if indicators else None,
        total_score=indicators.total_score if indicators else None,
        stated_score=stated_value,
        grade=indicators.grade if indicators else None,
    )
    return _uncertain(form) if grid.shape == "run" else form


def header_fields(cells: list[Cell]) -> dict[str, Cell]:
    """项目名称, 自评得分 …: the cell after each label (first one of each)."""
    found: dict[str, Cell] = {}
    for i, cell in enumerate(cells[:-1]):
        wording = kind_of(cell.text, HEADER_FIELDS)
        if wording is None or wording.kind in found:
            continue
        nxt = cells[i + 1]
        if kind_of(nxt.text, HEADER_FIELDS) is not None:
            continue
        if wording.kind == "stated_score" or not is_value(nxt.text):
            found[wording.kind] = nxt
    return found


def _rate_base(columns: tuple[Column, ...]) -> str | None:
    marked = [c.kind for c in columns if c.is_a]
    if marked:
        return marked[0]
    kinds = {c.kind for c in columns}
    return next((k for k in ("adjusted", "initial") if k in kinds), None)


def _money_unit(text: str, start: int, header: int) -> str:
    """元 when the text above the funding header says so, else 万元."""
    return "元" if _YUAN_RE.search(text, max(start, header - 200), header + 1) else "万元"


def form_year(text: str, start: int, end: int) -> int | None:
    """The year a form states near its top ("（2023年度）"), or None."""
    found = _YEAR_RE.search(text, start, min(end, start + 300))
    if found is None:
        return None
    return int(found.group(1) or found.group(2))


def _uncertain(form: Form) -> Form:
    """Nothing read from an OCR'd run is read by cell."""

    def down(value: FormValue | None) -> FormValue | None:
        if value is None or value.placed != PLACED_BY_CELL:
            return value
        note = f"{value.note}; {_RUN_NOTE}" if value.note else _RUN_NOTE
        return replace(value, placed=PLACED_BY_SPLIT, note=note)

    def must(value: FormValue) -> FormValue:
        lowered = down(value)
        assert lowered is not None
        return lowered

    return replace(
        form,
        funding=tuple(
            replace(row, values=tuple(must(v) for v in row.values)) for row in form.funding
        ),
        indicators=tuple(
            replace(ind, weight=must(ind.weight), score=must(ind.score)) for ind in form.indicators
        ),
        total_weight=down(form.total_weight),
        total_score=down(form.total_score),
        stated_score=down(form.stated_score),
    )


ZERO = Decimal(0)
