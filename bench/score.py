"""Score the real `jixiao check` on a folder against a reviewer's gold file.

    .venv/bin/python bench/score.py GOLD.toml DIR [--split bench/dev_split.toml --half blind]
                                                  [--show] [--json]
    .venv/bin/python bench/score.py --all [--tuning]
        every corpus of the project as a Markdown table (--tuning: without the blind half)

Runs the installed `jixiao check --format json` (the same extraction and checks a user gets,
cross-report checks included) on the gold's files and compares, per report:
- figures: a field is right when the value equals the gold's; a field the gold does not have,
  or a wrong value, is a false positive (the gold lists a field only when the text states it);
- the unit (right / missing / wrong) and the year (right / missing / wrong);
- projects: a gold project is found when a project of a similar name has its amount;
- discrepancies: a gold discrepancy is found when a finding of a check that can raise its kind
  names its fields, overlaps its quote or states one of its numbers; a finding at error level
  that matches no gold discrepancy (of any severity) is a false error.

Two gold formats are read: the seeds' (`[report.figures]` with value and quote; discrepancies
with fields and quote) and the dev corpus's (fields as keys of the report; discrepancies with
numbers).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from core.reading import read_report
from core.rules import RULES_BY_KEY

# A gold discrepancy's kind → the checks that may raise it. Kinds no check raises are left out:
# they count as expected and missed.
KINDS: dict[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in {
        "unit_slip": {"unit_slip"},
        "sum_mismatch": {
            "sum_mismatch",
            "parts_exceed_total",
            "list_exceeds_total",
            "stated_parts_mismatch",
        },
        "total_mismatch": {"total_mismatch"},
        "change_rate_mismatch": {
            "change_rate_mismatch",
            "change_word_mismatch",
            "change_amount_mismatch",
        },
        "rate_mismatch": {
            "rate_mismatch",
            "excellent_rate_mismatch",
            "completion_rate_mismatch",
            "control_rate_mismatch",
        },
        "grade_score_mismatch": {"grade_score_mismatch"},
        "staff_over_quota": {"staff_over_quota"},
        "template_residue": {"template_residue", "foreign_unit"},
        "foreign_unit": {"foreign_unit", "other_unit_named", "copied_text"},
        "year_mismatch": {"year_mismatch"},
        "stale_year": {"year_mismatch"},
        "duplicate_project": {"duplicate_project"},
        "carryover_vs_execution": {"carryover_vs_execution"},
        "unit_name_variant": {"unit_name_variant"},
        "scoring_inconsistency": {"score_rule_mismatch", "met_but_marked_down"},
        "score_sum_mismatch": {"score_sum_mismatch", "score_above_attainable"},
        "total_stated_twice": {"total_stated_twice"},
        "typo_number": {"total_stated_twice"},
        "wording_mismatch": {
            "change_word_mismatch",
            "comparison_word_mismatch",
            "change_amount_mismatch",
            "completion_word_mismatch",
            "completion_of_zero_budget",
        },
        "missing_year": {"year_not_stated"},
        "ocr_garble": {"poor_copy"},
    }.items()
}
FIELD_KEYS = tuple(RULES_BY_KEY)
_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def same(got: object, want: object) -> bool:
    if isinstance(want, str) or isinstance(got, str):
        return got == want
    a, b = _decimal(got), _decimal(want)
    return a is not None and b is not None and a == b


# ---- the gold ------------------------------------------------------------------------------


@dataclass
class GoldReport:
    file: str
    unit: str | None
    aliases: tuple[str, ...]
    year: int | None
    figures: dict[str, Any]
    projects: list[tuple[str, Decimal | None]]
    discrepancies: list[dict[str, Any]]


def load_gold(path: Path) -> list[GoldReport]:
    reports = []
    for entry in tomllib.loads(path.read_text("utf-8"))["report"]:
        if "figures" in entry:
            figures = {k: v["value"] for k, v in entry["figures"].items()}
        else:
            figures = {k: entry[k] for k in FIELD_KEYS if k in entry}
        projects = [
            (p["name"], _decimal(p.get("amount", p.get("amount_wan"))))
            for p in entry.get("projects", [])
        ]
        reports.append(
            GoldReport(
                file=entry["file"],
                unit=entry.get("unit"),
                aliases=tuple(entry.get("unit_aliases", ())),
                year=entry.get("year"),
                figures=figures,
                projects=projects,
                discrepancies=list(entry.get("discrepancies", [])),
            )
        )
    return reports


# ---- running the product ---------------------------------------------------------------------


def jixiao_command() -> list[str]:
    beside = Path(sys.executable).with_name("jixiao")
    found = str(beside) if beside.exists() else shutil.which("jixiao")
    if found is None:
        raise SystemExit("jixiao is not installed: pip install -e . first")
    return [found]


def run_check(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """`jixiao check --format json` on the files, keyed by file name."""
    command = [*jixiao_command(), "--no-cache", "check", *map(str, paths), "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1) or not done.stdout.strip():
        raise SystemExit(f"jixiao check failed ({done.returncode}): {done.stderr[-2000:]}")
    data = json.loads(done.stdout, parse_float=Decimal)
    return {Path(r["path"]).name: r for r in data["reports"]}


# ---- comparing ----------------------------------------------------------------------------


def _unit_key(name: str) -> str:
    name = "".join(name.split())
    for suffix in ("人民政府", "政府"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def finding_numbers(finding: dict[str, Any]) -> set[Decimal]:
    numbers = {_decimal(m) for m in _NUMBER_RE.findall(finding["message"])}
    for key in ("reported", "computed"):
        if finding.get(key) is not None:
            numbers.add(_decimal(finding[key]))
    return {n.normalize() for n in numbers if n is not None}


def matches(finding: dict[str, Any], gold: dict[str, Any], text: str) -> bool:
    """Can the finding be the reviewer's discrepancy? Same kind, and the same figures, text
    or numbers."""
    if finding["check"] not in KINDS.get(gold["kind"], frozenset()):
        return False
    fields = set(gold.get("fields", []))
    if fields and fields & set(finding["fields"]):
        return True
    quote = gold.get("quote")
    if quote and text:
        at = text.find(quote)
        if at >= 0 and any(s < at + len(quote) and at < e for s, e in finding["spans"]):
            return True
    wanted = {d.normalize() for d in map(_decimal, gold.get("numbers", [])) if d is not None}
    if wanted and wanted & finding_numbers(finding):
        return True
    return not fields and not quote and not wanted


@dataclass
class Score:
    reports: int = 0
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    unit: Counter[str] = field(default_factory=Counter)
    year: Counter[str] = field(default_factory=Counter)
    projects_expected: int = 0
    projects_found: int = 0
    projects_extra: int = 0
    expected: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    found_as_error: int = 0
    false_errors: list[str] = field(default_factory=list)
    false_warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def precision(self) -> float:
        tp, fp = sum(self.tp.values()), sum(self.fp.values())
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self) -> float:
        tp, fn = sum(self.tp.values()), sum(self.fn.values())
        return tp / (tp + fn) if tp + fn else 1.0

    def summary(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "field_precision": round(self.precision(), 3),
            "field_recall": round(self.recall(), 3),
            "figures_right": sum(self.tp.values()),
            "figures_false": sum(self.fp.values()),
            "figures_missed": sum(self.fn.values()),
            "unit": dict(self.unit),
            "year": dict(self.year),
            "projects": f"{self.projects_found}/{self.projects_expected}",
            "projects_extra": self.projects_extra,
            "errors_found": f"{self.found['error']}/{self.expected['error']}",
            "errors_found_as_error": self.found_as_error,
            "other_found": f"{self.found['other']}/{self.expected['other']}",
            "false_errors": len(self.false_errors),
            "false_errors_per_report": round(len(self.false_errors) / max(1, self.reports), 3),
            "unexplained_warnings": len(self.false_warnings),
        }


def score_report(
    gold: GoldReport,
    got: dict[str, Any],
    text: str,
    result: Score,
    *,
    figures_scored: bool = True,
    discrepancies_scored: bool = True,
    projects_only_where_given: bool = False,
) -> None:
    result.reports += 1
    name = gold.file
    figures = {f["field"]: f for f in got["figures"]} if figures_scored else {}
    for key in sorted(set(figures) | set(gold.figures)):
        have, want = figures.get(key), gold.figures.get(key)
        if have is not None and want is not None and same(have["value"], want):
            result.tp[key] += 1
            continue
        if have is not None:
            result.fp[key] += 1
            result.details.append(f"{name}: {key} read {have['value']} from {have['quote']!r}")
        if want is not None:
            result.fn[key] += 1
            if have is None:
                result.details.append(f"{name}: {key} missed (gold {want})")

    unit = got.get("unit")
    if gold.unit is None:
        result.unit["none_in_gold"] += 1
    elif not unit or unit == "未注明":
        result.unit["missing"] += 1
        result.details.append(f"{name}: unit missing (gold {gold.unit})")
    elif _unit_key(unit) in {_unit_key(u) for u in (gold.unit, *gold.aliases)}:
        result.unit["right"] += 1
    else:
        result.unit["wrong"] += 1
        result.details.append(f"{name}: unit {unit!r} (gold {gold.unit})")

    year = got.get("year")
    if year == gold.year:
        result.year["right"] += 1
    elif year is None:
        result.year["missing"] += 1
        result.details.append(f"{name}: year missing (gold {gold.year})")
    else:
        result.year["wrong"] += 1
        result.details.append(f"{name}: year {year} (gold {gold.year})")

    pool = list(got["projects"])
    for want_name, want_amount in gold.projects:
        result.projects_expected += 1
        hit = next(
            (
                p
                for p in pool
                if fuzz.ratio(p["name"], want_name) >= 80
                and (want_amount is None or same(p["amount"], want_amount))
            ),
            None,
        )
        if hit is None:
            result.details.append(f"{name}: project missed {want_name} {want_amount}")
            continue
        result.projects_found += 1
        pool.remove(hit)
    if gold.projects or not projects_only_where_given:
        result.projects_extra += len(pool)

    findings = list(got["findings"]) if discrepancies_scored else []
    for gold_item in gold.discrepancies:
        level = "error" if gold_item["severity"] == "error" else "other"
        result.expected[level] += 1
        hit = next((f for f in findings if matches(f, gold_item, text)), None)
        if hit is None:
            if level == "error":
                result.details.append(f"{name}: error missed: {gold_item['kind']}")
            continue
        result.found[level] += 1
        if level == "error" and hit["severity"] == "error":
            result.found_as_error += 1
        findings.remove(hit)
    for finding in findings:
        if any(matches(finding, d, text) for d in gold.discrepancies):
            continue
        line = f"{name}: {finding['check']} {finding['message']}"
        if finding["severity"] == "error":
            result.false_errors.append(line)
        elif finding["severity"] == "warning":
            result.false_warnings.append(line)


def score(gold_path: Path, folder: Path, only: set[str] | None = None) -> Score:
    golds = [g for g in load_gold(gold_path) if only is None or g.file in only]
    paths = [folder / g.file for g in golds]
    if not paths:
        return Score()
    results = run_check(paths)
    # A gold file that records no figures (or no discrepancies) at all does not score them.
    figures_scored = any(g.figures for g in golds)
    discrepancies_scored = any(g.discrepancies for g in golds)
    projects_only_where_given = not any(g.projects for g in golds)
    total = Score()
    for gold, path in zip(golds, paths, strict=True):
        got = results.get(path.name)
        if got is None:
            raise SystemExit(f"{path}: not in jixiao's output")
        text = read_report(path).text
        score_report(
            gold,
            got,
            text,
            total,
            figures_scored=figures_scored,
            discrepancies_scored=discrepancies_scored,
            projects_only_where_given=projects_only_where_given,
        )
    return total


ROOT = Path(__file__).resolve().parent.parent
DEV_CORPUS = ROOT.parent / "shared" / "dev-corpus"
SPLIT = ROOT / "bench" / "dev_split.toml"
DATA = ROOT / "tests" / "core" / "data"
# (name, gold, folder, half of SPLIT or None)
STANDARD_RUNS = (
    ("sample_reports", DATA / "expected.toml", ROOT / "sample_reports", None),
    ("tests variants", DATA / "variants" / "expected.toml", DATA / "variants", None),
    ("tests blind", DATA / "blind" / "expected.toml", DATA / "blind", None),
    ("tests blind_checks", DATA / "blind_checks" / "expected.toml", DATA / "blind_checks", None),
    ("dev-corpus tune", DEV_CORPUS / "gold.toml", DEV_CORPUS, "tune"),
    ("dev-corpus blind", DEV_CORPUS / "gold.toml", DEV_CORPUS, "blind"),
    ("dev-corpus all", DEV_CORPUS / "gold.toml", DEV_CORPUS, None),
)


def halves(half: str | None) -> set[str] | None:
    return None if half is None else set(tomllib.loads(SPLIT.read_text("utf-8"))[half])


def print_standard_runs(tuning: bool = False) -> None:
    """One line per standard corpus: what bench/RESULTS.md keeps. `tuning` leaves out every
    run that holds the blind half, so that tuning never looks at it."""
    print(
        "| corpus | P | R | units right/missing/wrong | years right | projects | errors found "
        "(as error) | others found | false errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, gold, folder, half in STANDARD_RUNS:
        if tuning and name.startswith("dev-corpus") and half != "tune":
            continue
        if not gold.exists():
            print(f"| {name} | (not here: {gold}) |")
            continue
        s = score(gold, folder, halves(half)).summary()
        u = s["unit"]
        units = f"{u.get('right', 0)}/{u.get('missing', 0)}/{u.get('wrong', 0)}"
        print(
            f"| {name} ({s['reports']}) | {s['field_precision']:.3f} | {s['field_recall']:.3f} "
            f"| {units} | {s['year'].get('right', 0)} | {s['projects']} "
            f"| {s['errors_found']} ({s['errors_found_as_error']}) | {s['other_found']} "
            f"| {s['false_errors']} |"
        )


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "--all" and set(argv[1:]) <= {"--tuning"}:
        print_standard_runs(tuning="--tuning" in argv)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", type=Path, help="a TOML file of named lists of file names")
    parser.add_argument("--half", help="the list of --split to score (default: every file)")
    parser.add_argument("--show", action="store_true", help="list every miss and false figure")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    only = None
    if args.half:
        if args.split is None:
            parser.error("--half needs --split")
        only = set(tomllib.loads(args.split.read_text("utf-8"))[args.half])
    result = score(args.gold, args.folder, only)
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key:26} {value}")
    if args.show:
        per_field = sorted(set(result.tp) | set(result.fp) | set(result.fn))
        print("\nfield                      right false missed")
        for key in per_field:
            print(f"{key:26} {result.tp[key]:5} {result.fp[key]:5} {result.fn[key]:6}")
        print()
        for line in result.details:
            print(line)
        for line in result.false_errors:
            print("FALSE ERROR", line)
        if result.false_warnings:
            print("\nwarnings that match no gold discrepancy:")
            for line in result.false_warnings:
                print(" ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
