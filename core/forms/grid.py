"""The table model every source becomes: a grid of rows of cells, each cell with its span."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Cell:
    """One table cell and where it stands in the display text (text == display[start:end])."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    """One row of a grid: its cells in reading order."""

    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Grid:
    """A table as rows of cells, whatever shape it arrived in."""

    rows: tuple[Row, ...]
    shape: str
    """How the text was cut into cells: "lines" (a row per line, cells split by spaces, tabs
    or '|', a cell per line) or "run" (an OCR'd copy with every cell run together)."""

    def cells(self) -> Iterator[tuple[int, Cell]]:
        """Every cell in reading order, with the index of its row."""
        for index, row in enumerate(self.rows):
            for cell in row.cells:
                yield index, cell


# ---- what a cell holds ---------------------------------------------------------------------

_NUMBER_RE = re.compile(r"[-−]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?")
_PERCENT_RE = re.compile(r"([-−]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)\s*[%％]")
_PLACEHOLDER_RE = re.compile(r"[-—–－/／\\一无]{1,3}|[（(]?空[）)]?")
_RUN_RE = re.compile(r"[0-9０-９.．%％]{4,40}")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％−", "0123456789.,%-")


def number_of(text: str) -> Decimal | None:
    """A bare number ("880", "1,304.23"), or None."""
    if not _NUMBER_RE.fullmatch(text):
        return None
    try:
        return Decimal(text.translate(_FULLWIDTH).replace(",", ""))
    except InvalidOperation:
        return None


def percent_of(text: str) -> Decimal | None:
    """A percentage ("95.5%"), in percent, or None."""
    found = _PERCENT_RE.fullmatch(text)
    if found is None:
        return None
    try:
        return Decimal(found.group(1).translate(_FULLWIDTH).replace(",", ""))
    except InvalidOperation:
        return None


def is_placeholder(text: str) -> bool:
    """A cell left empty ("", "-", "/", "—", "无")."""
    return not text or bool(_PLACEHOLDER_RE.fullmatch(text))


def is_run(text: str) -> bool:
    """Digits of several cells run together ("64.864.8100%"): two points, or a point after a %."""
    if not _RUN_RE.fullmatch(text):
        return False
    plain = text.translate(_FULLWIDTH)
    return plain.count(".") >= 2 or ("%" in plain[:-1])


def is_value(text: str) -> bool:
    """A number, a percentage, a placeholder or a run of digits: what a value column holds."""
    return (
        number_of(text) is not None
        or percent_of(text) is not None
        or is_placeholder(text)
        or is_run(text)
    )
