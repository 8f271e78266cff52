"""Findings as JSON, as a polars table, as a terminal listing and as a Markdown memo."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core.checks import check_label
from core.cleaning import inert, inert_name
from core.export import md_escape
from core.models import Extraction, Finding
from core.numbers import four_places
from core.output import (
    json_number,
    report_data,
    to_json_data,
    truncate,
    unit_shown,
    year_shown,
)
from core.problems import problem_text

if TYPE_CHECKING:
    import polars as pl

SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
_MARK = {"error": "✗", "warning": "!", "info": "·"}


def finding_number(value: Decimal | None) -> int | float | None:
    """A finding's number for JSON: computed rates are cut to 4 decimals."""
    return None if value is None else json_number(four_places(value))  # type: ignore[return-value]


def finding_data(finding: Finding) -> dict[str, Any]:
    """The documented JSON shape of one finding."""
    return {
        "check": finding.check,
        "severity": finding.severity,
        "message": finding.message,
        "fields": list(finding.fields),
        "reported": finding_number(finding.reported),
        "computed": finding_number(finding.computed),
        "difference": finding_number(finding.difference),
        "tolerance": finding_number(finding.tolerance),
        "spans": [list(s) for s in finding.spans],
        "hint": finding.hint,
    }


def to_check_json(
    extractions: Sequence[Extraction], findings: Sequence[Sequence[Finding]]
) -> dict[str, Any]:
    """The extract JSON with a `findings` list added to each report."""
    data = to_json_data(extractions)
    for report, found in zip(data["reports"], findings, strict=True):
        report["findings"] = [finding_data(f) for f in found]
    return data


def report_check_data(ex: Extraction, found: Sequence[Finding]) -> dict[str, Any]:
    """One report of the `to_check_json` shape."""
    return report_data(ex) | {"findings": [finding_data(f) for f in found]}


def findings_frame(
    extractions: Sequence[Extraction], findings: Sequence[Sequence[Finding]], *, lang: str = "zh"
) -> pl.DataFrame:
    """One row per finding, with the quoted text, for CSV and spreadsheets."""
    import polars as pl

    rows = [
        row
        for ex, found in zip(extractions, findings, strict=True)
        for row in finding_rows(ex, found, lang=lang)
    ]
    return pl.DataFrame(rows, schema=findings_schema())


def finding_rows(
    ex: Extraction, found: Sequence[Finding], *, lang: str = "zh"
) -> list[dict[str, Any]]:
    """The rows of `findings_frame` for one report."""
    rows: list[dict[str, Any]] = []
    for f in found:
        start, end = f.spans[0] if f.spans else (0, 0)
        rows.append(
            {
                "path": str(ex.report.path),
                "unit_name": ex.unit,
                "year": ex.year,
                "check": f.check,
                "label": check_label(f.check, lang),
                "severity": f.severity,
                "message": f.message,
                "fields": ",".join(f.fields),
                "reported": _plain(f.reported),
                "computed": _plain(f.computed),
                "difference": _plain(f.difference),
                "tolerance": _plain(f.tolerance),
                "quote": ex.report.text[start:end],
                "start": start if f.spans else None,
                "end": end if f.spans else None,
                "hint": f.hint,
            }
        )
    return rows


def findings_schema() -> dict[str, Any]:
    """Column types of `findings_frame`."""
    import polars as pl

    return {
        "path": pl.String, "unit_name": pl.String, "year": pl.Int64, "check": pl.String,
        "label": pl.String, "severity": pl.String, "message": pl.String, "fields": pl.String,
        "reported": pl.String, "computed": pl.String, "difference": pl.String,
        "tolerance": pl.String, "quote": pl.String, "start": pl.Int64, "end": pl.Int64,
        "hint": pl.String,
    }  # fmt: skip


def arithmetic_line(finding: Finding, lang: str = "zh") -> str:
    """ "所述 1287.78 · 计算 1087.78 · 差 200 · 容差 0.1" — empty when the check has no numbers."""
    if finding.reported is None or finding.computed is None:
        return ""
    words = (
        ("所述", "计算", "差", "容差") if lang == "zh" else ("stated", "computed", "off", "tol.")
    )
    parts = [f"{words[0]} {_plain(finding.reported)}", f"{words[1]} {_short(finding.computed)}"]
    if finding.difference is not None:
        parts.append(f"{words[2]} {_short(finding.difference)}")
    if finding.tolerance is not None:
        parts.append(f"{words[3]} {_short(finding.tolerance)}")
    return " · ".join(parts)


def render_findings(
    extractions: Sequence[Extraction],
    findings: Sequence[Sequence[Finding]],
    *,
    lang: str = "zh",
    width: int = 120,
) -> str:
    """A terminal listing: per report, its findings with their arithmetic, hint and quote."""
    return "\n".join(
        line
        for ex, found in zip(extractions, findings, strict=True)
        for line in findings_lines(ex, found, lang=lang, width=width)
    )


def findings_lines(
    ex: Extraction, found: Sequence[Finding], *, lang: str = "zh", width: int = 120
) -> list[str]:
    """The lines of `render_findings` for one report (the last one empty)."""
    labels = SEVERITY_LABELS[lang]
    path = inert_name(str(ex.report.path))
    if ex.report.error:
        return [f"✗ {inert(problem_text(ex.report, lang) or '')}", ""]
    counts = {s: sum(1 for f in found if f.severity == s) for s in labels}
    summary = "  ".join(f"{labels[s]} {n}" for s, n in counts.items() if n)
    unit, year = unit_shown(ex.unit, lang), year_shown(ex.year, lang)
    out = [f"■ {path}  {unit}  {year}  {summary or '—'}"]
    for f in found:
        out.append(f"  {_MARK[f.severity]} [{labels[f.severity]}] {f.message}")
        detail = arithmetic_line(f, lang)
        if detail:
            out.append(f"      {detail}")
        if f.hint:
            out.append(f"      → {f.hint}")
        if f.spans:
            start, end = f.spans[0]
            line = ex.report.text.count("\n", 0, start) + 1
            quote = truncate(ex.report.text[start:end].replace("\n", " ⏎ "), width - 14)
            out.append(f"      L{line}: {quote}")
    out.append("")
    return out


def findings_markdown(
    extractions: Sequence[Extraction], findings: Sequence[Sequence[Finding]], *, lang: str = "zh"
) -> str:
    """A memo per report, readable by someone who never saw the tool."""
    return "\n".join(
        [
            *memo_head(lang),
            *(
                line
                for ex, found in zip(extractions, findings, strict=True)
                for line in memo_lines(ex, found, lang=lang)
            ),
        ]
    )


def memo_head(lang: str = "zh") -> list[str]:
    """The title lines of `findings_markdown`."""
    title = "绩效自评报告审核发现" if lang == "zh" else "Findings in the self-evaluation reports"
    return [f"# {title}", ""]


def memo_lines(ex: Extraction, found: Sequence[Finding], *, lang: str = "zh") -> list[str]:
    """The lines of `findings_markdown` for one report (the last one empty)."""
    labels = SEVERITY_LABELS[lang]
    out = [f"## {_md(unit_shown(ex.unit, lang))} {year_shown(ex.year, lang)}", ""]
    out += [f"`{_md(inert_name(str(ex.report.path)))}`", ""]
    if ex.report.error:
        return [*out, _md(problem_text(ex.report, lang) or ""), ""]
    if not found:
        out += ["未发现问题。" if lang == "zh" else "No findings.", ""]
    for severity, label in labels.items():
        group = [f for f in found if f.severity == severity]
        if not group:
            continue
        out += [f"### {label} ({len(group)})", ""]
        for f in group:
            out.append(f"- **{_md(check_label(f.check, lang))}**：{_md(f.message)}")
            if arithmetic_line(f, lang):
                out.append(f"  - {arithmetic_line(f, lang)}")
            if f.hint:
                out.append(f"  - {_md(f.hint)}")
            if f.spans:
                start, end = f.spans[0]
                out.append(f"  - > {_md(truncate(ex.report.text[start:end], 160))}")
        out.append("")
    return out


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _short(value: Decimal) -> str:
    return f"{four_places(value).normalize():f}"


def _md(text: str) -> str:
    """Report text inside Markdown, on one line: inert (no links, emphasis, HTML, controls)."""
    return md_escape(text).replace("\n", " ")
