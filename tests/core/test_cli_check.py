"""`jixiao check`: the documented JSON shape, the formats, and exit codes like a linter."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from core.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
PINGKOU = SAMPLES / "安化县平口镇_2023_部门整体支出绩效自评报告.txt"
XUWEN = SAMPLES / "徐闻县前山镇_2024_部门整体支出绩效自评报告.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_the_extract_json_with_findings(capsys):
    code, out, _ = run(capsys, "check", str(PINGKOU), "--format", "json")
    assert code == 0  # --fail-on defaults to never
    data = json.loads(out)
    (report,) = data["reports"]
    assert {"figures", "projects", "findings"} <= set(report)
    keys = {"check", "severity", "message", "fields", "reported", "computed", "difference",
            "tolerance", "spans", "hint"}  # fmt: skip
    assert report["findings"] and all(set(f) == keys for f in report["findings"])
    total = next(f for f in report["findings"] if f["check"] == "sum_mismatch")
    assert (total["reported"], total["computed"], total["difference"]) == (1287.78, 1087.78, 200)
    assert "244.8" in total["hint"]
    text = PINGKOU.read_text("utf-8")
    assert "基本支出1287.78万元" in [text[s:e] for s, e in total["spans"]]


@pytest.mark.parametrize(
    ("fail_on", "path", "code"),
    [("never", PINGKOU, 0), ("error", PINGKOU, 1), ("error", XUWEN, 0), ("warning", XUWEN, 1)],
    ids=["never", "error-with-errors", "error-with-warnings-only", "warning"],
)
def test_exit_code_follows_fail_on(capsys, fail_on, path, code):
    assert run(capsys, "check", str(path), "--fail-on", fail_on)[0] == code


def test_table_shows_the_arithmetic_and_the_hint(capsys):
    _, out, _ = run(capsys, "check", str(PINGKOU))
    assert "所述 1287.78 · 计算 1087.78 · 差 200" in out
    assert "若为244.8万元" in out


def test_english(capsys):
    _, out, _ = run(capsys, "--lang", "en", "check", str(PINGKOU))
    assert "stated 1287.78 · computed 1087.78 · off 200" in out
    assert "不符" not in out


def test_csv_one_row_per_finding(capsys, tmp_path):
    target = tmp_path / "f.csv"
    assert run(capsys, "check", str(SAMPLES), "--format", "csv", "-o", str(target))[0] == 0
    frame = pl.read_csv(target)
    assert frame.height >= 20 and {"check", "severity", "quote", "hint"} <= set(frame.columns)
    assert (
        "公用经费44.8万元" in frame["quote"].to_list()
        or frame.filter(pl.col("check") == "change_rate_mismatch").height == 3
    )


def test_markdown_memo_groups_by_severity_and_keeps_markup_inert(capsys, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "某县东风镇人民政府2023年度部门整体支出绩效自评报告\n自评得分86分，评价等级为优。"
        "核定编制数20人，年末实有人数21人。\n"
        "培训费等支出100.00万元，其中<b>差旅费</b>60.00万元、[点此](http://x)印刷费50.00万元。\n",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "check", str(report), "--format", "md")
    assert "### 错误 (2)" in out and "### 警告 (1)" in out
    assert "<b>" not in out and "\\<b\\>差旅费" in out
    assert "[点此](" not in out and "\\[点此\\](" in out  # escaped: no link


def test_config_disables_a_check(capsys, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[checks]\ndisabled = ["sum_mismatch"]\n', encoding="utf-8")
    _, out, _ = run(capsys, "--config", str(config), "check", str(PINGKOU), "--format", "json")
    checks = {f["check"] for f in json.loads(out)["reports"][0]["findings"]}
    assert "sum_mismatch" not in checks and "change_rate_mismatch" in checks


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('[checks]\ndisabled = ["no_such_check"]\n', "no_such_check"),
        ('[checks.severity]\nstaff_over_quota = "fatal"\n', "checks.severity.staff_over_quota"),
        ("[checks]\nspeed = 1\n", "checks.speed"),
        ('[checks.grade_bands]\n"优" = "high"\n', "checks.grade_bands.优"),
    ],
)
def test_bad_check_config_names_the_key(capsys, tmp_path, body, named):
    config = tmp_path / "c.toml"
    config.write_text(body, encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "check", str(PINGKOU))
    assert code == 2 and named in err and str(config) in err


def test_unreadable_and_missing_files_fail_whatever_fail_on(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, _ = run(capsys, "check", str(empty), str(XUWEN))
    assert code == 1 and "empty.txt" in out and "徐闻县前山镇人民政府" in out
    code, _, err = run(capsys, "check", str(tmp_path / "nope.txt"), str(XUWEN))
    assert code == 1 and "nope.txt" in err
