"""Form texts built in code, in the shapes forms arrive in (invented projects and amounts)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core.extract import extract
from core.models import Extraction, Report

PROJECT_HEADER = ("年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分")
INDICATOR_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
# 产出 40 + 效益 30 + 满意度 20 = 90 of the indicators, 10 of budget execution.
INDICATORS: tuple[tuple[str, ...], ...] = (
    ("产出指标", "数量指标", "修缮校舍面积", "≥300平方米", "320平方米", "20", "20"),
    ("产出指标", "质量指标", "验收合格率", "100%", "100%", "20", "20"),
    ("效益指标", "社会效益指标", "受益学生人数", "≥800人", "850人", "30", "30"),
    ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "96%", "20", "20"),
)


def report(text: str, name: str = "form.txt") -> Report:
    return Report(path=Path(name), sha256="x", text=text, kind="txt")


def read(text: str) -> Extraction:
    return extract(report(text))


def project_form(
    funding: Sequence[str] = ("200", "200", "190", "10", "95%", "9.5"),
    *,
    sep: str = " ",
    indicators: Sequence[Sequence[str]] = INDICATORS,
    total: Sequence[str] | None = ("100", "99.5"),
    header_extra: str = "",
    cut_before_indicators: bool = False,
    funding_label: str = "年度资金总额",
) -> str:
    """A 项目支出绩效自评表 with a row per line, cells split by `sep`."""
    lines = [
        "项目支出绩效自评表",
        "（2023年度）",
        sep.join(("项目名称", "城关小学校舍维修项目")),
        sep.join(("主管部门", "某县教育局", "实施单位", "某县城关小学")),
    ]
    if header_extra:
        lines.append(header_extra)
    lines += [
        "项目资金（万元）",
        sep.join(PROJECT_HEADER),
        sep.join((funding_label, *funding)),
        sep.join(("其中：当年财政拨款", *funding[:3])),
        sep.join(("上年结转资金", "-", "-")),
        sep.join(("其他资金", "-", "-")),
        sep.join(("年度总体目标", "预期目标", "实际完成情况")),
    ]
    if not cut_before_indicators:
        lines.append(sep.join(INDICATOR_HEADER))
        lines += [sep.join(row) for row in indicators]
        if total is not None:
            lines.append(sep.join(("总分", *total)))
    return "\n".join(lines) + "\n"


def one_cell_per_line(text: str, blank: bool = True) -> str:
    """Every cell of a row-per-line form on a line of its own (blank lines between)."""
    cells = [cell for line in text.splitlines() for cell in line.split(" ") if cell]
    return ("\n\n" if blank else "\n").join(cells) + "\n"


def department_form(
    total: Sequence[str] = ("1500.00", "1425.00", "10", "9.5", "执行率×分值"),
    *,
    sep: str = " | ",
    basic: Sequence[str] = ("800.00", "790.00"),
    project: Sequence[str] = ("700.00", "635.00"),
) -> str:
    """A 部门整体支出绩效自评表 flattened with '|' between cells."""
    lines = [
        "部门整体支出绩效自评表",
        "（2023年度）",
        sep.join(("单位名称", "某县农业农村局")),
        "资金情况（万元）",
        sep.join(("", "年初预算数(A)", "全年执行数(B)", "分值", "得分", "得分计算方法")),
        sep.join(("年度资金总额", *total)),
        sep.join(("基本支出", *basic)),
        sep.join(("项目支出", *project)),
        sep.join(("年度主要任务", "完成情况")),
    ]
    return "\n".join(lines) + "\n"


def figure_values(ex: Extraction) -> dict[str, object]:
    return {f.field: f.value for f in ex.figures}


def form_figure_notes(ex: Extraction) -> dict[str, str]:
    return {f.field: f.note for f in ex.figures if f.note.startswith("form")}
