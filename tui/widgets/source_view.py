"""The report's text, read-only and plain: spans shown by selecting them, search, and a
selection made with the keyboard alone."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import TextArea
from textual.widgets.text_area import Document, Selection


class SourceView(TextArea):
    """A report's display text. Offsets are code points of that text, as in the core.

    TextArea draws its document as plain text (no markup) and only the lines in view, so a
    figure's span is shown by selecting it and a long report costs nothing to scroll."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "mark", "开始选择", id="mark"),
        Binding("escape", "unmark", "取消", id="cancel", show=False),
    ]

    def __init__(self, text: str, **kwargs: object) -> None:
        super().__init__(text, read_only=True, soft_wrap=True, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False  # a blinking cursor is a redraw twice a second over SSH
        self.marking = False
        """Cursor moves extend the selection (for terminals that swallow Shift+arrows)."""

    # Offsets

    @property
    def _doc(self) -> Document:
        # Built from a string, the document is a plain Document (offsets ↔ locations).
        assert isinstance(self.document, Document)
        return self.document

    def span(self) -> tuple[int, int] | None:
        """The selection as (start, end) offsets, or None when nothing is selected."""
        start, end = sorted(self.selection)
        if start == end:
            return None
        doc = self._doc
        return doc.get_index_from_location(start), doc.get_index_from_location(end)

    def cursor_offset(self) -> int:
        return self._doc.get_index_from_location(self.cursor_location)

    def show_span(self, start: int, end: int) -> None:
        """Select a span and scroll it into view, the cursor at its start."""
        doc = self._doc
        self.marking = False
        self.selection = Selection(
            doc.get_location_from_index(end), doc.get_location_from_index(start)
        )
        self._scroll_to_cursor()
        # Soft wrapping is recomputed once the width is known: scroll again after that.
        self.call_after_refresh(self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        # A span already on screen stays where it is: scrolling redraws the whole view, which
        # over SSH is ten kilobytes a key. One off screen comes to the middle, with context.
        _, y = self._cursor_offset
        top = int(self.scroll_y)
        if top + 1 <= y < top + self.scrollable_content_region.height - 1:
            return
        self.scroll_cursor_visible(center=True, animate=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._scroll_to_cursor)

    def find(self, needle: str, *, forward: bool = True) -> tuple[int, int] | None:
        """Select the next (or previous) occurrence of `needle` after (before) the cursor,
        wrapping round; None when the text does not hold it."""
        if not needle:
            return None
        text = self.text
        here = self.cursor_offset()
        if forward:
            at = text.find(needle, here + 1)
            if at == -1:
                at = text.find(needle)
        else:
            at = text.rfind(needle, 0, max(here, 0))
            if at == -1:
                at = text.rfind(needle)
        if at == -1:
            return None
        self.show_span(at, at + len(needle))
        return at, at + len(needle)

    # Selecting with the keyboard

    def action_mark(self) -> None:
        """Start a selection at the cursor; moving the cursor extends it."""
        self.marking = True
        self.selection = Selection.cursor(self.cursor_location)

    def action_unmark(self) -> None:
        self.marking = False
        self.selection = Selection.cursor(self.cursor_location)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unmark":
            return self.marking or bool(self.span())
        return True

    def action_cursor_left(self, select: bool = False) -> None:
        super().action_cursor_left(select or self.marking)

    def action_cursor_right(self, select: bool = False) -> None:
        super().action_cursor_right(select or self.marking)

    def action_cursor_up(self, select: bool = False) -> None:
        super().action_cursor_up(select or self.marking)

    def action_cursor_down(self, select: bool = False) -> None:
        super().action_cursor_down(select or self.marking)

    def action_cursor_line_start(self, select: bool = False) -> None:
        super().action_cursor_line_start(select or self.marking)

    def action_cursor_line_end(self, select: bool = False) -> None:
        super().action_cursor_line_end(select or self.marking)

    def action_cursor_word_left(self, select: bool = False) -> None:
        super().action_cursor_word_left(select or self.marking)

    def action_cursor_word_right(self, select: bool = False) -> None:
        super().action_cursor_word_right(select or self.marking)
