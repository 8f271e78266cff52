"""[fields.patterns]: user label patterns from config.toml, run with a time limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.config import ConfigError, load_config
from core.extract import extract
from core.patterns import PATTERN_SECONDS, UserPattern
from core.reading import read_report
from core.rules import FIELD_RULES, with_aliases

ROOT = Path(__file__).resolve().parents[2]
PINGKOU = ROOT / "sample_reports" / "安化县平口镇_2023_部门整体支出绩效自评报告.txt"
JIXIAO = Path(sys.executable).with_name("jixiao")

CATASTROPHIC = "(.*a){12}x"
"""Exponential backtracking even under `regex` on a line of a's (a plain `(a+)+b` is not: the
regex module sees through it)."""


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "my config.toml"
    path.write_text(body, encoding="utf-8")
    return path


def _report(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "报告.txt"
    path.write_text("\n".join(("2023年度部门整体支出绩效自评报告", *lines)), encoding="utf-8")
    return path


def test_a_user_pattern_finds_a_label_the_built_ins_miss(tmp_path: Path) -> None:
    path = _report(tmp_path, "开支总盘子123.4万元。")
    assert extract(read_report(path)).figure("spending_total") is None
    config = load_config(
        _config(tmp_path, '[fields.patterns]\nspending_total = ["开支总(?:盘子|额度)"]\n')
    )
    rules = with_aliases(FIELD_RULES, config.field_aliases, patterns=config.field_patterns)
    figure = extract(read_report(path), rules).figure("spending_total")
    assert figure is not None and str(figure.value) == "123.4"
    assert figure.quote == "开支总盘子123.4万元"


def test_a_catastrophic_pattern_is_left_out_with_a_warning(tmp_path: Path) -> None:
    config_path = _config(
        tmp_path, f'[fields.patterns]\nspending_total = ["开支总盘子", "{CATASTROPHIC}"]\n'
    )
    config = load_config(config_path)
    rules = with_aliases(FIELD_RULES, config.field_aliases, patterns=config.field_patterns)
    path = _report(tmp_path, "开支总盘子123.4万元。", "a" * 3000, "三公经费5.5万元。")
    ex = extract(read_report(path), rules)
    # The built-ins and the good user pattern still ran.
    assert ex.figure("spending_total") is not None and ex.figure("sangong_total") is not None
    (warning,) = ex.warnings
    assert CATASTROPHIC in warning and str(config_path) in warning and str(path) in warning
    assert f"{PATTERN_SECONDS} s" in warning


def test_a_timed_out_pattern_names_everything_on_the_command_line(tmp_path: Path) -> None:
    config_path = _config(tmp_path, f'[fields.patterns]\nspending_total = ["{CATASTROPHIC}"]\n')
    path = _report(tmp_path, "a" * 3000)
    for lang, words in (("zh", "运行超过"), ("en", "took longer than")):
        result = subprocess.run(
            [str(JIXIAO), "--config", str(config_path), "--lang", lang, "extract", str(path)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        (line,) = result.stderr.splitlines()
        assert words in line and CATASTROPHIC in line
        assert str(config_path) in line and str(path) in line


@pytest.mark.parametrize(
    ("body", "named"),
    [
        pytest.param(
            '[fields.patterns]\nscore = ["得分("]\n', "fields.patterns.score", id="syntax"
        ),
        pytest.param('[fields.patterns]\nscore = ["(?<=a+"]\n', "fields.patterns.score", id="open"),
        pytest.param('[fields.patterns]\nscore = ["a*"]\n', "matches empty text", id="empty"),
        pytest.param('[fields.patterns]\nscore = [""]\n', "fields.patterns.score", id="blank"),
        pytest.param('[fields.patterns]\nscore = "得分"\n', "fields.patterns.score", id="not-list"),
        pytest.param('[fields.patterns]\nscores = ["得分"]\n', "fields.patterns.scores", id="key"),
        pytest.param("[fields]\npatterns = 3\n", "[fields.patterns]", id="not-table"),
    ],
)
def test_bad_patterns_are_config_errors(tmp_path: Path, body: str, named: str) -> None:
    path = _config(tmp_path, body)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: ") and named in str(error.value)


def test_patterns_keep_their_source_for_messages(tmp_path: Path) -> None:
    path = _config(tmp_path, '[fields.patterns]\nscore = ["总得分", "综合分"]\n')
    assert load_config(path).field_patterns["score"] == (
        UserPattern("总得分", str(path)),
        UserPattern("综合分", str(path)),
    )
