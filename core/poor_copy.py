"""Poor copies (document-sharing sites, OCR, traditional-character mirrors) read as what they say.

The display text stays exactly as written. The rules read a normalised copy of it, the reading
text, in which pinyin glosses (預(yù)算), words spaced out character by character, OCR glyph
confusions (万兀) and traditional characters are undone; every character of the reading text
knows the offset of the display character it came from, so a figure read there is grounded in
the display text. Each normalisation is one entry of a table, with the reading note that tells
the reviewer the text was a poor copy.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

_CJK = "\u4e00-\u9fff"


@dataclass(frozen=True)
class Repair:
    """One kind of damage a poor copy carries, and how the reading text undoes it."""

    id: str
    note: str
    """The reading note (English; core.problems translates it) when the repair was made."""
    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], tuple[str, tuple[int, ...]]]
    """The reading of a match, and for each of its characters the offset in the match that it
    comes from."""


def _drop(match: re.Match[str]) -> tuple[str, tuple[int, ...]]:
    return "", ()


def _join_spaced(match: re.Match[str]) -> tuple[str, tuple[int, ...]]:
    kept = [(c, i) for i, c in enumerate(match.group(0)) if not c.isspace()]
    return "".join(c for c, _ in kept), tuple(i for _, i in kept)


# Glyphs that Chinese OCR confuses in these reports, read back; each pair is a word that
# cannot occur as written (兀 never follows 万; 匏 is a gourd).
OCR_CONFUSIONS: dict[str, str] = {
    "万兀": "万元",
    "预匏": "预算",
    "顼目": "项目",
    "项Fl": "项目",
    "项F1": "项目",
}


def _ocr_reading(match: re.Match[str]) -> tuple[str, tuple[int, ...]]:
    written = match.group(0)
    meant = OCR_CONFUSIONS.get(written, "10")  # else IO or lO standing for 10
    return meant, tuple(min(i, len(written) - 1) for i in range(len(meant)))


REPAIRS: tuple[Repair, ...] = (
    Repair(
        "pinyin",
        "poor copy: pinyin glosses in the text (預(yù)算) were ignored",
        # A gloss right after a Chinese character: lower-case Latin letters with a tone mark.
        re.compile(
            rf"(?<=[{_CJK}])[(（][a-zü]{{0,6}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]{{0,6}}[)）]"
        ),
        _drop,
    ),
    Repair(
        "spaced",
        "poor copy: words spaced out character by character were read joined",
        # Four or more single Chinese characters with one space between each: a spaced-out word,
        # not table cells (which hold words).
        re.compile(rf"(?<![{_CJK}])[{_CJK}](?: [{_CJK}]){{3,}}(?![{_CJK}])"),
        _join_spaced,
    ),
    Repair(
        "ocr",
        "poor copy: OCR slips (万兀, 预匏, IO for 10) were read as what they stand for",
        re.compile(
            "|".join(map(re.escape, OCR_CONFUSIONS))
            + rf"|(?<=[{_CJK}0-9])[Il]O(?=[{_CJK}%])|(?<=[{_CJK}])[Il]O(?=[0-9])"
        ),
        _ocr_reading,
    ),
)
TRADITIONAL_NOTE = "poor copy: traditional characters were read as simplified"
# A text is a traditional-character copy when at least this many of its Chinese characters,
# and this share of them, are traditional forms (a simplified text may quote a few).
_TRADITIONAL_MIN = 10
_TRADITIONAL_SHARE = 0.02


@cache
def _simplified() -> dict[int, str]:
    """Traditional → simplified, character for character (OpenCC's TSCharacters table)."""
    table = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    mapping: dict[int, str] = {}
    for line in table.read_text("utf-8").splitlines():
        written, _, readings = line.partition("\t")
        simplified = readings.split()[0] if readings.split() else ""
        if len(written) == 1 and len(simplified) == 1 and written != simplified:
            mapping[ord(written)] = simplified
    return mapping


_CJK_RE = re.compile(f"[{_CJK}]")


@cache
def _dropping_traditional() -> dict[int, None]:
    return dict.fromkeys(_simplified())


def _is_traditional(text: str) -> bool:
    # Traditional forms are outside GB2312: a text with few such characters is not a
    # traditional copy (a C-speed test; counting the forms themselves costs 20 times more).
    outside = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    if outside < _TRADITIONAL_MIN:
        return False
    traditional = len(text) - len(text.translate(_dropping_traditional()))
    if traditional < _TRADITIONAL_MIN:
        return False
    return traditional >= _TRADITIONAL_SHARE * len(_CJK_RE.findall(text))


@dataclass(frozen=True)
class ReadingText:
    """The text the rules read, and where each of its characters stands in the display text."""

    text: str
    origin: array[int] | None = None
    """origin[i] is the display offset of text[i]; None when the reading is the display text."""
    notes: tuple[str, ...] = ()
    """Reading notes: which repairs were made."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The display span of the reading span [start, end)."""
        if self.origin is None:
            return start, end
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else self._end()
            return at, at
        return self.origin[start], self.origin[end - 1] + 1

    def _end(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0


# Cheap tests that anything may need repair, each a literal or a small character class (the
# regex engine scans those fast; one alternation over all Chinese characters costs 8 times more).
_TONE_MARK_RE = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")
_SPACED_RE = re.compile(f" [{_CJK}] [{_CJK}] ")
_MAYBE_WORDS = ("IO", "lO", *OCR_CONFUSIONS)


def _may_need_repair(text: str) -> bool:
    return (
        any(word in text for word in _MAYBE_WORDS)
        or _TONE_MARK_RE.search(text) is not None
        or _SPACED_RE.search(text) is not None
    )


def reading_text(display: str) -> ReadingText:
    """The reading of a display text: itself when it shows no damage (the usual case)."""
    traditional = _is_traditional(display)
    if not traditional and not _may_need_repair(display):
        return ReadingText(display)
    text = display
    origin = array("i", range(len(display)))
    notes: list[str] = []
    for repair in REPAIRS:
        pieces: list[str] = []
        places = array("i")
        at = 0
        for match in repair.pattern.finditer(text):
            reading, offsets = repair.replace(match)
            pieces.append(text[at : match.start()])
            places.extend(origin[at : match.start()])
            pieces.append(reading)
            places.extend(origin[match.start() + i] for i in offsets)
            at = match.end()
        if not pieces:
            continue
        pieces.append(text[at:])
        places.extend(origin[at:])
        text, origin = "".join(pieces), places
        notes.append(repair.note)
    if traditional:
        text = text.translate(_simplified())
        notes.append(TRADITIONAL_NOTE)
    if not notes:
        return ReadingText(display)
    return ReadingText(text, origin, tuple(notes))
