"""Loading a batch through the result cache: nothing unchanged is read twice, nothing stale is
ever used, and worker processes give what reading in this process gives."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import core.cache
import core.loading
from core.batch import check_entries, load_entry
from core.cache import ResultCache
from core.check_context import CheckConfig
from core.cli import _with_command
from core.loading import BatchLoader, Summary
from core.reading import find_reports
from core.rules import FIELD_RULES

SAMPLES = Path(__file__).parents[2] / "sample_reports"
CHECKS = CheckConfig()


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder)
    return list(find_reports([folder]).reports)


def _loader(paths: list[Path], cache: Path, checks: CheckConfig = CHECKS) -> BatchLoader:
    return BatchLoader(paths, FIELD_RULES, checks, ResultCache.open(cache), workers=1)


def _summaries(loader: BatchLoader) -> dict[int, Summary]:
    return dict(loader.summaries())


def test_an_unchanged_batch_is_not_read_twice(
    batch: list[Path], tmp_path: Path, reads: list[Path]
) -> None:
    first = _loader(batch, tmp_path / "cache")
    before = _summaries(first)
    assert len(reads) == len(batch)
    reads.clear()
    again = _loader(batch, tmp_path / "cache")
    assert _summaries(again) == before
    assert [again.entry(i) for i in range(len(batch))] == [
        first.entry(i) for i in range(len(batch))
    ]
    assert reads == []
    assert all(s.unit and s.year for s in before.values())


def test_a_changed_file_is_read_again_and_only_it(
    batch: list[Path], tmp_path: Path, reads: list[Path]
) -> None:
    _summaries(_loader(batch, tmp_path / "cache"))
    reads.clear()
    changed = batch[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n附：本报告已修订。\n", "utf-8")
    again = _loader(batch, tmp_path / "cache")
    _summaries(again)
    assert reads == [changed]
    assert "附：本报告已修订。" in again.entry(3).extraction.report.text


def test_a_moved_file_is_known_by_its_content(
    batch: list[Path], tmp_path: Path, reads: list[Path]
) -> None:
    empty = batch[0].parent / "空白.txt"
    empty.write_bytes(b"")
    paths = [*batch, empty]
    _summaries(_loader(paths, tmp_path / "cache"))
    reads.clear()
    moved = [p.parent / "移走" / p.name for p in paths]
    for old, new in zip(paths, moved, strict=True):
        new.parent.mkdir(exist_ok=True)
        old.rename(new)
    again = _loader(moved, tmp_path / "cache")
    summaries = _summaries(again)
    assert reads == []
    assert again.entry(0).extraction.report.path == moved[0]
    # A problem is told naming the file as it is called now.
    problem = summaries[len(moved) - 1].problem
    assert problem is not None and str(moved[-1]) in problem and str(empty) not in problem


def test_the_same_text_under_another_name_is_its_own_report(
    tmp_path: Path, reads: list[Path]
) -> None:
    # The text states no unit and no year: the listing says so, and the batch's grouping
    # falls back on each file's name.
    text = "部门整体支出绩效自评报告\n本单位年度预算收入100.00万元。\n"
    folder = tmp_path / "batch"
    folder.mkdir()
    first = folder / "甲县东风镇_2022_自评报告.txt"
    second = folder / "乙县西河镇_2023_自评报告.txt"
    first.write_text(text, "utf-8")
    second.write_text(text, "utf-8")
    loader = _loader([first, second], tmp_path / "cache")
    found = _summaries(loader)
    assert [(s.unit, s.year) for s in (found[0], found[1])] == [(None, None), (None, None)]
    assert loader.entry(1).extraction.report.path == second
    assert sorted(_groups(loader, folder)) == [
        ("乙县西河镇", [second.name]),
        ("甲县东风镇", [first.name]),
    ]
    renamed = second.with_name("丙县南山镇_2024_自评报告.txt")
    second.rename(renamed)
    reads.clear()
    again = _summaries(_loader([first, renamed], tmp_path / "cache"))
    assert reads == [renamed]
    assert (again[1].unit, again[1].year) == (None, None)


def test_other_settings_do_not_reuse_results(
    batch: list[Path], tmp_path: Path, reads: list[Path]
) -> None:
    _summaries(_loader(batch, tmp_path / "cache"))
    reads.clear()
    english = _loader(batch, tmp_path / "cache", replace(CHECKS, lang="en"))
    _summaries(english)
    assert len(reads) == len(batch)
    messages = [f.message for i in range(len(batch)) for f in english.entry(i).findings]
    assert messages and not any("万元" in m and "的" in m for m in messages)


def test_a_lost_cache_entry_is_read_again(batch: list[Path], tmp_path: Path) -> None:
    loader = _loader(batch, tmp_path / "cache")
    _summaries(loader)
    expected = loader.entry(2)
    loader.cache._db.execute("DELETE FROM results")
    loader.cache._db.commit()
    assert loader.entry(2) == expected


def test_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    samples = list(find_reports([SAMPLES]).reports)
    for n in range(core.loading.POOL_FROM + 2):
        source = samples[n % len(samples)]
        text = source.read_text(encoding="utf-8") + f"\n（第{n}份）\n"
        (folder / f"{n:03d}_{source.name}").write_text(text, encoding="utf-8")
    paths = list(find_reports([folder]).reports)
    alone = _loader(paths, tmp_path / "alone")
    pooled = BatchLoader(paths, FIELD_RULES, CHECKS, ResultCache.open(tmp_path / "pooled"), 2)
    assert _summaries(pooled) == _summaries(alone)
    assert pooled.entry(7) == alone.entry(7)


def test_cross_report_findings_are_those_of_the_whole_batch(
    batch: list[Path], tmp_path: Path
) -> None:
    # Another township's report copied from one of the batch.
    source = next(p for p in batch if "五渡镇_2023" in p.name)
    text = source.read_text(encoding="utf-8").replace("五渡", "白岩").replace("峨边", "马边")
    copy = source.with_name("马边县白岩镇_2023_部门整体绩效自评报告.txt")
    copy.write_text(text, encoding="utf-8")
    batch = list(find_reports([copy.parent]).reports)
    loader = _loader(batch, tmp_path / "cache")
    _summaries(loader)
    after = dict(loader.batch_summaries(copy.parent))
    entries = [load_entry(p, rules=FIELD_RULES, checks=CHECKS) for p in batch]
    expected = check_entries(entries, checks=CHECKS)
    assert [loader.entry(i).findings for i in range(len(batch))] == [e.findings for e in expected]
    assert [after[i] for i in range(len(batch))] == [Summary.of(e) for e in expected]
    assert any(f.check == "copied_text" for e in expected for f in e.findings)
    # Stored for the batch as it is: a second loader does not run them again.
    again = _loader(batch, tmp_path / "cache")
    _summaries(again)
    assert dict(again.batch_summaries(copy.parent)) == after


def _groups(loader: BatchLoader, folder: Path) -> list[tuple[str, list[str]]]:
    summaries = _summaries(loader)
    listed = [summaries.get(i) for i in range(len(loader.paths))]
    groups = loader.unit_groups(folder, listed, 90)
    return [(unit, [loader.paths[i].name for i in members]) for unit, members in groups]


def test_units_are_grouped_once_in_a_worker_and_kept_while_the_names_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    samples = list(find_reports([SAMPLES]).reports)
    for n in range(core.loading.POOL_FROM + 2):
        source = samples[n % len(samples)]
        year = 2015 + n // len(samples)
        name = source.name.replace("2023", str(year)).replace("2024", str(year))
        (folder / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    paths = list(find_reports([folder]).reports)
    extractions = [load_entry(p, rules=FIELD_RULES, checks=CHECKS).extraction for p in paths]
    expected = [
        (g.unit, [ex.report.path.name for ex in g.extractions])
        for g in core.loading.group_units(extractions, threshold=90)
    ]
    assert 5 <= len(expected) < len(paths)  # units, each across its years
    pooled = BatchLoader(paths, FIELD_RULES, CHECKS, ResultCache.open(tmp_path / "c"), 2)
    assert _groups(pooled, folder) == expected

    def fails(*args: object, **kwargs: object) -> object:
        raise AssertionError("grouped again")

    monkeypatch.setattr(core.loading, "group_units", fails)
    again = _loader(paths, tmp_path / "c")
    assert _groups(again, folder) == expected
    # Another name: grouped again.
    renamed = paths[0].with_name("另一县另一镇_2030_部门整体支出绩效自评报告.txt")
    paths[0].rename(renamed)
    with pytest.raises(AssertionError, match="grouped again"):
        _groups(_loader(list(find_reports([folder]).reports), tmp_path / "c"), folder)


def test_no_cache_opens_the_workbench_without_the_users_cache(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    assert _with_command(["--no-cache", str(folder)]) == ["--no-cache", "review", str(folder)]
    loader = BatchLoader([], FIELD_RULES, CHECKS, core.loading.private_cache())
    assert loader.cache.path.parent != ResultCache.open(tmp_path / "user").path.parent


def test_a_cache_of_an_older_layout_is_laid_out_anew(
    batch: list[Path], tmp_path: Path, reads: list[Path]
) -> None:
    import sqlite3

    folder = tmp_path / "cache"
    folder.mkdir()
    old = sqlite3.connect(folder / "results.sqlite")
    old.execute("CREATE TABLE results (sha256 TEXT, version TEXT, code TEXT, summary BLOB)")
    old.execute("INSERT INTO results VALUES ('x', 'y', 'z', x'00')")
    old.commit()
    old.close()
    before = _summaries(_loader(batch, folder))
    reads.clear()
    assert _summaries(_loader(batch, folder)) == before
    assert reads == []


def test_results_of_other_code_are_dropped(
    batch: list[Path], tmp_path: Path, reads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _summaries(_loader(batch, tmp_path / "cache"))
    reads.clear()
    monkeypatch.setattr(core.cache, "code_version", lambda: "another")
    again = _loader(batch, tmp_path / "cache")
    (count,) = again.cache._db.execute("SELECT count(*) FROM summaries").fetchone()
    assert count == 0
    _summaries(again)
    assert len(reads) == len(batch)
