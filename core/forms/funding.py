"""The funding block shared by both forms: its header, its rows, and which cell is which column.

A value is taken only from the column its header names. A row with fewer cells than columns
is placed only when one placement alone fits what the columns hold (amounts, a 分值 of at most
100 with its 得分 no higher, a 执行率 that the amounts confirm); digits run together by an
OCR'd copy are cut only when one cut alone fits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from core.forms.grid import Cell, is_placeholder, is_run, is_value, number_of, percent_of
from core.forms.model import (
    PLACED_BY_CELL,
    PLACED_BY_ELIMINATION,
    PLACED_BY_SPLIT,
    FormValue,
    FundingRow,
)
from core.forms.vocabulary import (
    BANDED_RULE,
    FORM_END,
    FUNDING_COLUMNS,
    FUNDING_ROWS,
    JUNK_RE,
    PROPORTIONAL_RULE,
    TEXT_COLUMNS,
    Wording,
    bare,
    fuzzy_word,
    kind_of,
)

AMOUNT_COLUMNS = frozenset({"initial", "adjusted", "spending", "invested"})
_UNIT_CELL_RE = re.compile(
    r"[（(]?(?:单位[:：])?万[元兀][）)]?|项目资金|资金情况|项[目Fl]{1,2}资金"
)
_YEAR_RE = re.compile(r"上年|20[0-9]{2}")
_YEAR_LEAD_RE = re.compile(r"^(?:20[0-9]{2}年度?|上年度?|本年度?)")
_FORM_END_RE = re.compile(FORM_END)
_TOKEN_RE = re.compile(r"(?:0|[1-9][0-9]{0,7})(?:\.[0-9]{1,4})?%?")
_MAX_SPLITS = 4000
_RATE_SLACK = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Column:
    """A funding column as the header states it."""

    kind: str
    """The wording's kind, or "other" for a column of another year."""
    cell: Cell
    name: str
    """The national wording ("全年执行数"), with the header as written when it differs."""
    is_a: bool = False
    """Headed "(A)": the 执行率's denominator."""


@dataclass(frozen=True)
class Funding:
    """A funding block as read: its columns, rows and where reading stopped."""

    columns: tuple[Column, ...]
    rows: tuple[FundingRow, ...]
    end: int
    """Index of the first cell after the block."""
    rule_stated: bool
    rule_cell: Cell | None


def column_wording(cell: Cell) -> Wording | None:
    """The funding column a header cell names, an OCR'd one with one character garbled too."""
    text = _YEAR_LEAD_RE.sub("", cell.text)
    found = kind_of(text, FUNDING_COLUMNS)
    if found is None:
        word = fuzzy_word(text)
        found = kind_of(word, FUNDING_COLUMNS) if word else None
    return found


def read_funding(cells: Sequence[Cell], year: int | None) -> Funding | None:
    """The first funding block among the cells, or None."""
    for at in range(len(cells)):
        if column_wording(cells[at]) is None:
            continue
        columns, after = _header(cells, at, year)
        kinds = {c.kind for c in columns}
        if (
            len(columns) >= 2
            and kinds & AMOUNT_COLUMNS
            and len(kinds & (AMOUNT_COLUMNS | {"rate"})) >= 2
        ):
            before = _label_before(cells, at)
            return _rows(cells, tuple(columns), after, before)
    return None


def _header(cells: Sequence[Cell], at: int, year: int | None) -> tuple[list[Column], int]:
    columns: list[Column] = []
    i = at
    while i < len(cells):
        cell = cells[i]
        wording = column_wording(cell)
        if wording is not None:
            kind = wording.kind
            years = _YEAR_RE.findall(cell.text)
            if years and (year is None or any(y != str(year) for y in years)):
                kind = "other"
            is_a = bool(re.search(r"[（(,，、]\s*A\s*[）)、,，]", cell.text + "、"))
            written = bare(cell.text)
            name = wording.label if written == wording.label else f"{wording.label}（{cell.text}）"
            columns.append(Column(kind, cell, name, is_a))
        elif cell.text and not (JUNK_RE.fullmatch(cell.text) or _UNIT_CELL_RE.fullmatch(cell.text)):
            break
        i += 1
    # ",A、" between two OCR'd header words marks the one before it as (A).
    for j in range(at, i - 1):
        if re.fullmatch(r"[,，、]?\s*A\s*[、,，)）]?", cells[j + 1].text):
            for k, column in enumerate(columns):
                if column.cell is cells[j]:
                    columns[k] = Column(column.kind, column.cell, column.name, True)
    return columns, i


def _label_before(cells: Sequence[Cell], at: int) -> Cell | None:
    """An OCR'd copy reads the row label before the header that spans it."""
    i = at - 1
    while i >= 0 and (JUNK_RE.fullmatch(cells[i].text) or _UNIT_CELL_RE.fullmatch(cells[i].text)):
        i -= 1
    if i >= 0 and kind_of(cells[i].text, FUNDING_ROWS) is not None:
        return cells[i]
    return None


def _rows(
    cells: Sequence[Cell], columns: tuple[Column, ...], start: int, pending: Cell | None
) -> Funding:
    rows: list[FundingRow] = []
    has_text = any(c.kind in TEXT_COLUMNS for c in columns)
    label: Cell | None = pending
    values: list[Cell] = []
    text: Cell | None = None
    i = start

    def close() -> None:
        if label is not None:
            wording = kind_of(label.text, FUNDING_ROWS)
            if wording is not None:
                rows.append(FundingRow(wording.kind, label, _place(columns, values), text))

    while i < len(cells):
        cell = cells[i]
        if is_value(cell.text):
            if label is None:
                break
            values.append(cell)
            i += 1
            continue
        joined = _joined_label(cells, i)
        if joined is not None:
            close()
            label, values, text = joined, [], None
            i += 2 if joined.end > cell.end else 1
            continue
        if (
            label is not None
            and has_text
            and values
            and text is None
            and not _FORM_END_RE.fullmatch(cell.text)
        ):
            text = cell
            i += 1
            continue
        if label is not None and (
            JUNK_RE.fullmatch(cell.text) or _UNIT_CELL_RE.fullmatch(cell.text)
        ):
            i += 1
            continue
        break
    close()
    rule_stated, rule_cell = _rule(columns, rows)
    return Funding(columns, tuple(rows), i, rule_stated, rule_cell)


def _joined_label(cells: Sequence[Cell], i: int) -> Cell | None:
    """A row label in one cell, or broken over two ("年度资金" / "总额")."""
    cell = cells[i]
    if kind_of(cell.text, FUNDING_ROWS) is not None:
        return cell
    if i + 1 < len(cells) and not is_value(cells[i + 1].text):
        both = cell.text + cells[i + 1].text
        if kind_of(both, FUNDING_ROWS) is not None:
            return Cell(both, cell.start, cells[i + 1].end)
    return None


def _rule(columns: tuple[Column, ...], rows: list[FundingRow]) -> tuple[bool, Cell | None]:
    kinds = {c.kind for c in columns}
    total = next((r for r in rows if r.kind == "total"), None)
    method = total.text if total is not None and "method" in kinds else None
    if method is not None:
        stated = bool(PROPORTIONAL_RULE.search(method.text)) and not BANDED_RULE.search(method.text)
        return stated, method
    # The national template: 执行率(B/A) beside 分值 and 得分, no method given.
    return {"rate", "weight", "score"} <= kinds, None


# ---- which cell is which column ------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    value: Decimal | None
    percent: bool
    start: int
    end: int


def _token(cell: Cell) -> _Token | None:
    if is_placeholder(cell.text):
        return _Token(None, False, cell.start, cell.end)
    number = number_of(cell.text)
    if number is not None:
        return _Token(number, False, cell.start, cell.end)
    rate = percent_of(cell.text)
    if rate is not None:
        return _Token(rate, True, cell.start, cell.end)
    return None


def _place(columns: tuple[Column, ...], cells: list[Cell]) -> tuple[FormValue, ...]:
    numeric = [c for c in columns if c.kind not in TEXT_COLUMNS]
    if not cells or not numeric:
        return ()
    runs = [i for i, c in enumerate(cells) if is_run(c.text) and _token(c) is None]
    if len(runs) > 1:
        return ()
    if runs:
        return _split(numeric, cells, runs[0])
    tokens = [_token(c) for c in cells]
    if any(t is None for t in tokens):
        return ()
    plain = [t for t in tokens if t is not None]
    if len(plain) == len(numeric):
        return tuple(
            _value(col, tok, PLACED_BY_CELL, "") for col, tok in zip(numeric, plain, strict=True)
        )
    if len(plain) > len(numeric):
        return ()
    fits = [
        slots
        for slots in combinations(range(len(numeric)), len(plain))
        if _fits(numeric, dict(zip(slots, plain, strict=True)))
    ]
    if not fits:
        return ()
    empty = [numeric[i].cell.text for i in range(len(numeric)) if all(i not in s for s in fits)]
    note = (
        f"row has {len(plain)} cells under {len(numeric)} columns; "
        f"only one placement fits (amounts, 分值 ≤ 100, 得分 ≤ 分值, 执行率 = B/A)"
        + (f"; empty: {'、'.join(empty)}" if empty else "")
    )
    placed: list[FormValue] = []
    for index, column in enumerate(numeric):
        chosen = {dict(zip(s, range(len(s)), strict=True)).get(index) for s in fits}
        if len(chosen) == 1 and None not in chosen:
            position = chosen.pop()
            assert position is not None
            placed.append(_value(column, plain[position], PLACED_BY_ELIMINATION, note))
    return tuple(placed)


def _split(numeric: list[Column], cells: list[Cell], run_at: int) -> tuple[FormValue, ...]:
    """Cut the run into as many numbers as the columns it must fill; only a unique cut."""
    before = [_token(c) for c in cells[:run_at]]
    after = [_token(c) for c in cells[run_at + 1 :]]
    if any(t is None for t in before + after):
        return ()
    width = len(numeric) - len(before) - len(after)
    run = cells[run_at]
    if width < 2:
        return ()
    cuts: list[list[_Token]] = []
    explored = 0

    def walk(pos: int, acc: list[_Token]) -> None:
        nonlocal explored
        explored += 1
        if explored > _MAX_SPLITS or len(cuts) > 1:
            return
        if len(acc) == width:
            if pos == len(run.text):
                tokens = [t for t in before if t] + acc + [t for t in after if t]
                if _fits(numeric, dict(enumerate(tokens))):
                    cuts.append(list(acc))
            return
        for end in range(pos + 1, min(len(run.text), pos + 13) + 1):
            piece = run.text[pos:end]
            if not _TOKEN_RE.fullmatch(piece):
                continue
            percent = piece.endswith("%")
            value = Decimal(piece.rstrip("%"))
            walk(end, [*acc, _Token(value, percent, run.start + pos, run.start + end)])

    walk(0, [])
    if len(cuts) != 1 or explored > _MAX_SPLITS:
        return ()
    note = f"cut out of the run-together digits “{run.text}”: the only cut that fits the columns"
    tokens = [t for t in before if t] + cuts[0] + [t for t in after if t]
    out: list[FormValue] = []
    for index, (column, token) in enumerate(zip(numeric, tokens, strict=True)):
        from_run = len(before) <= index < len(before) + width
        how = PLACED_BY_SPLIT if from_run else PLACED_BY_CELL
        out.append(_value(column, token, how, note if from_run else ""))
    return tuple(out)


def _value(column: Column, token: _Token, placed: str, note: str) -> FormValue:
    return FormValue(
        column=column.kind,
        label=column.name,
        value=token.value,
        percent=token.percent,
        start=token.start,
        end=token.end,
        placed=placed,
        note=note,
    )


def _fits(columns: list[Column], slots: dict[int, _Token]) -> bool:
    """Do these cells fit these columns (by index)?"""
    found: dict[str, Decimal] = {}
    for index, token in slots.items():
        kind = columns[index].kind
        if token.value is None:
            continue
        if token.percent and kind != "rate":
            return False
        if kind in AMOUNT_COLUMNS and token.value < 0:
            return False
        if kind == "weight" and not 0 < token.value <= HUNDRED:
            return False
        if kind == "score" and not 0 <= token.value <= HUNDRED:
            return False
        if kind == "rate" and not token.percent and not 0 <= token.value <= 2 * HUNDRED:
            return False
        found.setdefault(kind, token.value)
        if columns[index].is_a:
            found["A"] = token.value
    if "weight" in found and "score" in found and found["score"] > found["weight"]:
        return False
    denominator = found.get("A", found.get("adjusted", found.get("initial")))
    if "rate" in found and "spending" in found and denominator is not None:
        if not denominator:
            return False  # a rate over nothing confirms nothing
        computed = found["spending"] / denominator * HUNDRED
        if abs(computed - found["rate"]) > _RATE_SLACK:
            return False
    return True
