"""A block of text that changes with every key: redrawn in place, never re-laid out."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextPanel(Widget):
    """Shows one Text. Unlike `Static.update`, which lays the whole screen out again (about
    25 ms on the report screen), `show` only redraws the panel: its size comes from the
    stylesheet, so what it shows cannot move anything else."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def show(self, text: Text) -> None:
        self._text = text
        self.refresh()

    def render(self) -> Text:
        return self._text
