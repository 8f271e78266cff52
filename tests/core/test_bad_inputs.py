"""The bad-input corpus (tests.badinput) through the `jixiao` command, run as the user runs it:
every bad file named with its problem in the language asked for, the rest of the batch read,
no traceback, and a bounded peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.reading import MAX_DOCX_PART_BYTES, MAX_TEXT_BYTES, read_report
from tests.badinput import BIG_TEXT_BYTES, BOMB_EXPANDED_BYTES, GOOD, NON_REPORTS, Case

JIXIAO = Path(sys.executable).with_name("jixiao")
MAX_RSS_MB = 300
"""Peak memory allowed for a run over the whole corpus (it took 4 GB before the size limits:
the zip bomb alone; about 60 MB with them)."""

SAMPLE_UNIT = "安化县平口镇人民政府"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    rss_mb: float


def _run(cwd: Path, *args: str) -> Run:
    """The command's exit code, output, error output and peak resident memory (its own, not
    that of earlier children: os.wait4 reports the one process waited for)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([str(JIXIAO), *args], stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            proc.returncode,
            out.read().decode("utf-8"),
            err.read().decode("utf-8"),
            usage.ru_maxrss / 1024,  # KB on Linux
        )


def _bad(cases: list[Case]) -> list[Case]:
    return [c for c in cases if not c.read]


def _said(text: str, case: Case, lang: str) -> bool:
    words = case.zh if lang == "zh" else case.en
    return any(case.name in line and words in line for line in text.splitlines())


RUNS = [
    pytest.param(("extract", "--format", "json"), "zh", id="extract-json-zh"),
    pytest.param(("extract",), "en", id="extract-table-en"),
    pytest.param(("check", "--format", "json"), "en", id="check-json-en"),
    pytest.param(("check",), "zh", id="check-table-zh"),
]


@pytest.mark.parametrize(("command", "lang"), RUNS)
def test_every_bad_file_is_named_with_its_problem(
    bad_batch: tuple[Path, list[Case]], command: tuple[str, ...], lang: str
) -> None:
    folder, cases = bad_batch
    run = _run(folder.parent, "--lang", lang, command[0], str(folder), *command[1:])
    assert run.code == 1, run.err  # some files could not be read
    assert "Traceback" not in run.err + run.out and "Error:" not in run.err
    assert run.rss_mb < MAX_RSS_MB
    # Tables show the problems in place; other formats on the error output.
    shown = run.err if "json" in command else run.out
    unsaid = [c.id for c in _bad(cases) if not _said(shown, c, lang)]
    assert unsaid == [], shown
    # The 10,000 attachments are counted, not listed one per line.
    count = f"已跳过 {NON_REPORTS} 个不是报告的文件（.png {NON_REPORTS}）"
    assert (count if lang == "zh" else f"skipped {NON_REPORTS} files") in run.err
    assert len(run.err.splitlines()) < 40
    if "json" not in command:
        assert all(f"■ {folder / c.name}" in run.out for c in cases if c.read)
        return
    # The rest of the batch is read: the good reports and every readable bad input.
    reports = {Path(r["path"]).name: r for r in json.loads(run.out)["reports"]}
    for good in GOOD:
        assert reports[good.name]["error"] is None and reports[good.name]["figures"]
    for case in cases:
        report = reports[case.name]
        if not case.read:
            assert report["error"] and report["figures"] == []
        elif case.id == "no-figures":
            assert report["error"] is None and report["figures"] == []
        else:  # the first sample in another encoding, layout or name
            assert report["error"] is None and report["unit"] == SAMPLE_UNIT, case.id
            assert len(report["figures"]) >= 10, case.id


def test_a_report_without_figures_says_so(bad_batch: tuple[Path, list[Case]]) -> None:
    folder, _ = bad_batch
    zh = _run(folder.parent, "extract", str(folder / "没有数字.txt"))
    en = _run(folder.parent, "--lang", "en", "extract", str(folder / "没有数字.txt"))
    assert (zh.code, en.code) == (0, 0)
    assert "没有找到任何数字" in zh.out and "no figures found" in en.out


def test_limits_are_well_above_real_reports_and_below_the_corpus() -> None:
    largest = max(path.stat().st_size for path in GOOD)
    assert 20 * largest < MAX_TEXT_BYTES < BIG_TEXT_BYTES
    assert MAX_DOCX_PART_BYTES < BOMB_EXPANDED_BYTES


def test_a_text_file_at_the_limit_is_still_read(tmp_path: Path) -> None:
    text = GOOD[0].read_bytes()
    path = tmp_path / "大.txt"
    path.write_bytes(text + b"\n" * (MAX_TEXT_BYTES - len(text)))
    assert read_report(path).error is None
    path.write_bytes(text + b"\n" * (MAX_TEXT_BYTES - len(text) + 1))
    assert read_report(path).error_code == "too_large"
