"""What a check sees (a report's figures in context) and what it reports (issues)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from core.arithmetic import (
    figure_tolerance,
    one_digit_edit,
    printed_digits,
)
from core.copying import (
    BatchIndex,
)
from core.models import Extraction, Figure
from core.numbers import count_decimals, plain_decimal
from core.rules import RULES_BY_KEY

SEVERITIES = ("error", "warning", "info")
DEFAULT_GRADE_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("优", Decimal(90)),
    ("良", Decimal(80)),
    ("中", Decimal(60)),
    ("差", Decimal(0)),
)


@dataclass(frozen=True)
class CheckConfig:
    """Which checks run and how strict they are (from config.toml [checks])."""

    lang: str = "zh"
    """Language of messages and hints."""
    disabled: frozenset[str] = frozenset()
    """Check ids that do not run."""
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Severity overrides by check id."""
    tolerance: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    """Extra slack by check id, added to the rounding of the printed figures (万元 or %)."""
    grade_bands: tuple[tuple[str, Decimal], ...] = DEFAULT_GRADE_BANDS
    """Lowest score of each grade, best grade first."""
    copied_min_chars: int = 60
    """Chinese characters a passage must share with another unit's report to be flagged."""
    template_reports: int = 3
    """A sentence found in this many reports or more is the shared template, not copying."""


@dataclass(frozen=True)
class Fix:
    """A single correction of one figure that would explain a finding."""

    field: str
    value: Decimal
    kind: str
    """"digit" (a slipped digit) or "unit" (元 ↔ 万元)."""


@dataclass(frozen=True)
class Issue:
    """What a check reports before its message is written."""

    subject: str
    """Distinguishes findings of one check in one report (part of the finding key)."""
    params: Mapping[str, object]
    """Values for the message template."""
    fields: tuple[str, ...] = ()
    reported: Decimal | None = None
    computed: Decimal | None = None
    tolerance: Decimal | None = None
    spans: tuple[tuple[int, int], ...] = ()
    fixes: tuple[Fix, ...] = ()
    hint: tuple[str, str] | None = None
    """A hint of the check's own, (zh, en)."""
    severity: str | None = None
    """Less than the check's severity for this finding ("warning" where a number was read with
    doubt); None: the check's own. A severity set in the configuration wins over both."""


@dataclass(frozen=True)
class Context:
    """What a check sees: one report's figures and text, and the batch around it."""

    extraction: Extraction
    figures: Mapping[str, Figure]
    config: CheckConfig
    slack: Decimal
    batch: BatchIndex | None = None
    position: int | None = None

    @property
    def text(self) -> str:
        return self.extraction.report.text

    def label(self, key: str) -> str:
        rule = RULES_BY_KEY.get(key)
        if rule is None:
            return key
        return rule.label_zh if self.config.lang == "zh" else rule.label_en

    def amount(self, key: str) -> Decimal | None:
        fig = self.figures.get(key)
        return fig.value if fig is not None and isinstance(fig.value, Decimal) else None


@dataclass(frozen=True)
class Check:
    """One rule of the check table."""

    id: str
    label_zh: str
    label_en: str
    severity: str
    message_zh: str
    message_en: str
    run: Callable[[Context], Iterable[Issue]]
    arithmetic: bool = False
    """Re-run when looking for a single correction that explains several findings."""
    cross_report: bool = False
    """Compares the report with the rest of the batch: runs only when the batch is given."""


def num(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{plain_decimal(value):f}"


def rounded(value: Decimal, decimals: int = 2) -> str:
    return num(value.quantize(Decimal(1).scaleb(-decimals)))


def fig_span(fig: Figure) -> tuple[int, int]:
    return (fig.start, fig.end)


def as_printed(fig: Figure) -> str:
    """The figure as printed, with its unit ("29.1元")."""
    return printed_digits(fig) + (fig.as_written_unit or "")


# ---- sums --------------------------------------------------------------------------------


def fix_for(fig: Figure, needed: Decimal) -> Fix | None:
    """The correction of `fig` to `needed`, when it is a one-digit slip or a 元/万元 slip."""
    if not isinstance(fig.value, Decimal) or fig.value == needed or needed <= 0:
        return None
    decimals = count_decimals(printed_digits(fig))
    meant = needed.quantize(Decimal(1).scaleb(-decimals))
    if fig.value and abs(needed / fig.value - 10000) <= 10000 * figure_tolerance(fig) / fig.value:
        return Fix(fig.field, plain_decimal(fig.value * 10000), "unit")
    if fig.value and abs(fig.value / needed - 10000) <= 10 and fig.as_written_unit != "元":
        return Fix(fig.field, plain_decimal(fig.value / 10000), "unit")
    if fig.as_written_unit in ("万元", "万", "") and one_digit_edit(printed_digits(fig), meant):
        return Fix(fig.field, plain_decimal(meant), "digit")
    return None
