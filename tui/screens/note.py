"""Ask for a note: one line, Enter saves, Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.i18n import localise_bindings
from tui.widgets.inputs import still_input


class NoteScreen(ModalScreen[str | None]):
    """A note on a decision; dismissed with the text, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="cancel"),
    ]

    def __init__(self, prompt: str, quote: str, note: str, lang: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.quote = quote
        self.note = note
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text(self.prompt, style="bold"))
            if self.quote:
                yield Static(Text(self.quote, style="italic"), id="note-quote")
            yield still_input(self.note, id="note-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
