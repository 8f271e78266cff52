"""Help for the part in focus: what it shows and every key that works there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from tui.i18n import WORDS, localise_bindings, t

PART_HELP: dict[str, tuple[str, str]] = {
    "reports": (
        "批次中的每份报告：单位、年度、错误与警告数、审阅状态。回车打开报告；"
        "/ 按单位或文件名筛选，s 按状态、w 按严重度筛选，o 换排序，g 跳到下一份未审。",
        "Every report of the batch: unit, year, errors and warnings, review status. Enter opens "
        "a report; / filters by unit or file, s by status, w by severity, o changes the order, "
        "g jumps to the next unreviewed report.",
    ),
    "figures": (
        "报告中提取的数字：字段、原文写法、相关检查的结果、你的判断。上下移动时，右侧原文高亮该数字"
        "所在的句子。c 确认问题，x 误报，d 存疑，t 批注，m 记漏报。",
        "The figures read from the report: field, as written, what the checks say, your "
        "decision. Moving highlights the sentence that states the figure in the source. "
        "c confirms an issue, x false positive, d uncertain, t note, m missed issue.",
    ),
    "findings": (
        "检查发现：级别、说明（含算式与可能原因）和你的判断。] 与 [ 在发现之间跳转，"
        "c 确认问题，x 误报，d 存疑，s 改严重度，t 写批注，u 撤销。",
        "What the checks found, with the arithmetic and a likely cause, and your decision. "
        "] and [ step through findings; c confirm, x false positive, d uncertain, s severity, "
        "t note, u undo.",
    ),
    "source": (
        "报告原文，按原样显示。方向键移动光标；v 开始选择，再移动光标扩展选区（Shift+方向键亦可），"
        "Esc 结束；m 把选中的文字记为漏报。/ 搜索，n 下一处，N 上一处，y 复制。",
        "The report's text exactly as written. Arrows move the cursor; v starts a selection "
        "that moving extends (Shift+arrows too), Esc ends it; m records the selection as a "
        "missed issue. / searches, n next, N previous, y copies.",
    ),
    "pairs": (
        "上年与本年的项目对照：金额、变化、名称相似度。c 确认配对，x 否认配对；"
        "在上年取消的项目与本年新增的项目上各按一次 p 可手动配对。",
        "Last year's projects against this year's: amounts, change, name similarity. "
        "c confirms a pair, x rejects it; p on a dropped and then on a new project pairs them.",
    ),
    "series": (
        "该单位各年度的数字与变化；三年及以上时显示走势。",
        "The unit's figures across the years, with a trend line from three years up.",
    ),
}


@dataclass(frozen=True)
class HelpContent:
    title: str
    about: str
    keys: tuple[tuple[str, str], ...]


def help_for(screen: Screen[object], lang: str) -> HelpContent:
    """What to say about the focused part of a screen, and the keys active there."""
    focused = screen.focused
    part = focused.id if focused is not None and focused.id in PART_HELP else None
    zh, en = PART_HELP.get(part or "", ("", ""))
    keys: dict[str, tuple[str, str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        # The workbench's keys (arrows, Tab and Enter are described in the text above).
        if binding.id in WORDS and active.enabled and binding.action not in keys:
            keys[binding.action] = (screen.app.get_key_display(binding), binding.description)
    return HelpContent(t("help_title", lang), zh if lang == "zh" else en, tuple(keys.values()))


class HelpScreen(ModalScreen[None]):
    """The keys of the part in focus, with what they do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "返回", id="back"),
    ]

    def __init__(self, content: HelpContent, lang: str) -> None:
        super().__init__()
        self.content = content
        self.lang = lang
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text(self.content.title, style="bold"), id="help-title")
            if self.content.about:
                yield Static(Text(self.content.about), id="help-about")
            table: DataTable[Text] = DataTable(
                id="help-keys", cursor_type="none", zebra_stripes=True
            )
            yield table

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(t("keys", self.lang), "")
        for key, description in self.content.keys:
            table.add_row(Text(key), Text(description))
        # Focus the box, not the table, so it opens at the top and the arrows scroll it.
        self.query_one("#help-box").focus()
