"""The workbench's binding ids, and the check of a user's [keymap] against them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual.binding import Binding

from core.config import ConfigError


def binding_ids() -> dict[str, str]:
    """Every remappable binding id of the workbench → its action."""
    from tui.app import JixiaoApp
    from tui.screens.batch import BatchScreen
    from tui.screens.export import ExportScreen
    from tui.screens.help import HelpScreen
    from tui.screens.last_year import LastYearScreen
    from tui.screens.note import NoteScreen
    from tui.screens.report import ReportScreen
    from tui.widgets.source_view import SourceView

    ids: dict[str, str] = {}
    for node in (
        JixiaoApp,
        BatchScreen,
        ReportScreen,
        LastYearScreen,
        HelpScreen,
        NoteScreen,
        ExportScreen,
        SourceView,
    ):
        for binding in node.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                ids[binding.id] = binding.action
    return ids


def check_keymap(keymap: Mapping[str, str], path: Path | None) -> dict[str, str]:
    """The keymap to give Textual; unknown binding ids refused naming the key and the file."""
    known = binding_ids()
    unknown = sorted(set(keymap) - set(known))
    if unknown:
        names = ", ".join(f"keymap.{k}" for k in unknown)
        raise ConfigError(
            f"{path or 'config'}: unknown key(s) {names}; the workbench's are: "
            + ", ".join(sorted(known))
        )
    return dict(keymap)
