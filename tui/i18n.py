"""The workbench's own words in Chinese and English; domain labels come from the core."""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len
from textual.binding import BindingsMap
from textual.dom import DOMNode

# key → (Chinese, English). Binding descriptions are keyed by binding id.
WORDS: dict[str, tuple[str, str]] = {
    # Bindings
    "quit": ("退出", "Quit"),
    "help": ("帮助", "Help"),
    "export": ("导出", "Export"),
    "back": ("返回", "Back"),
    "open": ("打开", "Open"),
    "filter": ("筛选", "Filter"),
    "sort": ("排序", "Sort"),
    "status_filter": ("按状态", "By status"),
    "severity_filter": ("按严重度", "By severity"),
    "next_unreviewed": ("下一份未审", "Next unreviewed"),
    "mark_done": ("标为已审", "Mark done"),
    "next_finding": ("下一发现", "Next finding"),
    "prev_finding": ("上一发现", "Previous finding"),
    "search": ("搜索原文", "Search text"),
    "search_next": ("下一处", "Next match"),
    "search_prev": ("上一处", "Previous match"),
    "mark": ("开始选择", "Start selection"),
    "confirm": ("确认问题", "Confirm issue"),
    "false_positive": ("误报", "False positive"),
    "uncertain": ("存疑", "Uncertain"),
    "missed": ("漏报", "Missed issue"),
    "note": ("批注", "Note"),
    "severity": ("严重度", "Severity"),
    "undo": ("撤销", "Undo"),
    "last_year": ("上年对照", "Last year"),
    "copy": ("复制", "Copy"),
    "focus_figures": ("数字", "Figures"),
    "focus_findings": ("发现", "Findings"),
    "focus_source": ("原文", "Source"),
    "confirm_pair": ("确认配对", "Confirm pair"),
    "reject_pair": ("否认配对", "Reject pair"),
    "pair_with": ("手动配对", "Pair by hand"),
    "cancel": ("取消", "Cancel"),
    "save": ("保存", "Save"),
    # Verdicts in a table cell (four columns)
    "short_confirmed": ("确认", "issue"),
    "short_false_positive": ("误报", "FP"),
    "short_uncertain": ("存疑", "?"),
    "short_missed": ("漏报", "missed"),
    # Column headers and labels
    "col_unit": ("单位", "Unit"),
    "not_stated": ("未注明", "not stated"),
    "year_not_stated": ("年度未注明", "year not stated"),
    "col_year": ("年度", "Year"),
    "col_errors": ("错误", "Errors"),
    "col_warnings": ("警告", "Warnings"),
    "col_status": ("状态", "Status"),
    "col_file": ("文件", "File"),
    "col_decisions": ("批注", "Notes"),
    "col_field": ("字段", "Field"),
    "col_value": ("原文数值", "As written"),
    "col_check": ("检查", "Check"),
    "col_decision": ("判断", "Decision"),
    "col_severity": ("级别", "Level"),
    "col_finding": ("发现", "Finding"),
    "col_old": ("上年项目", "Last year"),
    "col_new": ("本年项目", "This year"),
    "col_amount": ("金额", "Amount"),
    "col_change": ("变化", "Change"),
    "col_score": ("相似", "Score"),
    "col_trend": ("走势", "Trend"),
    "all": ("全部", "all"),
    "loading": ("读取中", "Reading"),
    "checking": ("批量检查中…", "Checking the batch…"),
    "loaded": ("已读取", "Read"),
    "reports": ("份报告", "reports"),
    "unreadable": ("无法读取", "unreadable"),
    "no_findings": ("未发现问题", "No findings"),
    "no_figures": ("未提取到数字", "No figures found"),
    "new_project": ("新增", "new"),
    "dropped_project": ("取消", "dropped"),
    "no_last_year": (
        "本批次中没有该单位更早年度的报告。",
        "The batch holds no earlier report of this unit.",
    ),
    "skipped_files": ("个文件不是报告，已跳过", "files skipped (not reports)"),
    "saved_to": ("已导出到", "Exported to"),
    "save_failed": ("未能保存（判断保留在内存中，下次保存时写入）", "Not saved (kept in memory)"),
    "disk_full": ("磁盘空间已满", "the disk is full"),
    "read_only": ("审阅记录所在文件夹只读", "the log folder is read-only"),
    "no_permission": ("没有写入审阅记录的权限", "no permission to write the log"),
    "log_file": ("审阅记录文件", "log file"),
    "saved_later": ("先前未能保存的判断现已保存（报告份数）", "Kept decisions now saved (reports)"),
    "unsaved_on_quit": (
        "仍有判断未能保存，再按一次退出键将丢失这些判断",
        "Some decisions are not saved; quit again to lose them",
    ),
    "report_gone": (
        "报告文件已被删除或移走，判断仍保存在审阅记录中",
        "The report file was deleted or moved; its decisions stay in the log",
    ),
    "reading_notes": ("读取提示", "Reading notes"),
    "other_sessions": (
        "您在本批次的另一个会话仍在运行（两边的判断都会保存并合并；"
        "对方的新判断在本会话再次保存该报告时显示）",
        "Another session of yours is open on this batch (both save and merge; its new "
        "decisions show here once this session saves that report again)",
    ),
    "since": ("开始于", "since"),
    "cache_failed": (
        "结果缓存出错，本次结果未全部缓存（下次将重新读取）",
        "The result cache failed: not every result was kept (they will be read again)",
    ),
    "nothing_to_undo": ("没有可撤销的操作", "Nothing to undo"),
    "undone": ("已撤销", "Undone"),
    "copied": ("已复制到剪贴板", "Copied to the clipboard"),
    "no_match": ("未找到", "Not found"),
    "all_reviewed": ("全部报告均已审阅", "Every report is reviewed"),
    "select_first": ("先在原文中选择一段文字（v 开始选择）", "Select text first (v starts)"),
    "still_loading": ("仍在读取，请稍候", "Still reading, a moment"),
    "note_prompt": ("批注（回车保存，Esc 取消）", "Note (Enter saves, Esc cancels)"),
    "missed_prompt": ("漏报说明（回车保存，Esc 取消）", "Missed issue (Enter saves, Esc cancels)"),
    "search_prompt": ("搜索原文（回车）", "Search the text (Enter)"),
    "filter_prompt": ("按单位或文件名筛选", "Filter by unit or file name"),
    "export_title": ("导出审阅记录", "Export the review log"),
    "export_path": ("保存到", "Save to"),
    "help_title": ("帮助", "Help"),
    "keys": ("按键", "Keys"),
    "reported": ("所述", "stated"),
    "computed": ("计算", "computed"),
    "difference": ("差", "difference"),
    "tolerance": ("容差", "tolerance"),
    "hint": ("提示", "hint"),
    "quote": ("原文", "quote"),
    "selection": ("已选择", "selected"),
    "marking": ("选择中：移动光标扩展选区，Esc 结束", "Selecting: move to extend, Esc ends"),
    "pair_marked": ("已记下，请在另一侧项目上再按一次", "Marked; press again on the other side"),
}


def verdict_width(lang: str) -> int:
    """Columns a verdict cell needs in a language."""
    return max(cell_len(t(k, lang)) for k in WORDS if k.startswith("short_"))


def t(key: str, lang: str) -> str:
    """A word of the workbench in a language."""
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def localise_bindings(node: DOMNode, lang: str) -> None:
    """Give a node's bindings their descriptions in `lang`, looked up by binding id.

    Binding descriptions are fixed when the class is made, but the language is chosen at run
    time; each node holds its own copy of its bindings (Textual copies them per instance to apply
    keymaps), so rewriting that copy changes nothing else.
    """
    bindings: BindingsMap = node._bindings
    for key, found in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(b, description=t(b.id, lang)) if b.id in WORDS else b for b in found
        ]
