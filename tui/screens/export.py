"""Export the review log from the app: pick a format, confirm the file name."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from core.cleaning import inert, inert_name
from tui.i18n import localise_bindings, t
from tui.notices import report_gone
from tui.widgets.inputs import still_input
from tui.workbench import Workbench

FORMATS = {
    "md": ("审阅意见（Markdown）", "Review notes (Markdown)"),
    "xlsx": ("表格（Excel）", "Spreadsheet (Excel)"),
    "csv": ("表格（CSV）", "Table (CSV)"),
    "json": ("数据（JSON）", "Data (JSON)"),
}


class ExportScreen(ModalScreen[None]):
    """Choose a format with the arrows, Enter; then Enter on the file name writes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="cancel"),
    ]

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench
        self.lang = workbench.lang
        localise_bindings(self, self.lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="export-box"):
            yield Static(Text(t("export_title", lang), style="bold"))
            yield OptionList(
                *(Option(zh if lang == "zh" else en, id=fmt) for fmt, (zh, en) in FORMATS.items()),
                id="export-formats",
            )
            yield Static(Text(t("export_path", lang)))
            yield still_input(str(self._default_path("md")), id="export-path")
            yield Static(id="export-result")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _default_path(self, fmt: str) -> Path:
        # Beside the log, not among the reports: a .md there would be read as a report next time.
        return self.workbench.log.folder / f"review-notes.{fmt}"

    @on(OptionList.OptionHighlighted)
    def _format_chosen(self, event: OptionList.OptionHighlighted) -> None:
        fmt = event.option.id or "md"
        self.query_one("#export-path", Input).value = str(self._default_path(fmt))

    @on(OptionList.OptionSelected)
    def _format_selected(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        option = self.query_one(OptionList).highlighted_option
        fmt = option.id if option is not None and option.id else "md"
        self.export(fmt, Path(event.value).expanduser())

    @work(thread=True, exclusive=True)
    def export(self, fmt: str, path: Path) -> None:
        from core.export import write_export
        from core.review_store import ReviewLogError, read_log

        lang = self.lang
        try:
            self.workbench.locked(self.workbench.log.flush)
            write_export(read_log(self.workbench.log.folder), fmt, path, lang=lang)
        except (OSError, ReviewLogError) as exc:
            message = Text(inert(f"{inert_name(str(path))}: {exc}"), style="red")
            self.app.call_from_thread(self.query_one("#export-result", Static).update, message)
            return
        self.app.call_from_thread(self._done, path, self.workbench.gone_reports())

    def _done(self, path: Path, gone: list[str]) -> None:
        self.app.notify(inert(f"{t('saved_to', self.lang)} {inert_name(str(path))}"), markup=False)
        for relative_path in gone:  # exported from the log all the same
            report_gone(self, relative_path, self.lang)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
