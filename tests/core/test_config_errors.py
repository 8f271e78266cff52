"""Configuration errors: one line naming the key and the file, exit status 2, no traceback, for
the command line and for the workbench's start; the shipped config.toml states every default."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from core.check_context import CheckConfig
from core.cli import main
from core.config import Config, load_config

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_reports" / "安化县平口镇_2023_部门整体支出绩效自评报告.txt"
JIXIAO = Path(sys.executable).with_name("jixiao")

BAD = [
    # unknown keys
    ("unknown-top", "colour = 1\n", "colour"),
    ("unknown-fields", "[fields]\nalias = {}\n", "fields.alias"),
    ("unknown-alias-field", '[fields.aliases]\nspend = ["x"]\n', "fields.aliases.spend"),
    ("unknown-checks", "[checks]\ntolerence = {}\n", "checks.tolerence"),
    ("unknown-check-id", '[checks]\ndisabled = ["nope"]\n', "nope"),
    ("unknown-severity-id", '[checks.severity]\nnope = "info"\n', "checks.severity.nope"),
    ("unknown-grade", "[checks.grade_bands]\nA = 90\n", "checks.grade_bands.A"),
    ("unknown-matching", "[matching]\nthreshold = 90\n", "matching.threshold"),
    ("unknown-review", '[review]\nname = "张三"\n', "review.name"),
    # wrong types
    ("lang-type", "lang = 1\n", "lang"),
    ("fields-type", "fields = 1\n", "[fields]"),
    ("aliases-type", '[fields.aliases]\nscore = "得分"\n', "fields.aliases.score"),
    ("disabled-type", 'checks = {disabled = "copied_text"}\n', "checks.disabled"),
    ("tolerance-type", '[checks.tolerance]\nsum_mismatch = "0.1"\n', "checks.tolerance"),
    ("bands-type", '[checks.grade_bands]\n"优" = "90"\n', "checks.grade_bands"),
    ("threshold-type", '[matching]\nunit_threshold = "90"\n', "matching.unit_threshold"),
    ("undo-type", "[review]\nundo_depth = 1.5\n", "review.undo_depth"),
    ("reviewer-type", "[review]\nreviewer = 3\n", "review.reviewer"),
    ("keymap-type", "[keymap]\nconfirm = 1\n", "keymap.confirm"),
    ("keymap-table", "keymap = 1\n", "[keymap]"),
    ("checks-table", "checks = 1\n", "[checks]"),
    # bad values
    ("lang-value", 'lang = "fr"\n', "lang"),
    ("negative-tolerance", "[checks.tolerance]\nsum_mismatch = -1\n", "checks.tolerance"),
    ("unknown-severity", '[checks.severity]\nsum_mismatch = "fatal"\n', "checks.severity"),
    ("negative-band", '[checks.grade_bands]\n"优" = -5\n', "checks.grade_bands"),
    ("threshold-range", "[matching]\nproject_cutoff = 101\n", "matching.project_cutoff"),
    ("negative-undo", "[review]\nundo_depth = -1\n", "review.undo_depth"),
    ("zero-min-chars", "[checks]\ncopied_min_chars = 0\n", "checks.copied_min_chars"),
    ("keymap-value", '[keymap]\nconfirm = "c, ,x"\n', "keymap.confirm"),
    ("reviewer-value", '[review]\nreviewer = " 张三"\n', "review.reviewer"),
    ("bad-pattern", '[fields.patterns]\nscore = ["得分["]\n', "fields.patterns.score"),
    # not a config at all
    ("toml-syntax", "lang = \n", "not valid TOML"),
    ("not-utf8", "lang = '\xff'\n", "not UTF-8"),
]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "坏的 config.toml"
    data = body.encode("latin-1") if "\xff" in body else body.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("body", "named"), [pytest.param(*b[1:], id=b[0]) for b in BAD])
def test_each_bad_config_is_one_line_naming_key_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, named: str
) -> None:
    path = _write(tmp_path, body)
    assert main(["--config", str(path), "extract", str(SAMPLE)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"jixiao: {path}: ") and named in line


def test_a_missing_config_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), "check", str(SAMPLE)]) == 2
    assert "nope.toml: cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "named"),
    [
        pytest.param('[keymap]\nfly = "f"\n', "keymap.fly", id="unknown-binding"),
        pytest.param("lang = 1\n", "lang", id="wrong-type"),
        pytest.param('[fields.patterns]\nscore = ["("]\n', "fields.patterns.score", id="regex"),
    ],
)
def test_the_workbench_does_not_start_on_a_bad_config(
    tmp_path: Path, body: str, named: str
) -> None:
    path = _write(tmp_path, body)
    batch = tmp_path / "batch"
    batch.mkdir()
    result = subprocess.run(
        [str(JIXIAO), "--config", str(path), str(batch)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert str(path) in line and named in line


def test_the_shipped_config_is_the_defaults() -> None:
    assert load_config(ROOT / "config.toml") == Config()


# Where each setting lives in config.toml: every field of Config and CheckConfig is listed, so a
# new setting without a documented default fails here.
TOML_KEYS = {
    "lang": ("lang",),
    "field_aliases": ("fields", "aliases"),
    "field_patterns": ("fields", "patterns"),
    "unit_threshold": ("matching", "unit_threshold"),
    "project_cutoff": ("matching", "project_cutoff"),
    "reviewer": ("review", "reviewer"),
    "undo_depth": ("review", "undo_depth"),
    "keymap": ("keymap",),
    "checks.disabled": ("checks", "disabled"),
    "checks.severity": ("checks", "severity"),
    "checks.tolerance": ("checks", "tolerance"),
    "checks.grade_bands": ("checks", "grade_bands"),
    "checks.copied_min_chars": ("checks", "copied_min_chars"),
    "checks.template_reports": ("checks", "template_reports"),
}


def test_every_setting_appears_in_the_shipped_config() -> None:
    fields = {f.name for f in dataclasses.fields(Config) if f.name != "checks"}
    fields |= {f"checks.{f.name}" for f in dataclasses.fields(CheckConfig) if f.name != "lang"}
    assert fields == set(TOML_KEYS)
    shipped = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    for name, keys in TOML_KEYS.items():
        table = shipped
        for key in keys:
            assert key in table, f"{name}: {'.'.join(keys)} is not in config.toml"
            table = table[key]
