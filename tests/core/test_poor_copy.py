"""Poor copies are read as what they say, and every figure still points at the text as written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.extract import extract
from core.models import Report
from core.poor_copy import reading_text
from core.problems import translate


def _report(text: str) -> Report:
    return Report(path=Path("copy.txt"), sha256="", text=text, kind="txt")


TRADITIONAL = (
    "松嶺縣柏溪鎮人民政府2022年度部門整體支出績效自評報告\n"
    "一、基本情況\n"
    "本單位人員編制48人，年末實有人數45人。全年預算執行率為98.5%，"
    "年初預算數為1,204.60萬元，全年實際支出1,186.02萬元。\n"
)


def test_traditional_copy_is_read_and_grounded_in_the_display_text():
    ex = extract(_report(TRADITIONAL))
    got = {f.field: f for f in ex.figures}
    assert got["staff_actual"].value == 45
    assert got["budget_initial"].quote == "年初預算數為1,204.60萬元"
    for fig in ex.figures:
        assert TRADITIONAL[fig.start : fig.end] == fig.quote
        assert TRADITIONAL[fig.value_start : fig.value_end] in fig.quote
    assert ex.unit == "松岭县柏溪镇人民政府"
    assert any("traditional" in w for w in ex.warnings)


def test_pinyin_glosses_are_skipped():
    text = "本鎮年初預(yù)算數(shù)為320.50萬元，實(shí)有人數(shù)30人。機構(gòu)設置如下。"
    ex = extract(_report(text))
    fig = ex.figure("budget_initial")
    assert fig is not None and fig.value == Decimal("320.5")
    assert fig.quote == "年初預(yù)算數(shù)為320.50萬元"
    assert any("pinyin" in w for w in ex.warnings)


def test_ocr_slips_are_read_and_noted():
    text = "项Fl资金年初预匏数为64.8万兀，全年实际支出64.8万兀，预算执行率100%。保障人数IO人。"
    reading = reading_text(text)
    assert "年初预算数为64.8万元" in reading.text
    assert "保障人数10人" in reading.text
    ex = extract(_report(text))
    fig = ex.figure("budget_initial")
    assert fig is not None and fig.quote == "年初预匏数为64.8万兀"
    assert fig.as_written_unit == "万元"


def test_spaced_out_words_are_joined_but_table_cells_are_not():
    assert reading_text("部 门 整 体 支 出 绩效").text == "部门整体支出 绩效"
    for cells in ("主管部门 实施单位 某县水利局", "年 初", "项目 资金 合计 分值"):
        assert reading_text(cells).text == cells


@pytest.mark.parametrize(
    "text",
    [
        # A simplified report quoting a few traditional forms (a name, a title) is not a copy.
        "某县财政局2023年度部门整体支出绩效自评报告。引用《後漢書》與「龍門」一語，年初预算数100万元。",
        # Latin words are not OCR slips; a gloss needs a tone mark.
        "系统升级BIOS与IOS两项，预算(yusuan)科目名称不变，年初预算数100万元。",
        "",
    ],
    ids=["few-traditional", "latin-words", "empty"],
)
def test_a_clean_text_is_its_own_reading(text):
    reading = reading_text(text)
    assert reading.text == text and reading.origin is None and reading.notes == ()


def test_reading_notes_are_translated():
    for note in reading_text(TRADITIONAL + "预匏(suàn)数 部 门 整 体").notes:
        assert translate(note, "zh") != note


@settings(deadline=None, max_examples=200)
@given(
    st.text(
        alphabet=st.sampled_from(list("預算數萬元兀万项Fl IO0123456789.，。(yù)部门支出执行率%\n")),
        max_size=80,
    )
)
def test_every_reading_character_comes_from_the_display(text):
    reading = reading_text(text)
    if reading.origin is None:
        assert reading.text == text
        return
    assert len(reading.origin) == len(reading.text)
    assert list(reading.origin) == sorted(reading.origin)
    for i in range(len(reading.text)):
        start, end = reading.span(i, i + 1)
        assert 0 <= start < end <= len(text)


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "文本为繁体转载副本"), ("en", "traditional characters")]
)
def test_the_command_line_names_the_file_of_a_poor_copy(tmp_path, monkeypatch, capsys, lang, said):
    from core.cli import main

    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "copy.txt").write_text(TRADITIONAL, "utf-8")
    (tmp_path / "clean.txt").write_text("某县统计局2023年度部门整体支出绩效自评报告\n", "utf-8")
    main(["--lang", lang, "extract", str(tmp_path / "copy.txt"), str(tmp_path / "clean.txt")])
    notes = [line for line in capsys.readouterr().err.splitlines() if said in line]
    assert len(notes) == 1 and str(tmp_path / "copy.txt") in notes[0]
