"""Finding report files and reading them (.txt, .md, .docx, .pdf) into cleaned display text."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.cleaning import clean_text
from core.encodings import DecodedText, decode_text, lines_at, looks_binary
from core.models import Page, Report

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
OLD_WORD_SUFFIXES = (".doc", ".wps")
"""Old binary Word/WPS files: listed as reports so that reading them explains what to do."""
OLD_WORD_KINDS = ("doc", "wps")

NO_TEXT_ON_PAGE = "no text on this page (scanned image? needs OCR)"
UNMAPPED_GLYPHS = "unmapped glyphs: text cannot be read (needs OCR)"
UNMAPPED_SHARE = 0.3
"""Share of unreadable characters above which a PDF page's text is not trusted."""

MB = 1024 * 1024
MAX_TEXT_BYTES = 5 * MB
"""Largest .txt/.md file read: a long report is under 1 MB; a bigger one is not a report."""
MAX_FILE_BYTES = 200 * MB
"""Largest .docx/.pdf file read (the file is read into memory)."""
MAX_DOCX_PART_BYTES = 20 * MB
"""Largest unpacked size of one part of a .docx (document.xml of a long report: ~2 MB)."""
MAX_DOCX_BYTES = 200 * MB
"""Largest unpacked size of a whole .docx, pictures included (as declared by the archive,
which the unpacking does not exceed)."""

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


@dataclass(frozen=True)
class FoundFiles:
    """Report files found under the paths given, and what was left out and why."""

    reports: tuple[Path, ...]
    skipped: tuple[tuple[Path, str], ...]
    real_paths: tuple[str, ...] = ()
    """Each report's real path (links and `..` resolved), as `real_path` gives it."""


class _ReadError(Exception):
    """A file problem, with a stable key and a plain-words explanation."""

    def __init__(self, code: str, problem: str) -> None:
        super().__init__(problem)
        self.code = code
        self.problem = problem


# ---------------------------------------------------------------------------------------------
# Finding files


def _classify(path: Path) -> str | None:
    """None when the file is a report to read, else why it is skipped."""
    suffix = path.suffix.lower()
    if path.name.startswith("~$"):
        return "temporary lock file of Word/WPS (the document is open there)"
    if suffix in SUPPORTED_SUFFIXES or suffix in OLD_WORD_SUFFIXES:
        return None
    return f"not a report file ({suffix})" if suffix else "not a report file (no suffix)"


def real_path(path: Path | str) -> str:
    """`os.path.realpath`, faster on many files of few folders: a file that is not itself a
    link is its folder's real path plus its name. (Not Path.resolve: that raises on a link
    loop.)"""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_folder(folder or "."), name)


@lru_cache(maxsize=1024)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def relative_name(path: Path | str, root: str, *, real: str | None = None) -> str | None:
    """The path of a file under the real folder `root`, relative to it with / separators;
    None when the file is elsewhere. `real`: the file's real path, when known."""
    real = real or real_path(path)
    prefix = root.rstrip(os.sep) + os.sep
    return Path(real[len(prefix) :]).as_posix() if real.startswith(prefix) else None


class _Finder:
    def __init__(self) -> None:
        self.reports: list[Path] = []
        self.real_paths: list[str] = []
        self.skipped: list[tuple[Path, str]] = []
        self.seen_files: dict[str, Path] = {}
        self.seen_folders: set[str] = set()

    def add_file(self, path: Path, real: str | None = None) -> None:
        reason = _classify(path)
        if reason is not None:
            self.skipped.append((path, reason))
            return
        real = real or real_path(path)
        if real in self.seen_files:
            self.skipped.append((path, f"same file as {self.seen_files[real]}"))
            return
        self.seen_files[real] = path
        self.reports.append(path)
        self.real_paths.append(real)

    def walk(self, folder: Path) -> None:
        real = real_path(folder)
        if real in self.seen_folders:
            self.skipped.append((folder, "folder already searched (a link back into the tree)"))
            return
        self.seen_folders.add(real)
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except PermissionError:
            self.skipped.append((folder, "cannot open folder: permission denied"))
            return
        except OSError as exc:
            self.skipped.append((folder, f"cannot open folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            path = folder / entry.name
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
                # Not a link: its real path is the folder's plus its name, no system call.
                real_file = None if entry.is_symlink() else os.path.join(real, entry.name)
            except OSError as exc:
                is_dir, is_file, real_file = False, False, None
                if _classify(path) is not None:
                    self.skipped.append((path, f"cannot be examined: {exc.strerror or exc}"))
                    continue
            if is_dir:
                self.walk(path)
            elif is_file or _classify(path) is None:
                # Named like a report but not a regular file (a link loop, a broken link, a
                # pipe): listed, so that reading it says what is wrong where reports are shown.
                self.add_file(path, real_file)
            elif entry.is_symlink():
                self.skipped.append((path, "broken link: its target does not exist"))
            else:
                self.skipped.append((path, "not a regular file"))


def find_reports(paths: Sequence[Path]) -> FoundFiles:
    """The report files among the given files and folders (folders searched recursively, in
    sorted order, hidden folders and files left out), and the paths skipped with a reason."""
    finder = _Finder()
    for path in paths:
        try:
            if path.is_dir():
                finder.walk(path)
            elif path.is_file():
                finder.add_file(path)
            elif os.path.lexists(path) and _classify(path) is None:
                finder.add_file(path)  # a pipe, a link loop: reading it says so
            elif os.path.lexists(path) and not path.is_symlink():
                finder.skipped.append((path, "not a regular file"))
            else:
                finder.skipped.append((path, "no such file or folder"))
        except OSError as exc:
            finder.skipped.append((path, f"cannot be examined: {exc.strerror or exc}"))
    return FoundFiles(tuple(finder.reports), tuple(finder.skipped), tuple(finder.real_paths))


# ---------------------------------------------------------------------------------------------
# Reading one file


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def _check_size(size: int, kind: str) -> None:
    if kind in ("txt", "md") and size > MAX_TEXT_BYTES:
        raise _ReadError(
            "too_large",
            f"too large for a report ({_megabytes(size)} MB; "
            f"text files are read up to {_megabytes(MAX_TEXT_BYTES)} MB)",
        )
    if size > MAX_FILE_BYTES:
        raise _ReadError(
            "too_large",
            f"too large ({_megabytes(size)} MB; "
            f".docx and .pdf files are read up to {_megabytes(MAX_FILE_BYTES)} MB)",
        )


def _read_bytes(path: Path, kind: str) -> bytes:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise _ReadError("not_a_file", "this is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise _ReadError("not_a_file", "not a regular file")
        _check_size(info.st_size, kind)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise _ReadError("not_found", "no such file") from None
    except PermissionError:
        raise _ReadError("permission", "permission denied: the file cannot be opened") from None
    except IsADirectoryError:
        raise _ReadError("not_a_file", "this is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _ReadError(
                "link_loop", "a link that leads back to itself (link loop): it cannot be read"
            ) from None
        raise _ReadError("unreadable", f"cannot be read ({exc.strerror or exc})") from None


def _text_report(path: Path, data: bytes, kind: str, digest: str) -> Report:
    if looks_binary(data):
        raise _ReadError("binary", "this is not a text file (it contains binary data)")
    decoded = decode_text(data)
    text = clean_text(decoded.text)
    if not text.strip():
        raise _ReadError("empty", "the file contains no text (only whitespace)")
    note = f"uncertain: {decoded.how}" if decoded.uncertain else decoded.how
    warnings: list[str] = []
    if decoded.misfits:
        warnings.append(_misfits_note(decoded))
    elif decoded.uncertain:
        warnings.append(f"encoding uncertain: read as {decoded.encoding} ({decoded.how})")
    nuls = _nul_positions(decoded.text)
    if nuls:
        lines = _line_list(lines_at(decoded.text, nuls))
        warnings.append(f"{len(nuls)} NUL bytes (lines {lines}) were dropped")
    return Report(
        path=path,
        sha256=digest,
        text=text,
        kind=kind,
        encoding=decoded.encoding,
        encoding_note=note,
        warnings=tuple(warnings),
    )


LINES_NAMED = 10
"""Lines a reading note names before it stops at "…"."""


def _line_list(lines: Sequence[int]) -> str:
    """ "3, 17, 40", distinct lines in order, the first LINES_NAMED of them then "…"."""
    distinct = sorted(set(lines))
    named = ", ".join(str(line) for line in distinct[:LINES_NAMED])
    return named + (", …" if len(distinct) > LINES_NAMED else "")


def _misfits_note(decoded: DecodedText) -> str:
    """The reading note of a file read by the majority: how many bytes did not fit the
    encoding, in how many regions, on which lines, and what was made of them."""
    misfits = decoded.misfits
    size = sum(m.size for m in misfits)
    lines = _line_list([m.line for m in misfits])
    others = {m.read_as for m in misfits}
    other = next((m.read_as for m in misfits if m.read_as), "")
    head = (
        f"encoding uncertain: read as {decoded.encoding} except {size} bytes in "
        f"{len(misfits)} region(s) that do not fit it (lines {lines}), "
    )
    if None not in others:
        return head + f"read as {other}"
    if len(others) == 1:
        return head + "shown as \ufffd"
    return head + f"read as {other} where they fit it, else shown as \ufffd"


def _nul_positions(text: str) -> list[int]:
    """Where the text holds NUL characters (the display text drops them)."""
    positions: list[int] = []
    found = text.find("\x00")
    while found != -1:
        positions.append(found)
        found = text.find("\x00", found + 1)
    return positions


# --- Word ------------------------------------------------------------------------------------

_SKIP_INLINE = frozenset(
    _W + name for name in ("del", "delText", "instrText", "moveFrom", "pPr", "rPr", "sdtPr")
) | {_MC + "Fallback"}


def _inline_text(element: Any) -> Iterator[str]:
    """The text of a paragraph's content, in order: runs inside insertions, hyperlinks, content
    controls and smart tags included; deletions and field instructions left out."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_INLINE:
            continue
        if tag == _W + "t":
            yield child.text or ""
        elif tag in (_W + "tab", _W + "ptab"):
            yield "\t"
        elif tag in (_W + "br", _W + "cr"):
            yield "\n"
        elif tag == _W + "noBreakHyphen":
            yield "-"
        elif tag == _W + "p":  # a paragraph in a text box
            yield "\n"
            yield from _inline_text(child)
        else:
            yield from _inline_text(child)


def _paragraph_text(paragraph: Any) -> str:
    return "".join(_inline_text(paragraph))


def _unwrap(element: Any, wanted: str) -> Iterator[Any]:
    """Children with the wanted tag, looking through content controls and custom XML."""
    for child in element:
        tag = child.tag
        if tag == wanted:
            yield child
        elif tag in (_W + "sdt", _W + "customXml", _W + "ins", _W + "moveTo"):
            content = child.find(_W + "sdtContent") if tag == _W + "sdt" else child
            if content is not None:
                yield from _unwrap(content, wanted)


def _is_merge_continuation(cell: Any) -> bool:
    merge = cell.find(f"{_W}tcPr/{_W}hMerge")
    return merge is not None and merge.get(_W + "val") != "restart"


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs (and nested tables) on one line, without tabs or line breaks."""
    parts = [part for part in _block_lines(cell) if part.strip()]
    return " ".join(parts).replace("\t", " ").replace("\n", " ")


def _table_lines(table: Any) -> Iterator[str]:
    for row in _unwrap(table, _W + "tr"):
        cells = [cell for cell in _unwrap(row, _W + "tc") if not _is_merge_continuation(cell)]
        yield "\t".join(_cell_text(cell) for cell in cells)


def _block_lines(container: Any) -> Iterator[str]:
    """One line per paragraph and per table row, in document order."""
    for child in container:
        tag = child.tag
        if tag == _W + "p":
            yield _paragraph_text(child)
        elif tag == _W + "tbl":
            yield from _table_lines(child)
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _block_lines(content)
        elif tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
            yield from _block_lines(child)


def _docx_report(path: Path, data: bytes, digest: str) -> Report:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OOXML in data:
            raise _ReadError(
                "encrypted_docx",
                "the Word file is password-protected: remove the password in Word or WPS "
                "and save it again as .docx",
            )
        raise _old_format()
    _check_unpacked_size(data)
    import docx  # lazily: start-up time matters

    try:
        body = docx.Document(io.BytesIO(data)).element.body
        raw = "\n".join(_block_lines(body))
    except Exception:  # python-docx, zipfile and lxml raise many kinds
        raise _ReadError(
            "corrupt_docx",
            "the .docx file is damaged or is not a Word document (it cannot be opened)",
        ) from None
    text = clean_text(raw)
    if not text.strip():
        raise _ReadError("empty", "the document contains no text")
    return Report(path=path, sha256=digest, text=text, kind="docx")


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a .docx whose parts would unpack to more than the limits (a "zip bomb"). The
    sizes are those the archive declares: unpacking stops there (zipfile checks the CRC)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx says it is damaged
    for part in parts:
        if part.file_size > MAX_DOCX_PART_BYTES:
            raise _ReadError(
                "too_large",
                f"the .docx file is too large when unpacked: {part.filename} is "
                f"{_megabytes(part.file_size)} MB (parts are read up to "
                f"{_megabytes(MAX_DOCX_PART_BYTES)} MB)",
            )
    total = sum(part.file_size for part in parts)
    if total > MAX_DOCX_BYTES:
        raise _ReadError(
            "too_large",
            f"the .docx file is too large when unpacked: {_megabytes(total)} MB in all "
            f"(read up to {_megabytes(MAX_DOCX_BYTES)} MB)",
        )


def _old_format() -> _ReadError:
    return _ReadError(
        "old_format",
        "old binary Word/WPS format (.doc/.wps) cannot be read: "
        "open it in Word or WPS and save it as .docx",
    )


# --- PDF -------------------------------------------------------------------------------------


def _unmapped_share(raw: str) -> float:
    """Share of the visible characters that are replacement, private-use or control glyphs
    (PDFium gives the glyph codes of a font without a ToUnicode map as control characters)."""
    visible = [ch for ch in raw if ch not in " \t\n\r" and unicodedata.category(ch) != "Zs"]
    if not visible:
        return 0.0
    bad = sum(1 for ch in visible if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc"))
    return bad / len(visible)


def _page_problem(raw: str, text: str) -> str | None:
    if _unmapped_share(raw) > UNMAPPED_SHARE:
        return UNMAPPED_GLYPHS
    if not text.strip():
        return NO_TEXT_ON_PAGE
    return None


# A line that runs to the right margin and does not end a sentence was wrapped by the layout,
# not by the author: "项目支出2,872.4" + "4万元" is one line of text.
_SENTENCE_END = tuple("。；;！!？?：:")
_LIST_MARKER_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]{1,2}[.、．](?![0-9]))"
)


_FIRST_WORD_RE = re.compile(r"\s*(?:[0-9A-Za-z.,%％·\-]+|.)")


def _unwrapped_text(textpage: Any, page_width: float) -> tuple[str, bool]:
    """A page's text with the layout's soft line wraps joined, and whether its last line runs
    on to the next page.

    A line was wrapped by the layout when the first word of the next line would not have fitted
    after it (a number such as 4,898.86 is never split by a typesetter, so the line before it
    may end short of the margin) and it does not end a sentence.
    """
    raw = textpage.get_text_range()
    lines = raw.replace("\r\n", "\n").split("\n")
    # Character indices are UTF-16 units; PDFium counts each generated "\r\n" as two.
    starts, index = [], 0
    for line in lines:
        starts.append(index)
        index += len(line.encode("utf-16-le")) // 2 + 2

    def box(i: int) -> tuple[float, float, float, float]:
        left, bottom, right, top = textpage.get_charbox(i)
        return left, bottom, right, top

    rights: list[float | None] = []
    lefts: list[float] = []
    first_words: list[float] = []
    char_widths: list[float] = []
    for line, start in zip(lines, starts, strict=True):
        width = len(line.encode("utf-16-le")) // 2
        if line and textpage.get_text_range(start, width) != line:
            return "\n".join(lines), False  # indices do not line up: leave the lines as they are
        if not line.strip():
            rights.append(None)
            first_words.append(0.0)
            continue
        last_char = box(start + width - 1)
        rights.append(last_char[2])
        char_widths.append(last_char[2] - last_char[0])
        lefts.append(box(start + len(line) - len(line.lstrip()))[0])
        word = _FIRST_WORD_RE.match(line)
        word_end = start + len(word.group(0).encode("utf-16-le")) // 2 - 1 if word else start
        first_words.append(box(word_end)[2] - box(start)[0])
    known = [r for r in rights if r is not None]
    if len(known) < 3:
        return "\n".join(lines), False
    # The text block's right edge: the longest line, or the left margin mirrored on a page of
    # short lines (a table).
    margin = max(max(known), page_width - min(lefts))
    char = sorted(char_widths)[len(char_widths) // 2] or 1.0

    def runs_on(i: int, next_word: float) -> bool:
        right = rights[i]
        return (
            right is not None
            and right + next_word + 0.5 * char >= margin - 1.0
            and not lines[i].rstrip().endswith(_SENTENCE_END)
        )

    out = lines[0]
    for i in range(1, len(lines)):
        wrapped = (
            lines[i].strip() != ""
            and runs_on(i - 1, first_words[i])
            and not _LIST_MARKER_RE.match(lines[i])
        )
        out += ("" if wrapped else "\n") + lines[i]
    last = max((i for i, line in enumerate(lines) if line.strip()), default=0)
    # The next page's first word is unknown: allow a word of up to six characters.
    return out.rstrip("\n"), runs_on(last, 6 * char)


def _pdf_page_texts(data: bytes) -> list[tuple[str, bool]]:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # lazily: start-up time
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    # Loaded through the raw API: after a document without pages "loads", PDFium's last error
    # is whatever an earlier file left behind, so PdfDocument(data) would misreport it.
    raw = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
    if not raw:
        if pdfium_c.FPDF_GetLastError() in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise _ReadError(
                "encrypted_pdf", "the PDF is password-protected: remove the password first"
            )
        raise _ReadError(
            "corrupt_pdf", "the PDF file is damaged or is not a PDF (it cannot be opened)"
        )
    document = pdfium.PdfDocument(raw)  # takes ownership: closing it closes the document
    texts: list[tuple[str, bool]] = []
    try:
        if len(document) == 0:
            raise _ReadError("corrupt_pdf", "the PDF has no pages")
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    texts.append(_unwrapped_text(textpage, page.get_width()))
                finally:
                    textpage.close()
            finally:
                page.close()
    except _ReadError:
        raise
    except Exception:  # PdfiumError, or anything else a damaged file provokes
        raise _ReadError(
            "corrupt_pdf", f"the PDF file is damaged: page {len(texts) + 1} cannot be read"
        ) from None
    finally:
        document.close()
    return texts


def _pdf_report(path: Path, data: bytes, digest: str) -> Report:
    raws = _pdf_page_texts(data)
    pages: list[Page] = []
    parts: list[str] = []
    warnings: list[str] = []
    offset = 0
    runs_on = False
    for number, (raw, next_runs_on) in enumerate(raws, start=1):
        text = clean_text(raw)
        problem = _page_problem(raw, text)
        if number > 1:
            # A line wrapped onto the next page continues it; otherwise pages are lines apart.
            joiner = "" if runs_on and text and not _LIST_MARKER_RE.match(text) else "\n"
            parts.append(joiner)
            offset += len(joiner)
        pages.append(Page(number, offset, offset + len(text), problem))
        parts.append(text)
        offset += len(text)
        runs_on = next_runs_on and problem is None
        if problem:
            warnings.append(f"page {number}: {problem}")
    if all(page.problem == NO_TEXT_ON_PAGE for page in pages):
        count = "its only page" if len(pages) == 1 else f"any of its {len(pages)} pages"
        raise _ReadError(
            "no_text", f"the PDF has no text on {count} (a scanned image?): it needs OCR first"
        )
    return Report(
        path=path,
        sha256=digest,
        text="".join(parts),
        kind="pdf",
        pages=tuple(pages),
        warnings=tuple(warnings),
    )


# --- Dispatch --------------------------------------------------------------------------------


def _read(path: Path, kind: str, data: bytes, digest: str) -> Report:
    if not data:
        raise _ReadError("empty", "the file is empty (0 bytes)")
    if kind in OLD_WORD_KINDS:
        if not data.startswith(_ZIP_MAGIC):
            raise _old_format()
        kind = "docx"  # a .docx package saved under an old name
    if kind == "docx":
        return _docx_report(path, data, digest)
    if kind == "pdf":
        return _pdf_report(path, data, digest)
    return _text_report(path, data, kind, digest)


def read_report(path: Path) -> Report:
    """The report in a file, read into cleaned display text. Never raises for a file problem:
    the Report then has empty text, an `error` naming the file and a stable `error_code`."""
    kind = path.suffix.lower().lstrip(".") or "txt"
    digest = ""
    try:
        data = _read_bytes(path, kind)
        digest = hashlib.sha256(data).hexdigest()
        return _read(path, kind, data, digest)
    except _ReadError as problem:
        return Report(
            path=path,
            sha256=digest,
            text="",
            kind=kind,
            error=f"{path}: {problem.problem}",
            error_code=problem.code,
        )
