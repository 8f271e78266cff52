"""Many patterns over one text, fast: each tried only where its first character occurs.

`pattern.finditer(text)` tries the pattern at every position of the text; label patterns that
open with optional words (``(?:年末)?实有人数``) get none of the regex engine's prefix
shortcuts, so forty of them over a 12 KB report cost more than all the rest of extraction.
`Scanner` works out, from the parsed pattern, the characters a match can start with, finds
those characters once per text, and tries the pattern only there. The matches are exactly
those of `finditer`: `pattern.match(text, pos)` sees the text before `pos` (lookbehinds, ``^``),
and a pattern whose first characters cannot be listed (or that can match empty) falls back to
`finditer`.

`scan` and `scan_near` do the same for one pattern: from its first characters, or around a
word every match contains.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import regex  # type: ignore[import-untyped]

from core.patterns import TimedPattern

_MAX_RANGE = 64


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can begin with, or None when they cannot be listed
    (a wildcard or a class, or a pattern that can match the empty string)."""
    return _first_chars(pattern, 0)


def _first_chars(pattern: str, flags: int) -> frozenset[str] | None:
    try:
        parsed = sre_parse.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:
            raise _Unlisted  # case folding: the characters would be more than those written
        chars, nullable = _first(parsed)
    except _Unlisted:
        return None
    return None if nullable else frozenset(chars)


class _Unlisted(Exception):
    pass


def _first(items: Any) -> tuple[set[str], bool]:
    """(characters a match of this sequence can begin with, can it match empty)."""
    chars: set[str] = set()
    for op, arg in items:
        found, nullable = _first_item(op, arg)
        chars |= found
        if not nullable:
            return chars, False
    return chars, True


def _first_item(op: Any, arg: Any) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {chr(arg)}, False
    if op is sre.IN:
        return _class_chars(arg), False
    if op is sre.SUBPATTERN:
        return _first(arg[-1])
    if op is sre.BRANCH:
        chars: set[str] = set()
        nullable = False
        for branch in arg[1]:
            found, empty = _first(branch)
            chars |= found
            nullable = nullable or empty
        return chars, nullable
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = arg
        found, empty = _first(body)
        return found, empty or low == 0
    if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
        return set(), True  # zero-width: the next item starts the match
    raise _Unlisted


def _class_chars(items: Any) -> set[str]:
    chars: set[str] = set()
    for op, arg in items:
        if op is sre.LITERAL:
            chars.add(chr(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < _MAX_RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            raise _Unlisted  # negated classes, categories (\d, \s), wide ranges
    return chars


class Scanner:
    """Finds the matches of several patterns in one text, as `finditer` would."""

    def __init__(self, patterns: Sequence[re.Pattern[str] | TimedPattern]) -> None:
        self.patterns = tuple(patterns)
        # A user's pattern (config.toml) runs on its own, under its time limit.
        self.firsts = tuple(
            first_chars(p.pattern) if isinstance(p, re.Pattern) else None for p in self.patterns
        )
        wanted = set().union(*(f for f in self.firsts if f is not None))
        self._wanted = re.compile(
            "[" + "".join(re.escape(c) for c in sorted(wanted)) + "]" if wanted else "(?!)"
        )

    def positions(self, text: str) -> dict[str, list[int]]:
        """Where each wanted character occurs in the text, in order."""
        found: dict[str, list[int]] = {}
        for match in self._wanted.finditer(text):
            found.setdefault(match.group(), []).append(match.start())
        return found

    def finditer(
        self, index: int, text: str, positions: dict[str, list[int]]
    ) -> Iterator[re.Match[str] | regex.Match[str]]:
        """The matches of pattern `index` in `text`, exactly as `finditer` gives them."""
        pattern, firsts = self.patterns[index], self.firsts[index]
        if firsts is None or not isinstance(pattern, re.Pattern):
            yield from pattern.finditer(text)
            return
        starts = sorted(at for ch in firsts for at in positions.get(ch, ()))
        i, end = 0, 0
        while i < len(starts):
            match = pattern.match(text, starts[i])
            if match is None:
                i += 1
                continue
            yield match
            end = match.end()
            i = bisect_left(starts, end, i + 1)


@lru_cache(maxsize=128)
def _starts(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """Where `scan` tries the pattern, or None to leave it to `finditer`: when the first
    characters cannot be listed, or when the engine skips ahead on its own (the pattern opens
    with a character, a class, or alternatives that each open with a character)."""
    if _engine_skips(sre_parse.parse(pattern.pattern, pattern.flags)):
        return None
    chars = _first_chars(pattern.pattern, pattern.flags)
    return None if chars is None else re.compile(_char_class(chars))


def _engine_skips(items: Any) -> bool:
    while items and items[0][0] is sre.SUBPATTERN:
        items = items[0][1][-1]
    if not items:
        return False
    op, arg = items[0]
    if op is sre.BRANCH:
        return all(branch and branch[0][0] is sre.LITERAL for branch in arg[1])
    return op is sre.LITERAL or op is sre.IN


def _char_class(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text)`, tried only where one of the characters a match
    can begin with occurs: faster for a pattern the regex engine cannot skip ahead in (one that
    opens with a lookbehind or an optional word), as long as those characters are rare."""
    starts = _starts(pattern)
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for at in starts.finditer(text):
        if at.start() < end:
            continue
        match = pattern.match(text, at.start())
        if match is not None:
            yield match
            end = match.end()  # never empty: a pattern that can match empty is not listed


@lru_cache(maxsize=32)
def _anchor(anchor: str) -> re.Pattern[str]:
    low, high = sre_parse.parse(anchor).getwidth()
    if low != high or low == 0:
        raise ValueError(f"an anchor must have a fixed, non-zero width: {anchor!r}")
    return re.compile(anchor)


def scan_near(
    pattern: re.Pattern[str], text: str, anchor: str, *, before: int, after: int
) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text)`, looked for only around the occurrences of
    `anchor` (a word or a character class).

    Exact when `pattern` never matches empty, every match of it contains an occurrence of
    `anchor` that begins at most `before` characters after the match does, the match ends at
    most `after` characters past that occurrence, and no negative lookahead, ``\\b`` or ``$``
    of it looks further. (Lookbehinds and ``^`` see the whole text.) Then no match begins
    more than `before` characters ahead of the next occurrence, and one that begins at or
    before it ends within `before + after` characters of it.
    """
    word = _anchor(anchor)
    size, end = len(text), 0
    found = word.search(text)
    while found is not None:
        at = found.start()
        match = pattern.search(text, max(end, at - before), min(size, found.end() + before + after))
        if match is not None and match.start() <= at:
            yield match
            end = match.end()
            found = word.search(text, end)
        else:
            found = word.search(text, at + 1)
