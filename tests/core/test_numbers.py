"""The number parser: amounts, units, separators, full-width digits, Chinese numerals, 大写."""

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.numbers import (
    _DAXIE_CENTS_RE,
    _DAXIE_YUAN_RE,
    DAXIE_RE,
    count_decimals,
    find_chinese_counts,
    find_daxie_amounts,
    find_numbers,
    parse_chinese_numeral,
    parse_daxie,
    parse_decimal,
    to_wan,
)

CASES = [
    # text, value as written, unit as written, value in 万元 (None: not money)
    ("基本支出1287.78万元", "1287.78", "万元", "1287.78"),
    ("总支出4,898.86万元", "4898.86", "万元", "4898.86"),
    ("支出１，２３４．５６万元", "1234.56", "万元", "1234.56"),
    ("整体年初预算安排 1009.62万元", "1009.62", "万元", "1009.62"),
    ("1009.62 万元", "1009.62", "万元", "1009.62"),
    ("12,345,678.90元", "12345678.90", "元", "1234.56789"),
    ("3.5亿元", "3.5", "亿元", "35000"),
    ("850千元", "850", "千元", "85"),
    ("名称，35万；", "35", "万", "35"),
    ("49.482728万元", "49.482728", "万元", "49.482728"),
    ("2024.05万元", "2024.05", "万元", "2024.05"),
    ("支出率达 123.76 %", "123.76", "%", None),
    ("执行率９８％", "98", "%", None),
    ("在职人员 76人", "76", "人", None),
    ("自评结果得分  95.25  分", "95.25", "分", None),
    ("项目19个", "19", "个", None),
    ("约600万斤", "600", "", None),
]


@pytest.mark.parametrize(("text", "value", "unit", "wan"), CASES, ids=[c[0] for c in CASES])
def test_finds_the_number_its_unit_and_its_amount_in_wan(text, value, unit, wan):
    found = list(find_numbers(text))
    assert len(found) == 1
    number = found[0]
    assert number.value == Decimal(value)
    assert number.unit == unit
    assert number.in_wan() == (None if wan is None else Decimal(wan))
    # The span covers the number as written, from its first digit.
    assert (
        text[number.start].translate(str.maketrans("０１２３４５６７８９", "0123456789")).isdigit()
    )


@pytest.mark.parametrize(
    "text",
    [
        "索引号：11530102MB1234567X/2024-00012",
        "联系电话：0871-6512345",
        "电话 0759-4812345",
        "文号徐财绩〔2025〕5号 ABC123",
    ],
)
def test_codes_and_phone_numbers_are_not_amounts(text):
    money = [n for n in find_numbers(text) if n.kind != "plain" or n.unit]
    assert all(n.kind in ("plain", "date", "count") for n in money)
    assert not any(n.kind == "money" for n in find_numbers(text))
    assert not any(n.value in (Decimal(1234567), Decimal(6512345)) for n in find_numbers(text))


def test_decimals_are_counted_for_rounding():
    assert [n.decimals for n in find_numbers("1.5万元、2.25万元、3万元、0.432万元")] == [1, 2, 0, 3]


def test_no_float_drift_when_converting():
    assert to_wan(Decimal("0.1"), "元") == Decimal("0.00001")
    assert to_wan(Decimal("123456789.01"), "元") == Decimal("12345.678901")
    assert sum(to_wan(Decimal(x), "元") for x in ["100000.10", "200000.20"]) == Decimal("30.00003")


@pytest.mark.parametrize(
    ("text", "value"),
    [("十二", 12), ("两", 2), ("二十", 20), ("一百零五", 105), ("十", 10), ("三千零二十", 3020)],
)
def test_chinese_numerals(text, value):
    assert parse_chinese_numeral(text) == value


def test_chinese_counts_in_text():
    found = [(int(n.value), n.unit) for n in find_chinese_counts("共十二个项目，两名同志，三项")]
    assert found == [(12, "个"), (2, "名"), (3, "项")]


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("人民币壹佰贰拾万元整", "1200000"),
        ("叁仟元伍角", "3000.5"),
        ("壹亿贰仟万元", "120000000"),
        ("玖拾元零伍分", "90.05"),
        ("壹拾万零伍佰元整", "100500"),
    ],
)
def test_daxie_amounts(text, yuan):
    assert parse_daxie(text) == Decimal(yuan)
    found = list(find_daxie_amounts(f"合计金额{text}。"))
    assert [n.value for n in found] == [Decimal(yuan)]


@given(st.text())
def test_finders_never_raise_and_spans_are_inside_the_text(text):
    for finder in (find_numbers, find_chinese_counts, find_daxie_amounts):
        for number in finder(text):
            assert 0 <= number.start < number.end <= len(text)
            assert number.value >= 0


@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["元", "万元", "亿元", "千元"]),
)
def test_written_amounts_round_trip(value, unit):
    text = f"金额{value}{unit}。"
    (number,) = list(find_numbers(text))
    assert number.value == value
    assert number.unit == unit
    assert to_wan(number.value, unit) == to_wan(value, unit)


@given(st.integers(min_value=1000, max_value=10**12))
def test_thousands_separators_ascii_and_full_width(value):
    ascii_text = f"{value:,}元"
    full = ascii_text.replace(",", "，")
    assert next(find_numbers(ascii_text)).value == value
    assert next(find_numbers(full)).value == value


@settings(max_examples=500)
@given(st.text(alphabet="人民币零壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億圆元角分整。", max_size=12))
@example("零元伍分")
@example("万元叁角")
@example("亿圆零玖分整")
def test_a_daxie_amount_other_than_zero_has_a_digit_before_yuan_or_jiao_fen(text):
    """find_daxie_amounts skips a text with neither: nothing is lost."""
    for match in DAXIE_RE.finditer(text):
        value = parse_daxie(match.group("num"))
        if value and ("元" in match.group() or "圆" in match.group()):
            found = _DAXIE_YUAN_RE.search(match.group()) or _DAXIE_CENTS_RE.search(match.group())
            assert found, match.group()


@settings(max_examples=300)
@given(st.text(alphabet="0123456789０１２３４５６７８９.．,，%％ 元万亿A-—/", max_size=16))
def test_numbers_read_fast_as_parse_decimal_reads_them(text):
    """ASCII digits take a short cut past parse_decimal: the same value and decimals."""
    for number in find_numbers(text):
        written = text[number.start : number.digits_end]
        assert number.value == parse_decimal(written)
        assert str(number.value) == str(parse_decimal(written))
        assert number.decimals == count_decimals(written)


def test_a_number_opening_the_text_is_not_glued_to_its_last_character():
    assert [n.value for n in find_numbers("5万元，编号A")] == [Decimal(5)]
    assert [n.value for n in find_numbers("编号A5万元")] == []
