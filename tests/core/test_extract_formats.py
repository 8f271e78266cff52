"""The same report as .txt (UTF-8, GB18030, UTF-16), .docx and .pdf gives the same figures."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from core.extract import extract
from core.models import Extraction
from core.reading import read_report
from tests.core.expectations import figure_problems
from tests.docs import docx_blocks, make_cjk_font, write_docx, write_pdf

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
EXPECTED = tomllib.loads((ROOT / "tests" / "core" / "data" / "expected.toml").read_text("utf-8"))
REPORTS = EXPECTED["report"]
IDS = [r["file"].split("_")[0] for r in REPORTS]


def summary(extraction: Extraction) -> tuple[object, ...]:
    """What must not depend on the file format: figures (value, quote) and projects."""
    figures = tuple((f.field, str(f.value), f.quote.replace("\t", "")) for f in extraction.figures)
    projects = tuple((p.name, str(p.amount), str(p.score), p.grade) for p in extraction.projects)
    return extraction.unit, extraction.year, figures, projects


def source_text(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
@pytest.mark.parametrize("expected", REPORTS, ids=IDS)
def test_text_encodings_extract_identically(tmp_path, expected, encoding):
    original = extract(read_report(SAMPLES / expected["file"]))
    copy = tmp_path / expected["file"]
    copy.write_bytes(source_text(expected["file"]).encode(encoding))
    report = read_report(copy)
    assert report.error is None
    assert report.encoding.replace("-", "") in {
        "gb18030": "gb18030", "utf-16": "utf16le", "utf-8-sig": "utf8sig"
    }[encoding]  # fmt: skip
    assert summary(extract(report)) == summary(original)


@pytest.mark.parametrize("expected", REPORTS, ids=IDS)
def test_docx_with_tables_tracked_insertions_and_content_controls(tmp_path, expected):
    original = extract(read_report(SAMPLES / expected["file"]))
    blocks = docx_blocks(source_text(expected["file"]))
    # Put the paragraph stating the first expected figure inside a tracked insertion, and the
    # one stating the last inside a content control: python-docx's paragraph.text drops both.
    first_quote = next(iter(expected["figures"].values()))["quote"]
    last_quote = list(expected["figures"].values())[-1]["quote"]
    paragraph_indexes = [i for i, b in enumerate(blocks) if isinstance(b, str)]
    inserted = next(i for i in paragraph_indexes if first_quote in blocks[i])
    controlled = next(i for i in paragraph_indexes if last_quote in blocks[i] and i != inserted)
    path = write_docx(
        tmp_path / "report.docx",
        blocks,
        tracked_insertion_index=inserted,
        content_control_index=controlled,
    )
    report = read_report(path)
    assert report.error is None and report.kind == "docx"
    got = extract(report)
    assert summary(got) == summary(original)
    if any(isinstance(b, list) for b in blocks):
        assert got.projects and {p.source for p in got.projects} == {"table"}


def pdf_pages(text: str, lines_per_page: int = 30) -> list[str]:
    """The report's lines, 30 to a page; the PDF layout wraps long lines at the margin."""
    lines = [line.strip("\t") for line in text.split("\n")]  # tabs are a .txt artefact
    return ["\n".join(lines[i : i + lines_per_page]) for i in range(0, len(lines), lines_per_page)]


@pytest.mark.parametrize("expected", REPORTS, ids=IDS)
def test_pdf_with_an_embedded_cjk_font_extracts_its_figures(tmp_path, expected):
    """Long lines wrap at the page margin (often inside a number): the reader joins them."""
    text = source_text(expected["file"])
    font = make_cjk_font(tmp_path / "cjk.ttf", text)
    path = write_pdf(tmp_path / "report.pdf", pdf_pages(text), font)
    report = read_report(path)
    assert report.error is None and report.kind == "pdf"
    assert len(report.pages) > 1 and all(p.problem is None for p in report.pages)
    got = extract(report)
    # A PDF keeps no runs of spaces: compare quotes without them.
    figures = {
        k: v | {"quote": "".join(v["quote"].split())} for k, v in expected["figures"].items()
    }
    assert figure_problems(got, {"figures": figures}, spaces=False) == []
    assert [(p.name, p.amount) for p in got.projects] == [
        (p["name"], Decimal(str(p["amount"]))) for p in expected.get("projects", [])
    ]
