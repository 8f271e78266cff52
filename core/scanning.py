"""Many patterns over one text, fast: each tried only where its first characters occur.

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
from collections.abc import Iterable, Iterator, Sequence
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


def first_pairs(pattern: str) -> frozenset[str] | None:
    """The first two characters of every match of `pattern` (a superset), or None when they
    cannot be listed (as for `first_chars`) or a match can be shorter than two."""
    return _first_pairs(pattern, 0)


def _first_pairs(pattern: str, flags: int) -> frozenset[str] | None:
    try:
        parsed = sre_parse.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:
            raise _Unlisted
        heads = _heads(parsed, 2)
    except _Unlisted:
        return None
    return frozenset(heads) if all(len(h) == 2 for h in heads) else None


def _heads(items: Any, size: int) -> set[str]:
    """How a match of this sequence can begin: its first `size` characters, or the whole match
    when it is shorter."""
    done: set[str] = set()
    open_ = {""}  # whole matches of the items so far, shorter than `size`
    for op, arg in items:
        grown: set[str] = set()
        for head in open_:
            for tail in _item_heads(op, arg, size - len(head)):
                (done if len(head) + len(tail) == size else grown).add(head + tail)
        open_ = grown
    return done | open_


def _item_heads(op: Any, arg: Any, size: int) -> set[str]:
    if op is sre.LITERAL:
        return {chr(arg)}
    if op is sre.IN:
        return _class_chars(arg)
    if op is sre.SUBPATTERN:
        return _heads(arg[-1], size)
    if op is sre.BRANCH:
        return set().union(*(_heads(branch, size) for branch in arg[1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = arg
        found: set[str] = set()
        open_ = {""}  # whole matches of `count` repetitions, shorter than `size`
        most = min(high, low + size)  # past low + size repetitions, some are empty
        for count in range(most + 1):
            if count >= low:
                found |= open_
            if count == most:
                break
            grown: set[str] = set()
            for head in open_:
                for tail in _heads(body, size - len(head)):
                    (found if len(head) + len(tail) == size else grown).add(head + tail)
            open_ = grown
        return found
    if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
        return {""}  # zero-width
    raise _Unlisted


class Scanner:
    """Finds the matches of several patterns in one text, as `finditer` would.

    A pattern is tried where the first two characters of a match occur (``年末`` or ``实有``
    for ``(?:年末)?实有人数``, not every 年), else where its first character occurs. One pass
    of the regex engine over the text finds all those places for all the patterns."""

    def __init__(self, patterns: Sequence[re.Pattern[str] | TimedPattern]) -> None:
        self.patterns = tuple(patterns)
        self._by_char: dict[str, list[int]] = {}
        self._by_pair: dict[str, list[int]] = {}
        self._listed: list[bool] = []
        for index, pattern in enumerate(self.patterns):
            # A user's pattern (config.toml) runs on its own, under its time limit.
            source = pattern.pattern if isinstance(pattern, re.Pattern) else None
            pairs = None if source is None else first_pairs(source)
            chars = None if source is None or pairs is not None else first_chars(source)
            for pair in pairs or ():
                self._by_pair.setdefault(pair, []).append(index)
            for char in chars or ():
                self._by_char.setdefault(char, []).append(index)
            self._listed.append(pairs is not None or chars is not None)
        self._wanted = _places(self._by_char, self._by_pair)

    def positions(self, text: str) -> list[list[int]]:
        """Where each pattern may match in the text, in order."""
        found: list[list[int]] = [[] for _ in self.patterns]
        by_char, by_pair = self._by_char, self._by_pair
        for match in self._wanted.finditer(text):
            at = match.start()
            for index in by_char.get(text[at], ()):
                found[index].append(at)
            for index in by_pair.get(text[at : at + 2], ()):
                found[index].append(at)
        return found

    def finditer(
        self, index: int, text: str, positions: list[list[int]]
    ) -> Iterator[re.Match[str] | regex.Match[str]]:
        """The matches of pattern `index` in `text`, exactly as `finditer` gives them."""
        pattern = self.patterns[index]
        if not self._listed[index] or not isinstance(pattern, re.Pattern):
            yield from pattern.finditer(text)
            return
        starts = positions[index]
        i, end = 0, 0
        while i < len(starts):
            match = pattern.match(text, starts[i])
            if match is None:
                i += 1
                continue
            yield match
            end = match.end()
            i = bisect_left(starts, end, i + 1)


def _places(chars: Iterable[str], pairs: Iterable[str]) -> re.Pattern[str]:
    """Where any of these characters occurs, or the first of any of these pairs: one
    alternative per first character, so that the engine skips ahead to them."""
    seconds: dict[str, set[str]] = {}
    for pair in pairs:
        seconds.setdefault(pair[0], set()).add(pair[1])
    firsts = set(chars)
    branches = [re.escape(c) for c in sorted(firsts)]
    branches += [
        re.escape(c) + "(?=" + _char_class(frozenset(after)) + ")"
        for c, after in sorted(seconds.items())
        if c not in firsts
    ]
    return re.compile("|".join(branches) if branches else "(?!)")


@lru_cache(maxsize=128)
def _starts(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """Where `scan` tries the pattern, or None to leave it to `finditer`: when the first
    characters cannot be listed, or when the engine skips ahead on its own (the pattern opens
    with a character, a class, or alternatives that each open with a character)."""
    if _engine_skips(sre_parse.parse(pattern.pattern, pattern.flags)):
        return None
    pairs = _first_pairs(pattern.pattern, pattern.flags)
    if pairs is not None:
        return _places((), pairs)
    chars = _first_chars(pattern.pattern, pattern.flags)
    return None if chars is None else _places(chars, ())


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
    """The matches of `pattern.finditer(text)`, tried only where the first two characters of a
    match occur (or the first, as in `Scanner`): faster for a pattern the regex engine cannot
    skip ahead in (one that opens with a lookbehind or an optional word), as long as those
    characters are rare."""
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
