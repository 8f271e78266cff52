"""The forms of a report: found by their titles (after a cheap test), read, and turned into the
figures and projects the rest of the tool works with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from core.forms import basic_data, department_form, final_accounts, project_form
from core.forms.model import Form, FormValue, StatedValue
from core.forms.vocabulary import DATA_TITLES, FORM_TITLES, GRADE_WORDS
from core.lines import line_of
from core.models import Figure, Project
from core.numbers import plain_decimal, to_wan
from core.rules import RULES_BY_KEY

_CHEAP_WORDS = ("自评表", "年度资金总额")
_DATA_WORDS = ("基础数据表", "决算表", "决算总表", "决算明细表")
"""How the data tables' titles end: only a short line holding one is tried as a title."""
_MAX_FORM = 40_000
"""A form is a page or two; a region longer than this is cut."""
_EVALUATION = ("project", "department")
_TITLE_SLACK = 24
"""A data table's title line holds little else (a number, a year, the unit, 公开01表)."""
_MAX_TITLE_LINE = 80


@lru_cache(maxsize=1)
def _titles_re() -> re.Pattern[str]:
    groups = "|".join(f"(?P<{t.kind}>{t.pattern})" for t in FORM_TITLES)
    return re.compile(groups)


@lru_cache(maxsize=1)
def _data_titles_re() -> re.Pattern[str]:
    groups = "|".join(f"(?P<{t.kind}>{t.pattern})" for t in DATA_TITLES)
    return re.compile(groups)


def find_forms(text: str, year: int | None = None) -> tuple[Form, ...]:
    """Every national form in the text, in text order (none without the cheap words). `year`
    is the report's, for the data tables' columns that name theirs."""
    starts: list[tuple[int, str, str]] = []
    if any(word in text for word in _CHEAP_WORDS):
        for found in _titles_re().finditer(text):
            line_start = text.rfind("\n", 0, found.start()) + 1
            if starts and starts[-1][0] == line_start:
                continue
            starts.append((line_start, found.lastgroup or "project", found.group(0)))
    data = _data_titles(text)
    if data:
        taken = {start for start, _, _ in starts}
        starts = sorted([*starts, *(d for d in data if d[0] not in taken)])
    if not starts and "年度资金总额" not in text:
        return ()
    if not any(kind in _EVALUATION for _, kind, _ in starts) and "年度资金总额" in text:
        kind = "project" if "项目名称" in text else "department"
        starts = sorted([(0, kind, ""), *starts])
    forms: list[Form] = []
    for i, (start, kind, title) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        end = min(end, start + _MAX_FORM)
        form: Form | None
        if kind == "project":
            form = project_form.read_project_form(text, start, end)
        elif kind == "department":
            form = department_form.read_department_form(text, start, end)
        elif kind == "basic_data":
            form = basic_data.read_basic_data(text, start, end, year)
        else:
            form = final_accounts.read_final_table(text, start, end, title, year)
        if form is not None:
            forms.append(form)
    return tuple(forms)


def _data_titles(text: str) -> list[tuple[int, str, str]]:
    """The data tables' titles: each on a short line of its own, not in a sentence."""
    lines: set[int] = set()
    for word in _DATA_WORDS:
        at = text.find(word)
        while at >= 0:
            lines.add(text.rfind("\n", 0, at) + 1)
            at = text.find(word, at + len(word))
    found: list[tuple[int, str, str]] = []
    for line_start in sorted(lines):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        if line_end - line_start > _MAX_TITLE_LINE:
            continue
        title = _data_titles_re().search(text, line_start, line_end)
        line = text[line_start:line_end].strip()
        if (
            title is not None
            and len(line) <= len(title.group(0)) + _TITLE_SLACK
            and not re.search(r"[。；，,]", line)
        ):
            found.append((line_start, title.lastgroup or "final_accounts", title.group(0)))
    return found


def own_forms(forms: Sequence[Form]) -> list[Form]:
    """The forms that state the report's own figures: every department form and data table;
    a project form only when it is the report's one evaluation form (a single-project
    report)."""
    evaluation = [f for f in forms if f.kind in _EVALUATION]
    if len(evaluation) != 1:
        evaluation = [f for f in evaluation if f.kind == "department"]
    return [f for f in forms if f in evaluation or f.kind not in _EVALUATION]


def read_by_data_table(forms: Sequence[Form], at: int) -> bool:
    """Is a position inside a data table read as a form (its rows are read by the form's own
    columns, not as a plain table's)?"""
    return any(f.kind not in _EVALUATION and f.start <= at < f.end for f in forms)


def form_figures(text: str, starts: Sequence[int], forms: Sequence[Form]) -> list[Figure]:
    """The figures the report's own forms state, each from its cell."""
    figures: list[Figure] = []
    for form in own_forms(forms):
        if form.stated:
            figures.extend(
                _stated_figure(text, starts, form, s)
                for s in form.stated
                if s.field in RULES_BY_KEY
            )
            continue
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


def _stated_figure(text: str, starts: Sequence[int], form: Form, stated: StatedValue) -> Figure:
    """A data table's value as the figure of its field."""
    cell = stated.value
    assert cell.value is not None
    unit = RULES_BY_KEY[stated.field].unit
    value: Decimal | int
    if unit == "万元":
        value, written = plain_decimal(to_wan(cell.value, stated.unit)), stated.unit
    elif unit in ("人", "个"):
        value, written = int(cell.value), unit
    else:
        value, written = plain_decimal(cell.value), unit
    return _figure(text, starts, form, stated.field, value, unit, written, stated.label.start, cell)


def _figure(
    text: str,
    starts: Sequence[int],
    form: Form,
    field: str,
    value: Decimal | int | str,
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
