"""Property tests: the checks never raise, point inside the text, and never alarm on a
consistent report whatever its numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.checks import check_batch, run_checks
from core.extract import extract
from core.models import Report
from tests.core.test_extract_properties import PIECES

MORE = st.sampled_from(
    ["比上年增加", "下降", "增长", "评优率为", "涉及项目", "我乡", "我镇", "××", "范本", "预算资金"]
)
REPORTISH = st.lists(st.one_of(PIECES, MORE, st.text(max_size=5)), max_size=80).map("".join)


def as_report(text: str, name: str = "x.txt") -> Report:
    return Report(path=Path(name), sha256="", text=text, kind="txt")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORTISH)
def test_checks_never_raise_and_spans_are_in_the_text(text):
    for finding in run_checks(extract(as_report(text))):
        assert finding.severity in ("error", "warning", "info")
        assert finding.message
        assert all(0 <= s <= e <= len(text) for s, e in finding.spans)


@settings(max_examples=40, deadline=None)
@given(st.lists(REPORTISH, min_size=2, max_size=4))
def test_batch_checks_never_raise(texts):
    reports = [extract(as_report(t, f"{i}.txt")) for i, t in enumerate(texts)]
    assert len(check_batch(reports)) == len(texts)


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=200, deadline=None)
@given(money, money, money, money)
def test_a_consistent_report_raises_no_error(basic_personnel, basic_public, project, previous):
    """Figures built to agree, printed to 0.01 as reports print them: no error, ever."""
    basic = basic_personnel + basic_public
    total = basic + project
    change = previous
    before = basic_public + change  # last year's 公用经费, so the decrease is `change`
    rate = (change / before * 100).quantize(Decimal("0.01"))
    text = (
        "某县东风镇人民政府2023年度部门整体支出绩效自评报告\n"
        f"2023年财政拨款支出{total}万元，其中基本支出{basic}万元，项目支出{project}万元。\n"
        f"基本支出中：人员经费{basic_personnel}万元；公用经费{basic_public}万元，"
        f"比上年减少{change}万元，下降{rate}%。\n"
    )
    errors = [f.message for f in run_checks(extract(as_report(text))) if f.severity == "error"]
    assert errors == []
