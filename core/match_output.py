"""`jixiao match` results as JSON, CSV and an aligned listing for a terminal."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.cleaning import clean_text, inert_name, neutralise
from core.matching import BatchMatch, ReportMatch
from core.models import Extraction, Project
from core.output import display_width, field_label, format_value, json_number, pad
from core.series import figure_series
from core.units import report_year

JSON_SCHEMA_VERSION = 1
CSV_COLUMNS = (
    "unit", "kind", "from_path", "to_path", "from_year", "to_year", "from_name", "to_name",
    "score", "from_amount", "to_amount", "change", "change_pct",
)  # fmt: skip

_WORDS = {
    "zh": {"new": "新增", "dropped": "减少", "pairs": "延续", "figures": "数字", "change": "变化"},
    "en": {
        "new": "new",
        "dropped": "dropped",
        "pairs": "continued",
        "figures": "Figures",
        "change": "change",
    },
}


def safe(text: str) -> str:
    """Text from documents or the disk, fit for one line of a terminal: no escape or control
    characters, no line breaks or tabs."""
    return " ".join(clean_text(text).split())


def to_json_data(batch: BatchMatch) -> dict[str, Any]:
    """The documented `jixiao match --format json` shape."""
    pairs: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    for match in batch.reports:
        head = {"unit": match.unit, "from_path": str(match.old.report.path)}
        head |= {"to_path": str(match.new.report.path)}
        years = dict(zip(("from_year", "to_year"), match.years, strict=True))
        for pair in match.projects.pairs:
            pairs.append(
                head
                | years
                | {
                    "from_name": pair.old.name,
                    "to_name": pair.new.name,
                    "score": round(pair.score, 2),
                    "from_amount": json_number(pair.old.amount),
                    "to_amount": json_number(pair.new.amount),
                }
            )
        for side, path, projects in _unmatched(match):
            unmatched.extend(
                {
                    "unit": match.unit,
                    "path": path,
                    "name": p.name,
                    "amount": json_number(p.amount),
                    "side": side,
                }
                for p in projects
            )
    units = [
        {
            "unit": group.unit,
            "reports": [
                {"path": str(ex.report.path), "year": report_year(ex)} for ex in group.extractions
            ],
        }
        for group in batch.units
    ]
    return {"schema": JSON_SCHEMA_VERSION, "units": units, "pairs": pairs, "unmatched": unmatched}


def _unmatched(match: ReportMatch) -> list[tuple[str, str, tuple[Project, ...]]]:
    return [
        ("new", str(match.new.report.path), match.projects.new),
        ("dropped", str(match.old.report.path), match.projects.dropped),
    ]


def render_csv(batch: BatchMatch) -> str:
    """One row per pair, new and dropped project (`kind`), amounts in 万元."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in batch.reports:
        base = [neutralise(m.unit)]
        paths = (m.old.report.path, m.new.report.path)
        where = [*(neutralise(str(p)) for p in paths), *m.years]
        for pair in m.projects.pairs:
            names = [neutralise(pair.old.name), neutralise(pair.new.name)]
            writer.writerow(
                [*base, "pair", *where, *names, f"{pair.score:.2f}"]
                + [_plain(v) for v in (pair.old.amount, pair.new.amount, pair.change)]
                + [_plain(pair.change_pct)]
            )
        for p in m.projects.new:
            name = neutralise(p.name)
            writer.writerow([*base, "new", *where, "", name, "", "", _plain(p.amount), "", ""])
        for p in m.projects.dropped:
            name = neutralise(p.name)
            writer.writerow([*base, "dropped", *where, name, "", "", _plain(p.amount), "", "", ""])
    return out.getvalue()


def _plain(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def render_table(batch: BatchMatch, *, lang: str = "zh", width: int = 120) -> str:
    """Each unit with its reports, then per pair of years the continued projects (old name →
    new name, score, amounts, change), the new and the dropped ones, and the figures across
    the years. Chinese text is aligned by display width; document text is made safe."""
    words = _WORDS.get(lang, _WORDS["zh"])
    name_width = max(16, (width - 66) // 2)
    out: list[str] = []
    by_unit: dict[str, list[ReportMatch]] = {}
    for match in batch.reports:
        by_unit.setdefault(match.unit, []).append(match)
    for group in batch.units:
        out.append(f"■ {safe(group.unit)}")
        for ex in group.extractions:
            spelled = f"  ({safe(ex.unit)})" if ex.unit and ex.unit != group.unit else ""
            out.append(f"  {report_year(ex) or '?':<6}{inert_name(str(ex.report.path))}{spelled}")
        for m in by_unit.get(group.unit, []):
            p = m.projects
            out.append(
                f"  {m.years[0]} → {m.years[1]}  {words['pairs']} {len(p.pairs)}, "
                f"{words['new']} {len(p.new)}, {words['dropped']} {len(p.dropped)}"
            )
            for pair in p.pairs:
                mark = "✓" if pair.confirmed else " "
                change = _money(pair.change) + (
                    "" if pair.change_pct is None else f" ({pair.change_pct:+}%)"
                )
                out.append(
                    f"   {mark}{_fit(safe(pair.old.name), name_width)} → "
                    f"{_fit(safe(pair.new.name), name_width)} {pair.score:5.1f} "
                    f"{_amount(pair.old.amount)} {_amount(pair.new.amount)} {change}".rstrip()
                )
            # A new project's amount sits in the later year's column, a dropped one's in the
            # earlier year's.
            for sign, projects, gap in (("+", p.new, 22), ("-", p.dropped, 7)):
                out.extend(
                    f"   {sign}{_fit(safe(q.name), 2 * name_width + 3)}{' ' * gap}"
                    f"{_amount(q.amount)}".rstrip()
                    for q in projects
                )
        out.extend(_figures(group.extractions, lang, words["figures"], words["change"]))
        out.append("")
    return "\n".join(out)


def _fit(text: str, width: int) -> str:
    """Padded to a display width; a longer name loses its middle, not its end, because the end
    is what tells sibling budget lines apart (…运行维护费－中央 / …－省级)."""
    if display_width(text) <= width:
        return pad(text, width)
    head, tail = "", ""
    for ch in reversed(text):
        if display_width(ch + tail) > (width - 1) // 2:
            break
        tail = ch + tail
    for ch in text:
        if display_width(head + ch) + display_width(tail) > width - 1:
            break
        head += ch
    return pad(head + "…" + tail, width)


def _amount(value: Decimal | None) -> str:
    shown = "" if value is None else format_value(value, "万元")
    return " " * max(0, 14 - display_width(shown)) + shown


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:+,}"


def _figures(extractions: Sequence[Extraction], lang: str, title: str, change: str) -> list[str]:
    series = figure_series(extractions)
    if not series or len(series[0].points) < 2:
        return []
    years = [pt.year for pt in series[0].points]
    head = "  " + pad(title, 26) + "".join(f"{year:>18}" for year in years)
    lines = [f"{head}  {change} {years[-2]}→{years[-1]}"]
    for s in series:
        cells = ["" if pt.value is None else format_value(pt.value, s.unit) for pt in s.points]
        last = s.points[-1]
        moved = "" if last.change is None else f"{last.change:+,}"
        if last.change_pct is not None:
            moved += f" ({last.change_pct:+}%)"
        row = "    " + pad(field_label(s.field, lang), 24)
        row += "".join(" " * max(1, 18 - display_width(c)) + c for c in cells)
        lines.append(f"{row}  {moved}".rstrip())
    return lines
