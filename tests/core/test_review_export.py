"""`jixiao export` and `jixiao merge`: a memo, tables and JSON that report text cannot subvert."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from decimal import Decimal

import polars as pl
import pytest
from markdown_it import MarkdownIt

from core.cleaning import neutralise
from core.cli import main
from core.export import annotations_frame, md_escape, render_markdown
from core.review import Annotation, Target
from core.review_log import ReviewLog
from core.review_store import read_log
from tests.core.reviewing import FINDING, QUOTE, REPORT_A, Clock, make_batch, report

EVIL = "<script>alert(1)</script> [点我](http://evil.example) **粗体** ![图](x.png) &lt; `code`"
FORMULA = '=HYPERLINK("http://evil.example","点击")'


def annotate(
    log: ReviewLog, key: str, target: Target, verdict: str, severity: str, **kw
) -> Annotation:
    return log.add(
        key,
        Annotation.create(
            target, status=verdict, severity=severity, author=log.reviewer, at=log.now(), **kw
        ),
    )


@pytest.fixture
def log(tmp_path):
    """A log of two reports: confirmed finding with arithmetic, a missed issue, a false positive,
    an uncertain point, an orphaned quote, and notes that try to be markup or formulas."""
    batch = make_batch(tmp_path)
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    a = log.report_state(report(batch), unit="甲镇人民政府", year=2023).key
    b = log.report_state(report(batch, "sub/b.txt"), unit="乙镇人民政府", year=2023).key
    log.set_status(a, "done")
    log.add(
        a,
        Annotation.from_finding(
            FINDING,
            status="confirmed",
            author="张三",
            at=log.now(),
            note="请单位核实基本支出。",
            text=REPORT_A,
        ),
    )
    annotate(
        log,
        a,
        Target("field", field="score"),
        "missed",
        "warning",
        note="自评得分与指标不符\n# 不是标题\n- 不是列表",
        quote="自评得分95分",
        start=REPORT_A.index("自评得分95分"),
        end=REPORT_A.index("自评得分95分") + 7,
    )
    annotate(
        log,
        a,
        Target("projects", old_project="道路维修", new_project="道路养护"),
        "false_positive",
        "info",
        note="同一项目改名",
    )
    annotate(
        log,
        a,
        Target("span"),
        "uncertain",
        "info",
        note=EVIL + "\x1b]0;title\x07\x9b2J",
        quote=QUOTE,
        start=0,
        end=len(QUOTE),
    )
    annotate(
        log,
        b,
        Target("field", field="spending_total"),
        "confirmed",
        "error",
        note=FORMULA,
        quote="-88+1",
    )
    annotate(log, b, Target("span"), "uncertain", "info", note="@SUM(A1)", quote="+86 电话")
    log.set_status(b, "in_progress")
    return log


def test_markdown_memo_reads_without_the_tool(log):
    md = render_markdown(read_log(log.folder))
    assert md.startswith("# 绩效自评报告审阅备忘录\n")
    memo_a = md[md.index("## 甲镇人民政府 · 2023 年度") : md.index("## 乙镇人民政府")]
    assert "审阅状态：已审（张三 2025-03-01 09:02）" in memo_a
    issues, rest = memo_a.split("### 存疑事项")
    assert issues.index("#### 错误（1）") < issues.index("#### 警告（1）")
    assert "支出合计 1,290.00 万元，与各项之和 1,287.78 万元不符（检查 分项合计不符）" in issues
    assert "报告数 1,290.00 万元；计算数 1,287.78 万元；差额 2.22 万元（容差 0.01 万元）" in issues
    assert "请单位核实基本支出。" in issues and "基本支出可能少写了 2.22 万元" in issues
    assert "> 支出合计1290.00万元" in issues
    assert "### 经核实无误（误报）（1）" in rest and "道路维修 → 道路养护" in rest
    assert "漏报" in issues and "误报" not in issues
    en = render_markdown(read_log(log.folder), lang="en")
    assert "Review status: done" in en and "#### error (1)" in en and "reported 1,290.00 万元" in en


def test_markdown_report_text_cannot_become_markup(log):
    md = render_markdown(read_log(log.folder))
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    assert (
        "<script" not in html and "<a " not in html and "<img" not in html and "<code>" not in html
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<h1>") == 1, "a note's '# …' line stays text"
    assert "<strong>粗体</strong>" not in html and "**粗体**" in html
    assert not any(c in md for c in "\x1b\x07\x9b")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("# 标题", "\\# 标题"),
        ("1. 第一", "1\\. 第一"),
        ("a\n> 引用\n---", "a\n\\> 引用\n\\---"),
        ("见 https://x.cn 或 www.x.cn", "见 https\\://x.cn 或 www\\.x.cn"),
        ("支出合计（万元）：1,290.00", "支出合计（万元）：1,290.00"),
    ],
    ids=["html", "heading", "ordered-list", "quote-and-rule", "bare-urls", "plain-chinese"],
)
def test_md_escape(text, expected):
    assert md_escape(text) == expected


CELLS = [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-2.22", "'-2.22"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=x", "'\t=x"), ("正常 = 文本", "正常 = 文本"), ("", ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "expected"),
    CELLS,
    ids=["equals", "plus", "minus", "at", "tab", "inner-equals", "empty"],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def _check_rows(frame: pl.DataFrame) -> None:
    assert frame.height == 6, "one row per annotation"
    assert {"report", "unit", "year", "subject", "status", "severity", "note", "quote"} <= set(
        frame.columns
    )
    row = (
        frame.filter(pl.col("report") == "sub/b.txt")
        .filter(pl.col("status") == "确认问题")
        .row(0, named=True)
    )
    assert row["note"] == "'" + FORMULA and row["quote"] == "'-88+1"
    assert row["unit"] == "乙镇人民政府" and row["year"] == 2023 and row["severity"] == "错误"
    assert set(frame["note"].to_list()) >= {"'@SUM(A1)", "请单位核实基本支出。"}
    finding = frame.filter(pl.col("key") == "sum_mismatch").row(0, named=True)
    assert (finding["reported"], finding["computed"], finding["difference"]) == (
        1290.0,
        1287.78,
        2.22,
    )
    assert not any(c in (v or "") for v in frame["note"].to_list() for c in "\x1b\x07\x9b")


def test_csv_export_one_row_per_annotation(log, tmp_path, capsys):
    out = tmp_path / "review.csv"
    assert main(["export", str(log.folder), "--format", "csv", "-o", str(out)]) == 0
    _check_rows(pl.read_csv(out))
    assert main(["export", str(log.batch), "--format", "csv"]) == 0, "a batch with one log"
    assert capsys.readouterr().out.splitlines()[0].startswith("report,unit,year,")


def test_xlsx_export_reads_back_and_holds_no_formula_or_link(log, tmp_path):
    out = tmp_path / "review.xlsx"
    assert main(["export", str(log.folder), "--format", "xlsx", "-o", str(out)]) == 0
    _check_rows(pl.read_excel(out))
    with zipfile.ZipFile(out) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets and "hyperlink" not in sheets


def test_json_export(log, capsys):
    assert main(["export", str(log.folder), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\x9b")
    data = json.loads(out)
    assert data["schema"] == 1 and data["reviewer"] == "张三"
    a = next(r for r in data["reports"] if r["path"] == "a.txt")
    assert (a["unit"], a["year"], a["status"]) == ("甲镇人民政府", 2023, "done")
    finding = a["annotations"][0]
    assert finding["target"] == {"kind": "finding", "check": "sum_mismatch", "finding": FINDING.key}
    assert finding["arithmetic"]["reported"] == 1290 and finding["arithmetic"]["difference"] == 2.22
    assert finding["quote"] == QUOTE and finding["created"] == "2025-03-01T09:03:00+08:00"


def test_markdown_export_to_a_file_and_in_english(log, tmp_path, capsys):
    out = tmp_path / "memo.md"
    assert main(["export", str(log.folder / "review.toml"), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_markdown(read_log(log.folder))
    assert main(["--lang", "en", "export", str(log.folder)]) == 0
    assert "Review memo" in capsys.readouterr().out


def test_export_refuses_a_broken_log(log, capsys):
    broken = next((log.folder / "reports").glob("*.toml"))
    broken.write_text("path = \n", encoding="utf-8")
    assert main(["export", str(log.folder)]) == 1
    err = capsys.readouterr().err
    assert "审阅记录无法读取" in err and f"{broken}:1: not valid TOML" in err
    assert broken.read_text(encoding="utf-8") == "path = \n"


def test_export_usage_errors(log, tmp_path, capsys):
    assert main(["export", str(log.folder), "--format", "xlsx"]) == 2
    assert main(["export", str(tmp_path / "nowhere")]) == 1
    assert "no review log here" in capsys.readouterr().err


def test_merge_command_combines_logs_and_lists_conflicts(log, tmp_path, capsys):
    li = ReviewLog.open(log.batch, reviewer="李四", clock=Clock())
    key = li.report_state(report(log.batch), unit="甲镇人民政府", year=2023).key
    li.add(
        key, Annotation.from_finding(FINDING, status="false_positive", author="李四", at=li.now())
    )
    li.set_status(key, "skipped")
    out = tmp_path / "merged"
    assert main(["merge", str(log.folder), str(li.folder), "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "已合并 2 份审阅记录：2 份报告，7 条批注，2 处分歧。"
    assert "分歧 a.txt: 审阅状态不同 — 张三: 已审; 李四: 跳过" in printed
    merged = read_log(out)
    assert merged.reviewer == "张三+李四"
    assert annotations_frame(merged).height == 7
    assert main(["merge", str(log.folder), "-o", str(out)]) == 1, "never over an existing log"
    assert f"{out}：这里已有一份审阅记录，合并不会覆盖它" in capsys.readouterr().err
    assert main(["--lang", "en", "merge", str(log.folder), "-o", str(out)]) == 1
    assert f"{out}: a review log is already here; choose another folder" in capsys.readouterr().err
    assert read_log(out) == merged


def test_a_file_name_with_control_characters_is_never_written_raw(tmp_path, capsys):
    batch = make_batch(tmp_path)
    name = "甲\x9b镇\u202e.txt"
    (batch / name).write_text(REPORT_A, encoding="utf-8")
    log = ReviewLog.open(batch, reviewer="张三", clock=Clock())
    key = log.report_state(report(batch, name)).key
    log.set_status(key, "done")
    annotate(log, key, Target("field", field="score"), "confirmed", "info")
    (file,) = (log.folder / "reports").glob("*.toml")
    raw = file.read_text(encoding="utf-8")
    assert "\x9b" not in raw and "\u202e" not in raw and "\\u009b" in raw
    assert read_log(log.folder).reports[0].path == name, "escaped, not lost"
    for fmt in ("md", "csv", "json"):
        assert main(["export", str(log.folder), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "\x9b" not in out and "\u202e" not in out and "甲镇" in out


@pytest.mark.parametrize(
    ("reported", "computed", "tolerance", "expected"),
    [
        (
            "100",
            "94.44444444444444444444444444",
            "1.0",
            "报告数 100；计算数 94.44；差额 5.56（容差 1.0）",
        ),
        (
            "1326.15",
            "1126.79",
            "0.015",
            "报告数 1,326.15；计算数 1,126.79；差额 199.36（容差 0.015）",
        ),
    ],
    ids=["computed-ratio-rounded", "stated-figures-as-written"],
)
def test_arithmetic_is_shown_to_sensible_places(tmp_path, reported, computed, tolerance, expected):
    finding = replace(
        FINDING,
        fields=(),
        reported=Decimal(reported),
        computed=Decimal(computed),
        difference=Decimal(reported) - Decimal(computed),
        tolerance=Decimal(tolerance),
    )
    log = ReviewLog.open(make_batch(tmp_path), reviewer="张三", clock=Clock())
    key = log.report_state(report(log.batch)).key
    log.add(key, Annotation.from_finding(finding, status="confirmed", author="张三", at=log.now()))
    assert f"   - {expected}\n" in render_markdown(read_log(log.folder))
