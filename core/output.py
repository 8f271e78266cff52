"""Extraction results as JSON, as a polars table, and as an aligned listing for a terminal."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.cleaning import clean_text, inert, inert_name
from core.models import Extraction, FigureValue
from core.problems import problem_text, translate
from core.rules import RULES_BY_KEY

if TYPE_CHECKING:
    import polars as pl

JSON_SCHEMA_VERSION = 1


def json_number(value: FigureValue | Decimal | None) -> int | float | str | None:
    """A figure value as JSON wants it: int when integral, else float; grades stay strings."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral() else float(value)


def to_json_data(extractions: Sequence[Extraction]) -> dict[str, Any]:
    """The documented `jixiao extract --format json` shape."""
    return {"schema": JSON_SCHEMA_VERSION, "reports": [report_data(ex) for ex in extractions]}


def report_data(ex: Extraction) -> dict[str, Any]:
    """One report of the `jixiao extract --format json` shape."""
    return {
        "path": str(ex.report.path),
        "sha256": ex.report.sha256,
        "encoding": ex.report.encoding,
        "unit": ex.unit,
        "year": ex.year,
        "error": ex.report.error,
        "figures": [
            {
                "field": f.field,
                "value": json_number(f.value),
                "unit": f.unit,
                "as_written_unit": f.as_written_unit,
                "quote": f.quote,
                "start": f.start,
                "end": f.end,
                "line": f.line,
            }
            for f in ex.figures
        ],
        "projects": [
            {
                "name": p.name,
                "amount": json_number(p.amount),
                "score": json_number(p.score),
                "grade": p.grade,
                "start": p.start,
                "end": p.end,
            }
            for p in ex.projects
        ],
    }


def figures_frame(extractions: Sequence[Extraction], *, lang: str = "zh") -> pl.DataFrame:
    """One row per figure (and one per unreadable report), for CSV, Parquet and Excel."""
    import polars as pl

    rows = [row for ex in extractions for row in figure_rows(ex, lang=lang)]
    return pl.DataFrame(rows, schema=figures_schema())


def figure_rows(ex: Extraction, *, lang: str = "zh") -> list[dict[str, Any]]:
    """The rows of `figures_frame` for one report."""
    base = {"path": str(ex.report.path), "unit_name": ex.unit, "year": ex.year}
    rows: list[dict[str, Any]] = []
    if ex.report.error:
        rows.append(base | {"error": ex.report.error})
    for f in ex.figures:
        rows.append(
            base
            | {
                "field": f.field,
                "label": field_label(f.field, lang),
                "value": str(f.value),
                "value_number": None if isinstance(f.value, str) else float(f.value),
                "unit": f.unit,
                "as_written_unit": f.as_written_unit,
                "quote": f.quote,
                "start": f.start,
                "end": f.end,
                "line": f.line,
                "note": f.note,
            }
        )
    return rows


def figures_schema() -> dict[str, Any]:
    """Column types of `figures_frame`."""
    import polars as pl

    return {
        "path": pl.String, "unit_name": pl.String, "year": pl.Int64, "field": pl.String,
        "label": pl.String, "value": pl.String, "value_number": pl.Float64, "unit": pl.String,
        "as_written_unit": pl.String, "quote": pl.String, "start": pl.Int64, "end": pl.Int64,
        "line": pl.Int64, "note": pl.String, "error": pl.String,
    }  # fmt: skip


def field_label(key: str, lang: str = "zh") -> str:
    """The label a reviewer sees for a field key."""
    rule = RULES_BY_KEY.get(key)
    if rule is None:
        return key
    return rule.label_zh if lang == "zh" else rule.label_en


def display_width(text: str) -> int:
    """Terminal columns a string takes (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def truncate(text: str, width: int) -> str:
    """Cut to a display width with an ellipsis when longer."""
    if display_width(text) <= width:
        return text
    cut = ""
    for ch in text:
        if display_width(cut + ch) > width - 1:
            break
        cut += ch
    return cut + "…"


def pad(text: str, width: int) -> str:
    """Pad to a display width, cutting with an ellipsis when longer."""
    text = truncate(text, width)
    return text + " " * (width - display_width(text))


def format_value(value: FigureValue, unit: str) -> str:
    """A figure's value as a reviewer reads it: 1,234.56 万元, 93 %, 良."""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        shown = f"{value:,.{decimals}f}"
    else:
        shown = f"{value:,}"
    return f"{shown} {unit}" if unit not in ("等级", "文本") else shown


NOT_STATED = {"zh": "未注明", "en": "not stated"}
"""What is shown for a unit or a year the report's text does not state."""
YEAR_NOT_STATED = {"zh": "年度未注明", "en": "year not stated"}

NO_FIGURES = {
    "zh": "没有找到任何数字（不是绩效自评报告，或写法与常见的不同）",
    "en": "no figures found (not a self-evaluation report, or worded unlike the usual ones)",
}


def render_listing(extractions: Sequence[Extraction], *, lang: str = "zh", width: int = 120) -> str:
    """An aligned, readable listing of every report's figures and projects, `width` columns wide."""
    return "\n".join(
        line for ex in extractions for line in listing_lines(ex, lang=lang, width=width)
    )


def unit_shown(unit: str | None, lang: str = "zh") -> str:
    """The unit as a listing shows it: 未注明 / not stated when the text names none (document
    text made safe for the terminal)."""
    return clean_text(unit) if unit else NOT_STATED.get(lang, NOT_STATED["zh"])


def year_shown(year: int | None, lang: str = "zh") -> str:
    """The year as a listing shows it: 年度未注明 / year not stated when the text states none."""
    return str(year) if year is not None else YEAR_NOT_STATED.get(lang, YEAR_NOT_STATED["zh"])


def listing_lines(ex: Extraction, *, lang: str = "zh", width: int = 120) -> list[str]:
    """The lines of `render_listing` for one report (the last one empty)."""
    quote_width = max(16, width - 58)
    name_width = max(20, width - 40)
    # File names come from the user's disk: never let them act on the terminal.
    path = inert_name(str(ex.report.path))
    if ex.report.error:
        return [f"✗ {inert(problem_text(ex.report, lang) or '')}", ""]
    head = f"■ {path}  {unit_shown(ex.unit, lang)}  {year_shown(ex.year, lang)}"
    if ex.report.encoding:
        head += f"  [{ex.report.encoding}]"
    out = [head]
    out.extend(f"  ! {inert(translate(w, lang))}" for w in ex.report.warnings)
    if not ex.figures and not ex.projects:
        out.append(f"  ! {NO_FIGURES[lang]}")
    for f in ex.figures:
        slip = f.note.startswith("written")
        written = (
            (f" (原文{f.as_written_unit})" if lang == "zh" else f" (as {f.as_written_unit})")
            if slip
            else ""
        )
        out.append(
            "  "
            + pad(field_label(f.field, lang), 24)
            + " "
            + pad(format_value(f.value, f.unit) + written, 23)
            + f" L{f.line:<5} "
            + pad(f.quote.replace("\n", " ⏎ "), quote_width).rstrip()
        )
    if ex.projects:
        title = "项目" if lang == "zh" else "Projects"
        out.append(f"  {title} ({len(ex.projects)})")
        for p in ex.projects:
            amount = "" if p.amount is None else format_value(p.amount, "万元")
            extra = " ".join(x for x in (p.score and f"{p.score}分", p.grade) if x)
            out.append(f"    {pad(p.name, name_width)} {pad(amount, 16)} {extra}".rstrip())
    out.append("")
    return out
