"""The forms of a report: found by their titles (after a cheap test), read, and turned into the
figures and projects the rest of the tool works with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from core.forms import department_form, project_form
from core.forms.model import Form, FormValue
from core.forms.vocabulary import FORM_TITLES, GRADE_WORDS
from core.lines import line_of
from core.models import Figure, Project
from core.numbers import plain_decimal, to_wan

_CHEAP_WORDS = ("自评表", "年度资金总额", "基础数据表")
_MAX_FORM = 40_000
"""A form is a page or two; a region longer than this is cut."""


@lru_cache(maxsize=1)
def _titles_re() -> re.Pattern[str]:
    groups = "|".join(f"(?P<{t.kind}>{t.pattern})" for t in FORM_TITLES)
    return re.compile(groups)


def find_forms(text: str) -> tuple[Form, ...]:
    """Every national form in the text, in text order (none without the cheap words)."""
    if not any(word in text for word in _CHEAP_WORDS):
        return ()
    starts: list[tuple[int, str]] = []
    for found in _titles_re().finditer(text):
        line_start = text.rfind("\n", 0, found.start()) + 1
        if starts and starts[-1][0] == line_start:
            continue
        starts.append((line_start, found.lastgroup or "project"))
    if not starts and "年度资金总额" in text:
        starts = [(0, "project" if "项目名称" in text else "department")]
    forms: list[Form] = []
    for i, (start, kind) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        end = min(end, start + _MAX_FORM)
        reader = (
            project_form.read_project_form
            if kind == "project"
            else department_form.read_department_form
        )
        form = reader(text, start, end)
        if form is not None:
            forms.append(form)
    return tuple(forms)


def own_forms(forms: Sequence[Form]) -> list[Form]:
    """The forms that state the report's own figures: every department form; a project form
    only when it is the report's one form (a single-project report)."""
    if len(forms) == 1:
        return list(forms)
    return [f for f in forms if f.kind == "department"]


def form_figures(text: str, starts: Sequence[int], forms: Sequence[Form]) -> list[Figure]:
    """The figures the report's own forms state, each from its cell."""
    figures: list[Figure] = []
    for form in own_forms(forms):
        table = project_form.FIGURES if form.kind == "project" else department_form.FIGURES
        for row_kind, column, field in table:
            row = form.funding_row(row_kind)
            value = row.value(column) if row is not None else None
            if row is None or value is None or value.value is None:
                continue
            if column == "rate":
                amount, unit, written = plain_decimal(value.value), "%", "%"
            elif value.percent:
                continue
            else:
                amount = plain_decimal(to_wan(value.value, form.money_unit))
                unit, written = "万元", form.money_unit
            figures.append(
                _figure(text, starts, form, field, amount, unit, written, row.label.start, value)
            )
        score = form.total_score or form.stated_score
        if score is not None and score.value is not None and score.value <= 100:
            points = plain_decimal(score.value)
            figures.append(
                _figure(text, starts, form, "score", points, "分", "", score.start, score)
            )
        if form.grade is not None:
            grade = GRADE_WORDS[form.grade.text.strip('“”"')]
            cell = form.grade
            mark = FormValue("grade", "等级", None, False, cell.start, cell.end)
            figures.append(
                _figure(text, starts, form, "grade", grade, "等级", "", cell.start, mark)
            )
    return figures


def _figure(
    text: str,
    starts: Sequence[int],
    form: Form,
    field: str,
    value: Decimal | str,
    unit: str,
    written: str,
    quote_start: int,
    cell: FormValue,
) -> Figure:
    note = f"form: {form.title} {cell.label}"
    if cell.note:
        note += f"; {cell.note}"
    start = min(quote_start, cell.start)
    return Figure(
        field=field,
        value=value,
        unit=unit,
        as_written_unit=written,
        quote=text[start : cell.end],
        start=start,
        end=cell.end,
        line=line_of(starts, start),
        value_start=cell.start,
        value_end=cell.end,
        note=note,
    )


def is_sure_form_figure(fig: Figure) -> bool:
    """A figure read from its own cell of a form (nothing placed by elimination or cut)."""
    return fig.note.startswith("form: ") and "; " not in fig.note


def form_projects(starts: Sequence[int], forms: Sequence[Form]) -> tuple[Project, ...]:
    """The project of each project form that names one."""
    projects: list[Project] = []
    for form in forms:
        if form.kind != "project" or form.project_name is None:
            continue
        name = form.project_name
        amount = project_form.project_amount(form)
        score = form.total_score or form.stated_score
        projects.append(
            Project(
                name=name.text,
                amount=(
                    plain_decimal(to_wan(amount.value, form.money_unit))
                    if amount is not None and amount.value is not None
                    else None
                ),
                score=score.value if score is not None else None,
                grade=GRADE_WORDS.get(form.grade.text) if form.grade is not None else None,
                start=name.start,
                end=name.end,
                line=line_of(starts, name.start),
                source="table",
                as_written_unit=form.money_unit,
            )
        )
    return tuple(projects)
