"""No CSV or Excel file the commands write holds a cell a spreadsheet would run as a formula:
report text, project names and paths are data (a leading = + - @ is made literal)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from core.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "sample_reports"
REPORT = next(SAMPLE.glob("阳西县*.txt"))
DANGEROUS = ("=", "+", "-", "@")


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    return capsys.readouterr().out


def _no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell[:1] in DANGEROUS:
                # A number a spreadsheet reads as a number (a negative difference) is no formula.
                float(cell)


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copy(REPORT, tmp_path / "=HYPERLINK(1).txt")
    for year in (2022, 2023):
        (tmp_path / f"石桥镇_{year}.txt").write_text(
            f"青山县石桥镇人民政府{year}年度部门整体支出绩效自评报告\n一、基本情况\n"
            f"{year}年项目支出15万元，其中：=SUM(A1)道路维修项目10万元、-5+3绿化项目5万元。\n",
            "utf-8",
        )
    return tmp_path


@pytest.mark.parametrize("command", ["extract", "check"])
def test_paths_and_text_are_inert_in_csv(capsys, hostile, command):
    rows = _cells(_run(capsys, command, "=HYPERLINK(1).txt", "--format", "csv"))
    assert rows[1][0] == "'=HYPERLINK(1).txt"
    _no_formula(rows)
    if command == "check":  # negative differences stay numbers
        difference = rows[0].index("difference")
        assert any(row[difference].startswith("-") for row in rows[1:])


def test_project_names_are_inert_in_match_csv(capsys, hostile):
    rows = _cells(_run(capsys, "match", ".", "--format", "csv"))
    names = {row[6] for row in rows[1:]} | {row[7] for row in rows[1:]}
    assert {"'=SUM(A1)道路维修项目", "'-5+3绿化项目"} <= names
    _no_formula(rows)


def test_extract_xlsx_holds_no_formula(capsys, hostile):
    _run(capsys, "extract", "=HYPERLINK(1).txt", "--format", "xlsx", "-o", "out.xlsx")
    with zipfile.ZipFile(hostile / "out.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f>" not in sheet
    cells = re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", strings)
    assert "'=HYPERLINK(1).txt" in cells
    assert not [c for c in cells if c[:1] in DANGEROUS], "a cell starts like a formula"
