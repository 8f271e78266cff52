"""A corpus of bad inputs built on disk by the tests (nothing binary is committed).

Each case is a file (or folder) next to good reports in one batch folder, with the words its
message must contain in Chinese and in English. Built once per session: the big files cost
about a second."""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.docs import make_cjk_font, write_docx, write_pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_reports"
GOOD = sorted(SAMPLES.glob("*.txt"))[:2]
"""Real reports put in the batch: they must come out whole whatever sits next to them."""

SAMPLE_TEXT = GOOD[0].read_text(encoding="utf-8")
BIG_TEXT_BYTES = 50 * 1024 * 1024
LONG_LINE_BYTES = 1024 * 1024
BOMB_EXPANDED_BYTES = 120 * 1024 * 1024
NON_REPORTS = 10_000


@dataclass(frozen=True)
class Case:
    """One bad input and what the user must be told about it."""

    id: str
    name: str
    """File or folder name inside the batch (relative path)."""
    zh: str
    """Words the Chinese message contains ("" when the file is read: no message)."""
    en: str
    """Words the English message contains."""
    read: bool = False
    """True when the file is a report that must be read (with or without figures)."""


def _zip_bomb_docx(path: Path) -> None:
    """A real .docx whose document.xml expands to BOMB_EXPANDED_BYTES (a few hundred KB on
    disk): valid XML, so a reader without a size limit would parse all of it."""
    source = path.with_suffix(".src.docx")
    write_docx(source, ["一、部门概况"])
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    head += b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    head += b"<w:body>"
    paragraph = "<w:p><w:r><w:t>支出合计 1 万元</w:t></w:r></w:p>".encode()
    chunk = paragraph * (1024 * 1024 // len(paragraph))
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            if item.filename != "word/document.xml":
                new.writestr(item, old.read(item))
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with new.open(info, "w", force_zip64=True) as out:
            out.write(head)
            written = len(head)
            while written < BOMB_EXPANDED_BYTES:
                out.write(chunk)
                written += len(chunk)
            out.write(b"</w:body></w:document>")
    source.unlink()


def _lying_docx(path: Path) -> None:
    """A .docx whose central directory declares document.xml 4 GB long."""
    write_docx(path, ["一、部门概况"])
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.find(b"PK\x05\x06"))
    while central >= 0:
        name_len = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_len] == name:
            data[central + 24 : central + 28] = (0xFFFFFFF0).to_bytes(4, "little")
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    path.write_bytes(bytes(data))


def _encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "secret")
    pdf.output(str(path))


def build_corpus(folder: Path) -> list[Case]:
    """Write the bad inputs and two good reports into `folder`; the cases, in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    for good in GOOD:
        shutil.copy(good, folder / good.name)
    cases: list[Case] = []

    def add(case: Case, data: bytes | None = None) -> Path:
        path = folder / case.name
        if data is not None:
            path.write_bytes(data)
        cases.append(case)
        return path

    add(Case("empty", "空文件.txt", "文件是空的", "empty"), b"")
    add(
        Case("binary-txt", "照片.txt", "不是文本文件", "not a text file"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64,
    )
    truncated = add(Case("truncated-docx", "截断的报告.docx", "已损坏", "damaged"))
    write_docx(truncated, [SAMPLE_TEXT[:2000]])
    truncated.write_bytes(truncated.read_bytes()[:3000])
    bomb = add(Case("zip-bomb-docx", "压缩炸弹.docx", "过大", "too large"))
    _zip_bomb_docx(bomb)
    _lying_docx(add(Case("huge-declared-docx", "声明过大.docx", "过大", "too large")))
    _encrypted_pdf(add(Case("encrypted-pdf", "加密.pdf", "密码", "password")))
    add(
        Case("corrupt-pdf", "损坏.pdf", "已损坏", "damaged"),
        b"%PDF-1.7\n" + bytes(range(256)) * 32,
    )
    font = make_cjk_font(folder.parent / "font.ttf", "一")
    write_pdf(
        add(Case("image-only-pdf", "扫描件.pdf", "OCR", "OCR")), ["", ""], font, image_pages=[0, 1]
    )
    big = SAMPLE_TEXT.encode("utf-8")
    add(
        Case("50mb-text", "超大文本.txt", "过大", "too large"),
        big * (BIG_TEXT_BYTES // len(big) + 1),
    )
    add(Case("gbk-no-bom", "国标编码.txt", "", "", read=True), SAMPLE_TEXT.encode("gbk"))
    add(Case("utf16-no-bom", "十六位编码.txt", "", "", read=True), SAMPLE_TEXT.encode("utf-16-le"))
    lines = SAMPLE_TEXT.split("\n")
    mixed = "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(lines))
    add(Case("mixed-line-endings", "混合换行.txt", "", "", read=True), mixed.encode("utf-8"))
    add(
        Case("nul-bytes", "空字符.txt", "不是文本文件", "not a text file"),
        SAMPLE_TEXT.replace("。", "。\x00").encode("utf-8"),
    )
    one_line = SAMPLE_TEXT.replace("\n", " ").encode("utf-8")
    add(
        Case("1mb-line", "一行.txt", "", "", read=True),
        one_line * (LONG_LINE_BYTES // len(one_line) + 1),
    )
    add(
        Case("spaces-and-chinese-name", "徐闻县 前山镇 2024 自评 报告.txt", "", "", read=True),
        SAMPLE_TEXT.encode("utf-8"),
    )
    loop = add(Case("symlink-loop", "循环链接.txt", "链接循环", "link loop"))
    os.symlink(loop.name, loop)
    (folder / "回环目录").symlink_to(".", target_is_directory=True)
    root = os.geteuid() == 0
    unreadable = add(
        Case(
            "unreadable",
            "无权限.txt",
            *(
                ("不是普通文件", "not a regular file")
                if root
                else ("没有权限", "permission denied")
            ),
        )
    )
    if root:
        # Root reads a chmod 000 file: a FIFO is a .txt that can never be read as a file.
        os.mkfifo(unreadable)
    else:
        unreadable.write_text(SAMPLE_TEXT, encoding="utf-8")
        unreadable.chmod(0)
    attachments = folder / "附件"
    attachments.mkdir()
    for i in range(NON_REPORTS):
        (attachments / f"{i:05d}.png").write_bytes(b"")
    add(
        Case("no-figures", "没有数字.txt", "", "", read=True),
        "2023年度部门整体支出绩效自评报告\n一、部门概况\n本单位认真开展各项工作。\n".encode(),
    )
    return cases


def release(folder: Path) -> None:
    """Give back permissions so the folder can be removed."""
    for path in folder.rglob("*"):
        if not path.is_symlink() and path.is_file():
            path.chmod(0o644)
