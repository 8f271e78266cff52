"""Grids built from a form flattened to text, whatever the shape it arrived in.

- a row per line, cells split by tabs, '|' or spaces ("年度资金总额: 880 880 880 10 10");
- a cell per line, with or without blank lines between (a row per line of one cell);
- an OCR'd copy with every cell run together ("…全年执行数(B)执行率(B/A)64.864.8100%…"):
  cut at the words of the vocabulary and at runs of digits.

A row broken over two lines stays two rows here: the form readers read the cells in order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.forms.grid import Cell, Grid, Row
from core.forms.vocabulary import (
    FUNDING_COLUMNS,
    FUNDING_ROWS,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    OCR_WORDS,
)

_SEPARATOR_RE = re.compile(r"[^\s|｜]+")
_BOUNDARY_RE = re.compile(r"[\t|｜]")
_JOIN_NEXT_RE = re.compile(r"其中[:：]?")
_PERCENT_SIGN_RE = re.compile(r"[%％]")
_RUN_MIN = 80
# Literal words an OCR'd run is cut at, longest first (so 自评得分 wins over 得分).
_ANCHOR_WORDS = (
    "年度资金总额",
    "其中",
    "上年结转资金",
    "其他资金",
    "财政拨款",
    "年初预算数",
    "全年预算数",
    "调整预算数",
    "全年执行数",
    "执行率",
    "分值",
    "得分",
    "项目名称",
    "主管部门",
    "实施单位",
    "自评得分",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "总分",
)
_DIGITS_RE = re.compile(r"[0-9０-９][0-9０-９.．,，]*[%％]?")


@lru_cache(maxsize=1)
def _anchor_re() -> re.Pattern[str]:
    """The run's cutting points: the words, their one-character OCR variants, and a bracketed
    column letter after them ("(B/A)")."""
    variants = set(_ANCHOR_WORDS)
    for word in OCR_WORDS:
        variants.update(word[:i] + "." + word[i + 1 :] for i in range(1, len(word)))
    alternation = "|".join(sorted(variants, key=lambda w: (-len(w.replace(".", "x")), w)))
    return re.compile(rf"(?:{alternation})(?:[（(][A-Za-z/]{{1,3}}[）)])?")


def build_grid(text: str, start: int, end: int, *, keep_empty: bool = False) -> Grid:
    """The grid of the text between two offsets: a row per non-blank line. `keep_empty` keeps
    the empty cells a row of tabs or '|' ends with (a data table's columns are counted)."""
    rows: list[Row] = []
    shape = "lines"
    offset = start
    for raw in text[start:end].split("\n"):
        line_start = offset
        offset += len(raw) + 1
        if not raw.strip():
            continue
        if _is_run(raw):
            shape = "run"
            cells = _run_cells(raw, line_start)
        else:
            cells = _split_cells(raw, line_start, keep_empty)
        if cells:
            rows.append(Row(tuple(cells)))
    return Grid(tuple(rows), shape)


def _split_cells(line: str, at: int, keep_empty: bool = False) -> list[Cell]:
    """Cells split by tabs or '|' (an empty cell between two is kept, empty), else by spaces;
    "其中：" joins the label after it, a lone "%" the number before it."""
    if "\t" in line or "|" in line or "｜" in line:
        return _bounded_cells(line, at, keep_empty)
    cells: list[Cell] = []
    for part in _SEPARATOR_RE.finditer(line):
        cell = Cell(part.group(0), at + part.start(), at + part.end())
        if cells and (
            _JOIN_NEXT_RE.fullmatch(cells[-1].text) or _PERCENT_SIGN_RE.fullmatch(cell.text)
        ):
            joined = line[cells[-1].start - at : cell.end - at]
            cells[-1] = Cell(joined, cells[-1].start, cell.end)
            continue
        cells.append(cell)
    return cells


def _bounded_cells(line: str, at: int, keep_empty: bool = False) -> list[Cell]:
    """Cells between tabs or '|': an empty one between two separators says a cell is empty
    (after the last one too, with `keep_empty`)."""
    cells: list[Cell] = []
    cursor = 0
    parts = _BOUNDARY_RE.split(line)
    # A tab ends a cell, so a row of tabs ending in one ends in an empty cell; a '|' closes a
    # bordered row.
    last_kept = keep_empty and "|" not in line and "｜" not in line
    for index, part in enumerate(parts):
        start = cursor
        cursor += len(part) + 1
        stripped = part.strip()
        if not stripped:
            if 0 < index < len(parts) - 1 or (last_kept and index == len(parts) - 1):
                cells.append(Cell("", at + start, at + start))
            continue
        lead = len(part) - len(part.lstrip())
        cells.append(Cell(stripped, at + start + lead, at + start + lead + len(stripped)))
    while cells and not cells[-1].text and not keep_empty:
        cells.pop()
    while cells and not cells[0].text:
        cells.pop(0)
    return cells


def _is_run(line: str) -> bool:
    """A long line without separators that holds several of the form's words."""
    if len(line) < _RUN_MIN or "\t" in line or "|" in line or line.count(" ") > len(line) // 40:
        return False
    return len(_anchor_re().findall(line)) >= 3


def _run_cells(line: str, at: int) -> list[Cell]:
    """Cut a run-together line at the vocabulary's words and at runs of digits."""
    cells: list[Cell] = []
    cursor = 0
    for anchor in _anchor_re().finditer(line):
        cells.extend(_between(line, cursor, anchor.start(), at))
        cells.append(Cell(anchor.group(0), at + anchor.start(), at + anchor.end()))
        cursor = anchor.end()
    cells.extend(_between(line, cursor, len(line), at))
    return cells


def _between(line: str, start: int, end: int, at: int) -> list[Cell]:
    """The text between two words: words and digit runs, each a cell."""
    cells: list[Cell] = []
    cursor = start
    for digits in _DIGITS_RE.finditer(line, start, end):
        if digits.start() > cursor:
            cells.extend(_trimmed(line, cursor, digits.start(), at))
        cells.append(Cell(digits.group(0), at + digits.start(), at + digits.end()))
        cursor = digits.end()
    if cursor < end:
        cells.extend(_trimmed(line, cursor, end, at))
    return cells


def _trimmed(line: str, start: int, end: int, at: int) -> list[Cell]:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return []
    lead = len(piece) - len(piece.lstrip())
    return [Cell(stripped, at + start + lead, at + start + lead + len(stripped))]


ALL_WORDINGS = FUNDING_COLUMNS + FUNDING_ROWS + INDICATOR_COLUMNS + HEADER_FIELDS
"""Every wording a form is read by (for the readers' header tests)."""
