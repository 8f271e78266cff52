"""Bench: the workbench on big batches. Opening (cold and warm), keypress CPU, bytes written to
the terminal, peak memory.

    .venv/bin/python bench/bench_workbench.py BATCH [BATCH ...] [--keys 200]

Each BATCH is a folder, e.g. made by `bench/make_batch.py /tmp/b10k --n 10000`. For each:

- cold open: an empty result cache; time until the batch screen is painted and usable (rows
  listed, progress shown), and until every report is read and checked;
- warm open: the same cache again; time until every report is listed (the screen usable);
- keypress CPU on the report screen and on the batch listing with the whole batch loaded:
  process time (not wall time) of Pilot's press + pause, p50 and p95;
- in a real pseudo-terminal (the `jixiao` command, 120 × 40, TERM=xterm-256color): seconds from
  starting the command to the batch screen, cold and warm; bytes written per cursor move and
  per page on the listing and the report, and the app's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import resource
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.batch import SORTS  # noqa: E402
from core.cache import ResultCache  # noqa: E402
from core.config import Config  # noqa: E402
from core.review_log import ReviewLog  # noqa: E402
from tui.app import JixiaoApp  # noqa: E402
from tui.screens.batch import STATUS_FILTERS, BatchScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.workbench import Workbench  # noqa: E402

SIZE = (120, 40)
BATCH_SCREEN_MARK = "筛选".encode()
"""A key of the batch screen's footer."""


def _app(folder: Path, cache: Path, log: Path) -> JixiaoApp:
    review = ReviewLog.open(folder, reviewer="bench", log_path=log)
    return JixiaoApp(Workbench.open(folder, Config(), "zh", review, cache=ResultCache.open(cache)))


async def _open(folder: Path, cache: Path, log: Path, *, until_checked: bool) -> dict[str, float]:
    """Seconds from start to a painted, usable batch screen; to every row listed; to checked."""
    start = time.perf_counter()
    app = _app(folder, cache, log)
    times: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while not isinstance(screen, BatchScreen):
            await pilot.pause(0.01)
            screen = app.screen
        await pilot.pause()
        times["usable"] = time.perf_counter() - start
        total = len(app.workbench.paths)
        while screen.loaded < total:
            await asyncio.sleep(0.01)
        times["listed"] = time.perf_counter() - start
        if until_checked:
            while not app.workbench.batch_checked:
                await asyncio.sleep(0.05)
            times["checked"] = time.perf_counter() - start
    return times


async def _keypresses(folder: Path, cache: Path, log: Path, keys: int) -> dict[str, list[float]]:
    """Process-time milliseconds per key on the listing and on the report screen."""
    app = _app(folder, cache, log)
    costs: dict[str, list[float]] = {}

    async def measure(name: str, key: str, presses: int = keys) -> None:
        spent = []
        for _ in range(presses):
            before = time.process_time()
            await pilot.press(key)
            await pilot.pause()
            spent.append((time.process_time() - before) * 1000)
        costs[name] = costs.get(name, []) + spent

    async with app.run_test(size=SIZE) as pilot:
        while not app.workbench.batch_checked:
            await asyncio.sleep(0.05)
        await pilot.pause(0.5)
        while not isinstance(app.screen, BatchScreen):  # the app resumed on the last report
            await pilot.press("escape")
            await pilot.pause(0.1)
        await measure("listing: down", "down")
        await measure("listing: page down", "pagedown")
        # Keys that lay the whole listing out again: fewer presses, whole cycles of the sort
        # orders and status filters, so the listing ends as it began.
        few = max(8, keys // 10)
        await measure("listing: sort (o)", "o", len(SORTS) * max(1, few // len(SORTS)))
        cycle = len(STATUS_FILTERS)
        await measure("listing: status filter (s)", "s", cycle * max(1, few // cycle))
        await pilot.press("slash")
        for _ in range(few // 2):
            await measure("listing: filter typing", "县", 1)
            await measure("listing: filter typing", "backspace", 1)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BatchScreen)
        await pilot.press("enter")
        while not isinstance(app.screen, ReportScreen):
            await pilot.pause(0.01)
        await pilot.pause(0.3)
        await measure("report: next figure", "down")
        await measure("report: next finding", "right_square_bracket")
        # Not a cursor move: a report screen is built for another report.
        await measure("open the next unreviewed report (g)", "g", few)
    return costs


# ---- a real terminal -----------------------------------------------------------------------


def _drain(fd: int, quiet: float = 0.3, limit: float = 600.0) -> bytes:
    """Everything the app writes until it has been quiet for `quiet` seconds."""
    out = bytearray()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return bytes(out)


def _wait_for(fd: int, marker: bytes, limit: float) -> bytes:
    out = bytearray()
    deadline = time.monotonic() + limit
    while marker not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
    return bytes(out)


def _start(folder: Path, cache: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """The `jixiao` command on the batch in a new pseudo-terminal: (process, terminal fd)."""
    primary, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "JIXIAO_CACHE_DIR": str(cache)}
    command = [str(Path(sys.executable).with_name("jixiao")), str(folder), "--log", str(log)]
    process = subprocess.Popen(
        command, stdin=secondary, stdout=secondary, stderr=secondary, env=env, close_fds=True
    )
    os.close(secondary)
    return process, primary


def _first_screen(folder: Path, cache: Path, log: Path) -> float:
    """Seconds from starting the command to the batch screen on the terminal (its key bar,
    which is drawn with the listing), Python's start and the imports included."""
    began = time.perf_counter()
    process, primary = _start(folder, cache, log)
    try:
        shown = _wait_for(primary, BATCH_SCREEN_MARK, 60)
        seconds = time.perf_counter() - began
        if BATCH_SCREEN_MARK not in shown:
            raise RuntimeError(f"no batch screen: {shown[-500:]!r}")
        return seconds
    finally:
        process.kill()
        process.wait(10)
        os.close(primary)


def _terminal(folder: Path, cache: Path, log: Path, keys: int) -> dict[str, float]:
    """Bytes per key and peak RSS of the real command in a pseudo-terminal."""
    process, primary = _start(folder, cache, log)
    try:
        # Listed and checked: the app has been quiet for three seconds.
        shown = _drain(primary, quiet=3.0)
        if process.poll() is not None:
            raise RuntimeError(f"jixiao ended at start: {shown[-500:]!r}")
        sizes: dict[str, float] = {}
        # The app may resume on the report last open (a kept --work folder): back to the list.
        _send(primary, b"\x1b")
        for name, key in (
            ("listing: down", b"\x1b[B"),
            ("listing: page down", b"\x1b[6~"),
        ):
            sent = [_send(primary, key) for _ in range(keys // 4)]
            sizes[name] = statistics.median(sent)
        _send(primary, b"\r")
        _drain(primary, quiet=1.0)
        for name, key in (("report: next figure", b"\x1b[B"), ("report: next finding", b"]")):
            sent = [_send(primary, key) for _ in range(keys // 4)]
            sizes[name] = statistics.median(sent)
        sizes["peak RSS MB"] = _peak_rss(process.pid)
        os.write(primary, b"q")
        _drain(primary, quiet=0.5, limit=10)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)
    return sizes


def _send(fd: int, key: bytes) -> int:
    os.write(fd, key)
    return len(_drain(fd, quiet=0.15))


def _peak_rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---- report --------------------------------------------------------------------------------


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("batches", nargs="+", type=Path)
    parser.add_argument("--keys", type=int, default=200, help="presses per measured key")
    parser.add_argument(
        "--work",
        type=Path,
        help="keep the cache and logs here (a second run is then warm from the start)",
    )
    args = parser.parse_args()
    for folder in args.batches:
        n = sum(1 for _ in folder.rglob("*") if _.suffix in (".txt", ".docx", ".pdf"))
        print(f"\n== {folder} ({n} report files)")
        work = args.work / folder.name if args.work else Path(tempfile.mkdtemp(prefix="jixiao-"))
        work.mkdir(parents=True, exist_ok=True)
        cache, log = work / "cache", work / "log"
        try:
            first = "cold" if not cache.exists() else "first (cache kept)"
            if not cache.exists():
                seconds = _first_screen(folder, work / "empty-cache", work / "tty-log")
                print(f"cold open of the command in a terminal: batch screen in {seconds:.2f} s")
                shutil.rmtree(work / "empty-cache", ignore_errors=True)
            cold = asyncio.run(_open(folder, cache, log, until_checked=True))
            print(
                f"{first} open: usable {cold['usable']:.2f} s, every report listed "
                f"{cold['listed']:.1f} s, checked {cold['checked']:.1f} s "
                f"({n / cold['checked']:.0f} reports/s)"
            )
            warm = asyncio.run(_open(folder, cache, log, until_checked=True))
            print(
                f"warm open: usable {warm['usable']:.2f} s, every report listed "
                f"{warm['listed']:.2f} s, checked {warm['checked']:.2f} s"
            )
            for name, spent in asyncio.run(_keypresses(folder, cache, log, args.keys)).items():
                print(f"keypress CPU, {name:22} {_percentiles(spent)}")
            seconds = _first_screen(folder, cache, work / "tty-log")
            print(f"warm open of the command in a terminal: batch screen in {seconds:.2f} s")
            # Its own log: the Pilot runs' log belongs to the reviewer "bench".
            for name, value in _terminal(folder, cache, work / "tty-log", args.keys).items():
                unit = "" if "RSS" in name else " bytes per key (median)"
                print(f"terminal, {name:22} {value:8.0f}{unit}")
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak RSS of this benchmark process (Pilot runs): {rss:.0f} MB")
        finally:
            if not args.work:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
