"""Two sessions of one reviewer saving on the same reports while their processes are killed at
random: every acknowledged decision must be on disk at the end, and every acknowledged removal
must stay removed. Used by tests/core/test_review_sessions_stress.py (a few seconds) and
bench/stress_sessions.py (long).

Each of two lanes runs one session process at a time; the parent SIGKILLs one now and then and
starts another in its lane. A session adds annotations, changes their notes and removes them
(only its lane's, taking over those a killed session of its lane left: each annotation then has
one history, and one expected end), and sets report statuses; it writes "I <op> <id> <note>" to
a pipe before each call and "A" once the call returned, so the parent knows what was
acknowledged and what was in flight when the kill came.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import select
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from core.review import Annotation, Target
from core.review_log import ReviewLog
from core.review_store import LogContents, read_log

REVIEWER = "张三"
REPORTS = [f"报告{n}.txt" for n in range(6)]
MAX_LIVE = 12
"""Live annotations a lane keeps at most: files stay the size of a real review."""
QUOTE = "支出合计1290.00万元"


def _text(name: str) -> str:
    return f"{name}\n{QUOTE}。\n"


def make_batch(folder: Path) -> Path:
    """A batch of a few small reports."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in REPORTS:
        (folder / name).write_text(_text(name), encoding="utf-8")
    return folder


def _session(batch: str, lock: str, lane: int, out: Connection, seed: int) -> None:
    """One session of a lane: decide forever, telling the parent before and after each
    decision. It takes over the annotations its lane's killed sessions left in the log."""
    import hashlib

    fd = out.fileno()
    log = ReviewLog.open(Path(batch), reviewer=REVIEWER, lock=lock)
    keys = []
    for name in REPORTS:
        path = Path(batch) / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        keys.append(log.register(path, digest, lambda p=path: p.read_text("utf-8")).key)
    rng = random.Random(seed)
    # This lane's live annotations (id → report key): only this lane changes them.
    mine = {
        a.id: s.key for s in log.reports for a in s.annotations if a.note.startswith(f"L{lane}-")
    }
    start = len(REPORTS[0]) + 1
    for n in range(10**9):
        roll = rng.random()
        if roll < 0.05:
            log.set_status(rng.choice(keys), rng.choice(["in_progress", "done", "skipped"]))
            continue
        note = f"L{lane}-{os.getpid()}-{n}"
        if (roll < 0.5 and len(mine) < MAX_LIVE) or not mine:
            key = rng.choice(keys)
            a = Annotation.create(
                Target("span"), status="uncertain", severity="warning", author=REVIEWER,
                at=log.now(), note=note, quote=QUOTE, start=start, end=start + len(QUOTE),
            )  # fmt: skip
            os.write(fd, f"I add {a.id} {note}\n".encode())
            log.add(key, a)
            mine[a.id] = key
        elif roll < 0.75:
            aid = rng.choice(sorted(mine))
            os.write(fd, f"I upd {aid} {note}\n".encode())
            log.update(mine[aid], aid, note=note)
        else:
            aid = rng.choice(sorted(mine))
            os.write(fd, f"I rm {aid} -\n".encode())
            log.remove(mine.pop(aid), aid)
        os.write(fd, b"A\n")


@dataclass
class Figures:
    """What a run did and what it found."""

    acknowledged: int = 0
    """Decisions (adds, note changes, removals) whose call returned."""
    removals: int = 0
    """Of them, removals."""
    kills: int = 0
    """Session processes killed."""
    lost: list[str] = field(default_factory=list)
    """Acknowledged adds or changes not on disk at the end."""
    undone: list[str] = field(default_factory=list)
    """Acknowledged removals whose annotation is on disk at the end."""


@dataclass
class _Lane:
    process: multiprocessing.process.BaseProcess
    reader: Connection
    buffer: bytes = b""
    acks: int = 0
    last: tuple[str, str, str] | None = None
    """The decision announced and not yet acknowledged: (op, id, note)."""


class _Run:
    def __init__(self, batch: Path, lock: str, seed: int) -> None:
        self.batch, self.lock = batch, lock
        self.ctx = multiprocessing.get_context("forkserver")
        self.ctx.set_forkserver_preload(["core.review_log", __name__])
        self.rng = random.Random(seed)
        self.figures = Figures()
        self.history: dict[str, list[tuple[str, str, bool]]] = {}
        """id → [(op, note, acknowledged)] in order: one history per id (its session's)."""

    def start(self, lane: int) -> _Lane:
        reader, writer = self.ctx.Pipe(duplex=False)
        args = (str(self.batch), self.lock, lane, writer, self.rng.random())
        process = self.ctx.Process(target=_session, args=args)
        process.start()
        writer.close()
        return _Lane(process, reader)

    def read(self, lane: _Lane) -> bool:
        """Take what the lane's session wrote; False at the end of the pipe."""
        data = os.read(lane.reader.fileno(), 65536)
        lane.buffer += data
        *lines, lane.buffer = lane.buffer.split(b"\n")
        for line in lines:
            parts = line.decode().split(" ")
            if parts[0] == "I":
                op, aid, note = parts[1], parts[2], parts[3]
                lane.last = (op, aid, note)
                self.history.setdefault(aid, []).append((op, note, False))
            elif lane.last is not None:  # "A": the announced decision returned
                op, aid, note = lane.last
                self.history[aid][-1] = (op, note, True)
                lane.last = None
                lane.acks += 1
                self.figures.acknowledged += 1
                self.figures.removals += op == "rm"
        return bool(data)

    def stop(self, lane: _Lane) -> None:
        assert lane.process.pid is not None
        if lane.process.is_alive():
            os.kill(lane.process.pid, signal.SIGKILL)
        lane.process.join()
        # What it wrote before it died is still in the pipe: read to the end.
        while select.select([lane.reader.fileno()], [], [], 0)[0] and self.read(lane):
            pass
        lane.reader.close()


def run(
    folder: Path,
    *,
    decisions: int,
    kills: int,
    lock: str = "auto",
    seed: int = 20250301,
    max_gap: float = 0.03,
    timeout: float = 600.0,
) -> Figures:
    """Run two lanes until `decisions` are acknowledged and `kills` processes were killed, then
    check the log."""
    batch = make_batch(folder / "batch")
    r = _Run(batch, lock, seed)
    lanes = [r.start(0), r.start(1)]
    deadline = time.monotonic() + timeout
    try:
        while r.figures.acknowledged < decisions or r.figures.kills < kills:
            if time.monotonic() > deadline:
                raise AssertionError(f"no progress: {r.figures}")
            # Read both lanes for a random while, then kill one that has decided something.
            until = time.monotonic() + r.rng.uniform(0, max_gap)
            while True:
                fds = [x.reader.fileno() for x in lanes]
                ready = select.select(fds, [], [], 0.002)[0]
                for lane in lanes:
                    if lane.reader.fileno() in ready:
                        r.read(lane)
                if time.monotonic() >= until:
                    break
            for lane in lanes:
                if not lane.process.is_alive():
                    raise AssertionError(f"a session died: exit {lane.process.exitcode}")
            victims = [i for i, x in enumerate(lanes) if x.acks > 0]
            if victims and r.figures.kills < kills:
                i = r.rng.choice(victims)
                r.stop(lanes[i])
                lanes[i] = r.start(i)
                r.figures.kills += 1
    finally:
        for lane in lanes:
            r.stop(lane)
    _check(read_log(batch / ".jixiao" / REVIEWER), r.history, r.figures)
    return r.figures


def _check(
    contents: LogContents, history: dict[str, list[tuple[str, str, bool]]], f: Figures
) -> None:
    live = {a.id: a for s in contents.reports for a in s.annotations}
    for aid, ops in history.items():
        acked = [i for i, (_, _, ok) in enumerate(ops) if ok]
        last = acked[-1] if acked else -1
        # The end is the last acknowledged decision, or one of those in flight when kills came
        # after it (a session taking over an annotation may be killed in turn).
        allowed = [op[:2] for op in ops[max(last, 0) :]]
        if last < 0:
            allowed.append(("none", ""))
        ends = {"gone" if op in ("rm", "none") else note for op, note in allowed}
        found = live.get(aid)
        if ("gone" if found is None else found.note) in ends:
            continue
        what = f"{aid}: {ops[-3:]} on disk: {'gone' if found is None else found.note}"
        if last >= 0 and ops[last][0] == "rm":
            f.undone.append(what)
        else:
            f.lost.append(what)
