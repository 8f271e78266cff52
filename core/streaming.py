"""Whole-batch documents written a report at a time, byte for byte as if built all at once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from core.cleaning import neutralise
from core.output import JSON_SCHEMA_VERSION

if TYPE_CHECKING:
    import polars as pl

ROWS_AT_ONCE = 4096
"""Table rows turned into CSV (or gathered into a frame) at a time."""


def json_document(reports: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`json.dumps({"schema": …, "reports": [...]}, ensure_ascii=False, indent=2) + "\\n"`, one
    report at a time (a string in JSON never holds a raw newline, so indenting the lines of a
    report indents the report)."""
    yield f'{{\n  "schema": {JSON_SCHEMA_VERSION},\n  "reports": ['
    empty = True
    for report in reports:
        text = json.dumps(report, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("\n    " if empty else ",\n    ") + text
        empty = False
    yield "]\n}\n" if empty else "\n  ]\n}\n"


def joined_lines(blocks: Iterable[Sequence[str]]) -> Iterator[str]:
    """`"\\n".join` of every block's lines, one block at a time."""
    started = False
    for lines in blocks:
        if lines:
            yield ("\n" if started else "") + "\n".join(lines)
            started = True


def csv_text(rows: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[str]:
    """`pl.DataFrame(rows, schema=schema).write_csv()`, a few thousand rows at a time (polars
    writes each value on its own, so the pieces join into the same text)."""
    import polars as pl

    yield pl.DataFrame([], schema=schema).write_csv()
    rows = (inert_row(row) for row in rows)
    while chunk := list(islice(rows, ROWS_AT_ONCE)):
        yield pl.DataFrame(chunk, schema=schema).write_csv(include_header=False)


_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def inert_row(row: dict[str, Any]) -> dict[str, Any]:
    """Text cells no spreadsheet runs as a formula (a quote "=SUM(…)", a path "-x.txt"); an
    exact number kept as text ("-36.000") is a number to a spreadsheet, and stays as it is."""
    return {
        k: neutralise(v) if isinstance(v, str) and not _NUMBER_TEXT.fullmatch(v) else v
        for k, v in row.items()
    }


def gathered_frame(rows: Iterable[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    """`pl.DataFrame(rows, schema=schema)` built a few thousand rows at a time, for the formats
    written all at once (Parquet, Excel): only the rows are held, never the reports' text."""
    import polars as pl

    frames = [pl.DataFrame([], schema=schema)]
    rows = iter(rows)
    while chunk := list(islice(rows, ROWS_AT_ONCE)):
        frames.append(pl.DataFrame(chunk, schema=schema))
    return pl.concat(frames).rechunk()
