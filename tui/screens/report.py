"""One report: its figures and findings beside the source text; decisions with single keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from core.batch import Entry, figure_at, findings_on, worst_severity
from core.checks import check_label
from core.cleaning import inert_name
from core.decisions import annotation_on, decide_figure, decide_finding, decide_span
from core.findings_output import SEVERITY_LABELS, arithmetic_line
from core.models import Figure, Finding
from core.output import field_label
from core.problems import translate
from core.review import ANNOTATION_STATUSES, REPORT_STATUSES, Annotation, Target, label
from tui.i18n import localise_bindings, t, verdict_width
from tui.notices import reading_notes, report_gone, save_failed
from tui.screens.note import NoteScreen
from tui.widgets.inputs import still_input
from tui.widgets.source_view import SourceView
from tui.widgets.text_panel import TextPanel
from tui.workbench import Workbench

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLES = {
    "confirmed": "bold red",
    "false_positive": "green",
    "uncertain": "yellow",
    "missed": "magenta",
}


class ReportScreen(Screen[None]):
    """A report under review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="back", show=False),
        Binding("right_square_bracket", "next_finding", "下一发现", id="next_finding"),
        Binding("left_square_bracket", "prev_finding", "上一发现", id="prev_finding", show=False),
        Binding("c", "decide('confirmed')", "确认问题", id="confirm"),
        Binding("x", "decide('false_positive')", "误报", id="false_positive"),
        Binding("d", "decide('uncertain')", "存疑", id="uncertain", show=False),
        Binding("m", "missed", "漏报", id="missed", show=False),
        Binding("t", "note", "批注", id="note", show=False),
        Binding("s", "severity", "严重度", id="severity", show=False),
        Binding("u", "undo", "撤销", id="undo", show=False),
        Binding("r", "mark_done", "标为已审", id="mark_done"),
        Binding("g", "next_unreviewed", "下一份未审", id="next_unreviewed", show=False),
        Binding("l", "last_year", "上年对照", id="last_year"),
        Binding("slash", "search", "搜索原文", id="search", show=False),
        Binding("n", "search_next", "下一处", id="search_next", show=False),
        Binding("N", "search_prev", "上一处", id="search_prev", show=False),
        Binding("y", "copy", "复制", id="copy", show=False),
        Binding("1", "focus_part('figures')", "数字", id="focus_figures", show=False),
        Binding("2", "focus_part('findings')", "发现", id="focus_findings", show=False),
        Binding("3", "focus_part('source')", "原文", id="focus_source", show=False),
    ]

    AUTO_FOCUS = None  # focus is placed on mount: the findings when there are any

    def __init__(self, workbench: Workbench, index: int) -> None:
        super().__init__()
        self.workbench = workbench
        self.index = index
        self.lang = workbench.lang
        entry = workbench.entry(index)
        assert entry is not None
        self.entry: Entry = entry
        self.text = entry.extraction.report.text
        self.search_text = ""
        self._told_gone = False
        self._notes: tuple[str, ...] | None = None
        localise_bindings(self, self.lang)

    @property
    def key(self) -> str:
        state = self.workbench.state(self.index)
        assert state is not None
        return state.key

    def compose(self) -> ComposeResult:
        yield Static(id="report-title")
        with Horizontal(id="report-body"):
            with Vertical(id="report-left"):
                yield DataTable(id="figures", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="findings", cursor_type="row", zebra_stripes=True)
            yield SourceView(self.text, id="source")
        yield TextPanel(id="detail")
        yield still_input(id="search", placeholder=t("search_prompt", self.lang))
        yield TextPanel(id="report-status")
        yield Footer()

    def on_mount(self) -> None:
        lang = self.lang
        figures = self.query_one("#figures", DataTable)
        # Fits the 44 columns the figures get in an 80-column terminal.
        for key, width in (("col_field", 12), ("col_value", 12), ("col_check", 4)):
            figures.add_column(t(key, lang), width=width, key=key)
        figures.add_column(t("col_decision", lang), width=verdict_width(lang), key="col_decision")
        findings = self.query_one("#findings", DataTable)
        findings.add_column(t("col_severity", lang), width=4, key="col_severity")
        findings.add_column(t("col_decision", lang), width=verdict_width(lang), key="col_decision")
        findings.add_column(t("col_finding", lang), key="col_finding")
        self.query_one("#search", Input).display = False
        self._fill_tables()
        self._show_title()
        self._tell_if_gone()
        if self._reading_notes():
            reading_notes(self, list(self._reading_notes()), lang)
        # Where to resume next time: a small file written off the UI thread.
        log, path = self.workbench.log, self.entry.path
        self.run_worker(lambda: log.remember_report(path), thread=True, group="remember")
        # Scrolling the source needs its size: show the first item once laid out.
        if self.entry.findings:
            findings.focus()
            self.call_after_refresh(self._show_finding, self.entry.findings[0])
        else:
            figures.focus()
            if self.entry.extraction.figures:
                self.call_after_refresh(self._show_figure, self.entry.extraction.figures[0])

    # Filling

    def _fill_tables(self) -> None:
        figures = self.query_one("#figures", DataTable)
        figures.clear()
        for fig in self.entry.extraction.figures:
            figures.add_row(*self._figure_cells(fig), key=fig.field)
        findings = self.query_one("#findings", DataTable)
        findings.clear()
        for finding in self.entry.findings:
            findings.add_row(*self._finding_cells(finding), key=finding.key)

    def _figure_cells(self, fig: Figure) -> tuple[Text, Text, Text, Text]:
        on_it = findings_on(self.entry.findings, fig.field)
        worst = worst_severity(on_it)
        # Blank when no finding touches the figure: not every figure is covered by a check.
        check = Text("")
        if worst is not None:
            check = Text(SEVERITY_LABELS[self.lang][worst], SEVERITY_STYLES[worst])
        written = self.text[fig.value_start : fig.value_end]
        if fig.as_written_unit and not written.endswith(fig.as_written_unit):
            written += fig.as_written_unit
        return (
            Text(field_label(fig.field, self.lang)),
            Text(written),
            check,
            self._verdict(Target("field", field=fig.field)),
        )

    def _finding_cells(self, finding: Finding) -> tuple[Text, Text, Text]:
        severity = Text(
            SEVERITY_LABELS[self.lang][finding.severity], SEVERITY_STYLES[finding.severity]
        )
        verdict = self._verdict(Target("finding", check=finding.check, finding=finding.key))
        return severity, verdict, Text(finding.message, no_wrap=True, overflow="ellipsis")

    def _verdict(self, target: Target) -> Text:
        annotation = self._annotation(target)
        if annotation is None:
            return Text("")
        status = annotation.status
        return Text(t(f"short_{status}", self.lang), VERDICT_STYLES[status])

    def _annotation(self, target: Target) -> Annotation | None:
        state = self.workbench.state(self.index)
        return annotation_on(state, target) if state else None

    def _reading_notes(self) -> tuple[str, ...]:
        """What reading the report was not sure of, in the reviewer's language (worked out
        once: the title is drawn again on every decision)."""
        if self._notes is None:
            ex = self.entry.extraction
            self._notes = tuple(
                translate(w, self.lang) for w in (*ex.report.warnings, *ex.warnings)
            )
        return self._notes

    def _show_title(self) -> None:
        ex = self.entry.extraction
        state = self.workbench.state(self.index)
        lang = self.lang
        if ex.unit:
            title = Text(ex.unit, style="bold")
        else:
            title = Text(t("not_stated", lang), style="bold dim")
            title.append(f"  {self.workbench.relative_paths[self.index]}", "bold")
        title.append(
            f"  {ex.year}" if ex.year else f"  {t('year_not_stated', lang)}",
            "" if ex.year else "dim",
        )
        if state is not None:
            title.append(f"  [{label(REPORT_STATUSES, state.status, lang)}]", "green")
            if state.annotations:
                title.append(f"  {t('col_decisions', lang)} {len(state.annotations)}", "magenta")
        counts = [(s, self.entry.count(s)) for s in ("error", "warning", "info")]
        for severity, n in counts:
            if n:
                title.append(f"  {SEVERITY_LABELS[lang][severity]} {n}", SEVERITY_STYLES[severity])
        if notes := self._reading_notes():
            title.append(f"  {t('reading_notes', lang)} {len(notes)}", "yellow")
        title.append(f"  {inert_name(self.workbench.relative_paths[self.index])}", "dim")
        title.no_wrap, title.overflow = True, "ellipsis"
        self.query_one("#report-title", Static).update(title)

    # What is selected

    def _current_figure(self) -> Figure | None:
        table = self.query_one("#figures", DataTable)
        figures = self.entry.extraction.figures
        if not figures or table.cursor_row >= len(figures):
            return None
        return figures[table.cursor_row]

    def _current_finding(self) -> Finding | None:
        table = self.query_one("#findings", DataTable)
        findings = self.entry.findings
        if not findings or table.cursor_row >= len(findings):
            return None
        return findings[table.cursor_row]

    def _source(self) -> SourceView:
        return self.query_one("#source", SourceView)

    # Showing

    @on(DataTable.RowHighlighted, "#figures")
    def _figure_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.has_focus:
            fig = self._current_figure()
            if fig is not None:
                self._show_figure(fig)

    @on(DataTable.RowHighlighted, "#findings")
    def _finding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.has_focus:
            finding = self._current_finding()
            if finding is not None:
                self._show_finding(finding)

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if focused is self.query_one("#figures"):
            fig = self._current_figure()
            if fig is not None:
                self._show_figure(fig)
        elif focused is self.query_one("#findings"):
            finding = self._current_finding()
            if finding is not None:
                self._show_finding(finding)

    def _show_figure(self, fig: Figure) -> None:
        self._source().show_span(fig.start, fig.end)
        lang = self.lang
        text = Text()
        text.append(field_label(fig.field, lang), "bold")
        text.append(f"  {t('quote', lang)} L{fig.line}: ")
        text.append(fig.quote)
        if fig.note:
            text.append(f"\n{fig.note}", "italic")
        for finding in findings_on(self.entry.findings, fig.field):
            text.append(
                f"\n{SEVERITY_LABELS[lang][finding.severity]} ", SEVERITY_STYLES[finding.severity]
            )
            text.append(finding.message)
        self._annotation_line(text, Target("field", field=fig.field))
        self.query_one("#detail", TextPanel).show(text)

    def _show_finding(self, finding: Finding) -> None:
        if finding.spans:
            self._source().show_span(*finding.spans[0])
        lang = self.lang
        text = Text()
        text.append(
            f"{SEVERITY_LABELS[lang][finding.severity]} ", SEVERITY_STYLES[finding.severity]
        )
        text.append(check_label(finding.check, lang), "bold")
        text.append(f"\n{finding.message}")
        arithmetic = arithmetic_line(finding, lang)
        if arithmetic:
            text.append(f"\n{arithmetic}", "cyan")
        if finding.hint:
            text.append(f"\n{t('hint', lang)}: ", "bold")
            text.append(finding.hint)
        target = Target("finding", check=finding.check, finding=finding.key)
        self._annotation_line(text, target)
        self.query_one("#detail", TextPanel).show(text)

    def _annotation_line(self, text: Text, target: Target) -> None:
        annotation = self._annotation(target)
        if annotation is None:
            return
        text.append(f"\n{t('col_decision', self.lang)}: ", "bold")
        verdict = label(ANNOTATION_STATUSES, annotation.status, self.lang)
        text.append(verdict, VERDICT_STYLES[annotation.status])
        text.append(f" · {SEVERITY_LABELS[self.lang][annotation.severity]}")
        if annotation.note:
            text.append(" · ")
            text.append(annotation.note)

    def _say(self, message: str) -> None:
        self.query_one("#report-status", TextPanel).show(Text(message))

    def _refresh_after_decision(self) -> None:
        """Redraw the rows and detail a decision changes (no re-reading, no re-checking)."""
        figures = self.query_one("#figures", DataTable)
        for fig in self.entry.extraction.figures:
            verdict = self._verdict(Target("field", field=fig.field))
            figures.update_cell(fig.field, "col_decision", verdict)
        findings = self.query_one("#findings", DataTable)
        for finding in self.entry.findings:
            target = Target("finding", check=finding.check, finding=finding.key)
            findings.update_cell(finding.key, "col_decision", self._verdict(target))
        self._show_title()
        focused = self.focused
        current_finding, current_figure = self._current_finding(), self._current_figure()
        if focused is findings and current_finding is not None:
            self._show_finding(current_finding)
        elif focused is figures and current_figure is not None:
            self._show_figure(current_figure)

    # Moving

    def action_next_finding(self) -> None:
        self._step_finding(+1)

    def action_prev_finding(self) -> None:
        self._step_finding(-1)

    def _step_finding(self, step: int) -> None:
        findings = self.query_one("#findings", DataTable)
        if not self.entry.findings:
            self._say(t("no_findings", self.lang))
            return
        # The cursor row is the finding in hand (the first is shown on opening): step from it.
        row = (findings.cursor_row + step) % len(self.entry.findings)
        findings.focus()
        findings.move_cursor(row=row, animate=False)
        finding = self._current_finding()
        if finding is not None:
            self._show_finding(finding)

    def action_focus_part(self, part: str) -> None:
        self.query_one(f"#{part}").focus()

    def action_back(self) -> None:
        box = self.query_one("#search", Input)
        if box.display:  # Esc in the search box closes the box, not the report
            box.display = False
            self._source().focus()
            return
        self.app.pop_screen()

    # Deciding

    def action_decide(self, status: str) -> None:
        bench, key, focused = self.workbench, self.key, self.focused
        log = bench.log
        source = self._source()
        if focused is source and source.span():
            start, end = source.span() or (0, 0)
            call = lambda: decide_span(  # noqa: E731
                log, key, self.text, start, end, status, severity="warning"
            )
        elif focused is self.query_one("#figures"):
            fig = self._current_figure()
            if fig is None:
                return
            worst = worst_severity(findings_on(self.entry.findings, fig.field)) or "warning"
            call = lambda: decide_figure(log, key, fig, status, severity=worst)  # noqa: E731
        else:
            finding = self._current_finding()
            if finding is None:
                self._say(t("no_findings", self.lang))
                return
            call = lambda: decide_finding(log, key, finding, status, text=self.text)  # noqa: E731
        self._record(call, label(ANNOTATION_STATUSES, status, self.lang))

    def _tell_if_gone(self) -> None:
        """Say once if the report's file was deleted or moved since it was read: the text shown
        is the one read, and decisions on it are kept in the log."""
        if not self._told_gone and self.workbench.gone(self.index):
            self._told_gone = True
            report_gone(self, self.workbench.relative_paths[self.index], self.lang)

    def _record(self, call: Callable[[], object], what: str) -> Annotation | None:
        result, problem = self.workbench.decide(call)
        if problem:
            save_failed(self, problem, self.lang)
        self._tell_if_gone()
        self._say(f"✓ {what}")
        self._refresh_after_decision()
        return result if isinstance(result, Annotation) else None

    def action_missed(self) -> None:
        source = self._source()
        span = source.span()
        if span is None:
            fig = self._current_figure() if self.focused is self.query_one("#figures") else None
            if fig is None:
                self._say(t("select_first", self.lang))
                return
            span = (fig.start, fig.end)
        start, end = span
        quote = self.text[start:end]

        def save(note: str | None) -> None:
            if note is None:
                return
            log, key = self.workbench.log, self.key
            self._record(
                lambda: decide_span(
                    log, key, self.text, start, end, "missed", severity="warning", note=note
                ),
                label(ANNOTATION_STATUSES, "missed", self.lang),
            )
            source.action_unmark()

        self.app.push_screen(NoteScreen(t("missed_prompt", self.lang), quote, "", self.lang), save)

    def _current_annotation(self) -> Annotation | None:
        state = self.workbench.state(self.index)
        if state is None:
            return None
        focused = self.focused
        source = self._source()
        if focused is source and (span := source.span()):
            candidates = [a for a in state.annotations if (a.start, a.end) == span]
            return candidates[-1] if candidates else None
        if focused is self.query_one("#figures"):
            fig = self._current_figure()
            return annotation_on(state, Target("field", field=fig.field)) if fig else None
        finding = self._current_finding()
        if finding is None:
            return None
        return annotation_on(state, Target("finding", check=finding.check, finding=finding.key))

    def action_note(self) -> None:
        annotation = self._current_annotation()
        if annotation is None:
            # A note needs a decision to hang on: an uncertain one until the reviewer says more.
            self.action_decide("uncertain")
            annotation = self._current_annotation()
            if annotation is None:
                return
        aid = annotation.id

        def save(note: str | None) -> None:
            if note is None:
                return
            log, key = self.workbench.log, self.key
            self._record(lambda: log.update(key, aid, note=note), t("note", self.lang))

        quote = annotation.quote
        prompt = t("note_prompt", self.lang)
        self.app.push_screen(NoteScreen(prompt, quote, annotation.note, self.lang), save)

    def action_severity(self) -> None:
        from core.decisions import next_severity

        annotation = self._current_annotation()
        if annotation is None:
            return
        log, key, aid = self.workbench.log, self.key, annotation.id
        severity = next_severity(annotation)
        self._record(
            lambda: log.update(key, aid, severity=severity),
            f"{t('severity', self.lang)}: {SEVERITY_LABELS[self.lang][severity]}",
        )

    def action_undo(self) -> None:
        change, problem = self.workbench.decide(self.workbench.log.undo)
        if problem:
            save_failed(self, problem, self.lang)
        if change is None and not problem:
            self._say(t("nothing_to_undo", self.lang))
            return
        self._say(t("undone", self.lang))
        self._refresh_after_decision()

    def action_mark_done(self) -> None:
        log, key = self.workbench.log, self.key
        self._record(lambda: log.set_status(key, "done"), label(REPORT_STATUSES, "done", self.lang))

    def action_next_unreviewed(self) -> None:
        found = self.workbench.next_unreviewed(self.index)
        if found is None or found == self.index:
            self._say(t("all_reviewed", self.lang))
            return
        self.app.switch_screen(ReportScreen(self.workbench, found))

    def action_last_year(self) -> None:
        from tui.screens.last_year import LastYearScreen

        self.app.push_screen(LastYearScreen(self.workbench, self.index))

    # Searching and copying

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.value = self.search_text
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.search_text = event.value
        event.input.display = False
        self._source().focus()
        self._find(forward=True)

    def action_search_next(self) -> None:
        self._find(forward=True)

    def action_search_prev(self) -> None:
        self._find(forward=False)

    def _find(self, *, forward: bool) -> None:
        if not self.search_text:
            self.action_search()
            return
        found = self._source().find(self.search_text, forward=forward)
        if found is None:
            self._say(f"{t('no_match', self.lang)}: {self.search_text}")
            return
        line = self.text.count("\n", 0, found[0]) + 1
        count = self.text.count(self.search_text)
        self._say(f"/{self.search_text}  L{line}  ({count})")
        fig = figure_at(self.entry.extraction.figures, found[0])
        if fig is not None:
            self._say(
                f"/{self.search_text}  L{line}  ({count})  {field_label(fig.field, self.lang)}"
            )

    def action_copy(self) -> None:
        source = self._source()
        text = ""
        if self.focused is source and (span := source.span()):
            text = self.text[span[0] : span[1]]
        elif self.focused is self.query_one("#figures") and (fig := self._current_figure()):
            text = f"{field_label(fig.field, self.lang)}：{fig.quote}"
        elif finding := self._current_finding():
            text = finding.message
        if text:
            self.app.copy_to_clipboard(text)
            self._say(t("copied", self.lang))

    def on_screen_resume(self) -> None:
        self._refresh_after_decision()
