"""Compare an extraction with a reviewer's expected.toml entry (seeds and made-up variants)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.models import Extraction


def same_value(got: object, expected: object) -> bool:
    """Equal as a reviewer reads them: exact decimals, no float drift."""
    if isinstance(expected, str):
        return got == expected
    return Decimal(str(got)) == Decimal(str(expected))


def quote_matches(got: str, expected: str) -> bool:
    """The tool's quote and the reviewer's end at the same place and one contains the other.

    A reviewer may start a quote a word earlier or later ("五渡镇机关行政编制20名" against
    "机关行政编制20名"); both end with the number and its unit.
    """
    return got.endswith(expected) or expected.endswith(got)


def figure_problems(
    extraction: Extraction, expected: dict[str, Any], *, spaces: bool = True
) -> list[str]:
    """What differs between the extraction's figures and the expected ones (empty: all right).

    `spaces=False` compares quotes with whitespace removed (PDF text keeps no runs of spaces).
    """
    problems = []
    text = extraction.report.text
    for key, want in expected.get("figures", {}).items():
        fig = extraction.figure(key)
        if fig is None:
            problems.append(f"{key}: missing (want {want['value']} from {want['quote']!r})")
            continue
        if text[fig.start : fig.end] != fig.quote:
            problems.append(f"{key}: quote is not the span")
        if not same_value(fig.value, want["value"]):
            problems.append(f"{key}: value {fig.value} != {want['value']}")
        quote = fig.quote if spaces else "".join(fig.quote.split())
        if not quote_matches(quote, want["quote"]):
            problems.append(f"{key}: quote {fig.quote!r} != {want['quote']!r}")
        if "as_written_unit" in want and fig.as_written_unit != want["as_written_unit"]:
            problems.append(
                f"{key}: as written {fig.as_written_unit!r} != {want['as_written_unit']!r}"
            )
    extra = {f.field for f in extraction.figures} - set(expected.get("figures", {}))
    problems.extend(
        f"{key}: not in the report, found {extraction.figure(key)}" for key in sorted(extra)
    )
    return problems


def project_problems(extraction: Extraction, expected: dict[str, Any]) -> list[str]:
    """What differs between the extraction's projects and the expected list (order matters)."""
    want = expected.get("projects", [])
    got = extraction.projects
    problems = []
    if len(got) != len(want):
        problems.append(f"{len(got)} projects found, {len(want)} expected")
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g.name != w["name"]:
            problems.append(f"project {i + 1}: name {g.name!r} != {w['name']!r}")
        if g.amount is None or not same_value(g.amount, w["amount"]):
            problems.append(f"project {i + 1} {w['name']}: amount {g.amount} != {w['amount']}")
        for key in ("score", "grade"):
            if key in w and not same_value(getattr(g, key), w[key]):
                problems.append(f"project {i + 1} {w['name']}: {key} {getattr(g, key)} != {w[key]}")
    return problems
