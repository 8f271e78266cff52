"""`jixiao extract`: output formats, the documented JSON shape and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from core.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
PINGKOU = SAMPLES / "安化县平口镇_2023_部门整体支出绩效自评报告.txt"
# The five real reports: the folder's top level (synthetic/ beside them holds made-up ones).
REAL = sorted(str(p) for p in SAMPLES.glob("*.txt"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_exactly_the_documented_shape(capsys):
    code, out, _ = run(capsys, "extract", *REAL, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"schema", "reports"} and data["schema"] == 1
    assert len(data["reports"]) == 5
    for report in data["reports"]:
        assert set(report) == {
            "path", "sha256", "encoding", "unit", "year", "error", "figures", "projects"
        }  # fmt: skip
        assert len(report["sha256"]) == 64 and report["encoding"] == "utf-8"
        assert isinstance(report["year"], int) and report["error"] is None
        fields = [f["field"] for f in report["figures"]]
        assert len(fields) == len(set(fields)), "one entry per field"
        for fig in report["figures"]:
            assert set(fig) == {
                "field", "value", "unit", "as_written_unit", "quote", "start", "end", "line"
            }  # fmt: skip
            assert isinstance(fig["value"], int | float | str)
        for project in report["projects"]:
            assert set(project) == {"name", "amount", "score", "grade", "start", "end"}


def test_json_values_are_in_wan_and_quotes_point_into_the_text(capsys):
    _, out, _ = run(capsys, "extract", str(PINGKOU), "--format", "json")
    (report,) = json.loads(out)["reports"]
    figures = {f["field"]: f for f in report["figures"]}
    assert figures["sangong_total"]["value"] == 29.1
    assert figures["sangong_total"]["as_written_unit"] == "元"
    assert figures["spending_basic"]["value"] == 1287.78
    assert figures["score"] == figures["score"] | {"value": 99.5, "unit": "分"}
    assert [p["amount"] for p in report["projects"]][-1] == 225.44


def test_table_is_aligned_and_in_chinese_by_default(capsys):
    code, out, _ = run(capsys, "extract", str(PINGKOU))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("■ ") and "安化县平口镇人民政府" in lines[0]
    assert any(line.strip().startswith("基本支出") and "1,287.78 万元" in line for line in lines)
    assert any("29.1 万元 (原文元)" in line for line in lines)
    _, english, _ = run(capsys, "--lang", "en", "extract", str(PINGKOU))
    assert "Basic spending" in english


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_tabular_formats_have_one_row_per_figure(capsys, tmp_path, fmt):
    target = tmp_path / f"figures.{fmt}"
    code, _, _ = run(capsys, "extract", *REAL, "--format", fmt, "-o", str(target))
    assert code == 0
    frame = {"csv": pl.read_csv, "parquet": pl.read_parquet, "xlsx": pl.read_excel}[fmt](target)
    _, out, _ = run(capsys, "extract", *REAL, "--format", "json")
    total = sum(len(r["figures"]) for r in json.loads(out)["reports"])
    assert frame.height == total
    assert {"path", "field", "value", "quote", "start", "end", "line"} <= set(frame.columns)


def test_csv_goes_to_stdout_without_output_file(capsys):
    code, out, _ = run(capsys, "extract", str(PINGKOU), "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("path,")


def test_unreadable_files_are_reported_and_the_rest_still_printed(capsys, tmp_path):
    shutil.copy(PINGKOU, tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (tmp_path / "notes.xlsx").write_bytes(b"x")
    code, out, err = run(capsys, "extract", str(tmp_path), "--format", "json")
    assert code == 1
    reports = {Path(r["path"]).name: r for r in json.loads(out)["reports"]}
    assert reports["good.txt"]["error"] is None and reports["good.txt"]["figures"]
    assert "empty.txt" in reports["empty.txt"]["error"]
    assert "old.doc" in reports["old.doc"]["error"]
    assert "已跳过" in err and "notes.xlsx：不是报告文件（.xlsx）" in err


def test_hostile_file_names_do_not_reach_the_terminal(capsys, tmp_path):
    (tmp_path / "a\x1b]0;pwned\x07b\x1b[2J.txt").write_bytes(b"")
    code, out, err = run(capsys, "extract", str(tmp_path))
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "文件是空的" in out


@pytest.mark.parametrize("command", ["extract", "check"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_name_with_a_newline_stays_on_its_row(capsys, tmp_path, command, lang):
    # A name with a newline neither splits a row of the table nor passes for another name: the
    # break is shown as ␊, in the listing, in an unreadable file's line and in warnings.
    # (乱码: a file read with a reading note.)
    shutil.copy(PINGKOU, tmp_path / "平口镇\n2023.txt")
    (tmp_path / "空\r\n文件.txt").write_bytes(b"")
    (tmp_path / "乱码\n.txt").write_bytes(PINGKOU.read_bytes() + b"\xff")
    (tmp_path / "表格\n.xlsx").write_bytes(b"x")
    code, out, err = run(capsys, "--lang", lang, command, str(tmp_path))
    assert code == 1
    lines = (out + err).splitlines()
    for name in ("平口镇␊2023.txt", "空␊文件.txt", "乱码␊.txt"):
        assert any(name in line for line in out.splitlines()), name
    assert any("表格␊.xlsx" in line for line in err.splitlines())  # skipped
    assert not any(line.startswith(("2023.txt", "文件.txt", ".txt", ".xlsx")) for line in lines)
    assert "\r" not in out + err


def test_a_file_name_with_a_newline_stays_on_its_row_in_match(capsys, tmp_path):
    for source in REAL[:2]:
        shutil.copy(source, tmp_path / Path(source).name.replace("_", "\n", 1))
    code, out, _ = run(capsys, "match", str(tmp_path))
    assert code == 0
    assert not any(line.startswith(("2023", "2024")) for line in out.splitlines())
    assert "␊2023" in out


def test_missing_path_is_an_error_exit(capsys, tmp_path):
    code, _, err = run(capsys, "extract", str(tmp_path / "nope"))
    assert code == 1 and "nope" in err


@pytest.mark.parametrize(
    "argv",
    [[], ["extract"], ["extract", "x", "--format", "pdf"], ["extract", "x", "--format", "xlsx"]],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        code = main(argv)
        raise SystemExit(code)
    assert exc.value.code == 2


def test_bad_config_is_named_and_exits_2(capsys, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[fields.aliases]\nspending_totl = ['x']\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "extract", str(PINGKOU))
    assert code == 2 and "spending_totl" in err and str(config) in err


def test_config_aliases_extend_the_rules(capsys, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "2023年度某县某局部门整体支出绩效自评报告\n本年度开支总盘子123.4万元。\n", "utf-8"
    )
    config = tmp_path / "config.toml"
    config.write_text("[fields.aliases]\nspending_total = ['开支总盘子']\n", encoding="utf-8")
    _, out, _ = run(capsys, "extract", str(report), "--format", "json")
    assert json.loads(out)["reports"][0]["figures"] == []
    _, out, _ = run(capsys, "--config", str(config), "extract", str(report), "--format", "json")
    (fig,) = json.loads(out)["reports"][0]["figures"]
    assert (fig["field"], fig["value"], fig["quote"]) == (
        "spending_total",
        123.4,
        "开支总盘子123.4万元",
    )


def test_console_script_runs(tmp_path):
    exe = Path(sys.executable).with_name("jixiao")
    result = subprocess.run(
        [str(exe), "extract", str(PINGKOU), "--format", "json"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reports"][0]["unit"] == "安化县平口镇人民政府"
