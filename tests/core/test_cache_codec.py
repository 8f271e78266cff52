"""The result cache's plain-data codec: every cached value comes back as it went in (Decimal to
the digit, tuples and None restored), over real reports of every kind and over generated ones;
and every codec writes every field of its type."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.batch import Entry, check_entries, load_entry
from core.cache_codec import (
    Damaged,
    decode_cell,
    decode_entry,
    decode_extraction,
    decode_figure,
    decode_findings,
    decode_form,
    decode_project,
    decode_report,
    decode_unit_groups,
    encode_cell,
    encode_entry,
    encode_extraction,
    encode_figure,
    encode_findings,
    encode_form,
    encode_project,
    encode_report,
    encode_unit_groups,
    from_bytes,
    to_bytes,
)
from core.check_context import CheckConfig
from core.forms.grid import Cell
from core.forms.model import Form, FormValue, FundingRow, Indicator, StatedValue
from core.loading import Summary
from core.models import Extraction, Figure, Finding, Page, Project, Report
from core.reading import find_reports
from core.rules import FIELD_RULES
from tests.core import data_tables_texts, forms_texts
from tests.docs import docx_blocks, make_cjk_font, write_docx, write_pdf

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_reports"
DATA = ROOT / "tests" / "core" / "data"
CHECKS = CheckConfig()


def _again(value: Any, encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> Any:
    """The value through the codec and back, as bytes in between."""
    return from_bytes(to_bytes(encode(value)), decode)


def _same(got: object, expected: object) -> None:
    """Equal, and equal in every digit: Decimal("1.20") == Decimal("1.2"), their reprs differ."""
    assert got == expected
    assert repr(got) == repr(expected)


# ---- real reports --------------------------------------------------------------------------


def _forms_report() -> str:
    sample = (SAMPLES / "峨边县五渡镇_2023_部门整体绩效自评报告.txt").read_text("utf-8")
    return "\n".join(
        (
            sample,
            forms_texts.project_form(),
            forms_texts.department_form(),
            data_tables_texts.basic_pairs(data_tables_texts.PAIRS),
            data_tables_texts.summary_table(),
            data_tables_texts.spending_table(),
            data_tables_texts.sangong_table(),
        )
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Entry]:
    """Every report of sample_reports/ and tests/core/data/, the same reports as .docx, .pdf
    (one page a picture without text) and GBK, national forms and data tables, a copy under
    another unit's name, and files that cannot be read; checked as one batch."""
    folder = tmp_path_factory.mktemp("codec") / "batch"
    shutil.copytree(SAMPLES, folder / "samples")
    shutil.copytree(DATA, folder / "data")
    text = (SAMPLES / "安化县平口镇_2023_部门整体支出绩效自评报告.txt").read_text("utf-8")
    write_docx(folder / "安化县平口镇_2023_word.docx", docx_blocks(text))  # type: ignore[arg-type]
    lines = [line.strip("\t") for line in text.split("\n")]
    pages = ["\n".join(lines[i : i + 30]) for i in range(0, len(lines), 30)] + [""]
    font = make_cjk_font(folder / "cjk.ttf", text)
    write_pdf(folder / "安化县平口镇_2023_pdf.pdf", pages, font, image_pages=[len(pages) - 1])
    (folder / "安化县平口镇_2023_gbk.txt").write_bytes(text.encode("gb18030"))
    (folder / "某县某局_2023_表格.txt").write_text(_forms_report(), "utf-8")
    copied = (SAMPLES / "峨边县五渡镇_2023_部门整体绩效自评报告.txt").read_text("utf-8")
    copied = copied.replace("峨边县五渡镇", "沐川县新华镇").replace("五渡镇", "新华镇")
    (folder / "沐川县新华镇_2023_部门整体绩效自评报告.txt").write_text(copied, "utf-8")
    (folder / "空白_2023.txt").write_bytes(b"")
    (folder / "乱码.txt").write_bytes(bytes(range(256)) * 8)
    paths = find_reports([folder]).reports
    entries = [load_entry(p, rules=FIELD_RULES, checks=CHECKS) for p in paths]
    return check_entries(entries, checks=CHECKS)


def test_every_kind_of_cached_value_is_in_the_corpus(corpus: list[Entry]) -> None:
    exs = [e.extraction for e in corpus]
    figures = [f for ex in exs for f in ex.figures]
    forms = [form for ex in exs for form in ex.forms]
    findings = [f for e in corpus for f in e.findings]
    assert {e.extraction.report.kind for e in corpus} >= {"txt", "docx", "pdf"}
    assert any(f.candidates for f in figures)
    assert {type(f.value) for f in figures} == {Decimal, int, str}
    assert any(ex.projects for ex in exs) and any(len(ex.project_lists) > 1 for ex in exs)
    assert any(
        p.amount is not None and p.amount.as_tuple().exponent < 0 for ex in exs for p in ex.projects
    )
    assert {form.kind for form in forms} >= {"project", "department", "basic_data"}
    assert any(form.funding for form in forms) and any(form.indicators for form in forms)
    assert any(form.stated for form in forms)
    assert any(f.spans for f in findings) and any(f.hint for f in findings)
    assert any(f.reported is not None and f.tolerance is not None for f in findings)
    assert any(ex.report.pages for ex in exs)
    assert any(p.problem for ex in exs for p in ex.report.pages)
    assert any(ex.report.warnings for ex in exs)
    assert any(ex.report.encoding_note for ex in exs)
    assert sum(1 for ex in exs if ex.report.error and ex.report.error_code) >= 2


def test_every_report_comes_back_as_it_was(corpus: list[Entry]) -> None:
    for entry in corpus:
        _same(_again(entry, encode_entry, decode_entry), entry)
        _same(_again(entry.findings, encode_findings, decode_findings), entry.findings)
        summary = Summary.of(entry)
        _same(from_bytes(summary.encoded(), Summary.decode), summary)


def test_unit_groups_come_back_as_they_were() -> None:
    for groups in ([], [("峨边县五渡镇", [0, 3, 7])], [("", []), ("某局", [2])]):
        _same(_again(groups, encode_unit_groups, decode_unit_groups), groups)


# ---- generated values ----------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=12),
    st.text(st.sampled_from(["报", "a", "\x00", '"', "\\", "\n", "\udcff", "\ud800", "𠀀"])),
)
"""Any text, lone surrogates too (a file name that is not UTF-8, as Python holds it)."""
ints = st.integers(min_value=-(2**63), max_value=2**63)
decimals = st.decimals(allow_nan=False, allow_infinity=False)
maybe_texts = st.none() | texts
maybe_decimals = st.none() | decimals
paths = st.builds(Path, st.text(st.sampled_from(["a", "报", "/", ".", " ", "\udcff"]), min_size=1))


def _small(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, max_size=3).map(tuple)


pages = st.builds(Page, ints, ints, ints, maybe_texts)
reports = st.builds(
    Report, paths, texts, texts, texts, maybe_texts, maybe_texts, _small(pages),
    _small(texts), maybe_texts, maybe_texts,
)  # fmt: skip
values = st.one_of(decimals, ints, texts)
figures = st.recursive(
    st.builds(
        Figure, texts, values, texts, texts, texts, ints, ints, ints, ints, ints, texts,
        st.just(()),
    ),
    lambda inner: st.builds(
        Figure, texts, values, texts, texts, texts, ints, ints, ints, ints, ints, texts,
        _small(inner),
    ),
    max_leaves=6,
)  # fmt: skip
projects = st.builds(
    Project, texts, maybe_decimals, maybe_decimals, maybe_texts, ints, ints, ints, texts,
    texts, st.booleans(),
)  # fmt: skip
cells = st.builds(Cell, texts, ints, ints)
maybe_cells = st.none() | cells
form_values = st.builds(
    FormValue, texts, texts, maybe_decimals, st.booleans(), ints, ints, texts, texts
)
maybe_form_values = st.none() | form_values
forms = st.builds(
    Form, texts, texts, ints, ints, st.none() | ints, texts, maybe_cells, _small(texts),
    _small(st.builds(FundingRow, texts, cells, _small(form_values), maybe_cells)),
    maybe_texts, st.booleans(), maybe_cells,
    _small(st.builds(
        Indicator, texts, ints, ints, maybe_cells, maybe_cells, form_values, form_values,
        maybe_cells,
    )),
    st.booleans(), maybe_form_values, maybe_form_values, maybe_form_values, maybe_cells,
    _small(st.builds(StatedValue, texts, cells, form_values, texts)),
)  # fmt: skip
extractions = st.builds(
    Extraction, reports, maybe_texts, st.none() | ints, _small(figures), _small(projects),
    _small(_small(projects)), _small(texts), _small(forms),
)  # fmt: skip
findings = st.builds(
    Finding, texts, texts, texts, texts, _small(texts), maybe_decimals, maybe_decimals,
    maybe_decimals, maybe_decimals, _small(st.tuples(ints, ints)), maybe_texts,
)  # fmt: skip
entries = st.builds(Entry, extractions, _small(findings))
summaries = st.builds(Summary, texts, maybe_texts, st.none() | ints, ints, ints, maybe_texts)


@settings(max_examples=60, deadline=None)
@given(entries)
def test_any_entry_comes_back_as_it_was(entry: Entry) -> None:
    _same(_again(entry, encode_entry, decode_entry), entry)


@settings(max_examples=60, deadline=None)
@given(_small(findings), summaries)
def test_any_findings_and_summary_come_back_as_they_were(
    found: tuple[Finding, ...], summary: Summary
) -> None:
    _same(_again(found, encode_findings, decode_findings), found)
    _same(from_bytes(summary.encoded(), Summary.decode), summary)


@settings(max_examples=30, deadline=None)
@given(
    reports, figures, projects, cells, forms, extractions,
    st.lists(st.tuples(texts, st.lists(ints)), max_size=3),
)  # fmt: skip
def test_every_codec_writes_every_field(
    report: Report,
    figure: Figure,
    project: Project,
    cell: Cell,
    form: Form,
    extraction: Extraction,
    groups: list[tuple[str, list[int]]],
) -> None:
    for value, encode, decode in (
        (report, encode_report, decode_report),
        (figure, encode_figure, decode_figure),
        (project, encode_project, decode_project),
        (cell, encode_cell, decode_cell),
        (form, encode_form, decode_form),
        (extraction, encode_extraction, decode_extraction),
    ):
        assert len(encode(value)) == len(dataclasses.fields(value))
        _same(_again(value, encode, decode), value)
    _same(_again(groups, encode_unit_groups, decode_unit_groups), groups)


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\x80\x05K\x01.",  # a pickle
        b"[1, 2",
        b"\xff\xfe[]",
        b'{"__class__": "os.system", "args": ["true"]}',
        b'["x", null, null, 0, 0, null, "extra"]',
        b'["x", null, null, "0", 0, null]',
        b'["x", null, null, true, 0, null]',
        b'["x", null, null, 0.5, 0, null]',
        b'["x", null, 2023.0, 0, 0, null]',
        b"[" * 100_000 + b"]" * 100_000,
        b"1" * 5000,
    ],
)
def test_what_is_not_a_summary_is_refused(blob: bytes) -> None:
    with pytest.raises(Damaged):
        from_bytes(blob, Summary.decode)


@pytest.mark.parametrize(
    "number", ["NaN", "sNaN", "-Infinity", " 1", "1.2 ", "1_000", "0x10", 5, "1e2"]
)
def test_a_decimal_is_only_what_str_writes(number: object) -> None:
    good = encode_project(Project("p", Decimal("1.20"), None, None, 0, 1, 1))
    assert decode_project(good).amount == Decimal("1.20")
    with pytest.raises(Damaged):
        decode_project([good[0], number, *good[2:]])
