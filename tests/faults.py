"""Failing the operating-system calls a save makes, for files under one folder only.

A save (core/review_store.py) opens a temporary file (os.open), writes it (a file object from
os.fdopen), fsyncs it, renames it over the old one (os.replace) and copies the old content to a
backup (Path.write_bytes). `Faults` makes one of those fail with an errno, as a full disk
(ENOSPC, EDQUOT), a read-only folder (EROFS, EACCES) or a failing device (EIO) would; calls on
other paths (Textual, pytest) go through untouched."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest

OPS = ("open", "write", "fsync", "replace", "backup")


def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


class _FullFile(io.RawIOBase):
    """A file that takes half of the first write, then fails as a full disk does."""

    def __init__(self, inner: Any, err: int, faults: Faults) -> None:
        self.inner, self.err, self.faults = inner, err, faults
        self.failed = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self.failed:  # a full disk stays full: later writes fail too, counted once
            self.failed = True
            self.faults.injected += 1
            self.inner.write(bytes(data)[: len(data) // 2])
            self.inner.flush()
        raise OSError(self.err, os.strerror(self.err))

    def fileno(self) -> int:
        return int(self.inner.fileno())

    def flush(self) -> None:
        self.inner.flush()

    def close(self) -> None:
        super().close()
        self.inner.close()


class Faults:
    """Arm with `arm(op, errno)`; every matching call under `folder` then fails until
    `disarm()`. `injected` counts the failures raised."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = str(folder.resolve())
        self.armed: dict[str, int] = {}
        self.injected = 0
        real_open, real_fdopen, real_fsync = os.open, os.fdopen, os.fsync
        real_replace, real_write_bytes = os.replace, Path.write_bytes

        def fail(op: str, path: object) -> None:
            err = self.armed.get(op)
            if err is not None and str(Path(str(path)).resolve()).startswith(self.folder):
                self.injected += 1
                raise OSError(err, os.strerror(err), str(path))

        def fake_open(path: Any, flags: int, *args: Any, **kw: Any) -> int:
            if flags & os.O_CREAT:
                fail("open", path)
            return real_open(path, flags, *args, **kw)

        def fake_fdopen(fd: int, *args: Any, **kw: Any) -> Any:
            f = real_fdopen(fd, *args, **kw)
            err = self.armed.get("write")
            if err is not None and _fd_path(fd).startswith(self.folder):
                return io.BufferedWriter(_FullFile(f, err, self))
            return f

        def fake_fsync(fd: int) -> None:
            fail("fsync", _fd_path(fd) or "/nowhere")
            real_fsync(fd)

        def fake_replace(src: Any, dst: Any, **kw: Any) -> None:
            fail("replace", dst)
            real_replace(src, dst, **kw)

        def fake_write_bytes(path: Path, data: Any) -> int:
            if path.name.startswith(".") and ".bak." in path.name:
                fail("backup", path)
            return real_write_bytes(path, data)

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "fdopen", fake_fdopen)
        monkeypatch.setattr(os, "fsync", fake_fsync)
        monkeypatch.setattr(os, "replace", fake_replace)
        monkeypatch.setattr(Path, "write_bytes", fake_write_bytes)

    def arm(self, op: str, err: int) -> None:
        assert op in OPS, op
        self.armed = {op: err}

    def disarm(self) -> None:
        self.armed = {}


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
READ_ONLY = (errno.EROFS, errno.EACCES)
CASES = [
    *((op, e) for op in ("open", "backup") for e in (*DISK_FULL, *READ_ONLY)),
    *(("write", e) for e in (*DISK_FULL, errno.EIO)),
    *(("fsync", e) for e in (errno.ENOSPC, errno.EIO)),
    *(("replace", e) for e in (*READ_ONLY, errno.EBUSY)),
]
"""(operation, errno) pairs a real disk or folder can produce at that step of a save."""
