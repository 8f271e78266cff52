"""Why a file could not be read or was passed over, in the reader's language.

core.reading writes its problems in English from the templates below; `problem_text` and
`translate` give them in Chinese. A template's `{name}` parts (a number, a suffix, a path, an
error from the system) are carried over as written."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from core.cleaning import inert_name
from core.models import Report

PROBLEMS: dict[str, str] = {
    # Finding files
    "temporary lock file of Word/WPS (the document is open there)": (
        "Word/WPS 的临时锁定文件（该文档正在 Word/WPS 中打开）"
    ),
    "not a report file (no suffix)": "不是报告文件（没有扩展名）",
    "not a report file ({suffix})": "不是报告文件（{suffix}）",
    "same file as {path}": "与 {path} 是同一个文件",
    "folder already searched (a link back into the tree)": "文件夹已查找过（指回上级目录的链接）",
    "cannot open folder: permission denied": "无法打开文件夹：没有权限",
    "cannot open folder: {reason}": "无法打开文件夹：{reason}",
    "cannot be examined: {reason}": "无法查看：{reason}",
    "broken link: its target does not exist": "失效的链接：指向的文件不存在",
    "no such file or folder": "文件或文件夹不存在",
    # Reading one file
    "no such file": "文件不存在",
    "this is a folder, not a file": "这是文件夹，不是文件",
    "not a regular file": "不是普通文件（是管道、设备等），无法读取",
    "permission denied: the file cannot be opened": "没有权限，无法读取文件",
    "a link that leads back to itself (link loop): it cannot be read": (
        "链接循环（链接最终指回自己），无法读取"
    ),
    "cannot be read ({reason})": "无法读取（{reason}）",
    "the file is empty (0 bytes)": "文件是空的（0 字节）",
    "too large for a report ({size} MB; text files are read up to {limit} MB)": (
        "文件过大，不像是报告（{size} MB；文本文件最大读取 {limit} MB）"
    ),
    "too large ({size} MB; .docx and .pdf files are read up to {limit} MB)": (
        "文件过大（{size} MB；.docx 和 .pdf 文件最大读取 {limit} MB）"
    ),
    "the .docx file is too large when unpacked: {part} is {size} MB "
    "(parts are read up to {limit} MB)": (
        ".docx 文件解压后过大：{part} 有 {size} MB（每部分最大读取 {limit} MB）"
    ),
    "the .docx file is too large when unpacked: {size} MB in all (read up to {limit} MB)": (
        ".docx 文件解压后过大：共 {size} MB（最大读取 {limit} MB）"
    ),
    "this is not a text file (it contains binary data)": "不是文本文件（含有二进制数据）",
    "the file contains no text (only whitespace)": "文件里没有文字（只有空白）",
    "the Word file is password-protected: remove the password in Word or WPS "
    "and save it again as .docx": (
        "Word 文件设有密码：请在 Word 或 WPS 中取消密码后重新保存为 .docx"
    ),
    "the .docx file is damaged or is not a Word document (it cannot be opened)": (
        ".docx 文件已损坏或不是 Word 文档（无法打开）"
    ),
    "the document contains no text": "文档里没有文字",
    "old binary Word/WPS format (.doc/.wps) cannot be read: "
    "open it in Word or WPS and save it as .docx": (
        "旧的 Word/WPS 二进制格式（.doc/.wps）无法读取：请在 Word 或 WPS 中打开后另存为 .docx"
    ),
    "the PDF is password-protected: remove the password first": "PDF 设有密码：请先取消密码",
    "the PDF file is damaged or is not a PDF (it cannot be opened)": (
        "PDF 文件已损坏或不是 PDF（无法打开）"
    ),
    "the PDF has no pages": "PDF 没有页面",
    "the PDF file is damaged: page {page} cannot be read": "PDF 文件已损坏：第 {page} 页无法读取",
    "the PDF has no text on its only page (a scanned image?): it needs OCR first": (
        "PDF 仅有的一页没有文字（是扫描件？）：需要先做文字识别（OCR）"
    ),
    "the PDF has no text on any of its {pages} pages (a scanned image?): it needs OCR first": (
        "PDF 的 {pages} 页都没有文字（是扫描件？）：需要先做文字识别（OCR）"
    ),
    # Extracting
    "{path}: the pattern {pattern} of fields.patterns.{field} in {source} took longer than "
    "{seconds} s and was left out (the built-in wordings were used)": (
        "{path}：{source} 中 fields.patterns.{field} 的正则表达式 {pattern} 运行超过 {seconds} 秒，"
        "已弃用（仍按内置写法提取）"
    ),
    # Warnings of a report that was read (Report.warnings)
    "page {page}: no text on this page (scanned image? needs OCR)": (
        "第 {page} 页没有文字（是扫描件？需要文字识别 OCR）"
    ),
    "page {page}: unmapped glyphs: text cannot be read (needs OCR)": (
        "第 {page} 页的字形无法映射为文字（需要文字识别 OCR）"
    ),
    "encoding uncertain: read as {encoding} ({how})": "编码不能确定：按 {encoding} 读取（{how}）",
    # (the longest of these first: the shorter ones' last field would take in its tail)
    "encoding uncertain: read as {encoding} except {size} bytes in {places} region(s) that do "
    "not fit it (lines {lines}), read as {other} where they fit it, else shown as \ufffd": (
        "编码不能确定：按 {encoding} 读取，但有 {places} 处共 {size} 字节不符合该编码"
        "（第 {lines} 行）：能按 {other} 读取的已按 {other} 读取，其余显示为 \ufffd"
    ),
    "encoding uncertain: read as {encoding} except {size} bytes in {places} region(s) that do "
    "not fit it (lines {lines}), read as {other}": (
        "编码不能确定：按 {encoding} 读取，但有 {places} 处共 {size} 字节不符合该编码"
        "（第 {lines} 行），已按 {other} 读取"
    ),
    "encoding uncertain: read as {encoding} except {size} bytes in {places} region(s) that do "
    "not fit it (lines {lines}), shown as \ufffd": (
        "编码不能确定：按 {encoding} 读取，但有 {places} 处共 {size} 字节不符合该编码"
        "（第 {lines} 行），显示为 \ufffd"
    ),
    "{count} NUL bytes (lines {lines}) were dropped": (
        "文本中夹有 {count} 个空字符（NUL，第 {lines} 行），已删除"
    ),
    # Reading notes of a poor copy (core.poor_copy)
    "poor copy: pinyin glosses in the text (預(yù)算) were ignored": (
        "文本为转载劣质副本：字后夹注的拼音（如 預(yù)算）已忽略"
    ),
    "poor copy: words spaced out character by character were read joined": (
        "文本为转载劣质副本：逐字空格隔开的词已连读"
    ),
    "poor copy: OCR slips (万兀, 预匏, IO for 10) were read as what they stand for": (
        "文本为识别（OCR）劣质副本：万兀、预匏、IO（10）等识别错字已按原意读取"
    ),
    "poor copy: traditional characters were read as simplified": (
        "文本为繁体转载副本：繁体字已按简体读取"
    ),
}
"""English template → Chinese template."""

_FIELD = re.compile(r"\\\{(\w+)\\\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(_FIELD.sub(r"(?P<\1>.+)", re.escape(en)), re.DOTALL), zh)
        for en, zh in PROBLEMS.items()
    )


def translate(problem: str, lang: str) -> str:
    """A problem of core.reading in the language asked for ("zh" or "en")."""
    if lang == "en":
        return problem
    for pattern, zh in _patterns():
        found = pattern.fullmatch(problem)
        if found:
            return zh.format(**found.groupdict())
    return problem


def problem_text(report: Report, lang: str) -> str | None:
    """Why a report could not be read, naming its file, in the language asked for; None when it
    was read."""
    return problem_of(report.path, report.error, lang)


def reason_of(path: Path, error: str | None, lang: str) -> str | None:
    """Why a report could not be read, in the language asked for, without its file's name (for
    a listing that shows the name beside it); None when it was read."""
    if error is None:
        return None
    return translate(error.removeprefix(f"{path}: "), lang)


def problem_of(path: Path, error: str | None, lang: str) -> str | None:
    """`problem_text` for a report known by its path and its error (`Report.error`); the path
    shown on one line (`inert_name`)."""
    if error is None:
        return None
    prefix = f"{path}: "
    if not error.startswith(prefix):
        return translate(error, lang)
    separator = ": " if lang == "en" else "："
    return f"{inert_name(str(path))}{separator}{translate(error[len(prefix) :], lang)}"
