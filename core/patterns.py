"""Label patterns a user adds in config.toml ([fields.patterns]), run with a time limit.

They are compiled with the `regex` module, whose matching can be interrupted: a pattern that
backtracks catastrophically on some report is given up on that report (the built-in wordings
still run) instead of hanging the extraction."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex  # type: ignore[import-untyped]

PATTERN_SECONDS = 0.5
"""Time one user pattern may spend on one report before it is given up there."""


@dataclass(frozen=True)
class UserPattern:
    """A regular expression for a field's label, added in a config file."""

    pattern: str
    """As written: the label; the figure follows it, as for the built-in wordings."""
    source: str
    """The config file it comes from, for messages."""


class PatternTimeout(Exception):
    """A user pattern ran out of time on a text."""

    def __init__(self, field: str, user: UserPattern) -> None:
        super().__init__(user.pattern)
        self.field = field
        self.user = user

    def warning(self, path: object) -> str:
        """What the reader is told (core.problems translates it)."""
        return (
            f"{path}: the pattern {self.user.pattern} of fields.patterns.{self.field} in "
            f"{self.user.source} took longer than {PATTERN_SECONDS} s and was left out "
            "(the built-in wordings were used)"
        )


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """The compiled pattern; raises regex.error on bad syntax."""
    return _compiled(pattern)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


@dataclass(frozen=True)
class TimedPattern:
    """A user pattern that finds labels like a compiled `re` pattern, within PATTERN_SECONDS
    for the whole text; raises PatternTimeout beyond."""

    field: str
    user: UserPattern

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        return iter(self.findall(text))

    def findall(self, text: str) -> list[regex.Match[str]]:
        pattern = _compiled(self.user.pattern)
        deadline = time.monotonic() + PATTERN_SECONDS
        found: list[regex.Match[str]] = []
        pos = 0
        try:
            while pos <= len(text):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                match = pattern.search(text, pos, timeout=left)
                if match is None:
                    return found
                found.append(match)
                pos = match.end() if match.end() > match.start() else match.end() + 1
        except TimeoutError:
            raise PatternTimeout(self.field, self.user) from None
        return found
