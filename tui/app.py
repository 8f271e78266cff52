"""The workbench app: global keys, the command palette, and the batch screen first."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.i18n import WORDS, localise_bindings, t
from tui.notices import other_sessions, save_failed, saved_later
from tui.screens.batch import BatchScreen
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen, help_for
from tui.workbench import Workbench

RETRY_SECONDS = 3.0
"""How often decisions kept in memory by a failed save are tried again."""


class JixiaoApp(App[None]):
    """Review a batch of performance self-evaluation reports with the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "jixiao"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "退出", id="quit"),
        Binding("f1,question_mark", "help", "帮助", id="help"),
        Binding("e", "export", "导出", id="export"),
    ]
    # Textual declares this a plain attribute, so it cannot be annotated ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012

    def __init__(self, workbench: Workbench, *, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.workbench = workbench
        self.lang = workbench.lang
        # Over SSH every animated frame is bytes on the wire; nothing here needs to move.
        self.animation_level = "none"
        self._user_keymap = dict(keymap or {})
        self._warned_unsaved = False
        localise_bindings(self, self.lang)

    def on_mount(self) -> None:
        if self._user_keymap:
            self.set_keymap(self._user_keymap)
        self.push_screen(BatchScreen(self.workbench))
        self.set_interval(RETRY_SECONDS, self._retry_saves)
        # Once, at start: keypresses touch no presence file.
        others = self.workbench.log.begin_session()
        if others:
            other_sessions(self, others, self.lang)

    def on_unmount(self) -> None:
        self.workbench.log.end_session()

    # Decisions a failed save kept in memory are written as soon as the disk takes them.

    def _retry_saves(self) -> None:
        if self.workbench.log.pending:
            self.run_worker(self._write_pending, thread=True, exclusive=True, group="retry")

    def _write_pending(self) -> None:
        count, problem = self.workbench.retry_saves()
        if problem is None:
            self.call_from_thread(saved_later, self, count, self.lang)

    async def action_quit(self) -> None:
        """Quit once every decision is on disk; if one cannot be written, say so and quit only
        when asked a second time."""
        if self.workbench.log.pending:
            _, problem = self.workbench.retry_saves()
            if problem is not None and not self._warned_unsaved:
                self._warned_unsaved = True
                save_failed(self, f"{problem}. {t('unsaved_on_quit', self.lang)}", self.lang)
                return
        self.exit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key of the screen in front, then Textual's own commands."""
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            # The workbench's own keys; Textual's cursor keys are in its own entries below.
            if not active.enabled or binding.id not in WORDS or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            run = partial(self._run_from_palette, active.node, binding.action)
            yield SystemCommand(binding.description, f"{t('keys', self.lang)}: {key}", run)
        yield from super().get_system_commands(screen)

    async def _run_from_palette(self, node: object, action: str) -> None:
        await self.run_action(action, node)  # type: ignore[arg-type]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_for(self.screen, self.lang), self.lang))

    def action_export(self) -> None:
        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen(self.workbench))
