"""What the result cache holds, as plain data: JSON of the cached values, never code.

Each cached type has a codec of its own that writes its fields in order as a JSON array and
reads them back checking every one: Decimal as its exact string, Path as str, tuples and None
restored. Nothing is looked up by a name found in the data, so a cache folder another account
can write (a team cache, a group-writable ~/.cache) can at worst give wrong results, never run
code. Anything else in place of an entry (a pickle, JSON of other shapes or types, truncated
bytes) raises `Damaged`: the cache treats it as lost and the report is read again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from core.batch import Entry
from core.forms.grid import Cell
from core.forms.model import Form, FormValue, FundingRow, Indicator, StatedValue
from core.models import Extraction, Figure, FigureValue, Finding, Page, Project, Report

T = TypeVar("T")
Json = Any
"""A value as json.loads gives it: checked field by field before use."""


class Damaged(ValueError):
    """Stored bytes that are not a value this code writes."""


# ---- bytes ---------------------------------------------------------------------------------

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def to_bytes(data: Json) -> bytes:
    """Compact JSON in UTF-8; a lone surrogate (a file name that is not UTF-8, as Python holds
    it) is kept as such."""
    return _ENCODER.encode(data).encode("utf-8", "surrogatepass")


def from_bytes(blob: bytes, decode: Callable[[Json], T]) -> T:
    """The value `decode` reads out of stored bytes; `Damaged` when they are anything else."""
    try:
        data = json.loads(blob.decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError, MemoryError):  # not UTF-8, not JSON, nested too deep
        raise Damaged("not JSON") from None
    try:
        return decode(data)
    except Damaged:
        raise
    except (ValueError, TypeError, RecursionError, ArithmeticError, MemoryError) as exc:
        raise Damaged(f"{type(exc).__name__}: {exc}"[:100]) from None


# ---- checked reading of JSON values ------------------------------------------------------


def fields(data: Json, count: int) -> list[Json]:
    """A stored dataclass: an array of exactly `count` fields."""
    if type(data) is not list or len(data) != count:
        raise Damaged(f"expected {count} fields")
    return data


def string(data: Json) -> str:
    if type(data) is not str:
        raise Damaged("expected a string")
    return data


def integer(data: Json) -> int:
    if type(data) is not int:  # not bool, not float
        raise Damaged("expected an integer")
    return data


def boolean(data: Json) -> bool:
    if type(data) is not bool:
        raise Damaged("expected true or false")
    return data


def decimal(data: Json) -> Decimal:
    """A Decimal stored as its exact string ("1.20" stays "1.20")."""
    text = string(data)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Damaged("expected a decimal number") from None
    if not value.is_finite() or str(value) != text:
        raise Damaged("expected a decimal number as written by str()")
    return value


def optional(data: Json, decode: Callable[[Json], T]) -> T | None:
    return None if data is None else decode(data)


def items(data: Json, decode: Callable[[Json], T]) -> tuple[T, ...]:
    if type(data) is not list:
        raise Damaged("expected an array")
    return tuple(decode(item) for item in data)


def strings(data: Json) -> tuple[str, ...]:
    return items(data, string)


def _optional_decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _optional_cell(cell: Cell | None) -> Json:
    return None if cell is None else encode_cell(cell)


def _optional_form_value(value: FormValue | None) -> Json:
    return None if value is None else encode_form_value(value)


# ---- reports -------------------------------------------------------------------------------


def encode_page(page: Page) -> Json:
    return [page.number, page.start, page.end, page.problem]


def decode_page(data: Json) -> Page:
    number, start, end, problem = fields(data, 4)
    return Page(integer(number), integer(start), integer(end), optional(problem, string))


def encode_report(report: Report) -> Json:
    return [
        str(report.path),
        report.sha256,
        report.text,
        report.kind,
        report.encoding,
        report.encoding_note,
        [encode_page(p) for p in report.pages],
        list(report.warnings),
        report.error,
        report.error_code,
    ]


def decode_report(data: Json) -> Report:
    path, sha, text, kind, encoding, note, pages, warnings, error, code = fields(data, 10)
    return Report(
        Path(string(path)),
        string(sha),
        string(text),
        string(kind),
        optional(encoding, string),
        optional(note, string),
        items(pages, decode_page),
        strings(warnings),
        optional(error, string),
        optional(code, string),
    )


# ---- figures and projects ------------------------------------------------------------------


def encode_figure_value(value: FigureValue) -> Json:
    """An int or a str as itself; a Decimal as a one-item array holding its string."""
    return [str(value)] if isinstance(value, Decimal) else value


def decode_figure_value(data: Json) -> FigureValue:
    if type(data) is list:
        (text,) = fields(data, 1)
        return decimal(text)
    if type(data) is int or type(data) is str:
        return data
    raise Damaged("expected a figure's value")


def encode_figure(fig: Figure) -> Json:
    return [
        fig.field,
        encode_figure_value(fig.value),
        fig.unit,
        fig.as_written_unit,
        fig.quote,
        fig.start,
        fig.end,
        fig.line,
        fig.value_start,
        fig.value_end,
        fig.note,
        [encode_figure(c) for c in fig.candidates],
    ]


def decode_figure(data: Json) -> Figure:
    (key, value, unit, written, quote, start, end, line, v_start, v_end, note, candidates) = fields(
        data, 12
    )
    return Figure(
        string(key),
        decode_figure_value(value),
        string(unit),
        string(written),
        string(quote),
        integer(start),
        integer(end),
        integer(line),
        integer(v_start),
        integer(v_end),
        string(note),
        items(candidates, decode_figure),
    )


def encode_project(project: Project) -> Json:
    return [
        project.name,
        _optional_decimal(project.amount),
        _optional_decimal(project.score),
        project.grade,
        project.start,
        project.end,
        project.line,
        project.source,
        project.as_written_unit,
        project.numbered,
    ]


def decode_project(data: Json) -> Project:
    name, amount, score, grade, start, end, line, source, written, numbered = fields(data, 10)
    return Project(
        string(name),
        optional(amount, decimal),
        optional(score, decimal),
        optional(grade, string),
        integer(start),
        integer(end),
        integer(line),
        string(source),
        string(written),
        boolean(numbered),
    )


def _decode_projects(data: Json) -> tuple[Project, ...]:
    return items(data, decode_project)


# ---- forms ---------------------------------------------------------------------------------


def encode_cell(cell: Cell) -> Json:
    return [cell.text, cell.start, cell.end]


def decode_cell(data: Json) -> Cell:
    text, start, end = fields(data, 3)
    return Cell(string(text), integer(start), integer(end))


def encode_form_value(value: FormValue) -> Json:
    return [
        value.column,
        value.label,
        _optional_decimal(value.value),
        value.percent,
        value.start,
        value.end,
        value.placed,
        value.note,
    ]


def decode_form_value(data: Json) -> FormValue:
    column, label, value, percent, start, end, placed, note = fields(data, 8)
    return FormValue(
        string(column),
        string(label),
        optional(value, decimal),
        boolean(percent),
        integer(start),
        integer(end),
        string(placed),
        string(note),
    )


def encode_funding_row(row: FundingRow) -> Json:
    return [
        row.kind,
        encode_cell(row.label),
        [encode_form_value(v) for v in row.values],
        _optional_cell(row.text),
    ]


def decode_funding_row(data: Json) -> FundingRow:
    kind, label, values, text = fields(data, 4)
    return FundingRow(
        string(kind),
        decode_cell(label),
        items(values, decode_form_value),
        optional(text, decode_cell),
    )


def encode_indicator(indicator: Indicator) -> Json:
    return [
        indicator.name,
        indicator.name_start,
        indicator.name_end,
        _optional_cell(indicator.target),
        _optional_cell(indicator.actual),
        encode_form_value(indicator.weight),
        encode_form_value(indicator.score),
        _optional_cell(indicator.reason),
    ]


def decode_indicator(data: Json) -> Indicator:
    name, start, end, target, actual, weight, score, reason = fields(data, 8)
    return Indicator(
        string(name),
        integer(start),
        integer(end),
        optional(target, decode_cell),
        optional(actual, decode_cell),
        decode_form_value(weight),
        decode_form_value(score),
        optional(reason, decode_cell),
    )


def encode_stated_value(stated: StatedValue) -> Json:
    return [stated.field, encode_cell(stated.label), encode_form_value(stated.value), stated.unit]


def decode_stated_value(data: Json) -> StatedValue:
    key, label, value, unit = fields(data, 4)
    return StatedValue(string(key), decode_cell(label), decode_form_value(value), string(unit))


def encode_form(form: Form) -> Json:
    return [
        form.kind,
        form.title,
        form.start,
        form.end,
        form.year,
        form.money_unit,
        _optional_cell(form.project_name),
        list(form.columns),
        [encode_funding_row(r) for r in form.funding],
        form.rate_base,
        form.rule_stated,
        _optional_cell(form.rule_cell),
        [encode_indicator(i) for i in form.indicators],
        form.indicators_complete,
        _optional_form_value(form.total_weight),
        _optional_form_value(form.total_score),
        _optional_form_value(form.stated_score),
        _optional_cell(form.grade),
        [encode_stated_value(s) for s in form.stated],
    ]


def decode_form(data: Json) -> Form:
    (
        kind,
        title,
        start,
        end,
        year,
        money_unit,
        project_name,
        columns,
        funding,
        rate_base,
        rule_stated,
        rule_cell,
        indicators,
        complete,
        total_weight,
        total_score,
        stated_score,
        grade,
        stated,
    ) = fields(data, 19)
    return Form(
        string(kind),
        string(title),
        integer(start),
        integer(end),
        optional(year, integer),
        string(money_unit),
        optional(project_name, decode_cell),
        strings(columns),
        items(funding, decode_funding_row),
        optional(rate_base, string),
        boolean(rule_stated),
        optional(rule_cell, decode_cell),
        items(indicators, decode_indicator),
        boolean(complete),
        optional(total_weight, decode_form_value),
        optional(total_score, decode_form_value),
        optional(stated_score, decode_form_value),
        optional(grade, decode_cell),
        items(stated, decode_stated_value),
    )


# ---- extractions, findings, entries --------------------------------------------------------


def encode_extraction(ex: Extraction) -> Json:
    return [
        encode_report(ex.report),
        ex.unit,
        ex.year,
        [encode_figure(f) for f in ex.figures],
        [encode_project(p) for p in ex.projects],
        [[encode_project(p) for p in projects] for projects in ex.project_lists],
        list(ex.warnings),
        [encode_form(f) for f in ex.forms],
    ]


def decode_extraction(data: Json) -> Extraction:
    report, unit, year, figures, projects, project_lists, warnings, forms = fields(data, 8)
    return Extraction(
        decode_report(report),
        optional(unit, string),
        optional(year, integer),
        items(figures, decode_figure),
        _decode_projects(projects),
        items(project_lists, _decode_projects),
        strings(warnings),
        items(forms, decode_form),
    )


def encode_finding(finding: Finding) -> Json:
    return [
        finding.check,
        finding.severity,
        finding.message,
        finding.key,
        list(finding.fields),
        _optional_decimal(finding.reported),
        _optional_decimal(finding.computed),
        _optional_decimal(finding.difference),
        _optional_decimal(finding.tolerance),
        [[start, end] for start, end in finding.spans],
        finding.hint,
    ]


def _decode_span(data: Json) -> tuple[int, int]:
    start, end = fields(data, 2)
    return integer(start), integer(end)


def decode_finding(data: Json) -> Finding:
    check, severity, message, key, keys, reported, computed, difference, tolerance, spans, hint = (
        fields(data, 11)
    )
    return Finding(
        string(check),
        string(severity),
        string(message),
        string(key),
        strings(keys),
        optional(reported, decimal),
        optional(computed, decimal),
        optional(difference, decimal),
        optional(tolerance, decimal),
        items(spans, _decode_span),
        optional(hint, string),
    )


def encode_findings(findings: tuple[Finding, ...]) -> Json:
    return [encode_finding(f) for f in findings]


def decode_findings(data: Json) -> tuple[Finding, ...]:
    return items(data, decode_finding)


def encode_entry(entry: Entry) -> Json:
    return [encode_extraction(entry.extraction), encode_findings(entry.findings)]


def decode_entry(data: Json) -> Entry:
    extraction, findings = fields(data, 2)
    return Entry(decode_extraction(extraction), decode_findings(findings))


# ---- a batch's units -------------------------------------------------------------------------


def encode_unit_groups(groups: list[tuple[str, list[int]]]) -> Json:
    return [[unit, list(indices)] for unit, indices in groups]


def _decode_unit_group(data: Json) -> tuple[str, list[int]]:
    unit, indices = fields(data, 2)
    return string(unit), list(items(indices, integer))


def decode_unit_groups(data: Json) -> list[tuple[str, list[int]]]:
    return list(items(data, _decode_unit_group))
