"""Text boxes that do not blink: a blinking cursor redraws twice a second, over SSH too."""

from __future__ import annotations

from textual.widgets import Input


def still_input(value: str = "", **kwargs: object) -> Input:
    """An Input whose cursor does not blink."""
    box = Input(value, **kwargs)  # type: ignore[arg-type]
    box.cursor_blink = False
    return box
