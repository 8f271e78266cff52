"""`jixiao match`: the documented JSON shape, CSV, the aligned table, [matching] configuration."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from core.cli import main
from core.config import Config, ConfigError, load_config
from core.match_output import safe
from core.matching import DEFAULT_SCORE_CUTOFF
from core.output import display_width
from core.units import DEFAULT_UNIT_THRESHOLD

SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"
SHUANGSHANZI = [
    str(SAMPLES / "青龙县双山子镇_2023_部门整体绩效自评报告.txt"),
    str(SAMPLES / "synthetic" / "青龙县双山子镇_2022_部门整体绩效自评报告.txt"),
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_exactly_the_documented_shape(capsys):
    code, out, _ = run(capsys, "match", str(SAMPLES), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"schema", "units", "pairs", "unmatched"} and data["schema"] == 1
    assert sum(len(u["reports"]) for u in data["units"]) == 10
    for unit in data["units"]:
        assert set(unit) == {"unit", "reports"} and isinstance(unit["unit"], str)
        for report in unit["reports"]:
            assert set(report) == {"path", "year"} and isinstance(report["year"], int)
    assert data["pairs"]
    for pair in data["pairs"]:
        assert set(pair) == {
            "unit", "from_path", "to_path", "from_year", "to_year", "from_name", "to_name",
            "score", "from_amount", "to_amount",
        }  # fmt: skip
        assert pair["from_year"] < pair["to_year"]
        assert 0 <= pair["score"] <= 100
        assert isinstance(pair["from_amount"], int | float | None)
    sides = {u["side"] for u in data["unmatched"]}
    assert sides == {"new", "dropped"}
    for item in data["unmatched"]:
        assert set(item) == {"unit", "path", "name", "amount", "side"}
    renamed = [p for p in data["pairs"] if p["to_name"] == "县乡财政解困资金"]
    assert renamed == [renamed[0] | {"from_name": "县乡解困资金", "from_amount": 130.7}]


def test_csv_has_a_row_per_pair_new_and_dropped_project(capsys):
    code, out, _ = run(capsys, "match", *SHUANGSHANZI, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    kinds = [r["kind"] for r in rows]
    assert (kinds.count("pair"), kinds.count("new"), kinds.count("dropped")) == (15, 4, 3)
    duplicate = [r for r in rows if r["kind"] == "pair" and r["from_amount"] == "221.5"]
    assert duplicate[0]["to_amount"] == "228.764" and duplicate[0]["change"] == "7.264"
    assert {r["from_year"] for r in rows} == {"2022"}


def test_table_aligns_chinese_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(capsys, "match", *SHUANGSHANZI)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("■ ") and "双山子镇" in lines[0]
    pair_lines = [line for line in lines if " → " in line and "万元" in line]
    assert len(pair_lines) == 15
    # The arrow and the last amount end in the same terminal column on every line.
    assert len({display_width(line[: line.index(" → ")]) for line in pair_lines}) == 1
    ends = {display_width(line[: line.rindex("万元") + 2]) for line in pair_lines}
    assert len(ends) == 1
    assert any(line.lstrip().startswith("+服务重点项目工作经费") for line in lines)
    assert any(line.lstrip().startswith("-疫情防控工作经费") for line in lines)
    assert any("项目决算" in line and "-149.28 (-28.09%)" in line for line in lines)
    assert max(display_width(line) for line in pair_lines) <= 120


def test_table_in_english(capsys):
    _, out, _ = run(capsys, "--lang", "en", "match", *SHUANGSHANZI)
    assert "continued 15, new 4, dropped 3" in out and "Self-evaluation score" in out


def test_text_from_the_disk_cannot_act_on_the_terminal(capsys, tmp_path):
    source = Path(SHUANGSHANZI[0]).read_text("utf-8")
    hostile = tmp_path / "\x1b]0;owned\x07双山子镇\x1b[2J_2023.txt"
    hostile.write_text(source, encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        code, out, err = run(capsys, "match", str(hostile), SHUANGSHANZI[1], "--format", fmt)
        assert code == 0
        if fmt != "csv":  # CSV is data: it keeps file names as they are
            assert "\x1b" not in out and "\x07" not in out
        assert "\x1b" not in err


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31mb", "ab"),
        ("名称\n第二行\t制表", "名称 第二行 制表"),
        ("\x9b2J清屏", "清屏"),
        ("\u202e反向", "反向"),
    ],
    ids=["csi", "newline_tab", "c1_csi", "bidi"],
)
def test_safe_text_is_one_plain_line(raw, shown):
    assert safe(raw) == shown


def test_missing_paths_give_exit_status_1(capsys, tmp_path):
    code, _, err = run(capsys, "match", SHUANGSHANZI[0], str(tmp_path / "nope"))
    assert code == 1 and "nope：文件或文件夹不存在" in err


def test_matching_defaults_are_the_library_defaults():
    assert Config().unit_threshold == DEFAULT_UNIT_THRESHOLD
    assert Config().project_cutoff == DEFAULT_SCORE_CUTOFF


def test_the_shipped_config_states_the_defaults():
    config = load_config(SAMPLES.parent / "config.toml")
    assert (config.unit_threshold, config.project_cutoff) == (
        DEFAULT_UNIT_THRESHOLD,
        DEFAULT_SCORE_CUTOFF,
    )


def test_project_cutoff_from_config_changes_the_pairs(capsys, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[matching]\nproject_cutoff = 75\n", encoding="utf-8")
    _, out, _ = run(capsys, "--config", str(config), "match", *SHUANGSHANZI, "--format", "json")
    names = {(p["from_name"], p["to_name"]) for p in json.loads(out)["pairs"]}
    assert ("防汛防火工作经费", "防火防汛工作经费") in names


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[matching]\nthreshold = 90\n", "unknown key(s) matching.threshold"),
        ("[matching]\nunit_threshold = 101\n", "matching.unit_threshold must be a number"),
        ("[matching]\nproject_cutoff = true\n", "matching.project_cutoff must be a number"),
        ('[matching]\nproject_cutoff = "80"\n', "matching.project_cutoff must be a number"),
        ("matching = 3\n", "[matching] must be a table"),
    ],
    ids=["unknown_key", "out_of_range", "bool", "string", "not_a_table"],
)
def test_bad_matching_config_is_refused_by_name(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(path)
