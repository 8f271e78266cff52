"""Decoding the bytes of text reports: BOM, BOM-less UTF-16, strict UTF-8, strict GB18030, then
the encoding almost all of the bytes fit, the few that do not read region by region."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

SHORT_TEXT_CHARS = 8
"""Below this many non-ASCII characters, UTF-8 and GB18030 can both fit by accident."""

_SAMPLE = 65536
"""Bytes looked at when deciding whether data is binary."""

_NOT_CONTROL = bytes(b for b in range(256) if b >= 0x20 and b != 0x7F) + b"\t\n\r\x0c\x1b"
"""Bytes that occur in real text files (ESC for coloured terminal output): all but C0 and DEL."""

STRAY_NULS = 8
"""NUL bytes a text file may hold by accident (a stray byte from an editor or a copy) and still
be text: up to this many, or one in STRAY_NUL_SPACING bytes, whichever allows more (and never
more than one byte in 20). Binary files hold NULs by the hundred."""
STRAY_NUL_SPACING = 1000

_ASCII = bytes(range(0x80))
_ESCAPED_RE = re.compile("[\udc80-\udcff]+")
"""Bytes a codec could not decode, as the "surrogateescape" error handler leaves them."""

UTF8_MAJORITY = 0.9
"""Least share of the non-ASCII bytes that must be valid UTF-8 to read a file that is not
strictly UTF-8 as UTF-8, region by region (GB18030 reports fit UTF-8 in about a third)."""
GB18030_MAJORITY = 0.99
"""The same for GB18030: UTF-8 text mostly fits GB18030 by accident, so few bytes may not."""
GB18030_UTF8_MISFITS = 0.5
"""... and it is read so only when this share of its non-ASCII bytes at least does not fit
UTF-8 (GB18030 reports fit UTF-8 in about a third of them by accident; UTF-8 text in all): a
file with UTF-8 paragraphs is not GB18030 text with a few bad bytes."""
ALL_BYTES_MAJORITY = 0.99
"""Either way, a file of which this share of all bytes fits is read in that encoding."""


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and how it was chosen."""

    text: str
    encoding: str
    """"utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be" or "gb18030"."""
    how: str
    """How the encoding was decided, in plain words ("BOM", "strict UTF-8", …)."""
    uncertain: bool = False
    """True when another encoding could have fitted as well, or bytes had to be replaced."""
    misfits: tuple[Misfit, ...] = ()
    """The regions of bytes that did not fit `encoding`, when the file was read by the majority
    (each read on its own: another encoding where it fits, else U+FFFD)."""


@dataclass(frozen=True)
class Misfit:
    """A region of bytes that does not fit the encoding the rest of a file is read in."""

    line: int
    """The line it is on (1-based, lines as the display text counts them)."""
    size: int
    """Its length in bytes."""
    read_as: str | None
    """The encoding it was read in instead ("gb18030", "utf-8"), or None: shown as U+FFFD."""


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _cjk_share(text: str) -> float:
    """Share of the non-ASCII characters that are Chinese ideographs."""
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not non_ascii:
        return 0.0
    cjk = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return cjk / len(non_ascii)


_PLAIN_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x52F),  # Latin, Greek, Cyrillic
    (0x2000, 0x2BFF),  # punctuation, symbols, arrows, maths, enclosed numbers, shapes
    (0x2E80, 0x4DBF),  # CJK radicals, punctuation, kana, enclosed CJK, extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
)
_PLAIN_SHARE = 0.9
_ASCII_UTF16_SHARE = 0.9
"""Least share of code units with a NUL byte (ASCII characters) to call data UTF-16 when it is
also valid UTF-8: UTF-16 Chinese text never is, UTF-16 ASCII text always is."""


def _is_plain(ch: str) -> bool:
    if ch in "\t\n\r":
        return True
    code = ord(ch)
    return any(low <= code <= high for low, high in _PLAIN_RANGES)


def _plain_share(text: str) -> float:
    """Share of characters a Chinese report plausibly contains (ASCII, CJK, punctuation)."""
    sample = text[:20000]
    if not sample:
        return 1.0
    return sum(1 for ch in sample if _is_plain(ch)) / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 codec that BOM-less data is written in (NUL bytes on one parity), or None."""
    if len(data) < 2 or len(data) % 2:
        return None
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    if nul_even == nul_odd:
        return None
    # ASCII characters put their NUL byte second in little-endian, first in big-endian.
    codec = "utf-16-le" if nul_odd > nul_even else "utf-16-be"
    ascii_like = max(nul_even, nul_odd) >= _ASCII_UTF16_SHARE * (len(data) // 2)
    if not ascii_like and _strict(data, "utf-8") is not None:
        return None
    text = _strict(data, codec)
    if text is None or _plain_share(text) < _PLAIN_SHARE:
        return None
    return codec


def stray_nul_limit(size: int) -> int:
    """How many NUL bytes `size` bytes of text may hold by accident."""
    return max(STRAY_NULS, size // STRAY_NUL_SPACING)


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text: more NUL bytes than a few strays and not shaped like
    UTF-16, or many control bytes."""
    if not data:
        return False
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    if _utf16_without_bom(data) is not None:
        return False
    sample = data[:_SAMPLE]
    nuls = sample.count(0)
    if nuls > stray_nul_limit(len(sample)) or nuls * 20 > len(sample):
        return True
    controls = len(sample.translate(None, delete=_NOT_CONTROL))
    return controls > len(sample) * 0.05


def decode_text(data: bytes) -> DecodedText:
    """Decode report bytes: BOM, BOM-less UTF-16, strict UTF-8, strict GB18030; then, when
    almost all of the bytes fit UTF-8 (or GB18030), that encoding with each region that does
    not read on its own (`misfits`, uncertain); only then GB18030 with replacement characters
    (uncertain). Never raises."""
    if not data:
        return DecodedText("", "utf-8", "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :] if codec != "utf-8-sig" else data
            text = _strict(body, codec)
            if text is not None:
                return DecodedText(text, codec, "BOM")
            if codec.startswith("utf-32"):
                continue  # FF FE 00 00 may also be UTF-16-LE text starting with U+0000
            if codec == "utf-8-sig":
                mostly = _by_majority(body[len(bom) :], "utf-8", "gb18030", UTF8_MAJORITY)
                if mostly is not None:
                    text, misfits = mostly
                    return DecodedText(
                        text, codec, f"BOM, {_misfits_how('utf-8', misfits)}", True, misfits
                    )
            return DecodedText(
                body.decode(codec, errors="replace"),
                codec,
                "BOM, with undecodable bytes replaced",
                uncertain=True,
            )
    codec16 = _utf16_without_bom(data)
    if codec16 is not None:
        return DecodedText(data.decode(codec16), codec16, "UTF-16 without BOM (NUL-byte pattern)")
    as_utf8 = _strict(data, "utf-8")
    if as_utf8 is not None:
        non_ascii = len(as_utf8) - len(as_utf8.encode("ascii", errors="ignore"))
        as_gb = _strict(data, "gb18030") if 0 < non_ascii < SHORT_TEXT_CHARS else None
        if as_gb is not None:
            if _cjk_share(as_gb) > _cjk_share(as_utf8):
                how = "short text fits both strict UTF-8 and GB18030; only GB18030 gives Chinese"
                return DecodedText(as_gb, "gb18030", how, uncertain=True)
            how = "short text fits both strict UTF-8 and GB18030; chose UTF-8"
            return DecodedText(as_utf8, "utf-8", how, uncertain=True)
        return DecodedText(as_utf8, "utf-8", "strict UTF-8")
    as_gb = _strict(data, "gb18030")
    if as_gb is not None:
        return DecodedText(as_gb, "gb18030", "strict GB18030")
    mostly = _by_majority(data, "utf-8", "gb18030", UTF8_MAJORITY)
    if mostly is not None:
        text, misfits = mostly
        return DecodedText(text, "utf-8", _misfits_how("utf-8", misfits), True, misfits)
    if _misfit_share(data, "utf-8") >= GB18030_UTF8_MISFITS:
        mostly = _by_majority(data, "gb18030", "utf-8", GB18030_MAJORITY)
        if mostly is not None:
            text, misfits = mostly
            return DecodedText(text, "gb18030", _misfits_how("gb18030", misfits), True, misfits)
    return DecodedText(
        data.decode("gb18030", errors="replace"),
        "gb18030",
        "neither UTF-8 nor GB18030 fits; undecodable bytes replaced",
        uncertain=True,
    )


def _misfits_how(codec: str, misfits: tuple[Misfit, ...]) -> str:
    size = sum(m.size for m in misfits)
    return f"mostly {codec.upper()}: {size} bytes in {len(misfits)} region(s) do not fit it"


def _suspicious(ch: str, codec: str) -> bool:
    """A character that bytes of another encoding turn into when read in `codec`, next to those
    that do not fit it: UTF-8 reads parts of GB18030 text as two-byte (Latin, Greek, Cyrillic,
    …) characters. (GB18030 reads UTF-8 as Chinese characters: nothing tells them apart.)"""
    code = ord(ch)
    return 0xDC80 <= code <= 0xDCFF or (codec == "utf-8" and 0x80 <= code <= 0x7FF)


FOREIGN_RUN = 1 / 3
"""Least share of a run of non-ASCII characters made of bytes UTF-8 cannot read for the whole
run to be taken for text in another encoding (GB18030 text fits UTF-8 in about a third of
its bytes, in scattered characters); below it, only the bytes around each misfit are."""


def _is_escaped(ch: str) -> bool:
    return "\udc80" <= ch <= "\udcff"


def _misfit_spans(text: str, codec: str) -> list[tuple[int, int]]:
    """The regions of `text` (decoded with "surrogateescape") that did not fit `codec`.

    Read as UTF-8, a stretch of GB18030 text is a run of non-ASCII characters mostly made of
    bytes that do not fit, with a few characters that do by accident: the whole run is one
    region. Otherwise a region is a run of misfit bytes with the suspicious characters around
    it."""
    spans: list[tuple[int, int]] = []
    for found in _ESCAPED_RE.finditer(text):
        start, end = found.span()
        floor = spans[-1][1] if spans else 0
        if start < floor:
            continue  # already inside the previous region
        if codec == "utf-8":
            run_start, run_end = start, end
            while run_start > floor and ord(text[run_start - 1]) > 0x7F:
                run_start -= 1
            while run_end < len(text) and ord(text[run_end]) > 0x7F:
                run_end += 1
            run = text[run_start:run_end]
            misfit = sum(1 for ch in run if _is_escaped(ch))
            if misfit >= FOREIGN_RUN * len(run.encode(codec, errors="surrogateescape")):
                spans.append((run_start, run_end))
                continue
        while start > floor and _suspicious(text[start - 1], codec):
            start -= 1
        while end < len(text) and _suspicious(text[end], codec):
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _line_breaks(text: str, start: int, end: int) -> int:
    """Line breaks in text[start:end] as core.cleaning counts them (CR LF, CR, LF, VT, FF, …)."""
    crlf = text.count("\r\n", start, end)
    return sum(text.count(brk, start, end) for brk in "\n\r\v\f\u2028\u2029") - crlf


def lines_at(text: str, positions: list[int]) -> list[int]:
    """The line (1-based, as core.cleaning counts lines) of each position, in ascending order."""
    lines, line, done = [], 1, 0
    for position in positions:
        line += _line_breaks(text, done, position)
        done = position
        lines.append(line)
    return lines


def _read_misfit(raw: bytes, other: str) -> str | None:
    """Bytes that did not fit the file's encoding, read in the other one when they fit it
    cleanly as ordinary text, else None."""
    if len(raw) < 2:
        return None
    text = _strict(raw, other)
    if text is None or not all(_is_plain(ch) for ch in text):
        return None
    return text


def _misfit_share(data: bytes, codec: str) -> float:
    """Share of the non-ASCII bytes of data that do not fit `codec`."""
    non_ascii = len(data.translate(None, delete=_ASCII))
    escaped = data.decode(codec, errors="surrogateescape")
    misfit_bytes = sum(len(found) for found in _ESCAPED_RE.findall(escaped))
    return misfit_bytes / non_ascii if non_ascii else 0.0


def _by_majority(
    data: bytes, codec: str, other: str, share: float
) -> tuple[str, tuple[Misfit, ...]] | None:
    """The text of data that is almost all `codec`, each region that is not read on its own
    (as `other` when it fits it, else U+FFFD), and those regions; None when too much of the
    data does not fit `codec` for it to be this encoding."""
    escaped = data.decode(codec, errors="surrogateescape")
    non_ascii = len(data.translate(None, delete=_ASCII))
    misfit_bytes = sum(len(found) for found in _ESCAPED_RE.findall(escaped))
    if misfit_bytes > (1 - share) * non_ascii and misfit_bytes > (1 - ALL_BYTES_MAJORITY) * len(
        data
    ):
        return None
    parts: list[str] = []
    misfits: list[Misfit] = []
    done, line = 0, 1
    spans = _misfit_spans(escaped, codec)
    for index, (start, end) in enumerate(spans):
        raw = escaped[start:end].encode(codec, errors="surrogateescape")
        read = _read_misfit(raw, other)
        following = escaped[end : end + 1]
        limit = spans[index + 1][0] if index + 1 < len(spans) else len(escaped)
        if read is None and following and "\x40" <= following <= "\x7e" and end < limit:
            # A GBK character whose second byte is an ASCII letter or sign.
            longer = _read_misfit(raw + following.encode("ascii"), other)
            if longer is not None:
                read, end, raw = longer, end + 1, raw + following.encode("ascii")
        line += _line_breaks(escaped, done, start)
        parts.append(escaped[done:start])
        parts.append("\ufffd" if read is None else read)
        misfits.append(Misfit(line, len(raw), None if read is None else other))
        done = end
    parts.append(escaped[done:])
    return "".join(parts), tuple(misfits)
