"""A command's output file: written beside its final path and moved there only when complete,
so a failure (a full disk, an interrupted run) never leaves half a file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"


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
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
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
    with contextlib.suppress(OSError):  # some filesystems refuse fsync on folders
        _sync(path.parent)


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
