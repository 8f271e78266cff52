"""Shared pieces of the review-log tests: a small batch, a clock, a finding."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from core.models import Finding, Report
from core.reading import read_report

CST = timezone(timedelta(hours=8))

REPORT_A = (
    "甲镇人民政府2023年度部门整体支出绩效自评报告\n"
    "一、基本情况\n"
    "2023年度支出合计1290.00万元，其中基本支出1287.78万元，项目支出2.22万元。\n"
    "二、绩效情况\n"
    "自评得分95分。\n"
)
REPORT_B = "乙镇人民政府2023年度部门整体支出绩效自评报告\n支出合计88.00万元。\n"
QUOTE = "支出合计1290.00万元"

FINDING = Finding(
    check="sum_mismatch",
    severity="error",
    message="支出合计 1,290.00 万元，与各项之和 1,287.78 万元不符",
    key="sum_mismatch:spending_total",
    fields=("spending_total", "spending_basic", "spending_project"),
    reported=Decimal("1290.00"),
    computed=Decimal("1287.78"),
    difference=Decimal("2.22"),
    tolerance=Decimal("0.01"),
    spans=((REPORT_A.index(QUOTE), REPORT_A.index(QUOTE) + len(QUOTE)),),
    hint="基本支出可能少写了 2.22 万元",
)


class Clock:
    """A clock that moves one minute each time it is read."""

    def __init__(self, start: datetime = datetime(2025, 3, 1, 9, 0, tzinfo=CST)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def make_batch(root: Path) -> Path:
    """A batch folder with two text reports, a.txt and sub/b.txt."""
    batch = root / "batch"
    (batch / "sub").mkdir(parents=True)
    (batch / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (batch / "sub" / "b.txt").write_text(REPORT_B, encoding="utf-8")
    return batch


def report(batch: Path, name: str = "a.txt") -> Report:
    return read_report(batch / name)
