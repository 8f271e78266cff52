"""Test helpers that build real documents: a CJK TrueType font, PDFs embedding it, .docx files."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

Cell = str | None | list[list[str]]
"""A table cell: its text, None to merge it into the cell on its left, or a nested table."""
Block = str | list[list[Cell]]
"""A paragraph, or a table given as rows of cells."""


def make_cjk_font(path: Path, chars: str) -> Path:
    """Write a small real TrueType font whose cmap maps every given character to a box glyph."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    wanted = sorted({ch for ch in chars if ch not in "\t\n\r "})
    names = [".notdef", "space", *(f"uni{ord(ch):04X}" for ch in wanted)]
    cmap = {0x20: "space", **{ord(ch): f"uni{ord(ch):04X}" for ch in wanted}}

    def box() -> object:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((900, 700))
        pen.lineTo((900, 0))
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf(
        {name: TTGlyphPen(None).glyph() if name == "space" else box() for name in names}
    )
    builder.setupHorizontalMetrics({name: (1000, 0 if name == "space" else 100) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "JixiaoTest", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))
    return path


def write_pdf(
    path: Path,
    pages: list[str],
    font_path: Path,
    *,
    image_pages: Sequence[int] = (),
    compress: bool = True,
) -> Path:
    """Write a PDF with one page per text, in the given font (fpdf2 embeds it with a ToUnicode
    map, so the text can be extracted). Pages whose 0-based index is in `image_pages` also get
    a picture, as a scanned page would; an empty text gives a page without text."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.set_compression(compress)
    pdf.add_font("JixiaoTest", fname=str(font_path))
    pdf.set_font("JixiaoTest", size=12)
    for index, text in enumerate(pages):
        pdf.add_page()
        if index in image_pages:
            pdf.image(Image.new("RGB", (120, 160), (235, 235, 225)), x=20, y=20, w=120)
        if text:
            # Chinese typesetting wraps between any two characters, not at spaces.
            pdf.multi_cell(0, 8, text, wrapmode="CHAR")
    pdf.output(str(path))
    return path


def strip_tounicode(pdf_path: Path) -> Path:
    """Remove the ToUnicode map references from a PDF written by fpdf2, in place.

    Each "/ToUnicode n 0 R" in a (never compressed) font dictionary is overwritten with spaces
    of the same length, so the cross-reference offsets stay valid. Text extraction then yields
    the font's glyph codes instead of the characters."""
    data = pdf_path.read_bytes()
    stripped, count = re.subn(rb"/ToUnicode \d+ \d+ R", lambda m: b" " * len(m.group()), data)
    if not count:
        raise ValueError(f"{pdf_path}: no ToUnicode reference found")
    pdf_path.write_bytes(stripped)
    return pdf_path


def _wrap_run(paragraph: object, wrapper: object) -> None:
    """Move the paragraph's runs into the wrapper element, placed where the runs were."""
    from docx.oxml.ns import qn

    p = paragraph._p  # type: ignore[attr-defined]
    runs = p.findall(qn("w:r"))
    runs[0].addprevious(wrapper)
    inner = wrapper.find(qn("w:sdtContent"))  # type: ignore[attr-defined]
    target = inner if inner is not None else wrapper
    for run in runs:
        target.append(run)  # type: ignore[attr-defined]


def _tracked_insertion() -> object:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "101")
    ins.set(qn("w:author"), "审核人")
    ins.set(qn("w:date"), "2024-03-01T09:00:00Z")
    return ins


def _content_control() -> object:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sdt = OxmlElement("w:sdt")
    props = OxmlElement("w:sdtPr")
    alias = OxmlElement("w:alias")
    alias.set(qn("w:val"), "单位名称")
    props.append(alias)
    sdt.append(props)
    sdt.append(OxmlElement("w:sdtContent"))
    return sdt


def _fill_table(table: object, rows: list[list[Cell]]) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)  # type: ignore[attr-defined]
            if value is None:
                table.cell(r, c - 1).merge(cell)  # type: ignore[attr-defined]
            elif isinstance(value, list):
                nested = cell.add_table(rows=len(value), cols=max(len(v) for v in value))
                _fill_table(nested, value)  # type: ignore[arg-type]
            else:
                cell.text = value


def write_docx(
    path: Path,
    blocks: list[Block],
    *,
    tracked_insertion_index: int | None = None,
    content_control_index: int | None = None,
    block_content_control_index: int | None = None,
) -> Path:
    """Write a .docx: a str block is a paragraph, a list of rows a real Word table.

    `tracked_insertion_index` wraps that paragraph's run in a tracked insertion (w:ins),
    `content_control_index` wraps it in an inline content control (w:sdt/w:sdtContent), and
    `block_content_control_index` wraps the whole paragraph in a body-level content control."""
    import docx

    document = docx.Document()
    paragraphs: dict[int, object] = {}
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            paragraphs[index] = document.add_paragraph(block)
        else:
            columns = max(len(row) for row in block)
            table = document.add_table(rows=len(block), cols=columns)
            _fill_table(table, block)
    if tracked_insertion_index is not None:
        _wrap_run(paragraphs[tracked_insertion_index], _tracked_insertion())
    if content_control_index is not None:
        _wrap_run(paragraphs[content_control_index], _content_control())
    if block_content_control_index is not None:
        p = paragraphs[block_content_control_index]._p  # type: ignore[attr-defined]
        sdt = _content_control()
        p.addprevious(sdt)
        sdt.find(docx.oxml.ns.qn("w:sdtContent")).append(p)  # type: ignore[attr-defined]
    document.save(str(path))
    return path


def docx_blocks(text: str) -> list[object]:
    """Paragraphs for the prose; a real Word table for a table flattened one cell per line
    (a line starting with a tab is a cell, a blank line ends a row)."""
    blocks: list[object] = []
    rows: list[list[str]] = []
    row: list[str] = []
    for line in text.split("\n"):
        if line.startswith("\t"):
            row.append(line.strip())
            continue
        if row:
            rows.append(row)
            row = []
        if rows and line.strip():
            blocks.append(rows)
            rows = []
        if not line.strip() and rows:
            continue
        blocks.append(line)
    if row:
        rows.append(row)
    if rows:
        blocks.append(rows)
    return blocks
