"""Line numbers of offsets in a display text."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def line_of(starts: Sequence[int], offset: int) -> int:
    """1-based line number of an offset, given `line_starts(text)`."""
    return bisect.bisect_right(starts, offset)
