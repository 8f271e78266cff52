"""Data tables built in code (invented units and amounts): the 部门整体支出绩效评价基础数据表 and
the 部门决算 tables, in the shapes they arrive in."""

from __future__ import annotations

from collections.abc import Sequence

BASIC_TITLE = "部门整体支出绩效评价基础数据表"

# (label, 2022年决算数, 2023年预算数, 2023年决算数) of the grid's rows.
SPENDING_ROWS: tuple[tuple[str, ...], ...] = (
    ("三公经费", "12.5", "10", "9.8"),
    ("1、公务用车购置和维护经费", "8", "6", "5.5"),
    ("其中：公车购置", "-", "-", "-"),
    ("公车运行维护", "8", "6", "5.5"),
    ("2、出国经费", "0", "0", "0"),
    ("3、公务接待", "4.5", "4", "4.3"),
    ("会议费", "2.1", "2", "1.6"),
    ("培训费", "3.2", "3", "2.7"),
    ("基本支出", "760", "800", "790"),
    ("项目支出", "410", "400", "395"),
)
HEADER = ("经费控制情况", "2022年决算数", "2023年预算数", "2023年决算数")


def basic_grid(
    rows: Sequence[Sequence[str]] = SPENDING_ROWS,
    *,
    header: Sequence[str] = HEADER,
    staff: Sequence[str] = ("48", "45", "93.75%"),
    staff_header: Sequence[str] = ("财政供养人员情况", "编制数", "2023年实际在职人数", "控制率"),
    unit: str = "单位：万元",
    sep: str = "\t",
    title: str = BASIC_TITLE,
) -> str:
    """The basic-data table as a grid, a row per line."""
    lines = [
        title,
        "填报单位：某县城乡规划局",
        unit,
        sep.join(staff_header),
        sep.join(("", *staff)),
    ]
    lines.append(sep.join(header))
    lines += [sep.join(row) for row in rows]
    return "\n".join(lines) + "\n"


def cell_per_line(text: str, sep: str = "\t") -> str:
    """Every cell of a row-per-line table on a line of its own (empty cells dropped)."""
    cells = [cell.strip() for line in text.splitlines() for cell in line.split(sep)]
    return "\n".join(cell for cell in cells if cell) + "\n"


def basic_pairs(pairs: Sequence[tuple[str, str]], *, unit: str = "单位：万元") -> str:
    """The basic-data table as label line, value line."""
    lines = ["2023年度" + BASIC_TITLE, "单位名称", "某县档案馆", unit]
    for label, value in pairs:
        lines += [label, value]
    return "\n".join(lines) + "\n"


PAIRS = (
    ("人员编制数", "48"),
    ("实有人数", "45"),
    ("年初预算数", "1,200.50"),
    ("全年预算数", "1,300.25"),
    ("全年执行数", "1,250.00"),
    ("结转结余", "50.25"),
)


def summary_table(
    *, unit: str = "金额单位：元", rows: Sequence[Sequence[str]] | None = None, sep: str = "\t"
) -> str:
    """收入支出决算总表 with its two halves side by side (收入 | 支出), a 行次 column each."""
    rows = rows or (
        (
            "一、一般公共预算财政拨款收入",
            "1",
            "12,000,000.00",
            "一、一般公共服务支出",
            "32",
            "8,000,000.00",
        ),
        ("二、政府性基金预算财政拨款收入", "2", "", "二、农林水支出", "33", "4,300,000.00"),
        ("六、其他收入", "6", "500,000.00", "", "", ""),
        ("本年收入合计", "30", "12,500,000.00", "本年支出合计", "57", "12,300,000.00"),
        ("使用非财政拨款结余", "31", "", "结余分配", "58", ""),
        ("年初结转和结余", "32", "1,000,000.00", "年末结转和结余", "59", "1,200,000.00"),
        ("总计", "33", "13,500,000.00", "总计", "60", "13,500,000.00"),
    )
    lines = [
        "收入支出决算总表",
        "公开01表",
        sep.join(("部门：某县水利局", "", "", "", "", unit)),
        sep.join(("收入", "", "", "支出", "", "")),
        sep.join(("项目", "行次", "金额", "项目", "行次", "金额")),
        sep.join(("栏次", "", "1", "栏次", "", "2")),
    ]
    lines += [sep.join(row) for row in rows]
    return "\n".join(lines) + "\n"


def spending_table(total: Sequence[str] = ("1230.00", "800.00", "430.00", "", "", "")) -> str:
    """支出决算表: its 合计 row read by the columns that name their fields."""
    header = ("项目", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出")
    lines = [
        "支出决算表",
        "公开03表",
        "单位：万元",
        "\t".join((*header, "对附属单位补助支出")),
        "\t".join(("合计", *total)),
        "\t".join(("一般公共服务支出", "1000.00", "700.00", "300.00", "", "", "")),
    ]
    return "\n".join(lines) + "\n"


def sangong_table(rows: Sequence[Sequence[str]] | None = None, note: str = "") -> str:
    """The "三公"经费 table written as rows under 预算数 · 决算数."""
    rows = rows or (
        ("合计", "12.00", "9.80"),
        ("因公出国（境）费", "0.00", "0.00"),
        ("公务用车购置及运行维护费", "8.00", "5.50"),
        ("公务接待费", "4.00", "4.30"),
    )
    lines = ["财政拨款“三公”经费支出决算表", "单位：万元", "项目\t预算数\t决算数"]
    lines += ["\t".join(row) for row in rows]
    if note:
        lines.append(note)
    return "\n".join(lines) + "\n"


def in_report(*tables: str, year: int = 2023) -> str:
    """Tables after a few lines of a report of the year."""
    head = f"某县某局{year}年度部门整体支出绩效自评报告\n一、部门基本情况\n本局主要职责是……。\n"
    return head + "\n".join(tables)
