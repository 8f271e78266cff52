"""Messages to the reviewer that carry text from disk: never read as markup."""

from __future__ import annotations

import errno

from textual.dom import DOMNode

from core.cleaning import inert, inert_name
from core.review_lock import Session
from core.review_store import ReviewLogError
from tui.i18n import t

_SAVE_PROBLEMS = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EFBIG: "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "no_permission",
    errno.EPERM: "no_permission",
}
"""Operating system errors said in plain words; others are said as the system says them."""


def save_problem(exc: ReviewLogError, lang: str) -> str:
    """Why a decision could not be saved, in plain words, and which log file it is."""
    key = _SAVE_PROBLEMS.get(exc.errno or 0)
    why = t(key, lang) if key else exc.problem
    return f"{why} — {t('log_file', lang)}: {exc.file}"


def save_failed(node: DOMNode, problem: str, lang: str) -> None:
    """Say a decision could not be written (it is kept and written by the next save)."""
    message = inert(f"{t('save_failed', lang)}: {problem}")
    node.app.notify(message, severity="error", timeout=10, markup=False)


def saved_later(node: DOMNode, count: int, lang: str) -> None:
    """Say decisions that could not be saved before are now on disk."""
    node.app.notify(f"{t('saved_later', lang)}: {count}", timeout=5, markup=False)


def report_gone(node: DOMNode, relative_path: str, lang: str) -> None:
    """Say a report's file is no longer where it was read from; its decisions are kept."""
    message = inert(f"{t('report_gone', lang)}: {inert_name(relative_path)}")
    node.app.notify(message, severity="warning", timeout=10, markup=False)


def reading_notes(node: DOMNode, notes: list[str], lang: str) -> None:
    """Say what reading the report could not be sure of (an encoding guessed, a PDF page
    without text, a pattern of config.toml left out): its figures may be incomplete."""
    message = inert(f"{t('reading_notes', lang)}:\n" + "\n".join(notes))
    node.app.notify(message, severity="warning", timeout=15, markup=False)


def cache_failed(node: DOMNode, problem: str, lang: str) -> None:
    """Say the result cache failed (the review goes on; the next opening reads again)."""
    message = inert(f"{t('cache_failed', lang)}: {problem}")
    node.app.notify(message, severity="warning", timeout=10, markup=False)


def other_sessions(node: DOMNode, sessions: tuple[Session, ...], lang: str) -> None:
    """Say another session of this reviewer is open on the batch: both save safely (merged at
    each save), but each shows the other's decisions only once it saves that report again."""
    where = "; ".join(
        f"{s.host} pid {s.pid}, {t('since', lang)} {s.started:%Y-%m-%d %H:%M}" for s in sessions
    )
    message = inert(f"{t('other_sessions', lang)}: {where}")
    node.app.notify(message, severity="warning", timeout=15, markup=False)
