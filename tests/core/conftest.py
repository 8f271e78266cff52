"""Fixtures of the core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import core.loading
from core.batch import Entry, load_entry


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files read (extracted and checked) in this process."""
    seen: list[Path] = []

    def counted(path: Path, **kwargs: object) -> Entry:
        seen.append(path)
        return load_entry(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core.loading, "load_entry", counted)
    return seen
