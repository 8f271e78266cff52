"""A review log for readers outside the tool: a Markdown memo per report, one row per annotation
(CSV, Excel), or JSON. Report text and notes are data: never markup, formulas or control codes."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.checks import check_label
from core.cleaning import clean_text, neutralise
from core.output import field_label, format_value, json_number
from core.output_file import clean_stale_temp, sync_folder, temp_path, work_folder
from core.review import (
    ANNOTATION_STATUSES,
    REPORT_STATUSES,
    SEVERITIES,
    TARGET_KINDS,
    Annotation,
    ReportState,
    label,
)
from core.review_store import LogContents
from core.rules import RULES_BY_KEY

if TYPE_CHECKING:
    import polars as pl

EXPORT_SCHEMA = 1

_WORDS = {
    "title": ("绩效自评报告审阅备忘录", "Review memo: performance self-evaluation reports"),
    "reviewer": ("审阅人", "Reviewer"),
    "reports": ("报告", "Reports"),
    "annotations": ("批注", "Annotations"),
    "file": ("文件", "File"),
    "status": ("审阅状态", "Review status"),
    "year": ("年度", ""),
    "issues": ("发现的问题", "Issues found"),
    "none": ("无", "none"),
    "no_issues": ("未发现问题。", "No issue found."),
    "uncertain": ("存疑事项", "Uncertain"),
    "false_positive": ("经核实无误（误报）", "Checked and correct (false positives)"),
    "check": ("检查", "check"),
    "reported": ("报告数", "reported"),
    "computed": ("计算数", "computed"),
    "difference": ("差额", "difference"),
    "tolerance": ("容差", "tolerance"),
    "fields": ("涉及", "Fields"),
    "quote": ("原文", "Text"),
    "note": ("审阅意见", "Note"),
    "hint": ("可能原因", "Likely cause"),
    "orphaned": (
        "原文已改动，此引文在新版本中未找到",
        "the source has changed and this quote is no longer in it",
    ),
    "unknown": ("未注明", "not stated"),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


# Markdown: characters that start links, images, HTML, entities, emphasis or code anywhere.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~!@])")
# ... and those that start a block (heading, quote, list, rule, fence) at the start of a line.
_MD_LINE_START = re.compile(r"^(\s*)([#>+=\-*~`])")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md_escape(text: str) -> str:
    """Report text or a note as Markdown that shows it literally: no HTML, link, heading or
    emphasis it contains can act; control characters are removed."""
    lines = []
    for line in clean_text(text).split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line.strip())
        # Bare URLs become links in GitHub Markdown: break the pattern visibly but harmlessly.
        line = line.replace("://", r"\://").replace("www.", r"www\.")
        line = _MD_LINE_START.sub(r"\1\\\2", line)
        line = _MD_ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def render_markdown(log: LogContents, *, lang: str = "zh") -> str:
    """A memo per report: unit, year, status, the issues the reviewer confirmed or added with their
    arithmetic and notes grouped by severity, then uncertain points and dismissed findings."""
    reports = [r for r in log.reports if r.worth_keeping]
    count = sum(len(r.annotations) for r in reports)
    sep = "：" if lang == "zh" else ": "
    out = [
        f"# {_w('title', lang)}",
        "",
        f"- {_w('reviewer', lang)}{sep}{md_escape(log.reviewer)}",
        f"- {_w('reports', lang)}{sep}{len(reports)}",
        f"- {_w('annotations', lang)}{sep}{count}",
    ]
    for report in reports:
        out += ["", *_memo(report, lang)]
    return "\n".join(out) + "\n"


def _memo(report: ReportState, lang: str) -> list[str]:
    sep = "：" if lang == "zh" else ": "
    unit = md_escape(report.unit) if report.unit else _w("unknown", lang)
    year = f"{report.year} {_w('year', lang)}".strip() if report.year else ""
    status = label(REPORT_STATUSES, report.status, lang)
    when = f"{report.status_at:%Y-%m-%d %H:%M}" if report.status_at else ""
    who = " ".join(x for x in (md_escape(report.status_by), when) if x)
    if who:
        status += _aside(who, lang)
    out = [
        f"## {' · '.join(x for x in (unit, year) if x)}",
        "",
        f"- {_w('file', lang)}{sep}{md_escape(report.path)}",
        f"- {_w('status', lang)}{sep}{status}",
        "",
        f"### {_w('issues', lang)}",
        "",
    ]
    issues = [a for a in report.annotations if a.status in ("confirmed", "missed")]
    if not issues:
        out += [_w("no_issues", lang), ""]
    for severity in SEVERITIES:
        group = [a for a in issues if a.severity == severity]
        if group:
            out += [f"#### {label(SEVERITIES, severity, lang)}{_aside(str(len(group)), lang)}", ""]
            out += _items(group, lang)
    for status, title in (("uncertain", "uncertain"), ("false_positive", "false_positive")):
        group = [a for a in report.annotations if a.status == status]
        if group:
            out += [f"### {_w(title, lang)}{_aside(str(len(group)), lang)}", ""]
            out += _items(group, lang)
    return out[:-1] if out[-1] == "" else out


def _items(annotations: Iterable[Annotation], lang: str) -> list[str]:
    sep = "：" if lang == "zh" else ": "
    out = []
    for n, a in enumerate(annotations, start=1):
        out.append(f"{n}. **{_headline(a, lang)}**")
        m = a.arithmetic
        if m is not None:
            numbers = _arithmetic(a, lang)
            if numbers:
                out.append(f"   - {numbers}")
            if m.fields:
                names = "、".join(md_escape(field_label(f, lang)) for f in m.fields)
                out.append(f"   - {_w('fields', lang)}{sep}{names}")
            if m.hint:
                out.append(f"   - {_w('hint', lang)}{sep}{_indent(md_escape(m.hint))}")
        if a.quote:
            quote = "\n".join(f"     > {line}" for line in md_escape(a.quote).split("\n"))
            orphan = _aside(_w("orphaned", lang), lang) if a.orphaned else ""
            out.append(f"   - {_w('quote', lang)}{orphan}{sep}\n\n{quote}\n")
        if a.note:
            out.append(f"   - {_w('note', lang)}{sep}{_indent(md_escape(a.note))}")
        who = f"{md_escape(a.author)} {a.updated:%Y-%m-%d %H:%M}"
        out.append(f"   - {label(ANNOTATION_STATUSES, a.status, lang)}{_aside(who, lang)}")
    out.append("")
    return out


def _aside(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _indent(text: str) -> str:
    # Continuation lines of a list item: indented so they stay inside it.
    return text.replace("\n", "\n     ")


def _headline(a: Annotation, lang: str) -> str:
    t = a.target
    if t.kind == "finding":
        message = a.arithmetic.message if a.arithmetic else ""
        check = f"{_w('check', lang)} {md_escape(check_label(t.check, lang))}"
        return f"{md_escape(message or check_label(t.check, lang))}{_aside(check, lang)}"
    return md_escape(_subject(a, lang)) or label(TARGET_KINDS, t.kind, lang)


def _subject(a: Annotation, lang: str) -> str:
    t = a.target
    if t.kind == "field":
        return field_label(t.field, lang)
    if t.kind == "finding":
        return check_label(t.check, lang)
    if t.kind == "projects":
        return f"{t.old_project or '—'} → {t.new_project or '—'}"
    return label(TARGET_KINDS, t.kind, lang)


def _arithmetic(a: Annotation, lang: str) -> str:
    m = a.arithmetic
    assert m is not None
    rule = RULES_BY_KEY.get(m.fields[0]) if m.fields else None
    unit = rule.unit if rule else ""
    parts = []
    for key in ("reported", "computed", "difference"):
        value = getattr(m, key)
        if value is not None:
            parts.append(f"{_w(key, lang)} {_number(value, unit, derived=key != 'reported')}")
    text = ("；" if lang == "zh" else "; ").join(parts)
    if m.tolerance is not None and parts:
        text += _aside(f"{_w('tolerance', lang)} {_number(m.tolerance, unit)}", lang)
    return text


def _number(value: Decimal, unit: str, *, derived: bool = False) -> str:
    exponent = value.as_tuple().exponent
    limit = -2 if derived else -4
    if isinstance(exponent, int) and exponent < limit:
        # A computed ratio (17/18 = 94.444…%): shown to two places; stated figures stay as written.
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_value(value, unit) if unit else format_value(value, "文本")


_FRAME_SCHEMA = {
    "report": "str", "unit": "str", "year": "int", "report_status": "str", "target": "str",
    "subject": "str", "key": "str", "status": "str", "severity": "str", "note": "str",
    "quote": "str",
    "start": "int", "end": "int", "orphaned": "bool", "message": "str", "reported": "float",
    "computed": "float", "difference": "float", "tolerance": "float", "author": "str",
    "created": "str", "updated": "str", "id": "str",
}  # fmt: skip


def annotations_frame(log: LogContents, *, lang: str = "zh") -> pl.DataFrame:
    """One row per annotation: report, unit, year, target, status, severity, note, quote, the
    finding's arithmetic, author and times; text cells neutralised for spreadsheets."""
    import polars as pl

    rows: list[dict[str, Any]] = []
    for report in log.reports:
        for a in report.annotations:
            m = a.arithmetic
            row: dict[str, Any] = {
                "report": report.path,
                "unit": report.unit or "",
                "year": report.year,
                "report_status": label(REPORT_STATUSES, report.status, lang),
                "target": label(TARGET_KINDS, a.target.kind, lang),
                "subject": _subject(a, lang),
                "key": a.target.check or a.target.field or "",
                "status": label(ANNOTATION_STATUSES, a.status, lang),
                "severity": label(SEVERITIES, a.severity, lang),
                "note": a.note,
                "quote": a.quote,
                "start": a.start,
                "end": a.end,
                "orphaned": a.orphaned,
                "message": m.message if m else "",
                "reported": _float(m.reported) if m else None,
                "computed": _float(m.computed) if m else None,
                "difference": _float(m.difference) if m else None,
                "tolerance": _float(m.tolerance) if m else None,
                "author": a.author,
                "created": _time(a.created),
                "updated": _time(a.updated),
                "id": a.id,
            }
            rows.append({k: neutralise(v) if isinstance(v, str) else v for k, v in row.items()})
    types = {"str": pl.String, "int": pl.Int64, "bool": pl.Boolean, "float": pl.Float64}
    return pl.DataFrame(rows, schema={k: types[v] for k, v in _FRAME_SCHEMA.items()})


def write_xlsx(frame: pl.DataFrame, path: Path, sheet: str = "review") -> None:
    """An Excel file of a frame, with no cell turned into a formula, a link or a number.
    xlsxwriter's working files go to a folder of ours beside `path`, removed when done (a
    killed run's is removed by the next output to that folder: core.output_file)."""
    from xlsxwriter import Workbook  # type: ignore[import-untyped]

    work = work_folder(path)
    os.mkdir(work)
    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "tmpdir": str(work),
    }
    try:
        workbook = Workbook(str(path), options)
        try:
            frame.write_excel(workbook, sheet, autofit=True)
        finally:
            workbook.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def to_json_data(log: LogContents) -> dict[str, Any]:
    """The whole log as JSON: {"schema", "reviewer", "reports": [{…, "annotations": […]}]}."""
    data = {
        "schema": EXPORT_SCHEMA,
        "reviewer": log.reviewer,
        "reports": [_report_json(r) for r in log.reports],
    }
    return _cleaned(data)  # type: ignore[no-any-return]


def _cleaned(value: Any) -> Any:
    # json.dumps escapes C0 controls but writes C1 and bidi controls raw: remove them all.
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def _report_json(r: ReportState) -> dict[str, Any]:
    return {
        "path": r.path,
        "sha256": r.sha256,
        "unit": r.unit,
        "year": r.year,
        "status": r.status,
        "status_by": r.status_by,
        "status_at": _time(r.status_at) if r.status_at else None,
        "annotations": [_annotation_json(a) for a in r.annotations],
    }


def _annotation_json(a: Annotation) -> dict[str, Any]:
    t, m = a.target, a.arithmetic
    return {
        "id": a.id,
        "target": {k: v for k, v in vars(t).items() if v},
        "status": a.status,
        "severity": a.severity,
        "note": a.note,
        "quote": a.quote,
        "start": a.start,
        "end": a.end,
        "orphaned": a.orphaned,
        "author": a.author,
        "created": _time(a.created),
        "updated": _time(a.updated),
        "arithmetic": None
        if m is None
        else {
            "message": m.message,
            "severity": m.severity,
            "fields": list(m.fields),
            "reported": json_number(m.reported),
            "computed": json_number(m.computed),
            "difference": json_number(m.difference),
            "tolerance": json_number(m.tolerance),
            "hint": m.hint,
        },
    }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _time(value: datetime) -> str:
    return value.isoformat()


EXPORT_FORMATS = ("md", "csv", "xlsx", "json")
"""What a review log can be exported as."""


def export_text(log: LogContents, fmt: str, *, lang: str = "zh") -> str:
    """A log as Markdown notes, CSV or JSON text."""
    if fmt == "csv":
        return annotations_frame(log, lang=lang).write_csv()
    if fmt == "json":
        return json.dumps(to_json_data(log), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return render_markdown(log, lang=lang)
    raise ValueError(f"no text form for {fmt!r}")


def write_export(log: LogContents, fmt: str, output: Path, *, lang: str = "zh") -> None:
    """Write a log to a file in one of EXPORT_FORMATS, all at once: a full disk or a read-only
    folder raises OSError and leaves an earlier export at that path as it was. Temporary files
    that killed exports left in that folder are removed first (core.output_file)."""
    clean_stale_temp(output.parent)
    tmp = temp_path(output)
    try:
        if fmt == "xlsx":
            write_xlsx(annotations_frame(log, lang=lang), tmp)
        else:
            data = export_text(log, fmt, lang=lang).encode("utf-8")
            # os.open applies the umask, as writing the file in place would.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    sync_folder(output.parent)
