"""A command's output file: written beside its final path and moved there only when complete,
so a failure (a full disk, an interrupted run) never leaves half a file behind.

Temporary files are named `.<name>.jixiao-<8 hex digits>.tmp` (an Excel file's working folder
`.jixiao-xlsx-<8 hex digits>.tmp`): a run that was killed leaves them behind, and the next
output written to that folder removes those older than STALE_AFTER. Nothing else is touched."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"
TEMP_MARK = ".jixiao-"
STALE_AFTER = 600.0
"""Seconds after which a temporary file of ours is a killed run's (a live one is being written:
its time of change is recent; a batch that takes longer only loses an empty placeholder)."""
_TEMP_FILE_RE = re.compile(r"\..{1,255}\.jixiao-[0-9a-f]{8}\.tmp", re.DOTALL)
_WORK_FOLDER_RE = re.compile(r"\.jixiao-xlsx-[0-9a-f]{8}\.tmp")
_WORK_FILE_RE = re.compile(r"tmp[0-9a-z_]{1,16}", re.IGNORECASE)
"""What xlsxwriter names its working files (tempfile.mkstemp's default)."""


def temp_path(path: Path) -> Path:
    """A new temporary file's path beside `path`, named as only our temporary files are."""
    return path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(4)}{TEMP_SUFFIX}")


def work_folder(path: Path) -> Path:
    """A new working folder's path beside `path` (for xlsxwriter's files while it writes)."""
    return path.with_name(f"{TEMP_MARK}xlsx-{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _latest_change(entry: os.DirEntry[str]) -> float:
    latest = entry.stat(follow_symlinks=False).st_mtime
    if entry.is_dir(follow_symlinks=False):
        with os.scandir(entry.path) as inside:
            for item in inside:
                latest = max(latest, item.stat(follow_symlinks=False).st_mtime)
    return latest


def clean_stale_temp(folder: Path, *, max_age: float = STALE_AFTER) -> int:
    """Remove the temporary files (and working folders) of ours in `folder` that killed runs
    left behind: only names of our own pattern, only those unchanged for `max_age` seconds.
    Returns how many were removed; never raises (cleaning up is not the job at hand)."""
    removed = 0
    now = time.time()
    try:
        with os.scandir(folder) as scan:
            entries = [e for e in scan if e.name.startswith(".") and TEMP_MARK in e.name]
    except OSError:
        return 0
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.is_symlink():
                continue
            is_file = entry.is_file() and _TEMP_FILE_RE.fullmatch(entry.name)
            is_folder = entry.is_dir() and _WORK_FOLDER_RE.fullmatch(entry.name)
            if not (is_file or is_folder) or now - _latest_change(entry) <= max_age:
                continue
            if is_file:
                os.unlink(entry.path)
            else:
                with os.scandir(entry.path) as inside:
                    for item in inside:
                        if _WORK_FILE_RE.fullmatch(item.name) and item.is_file(
                            follow_symlinks=False
                        ):
                            os.unlink(item.path)
                os.rmdir(entry.path)  # fails, leaving it, if anything else is inside
            removed += 1
    return removed


class OutputError(Exception):
    """The output file cannot be written: `path` and why, in the system's words."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path
        self.why = why


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, created at once (a missing or read-only folder fails
    here, before any work), moved over `path` when the block ends without error and removed
    otherwise."""
    if path.is_dir():
        raise OutputError(path, os.strerror(errno.EISDIR))
    clean_stale_temp(path.parent)
    tmp = temp_path(path)
    with about(path):
        # os.open applies the umask, as opening `path` for writing would.
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        with about(path):
            _sync(tmp)
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder (a rename lives in its entries), where the filesystem allows it."""
    with contextlib.suppress(OSError):  # some filesystems refuse fsync on folders
        _sync(folder)


@contextlib.contextmanager
def about(path: Path) -> Iterator[None]:
    """OSError raised in the block comes out as an OutputError about `path`."""
    try:
        yield
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from exc


def write_pieces(path: Path, pieces: Iterable[str]) -> None:
    """Write text pieces (UTF-8) to `path` as they come, replacing it once all are written."""
    with replacing(path) as tmp:
        with about(path):
            handle = tmp.open("w", encoding="utf-8")
        try:
            for piece in pieces:
                with about(path):
                    handle.write(piece)
        finally:
            with about(path):
                handle.close()


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
