"""Numbers as Chinese reports write them: amounts, rates, counts, 大写 and Chinese numerals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

# Full-width digits and separators are read as their ASCII twins; offsets stay those of the text.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

MONEY_UNITS = ("亿元", "万元", "千元", "元", "万")
"""Money units as written; a bare 万 after an amount means 万元 (名称，35万；…)."""

# How many 万元 one written unit is worth.
_TO_WAN = {
    "亿元": Decimal(10000),
    "万元": Decimal(1),
    "万": Decimal(1),
    "千元": Decimal("0.1"),
    "元": Decimal("0.0001"),
}

_DIGIT = "[0-9０-９]"
# A number: digit groups with ASCII or full-width thousands separators (exactly three digits after
# each), or a plain run of digits; then an optional decimal part of any length.
_NUMBER = rf"(?:{_DIGIT}{{1,3}}(?:[,，]{_DIGIT}{{3}})+|{_DIGIT}+)(?:[.．]{_DIGIT}+)?"
# Units that may follow, longest first; spaces between number and unit are allowed (123.76 %).
_UNIT = (
    r"亿元|万元|千元|元(?![宵旦])|万(?=[；;，,、。.）)\s]|$)|%|％|个百分点"
    r"|人次|人|名|个|项|家|分(?![钟之])|年度|年|月|日|次|户|公里|亩"
)
NUMBER_RE = re.compile(
    rf"(?P<num>{_NUMBER})(?:[ \t]{{0,3}}(?P<unit>{_UNIT}))?",
)
# Characters that glue a digit run to an identifier, a code or a phone number: before it, or
# after it (a letter, a digit, or a dash or point followed by a digit).
_CODE_BEFORE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789０１２３４５６７８９_/\\.-—－"
)
_CODE_AFTER = re.compile(r"[A-Za-z_/\\]|[\-—－][0-9０-９]|[.．][0-9０-９]|[0-9０-９]")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_COUNT_RE = re.compile(r"(?P<num>[零〇一二两三四五六七八九十百千]{1,8})(?P<unit>个|名|人|项|家)")

_DAXIE_DIGITS = {
    "零": 0,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "叁": 3,
    "參": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
_DAXIE_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
DAXIE_RE = re.compile(
    r"(?:人民币)?(?P<num>[零壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億]+(?:[圆元][零壹贰叁肆伍陆柒捌玖角分]*)?整?)"
)
# An amount other than zero has a digit (or 拾/佰/仟) in the run before 元, or a digit before
# 角/分 (零, 万 and 亿 alone add up to nothing): a text with neither has no 大写 amount to find.
_DAXIE_YUAN_RE = re.compile(
    r"[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟][零壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億]*[圆元]"
)
_DAXIE_CENTS_RE = re.compile(r"[壹贰叁肆伍陆柒捌玖][角分]")


class Number(NamedTuple):
    """A number found in text, with its unit as written and its span.

    A named tuple rather than a frozen dataclass: a report has hundreds of numbers, and a
    frozen dataclass takes four times as long to build."""

    value: Decimal
    """The value as written, before any unit conversion."""
    unit: str
    """The unit as written after the number ("万元", "%", "人", …) or "" when none."""
    start: int
    """Offset of the first digit."""
    end: int
    """Offset just past the unit (or the last digit when there is no unit)."""
    digits_end: int
    """Offset just past the last digit."""
    decimals: int
    """Digits written after the decimal point (drives rounding tolerance)."""

    @property
    def kind(self) -> str:
        """ "money", "percent", "persons", "count", "score", "date", "per_head" or "plain"."""
        return unit_kind(self.unit)

    def in_wan(self) -> Decimal | None:
        """The amount in 万元, exactly, or None when this is not an amount."""
        return to_wan(self.value, self.unit) if self.unit in _TO_WAN else None


# A money standard per head: "800元/生·年", "每人每年补助600元", "人均1.2万元".
_PER_AFTER = frozenset("/／")
_PER_BEFORE_RE = re.compile(r"(?:每(?:人|户|生|名|亩|位|学生)|[人生户亩]均)[^，,。；;、]{0,8}$")


def _is_per_head(text: str, start: int, end: int) -> bool:
    if end < len(text) and text[end] in _PER_AFTER:
        return True
    window = max(0, start - 12)
    if text.find("每", window, start) < 0 and text.find("均", window, start) < 0:
        return False
    return _PER_BEFORE_RE.search(text, window, start) is not None


def unit_kind(unit: str) -> str:
    """Classify a written unit ("元/" is money per head: "per_head")."""
    if unit.endswith("/"):
        return "per_head"
    if unit in _TO_WAN:
        return "money"
    if unit in ("%", "％"):
        return "percent"
    if unit in ("人", "名"):
        return "persons"
    if unit in ("个", "项", "家", "户"):
        return "count"
    if unit == "分":
        return "score"
    if unit in ("年", "年度", "月", "日"):
        return "date"
    return "plain"


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount written in `unit` to 万元 without float drift."""
    return plain_decimal(value * _TO_WAN[unit])


def plain_decimal(value: Decimal) -> Decimal:
    """Without trailing zeros (1.2300 → 1.23); integers as integers (1E+1 → 10)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def four_places(value: Decimal) -> Decimal:
    """A computed value to 4 decimals at most (rates and quotients run on); printed figures
    are never that long, so they pass unchanged."""
    exponent = value.as_tuple().exponent
    return (
        value.quantize(Decimal("0.0001")) if isinstance(exponent, int) and exponent < -4 else value
    )


def parse_decimal(text: str) -> Decimal | None:
    """Parse a written number: full-width digits, thousands separators, inner spaces allowed."""
    cleaned = text.translate(_FULLWIDTH).replace(",", "").replace(" ", "").strip()
    if not cleaned or not re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the fullmatch above rules this out
        return None


def count_decimals(text: str) -> int:
    """Digits after the decimal point in a written number."""
    normal = text.translate(_FULLWIDTH)
    return len(normal.split(".", 1)[1]) if "." in normal else 0


def find_numbers(text: str, start: int = 0, end: int | None = None) -> Iterator[Number]:
    """Every Arabic-digit number in text[start:end], skipping parts of codes and phone numbers."""
    stop = len(text) if end is None else end
    for match in NUMBER_RE.finditer(text, start, stop):
        num_start, num_end = match.span("num")
        if num_start and text[num_start - 1] in _CODE_BEFORE:
            continue
        if _CODE_AFTER.match(text, num_end, num_end + 2):
            continue
        written = match.group("num")
        if written.isascii() and "," not in written:  # the common case, as parse_decimal reads it
            value: Decimal | None = Decimal(written)
            point = written.find(".")
            decimals = len(written) - point - 1 if point >= 0 else 0
        else:
            value = parse_decimal(written)
            decimals = count_decimals(written)
        if value is None:
            continue
        unit = match.group("unit") or ""
        if unit == "％":
            unit = "%"
        elif unit in _TO_WAN and _is_per_head(text, num_start, match.end()):
            unit += "/"  # a standard per person, pupil, household (600元/人): not an amount
        yield Number(value, unit, num_start, match.end() if unit else num_end, num_end, decimals)


def parse_chinese_numeral(text: str) -> int | None:
    """Parse a small Chinese numeral (十二, 两, 一百零五, 二十) as used in counts."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_SMALL_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
    if digit is not None:
        total += digit
    return total


def find_chinese_counts(text: str, start: int = 0, end: int | None = None) -> Iterator[Number]:
    """Counts written in Chinese numerals: 十二个, 两名, 三项."""
    stop = len(text) if end is None else end
    for match in CN_COUNT_RE.finditer(text, start, stop):
        value = parse_chinese_numeral(match.group("num"))
        if value is None:
            continue
        yield Number(
            value=Decimal(value),
            unit=match.group("unit"),
            start=match.start(),
            end=match.end(),
            digits_end=match.end("num"),
            decimals=0,
        )


def parse_daxie(text: str) -> Decimal | None:
    """Parse a 大写 amount (壹佰贰拾万元整, 叁仟元伍角) into 元."""
    body = text.removeprefix("人民币").removesuffix("整")
    parts = re.split(r"[圆元]", body, maxsplit=1)
    yuan_part, fraction = parts[0], parts[1] if len(parts) > 1 else ""
    if not yuan_part:
        return None
    total = Decimal(0)
    section = Decimal(0)
    digit = Decimal(0)
    for ch in yuan_part:
        if ch in _DAXIE_DIGITS:
            digit = Decimal(_DAXIE_DIGITS[ch])
        elif ch in _DAXIE_UNITS:
            section += (digit or Decimal(1)) * _DAXIE_UNITS[ch]
            digit = Decimal(0)
        elif ch in "万萬":
            total += (section + digit) * 10000
            section = digit = Decimal(0)
        elif ch in "亿億":
            total = (total + section + digit) * 100000000
            section = digit = Decimal(0)
        else:
            return None
    total += section + digit
    cents = re.fullmatch(
        r"(?:零)?(?:([壹贰叁肆伍陆柒捌玖])角)?(?:([壹贰叁肆伍陆柒捌玖])分)?", fraction
    )
    if cents is None:
        return None
    if cents.group(1):
        total += Decimal(_DAXIE_DIGITS[cents.group(1)]) / 10
    if cents.group(2):
        total += Decimal(_DAXIE_DIGITS[cents.group(2)]) / 100
    return total


def find_daxie_amounts(text: str, start: int = 0, end: int | None = None) -> Iterator[Number]:
    """大写 amounts (they always end in 元/圆, optionally 角/分/整); values in 元."""
    stop = len(text) if end is None else end
    if not _DAXIE_YUAN_RE.search(text, start, stop) and not _DAXIE_CENTS_RE.search(
        text, start, stop
    ):
        return
    for match in DAXIE_RE.finditer(text, start, stop):
        written = match.group("num")
        if "元" not in written and "圆" not in written:
            continue
        value = parse_daxie(written)
        if value is None or value == 0:
            continue
        yield Number(
            value=value,
            unit="元",
            start=match.start(),
            end=match.end(),
            digits_end=match.end(),
            decimals=2 if ("角" in written or "分" in written) else 0,
        )
