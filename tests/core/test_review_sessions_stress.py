"""Stress: two sessions of one reviewer adding, changing and removing annotations on the same
reports while their processes are SIGKILLed at random; nothing acknowledged is lost and no
acknowledged removal comes back (tests/core/sessions_stress.py; bench/stress_sessions.py runs
it long). Counted, not timed."""

from __future__ import annotations

import pytest

from tests.core.sessions_stress import run


@pytest.mark.parametrize("lock", ["flock", "link"])
def test_two_killed_sessions_lose_nothing(tmp_path, lock):
    figures = run(tmp_path, decisions=250, kills=15, lock=lock)
    assert figures.acknowledged >= 250 and figures.kills == 15
    assert figures.removals > 0, "the run removed nothing: it tests too little"
    assert figures.lost == [], f"{len(figures.lost)} acknowledged decisions lost"
    assert figures.undone == [], f"{len(figures.undone)} acknowledged removals undone"
