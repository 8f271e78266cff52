"""Fixtures shared by the core and the workbench tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.badinput import Case, build_corpus, release

# No property here is about time: hypothesis's deadline (200 ms an example) would fail a test on
# a loaded machine, not on a wrong result. Speed is measured in bench/, never asserted.
settings.register_profile("jixiao", deadline=None)
settings.load_profile("jixiao")


@pytest.fixture(scope="session")
def bad_batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Case]]]:
    """A batch folder of bad inputs next to good reports, built once (tests.badinput)."""
    folder = tmp_path_factory.mktemp("bad") / "batch"
    cases = build_corpus(folder)
    yield folder, cases
    release(folder)


@pytest.fixture(autouse=True, scope="session")
def private_result_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The commands the tests run (in process or as subprocesses) cache their results in a
    folder of the test session, never in the user's ~/.cache/jixiao."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JIXIAO_CACHE_DIR", str(folder))
        yield folder
