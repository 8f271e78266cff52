"""Turning raw document text into the display text that every offset in the product refers to."""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\u2028\u2029]")
"""CR LF, lone CR, vertical tab, form feed (page break) and Unicode line/paragraph separators."""

_STRING_END = r"(?:\x07|\x1b\\|\x9c)"
_TERMINAL_SEQUENCES = re.compile(
    "|".join(
        (
            # CSI: ESC [ or 8-bit CSI, parameter bytes, intermediate bytes, one final byte.
            r"(?:\x1b\[|\x9b)[\x30-\x3f]{0,64}[\x20-\x2f]{0,16}[\x40-\x7e]",
            # OSC, DCS, SOS, PM, APC strings, ended by BEL or ST (ESC \ or U+009C).
            rf"(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c\n]{{0,4096}}{_STRING_END}",
            # Other escape sequences: ESC, intermediate bytes, one final byte.
            r"\x1b[\x20-\x2f]{0,16}[\x30-\x7e]",
        )
    )
)

_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f"  # C0 controls except tab and line feed, DEL
    "\x80-\x9f"  # C1 controls
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional controls
    "\ufeff\ufffe\uffff"  # zero-width no-break space (BOM), noncharacters
    "\ud800-\udfff"  # lone surrogates (cannot be written to a terminal)
    "]+"
)

_WIDE_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
"""Runs of Unicode space separators other than the ASCII space (NBSP, ideographic space, …)."""

_BOOKMARK = re.compile(r"\[bookmark: [^\]\n]{0,200}\]")
"""WPS/Word bookmark residue left by converters, such as "[bookmark: _Toc28838]"."""


def _drop_bookmarks(text: str) -> str:
    # Removing one token can join the halves of another ("[book[bookmark: a]mark: b]"):
    # repeat until none is left so cleaning is idempotent. Each round makes the text shorter.
    while True:
        shorter = _BOOKMARK.sub("", text)
        if shorter == text:
            return text
        text = shorter


def clean_text(raw: str) -> str:
    """The display text of raw document text: line ends normalised to "\\n", terminal escape
    sequences, control, bidi and BOM characters removed, runs of Unicode spaces turned into one
    ASCII space, bookmark residue removed. Idempotent; never raises."""
    text = _LINE_BREAKS.sub("\n", raw)
    text = _TERMINAL_SEQUENCES.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _WIDE_SPACES.sub(" ", text)
    return _drop_bookmarks(text)


def inert(text: str) -> str:
    """A name or message safe to show on a terminal, otherwise as written: escape sequences and
    control, bidi and BOM characters removed (line breaks become spaces). For file names and
    other text that is not a document, where bookmark-like brackets are the user's own."""
    text = _TERMINAL_SEQUENCES.sub("", _LINE_BREAKS.sub(" ", text))
    return _INVISIBLE.sub("", text.replace("\n", " ").replace("\t", " "))


LINE_BREAK_SHOWN = "\u240a"
"""What a line break in a file name is shown as (␊, SYMBOL FOR LINE FEED): the name stays on its
line and the break stays visible."""
_NAME_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def inert_name(name: str) -> str:
    """A file name (or path) to print on one line: `inert`, with each line break shown as ␊
    instead of a space, so that a name with a newline neither splits a row nor passes for
    another name. Every one-line listing of paths shows them this way."""
    return inert(_NAME_BREAKS.sub(LINE_BREAK_SHOWN, name))


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet will not run: control characters removed, and a leading
    = + - @ (or tab, CR) made literal with an apostrophe."""
    cell = clean_text(cell)
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
