"""Two sessions of one reviewer: a lock per report file for the read-merge-replace of a save, and
a presence file per open session so the workbench can say another one is open.

The lock is `fcntl.flock` on `<key>.toml.lock` beside the report's file. flock does not exclude
writers on every network file system (NFS emulates it, or refuses it with ENOLCK), so on a
network file system, and wherever flock fails with ENOLCK/EOPNOTSUPP, the lock is a link lock
instead: `<key>.toml.lck`, made by `os.link` of a file holding the holder's pid, host and time
(a link is atomic on NFS, where O_EXCL was not always). A link lock whose holder is a dead
process of this host, or which is older than STALE_SECONDS when its holder is on another host,
is broken. A lock not had within WAIT_SECONDS raises an OSError (EWOULDBLOCK): the save fails
and its decision stays in memory, never lost without a word.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import socket
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import tomli_w

LOCK_SUFFIX = ".lock"
"""The flock file beside a report's file."""
LINK_SUFFIX = ".lck"
"""The link lock beside a report's file (network file systems)."""
STALE_SECONDS = 30.0
"""A link lock held this long by another host is a killed holder's (a save takes ms)."""
WAIT_SECONDS = 20.0
"""How long a save waits for another session's lock before it fails (and keeps the decision)."""
LOCK_METHODS = ("auto", "flock", "link")
"""auto: flock, or a link lock on a network file system or where flock is refused."""
SESSIONS_DIR = "sessions"
"""One presence file per open session of the reviewer, beside review.toml."""

NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
        "lustre", "gpfs", "beegfs", "fuse.sshfs", "fuse.glusterfs", "fuse.davfs2", "davfs",
        "fuse.rclone", "fuse.s3fs", "fuse.cephfs",
    }
)  # fmt: skip
"""File systems where flock may not exclude writers on other machines."""

_FLOCK_REFUSED = frozenset(
    {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EINVAL, errno.EBADF}
)
_POLL_SECONDS = 0.002


def host_name() -> str:
    """This machine's name, as presence and link-lock files record it."""
    try:
        return socket.gethostname() or "localhost"
    except OSError:  # pragma: no cover - no host name
        return "localhost"


def filesystem_type(path: Path) -> str | None:
    """The type of the file system holding `path` (from /proc/self/mounts), or None."""
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    target = os.path.realpath(path)
    best, kind = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        # /proc/self/mounts escapes spaces and the like as octal: \040.
        point = parts[1].encode().decode("unicode_escape")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def lock_method(folder: Path, requested: str = "auto") -> str:
    """ "flock" or "link" for a log folder."""
    if requested not in LOCK_METHODS:
        raise ValueError(f"unknown lock method {requested!r}; one of {', '.join(LOCK_METHODS)}")
    if requested != "auto":
        return requested
    return "link" if filesystem_type(folder) in NETWORK_FILE_SYSTEMS else "flock"


def pid_alive(pid: int, started: str = "") -> bool:
    """Whether process `pid` of this host runs (and, when its start is known, is that one)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    except OSError:  # pragma: no cover - cannot tell: assume it runs
        return True
    return not started or process_start(pid) in ("", started)


def process_start(pid: int) -> str:
    """When a process started (clock ticks since boot, /proc/<pid>/stat), "" when unknown: a pid
    reused by a new process is told from the old one by it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


class SaveLock:
    """The lock of one report file. `method` is "flock" or "link"; "flock" turns to "link" for
    good when the file system refuses flock (`method` then says so)."""

    def __init__(self, method: str = "flock") -> None:
        self.method = method

    @contextlib.contextmanager
    def hold(self, path: Path) -> Iterator[None]:
        """Hold the lock of `path` (a report's file) for the body of a `with`."""
        if self.method == "flock":
            fd = self._flock(path)
            if fd is not None:
                try:
                    yield
                finally:
                    os.close(fd)  # closing releases the lock
                return
            self.method = "link"
        with _link_lock(path.with_name(path.name + LINK_SUFFIX)):
            yield

    def _flock(self, path: Path) -> int | None:
        import fcntl  # POSIX only; core must still import on other systems

        fd = os.open(path.with_name(path.name + LOCK_SUFFIX), os.O_RDWR | os.O_CREAT, 0o666)
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise _busy(path) from None
                    time.sleep(_POLL_SECONDS)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _FLOCK_REFUSED:
                return None
            raise


def _busy(path: Path) -> OSError:
    return OSError(errno.EWOULDBLOCK, "another session of this reviewer holds the lock", str(path))


@contextlib.contextmanager
def _link_lock(lock: Path) -> Iterator[None]:
    pid = os.getpid()
    me = tomli_w.dumps({"pid": pid, "host": host_name(), "started": process_start(pid)})
    tmp = lock.with_name(f".{lock.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_text(me, encoding="utf-8")
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while True:
            try:
                os.link(tmp, lock)
                break
            except FileExistsError:
                pass
            _break_if_stale(lock)
            if time.monotonic() > deadline:
                raise _busy(lock)
            time.sleep(_POLL_SECONDS)
        mine = os.stat(lock)
    finally:
        tmp.unlink(missing_ok=True)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            now = os.stat(lock)
            if (now.st_ino, now.st_dev) == (mine.st_ino, mine.st_dev):
                lock.unlink()


def _break_if_stale(lock: Path) -> None:
    try:
        seen = os.stat(lock)
        data = lock.read_bytes()
    except FileNotFoundError:
        return
    if not _stale(data, seen.st_mtime):
        return
    # Move the stale lock aside (one waiter wins the rename), then make sure it was the one
    # judged stale; a fresh lock taken meanwhile is put back.
    aside = lock.with_name(f".{lock.name}.stale.{secrets.token_hex(4)}.tmp")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return
    moved = os.stat(aside)
    if (moved.st_ino, moved.st_dev) != (seen.st_ino, seen.st_dev):
        with contextlib.suppress(FileExistsError):
            os.link(aside, lock)
    aside.unlink(missing_ok=True)


def _stale(data: bytes, mtime: float) -> bool:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
        pid, host, started = int(doc["pid"]), str(doc["host"]), str(doc.get("started", ""))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
        return time.time() - mtime > STALE_SECONDS
    if host == host_name():
        return not pid_alive(pid, started)
    return time.time() - mtime > STALE_SECONDS


@dataclass(frozen=True)
class Session:
    """A workbench session open on a log."""

    pid: int
    host: str
    started: datetime
    file: Path


def announce_session(folder: Path, started: datetime) -> Path:
    """Record this process as a session open on the log in `folder`; returns its file."""
    sessions = folder / SESSIONS_DIR
    sessions.mkdir(exist_ok=True)
    host, pid = host_name(), os.getpid()
    doc = {"pid": pid, "host": host, "started": started, "process": process_start(pid)}
    path = sessions / f"{_slug(host)}-{pid}.toml"
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_text(tomli_w.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)
    return path


def other_sessions(folder: Path) -> tuple[Session, ...]:
    """The other sessions open on the log in `folder`, oldest first. A session of a dead process
    of this host is ignored and its file removed; one of another host cannot be checked and is
    listed."""
    found = []
    me = (host_name(), os.getpid())
    for path in sorted((folder / SESSIONS_DIR).glob("*.toml")):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
            pid, host, started = int(doc["pid"]), str(doc["host"]), doc["started"]
            process = str(doc.get("process", ""))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, ValueError):
            continue
        if not isinstance(started, datetime) or (host, pid) == me:
            continue
        if host == me[0] and not pid_alive(pid, process):
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        found.append(Session(pid, host, started, path))
    return tuple(sorted(found, key=lambda s: (s.started, s.host, s.pid)))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:60] or "host"
