"""部门整体支出绩效自评表 (and its basic-data table): the unit's funding, indicators, score."""

from __future__ import annotations

from core.forms.common import read_form
from core.forms.model import Form

TITLE = "部门整体支出绩效自评表"

# (funding row, column) → field. The 年初预算数 of 基本支出/项目支出 are budgets: no field.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("total", "initial", "budget_initial"),
    ("total", "adjusted", "budget_adjusted"),
    ("total", "spending", "spending_total"),
    ("total", "rate", "execution_rate"),
    ("basic", "spending", "spending_basic"),
    ("project", "spending", "spending_project"),
)


def read_department_form(text: str, start: int, end: int) -> Form | None:
    """The department form between two offsets, or None."""
    return read_form(text, start, end, "department", TITLE)
