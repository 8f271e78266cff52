"""Tests for core.reading: finding report files and reading real .txt, .md, .docx and .pdf files."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from core.cleaning import clean_text
from core.problems import translate
from core.reading import (
    NO_TEXT_ON_PAGE,
    UNMAPPED_GLYPHS,
    find_reports,
    read_report,
)
from tests.docs import make_cjk_font, strip_tounicode, write_docx, write_pdf

ROOT = Path(__file__).resolve().parents[2]

SAMPLES = sorted((ROOT / "sample_reports").glob("*.txt"))
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

PAGE_TEXTS = [
    "2023年度部门整体支出绩效自评报告\n一、部门概况",
    "二、绩效自评得分 95.25 分\n项目支出 123.45 万元",
    "三、存在的问题\n（一）预算执行率 98.6%",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chars = "".join(PAGE_TEXTS) + "0123456789.%"
    return make_cjk_font(tmp_path_factory.mktemp("font") / "box.ttf", chars)


# ---------------------------------------------------------------------------------------------
# Text files


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split("_")[0])
def test_real_text_reports(sample: Path) -> None:
    report = read_report(sample)
    assert report.error is None
    assert report.text == clean_text(sample.read_text(encoding="utf-8"))
    assert (report.kind, report.encoding, report.encoding_note) == ("txt", "utf-8", "strict UTF-8")
    assert report.sha256 == sha256(sample)
    assert report.warnings == ()


@pytest.mark.parametrize(
    ("name", "codec", "encoding"),
    [
        pytest.param("报告.md", "gb18030", "gb18030", id="gb18030-markdown"),
        pytest.param("报告.TXT", "utf-16", "utf-16-le", id="utf-16-upper-case-suffix"),
        pytest.param("报告.txt", "utf-8-sig", "utf-8-sig", id="utf-8-bom"),
        pytest.param("报告.txt", "utf-16-be", "utf-16-be", id="utf-16-be-without-bom"),
    ],
)
def test_text_encodings(tmp_path: Path, name: str, codec: str, encoding: str) -> None:
    raw = SAMPLES[0].read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(raw.replace("\n", "\r\n").encode(codec))
    report = read_report(path)
    assert report.error is None
    assert report.text == clean_text(raw)
    assert report.encoding == encoding
    assert report.kind == path.suffix.lower().lstrip(".")


def test_uncertain_encoding_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("一".encode("gbk"))
    report = read_report(path)
    assert report.text == "一"
    assert report.encoding_note is not None and report.encoding_note.startswith("uncertain")
    assert report.warnings and "encoding uncertain" in report.warnings[0]


def test_a_gbk_paragraph_in_a_utf8_report_is_read_and_noted(tmp_path: Path) -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    lines = text.split("\n")
    data = b"\n".join(
        line.encode("gbk" if i == 12 else "utf-8") + (b"\xff" if i == 40 else b"")
        for i, line in enumerate(lines)
    )
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    report = read_report(path)
    assert report.encoding == "utf-8"
    assert report.text.split("\n")[12] == clean_text(lines[12])
    assert report.text.replace("\ufffd", "") == clean_text(text)
    assert report.encoding_note is not None and report.encoding_note.startswith("uncertain")
    [warning] = report.warnings
    assert warning.startswith("encoding uncertain: read as utf-8 except ")
    assert "(lines 13, 41)" in warning and "read as gb18030 where they fit it" in warning
    said = translate(warning, "zh")
    assert said.startswith("编码不能确定：按 utf-8 读取") and "第 13, 41 行" in said
    assert "where they fit" not in said


@pytest.mark.parametrize(
    ("stray", "tail"), [(b"\xff", "shown as \ufffd"), ("资金".encode("gbk"), "read as gb18030")]
)
def test_misfit_notes_are_translated(tmp_path: Path, stray: bytes, tail: str) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes(SAMPLES[0].read_bytes() + b"\n" + stray + b"\n")
    [warning] = read_report(path).warnings
    assert warning.endswith(tail)
    assert translate(warning, "zh").startswith("编码不能确定") and tail not in translate(
        warning, "zh"
    )


def test_stray_nul_bytes_are_dropped_and_noted(tmp_path: Path) -> None:
    text = SAMPLES[0].read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[4] += "\x00"
    lines[9] = "\x00" + lines[9]
    path = tmp_path / "nul.txt"
    path.write_bytes("\n".join(lines).encode())
    report = read_report(path)
    assert report.error is None
    assert report.text == clean_text(text) and "\x00" not in report.text
    assert report.warnings == ("2 NUL bytes (lines 5, 10) were dropped",)
    assert (
        translate(report.warnings[0], "zh") == "文本中夹有 2 个空字符（NUL，第 5, 10 行），已删除"
    )


def test_a_binary_file_with_many_nul_bytes_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(SAMPLES[0].read_text(encoding="utf-8").replace("，", "，\x00").encode())
    assert read_report(path).error_code == "binary"


def test_control_characters_and_residue_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "dirty.txt"
    path.write_bytes("[bookmark: _Toc1]目录\r\n\x1b]0;x\x07得分\u3000\u300095 分 [/b]\r\n".encode())
    assert read_report(path).text == "目录\n得分 95 分 [/b]\n"


# ---------------------------------------------------------------------------------------------
# Word


DOCX_BLOCKS = [
    "2023年度部门整体支出绩效自评报告",
    [
        ["项目名称", "金额（万元）", "得分"],
        ["乡村振兴衔接资金", "123.45", "95"],
        ["合计", None, "95"],  # 合计 spans two columns (w:gridSpan)
        ["明细", [["人员经费", "10"], ["公用经费", "5"]], "见附表"],  # nested table
    ],
    "审核时补充的内容",
    "单位名称：某镇人民政府",
    "评价年度：2023年",
    "四、结论",
]
DOCX_LINES = [
    "2023年度部门整体支出绩效自评报告",
    "项目名称\t金额（万元）\t得分",
    "乡村振兴衔接资金\t123.45\t95",
    "合计\t95",
    "明细\t人员经费 10 公用经费 5\t见附表",
    "审核时补充的内容",
    "单位名称：某镇人民政府",
    "评价年度：2023年",
    "四、结论",
]


def test_docx_reads_everything_in_order(tmp_path: Path) -> None:
    import docx

    path = write_docx(
        tmp_path / "报告.docx",
        DOCX_BLOCKS,
        tracked_insertion_index=2,
        content_control_index=3,
        block_content_control_index=4,
    )
    # The fixture is real: python-docx's own paragraph text misses all three.
    seen = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "审核时补充的内容" not in seen and "单位名称：某镇人民政府" not in seen
    assert "评价年度：2023年" not in seen

    report = read_report(path)
    assert report.error is None
    assert report.text.split("\n") == DOCX_LINES
    assert (report.kind, report.encoding, report.pages) == ("docx", None, ())
    assert report.sha256 == sha256(path)


def test_docx_deletions_fields_tabs_breaks(tmp_path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    paragraph = document.add_paragraph("得分")
    run = paragraph.add_run()
    run.add_tab()
    run.add_text("95")
    run.add_break()
    run.add_text("[bookmark: _Toc9]第二行\u202e\u00a0\u00a0")
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "7")
    deleted.set(qn("w:author"), "审核人")
    deleted_run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "已删除"
    deleted_run.append(deleted_text)
    deleted.append(deleted_run)
    paragraph._p.append(deleted)
    field_run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.text = " PAGE "
    field_run.append(instruction)
    paragraph._p.append(field_run)
    path = tmp_path / "修订.docx"
    document.save(str(path))
    assert read_report(path).text == "得分\t95\n第二行 "


def test_doc_that_is_really_a_docx_is_read(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "改名.doc", ["其实是 docx"])
    report = read_report(path)
    assert (report.error, report.text, report.kind) == (None, "其实是 docx", "docx")


# ---------------------------------------------------------------------------------------------
# PDF


def test_pdf_with_embedded_cjk_font(tmp_path: Path, font: Path) -> None:
    path = write_pdf(tmp_path / "报告.pdf", PAGE_TEXTS, font)
    report = read_report(path)
    assert report.error is None and report.warnings == ()
    assert report.kind == "pdf"
    assert [page.number for page in report.pages] == [1, 2, 3]
    assert [report.text[page.start : page.end] for page in report.pages] == PAGE_TEXTS
    assert report.text == "\n".join(PAGE_TEXTS)
    assert all(page.problem is None for page in report.pages)
    assert report.sha256 == sha256(path)


def test_pdf_scanned_page_is_flagged_not_dropped(tmp_path: Path, font: Path) -> None:
    pages = [PAGE_TEXTS[0], "", PAGE_TEXTS[2]]
    report = read_report(write_pdf(tmp_path / "扫描.pdf", pages, font, image_pages=[1]))
    assert report.error is None
    assert [page.problem for page in report.pages] == [None, NO_TEXT_ON_PAGE, None]
    assert report.warnings == (f"page 2: {NO_TEXT_ON_PAGE}",)
    assert [report.text[page.start : page.end] for page in report.pages] == pages


def test_pdf_without_tounicode_has_unmapped_glyphs(tmp_path: Path, font: Path) -> None:
    path = strip_tounicode(write_pdf(tmp_path / "无映射.pdf", PAGE_TEXTS[:2], font))
    report = read_report(path)
    assert report.error is None
    assert [page.problem for page in report.pages] == [UNMAPPED_GLYPHS, UNMAPPED_GLYPHS]
    assert report.warnings == (f"page 1: {UNMAPPED_GLYPHS}", f"page 2: {UNMAPPED_GLYPHS}")
    assert "绩效" not in report.text


def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Score 95.25")
    pdf.output(str(tmp_path / "owner.pdf"))
    assert read_report(tmp_path / "owner.pdf").text == "Score 95.25"


# ---------------------------------------------------------------------------------------------
# Problems


def _missing(tmp: Path, font: Path) -> Path:
    return tmp / "缺失.txt"


def _folder(tmp: Path, font: Path) -> Path:
    path = tmp / "目录.docx"
    path.mkdir()
    return path


def _fifo(tmp: Path, font: Path) -> Path:
    path = tmp / "管道.txt"
    os.mkfifo(path)
    return path


def _write(name: str, data: bytes) -> Callable[[Path, Path], Path]:
    def build(tmp: Path, font: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return build


def _truncated_docx(tmp: Path, font: Path) -> Path:
    path = write_docx(tmp / "截断.docx", ["一、部门概况"] * 50)
    path.write_bytes(path.read_bytes()[:1500])
    return path


def _zip_not_word(tmp: Path, font: Path) -> Path:
    path = tmp / "表格.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "不是 Word 文件")
    return path


def _empty_docx(tmp: Path, font: Path) -> Path:
    return write_docx(tmp / "空白.docx", ["", "  "])


def _truncated_pdf(tmp: Path, font: Path) -> Path:
    path = write_pdf(tmp / "截断.pdf", PAGE_TEXTS, font)
    path.write_bytes(path.read_bytes()[:400])
    return path


def _no_pages_pdf(tmp: Path, font: Path) -> Path:
    """A well-formed PDF whose page tree is empty (same length, so the offsets stay valid)."""
    path = write_pdf(tmp / "无页.pdf", ["一"], font)
    data = path.read_bytes().replace(b"/Count 1", b"/Count 0")
    emptied = re.sub(rb"/Kids \[([^]]*)\]", lambda m: b"/Kids [" + b" " * len(m[1]) + b"]", data)
    path.write_bytes(emptied)
    return path


def _encrypted_pdf(tmp: Path, font: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "secret")
    path = tmp / "加密.pdf"
    pdf.output(str(path))
    return path


def _scanned_pdf(tmp: Path, font: Path) -> Path:
    return write_pdf(tmp / "扫描件.pdf", ["", ""], font, image_pages=[0, 1])


ERROR_CASES = [
    ("missing-file", _missing, "not_found", "no such file"),
    ("folder", _folder, "not_a_file", "folder"),
    ("fifo", _fifo, "not_a_file", "not a regular file"),
    ("empty-file", _write("空.txt", b""), "empty", "empty"),
    ("only-whitespace", _write("空白.txt", " \r\n\u3000\n".encode()), "empty", "no text"),
    ("binary-txt", _write("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary", "binary"),
    ("binary-md", _write("压缩.md", b"PK\x03\x04\x14\x00\x00\x00"), "binary", "binary"),
    ("old-doc", _write("旧格式.doc", OLE_HEADER), "old_format", "save it as .docx"),
    ("old-wps", _write("旧格式.WPS", OLE_HEADER), "old_format", "save it as .docx"),
    (
        "encrypted-docx",
        _write("加密.docx", OLE_HEADER + "EncryptedPackage".encode("utf-16-le")),
        "encrypted_docx",
        "password",
    ),
    ("truncated-docx", _truncated_docx, "corrupt_docx", "damaged"),
    ("text-as-docx", _write("假.docx", "一、部门概况".encode()), "corrupt_docx", "damaged"),
    ("zip-not-word", _zip_not_word, "corrupt_docx", "not a Word document"),
    ("empty-docx", _empty_docx, "empty", "no text"),
    (
        "garbage-pdf",
        _write("乱码.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8),
        "corrupt_pdf",
        "damaged",
    ),
    ("truncated-pdf", _truncated_pdf, "corrupt_pdf", "damaged"),
    ("no-pages-pdf", _no_pages_pdf, "corrupt_pdf", "no pages"),
    ("encrypted-pdf", _encrypted_pdf, "encrypted_pdf", "password"),
    ("scanned-pdf", _scanned_pdf, "no_text", "OCR"),
]


@pytest.mark.parametrize(
    ("build", "code", "phrase"),
    [pytest.param(*case[1:], id=case[0]) for case in ERROR_CASES],
)
def test_problem_files_give_clear_errors(
    tmp_path: Path, font: Path, build: Callable[[Path, Path], Path], code: str, phrase: str
) -> None:
    path = build(tmp_path, font)
    report = read_report(path)
    assert report.error_code == code
    assert report.error is not None
    assert report.error.startswith(f"{path}: ")
    assert phrase in report.error
    assert report.text == ""
    assert report.path == path
    if path.is_file():  # the bytes were read: the digest identifies them
        assert report.sha256 == sha256(path)
    else:
        assert report.sha256 == ""


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "锁定.txt"
    path.write_text("得分 95 分", encoding="utf-8")
    real_open = os.open

    def refuse(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(file)) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    report = read_report(path)
    assert report.error_code == "permission"
    assert report.error is not None and report.error.startswith(f"{path}: permission denied")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = tmp_path / "锁定.txt"
    path.write_text("得分 95 分", encoding="utf-8")
    path.chmod(0)
    try:
        assert read_report(path).error_code == "permission"
    finally:
        path.chmod(0o644)


def test_readers_are_imported_lazily() -> None:
    code = (
        "import sys, core.reading\n"
        "assert 'docx' not in sys.modules and 'pypdfium2' not in sys.modules, sys.modules.keys()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------------------------------------
# Finding files


def _touch(path: Path, data: bytes = b"x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_find_reports_in_a_tree(tmp_path: Path) -> None:
    root = tmp_path / "报告"
    for name in [
        "b.txt",
        "A.PDF",
        "c.docx",
        "~$c.docx",
        "旧.doc",
        "表.xlsx",
        "说明",
        "sub/d.md",
        "sub/deeper/e.wps",
        "sub/deeper/f.png",
        ".hidden/g.txt",
        ".h.txt",
    ]:
        _touch(root / name)
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "sub" / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    single = tmp_path / "单个.txt"
    _touch(single)
    missing = tmp_path / "缺失"

    found = find_reports([root, single, missing, root / "b.txt"])

    assert found.reports == (
        root / "A.PDF",
        root / "b.txt",
        root / "c.docx",
        root / "sub" / "broken.txt",  # named like a report: reading it says what is wrong
        root / "sub" / "d.md",
        root / "sub" / "deeper" / "e.wps",
        root / "旧.doc",
        single,
    )
    assert found.skipped == (
        (root / "sub" / "deeper" / "f.png", "not a report file (.png)"),
        (root / "sub" / "loop", "folder already searched (a link back into the tree)"),
        (root / "~$c.docx", "temporary lock file of Word/WPS (the document is open there)"),
        (root / "表.xlsx", "not a report file (.xlsx)"),
        (root / "说明", "not a report file (no suffix)"),
        (missing, "no such file or folder"),
        (root / "b.txt", f"same file as {root / 'b.txt'}"),
    )
    assert find_reports([root, single, missing, root / "b.txt"]) == found  # stable


def test_find_reports_survives_unreadable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    _touch(locked / "a.txt")
    _touch(tmp_path / "ok.txt")
    real_scandir = os.scandir

    def refuse(path: object) -> object:
        if Path(str(path)) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refuse)
    found = find_reports([tmp_path])
    assert found.reports == (tmp_path / "ok.txt",)
    assert found.skipped == ((locked, "cannot open folder: permission denied"),)


def test_find_reports_given_unsupported_file(tmp_path: Path) -> None:
    _touch(tmp_path / "data.XLSX")
    found = find_reports([tmp_path / "data.XLSX"])
    assert found == type(found)((), ((tmp_path / "data.XLSX", "not a report file (.xlsx)"),))


def test_pdf_errors_do_not_leak_into_the_next_file(tmp_path: Path, font: Path) -> None:
    # PDFium keeps its last error across calls: a page-less PDF read after an encrypted one
    # must not be reported as encrypted.
    encrypted = read_report(_encrypted_pdf(tmp_path, font))
    no_pages = read_report(_no_pages_pdf(tmp_path, font))
    good = read_report(write_pdf(tmp_path / "好.pdf", PAGE_TEXTS[:1], font))
    assert (encrypted.error_code, no_pages.error_code, good.error_code) == (
        "encrypted_pdf",
        "corrupt_pdf",
        None,
    )
    assert no_pages.error is not None and "no pages" in no_pages.error


def test_real_path_is_realpath_for_files_links_and_loops(tmp_path: Path) -> None:
    from core.reading import real_path, relative_name

    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (batch / "a.txt").write_text("甲", encoding="utf-8")
    (elsewhere / "b.txt").write_text("乙", encoding="utf-8")
    (batch / "linked.txt").symlink_to(elsewhere / "b.txt")
    (batch / "sub" / "back").symlink_to(batch)
    (batch / "loop.txt").symlink_to(batch / "loop.txt")
    (tmp_path / "alias").symlink_to(batch)
    paths = [
        batch / "a.txt",
        batch / "linked.txt",
        batch / "sub" / "back" / "a.txt",
        batch / "loop.txt",
        tmp_path / "alias" / "a.txt",
        tmp_path / "alias" / "sub" / "back" / "sub",
        batch / "missing.txt",
    ]
    for path in paths:
        assert real_path(path) == os.path.realpath(path), path
    root = real_path(tmp_path / "alias")
    assert relative_name(tmp_path / "alias" / "sub" / "back" / "a.txt", root) == "a.txt"
    assert relative_name(batch / "linked.txt", root) is None  # its content lives elsewhere
