"""A result cache someone else wrote into (a team cache, a group-writable ~/.cache): whatever is
planted in place of an entry — a pickle that would run code, JSON of other shapes, truncated
bytes — is refused as damaged and said once, the reports are read again, the results are those
of a run without a cache, nothing planted is run, and the cache goes on working."""

from __future__ import annotations

import gc
import json
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.cache import CACHE_FILE, SCHEMA_VERSION, ResultCache
from core.cli import main
from core.config import Config
from core.reading import find_reports
from core.review_log import ReviewLog
from tui.workbench import Workbench

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
CONFIG = ROOT / "config.toml"
PROBLEM_SAID = "结果缓存出错"
"""How the command line says the cache failed (core.cli_batch.cache_problem, in Chinese)."""


class _Planted:
    """Unpickled, it creates the file `marker` (as a real attack would run a command)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder)
    copied = (SAMPLES / "峨边县五渡镇_2023_部门整体绩效自评报告.txt").read_text("utf-8")
    copied = copied.replace("峨边县五渡镇", "沐川县新华镇").replace("五渡镇", "新华镇")
    (folder / "沐川县新华镇_2023_部门整体绩效自评报告.txt").write_text(copied, "utf-8")
    (folder / "空白_2023.txt").write_bytes(b"")
    return folder


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    """The file the planted pickle creates; the payload is checked to do so when unpickled."""
    probe = tmp_path / "probe"
    pickle.loads(pickle.dumps(_Planted(probe))).close()
    assert probe.exists()
    return tmp_path / "pwned"


def _hostile(marker: Path, genuine: bytes) -> list[bytes]:
    """What is planted, by turns: the pickle first in every table."""
    data = json.loads(genuine)
    return [
        pickle.dumps(_Planted(marker)),
        genuine[: len(genuine) // 2],
        b"",
        b'{"__class__": "os.system", "args": ["touch pwned"]}',
        json.dumps([*data, "one more"]).encode() if isinstance(data, list) else b"{}",
        json.dumps(data[1:]).encode() if isinstance(data, list) else b"[]",
        genuine.replace(b'"', b"'"),
        b"[" * 50_000 + b"]" * 50_000,
        b"\xff\xfe\x00\x01",
    ]


def _plant(cache: Path, marker: Path) -> int:
    """Every stored value of every table replaced by something hostile; how many."""
    db = sqlite3.connect(cache / CACHE_FILE)
    planted = 0
    with db:
        for table, column in (
            ("summaries", "summary"),
            ("results", "entry"),
            ("batch_results", "summary"),
            ("batch_results", "findings"),
            ("unit_groups", "groups"),
        ):
            rows = db.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()
            for n, (genuine,) in enumerate(rows):
                payloads = _hostile(marker, bytes(genuine))
                db.execute(
                    f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                    (payloads[n % len(payloads)], genuine),
                )
                planted += 1
        # Types SQLite lets anyone store: a digest that is not text, a size that is not a size.
        db.execute("UPDATE files SET sha256 = x'80' WHERE rowid % 2 = 0")
        db.execute("UPDATE files SET size = 'big' WHERE rowid % 2 = 1")
    db.close()
    return planted


def _jixiao(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    assert main(["--config", str(CONFIG), *argv]) in (0, 1)
    out, err = capsys.readouterr()
    gc.collect()  # the run's cache closed, its WAL checkpointed
    return out, err


@pytest.mark.parametrize(
    "command", [["check", "--format", "json"], ["extract", "--format", "csv"]], ids=str
)
def test_planted_entries_are_refused_by_the_commands(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch: Path,
    marker: Path,
    reads: list[Path],
    command: list[str],
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(cache))
    expected = _jixiao(capsys, "--no-cache", command[0], str(batch), *command[1:])
    assert _jixiao(capsys, command[0], str(batch), *command[1:]) == expected
    assert PROBLEM_SAID not in expected[1]
    assert _plant(cache, marker) > len(find_reports([batch]).reports)
    reads.clear()
    out, err = _jixiao(capsys, command[0], str(batch), *command[1:])
    assert out == expected[0]
    assert not marker.exists()
    assert err.count(PROBLEM_SAID) == 1 and "damaged entry was refused" in err
    said = [line for line in err.splitlines(keepends=True) if PROBLEM_SAID not in line]
    assert "".join(said) == expected[1]
    assert set(reads) == set(find_reports([batch]).reports)
    # The damaged entries were replaced: the next run reads nothing and says nothing.
    reads.clear()
    assert _jixiao(capsys, command[0], str(batch), *command[1:]) == expected
    assert reads == []


def _open(folder: Path, cache: ResultCache | None, log: Path) -> Workbench:
    review = ReviewLog.open(folder, reviewer="tester", log_path=log)
    return Workbench.open(folder, Config(), "zh", review, cache=cache, workers=1)


def _everything(bench: Workbench) -> tuple[object, ...]:
    """All a reviewer sees of the batch: summaries, every report's results, units."""
    for _ in bench.load():
        pass
    bench.check_batch()
    entries = [bench.loader.entry(i) for i in range(len(bench.paths))]
    return tuple(bench.summaries), tuple(entries), tuple(map(tuple, bench.unit_groups()))


def test_planted_entries_are_refused_by_the_workbench(
    tmp_path: Path, batch: Path, marker: Path, reads: list[Path]
) -> None:
    expected = _everything(_open(batch, None, tmp_path / "log0"))
    first = _open(batch, ResultCache.open(tmp_path / "cache"), tmp_path / "log1")
    assert _everything(first) == expected
    first.loader.cache.close()
    _plant(tmp_path / "cache", marker)
    reads.clear()
    planted = _open(batch, ResultCache.open(tmp_path / "cache"), tmp_path / "log2")
    assert _everything(planted) == expected
    assert not marker.exists()
    assert planted.loader.cache.problem is not None
    assert planted.loader.cache.problem.startswith("a damaged entry was refused")
    assert reads
    planted.loader.cache.close()
    reads.clear()
    again = _open(batch, ResultCache.open(tmp_path / "cache"), tmp_path / "log3")
    assert _everything(again) == expected
    assert again.loader.cache.problem is None
    assert reads == []


def test_damaged_findings_of_the_whole_batch_are_worked_out_again(
    tmp_path: Path, batch: Path, marker: Path
) -> None:
    """Only the cross-report findings of one report damaged, found when it is opened."""
    expected = _everything(_open(batch, None, tmp_path / "log0"))
    first = _open(batch, ResultCache.open(tmp_path / "cache"), tmp_path / "log1")
    _everything(first)
    first.loader.cache.close()
    db = sqlite3.connect(tmp_path / "cache" / CACHE_FILE)
    with db:
        db.execute(
            "UPDATE batch_results SET findings = ? WHERE position = 2",
            (pickle.dumps(_Planted(marker)),),
        )
    db.close()
    again = _open(batch, ResultCache.open(tmp_path / "cache"), tmp_path / "log2")
    assert _everything(again) == expected
    assert not marker.exists()
    assert again.loader.cache.problem is not None


def test_a_cache_of_pickles_is_dropped_unread(tmp_path: Path, batch: Path, marker: Path) -> None:
    """A cache the old code wrote (layout 2, pickled entries) is laid out anew, never read."""
    cache = tmp_path / "cache"
    first = _open(batch, ResultCache.open(cache), tmp_path / "log1")
    expected = _everything(first)
    first.loader.cache.close()
    _plant(cache, marker)
    db = sqlite3.connect(cache / CACHE_FILE)
    db.execute("UPDATE summaries SET summary = ?", (pickle.dumps(_Planted(marker)),))
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    db.commit()
    db.close()
    again = _open(batch, ResultCache.open(cache), tmp_path / "log2")
    assert _everything(again) == expected
    assert again.loader.cache.problem is None  # nothing was read to be refused
    assert not marker.exists()


def test_no_module_of_the_program_unpickles() -> None:
    """Nothing the program reads (the cache above all) goes through pickle or its kin."""
    import ast

    banned = {"pickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle"}
    found = []
    for source in [*(ROOT / "core").rglob("*.py"), *(ROOT / "tui").rglob("*.py")]:
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            found += [f"{source.name}: {n}" for n in names if n.split(".")[0] in banned]
    assert found == []
