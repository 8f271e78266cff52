"""项目支出绩效自评表: one project's funding, indicators and score."""

from __future__ import annotations

from decimal import Decimal

from core.forms.common import read_form
from core.forms.model import Form, FormValue

TITLE = "项目支出绩效自评表"

# (funding row, column) → field: what the form states for the report when it is the report's
# own form (a single-project report).
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("total", "initial", "budget_initial"),
    ("total", "adjusted", "budget_adjusted"),
    ("total", "spending", "spending_total"),
    ("total", "rate", "execution_rate"),
)


def read_project_form(text: str, start: int, end: int) -> Form | None:
    """The project form between two offsets, or None."""
    return read_form(text, start, end, "project", TITLE)


def project_amount(form: Form) -> FormValue | None:
    """The project's amount: its 全年预算数, else its 年初预算数, else its 全年执行数."""
    total = form.funding_row("total")
    if total is None:
        return None
    for column in ("adjusted", "initial", "spending"):
        found = total.value(column)
        if found is not None and isinstance(found.value, Decimal) and not found.percent:
            return found
    return None
