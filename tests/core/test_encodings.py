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
        pytest.param(b"text with one stray NUL\x00 in it", False, id="stray-nul"),
        pytest.param(b"text\x00 with\x00 NULs\x00 all\x00 over\x00", True, id="nuls-everywhere"),
        pytest.param(
            b"a stray NUL\x00 in a binary file " + bytes(range(1, 32)) * 4,
            True,
            id="binary-one-nul",
        ),
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


# ---------------------------------------------------------------------------------------------
# Decoding by the majority: a few bytes that do not fit do not change how the rest is read

SAMPLE_TEXT = SAMPLES[0].read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE_TEXT.split("\n")


def _with_lines(encode_line: Callable[[int, str], bytes]) -> bytes:
    return b"\n".join(encode_line(i, line) for i, line in enumerate(SAMPLE_LINES))


def test_utf8_with_stray_bytes_reads_as_utf8() -> None:
    # Stray bytes after lines 4 and 20: the rest stays UTF-8, each stray is one U+FFFD.
    data = _with_lines(lambda i, line: line.encode() + (b"\xff" if i in (3, 19) else b""))
    decoded = decode_text(data)
    assert decoded.encoding == "utf-8"
    assert decoded.uncertain
    lines = decoded.text.split("\n")
    assert lines[3] == SAMPLE_LINES[3] + "\ufffd" and lines[19] == SAMPLE_LINES[19] + "\ufffd"
    assert decoded.text.replace("\ufffd", "") == SAMPLE_TEXT
    assert [(m.line, m.size, m.read_as) for m in decoded.misfits] == [(4, 1, None), (20, 1, None)]


@pytest.mark.parametrize("paragraph", [5, 10, 20, 30])
def test_gbk_paragraph_in_a_utf8_file_reads_as_gb18030(paragraph: int) -> None:
    data = _with_lines(lambda i, line: line.encode("gbk" if i == paragraph else "utf-8"))
    decoded = decode_text(data)
    assert (decoded.text, decoded.encoding, decoded.uncertain) == (SAMPLE_TEXT, "utf-8", True)
    assert decoded.misfits
    assert {(m.line, m.read_as) for m in decoded.misfits} == {(paragraph + 1, "gb18030")}


def test_utf8_with_a_broken_character_keeps_the_rest() -> None:
    data = SAMPLE_TEXT.encode()
    cut = data.index("财政".encode()) + 1  # inside 财: its last two bytes are left
    decoded = decode_text(data[:cut] + data[cut + 2 :])
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 1
    assert decoded.text.replace("\ufffd", "财") == SAMPLE_TEXT
    assert len(decoded.misfits) == 1


def test_gb18030_with_stray_bytes_is_not_read_lossily_whole() -> None:
    data = _with_lines(lambda i, line: line.encode("gbk") + (b"\xff" if i == 7 else b""))
    decoded = decode_text(data)
    assert decoded.encoding == "gb18030"
    assert decoded.text.replace("\ufffd", "") == SAMPLE_TEXT
    assert [(m.line, m.size, m.read_as) for m in decoded.misfits] == [(8, 1, None)]


def test_utf8_bom_file_with_a_gbk_line() -> None:
    data = codecs.BOM_UTF8 + _with_lines(lambda i, line: line.encode("gbk" if i == 2 else "utf-8"))
    decoded = decode_text(data)
    assert (decoded.text, decoded.encoding) == (SAMPLE_TEXT, "utf-8-sig")
    assert {m.line for m in decoded.misfits} == {3}


def test_mostly_foreign_bytes_are_not_read_by_a_majority() -> None:
    # Half UTF-8, half GBK: neither encoding has the majority; read lossily, as before.
    half = len(SAMPLE_LINES) // 2
    data = _with_lines(lambda i, line: line.encode("gbk" if i < half else "utf-8"))
    decoded = decode_text(data)
    assert decoded.uncertain and not decoded.misfits


def test_clean_files_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # Clean files decode exactly as before: the majority reading is never even tried.
    import core.encodings

    calls: list[bytes] = []
    real = core.encodings._by_majority

    def counting(data: bytes, *args: object) -> object:
        calls.append(data)
        return real(data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(core.encodings, "_by_majority", counting)
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8")
        for _, encode, encoding, _ in ENCODERS:
            assert decode_text(encode(text)).encoding == encoding
    assert calls == []
    decode_text(SAMPLE_TEXT.encode() + b"\xff")
    assert len(calls) == 1


@given(st.integers(0, len(SAMPLE_TEXT) - 400), st.integers(0, 399), st.integers(0x80, 0xFF))
def test_a_stray_byte_changes_only_its_place(start: int, at: int, stray: int) -> None:
    text = SAMPLE_TEXT[start : start + 400]
    data = text[:at].encode() + bytes([stray]) + text[at:].encode()
    decoded = decode_text(data)
    assert decoded.encoding == "utf-8"
    assert len(decoded.misfits) == 1
    # The stray byte, and at most the character on either side of it when it is a two-byte
    # one (which GB18030 text read as UTF-8 turns into), reads as one region.
    assert decoded.text.startswith(text[: max(0, at - 1)])
    assert decoded.text.endswith(text[at + 1 :])
