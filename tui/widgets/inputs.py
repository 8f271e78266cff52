"""Text boxes that do not blink and never hold a control character."""

from __future__ import annotations

from textual.widgets import Input

from core.cleaning import inert


class PlainInput(Input):
    """An Input that drops escape sequences, control and bidi characters from what is pasted or
    typed: a pasted `ESC]52;…` would otherwise be drawn, byte for byte, on the terminal."""

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(inert(text))

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(inert(text), start, end)


def still_input(value: str = "", **kwargs: object) -> Input:
    """A PlainInput whose cursor does not blink (a blinking cursor redraws twice a second, over
    SSH too)."""
    box = PlainInput(inert(value), **kwargs)  # type: ignore[arg-type]
    box.cursor_blink = False
    return box
