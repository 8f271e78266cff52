"""Tests for core.encodings: every encoding reports come in, and binary data."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.encodings import decode_text, looks_binary

SAMPLES = sorted((Path(__file__).parents[2] / "sample_reports").glob("*.txt"))
GBK_ONLY_SAMPLE = next(path for path in SAMPLES if "织篢镇" in path.name)  # 篢 is not in GB2312

ENCODERS: list[tuple[str, Callable[[str], bytes], str, str]] = [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8", "strict UTF-8"),
    ("utf-8-bom", lambda t: t.encode("utf-8-sig"), "utf-8-sig", "BOM"),
    ("gb18030", lambda t: t.encode("gb18030"), "gb18030", "strict GB18030"),
    ("utf-16-le-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16-le", "BOM"),
    ("utf-16-be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be", "BOM"),
    ("utf-16-le-no-bom", lambda t: t.encode("utf-16-le"), "utf-16-le", "UTF-16 without BOM"),
    ("utf-16-be-no-bom", lambda t: t.encode("utf-16-be"), "utf-16-be", "UTF-16 without BOM"),
    ("utf-32-le-bom", lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"), "utf-32-le", "BOM"),
]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split("_")[0])
@pytest.mark.parametrize(
    ("encode", "encoding", "how"),
    [pytest.param(*case[1:], id=case[0]) for case in ENCODERS],
)
def test_real_report_round_trips(
    sample: Path, encode: Callable[[str], bytes], encoding: str, how: str
) -> None:
    text = sample.read_text(encoding="utf-8")
    data = encode(text)
    decoded = decode_text(data)
    assert decoded.text == text
    assert decoded.encoding == encoding
    assert decoded.how.startswith(how)
    assert not decoded.uncertain
    assert not looks_binary(data)


def test_gbk_only_text_reads_as_gb18030() -> None:
    text = GBK_ONLY_SAMPLE.read_text(encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gb2312")
    decoded = decode_text(text.encode("gbk"))
    assert (decoded.text, decoded.encoding, decoded.uncertain) == (text, "gb18030", False)


@pytest.mark.parametrize(
    ("data", "text", "encoding", "uncertain"),
    [
        pytest.param(b"", "", "utf-8", False, id="empty"),
        pytest.param(b"plain ASCII 95.25", "plain ASCII 95.25", "utf-8", False, id="ascii"),
        pytest.param("一".encode("gbk"), "一", "gb18030", True, id="one-gbk-char-fits-both"),
        pytest.param("部门".encode(), "部门", "utf-8", True, id="short-utf8-fits-both"),
        pytest.param("得分".encode(), "得分", "utf-8", True, id="short-utf8-reads-as-more-cjk"),
        pytest.param("部".encode(), "部", "utf-8", False, id="short-utf8-only"),
        pytest.param("得分 95 分".encode("utf-16-le"), "得分 95 分", "utf-16-le", False, id="u16"),
        pytest.param(
            "score 95".encode("utf-16-be"), "score 95", "utf-16-be", False, id="u16-ascii"
        ),
        pytest.param(
            "部门整体支出绩效自评".encode("gbk"),
            "部门整体支出绩效自评",
            "gb18030",
            False,
            id="gbk-10",
        ),
        pytest.param("€𠀀".encode("gb18030"), "€𠀀", "gb18030", False, id="gb18030-four-byte"),
        pytest.param(b"\x81\x30\xff 95", "\ufffd0\ufffd 95", "gb18030", True, id="undecodable"),
        pytest.param(
            codecs.BOM_UTF16_LE + b"\x00\xd8", "\ufffd", "utf-16-le", True, id="bad-utf16"
        ),
        pytest.param(codecs.BOM_UTF8 + "得分".encode(), "得分", "utf-8-sig", False, id="utf8-bom"),
    ],
)
def test_decode_cases(data: bytes, text: str, encoding: str, uncertain: bool) -> None:
    decoded = decode_text(data)
    assert (decoded.text, decoded.encoding, decoded.uncertain) == (text, encoding, uncertain)


@pytest.mark.parametrize(
    ("data", "binary"),
    [
        pytest.param(b"", False, id="empty"),
        pytest.param("得分 95.25 分\n".encode(), False, id="utf-8-text"),
        pytest.param("得分\t95\r\n".encode("gbk"), False, id="gbk-text"),
        pytest.param("得分 95 分\n".encode("utf-16-le"), False, id="utf-16-no-bom"),
        pytest.param(b"\x1b[31mred\x1b[0m log line\n", False, id="ansi-colours"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True, id="png"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", True, id="zip"),
        pytest.param(bytes(range(32)) * 4 + b"some text", True, id="control-bytes"),
        pytest.param(b"text with one stray NUL\x00 in it", True, id="stray-nul"),
    ],
)
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary


@given(st.binary(max_size=2000))
def test_decode_never_raises(data: bytes) -> None:
    decoded = decode_text(data)
    assert isinstance(decoded.text, str)
    assert isinstance(looks_binary(data), bool)


@given(st.text(max_size=300).filter(lambda t: not t.startswith("\x00")))
def test_bom_encodings_round_trip_any_text(text: str) -> None:
    # (FF FE then U+0000 in UTF-16-LE is the UTF-32-LE BOM: a genuine ambiguity.)
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        assert decode_text(bom + text.encode(codec)).text == text
    assert decode_text(text.encode("utf-8-sig")).text == text
