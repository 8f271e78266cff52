"""Decoding the bytes of text reports: BOM, BOM-less UTF-16, strict UTF-8, strict GB18030."""

from __future__ import annotations

import codecs
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


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text: NUL bytes not shaped like UTF-16, or many control bytes."""
    if not data:
        return False
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    if _utf16_without_bom(data) is not None:
        return False
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, delete=_NOT_CONTROL))
    return controls > len(sample) * 0.05


def decode_text(data: bytes) -> DecodedText:
    """Decode report bytes: BOM, BOM-less UTF-16, strict UTF-8, strict GB18030, then GB18030
    with replacement characters (uncertain). Never raises."""
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
    return DecodedText(
        data.decode("gb18030", errors="replace"),
        "gb18030",
        "neither UTF-8 nor GB18030 fits; undecodable bytes replaced",
        uncertain=True,
    )
