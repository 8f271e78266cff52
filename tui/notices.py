"""Messages to the reviewer that carry text from disk: never read as markup."""

from __future__ import annotations

from textual.dom import DOMNode

from core.cleaning import inert
from tui.i18n import t


def save_failed(node: DOMNode, problem: str, lang: str) -> None:
    """Say a decision could not be written (it is kept and written by the next save)."""
    message = inert(f"{t('save_failed', lang)}: {problem}")
    node.app.notify(message, severity="error", timeout=10, markup=False)
