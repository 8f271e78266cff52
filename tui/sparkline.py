"""A one-line trend drawn with block characters, for a cell of a table."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[Decimal | int | None]) -> str:
    """One block per value, its height scaled between the smallest and largest; a missing value
    is a space. All equal values draw a flat line."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif not span:
            out.append(BLOCKS[len(BLOCKS) // 2 - 1])
        else:
            out.append(BLOCKS[round((v - low) / span * (len(BLOCKS) - 1))])
    return "".join(out)
