"""What a form reader hands out: the form's cells, read by the form's own columns."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.forms.grid import Cell

PLACED_BY_CELL = "cell"
"""The value sits in its own column: the row has a cell for every column."""
PLACED_BY_ELIMINATION = "placed"
"""The row has fewer cells than columns; only one placement of its cells fits the columns."""
PLACED_BY_SPLIT = "split"
"""Cut out of digits run together by an OCR'd copy; only one cut fits the columns."""


@dataclass(frozen=True)
class FormValue:
    """A number read from one cell (or part of a cell) of a form."""

    column: str
    """The column's kind ("initial", "spending", "weight", "score", …)."""
    label: str
    """The column's header as the form wrote it ("全年执行数(B)")."""
    value: Decimal | None
    """The number; None for a cell left empty ("-", "/")."""
    percent: bool
    """Written with a % sign."""
    start: int
    end: int
    placed: str = PLACED_BY_CELL
    """How sure the column is: PLACED_BY_CELL, PLACED_BY_ELIMINATION or PLACED_BY_SPLIT."""
    note: str = ""
    """Why the value was put in this column, when it is not the plain reading."""

    @property
    def certain(self) -> bool:
        """Read from its own cell, nothing inferred."""
        return self.placed == PLACED_BY_CELL


@dataclass(frozen=True)
class FundingRow:
    """One row of the funding block (年度资金总额, 其中：当年财政拨款, 基本支出, …)."""

    kind: str
    """"total", "current", "carryover", "other", "basic" or "project"."""
    label: Cell
    values: tuple[FormValue, ...]
    """The values whose column is known, in column order."""
    text: Cell | None = None
    """The row's words column (得分计算方法, 差异原因), when it has one."""

    def value(self, column: str) -> FormValue | None:
        """The value in a column, or None when the cell is empty or its column uncertain."""
        for found in self.values:
            if found.column == column and found.value is not None:
                return found
        return None


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator table: what was aimed at, what was done, and the points."""

    name: str
    name_start: int
    name_end: int
    target: Cell | None
    actual: Cell | None
    weight: FormValue
    score: FormValue
    reason: Cell | None = None
    """偏差原因分析及改进措施, when the row gives one."""


@dataclass(frozen=True)
class StatedValue:
    """A figure a data table states (基础数据表, a 部门决算 table): its field, the row label or
    column header that says what it is, and the value's cell."""

    field: str
    """A field of the vocabulary, or a quantity only the form states ("staff_rate": 控制率)."""
    label: Cell
    value: FormValue
    unit: str
    """The value's unit as written: "万元", "元", "人" or "%"."""


@dataclass(frozen=True)
class Form:
    """One national form as read from a report."""

    kind: str
    """"project" (项目支出绩效自评表), "department" (部门整体支出绩效自评表), "basic_data"
    (部门整体支出绩效评价基础数据表) or "final_accounts" (a 部门决算 table)."""
    title: str
    """The national name of the form."""
    start: int
    end: int
    year: int | None = None
    money_unit: str = "万元"
    """The money unit: 万元 unless the form says 元 (a data table: the unit it declares)."""
    project_name: Cell | None = None
    columns: tuple[str, ...] = ()
    """The funding block's column kinds, in order."""
    funding: tuple[FundingRow, ...] = ()
    rate_base: str | None = None
    """The column 执行率 is taken over: the one headed (A), else 全年预算数, else 年初预算数."""
    rule_stated: bool = False
    """The form scores budget execution as 执行率 × 分值: the national template's 执行率(B/A)
    column beside 分值 and 得分, or a 得分计算方法 saying so."""
    rule_cell: Cell | None = None
    indicators: tuple[Indicator, ...] = ()
    indicators_complete: bool = False
    """The indicator table was read to its 总分 row without a row left unread."""
    total_weight: FormValue | None = None
    total_score: FormValue | None = None
    """总分's 分值 and 得分."""
    stated_score: FormValue | None = None
    """自评得分 stated in the form's header."""
    grade: Cell | None = None
    stated: tuple[StatedValue, ...] = ()
    """What a data table states, each value from the column (or beside the label) that says
    what it is."""

    def funding_row(self, kind: str) -> FundingRow | None:
        """The funding block's row of a kind, or None."""
        return next((row for row in self.funding if row.kind == kind), None)
