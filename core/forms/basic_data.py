"""部门整体支出绩效评价基础数据表: staffing, 三公经费 and 会议费/培训费, budget and spending by
kind, read from its grid however it was flattened (core/forms/data_table.py)."""

from __future__ import annotations

import re

from core.forms.common import form_year
from core.forms.data_table import Spec, read_data_table
from core.forms.flatten import build_grid
from core.forms.model import Form
from core.forms.vocabulary import BASIC_COUNTS, BASIC_FIELDS, BASIC_RATES, BASIC_ROWS

TITLE = "部门整体支出绩效评价基础数据表"
SPEC = Spec(
    rows=BASIC_ROWS,
    fields=BASIC_FIELDS,
    pairs=True,
    undated_is_this=False,
    counts=BASIC_COUNTS,
    rates=BASIC_RATES,
)
# The table ends where the indicator table (部门整体支出绩效评价指标表) or prose begins.
_INDICATOR_RE = re.compile(r"[一二三]级指标")
_SENTENCE_RE = re.compile(r"[。；]")
_SENTENCE_MIN = 40


def read_basic_data(text: str, start: int, end: int, year: int | None) -> Form | None:
    """The basic-data table between two offsets, or None when it states nothing."""
    end = _table_end(text, start, end)
    grid = build_grid(text, start, end, keep_empty=True)
    year = form_year(text, start, end) or year
    stated = read_data_table(text, grid, SPEC, year)
    if not stated:
        return None
    return Form(kind="basic_data", title=TITLE, start=start, end=end, year=year, stated=stated)


def _table_end(text: str, start: int, end: int) -> int:
    """Where the table stops: the first line of the indicator table or of prose after the
    title line."""
    at = text.find("\n", start, end)
    while 0 <= at < end:
        line_end = text.find("\n", at + 1, end)
        line_end = end if line_end < 0 else line_end
        line = text[at + 1 : line_end]
        if _INDICATOR_RE.search(line) or (len(line) >= _SENTENCE_MIN and _SENTENCE_RE.search(line)):
            return at + 1
        at = line_end if line_end < end else -1
    return end
