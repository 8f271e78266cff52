"""`jixiao extract` and `jixiao check` at the scale of a national batch: through the result
cache, written report by report, with the same bytes as building the output all at once."""

from __future__ import annotations

import gc
import json
import os
import pty
import resource
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

import core.loading
import core.streaming
from core.checks import check_batch
from core.cli import main
from core.config import load_config
from core.extract import extract
from core.findings_output import findings_frame, findings_markdown, render_findings, to_check_json
from core.models import Extraction
from core.output import figures_frame, render_listing, to_json_data
from core.reading import find_reports, read_report
from core.rules import FIELD_RULES, with_aliases

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
CONFIG = ROOT / "config.toml"
JIXIAO = Path(sys.executable).parent / "jixiao"
REPORTS = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample reports, one of them copied under another unit's name (the cross-report
    checks find it), and two files that cannot be read."""
    folder = tmp_path_factory.mktemp("scale") / "batch"
    shutil.copytree(SAMPLES, folder)
    copied = (SAMPLES / "峨边县五渡镇_2023_部门整体绩效自评报告.txt").read_text("utf-8")
    copied = copied.replace("峨边县五渡镇", "沐川县新华镇").replace("五渡镇", "新华镇")
    (folder / "沐川县新华镇_2023_部门整体绩效自评报告.txt").write_text(copied, "utf-8")
    (folder / "空白_2023.txt").write_bytes(b"")
    (folder / "乱码.txt").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A result cache of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(folder))
    return folder


def jixiao(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--config", str(CONFIG), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def in_memory(folder: Path) -> list[Extraction]:
    """Every report of the folder extracted in this process, as the commands did before."""
    config = load_config(CONFIG)
    rules = with_aliases(FIELD_RULES, config.field_aliases, patterns=config.field_patterns)
    return [extract(read_report(p), rules) for p in find_reports([folder]).reports]


def at_once(folder: Path, command: str, fmt: str, lang: str = "zh") -> str:
    """The output as the commands built it before: every report in memory, then rendered."""
    exs = in_memory(folder)
    config = load_config(CONFIG)
    if command == "extract":
        if fmt == "json":
            return json.dumps(to_json_data(exs), ensure_ascii=False, indent=2) + "\n"
        if fmt == "csv":
            return figures_frame(exs, lang=lang).write_csv()
        return render_listing(exs, lang=lang, width=120)
    found = check_batch(exs, config=replace(config.checks, lang=lang))
    if fmt == "json":
        return json.dumps(to_check_json(exs, found), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return findings_frame(exs, found, lang=lang).write_csv()
    if fmt == "md":
        return findings_markdown(exs, found, lang=lang)
    return render_findings(exs, found, lang=lang, width=120)


CASES = [("extract", f) for f in ("table", "json", "csv")] + [
    ("check", f) for f in ("table", "json", "csv", "md")
]


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=[f"{c}-{f}" for c, f in CASES])
def test_output_is_what_building_it_at_once_gave_and_the_cache_gives_it_again(
    capsys, monkeypatch, batch, cache, command, fmt
):
    monkeypatch.setattr(core.streaming, "ROWS_AT_ONCE", 7)  # several pieces per table
    monkeypatch.setenv("COLUMNS", "120")
    expected = at_once(batch, command, fmt)
    code, first, _ = jixiao(capsys, command, str(batch), "--format", fmt)
    assert code == 1  # two files cannot be read
    assert first == expected
    assert (cache / "results.sqlite").is_file()
    assert jixiao(capsys, command, str(batch), "--format", fmt)[1] == expected


def test_findings_include_the_cross_report_ones(capsys, batch, cache):
    reports = json.loads(jixiao(capsys, "check", str(batch), "--format", "json")[1])["reports"]
    copied = [r["path"] for r in reports if any(f["check"] == "copied_text" for f in r["findings"])]
    assert sorted(Path(p).name[:6] for p in copied) == ["峨边县五渡镇", "沐川县新华镇"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_output_file_holds_the_same_text(capsys, tmp_path, batch, cache, lang):
    target = tmp_path / "memo.md"
    argv = ("--lang", lang, "check", str(batch), "--format", "md", "-o", str(target))
    code, out, _ = jixiao(capsys, *argv)
    assert (code, out) == (1, "")
    assert target.read_text("utf-8") == at_once(batch, "check", "md", lang)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "memo.md"]  # no temp file


def test_binary_formats_hold_the_same_table(capsys, tmp_path, batch, cache, monkeypatch):
    monkeypatch.setattr(core.streaming, "ROWS_AT_ONCE", 7)
    frame = figures_frame(in_memory(batch))
    frame.write_parquet(tmp_path / "expected.parquet")
    frame.write_excel(tmp_path / "expected.xlsx")  # holds the time it was written: read back
    for fmt in ("parquet", "xlsx"):
        jixiao(capsys, "extract", str(batch), "--format", fmt, "-o", str(tmp_path / f"x.{fmt}"))
    assert (tmp_path / "x.parquet").read_bytes() == (tmp_path / "expected.parquet").read_bytes()
    written = pl.read_excel(tmp_path / "x.xlsx")
    assert written.height == frame.height
    assert written.equals(pl.read_excel(tmp_path / "expected.xlsx"))


def test_a_changed_file_is_read_again_and_the_others_come_from_the_cache(
    capsys, tmp_path, cache, monkeypatch
):
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("synthetic"))
    read: list[Path] = []
    real_load = core.loading.load_entry

    def counting(path, **kwargs):
        read.append(path)
        return real_load(path, **kwargs)

    monkeypatch.setattr(core.loading, "load_entry", counting)
    first = jixiao(capsys, "check", str(folder), "--format", "json")[1]
    assert len(read) == 5
    read.clear()
    assert jixiao(capsys, "check", str(folder), "--format", "json")[1] == first
    assert read == []
    changed = next(folder.glob("安化县平口镇*"))
    text = changed.read_text("utf-8")
    changed.write_text(text.replace("1287.78", "1087.78", 1), "utf-8")
    again = jixiao(capsys, "check", str(folder), "--format", "json")[1]
    assert read == [changed]
    assert again != first and again == at_once(folder, "check", "json")


def test_no_cache_leaves_the_users_cache_untouched(capsys, tmp_path, batch, cache):
    jixiao(capsys, "check", str(SAMPLES / "synthetic"))
    # The first run's cache is closed (its WAL checkpointed into the file) when the garbage
    # collector gets to it: at once here, not at some allocation during the run under test.
    gc.collect()
    before = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in cache.iterdir()}
    assert before
    _, out, _ = jixiao(capsys, "--no-cache", "check", str(batch), "--format", "json")
    assert out == at_once(batch, "check", "json")
    after = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in cache.iterdir()}
    assert after == before


def test_no_cache_makes_no_cache_folder(capsys, batch, cache):
    _, out, _ = jixiao(capsys, "--no-cache", "extract", str(batch), "--format", "csv")
    assert out == at_once(batch, "extract", "csv")
    assert not cache.exists()


def test_a_cache_that_cannot_be_opened_is_said_and_passed_over(capsys, tmp_path, batch, cache):
    cache.write_text("not a folder")
    _, out, err = jixiao(capsys, "check", str(batch), "--format", "csv")
    assert out == at_once(batch, "check", "csv")
    assert "jixiao: 结果缓存无法使用，本次不缓存：" in err


def _unwritable(tmp_path: Path, kind: str) -> Path:
    if kind == "missing-folder":
        return tmp_path / "no" / "such" / "out.csv"
    if kind == "a-folder":
        (tmp_path / "out.csv").mkdir()
        return tmp_path / "out.csv"
    if kind == "under-a-file":
        (tmp_path / "file").write_text("x")
        return tmp_path / "file" / "out.csv"
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root writes anywhere, but not in /sys
        folder = Path("/sys")
        if not folder.is_dir() or _can_create(folder / f".jixiao-probe-{os.getpid()}"):
            pytest.skip("no read-only folder for this user")
    return folder / "out.csv"


def _can_create(path: Path) -> bool:
    try:
        path.touch(exist_ok=False)
    except OSError:
        return False
    path.unlink()
    return True


WHY = {
    "missing-folder": "No such file or directory",
    "a-folder": "Is a directory",
    "under-a-file": "Not a directory",
    "read-only": "Permission denied",
}


@pytest.mark.parametrize("command", ["extract", "check"])
@pytest.mark.parametrize("kind", list(WHY))
def test_unwritable_output_is_one_plain_message(capsys, tmp_path, cache, command, kind):
    target = _unwritable(tmp_path, kind)
    before = sorted(tmp_path.rglob("*"))
    code, out, err = jixiao(capsys, command, *REPORTS, "--format", "csv", "-o", str(target))
    assert (code, out) == (1, "")
    assert err == f"jixiao: {target}: 未能写入 ({WHY[kind]})\n"
    assert sorted(p for p in tmp_path.rglob("*") if "cache" not in p.parts) == [
        p for p in before if "cache" not in p.parts
    ]


def test_unwritable_output_in_english(capsys, tmp_path, cache):
    target = tmp_path / "missing" / "out.json"
    code, _, err = jixiao(capsys, "--lang", "en", "check", *REPORTS, "-o", str(target))
    assert (code, err) == (1, f"jixiao: {target}: cannot write (No such file or directory)\n")


def test_a_write_that_fails_halfway_leaves_the_earlier_file_whole(capsys, tmp_path, cache):
    target = tmp_path / "out.json"
    jixiao(capsys, "check", *REPORTS, "--format", "json", "-o", str(target))  # fills the cache
    assert target.stat().st_size > 34_000
    target.write_text("earlier\n")

    # The disk fills up after 34 kB: the output cannot be written, while the cache (closed by
    # the first run, so its files are made again) can still open its 32 kB shared memory.
    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (34_000, 34_000))

    done = subprocess.run(
        [str(JIXIAO), "--config", str(CONFIG), "check", *REPORTS, "--format", "json",
         "-o", str(target)],
        capture_output=True, text=True, preexec_fn=small_files, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == f"jixiao: {target}: 未能写入 (File too large)\n"
    assert target.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out.json"]


def test_no_progress_when_stderr_is_not_a_terminal(capsys, batch, cache):
    _, _, err = jixiao(capsys, "check", str(batch), "--format", "csv")
    assert err.splitlines() == [
        f"jixiao: 已跳过 {batch / 'synthetic' / 'README'}：不是报告文件（没有扩展名）",
        f"jixiao: 已跳过 {batch / 'synthetic' / 'expected.toml'}：不是报告文件（.toml）",
        f"jixiao: {batch / '乱码.txt'}：不是文本文件（含有二进制数据）",
        f"jixiao: {batch / '空白_2023.txt'}：文件是空的（0 字节）",
    ]


def test_progress_on_a_terminal_is_one_updating_line(tmp_path, batch):
    target = tmp_path / "out.csv"
    main_fd, term_fd = pty.openpty()
    with subprocess.Popen(
        [str(JIXIAO), "check", str(batch), "--format", "csv", "-o", str(target)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=term_fd,
    ) as proc:  # fmt: skip
        os.close(term_fd)
        seen = b""
        while chunk := _read(main_fd):
            seen += chunk
        assert proc.wait() == 1
    os.close(main_fd)
    text = seen.decode()
    line, _, after = text[text.index("\r\x1b[K") :].rpartition("\r\x1b[K")  # drawn, then cleared
    assert "\r\x1b[Kjixiao: 读取报告 13/13" in line and "\r\x1b[Kjixiao: 写出 13/13" in line
    assert "\r\x1b[Kjixiao: 跨报告检查\r" in line
    assert "\n" not in line
    assert after.count("\n") == 2  # the two unreadable files, said after the output
    assert target.read_text("utf-8") == at_once(batch, "check", "csv")


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the other end closed
        return b""


def test_a_batch_big_enough_for_worker_processes(capsys, tmp_path, cache):
    folder = tmp_path / "big"
    folder.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    for n in range(50):
        source = samples[n % len(samples)]
        unit, year, rest = source.name.split("_", 2)
        text = source.read_text("utf-8") + f"\n第{n}份。\n"
        (folder / f"{unit}{n}_{year}_{rest}").write_text(text, "utf-8")
    assert core.loading.POOL_FROM <= 50
    _, out, _ = jixiao(capsys, "check", str(folder), "--format", "csv")
    assert out == at_once(folder, "check", "csv")


def test_same_text_under_two_names_states_no_year_but_groups_by_each_name(capsys, tmp_path, cache):
    """The extraction reads the text only: a text stating no unit and no year has neither,
    whatever the file is called. Grouping the batch falls back on each file's name."""
    text = "部门整体支出绩效自评报告\n本单位年度预算收入100.00万元。\n"
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "甲县东风镇_2022_自评报告.txt").write_text(text, "utf-8")
    (folder / "乙县西河镇_2023_自评报告.txt").write_text(text, "utf-8")
    out = jixiao(capsys, "extract", str(folder), "--format", "json")[1]
    reports = json.loads(out)["reports"]
    assert [(r["unit"], r["year"]) for r in reports] == [(None, None), (None, None)]
    out = jixiao(capsys, "match", str(folder), "--format", "json")[1]
    units = {u["unit"]: [r["year"] for r in u["reports"]] for u in json.loads(out)["units"]}
    assert units == {"甲县东风镇": [2022], "乙县西河镇": [2023]}


def test_a_cache_that_cannot_grow_costs_time_not_results(tmp_path, cache):
    """The disk fills up under the cache (a file-size limit in a subprocess), before it can be
    opened or while results are stored: the output is what it is with a working cache, and
    the reader is told once."""
    env = {**os.environ, "JIXIAO_CACHE_DIR": str(cache)}

    def run(*limit: int) -> subprocess.CompletedProcess[str]:
        def small_files() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, limit)

        shutil.rmtree(cache, ignore_errors=True)
        return subprocess.run(
            [str(JIXIAO), "--config", str(CONFIG), "check", *REPORTS, "--format", "csv"],
            capture_output=True, text=True, env=env, check=False,
            preexec_fn=small_files if limit else None,
        )  # fmt: skip

    normal = run()
    assert normal.stderr == ""
    assert normal.stdout.count("\n") > 10
    for limit, told in ((60_000, "结果缓存无法使用"), (150_000, "结果缓存出错")):
        full = run(limit, limit)
        assert full.stderr.count(told) == 1, full.stderr
        assert "Traceback" not in full.stderr
        assert (full.returncode, full.stdout) == (normal.returncode, normal.stdout)


def test_output_piped_to_a_reader_that_stops_ends_quietly(tmp_path, cache):
    """`jixiao extract … | head`: the reader goes away; no traceback."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n, path in enumerate(sorted(SAMPLES.glob("*.txt")) * 8):
        (folder / f"{n:02d}_{path.name}").write_text(path.read_text("utf-8"), "utf-8")
    env = {**os.environ, "JIXIAO_CACHE_DIR": str(cache)}
    command = [str(JIXIAO), "--config", str(CONFIG), "extract", str(folder), "--format", "json"]
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(100)
    reader.stdout.close()  # like head, after its first lines
    err = reader.stderr.read().decode()
    assert reader.wait(60) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err, err
