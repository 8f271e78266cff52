"""Temporary files of outputs (core.output_file): named as only ours are, and those a killed
export or extract left behind removed by the next output to that folder, nothing else."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import pytest

from core.cli import main
from core.review import Annotation, Target
from core.review_log import ReviewLog
from tests.core.reviewing import Clock, make_batch, report

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "sample_reports"
    / "安化县平口镇_2023_部门整体支出绩效自评报告.txt"
)


@pytest.fixture
def log(tmp_path: Path) -> ReviewLog:
    """A log of one report with one note."""
    batch = make_batch(tmp_path)
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch), unit="甲镇人民政府", year=2023).key
    annotation = Annotation.create(
        Target("field", field="score"),
        status="uncertain",
        severity="warning",
        author=log.reviewer,
        at=log.now(),
        note="待核实",
    )
    log.add(key, annotation)
    log.flush()
    return log


def _leave(path: Path, *, age: float, folder: bool = False) -> Path:
    if folder:
        path.mkdir()
        (path / "tmpk9w2_x1").write_bytes(b"half an xlsx part")
        os.utime(path / "tmpk9w2_x1", (time.time() - age,) * 2)
    else:
        path.write_bytes(b"half an export")
    os.utime(path, (time.time() - age,) * 2)
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "md"])
def test_an_export_removes_what_killed_exports_left_and_nothing_else(log, tmp_path, fmt):
    out = tmp_path / "exports"
    out.mkdir()
    hour = 3600.0
    stale = [
        _leave(out / ".review.xlsx.jixiao-0123abcd.tmp", age=hour),
        _leave(out / ".其他导出.csv.jixiao-89abcdef.tmp", age=hour),
        _leave(out / ".jixiao-xlsx-456789ab.tmp", age=hour, folder=True),
    ]
    kept = [
        _leave(out / ".review.xlsx.jixiao-fedcba98.tmp", age=10),  # a live export's
        _leave(out / ".notes.tmp", age=hour),  # the user's own files
        _leave(out / ".review.xlsx.0123abcd.tmp", age=hour),
        _leave(out / "review.jixiao-0123abcd.tmp", age=hour),
        _leave(out / ".review.xlsx.jixiao-0123abcd.tmp.bak", age=hour),
        _leave(out / ".jixiao-xlsx-0123abcd.tmp.d", age=hour, folder=True),
    ]
    link = out / ".link.jixiao-00000000.tmp"
    link.symlink_to(kept[1])
    target = out / f"review.{fmt}"
    assert main(["export", str(log.folder), "--format", fmt, "-o", str(target)]) == 0
    assert target.exists()
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept) and link.is_symlink()
    left = {p.name for p in out.iterdir()}
    assert left == {target.name, link.name, *(p.name for p in kept)}


def test_xlsx_working_files_go_to_a_folder_of_ours_that_is_removed(log, tmp_path, monkeypatch):
    import xlsxwriter.packager

    folders: list[str | None] = []
    real = tempfile.mkstemp

    def recording(*args, **kwargs):
        folders.append(kwargs.get("dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsxwriter.packager.tempfile, "mkstemp", recording)
    target = tmp_path / "review.xlsx"
    assert main(["export", str(log.folder), "--format", "xlsx", "-o", str(target)]) == 0
    assert folders and all(
        f is not None and re.fullmatch(r"\.jixiao-xlsx-[0-9a-f]{8}\.tmp", Path(f).name)
        for f in folders
    )
    assert not Path(folders[0]).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_killed_extract_output_is_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = _leave(out / ".figures.xlsx.jixiao-0123abcd.tmp", age=3600)
    work = _leave(out / ".jixiao-xlsx-0123abcd.tmp", age=3600, folder=True)
    user = _leave(out / ".figures.xlsx.tmp", age=3600)
    target = out / "figures.parquet"
    assert (
        main(["--no-cache", "extract", str(SAMPLE), "--format", "parquet", "-o", str(target)]) == 0
    )
    assert target.exists() and not stale.exists() and not work.exists() and user.exists()
