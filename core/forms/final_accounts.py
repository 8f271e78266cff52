"""The 部门决算 tables flattened to text: 收入支出决算总表, 收入决算表, 支出决算表 and the
"三公"经费 table, read from their grid (core/forms/data_table.py). 收入总计/支出总计 (with
the carry-overs) are never the year's income or spending; a table that says it is empty
(空表说明) gives nothing. 财政拨款收入支出决算总表 and the other 财政拨款 tables state
财政拨款 only: they are known (so no other table's rows run into them) and read as nothing."""

from __future__ import annotations

import re

from core.forms.common import form_year
from core.forms.data_table import Spec, read_data_table
from core.forms.flatten import build_grid
from core.forms.model import Form
from core.forms.vocabulary import (
    EMPTY_TABLE,
    FINAL_FIELD_COLUMNS,
    FINAL_ROWS,
    SANGONG_ROWS,
)

_ACCOUNTS = Spec(rows=FINAL_ROWS, fields=FINAL_FIELD_COLUMNS, pairs=False, undated_is_this=True)
_SANGONG = Spec(rows=SANGONG_ROWS, fields=(), pairs=False, undated_is_this=True)
_EMPTY_RE = re.compile(EMPTY_TABLE)
_MAX_TABLE = 12_000


def table_of(title: str) -> tuple[str, Spec] | None:
    """The national name of the table a title names and what it is read by, or None for a
    table read as nothing."""
    if "三公" in title:
        return "“三公”经费支出决算表", _SANGONG
    if re.search(r"财政拨款|基金|国有资本", title):
        return None
    for name in ("收入支出决算总表", "收入决算表", "支出决算表"):
        if title.endswith(name):
            return name, _ACCOUNTS
    return None


def read_final_table(text: str, start: int, end: int, title: str, year: int | None) -> Form | None:
    """One 部门决算 table between two offsets, or None."""
    known = table_of(title)
    end = min(end, start + _MAX_TABLE)
    if known is None or _EMPTY_RE.search(text, start, end):
        return None
    name, spec = known
    grid = build_grid(text, start, end, keep_empty=True)
    year = form_year(text, start, end) or year
    stated = read_data_table(text, grid, spec, year)
    if not stated:
        return None
    return Form(kind="final_accounts", title=name, start=start, end=end, year=year, stated=stated)
