"""The real `jixiao DIR` in a pseudo-terminal, on a batch whose text and file names carry
terminal escapes and markup: not one injected sequence is among the bytes it writes, and
clicking the markup's words runs nothing."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from pathlib import Path

import pytest

from tests.hostile import ESC, PAYLOAD_URL

JIXIAO = Path(__file__).parents[2] / ".venv" / "bin" / "jixiao"
ROWS, COLS = 40, 150
HANG_GUARD = 600.0
"""Seconds after which a wait gives up on a program that never draws: no speed is asserted."""
LINE = (
    f"点击[@click=app.quit]退出程序[/]{ESC}]0;pwned-title\x07{ESC}]52;c;cHduZWQ=\x07"
    f"{ESC}]8;;{PAYLOAD_URL}{ESC}\\链接{ESC}]8;;{ESC}\\\x9d0;pwned-title\x9c\x9b2J\x85\u202e反"
)
FORBIDDEN = (
    b"\x1b]52",
    b"pwned-title",
    PAYLOAD_URL.encode(),
    "\x9b".encode(),
    "\x9d".encode(),
    "\x85".encode(),
    "\u202e".encode(),
)
"""The clipboard write, our title and URL payloads, raw C1 and bidi characters (as UTF-8)."""


def _report(year: int) -> str:
    return (
        f"乙县甲镇人民政府{year}年度部门整体支出绩效自评报告\n{LINE}\n"
        f"{year}年支出合计1290.00万元，其中基本支出1287.78万元，项目支出2.22万元。\n"
        f"项目支出主要包括：{LINE}修路资金1.2万元、[@click=app.quit]退出[/]经费1.02万元。\n"
        "自评分数为92分，等级为优。\n"
    )


class Terminal:
    """A child process on a pseudo-terminal; every byte it writes is kept."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        env = dict(os.environ, TERM="xterm-256color", TEXTUAL_ANIMATIONS="none", LANG="C.UTF-8")
        env.pop("TEXTUAL", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        size = struct.pack("HHHH", ROWS, COLS, 0, 0)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, size)
        self.output = b""
        assert self.pid

    def read(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the child has gone
                    return
                if not chunk:
                    return
                self.output += chunk

    def wait_for(self, needle: bytes) -> None:
        """Read until the screen shows `needle` or the program has gone: no deadline, so a
        loaded machine cannot fail it (HANG_GUARD only stops a program that never draws)."""
        end = time.monotonic() + HANG_GUARD
        while needle not in self.output and self.alive() and time.monotonic() < end:
            self.read(0.1)
        self.read(0.1)
        assert needle in self.output, f"{needle!r} never shown"

    def send(self, keys: str | bytes, pause: float = 0.4) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)
        self.read(pause)

    def alive(self) -> bool:
        if self.pid and os.waitpid(self.pid, os.WNOHANG) != (0, 0):
            self.pid = 0  # reaped
        return self.pid != 0

    def close(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def _click(row: int, col: int) -> bytes:
    """An SGR mouse press and release at a 1-based cell."""
    return f"{ESC}[<0;{col};{row}M{ESC}[<0;{col};{row}m".encode()


@pytest.mark.skipif(not JIXIAO.exists(), reason="needs the installed jixiao command")
def test_the_real_app_writes_none_of_the_injected_sequences(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    names = (f"甲镇{ESC}]52;c;cHduZWQ=\x07[@click=app.quit]_2023.txt", "[b]甲镇\x9b2J_2022.txt")
    for name, year in zip(names, (2023, 2022), strict=True):
        (batch / name).write_text(_report(year), encoding="utf-8")
    term = Terminal([str(JIXIAO), str(batch)], tmp_path)
    try:
        term.wait_for("乙县甲镇".encode())
        term.read(1.0)  # loading and checking
        term.send("\x1b[B", 0.3)  # down, to the 2023 report (sorted by path: "[b]…" first)
        term.send("\r", 1.5)  # open it
        term.wait_for("退出程序".encode())
        # Click across every row that shows the markup as written (the footer's own "退出" key
        # is not among them): had any been read as markup, a click would quit.
        text = term.output.decode("utf-8", "replace")
        rows = set()
        for found in re.finditer(r"\[@click=app\.quit\]", text):
            moves = list(re.finditer(r"\x1b\[(\d+);(\d+)H", text[: found.start()]))
            if moves:
                rows.add(int(moves[-1].group(1)))
        assert rows
        for row in sorted(rows):
            for col in range(1, COLS, 3):
                term.send(_click(row, col), 0.0)
        term.read(1.0)
        assert term.alive(), "a click on report text quit the app"
        term.send("]", 0.3)
        term.send("]", 0.3)
        term.send("3", 0.3)
        term.send("\x1b[6~", 0.5)  # page down in the source
        term.send("l", 1.5)  # last year
        term.wait_for("修路".encode())
        assert term.alive()
        for _ in range(4):  # back to the listing and quit; on a busy machine keys may need time
            term.send("\x1b", 1.0)
            term.send("q", 0.5)
            for _ in range(30):
                if not term.alive():
                    break
                term.read(0.1)
            if not term.alive():
                break
        # The app left its screen (on a loaded machine the process may take longer to end).
        assert not term.alive() or term.output.rstrip().endswith(b"\x1b[?1006l"), "no quit"
    finally:
        term.close()
    out = term.output
    assert len(out) > 10_000  # the app drew its screens
    shown = out.decode("utf-8", "replace")
    assert "[@click=app.quit]" in shown  # drawn as written
    for sequence in FORBIDDEN:
        assert sequence not in out, f"{sequence!r} reached the terminal"
    for title in re.findall(rb"\x1b\]0;[^\x07\x1b]*", out):
        assert b"pwned" not in title
    for link in re.findall(rb"\x1b\]8;[^\x07\x1b]*", out):
        assert PAYLOAD_URL.encode() not in link


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _tagged(tag: str) -> list[int]:
    """The Python processes (the app and those it started) whose environment carries `tag`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if not proc.name.isdigit() or tag.encode() not in (proc / "environ").read_bytes():
                continue
            if b"python" in _cmdline(int(proc.name)).split(b"\0")[0]:
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not JIXIAO.exists(), reason="needs the installed jixiao command")
def test_worker_processes_end_with_an_app_killed_outright(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An app killed outright (kill -9, a crash) tells its workers nothing: they must not wait
    # for work forever.
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(1500):  # read in worker processes, too many to be done before the kill
        (batch / f"甲县{n:03d}镇_2023.txt").write_text(_report(2023) * 20, encoding="utf-8")
    tag = f"JIXIAO_TEST_TAG_{os.getpid()}_{time.monotonic_ns()}"
    monkeypatch.setenv(tag, "1")
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    # Started from a shell, as a reviewer does: the app is not the terminal's session leader,
    # whose end would hang up the session's other processes anyway.
    term = Terminal(["/bin/sh", "-c", f"'{JIXIAO}' '{batch}'; sleep 30"], tmp_path)
    try:
        # The app, its resource tracker and fork server, and at least one worker.
        end = time.monotonic() + HANG_GUARD  # the workers start once the batch screen is up
        while len(_tagged(tag)) < 4 and term.alive() and time.monotonic() < end:
            term.read(0.05)
        assert len(_tagged(tag)) >= 4, "no worker processes started"
        # Killed outright, its terminal still open (closing it would hang the session up,
        # which ends every process of it anyway).
        (app,) = [p for p in _tagged(tag) if str(JIXIAO).encode() in _cmdline(p).split(b"\0")]
        os.kill(app, signal.SIGKILL)
        # Watching their parent's sentinel, they end soon after it: wait for that, however
        # long a loaded machine takes (HANG_GUARD only stops a wait for processes that stay).
        end = time.monotonic() + HANG_GUARD
        while _tagged(tag) and time.monotonic() < end:
            time.sleep(0.1)
        left = _tagged(tag)
    finally:
        term.close()
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} processes outlived the app"
