"""The data tables (部门整体支出绩效评价基础数据表, the 部门决算 tables), read from their grid.

A data table is rows labelled with what they hold under a header naming each column's kind and
year, or labels each beside its one value, or a header naming a field above its values
("编制数 实际在职人数 控制率" / "48 45 93.75%"), in any flattening: a row per line, a cell per
line, a header far above its rows. A value is taken only when its label (and, in a grid, its
column) says what it is: a row with more or fewer cells than its header has columns, a value
that is not a number, a column of another year or of an uncertain one give nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from core.forms.grid import Cell, Grid, Row, is_placeholder, number_of, percent_of
from core.forms.model import PLACED_BY_CELL, FormValue, StatedValue
from core.forms.vocabulary import DATA_COLUMNS, FUNDING_ROWS, ROW_PREFIX, Wording, bare, kind_of

_YEAR_LEAD_RE = re.compile(r"(?:(20[0-9]{2})\s*年度?|([上本当])\s*年度?)")
_PREFIX_RE = re.compile(ROW_PREFIX)
_COUNT_RE = re.compile(r"([0-9０-９]{1,6})\s*[人名]?")
_AMOUNT_UNIT_RE = re.compile(
    r"(?<![0-9０-９,，.．])([0-9０-９][0-9０-９,，.．]*)[ \t]*(亿元|千元|万元|元)"
)
_UNIT_RE = re.compile(r"单位\s*[:：]\s*(亿元|千元|万元|元)|[（(]\s*(亿元|千元|万元|元)\s*[）)]")
_GAP_RE = re.compile(
    r"[（(]?(?:单位|计量单位)?[:：]?\s*(?:人|名|万元|元|%)[）)]?|第\s*[0-9]{1,3}\s*页(?:\s*共\s*[0-9]{1,3}\s*页)?"
    r"|[-—]\s*[0-9]{1,3}\s*[-—]"
)
_MAX_GAP = 3
"""Rows without a value or a word of the table that may stand between a header and its values
(a unit line, a page number)."""
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Spec:
    """What one kind of data table is read by."""

    rows: tuple[Wording, ...]
    """Row labels: the wording's kind is the field its this-year 决算 value states
    ("by_columns": a 合计 row whose columns name their fields)."""
    fields: tuple[Wording, ...]
    """Headers that name a field, with their values below them or (`pairs`) beside them."""
    pairs: bool
    undated_is_this: bool
    """An undated 决算/金额 column is this year's (a 部门决算 table states one year)."""
    counts: frozenset[str] = frozenset()
    rates: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Heading:
    """A column as its header cell says: its kind (a DATA_COLUMNS kind, or "field"), the field
    it names, and its year ("this", "last", "other", or "" undated)."""

    kind: str
    field: str
    year: str
    cell: Cell


def read_data_table(text: str, grid: Grid, spec: Spec, year: int | None) -> tuple[StatedValue, ...]:
    """Every value of the grid whose label (and column) says which field it is."""
    reader = _Reader(text, grid.rows, spec, year)
    return reader.read()


class _Reader:
    def __init__(self, text: str, rows: Sequence[Row], spec: Spec, year: int | None) -> None:
        self.text = text
        self.rows = rows
        self.spec = spec
        self.year = year
        self.columns: tuple[Heading, ...] | None = None
        self.found: list[StatedValue] = []
        self.units = [
            (m.start(), m.group(1) or m.group(2))
            for m in _UNIT_RE.finditer(
                text, rows[0].cells[0].start if rows else 0, rows[-1].cells[-1].end if rows else 0
            )
        ]

    # ---- the walk ---------------------------------------------------------------------------

    def read(self) -> tuple[StatedValue, ...]:
        i = 0
        while i < len(self.rows):
            header, after = self._header(i)
            if header is not None:
                if all(h.kind == "item" for h in header):
                    i = after  # the label column's own sub-header (科目编码, 科目名称)
                elif all(h.kind in ("field", "item") for h in header) and any(
                    h.kind == "field" for h in header
                ):
                    i = self._field_header([h for h in header if h.kind == "field"], after)
                else:
                    self.columns = header
                    i = after
                continue
            i = self._labels(i)
        seen: set[str] = set()
        out: list[StatedValue] = []
        for value in self.found:  # the first statement of each field
            if value.field not in seen:
                seen.add(value.field)
                out.append(value)
        return tuple(out)

    def _header(self, i: int) -> tuple[tuple[Heading, ...] | None, int]:
        """A header at row i: a row of headings (after a corner cell), or a run of rows of one
        heading each (a cell per line); with the row after it."""
        row = self.rows[i].cells
        if len(row) >= 2:
            cells = [c for c in row if c.text]
            heads = [self._heading(c) for c in cells]
            first_is_corner = heads[0] is None and not _is_value(cells[0].text)
            rest = heads[1:] if first_is_corner else heads
            if len(rest) >= 2 and all(h is not None for h in rest):
                return self._dated([h for h in rest if h is not None]), i + 1
            return None, i
        run: list[Heading] = []
        j = i
        while j < len(self.rows) and len(self.rows[j].cells) == 1:
            head = self._heading(self.rows[j].cells[0])
            if head is None:
                break
            run.append(head)
            j += 1
        if len(run) >= 2:
            return self._dated(run), j
        return None, i

    def _heading(self, cell: Cell) -> Heading | None:
        text = bare(cell.text)
        lead = _YEAR_LEAD_RE.match(text)
        when = ""
        if lead is not None:
            text = text[lead.end() :]
            when = lead.group(1) or ("last" if lead.group(2) == "上" else "this")
        if not text:
            return None
        field = kind_of(text, self.spec.fields)
        if field is not None:
            return Heading("field", field.kind, when, cell)
        column = kind_of(text, DATA_COLUMNS)
        if column is not None:
            return Heading(column.kind, "", when, cell)
        return None

    def _dated(self, heads: list[Heading]) -> tuple[Heading, ...]:
        """Years written as numbers made "this" / "last" / "other": by the report's year, else
        by the header's own two years (the later one is this year)."""
        years = sorted({int(h.year) for h in heads if h.year.isdigit()})
        this = self.year
        if this is None and len(years) == 2 and years[1] == years[0] + 1:
            this = years[1]

        def when(year: str) -> str:
            if not year.isdigit():
                return year
            if this is None:
                return "other"
            return "this" if int(year) == this else "last" if int(year) == this - 1 else "other"

        return tuple(Heading(h.kind, h.field, when(h.year), h.cell) for h in heads)

    def _field_header(self, heads: list[Heading], after: int) -> int:
        """Values in a row (or a cell per line) below a header naming their fields; a unit
        line, a page number or the total's label (年度资金总额) may stand between."""
        j, gap = after, 0
        while (
            j < len(self.rows)
            and gap < _MAX_GAP
            and all(_is_gap(c.text) for c in self.rows[j].cells)
        ):
            j, gap = j + 1, gap + 1
        values, end = self._value_rows(j)
        if not values and j < len(self.rows):
            cells = self.rows[j].cells  # 年度资金总额 1200 1300 1250
            if (
                len(cells) > 1
                and _is_gap(cells[0].text)
                and all(_is_value(c.text) for c in cells[1:])
            ):
                values, end = list(cells[1:]), j + 1
        if len(values) == len(heads):
            for head, cell in zip(heads, values, strict=True):
                if head.year in ("", "this"):
                    self._take(head.field, head.cell, cell, "field", head.cell.text)
        return max(end, after)

    def _labels(self, i: int) -> int:
        """The labels of row i with their values; the row after what was read."""
        cells = self.rows[i].cells
        after = i + 1
        k = 0
        while k < len(cells):
            label = cells[k]
            k += 1
            wording = self._row_wording(label.text)
            pair = kind_of(label.text, self.spec.fields) if self.spec.pairs else None
            if wording is None and pair is None:
                continue
            values: list[Cell] = []
            while k < len(cells) and _is_value(cells[k].text):
                values.append(cells[k])
                k += 1
            if not values and k == len(cells):
                values, after = self._value_rows(i + 1)
            # A label that is also a grid row's (结转结余) under a grid's header is read by its
            # columns: one value there is a row short, not a pair.
            if pair is not None and len(values) == 1 and (wording is None or self.columns is None):
                self._take(pair.kind, label, values[0], "pair", bare(label.text))
            elif wording is not None:
                self._grid_row(wording.kind, label, values)
        return after

    def _grid_row(self, field: str, label: Cell, values: list[Cell]) -> None:
        """A labelled row under the grid's header: this year's 决算 value (a 合计 row: the
        fields its columns name)."""
        columns = self._value_columns()
        if (
            columns
            and len(values) > len(columns)
            and not any(cell.text for cell in values[len(columns) :])
        ):
            values = values[: len(columns)]  # a row of tabs running on past the table
        if not columns or len(values) != len(columns):
            return
        if field == "by_columns":
            for head, cell in zip(columns, values, strict=True):
                if head.kind == "field" and self._this(head):
                    self._take(head.field, label, cell, head.field, head.cell.text)
            return
        wanted = [
            n
            for n, head in enumerate(columns)
            if (head.kind == "final" or (head.kind == "amount" and self.spec.undated_is_this))
            and self._this(head)
        ]
        if len(wanted) == 1:
            head = columns[wanted[0]]
            self._take(field, label, values[wanted[0]], head.kind, head.cell.text)

    def _this(self, head: Heading) -> bool:
        return head.year == "this" or (head.year == "" and self.spec.undated_is_this)

    def _value_columns(self) -> tuple[Heading, ...]:
        """The columns a row's values fill: after the label column; in a header of halves side
        by side (项目 行次 金额 项目 行次 金额), one half."""
        if self.columns is None:
            return ()
        items = [n for n, h in enumerate(self.columns) if h.kind == "item"]
        if not items:
            return self.columns
        halves = [*items, len(self.columns)]
        # A spanning row read into the header ("收入 支出" above "项目 行次 金额 …") leaves
        # item columns with nothing between them.
        parts = [self.columns[a + 1 : b] for a, b in pairwise(halves) if b > a + 1]
        lengths = {len(p) for p in parts}
        if items[0] != 0 or len(lengths) != 1:
            return ()
        return parts[0]

    # ---- rows and cells ---------------------------------------------------------------------

    def _row_wording(self, text: str) -> Wording | None:
        label = _PREFIX_RE.sub("", text.strip())
        return kind_of(label, self.spec.rows) if label else None

    def _value_rows(self, j: int) -> tuple[list[Cell], int]:
        """Rows of values only from row j: one row of several, or rows of one cell each."""
        values: list[Cell] = []
        while j < len(self.rows):
            cells = self.rows[j].cells
            if not all(_is_value(c.text) for c in cells):
                break
            if len(cells) > 1:
                if not values:
                    return list(cells), j + 1
                break
            values.append(cells[0])
            j += 1
        return values, j

    def _take(self, field: str, label: Cell, cell: Cell, column: str, header: str) -> None:
        """The value of a cell for a field, when it is one of the field's kind."""
        if is_placeholder(cell.text):
            return
        if field in self.spec.counts:
            count = _COUNT_RE.fullmatch(cell.text)
            if count is None:
                return
            value, percent, unit = Decimal(count.group(1).translate(_DIGITS)), False, "人"
        elif field in self.spec.rates:
            rate = percent_of(cell.text)
            if rate is None:
                return
            value, percent, unit = rate, True, "%"
        else:
            amount = self._amount(cell, label)
            if amount is None:
                return
            (value, unit), percent = amount, False
        written = FormValue(column, header, value, percent, cell.start, cell.end, PLACED_BY_CELL)
        self.found.append(StatedValue(field, label, written, unit))

    def _amount(self, cell: Cell, label: Cell) -> tuple[Decimal, str] | None:
        """An amount and the unit the cell, the label or the table declares for it."""
        text, unit = cell.text, ""
        written = _AMOUNT_UNIT_RE.fullmatch(text)
        if written is not None:
            text, unit = written.group(1), written.group(2)
        number = number_of(text)
        if number is None or number < 0:
            return None
        if not unit:
            own = _UNIT_RE.search(label.text)
            unit = (own.group(1) or own.group(2)) if own else self._declared(label.start)
        if not unit:
            return None
        return number, unit

    def _declared(self, at: int) -> str:
        """The unit the table declares last above a position."""
        unit = ""
        for start, found in self.units:
            if start > at:
                break
            unit = found
        return unit


def _is_gap(text: str) -> bool:
    """A unit line, a page number or the total's row label: what may stand between a header
    naming fields and their values."""
    if _GAP_RE.fullmatch(text.strip()):
        return True
    total = kind_of(text, FUNDING_ROWS)
    return total is not None and total.kind == "total"


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _is_value(text: str) -> bool:
    """What fills a value column: a number (an amount or count with its unit), a percentage,
    or a cell left empty."""
    if not text or is_placeholder(text):
        return True
    if number_of(text) is not None or percent_of(text) is not None:
        return True
    written = _AMOUNT_UNIT_RE.fullmatch(text)
    if written is not None and number_of(written.group(1)) is not None:
        return True
    return _COUNT_RE.fullmatch(text) is not None
