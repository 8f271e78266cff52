"""The discrepancy checks: a table of rules, each turning a report's figures into findings.

Every check says nothing when the figures it needs are missing: a figure the extractor could
not read is never reported as a discrepancy. Differences within the rounding of the printed
figures are never findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType

from core import (
    checks_forms,
    checks_prose,
    checks_rates,
    checks_sums,
    checks_text,
    checks_wording,
)
from core.check_context import (
    SEVERITIES,
    Check,
    CheckConfig,
    Context,
    Fix,
    Issue,
    as_printed,
    num,
)
from core.copying import (
    BatchIndex,
    build_batch_index,
)
from core.models import Extraction, Figure, Finding

# ---- the table -----------------------------------------------------------------------------

CHECKS: tuple[Check, ...] = (
    Check(
        "sum_mismatch",
        "分项合计不符",
        "Parts do not add up",
        "error",
        "{parts} = {computed}万元，与{total}{reported}万元不符（差{difference}万元）",
        "{parts} = {computed} (10k yuan), but {total} is {reported} (off by {difference})",
        checks_sums.sums,
        arithmetic=True,
    ),
    Check(
        "parts_exceed_total",
        "分项超过合计",
        "Parts exceed the total",
        "error",
        "所列分项{parts}合计{computed}万元，超过{total}{reported}万元（多{difference}万元）",
        "The parts listed ({parts}) add up to {computed}, more than {total} {reported} "
        "(by {difference})",
        checks_sums.parts_exceed,
        arithmetic=True,
    ),
    Check(
        "list_exceeds_total",
        "“其中”所列超过总额",
        "Items listed under a total exceed it",
        "error",
        "“其中”所列各项{parts} = {computed}{unit}，"
        "超过总额{reported}{unit}（多{difference}{unit}）",
        "The items listed under a total: {parts} = {computed} {unit}, more than the total "
        "{reported} {unit} (by {difference})",
        checks_prose.list_under_total,
    ),
    Check(
        "unit_slip",
        "元/万元错写",
        "元/万元 slip",
        "error",
        "{label}写作{written}，应为{meant}：{reason}",
        "{label} is written {written} but means {meant}: {reason}",
        checks_sums.unit_slips,
    ),
    Check(
        "total_mismatch",
        "项目合计与所述总额不符",
        "Projects do not match their stated total",
        "error",
        "{count}个项目金额合计{computed}万元，而“{total}”为{reported}万元（差{difference}万元）",
        "The {count} projects add up to {computed}, but \u201c{total}\u201d says {reported} "
        "(off by {difference})",
        checks_sums.project_totals,
    ),
    Check(
        "change_rate_mismatch",
        "增减幅度不符",
        "Change rate does not match",
        "error",
        "{label}{current}万元，比上年{direction}{delta}万元，应为{computed}%，所述为{stated}%",
        "{label} {current}, {direction} {delta} on last year: the rate is {computed}%, "
        "stated {stated}%",
        checks_rates.change_rates,
        arithmetic=True,
    ),
    Check(
        "rate_mismatch",
        "比率与金额不符",
        "Rate does not match its amounts",
        "error",
        "{label}所述{stated}%，按{formula}应为{computed}%",
        "{label} is stated as {stated}%, but {formula} gives {computed}%",
        checks_rates.stated_rates,
        arithmetic=True,
    ),
    Check(
        "excellent_rate_mismatch",
        "评优率与项目等级不符",
        "Excellence rate does not match the project grades",
        "error",
        "{label}所述{stated}%，而项目表中{formula}为{computed}%",
        "{label} is stated as {stated}%, but the project table gives {formula} = {computed}%",
        checks_rates.excellent_rate,
    ),
    Check(
        "grade_score_mismatch",
        "等级与得分不符",
        "Grade does not match the score",
        "error",
        "自评得分{score}分应为“{expected}”，所述等级为“{grade}”",
        "A score of {score} is graded {expected}, but the report says {grade}",
        checks_rates.grade_against_score,
    ),
    Check(
        "staff_over_quota",
        "实有人数超编",
        "Staff over quota",
        "warning",
        "实有人数{actual}人超过编制数{quota}人（超{over}人）",
        "{actual} staff in post exceed the {quota} authorised (by {over})",
        checks_rates.staff_over_quota,
    ),
    Check(
        "template_residue",
        "模板残留",
        "Template residue",
        "warning",
        "{what}未删除：“{quote}”（{count}处）",
        "{what} left in: \u201c{quote}\u201d ({count}×)",
        checks_text.template_residue,
    ),
    Check(
        "foreign_unit",
        "自称与单位不符",
        "Speaks as another unit",
        "error",
        "文中自称“{said}”（{count}处），而本单位为{unit}：疑从其他单位报告复制",
        "The text calls itself \u201c{said}\u201d ({count}×) but the unit is {unit}: "
        "copied from another unit's report?",
        checks_text.foreign_self_reference,
    ),
    Check(
        "other_unit_named",
        "提及批次中其他单位",
        "Names another unit of the batch",
        "warning",
        "文中出现批次中另一单位“{other}”（{count}处）",
        "The text names another unit of the batch, \u201c{other}\u201d ({count}×)",
        checks_text.other_units_named,
        cross_report=True,
    ),
    Check(
        "copied_text",
        "与其他单位报告雷同",
        "Text shared with another unit's report",
        "warning",
        "与“{other}”的报告有{count}段共{chars}字相同（已排除多数报告共有的模板文字）",
        "{count} passage(s), {chars} characters, identical to the report of {other} "
        "(template text common to many reports excluded)",
        checks_text.copied_passages,
        cross_report=True,
    ),
    Check(
        "year_mismatch",
        "年度不一致",
        "Year inconsistent",
        "warning",
        "报告评价{year}年度，文中又称{claimed}年度（{count}处）",
        "The report evaluates {year} but also claims {claimed} ({count}×)",
        checks_text.year_claims,
    ),
    Check(
        "duplicate_project",
        "项目重复",
        "Duplicate project",
        "info",
        "项目“{name}”出现多次，金额不同：{amounts}万元",
        "Project \u201c{name}\u201d is listed more than once with different amounts: {amounts}",
        checks_rates.duplicate_projects,
    ),
    Check(
        "carryover_vs_execution",
        "结转结余率与执行情况不符",
        "Carry-over rate against full execution",
        "info",
        "支出{spent}万元已等于调整预算{budget}万元，仍称结转结余率{stated}%",
        "Spending {spent} equals the adjusted budget {budget}, yet a carry-over rate of "
        "{stated}% is stated",
        checks_rates.carryover_vs_execution,
    ),
    Check(
        "unit_name_variant",
        "单位名称写法不一",
        "Unit name written differently",
        "info",
        "单位名称写作“{variant}”（{count}处），与“{unit}”不一致",
        "The unit is written \u201c{variant}\u201d ({count}×), not \u201c{unit}\u201d",
        checks_text.unit_name_variants,
    ),
    # The national forms, by their own rules (core/checks_forms.py).
    Check(
        "score_rule_mismatch",
        "预算执行得分不符计分规则",
        "Budget-execution score breaks its rule",
        "error",
        "预算执行得分应为{expected}分（执行率{rate} × 分值{weight}，以分值为限），"
        "表中为{score}分{look}",
        "The budget-execution score should be {expected} (execution rate {rate} × weight "
        "{weight}, capped at the weight), the form says {score}{look}",
        checks_forms.score_rule,
    ),
    Check(
        "score_sum_mismatch",
        "总分与各项得分之和不符",
        "总分 is not the sum of the scores",
        "error",
        "各项得分合计{computed}分（{parts}），与总分{stated}分不符{look}",
        "The {count} scores add up to {computed} ({parts}), but 总分 is {stated}{look}",
        checks_forms.score_sum,
    ),
    Check(
        "score_over_weight",
        "得分超过分值",
        "Score above its weight",
        "error",
        "“{name}”得分{score}分，超过其分值{weight}分{look}",
        "\u201c{name}\u201d scores {score}, more than its weight {weight}{look}",
        checks_forms.score_over_weight,
    ),
    Check(
        "score_above_attainable",
        "自评得分高于可得分",
        "Score above what the deductions leave",
        "error",
        "自评得分{stated}分，高于可得的最高分{attainable}分：满分{full}分，表中已扣{deducted}分"
        "（{lost}）{look}",
        "The stated score {stated} is above the most attainable, {attainable}: {full} less the "
        "{deducted} points the form shows lost ({lost}){look}",
        checks_forms.score_above_attainable,
    ),
    Check(
        "met_but_marked_down",
        "指标已完成仍扣分",
        "Met but marked down",
        "warning",
        "指标“{name}”实际完成值“{actual}”已达年度指标值“{target}”，仍扣分（{score}/{weight}分），"
        "未说明偏差原因",
        "Indicator \u201c{name}\u201d met its target (\u201c{actual}\u201d against "
        "\u201c{target}\u201d) yet scored {score} of {weight}, with no reason given",
        checks_forms.met_but_marked_down,
    ),
    # Prose: parts, words and figures (core/checks_prose.py).
    Check(
        "stated_parts_mismatch",
        "所述构成不符",
        "Stated composition does not add up",
        "error",
        "{parts} = {computed}{unit}，而所述总额为{reported}{unit}（{relation}{difference}{unit}）",
        "{parts} = {computed} {unit}, but the total they are said to make up is {reported} "
        "{unit} ({relation} by {difference})",
        checks_prose.stated_parts,
    ),
    Check(
        "total_stated_twice",
        "同一总额前后不一",
        "Total stated twice, differently",
        "warning",
        "“{label}”前文为{first}{unit}，后文为{second}{unit}（相差{difference}{unit}）",
        "\u201c{label}\u201d is {first} {unit} in one place and {second} {unit} in another "
        "(off by {difference})",
        checks_prose.stated_twice,
    ),
    Check(
        "change_word_mismatch",
        "增减表述与数字不符",
        "Change word contradicts the figures",
        "error",
        "文中称“{word}”，而{figures}，实为{actual}",
        "The text says \u201c{word}\u201d, but {figures}: {actual}",
        checks_prose.change_words,
    ),
    Check(
        "change_amount_mismatch",
        "增减额与两年数字不符",
        "Stated change does not match both years' figures",
        "error",
        "{arithmetic}，而文中称“{said}”",
        "{arithmetic}, but the text says \u201c{said}\u201d",
        checks_wording.change_amounts,
    ),
    Check(
        "comparison_word_mismatch",
        "比较表述与数字不符",
        "Comparison word contradicts the figures",
        "error",
        "文中称“{word}”，而{figures}",
        "The text says \u201c{word}\u201d, but {figures}",
        checks_prose.comparison_words,
    ),
    Check(
        "completion_rate_mismatch",
        "完成预算比例与金额不符",
        "Completion rate does not match its amounts",
        "error",
        "文中称“{said}”，而{formula} = {computed}%",
        "The text says \u201c{said}\u201d, but {formula} = {computed}%",
        checks_wording.completion_rates,
    ),
    Check(
        "completion_of_zero_budget",
        "预算为0的完成率",
        "Completion rate of a zero budget",
        "warning",
        "{label}为0，完成率无意义：“{said}”",
        "The {label} is 0: a completion rate means nothing (\u201c{said}\u201d)",
        checks_wording.completion_of_zero_budget,
    ),
    Check(
        "completion_word_mismatch",
        "完成表述与完成率不符",
        "Completion word contradicts the rate",
        "error",
        "文中称“{word}”，而“{rate}”",
        "The text says \u201c{word}\u201d, but \u201c{rate}\u201d",
        checks_wording.completion_words,
    ),
    Check(
        "zero_against_spent",
        "称已支出而数为零",
        "Said to be spent, stated as zero",
        "warning",
        "文中称“{claim}”，同句又写“{zero}”",
        "The text says \u201c{claim}\u201d and, in the same sentence, \u201c{zero}\u201d",
        checks_prose.zero_against_spent,
    ),
    Check(
        "control_rate_mismatch",
        "人员控制率不符",
        "Staff control rate does not add up",
        "error",
        "基础数据表控制率{stated}%，与实际在职人数{actual}人 ÷ 编制数{quota}人 = {computed}%不符",
        "The basic-data table's control rate is {stated}%, but {actual} staff in post ÷ "
        "{quota} authorised = {computed}%",
        checks_forms.control_rate,
    ),
)
DEFAULT_CHECK_CONFIG = CheckConfig()
_NO_SLACK = Decimal(0)


def check_label(check_id: str, lang: str = "zh") -> str:
    """What a reviewer calls a check ("分项合计不符"); an unknown id is shown as it is."""
    check = CHECKS_BY_ID.get(check_id)
    if check is None:
        return check_id
    return check.label_zh if lang == "zh" else check.label_en


CHECKS_BY_ID: Mapping[str, Check] = MappingProxyType({c.id: c for c in CHECKS})
CHECK_IDS: tuple[str, ...] = tuple(CHECKS_BY_ID)


# ---- running -------------------------------------------------------------------------------


def run_checks(
    extraction: Extraction,
    *,
    config: CheckConfig = DEFAULT_CHECK_CONFIG,
    batch: BatchIndex | None = None,
    position: int | None = None,
) -> list[Finding]:
    """The findings of every enabled check on one report, most severe first, then in text order.

    `batch` and `position` (from `build_batch_index`) enable the cross-report checks.
    """
    if extraction.report.error:
        return []
    figures = {f.field: f for f in extraction.figures}
    ctx = Context(extraction, figures, config, _NO_SLACK, batch, position)
    raised = [(check, issue) for check in _enabled(config) for issue in _run(check, ctx)]
    hints = _root_cause_hints(ctx, raised)
    return _ordered(
        [_finding(check, issue, ctx, hints.get(_key(check, issue))) for check, issue in raised]
    )


def add_cross_report_findings(
    extraction: Extraction,
    findings: Sequence[Finding],
    *,
    config: CheckConfig = DEFAULT_CHECK_CONFIG,
    batch: BatchIndex,
    position: int,
) -> list[Finding]:
    """What `run_checks` gives with the batch, from what it gave without: the findings of the
    cross-report checks added, the others not worked out again. (Those checks are not
    arithmetic, so no root-cause hint changes.)"""
    if extraction.report.error:
        return []
    figures = {f.field: f for f in extraction.figures}
    ctx = Context(extraction, figures, config, Decimal(0), batch, position)
    added = [
        _finding(check, issue, ctx, None)
        for check in _enabled(config)
        if check.cross_report
        for issue in _run(check, ctx)
    ]
    return _ordered([*findings, *added])


_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
_CHECK_ORDER = {c.id: i for i, c in enumerate(CHECKS)}


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then in text order; ties in the order of the check table."""
    return sorted(
        findings,
        key=lambda f: (
            _SEVERITY_ORDER[f.severity],
            f.spans[0] if f.spans else (0, 0),
            _CHECK_ORDER.get(f.check, len(_CHECK_ORDER)),
        ),
    )


def check_batch(
    extractions: Sequence[Extraction], *, config: CheckConfig = DEFAULT_CHECK_CONFIG
) -> list[list[Finding]]:
    """Findings for every report of a batch, the cross-report checks included."""
    index = build_batch_index([ex for ex in extractions], template_reports=config.template_reports)
    return [
        run_checks(ex, config=config, batch=index, position=i) for i, ex in enumerate(extractions)
    ]


def _enabled(config: CheckConfig) -> list[Check]:
    return [c for c in CHECKS if c.id not in config.disabled]


def _run(check: Check, ctx: Context) -> list[Issue]:
    slack = ctx.config.tolerance.get(check.id, _NO_SLACK)
    return list(check.run(ctx if slack is ctx.slack else replace(ctx, slack=slack)))


def _key(check: Check, issue: Issue) -> str:
    return f"{check.id}:{issue.subject}"


def _finding(check: Check, issue: Issue, ctx: Context, hint: str | None) -> Finding:
    zh = ctx.config.lang == "zh"
    template = check.message_zh if zh else check.message_en
    own_hint = issue.hint[0 if zh else 1] if issue.hint else None
    difference = (
        issue.reported - issue.computed
        if issue.reported is not None and issue.computed is not None
        else None
    )
    return Finding(
        check=check.id,
        severity=ctx.config.severity.get(check.id, issue.severity or check.severity),
        message=template.format(**issue.params),
        key=_key(check, issue),
        fields=issue.fields,
        reported=issue.reported,
        computed=issue.computed,
        difference=difference,
        tolerance=issue.tolerance,
        spans=issue.spans,
        hint=hint or own_hint,
    )


def _root_cause_hints(ctx: Context, raised: list[tuple[Check, Issue]]) -> dict[str, str]:
    """One corrected figure that makes several findings pass is named on each of them."""
    arithmetic = [c for c in _enabled(ctx.config) if c.arithmetic]
    failing = {_key(c, i) for c, i in raised if c.arithmetic}
    fixes = {fix for c, i in raised if c.arithmetic for fix in i.fixes}
    hints: dict[str, str] = {}
    for fix in sorted(fixes, key=lambda f: (f.field, f.value)):
        fig = ctx.figures[fix.field]
        trial = dict(ctx.figures)
        note = fig.note
        if fix.kind == "unit":
            up = fix.value > fig.value  # type: ignore[operator]
            note = "written 元, read as 万元" if up else "written 万元, read as 元"
        trial[fix.field] = replace(fig, value=fix.value, note=note)
        trial_ctx = replace(ctx, figures=trial)
        still = {_key(c, i) for c in arithmetic for i in _run(c, trial_ctx)}
        if still - failing:
            continue  # the correction breaks something that held: not the explanation
        solved = sorted(failing - still)
        if not solved or (len(solved) < 2 and fix.kind != "digit"):
            continue
        hint = _fix_hint(ctx, fig, fix, len(solved))
        for key in solved:
            hints.setdefault(key, hint)
    return hints


def _fix_hint(ctx: Context, fig: Figure, fix: Fix, solved: int) -> str:
    label, printed, meant = ctx.label(fig.field), as_printed(fig), num(fix.value)
    if ctx.config.lang == "zh":
        cause = "疑似数字笔误" if fix.kind == "digit" else "疑似元/万元错写"
        also = f"，可同时消除{solved}项不符" if solved > 1 else "则相符"
        return f"{cause}：{label}写作{printed}，若为{meant}万元{also}"
    cause = "a slipped digit" if fix.kind == "digit" else "a 元/万元 slip"
    also = f"; that one correction clears {solved} findings" if solved > 1 else ""
    return f"Likely {cause}: {label} is written {printed}; read as {meant}{also}"
