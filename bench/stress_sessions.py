"""Stress: two sessions of one reviewer on the same reports, SIGKILLed at random, run long.

    .venv/bin/python bench/stress_sessions.py [--decisions N] [--kills K] [--lock auto|flock|link]

Two lanes each run one session process at a time, adding annotations, changing their notes,
removing them and setting report statuses on the same three reports; one of them is killed with
SIGKILL every 0-30 ms and another started in its lane. Each session tells the parent through a
pipe what it is about to decide and when the call returned (acknowledged). At the end the log is
read: every acknowledged add or change must be there (or the decision in flight at a kill that
followed it), and every acknowledged removal must stay removed. Prints the figures; exit status 1
when anything was lost. See tests/core/sessions_stress.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package

from tests.core.sessions_stress import run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--lock", default="auto", choices=["auto", "flock", "link"])
    parser.add_argument("--seed", type=int, default=20250301)
    args = parser.parse_args()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        f = run(
            Path(folder), decisions=args.decisions, kills=args.kills, lock=args.lock,
            seed=args.seed, timeout=3600,
        )  # fmt: skip
    print(f"lock: {args.lock}")
    print(f"acknowledged decisions: {f.acknowledged} (of them removals: {f.removals})")
    print(f"sessions killed: {f.kills}")
    print(f"lost: {len(f.lost)}")
    print(f"removals undone: {len(f.undone)}")
    print(f"seconds: {time.monotonic() - start:.0f}")
    for aid in (f.lost + f.undone)[:10]:
        print(f"  {aid}")
    return 1 if f.lost or f.undone else 0


if __name__ == "__main__":
    sys.exit(main())
