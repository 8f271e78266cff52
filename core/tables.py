"""Tables in display text: Word rows (tab-separated cells) and tables flattened one cell a line.

Cells are those of the grid model (core/forms/grid.py) the national forms are read from."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.forms.grid import Cell
from core.lines import line_of
from core.models import Figure
from core.numbers import parse_decimal, to_wan
from core.rules import FIELD_RULES

_NUMERIC_CELL_RE = re.compile(r"^[-−]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?\s*%?$")
_HEADER_WORDS_RE = re.compile(
    r"名称|金额|预算|决算|序号|得分|自评|等级|执行|合计|项目|年|单位|科目|数"
)
_SENTENCE_PUNCT_RE = re.compile(r"[。；;！？]|[，,].{8,}")
_TABLE_UNIT_RE = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)|[（(](亿元|万元|千元|元)[）)]")
_UNIT_LINE_RE = re.compile(r"^[（(]?\s*(?:单位\s*[:：]\s*)?(?:亿元|万元|千元|元)\s*[）)]?$")
_MAX_CELL = 80


@dataclass(frozen=True)
class Table:
    """A table: header cells, data rows, and the money unit it declares."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    unit: str
    """Money unit declared above the table or in its header ("万元", "元"), or ""."""
    start: int
    end: int

    def column(self, pattern: str) -> int | None:
        """Index of the first header cell matching a regular expression."""
        for i, cell in enumerate(self.header):
            if re.search(pattern, cell.text):
                return i
        return None


def is_numeric(cell: str) -> bool:
    """Is this cell a bare number (amount, score or rate)?"""
    return bool(_NUMERIC_CELL_RE.match(cell.strip()))


def _lines(text: str) -> list[Cell]:
    cells, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        cells.append(Cell(stripped, offset + lead, offset + lead + len(stripped)))
        offset += len(raw) + 1
    return cells


def find_tables(text: str) -> list[Table]:
    """Every table found in the text, in text order."""
    lines = _lines(text)
    tables = _row_tables(text, lines) + _flattened_tables(text, lines)
    return sorted(tables, key=lambda t: t.start)


def _split_row(line: Cell) -> list[Cell]:
    parts = []
    # Two spaces end a cell: looking ahead for " {2,}" would scan a whole blank run per cell.
    for match in re.finditer(r"[^\t]+?(?=\t|  |$)", line.text):
        cell = match.group(0).strip()
        if cell:
            start = (
                line.start + match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            )
            parts.append(Cell(cell, start, start + len(cell)))
    return parts


def _row_tables(text: str, lines: list[Cell]) -> list[Table]:
    """Rows written one per line with cells split by tabs or runs of spaces."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        header = _split_row(lines[i]) if "\t" in lines[i].text or "  " in lines[i].text else []
        # Two columns only with tabs ("项目\t2025年"): runs of spaces split too much prose.
        if (
            len(header) < (2 if "\t" in lines[i].text else 3)
            or any(is_numeric(c.text) for c in header)
            or not any(_HEADER_WORDS_RE.search(c.text) for c in header)
        ):
            i += 1
            continue
        rows = []
        j = i + 1
        while j < len(lines):
            if not lines[j].text:
                j += 1
                continue
            cells = _split_row(lines[j])
            if len(cells) < 2 or len(cells) > len(header):
                break
            # Rows use the header's separator, and a cell is never a sentence.
            if ("\t" in lines[i].text) != ("\t" in lines[j].text) or any(
                not is_numeric(c.text) and _SENTENCE_PUNCT_RE.search(c.text) for c in cells
            ):
                break
            if not any(is_numeric(c.text) for c in cells):
                break
            rows.append(tuple(cells))
            j += 1
        if rows:
            tables.append(_table(text, tuple(header), rows))
            i = j
        else:
            i += 1
    return tables


def _is_cell_text(text: str) -> bool:
    """A line that could be one cell of a flattened table (a number is one too)."""
    return 0 < len(text) <= _MAX_CELL and "\t" not in text and not _SENTENCE_PUNCT_RE.search(text)


def _flattened_tables(text: str, lines: list[Cell]) -> list[Table]:
    """Tables flattened to one cell per line: a header run, then rows (blank lines or not)."""
    tables: list[Table] = []
    numeric = [is_numeric(line.text) for line in lines]  # each line judged once
    cell = [n or _is_cell_text(line.text) for line, n in zip(lines, numeric, strict=True)]
    i = 0
    while i < len(lines):
        # A run of short, non-numeric lines that contains header words, followed by a number soon.
        run = []
        j = i
        while j < len(lines) and cell[j] and not numeric[j]:
            if len(lines[j].text) > 24:
                break
            run.append(lines[j])
            j += 1
        if len(run) < 3 or sum(bool(_HEADER_WORDS_RE.search(c.text)) for c in run) < 2:
            i = max(j, i + 1)
            continue
        body: list[list[Cell]] = [[]]
        k = j
        while k < len(lines):
            line = lines[k]
            if not line.text:
                if body[-1]:
                    body.append([])
                k += 1
                continue
            if not cell[k]:
                break
            body[-1].append(line)
            k += 1
        groups = [g for g in body if g]
        table = _shape(text, run, groups)
        if table is not None:
            tables.append(table)
            i = k
        else:
            i = j if j > i else i + 1
    return tables


def _shape(text: str, run: list[Cell], groups: list[list[Cell]]) -> Table | None:
    """Fit a header to the cells so they fall into consistent rows."""
    cells = [c for g in groups for c in g]
    # Unit declarations and introductions ("…见下表：") stand above a table, not in its header.
    run = [c for c in run if not _UNIT_LINE_RE.match(c.text) and not c.text.endswith(("：", ":"))]
    if not cells or len(run) < 2:
        return None
    # Rows separated by blank lines: the usual row width decides; odd rows (a 合计 line) are kept
    # when they are not wider.
    if len(groups) >= 2:
        width = Counter(len(g) for g in groups).most_common(1)[0][0]
        if 2 <= width <= len(run):
            rows = [
                tuple(g)
                for g in groups
                if 2 <= len(g) <= width and any(is_numeric(c.text) for c in g)
            ]
            if sum(len(r) == width for r in rows) >= 2:
                return _table(text, tuple(run[-width:]), rows)
    for first in range(len(run) - 1):
        for width in range(min(len(run) - first, 12), 1, -1):
            flat = run[first + width :] + cells  # leftover header-like cells begin the first row
            # A heading right after the table is not a row: drop a short non-numeric tail;
            # a short 合计 row (its label and the totals) closes the table as its last row.
            tail = len(flat) % width
            total_row: list[tuple[Cell, ...]] = []
            if tail and _GRAND_TOTAL_RE.match(flat[-tail].text):
                total_row = [tuple(flat[-tail:])]
                flat = flat[:-tail]
            elif tail and not any(is_numeric(c.text) for c in flat[-tail:]):
                flat = flat[:-tail]
            if len(flat) < width or len(flat) % width:
                continue
            rows = [tuple(flat[r : r + width]) for r in range(0, len(flat), width)]
            patterns = {tuple(is_numeric(c.text) for c in row) for row in rows}
            if len(patterns) == 1 and any(next(iter(patterns))):
                return _table(text, tuple(run[first : first + width]), rows + total_row)
    return None


def _table(text: str, header: tuple[Cell, ...], rows: list[tuple[Cell, ...]]) -> Table:
    start = header[0].start
    end = rows[-1][-1].end
    unit = ""
    for cell in header:
        found = _TABLE_UNIT_RE.search(cell.text)
        if found:
            unit = found.group(1) or found.group(2)
            break
    if not unit:
        above = text[max(0, start - 120) : start]
        found_above = list(_TABLE_UNIT_RE.finditer(above))
        if found_above:
            last = found_above[-1]
            unit = last.group(1) or last.group(2)
    return Table(header=header, rows=tuple(rows), unit=unit, start=start, end=end)


def cell_amount(cell: Cell, unit: str) -> Decimal | None:
    """A cell's amount in 万元 given the table's unit, or None."""
    value = parse_decimal(cell.text)
    if value is None or not unit:
        return None
    return to_wan(value, unit)


# A budget table's total row (not 小计, a subtotal).
_GRAND_TOTAL_RE = re.compile(r"^(?:支出)?(?:合\s*计|总\s*计)$|^支出合计$")
# For a 合计 row: which column states which field.
_TOTAL_COLUMNS = (
    ("budget_initial", r"年初预算|预算批复|年初批复"),
    ("budget_adjusted", r"调整|全年预算"),
    ("spending_total", r"决算|实际|执行数|支出数"),
    ("execution_rate", r"执行率|支出率"),
)
_ROW_PREFIX_RE = re.compile(r"^(?:其中|含)[:：]?\s*")


def table_figures(
    text: str, line_starts: Sequence[int], tables: Sequence[Table], *, year: int | None
) -> list[Figure]:
    """Figures stated in tables whose rows are labelled with a field (基本支出, 合计, …)."""
    figures: list[Figure] = []
    money_rules = [r for r in FIELD_RULES if r.unit == "万元" and r.scope == "unit"]
    for table in tables:
        if not table.unit:
            continue
        actual = _value_column(table, year)
        for row in table.rows:
            if not row or is_numeric(row[0].text):
                continue
            label = _ROW_PREFIX_RE.sub("", row[0].text)
            if _GRAND_TOTAL_RE.match(label):
                wanted = [
                    (key, _total_column(table, pattern, year)) for key, pattern in _TOTAL_COLUMNS
                ]
            else:
                rule = next(
                    (r for r in money_rules if any(re.fullmatch(w, label) for w in r.wordings)),
                    None,
                )
                wanted = [(rule.key, actual)] if rule else []
            for key, column in wanted:
                if column is None or column >= len(row):
                    continue
                value_cell = row[column]
                rate = key.endswith("_rate")
                amount = _cell_rate(value_cell) if rate else cell_amount(value_cell, table.unit)
                if amount is None:
                    continue
                figures.append(
                    Figure(
                        field=key,
                        value=amount,
                        unit="%" if rate else "万元",
                        as_written_unit="%" if rate else table.unit,
                        quote=text[row[0].start : value_cell.end],
                        start=row[0].start,
                        end=value_cell.end,
                        line=line_of(line_starts, row[0].start),
                        value_start=value_cell.start,
                        value_end=value_cell.end,
                        note=f"table: {label} / {table.header[column].text}",
                    )
                )
    return figures


def _cell_rate(cell: Cell) -> Decimal | None:
    """A cell written as a percentage ("97.52%"), in percent."""
    if not cell.text.rstrip().endswith(("%", "％")):
        return None
    return parse_decimal(cell.text.rstrip().rstrip("%％"))


def _total_column(table: Table, pattern: str, year: int | None) -> int | None:
    """The column of this year whose header matches (预算 columns of other years are not ours)."""
    for i, cell in enumerate(table.header[1:], 1):
        years = re.findall(r"20[0-9]{2}", cell.text)
        this_year = not years or year is None or str(year) in years
        # A 预算 column header must not be a 决算 one ("2023年预算执行数" states spending).
        budget_only = pattern.startswith("决算") or not re.search(r"决算|实际|执行数", cell.text)
        if re.search(pattern, cell.text) and this_year and budget_only:
            return i
    return None


def _value_column(table: Table, year: int | None) -> int | None:
    """The column a reviewer reads this year's figures from (2023决算, not 2023预算/2022决算)."""
    headers = [c.text for c in table.header]
    actual = r"决算|实际|执行数|支出数|完成"
    if year is not None:
        for i, head in enumerate(headers[1:], 1):
            if str(year) in head and re.search(actual, head):
                return i
    for i, head in enumerate(headers[1:], 1):
        if re.search(actual, head) and not re.search(r"上年|20[0-9]{2}", head):
            return i
    value_columns = [i for i, row_cell in enumerate(table.rows[0]) if is_numeric(row_cell.text)]
    return value_columns[0] if len(value_columns) == 1 else None
